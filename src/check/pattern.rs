//! `pattern`
//!
//! # What it checks
//! The whole value matches a regular expression (linear-time, size-limited by the regex crate).
//!
//! # Why it matters
//! Some values have a required form (an identifier scheme, a designation format) that no list
//! of names can enumerate.
//!
//! # Example
//! `path = "product.id"`, `pattern = "^[A-Z0-9-]+$"`
//!
//! # Fails on
//! `id = "acme radio"`

use regex::Regex;

use serde_json::json;

use crate::code::PackCode;

use super::terms::{Form, Term, Terms};
use super::{Branch, Check, CompileError, Failure, Keys, Kind, Verdict};
use crate::input::Node;

#[derive(Debug)]
struct Pattern(Regex);

pub(super) const KIND: Kind = Kind {
    name: "pattern",
    selects: &["pattern"],
    options: &[],
    branches: &[Branch::Passes, Branch::Differs, Branch::Absent],
    summary: "the whole text matches a regular expression",
    schema: || {
        json!({"properties": {"pattern": {
            "type": "string",
            "description": "A regular expression the whole value must match."
        }}})
    },
    build,
};

fn build(keys: &Keys) -> Result<Box<dyn Check>, CompileError> {
    let text = keys.text("pattern")?;
    // Anchored so that the whole value must match, as pack authors expect.
    Regex::new(&format!("^(?:{text})$"))
        .map(|re| Box::new(Pattern(re)) as Box<dyn Check>)
        .map_err(|e| {
            keys.error("pattern", format!("invalid regular expression: {e}"))
                .because(PackCode::CheckPattern)
        })
}

impl Check for Pattern {
    fn terms(&self) -> Terms {
        // Compared as written: whether two expressions match the same texts is undecidable
        // in general, and a rewritten pattern deserves a reviewer's eye.
        let text = self.0.as_str();
        Terms {
            kind: KIND.name,
            terms: vec![Term::new("pattern", text, Form::Exactly(text.to_owned()))],
        }
    }

    fn kind(&self) -> &'static Kind {
        &KIND
    }

    fn describe(&self) -> String {
        format!("matches `{}`", self.0.as_str())
    }

    fn judge(&self, node: &Node) -> Verdict {
        match node.as_str() {
            Some(text) if self.0.is_match(text) => Verdict::PASS,
            Some(text) => Verdict::Fail(Failure::new(
                Branch::Differs,
                format!("`{text}` does not have the required form"),
            )),
            None => Verdict::Fail(Failure::new(
                Branch::Mismatch,
                format!("{}, not text", node.type_name()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tester::{assert_branches, check, pack_errors};

    const DESIGNATOR: &str = "path = \"connector[*].name\"\npattern = \"J[0-9]+|P[0-9]+\"";

    fn connector(name: &str) -> String {
        format!("[[connector]]\nname = \"{name}\"\ntype = \"MIL-DTL-38999\"\nfunction = \"power\"")
    }

    #[test]
    fn a_value_of_the_form_passes() {
        assert!(check(DESIGNATOR, &connector("J1")).passes());
        assert!(check(DESIGNATOR, &connector("P12")).passes());
    }

    #[test]
    fn a_value_of_another_form_fails_at_the_value() {
        let tested = check(DESIGNATOR, &connector("power in"));
        assert_eq!(
            tested.labels(),
            ["`power in` does not have the required form"]
        );
        assert_eq!(tested.at(), ["\"power in\""]);
        assert_eq!(tested.only().path, "connector[0].name");
    }

    #[test]
    fn an_absent_value_is_not_judged() {
        assert!(check(DESIGNATOR, "[power]\nsource = \"vehicle\"").passes());
    }

    #[test]
    fn the_whole_value_must_match_even_across_an_alternation() {
        // Unanchored, `J[0-9]+|P[0-9]+` would find `J1` in `J1A` and `P2` in `XP2`.
        assert!(!check(DESIGNATOR, &connector("J1A")).passes());
        assert!(!check(DESIGNATOR, &connector("XP2")).passes());
    }

    #[test]
    fn each_branch_a_value_takes_is_counted() {
        use crate::check::Branch::{Absent, Differs, Passes};
        assert_branches(
            DESIGNATOR,
            &[
                (&connector("J1"), &[Passes]),
                (&connector("power in"), &[Differs]),
                ("[power]\nsource = \"vehicle\"", &[Absent]),
            ],
        );
    }

    #[test]
    fn an_invalid_expression_is_a_pack_error() {
        let errors = pack_errors("path = \"connector[*].name\"\npattern = \"J[0-9\"");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("invalid regular expression"),
            "{errors:?}"
        );
    }
}
