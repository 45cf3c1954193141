//! The one report model every output format renders. Spans stay byte ranges here; line and
//! column are computed by [`line_col`] when a renderer needs them.

pub mod gate;
pub mod totals;

use std::sync::Arc;

use crate::code::{Code, UsageCode};
use crate::hint::{Hint, Spelling};
use crate::pack::model::Level;
use crate::pack::profile::Obligation;
use crate::pack::{Pack, PackError, Rule};
use crate::span::Span;
pub use crate::span::{line_col, region};
pub use gate::{Disposition, Gate};
pub use totals::{Markings, StandardTally, Totals};

/// Everything a `formfit check` run found.
#[derive(Debug, Default)]
pub struct Report {
    pub products: Vec<ProductReport>,
    /// Problems of the run itself: a broken pack, an unreadable file, a replaced pack.
    pub diagnostics: Vec<RunDiagnostic>,
    /// The gate the findings were settled under ([`gate::settle`]).
    pub gate: Gate,
    /// How the front end names its settings, for hints and code docs that name one; set by
    /// the front end before rendering (see [`crate::hint`]).
    pub spelling: Spelling,
}

#[derive(Debug, Clone)]
pub struct RunDiagnostic {
    pub code: Code,
    /// `Shall` for errors that stop formfit doing what was asked, lower for notices.
    pub level: Level,
    pub message: String,
    pub help: Option<String>,
    /// A fix that names a setting: shown instead of `help`, spelt by the front end.
    pub hint: Option<Hint>,
    pub location: Option<Located>,
    /// Where it points when the file's text must not be shown (a withheld, untrusted or
    /// encrypted pack): renderers print `file:line:column`, never a snippet.
    pub place: Option<Place>,
}

impl RunDiagnostic {
    pub fn new(code: impl Into<Code>, level: Level, message: String) -> RunDiagnostic {
        RunDiagnostic {
            code: code.into(),
            level,
            message,
            help: None,
            hint: None,
            location: None,
            place: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> RunDiagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_hint(mut self, hint: Hint) -> RunDiagnostic {
        self.hint = Some(hint);
        self
    }

    pub fn at_place(mut self, place: Place) -> RunDiagnostic {
        self.place = Some(place);
        self
    }

    /// The rule it is reported under (JSON `id`, SARIF notification descriptor).
    pub fn id(&self) -> &'static str {
        self.code.rule()
    }

    /// The fix to show: the hint spelt, else the help.
    pub fn help_text(&self, spelling: Spelling) -> Option<String> {
        spelled(&self.hint, &self.help, spelling)
    }
}

fn spelled(hint: &Option<Hint>, help: &Option<String>, spelling: Spelling) -> Option<String> {
    match hint {
        Some(hint) => Some(hint.text(spelling)),
        None => help.clone(),
    }
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
    /// 1-based line and column (in characters) of `span.start` in `text`, found once.
    pub line: usize,
    pub column: usize,
}

impl Located {
    /// A span in `text`, its line and column found by scanning the text.
    pub fn new(file: String, text: Arc<str>, span: Span, label: Option<String>) -> Located {
        let (line, column) = line_col(&text, span.start);
        Located {
            file,
            text,
            span,
            label,
            line,
            column,
        }
    }
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
    /// Set for a product read from one line of an NDJSON stream: locations are the stream's.
    pub line: Option<StreamLine>,
}

/// Where a product read from a stream starts in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLine {
    /// 1-based.
    pub number: usize,
    /// The byte offset of the line's first byte in the stream.
    pub offset: usize,
}

impl ProductReport {
    /// 1-based line and column of an offset into the text, as the file or stream has them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, column) = line_col(&self.text, offset);
        match self.line {
            Some(at) => (at.number + line - 1, column),
            None => (line, column),
        }
    }

    /// An offset into the text as an offset into the file or stream.
    pub fn offset(&self, offset: usize) -> usize {
        self.line.map_or(offset, |at| at.offset + offset)
    }

    /// [`line_col`] of both ends of a span, as the file or stream has them.
    pub fn region(&self, span: &Span) -> ((usize, usize), (usize, usize)) {
        (self.line_col(span.start), self.line_col(span.end))
    }
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

/// Ordered from best to worst; a product's verdict is the worst of its standards' and of its
/// own findings' (an unchecked claim, a misspelt one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    NotApplicable,
    Conformant,
    /// Nothing fails, but a `shall` waits for evidence a description cannot give.
    EvidenceRequired,
    /// A claim of the product could not be checked, or nothing was checked at all.
    NotChecked,
    NonConformant,
    Invalid,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::NotApplicable,
        Verdict::Conformant,
        Verdict::EvidenceRequired,
        Verdict::NotChecked,
        Verdict::NonConformant,
        Verdict::Invalid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotApplicable => "not-applicable",
            Verdict::Conformant => "conformant",
            Verdict::EvidenceRequired => "evidence-required",
            Verdict::NotChecked => "not-checked",
            Verdict::NonConformant => "non-conformant",
            Verdict::Invalid => "invalid",
        }
    }

    /// As the human summary shouts it.
    pub fn headline(self) -> &'static str {
        match self {
            Verdict::NotApplicable => "NOT APPLICABLE",
            Verdict::Conformant => "CONFORMANT",
            Verdict::EvidenceRequired => "EVIDENCE REQUIRED",
            Verdict::NotChecked => "NOT CHECKED",
            Verdict::NonConformant => "NON-CONFORMANT",
            Verdict::Invalid => "INVALID",
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
    /// How long its rules took on this product: for the human summary's slowest standards,
    /// never in a machine format (it differs from run to run).
    pub elapsed: std::time::Duration,
}

