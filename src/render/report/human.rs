//! Human output: one miette report per finding (the product snippet, a label on the exact
//! value, the rule id as the code, the standard and clause, the fix, and where the rule is
//! defined as a second snippet of its pack), then a one-line verdict per product.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, Severity, SourceCode, SourceSpan, SpanContents,
};

use crate::escape;
use crate::hint::Spelling;
use crate::pack::model::Level;
use crate::report::gate::{self, Gate};
use crate::report::{
    Disposition, FileKind, Finding, Located, ProductReport, Report, RunDiagnostic, StandardTally,
    Totals, Verdict,
};

/// How the terminal output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Only the one-line summary per product (and run-level problems).
    pub quiet: bool,
    /// The run summary also names the standards that took the most time (which differs from
    /// run to run, so it is asked for).
    pub timings: bool,
}

/// The findings and a verdict line per product, then the run's verdict and exit code; run
/// diagnostics are rendered apart by [`render_diagnostics`].
pub fn render(report: &Report, style: Style) -> String {
    let totals = report.totals();
    let mut out = head(&totals);
    for product in &report.products {
        out.push_str(&piece(product, report.spelling, style));
    }
    out.push_str(&tail(&totals, &report.diagnostics, &report.gate, style));
    out
}

/// The banner that opens the report (it carries the highest marking of the run, so a streamed
/// run writes it once every product is known).
pub fn head(totals: &Totals) -> String {
    format!(
        "── {} ──\n",
        escape::for_terminal(&totals.markings.banner())
    )
}

/// One product's findings and verdict line.
pub fn piece(product: &ProductReport, spelling: Spelling, style: Style) -> String {
    let mut out = String::new();
    if !style.quiet {
        findings(&handler(style), &mut out, product, spelling);
    }
    out.push_str(&summary(product));
    out
}

/// The run's summary line, the standards that failed most (and, asked for, took longest) in a
/// run of several products, and the closing banner.
pub fn tail(totals: &Totals, diagnostics: &[RunDiagnostic], gate: &Gate, style: Style) -> String {
    let mut out = run_summary(totals, diagnostics, gate);
    if totals.products > 1 {
        out.push_str(&most_failing(totals));
        if style.timings {
            out.push_str(&slowest(totals));
        }
    }
    out.push_str(&head(totals));
    out
}

/// How many standards the summary names.
const TOP: usize = 3;

/// `most failing: STANAG 4172 (40 of 52 products non-conformant), …`; empty when none failed.
fn most_failing(totals: &Totals) -> String {
    top_standards(
        "most failing",
        totals,
        |t| t.non_conformant > 0,
        |t| t.non_conformant,
        |t| {
            format!(
                "{} of {}",
                t.non_conformant,
                products(t.checked) + " non-conformant"
            )
        },
    )
}

/// `slowest: STANAG 4172 (12.3 ms over 52 products), …`: the time of each standard's rules.
fn slowest(totals: &Totals) -> String {
    top_standards(
        "slowest",
        totals,
        |_| true,
        |t| t.elapsed,
        |t| {
            let ms = t.elapsed.as_secs_f64() * 1000.0;
            format!("{ms:.1} ms over {}", products(t.checked))
        },
    )
}

/// The [`TOP`] standards by `key`, highest first (ties by name), each with what `says`; empty
/// when none is `shown`.
fn top_standards<K: Ord>(
    title: &str,
    totals: &Totals,
    shown: impl Fn(&StandardTally) -> bool,
    key: impl Fn(&StandardTally) -> K,
    says: impl Fn(&StandardTally) -> String,
) -> String {
    let mut standards: Vec<_> = totals.standards.iter().filter(|(_, t)| shown(t)).collect();
    standards.sort_by(|(a, x), (b, y)| key(y).cmp(&key(x)).then(a.cmp(b)));
    let named: Vec<String> = standards
        .iter()
        .take(TOP)
        .map(|(id, t)| format!("{} ({})", escape::for_terminal(id), says(t)))
        .collect();
    if named.is_empty() {
        String::new()
    } else {
        format!("{title}: {}\n", named.join(", "))
    }
}

/// `1 product`, `3 products`.
fn products(n: usize) -> String {
    format!("{n} product{}", if n == 1 { "" } else { "s" })
}

/// A product's findings alone: no verdict lines, no banner (an example inside other text).
pub fn render_findings(product: &ProductReport, spelling: Spelling, style: Style) -> String {
    let mut out = String::new();
    findings(&handler(style), &mut out, product, spelling);
    out
}

/// Each finding of a product, with where its rule is defined as a related diagnostic.
fn findings(
    handler: &GraphicalReportHandler,
    out: &mut String,
    product: &ProductReport,
    spelling: Spelling,
) {
    for f in &product.findings {
        let mut shown = Shown::new(
            finding(f, spelling),
            Some(Source {
                file: &product.file,
                text: &product.text,
                first_line: product.line.map_or(0, |at| at.number - 1),
            }),
        );
        if let Some(rule) = &f.rule_location {
            shown.related.push(defined_here(rule));
        }
        render_one(handler, out, shown);
    }
}

