//! Classification markings: the NATO order formfit knows, the national markings a configuration
//! maps onto it, the highest marking of a set, and the banner every output carries.
//!
//! Order, lowest first: `PUBLIC` < `NATO UNCLASSIFIED` < `NATO RESTRICTED` <
//! `NATO CONFIDENTIAL` < `NATO SECRET`. A national marking counts only when the configuration
//! maps it onto this order (`[markings]` in formfit.toml, see [`Scheme`]). For display, a marking
//! formfit does not know ranks above every known one, so it is never shown as lower than it is;
//! for trust decisions an unknown marking is never cleared and a holder's clearance must be a
//! level formfit knows ([`Scheme::clearance`]).

use crate::diagnostic::did_you_mean;

/// The known markings, lowest first.
pub const ORDER: [&str; 5] = [
    "PUBLIC",
    "NATO UNCLASSIFIED",
    "NATO RESTRICTED",
    "NATO CONFIDENTIAL",
    "NATO SECRET",
];

/// A level of the NATO order: what a holder may hold and what a pack is marked, compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Classification {
    Public,
    NatoUnclassified,
    NatoRestricted,
    NatoConfidential,
    NatoSecret,
}

impl Classification {
    /// Every level, lowest first (as [`ORDER`]).
    pub const ALL: [Classification; 5] = [
        Classification::Public,
        Classification::NatoUnclassified,
        Classification::NatoRestricted,
        Classification::NatoConfidential,
        Classification::NatoSecret,
    ];

    pub fn as_str(self) -> &'static str {
        ORDER[self as usize]
    }

    /// The level a marking of the NATO order names (case and runs of spaces do not matter).
    pub fn from_nato(marking: &str) -> Option<Classification> {
        let find = |wanted: &str| {
            Classification::ALL
                .into_iter()
                .find(|c| c.as_str().eq_ignore_ascii_case(wanted))
        };
        // Every rule's evaluation asks its pack's marking: one written as it is read needs
        // no copy.
        if is_spaced(marking) {
            find(marking)
        } else {
            find(&spaced(marking))
        }
    }

    /// Above `NATO UNCLASSIFIED`: text that must not go to third-party services by accident.
    pub fn is_marked(self) -> bool {
        self > Classification::NatoUnclassified
    }
}

impl std::fmt::Display for Classification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Trimmed, with every run of white space one space.
fn spaced(marking: &str) -> String {
    marking.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether [`spaced`] would give `marking` back as it is.
fn is_spaced(marking: &str) -> bool {
    let mut after_space = true;
    for c in marking.chars() {
        if c.is_whitespace() {
            if after_space || c != ' ' {
                return false;
            }
            after_space = true;
        } else {
            after_space = false;
        }
    }
    !after_space || marking.is_empty()
}

/// The markings a run understands: the NATO order, and the national markings the configuration
/// maps onto it (`"DE VS-NfD" = "NATO RESTRICTED"`). Nothing else names a level: a commercial
/// marking ("ACME PROPRIETARY") is carried in every output but is no level of this order.
#[derive(Debug, Clone, Default)]
pub struct Scheme {
    national: Vec<(String, Classification)>,
}

impl Scheme {
    /// A scheme with national markings mapped onto the NATO order.
    pub fn new(national: impl IntoIterator<Item = (String, Classification)>) -> Scheme {
        Scheme {
            national: national
                .into_iter()
                .map(|(name, level)| (spaced(&name), level))
                .collect(),
        }
    }

    /// The level a marking names, or `None` when it names none (unknown, misspelt, commercial).
    pub fn level(&self, marking: &str) -> Option<Classification> {
        Classification::from_nato(marking).or_else(|| {
            let wanted = spaced(marking);
            self.national
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&wanted))
                .map(|(_, level)| *level)
        })
    }

    /// Every marking this scheme knows: the NATO order, then the national ones.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        ORDER
            .iter()
            .copied()
            .chain(self.national.iter().map(|(n, _)| n.as_str()))
    }

    /// A holder's clearance, parsed: a marking this scheme knows, or an error that says which
    /// one was probably meant. Never "clears everything".
    pub fn clearance(&self, text: &str) -> Result<Classification, UnknownMarking> {
        self.level(text).ok_or_else(|| UnknownMarking {
            marking: text.to_owned(),
            suggestion: self.suggest(text),
        })
    }

    /// The known marking closest to `text`: a slip (`NATO RESTRICTD`), or a level written
    /// without its `NATO` (`RESTRICTED`).
    fn suggest(&self, text: &str) -> Option<String> {
        let wanted = spaced(text);
        let bare = ORDER.iter().find(|known| {
            known
                .strip_prefix("NATO ")
                .is_some_and(|rest| rest.eq_ignore_ascii_case(&wanted))
        });
        bare.map(|k| (*k).to_owned())
            .or_else(|| did_you_mean(&wanted, self.names()).map(str::to_owned))
    }
}

