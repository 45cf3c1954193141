//! Completion in a product file: the keys of the table the cursor is in, and the values of
//! the key it writes (the schema's enumerations, the packs' calibres and other accepted
//! names, the standards for `conforms_to`).

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Range, TextEdit,
};

use super::cursor::{self, Cursor};
use super::document::Document;
use super::vocabulary::{self, Vocabulary};
use crate::input::Format;
use crate::pack::Library;

/// The completions at `offset` of a product document.
pub fn complete(
    document: &Document,
    offset: usize,
    vocabulary: &Vocabulary,
    library: &Library,
) -> Vec<CompletionItem> {
    let Some(format) = document.format() else {
        return Vec::new();
    };
    let text = &document.text;
    let cursor = cursor::at(text, offset, format);
    let range = Range {
        start: document.index.position(text, cursor.start),
        end: document.index.position(text, offset.max(cursor.start)),
    };
    match &cursor.value_of {
        Some(key) => {
            let mut terms = vocabulary.enumeration(&cursor.path, key);
            terms.extend(vocabulary::known(library, key));
            terms
                .into_iter()
                .map(|term| CompletionItem {
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range,
                        new_text: value_text(&term.value, format, &cursor),
                    })),
                    label: term.value,
                    kind: Some(CompletionItemKind::ENUM_MEMBER),
                    detail: Some(term.detail),
                    ..CompletionItem::default()
                })
                .collect()
        }
        None => vocabulary
            .keys(&cursor.path)
            .into_iter()
            .map(|key| CompletionItem {
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range,
                    new_text: key_text(&key.name, format, &cursor),
                })),
                label: key.name,
                kind: Some(CompletionItemKind::PROPERTY),
                detail: key.title,
                documentation: key.description.map(Documentation::String),
                ..CompletionItem::default()
            })
            .collect(),
    }
}

fn value_text(value: &str, format: Format, cursor: &Cursor) -> String {
    if cursor.quoted {
        return value.to_owned();
    }
    match format {
        Format::Toml | Format::Json => quoted(value),
        // YAML takes most names bare; one that YAML would read otherwise is quoted.
        Format::Yaml if plain_yaml(value) => value.to_owned(),
        Format::Yaml => quoted(value),
    }
}

fn key_text(key: &str, format: Format, cursor: &Cursor) -> String {
    match format {
        Format::Json if !cursor.quoted => quoted(key),
        _ => key.to_owned(),
    }
}

fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
}

fn plain_yaml(value: &str) -> bool {
    let first = value.chars().next();
    !value.is_empty()
        && !value.contains(": ")
        && !value.contains(" #")
        && !first.is_some_and(|c| "!&*-?{}[],#|>@`\"'%.:".contains(c))
}
