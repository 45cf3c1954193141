//! Byte spans and the line index: where a value is in its file. A leaf: it imports nothing of
//! formfit, so inputs, quantities, diagnostics and renderers can all use it.

use std::ops::Range;

/// A byte range in a file's text.
pub type Span = Range<usize>;

/// Start and end (line, column) of a finding, 1-based, columns in characters; the end is
/// exclusive, as SARIF and GitHub expect.
pub fn region(text: &str, span: &Span) -> ((usize, usize), (usize, usize)) {
    (line_col(text, span.start), line_col(text, span.end))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    // Counted as bytes (a line feed is one byte in UTF-8): every finding of every product
    // is placed so.
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Where each line of a text starts, found in one pass: a text that many offsets are placed in
/// (a rule pack, once per finding of every product) is not rescanned from its start each time.
/// The language server reads it in UTF-16 positions (`lsp::position`).
#[derive(Debug, Default, Clone)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// [`line_col`] of `offset` in `text`, the text this index was built from.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let (offset, line) = self.line_of(text, offset);
        let line_start = self.starts[line];
        (line + 1, text[line_start..offset].chars().count() + 1)
    }

    /// The 0-based line of `offset`, with the offset itself moved back to a character start
    /// and to the end of the text at most.
    pub fn line_of(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        (
            offset,
            self.starts.partition_point(|&start| start <= offset) - 1,
        )
    }

    /// Where the 0-based `line` starts; `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }
}

/// Where a string value's content starts in the file, so that a place inside it can be shown
/// exactly; `None` when escapes make the written form differ from the value.
pub fn content_start(text: &str, span: &Span, content: &str) -> Option<usize> {
    text.get(span.clone())?
        .find(content)
        .map(|i| span.start + i)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_place_is_its_line_and_character_column(text in "[a\nµ€ ]{0,40}", at in 0usize..80) {
            let offset = floor_char_boundary(&text, at.min(text.len()));
            let before: Vec<char> = text[..offset].chars().collect();
            let line = before.iter().filter(|&&c| c == '\n').count() + 1;
            let column = before.iter().rev().take_while(|&&c| c != '\n').count() + 1;
            prop_assert_eq!(line_col(&text, at), (line, column));
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nµ = \"x\"\n";
        let offset = text.find("\"x\"").unwrap();
        assert_eq!(line_col(text, offset), (2, 5));
        assert_eq!(line_col(text, 0), (1, 1));
    }

    #[test]
    fn the_line_index_places_every_offset_as_line_col_does() {
        let text = "a = 1\n\nµ = \"x\"\r\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "{offset}"
            );
        }
        assert_eq!(LineIndex::new("").line_col("", 0), (1, 1));
    }
}
