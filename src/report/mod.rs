//! The one report model every output format renders. Spans stay byte ranges here; line and
//! column are computed by [`line_col`] when a renderer needs them.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::sync::Arc;

use crate::input::Span;
use crate::pack::model::Level;
use crate::pack::{Pack, Rule};
use crate::profile::Obligation;

/// Everything a `formfit check` run found.
#[derive(Debug, Default)]
pub struct Report {
    pub products: Vec<ProductReport>,
    /// Problems of the run itself: a broken pack, an unreadable file, a replaced pack.
    pub diagnostics: Vec<RunDiagnostic>,
}

#[derive(Debug, Clone)]
pub struct RunDiagnostic {
    pub id: String,
    /// `Shall` for errors that stop formfit doing what was asked, lower for notices.
    pub level: Level,
    pub message: String,
    pub help: Option<String>,
    pub location: Option<Located>,
    /// Where it points when the file's text must not be shown (a withheld, untrusted or
    /// encrypted pack): renderers print `file:line:column`, never a snippet.
    pub place: Option<Place>,
}

/// A position in a file whose text is not kept: line and column are computed once, when the
/// place is made, so no renderer can reach the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    /// 1-based, columns in characters.
    pub line: usize,
    pub column: usize,
    pub span: Span,
    pub label: Option<String>,
}

impl Place {
    /// The place of `span` in `text`, keeping neither.
    pub fn of(file: &str, text: &str, span: Span, label: Option<String>) -> Place {
        let (line, column) = line_col(text, span.start);
        Place {
            file: file.to_owned(),
            line,
            column,
            span,
            label,
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A span in a file whose text is kept for rendering.
#[derive(Debug, Clone)]
pub struct Located {
    pub file: String,
    pub text: Arc<str>,
    pub span: Span,
    pub label: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProductReport {
    pub file: String,
    pub text: Arc<str>,
    pub product: Option<String>,
    /// The product's own handling marking (`product.marking`).
    pub marking: Option<String>,
    pub kind: FileKind,
    pub verdict: Verdict,
    pub standards: Vec<StandardResult>,
    pub findings: Vec<Finding>,
    /// Every rule of every chosen standard and how it fared, including the passes: what SARIF
    /// rule lists, JUnit test cases and compliance matrices are made of.
    pub evaluations: Vec<Evaluation>,
}

/// What a checked file is: a product, or the deviations file (whose own findings, expired and
/// stale deviations, are reported like a product's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Product,
    Deviations,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Product => "product",
            FileKind::Deviations => "deviations",
        }
    }
}

/// The approved deviation that waives a finding.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub approval: String,
    pub expires: String,
    pub justification: String,
    /// The deviation's entry in the deviations file.
    pub location: Located,
}

/// One rule evaluated against one product.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub pack: Arc<Pack>,
    /// Index into `pack.rules`.
    pub rule: usize,
    pub outcome: Outcome,
}

impl Evaluation {
    pub fn rule(&self) -> &Rule {
        &self.pack.rules[self.rule]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    /// The standard, or the rule's own `when`, does not apply to the product.
    NotApplicable,
    /// Only evidence a description cannot give would decide it.
    EvidenceRequired,
    /// It failed, and every failure is covered by an approved deviation.
    Waived,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::NotApplicable => "not-applicable",
            Outcome::EvidenceRequired => "evidence-required",
            Outcome::Waived => "waived",
        }
    }
}

/// Ordered from best to worst; a product's verdict is the worst of its standards'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    NotApplicable,
    Conformant,
    NonConformant,
    Invalid,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotApplicable => "not-applicable",
            Verdict::Conformant => "conformant",
            Verdict::NonConformant => "non-conformant",
            Verdict::Invalid => "invalid",
        }
    }
}

#[derive(Debug, Clone)]
pub struct StandardResult {
    pub id: String,
    pub edition: String,
    pub verdict: Verdict,
    /// From a profile; standards named or claimed directly are mandatory.
    pub obligation: Obligation,
    pub note: Option<String>,
}

