//! JSON text written field by field, byte for byte as `serde_json` lays it out (its pretty
//! form, every line under a base indentation, or its compact form), for the objects a batch
//! writes once per product. `serde_json` escapes a string one byte at a time, and on a
//! catalogue that was the largest single cost of writing the report; here eight bytes are
//! looked at a time ([`json_bytes`]), and the plain run before a byte to escape is copied
//! whole.

use crate::json_bytes;

/// A JSON document being written. Keys are formfit's own names, written as they are.
pub struct JsonText {
    /// Text, not bytes: everything written is whole `&str`s and ASCII, so the document needs
    /// no UTF-8 check at the end.
    out: String,
    pretty: bool,
    /// A comma, then (pretty) what starts a line at the current depth: a line feed, the base,
    /// two spaces a level. Kept as the depth changes, so that a member's separator and line
    /// are one copy: all of it after a member, all but the comma before the first.
    line: String,
    /// Whether the innermost open object or array has a member yet.
    has_value: bool,
}

impl JsonText {
    /// serde_json's pretty layout with every line under `base` (the document starts with it).
    pub fn pretty(base: &str) -> Self {
        // A product's object is a kilobyte or two: room for it at once, not by doublings.
        let mut out = String::with_capacity(4096);
        out.push_str(base);
        let mut line = String::with_capacity(base.len() + 17);
        line.push_str(",\n");
        line.push_str(base);
        JsonText {
            out,
            pretty: true,
            line,
            has_value: false,
        }
    }

    /// serde_json's compact layout (one line, no spaces).
    pub fn compact() -> Self {
        JsonText {
            out: String::with_capacity(2048),
            pretty: false,
            line: ",".to_owned(),
            has_value: false,
        }
    }

    pub fn finish(self) -> String {
        self.out
    }

    pub fn begin_object(&mut self) {
        self.open('{');
    }

    pub fn end_object(&mut self) {
        self.close('}');
    }

    pub fn begin_array(&mut self) {
        self.open('[');
    }

    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Starts an object's member: the separator, the line, the key.
    #[inline]
    pub fn key(&mut self, key: &str) {
        self.member();
        self.out.push('"');
        self.out.push_str(key);
        // Copies of a length known here are stores; one chosen at run time is a call.
        self.out.push_str("\":");
        if self.pretty {
            self.out.push(' ');
        }
    }

    /// Starts an array's element.
    pub fn element(&mut self) {
        self.member();
    }

    pub fn str(&mut self, text: &str) {
        escape_into(&mut self.out, text);
        self.has_value = true;
    }

    pub fn opt_str(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.str(text),
            None => self.null(),
        }
    }

    pub fn uint(&mut self, n: usize) {
        self.out.push_str(itoa::Buffer::new().format(n));
        self.has_value = true;
    }

    pub fn bool(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
        self.has_value = true;
    }

    pub fn null(&mut self) {
        self.out.push_str("null");
        self.has_value = true;
    }

    /// `"key": "text"`, and the like below: an object's member of each kind in one call.
    #[inline]
    pub fn str_field(&mut self, key: &str, text: &str) {
        self.key(key);
        self.str(text);
    }

    #[inline]
    pub fn opt_str_field(&mut self, key: &str, text: Option<&str>) {
        self.key(key);
        self.opt_str(text);
    }

    #[inline]
    pub fn uint_field(&mut self, key: &str, n: usize) {
        self.key(key);
        self.uint(n);
    }

    #[inline]
    pub fn bool_field(&mut self, key: &str, b: bool) {
        self.key(key);
        self.bool(b);
    }

    fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        if self.pretty {
            self.line.push_str("  ");
        }
        self.has_value = false;
    }

    fn close(&mut self, bracket: char) {
        if self.pretty {
            self.line.truncate(self.line.len().saturating_sub(2));
        }
        // An empty object or array stays `{}` / `[]`, as serde_json writes it.
        if self.has_value && self.pretty {
            self.out.push_str(&self.line[1..]);
        }
        self.out.push(bracket);
        // The enclosing object or array has this one as a member.
        self.has_value = true;
    }

    fn member(&mut self) {
        let from = usize::from(!self.has_value);
        self.out.push_str(&self.line[from..]);
    }
}

/// `text` as a JSON string, escaped exactly as serde_json escapes: `"`, `\` and the C0
/// controls (`\b \t \n \f \r` by name, the others as `\u00xx`); nothing else. The plain runs
/// between bytes to escape are copied whole.
pub fn escape_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push('"');
    let mut plain_from = 0;
    while let Some(i) = json_bytes::next_special(bytes, plain_from) {
        // `i` is at an ASCII byte and `plain_from` just after one: both are char boundaries.
        out.push_str(&text[plain_from..i]);
        let b = bytes[i];
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x09 => out.push_str("\\t"),
            0x0a => out.push_str("\\n"),
            0x0c => out.push_str("\\f"),
            0x0d => out.push_str("\\r"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        plain_from = i + 1;
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        escape_into(&mut out, text);
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for text in [
            "",
            "plain ASCII text longer than one word",
            "5.56×45 mm NATO — “quoted”",
            "a \"quote\" and a \\ backslash at 8: 12345678\"",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f}\u{80}\u{85}",
            "tab\tin the middle of a long line of words",
        ] {
            assert_eq!(
                escaped(text),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(text in "(\\PC|[\\x00-\\x20\"\\\\])*") {
            prop_assert_eq!(escaped(&text), serde_json::to_string(&text).unwrap());
        }
    }

    #[derive(serde::Serialize)]
    struct Sample<'a> {
        name: &'a str,
        count: usize,
        ok: bool,
        none: Option<&'a str>,
        empty: Vec<u8>,
        items: Vec<Inner<'a>>,
    }

    #[derive(serde::Serialize)]
    struct Inner<'a> {
        id: &'a str,
        empty: std::collections::BTreeMap<String, u8>,
    }

    fn write_sample(w: &mut JsonText) {
        w.begin_object();
        w.key("name");
        w.str("n\"1");
        w.key("count");
        w.uint(42);
        w.key("ok");
        w.bool(true);
        w.key("none");
        w.opt_str(None);
        w.key("empty");
        w.begin_array();
        w.end_array();
        w.key("items");
        w.begin_array();
        for id in ["a", "b"] {
            w.element();
            w.begin_object();
            w.key("id");
            w.str(id);
            w.key("empty");
            w.begin_object();
            w.end_object();
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }

    #[test]
    fn both_layouts_are_serde_json_s() {
        let sample = Sample {
            name: "n\"1",
            count: 42,
            ok: true,
            none: None,
            empty: Vec::new(),
            items: ["a", "b"]
                .map(|id| Inner {
                    id,
                    empty: Default::default(),
                })
                .into(),
        };
        let mut compact = JsonText::compact();
        write_sample(&mut compact);
        assert_eq!(compact.finish(), serde_json::to_string(&sample).unwrap());
        let mut pretty = JsonText::pretty("");
        write_sample(&mut pretty);
        assert_eq!(
            pretty.finish(),
            serde_json::to_string_pretty(&sample).unwrap()
        );
        // Under a base, every line starts with it, as `json::indent` writes it.
        let mut nested = JsonText::pretty("    ");
        write_sample(&mut nested);
        assert_eq!(
            nested.finish(),
            crate::render::report::json::indent(&sample, "    ")
        );
    }
}
