//! Product and pack files as one spanned document tree, whatever their format.
//!
//! TOML, JSON and YAML are parsed with span-aware parsers and converted into [`Node`]s that
//! carry byte ranges on every key and value. Everything downstream (schema validation, paths,
//! checks, reports) works on this one tree, so a location means the same thing in every format.

mod file;
mod json;
mod toml;
mod yaml;

pub use file::{read_file, read_text, ReadError};

use crate::code::InputCode;
use crate::diagnostic::Problem;
use crate::quantity::Quantity;

/// A byte range into the source text.
pub use crate::span::Span;

/// The largest file formfit reads, of any kind (product, pack, configuration, key…).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Limits that keep a hostile file from exhausting the stack, memory or time.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_array_len: usize,
    /// Keys in one table (object, mapping).
    pub max_table_len: usize,
    pub max_string_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: MAX_FILE_BYTES,
            max_depth: 64,
            max_array_len: 100_000,
            max_table_len: 10_000,
            max_string_len: 64 * 1024,
        }
    }
}

/// The file formats formfit reads, chosen by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Toml,
    Json,
    Yaml,
}

impl Format {
    /// The format for a file name, from its extension (`.toml`, `.json`, `.yaml`/`.yml`).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            _ => None,
        }
    }
}

/// A value in the document, with the byte range it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    /// A string that the product vocabulary declares a quantity, parsed once at load. Boxed:
    /// an exact rational is large, and every node would otherwise be as large as one.
    Quantity(Box<Quantity>),
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

/// A key of a table with its own span, so that "unknown key" points at the key itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub node: Node,
}

impl Node {
    pub fn new(span: Span, value: Value) -> Node {
        Node { span, value }
    }

    /// The child at `key` if this is a table.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.node)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Table(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Table(entries) => entries
                .iter_mut()
                .find(|e| e.key == key)
                .map(|e| &mut e.node),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            Value::Quantity(q) => Some(&q.text),
            _ => None,
        }
    }

    pub fn as_quantity(&self) -> Option<&Quantity> {
        match &self.value {
            Value::Quantity(q) => Some(q),
            _ => None,
        }
    }

    /// The node at a JSON pointer's segments, with the last entry's key span when the last
    /// segment names a key (for errors that belong on the key, such as an unknown property).
    pub fn at_pointer<'a>(&self, segments: impl IntoIterator<Item = PointerSegment<'a>>) -> &Node {
        let mut node = self;
        for segment in segments {
            let next = match (&node.value, segment) {
                (Value::Table(entries), PointerSegment::Key(key)) => {
                    entries.iter().find(|e| e.key == key).map(|e| &e.node)
                }
                (Value::Array(items), PointerSegment::Index(i)) => items.get(i),
                (Value::Array(items), PointerSegment::Key(key)) => {
                    key.parse::<usize>().ok().and_then(|i| items.get(i))
                }
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    /// A short name of the value's type for messages ("a string", "a table").
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) | Value::Quantity(_) => "a string",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }

    /// The plain JSON value, for JSON Schema validation and serde.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Number(n.clone()),
            Value::String(s) => J::String(s.clone()),
            Value::Quantity(q) => J::String(q.text.clone()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Table(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.node.to_json()))
                    .collect(),
            ),
        }
    }
}

/// One step of a JSON pointer, as the schema validator reports it.
#[derive(Clone, Copy, Debug)]
pub enum PointerSegment<'a> {
    Key(&'a str),
    Index(usize),
}

/// A parsed file: its text (kept for rendering) and its root node.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    pub root: Node,
    pub format: Format,
}

