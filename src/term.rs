//! Comparing names as people write them: "5.56×45 mm NATO", "5,56x45mm nato" and
//! "5.56 x 45 mm NATO" are one spelling; "5.56x54mm NATO" is a near miss of it.

/// Case, spaces, `_`/`-`, `×`/`x` and a decimal comma between digits do not matter.
pub fn normalise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = |_: ()| {
            i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
        };
        match c {
            c if c.is_whitespace() || c == '_' || c == '-' => {}
            '×' | '✕' => out.push('x'),
            ',' if between_digits(()) => out.push('.'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The accepted spelling a normalised value is a slip of (a transposition or a wrong digit),
/// if it is close enough; far-off values get no suggestion.
pub fn near_miss<'a>(normalised: &str, accepted: &'a [String]) -> Option<&'a String> {
    accepted
        .iter()
        .map(|a| (strsim::normalized_damerau_levenshtein(normalised, a), a))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, a)| a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_spellings_normalise_alike() {
        let want = normalise("5.56×45 mm NATO");
        for spelling in [
            "5.56x45mm NATO",
            "5,56 × 45 mm NATO",
            "5.56 X 45 MM nato",
            "5.56-x-45mm NATO",
        ] {
            assert_eq!(normalise(spelling), want, "{spelling}");
        }
        assert_ne!(normalise(".223 Remington"), want);
    }

    #[test]
    fn near_misses_but_not_far_values_are_suggested() {
        let accepted = vec![normalise("5.56x45mm NATO")];
        assert!(near_miss(&normalise("5.56x54mm NATO"), &accepted).is_some());
        assert!(near_miss(&normalise("7.62x39mm"), &accepted).is_none());
    }
}
