//! `equals`
//!
//! # What it checks
//! The value is exactly this: a quantity compared exactly across units ("28 V" = "28000 mV"),
//! or a name compared after normalising its spelling.
//!
//! # Why it matters
//! A nominal voltage or a power source is one value, not a range: a 12 V accessory on a 28 V
//! vehicle bus is not compatible.
//!
//! # Example
//! `path = "power.nominal_voltage"`, `equals = "28 V"`
//!
//! # Fails on
//! `nominal_voltage = "12 V"`

use serde_json::json;

use super::terms::{Form, Term, Terms};
use super::{not_comparable, Branch, Check, CompileError, Failure, Keys, Kind, Verdict};
use crate::input::Node;
use crate::quantity::{parse_quantity, Quantity};
use crate::term::normalise;

#[derive(Debug)]
enum Expected {
    Quantity(Quantity),
    Text { shown: String, normalised: String },
}

#[derive(Debug)]
struct Equals(Expected);

pub(super) const KIND: Kind = Kind {
    name: "equals",
    selects: &["equals"],
    options: &[],
    branches: &[Branch::Passes, Branch::Differs, Branch::Absent],
    summary: "the value is exactly this quantity (in any unit) or name",
    schema: || {
        json!({"properties": {"equals": {
            "type": "string",
            "description": "The value must equal this (a quantity compares exactly across units)."
        }}})
    },
    build,
};

fn build(keys: &Keys) -> Result<Box<dyn Check>, CompileError> {
    let text = keys.text("equals")?;
    let expected = match parse_quantity(text, None) {
        Ok(q) => Expected::Quantity(q),
        Err(_) => Expected::Text {
            shown: text.to_owned(),
            normalised: normalise(text),
        },
    };
    Ok(Box::new(Equals(expected)))
}

impl Check for Equals {
    fn terms(&self) -> Terms {
        let (key, shown) = match &self.0 {
            Expected::Quantity(q) => (format!("{:?}={}", q.dimension, q.value), q.text.clone()),
            Expected::Text { shown, normalised } => (normalised.clone(), shown.clone()),
        };
        Terms {
            kind: KIND.name,
            terms: vec![Term::new("equals", shown, Form::Exactly(key))],
        }
    }

    fn kind(&self) -> &'static Kind {
        &KIND
    }

    fn describe(&self) -> String {
        match &self.0 {
            Expected::Quantity(q) => format!("equals {q} (exactly, in any unit)"),
            Expected::Text { shown, .. } => format!("is `{shown}`"),
        }
    }

    fn judge(&self, node: &Node) -> Verdict {
        match (&self.0, node.as_quantity()) {
            (Expected::Quantity(expected), Some(found))
                if found.dimension == expected.dimension =>
            {
                if found.value == expected.value {
                    Verdict::PASS
                } else {
                    Verdict::Fail(Failure::new(
                        Branch::Differs,
                        format!("{found}, not {expected}"),
                    ))
                }
            }
            (Expected::Quantity(expected), _) => Verdict::Fail(not_comparable(node, expected)),
            (Expected::Text { shown, normalised }, _) => match node.as_str() {
                Some(found) if normalise(found) == *normalised => Verdict::PASS,
                Some(found) => Verdict::Fail(Failure::new(
                    Branch::Differs,
                    format!("`{found}`, not `{shown}`"),
                )),
                None => Verdict::Fail(Failure::new(
                    Branch::Mismatch,
                    format!("{}, not `{shown}`", node.type_name()),
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tester::{assert_branches, check};

    const NOMINAL: &str = "path = \"power.nominal_voltage\"\nequals = \"28 V\"";

    #[test]
    fn an_equal_quantity_passes_in_any_unit() {
        assert!(check(NOMINAL, "[power]\nnominal_voltage = \"28 V\"").passes());
        assert!(check(NOMINAL, "[power]\nnominal_voltage = \"28000 mV\"").passes());
    }

    #[test]
    fn another_quantity_fails_at_the_value() {
        let tested = check(NOMINAL, "[power]\nnominal_voltage = \"12 V\"");
        assert_eq!(tested.labels(), ["12 V, not 28 V"]);
        assert_eq!(tested.at(), ["\"12 V\""]);
        assert_eq!(tested.only().path, "power.nominal_voltage");
    }

    #[test]
    fn an_absent_value_is_not_judged_unless_required() {
        assert!(check(NOMINAL, "[power]\nsource = \"vehicle\"").passes());
        let required = format!("{NOMINAL}\nrequired = true");
        let tested = check(&required, "[power]\nsource = \"vehicle\"");
        assert_eq!(tested.labels(), ["`power.nominal_voltage` is missing"]);
        // Placed at the key of the table the value belongs in.
        assert_eq!(tested.at(), ["power"]);
    }

    #[test]
    fn each_branch_a_value_takes_is_counted() {
        use crate::check::Branch::{Absent, Differs, Passes};
        assert_branches(
            NOMINAL,
            &[
                ("[power]\nnominal_voltage = \"28000 mV\"", &[Passes]),
                ("[power]\nnominal_voltage = \"12 V\"", &[Differs]),
                ("[power]\nsource = \"vehicle\"", &[Absent]),
            ],
        );
    }

    #[test]
    fn a_near_value_or_another_dimension_is_not_equal() {
        // Exact comparison: 28.001 V is not 28 V.
        let near = check(NOMINAL, "[power]\nnominal_voltage = \"28.001 V\"");
        assert_eq!(near.labels(), ["28.001 V, not 28 V"]);
        let other = check(
            "path = \"power.nominal_voltage\"\nequals = \"28 Hz\"",
            "[power]\nnominal_voltage = \"28 V\"",
        );
        assert_eq!(
            other.labels(),
            ["this is a voltage; the rule compares a frequency"]
        );
    }

    #[test]
    fn names_compare_after_normalising_their_spelling() {
        let rule = "path = \"connector[*].type\"\nequals = \"MIL-DTL-38999 Series III\"";
        let connector =
            |t: &str| format!("[[connector]]\nname = \"J1\"\ntype = \"{t}\"\nfunction = \"power\"");
        assert!(check(rule, &connector("mil dtl 38999 series iii")).passes());
        let tested = check(rule, &connector("MIL-DTL-38999 Series II"));
        assert_eq!(
            tested.labels(),
            ["`MIL-DTL-38999 Series II`, not `MIL-DTL-38999 Series III`"]
        );
        assert_eq!(tested.only().path, "connector[0].type");
    }
}
