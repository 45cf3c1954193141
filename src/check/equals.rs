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

use super::{not_comparable, Check, CompileError, Failure, Verdict};
use crate::input::Node;
use crate::pack::model::RuleSpec;
use crate::quantity::{parse_quantity, Quantity};
use crate::term::normalise;

#[derive(Debug)]
enum Expected {
    Quantity(Quantity),
    Text { shown: String, normalised: String },
}

#[derive(Debug)]
struct Equals(Expected);

pub(super) fn build(spec: &RuleSpec) -> Result<Box<dyn Check>, CompileError> {
    let text = spec.equals.as_deref().unwrap_or_default();
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
                    Verdict::Pass
                } else {
                    Verdict::Fail(Failure::new(format!("{found}, not {expected}")))
                }
            }
            (Expected::Quantity(expected), _) => Verdict::Fail(not_comparable(node, expected)),
            (Expected::Text { shown, normalised }, _) => match node.as_str() {
                Some(found) if normalise(found) == *normalised => Verdict::Pass,
                Some(found) => Verdict::Fail(Failure::new(format!("`{found}`, not `{shown}`"))),
                None => Verdict::Fail(Failure::new(format!("{}, not `{shown}`", node.type_name()))),
            },
        }
    }
}
