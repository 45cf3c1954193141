//! The bid compliance matrix: one row per rule of every selected standard — compliant,
//! non-compliant, not applicable, waived, or needing evidence a description cannot show — with
//! the product value and location that decided it, under a header that makes it an audit trail
//! (product, standards with editions and sources, date, formfit version, SHA-256 of every input,
//! markings). Rendered as Markdown, CSV, HTML, XLSX or JSON from this one model.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::code::EvidenceCode;
use crate::deviation::Deviations;
use crate::diagnostic::Problem;
use crate::input::{PointerSegment, Span};
use crate::pack::PackError;
use crate::path::Match;
use crate::product::Product;
use crate::report::{line_col, Outcome, ProductReport, Status};
use crate::schema::{load_toml, shipped, Schema};

/// The schema, compiled on first use.
static SCHEMA: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();

/// The evidence file's JSON Schema, published in `schemas/`.
pub const EVIDENCE_SCHEMA: &str = include_str!("../../schemas/evidence.schema.json");

/// A row's status, as bid teams name them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowStatus {
    Compliant,
    NonCompliant,
    NotApplicable,
    /// Waived by an approved deviation: its approval, its expiry (`YYYY-MM-DD`) and its
    /// justification, as the deviations file gives them (empty when the finding carries none).
    Waived {
        approval: String,
        expires: String,
        justification: String,
    },
    EvidenceRequired,
    EvidenceProvided {
        reference: String,
    },
}

impl RowStatus {
    /// The status word, the same in every format.
    pub fn word(&self) -> &'static str {
        match self {
            RowStatus::Compliant => "compliant",
            RowStatus::NonCompliant => "non-compliant",
            RowStatus::NotApplicable => "not-applicable",
            RowStatus::Waived { .. } => "waived",
            RowStatus::EvidenceRequired => "evidence-required",
            RowStatus::EvidenceProvided { .. } => "evidence-provided",
        }
    }

    /// The word with its reference, for cells: `waived (DA-2026-114, until 2027-06-30)`.
    pub fn cell(&self) -> String {
        match self.reference() {
            Some(reference) => format!("{} ({reference})", self.word()),
            None => self.word().to_owned(),
        }
    }

    /// What a waived or evidence-provided row cites, in one line: the deviation's approval
    /// and expiry (`DA-2026-114, until 2027-06-30`), or the evidence's reference.
    pub fn reference(&self) -> Option<String> {
        match self {
            RowStatus::Waived {
                approval, expires, ..
            } if approval.is_empty() && expires.is_empty() => Some(String::new()),
            RowStatus::Waived {
                approval, expires, ..
            } => Some(format!("{approval}, until {expires}")),
            RowStatus::EvidenceProvided { reference } => Some(reference.clone()),
            _ => None,
        }
    }

    pub const ALL: [&'static str; 6] = [
        "compliant",
        "non-compliant",
        "not-applicable",
        "waived",
        "evidence-required",
        "evidence-provided",
    ];
}

/// The marking of a document holding several products: the highest classification of every
/// pack used, and every product's own marking (each once, in product order). A summary page
/// names them all because it speaks of them all.
pub fn combined_marking(matrices: &[Matrix]) -> String {
    let mut own: Vec<String> = Vec::new();
    for marking in matrices
        .iter()
        .filter_map(|m| m.header.product_marking.clone())
    {
        if !own.contains(&marking) {
            own.push(marking);
        }
    }
    let classification =
        crate::marking::highest(matrices.iter().map(|m| m.header.classification.as_str()));
    crate::marking::banner(&classification, &own)
}

/// The summary's column titles: one line per product, then a count per status.
pub const SUMMARY_COLUMNS: [&str; 4] = ["Product", "Name", "Product file", "Verdict"];

/// One summary line per product, in `SUMMARY_COLUMNS` then `RowStatus::ALL` order.
pub fn summary_lines(matrices: &[Matrix]) -> Vec<Vec<String>> {
    matrices
        .iter()
        .map(|m| {
            let h = &m.header;
            let mut line = vec![
                h.product_id.clone(),
                h.product_name.clone(),
                h.product_file.clone(),
                h.verdict.clone(),
            ];
            line.extend(
                RowStatus::ALL
                    .iter()
                    .map(|s| h.counts.get(s).copied().unwrap_or(0).to_string()),
            );
            line
        })
        .collect()
}

