//! `count`
//!
//! # What it checks
//! How many values the path reaches: at least `min`, at most `max`.
//!
//! # Why it matters
//! Some requirements are about how many of a thing a product has (one trailer socket, a
//! bounded number of terminals), not about any one of them.
//!
//! # Example
//! `path = "connector[function=trailer]"`, `count = { max = 1 }`
//!
//! # Fails on
//! Two `[[connector]]` tables with `function = "trailer"`.

use super::{Check, CompileError, Failure, Verdict};
use crate::input::Node;
use crate::pack::model::RuleSpec;
use crate::path::Match;

#[derive(Debug)]
struct Count {
    min: Option<usize>,
    max: Option<usize>,
}

pub(super) fn build(spec: &RuleSpec) -> Result<Box<dyn Check>, CompileError> {
    let count = spec.count.unwrap_or(crate::pack::model::CountSpec {
        min: None,
        max: None,
    });
    if let (Some(min), Some(max)) = (count.min, count.max) {
        if min > max {
            return Err(CompileError {
                key: "count",
                message: format!("`min = {min}` is above `max = {max}`"),
            });
        }
    }
    Ok(Box::new(Count {
        min: count.min,
        max: count.max,
    }))
}

impl Check for Count {
    fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(min), Some(max)) => format!("between {min} and {max} of them"),
            (Some(min), None) => format!("at least {min} of them"),
            (None, Some(max)) => format!("at most {max} of them"),
            (None, None) => "any number of them".to_owned(),
        }
    }

    fn judge(&self, _node: &Node) -> Verdict {
        Verdict::Pass
    }

    fn judge_all(&self, matches: &[Match]) -> Vec<(Option<usize>, Failure)> {
        let n = matches.len();
        if let Some(min) = self.min.filter(|&min| n < min) {
            return vec![(
                matches.first().map(|_| 0),
                Failure::new(format!("{n} found, at least {min} required")),
            )];
        }
        if let Some(max) = self.max.filter(|&max| n > max) {
            return vec![(
                Some(max),
                Failure::new(format!("{n} found, at most {max} allowed")),
            )];
        }
        Vec::new()
    }
}
