//! Byte offsets (how formfit locates everything) and LSP positions (line and UTF-16 code unit,
//! how editors do) converted both ways over one line index per document text.

use lsp_types::{Position, Range};

use crate::span::{self, Span};

/// A document's line index ([`span::LineIndex`]) read in LSP positions, so that a conversion
/// is a search, not a scan.
#[derive(Debug, Clone)]
pub struct LineIndex(span::LineIndex);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex(span::LineIndex::new(text))
    }

    /// The position of a byte offset: an offset past the end is the end, and one inside a
    /// character is that character's start.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let (offset, line) = self.0.line_of(text, offset);
        let start = self.0.line_start(line).unwrap_or_default();
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position {
            line: saturate(line),
            character: saturate(character),
        }
    }

    pub fn range(&self, text: &str, span: &Span) -> Range {
        Range {
            start: self.position(text, span.start),
            end: self.position(text, span.end.max(span.start)),
        }
    }

    /// The byte offset of a position. A line past the last is the end of the text; a
    /// character past the line's end is the line's end (before its `\r\n`), as the protocol
    /// asks; a position inside a surrogate pair is the start of its character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(start) = usize::try_from(position.line)
            .ok()
            .and_then(|line| self.0.line_start(line))
        else {
            return text.len();
        };
        let line = &text[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let wanted = usize::try_from(position.character).unwrap_or(usize::MAX);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units + c.len_utf16() > wanted {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn a_calibre_after_a_multiplication_sign_is_counted_in_utf16_units() {
        // `×` is two bytes in UTF-8 and one UTF-16 unit; `𝟓` (outside the BMP) is four bytes
        // and two units.
        let text = "[ammunition]\ncaliber = \"5.56×45 mm\" # 𝟓x\n";
        let index = LineIndex::new(text);
        let mm = text.find(" mm").unwrap();
        assert_eq!(index.position(text, mm), at(1, 18));
        assert_eq!(index.offset(text, at(1, 18)), mm);
        let x = text.rfind('x').unwrap();
        assert_eq!(index.position(text, x), at(1, 27));
        assert_eq!(index.offset(text, at(1, 27)), x);
        // Inside the surrogate pair: the character's start.
        assert_eq!(index.offset(text, at(1, 26)), text.find('𝟓').unwrap());
    }

    #[test]
    fn every_char_boundary_goes_there_and_back() {
        let text = "a = \"µ×𝟓\"\r\nb = 1\n\nc";
        let index = LineIndex::new(text);
        for (offset, c) in text.char_indices() {
            if c == '\n' || c == '\r' {
                continue;
            }
            assert_eq!(index.offset(text, index.position(text, offset)), offset);
        }
        assert_eq!(index.position(text, text.len()), at(3, 1));
    }

    #[test]
    fn positions_out_of_range_are_clamped_to_the_line_or_the_text() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, at(0, 99)), 2, "before the \\r\\n");
        assert_eq!(index.offset(text, at(7, 0)), text.len());
        assert_eq!(index.position(text, 999), at(1, 2));
        // An offset inside a character is that character.
        let text = "×";
        assert_eq!(LineIndex::new(text).position(text, 1), at(0, 0));
    }
}
