//! A rule's check keys as the pack wrote them: the rule's table with its spans. Each check kind
//! reads its own keys from here, so an error lands on the exact value that is wrong (the second
//! entry of `avoids`, the `max` of a `min`/`max` pair), not on the rule as a whole.

use serde::de::DeserializeOwned;

use crate::code::PackCode;
use crate::input::{Node, Value};
use crate::span::Span;

/// A pack mistake found while compiling a check: where it is and what is wrong.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct CompileError {
    pub span: Span,
    pub message: String,
    /// What kind of mistake; `pack/check` unless a kind says more.
    pub code: PackCode,
}

/// The keys of one rule, for the check kinds to read.
#[derive(Clone, Copy, Debug)]
pub struct Keys<'a> {
    rule: &'a Node,
}

impl<'a> Keys<'a> {
    pub fn new(rule: &'a Node) -> Keys<'a> {
        Keys { rule }
    }

    pub fn has(&self, key: &str) -> bool {
        self.rule.get(key).is_some()
    }

    /// The value written under `key`.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.rule.get(key)
    }

    /// A text key the kind needs (the pack schema has already checked its type).
    pub fn text(&self, key: &str) -> Result<&'a str, CompileError> {
        self.get(key)
            .and_then(Node::as_str)
            .ok_or_else(|| self.error(key, format!("`{key}` must be text")))
    }

    /// A boolean option; absent is false.
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key).map(|n| &n.value), Some(Value::Bool(true)))
    }

    /// The entries of an array key with their spans; absent is empty.
    pub fn items(&self, key: &str) -> &'a [Node] {
        match self.get(key).map(|n| &n.value) {
            Some(Value::Array(items)) => items,
            _ => &[],
        }
    }

    /// A structured key read into the kind's own spec type; `None` when absent.
    pub fn read<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, CompileError> {
        self.get(key)
            .map(|node| {
                serde_json::from_value(node.to_json())
                    .map_err(|e| CompileError::at(node, format!("`{key}`: {e}")))
            })
            .transpose()
    }

    /// A mistake placed on the value of `key` (on the rule when the key is absent).
    pub fn error(&self, key: &str, message: impl Into<String>) -> CompileError {
        CompileError::at(self.get(key).unwrap_or(self.rule), message)
    }
}

impl CompileError {
    /// A mistake placed on this value.
    pub fn at(node: &Node, message: impl Into<String>) -> CompileError {
        CompileError {
            span: node.span.clone(),
            message: message.into(),
            code: PackCode::Check,
        }
    }

    /// Names the kind of mistake more precisely than `pack/check`.
    pub fn because(mut self, code: PackCode) -> CompileError {
        self.code = code;
        self
    }
}
