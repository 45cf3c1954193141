//! Strict JSON → [`Node`]: jsonc-parser with every leniency turned off.

use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{Builder, Entry, Limits, Node, Value};
use crate::code::InputCode;
use crate::diagnostic::Problem;

pub(super) fn parse(text: &str, limits: &Limits) -> Result<Node, Vec<Problem>> {
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let result =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict).map_err(|e| {
            let range = e.range();
            vec![Problem::new(
                InputCode::InvalidJson,
                format!("invalid JSON: {}", e.kind()),
                range.start..range.end.max(range.start),
            )
            .with_label("here")]
        })?;
    let Some(value) = result.value else {
        return Err(vec![Problem::new(
            InputCode::Empty,
            "the JSON file is empty",
            0..0,
        )]);
    };
    let mut builder = Builder {
        limits,
        problems: Vec::new(),
    };
    let root = node(&mut builder, &value, 0);
    builder.finish(root)
}

/// A JSON number as i64, u64 or a finite f64. serde_json would read a 30-digit integer as a
/// rounded float, and refuses `1e400`; both are located problems here.
fn number(b: &mut Builder, text: &str, span: &super::Span) -> Value {
    let integer = !text.contains(['.', 'e', 'E']);
    let parsed = if integer {
        text.parse::<i64>()
            .map(serde_json::Number::from)
            .or_else(|_| text.parse::<u64>().map(serde_json::Number::from))
            .ok()
    } else {
        text.parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
    };
    match parsed {
        Some(n) => Value::Number(n),
        None => b.bad_number(text, span),
    }
}

fn node(b: &mut Builder, value: &Ast, depth: usize) -> Node {
    let range = value.range();
    let span = range.start..range.end;
    if !b.check_depth(depth, &span) {
        return Node::new(span, Value::Null);
    }
    let value = match value {
        Ast::StringLit(s) => {
            b.check_string(&s.value, &span);
            Value::String(s.value.to_string())
        }
        Ast::NumberLit(n) => number(b, n.value, &span),
        Ast::BooleanLit(v) => Value::Bool(v.value),
        Ast::NullKeyword(_) => Value::Null,
        Ast::Array(items) => {
            b.check_array(items.elements.len(), &span);
            Value::Array(
                items
                    .elements
                    .iter()
                    .map(|item| node(b, item, depth + 1))
                    .collect(),
            )
        }
        Ast::Object(object) => {
            b.check_table(object.properties.len(), &span);
            let entries: Vec<Entry> = object
                .properties
                .iter()
                .map(|prop| {
                    let (key, key_range) = match &prop.name {
                        ObjectPropName::String(s) => (s.value.to_string(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                    };
                    Entry {
                        key,
                        key_span: key_range.start..key_range.end,
                        node: node(b, &prop.value, depth + 1),
                    }
                })
                .collect();
            b.check_duplicates(&entries);
            Value::Table(entries)
        }
    };
    Node::new(span, value)
}
