//! YAML → [`Node`], built straight from saphyr's parser events: saphyr's own tree (a
//! `MarkedYaml` of hashed mappings) was built for every file only to be converted and dropped,
//! and the events carry everything it held. saphyr counts characters, not bytes, so its
//! markers are converted to byte offsets here, once.

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, SpannedEventReceiver, Tag};

use super::{Builder, Entry, KeySet, Limits, Node, Span, Value};
use crate::code::InputCode;
use crate::diagnostic::Problem;

/// Parses `text` from byte `skip` on (past a blanked BOM); spans are those of all of `text`.
pub(super) fn parse(text: &str, skip: usize, limits: &Limits) -> Result<Node, Vec<Problem>> {
    let body = text.get(skip..).unwrap_or_default();
    let mut tree = Tree {
        text,
        offsets: CharOffsets::new(body, skip),
        builder: Builder {
            limits,
            problems: Vec::new(),
        },
        open: Vec::new(),
        skipped: 0,
        document: None,
        first: None,
        documents: 0,
        second_start: 0,
        error: None,
    };
    // The parser's own string input reads the text in place; saphyr's `load_from_str` feeds
    // it one `char` at a time through a look-ahead buffer.
    if let Err(e) = Parser::new_from_str(body).load(&mut tree, true) {
        let at = tree.offsets.byte(e.marker().index());
        return Err(vec![invalid(at, e.info())]);
    }
    if let Some(problem) = tree.error {
        return Err(vec![problem]);
    }
    if tree.documents > 1 {
        let at = tree.second_start;
        return Err(vec![Problem::new(
            InputCode::SeveralDocuments,
            "the YAML file holds several documents; a product file holds one",
            at..at,
        )]);
    }
    let Some(root) = tree.first else {
        return Err(vec![Problem::new(
            InputCode::Empty,
            "the YAML file is empty",
            0..0,
        )]);
    };
    tree.builder.finish(root)
}

fn invalid(at: usize, info: &str) -> Problem {
    Problem::new(
        InputCode::InvalidYaml,
        format!("invalid YAML: {info}"),
        at..at,
    )
    .with_label("here")
}

/// The document being built from the parser's events.
struct Tree<'t, 'l, 'input> {
    text: &'t str,
    offsets: CharOffsets,
    builder: Builder<'l>,
    /// The sequences and mappings open around the next event, innermost last.
    open: Vec<Open<'input>>,
    /// Collections opened inside one that is too deep, whose content is not built.
    skipped: usize,
    /// The current document's root, once complete.
    document: Option<Node>,
    first: Option<Node>,
    documents: usize,
    /// Where the second document starts, for the error that names it.
    second_start: usize,
    /// The first error that is not the parser's own (a key written twice), after which the
    /// rest of the stream is only parsed.
    error: Option<Problem>,
}

/// A sequence or mapping whose end has not come yet.
struct Open<'input> {
    /// Its start, a character index.
    start: usize,
    depth: usize,
    /// How many problems there were when it opened: its own size problems go there, before
    /// those of its content, as a reader meets them.
    problems_before: usize,
    /// Too deep: its content is parsed and dropped, and it stands as a null.
    too_deep: bool,
    content: Content<'input>,
}

enum Content<'input> {
    Sequence(Vec<Node>),
    Mapping {
        entries: Vec<Entry>,
        /// The keys so far, as YAML compares them (`1` and `01` are one key, `"1"` another).
        keys: KeySet<Scalar<'input>>,
        /// The key whose value comes next, as text, and where it is written.
        key: Option<(String, Span)>,
    },
}

