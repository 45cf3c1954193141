//! A standard's names: its designation and aliases, and how they compare.

use super::model::StandardMeta;

/// A designation and its aliases: every name a standard answers to, compared after
/// [`normalise_id`].
pub fn names<'a>(designation: &'a str, aliases: &'a [String]) -> impl Iterator<Item = &'a str> {
    std::iter::once(designation).chain(aliases.iter().map(String::as_str))
}

/// Whether `a` and `b` differ only in one digit replaced by another.
pub(super) fn one_digit_swapped_for_another(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a.len() == b.len()
        && {
            let mut differing = a.iter().zip(&b).filter(|(x, y)| x != y);
            matches!((differing.next(), differing.next()), (Some((x, y)), None) if x.is_ascii_digit() && y.is_ascii_digit())
        }
}

/// A standard's names through [`normalise_id`], designation first.
pub(super) fn normalised_names(meta: &StandardMeta) -> Vec<String> {
    meta.names().map(normalise_id).collect()
}

/// Case, spaces, hyphens and underscores do not matter in a standard's name.
pub fn normalise_id(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .flat_map(char::to_lowercase)
        .collect()
}
