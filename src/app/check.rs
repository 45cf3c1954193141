//! `formfit check`: products checked, the report rendered in the format asked for.

use std::path::PathBuf;

use super::{refuse_inputs, Outcome};
use crate::output::OutputError;
use crate::report::format::{repository_root, Format};
use crate::report::{human, Report};
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
}

/// Checks the products and renders the report. A report of a run that could not do what was
/// asked is still a document of its format, carrying the problems.
pub fn run_check(request: &CheckRequest) -> Result<Outcome, OutputError> {
    let (session, diagnostics) = Session::prepare(&request.options);
    refuse_inputs(request.output.as_deref(), &session, &request.options, None)?;
    let mut report = session.run(diagnostics);
    let name = request
        .format
        .clone()
        .or_else(|| session.format.clone())
        .unwrap_or_else(|| "human".to_owned());
    let format = Format::named(&name, request.style).unwrap_or(Format::Human(request.style));
    if format.is_third_party() {
        if let Some(refusal) = session
            .policy
            .third_party_refusal(&report, request.allow_marked_output)
        {
            // The refusal is itself a document of the format asked for, so that a pipeline
            // never takes a missing or empty report for a clean one.
            report = Report {
                diagnostics: vec![refusal],
                spelling: session.spelling,
                ..Report::default()
            };
        }
    }
    Ok(Outcome {
        document: format
            .render(&report, repository_root().as_deref())
            .into_bytes(),
        notes: human::render_diagnostics(&report, request.style),
        exit_code: report.exit_code(),
    })
}
