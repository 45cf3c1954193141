//! Conditions on a product, for a pack's applicability and a rule's `when`: a value exists, is
//! one of a list, overlaps a range or matches a pattern.

use super::model::ConditionSpec;
use crate::input::Node;
use crate::path::Path;
use crate::quantity::{parse_range, quantity_of, Interval, Quantity};
use crate::term::normalise;

/// A condition on a product, for applicability and for a rule's `when`.
#[derive(Debug)]
pub struct Condition {
    path: Path,
    test: Test,
}

#[derive(Debug)]
enum Test {
    Exists(bool),
    In(Vec<Value>),
    Overlaps(Interval),
    Matches(regex::Regex),
}

/// A value of an `in` list: quantities compare exactly across units, names by spelling.
#[derive(Debug)]
enum Value {
    Quantity(Quantity),
    Name(String),
}

impl Value {
    fn parse(text: &str) -> Value {
        match quantity_of(text, None) {
            Some(q) => Value::Quantity(q),
            None => Value::Name(normalise(text)),
        }
    }

    /// Whether `node` is this value; `name` is the node's text through [`normalise`], if it
    /// is a string.
    fn matches(&self, node: &Node, name: Option<&str>) -> bool {
        match (self, node.as_quantity()) {
            (Value::Quantity(q), Some(found)) => {
                q.dimension == found.dimension && q.value == found.value
            }
            (Value::Name(wanted), _) => name == Some(wanted.as_str()),
            _ => false,
        }
    }
}

impl Condition {
    /// The condition in words, for remarks: "`power.surge_withstand` is declared".
    pub fn describe(&self) -> String {
        let path = &self.path;
        match &self.test {
            Test::Exists(true) => format!("`{path}` is declared"),
            Test::Exists(false) => format!("`{path}` is not declared"),
            Test::In(values) => {
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        Value::Quantity(q) => q.text.clone(),
                        Value::Name(n) => n.clone(),
                    })
                    .collect();
                format!("`{path}` is one of {}", shown.join(", "))
            }
            Test::Overlaps(_) => format!("a value of `{path}` overlaps the rule's range"),
            Test::Matches(re) => format!("`{path}` matches `{}`", re.as_str()),
        }
    }

    pub fn holds(&self, root: &Node) -> bool {
        let path = &self.path;
        match &self.test {
            Test::Exists(exists) => path.any(root, |_| true) == *exists,
            Test::In(values) => path.any(root, |node| {
                // The value's name is normalised once, not once per listed value.
                let name = node.as_str().map(normalise);
                values.iter().any(|v| v.matches(node, name.as_deref()))
            }),
            Test::Matches(re) => {
                path.any(root, |node| node.as_str().is_some_and(|v| re.is_match(v)))
            }
            Test::Overlaps(range) => path.any(root, |node| {
                crate::check::value_interval(node).is_some_and(|(i, _, _)| i.overlaps(range))
            }),
        }
    }
}

impl Condition {
    /// The condition `spec` asks of the values at `path` (a path the compiler has checked).
    pub(super) fn new(path: Path, spec: &ConditionSpec) -> Result<Condition, String> {
        let tests = [
            spec.exists.is_some(),
            spec.one_of.is_some(),
            spec.overlaps.is_some(),
            spec.matches.is_some(),
        ];
        if tests.iter().filter(|t| **t).count() > 1 {
            return Err(
                "a condition takes one of `exists`, `in`, `overlaps` or `matches`".to_owned(),
            );
        }
        let test = if let Some(values) = &spec.one_of {
            Test::In(values.iter().map(|v| Value::parse(v)).collect())
        } else if let Some(pattern) = &spec.matches {
            let re = regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("invalid regular expression `{pattern}`: {e}"))?;
            Test::Matches(re)
        } else if let Some(range) = &spec.overlaps {
            let [(low, _), (high, _)] =
                parse_range(range, None).map_err(|p| format!("`{range}`: {}", p.message))?;
            Test::Overlaps(Interval::new(&low, &high))
        } else {
            Test::Exists(spec.exists.unwrap_or(true))
        };
        Ok(Condition { path, test })
    }
}
