//! The `formfit` command: arguments, exit codes and output. Everything else is the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use formfit::engine::{self, Selected, Selection};
use formfit::input::{Format, Limits};
use formfit::pack::model::Level;
use formfit::pack::{Library, PackCompiler, PackError};
use formfit::product::ProductReader;
use formfit::report::{self, human, Located, Report, RunDiagnostic};
use formfit::{catalogue, profile};

/// Checks product descriptions against machine-readable interoperability standards.
#[derive(Parser)]
#[command(name = "formfit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check product descriptions (TOML, JSON or YAML) against rule packs.
    Check(CheckArgs),
    /// The known standards (rule packs) and profiles.
    Rules(RulesArgs),
}

#[derive(Parser)]
struct PackArgs {
    /// A directory of rule packs to add to the built-in ones (a pack with a built-in
    /// designation replaces it).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Use only the packs from --rules.
    #[arg(long)]
    no_builtin: bool,
}

#[derive(Parser)]
struct CheckArgs {
    /// Product files; the format comes from the extension (.toml, .json, .yaml, .yml).
    #[arg(required = true, value_name = "PRODUCT")]
    products: Vec<PathBuf>,
    #[command(flatten)]
    packs: PackArgs,
    /// A standard to check against (repeatable); default: the product's `conforms_to`.
    #[arg(long = "standard", value_name = "ID")]
    standards: Vec<String>,
    /// A profile (a tender's set of standards with obligations) to check against.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["standards", "all_applicable"])]
    profile: Option<String>,
    /// Check against every known standard that applies to the product.
    #[arg(long)]
    all_applicable: bool,
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Human output: only the one-line summary per product.
    #[arg(long, short)]
    quiet: bool,
    /// Colour in human output; `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Lowest level of finding that fails the run (exit code 1).
    #[arg(long, value_enum, default_value_t = FailOn::Shall)]
    fail_on: FailOn,
}

#[derive(Parser)]
struct RulesArgs {
    #[command(flatten)]
    packs: PackArgs,
    #[command(subcommand)]
    command: Option<RulesCommand>,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Packs (designation, aliases, edition, status, classification, rule count) and profiles.
    List {
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// Every rule of one standard, or a profile resolved.
    Show {
        /// A standard's designation or alias.
        #[arg(required_unless_present = "profile")]
        standard: Option<String>,
        #[arg(long, value_name = "NAME", conflicts_with = "standard")]
        profile: Option<String>,
    },
    /// One rule in full, with examples of conforming and non-conforming values.
    Explain {
        #[arg(value_name = "RULE-ID")]
        rule: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
}

/// Formats of `formfit check`: the listing formats plus those CI services read.
#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
    Gitlab,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Shall,
    Should,
    Never,
}

/// Exit code for "formfit could not do what was asked".
const EXIT_USAGE: u8 = 3;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => rules(args),
    }
}

fn load_library(args: &PackArgs, diagnostics: &mut Vec<RunDiagnostic>) -> Library {
    let compiler = PackCompiler::new();
    let (mut library, builtin_errors) = if args.no_builtin {
        (Library::default(), Vec::new())
    } else {
        Library::builtin(&compiler)
    };
    let mut errors = builtin_errors;
    for dir in &args.rules {
        match library.add_dir(&compiler, dir) {
            Ok(mut e) => errors.append(&mut e),
            Err(e) => diagnostics.push(RunDiagnostic {
                id: "pack/io".to_owned(),
                level: Level::Shall,
                message: format!("cannot read the rules directory {}: {e}", dir.display()),
                help: None,
                location: None,
            }),
        }
    }
    diagnostics.extend(errors.into_iter().flat_map(pack_diagnostics));
    for (designation, file) in &library.replaced {
        diagnostics.push(RunDiagnostic {
            id: "formfit/pack-replaced".to_owned(),
            level: Level::May,
            message: format!("the built-in pack for {designation} is replaced by {file}"),
            help: None,
            location: None,
        });
    }
    library
}

