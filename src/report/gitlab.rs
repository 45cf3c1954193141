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

use super::{fingerprint, line_col, repository_path, Disposition, Finding, Report, RunDiagnostic};
use crate::pack::model::Level;

/// `root` is the repository root: GitLab links issues by paths relative to it.
pub fn render(report: &Report, root: Option<&Path>) -> String {
    let problems = report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Shall)
        .map(|d| run_problem(d, root));
    let issues: Vec<Value> = problems
        .chain(
            report
                .products
                .iter()
                .flat_map(|product| product.findings.iter().map(move |f| (product, f)))
                .map(|(product, f)| {
                    let (line, _) = line_col(&product.text, f.span.start);
                    let (end, _) = line_col(&product.text, f.span.end.max(f.span.start));
                    let severity = match f.disposition {
                        Disposition::Failing => "major",
                        Disposition::Warning => "minor",
                        _ => "info",
                    };
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
                }),
        )
        .collect();
    format!(
        "{}\n",
        serde_json::to_string_pretty(&issues).unwrap_or_default()
    )
}

/// A problem of the run itself, at its file when it has one (else the configuration).
fn run_problem(d: &RunDiagnostic, root: Option<&Path>) -> Value {
    let (path, line) = match &d.location {
        Some(l) => (
            repository_path(root, &l.file),
            line_col(&l.text, l.span.start).0,
        ),
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
