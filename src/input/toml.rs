//! TOML → [`Node`], with toml's own spans on every key and value.

use toml::de::{DeTable, DeValue};

use super::{Builder, Entry, Limits, Node, Value};
use crate::code::InputCode;
use crate::diagnostic::Problem;

pub(super) fn parse(text: &str, limits: &Limits) -> Result<Node, Vec<Problem>> {
    let table = DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        vec![Problem::new(
            InputCode::InvalidToml,
            format!("invalid TOML: {}", e.message().trim()),
            span,
        )
        .with_label("here")]
    })?;
    let mut builder = Builder {
        limits,
        problems: Vec::new(),
    };
    let span = 0..text.len();
    let root = table_node(&mut builder, table.get_ref(), span, 0);
    builder.finish(root)
}

fn table_node(b: &mut Builder, table: &DeTable, span: super::Span, depth: usize) -> Node {
    if !b.check_depth(depth, &span) {
        return Node::new(span, Value::Null);
    }
    b.check_table(table.len(), &span);
    let entries = table
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().to_string(),
            key_span: key.span(),
            node: value_node(b, value.get_ref(), value.span(), depth + 1),
        })
        .collect();
    Node::new(span, Value::Table(entries))
}

fn value_node(b: &mut Builder, value: &DeValue, span: super::Span, depth: usize) -> Node {
    let value = match value {
        DeValue::String(s) => {
            b.check_string(s, &span);
            Value::String(s.to_string())
        }
        DeValue::Integer(i) => {
            let digits = without_underscores(i.as_str());
            match i64::from_str_radix(
                digits
                    .trim_start_matches("0x")
                    .trim_start_matches("0o")
                    .trim_start_matches("0b"),
                i.radix(),
            ) {
                Ok(n) => Value::Number(n.into()),
                Err(_) => b.bad_number(i.as_str(), &span),
            }
        }
        // TOML allows `nan` and `inf`, and `1e400` parses as infinity: none is a value.
        DeValue::Float(f) => match without_underscores(f.as_str())
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            Some(n) => Value::Number(n),
            None => b.bad_number(f.as_str(), &span),
        },
        DeValue::Boolean(v) => Value::Bool(*v),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => {
            b.check_array(items.len(), &span);
            if !b.check_depth(depth, &span) {
                return Node::new(span, Value::Null);
            }
            Value::Array(
                items
                    .iter()
                    .map(|item| value_node(b, item.get_ref(), item.span(), depth + 1))
                    .collect(),
            )
        }
        DeValue::Table(table) => return table_node(b, table, span, depth),
    };
    Node::new(span, value)
}

/// A number as written less its `_` separators, copied only when it has some.
fn without_underscores(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('_') {
        std::borrow::Cow::Owned(text.replace('_', ""))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Format, Limits, Value};

    #[test]
    fn numbers_read_with_and_without_separators() {
        let text = "[t]\na = 1_000\nb = 1000\nc = 0xff_ff\nd = 2_5.0_5\ne = -3\n";
        let doc = parse(text.as_bytes(), Format::Toml, &Limits::default()).unwrap();
        let t = doc.root.get("t").unwrap();
        let number = |key: &str| match &t.get(key).unwrap().value {
            Value::Number(n) => n.as_f64().unwrap(),
            other => panic!("{key}: {other:?}"),
        };
        assert_eq!(number("a"), 1000.0);
        assert_eq!(number("b"), 1000.0);
        assert_eq!(number("c"), 65535.0);
        assert_eq!(number("d"), 25.05);
        assert_eq!(number("e"), -3.0);
    }
}
