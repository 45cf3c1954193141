//! Check kinds: what a rule asks of the values its path reaches.
//!
//! Each kind lives in its own file, implements [`Check`], and is listed once in [`REGISTRY`]
//! under the pack keys that select it. Adding a kind is one file, one registry line, fixtures.
//! Each kind's file ends with its cases (pass, fail, absent, edge), all run through the one
//! `tester`: a rule written as in a pack, a product written as in a product file.

mod bounds;
mod count;
mod equals;
mod interval;
mod one_of;
mod pattern;
pub mod spec;

use std::fmt::Debug;

use crate::input::Node;
use crate::level::Level;
use crate::path::Match;
use crate::quantity::{parse_quantity, parse_range, quantity_of, Interval, Quantity};
use spec::CheckKeys;

/// How one reached value fares against a check.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Pass,
    Fail(Failure),
}

/// Why a value fails: the label shown at it, an optional fix, and optionally the child key
/// (`min`, `max`) that is at fault, so the label lands on the exact end of a range.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub at: Option<&'static str>,
    pub label: String,
    pub help: Option<String>,
    /// Overrides the rule's level: a deprecated spelling passes with a `may` note.
    pub level: Option<Level>,
    /// The value cannot show conformance by itself: the finding asks for evidence
    /// (`evidence-required`) instead of failing (a bare "155 mm" for the JBMoU).
    pub evidence_required: bool,
}

impl Failure {
    pub fn new(label: impl Into<String>) -> Failure {
        Failure {
            at: None,
            label: label.into(),
            help: None,
            level: None,
            evidence_required: false,
        }
    }

    /// A note at `may` level: the value passes, but something about it is worth saying.
    pub fn note(label: impl Into<String>) -> Failure {
        Failure {
            level: Some(Level::May),
            ..Failure::new(label)
        }
    }

    pub fn at(mut self, key: &'static str) -> Failure {
        self.at = Some(key);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Failure {
        self.help = Some(help.into());
        self
    }
}

/// A compiled check. Compiled once per pack, immutable, shared across threads.
pub trait Check: Send + Sync + Debug {
    /// Judges one value the rule's path reached.
    fn judge(&self, node: &Node) -> Verdict;

    /// What the check asks, in a line, for `formfit rules show`.
    fn describe(&self) -> String;

    /// Judges all reached values together; `None` places a failure where the values would be.
    /// Most kinds judge each value alone.
    fn judge_all(&self, matches: &[Match]) -> Vec<(Option<usize>, Failure)> {
        matches
            .iter()
            .enumerate()
            .filter_map(|(i, m)| match self.judge(m.node) {
                Verdict::Pass => None,
                Verdict::Fail(f) => Some((Some(i), f)),
            })
            .collect()
    }
}

/// A pack mistake found while compiling a check: the rule key it belongs to and what is wrong.
#[derive(Clone, Debug)]
pub struct CompileError {
    pub key: &'static str,
    pub message: String,
}

type Build = fn(&CheckKeys) -> Result<Box<dyn Check>, CompileError>;

/// Every check kind: the rule keys that select it, and how to build it.
pub const REGISTRY: &[(&[&str], Build)] = &[
    (&["equals"], equals::build),
    (&["one_of"], one_of::build),
    (&["min", "max"], bounds::build),
    (&["within"], interval::build_within),
    (&["covers"], interval::build_covers),
    (&["avoids"], interval::build_avoids),
    (&["pattern"], pattern::build),
    (&["count"], count::build),
];

/// The keys of a rule spec that are present, by name, for registry look-ups.
pub fn present_keys(spec: &CheckKeys) -> Vec<&'static str> {
    let mut keys = Vec::new();
    let mut add = |present: bool, key: &'static str| {
        if present {
            keys.push(key);
        }
    };
    add(spec.equals.is_some(), "equals");
    add(spec.one_of.is_some(), "one_of");
    add(spec.min.is_some(), "min");
    add(spec.max.is_some(), "max");
    add(spec.within.is_some(), "within");
    add(spec.covers.is_some(), "covers");
    add(spec.avoids.is_some(), "avoids");
    add(spec.pattern.is_some(), "pattern");
    add(spec.count.is_some(), "count");
    keys
}

