//! Quick-fixes: a problem whose help says "did you mean `caliber`?" (an unknown key, a value
//! off an enumeration, a misspelt standard or calibre) gets an edit that writes the name it
//! means in place of the one written.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, TextEdit, WorkspaceEdit};

use super::analysis::{Analysis, Item};
use super::diagnostics::diagnostic;
use super::document::Document;
use crate::diagnostic::did_you_mean;
use crate::span::Span;

/// The quick-fixes for the problems that touch `range` (byte offsets).
pub fn quick_fixes(document: &Document, analysis: &Analysis, range: &Span) -> Vec<CodeAction> {
    analysis
        .items
        .iter()
        .filter(|item| item.span.start <= range.end && range.start <= item.span.end)
        .filter_map(|item| fix(document, item))
        .collect()
}

fn fix(document: &Document, item: &Item) -> Option<CodeAction> {
    let meant = suggestion(item.help.as_deref()?)?;
    let (span, written) = replaced(&document.text, &item.span, meant)?;
    let edit = TextEdit {
        range: document.index.range(&document.text, &span),
        new_text: meant.to_owned(),
    };
    Some(CodeAction {
        title: format!("Replace `{written}` with `{meant}`"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(document, item)]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(document.uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}

/// The name a help text suggests: "did you mean `caliber`? …" gives `caliber`.
pub fn suggestion(help: &str) -> Option<&str> {
    let start = help.find("did you mean `")? + "did you mean `".len();
    let length = help[start..].find('`')?;
    Some(&help[start..start + length]).filter(|s| !s.is_empty())
}

/// What to replace: the written name inside its quotes, when it is a slip of the one meant
/// (a help that suggests a unit for a whole quantity is not a name to swap in).
fn replaced<'a>(text: &'a str, span: &Span, meant: &str) -> Option<(Span, &'a str)> {
    let written = text.get(span.clone())?;
    let quoted = written.len() >= 2
        && ['"', '\'']
            .iter()
            .any(|q| written.starts_with(*q) && written.ends_with(*q));
    let (span, written) = if quoted {
        (span.start + 1..span.end - 1, &written[1..written.len() - 1])
    } else {
        (span.clone(), written)
    };
    // A name that would need escaping inside quotes is left to the writer.
    if written == meant || meant.contains(['"', '\'', '\\', '\n']) {
        return None;
    }
    did_you_mean(written, [meant])?;
    Some((span, written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggestion_is_read_from_the_help() {
        assert_eq!(
            suggestion("did you mean `caliber`? (vendor fields start with `x-`)"),
            Some("caliber")
        );
        assert_eq!(suggestion("known keys here: a, b"), None);
        assert_eq!(suggestion("did you mean ``?"), None);
        assert_eq!(suggestion("did you mean `unclosed"), None);
    }

    #[test]
    fn only_a_slip_inside_its_quotes_is_replaced() {
        let text = "calibre = \"5.56x45\"\n\"categry\": 1\nf = \"225 Mhz\"";
        let key = 0..7;
        assert_eq!(replaced(text, &key, "caliber"), Some((0..7, "calibre")));
        let json_key = text.find("\"categry\"").unwrap();
        let span = json_key..json_key + 9;
        assert_eq!(
            replaced(text, &span, "category"),
            Some((json_key + 1..json_key + 8, "categry"))
        );
        // A unit suggested for a whole quantity is not swapped in for it.
        let q = text.find("\"225").unwrap();
        assert_eq!(replaced(text, &(q..q + 9), "MHz"), None);
        assert_eq!(replaced(text, &(0..7), "calibre"), None);
        assert_eq!(replaced(text, &(0..999), "caliber"), None);
    }
}
