//! `--format gitlab`: GitLab Code Quality JSON, the format of the merge-request widget.
//!
//! A run that could not do what was asked (exit 3) still writes a document: each of its
//! problems is a `blocker` issue, so the widget never reads a broken run as "all fixed".
//!
//! Each issue is a complete Code Climate issue (`type`, `categories`, `location.lines.begin`
//! and `end`), type-checked in CI against the `codeclimate-types` definitions
//! (`scripts/test-consumers.sh`). Categories: a standard's finding is `Compatibility` (the
//! product does not fit what the standard makes interoperable), a problem of the file itself is
//! `Bug Risk`, formfit's notes on claims and deviations are `Clarity`.

use std::path::Path;

use serde_json::{json, Value};

use crate::pack::model::Level;
use crate::render::Severity;
use crate::report::{fingerprint, repository_path, Finding, ProductReport, Report, RunDiagnostic};

/// `root` is the repository root: GitLab links issues by paths relative to it.
pub fn render(report: &Report, root: Option<&Path>) -> String {
    let items: Vec<String> = report
        .products
        .iter()
        .map(|p| piece(p, root))
        .filter(|p| !p.is_empty())
        .collect();
    close_with(&head(&report.diagnostics, root), &items.join(",\n"))
}

/// The run's own problems, as the array's first issues; [`close_with`] makes the document.
/// Each issue is indented as the pretty array has it.
pub fn head(diagnostics: &[RunDiagnostic], root: Option<&Path>) -> String {
    diagnostics
        .iter()
        .filter(|d| d.level == Level::Shall)
        .map(|d| super::json::indent(&run_problem(d, root), "  "))
        .collect::<Vec<_>>()
        .join(",\n")
}

/// A product's issues, one per finding, joined with `,\n`; empty when it has none.
pub fn piece(product: &ProductReport, root: Option<&Path>) -> String {
    product
        .findings
        .iter()
        .map(|f| super::json::indent(&issue(product, f, root), "  "))
        .collect::<Vec<_>>()
        .join(",\n")
}

/// The issues closed into the document: `head` is what [`head`] gave, `items` the products'
/// issues; either may be empty.
pub fn close_with(head: &str, items: &str) -> String {
    match (head.is_empty(), items.is_empty()) {
        (true, true) => "[]\n".to_owned(),
        (false, true) => format!("[\n{head}\n]\n"),
        (true, false) => format!("[\n{items}\n]\n"),
        (false, false) => format!("[\n{head},\n{items}\n]\n"),
    }
}

fn issue(product: &ProductReport, f: &Finding, root: Option<&Path>) -> Value {
    let (line, _) = product.line_col(f.span.start);
    let (end, _) = product.line_col(f.span.end.max(f.span.start));
    let severity = Severity::of(f.disposition).named("major", "minor", "info");
    let description = match &f.standard {
        Some(standard) => {
            format!("{} ({standard}): {}", f.rule, f.message_with_label())
        }
        None => format!("{}: {}", f.rule, f.message_with_label()),
    };
    let description = match &f.waiver {
        Some(w) => {
            format!("[waived: {} until {}] {description}", w.approval, w.expires)
        }
        None => description,
    };
    json!({
        "type": "issue",
        "description": description,
        "check_name": f.rule,
        "categories": [category(f)],
        "fingerprint": fingerprint(product, f),
        "severity": severity,
        "location": { "path": repository_path(root, &product.file), "lines": { "begin": line, "end": end } },
    })
}

/// A problem of the run itself, at its file when it has one (else the configuration).
fn run_problem(d: &RunDiagnostic, root: Option<&Path>) -> Value {
    let (path, line) = match &d.location {
        Some(l) => (repository_path(root, &l.file), l.line),
        None => ("formfit.toml".to_owned(), 1),
    };
    json!({
        "type": "issue",
        "description": format!("formfit could not check this run: {}", d.message),
        "check_name": d.id(),
        "categories": ["Bug Risk"],
        "fingerprint": crate::digest::of_parts(&[d.id(), &d.message, &path]),
        "severity": "blocker",
        "location": { "path": path, "lines": { "begin": line, "end": line } },
    })
}

/// The Code Climate category of a finding.
fn category(f: &Finding) -> &'static str {
    if f.standard.is_some() {
        "Compatibility"
    } else if f.is_input_problem() {
        "Bug Risk"
    } else {
        "Clarity"
    }
}
