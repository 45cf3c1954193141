//! `min` / `max`
//!
//! # What it checks
//! A quantity at or above `min` and at or below `max` (both inclusive), compared exactly across
//! units.
//!
//! # Why it matters
//! Withstand voltages, durations and powers are floors or ceilings in the standards: 80 V of
//! surge protection on a bus that surges to 100 V is a failure in the field.
//!
//! # Example
//! `path = "power.surge_withstand.voltage"`, `min = "100 V"`
//!
//! # Fails on
//! `surge_withstand = { voltage = "80 V", duration = "50 ms" }`

use super::{not_comparable, pack_quantity, Check, CompileError, Failure, Verdict};
use crate::input::Node;
use crate::pack::model::RuleSpec;
use crate::quantity::Quantity;

#[derive(Debug)]
struct Bounds {
    min: Option<Quantity>,
    max: Option<Quantity>,
}

pub(super) fn build(spec: &RuleSpec) -> Result<Box<dyn Check>, CompileError> {
    let min = spec
        .min
        .as_deref()
        .map(|t| pack_quantity(t, "min"))
        .transpose()?;
    let max = spec
        .max
        .as_deref()
        .map(|t| pack_quantity(t, "max"))
        .transpose()?;
    if let (Some(low), Some(high)) = (&min, &max) {
        if low.dimension != high.dimension || low.value > high.value {
            return Err(CompileError {
                key: "max",
                message: format!("`min = {low}` and `max = {high}` do not make a range"),
            });
        }
    }
    Ok(Box::new(Bounds { min, max }))
}

impl Check for Bounds {
    fn describe(&self) -> String {
        match (&self.min, &self.max) {
            (Some(min), Some(max)) => format!("between {min} and {max} (inclusive)"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => String::new(),
        }
    }

    fn judge(&self, node: &Node) -> Verdict {
        let Some(reference) = self.min.as_ref().or(self.max.as_ref()) else {
            return Verdict::Pass;
        };
        let Some(found) = node
            .as_quantity()
            .filter(|q| q.dimension == reference.dimension)
        else {
            return Verdict::Fail(not_comparable(node, reference));
        };
        if let Some(min) = self.min.as_ref().filter(|min| found.value < min.value) {
            return Verdict::Fail(Failure::new(format!("{found} is below the minimum {min}")));
        }
        if let Some(max) = self.max.as_ref().filter(|max| found.value > max.value) {
            return Verdict::Fail(Failure::new(format!("{found} is above the maximum {max}")));
        }
        Verdict::Pass
    }
}
