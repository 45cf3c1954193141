//! `within`, `covers`, `avoids`
//!
//! # What it checks
//! Range relations, with closed edges: a band lies `within` an allocation (a band whose max
//! equals the edge is within; with `overlapping_only`, bands wholly outside are not judged), an
//! input range `covers` the required one, and a band `avoids` protected frequencies.
//!
//! # Why it matters
//! A radio that transmits past its allocation interferes with other services; a power input
//! that stops short of the bus's range browns out; a band over 1030/1090 MHz jams IFF.
//!
//! # Example
//! `path = "radio[*].bands[*]"`, `within = "225-400 MHz"`, `overlapping_only = true`
//!
//! # Fails on
//! `bands = ["225-420 MHz"]` (the label names the upper edge crossed)

use serde_json::json;

use crate::code::PackCode;

use super::terms::{Form, Member, Term, Terms};
use super::{
    not_comparable, pack_range, show_range, value_interval, Branch, Check, CompileError, Failure,
    Keys, Kind, Verdict,
};
use crate::input::Node;
use crate::quantity::{Interval, Quantity};

/// A range from the pack, with the text it was written as, and its ends'.
#[derive(Debug)]
struct PackRange {
    interval: Interval,
    shown: Quantity,
    ends: [String; 2],
}

fn range(node: &Node) -> Result<PackRange, CompileError> {
    let (interval, shown, ends) = pack_range(node)?;
    Ok(PackRange {
        interval,
        shown,
        ends,
    })
}

/// The range written under `key`.
fn range_at(keys: &Keys, key: &str) -> Result<PackRange, CompileError> {
    match keys.get(key) {
        Some(node) if node.as_str().is_some() => range(node),
        _ => Err(keys.error(key, format!("`{key}` must be text"))),
    }
}

#[derive(Debug)]
struct Within {
    outer: PackRange,
    overlapping_only: bool,
}

pub(super) const WITHIN: Kind = Kind {
    name: "within",
    selects: &["within"],
    options: &["overlapping_only"],
    branches: &[
        Branch::Passes,
        Branch::Below,
        Branch::Above,
        Branch::Outside,
        Branch::Absent,
    ],
    summary: "the value or range lies within a range, edges inclusive",
    schema: || {
        json!({"properties": {
            "within": {
                "type": "string",
                "description": "A range the value must lie within (edges inclusive)."
            },
            "overlapping_only": {
                "type": "boolean",
                "description": "With `within`: judge only values that overlap the range."
            }
        }})
    },
    build: |keys| {
        Ok(Box::new(Within {
            outer: range_at(keys, "within")?,
            overlapping_only: keys.flag("overlapping_only"),
        }))
    },
};

impl Check for Within {
    fn terms(&self) -> Terms {
        let outer = &self.outer;
        let mut terms = Term::within(
            "within",
            &outer.interval,
            outer.shown.dimension,
            &outer.ends,
        )
        .to_vec();
        terms.push(Term::new(
            "overlapping_only",
            self.overlapping_only.to_string(),
            // Bands wholly outside are no longer judged.
            Form::Switch {
                on: self.overlapping_only,
                on_loosens: true,
            },
        ));
        Terms {
            kind: WITHIN.name,
            terms,
        }
    }

    fn kind(&self) -> &'static Kind {
        &WITHIN
    }

    fn takes(&self, branch: Branch) -> bool {
        branch != Branch::Outside || self.overlapping_only
    }

    fn describe(&self) -> String {
        let scope = if self.overlapping_only {
            " (values overlapping it)"
        } else {
            ""
        };
        format!(
            "lies within {}{scope}, edges inclusive",
            self.outer.shown.text
        )
    }

    fn judge(&self, node: &Node) -> Verdict {
        let outer = &self.outer;
        let Some((band, min, max)) = comparable(node, &outer.shown) else {
            return Verdict::Fail(not_comparable(node, &outer.shown));
        };
        if band.within(&outer.interval) {
            return Verdict::PASS;
        }
        if self.overlapping_only && !band.overlaps(&outer.interval) {
            return Verdict::Pass(Branch::Outside);
        }
        let allocation = &outer.shown.text;
        if max.value > outer.interval.max {
            Verdict::Fail(
                Failure::new(
                    Branch::Above,
                    format!(
                        "{} runs past the upper edge of {allocation}",
                        show_range(min, max)
                    ),
                )
                .at("max"),
            )
        } else {
            Verdict::Fail(
                Failure::new(
                    Branch::Below,
                    format!(
                        "{} starts below the lower edge of {allocation}",
                        show_range(min, max)
                    ),
                )
                .at("min"),
            )
        }
    }
}

