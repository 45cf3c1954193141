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

use super::{
    not_comparable, pack_range, show_range, value_interval, Check, CompileError, Failure, Verdict,
};
use crate::input::Node;
use crate::pack::model::RuleSpec;
use crate::quantity::{Interval, Quantity};

/// A range from the pack, with the text it was written as.
#[derive(Debug)]
struct PackRange {
    interval: Interval,
    shown: Quantity,
}

fn range(text: &str, key: &'static str) -> Result<PackRange, CompileError> {
    let (interval, shown) = pack_range(text, key)?;
    Ok(PackRange { interval, shown })
}

#[derive(Debug)]
struct Within {
    outer: PackRange,
    overlapping_only: bool,
}

pub(super) fn build_within(spec: &RuleSpec) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(Within {
        outer: range(spec.within.as_deref().unwrap_or_default(), "within")?,
        overlapping_only: spec.overlapping_only,
    }))
}

impl Check for Within {
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
        if band.within(&outer.interval)
            || (self.overlapping_only && !band.overlaps(&outer.interval))
        {
            return Verdict::Pass;
        }
        let allocation = &outer.shown.text;
        if max.value > outer.interval.max {
            Verdict::Fail(
                Failure::new(format!(
                    "{} runs past the upper edge of {allocation}",
                    show_range(min, max)
                ))
                .at("max"),
            )
        } else {
            Verdict::Fail(
                Failure::new(format!(
                    "{} starts below the lower edge of {allocation}",
                    show_range(min, max)
                ))
                .at("min"),
            )
        }
    }
}

#[derive(Debug)]
struct Covers(PackRange);

pub(super) fn build_covers(spec: &RuleSpec) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(Covers(range(
        spec.covers.as_deref().unwrap_or_default(),
        "covers",
    )?)))
}

impl Check for Covers {
    fn describe(&self) -> String {
        format!("covers {}", self.0.shown.text)
    }

    fn judge(&self, node: &Node) -> Verdict {
        let required = &self.0;
        let Some((range, min, max)) = comparable(node, &required.shown) else {
            return Verdict::Fail(not_comparable(node, &required.shown));
        };
        if range.covers(&required.interval) {
            return Verdict::Pass;
        }
        let shown = show_range(min, max);
        let needed = &required.shown.text;
        if min.value > required.interval.min {
            Verdict::Fail(
                Failure::new(format!(
                    "{shown} does not reach down to the low end of {needed}"
                ))
                .at("min"),
            )
        } else {
            Verdict::Fail(
                Failure::new(format!(
                    "{shown} does not reach up to the high end of {needed}"
                ))
                .at("max"),
            )
        }
    }
}

#[derive(Debug)]
struct Avoids(Vec<PackRange>);

pub(super) fn build_avoids(spec: &RuleSpec) -> Result<Box<dyn Check>, CompileError> {
    let items = spec.avoids.as_deref().unwrap_or_default();
    let ranges = items
        .iter()
        .map(|text| range(text, "avoids"))
        .collect::<Result<Vec<_>, _>>()?;
    if ranges
        .windows(2)
        .any(|w| w[0].shown.dimension != w[1].shown.dimension)
    {
        return Err(CompileError {
            key: "avoids",
            message: "the values to avoid mix dimensions".to_owned(),
        });
    }
    Ok(Box::new(Avoids(ranges)))
}

impl Check for Avoids {
    fn describe(&self) -> String {
        let items: Vec<&str> = self.0.iter().map(|r| r.shown.text.as_str()).collect();
        format!("reaches none of {}", items.join(", "))
    }

    fn judge(&self, node: &Node) -> Verdict {
        let Some(first) = self.0.first() else {
            return Verdict::Pass;
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
            Some(avoid) => Verdict::Fail(Failure::new(format!(
                "{} reaches {}, which must be kept clear",
                show_range(min, max),
                avoid.shown.text
            ))),
            None => Verdict::Pass,
        }
    }
}

fn comparable<'a>(
    node: &'a Node,
    reference: &Quantity,
) -> Option<(Interval, &'a Quantity, &'a Quantity)> {
    value_interval(node).filter(|(_, min, _)| min.dimension == reference.dimension)
}