/// The rows of every product by status, added up.
pub fn total_counts(matrices: &[Matrix]) -> BTreeMap<&'static str, usize> {
    let mut totals: BTreeMap<&'static str, usize> =
        RowStatus::ALL.iter().map(|s| (*s, 0)).collect();
    for m in matrices {
        for (status, n) in &m.header.counts {
            *totals.entry(status).or_default() += n;
        }
    }
    totals
}

#[derive(Debug, Clone)]
pub struct Row {
    pub standard: String,
    pub edition: String,
    pub obligation: String,
    pub clause: String,
    pub rule: String,
    pub requirement: String,
    pub level: String,
    pub status: RowStatus,
    /// The product value that decided the row, as written in the file.
    pub value: Option<String>,
    /// `file:line` of that value.
    pub location: Option<String>,
    pub remark: String,
}

#[derive(Debug, Clone)]
pub struct StandardLine {
    pub designation: String,
    pub edition: String,
    pub obligation: String,
    pub source: String,
    pub file: String,
    pub sha256: String,
    pub classification: String,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub product_id: String,
    pub product_name: String,
    pub manufacturer: String,
    pub product_file: String,
    pub product_sha256: String,
    pub product_marking: Option<String>,
    /// The highest classification among the packs used.
    pub classification: String,
    pub profile: Option<(String, String)>,
    pub standards: Vec<StandardLine>,
    pub date: String,
    pub formfit_version: String,
    pub evidence_file: Option<(String, String)>,
    pub counts: BTreeMap<&'static str, usize>,
    /// The product's verdict, as `check` settles it.
    pub verdict: String,
    /// Claims formfit did not check (no pack, or nothing checked at all): a matrix never reads
    /// complete when a claim is missing from it.
    pub not_checked: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Matrix {
    pub header: Header,
    pub rows: Vec<Row>,
}

impl Matrix {
    /// The marking line every format carries at its top: the highest classification of the
    /// packs used and the product's own marking.
    pub fn marking(&self) -> String {
        let own: Vec<String> = self.header.product_marking.iter().cloned().collect();
        crate::marking::banner(&self.header.classification, &own)
    }
}

/// Evidence that turns evidence-required rows into evidence-provided ones.
#[derive(Debug, Default)]
pub struct Evidence {
    pub file: String,
    pub sha256: String,
    entries: BTreeMap<String, EvidenceEntry>,
    /// Where each rule id is written, for "unknown rule" errors.
    spans: BTreeMap<String, Span>,
    text: String,
}

#[derive(Debug, Clone, Deserialize)]
struct EvidenceEntry {
    document: String,
    date: Option<String>,
    digest: Option<String>,
}

#[derive(Deserialize)]
struct EvidenceFile {
    evidence: BTreeMap<String, EvidenceEntry>,
}

impl Evidence {
    pub fn load(file: &str, bytes: &[u8]) -> Result<Evidence, PackError> {
        let schema = shipped(&SCHEMA, EVIDENCE_SCHEMA, EvidenceCode::Schema);
        let (doc, parsed): (_, EvidenceFile) =
            load_toml(bytes, schema).map_err(|(text, problems)| PackError {
                file: file.to_owned(),
                text,
                problems,
            })?;
        let spans = parsed
            .evidence
            .keys()
            .map(|id| {
                let table = doc.root.at_pointer([PointerSegment::Key("evidence")]);
                let span = table
                    .entry(id)
                    .map_or(table.span.clone(), |e| e.key_span.clone());
                (id.clone(), span)
            })
            .collect();
        Ok(Evidence {
            file: file.to_owned(),
            sha256: sha256(bytes),
            entries: parsed.evidence,
            spans,
            text: doc.text,
        })
    }