#[derive(Debug)]
struct Covers(PackRange);

pub(super) const COVERS: Kind = Kind {
    name: "covers",
    selects: &["covers"],
    options: &[],
    branches: &[Branch::Passes, Branch::Below, Branch::Above, Branch::Absent],
    summary: "the range covers a required range",
    schema: || {
        json!({"properties": {"covers": {
            "type": "string",
            "description": "A range the value must cover."
        }}})
    },
    build: |keys| Ok(Box::new(Covers(range_at(keys, "covers")?))),
};

impl Check for Covers {
    fn terms(&self) -> Terms {
        Terms {
            kind: COVERS.name,
            terms: Term::covers(
                "covers",
                &self.0.interval,
                self.0.shown.dimension,
                &self.0.ends,
            )
            .to_vec(),
        }
    }

    fn kind(&self) -> &'static Kind {
        &COVERS
    }

    fn describe(&self) -> String {
        format!("covers {}", self.0.shown.text)
    }

    fn judge(&self, node: &Node) -> Verdict {
        let required = &self.0;
        let Some((range, min, max)) = comparable(node, &required.shown) else {
            return Verdict::Fail(not_comparable(node, &required.shown));
        };
        if range.covers(&required.interval) {
            return Verdict::PASS;
        }
        let shown = show_range(min, max);
        let needed = &required.shown.text;
        if min.value > required.interval.min {
            Verdict::Fail(
                Failure::new(
                    Branch::Below,
                    format!("{shown} does not reach down to the low end of {needed}"),
                )
                .at("min"),
            )
        } else {
            Verdict::Fail(
                Failure::new(
                    Branch::Above,
                    format!("{shown} does not reach up to the high end of {needed}"),
                )
                .at("max"),
            )
        }
    }
}

#[derive(Debug)]
struct Avoids(Vec<PackRange>);

pub(super) const AVOIDS: Kind = Kind {
    name: "avoids",
    selects: &["avoids"],
    options: &[],
    branches: &[Branch::Passes, Branch::Notch, Branch::Absent],
    summary: "the value or range reaches none of some quantities or ranges, edges included",
    schema: || {
        json!({"properties": {"avoids": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string"},
            "description": "Quantities or ranges the value must not contain or touch."
        }}})
    },
    build: build_avoids,
};

fn build_avoids(keys: &Keys) -> Result<Box<dyn Check>, CompileError> {
    let items = keys.items("avoids");
    let ranges = items.iter().map(range).collect::<Result<Vec<_>, _>>()?;
    if let Some(i) =
        (1..ranges.len()).find(|&i| ranges[i].shown.dimension != ranges[0].shown.dimension)
    {
        return Err(
            CompileError::at(&items[i], "the values to avoid mix dimensions")
                .because(PackCode::CheckQuantity),
        );
    }
    Ok(Box::new(Avoids(ranges)))
}

impl Check for Avoids {
    fn terms(&self) -> Terms {
        let shown: Vec<&str> = self.0.iter().map(|r| r.shown.text.as_str()).collect();
        let members = self
            .0
            .iter()
            .map(|r| {
                let key = format!(
                    "{:?}={}..{}",
                    r.shown.dimension, r.interval.min, r.interval.max
                );
                Member::new(vec![key], &r.shown.text)
            })
            .collect();
        Terms {
            kind: AVOIDS.name,
            terms: vec![Term::new(
                "avoids",
                shown.join(", "),
                Form::Failing(members),
            )],
        }
    }

