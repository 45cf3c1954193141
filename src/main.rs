//! The `formfit` command: arguments, exit codes and output. Everything else is the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use formfit::catalogue;
use formfit::matrix::{Evidence, Inputs};
use formfit::output::{self, OutputError};
use formfit::pack::model::Level;
use formfit::pack::PackCompiler;
use formfit::report::{self, human, Gate, Report, RunDiagnostic};
use formfit::session::{self, Options, Session};
use formfit::signing;

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
    /// The bid compliance matrix of one product: every requirement of every selected standard.
    Matrix(MatrixArgs),
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
    #[arg(long = "rules", value_name = "DIR", global = true)]
    rules: Vec<PathBuf>,
    /// Use only the packs from --rules.
    #[arg(long, global = true)]
    no_builtin: bool,
    /// The highest marking you may hold (default NATO UNCLASSIFIED): marked packs above it
    /// are refused.
    #[arg(long, value_name = "LEVEL", global = true)]
    max_classification: Option<String>,
    /// Refuse packs that are not signed by a trusted key (built-in packs are trusted).
    #[arg(long, global = true)]
    require_signed: bool,
    /// A minisign public key file of a trusted pack publisher (repeatable).
    #[arg(long = "trusted-key", value_name = "FILE", global = true)]
    trusted_keys: Vec<PathBuf>,
    /// An age identity file that decrypts `*.toml.age` packs, in memory only (repeatable).
    #[arg(long = "identity", value_name = "FILE", global = true)]
    identities: Vec<PathBuf>,
    /// A group you belong to (NATO, EU, a nation; repeatable): packs releasable to it load.
    #[arg(long = "holder-group", value_name = "NAME", global = true)]
    holder_groups: Vec<String>,
}

/// What to check and against which standards: shared by `check` and `matrix`.
#[derive(Parser)]
struct SelectArgs {
    /// The project configuration; default: the nearest formfit.toml at or above the working
    /// directory.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any formfit.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
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
    /// Approved deviations (waivers) to apply.
    #[arg(long, value_name = "FILE")]
    deviations: Option<PathBuf>,
    /// The date deviations expire against (YYYY-MM-DD), for reproducible runs; default: today.
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

impl SelectArgs {
    fn options(&self) -> Options {
        Options {
            products: Vec::new(),
            config: self.config.clone(),
            no_config: self.no_config,
            rules: self.packs.rules.clone(),
            no_builtin: self.packs.no_builtin,
            standards: self.standards.clone(),
            profile: self.profile.clone(),
            all_applicable: self.all_applicable,
            deviations: self.deviations.clone(),
            today: self.today.clone(),
            max_classification: self.packs.max_classification.clone(),
            holder_groups: self.packs.holder_groups.clone(),
            require_signed: self.packs.require_signed,
            trusted_keys: self.packs.trusted_keys.clone(),
            identities: self.packs.identities.clone(),
            fail_on: None,
        }
    }
}

#[derive(Parser)]
struct CheckArgs {
    /// Product files; the format comes from the extension (.toml, .json, .yaml, .yml).
    /// Default: the `products` globs of formfit.toml.
    #[arg(value_name = "PRODUCT")]
    products: Vec<PathBuf>,
    #[command(flatten)]
    select: SelectArgs,
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
    /// What fails the run (exit code 1): shall, should or never, optionally with
    /// `not-checked` (`should,not-checked`) to fail on claims formfit cannot check; default:
    /// formfit.toml's `fail-on`, else shall.
    #[arg(long, value_name = "GATE", value_parser = Gate::parse)]
    fail_on: Option<Gate>,
    /// Allow sarif, github and gitlab output (meant for third-party services) when packs
    /// marked above NATO UNCLASSIFIED were used.
    #[arg(long)]
    allow_marked_output: bool,
}

#[derive(Parser)]
struct MatrixArgs {
    /// The product file.
    #[arg(value_name = "PRODUCT")]
    product: PathBuf,
    #[command(flatten)]
    select: SelectArgs,
    /// Evidence (test reports, certificates) by rule id: turns evidence-required rows into
    /// evidence-provided.
    #[arg(long, value_name = "FILE")]
    evidence: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = MatrixFormat::Markdown)]
    format: MatrixFormat,
    /// Write the matrix to FILE instead of standard output (required for xlsx).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// What fails the run (exit code 1), as for `check`.
    #[arg(long, value_name = "GATE", value_parser = Gate::parse)]
    fail_on: Option<Gate>,
}