fn pack_diagnostics(error: PackError) -> Vec<RunDiagnostic> {
    let text: std::sync::Arc<str> = error.text.into();
    error
        .problems
        .into_iter()
        .map(|p| RunDiagnostic {
            id: p.id.to_owned(),
            level: Level::Shall,
            message: format!(
                "{}: {}",
                if p.id.starts_with("profile/") {
                    "broken profile"
                } else {
                    "broken rule pack"
                },
                p.message
            ),
            help: p.help,
            location: Some(Located {
                file: error.file.clone(),
                text: text.clone(),
                span: p.span,
                label: p.label,
            }),
        })
        .collect()
}

fn check(args: CheckArgs) -> ExitCode {
    let mut report = Report::default();
    let library = load_library(&args.packs, &mut report.diagnostics);
    let mut selection = Selection {
        standards: Vec::new(),
        all_applicable: args.all_applicable,
    };
    for name in &args.standards {
        match library.find(name) {
            Some((pack, edition)) => selection.standards.push(Selected::all(pack, edition)),
            None => report.diagnostics.push(unknown_standard(&library, name)),
        }
    }
    if let Some(name) = &args.profile {
        match resolve_profile(&library, name) {
            Ok(resolved) => {
                selection.standards = resolved.standards.iter().map(Selected::from).collect()
            }
            Err(mut diagnostics) => report.diagnostics.append(&mut diagnostics),
        }
    }
    let usable = !report.diagnostics.iter().any(|d| d.level == Level::Shall);
    if usable {
        let reader = ProductReader::new(Limits::default());
        report.products = args
            .products
            .par_iter()
            .map(|path| check_file(&library, &selection, &reader, path))
            .collect();
    }
    let fail_on = match args.fail_on {
        FailOn::Shall => Some(Level::Shall),
        FailOn::Should => Some(Level::Should),
        FailOn::Never => None,
    };
    let mut style = terminal_style();
    style.color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => style.color && args.output.is_none(),
    };
    style.quiet = args.quiet;
    let out = match args.format {
        CheckFormat::Json => report::json::render(&report),
        CheckFormat::Human => human::render(&report, style),
        CheckFormat::Sarif => report::sarif::render(&report, repository_root().as_deref()),
        CheckFormat::Junit => report::junit::render(&report),
        CheckFormat::Github => report::github::render(&report),
        CheckFormat::Gitlab => report::gitlab::render(&report),
    };
    let code = report::exit_code(&report, fail_on) as u8;
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, out.as_bytes()) {
                eprintln!("formfit: cannot write {}: {e}", path.display());
                return ExitCode::from(EXIT_USAGE);
            }
        }
        None => {
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
        }
    }
    ExitCode::from(code)
}

/// The repository the run is in (the nearest folder upwards with a `.git`), so that SARIF can
/// name files relative to it.
fn repository_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?.canonicalize().ok()?;
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(PathBuf::from)
}

/// Resolves a profile by name; an unknown name or a broken profile is a run diagnostic.
fn resolve_profile(library: &Library, name: &str) -> Result<profile::Resolved, Vec<RunDiagnostic>> {
    if !library.profiles.iter().any(|p| p.name == name) {
        let known: Vec<&str> = library.profiles.iter().map(|p| p.name.as_str()).collect();
        return Err(vec![RunDiagnostic {
            id: "formfit/unknown-profile".to_owned(),
            level: Level::Shall,
            message: format!("unknown profile `{name}`"),
            help: Some(format!("known profiles: {}", known.join(", "))),
            location: None,
        }]);
    }
    profile::resolve(name, &library.profiles, library).map_err(pack_diagnostics)
}