    fn kind(&self) -> &'static Kind {
        &AVOIDS
    }

    fn describe(&self) -> String {
        let items: Vec<&str> = self.0.iter().map(|r| r.shown.text.as_str()).collect();
        format!("reaches none of {}", items.join(", "))
    }

    fn judge(&self, node: &Node) -> Verdict {
        let Some(first) = self.0.first() else {
            return Verdict::PASS;
        };
        let Some((range, min, max)) = comparable(node, &first.shown) else {
            return Verdict::Fail(not_comparable(node, &first.shown));
        };
        // Closed on purpose: a band that ends exactly on a protected frequency still reaches it.
        let touched = self
            .0
            .iter()
            .find(|avoid| avoid.interval.min <= range.max && range.min <= avoid.interval.max);
        match touched {
            Some(avoid) => Verdict::Fail(Failure::new(
                Branch::Notch,
                format!(
                    "{} reaches {}, which must be kept clear",
                    show_range(min, max),
                    avoid.shown.text
                ),
            )),
            None => Verdict::PASS,
        }
    }
}

fn comparable<'a>(
    node: &'a Node,
    reference: &Quantity,
) -> Option<(Interval, &'a Quantity, &'a Quantity)> {
    value_interval(node).filter(|(_, min, _)| min.dimension == reference.dimension)
}

#[cfg(test)]
mod tests {
    use crate::check::tester::{assert_branches, check, pack_errors};

    const AIR_BAND: &str = "path = \"radio[*].bands[*]\"\nwithin = \"225-400 MHz\"";
    const STEADY_STATE: &str = "path = \"power.input_voltage\"\ncovers = \"20-33 V\"";
    const IFF: &str = "path = \"radio[*].bands[*]\"\navoids = [\"1030 MHz\", \"1090 MHz\"]";

    fn bands(bands: &str) -> String {
        format!("[[radio]]\nname = \"R\"\nbands = [{bands}]")
    }

    fn overlapping_only() -> String {
        format!("{AIR_BAND}\noverlapping_only = true")
    }

    #[test]
    fn within_passes_inside_and_on_both_edges() {
        assert!(check(AIR_BAND, &bands("\"230-380 MHz\"")).passes());
        assert!(check(AIR_BAND, &bands("\"225-400 MHz\"")).passes());
        assert!(check(
            AIR_BAND,
            &bands("{ min = \"225000 kHz\", max = \"0.4 GHz\" }")
        )
        .passes());
    }

    #[test]
    fn within_fails_at_the_edge_crossed() {
        let high = check(AIR_BAND, &bands("\"225-420 MHz\""));
        assert_eq!(
            high.labels(),
            ["225 MHz–420 MHz runs past the upper edge of 225-400 MHz"]
        );
        assert_eq!(high.at(), ["420 MHz"]);
        assert_eq!(high.only().path, "radio[0].bands[0].max");
        let low = check(AIR_BAND, &bands("\"230-380 MHz\", \"224.975-300 MHz\""));
        assert_eq!(low.only().path, "radio[0].bands[1].min");
        assert_eq!(low.at(), ["224.975"]);
    }

    #[test]
    fn within_judges_bands_wholly_outside_unless_overlapping_only() {
        let vhf = bands("\"30-88 MHz\"");
        assert_eq!(
            check(AIR_BAND, &vhf).labels(),
            ["30 MHz–88 MHz starts below the lower edge of 225-400 MHz"]
        );
        assert!(check(&overlapping_only(), &vhf).passes());
    }

    #[test]
    fn overlapping_only_leaves_a_band_that_only_touches_an_edge_alone() {
        let rule = overlapping_only();
        // Sharing only the edge frequency is not overlapping (400–512 MHz beside 225–400 MHz).
        assert!(check(&rule, &bands("\"400-512 MHz\"")).passes());
        assert!(check(&rule, &bands("\"156-225 MHz\"")).passes());
        // One step inside is overlapping, and the part past the edge fails.
        let inside = check(&rule, &bands("\"399.975-512 MHz\""));
        assert_eq!(inside.at(), ["512 MHz"]);
        let below = check(&rule, &bands("\"156-225.025 MHz\""));
        assert_eq!(below.at(), ["156"]);
    }

    #[test]
    fn an_absent_range_is_not_judged() {
        assert!(check(STEADY_STATE, "[power]\nsource = \"vehicle\"").passes());
        assert!(check(IFF, "[power]\nsource = \"vehicle\"").passes());
    }

