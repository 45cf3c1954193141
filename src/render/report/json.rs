//! `--format json`: a stable contract. Fields may be added, never renamed or removed;
//! `"formfit": 1` changes only on a breaking change.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::hint::Spelling;
use crate::render::json_text::JsonText;
use crate::report::gate::{self, Gate};
use crate::report::{
    Disposition, Finding, Located, Place, ProductReport, Report, RunDiagnostic, Totals, Verdict,
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
        "exit_code": gate::exit_code(diagnostics, totals, gate),
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
    let mut w = JsonText::pretty("    ");
    write_product(&mut w, product, spelling, None);
    w.finish()
}

/// The products array's elements (joined with `,\n`) closed, and the document ended.
pub fn close(items: &str, any: bool) -> String {
    if any {
        format!("[\n{items}\n  ]\n}}\n")
    } else {
        "[]\n}\n".to_owned()
    }
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
    json!({ "file": l.file, "line": l.line, "column": l.column, "offset": l.span.start, "length": l.span.len() })
}

fn place(p: &Place) -> Value {
    json!({ "file": p.file, "line": p.line, "column": p.column, "offset": p.span.start, "length": p.span.len() })
}

/// The product object, written straight from the report with `"type": tag` first when given
/// (an NDJSON line). No tree and no view of it is built: this is the hot path of a batch.
pub(super) fn write_product(
    w: &mut JsonText,
    p: &ProductReport,
    spelling: Spelling,
    tag: Option<&str>,
) {
    w.begin_object();
    if let Some(tag) = tag {
        w.str_field("type", tag);
    }
    w.str_field("file", &p.file);
    w.str_field("kind", p.kind.as_str());
    w.opt_str_field("product", p.product.as_deref());
    w.str_field("verdict", p.verdict.as_str());
    w.key("standards");
    w.begin_array();
    for s in &p.standards {
        w.element();
        w.begin_object();
        w.str_field("id", &s.id);
        w.str_field("edition", &s.edition);
        w.str_field("verdict", s.verdict.as_str());
        w.str_field("obligation", s.obligation.as_str());
        w.opt_str_field("note", s.note.as_deref());
        w.end_object();
    }
    w.end_array();
    w.key("findings");
    w.begin_array();
    for f in &p.findings {
        w.element();
        write_finding(w, p, f, spelling);
    }
    w.end_array();
    if let Some(at) = &p.line {
        w.uint_field("line", at.number);
    }
    w.end_object();
}

fn write_finding(w: &mut JsonText, p: &ProductReport, f: &Finding, spelling: Spelling) {
    w.begin_object();
    w.str_field("rule", &f.rule);
    w.opt_str_field("code", f.code.map(|c| c.id()));
    w.opt_str_field("standard", f.standard.as_deref());
    w.opt_str_field("clause", f.clause.as_deref());
    w.str_field("level", f.level.as_str());
    w.str_field("status", f.status.as_str());
    w.bool_field("gating", f.gating);
    w.str_field("disposition", f.disposition.as_str());
    w.str_field("path", &f.path);
    w.str_field("message", &f.message);
    w.str_field("label", &f.label);
    w.opt_str_field("help", f.help_text(spelling).as_deref());
    let (line, column) = p.line_col(f.span.start);
    w.key("location");
    w.begin_object();
    w.str_field("file", &p.file);
    w.uint_field("line", line);
    w.uint_field("column", column);
    w.uint_field("offset", p.offset(f.span.start));
    w.uint_field("length", f.span.len());
    w.end_object();
    w.key("waiver");
    match &f.waiver {
        Some(waiver) => {
            w.begin_object();
            w.str_field("approval", &waiver.approval);
            w.str_field("expires", &waiver.expires);
            w.str_field("justification", &waiver.justification);
            w.key("location");
            w.begin_object();
            w.str_field("file", &waiver.location.file);
            w.uint_field("line", waiver.location.line);
            w.end_object();
            w.end_object();
        }
        None => w.null(),
    }
    w.key("rule_location");
    match &f.rule_location {
        Some(at) => {
            w.begin_object();
            w.str_field("file", &at.file);
            w.uint_field("line", at.line);
            w.uint_field("column", at.column);
            w.end_object();
        }
        None => w.null(),
    }
    w.end_object();
}

/// `value` pretty-printed with every line indented by `by`, as an element nested in a pretty
/// document: the indentation is written as the printer goes, not added to its output after.
pub fn indent(value: &impl Serialize, by: &str) -> String {
    // A product's object is a kilobyte or two: room for it at once, not by doublings.
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(by.as_bytes());
    let formatter = Nested {
        base: by.as_bytes(),
        depth: 0,
        has_value: false,
    };
    // Serialising plain data into memory cannot fail.
    let _ = value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, formatter,
    ));
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's pretty layout (two spaces a level) with every line starting with `base`.
struct Nested<'b> {
    base: &'b [u8],
    depth: usize,
    has_value: bool,
}

impl Nested<'_> {
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(w, b"\n")?;
        }
        w.write_all(bracket)
    }

    fn new_line<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        before: &[u8],
    ) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        w.write_all(before)?;
        w.write_all(self.base)?;
        let mut left = 2 * self.depth;
        while left > 0 {
            let n = left.min(SPACES.len());
            w.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Nested<'_> {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, if first { b"\n" } else { b",\n" })
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, if first { b"\n" } else { b",\n" })
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
