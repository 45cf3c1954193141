//! Strict JSON (RFC 8259) → [`Node`], in one pass: every key and value is read with its byte
//! span straight into the document tree. A general-purpose parser first built a tree of its
//! own, which was then walked and copied; on a catalogue of JSON products that was a third of
//! a run. Nothing lenient is read: no comments, trailing commas, single quotes, bare words,
//! or numbers JSON does not write (`01`, `.5`, `+1`, `NaN`).

use super::{Builder, Entry, Limits, Node, Span, Value};
use crate::code::InputCode;
use crate::diagnostic::Problem;
use crate::json_bytes;

pub(super) fn parse(text: &str, limits: &Limits) -> Result<Node, Vec<Problem>> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        builder: Builder {
            limits,
            problems: Vec::new(),
        },
    };
    parser.skip_blanks();
    if parser.at == text.len() {
        return Err(vec![Problem::new(
            InputCode::Empty,
            "the JSON file is empty",
            0..0,
        )]);
    }
    let root = parser.value(0).map_err(|problem| vec![problem])?;
    parser.skip_blanks();
    if parser.at < text.len() {
        return Err(vec![
            parser.expected("the end of the file after the document")
        ]);
    }
    parser.builder.finish(root)
}

struct Parser<'t, 'l> {
    text: &'t str,
    bytes: &'t [u8],
    /// The next byte to read.
    at: usize,
    /// The limits, and the problems that do not stop the reading (a long string, a key
    /// written twice), in document order.
    builder: Builder<'l>,
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_blanks(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// The value at `self.at` (not a blank), `depth` containers deep.
    fn value(&mut self, depth: usize) -> Result<Node, Problem> {
        if depth > self.builder.limits.max_depth {
            return Err(super::depth_problem(self.at, self.builder.limits));
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let start = self.at;
                let text = self.string()?;
                let span = start..self.at;
                self.builder.check_string(&text, &span);
                Ok(Node::new(span, Value::String(text)))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            _ => Err(self.expected("a value")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, Problem> {
        let mut entries = Vec::new();
        let (span, mark) = self.members(b'}', |p| {
            if p.peek() != Some(b'"') {
                return Err(p.expected("a key in double quotes"));
            }
            let key_start = p.at;
            let key = p.string()?;
            let key_span = key_start..p.at;
            p.skip_blanks();
            if p.peek() != Some(b':') {
                return Err(p.expected("`:` after the key"));
            }
            p.at += 1;
            p.skip_blanks();
            let node = p.value(depth + 1)?;
            entries.push(Entry {
                key,
                key_span,
                node,
            });
            Ok(())
        })?;
        if let Some(problem) = self.builder.table_problem(entries.len(), &span) {
            self.builder.problems.insert(mark, problem);
        }
        self.builder.check_duplicates(&entries);
        Ok(Node::new(span, Value::Table(entries)))
    }

    fn array(&mut self, depth: usize) -> Result<Node, Problem> {
        let mut items = Vec::new();
        let (span, mark) = self.members(b']', |p| {
            items.push(p.value(depth + 1)?);
            Ok(())
        })?;
        if let Some(problem) = self.builder.array_problem(items.len(), &span) {
            self.builder.problems.insert(mark, problem);
        }
        Ok(Node::new(span, Value::Array(items)))
    }

    /// The members of the object or array whose opening bracket is at `self.at`, each read by
    /// `member` from its first byte, up to `close`. Gives the container's span, and where its
    /// own problems go among the builder's: before those found inside it, as the document
    /// reads.
    fn members(
        &mut self,
        close: u8,
        mut member: impl FnMut(&mut Self) -> Result<(), Problem>,
    ) -> Result<(Span, usize), Problem> {
        let start = self.at;
        self.at += 1;
        let mark = self.builder.problems.len();
        self.skip_blanks();
        if self.peek() == Some(close) {
            self.at += 1;
        } else {
            loop {
                member(self)?;
                if self.after_member(close)? {
                    break;
                }
            }
        }
        Ok((start..self.at, mark))
    }

    /// After a member of an object or array: `true` past its `close`, `false` past a comma
    /// with the next member's first byte at `self.at`.
    fn after_member(&mut self, close: u8) -> Result<bool, Problem> {
        self.skip_blanks();
        match self.peek() {
            Some(b',') => {
                let comma = self.at;
                self.at += 1;
                self.skip_blanks();
                if self.peek() == Some(close) {
                    return Err(syntax("trailing commas are not allowed", comma..comma + 1)
                        .with_help("remove the comma after the last member"));
                }
                Ok(false)
            }
            Some(b) if b == close => {
                self.at += 1;
                Ok(true)
            }
            _ if close == b'}' => Err(self.expected("`,` or `}` after the member")),
            _ => Err(self.expected("`,` or `]` after the item")),
        }
    }

    /// The string whose opening quote is at `self.at`, unescaped; `self.at` ends past its
    /// closing quote.
    fn string(&mut self) -> Result<String, Problem> {
        let open = self.at;
        let mut plain = open + 1;
        // Most strings hold no escape: their text is then one copy of one slice.
        let mut unescaped = String::new();
        loop {
            let Some(i) = json_bytes::next_special(self.bytes, plain) else {
                return Err(syntax("the file ends inside a string", open..open + 1)
                    .with_help("close the string with `\"`"));
            };
            // `i` is at an ASCII byte and `plain` just after one: both are char boundaries.
            let run = &self.text[plain..i];
            match self.bytes[i] {
                b'"' => {
                    self.at = i + 1;
                    return Ok(if unescaped.is_empty() {
                        run.to_owned()
                    } else {
                        unescaped.push_str(run);
                        unescaped
                    });
                }
                b'\\' => {
                    unescaped.push_str(run);
                    plain = self.escape(i, &mut unescaped)?;
                }
                b'\n' | b'\r' => {
                    return Err(syntax("a line break inside a string", open..i).with_help(
                        "close the string with `\"` before the end of the line, or write the break as `\\n`",
                    ))
                }
                control => {
                    return Err(syntax(
                        &format!("a raw control character U+{control:04X} inside a string"),
                        i..i + 1,
                    )
                    .with_help(format!("write it escaped: \\u{control:04x}")))
                }
            }
        }
    }

    /// The escape whose backslash is at `at`, pushed onto `out`; the index after it.
    fn escape(&self, at: usize, out: &mut String) -> Result<usize, Problem> {
        let c = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let (c, next) = self.unicode_escape(at)?;
                out.push(c);
                return Ok(next);
            }
            Some(_) => {
                let c = self.text[at + 1..].chars().next().unwrap_or_default();
                return Err(syntax(
                    &format!("`\\{c}` is not a JSON escape"),
                    at..at + 1 + c.len_utf8(),
                )
                .with_help(
                    "JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u followed by four hexadecimal digits",
                ));
            }
            None => {
                return Err(syntax("the file ends inside a string", at..at + 1)
                    .with_help("close the string with `\"`"))
            }
        };
        out.push(c);
        Ok(at + 2)
    }

    /// `\uXXXX` at `at`, or two of them for a character beyond the Basic Multilingual Plane
    /// (a UTF-16 surrogate pair): the character and the index after the escape.
    fn unicode_escape(&self, at: usize) -> Result<(char, usize), Problem> {
        let high = self.hex4(at)?;
        let lone = || {
            syntax("a lone UTF-16 surrogate, which is no character", at..at + 6).with_help(
                "a character beyond U+FFFF is written as a pair: \\ud83d\\ude00, or as itself",
            )
        };
        let code = match high {
            0xD800..=0xDBFF => {
                if self.bytes.get(at + 6..at + 8) != Some(b"\\u") {
                    return Err(lone());
                }
                let low = self.hex4(at + 6)?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(lone());
                }
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code).map(|c| (c, at + 12)).ok_or_else(lone);
            }
            0xDC00..=0xDFFF => return Err(lone()),
            code => code,
        };
        char::from_u32(code).map(|c| (c, at + 6)).ok_or_else(lone)
    }