    #[test]
    fn covers_passes_a_range_that_reaches_both_ends() {
        assert!(check(STEADY_STATE, "[power]\ninput_voltage = \"18-36 V\"").passes());
        assert!(check(STEADY_STATE, "[power]\ninput_voltage = \"20-33 V\"").passes());
        let table = "[power]\ninput_voltage = { min = \"20000 mV\", max = \"33 V\" }";
        assert!(check(STEADY_STATE, table).passes());
    }

    #[test]
    fn covers_fails_at_the_end_that_falls_short() {
        let low = check(STEADY_STATE, "[power]\ninput_voltage = \"22-33 V\"");
        assert_eq!(
            low.labels(),
            ["22 V–33 V does not reach down to the low end of 20-33 V"]
        );
        assert_eq!(low.only().path, "power.input_voltage.min");
        let high = check(
            STEADY_STATE,
            "[power]\ninput_voltage = { min = \"18 V\", max = \"32.9 V\" }",
        );
        assert_eq!(
            high.labels(),
            ["18 V–32.9 V does not reach up to the high end of 20-33 V"]
        );
        assert_eq!(high.at(), ["\"32.9 V\""]);
    }

    #[test]
    fn avoids_passes_between_and_fails_on_a_protected_point_even_at_an_edge() {
        assert!(check(IFF, &bands("\"960-1029 MHz\", \"1031-1089 MHz\"")).passes());
        let edge = check(IFF, &bands("\"960-1030 MHz\""));
        assert_eq!(
            edge.labels(),
            ["960 MHz–1030 MHz reaches 1030 MHz, which must be kept clear"]
        );
        let over = check(IFF, &bands("\"960-1029 MHz\", \"1089-1100 MHz\""));
        assert_eq!(over.only().path, "radio[0].bands[1]");
        assert_eq!(over.at(), ["\"1089-1100 MHz\""]);
    }

    #[test]
    fn a_pack_range_of_another_dimension_than_the_value_fails() {
        let tested = check(
            "path = \"power.input_voltage\"\ncovers = \"20-33 MHz\"",
            "[power]\ninput_voltage = \"20-33 V\"",
        );
        assert_eq!(
            tested.labels(),
            ["this is a voltage; the rule compares a frequency"]
        );
    }

    #[test]
    fn each_branch_a_range_takes_is_counted() {
        use crate::check::Branch::{Above, Absent, Below, Notch, Outside, Passes};
        let nothing = "[power]\nsource = \"vehicle\"";
        assert_branches(
            AIR_BAND,
            &[
                (&bands("\"230-380 MHz\""), &[Passes]),
                (&bands("\"225-420 MHz\""), &[Above]),
                (&bands("\"30-88 MHz\""), &[Below]),
                (nothing, &[Absent]),
            ],
        );
        assert_branches(
            &overlapping_only(),
            &[
                (&bands("\"230-380 MHz\""), &[Passes]),
                (&bands("\"225-420 MHz\""), &[Above]),
                (&bands("\"156-225.025 MHz\""), &[Below]),
                (&bands("\"30-88 MHz\""), &[Outside]),
                (nothing, &[Absent]),
            ],
        );
        assert_branches(
            STEADY_STATE,
            &[
                ("[power]\ninput_voltage = \"18-36 V\"", &[Passes]),
                ("[power]\ninput_voltage = \"22-33 V\"", &[Below]),
                ("[power]\ninput_voltage = \"18-32.9 V\"", &[Above]),
                (nothing, &[Absent]),
            ],
        );
        assert_branches(
            IFF,
            &[
                (&bands("\"960-1029 MHz\""), &[Passes]),
                (&bands("\"960-1030 MHz\""), &[Notch]),
                (
                    &bands("\"960-1029 MHz\", \"1089-1100 MHz\""),
                    &[Passes, Notch],
                ),
                (nothing, &[Absent]),
            ],
        );
    }

    #[test]
    fn a_pack_range_upside_down_or_mixed_is_a_pack_error() {
        assert_eq!(
            pack_errors("path = \"power.input_voltage\"\ncovers = \"33-20 V\""),
            ["`33-20 V`: the minimum is above the maximum"]
        );
        assert_eq!(
            pack_errors("path = \"radio[*].bands[*]\"\navoids = [\"1030 MHz\", \"28 V\"]"),
            ["the values to avoid mix dimensions"]
        );
    }
}
