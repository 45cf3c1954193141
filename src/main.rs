//! The `formfit` command: arguments, exit codes and output. Everything else is the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use formfit::config::{self, Config};
use formfit::deviation::{self, Deviations};
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
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
    /// Default: the `products` globs of formfit.toml.
    #[arg(value_name = "PRODUCT")]
    products: Vec<PathBuf>,
    /// The project configuration; default: the nearest formfit.toml at or above the working
    /// directory.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any formfit.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Approved deviations (waivers) to apply.
    #[arg(long, value_name = "FILE")]
    deviations: Option<PathBuf>,
    /// The date deviations expire against (YYYY-MM-DD), for reproducible runs; default: today.
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
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
    /// Output format; default: formfit.toml's `format`, else human.
    #[arg(long, value_enum)]
    format: Option<CheckFormat>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Human output: only the one-line summary per product.
    #[arg(long, short)]
    quiet: bool,
    /// Colour in human output; `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Lowest level of finding that fails the run (exit code 1); default: formfit.toml's
    /// `fail-on`, else shall.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
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
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "formfit", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            let page = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            match page.render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("formfit: cannot write the man page: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
    }
}

fn load_library(
    rules: &[PathBuf],
    no_builtin: bool,
    diagnostics: &mut Vec<RunDiagnostic>,
) -> Library {
    let compiler = PackCompiler::new();
    let (mut library, builtin_errors) = if no_builtin {
        (Library::default(), Vec::new())
    } else {
        Library::builtin(&compiler)
    };
    let mut errors = builtin_errors;
    for dir in rules {
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

/// What a problem's id says is broken, for the diagnostic's first words.
fn broken(id: &str) -> &'static str {
    match id.split('/').next() {
        Some("profile") => "broken profile",
        Some("config") => "broken configuration",
        Some("deviation") => "broken deviations file",
        _ => "broken rule pack",
    }
}

fn pack_diagnostics(error: PackError) -> Vec<RunDiagnostic> {
    let text: std::sync::Arc<str> = error.text.into();
    error
        .problems
        .into_iter()
        .map(|p| RunDiagnostic {
            id: p.id.to_owned(),
            level: Level::Shall,
            message: format!("{}: {}", broken(p.id), p.message),
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
    let config = load_config(&args, &mut report.diagnostics);
    let settings = config.as_ref().map(|c| &c.settings);
    let from_config = |path: &String| config.as_ref().map(|c| c.resolve(path));

    // Command-line options override the configuration.
    let mut rules: Vec<PathBuf> = settings.map_or(Vec::new(), |s| {
        s.rules.iter().filter_map(from_config).collect()
    });
    rules.extend(args.packs.rules.iter().cloned());
    let no_builtin = args.packs.no_builtin || settings.is_some_and(|s| s.no_builtin);
    let library = load_library(&rules, no_builtin, &mut report.diagnostics);
    if let Some(config) = &config {
        if let Err(e) = config.check_pins(&library) {
            report.diagnostics.extend(pack_diagnostics(e));
        }
    }
    let standards = if args.standards.is_empty() && args.profile.is_none() {
        settings.map_or(Vec::new(), |s| s.standards.clone())
    } else {
        args.standards.clone()
    };
    let profile = args.profile.clone().or_else(|| {
        settings
            .filter(|_| args.standards.is_empty())
            .and_then(|s| s.profile.clone())
    });
    let mut selection = Selection {
        standards: Vec::new(),
        all_applicable: args.all_applicable || settings.is_some_and(|s| s.all_applicable),
    };
    for name in &standards {
        match library.find(name) {
            Some((pack, edition)) => selection.standards.push(Selected::all(pack, edition)),
            None => report.diagnostics.push(unknown_standard(&library, name)),
        }
    }
    if let Some(name) = &profile {
        match resolve_profile(&library, name) {
            Ok(resolved) => {
                selection.standards = resolved.standards.iter().map(Selected::from).collect()
            }
            Err(mut diagnostics) => report.diagnostics.append(&mut diagnostics),
        }
    }
    let format = args
        .format
        .or_else(|| {
            settings
                .and_then(|s| s.format.as_deref())
                .and_then(|f| CheckFormat::from_str(f, false).ok())
        })
        .unwrap_or(CheckFormat::Human);
    let fail_on = args
        .fail_on
        .or_else(|| {
            settings
                .and_then(|s| s.fail_on.as_deref())
                .and_then(|f| FailOn::from_str(f, false).ok())
        })
        .unwrap_or(FailOn::Shall);
    let today = match &args.today {
        Some(date) if deviation::is_date(date) => date.clone(),
        Some(date) => {
            report.diagnostics.push(usage(
                format!("--today {date} is not a date"),
                "write the date as YYYY-MM-DD",
            ));
            String::new()
        }
        None => deviation::today(),
    };
    let deviations_file = args.deviations.clone().or_else(|| {
        settings
            .and_then(|s| s.deviations.as_ref())
            .and_then(from_config)
    });
    let deviations = deviations_file.and_then(|file| {
        let loaded = std::fs::read(&file)
            .map_err(|e| {
                usage(
                    format!("cannot read the deviations file {}: {e}", file.display()),
                    "check the path",
                )
            })
            .map(|bytes| Deviations::load(&shown(&file), &bytes));
        match loaded {
            Ok(Ok(d)) => Some(d),
            Ok(Err(e)) => {
                report.diagnostics.extend(pack_diagnostics(e));
                None
            }
            Err(d) => {
                report.diagnostics.push(d);
                None
            }
        }
    });
    let products = if !args.products.is_empty() {
        args.products.clone()
    } else {
        match &config {
            Some(c) if !c.settings.products.is_empty() => c.products().unwrap_or_else(|e| {
                report.diagnostics.extend(pack_diagnostics(e));
                Vec::new()
            }),
            _ => {
                report.diagnostics.push(usage(
                    "no product files to check".to_owned(),
                    "name them on the command line, or list `products` globs in formfit.toml",
                ));
                Vec::new()
            }
        }
    };
    let usable = !report.diagnostics.iter().any(|d| d.level == Level::Shall);
    if usable {
        let reader = ProductReader::new(Limits::default());
        let waivers = deviations.as_ref().map(|d| (d, today.as_str()));
        report.products = products
            .par_iter()
            .map(|path| check_file(&library, &selection, &reader, waivers, path))
            .collect();
        if let Some(d) = &deviations {
            report.products.push(d.report(&today));
        }
    }
    let fail_on = match fail_on {
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
    let out = match format {
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

/// The configuration named with --config, or the nearest formfit.toml; a broken one is a run
/// diagnostic (exit 3), never silently ignored.
fn load_config(args: &CheckArgs, diagnostics: &mut Vec<RunDiagnostic>) -> Option<Config> {
    if args.no_config {
        return None;
    }
    let file = match &args.config {
        Some(file) => file.clone(),
        None => config::discover(&std::env::current_dir().ok()?)?,
    };
    match Config::load(&file) {
        Ok(config) => Some(config),
        Err(e) => {
            diagnostics.extend(pack_diagnostics(e));
            None
        }
    }
}

/// A path as shown in reports: relative to the working directory when it is under it.
fn shown(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A problem with what was asked (exit 3).
fn usage(message: String, help: &str) -> RunDiagnostic {
    RunDiagnostic {
        id: "formfit/usage".to_owned(),
        level: Level::Shall,
        message,
        help: Some(help.to_owned()),
        location: None,
    }
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
    waivers: Option<(&Deviations, &str)>,
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
        Ok(product) => {
            let mut report = engine::check(library, selection, &shown, &product);
            if let Some((deviations, today)) = waivers {
                deviations.apply(&product, &mut report, today);
            }
            report
        }
        Err(invalid) => engine::invalid(&shown, invalid),
    }
}

fn rules(args: RulesArgs) -> ExitCode {
    let mut diagnostics = Vec::new();
    let library = load_library(&args.packs.rules, args.packs.no_builtin, &mut diagnostics);
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
