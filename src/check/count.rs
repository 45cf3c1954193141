//! `count`
//!
//! # What it checks
//! How many values the path reaches: at least `min`, at most `max`. None at all is a count of
//! 0, so `min = 1` fails where the values would be, as a missing required value does.
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

use serde::Deserialize;
use serde_json::json;

use crate::code::PackCode;

use super::terms::{Bound, Form, Term, Terms};
use super::{Branch, Check, CompileError, Failure, Keys, Kind, Verdict};
use crate::input::Node;

#[derive(Debug)]
struct Count {
    min: Option<usize>,
    max: Option<usize>,
}

/// `count = { min, max }` as a pack writes it.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
struct CountSpec {
    min: Option<usize>,
    max: Option<usize>,
}

pub(super) const KIND: Kind = Kind {
    name: "count",
    selects: &["count"],
    options: &[],
    branches: &[Branch::Passes, Branch::Below, Branch::Above, Branch::Absent],
    summary: "the path reaches at least `min` and at most `max` values",
    schema: || {
        json!({"properties": {"count": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "min": {"type": "integer", "minimum": 0},
                "max": {"type": "integer", "minimum": 0}
            }
        }}})
    },
    build,
};

fn build(keys: &Keys) -> Result<Box<dyn Check>, CompileError> {
    let count: CountSpec = keys.read("count")?.unwrap_or_default();
    if let (Some(min), Some(max)) = (count.min, count.max) {
        if min > max {
            return Err(keys
                .error("count", format!("`min = {min}` is above `max = {max}`"))
                .because(PackCode::CheckRange));
        }
    }
    Ok(Box::new(Count {
        min: count.min,
        max: count.max,
    }))
}

impl Check for Count {
    fn terms(&self) -> Terms {
        let min = self
            .min
            .map(|n| Term::new("count.min", n.to_string(), Form::Floor(Bound::count(n))));
        let max = self
            .max
            .map(|n| Term::new("count.max", n.to_string(), Form::Ceiling(Bound::count(n))));
        Terms {
            kind: KIND.name,
            terms: min.into_iter().chain(max).collect(),
        }
    }