/// Decodes raw bytes as UTF-8 (an optional BOM is blanked, not removed, so that byte offsets
/// stay those of the file) and parses them in `format`.
pub fn parse(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, Vec<Problem>> {
    if bytes.len() > limits.max_bytes {
        return Err(vec![Problem::new(
            InputCode::FileSize,
            format!(
                "the file is {} bytes, over the limit of {} bytes",
                bytes.len(),
                limits.max_bytes
            ),
            0..0,
        )]);
    }
    let text = decode(bytes)?;
    check_controls(&text, format)?;
    check_nesting(&text, format, limits)?;
    let root = match format {
        Format::Toml => toml::parse(&text, limits),
        Format::Json => json::parse(&text, limits),
        // Blanks before the first line's content are indentation in YAML: the parser starts
        // after the blanked BOM instead, and its offsets are moved back by its length.
        Format::Yaml => {
            let skip = if bytes.starts_with(BOM.as_bytes()) {
                BOM.len()
            } else {
                0
            };
            yaml::parse(&text, skip, limits)
        }
    }?;
    Ok(Document { text, root, format })
}

const BOM: &str = "\u{feff}";

/// UTF-8 only; a UTF-8 BOM is replaced by spaces of the same byte length so that spans and
/// columns stay those of the file while parsers see plain text.
fn decode(bytes: &[u8]) -> Result<String, Vec<Problem>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(vec![Problem::new(
            InputCode::EncodingUtf16,
            "the file is UTF-16; formfit reads UTF-8",
            0..2,
        )
        .with_help("save the file as UTF-8 (a BOM is allowed)")]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix(BOM) {
            Some(rest) => format!("{}{rest}", " ".repeat(BOM.len())),
            None => text.to_owned(),
        }),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(vec![Problem::new(
                InputCode::EncodingInvalid,
                format!("the file is not valid UTF-8 (byte {at}, line {line})"),
                at..at,
            )
            .with_help(
                "save the file as UTF-8; Latin-1 or Windows-1252 text must be converted first",
            )])
        }
    }
}

/// Raw control characters are not JSON (RFC 8259 §7: inside strings they must be escaped,
/// outside only whitespace is allowed) nor YAML (§5.1: outside the printable set), though the
/// parsers let them through; TOML's parser refuses them itself. One written escaped
/// (`\u001b`) is text like any other, and is shown escaped.
fn check_controls(text: &str, format: Format) -> Result<(), Vec<Problem>> {
    if format == Format::Toml {
        return Ok(());
    }
    // Walked as bytes: every control character is ASCII (C0, DEL) or, for YAML, the two bytes
    // `C2 80`–`C2 9F` (C1), and in valid UTF-8 `C2` is only ever a lead byte.
    let bytes = text.as_bytes();
    let yaml = format == Format::Yaml;
    // Nearly every file has none: a pass without early exit, which the compiler turns into
    // vector compares, says so, and only a file with a candidate byte is walked to place it.
    let candidate = |b: u8| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || (yaml && (b == 0x7f || b == 0xc2))
    };
    if !bytes.iter().fold(false, |found, &b| found | candidate(b)) {
        return Ok(());
    }
    let refused = |(i, &b): (usize, &u8)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 => true,
        0x7f => format == Format::Yaml,
        // C1 is U+0080–U+009F; NEL (U+0085) is a line break in YAML.
        0xc2 => {
            format == Format::Yaml && matches!(bytes.get(i + 1), Some(0x80..=0x84 | 0x86..=0x9f))
        }
        _ => false,
    };
    let Some(at) = bytes.iter().enumerate().position(refused) else {
        return Ok(());
    };
    let c = text[at..].chars().next().unwrap_or_default();
    let line = text[..at].matches('\n').count() + 1;
    Err(vec![Problem::new(
        InputCode::ControlCharacter,
        format!(
            "a raw control character U+{:04X} (line {line}); {format:?} does not allow one",
            c as u32
        ),
        at..at + c.len_utf8(),
    )
    .with_label("control character")
    .with_help(format!(
        "remove it, or write it escaped (\\u{:04x}) inside a quoted string",
        c as u32
    ))])
}