    /// Evidence for a rule no selected standard has is an error: it would silently never apply.
    pub fn check_rules(&self, known: &BTreeSet<String>) -> Result<(), PackError> {
        let problems: Vec<Problem> = self
            .entries
            .keys()
            .filter(|id| !known.contains(*id))
            .map(|id| {
                let close = crate::diagnostic::did_you_mean(id, known.iter().map(String::as_str));
                let problem = Problem::new(
                    EvidenceCode::UnknownRule,
                    format!("evidence for `{id}`, which is not a rule of the selected standards"),
                    self.spans.get(id).cloned().unwrap_or(0..0),
                )
                .with_label("unknown rule");
                match close {
                    Some(c) => problem.with_help(format!("did you mean `{c}`?")),
                    None => problem,
                }
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PackError {
                file: self.file.clone(),
                text: self.text.clone(),
                problems,
            })
        }
    }

    fn reference(&self, rule: &str) -> Option<String> {
        let e = self.entries.get(rule)?;
        let mut reference = e.document.clone();
        if let Some(date) = &e.date {
            reference.push_str(&format!(", {date}"));
        }
        if let Some(digest) = &e.digest {
            reference.push_str(&format!(", {digest}"));
        }
        Some(reference)
    }
}

pub use crate::digest::sha256;

/// What the matrix is built from.
pub struct Inputs<'a> {
    pub report: &'a ProductReport,
    pub product: &'a Product,
    /// The product file's bytes, for its digest.
    pub bytes: &'a [u8],
    pub profile: Option<(String, String)>,
    pub evidence: Option<&'a Evidence>,
    /// The deviations applied, so that a row still failing because its deviation expired
    /// says so.
    pub deviations: Option<&'a Deviations>,
    pub today: &'a str,
}

