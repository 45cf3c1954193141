//! Comparing names as people write them: "5.56×45 mm NATO", "5,56x45mm nato",
//! "5.56 x 45 mm NATO" and "5.56x45 NATO" are one spelling; "5.56x54mm NATO" is a near miss of it.
//!
//! The one normalisation every name goes through (documented in `rules/README.md`): case,
//! white space, `_` and `-`, `×` for `x` (so `7.62 x 51`, `7.62x51` and `7.62×51` are one),
//! a decimal comma between digits, and the unit `mm` right after a number (`5.56mm NATO`,
//! `5.56 mm NATO` and `5.56 NATO` are one). Nothing else is merged: the digits, the letters
//! of a name and its word order stay, so `.223`, `7.62x39`, `9x18` or `L30` never become an
//! accepted name by normalising. Other word orders are explicit `accept` spellings in a pack.

/// Case, spaces, `_`/`-`, `×`/`x`, a decimal comma between digits and `mm` after a number do
/// not matter.
pub fn normalise(text: &str) -> String {
    // One pass over the text, then a second only when a "mm" is left to drop: every value of
    // every product goes through here.
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        match c {
            c if c.is_whitespace() || c == '_' || c == '-' => {}
            '×' | '✕' => out.push('x'),
            ',' if previous.is_some_and(|p| p.is_ascii_digit())
                && text[i + 1..].starts_with(|n: char| n.is_ascii_digit()) =>
            {
                out.push('.')
            }
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
        previous = Some(c);
    }
    if out.contains("mm") {
        drop_millimetres(&out)
    } else {
        out
    }
}

/// Removes `mm` written right after a digit ("5.56mm", "9x19mm"), once spaces are gone: the
/// millimetre is the unit every calibre here is named in, so it carries nothing. Digits and
/// `m` are ASCII, so the text is walked as bytes and stays valid UTF-8.
fn drop_millimetres(squeezed: &str) -> String {
    let bytes = squeezed.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let after_digit = i > 0 && bytes[i - 1].is_ascii_digit();
        // "mm" but not the start of a longer run of m's.
        if after_digit
            && bytes[i] == b'm'
            && bytes.get(i + 1) == Some(&b'm')
            && bytes.get(i + 2) != Some(&b'm')
        {
            i += 2;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The accepted spelling a normalised value is a slip of (a transposition or a wrong digit),
/// if it is close enough; far-off values get no suggestion.
pub fn near_miss<'a>(normalised: &str, accepted: &'a [String]) -> Option<&'a String> {
    // The distance is at least the difference in length, so a spelling whose length differs
    // by more than a fifth cannot score 0.8: skip it before the costly comparison.
    let length = normalised.chars().count();
    accepted
        .iter()
        .filter(|a| {
            let other = a.chars().count();
            let within = |distance: usize| 5 * distance <= length.max(other);
            within(length.abs_diff(other)) && bag_distance(normalised, a).is_none_or(within)
        })
        .map(|a| (strsim::normalized_damerau_levenshtein(normalised, a), a))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, a)| a)
}

/// A lower bound of the edit distance of two ASCII texts: the characters one has beyond the
/// other, counted with repeats (each edit adds or removes at most one on either side, a swap
/// none). `None` for other text, which this bound does not count.
fn bag_distance(a: &str, b: &str) -> Option<usize> {
    if !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let mut counts = [0i32; 128];
    for byte in a.bytes() {
        counts[usize::from(byte)] += 1;
    }
    for byte in b.bytes() {
        counts[usize::from(byte)] -= 1;
    }
    let surplus: i32 = counts.iter().filter(|&&c| c > 0).sum();
    let deficit: i32 = -counts.iter().filter(|&&c| c < 0).sum::<i32>();
    usize::try_from(surplus.max(deficit)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The bag distance never exceeds the edit distance, so it only skips spellings that
        /// could not have been near.
        #[test]
        fn the_bag_distance_is_a_lower_bound(a in "[a-e0-9. x]{0,12}", b in "[a-e0-9. x]{0,12}") {
            let bound = bag_distance(&a, &b).unwrap();
            prop_assert!(bound <= strsim::damerau_levenshtein(&a, &b), "{} {}", a, b);
        }
    }

    /// The normalisation as first written (characters collected, then walked twice), kept to
    /// hold the faster one to the same answers.
    fn reference(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let between_digits = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            match c {
                c if c.is_whitespace() || c == '_' || c == '-' => {}
                '×' | '✕' => out.push('x'),
                ',' if between_digits => out.push('.'),
                c => out.extend(c.to_lowercase()),
            }
        }
        let chars: Vec<char> = out.chars().collect();
        let mut dropped = String::new();
        let mut i = 0;
        while i < chars.len() {
            let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
            if after_digit
                && chars[i] == 'm'
                && chars.get(i + 1) == Some(&'m')
                && chars.get(i + 2) != Some(&'m')
            {
                i += 2;
                continue;
            }
            dropped.push(chars[i]);
            i += 1;
        }
        dropped
    }

    proptest! {
        #[test]
        fn normalise_answers_as_the_reference_does(
            text in "[0-9 ,.xX×✕_mMİß-]{0,16}(mm|MM|mmm| NATO|Ü)?[0-9,]{0,3}",
            any in "\\PC{0,24}",
        ) {
            prop_assert_eq!(normalise(&text), reference(&text));
            prop_assert_eq!(normalise(&any), reference(&any));
        }
    }

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
    fn millimetres_after_a_number_and_spaced_crosses_do_not_matter() {
        for (a, b) in [
            ("5.56mm NATO", "5.56 NATO"),
            ("5.56 mm NATO", "5.56 NATO"),
            ("5.56x45 NATO", "5.56×45 mm NATO"),
            ("7.62 x 51 NATO", "7.62x51mm NATO"),
            ("9x19 NATO", "9×19 mm NATO"),
            ("9,00 mm", "9.00"),
        ] {
            assert_eq!(normalise(a), normalise(b), "{a} / {b}");
        }
    }

    #[test]
    fn normalising_keeps_the_names_the_library_tells_apart() {
        for (a, b) in [
            (".223 Remington", "5.56 NATO"),
            (".223 Wylde", ".223 Remington"),
            (".308 Winchester", "7.62 NATO"),
            ("7.62×39 mm", "7.62×51 mm"),
            ("9×18 mm", "9×19 mm"),
            ("9×21 IMI", "9×19 mm"),
            ("120 mm rifled", "120×570 mm"),
            ("120 mm L30", "120 mm L44"),
            ("155 mm L45", "155 mm L52"),
            ("152 mm", "155 mm"),
            ("Weaver rail", "Picatinny rail"),
            ("MIL-STD-1553A", "MIL-STD-1553B"),
        ] {
            assert_ne!(normalise(a), normalise(b), "{a} / {b}");
        }
    }

    #[test]
    fn near_misses_but_not_far_values_are_suggested() {
        let accepted = vec![normalise("5.56x45mm NATO")];
        assert!(near_miss(&normalise("5.56x54mm NATO"), &accepted).is_some());
        assert!(near_miss(&normalise("7.62x39mm"), &accepted).is_none());
    }
}
