//! `formfit check`: products checked, the report written in the format asked for as the run
//! goes (see [`crate::render::report::stream`]).

use std::path::PathBuf;

use super::{refuse_inputs, Outcome};
use crate::output::{Destination, OutputError};
use crate::render::report::format::{repository_root, Format};
use crate::render::report::human;
use crate::render::report::stream::Streamer;
use crate::session::{Options, Session};

/// What `check` was asked.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub options: Options,
    /// The format's name; `None` takes formfit.toml's `format`, else `human`.
    pub format: Option<String>,
    /// How human output and the notes on stderr look.
    pub style: human::Style,
    /// Where the report will be written, so that it never replaces an input.
    pub output: Option<PathBuf>,
    /// Third-party formats may carry marked material.
    pub allow_marked_output: bool,
    /// A progress bar on standard error for a run over a second (the caller knows whether
    /// standard error is a terminal that nothing else writes to).
    pub progress: bool,
}

/// Checks the products and writes the report to `--output` (replaced when the run ends) or
/// standard output (as it goes). A report of a run that could not do what was asked is still
/// a document of its format, carrying the problems. The outcome's document is empty: it is
/// written already.
pub fn run_check(request: &CheckRequest) -> Result<Outcome, OutputError> {
    let (session, diagnostics) = Session::prepare_on_demand(&request.options);
    refuse_inputs(request.output.as_deref(), &session, &request.options, None)?;
    let mut destination = Destination::open(request.output.as_deref())?;
    match check_into(request, &session, diagnostics, &mut destination) {
        Ok(outcome) => {
            destination.finish()?;
            Ok(outcome)
        }
        Err(e) => Err(destination.error(e)),
    }
}

/// The run of a prepared session, its report written to `out` as products are checked.
pub fn check_into(
    request: &CheckRequest,
    session: &Session,
    diagnostics: Vec<crate::report::RunDiagnostic>,
    out: &mut dyn crate::output::Sink,
) -> std::io::Result<Outcome> {
    let name = request
        .format
        .clone()
        .or_else(|| session.format.clone())
        .unwrap_or_else(|| "human".to_owned());
    let format = Format::named(&name, request.style).unwrap_or(Format::Human(request.style));
    let mut streamer = Streamer::new(
        format,
        repository_root(),
        session.gate,
        session.spelling,
        out,
    );
    // Text checked against a marked pack stays in memory: no temporary file gets it.
    if session
        .library
        .classifications()
        .any(crate::marking::is_marked)
    {
        streamer = streamer.in_memory();
    }
    let bar = request.progress.then(|| progress_bar(session));
    if let Some(bar) = bar.clone() {
        let started = std::time::Instant::now();
        let mut shown = false;
        streamer = streamer.with_progress(move |n| {
            // Only a run that lasts is worth a bar; a short one leaves no trace.
            if !shown && started.elapsed() >= std::time::Duration::from_secs(1) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown = true;
            }
            bar.set_position(u64::try_from(n).unwrap_or(u64::MAX));
        });
    }
    let streamed = session.stream(diagnostics, &mut streamer);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    streamed?;
    // The refusal is itself a document of the format asked for, so that a pipeline never
    // takes a missing or empty report for a clean one.
    let refusal = if format.is_third_party() {
        session.policy.third_party_refusal(
            &streamer.totals().markings,
            request.allow_marked_output,
            "report",
            "sarif, github and gitlab output go to third-party services and are refused",
        )
    } else {
        None
    };
    let finished = streamer.finish(refusal)?;
    Ok(Outcome {
        document: Vec::new(),
        notes: human::render_diagnostics(
            &finished.problems(session.gate, session.spelling),
            request.style,
        ),
        exit_code: finished.exit_code(),
    })
}

/// The report of a run that never began because its command line could not be read, in the
/// format asked for, so that a pipeline that keeps the report still reads one that says the run
/// failed (exit 3). `None` for human output, whose report is the message on standard error, and
/// for a format formfit does not know.
pub fn unreadable_request(
    format: &str,
    message: &str,
    spelling: crate::hint::Spelling,
) -> Option<Outcome> {
    let style = human::Style {
        color: false,
        width: 100,
        quiet: false,
        timings: false,
    };
    let format = Format::named(format, style).filter(|f| !matches!(f, Format::Human(_)))?;
    let report = crate::report::Report {
        diagnostics: vec![crate::report::RunDiagnostic::new(
            crate::code::UsageCode::CommandLine,
            crate::pack::model::Level::Shall,
            message.to_owned(),
        )],
        spelling,
        ..crate::report::Report::default()
    };
    Some(Outcome {
        document: format
            .render(&report, repository_root().as_deref())
            .into_bytes(),
        notes: String::new(),
        exit_code: report.exit_code(),
    })
}

/// A bar over the products to check, or a counter for a stream of unknown length; hidden until
/// the run has lasted a second.
fn progress_bar(session: &Session) -> indicatif::ProgressBar {
    let hidden = indicatif::ProgressDrawTarget::hidden();
    let (bar, template) = match session.stream {
        Some(_) => (
            indicatif::ProgressBar::with_draw_target(None, hidden),
            "{spinner} {human_pos} products checked in {elapsed}",
        ),
        None => (
            indicatif::ProgressBar::with_draw_target(
                Some(u64::try_from(session.products.len()).unwrap_or(u64::MAX)),
                hidden,
            ),
            "{bar:40} {human_pos}/{human_len} products ({elapsed}, {eta} left)",
        ),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