/// Builds the matrix of one checked product.
pub fn build(inputs: &Inputs) -> Matrix {
    let report = inputs.report;
    let root = &inputs.product.doc.root;
    let text = &inputs.product.doc.text;
    let product_field = |key: &str| {
        root.get("product")
            .and_then(|p| p.get(key))
            .and_then(|n| n.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let at = |span: &Span| {
        let (line, _) = line_col(text, span.start);
        format!("{}:{line}", report.file)
    };
    let mut rows = Vec::new();
    for evaluation in &report.evaluations {
        let rule = evaluation.rule();
        let pack = &evaluation.pack;
        let standard = report
            .standards
            .iter()
            .find(|s| s.id == pack.meta.designation);
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == rule.id)
            .collect();
        let decisive = findings
            .iter()
            .find(|f| f.level == rule.level)
            .or(findings.first());
        let (status, remark) = match evaluation.outcome {
            Outcome::Passed => {
                let note = findings.first().map_or(String::new(), |f| f.label.clone());
                (RowStatus::Compliant, note)
            }
            Outcome::Failed => {
                let label = decisive.map_or(String::new(), |f| f.label.clone());
                // A failure an expired deviation used to waive: the row names the approval,
                // or a reader of the matrix would not know the waiver lapsed.
                let expired = inputs.deviations.and_then(|d| {
                    findings
                        .iter()
                        .filter(|f| f.status == Status::Open)
                        .find_map(|f| d.expired_for(inputs.product, f, inputs.today))
                });
                let remark = match expired {
                    Some((approval, expires)) => {
                        format!("deviation {approval} expired on {expires}: {label}")
                    }
                    None => label,
                };
                (RowStatus::NonCompliant, remark)
            }
            Outcome::NotApplicable => (
                RowStatus::NotApplicable,
                standard
                    .filter(|s| s.verdict == crate::report::Verdict::NotApplicable)
                    .and_then(|s| s.note.clone())
                    .unwrap_or_else(|| {
                        let conditions: Vec<String> =
                            rule.when.iter().map(|c| c.describe()).collect();
                        format!("applies only when {}", conditions.join(" and "))
                    }),
            ),
            Outcome::Waived => {
                let waiver = findings.iter().find_map(|f| f.waiver.as_ref());
                let (approval, expires, justification) =
                    waiver.map_or_else(Default::default, |w| {
                        (
                            w.approval.clone(),
                            w.expires.clone(),
                            w.justification.clone(),
                        )
                    });
                (
                    RowStatus::Waived {
                        approval,
                        expires,
                        justification: justification.clone(),
                    },
                    justification,
                )
            }
            Outcome::EvidenceRequired => {
                let label = decisive.map_or(String::new(), |f| f.label.clone());
                match inputs.evidence.and_then(|e| e.reference(&rule.id)) {
                    Some(reference) => {
                        let needed = rule.evidence.as_deref().unwrap_or("evidence");
                        (
                            RowStatus::EvidenceProvided { reference },
                            format!("provided: {needed}"),
                        )
                    }
                    None => (RowStatus::EvidenceRequired, label),
                }
            }
        };
        // The value that decided the row: a failing finding's, else the first value the rule
        // read. A missing value has a location (where it belongs) but no value.
        let reached = rule.reach(root);
        let decided = match decisive {
            Some(f) if evaluation.outcome != Outcome::Passed => Some(f.span.clone()),
            _ if evaluation.outcome == Outcome::NotApplicable => None,
            _ => reached.first().map(|m| m.node.span.clone()),
        };
        let missing = reached.is_empty();
        let shown = decided.as_ref().map(|span| whole(&reached, span));
        rows.push(Row {
            standard: pack.meta.designation.clone(),
            edition: pack.meta.edition.clone(),
            obligation: standard
                .map_or("mandatory", |s| s.obligation.as_str())
                .to_owned(),
            clause: rule.clause.clone(),
            rule: rule.id.clone(),
            requirement: rule.message.clone(),
            level: rule.level.as_str().to_owned(),
            status,
            value: shown
                .filter(|_| !missing)
                .map(|span| value_text(text, span)),
            location: decided.as_ref().map(at),
            remark,
        });
    }
    let mut counts: BTreeMap<&'static str, usize> =
        RowStatus::ALL.iter().map(|s| (*s, 0)).collect();
    for row in &rows {
        *counts.entry(row.status.word()).or_default() += 1;
    }
    let mut seen = BTreeSet::new();
    let standards: Vec<StandardLine> = report
        .evaluations
        .iter()
        .filter(|e| seen.insert(e.pack.meta.designation.clone()))
        .map(|e| {
            let pack = &e.pack;
            let obligation = report
                .standards
                .iter()
                .find(|s| s.id == pack.meta.designation)
                .map_or("mandatory", |s| s.obligation.as_str());
            StandardLine {
                designation: pack.meta.designation.clone(),
                edition: pack.meta.edition.clone(),
                obligation: obligation.to_owned(),
                source: pack.meta.source.clone(),
                file: pack.file.clone(),
                sha256: pack.digest(),
                classification: pack.meta.classification.clone(),
            }
        })
        .collect();
    let marking = root
        .get("product")
        .and_then(|p| p.get("marking"))
        .and_then(|n| n.as_str())
        .map(str::to_owned);
    Matrix {
        header: Header {
            verdict: report.verdict.as_str().to_owned(),
            not_checked: report
                .findings
                .iter()
                .filter(|f| f.status == crate::report::Status::NotChecked)
                .map(|f| f.message.trim_start_matches("not checked: ").to_owned())
                .collect(),
            product_id: product_field("id"),
            product_name: product_field("name"),
            manufacturer: product_field("manufacturer"),
            product_file: report.file.clone(),
            product_sha256: sha256(inputs.bytes),
            product_marking: marking,
            classification: crate::marking::highest(
                standards.iter().map(|s| s.classification.as_str()),
            ),
            profile: inputs.profile.clone(),
            standards,
            date: inputs.today.to_owned(),
            formfit_version: env!("CARGO_PKG_VERSION").to_owned(),
            evidence_file: inputs.evidence.map(|e| (e.file.clone(), e.sha256.clone())),
            counts,
        },
        rows,
    }
}

/// The whole value the rule read around a span: a finding placed on one end of a range
/// (`bands[0].max`, `input_voltage.min`) is about the range, and the row shows all of it
/// (`225-420 MHz`, not `420 MHz`). The innermost value read that holds the span, else the span.
fn whole<'a>(reached: &'a [Match], span: &'a Span) -> &'a Span {
    reached
        .iter()
        .map(|m| &m.node.span)
        .filter(|s| s.start <= span.start && span.end <= s.end)
        .min_by_key(|s| s.end - s.start)
        .unwrap_or(span)
}

/// A value as written, on one line: quotes of a plain string dropped, whitespace collapsed.
fn value_text(text: &str, span: &Span) -> String {
    let raw = text.get(span.clone()).unwrap_or_default().trim();
    let unquoted = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|inner| !inner.contains('"'))
        .unwrap_or(raw);
    let one_line = unquoted.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 160 {
        format!("{}…", one_line.chars().take(159).collect::<String>())
    } else {
        one_line
    }
}

