//! The `formfit` command: arguments mapped onto the application layer (`formfit::app`), and an
//! outcome mapped onto standard output (or `--output`), standard error and the exit code. No
//! policy lives here: what fails, what is refused and what is shown is the library's.

mod args;
mod help;
mod man;
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
        Err(e) => return unreadable(&e),
    };
    let color = cli.color;
    match cli.command {
        Command::Check(args) => check(args, color),
        Command::Matrix(args) => matrix(args, color),
        Command::Rules(args) => rules(args, color),
        Command::Schema { name } => finish(formfit::app::schema::show(&name)),
        Command::Init => finish(formfit::app::init::init(Path::new("."))),
        Command::Completions { shell } => completions(shell),
        Command::Man { command, dir } => man(&command, dir.as_deref()),
        Command::Lsp { stdio: _ } => match formfit::lsp::serve_stdio(spelling::CLI) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "formfit lsp: {e}");
                ExitCode::from(EXIT_USAGE)
            }
        },
    }
}

/// A command line clap cannot read: its message on standard error and exit 3; when `check` was
/// asked for a machine format, or another command for JSON, that format's document on standard
/// output too, so that `formfit check … -f sarif > report.sarif` or `formfit matrix … -f json |
/// jq` never reads an empty or a human report.
fn unreadable(e: &clap::Error) -> ExitCode {
    let _ = e.print();
    if !e.use_stderr() {
        return ExitCode::SUCCESS;
    }
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let rendered = e.render().to_string();
    let message = rendered
        .lines()
        .next()
        .unwrap_or("the command line cannot be read");
    let message = message.strip_prefix("error: ").unwrap_or(message);
    match requested_format(&args)
        .and_then(|f| formfit::app::check::unreadable_request(&f, message, spelling::CLI))
    {
        Some(outcome) => finish(outcome),
        None => ExitCode::from(EXIT_USAGE),
    }
}

/// The `--format` (`-f`) of a command line, read by hand: clap has just failed on it. Any of
/// `check`'s formats; of the other commands with a JSON format (`matrix`, `rules list`,
/// `rules test`, `rules diff`), JSON only, whose document is then the run report.
fn requested_format(args: &[String]) -> Option<String> {
    let at = args
        .iter()
        .position(|a| ["check", "matrix", "rules"].contains(&a.as_str()))?;
    let rest = &args[at + 1..];
    let mut found = None;
    for (i, arg) in rest.iter().enumerate() {
        if arg == "--" {
            break;
        }
        if arg == "--format" || arg == "-f" {
            found = rest.get(i + 1).cloned();
        } else if let Some(value) = arg.strip_prefix("--format=") {
            found = Some(value.to_owned());
        } else if let Some(value) = arg.strip_prefix("-f").filter(|v| !v.is_empty()) {
            found = Some(value.trim_start_matches('=').to_owned());
        }
    }
    found.filter(|f| args[at] == "check" || f == "json")
}

/// The completion script, with the built-in library's standards, profiles and rule ids as the
/// values of the arguments that take them. Rendered into memory first: clap_complete panics
/// when its writer fails.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let candidates = formfit::app::complete::candidates();
    let mut command = with_candidates(Cli::command(), &candidates);
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "formfit", &mut script);
    if shell == clap_complete::Shell::Fish {
        command.build();
        fish_positionals(&command, &[], &mut script);
    }
    emit(output::write_stdout(&script), 0)
}

/// clap_complete's fish script completes the values of options but not of positional arguments
/// (`rules explain RULE-ID`, `rules show STANDARD`): a `complete` line for each such argument,
/// under the conditions the generated script writes for its subcommand.
fn fish_positionals(command: &clap::Command, path: &[&str], script: &mut Vec<u8>) {
    if let [first, rest @ ..] = path {
        let mut condition = format!("__fish_formfit_using_subcommand {first}");
        for word in rest {
            condition.push_str(&format!("; and __fish_seen_subcommand_from {word}"));
        }
        for arg in command.get_positionals() {
            // Names are single words (see `complete::Candidates`); any other is left out
            // rather than split by fish.
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_owned())
                .filter(|v| !v.contains(|c: char| c.is_whitespace() || "\"'\\$".contains(c)))
                .collect();
            if !values.is_empty() {
                let line = format!(
                    "complete -c formfit -n \"{condition}\" -f -a \"{}\"\n",
                    values.join(" ")
                );
                script.extend_from_slice(line.as_bytes());
            }
        }
    }
    for sub in command.get_subcommands() {
        let mut deeper = path.to_vec();
        deeper.push(sub.get_name());
        fish_positionals(sub, &deeper, script);
    }
}

