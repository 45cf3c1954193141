//! `--format json`: a stable contract. Fields may be added, never renamed or removed;
//! `"formfit": 1` changes only on a breaking change.

use serde_json::{json, Map, Value};

use crate::hint::Spelling;
use crate::report::gate::{self, Gate};
use crate::report::{
    line_col, Disposition, Finding, Located, Place, ProductReport, Report, RunDiagnostic, Totals,
    Verdict,
};

pub fn render(report: &Report) -> String {
    let mut out = head(
        &report.totals(),
        &report.diagnostics,
        &report.gate,
        report.spelling,
    );
    let items: Vec<String> = report
        .products
        .iter()
        .map(|p| item(p, report.spelling))
        .collect();
    out.push_str(&close(&items.join(",\n"), !items.is_empty()));
    out
}

/// The document up to the products array: `"products": ` ends it. Streamed runs write it
/// once every product is known (it carries their totals), then the spooled [`item`]s, then
/// [`close`].
pub fn head(
    totals: &Totals,
    diagnostics: &[RunDiagnostic],
    gate: &Gate,
    spelling: Spelling,
) -> String {
    let (classification, markings) = totals.markings.marking();
    let value = json!({
        "formfit": 1,
        "classification": classification,
        "markings": markings,
        "gate": gate.describe(),
        "exit_code": gate::exit_code(diagnostics, totals),
        "summary": summary(totals),
        "diagnostics": diagnostics.iter().map(|d| diagnostic(d, spelling)).collect::<Vec<_>>(),
        "products": [],
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    // The pretty form ends `"products": []\n}`: cut at the array, which is streamed.
    let cut = out.rfind("[]").unwrap_or(out.len());
    out.truncate(cut);
    out
}

/// One product as an element of the products array, indented as the pretty document has it.
pub fn item(product: &ProductReport, spelling: Spelling) -> String {
    indent(&self::product_value(product, spelling), "    ")
}

/// The products array's elements (joined with `,\n`) closed, and the document ended.
pub fn close(items: &str, any: bool) -> String {
    if any {
        format!("[\n{items}\n  ]\n}}\n")
    } else {
        "[]\n}\n".to_owned()
    }
}

/// `value` pretty-printed with every line indented: strings never hold a raw newline in JSON,
/// so every line break is the printer's.
pub fn indent(value: &Value, by: &str) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(by);
        out.push_str(line);
    }
    out
}

/// Products by verdict and findings by disposition, every value present (zero or not), and
/// the files skipped as not product descriptions.
fn summary(totals: &Totals) -> Value {
    let verdicts: Map<String, Value> = Verdict::ALL
        .iter()
        .map(|v| (v.as_str().to_owned(), json!(totals.verdict(*v))))
        .collect();
    let dispositions: Map<String, Value> = Disposition::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), json!(totals.count(*d))))
        .collect();
    json!({
        "products": totals.products,
        "verdicts": verdicts,
        "findings": dispositions,
        "skipped": totals.skipped,
    })
}

/// The summary object, for the NDJSON summary line.
pub fn summary_value(totals: &Totals) -> Value {
    summary(totals)
}

/// A run diagnostic as the contract has it, its hint spelt for the reader.
pub fn diagnostic(d: &RunDiagnostic, spelling: Spelling) -> Value {
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

/// A product as the contract has it; one from a stream also says its line.
pub fn product_value(p: &ProductReport, spelling: Spelling) -> Value {
    let mut value = json!({
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
    });
    if let (Some(line), Value::Object(map)) = (p.line, &mut value) {
        map.insert("line".to_owned(), json!(line.number));
    }
    value
}

fn finding(p: &ProductReport, f: &Finding, spelling: Spelling) -> Value {
    let (line, column) = p.line_col(f.span.start);
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
            "offset": p.offset(f.span.start),
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
