//! The `formfit` command: arguments mapped onto the application layer (`formfit::app`), and an
//! outcome mapped onto standard output (or `--output`), standard error and the exit code. No
//! policy lives here: what fails, what is refused and what is shown is the library's.

mod args;
mod spelling;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use formfit::app::check::{run_check, CheckRequest};
use formfit::app::matrix::{run_matrix, MatrixRequest};
use formfit::app::rules::{self, Shown};
use formfit::app::Outcome;
use formfit::output::{self, OutputError};
use formfit::render::report::human;

use args::{
    CheckArgs, CheckFormat, Cli, Color, Command, MatrixArgs, OutputFormat, RulesArgs, RulesCommand,
};

/// Exit code for "formfit could not do what was asked".
const EXIT_USAGE: u8 = 3;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Matrix(args) => matrix(args),
        Command::Rules(args) => rules(args),
        // Rendered into memory first: clap_complete panics when its writer fails.
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "formfit", &mut script);
            emit(output::write_stdout(&script), 0)
        }
        Command::Man => {
            let mut roff = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut roff) {
                Ok(()) => emit(output::write_stdout(&roff), 0),
                Err(e) => finish(Outcome {
                    notes: format!("formfit: cannot write the man page: {e}\n"),
                    exit_code: EXIT_USAGE.into(),
                    ..Outcome::default()
                }),
            }
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let mut style = terminal_style();
    style.color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => style.color && args.output.is_none(),
    };
    style.quiet = args.quiet;
    // A bar on a terminal only, never in CI logs, and not where NDJSON lines go to the same
    // terminal as they are written.
    let lines_to_terminal = matches!(args.format, Some(CheckFormat::Ndjson))
        && args.output.is_none()
        && std::io::stdout().is_terminal();
    let progress =
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() && !lines_to_terminal;
    let request = CheckRequest {
        options: formfit::session::Options {
            products: args.products,
            fail_on: args.fail_on,
            input_format: args.input_format.map(Into::into),
            ndjson: args.ndjson,
            shard: args.shard,
            jobs: args.jobs.map(usize::from),
            ..args.select.options()
        },
        format: args.format.map(|f| f.name().to_owned()),
        style,
        output: args.output.clone(),
        allow_marked_output: args.allow_marked_output,
        progress,
    };
    written(run_check(&request), args.output.as_deref())
}

fn matrix(args: MatrixArgs) -> ExitCode {
    let request = MatrixRequest {
        options: formfit::session::Options {
            fail_on: args.fail_on,
            ..args.select.options()
        },
        products: args.products,
        evidence: args.evidence,
        format: args.format.into(),
        csv_bom: !args.no_csv_bom,
        allow_marked_output: args.allow_marked_output,
        output: args.output.clone(),
        style: terminal_style(),
    };
    written(run_matrix(&request), args.output.as_deref())
}

fn rules(args: RulesArgs) -> ExitCode {
    let options = args.options();
    let style = terminal_style();
    finish(match args.command {
        None => rules::show(&options, &Shown::List { json: false }, style),
        Some(RulesCommand::List { format }) => rules::show(
            &options,
            &Shown::List {
                json: matches!(format, OutputFormat::Json),
            },
            style,
        ),
        Some(RulesCommand::Show {
            profile: Some(name),
            ..
        }) => rules::show(&options, &Shown::Profile(name), style),
        Some(RulesCommand::Show { standard, .. }) => rules::show(
            &options,
            &Shown::Standard(standard.unwrap_or_default()),
            style,
        ),
        Some(RulesCommand::Explain { rule }) => rules::show(&options, &Shown::Rule(rule), style),
        Some(RulesCommand::Kinds) => rules::show(&options, &Shown::Kinds, style),
        Some(RulesCommand::Test {
            dir,
            require_tests,
            coverage,
        }) => rules::test(&options, dir.as_deref(), require_tests, coverage, style),
        Some(RulesCommand::Verify { dir }) => rules::verify(&options, &dir, style),
        Some(RulesCommand::Keygen { out, name }) => rules::keygen(&out, &name),
        Some(RulesCommand::Sign { secret_key, packs }) => rules::sign(&secret_key, &packs),
        Some(RulesCommand::Encrypt { recipients, pack }) => rules::encrypt(&recipients, &pack),
    })
}

/// An outcome whose document goes to `--output` (atomically) or standard output.
fn written(outcome: Result<Outcome, OutputError>, file: Option<&Path>) -> ExitCode {
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => return emit(Err(e), 0),
    };
    note(&outcome.notes);
    let code = exit_code(outcome.exit_code);
    if outcome.document.is_empty() {
        return ExitCode::from(code);
    }
    emit(
        match file {
            Some(path) => output::write_file(path, &outcome.document),
            None => output::write_stdout(&outcome.document),
        },
        code,
    )
}

/// An outcome whose document goes to standard output.
fn finish(outcome: Outcome) -> ExitCode {
    written(Ok(outcome), None)
}

fn note(notes: &str) {
    if !notes.is_empty() {
        let _ = std::io::stderr().lock().write_all(notes.as_bytes());
    }
}

/// The run's exit code when the output was written; exit 3 with a message when it was not; a
/// closed pipe (the reader stopped reading) ends the run quietly with its code.
fn emit(written: Result<(), OutputError>, code: u8) -> ExitCode {
    match written {
        Ok(()) => ExitCode::from(code),
        Err(e) if e.is_closed_pipe() => ExitCode::from(code),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "formfit: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn exit_code(code: i32) -> u8 {
    u8::try_from(code).unwrap_or(EXIT_USAGE)
}

fn terminal_style() -> human::Style {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    human::Style {
        color,
        width: 100,
        quiet: false,
    }
}