/// Rejects bracket nesting deeper than the limit before any recursive parser sees it: the
/// parsers and the tree conversion recurse, and a file of 100 000 `[` must not overflow the stack.
fn check_nesting(text: &str, format: Format, limits: &Limits) -> Result<(), Vec<Problem>> {
    if format == Format::Yaml {
        check_yaml_indentation(text, limits)?;
    }
    // Nesting is never deeper than the number of brackets that open, and most files have
    // fewer than the limit: counting them is one vectorised pass, walking is not.
    let openers = text.bytes().filter(|&b| b == b'[' || b == b'{').count();
    if openers <= limits.max_depth {
        return Ok(());
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        // Most bytes are text: unless escaped, none of them opens, closes or escapes anything.
        if !escaped && !NESTING_BYTES[b as usize] {
            continue;
        }
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' && q == b'"' {
                escaped = true;
            } else if b == q || b == b'\n' {
                quote = None;
            }
            continue;
        }
        match b {
            b'"' => quote = Some(b),
            // In YAML a `'` often sits inside plain text ("d'Armement"), so only TOML and
            // JSON treat it as a quote here; YAML's own parser limits its recursion.
            b'\'' if format == Format::Toml => quote = Some(b),
            b'#' if format != Format::Json => {
                // comments run to the end of the line
                quote = Some(b'\n');
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(vec![depth_problem(i, limits)]);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The bytes that can change [`check_nesting`]'s state: quotes, comment marks, brackets, the
/// escape and the end of a line.
const NESTING_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let special = *b"\"'#[]{}\\\n";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// YAML nests blocks by indentation, which no bracket count sees: a line whose content starts
/// further right than four columns per allowed level (counting `- ` markers) is refused.
fn check_yaml_indentation(text: &str, limits: &Limits) -> Result<(), Vec<Problem>> {
    let max_column = limits.max_depth * 4;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches([' ', '\t', '-', '?']);
        let column = line.len() - content.len();
        if column > max_column && !content.trim().is_empty() {
            return Err(vec![depth_problem(offset + column, limits)]);
        }
        offset += line.len();
    }
    Ok(())
}

fn depth_problem(at: usize, limits: &Limits) -> Problem {
    Problem::new(
        InputCode::Depth,
        format!("nesting deeper than {} levels", limits.max_depth),
        at..at + 1,
    )
    .with_label("too deep here")
}

/// The keys of one table, to find one written twice. Most tables have a handful, compared
/// one by one (no hashing); a long one is hashed, so that a hostile file of many keys costs
/// time in proportion to its size.
pub(crate) struct KeySet<K> {
    few: Vec<K>,
    many: std::collections::HashSet<K>,
}

impl<K> Default for KeySet<K> {
    fn default() -> Self {
        KeySet {
            few: Vec::new(),
            many: std::collections::HashSet::new(),
        }
    }
}

impl<K: Eq + std::hash::Hash + Clone> KeySet<K> {
    const FEW: usize = 16;

    /// `false` when the key was there already.
    pub fn insert(&mut self, key: K) -> bool {
        if self.few.len() < Self::FEW {
            if self.few.contains(&key) {
                return false;
            }
            self.few.push(key);
            return true;
        }
        if self.many.is_empty() {
            self.many.extend(self.few.iter().cloned());
        }
        self.many.insert(key)
    }
}

/// Shared by the format converters: the limits that apply while building the tree.
pub(crate) struct Builder<'l> {
    pub limits: &'l Limits,
    pub problems: Vec<Problem>,
}

