//! `formfit check`: products checked, the report written in the format asked for as the run
//! goes (see [`crate::report::stream`]).

use std::io::Write;
use std::path::PathBuf;

use super::{refuse_inputs, Outcome};
use crate::output::{Destination, OutputError};
use crate::report::format::{repository_root, Format};
use crate::report::human;
use crate::report::stream::Streamer;
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

/// Checks the products and writes the report to `--output` (replaced when the run ends) or
/// standard output (as it goes). A report of a run that could not do what was asked is still
/// a document of its format, carrying the problems. The outcome's document is empty: it is
/// written already.
pub fn run_check(request: &CheckRequest) -> Result<Outcome, OutputError> {
    let (session, diagnostics) = Session::prepare(&request.options);
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
    out: &mut dyn Write,
) -> std::io::Result<Outcome> {
    let name = request
        .format
        .clone()
        .or_else(|| session.format.clone())
        .unwrap_or_else(|| "human".to_owned());
    let format = Format::named(&name, request.style).unwrap_or(Format::Human(request.style));
    let mut streamer = Streamer::new(format, repository_root(), session.gate, out);
    // Text checked against a marked pack stays in memory: no temporary file gets it.
    if session
        .library
        .packs
        .iter()
        .any(|p| crate::marking::is_marked(&p.meta.classification))
    {
        streamer = streamer.in_memory();
    }
    session.stream(diagnostics, &mut streamer)?;
    // The refusal is itself a document of the format asked for, so that a pipeline never
    // takes a missing or empty report for a clean one.
    let refusal = if format.is_third_party() {
        session
            .policy
            .third_party_refusal(&streamer.totals().markings, request.allow_marked_output)
    } else {
        None
    };
    let finished = streamer.finish(refusal)?;
    Ok(Outcome {
        document: Vec::new(),
        notes: human::render_diagnostics(&finished.problems(session.gate), request.style),
        exit_code: finished.exit_code(),
    })
}