/// formfit's own problems of the run (a broken pack, a refusal, a notice), for stderr.
pub fn render_diagnostics(report: &Report, style: Style) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for d in &report.diagnostics {
        let shown = Shown::new(
            run_diagnostic(d, report.spelling),
            d.location.as_ref().map(|l| Source {
                file: &l.file,
                text: &l.text,
                first_line: 0,
            }),
        );
        render_one(&handler, &mut out, shown);
    }
    out
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
}

/// A text to show a snippet of; `first_line` lines come before it in its file (a product on
/// one line of a stream).
struct Source<'a> {
    file: &'a str,
    text: &'a str,
    first_line: usize,
}

/// A diagnostic with its own source, made terminal-safe, and the diagnostics related to it in
/// other files (where a finding's rule is defined): miette renders each related one with its
/// own source, which a label of the main diagnostic could not have.
struct Shown {
    diag: MietteDiagnostic,
    source: Option<Box<dyn SourceCode>>,
    related: Vec<Shown>,
}

impl std::fmt::Debug for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shown")
            .field("diag", &self.diag)
            .field("related", &self.related)
            .finish_non_exhaustive()
    }
}

impl Shown {
    fn new(diag: MietteDiagnostic, source: Option<Source<'_>>) -> Shown {
        let mut diag = terminal_safe(diag);
        let source = source.map(
            |Source {
                 file,
                 text,
                 first_line,
             }| {
                let file = escape::for_terminal(file).into_owned();
                let text = match escape::source_for_terminal(text) {
                    Some(escaped) => {
                        move_labels(&mut diag, &escaped);
                        escaped.text
                    }
                    None => text.to_owned(),
                };
                let named = NamedSource::new(file, text);
                if first_line == 0 {
                    Box::new(named) as Box<dyn SourceCode>
                } else {
                    Box::new(Shifted { named, first_line })
                }
            },
        );
        Shown {
            diag,
            source,
            related: Vec::new(),
        }
    }
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.diag, f)
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diag.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.diag.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diag.help()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diag.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_deref()
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

fn render_one(handler: &GraphicalReportHandler, out: &mut String, shown: Shown) {
    // Rendering into a String cannot fail for lack of space; a formatter error would only drop
    // decoration, so it is ignored rather than aborting the whole report.
    let _ = handler.render_report(out, &shown);
    out.push('\n');
}

/// Where a finding's rule is defined: a note with the rule's first line in its pack.
fn defined_here(rule: &Located) -> Shown {
    let message = rule.label.as_deref().unwrap_or("the rule is defined here");
    let diag = MietteDiagnostic::new(message)
        .with_severity(Severity::Advice)
        .with_label(LabeledSpan::new_with_span(None, rule.span.clone()));
    Shown::new(
        diag,
        Some(Source {
            file: &rule.file,
            text: &rule.text,
            first_line: 0,
        }),
    )
}

/// A source whose lines are numbered from `first_line` on: miette then names the line of the
/// stream, not of the one-line text it was given.
struct Shifted {
    named: NamedSource<String>,
    first_line: usize,
}