    fn kind(&self) -> &'static Kind {
        &KIND
    }

    fn takes(&self, branch: Branch) -> bool {
        match branch {
            Branch::Below => self.min.is_some_and(|min| min > 0),
            Branch::Above => self.max.is_some(),
            _ => true,
        }
    }

    fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(min), Some(max)) => format!("between {min} and {max} of them"),
            (Some(min), None) => format!("at least {min} of them"),
            (None, Some(max)) => format!("at most {max} of them"),
            (None, None) => "any number of them".to_owned(),
        }
    }

    fn judge(&self, _node: &Node) -> Verdict {
        Verdict::PASS
    }

    fn judge_all(&self, nodes: &[&Node]) -> Vec<(Option<usize>, Verdict)> {
        let n = nodes.len();
        if let Some(min) = self.min.filter(|&min| n < min) {
            return vec![(
                nodes.first().map(|_| 0),
                Verdict::Fail(Failure::new(
                    Branch::Below,
                    format!("{n} found, at least {min} required"),
                )),
            )];
        }
        if let Some(max) = self.max.filter(|&max| n > max) {
            return vec![(
                Some(max),
                Verdict::Fail(Failure::new(
                    Branch::Above,
                    format!("{n} found, at most {max} allowed"),
                )),
            )];
        }
        // One verdict for the whole count, about no one value.
        vec![(None, Verdict::PASS)]
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tester::{assert_branches, check, pack_errors};

    fn connectors(functions: &[&str]) -> String {
        functions
            .iter()
            .enumerate()
            .map(|(i, f)| {
                format!(
                    "[[connector]]\nname = \"J{i}\"\ntype = \"NATO slave\"\nfunction = \"{f}\"\n"
                )
            })
            .collect()
    }

    const AT_MOST_ONE: &str = "path = \"connector[function=trailer]\"\ncount = { max = 1 }";
    const AT_LEAST_ONE: &str = "path = \"connector[function=trailer]\"\ncount = { min = 1 }";
    const TWO_OR_THREE: &str = "path = \"connector[function=power]\"\ncount = { min = 2, max = 3 }";

    #[test]
    fn a_count_within_the_limits_passes() {
        assert!(check(AT_MOST_ONE, &connectors(&["trailer", "power"])).passes());
        assert!(check(AT_LEAST_ONE, &connectors(&["power", "trailer"])).passes());
        assert!(check(TWO_OR_THREE, &connectors(&["power", "power", "data"])).passes());
    }

    #[test]
    fn one_too_many_fails_at_the_first_one_past_the_limit() {
        let tested = check(AT_MOST_ONE, &connectors(&["trailer", "power", "trailer"]));
        assert_eq!(tested.labels(), ["2 found, at most 1 allowed"]);
        assert_eq!(tested.only().path, "connector[2]");
    }

    #[test]
    fn too_few_fails_at_the_first_one() {
        let tested = check(TWO_OR_THREE, &connectors(&["data", "power"]));
        assert_eq!(tested.labels(), ["1 found, at least 2 required"]);
        assert_eq!(tested.only().path, "connector[1]");
    }

    #[test]
    fn the_limits_are_inclusive() {
        assert!(check(TWO_OR_THREE, &connectors(&["power", "power"])).passes());
        assert!(check(TWO_OR_THREE, &connectors(&["power"; 3])).passes());
        let four = check(TWO_OR_THREE, &connectors(&["power"; 4]));
        assert_eq!(four.labels(), ["4 found, at most 3 allowed"]);
    }

    #[test]
    fn none_passes_a_maximum() {
        assert!(check(AT_MOST_ONE, &connectors(&["power"])).passes());
        assert!(check(AT_MOST_ONE, "[power]\nsource = \"vehicle\"").passes());
    }

    #[test]
    fn none_fails_a_minimum_at_the_table_they_belong_in() {
        // Regression: the engine returned before the count was judged when nothing matched.
        let tested = check(AT_LEAST_ONE, &connectors(&["power"]));
        assert_eq!(tested.labels(), ["0 found, at least 1 required"]);
        assert_eq!(tested.at(), ["connector"]);
        let no_connectors = check(AT_LEAST_ONE, "[power]\nsource = \"vehicle\"");
        assert_eq!(no_connectors.labels(), ["0 found, at least 1 required"]);
        assert_eq!(no_connectors.only().path, "");
    }

    #[test]
    fn none_that_is_required_is_reported_once_as_missing() {
        let rule = format!("{AT_LEAST_ONE}\nrequired = true");
        let tested = check(&rule, &connectors(&["power"]));
        assert_eq!(
            tested.labels(),
            ["`connector[function=trailer]` is missing"]
        );
    }

    #[test]
    fn each_branch_a_count_takes_is_counted() {
        use crate::check::Branch::{Above, Absent, Below, Passes};
        assert_branches(
            TWO_OR_THREE,
            &[
                (&connectors(&["power", "power"]), &[Passes]),
                (&connectors(&["data", "power"]), &[Below]),
                (&connectors(&["power"; 4]), &[Above]),
                // None at all: the path reaches nothing, and a count of 0 is below 2.
                (&connectors(&["data"]), &[Absent, Below]),
            ],
        );
        // A ceiling alone is never below; none at all passes it.
        assert_branches(
            AT_MOST_ONE,
            &[
                (&connectors(&["trailer", "trailer"]), &[Above]),
                (&connectors(&["power"]), &[Absent, Passes]),
            ],
        );
    }

    #[test]
    fn a_minimum_above_the_maximum_is_a_pack_error() {
        assert_eq!(
            pack_errors("path = \"connector[*]\"\ncount = { min = 3, max = 2 }"),
            ["`min = 3` is above `max = 2`"]
        );
    }
}