impl<'input> SpannedEventReceiver<'input> for Tree<'_, '_, 'input> {
    fn on_event(&mut self, event: Event<'input>, span: saphyr_parser::Span) {
        if self.error.is_some() {
            return;
        }
        let (start, end) = (span.start.index(), span.end.index());
        if self.skipped > 0 {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => self.skipped += 1,
                Event::SequenceEnd | Event::MappingEnd => self.skipped -= 1,
                _ => {}
            }
            if self.skipped > 0 {
                return;
            }
        }
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) => {}
            Event::DocumentEnd => {
                let root = self.document.take().unwrap_or_else(|| {
                    // An empty document ("---" alone) is a null where the document ends.
                    Node::new(self.span(start, end), Value::Null)
                });
                self.documents += 1;
                match self.documents {
                    1 => self.first = Some(root),
                    2 => self.second_start = root.span.start,
                    _ => {}
                }
            }
            Event::SequenceStart(_, tag) => self.open(start, &tag, Content::Sequence(Vec::new())),
            Event::MappingStart(_, tag) => self.open(
                start,
                &tag,
                Content::Mapping {
                    entries: Vec::new(),
                    keys: KeySet::default(),
                    key: None,
                },
            ),
            Event::SequenceEnd | Event::MappingEnd => self.close(start),
            Event::Scalar(value, style, _, tag) => {
                let span = self.span(start, end);
                let depth = self.depth();
                let scalar = Scalar::parse_from_cow_and_metadata(value, style, tag.as_ref());
                if self.expects_key() {
                    let text = match &scalar {
                        Some(Scalar::String(s)) => s.to_string(),
                        Some(other) => scalar_text(other),
                        None => String::from("?"),
                    };
                    self.key(text, span, scalar);
                    return;
                }
                let value = if !self.builder.check_depth(depth, &span) {
                    Value::Null
                } else {
                    match &scalar {
                        Some(scalar) => {
                            let raw = &self.text[span.clone()];
                            scalar_value(&mut self.builder, scalar, raw, &span)
                        }
                        None => Value::Null,
                    }
                };
                self.value(Node::new(span, value));
            }
            Event::Alias(_) => {
                let span = self.span(start, end);
                self.builder.problems.push(
                    Problem::new(
                        InputCode::YamlAlias,
                        "YAML aliases are not supported in product files",
                        span.clone(),
                    )
                    .with_label("alias")
                    .with_help("write the value out in full"),
                );
                self.complete(Node::new(span, Value::Null));
            }
        }
    }
}

impl<'input> Tree<'_, '_, 'input> {
    /// The byte range of a character range, less trailing blanks: saphyr ends a block
    /// scalar's or a block collection's span after them, and labels should hug the value.
    fn span(&self, start: usize, end: usize) -> Span {
        let start = self.offsets.byte(start);
        let end = self.offsets.byte(end).max(start);
        start..start + self.text[start..end].trim_end().len()
    }

    /// The depth of the next node: a mapping's key and value are one level below it, and a
    /// collection with a tag of its own one more (it was a node around a node).
    fn depth(&self) -> usize {
        self.open.last().map_or(0, |o| o.depth + 1)
    }

    fn expects_key(&self) -> bool {
        matches!(
            self.open.last(),
            Some(Open {
                content: Content::Mapping { key: None, .. },
                ..
            })
        )
    }

    fn open(
        &mut self,
        start: usize,
        tag: &Option<std::borrow::Cow<'input, Tag>>,
        content: Content<'input>,
    ) {
        let tagged = tag.as_ref().is_some_and(|t| !t.is_yaml_core_schema());
        let depth = self.depth() + usize::from(tagged);
        let at = self.offsets.byte(start);
        let too_deep = !self.builder.check_depth(depth, &(at..at));
        if too_deep {
            self.skipped = 1;
        }
        self.open.push(Open {
            start,
            depth,
            problems_before: self.builder.problems.len(),
            too_deep,
            content,
        });
    }

    fn close(&mut self, end: usize) {
        let Some(open) = self.open.pop() else {
            return;
        };
        let mut span = self.span(open.start, end);
        // A flow collection's end event sits on its closing bracket: the span takes it in.
        if matches!(self.text.as_bytes().get(span.end), Some(b']' | b'}')) && span.end > span.start
        {
            span.end += 1;
        }
        let (size_problem, value) = if open.too_deep {
            (None, Value::Null)
        } else {
            match open.content {
                Content::Sequence(items) => (
                    self.builder.array_problem(items.len(), &span),
                    Value::Array(items),
                ),
                Content::Mapping { entries, .. } => (
                    self.builder.table_problem(entries.len(), &span),
                    Value::Table(entries),
                ),
            }
        };
        if let Some(problem) = size_problem {
            let at = open.problems_before.min(self.builder.problems.len());
            self.builder.problems.insert(at, problem);
        }
        self.complete(Node::new(span, value));
    }

    /// A sequence, mapping or alias just completed: a key when its mapping waits for one,
    /// else a value.
    fn complete(&mut self, node: Node) {
        if self.expects_key() {
            self.key(String::from("?"), node.span, None);
        } else {
            self.value(node);
        }
    }

    /// A mapping's next key. `scalar` is the key as a value, for finding it written twice:
    /// `None` for a sequence or mapping written as a key, or a scalar whose tag resolves to
    /// no value.
    fn key(&mut self, text: String, span: Span, scalar: Option<Scalar<'input>>) {
        if let Some(Open {
            content: Content::Mapping {
                keys, key: slot, ..
            },
            ..
        }) = self.open.last_mut()
        {
            if scalar.is_some_and(|scalar| !keys.insert(scalar)) {
                self.error = Some(invalid(span.start, "duplicated key in mapping"));
            }
            *slot = Some((text, span));
        }
    }