/// Whether a finding stands, or asks for evidence a description cannot give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    EvidenceRequired,
    /// Covered by an approved deviation: reported, never failing.
    Waived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::EvidenceRequired => "evidence-required",
            Status::Waived => "waived",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule id, or an `input/…` / `formfit/…` id for problems that are not a rule's.
    pub rule: String,
    pub standard: Option<String>,
    pub clause: Option<String>,
    pub level: Level,
    pub status: Status,
    /// Where in the product: `radio[0].bands[1].max`.
    pub path: String,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    pub span: Span,
    /// False for findings of a standard a profile only recommends: reported, never failing.
    pub gating: bool,
    /// The deviation that waives it, when one does.
    pub waiver: Option<Waiver>,
    pub rule_location: Option<Located>,
}

impl Finding {
    /// A finding that belongs to no rule of a pack: an unknown claim, an expired deviation.
    pub fn plain(
        id: &str,
        level: Level,
        span: Span,
        path: &str,
        message: String,
        label: &str,
        help: &str,
    ) -> Finding {
        Finding {
            rule: id.to_owned(),
            standard: None,
            clause: None,
            level,
            status: Status::Open,
            path: path.to_owned(),
            message,
            label: label.to_owned(),
            help: Some(help.to_owned()),
            span,
            gating: true,
            waiver: None,
            rule_location: None,
        }
    }
}

impl Report {
    /// The highest marking of the packs used, and the products' own markings: every output
    /// carries them, never lower.
    pub fn marking(&self) -> (String, Vec<String>) {
        let packs = self.products.iter().flat_map(|p| {
            p.evaluations
                .iter()
                .map(|e| e.pack.meta.classification.as_str())
        });
        let mut own: Vec<String> = self
            .products
            .iter()
            .filter_map(|p| p.marking.clone())
            .collect();
        own.sort();
        own.dedup();
        (crate::marking::highest(packs), own)
    }

    /// The banner line of this report.
    pub fn banner(&self) -> String {
        let (classification, own) = self.marking();
        crate::marking::banner(&classification, &own)
    }
}

/// What a run's exit code says, highest first when several apply.
pub fn exit_code(report: &Report, fail_on: Option<Level>) -> i32 {
    if report.diagnostics.iter().any(|d| d.level == Level::Shall) {
        return 3;
    }
    if report
        .products
        .iter()
        .any(|p| p.verdict == Verdict::Invalid)
    {
        return 2;
    }
    let failing = |f: &Finding| {
        // Waived findings and requests for evidence never fail the gate.
        f.gating
            && f.status == Status::Open
            && fail_on.is_some_and(|min| f.level >= min)
            && !f.rule.starts_with("input/")
    };
    if report
        .products
        .iter()
        .flat_map(|p| &p.findings)
        .any(failing)
    {
        return 1;
    }
    0
}

/// A finding's identity across commits: rule, file, path in the product and the value itself,
/// but not its line, so inserting a line above a finding keeps its fingerprint.
pub fn fingerprint(product: &ProductReport, finding: &Finding) -> String {
    use sha2::{Digest, Sha256};
    let value = product.text.get(finding.span.clone()).unwrap_or_default();
    let mut hasher = Sha256::new();
    for part in [finding.rule.as_str(), &product.file, &finding.path, value] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Start and end (line, column) of a finding, 1-based, columns in characters; the end is
/// exclusive, as SARIF and GitHub expect.
pub fn region(text: &str, span: &Span) -> ((usize, usize), (usize, usize)) {
    (line_col(text, span.start), line_col(text, span.end))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nµ = \"x\"\n";
        let offset = text.find("\"x\"").unwrap();
        assert_eq!(line_col(text, offset), (2, 5));
        assert_eq!(line_col(text, 0), (1, 1));
    }
}