impl SourceCode for Shifted {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.named.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            contents.name().unwrap_or_default().to_owned(),
            contents.data(),
            *contents.span(),
            contents.line() + self.first_line,
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// A diagnostic's text carries product text (values, ids): a crafted product must not clear
/// the screen or print a fake verdict, so what a terminal would act on is written out.
fn terminal_safe(mut diag: MietteDiagnostic) -> MietteDiagnostic {
    fn safe(text: &str) -> String {
        escape::for_terminal(text).into_owned()
    }
    diag.message = safe(&diag.message);
    diag.code = diag.code.as_deref().map(safe);
    diag.help = diag.help.as_deref().map(safe);
    for label in diag.labels.iter_mut().flatten() {
        let text = label.label().map(safe);
        label.set_label(text);
    }
    diag
}

/// Labels follow their text into a source whose escaped characters grew.
fn move_labels(diag: &mut MietteDiagnostic, source: &escape::EscapedSource) {
    for label in diag.labels.iter_mut().flatten() {
        let start = source.offset(label.offset());
        let end = source.offset(label.offset() + label.len());
        let text = label.label().map(str::to_owned);
        *label = if label.primary() {
            LabeledSpan::new_primary_with_span(text, start..end)
        } else {
            LabeledSpan::new_with_span(text, start..end)
        };
    }
}

fn severity(level: Level) -> Severity {
    miette_severity(crate::render::Severity::of_level(level))
}

/// Only what fails the gate is shown as an error.
fn disposition_severity(disposition: Disposition) -> Severity {
    miette_severity(crate::render::Severity::of(disposition))
}

fn miette_severity(severity: crate::render::Severity) -> Severity {
    severity.named(Severity::Error, Severity::Warning, Severity::Advice)
}

fn finding(f: &Finding, spelling: Spelling) -> MietteDiagnostic {
    let message = match (&f.standard, &f.clause) {
        (Some(standard), Some(clause)) => format!("{standard}, {clause}: {}", f.message),
        _ => f.message.clone(),
    };
    let mut help = f.help_text(spelling).unwrap_or_default();
    if f.disposition == Disposition::EvidenceRequested {
        help = format!("evidence required: {help}");
    }
    let label = match &f.waiver {
        Some(w) => format!("waived ({}, until {}): {}", w.approval, w.expires, f.label),
        None => f.label.clone(),
    };
    let severity = disposition_severity(f.disposition);
    let mut diag = MietteDiagnostic::new(message)
        .with_code(f.rule.clone())
        .with_severity(severity)
        .with_label(LabeledSpan::new_with_span(Some(label), f.span.clone()));
    if !help.is_empty() {
        diag = diag.with_help(help.trim_start().to_owned());
    }
    diag
}

fn run_diagnostic(d: &RunDiagnostic, spelling: Spelling) -> MietteDiagnostic {
    let mut diag = MietteDiagnostic::new(d.message.clone())
        .with_code(d.id().to_owned())
        .with_severity(severity(d.level));
    if let Some(l) = &d.location {
        diag = diag.with_label(LabeledSpan::new_with_span(l.label.clone(), l.span.clone()));
    }
    // A place has no text to show: only where it is, never a snippet.
    let at = d.place.as_ref().map(|p| match &p.label {
        Some(label) => format!("at {p} ({label})"),
        None => format!("at {p}"),
    });
    let help = match (at, d.help_text(spelling)) {
        (Some(at), Some(help)) => Some(format!("{at}\n{help}")),
        (at, help) => at.or(help),
    };
    if let Some(help) = help {
        diag = diag.with_help(help);
    }
    diag
}

fn summary(p: &ProductReport) -> String {
    let id = match (p.kind, &p.product) {
        (FileKind::Deviations, _) => "(deviations)",
        (_, Some(id)) => id.as_str(),
        (_, None) => "(unreadable)",
    };
    let standards = p
        .standards
        .iter()
        .map(|s| format!("{} {}", s.id, s.verdict.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let id = escape::for_terminal(id);
    let standards = escape::for_terminal(&standards);
    // A product of a stream is named by its line.
    let file = match p.line {
        Some(at) => format!("{}:{}", p.file, at.number),
        None => p.file.clone(),
    };
    let mut line = format!(
        "{}: {id} {} ({})",
        escape::for_terminal(&file),
        p.verdict.headline(),
        counts(|d| p.count(d))
    );
    if !standards.is_empty() {
        line.push_str(&format!(" [{standards}]"));
    }
    line.push('\n');
    line
}

/// "1 failing, 2 warnings, 1 waived", only what occurs; "no findings" when nothing does.
fn counts(count: impl Fn(Disposition) -> usize) -> String {
    let shown: Vec<String> = Disposition::ALL
        .iter()
        .map(|&d| (d, count(d)))
        .filter(|(_, n)| *n > 0)
        .map(|(d, n)| d.counted(n))
        .collect();
    if shown.is_empty() {
        "no findings".to_owned()
    } else {
        shown.join(", ")
    }
}

/// The run in one line: how many products read how, the files skipped, and what the gate
/// made of it.
fn run_summary(totals: &Totals, diagnostics: &[RunDiagnostic], gate: &Gate) -> String {
    let total = totals.products;
    let verdicts: Vec<String> = Verdict::ALL
        .iter()
        .rev()
        .map(|&v| (v, totals.verdict(v)))
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| format!("{n} {}", v.as_str()))
        .collect();
    let exit_code = gate::exit_code(diagnostics, totals, gate);
    let outcome = match exit_code {
        0 => "passes".to_owned(),
        1 => format!(
            "fails: {}",
            Disposition::Failing.counted(totals.count(Disposition::Failing))
        ),
        2 => "fails: a product file is invalid".to_owned(),
        _ => "fails: formfit could not do what was asked".to_owned(),
    };
    let skipped = match totals.skipped {
        0 => String::new(),
        1 => "; 1 file skipped (no top-level `product` table)".to_owned(),
        n => format!("; {n} files skipped (no top-level `product` table)"),
    };
    format!(
        "{total} product{}{}{}{skipped}; the gate ({}) {outcome} (exit {exit_code})\n",
        if total == 1 { "" } else { "s" },
        if verdicts.is_empty() { "" } else { ": " },
        verdicts.join(", "),
        gate.describe(),
    )
}
