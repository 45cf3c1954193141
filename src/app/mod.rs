//! The application layer: each command of formfit as a function from what was asked to what
//! to write and what it means. Nothing here parses arguments, prints or exits: the CLI
//! (`src/cli/`) maps its flags onto these requests and an [`Outcome`] onto stdout, stderr and
//! an exit code, and a library user can call them the same way.

pub mod check;
pub mod complete;
pub mod diff;
pub mod init;
pub mod matrix;
pub mod rules;
pub mod schema;

use std::path::PathBuf;

use crate::output::{self, OutputError};
use crate::render::report::human;
use crate::report::Report;
use crate::session::{Options, Session};
use crate::sources::Input;

/// What a command produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The document for standard output or `--output`; empty when there is none to write.
    pub document: Vec<u8>,
    /// formfit's own problems and notices, for standard error.
    pub notes: String,
    pub exit_code: i32,
}

impl Outcome {
    /// A run that ended with its report's problems only: nothing to write, unless the command
    /// was asked for JSON ([`json_report`]).
    fn problems(report: &Report, style: human::Style, json: bool) -> Outcome {
        Outcome {
            document: if json {
                json_report(report)
            } else {
                Vec::new()
            },
            notes: human::render_diagnostics(report, style),
            exit_code: report.exit_code(),
        }
    }
}

/// The document of a command asked for JSON that stopped before it had its own: the run report
/// of `check --format json` (`schemas/report.schema.json`), whose `diagnostics`, `products` and
/// `exit_code` say why. So standard output holds JSON whatever stopped the run.
fn json_report(report: &Report) -> Vec<u8> {
    crate::render::report::json::render(report).into_bytes()
}

/// `--output` must not name a file the run reads: products, configuration, deviations,
/// evidence, keys, identities or packs. Checked before anything is written.
fn refuse_inputs(
    output: Option<&std::path::Path>,
    session: &Session,
    options: &Options,
    evidence: Option<&std::path::Path>,
) -> Result<(), OutputError> {
    let Some(output) = output else {
        return Ok(());
    };
    // Chained, not collected: a catalogue's paths are made one at a time.
    let products = session.products.iter().filter_map(Input::into_path);
    let inputs = session
        .inputs
        .iter()
        .cloned()
        .chain(products)
        .chain(evidence.map(PathBuf::from))
        .chain(options.trusted_keys.iter().cloned())
        .chain(options.identities.iter().cloned())
        .chain(session.library.sources().map(PathBuf::from));
    output::refuse_inputs(output, inputs)
}