    /// The four hexadecimal digits after the `\u` at `at`.
    fn hex4(&self, at: usize) -> Result<u32, Problem> {
        let digits = self
            .bytes
            .get(at + 2..at + 6)
            .filter(|digits| digits.iter().all(u8::is_ascii_hexdigit));
        match digits {
            Some(digits) => Ok(digits
                .iter()
                .fold(0, |n, &d| n * 16 + char::from(d).to_digit(16).unwrap_or(0))),
            None => Err(syntax("`\\u` needs four hexadecimal digits", at..at + 2)
                .with_help("write a character as \\u followed by four digits: \\u00e9")),
        }
    }

    fn number(&mut self) -> Result<Node, Problem> {
        let start = self.at;
        let Some(end) = number_end(self.bytes, start) else {
            let span = self.token();
            return Err(syntax(
                &format!("`{}` is not a JSON number", &self.text[span.clone()]),
                span,
            )
            .with_help("JSON numbers are written like -12, 0.5 or 1.5e3: no leading zeros, no `+`, no bare `.`, no NaN or Infinity"));
        };
        self.at = end;
        let span = start..end;
        let value = number(&mut self.builder, &self.text[span.clone()], &span);
        Ok(Node::new(span, value))
    }

    /// `true`, `false` or `null`, which `value` was begun with.
    fn word(&mut self, word: &str, value: Value) -> Result<Node, Problem> {
        let span = self.token();
        if &self.text[span.clone()] != word {
            return Err(self.expected("a value"));
        }
        self.at = span.end;
        Ok(Node::new(span, value))
    }