impl Builder<'_> {
    pub fn check_depth(&mut self, depth: usize, span: &Span) -> bool {
        if depth > self.limits.max_depth {
            if self.problems.is_empty() {
                self.problems.push(depth_problem(span.start, self.limits));
            }
            return false;
        }
        true
    }

    pub fn check_array(&mut self, len: usize, span: &Span) {
        self.problems.extend(self.array_problem(len, span));
    }

    pub fn array_problem(&self, len: usize, span: &Span) -> Option<Problem> {
        (len > self.limits.max_array_len).then(|| {
            Problem::new(
                InputCode::ArrayLength,
                format!(
                    "an array of {len} items, over the limit of {}",
                    self.limits.max_array_len
                ),
                span.clone(),
            )
            .with_label("this array")
        })
    }

    pub fn check_string(&mut self, s: &str, span: &Span) {
        if s.len() > self.limits.max_string_len {
            self.problems.push(
                Problem::new(
                    InputCode::StringLength,
                    format!(
                        "a string of {} bytes, over the limit of {}",
                        s.len(),
                        self.limits.max_string_len
                    ),
                    span.clone(),
                )
                .with_label("this string"),
            );
        }
    }

    pub fn check_table(&mut self, len: usize, span: &Span) {
        self.problems.extend(self.table_problem(len, span));
    }

    pub fn table_problem(&self, len: usize, span: &Span) -> Option<Problem> {
        (len > self.limits.max_table_len).then(|| {
            Problem::new(
                InputCode::TableSize,
                format!(
                    "a table of {len} keys, over the limit of {}",
                    self.limits.max_table_len
                ),
                span.clone(),
            )
            .with_label("this table")
        })
    }

    /// A number the document model cannot hold: an integer beyond 64 bits, a decimal beyond a
    /// double's range, or NaN/infinity. It is refused rather than kept as text or as an
    /// infinite value, which every comparison after would get wrong.
    pub fn bad_number(&mut self, text: &str, span: &Span) -> Value {
        let lower = text.to_ascii_lowercase();
        let not_finite = lower.contains("nan") || lower.contains("inf");
        let (code, message) = if not_finite {
            (
                InputCode::NotFinite,
                format!("`{text}` is not a finite number"),
            )
        } else {
            (
                InputCode::OutOfRange,
                format!("the number `{text}` is out of range"),
            )
        };
        self.problems.push(
            Problem::new(code, message, span.clone())
                .with_label("this number")
                .with_help(
                    "integers must fit in 64 bits and decimals in a double (about ±1.8e308); \
                     write a value in range, or a quoted string if it is not a quantity",
                ),
        );
        Value::Null
    }

    /// A key written twice in one table: the second would silently win in most tools.
    pub fn check_duplicates(&mut self, entries: &[Entry]) {
        let mut seen = KeySet::default();
        for entry in entries {
            if !seen.insert(entry.key.as_str()) {
                self.problems.push(
                    Problem::new(
                        InputCode::DuplicateKey,
                        format!("the key `{}` is written twice in one table", entry.key),
                        entry.key_span.clone(),
                    )
                    .with_label("second time")
                    .with_help("remove one of them: tools disagree on which one counts"),
                );
            }
        }
    }

    pub fn finish(self, root: Node) -> Result<Node, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(root)
        } else {
            Err(self.problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The control-character check as first written, walking characters, kept to hold the
    /// byte walk to the same answers.
    fn first_control(text: &str, format: Format) -> Option<usize> {
        let refused = |c: char| match format {
            Format::Toml => false,
            Format::Json => c < ' ' && !matches!(c, '\t' | '\n' | '\r'),
            Format::Yaml => c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'),
        };
        text.char_indices()
            .find(|&(_, c)| refused(c))
            .map(|(i, _)| i)
    }

    /// The nesting walk without its skips (of plain bytes, and of files with fewer brackets
    /// than the limit).
    fn too_deep_at(text: &str, format: Format, max: usize) -> Option<usize> {
        let (mut depth, mut quote, mut escaped) = (0usize, None, false);
        for (i, &b) in text.as_bytes().iter().enumerate() {
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if b == b'\\' && q == b'"' {
                    escaped = true;
                } else if b == q || b == b'\n' {
                    quote = None;
                }
                continue;
            }
            match b {
                b'"' => quote = Some(b),
                b'\'' if format == Format::Toml => quote = Some(b),
                b'#' if format != Format::Json => quote = Some(b'\n'),
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max {
                        return Some(i);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        None
    }

    /// Pieces the walks treat differently: quotes, escapes (one of them of a plain letter),
    /// brackets, comments, line ends, C0, DEL, C1 and NEL, plain text.
    const PIECES: &[&str] = &[
        "\"", "'", "\\", "\\a", "\\\"", "[", "]", "{", "}", "#", "\n", "\r", "\t", "\u{1}",
        "\u{7f}", "\u{85}", "\u{9b}", "\u{a0}", "é", "x",
    ];

    proptest! {
        #[test]
        fn the_byte_walks_agree_with_the_character_walks(
            pieces in prop::collection::vec(prop::sample::select(PIECES), 0..30),
        ) {
            let text = pieces.concat();
            let limits = Limits { max_depth: 1, ..Limits::default() };
            for format in [Format::Toml, Format::Json, Format::Yaml] {
                let found = check_controls(&text, format).err().map(|p| p[0].span.start);
                prop_assert_eq!(found, first_control(&text, format), "{:?}", format);
                if format != Format::Yaml {
                    let deep = check_nesting(&text, format, &limits).err().map(|p| p[0].span.start);
                    prop_assert_eq!(deep, too_deep_at(&text, format, 1), "{:?}", format);
                }
            }
        }
    }

    fn parse_ok(text: &str, format: Format) -> Document {
        match parse(text.as_bytes(), format, &Limits::default()) {
            Ok(doc) => doc,
            Err(p) => panic!("{p:?}"),
        }
    }

    fn value_at<'a>(doc: &'a Document, keys: &[&'a str]) -> &'a Node {
        doc.root
            .at_pointer(keys.iter().map(|k| PointerSegment::Key(k)))
    }

    /// Every key and value of every product is a node: a large variant (an exact quantity)
    /// once made each of them three times this size, and the tree's copying with them.
    #[test]
    fn a_node_stays_small() {
        assert!(
            std::mem::size_of::<Node>() <= 48,
            "{}",
            std::mem::size_of::<Node>()
        );
    }

    #[test]
    fn spans_point_at_the_value_in_every_format() {
        let cases = [
            ("[product]\nid = \"X-1\"\n", Format::Toml),
            ("{\"product\": {\"id\": \"X-1\"}}", Format::Json),
            ("product:\n  id: \"X-1\"\n", Format::Yaml),
        ];
        for (text, format) in cases {
            let doc = parse_ok(text, format);
            let node = value_at(&doc, &["product", "id"]);
            assert_eq!(&text[node.span.clone()], "\"X-1\"", "{format:?}");
        }
    }

    #[test]
    fn a_bom_keeps_offsets_and_crlf_is_accepted() {
        let text = "\u{feff}[product]\r\nid = \"X-1\"\r\n";
        let doc = parse_ok(text, Format::Toml);
        let node = value_at(&doc, &["product", "id"]);
        assert_eq!(&text[node.span.clone()], "\"X-1\"");
    }

    /// The README promises a BOM in every format; YAML once saw it as three spaces of
    /// indentation on the first line only.
    #[test]
    fn a_bom_keeps_offsets_and_lines_in_every_format() {
        let cases = [
            (
                "\u{feff}[product]\nname = \"n\"\nid = \"X-1\"\n",
                Format::Toml,
            ),
            (
                "\u{feff}{\"product\": {\"name\": \"n\",\n\"id\": \"X-1\"}}",
                Format::Json,
            ),
            ("\u{feff}product:\n  name: n\n  id: \"X-1\"\n", Format::Yaml),
            (
                "\u{feff}# a comment\nproduct: {name: n,\n  id: \"X-1\"}\n",
                Format::Yaml,
            ),
        ];
        for (text, format) in cases {
            let doc = parse_ok(text, format);
            let node = value_at(&doc, &["product", "id"]);
            assert_eq!(&text[node.span.clone()], "\"X-1\"", "{format:?}");
            let line = text[..node.span.start].matches('\n').count() + 1;
            assert!(line >= 2, "{format:?}");
            assert_eq!(doc.text.len(), text.len(), "{format:?}");
        }
        // and a syntax error after a BOM is still on its line
        let text = "\u{feff}product:\n  id: [1, 2\n";
        let problems = parse(text.as_bytes(), Format::Yaml, &Limits::default()).unwrap_err();
        assert_eq!(problems[0].id(), "input/syntax");
        assert!(
            problems[0].span.start > "\u{feff}product:".len(),
            "{:?}",
            problems[0]
        );
    }

    #[test]
    fn latin1_is_an_encoding_problem_with_its_line() {
        let bytes = b"[product]\nname = \"Soci\xe9t\xe9\"\n";
        let problems = parse(bytes, Format::Toml, &Limits::default()).unwrap_err();
        assert_eq!(problems[0].id(), "input/encoding");
        assert!(
            problems[0].message.contains("line 2"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn deep_nesting_is_a_limit_problem_in_every_format() {
        let deep =
            |open: &str, close: &str| format!("{}{}", open.repeat(100_000), close.repeat(100_000));
        let cases = [
            (format!("a = {}", deep("[", "]")), Format::Toml),
            (deep("[", "]"), Format::Json),
            (deep("[", "]"), Format::Yaml),
            (
                (0..2000)
                    .map(|i| format!("{}k:\n", " ".repeat(i)))
                    .collect(),
                Format::Yaml,
            ),
        ];
        for (text, format) in cases {
            let problems = parse(text.as_bytes(), format, &Limits::default()).unwrap_err();
            assert!(
                problems
                    .iter()
                    .any(|p| p.id() == "input/limit" || p.id() == "input/syntax"),
                "{format:?}: {problems:?}"
            );
        }
    }

    #[test]
    fn a_key_written_twice_is_refused_in_every_format() {
        let cases = [
            ("[product]\nid = \"a\"\nid = \"b\"\n", Format::Toml),
            (
                "{\"product\": {\"id\": \"a\", \"id\": \"b\"}}",
                Format::Json,
            ),
            ("product:\n  id: a\n  id: b\n", Format::Yaml),
        ];
        for (text, format) in cases {
            let problems = parse(text.as_bytes(), format, &Limits::default()).unwrap_err();
            assert_eq!(problems[0].id(), "input/syntax", "{format:?}");
            // The second key is the one reported (YAML's parser points at its line).
            let second = text.rfind("id").unwrap();
            let at = problems[0].span.start;
            assert!(
                text[..=at].lines().count() == text[..=second].lines().count(),
                "{format:?}"
            );
        }
    }

    #[test]
    fn a_key_written_twice_is_found_in_a_small_and_in_a_large_json_object() {
        for keys in [3, 40] {
            let mut members: Vec<String> = (0..keys).map(|i| format!("\"k{i}\": {i}")).collect();
            members.push("\"k1\": 0".to_owned());
            let text = format!("{{{}}}", members.join(", "));
            let problems = parse(text.as_bytes(), Format::Json, &Limits::default()).unwrap_err();
            assert_eq!(problems.len(), 1, "{keys} keys: {problems:?}");
            assert_eq!(
                problems[0].span.start,
                text.rfind("\"k1\"").unwrap(),
                "{keys} keys"
            );
        }
    }

    /// Issue 10: `input/limit` named six situations; each now has its own code, still under
    /// the rule `input/limit`.
    #[test]
    fn each_limit_has_its_own_code_under_the_limit_rule() {
        let small = Limits {
            max_bytes: 64,
            max_depth: 2,
            max_array_len: 2,
            max_table_len: 2,
            max_string_len: 4,
        };
        let cases = [
            (
                format!("{{\"a\": \"{}\"}}", "x".repeat(80)),
                InputCode::FileSize,
            ),
            ("{\"a\": {\"b\": {\"c\": 1}}}".to_owned(), InputCode::Depth),
            ("{\"a\": [1, 2, 3]}".to_owned(), InputCode::ArrayLength),
            (
                "{\"a\": 1, \"b\": 2, \"c\": 3}".to_owned(),
                InputCode::TableSize,
            ),
            ("{\"a\": \"long text\"}".to_owned(), InputCode::StringLength),
        ];
        for (text, code) in cases {
            let problems = parse(text.as_bytes(), Format::Json, &small).unwrap_err();
            assert_eq!(problems[0].code, code.into(), "{text}");
            assert_eq!(problems[0].id(), "input/limit", "{text}");
        }
    }

    #[test]
    fn a_table_of_too_many_keys_is_a_located_limit_problem_in_every_format() {
        let limits = Limits {
            max_table_len: 3,
            ..Limits::default()
        };
        let cases = [
            ("[t]\na = 1\nb = 2\nc = 3\nd = 4\n", Format::Toml),
            (
                "{\"t\": {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}}",
                Format::Json,
            ),
            ("t:\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n", Format::Yaml),
        ];
        for (text, format) in cases {
            let problems = parse(text.as_bytes(), format, &limits).unwrap_err();
            assert_eq!(problems[0].id(), "input/limit", "{format:?}");
            assert!(problems[0].message.contains("4 keys"), "{format:?}");
            // located at the table `t`, not at the whole file
            let span = problems[0].span.clone();
            assert!(
                span.end > span.start && span != (0..text.len()),
                "{format:?}: {span:?}"
            );
        }
    }

    /// Duplicate keys were once compared pairwise: 40 000 keys took seconds, 10× the keys 60×
    /// the time. A table as large as the limit allows must stay fast.
    #[test]
    fn a_large_table_is_read_in_linear_time() {
        let keys = 60_000;
        let limits = Limits {
            max_table_len: keys,
            ..Limits::default()
        };
        let body: Vec<String> = (0..keys).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}}}", body.join(","));
        let start = std::time::Instant::now();
        let doc = parse(text.as_bytes(), Format::Json, &limits).unwrap();
        let elapsed = start.elapsed();
        assert!(matches!(&doc.root.value, Value::Table(e) if e.len() == keys));
        assert!(elapsed.as_secs() < 5, "{keys} keys took {elapsed:?}");
    }

    #[test]
    fn numbers_that_overflow_or_are_not_finite_are_located_problems_in_every_format() {
        let numbers = ["1e400", "-1e400", "123456789012345678901234567890"];
        let toml = numbers.iter().chain(&["nan", "inf", "-inf", "+nan"]);
        let yaml = numbers.iter().chain(&[".nan", ".inf", "-.inf", ".NaN"]);
        let cases = toml
            .map(|n| (format!("[t]\nv = {n}\n"), Format::Toml, *n))
            .chain(
                numbers
                    .iter()
                    .map(|n| (format!("{{\"t\": {{\"v\": {n}}}}}"), Format::Json, *n)),
            )
            .chain(yaml.map(|n| (format!("t:\n  v: {n}\n"), Format::Yaml, *n)));
        for (text, format, number) in cases {
            let problems = match parse(text.as_bytes(), format, &Limits::default()) {
                Ok(doc) => panic!(
                    "{format:?} {number}: read as {:?}",
                    value_at(&doc, &["t", "v"])
                ),
                Err(problems) => problems,
            };
            assert_eq!(problems[0].id(), "input/number", "{format:?} {number}");
            assert_eq!(&text[problems[0].span.clone()], number, "{format:?}");
        }
    }

    #[test]
    fn numbers_in_range_are_numbers_in_every_format() {
        let cases = [
            ("[t]\nv = 1.5e300\nw = -9223372036854775808\n", Format::Toml),
            (
                "{\"t\": {\"v\": 1.5e300, \"w\": -9223372036854775808}}",
                Format::Json,
            ),
            (
                "t:\n  v: 1.5e300\n  w: -9223372036854775808\n",
                Format::Yaml,
            ),
        ];
        for (text, format) in cases {
            let doc = parse_ok(text, format);
            for key in ["v", "w"] {
                assert!(
                    matches!(value_at(&doc, &["t", key]).value, Value::Number(_)),
                    "{format:?} {key}"
                );
            }
        }
    }

    #[test]
    fn a_raw_control_character_is_a_located_syntax_problem_in_every_format() {
        let cases = [
            ("[product]\nid = \"X\u{1b}[2J\"\n", Format::Toml),
            ("{\"product\": {\"id\": \"X\u{1b}[2J\"}}", Format::Json),
            ("product:\n  id: \"X\u{1b}[2J\"\n", Format::Yaml),
            ("product:\n  id: X\u{9b}31m\n", Format::Yaml),
        ];
        for (text, format) in cases {
            let problems = parse(text.as_bytes(), format, &Limits::default()).unwrap_err();
            assert_eq!(problems[0].id(), "input/syntax", "{format:?}");
            let at = problems[0].span.start;
            assert!(
                text[at..].starts_with(['\u{1b}', '\u{9b}']) || format == Format::Toml,
                "{format:?}: {:?}",
                problems[0]
            );
        }
        // Written escaped, it is a value.
        let doc = parse_ok("{\"product\": {\"id\": \"X\\u001b\"}}", Format::Json);
        assert_eq!(value_at(&doc, &["product", "id"]).as_str(), Some("X\u{1b}"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let cases = [
            ("[product\nid = 1\n", Format::Toml),
            ("{\"product\": {\"id\": \"X\",}}", Format::Json),
            ("product:\n  id: [1, 2\n", Format::Yaml),
        ];
        for (text, format) in cases {
            let problems = parse(text.as_bytes(), format, &Limits::default()).unwrap_err();
            assert_eq!(problems[0].id(), "input/syntax", "{format:?}");
            assert!(problems[0].span.start <= text.len(), "{format:?}");
        }
    }
}
