//! Classification markings: the order formfit knows, the highest marking of a set, and the
//! banner every output carries.
//!
//! Order, lowest first: `PUBLIC` < `NATO UNCLASSIFIED` < `NATO RESTRICTED` <
//! `NATO CONFIDENTIAL` < `NATO SECRET`. A marking formfit does not know (a national scheme)
//! ranks above every known one, so an unknown marking is never shown as lower than it is.

/// The known markings, lowest first.
pub const ORDER: [&str; 5] = [
    "PUBLIC",
    "NATO UNCLASSIFIED",
    "NATO RESTRICTED",
    "NATO CONFIDENTIAL",
    "NATO SECRET",
];

/// The rank of a marking in [`ORDER`]; unknown markings rank highest.
pub fn rank(marking: &str) -> usize {
    ORDER
        .iter()
        .position(|known| known.eq_ignore_ascii_case(marking.trim()))
        .unwrap_or(ORDER.len())
}

/// The highest of some markings; `PUBLIC` when there are none.
pub fn highest<'a>(markings: impl IntoIterator<Item = &'a str>) -> String {
    markings
        .into_iter()
        .max_by_key(|m| rank(m))
        .unwrap_or(ORDER[0])
        .to_owned()
}

/// Above `NATO UNCLASSIFIED`: text that must not go to third-party services by accident.
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
}
