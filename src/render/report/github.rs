//! `--format github`: GitHub Actions workflow commands, which annotate the changed lines of a
//! pull request. Escaped as the actions toolkit does.

use std::path::Path;

use crate::hint::Spelling;
use crate::render::Severity;
use crate::report::{region, repository_path, ProductReport, Report, RunDiagnostic, Totals};

/// `root` is the repository root: annotations name files relative to it, as GitHub expects.
pub fn render(report: &Report, root: Option<&Path>) -> String {
    let mut out = head(&report.totals(), &report.diagnostics, root);
    for product in &report.products {
        out.push_str(&piece(product, root, report.spelling));
    }
    out
}

/// The classification notice and the run's own problems, which come first (a streamed run
/// writes them once every product is known).
pub fn head(totals: &Totals, diagnostics: &[RunDiagnostic], root: Option<&Path>) -> String {
    let mut out = command_line(
        "notice",
        &[("title".to_owned(), "classification".to_owned())],
        &totals.markings.banner(),
    );
    for d in diagnostics {
        let command = Severity::of_level(d.level).named("error", "warning", "notice");
        let mut properties = vec![("title".to_owned(), d.id().to_owned())];
        if let Some(l) = &d.location {
            let ((line, col), _) = region(&l.text, &l.span);
            properties.insert(0, ("file".to_owned(), repository_path(root, &l.file)));
            properties.insert(1, ("line".to_owned(), line.to_string()));
            properties.insert(2, ("col".to_owned(), col.to_string()));
        } else if let Some(p) = &d.place {
            properties.insert(0, ("file".to_owned(), p.file.clone()));
            properties.insert(1, ("line".to_owned(), p.line.to_string()));
            properties.insert(2, ("col".to_owned(), p.column.to_string()));
        }
        out.push_str(&command_line(command, &properties, &d.message));
    }
    out
}

/// One product's annotations.
pub fn piece(product: &ProductReport, root: Option<&Path>, spelling: Spelling) -> String {
    let mut out = String::new();
    let file = repository_path(root, &product.file);
    for f in &product.findings {
        let command = Severity::of(f.disposition).named("error", "warning", "notice");
        let ((line, col), (end_line, end_col)) = product.region(&f.span);
        let title = match &f.standard {
            Some(standard) => format!("{} ({standard})", f.rule),
            None => f.rule.clone(),
        };
        let properties = [
            ("file", file.clone()),
            ("line", line.to_string()),
            ("col", col.to_string()),
            ("endLine", end_line.to_string()),
            ("endColumn", end_col.to_string()),
            ("title", title),
        ]
        .map(|(k, v)| (k.to_owned(), v));
        let mut message = format!("{}: {}", f.message, f.label);
        if let Some(w) = &f.waiver {
            message = format!(
                "waived by approved deviation {} (until {}): {message}",
                w.approval, w.expires
            );
        }
        if let Some(help) = &f.help_text(spelling) {
            message.push_str(&format!("\n{help}"));
        }
        out.push_str(&command_line(command, &properties, &message));
    }
    out
}

fn command_line(command: &str, properties: &[(String, String)], message: &str) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    format!(
        "::{command} {}::{}\n",
        properties.join(","),
        escape_data(message)
    )
}

/// As `escapeData` in @actions/core: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// As `escapeProperty` in @actions/core: also `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped_as_the_actions_toolkit_does() {
        assert_eq!(
            escape_data("50% of 100\r\nnext: a,b"),
            "50%25 of 100%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("C:\\dir,x\n%"), "C%3A\\dir%2Cx%0A%25");
        // Escaping `%` first keeps an already-escaped-looking text intact on the way back.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
