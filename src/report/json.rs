//! `--format json`: a stable contract. Fields may be added, never renamed or removed;
//! `"formfit": 1` changes only on a breaking change.

use serde_json::{json, Map, Value};

use crate::hint::Spelling;

use super::{
    line_col, Disposition, FileKind, Finding, Located, Place, ProductReport, Report, RunDiagnostic,
    Verdict,
};

pub fn render(report: &Report) -> String {
    let (classification, markings) = report.marking();
    let value = json!({
        "formfit": 1,
        "classification": classification,
        "markings": markings,
        "gate": report.gate.describe(),
        "exit_code": report.exit_code(),
        "summary": summary(report),
        "diagnostics": report.diagnostics.iter().map(|d| diagnostic(d, report.spelling)).collect::<Vec<_>>(),
        "products": report.products.iter().map(|p| product(p, report.spelling)).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

/// Products by verdict and findings by disposition, every value present (zero or not).
fn summary(report: &Report) -> Value {
    let products = report
        .products
        .iter()
        .filter(|p| p.kind == FileKind::Product);
    let verdicts: Map<String, Value> = Verdict::ALL
        .iter()
        .map(|v| {
            let n = products.clone().filter(|p| p.verdict == *v).count();
            (v.as_str().to_owned(), json!(n))
        })
        .collect();
    let dispositions: Map<String, Value> = Disposition::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), json!(report.count(*d))))
        .collect();
    json!({ "products": products.count(), "verdicts": verdicts, "findings": dispositions })
}

fn diagnostic(d: &RunDiagnostic, spelling: Spelling) -> Value {
    json!({
        "id": d.id(),
        "code": d.code.id(),
        "level": d.level.as_str(),
        "message": d.message,
        "help": d.help_text(spelling),
        "location": d.location.as_ref().map(located).or_else(|| d.place.as_ref().map(place)),
    })
}

fn located(l: &Located) -> Value {
    let (line, column) = line_col(&l.text, l.span.start);
    json!({ "file": l.file, "line": line, "column": column, "offset": l.span.start, "length": l.span.len() })
}

fn place(p: &Place) -> Value {
    json!({ "file": p.file, "line": p.line, "column": p.column, "offset": p.span.start, "length": p.span.len() })
}

fn product(p: &ProductReport, spelling: Spelling) -> Value {
    json!({
        "file": p.file,
        "kind": p.kind.as_str(),
        "product": p.product,
        "verdict": p.verdict.as_str(),
        "standards": p.standards.iter().map(|s| json!({
            "id": s.id,
            "edition": s.edition,
            "verdict": s.verdict.as_str(),
            "obligation": s.obligation.as_str(),
            "note": s.note,
        })).collect::<Vec<_>>(),
        "findings": p.findings.iter().map(|f| finding(p, f, spelling)).collect::<Vec<_>>(),
    })
}

fn finding(p: &ProductReport, f: &Finding, spelling: Spelling) -> Value {
    let (line, column) = line_col(&p.text, f.span.start);
    json!({
        "rule": f.rule,
        "code": f.code.map(|c| c.id()),
        "standard": f.standard,
        "clause": f.clause,
        "level": f.level.as_str(),
        "status": f.status.as_str(),
        "gating": f.gating,
        "disposition": f.disposition.as_str(),
        "path": f.path,
        "message": f.message,
        "label": f.label,
        "help": f.help_text(spelling),
        "location": {
            "file": p.file,
            "line": line,
            "column": column,
            "offset": f.span.start,
            "length": f.span.len(),
        },
        "waiver": f.waiver.as_ref().map(|w| {
            let (line, _) = line_col(&w.location.text, w.location.span.start);
            json!({
                "approval": w.approval,
                "expires": w.expires,
                "justification": w.justification,
                "location": { "file": w.location.file, "line": line },
            })
        }),
        "rule_location": f.rule_location.as_ref().map(|l| {
            let (line, column) = line_col(&l.text, l.span.start);
            json!({ "file": l.file, "line": line, "column": column })
        }),
    })
}