    /// What stands at `self.at`, to be named in a problem: a run of letters, digits and
    /// number signs (a bare word, a malformed number), else one character.
    fn token(&self) -> Span {
        let start = self.at;
        let word = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-');
        let end = start
            + self.bytes[start..]
                .iter()
                .position(|b| !word(b))
                .unwrap_or(self.bytes.len() - start);
        if end > start {
            return start..end;
        }
        let width = self.text[start..].chars().next().map_or(0, char::len_utf8);
        start..start + width
    }

    /// The problem of finding something else where `what` was expected.
    fn expected(&self, what: &str) -> Problem {
        if self.at >= self.bytes.len() {
            let end = self.bytes.len();
            return syntax(
                &format!("the file ends where {what} was expected"),
                end..end,
            )
            .with_help("the document is cut short: close every `{` and `[` it opens");
        }
        let span = self.token();
        let found = &self.text[span.clone()];
        let problem = syntax(&format!("expected {what}, found `{found}`"), span);
        match self.bytes[self.at] {
            b'\'' => problem.with_help("JSON writes strings and keys in double quotes"),
            b'/' | b'#' => problem.with_help("JSON has no comments"),
            b if b.is_ascii_alphabetic() && what.starts_with("a key") => {
                problem.with_help(format!("write the key in double quotes: \"{found}\""))
            }
            _ => problem,
        }
    }
}

/// Where the number that starts at `start` ends, when it is one as JSON writes it: `-`, an
/// integer without leading zeros, a fraction, an exponent.
fn number_end(bytes: &[u8], start: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let at_digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = start + usize::from(bytes.get(start) == Some(&b'-'));
    i = match bytes.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(i + 1),
        _ => return None,
    };
    if bytes.get(i) == Some(&b'.') {
        if !at_digit(i + 1) {
            return None;
        }
        i = digits(i + 1);
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = bytes.get(i) {
            i += 1;
        }
        if !at_digit(i) {
            return None;
        }
        i = digits(i);
    }
    // A number runs on into a letter, a digit or a point only by mistake: `01`, `1x`, `1.2.3`.
    let runs_on = bytes
        .get(i)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'.');
    (!runs_on).then_some(i)
}

