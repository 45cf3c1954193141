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
    // Every product's claims come through here: ASCII names (nearly all) skip Unicode's
    // case tables, which agree with ASCII's on ASCII letters, and fill one allocation.
    if name.is_ascii() {
        let mut out = String::with_capacity(name.len());
        for b in name.bytes() {
            if b.is_ascii_alphanumeric() || b == b'.' {
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return out;
    }
    name.chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::normalise_id;
    use proptest::prelude::*;

    proptest! {
        /// The ASCII fast path reads a name as the Unicode path does.
        #[test]
        fn an_ascii_name_normalises_as_through_unicode(name in "[ -~]{0,24}") {
            let unicode: String = name
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '.')
                .flat_map(char::to_lowercase)
                .collect();
            prop_assert_eq!(normalise_id(&name), unicode);
        }
    }

    #[test]
    fn case_spaces_and_hyphens_do_not_matter() {
        assert_eq!(normalise_id("MIL-STD-1275E"), "milstd1275e");
        assert_eq!(normalise_id("STANAG 4172"), normalise_id("stanag-4172"));
        assert_eq!(normalise_id("ÉTAT 1"), "état1");
    }
}
