//! YAML → [`Node`] with saphyr's marked tree. saphyr counts characters, not bytes, so its
//! markers are converted to byte offsets here, once.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use super::{Builder, Entry, Limits, Node, Span, Value};
use crate::code::InputCode;
use crate::diagnostic::Problem;

/// Parses `text` from byte `skip` on (past a blanked BOM); spans are those of all of `text`.
pub(super) fn parse(text: &str, skip: usize, limits: &Limits) -> Result<Node, Vec<Problem>> {
    let body = text.get(skip..).unwrap_or_default();
    let offsets = CharOffsets::new(body, skip);
    let docs = MarkedYaml::load_from_str(body).map_err(|e| {
        let at = offsets.byte(e.marker().index());
        vec![Problem::new(
            InputCode::InvalidYaml,
            format!("invalid YAML: {}", e.info()),
            at..at,
        )
        .with_label("here")]
    })?;
    if docs.len() > 1 {
        return Err(vec![Problem::new(
            InputCode::SeveralDocuments,
            "the YAML file holds several documents; a product file holds one",
            offsets.byte(docs[1].span.start.index())..offsets.byte(docs[1].span.start.index()),
        )]);
    }
    let Some(doc) = docs.first() else {
        return Err(vec![Problem::new(
            InputCode::Empty,
            "the YAML file is empty",
            0..0,
        )]);
    };
    let mut builder = Builder {
        limits,
        problems: Vec::new(),
    };
    let root = node(&mut builder, &offsets, text, doc, 0);
    builder.finish(root)
}

/// Character index → byte offset, for text that may hold non-ASCII characters.
struct CharOffsets {
    /// Byte offset of each character, plus the text's length at the end; empty for ASCII text.
    starts: Vec<usize>,
    len: usize,
    /// Where the parsed text starts in the file.
    base: usize,
}

impl CharOffsets {
    fn new(text: &str, base: usize) -> Self {
        let starts = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect()
        };
        CharOffsets {
            starts,
            len: text.len(),
            base,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let in_text = if self.starts.is_empty() {
            char_index.min(self.len)
        } else {
            self.starts.get(char_index).copied().unwrap_or(self.len)
        };
        self.base + in_text
    }
}

fn span_of(offsets: &CharOffsets, text: &str, yaml: &MarkedYaml) -> Span {
    let start = offsets.byte(yaml.span.start.index());
    let end = offsets.byte(yaml.span.end.index()).max(start);
    // saphyr ends a block scalar's span after trailing whitespace; trim it so labels hug the value
    let trimmed = text[start..end].trim_end().len();
    start..start + trimmed
}

fn node(
    b: &mut Builder,
    offsets: &CharOffsets,
    text: &str,
    yaml: &MarkedYaml,
    depth: usize,
) -> Node {
    let span = span_of(offsets, text, yaml);
    if !b.check_depth(depth, &span) {
        return Node::new(span, Value::Null);
    }
    let value = match &yaml.data {
        YamlData::Value(scalar) => scalar_value(b, scalar, &text[span.clone()], &span),
        YamlData::Representation(raw, _, _) => Value::String(raw.to_string()),
        YamlData::Sequence(items) => {
            b.check_array(items.len(), &span);
            Value::Array(
                items
                    .iter()
                    .map(|i| node(b, offsets, text, i, depth + 1))
                    .collect(),
            )
        }
        YamlData::Mapping(map) => {
            b.check_table(map.len(), &span);
            Value::Table(
                map.iter()
                    .map(|(k, v)| {
                        let key = match &k.data {
                            YamlData::Value(Scalar::String(s)) => s.to_string(),
                            YamlData::Value(other) => scalar_text(other),
                            _ => String::from("?"),
                        };
                        Entry {
                            key,
                            key_span: span_of(offsets, text, k),
                            node: node(b, offsets, text, v, depth + 1),
                        }
                    })
                    .collect(),
            )
        }
        YamlData::Tagged(_, inner) => return node(b, offsets, text, inner, depth + 1),
        YamlData::Alias(_) => {
            b.problems.push(
                Problem::new(
                    InputCode::YamlAlias,
                    "YAML aliases are not supported in product files",
                    span.clone(),
                )
                .with_label("alias")
                .with_help("write the value out in full"),
            );
            Value::Null
        }
        YamlData::BadValue => Value::Null,
    };
    Node::new(span, value)
}

/// `raw` is the scalar as written, for messages about it.
fn scalar_value(b: &mut Builder, scalar: &Scalar, raw: &str, span: &Span) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(v) => Value::Bool(*v),
        Scalar::Integer(i) => Value::Number((*i).into()),
        // `.nan`, `.inf` and `1e400` (read as infinity) are no values; an integer beyond 64
        // bits would otherwise become a rounded float.
        Scalar::FloatingPoint(_) if looks_integer(raw) => b.bad_number(raw, span),
        Scalar::FloatingPoint(f) => match serde_json::Number::from_f64(f.into_inner()) {
            Some(n) => Value::Number(n),
            None => b.bad_number(raw, span),
        },
        Scalar::String(s) => {
            b.check_string(s, span);
            Value::String(s.to_string())
        }
    }
}

fn looks_integer(raw: &str) -> bool {
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
}

fn scalar_text(scalar: &Scalar) -> String {
    match scalar {
        Scalar::Null => "null".into(),
        Scalar::Boolean(v) => v.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.to_string(),
        Scalar::String(s) => s.to_string(),
    }
}