/// A syntax problem at `span`.
fn syntax(message: &str, span: Span) -> Problem {
    Problem::new(
        InputCode::InvalidJson,
        format!("invalid JSON: {message}"),
        span,
    )
    .with_label("here")
}

/// A JSON number as i64, u64 or a finite f64. serde_json would read a 30-digit integer as a
/// rounded float, and refuses `1e400`; both are located problems here.
fn number(b: &mut Builder, text: &str, span: &Span) -> Value {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value as J;

    fn read(text: &str) -> Result<Node, Vec<Problem>> {
        parse(text, &Limits::default())
    }

    /// Equal as JSON values, numbers compared by value: serde_json reads `-0` as a float
    /// where this reader keeps the integer 0, and both are the number zero.
    fn same(a: &J, b: &J) -> bool {
        match (a, b) {
            (J::Number(x), J::Number(y)) => match (x.as_i64(), y.as_i64()) {
                (Some(x), Some(y)) => x == y,
                _ => x
                    .as_u64()
                    .zip(y.as_u64())
                    .map_or_else(|| x.as_f64() == y.as_f64(), |(x, y)| x == y),
            },
            (J::Array(x), J::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
            }
            (J::Object(x), J::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    /// Every node's span, and every key's, holds exactly what the node was read as.
    fn spans_hold_their_values(text: &str, node: &Node) {
        let written: J = serde_json::from_str(&text[node.span.clone()]).unwrap();
        assert!(
            same(&written, &node.to_json()),
            "{:?}",
            &text[node.span.clone()]
        );
        match &node.value {
            Value::Array(items) => items.iter().for_each(|n| spans_hold_their_values(text, n)),
            Value::Table(entries) => {
                for entry in entries {
                    let key: String = serde_json::from_str(&text[entry.key_span.clone()]).unwrap();
                    assert_eq!(key, entry.key);
                    spans_hold_their_values(text, &entry.node);
                }
            }
            _ => {}
        }
    }

    fn json_value() -> impl Strategy<Value = J> {
        let leaf = prop_oneof![
            Just(J::Null),
            any::<bool>().prop_map(J::Bool),
            any::<i64>().prop_map(J::from),
            any::<u64>().prop_map(J::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(J::from),
            "(\\PC|[\\x00-\\x20\"\\\\/])*".prop_map(J::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
                prop::collection::vec(("(\\PC|[\"\\\\\\x00-\\x1f])*", inner), 0..6)
                    .prop_map(|members| J::Object(members.into_iter().collect())),
            ]
        })
    }

    /// Pieces that make a document wrong, or right in another way, when put into one.
    const EDITS: &[&str] = &[
        ",", ":", "{", "}", "[", "]", "\"", "\\", "\\u", "\\ud83d", "\\ude00", "0", "-", ".", "e",
        "+", "1e400", " ", "\n", "\t", "tru", "null", "'", "/", "é", "01", "NaN",
    ];

    proptest! {
        /// Whatever serde_json writes, compact or pretty, is read back as the same value,
        /// with every span on its text.
        #[test]
        fn what_serde_json_writes_is_read_back_with_its_spans(value in json_value()) {
            for text in [
                serde_json::to_string(&value).unwrap(),
                serde_json::to_string_pretty(&value).unwrap(),
            ] {
                let node = read(&text).unwrap();
                prop_assert!(same(&node.to_json(), &value), "{}", text);
                spans_hold_their_values(&text, &node);
            }
        }

    }

    proptest! {
        // Most edits make a document that any reader refuses: many cases, so that the ones
        // only a lenient reader would take come up.
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// On a document with edits in it, this reader and serde_json agree: what one reads the
        /// other reads as the same value, and what only serde_json reads is refused here for a
        /// reason other than syntax (a number out of range, a key written twice). Every
        /// problem's span lies on the text.
        #[test]
        fn on_edited_documents_the_reader_agrees_with_serde_json(
            value in json_value(),
            edits in prop::collection::vec(
                (any::<prop::sample::Index>(), 0..EDITS.len(), any::<bool>(), any::<bool>()),
                1..3,
            ),
        ) {
            let mut text = serde_json::to_string_pretty(&value).unwrap();
            for (at, edit, replace, at_a_value) in edits {
                // Half the edits land where a value or key starts, where most mistakes are made.
                let starts_value = |i: usize| {
                    text[..i].trim_end().ends_with([':', ',', '[', '{'])
                        && !text[i..].starts_with(char::is_whitespace)
                };
                let boundaries: Vec<usize> = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i) && (!at_a_value || starts_value(i)))
                    .collect();
                if boundaries.is_empty() {
                    continue;
                }
                let at = boundaries[at.index(boundaries.len())];
                let end = if replace {
                    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
                } else {
                    at
                };
                text.replace_range(at..end, EDITS[edit]);
            }
            let reference = serde_json::from_str::<J>(&text);
            match (read(&text), reference) {
                (Ok(node), Ok(value)) => prop_assert!(same(&node.to_json(), &value), "{}", text),
                (Ok(_), Err(e)) => prop_assert!(false, "read, though serde_json says {e}: {text}"),
                (Err(problems), reference) => {
                    for problem in &problems {
                        prop_assert!(text.get(problem.span.clone()).is_some(), "{:?} in {}", problem.span, text);
                    }
                    if reference.is_ok() {
                        prop_assert!(problems.iter().all(|p| p.id() != "input/syntax"), "{}: {}", problems[0].message, text);
                    }
                }
            }
        }
    }

    #[test]
    fn escapes_and_surrogate_pairs_are_read_as_serde_json_reads_them() {
        for text in [
            r#""\" \\ \/ \b \f \n \r \t""#,
            r#""\u00e9\u0000\uFFFF""#,
            r#""\ud83d\ude00 beyond the plane""#,
        ] {
            let reference: J = serde_json::from_str(text).unwrap();
            assert_eq!(read(text).unwrap().to_json(), reference, "{text}");
        }
        for text in [
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
            r#""\u12""#,
            r#""\x41""#,
        ] {
            assert!(serde_json::from_str::<J>(text).is_err(), "{text}");
            let problems = read(text).unwrap_err();
            assert_eq!(problems[0].id(), "input/syntax", "{text}");
        }
    }

    #[test]
    fn each_mistake_is_named_where_it_stands() {
        let cases = [
            ("{\"a\": 1,}", "trailing commas", ","),
            ("[1, 2,]", "trailing commas", ","),
            ("{a: 1}", "a key in double quotes", "a"),
            ("{'a': 1}", "a key in double quotes", "'"),
            ("{\"a\" 1}", "`:` after the key", "1"),
            ("{\"a\": 1 \"b\": 2}", "`,` or `}`", "\""),
            ("[1 2]", "`,` or `]`", "2"),
            ("{\"a\": 01}", "`01` is not a JSON number", "01"),
            ("{\"a\": -Infinity}", "not a JSON number", "-Infinity"),
            ("{\"a\": NaN}", "expected a value, found `NaN`", "NaN"),
            ("{\"a\": tru}", "expected a value", "tru"),
            ("{\"a\": 1} // note", "the end of the file", "/"),
            (
                "{\"a\": \"open\n}",
                "a line break inside a string",
                "\"open",
            ),
            ("{\"a\": [1, 2", "the file ends", ""),
            ("{\"a\": \"open", "the file ends inside a string", "\""),
        ];
        for (text, message, at) in cases {
            let problems = read(text).unwrap_err();
            let problem = &problems[0];
            assert_eq!(problem.id(), "input/syntax", "{text}");
            assert!(
                problem.message.contains(message),
                "{text}: {}",
                problem.message
            );
            assert_eq!(&text[problem.span.clone()], at, "{text}");
        }
    }
}
