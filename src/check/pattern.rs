//! `pattern`
//!
//! # What it checks
//! The whole value matches a regular expression (linear-time, size-limited by the regex crate).
//!
//! # Why it matters
//! Some values have a required form (an identifier scheme, a designation format) that no list
//! of names can enumerate.
//!
//! # Example
//! `path = "product.id"`, `pattern = "^[A-Z0-9-]+$"`
//!
//! # Fails on
//! `id = "acme radio"`

use regex::Regex;

use super::{Check, CompileError, Failure, Verdict};
use crate::input::Node;
use crate::pack::model::RuleSpec;

#[derive(Debug)]
struct Pattern(Regex);

pub(super) fn build(spec: &RuleSpec) -> Result<Box<dyn Check>, CompileError> {
    let text = spec.pattern.as_deref().unwrap_or_default();
    // Anchored so that the whole value must match, as pack authors expect.
    Regex::new(&format!("^(?:{text})$"))
        .map(|re| Box::new(Pattern(re)) as Box<dyn Check>)
        .map_err(|e| CompileError {
            key: "pattern",
            message: format!("invalid regular expression: {e}"),
        })
}

impl Check for Pattern {
    fn describe(&self) -> String {
        format!("matches `{}`", self.0.as_str())
    }

    fn judge(&self, node: &Node) -> Verdict {
        match node.as_str() {
            Some(text) if self.0.is_match(text) => Verdict::Pass,
            Some(text) => Verdict::Fail(Failure::new(format!(
                "`{text}` does not have the required form"
            ))),
            None => Verdict::Fail(Failure::new(format!("{}, not text", node.type_name()))),
        }
    }
}
