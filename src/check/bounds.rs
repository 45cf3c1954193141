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

use serde_json::json;

use crate::code::PackCode;

use super::terms::{Bound, Form, Term, Terms};
use super::{
    not_comparable, pack_quantity, Branch, Check, CompileError, Failure, Keys, Kind, Verdict,
};
use crate::input::Node;
use crate::quantity::Quantity;

#[derive(Debug)]
struct Bounds {
    min: Option<Quantity>,
    max: Option<Quantity>,
}

pub(super) const KIND: Kind = Kind {
    name: "min",
    selects: &["min", "max"],
    options: &[],
    branches: &[Branch::Passes, Branch::Below, Branch::Above, Branch::Absent],
    summary: "the quantity is at least `min` and at most `max` (inclusive, in any unit)",
    schema: || {
        json!({"properties": {
            "min": {"type": "string", "description": "Lowest allowed quantity (inclusive)."},
            "max": {"type": "string", "description": "Highest allowed quantity (inclusive)."}
        }})
    },
    build,
};

fn build(keys: &Keys) -> Result<Box<dyn Check>, CompileError> {
    let min = keys.get("min").map(pack_quantity).transpose()?;
    let max = keys.get("max").map(pack_quantity).transpose()?;
    if let (Some(low), Some(high)) = (&min, &max) {
        if low.dimension != high.dimension || low.value > high.value {
            return Err(keys
                .error(
                    "max",
                    format!("`min = {low}` and `max = {high}` do not make a range"),
                )
                .because(PackCode::CheckRange));
        }
    }
    Ok(Box::new(Bounds { min, max }))
}

impl Check for Bounds {
    fn terms(&self) -> Terms {
        let min = self
            .min
            .iter()
            .map(|q| Term::new("min", &q.text, Form::Floor(Bound::of(q))));
        let max = self
            .max
            .iter()
            .map(|q| Term::new("max", &q.text, Form::Ceiling(Bound::of(q))));
        Terms {
            kind: KIND.name,
            terms: min.chain(max).collect(),
        }
    }

    fn kind(&self) -> &'static Kind {
        &KIND
    }

    fn takes(&self, branch: Branch) -> bool {
        match branch {
            Branch::Below => self.min.is_some(),
            Branch::Above => self.max.is_some(),
            _ => true,
        }
    }

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
            return Verdict::PASS;
        };
        let Some(found) = node
            .as_quantity()
            .filter(|q| q.dimension == reference.dimension)
        else {
            return Verdict::Fail(not_comparable(node, reference));
        };
        if let Some(min) = self.min.as_ref().filter(|min| found.value < min.value) {
            return Verdict::Fail(Failure::new(
                Branch::Below,
                format!("{found} is below the minimum {min}"),
            ));
        }
        if let Some(max) = self.max.as_ref().filter(|max| found.value > max.value) {
            return Verdict::Fail(Failure::new(
                Branch::Above,
                format!("{found} is above the maximum {max}"),
            ));
        }
        Verdict::PASS
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tester::{assert_branches, check, pack_errors};

    const SURGE: &str = "path = \"power.surge_withstand.voltage\"\nmin = \"100 V\"";
    const POWER: &str = "path = \"radio[*].tx_power\"\nmax = \"10 W\"";
    const SPACING: &str =
        "path = \"radio[*].channel_spacing\"\nmin = \"12.5 kHz\"\nmax = \"25 kHz\"";

    fn radio(key: &str, value: &str) -> String {
        format!("[[radio]]\nname = \"UHF\"\nbands = [\"225-400 MHz\"]\n{key} = \"{value}\"")
    }

    #[test]
    fn a_value_inside_the_limits_passes() {
        assert!(check(SURGE, "[power]\nsurge_withstand = \"150 V\"").passes());
        assert!(check(POWER, &radio("tx_power", "5 W")).passes());
        assert!(check(SPACING, &radio("channel_spacing", "20 kHz")).passes());
    }

    #[test]
    fn a_value_past_a_limit_fails_at_the_value() {
        let low = check(SURGE, "[power]\nsurge_withstand = { voltage = \"80 V\" }");
        assert_eq!(low.labels(), ["80 V is below the minimum 100 V"]);
        assert_eq!(low.at(), ["\"80 V\""]);
        let high = check(POWER, &radio("tx_power", "10.5 W"));
        assert_eq!(high.labels(), ["10.5 W is above the maximum 10 W"]);
        assert_eq!(high.only().path, "radio[0].tx_power");
        let wide = check(SPACING, &radio("channel_spacing", "8.33 kHz"));
        assert_eq!(wide.labels(), ["8.33 kHz is below the minimum 12.5 kHz"]);
    }

    #[test]
    fn an_absent_value_is_not_judged() {
        assert!(check(SURGE, "[power]\nsource = \"vehicle\"").passes());
        assert!(check(
            POWER,
            "[[radio]]\nname = \"UHF\"\nbands = [\"225-400 MHz\"]"
        )
        .passes());
    }

    #[test]
    fn limits_are_inclusive_and_exact_across_units() {
        assert!(check(SURGE, "[power]\nsurge_withstand = \"100 V\"").passes());
        assert!(check(SURGE, "[power]\nsurge_withstand = \"100000 mV\"").passes());
        assert!(check(POWER, &radio("tx_power", "10000 mW")).passes());
        assert!(check(SPACING, &radio("channel_spacing", "12.5 kHz")).passes());
        assert!(check(SPACING, &radio("channel_spacing", "25000 Hz")).passes());
        let just_below = check(SURGE, "[power]\nsurge_withstand = \"99.999 V\"");
        assert_eq!(just_below.labels(), ["99.999 V is below the minimum 100 V"]);
        let just_above = check(POWER, &radio("tx_power", "10001 mW"));
        assert_eq!(just_above.labels(), ["10001 mW is above the maximum 10 W"]);
    }

    #[test]
    fn another_dimension_fails_rather_than_passing_silently() {
        let tested = check(
            "path = \"radio[*].tx_power\"\nmax = \"10 V\"",
            &radio("tx_power", "10 W"),
        );
        assert_eq!(
            tested.labels(),
            ["this is a power; the rule compares a voltage"]
        );
    }

    #[test]
    fn each_branch_a_value_takes_is_counted() {
        use crate::check::Branch::{Above, Absent, Below, Passes};
        assert_branches(
            SPACING,
            &[
                (&radio("channel_spacing", "20 kHz"), &[Passes]),
                (&radio("channel_spacing", "8.33 kHz"), &[Below]),
                (&radio("channel_spacing", "50 kHz"), &[Above]),
                (
                    "[[radio]]\nname = \"UHF\"\nbands = [\"225-400 MHz\"]",
                    &[Absent],
                ),
            ],
        );
        // A floor alone has no `above` to cover.
        assert_branches(
            SURGE,
            &[
                ("[power]\nsurge_withstand = \"150 V\"", &[Passes]),
                ("[power]\nsurge_withstand = \"80 V\"", &[Below]),
                ("[power]\nsource = \"vehicle\"", &[Absent]),
            ],
        );
    }

    #[test]
    fn limits_that_make_no_range_are_a_pack_error() {
        let errors = pack_errors("path = \"radio[*].tx_power\"\nmin = \"10 W\"\nmax = \"5 W\"");
        assert_eq!(errors, ["`min = 10 W` and `max = 5 W` do not make a range"]);
    }
}
