//! Human output: one miette report per finding (the product snippet, a label on the exact
//! value, the rule id as the code, the standard and clause, the fix, where the rule is
//! defined), then a one-line verdict per product.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Severity,
};

use super::{
    line_col, Disposition, FileKind, Finding, Located, ProductReport, Report, RunDiagnostic,
    Verdict,
};
use crate::pack::model::Level;

/// How the terminal output looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Only the one-line summary per product (and run-level problems).
    pub quiet: bool,
}

/// The findings and a verdict line per product, then the run's verdict and exit code; run
/// diagnostics are rendered apart by [`render_diagnostics`].
pub fn render(report: &Report, style: Style) -> String {
    let handler = handler(style);
    let banner = format!("── {} ──\n", report.banner());
    let mut out = banner.clone();
    for product in &report.products {
        for f in product.findings.iter().filter(|_| !style.quiet) {
            render_one(
                &handler,
                &mut out,
                finding(f),
                Some((product.file.as_str(), &*product.text)),
            );
        }
        out.push_str(&summary(product));
    }
    out.push_str(&run_summary(report));
    out.push_str(&banner);
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
            d.location.as_ref().map(|l| (l.file.as_str(), &*l.text)),
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

fn render_one(
    handler: &GraphicalReportHandler,
    out: &mut String,
    diag: MietteDiagnostic,
    source: Option<(&str, &str)>,
) {
    let report = match source {
        Some((file, text)) => {
            miette::Report::new(diag).with_source_code(NamedSource::new(file, text.to_owned()))
        }
        None => miette::Report::new(diag),
    };
    // Rendering into a String cannot fail for lack of space; a formatter error would only drop
    // decoration, so it is ignored rather than aborting the whole report.
    let _ = handler.render_report(out, report.as_ref());
    out.push('\n');
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
    match f.disposition {
        Disposition::EvidenceRequested => help = format!("evidence required: {help}"),
        Disposition::NotChecked => help = format!("not checked: {help}"),
        _ => {}
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
    let mut line = format!(
        "{}: {id} {} ({})",
        p.file,
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

/// The run in one line: how many products read how, and what the gate made of it.
fn run_summary(report: &Report) -> String {
    let products = report
        .products
        .iter()
        .filter(|p| p.kind == FileKind::Product);
    let total = products.clone().count();
    let verdicts: Vec<String> = Verdict::ALL
        .iter()
        .rev()
        .map(|&v| (v, products.clone().filter(|p| p.verdict == v).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| format!("{n} {}", v.as_str()))
        .collect();
    let outcome = match report.exit_code() {
        0 => "passes".to_owned(),
        1 => format!(
            "fails: {}",
            Disposition::Failing.counted(report.count(Disposition::Failing))
        ),
        2 => "fails: a product file is invalid".to_owned(),
        _ => "fails: formfit could not do what was asked".to_owned(),
    };
    format!(
        "{total} product{}{}{}; the gate ({}) {outcome} (exit {})\n",
        if total == 1 { "" } else { "s" },
        if verdicts.is_empty() { "" } else { ": " },
        verdicts.join(", "),
        report.gate.describe(),
        report.exit_code(),
    )
}
