//! Human output: one miette report per finding (the product snippet, a label on the exact
//! value, the rule id as the code, the standard and clause, the fix, where the rule is
//! defined), then a one-line verdict per product.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, Severity, SourceCode, SourceSpan, SpanContents,
};

use super::gate::{self, Gate};
use super::{
    line_col, Disposition, FileKind, Finding, Located, ProductReport, Report, RunDiagnostic,
    Totals, Verdict,
};
use crate::escape;
use crate::pack::model::Level;

/// How the terminal output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Only the one-line summary per product (and run-level problems).
    pub quiet: bool,
}

/// The findings and a verdict line per product, then the run's verdict and exit code; run
/// diagnostics are rendered apart by [`render_diagnostics`].
pub fn render(report: &Report, style: Style) -> String {
    let totals = report.totals();
    let mut out = head(&totals);
    for product in &report.products {
        out.push_str(&piece(product, style));
    }
    out.push_str(&tail(&totals, &report.diagnostics, &report.gate));
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
pub fn piece(product: &ProductReport, style: Style) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for f in product.findings.iter().filter(|_| !style.quiet) {
        render_one(
            &handler,
            &mut out,
            finding(f),
            Some(Source {
                file: &product.file,
                text: &product.text,
                first_line: product.line.map_or(0, |at| at.number - 1),
            }),
        );
    }
    out.push_str(&summary(product));
    out
}

/// The run's summary line and the closing banner.
pub fn tail(totals: &Totals, diagnostics: &[RunDiagnostic], gate: &Gate) -> String {
    let mut out = run_summary(totals, diagnostics, gate);
    out.push_str(&head(totals));
    out
}

/// formfit's own problems of the run (a broken pack, a refusal, a notice), for stderr.
pub fn render_diagnostics(report: &Report, style: Style) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for d in &report.diagnostics {
        render_one(
            &handler,
            &mut out,
            run_diagnostic(d),
            d.location.as_ref().map(|l| Source {
                file: &l.file,
                text: &l.text,
                first_line: 0,
            }),
        );
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

fn render_one(
    handler: &GraphicalReportHandler,
    out: &mut String,
    diag: MietteDiagnostic,
    source: Option<Source<'_>>,
) {
    let mut diag = terminal_safe(diag);
    let report = match source {
        Some(Source {
            file,
            text,
            first_line,
        }) => {
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
                miette::Report::new(diag).with_source_code(named)
            } else {
                miette::Report::new(diag).with_source_code(Shifted { named, first_line })
            }
        }
        None => miette::Report::new(diag),
    };
    // Rendering into a String cannot fail for lack of space; a formatter error would only drop
    // decoration, so it is ignored rather than aborting the whole report.
    let _ = handler.render_report(out, report.as_ref());
    out.push('\n');
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
    match level {
        Level::Shall => Severity::Error,
        Level::Should => Severity::Warning,
        Level::May => Severity::Advice,
    }
}

/// Only what fails the gate is shown as an error.
fn disposition_severity(disposition: Disposition) -> Severity {
    match disposition {
        Disposition::Failing => Severity::Error,
        Disposition::Warning => Severity::Warning,
        _ => Severity::Advice,
    }
}

fn finding(f: &Finding) -> MietteDiagnostic {
    let message = match (&f.standard, &f.clause) {
        (Some(standard), Some(clause)) => format!("{standard}, {clause}: {}", f.message),
        _ => f.message.clone(),
    };
    let mut help = f.help.clone().unwrap_or_default();
    if f.disposition == Disposition::EvidenceRequested {
        help = format!("evidence required: {help}");
    }
    if let Some(rule) = &f.rule_location {
        help.push_str(&format!("\nrule defined at {}", position(rule)));
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

fn run_diagnostic(d: &RunDiagnostic) -> MietteDiagnostic {
    let mut diag = MietteDiagnostic::new(d.message.clone())
        .with_code(d.id.clone())
        .with_severity(severity(d.level));
    if let Some(l) = &d.location {
        diag = diag.with_label(LabeledSpan::new_with_span(l.label.clone(), l.span.clone()));
    }
    // A place has no text to show: only where it is, never a snippet.
    let at = d.place.as_ref().map(|p| match &p.label {
        Some(label) => format!("at {p} ({label})"),
        None => format!("at {p}"),
    });
    let help = match (at, &d.help) {
        (Some(at), Some(help)) => Some(format!("{at}\n{help}")),
        (at, help) => at.or_else(|| help.clone()),
    };
    if let Some(help) = help {
        diag = diag.with_help(help);
    }
    diag
}

fn position(l: &Located) -> String {
    let (line, _) = line_col(&l.text, l.span.start);
    format!("{}:{line}", l.file)
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
    let exit_code = gate::exit_code(diagnostics, totals);
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
