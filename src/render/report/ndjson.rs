//! `--format ndjson`: one JSON object per line, each written as soon as it is known, so that a
//! pipeline (a Spark `pipe`, `jq`, a queue) reads results while the run goes on. Every line
//! has a `type`: `product` (the JSON contract's product object), `diagnostic` (a problem of the
//! run, as the contract's diagnostics), and one last `summary` (the contract's header and
//! `summary` object). Products come in input order.

use serde_json::{json, Map, Value};

use super::json;
use crate::hint::Spelling;
use crate::render::json_text::JsonText;
use crate::report::gate::{self, Gate};
use crate::report::{ProductReport, Report, RunDiagnostic, Totals};

/// The whole report: its diagnostics, its products, the summary. (A streamed run writes each
/// diagnostic when it arises, so a product's refused claim follows its product line.)
pub fn render(report: &Report) -> String {
    let totals = report.totals();
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&diagnostic_line(d, report.spelling));
    }
    for p in &report.products {
        out.push_str(&product_line(p, report.spelling));
    }
    out.push_str(&summary_line(&totals, &report.diagnostics, &report.gate));
    out
}

/// One product's line.
pub fn product_line(product: &ProductReport, spelling: Spelling) -> String {
    let mut w = JsonText::compact();
    json::write_product(&mut w, product, spelling, Some("product"));
    let mut out = w.finish();
    out.push('\n');
    out
}

/// One problem of the run.
pub fn diagnostic_line(diagnostic: &RunDiagnostic, spelling: Spelling) -> String {
    line("diagnostic", json::diagnostic(diagnostic, spelling))
}

/// The last line: what the JSON document's header says, with the run's totals.
pub fn summary_line(totals: &Totals, diagnostics: &[RunDiagnostic], gate: &Gate) -> String {
    let (classification, markings) = totals.markings.marking();
    line(
        "summary",
        json!({
            "formfit": 1,
            "classification": classification,
            "markings": markings,
            "gate": gate.describe(),
            "exit_code": gate::exit_code(diagnostics, totals, gate),
            "summary": json::summary_value(totals),
        }),
    )
}

/// `value` on one line, `type` first.
fn line(kind: &str, value: Value) -> String {
    let mut object = Map::new();
    object.insert("type".to_owned(), json!(kind));
    if let Value::Object(fields) = value {
        object.extend(fields);
    }
    let mut out = serde_json::to_string(&Value::Object(object)).unwrap_or_default();
    out.push('\n');
    out
}
