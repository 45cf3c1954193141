//! Where the cursor is in a product file that is being written, so that completion knows
//! what to offer: the keys of the table it is in, or the values of the key it writes.
//!
//! Read from the text before the cursor, not from a parsed document: a file being typed
//! rarely parses. Each format is read by its own small scanner (TOML headers and inline
//! tables, YAML indentation, JSON brackets); none of them needs the rest of the file.

use crate::input::Format;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Keys from the root to the table the cursor is in; array indices are left out.
    pub path: Vec<String>,
    /// The key whose value is being written; `None` when a key is being written.
    pub value_of: Option<String>,
    /// Where what is being typed starts (a byte offset): a completion replaces from here.
    pub start: usize,
    /// Inside a string's quotes: a completion inserts no quotes of its own.
    pub quoted: bool,
}

/// The cursor at `offset` (a char boundary at most the text's length).
pub fn at(text: &str, offset: usize, format: Format) -> Cursor {
    let offset = floor_boundary(text, offset);
    match format {
        Format::Toml => toml(text, offset),
        Format::Json => json(text, offset),
        Format::Yaml => yaml(text, offset),
    }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn is_bare(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The start of the bare word that ends at `offset`.
fn word_start(text: &str, offset: usize) -> usize {
    text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_bare(*c))
        .last()
        .map_or(offset, |(i, _)| i)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// A key path as written (`a.b`, `"x-y".c`), unquoted.
fn dotted(keys: &str) -> Vec<String> {
    keys.split('.')
        .map(|k| k.trim().trim_matches('"').trim_matches('\'').to_owned())
        .filter(|k| !k.is_empty())
        .collect()
}

fn toml(text: &str, offset: usize) -> Cursor {
    let start_of_line = line_start(text, offset);
    let mut path = Vec::new();
    // Where the keys of the last table above start: after its header line.
    let mut body = 0;
    let mut at = 0;
    for line in text[..start_of_line].split_inclusive('\n') {
        at += line.len();
        if let Some(header) = line.trim().strip_prefix('[') {
            let header = header.trim_start_matches('[');
            let header = &header[..header.find(']').unwrap_or(header.len())];
            path = dotted(header);
            body = at;
        }
    }
    let line = &text[start_of_line..offset];
    if let Some(header) = line.trim_start().strip_prefix('[') {
        // A table header being written: the keys of the tables above it.
        let header = header.trim_start_matches('[');
        let mut keys = dotted(header);
        if !header.trim_end().ends_with('.') {
            keys.pop();
        }
        return Cursor {
            path: keys,
            value_of: None,
            start: word_start(text, offset),
            quoted: false,
        };
    }
    // Inline tables and arrays, over lines for an array: `bands = [{ min = "…`,
    // `conforms_to = [\n  "…`.
    let before = &text[body..offset];
    #[derive(Debug)]
    enum Frame {
        Table(Vec<String>),
        Array(Vec<String>),
    }
    let mut frames: Vec<Frame> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut value = false;
    let mut string: Option<(char, usize)> = None;
    let mut comment = false;
    for (i, c) in before.char_indices() {
        if let Some((quote, _)) = string {
            // A string ends at its quote, or (broken) at the end of its line.
            if c == '\n' {
                string = None;
            } else if c == quote {
                if !value {
                    word = before[string.map_or(0, |(_, s)| s)..i].to_owned();
                }
                string = None;
            }
            continue;
        }
        if comment && c != '\n' {
            continue;
        }
        match c {
            '"' | '\'' => string = Some((c, i + 1)),
            '#' => comment = true,
            '\n' => {
                comment = false;
                if frames.is_empty() {
                    keys.clear();
                    word.clear();
                    value = false;
                }
            }
            '.' if !value => keys.push(std::mem::take(&mut word)),
            '=' if !value => {
                keys.push(std::mem::take(&mut word));
                value = true;
            }
            '{' => {
                frames.push(Frame::Table(std::mem::take(&mut keys)));
                value = false;
            }
            '[' if value => frames.push(Frame::Array(std::mem::take(&mut keys))),
            '}' | ']' => {
                frames.pop();
            }
            ',' => match frames.last() {
                Some(Frame::Array(_)) => {}
                _ => {
                    keys.clear();
                    value = false;
                }
            },
            c if is_bare(c) && !value => word.push(c),
            _ => {}
        }
    }
    for frame in &frames {
        let (Frame::Table(k) | Frame::Array(k)) = frame;
        path.extend(k.iter().cloned());
    }
    let (start, quoted) = match string {
        Some((_, start)) => (body + start, true),
        None => (word_start(text, offset), false),
    };
    let value_of = if value {
        match keys.pop() {
            Some(key) => {
                path.extend(keys);
                Some(key)
            }
            // Inside an array: the values of the key it is the value of.
            None => path.pop(),
        }
    } else {
        path.extend(keys);
        None
    };
    Cursor {
        path,
        value_of,
        start,
        quoted,
    }
}

fn json(text: &str, offset: usize) -> Cursor {
    struct Frame {
        object: bool,
        /// The key this container is the value of; `None` inside an array (transparent).
        via: Option<String>,
        key: Option<String>,
        colon: bool,
    }
    let mut frames: Vec<Frame> = Vec::new();
    let mut string: Option<usize> = None;
    let mut escaped = false;
    for (i, c) in text[..offset].char_indices() {
        if let Some(start) = string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                string = None;
                if let Some(top) = frames.last_mut().filter(|f| f.object && !f.colon) {
                    top.key = Some(text[start..i].to_owned());
                }
            }
            continue;
        }
        match c {
            '"' => string = Some(i + 1),
            '{' | '[' => {
                let via = match frames.last() {
                    Some(top) if top.object && top.colon => top.key.clone(),
                    _ => None,
                };
                frames.push(Frame {
                    object: c == '{',
                    via,
                    key: None,
                    colon: false,
                });
            }
            '}' | ']' => {
                frames.pop();
            }
            ':' => {
                if let Some(top) = frames.last_mut() {
                    top.colon = true;
                }
            }
            ',' => {
                if let Some(top) = frames.last_mut() {
                    top.key = None;
                    top.colon = false;
                }
            }
            _ => {}
        }
    }
    let mut path: Vec<String> = frames.iter().filter_map(|f| f.via.clone()).collect();
    let value_of = match frames.last() {
        Some(top) if top.object && top.colon => top.key.clone(),
        Some(top) if top.object => None,
        Some(top) if top.via.is_some() => path.pop(),
        _ => None,
    };
    let (start, quoted) = match string {
        Some(start) => (start, true),
        None => (word_start(text, offset), false),
    };
    Cursor {
        path,
        value_of,
        start,
        quoted,
    }
}