#[derive(Clone, Copy, ValueEnum)]
enum MatrixFormat {
    Markdown,
    Csv,
    Xlsx,
    Html,
    Json,
}

#[derive(Parser)]
struct RulesArgs {
    /// The project configuration (holder, rules folders, keys, identities); default: the
    /// nearest formfit.toml at or above the working directory.
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// Ignore any formfit.toml.
    #[arg(long, conflicts_with = "config", global = true)]
    no_config: bool,
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
    /// Create a signing key pair: DIR/NAME.pub (share it) and DIR/NAME.key (keep it secret).
    Keygen {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, default_value = "formfit")]
        name: String,
    },
    /// Sign pack or profile files: writes FILE.minisig beside each, binding designation, edition
    /// and file name (a profile: its name and file name).
    Sign {
        #[arg(long, value_name = "FILE")]
        secret_key: PathBuf,
        #[arg(required = true, value_name = "PACK")]
        packs: Vec<PathBuf>,
    },
    /// Encrypt a pack to age recipients: writes PACK.age, never a plaintext copy.
    Encrypt {
        /// An age X25519 public key (`age1…`; repeatable).
        #[arg(long = "recipient", required = true, value_name = "AGE-PUBLIC-KEY")]
        recipients: Vec<String>,
        #[arg(value_name = "PACK")]
        pack: PathBuf,
    },
    /// A line per pack of a folder: signed by which key, unsigned, altered, unknown key, or
    /// signed for another pack. Exit 1 when any pack is not signed by a trusted key.
    Verify {
        #[arg(value_name = "DIR", default_value = "rules")]
        dir: PathBuf,
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
        Command::Matrix(args) => matrix(args),
        // Rendered into memory first: clap_complete panics when its writer fails.
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "formfit", &mut script);
            emit(output::write_stdout(&script), 0)
        }
        Command::Man => {
            let page = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            let mut roff = Vec::new();
            match page.render(&mut roff) {
                Ok(()) => emit(output::write_stdout(&roff), 0),
                Err(e) => {
                    eprintln!("formfit: cannot write the man page: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let options = Options {
        products: args.products.clone(),
        fail_on: args.fail_on,
        ..args.select.options()
    };
    let (session, diagnostics) = Session::prepare(&options);
    if let Err(e) = refuse_inputs(args.output.as_deref(), &session, &options, None) {
        return emit(Err(e), 0);
    }
    let mut report = session.run(diagnostics);
    let format = args
        .format
        .or_else(|| {
            session
                .format
                .as_deref()
                .and_then(|f| CheckFormat::from_str(f, false).ok())
        })
        .unwrap_or(CheckFormat::Human);
    let third_party = matches!(
        format,
        CheckFormat::Sarif | CheckFormat::Github | CheckFormat::Gitlab
    );
    if let Some(refusal) = third_party
        .then(|| {
            session
                .policy
                .third_party_refusal(&report, args.allow_marked_output)
        })
        .flatten()
    {
        // The refusal is itself a document of the format asked for, so that a pipeline never
        // takes a missing or empty report for a clean one.
        report = Report {
            diagnostics: vec![refusal],
            ..Report::default()
        };
    }
    let mut style = terminal_style();
    style.color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => style.color && args.output.is_none(),
    };
    style.quiet = args.quiet;
    // formfit's own problems go to stderr in every format; machine formats also carry them.
    report_diagnostics(&report);
    let root = repository_root();
    let out = match format {
        CheckFormat::Json => report::json::render(&report),
        CheckFormat::Human => human::render(&report, style),
        CheckFormat::Sarif => report::sarif::render(&report, root.as_deref()),
        CheckFormat::Junit => report::junit::render(&report),
        CheckFormat::Github => report::github::render(&report, root.as_deref()),
        CheckFormat::Gitlab => report::gitlab::render(&report, root.as_deref()),
    };
    let code = report.exit_code() as u8;
    write_out(out.as_bytes(), args.output.as_deref(), code)
}

fn matrix(args: MatrixArgs) -> ExitCode {
    let options = Options {
        products: vec![args.product.clone()],
        fail_on: args.fail_on,
        ..args.select.options()
    };
    let (session, mut diagnostics) = Session::prepare(&options);
    let evidence = args.evidence.as_ref().and_then(|file| {
        let loaded = formfit::input::read_file(file, formfit::input::MAX_FILE_BYTES)
            .map_err(|e| format!("cannot read the evidence file {}: {e}", file.display()));
        match loaded.map(|bytes| Evidence::load(&file.display().to_string(), &bytes)) {
            Ok(Ok(e)) => Some(e),
            Ok(Err(e)) => {
                diagnostics.extend(session::pack_diagnostics(e));
                None
            }
            Err(message) => {
                diagnostics.push(session::usage(message, "check the path"));
                None
            }
        }
    });
    if let Err(e) = refuse_inputs(
        args.output.as_deref(),
        &session,
        &options,
        args.evidence.as_deref(),
    ) {
        return emit(Err(e), 0);
    }
    if matches!(args.format, MatrixFormat::Xlsx) && args.output.is_none() {
        diagnostics.push(session::usage(
            "an XLSX workbook is not written to a terminal".to_owned(),
            "name the file with --output matrix.xlsx",
        ));
    }
    let mut report = Report {
        diagnostics,
        gate: session.gate,
        ..Report::default()
    };
    if report.exit_code() == 3 {
        return finish_with_diagnostics(&report);
    }
    let checked = session.check_file(&args.product);
    let Some(product) = &checked.product else {
        // An unreadable product has no matrix: show why, as `check` would (exit 2).
        report.products.push(checked.report);
        report_diagnostics(&report);
        let shown = human::render(&report, terminal_style());
        let _ = std::io::stderr().lock().write_all(shown.as_bytes());
        return ExitCode::from(report.exit_code() as u8);
    };
    if let Some(evidence) = &evidence {
        let known = checked
            .report
            .evaluations
            .iter()
            .map(|e| e.rule().id.clone())
            .collect();
        if let Err(e) = evidence.check_rules(&known) {
            report.diagnostics.extend(session::pack_diagnostics(e));
            return finish_with_diagnostics(&report);
        }
    }
    let matrix = formfit::matrix::build(&Inputs {
        report: &checked.report,
        product,
        bytes: &checked.bytes,
        profile: session
            .profile
            .as_ref()
            .map(|p| (p.name.clone(), p.title.clone())),
        evidence: evidence.as_ref(),
        deviations: session.deviations.as_ref(),
        today: &session.today,
    });
    report.products.push(checked.report);
    report_diagnostics(&report);
    let code = report.exit_code() as u8;
    let out: Vec<u8> = match args.format {
        MatrixFormat::Markdown => formfit::matrix::markdown::render(&matrix).into_bytes(),
        MatrixFormat::Csv => formfit::matrix::csv::render(&matrix).into_bytes(),
        MatrixFormat::Html => formfit::matrix::html::render(&matrix).into_bytes(),
        MatrixFormat::Json => formfit::matrix::json::render(&matrix).into_bytes(),
        MatrixFormat::Xlsx => match formfit::matrix::xlsx::render(&matrix) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("formfit: cannot build the workbook: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    write_out(&out, args.output.as_deref(), code)
}

/// Prints formfit's own problems (a broken pack, a refusal, a notice) to stderr.
fn report_diagnostics(report: &Report) {
    if !report.diagnostics.is_empty() {
        let _ = std::io::stderr()
            .lock()
            .write_all(human::render_diagnostics(report, terminal_style()).as_bytes());
    }
}

/// Prints run-level problems to stderr and exits with their code.
fn finish_with_diagnostics(report: &Report) -> ExitCode {
    report_diagnostics(report);
    ExitCode::from(report.exit_code() as u8)
}

/// Writes the output to the file (atomically) or to stdout.
fn write_out(out: &[u8], file: Option<&std::path::Path>, code: u8) -> ExitCode {
    let written = match file {
        Some(path) => output::write_file(path, out),
        None => output::write_stdout(out),
    };
    emit(written, code)
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
    let mut inputs = session.inputs.clone();
    inputs.extend(evidence.map(PathBuf::from));
    inputs.extend(options.trusted_keys.iter().cloned());
    inputs.extend(options.identities.iter().cloned());
    inputs.extend(
        session
            .library
            .packs
            .iter()
            .filter_map(|p| p.source.clone()),
    );
    output::refuse_inputs(output, &inputs)
}

/// The repository the run is in (the nearest folder upwards with a `.git`), so that SARIF can
/// name files relative to it.
fn repository_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?.canonicalize().ok()?;
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(PathBuf::from)
}

fn rules(args: RulesArgs) -> ExitCode {
    // Key, signing and encryption commands work on the files named, not on the library.
    match &args.command {
        Some(RulesCommand::Keygen { out, name }) => return keygen(out, name),
        Some(RulesCommand::Sign { secret_key, packs }) => return sign(secret_key, packs),
        Some(RulesCommand::Encrypt { recipients, pack }) => return encrypt(recipients, pack),
        _ => {}
    }
    // Everything else passes the same trust gate as `check`: formfit.toml, the holder, the
    // signature rule and the trusted keys.
    let options = Options {
        config: args.config.clone(),
        no_config: args.no_config,
        rules: args.packs.rules.clone(),
        no_builtin: args.packs.no_builtin,
        max_classification: args.packs.max_classification.clone(),
        holder_groups: args.packs.holder_groups.clone(),
        require_signed: args.packs.require_signed,
        trusted_keys: args.packs.trusted_keys.clone(),
        identities: args.packs.identities.clone(),
        ..Options::default()
    };
    let mut diagnostics = Vec::new();
    let (_, policy, library, withheld) = session::open(&options, &mut diagnostics);
    if let Some(RulesCommand::Verify { dir }) = &args.command {
        return verify(dir, &policy, diagnostics);
    }
    for (pack, why) in &withheld {
        diagnostics.push(formfit::trust::withheld_diagnostic(
            pack,
            Level::Should,
            format!("skipped: {why}"),
        ));
    }
    let mut report = Report {
        diagnostics,
        ..Report::default()
    };
    // A pack's rules are shown only to a holder who may hold it, between its marking banners;
    // a withheld one is refused by name.
    let refuse = |why: &str, report: &mut Report| {
        report.diagnostics.push(session::usage(
            format!("refused: {why}"),
            "state what you hold with --max-classification and --holder-group",
        ));
        String::new()
    };
    let shown = |pack: &formfit::pack::Pack, text: String| {
        let banner = format!("── {} ──\n", pack.meta.classification);
        format!("{banner}{text}{banner}")
    };
    let command = args.command.unwrap_or(RulesCommand::List {
        format: OutputFormat::Human,
    });

    let out = match command {
        RulesCommand::Keygen { .. }
        | RulesCommand::Sign { .. }
        | RulesCommand::Verify { .. }
        | RulesCommand::Encrypt { .. } => String::new(),
        RulesCommand::List { format } => match format {
            OutputFormat::Human => catalogue::list(&library),
            OutputFormat::Json => catalogue::list_json(&library),
        },
        RulesCommand::Show {
            profile: Some(name),
            ..
        } => match session::resolve_profile(&library, &name) {
            Ok(resolved) => catalogue::show_profile(&resolved),
            Err(mut d) => {
                report.diagnostics.append(&mut d);
                String::new()
            }
        },
        RulesCommand::Show { standard, .. } => {
            let name = standard.unwrap_or_default();
            match library.find(&name) {
                Some((pack, _)) => shown(&pack, catalogue::show(&pack)),
                None => match library.withheld_reason(&name) {
                    Some(why) => refuse(why, &mut report),
                    None => {
                        report
                            .diagnostics
                            .push(session::unknown_standard(&library, &name));
                        String::new()
                    }
                },
            }
        }
        RulesCommand::Explain { rule } => {
            let found = library.packs.iter().find_map(|p| {
                p.rules
                    .iter()
                    .find(|r| r.id.eq_ignore_ascii_case(&rule))
                    .map(|r| (p, r))
            });
            let withheld_rule = library
                .withheld
                .iter()
                .find(|(p, _)| p.rules.iter().any(|r| r.id.eq_ignore_ascii_case(&rule)));
            match (found, withheld_rule) {
                (Some((pack, r)), _) => shown(
                    pack,
                    catalogue::explain(&library, pack, r, terminal_style()),
                ),
                (None, Some((_, why))) => refuse(why, &mut report),
                (None, None) => {
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
                        place: None,
                    });
                    String::new()
                }
            }
        }
    };
    report_diagnostics(&report);
    emit(
        output::write_stdout(out.as_bytes()),
        report.exit_code() as u8,
    )
}