fn check_file(
    library: &Library,
    selection: &Selection,
    reader: &ProductReader,
    path: &PathBuf,
) -> report::ProductReport {
    let shown = path.display().to_string();
    let unreadable = |message: String, help: &str| {
        engine::invalid(
            &shown,
            formfit::product::InvalidProduct {
                text: String::new(),
                product: None,
                problems: vec![
                    formfit::diagnostic::Problem::new("input/io", message, 0..0).with_help(help)
                ],
            },
        )
    };
    let Some(format) = Format::from_path(path) else {
        return unreadable(
            format!("cannot tell the format of {shown}"),
            "product files end in .toml, .json, .yaml or .yml",
        );
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return unreadable(format!("cannot read {shown}: {e}"), "check the path"),
    };
    match reader.read(&bytes, format) {
        Ok(product) => engine::check(library, selection, &shown, &product),
        Err(invalid) => engine::invalid(&shown, invalid),
    }
}

fn rules(args: RulesArgs) -> ExitCode {
    let mut diagnostics = Vec::new();
    let library = load_library(&args.packs, &mut diagnostics);
    let mut report = Report {
        products: Vec::new(),
        diagnostics,
    };
    let command = args.command.unwrap_or(RulesCommand::List {
        format: OutputFormat::Human,
    });
    let out = match command {
        RulesCommand::List { format } => match format {
            OutputFormat::Human => catalogue::list(&library),
            OutputFormat::Json => catalogue::list_json(&library),
        },
        RulesCommand::Show {
            profile: Some(name),
            ..
        } => match resolve_profile(&library, &name) {
            Ok(resolved) => catalogue::show_profile(&resolved),
            Err(mut d) => {
                report.diagnostics.append(&mut d);
                String::new()
            }
        },
        RulesCommand::Show { standard, .. } => {
            let name = standard.unwrap_or_default();
            match library.find(&name) {
                Some((pack, _)) => catalogue::show(&pack),
                None => {
                    report.diagnostics.push(unknown_standard(&library, &name));
                    String::new()
                }
            }
        }
        RulesCommand::Explain { rule } => {
            let found = library.packs.iter().find_map(|p| {
                p.rules
                    .iter()
                    .find(|r| r.id.eq_ignore_ascii_case(&rule))
                    .map(|r| (p, r))
            });
            match found {
                Some((pack, r)) => catalogue::explain(&library, pack, r, terminal_style()),
                None => {
                    let ids: Vec<&str> = library
                        .packs
                        .iter()
                        .flat_map(|p| p.rules.iter().map(|r| r.id.as_str()))
                        .collect();
                    let close = formfit::diagnostic::did_you_mean(&rule, ids.iter().copied());
                    report.diagnostics.push(RunDiagnostic {
                        id: "formfit/unknown-rule".to_owned(),
                        level: Level::Shall,
                        message: format!("unknown rule `{rule}`"),
                        help: Some(match close {
                            Some(c) => format!("did you mean `{c}`?"),
                            None => {
                                "`formfit rules show STANDARD` lists a standard's rules".to_owned()
                            }
                        }),
                        location: None,
                    });
                    String::new()
                }
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    if !report.diagnostics.is_empty() {
        let _ = stdout.write_all(human::render(&report, terminal_style()).as_bytes());
    }
    let _ = stdout.write_all(out.as_bytes());
    ExitCode::from(report::exit_code(&report, Some(Level::Shall)) as u8)
}

fn unknown_standard(library: &Library, name: &str) -> RunDiagnostic {
    match library.non_standard(name) {
        Some(non) => RunDiagnostic {
            id: "formfit/not-a-standard".to_owned(),
            level: Level::Shall,
            message: format!("`{name}` is not a standard formfit can check: {}", non.why),
            help: Some(non.help.clone()),
            location: None,
        },
        None => {
            let known: Vec<_> = library
                .packs
                .iter()
                .map(|p| p.meta.designation.as_str())
                .collect();
            RunDiagnostic {
                id: "formfit/unknown-standard".to_owned(),
                level: Level::Shall,
                message: format!("unknown standard `{name}`"),
                help: Some(format!("known standards: {}", known.join(", "))),
                location: None,
            }
        }
    }
}

fn terminal_style() -> human::Style {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    human::Style {
        color,
        width: 100,
        quiet: false,
    }
}