/// Whether a finding stands, asks for evidence a description cannot give, is waived, or says
/// that a claim was not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    EvidenceRequired,
    /// Covered by an approved deviation: reported, never failing.
    Waived,
    /// A claim formfit has no pack for, or a product checked against nothing.
    NotChecked,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Open,
        Status::EvidenceRequired,
        Status::Waived,
        Status::NotChecked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::EvidenceRequired => "evidence-required",
            Status::Waived => "waived",
            Status::NotChecked => "not-checked",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule id, or the rule of its [`Code`] (`input/…`, `formfit/…`) for problems that
    /// are not a pack rule's.
    pub rule: String,
    /// formfit's own code, for a finding that is no pack rule's; `None` for a rule's.
    pub code: Option<Code>,
    pub standard: Option<String>,
    pub clause: Option<String>,
    pub level: Level,
    pub status: Status,
    /// Where in the product: `radio[0].bands[1].max`.
    pub path: String,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    /// A fix that names a setting: shown instead of `help`, spelt by the front end.
    pub hint: Option<Hint>,
    pub span: Span,
    /// False for findings of a standard a profile only recommends: reported, never failing.
    pub gating: bool,
    /// The deviation that waives it, when one does.
    pub waiver: Option<Waiver>,
    /// Where its rule is defined in its pack; `None` for formfit's own findings, and for a
    /// rule of a pack whose text the reader must not be shown (encrypted or marked).
    pub rule_location: Option<Located>,
    /// What it means for the run; set by [`gate::settle`], which every report passes through
    /// before it is rendered.
    pub disposition: Disposition,
}

impl Finding {
    /// A finding that belongs to no rule of a pack: an unknown claim, an expired deviation.
    pub fn plain(
        code: impl Into<Code>,
        level: Level,
        span: Span,
        path: &str,
        message: String,
        label: &str,
        help: &str,
    ) -> Finding {
        let code = code.into();
        Finding {
            rule: code.rule().to_owned(),
            code: Some(code),
            standard: None,
            clause: None,
            level,
            status: Status::Open,
            path: path.to_owned(),
            message,
            label: label.to_owned(),
            help: Some(help.to_owned()),
            hint: None,
            span,
            gating: true,
            waiver: None,
            rule_location: None,
            disposition: Disposition::Note,
        }
    }

    /// The fix shown as a hint that names a setting.
    pub fn with_hint(mut self, hint: Hint) -> Finding {
        self.hint = Some(hint);
        self.help = None;
        self
    }

    /// The fix to show: the hint spelt, else the help.
    pub fn help_text(&self, spelling: Spelling) -> Option<String> {
        spelled(&self.hint, &self.help, spelling)
    }

    /// Whether it is a problem of the product file itself (it cannot be read or matched to
    /// the schema): such a finding makes the product invalid, not non-conformant.
    pub fn is_input_problem(&self) -> bool {
        self.code.is_some_and(Code::is_input)
    }

    /// A finding about a claim formfit could not check.
    pub fn not_checked(mut self) -> Finding {
        self.status = Status::NotChecked;
        self
    }

    /// The label when it says something the message and the location do not: not an empty
    /// one, not the bare `here` that an input problem without a label of its own is given
    /// (`engine::invalid`, the parsers, the schema check), not one the message already says
    /// (`unknown key` beside "unknown key `calibre`").
    pub fn telling_label(&self) -> Option<&str> {
        let label = self.label.trim();
        (!label.is_empty() && label != "here" && !self.message.contains(label)).then_some(label)
    }

    /// The message, followed by the label when it tells something (CI formats have no place
    /// for a label of their own).
    pub fn message_with_label(&self) -> String {
        match self.telling_label() {
            Some(label) => format!("{}: {label}", self.message),
            None => self.message.clone(),
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

/// A finding's identity across commits: rule, file, path in the product and the value itself,
/// but not its line, so inserting a line above a finding keeps its fingerprint.
pub fn fingerprint(product: &ProductReport, finding: &Finding) -> String {
    let value = product.text.get(finding.span.clone()).unwrap_or_default();
    crate::digest::of_parts(&[&finding.rule, &product.file, &finding.path, value])
}

/// A file's path relative to the repository root, with `/` separators: how code-scanning and
/// merge-request services name files. `None` when the file is not under the root.
pub fn relative_to(root: &std::path::Path, file: &str) -> Option<String> {
    let absolute = std::fs::canonicalize(file).ok()?;
    let relative = absolute.strip_prefix(root).ok()?;
    Some(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The path a service that knows the repository shows: relative to its root when under it.
pub fn repository_path(root: Option<&std::path::Path>, file: &str) -> String {
    root.and_then(|root| relative_to(root, file))
        .unwrap_or_else(|| file.replace('\\', "/"))
}

/// A broken pack, profile, configuration or deviations file: one run diagnostic per problem,
/// each at its location (exit 3).
pub fn pack_diagnostics(error: PackError) -> Vec<RunDiagnostic> {
    let text: std::sync::Arc<str> = error.text.into();
    error
        .problems
        .into_iter()
        .map(|p| RunDiagnostic {
            code: p.code,
            level: Level::Shall,
            message: format!("{}: {}", p.code.broken(), p.message),
            help: p.help,
            hint: p.hint,
            location: Some(Located::new(
                error.file.clone(),
                text.clone(),
                p.span,
                p.label,
            )),
            place: None,
        })
        .collect()
}

/// A problem with what was asked (exit 3).
pub fn usage(code: UsageCode, message: String, help: &str) -> RunDiagnostic {
    RunDiagnostic::new(code, Level::Shall, message).with_help(help)
}
