//! An analysis's items as LSP diagnostics: byte spans as UTF-16 ranges, the one severity map
//! in the editor's words, the rule as the code and its pack as related information.

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Url,
};

use super::analysis::Item;
use super::document::Document;
use super::position::LineIndex;

pub fn diagnostic(document: &Document, item: &Item) -> Diagnostic {
    let message = match &item.help {
        Some(help) => format!("{}\nhelp: {help}", item.message),
        None => item.message.clone(),
    };
    let related = item.rule_file.as_ref().and_then(|(path, span, text)| {
        let uri = Url::from_file_path(path).ok()?;
        Some(vec![DiagnosticRelatedInformation {
            location: Location {
                uri,
                range: LineIndex::new(text).range(text, span),
            },
            message: format!("rule {} is defined here", item.code),
        }])
    });
    Diagnostic {
        range: document.index.range(&document.text, &item.span),
        severity: Some(item.severity.named(
            DiagnosticSeverity::ERROR,
            DiagnosticSeverity::WARNING,
            DiagnosticSeverity::INFORMATION,
        )),
        code: Some(NumberOrString::String(item.code.clone())),
        source: Some("formfit".to_owned()),
        message,
        related_information: related,
        ..Diagnostic::default()
    }
}
