//! Product text made safe to show: a product's ids, values and file names are written by
//! whoever wrote the product, and must not drive the terminal that shows a report (clear the
//! screen, move the cursor, reorder text with bidi overrides) nor break an XML report.

use std::borrow::Cow;

/// Whether a terminal would act on `c` rather than show it: C0 controls (but newline and
/// tab), DEL, C1 controls, and the bidirectional overrides, embeddings, isolates and marks
/// that reorder what is shown (the "Trojan Source" characters).
fn drives_terminal(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if c.is_control() => true, // U+0000–U+001F, U+007F–U+009F
        '\u{061c}' | '\u{200e}' | '\u{200f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// `c` as Rust writes it in a string literal: `\u{1b}`.
fn escaped(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// `text` with every character a terminal would act on written as `\u{…}`; borrowed when
/// there is none (the usual case).
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(drives_terminal) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if drives_terminal(c) {
                    escaped(c)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A source text escaped for the terminal, with what moves its byte offsets, so that spans
/// into the original still point at the same characters in the escaped text.
pub struct EscapedSource {
    pub text: String,
    /// (end of an escaped character in the original, bytes added up to there), ascending.
    shifts: Vec<(usize, usize)>,
}

impl EscapedSource {
    /// An offset into the original text, moved to the same place in the escaped one.
    pub fn offset(&self, original: usize) -> usize {
        let before = self.shifts.partition_point(|&(end, _)| end <= original);
        match before.checked_sub(1).and_then(|i| self.shifts.get(i)) {
            Some(&(_, added)) => original + added,
            None => original,
        }
    }
}

/// A file's text escaped like [`for_terminal`], except that the `\r` of a CRLF line end is
/// kept (CRLF files are accepted and their line ends are not the file's content); `None` when
/// nothing needs escaping.
pub fn source_for_terminal(text: &str) -> Option<EscapedSource> {
    let needs =
        |i: usize, c: char| drives_terminal(c) && !(c == '\r' && text[i..].starts_with("\r\n"));
    if !text.char_indices().any(|(i, c)| needs(i, c)) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut shifts = Vec::new();
    let mut added = 0;
    for (i, c) in text.char_indices() {
        if needs(i, c) {
            let replacement = escaped(c);
            added += replacement.len() - c.len_utf8();
            out.push_str(&replacement);
            shifts.push((i + c.len_utf8(), added));
        } else {
            out.push(c);
        }
    }
    Some(EscapedSource { text: out, shifts })
}

/// Whether XML 1.0 can carry `c` at all, even as a character reference (§2.2 Char).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// `text` with the characters XML 1.0 cannot carry written as `\u{…}`, so that a document
/// holding product text stays well-formed.
pub fn for_xml(text: &str) -> Cow<'_, str> {
    if text.chars().all(xml_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if xml_char(c) {
                    c.to_string()
                } else {
                    escaped(c)
                }
            })
            .collect(),
    )
}

/// A JUnit document as quick-junit writes it, made fit for the xunit XSD that Jenkins and
/// GitLab read: the characters XML cannot carry escaped ([`for_xml`]), and no `skipped` count
/// on `testsuites` (the XSD allows it only on each suite).
pub fn for_xunit(xml: &str) -> String {
    let xml = for_xml(xml);
    let Some(start) = xml.find("<testsuites") else {
        return xml.into_owned();
    };
    let end = xml[start..].find('>').map_or(xml.len(), |e| start + e);
    let Some(at) = xml[start..end].find(" skipped=\"").map(|at| start + at) else {
        return xml.into_owned();
    };
    let value = at + " skipped=\"".len();
    let close = xml[value..end].find('"').map_or(end, |e| value + e + 1);
    format!("{}{}", &xml[..at], &xml[close..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_written_out() {
        assert_eq!(
            for_terminal("a\u{1b}[2J\rb\u{7}\u{9b}c\u{202e}d\u{2066}"),
            "a\\u{1b}[2J\\u{d}b\\u{7}\\u{9b}c\\u{202e}d\\u{2066}"
        );
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "5.56×45 mm NATO\n\tdéjà vu — ok";
        assert!(matches!(for_terminal(text), Cow::Borrowed(t) if t == text));
        assert!(matches!(for_xml(text), Cow::Borrowed(t) if t == text));
        assert!(source_for_terminal("a = 1\r\nb = 2\r\n").is_none());
    }

    #[test]
    fn offsets_into_an_escaped_source_point_at_the_same_text() {
        let text = "id = \"\u{1b}X\"\r\nname = \"\u{202e}N\"\n";
        let escaped = source_for_terminal(text).unwrap();
        for needle in ["id", "X\"", "name", "N\""] {
            let at = text.find(needle).unwrap();
            let moved = escaped.offset(at);
            assert_eq!(&escaped.text[moved..moved + needle.len()], needle);
        }
        // a span starting at an escaped character covers its escape
        let esc = text.find('\u{1b}').unwrap();
        let (start, end) = (escaped.offset(esc), escaped.offset(esc + 1));
        assert_eq!(&escaped.text[start..end], "\\u{1b}");
        assert!(escaped.text.contains("\r\n"), "a CRLF line end is kept");
    }

    #[test]
    fn xml_keeps_what_it_can_carry_and_writes_out_the_rest() {
        assert_eq!(
            for_xml("a\u{1b}b\u{0}c\td\u{fffe}e\u{ffff}\u{7f}"),
            "a\\u{1b}b\\u{0}c\td\\u{fffe}e\\u{ffff}\u{7f}"
        );
    }
}