/// The header lines shared by the text formats, as (label, value).
pub fn header_lines(m: &Matrix) -> Vec<(String, String)> {
    let h = &m.header;
    let mut lines = vec![
        ("Classification".to_owned(), m.marking()),
        (
            "Product".to_owned(),
            format!("{} — {}", h.product_id, h.product_name),
        ),
        ("Manufacturer".to_owned(), h.manufacturer.clone()),
        (
            "Product file".to_owned(),
            format!("{} ({})", h.product_file, h.product_sha256),
        ),
    ];
    if let Some((name, title)) = &h.profile {
        lines.push(("Profile".to_owned(), format!("{name} — {title}")));
    }
    for s in &h.standards {
        lines.push((
            "Standard".to_owned(),
            format!(
                "{} (edition {}, {}); pack {} ({}); source: {}",
                s.designation, s.edition, s.obligation, s.file, s.sha256, s.source
            ),
        ));
    }
    if let Some((file, digest)) = &h.evidence_file {
        lines.push(("Evidence file".to_owned(), format!("{file} ({digest})")));
    }
    lines.push(("Date".to_owned(), h.date.clone()));
    lines.push(("formfit".to_owned(), h.formfit_version.clone()));
    let counts: Vec<String> = h
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    lines.push(("Summary".to_owned(), counts.join(", ")));
    lines.push(("Verdict".to_owned(), h.verdict.clone()));
    for claim in &h.not_checked {
        lines.push(("Not checked".to_owned(), claim.clone()));
    }
    lines
}

/// The column titles, in order, shared by every tabular format.
pub const COLUMNS: [&str; 11] = [
    "Standard",
    "Edition",
    "Obligation",
    "Clause",
    "Rule",
    "Requirement",
    "Level",
    "Status",
    "Value",
    "Location",
    "Remark",
];

impl Row {
    /// The cells in `COLUMNS` order.
    pub fn cells(&self) -> [String; 11] {
        [
            self.standard.clone(),
            self.edition.clone(),
            self.obligation.clone(),
            self.clause.clone(),
            self.rule.clone(),
            self.requirement.clone(),
            self.level.clone(),
            self.status.cell(),
            self.value.clone().unwrap_or_default(),
            self.location.clone().unwrap_or_default(),
            self.remark.clone(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tester::{check, Tested};

    fn matrix(tested: &Tested) -> Matrix {
        build(&Inputs {
            report: &tested.report,
            product: &tested.product,
            bytes: tested.text.as_bytes(),
            profile: None,
            evidence: None,
            deviations: None,
            today: "2026-11-25",
        })
    }

    const STEADY_STATE: &str = "path = \"power.input_voltage\"\ncovers = \"20-33 V\"";

    #[test]
    fn a_range_judged_at_one_end_is_shown_whole() {
        // The finding is placed on `input_voltage.min` (the end that falls short).
        let tested = check(STEADY_STATE, "[power]\ninput_voltage = \"22-30 V\"");
        assert_eq!(tested.at(), ["22"]);
        let row = &matrix(&tested).rows[0];
        assert_eq!(row.status, RowStatus::NonCompliant);
        assert_eq!(row.value.as_deref(), Some("22-30 V"));
        assert_eq!(row.location.as_deref(), Some("test.toml:8"));

        let table = check(
            STEADY_STATE,
            "[power]\ninput_voltage = { min = \"22 V\", max = \"30 V\" }",
        );
        let row = &matrix(&table).rows[0];
        assert_eq!(
            row.value.as_deref(),
            Some("{ min = \"22 V\", max = \"30 V\" }")
        );
    }

    #[test]
    fn a_single_value_is_shown_as_it_is() {
        let tested = check(
            "path = \"power.nominal_voltage\"\nequals = \"28 V\"",
            "[power]\nnominal_voltage = \"24 V\"",
        );
        assert_eq!(matrix(&tested).rows[0].value.as_deref(), Some("24 V"));
    }
}
