//! The values shell completions offer: the built-in library's standards, profiles and rule ids
//! (and formfit's own codes, which `rules explain` takes too), for the CLI to write into the
//! scripts it generates.

use crate::code::Code;
use crate::pack::{Library, PackCompiler};

/// What completes where.
#[derive(Debug, Default)]
pub struct Candidates {
    /// Designations and aliases, written as one word (`nato-uhf-air-band`): names match
    /// ignoring case, spaces and hyphens, and a shell completes a word more simply than a
    /// quoted phrase.
    pub standards: Vec<String>,
    pub profiles: Vec<String>,
    /// Every built-in rule id, then every code of formfit's own.
    pub rules: Vec<String>,
}

/// The built-in library's names; a pack that fails to compile offers none of its names.
pub fn candidates() -> Candidates {
    let (library, _) = Library::builtin(&PackCompiler::new());
    let mut standards: Vec<String> = library
        .packs()
        .flat_map(|p| p.meta.names().map(one_word).collect::<Vec<_>>())
        .collect();
    standards.sort();
    standards.dedup();
    let mut profiles: Vec<String> = library.profiles.iter().map(|p| p.name.clone()).collect();
    profiles.sort();
    let mut rules: Vec<String> = library
        .packs()
        .flat_map(|p| p.rules.iter().map(|r| r.id.clone()))
        .collect();
    rules.sort();
    rules.extend(Code::all().map(|c| c.id().to_owned()));
    Candidates {
        standards,
        profiles,
        rules,
    }
}

/// `NATO UHF Air Band` as `nato-uhf-air-band`.
fn one_word(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offered_standard_names_a_built_in_pack() {
        let candidates = candidates();
        assert!(candidates
            .standards
            .contains(&"nato-uhf-air-band".to_owned()));
        assert!(candidates.profiles.contains(&"land-vehicle-c4i".to_owned()));
        assert!(candidates.rules.contains(&"STANAG4172-CAL-1".to_owned()));
        let (library, _) = Library::builtin(&PackCompiler::new());
        for word in &candidates.standards {
            let known = library.packs().any(|p| {
                p.normalised_names
                    .contains(&crate::pack::normalise_id(word))
            });
            assert!(known, "{word} names no pack");
            assert!(!word.contains(char::is_whitespace), "{word}");
        }
    }
}