/// A quantity written in a pack, with the key it came from for error placement.
pub(crate) fn pack_quantity(text: &str, key: &'static str) -> Result<Quantity, CompileError> {
    parse_quantity(text, None).map_err(|p| CompileError {
        key,
        message: format!("`{text}`: {}", p.message),
    })
}

/// A range written in a pack ("225-400 MHz"), or a single quantity as a one-point range.
pub(crate) fn pack_range(
    text: &str,
    key: &'static str,
) -> Result<(Interval, Quantity), CompileError> {
    if let Some(q) = quantity_of(text, None) {
        return Ok((Interval::new(&q, &q), q));
    }
    let [(low, _), (high, _)] = parse_range(text, None).map_err(|p| CompileError {
        key,
        message: format!("`{text}`: {}", p.message),
    })?;
    if low.value > high.value {
        return Err(CompileError {
            key,
            message: format!("`{text}`: the minimum is above the maximum"),
        });
    }
    let mut shown = low.clone();
    shown.text = text.to_owned();
    Ok((Interval::new(&low, &high), shown))
}

/// The interval a product value spans: a `{min, max}` table or a single quantity (one point).
pub(crate) fn value_interval(node: &Node) -> Option<(Interval, &Quantity, &Quantity)> {
    if let Some(q) = node.as_quantity() {
        return Some((Interval::new(q, q), q, q));
    }
    let min = node.get("min")?.as_quantity()?;
    let max = node.get("max")?.as_quantity()?;
    (min.dimension == max.dimension).then(|| (Interval::new(min, max), min, max))
}

/// `225 MHz–420 MHz`, or the single value when both ends are equal.
pub(crate) fn show_range(min: &Quantity, max: &Quantity) -> String {
    if min.text == max.text {
        min.text.clone()
    } else {
        format!("{}–{}", min.text, max.text)
    }
}

/// A failure for a value of the wrong dimension or shape: never a silent pass.
pub(crate) fn not_comparable(node: &Node, expected: &Quantity) -> Failure {
    // A range is named by what it ranges over, not by the table it was normalised into.
    let found = match value_interval(node) {
        Some((_, q, _)) => q.dimension.name(),
        None => node.type_name(),
    };
    Failure::new(format!(
        "this is {found}; the rule compares {}",
        expected.dimension.name()
    ))
}

/// The one tester of check kinds (it runs the engine, so it lives there).
#[cfg(test)]
pub(crate) use crate::engine::tester;

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::check::tester::{pack, run};

    /// Wraps a compiled check and counts the values it judges.
    #[derive(Debug)]
    struct Counted {
        inner: Box<dyn Check>,
        judged: Arc<AtomicUsize>,
    }

    impl Check for Counted {
        fn judge(&self, node: &Node) -> Verdict {
            self.judged.fetch_add(1, Ordering::Relaxed);
            self.inner.judge(node)
        }

        fn describe(&self) -> String {
            self.inner.describe()
        }
    }

    const ANY_COVERS: &str =
        "path = \"radio[*].bands[*]\"\nany = true\ncovers = \"225-399.975 MHz\"";

    /// How many times the rule judged a value, and the labels it gave.
    fn judged(rule: &str, product: &str) -> (usize, Vec<String>) {
        let mut pack = pack(rule);
        let judged = Arc::new(AtomicUsize::new(0));
        let inner = pack.rules[0].check.take().expect("the rule has a check");
        pack.rules[0].check = Some(Box::new(Counted {
            inner,
            judged: judged.clone(),
        }));
        let tested = run(pack, product);
        let labels = tested.labels().into_iter().map(str::to_owned).collect();
        (judged.load(Ordering::Relaxed), labels)
    }

    #[test]
    fn an_any_rule_judges_each_value_once() {
        let three =
            "[[radio]]\nname = \"R\"\nbands = [\"30-88 MHz\", \"225-300 MHz\", \"300-400 MHz\"]";
        let (count, labels) = judged(ANY_COVERS, three);
        assert_eq!(count, 3);
        assert_eq!(
            labels,
            ["30 MHz–88 MHz does not reach up to the high end of 225-399.975 MHz"]
        );
        let passing = "[[radio]]\nname = \"R\"\nbands = [\"30-88 MHz\", \"225-400 MHz\"]";
        let (count, labels) = judged(ANY_COVERS, passing);
        assert!(count <= 2, "judged {count} times");
        assert!(labels.is_empty(), "{labels:?}");
    }
}