/// The command with the library's names as possible values: for the generated scripts only,
/// since packs of `--rules` add names that the parser must still take.
fn with_candidates(
    command: clap::Command,
    candidates: &formfit::app::complete::Candidates,
) -> clap::Command {
    let values = |names: &[String]| {
        clap::builder::PossibleValuesParser::new(
            names
                .iter()
                .map(|n| clap::builder::PossibleValue::new(n.clone())),
        )
    };
    let select = |command: clap::Command| {
        command
            .mut_arg("standards", |a| {
                a.value_parser(values(&candidates.standards))
            })
            .mut_arg("profile", |a| a.value_parser(values(&candidates.profiles)))
    };
    command
        .mut_subcommand("check", select)
        .mut_subcommand("matrix", select)
        .mut_subcommand("rules", |rules| {
            rules
                .mut_subcommand("show", |show| {
                    show.mut_arg("standard", |a| {
                        a.value_parser(values(&candidates.standards))
                    })
                    .mut_arg("profile", |a| a.value_parser(values(&candidates.profiles)))
                })
                .mut_subcommand("explain", |explain| {
                    explain.mut_arg("rule", |a| a.value_parser(values(&candidates.rules)))
                })
        })
}

/// One man page on standard output, or every page into a folder.
fn man(command: &[String], dir: Option<&Path>) -> ExitCode {
    let failed = |what: String| {
        finish(Outcome {
            notes: format!("formfit: {what}\n"),
            exit_code: EXIT_USAGE.into(),
            ..Outcome::default()
        })
    };
    let pages = match man::pages(Cli::command()) {
        Ok(pages) => pages,
        Err(e) => return failed(format!("cannot write the man pages: {e}")),
    };
    if let Some(dir) = dir {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return failed(format!("cannot create {}: {e}", dir.display()));
        }
        for (name, roff) in &pages {
            if let Err(e) = output::write_file(&dir.join(name), roff) {
                return emit(Err(e), 0);
            }
        }
        return ExitCode::SUCCESS;
    }
    let wanted = std::iter::once("formfit")
        .chain(command.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("-")
        + ".1";
    match pages.iter().find(|(name, _)| *name == wanted) {
        Some((_, roff)) => emit(output::write_stdout(roff), 0),
        None => failed(format!(
            "no command `{}`; the pages are {}",
            command.join(" "),
            pages
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn check(args: CheckArgs, color: Color) -> ExitCode {
    let mut style = terminal_style(color);
    style.color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => style.color && args.output.is_none(),
    };
    style.quiet = args.quiet;
    style.timings = args.timings;
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

fn matrix(args: MatrixArgs, color: Color) -> ExitCode {
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
        style: terminal_style(color),
    };
    written(run_matrix(&request), args.output.as_deref())
}

fn rules(args: RulesArgs, color: Color) -> ExitCode {
    let options = args.options();
    let style = terminal_style(color);
    let output = match &args.command {
        Some(RulesCommand::Export { output, .. }) => output.clone(),
        _ => None,
    };
    let outcome = match args.command {
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
            format,
        }) => rules::test(
            &options,
            &rules::TestRequest {
                dir,
                require_tests,
                coverage,
                format: format.into(),
            },
            style,
        ),
        Some(RulesCommand::Diff {
            old,
            new,
            products,
            ndjson,
            format,
            fail_on_change,
        }) => formfit::app::diff::run_diff(
            &formfit::app::diff::DiffRequest {
                options: formfit::session::Options {
                    products,
                    ndjson,
                    ..options
                },
                old,
                new,
                format: format.into(),
                fail_on_change,
            },
            style,
        ),
        Some(RulesCommand::Verify { dir }) => rules::verify(&options, &dir, style),
        Some(RulesCommand::Keygen { out, name }) => rules::keygen(&out, &name),
        Some(RulesCommand::Sign { secret_key, packs }) => rules::sign(&secret_key, &packs),
        Some(RulesCommand::Encrypt { recipients, pack }) => rules::encrypt(&recipients, &pack),
        Some(RulesCommand::New { designation, dir }) => {
            rules::new_pack(&designation, &dir, options.spelling)
        }
        Some(RulesCommand::Export {
            standard,
            profile,
            format,
            today,
            allow_marked_output,
            ..
        }) => rules::export(
            &formfit::session::Options { today, ..options },
            &rules::ExportRequest {
                standard,
                profile,
                format: format.into(),
                allow_marked_output,
            },
            style,
        ),
    };
    written(Ok(outcome), output.as_deref())
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

fn terminal_style(color: Color) -> human::Style {
    human::Style {
        color: colour(color),
        width: 100,
        quiet: false,
        timings: false,
    }
}

/// Whether standard output gets colour: as `--color` says, and for `auto` as the conventions
/// anstream reads say (NO_COLOR when not empty, CLICOLOR_FORCE, CLICOLOR, TERM=dumb, a
/// terminal).
fn colour(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}