    fn value(&mut self, node: Node) {
        match self.open.last_mut() {
            Some(Open {
                content: Content::Sequence(items),
                ..
            }) => items.push(node),
            Some(Open {
                content: Content::Mapping { entries, key, .. },
                ..
            }) => {
                if let Some((key, key_span)) = key.take() {
                    entries.push(Entry {
                        key,
                        key_span,
                        node,
                    });
                }
            }
            None => self.document = Some(node),
        }
    }
}

/// Character index ↔ byte offset, for text that may hold non-ASCII characters.
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

#[cfg(test)]
mod tests {
    use super::super::{parse, Format, Limits, Node, Value};
    use crate::code::InputCode;

    fn tree(text: &str) -> Node {
        parse(text.as_bytes(), Format::Yaml, &Limits::default())
            .unwrap_or_else(|p| panic!("{text}: {p:?}"))
            .root
    }

    fn problems(text: &str, limits: &Limits) -> Vec<crate::diagnostic::Problem> {
        parse(text.as_bytes(), Format::Yaml, limits).unwrap_err()
    }

    #[test]
    fn keys_values_and_their_spans_are_those_of_the_text() {
        let text = "product:\n  name: \"Funkgerät\"\n  bands: [1, 2.5]\n  ok: yes\n  none: ~\n";
        let root = tree(text);
        let product = root.get("product").unwrap();
        let name = product.entry("name").unwrap();
        assert_eq!(&text[name.key_span.clone()], "name");
        assert_eq!(&text[name.node.span.clone()], "\"Funkgerät\"");
        assert_eq!(name.node.as_str(), Some("Funkgerät"));
        // After a non-ASCII character, offsets are still bytes.
        let bands = product.get("bands").unwrap();
        assert_eq!(&text[bands.span.clone()], "[1, 2.5]");
        let Value::Array(items) = &bands.value else {
            panic!("{bands:?}")
        };
        assert_eq!(&text[items[1].span.clone()], "2.5");
        // YAML 1.2's core schema: `yes` is a string, `~` is null.
        assert_eq!(product.get("ok").unwrap().as_str(), Some("yes"));
        assert_eq!(product.get("none").unwrap().value, Value::Null);
        // A block mapping ends at its last value, not at the blank after it.
        assert_eq!(
            &text[product.span.clone()],
            &text[text.find("name").unwrap()..text.len() - 1]
        );
    }

    #[test]
    fn an_alias_is_refused_where_it_is_written() {
        let text = "product:\n  id: &id \"X-1\"\n  name: *id\n";
        let found = problems(text, &Limits::default());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, InputCode::YamlAlias.into());
        assert_eq!(&text[found[0].span.clone()], "*id");
    }

    #[test]
    fn keys_equal_as_values_are_one_key_written_twice() {
        for (text, second) in [
            ("a:\n  1: x\n  01: y\n", "01"),
            ("a:\n  k: x\n  \"k\": y\n", "\"k\""),
        ] {
            let found = problems(text, &Limits::default());
            assert!(found[0].message.contains("duplicated key"), "{text}");
            assert_eq!(found[0].span.start, text.rfind(second).unwrap(), "{text}");
        }
        // A number and a string of the same digits are two keys.
        let root = tree("a:\n  1: x\n  \"1\": y\n");
        let Value::Table(entries) = &root.get("a").unwrap().value else {
            panic!()
        };
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn a_mapping_of_many_keys_finds_the_one_written_twice() {
        let mut text = String::from("a:\n");
        for i in 0..40 {
            text.push_str(&format!("  k{i}: {i}\n"));
        }
        text.push_str("  k3: again\n");
        let found = problems(&text, &Limits::default());
        assert!(found[0].message.contains("duplicated key"), "{found:?}");
        assert_eq!(found[0].span.start, text.rfind("k3").unwrap());
    }

    #[test]
    fn documents_are_counted_and_an_empty_one_is_null() {
        let text = "a: 1\n---\nb: 2\n";
        let found = problems(text, &Limits::default());
        assert_eq!(found[0].code, InputCode::SeveralDocuments.into());
        assert_eq!(found[0].span.start, text.find('b').unwrap());
        assert_eq!(tree("---\n").value, Value::Null);
        let empty = problems("# only a comment\n", &Limits::default());
        assert_eq!(empty[0].code, InputCode::Empty.into());
    }

    #[test]
    fn a_size_problem_comes_before_the_problems_inside_it() {
        let limits = Limits {
            max_array_len: 2,
            max_string_len: 3,
            ..Limits::default()
        };
        let found = problems("a:\n  - long\n  - 2\n  - 3\n", &limits);
        let codes: Vec<_> = found.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [
                InputCode::ArrayLength.into(),
                InputCode::StringLength.into()
            ]
        );
    }

    #[test]
    fn content_below_the_depth_limit_is_dropped_with_one_problem() {
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let found = problems("a:\n  b:\n    c:\n      d: [1, 2]\n", &limits);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, InputCode::Depth.into());
    }
}