fn keygen(dir: &std::path::Path, name: &str) -> ExitCode {
    match signing::keygen(dir, name) {
        Ok((public, secret)) => {
            let said = format!(
                "public key: {}\nsecret key: {} (unencrypted: keep it off shared disks)\n",
                public.display(),
                secret.display()
            );
            emit(output::write_stdout(said.as_bytes()), 0)
        }
        Err(e) => {
            eprintln!("formfit: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Reads and compiles one pack file, for signing and verifying.
fn read_pack(path: &std::path::Path) -> Result<(formfit::pack::Pack, Vec<u8>), String> {
    let bytes = formfit::input::read_file(path, formfit::input::MAX_FILE_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let pack = PackCompiler::new()
        .compile(&path.display().to_string(), &bytes, false)
        .map_err(|e| {
            format!(
                "{} is not a valid pack: {}",
                path.display(),
                e.problems.first().map_or("", |p| p.message.as_str())
            )
        })?;
    Ok((pack, bytes))
}

fn sign(secret_key: &std::path::Path, packs: &[PathBuf]) -> ExitCode {
    for path in packs {
        match signing::sign_file(path, secret_key) {
            Ok(signature) => {
                let said = format!("signed {} → {}\n", path.display(), signature.display());
                if let Err(e) = output::write_stdout(said.as_bytes()) {
                    // The signatures are written; only the account of them is lost.
                    if !e.is_closed_pipe() {
                        return emit(Err(e), 0);
                    }
                }
            }
            Err(e) => {
                eprintln!("formfit: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    ExitCode::SUCCESS
}

fn encrypt(recipients: &[String], path: &std::path::Path) -> ExitCode {
    let encrypted =
        read_pack(path).and_then(|(_, bytes)| formfit::encryption::encrypt(&bytes, recipients));
    let mut target = path.as_os_str().to_owned();
    target.push(".age");
    let target = PathBuf::from(target);
    let written = encrypted
        .and_then(|ciphertext| output::write_file(&target, &ciphertext).map_err(|e| e.to_string()));
    match written {
        Ok(()) => {
            let said = format!(
                "encrypted {} → {} for {} recipient(s)\n",
                path.display(),
                target.display(),
                recipients.len()
            );
            emit(output::write_stdout(said.as_bytes()), 0)
        }
        Err(e) => {
            eprintln!("formfit: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn verify(
    dir: &std::path::Path,
    policy: &formfit::trust::Policy,
    diagnostics: Vec<RunDiagnostic>,
) -> ExitCode {
    // Only the policy's own problems (an unreadable key) stop a verification; the library's
    // refusals are what verify reports line by line.
    let broken: Vec<RunDiagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            d.level == Level::Shall && (d.id == "formfit/usage" || d.id.starts_with("config/"))
        })
        .collect();
    if !broken.is_empty() {
        return finish_with_diagnostics(&Report {
            diagnostics: broken,
            ..Report::default()
        });
    }
    let list = |dir: &std::path::Path| -> std::io::Result<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        Ok(files)
    };
    let files = match list(dir) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("formfit: cannot read {}: {e}", dir.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let profiles = list(&dir.join("profiles")).unwrap_or_default();
    let mut all_trusted = true;
    let lines = files
        .iter()
        .map(|f| policy.verify_file(f, false))
        .chain(profiles.iter().map(|f| policy.verify_file(f, true)));
    let mut said = String::new();
    for (trusted, line) in lines {
        all_trusted &= trusted;
        said.push_str(&format!("{line}\n"));
    }
    emit(
        output::write_stdout(said.as_bytes()),
        if all_trusted { 0 } else { 1 },
    )
}

fn terminal_style() -> human::Style {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    human::Style {
        color,
        width: 100,
        quiet: false,
    }
}