/// A YAML line's indentation and what follows it, with list dashes (`- `) counted as
/// indentation, as YAML does for the item's keys.
fn yaml_content(line: &str) -> (usize, &str, bool) {
    let mut rest = line;
    let mut indent = 0;
    let mut item = false;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        indent += rest.len() - trimmed.len();
        match trimmed
            .strip_prefix("- ")
            .or(if trimmed == "-" { Some("") } else { None })
        {
            Some(after) => {
                indent += trimmed.len() - after.len();
                rest = after;
                item = true;
            }
            None => return (indent, trimmed, item),
        }
    }
}

/// The key a YAML line starts with (`key:` followed by a space or the end).
fn yaml_key(content: &str) -> Option<(&str, usize)> {
    let colon = content
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|i| content[i + 1..].is_empty() || content[i + 1..].starts_with([' ', '\t']))?;
    let key = content[..colon].trim().trim_matches('"').trim_matches('\'');
    (!key.is_empty() && !key.starts_with('#')).then_some((key, colon))
}

fn yaml(text: &str, offset: usize) -> Cursor {
    let start_of_line = line_start(text, offset);
    let before = &text[start_of_line..offset];
    let (indent, content, item) = yaml_content(before);
    let mut path = Vec::new();
    let mut limit = indent;
    for line in text[..start_of_line].lines().rev() {
        let (line_indent, line_content, _) = yaml_content(line);
        if line_content.trim().is_empty() || line_content.starts_with('#') {
            continue;
        }
        if line_indent < limit {
            if let Some((key, _)) = yaml_key(line_content) {
                path.push(key.to_owned());
            }
            // The dash of a list item is the item's own indentation.
            limit = line.len() - line.trim_start_matches([' ', '-']).len();
            limit = limit.min(line_indent);
            if limit == 0 {
                break;
            }
        }
    }
    path.reverse();
    let content_start = offset - content.len();
    let (value_of, value_start) = match yaml_key(content) {
        Some((key, colon)) => (Some(key.to_owned()), content_start + colon + 1),
        // `- F-34` under `grades:`: a value of the list's key.
        None if item && !content.is_empty() => (path.pop(), content_start),
        None => (None, content_start),
    };
    let (start, quoted) = match value_of {
        Some(_) => {
            let typed = &text[value_start..offset];
            let after = typed
                .rfind(['[', ',', '{'])
                .map_or(value_start, |i| value_start + i + 1);
            let typed = &text[after..offset];
            let lead = typed.len() - typed.trim_start().len();
            let at = after + lead;
            match text[at..offset].chars().next() {
                Some('"' | '\'') => (at + 1, true),
                _ => (at, false),
            }
        }
        None => (word_start(text, offset), false),
    };
    Cursor {
        path,
        value_of,
        start,
        quoted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor where `|` is in `text`.
    fn cursor(text: &str, format: Format) -> (Cursor, String) {
        let offset = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        (at(&text, offset, format), text)
    }

    fn keys(path: &[&str]) -> Vec<String> {
        path.iter().map(|k| (*k).to_owned()).collect()
    }

    #[test]
    fn toml_values_keys_headers_and_inline_tables() {
        let (c, text) = cursor("[product]\nid = \"A\"\ncategory = \"sm|\"\n", Format::Toml);
        assert_eq!(c.path, keys(&["product"]));
        assert_eq!(c.value_of.as_deref(), Some("category"));
        assert!(c.quoted);
        assert_eq!(&text[c.start..c.start + 2], "sm");

        let (c, _) = cursor("[product]\nid = \"A\"\n\n[ammunition]\ncal|", Format::Toml);
        assert_eq!((c.path, c.value_of), (keys(&["ammunition"]), None));

        let (c, _) = cursor("[[radio]]\nbands = [{ min = \"225 MHz\", m|", Format::Toml);
        assert_eq!((c.path, c.value_of), (keys(&["radio", "bands"]), None));

        let (c, _) = cursor(
            "[product]\nconforms_to = [\"STANAG 4172\", \"|",
            Format::Toml,
        );
        assert_eq!(c.value_of.as_deref(), Some("conforms_to"));
        assert_eq!(c.path, keys(&["product"]));

        let (c, text) = cursor(
            "[product]\nid = \"A\" # [x] \"\nconforms_to = [\n  \"STANAG 4172\", # \"c\n  \"MIL|",
            Format::Toml,
        );
        assert_eq!(c.path, keys(&["product"]));
        assert_eq!(c.value_of.as_deref(), Some("conforms_to"));
        assert_eq!(&text[c.start..], "MIL");

        let (c, _) = cursor("[product]\nconforms_to = [\"A\"]\ncat|", Format::Toml);
        assert_eq!((c.path, c.value_of), (keys(&["product"]), None));

        let (c, _) = cursor("power.nom|", Format::Toml);
        assert_eq!((c.path, c.value_of), (keys(&["power"]), None));

        let (c, _) = cursor("[product]\n[am|", Format::Toml);
        assert_eq!((c.path, c.value_of), (Vec::new(), None));
    }

    #[test]
    fn json_values_and_keys_by_brackets() {
        let (c, _) = cursor(
            "{\"product\": {\"id\": \"A\", \"category\": \"|\"}}",
            Format::Json,
        );
        assert_eq!(c.path, keys(&["product"]));
        assert_eq!(c.value_of.as_deref(), Some("category"));
        assert!(c.quoted);

        let (c, _) = cursor("{\"ammunition\": [{\"name\": \"a\", \"|", Format::Json);
        assert_eq!((c.path, c.value_of), (keys(&["ammunition"]), None));

        let (c, _) = cursor("{\"product\": {\"conforms_to\": [\"x\", |", Format::Json);
        assert_eq!(c.path, keys(&["product"]));
        assert_eq!(c.value_of.as_deref(), Some("conforms_to"));
        assert!(!c.quoted);
    }

    #[test]
    fn yaml_values_and_keys_by_indentation() {
        let (c, _) = cursor("product:\n  id: A\n  category: sm|\n", Format::Yaml);
        assert_eq!(c.path, keys(&["product"]));
        assert_eq!(c.value_of.as_deref(), Some("category"));

        let (c, _) = cursor(
            "radio:\n  - name: UHF\n    bands: 225-400 MHz\n    tx_p|",
            Format::Yaml,
        );
        assert_eq!((c.path, c.value_of), (keys(&["radio"]), None));

        let (c, _) = cursor("fuel:\n  grades:\n    - F-3|", Format::Yaml);
        assert_eq!(c.path, keys(&["fuel"]));
        assert_eq!(c.value_of.as_deref(), Some("grades"));

        let (c, text) = cursor("ammunition:\n  caliber: \"5.5|", Format::Yaml);
        assert!(c.quoted);
        assert_eq!(&text[c.start..], "5.5");
    }
}
