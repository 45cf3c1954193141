//! `--format gitlab`: GitLab Code Quality JSON, the format of the merge-request widget.

use serde_json::json;

use super::{fingerprint, line_col, Report, Status};
use crate::pack::model::Level;

pub fn render(report: &Report) -> String {
    let issues: Vec<_> = report
        .products
        .iter()
        .flat_map(|product| product.findings.iter().map(move |f| (product, f)))
        .map(|(product, f)| {
            let (line, _) = line_col(&product.text, f.span.start);
            let severity = match f.level {
                _ if f.status == Status::Waived => "info",
                Level::Shall if f.gating => "major",
                Level::Shall | Level::Should => "minor",
                Level::May => "info",
            };
            let description = match &f.standard {
                Some(standard) => format!("{} ({standard}): {}: {}", f.rule, f.message, f.label),
                None => format!("{}: {}: {}", f.rule, f.message, f.label),
            };
            let description = match &f.waiver {
                Some(w) => format!("[waived: {} until {}] {description}", w.approval, w.expires),
                None => description,
            };
            json!({
                "description": description,
                "check_name": f.rule,
                "fingerprint": fingerprint(product, f),
                "severity": severity,
                "location": { "path": product.file, "lines": { "begin": line } },
            })
        })
        .collect();
    format!(
        "{}\n",
        serde_json::to_string_pretty(&issues).unwrap_or_default()
    )
}