/// A marking that names no level the run knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMarking {
    pub marking: String,
    pub suggestion: Option<String>,
}

impl UnknownMarking {
    /// What to do about it: the likely level, then what is known and how national markings
    /// come in.
    pub fn help(&self, scheme: &Scheme) -> String {
        let known = scheme.names().collect::<Vec<_>>().join(", ");
        let mapping = "map a national marking onto the NATO order in formfit.toml's [markings]";
        match &self.suggestion {
            Some(s) => format!("did you mean `{s}`? known markings: {known}; {mapping}"),
            None => format!("known markings: {known}; {mapping}"),
        }
    }
}

/// The rank of a marking in [`ORDER`], for display only; unknown markings rank highest.
pub fn rank(marking: &str) -> usize {
    Classification::from_nato(marking).map_or(ORDER.len(), |c| c as usize)
}

/// The highest of some markings; `PUBLIC` when there are none.
pub fn highest<'a>(markings: impl IntoIterator<Item = &'a str>) -> String {
    markings
        .into_iter()
        .max_by_key(|m| rank(m))
        .unwrap_or(ORDER[0])
        .to_owned()
}

/// Above `NATO UNCLASSIFIED`, or unknown: text that must not go to third-party services by
/// accident. For a decision that knows the configured scheme, use [`Scheme::level`].
pub fn is_marked(marking: &str) -> bool {
    rank(marking) > rank("NATO UNCLASSIFIED")
}

/// The banner line: the highest pack marking, and the products' own markings beside it.
pub fn banner(classification: &str, product_markings: &[String]) -> String {
    if product_markings.is_empty() {
        classification.to_owned()
    } else {
        format!(
            "{classification} — product marking: {}",
            product_markings.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_marking_needs_no_respacing_exactly_when_spaced_gives_it_back(
            marking in "[ \t\u{a0}NATOREStricd]{0,16}",
        ) {
            prop_assert_eq!(is_spaced(&marking), spaced(&marking) == marking);
        }
    }

    #[test]
    fn markings_are_ordered_and_unknown_ones_rank_highest() {
        assert_eq!(
            highest(["PUBLIC", "nato restricted", "NATO UNCLASSIFIED"]),
            "nato restricted"
        );
        assert_eq!(highest(["NATO SECRET", "DE VS-NfD"]), "DE VS-NfD");
        assert_eq!(highest([]), "PUBLIC");
        assert!(
            !is_marked("NATO UNCLASSIFIED")
                && is_marked("NATO RESTRICTED")
                && is_marked("ACME SECRET")
        );
    }

    #[test]
    fn a_clearance_is_a_known_level_and_a_slip_gets_a_suggestion() {
        let scheme = Scheme::default();
        assert_eq!(
            scheme.clearance(" nato  restricted "),
            Ok(Classification::NatoRestricted)
        );
        let slip = scheme.clearance("NATO RESTRICTD").unwrap_err();
        assert_eq!(slip.suggestion.as_deref(), Some("NATO RESTRICTED"));
        let bare = scheme.clearance("RESTRICTED").unwrap_err();
        assert_eq!(bare.suggestion.as_deref(), Some("NATO RESTRICTED"));
        assert!(scheme.clearance("DE VS-NfD").is_err(), "unmapped");
    }

    #[test]
    fn national_markings_count_only_when_mapped() {
        let scheme = Scheme::new([("DE VS-NfD".to_owned(), Classification::NatoRestricted)]);
        assert_eq!(
            scheme.clearance("de vs-nfd"),
            Ok(Classification::NatoRestricted)
        );
        assert_eq!(scheme.level("ACME PROPRIETARY"), None);
    }
}
