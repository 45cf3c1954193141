//! The command line: clap definitions of every command, flag and value. The meaning of each
//! lives in the application layer (`formfit::app`).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use formfit::report::Gate;
use formfit::session::Options;
use formfit::sources::Shard;

/// Checks product descriptions against machine-readable interoperability standards.
#[derive(Parser)]
#[command(name = "formfit", version, about, after_help = super::help::root())]
pub(crate) struct Cli {
    /// Colour: `auto` colours a terminal unless NO_COLOR is set and not empty, CLICOLOR is 0 or
    /// TERM is dumb; CLICOLOR_FORCE colours any output.
    #[arg(long, value_enum, global = true, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Check product descriptions (TOML, JSON or YAML) against rule packs.
    #[command(after_help = super::help::check())]
    Check(CheckArgs),
    /// The bid compliance matrix of one or several products: every requirement of every
    /// selected standard.
    #[command(after_help = super::help::matrix())]
    Matrix(MatrixArgs),
    /// The known standards (rule packs) and profiles.
    Rules(RulesArgs),
    /// Write a commented formfit.toml and an example product (products/example-radio.toml) into
    /// the working directory; nothing is overwritten.
    Init,
    /// Print a JSON Schema: of a product, pack, profile, formfit.toml, deviations or evidence
    /// file formfit reads, or of the JSON report or matrix it writes.
    Schema {
        #[arg(value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(formfit::app::schema::SCHEMAS.map(|(name, _, _)| name)))]
        name: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): formfit's, or a command's (`formfit man rules list`); or write
    /// every page into a folder.
    Man {
        /// The command whose page to print, e.g. `check` or `rules list`.
        #[arg(value_name = "COMMAND", num_args = 0..)]
        command: Vec<String>,
        /// Write every page (formfit.1, formfit-check.1, …) into DIR instead.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
    },
    /// A language server for product files and rule packs, on standard input and output
    /// (for editors: see docs/editors.md).
    Lsp {
        /// Accepted for editors that pass it; standard input and output is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Parser)]
pub(crate) struct PackArgs {
    /// A directory of rule packs to add to the built-in ones (a pack with a built-in
    /// designation replaces it).
    #[arg(long = "rules", value_name = "DIR", global = true)]
    pub(crate) rules: Vec<PathBuf>,
    /// Use only the packs from --rules.
    #[arg(long, global = true)]
    pub(crate) no_builtin: bool,
    /// The highest marking you may hold (default NATO UNCLASSIFIED): marked packs above it
    /// are refused.
    #[arg(long, value_name = "LEVEL", global = true)]
    pub(crate) max_classification: Option<String>,
    /// Refuse packs that are not signed by a trusted key (built-in packs are trusted).
    #[arg(long, global = true)]
    pub(crate) require_signed: bool,
    /// A minisign public key file of a trusted pack publisher (repeatable).
    #[arg(long = "trusted-key", value_name = "FILE", global = true)]
    pub(crate) trusted_keys: Vec<PathBuf>,
    /// An age identity file that decrypts `*.toml.age` packs, in memory only (repeatable).
    #[arg(long = "identity", value_name = "FILE", global = true)]
    pub(crate) identities: Vec<PathBuf>,
    /// A group you belong to (NATO, EU, a nation; repeatable): packs releasable to it load.
    #[arg(long = "holder-group", value_name = "NAME", global = true)]
    pub(crate) holder_groups: Vec<String>,
}

/// What to check and against which standards: shared by `check` and `matrix`.
#[derive(Parser)]
pub(crate) struct SelectArgs {
    /// The project configuration; default: the nearest formfit.toml at or above the working
    /// directory.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore any formfit.toml.
    #[arg(long, conflicts_with = "config")]
    pub(crate) no_config: bool,
    #[command(flatten)]
    pub(crate) packs: PackArgs,
    /// A standard to check against (repeatable); default: the product's `conforms_to`.
    #[arg(long = "standard", value_name = "ID")]
    pub(crate) standards: Vec<String>,
    /// A profile (a tender's set of standards with obligations) to check against.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["standards", "all_applicable"])]
    pub(crate) profile: Option<String>,
    /// Check against every known standard that applies to the product.
    #[arg(long)]
    pub(crate) all_applicable: bool,
    /// Approved deviations (waivers) to apply.
    #[arg(long, value_name = "FILE")]
    pub(crate) deviations: Option<PathBuf>,
    /// The date deviations expire against (YYYY-MM-DD), for reproducible runs; default: today.
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<String>,
}

impl SelectArgs {
    /// The selection as the library takes it.
    pub(crate) fn options(&self) -> Options {
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
            spelling: super::spelling::CLI,
            ..Options::default()
        }
    }
}

#[derive(Parser)]
pub(crate) struct CheckArgs {
    /// Product files (the format comes from the extension: .toml, .json, .yaml, .yml),
    /// folders (walked as ripgrep walks them; files without a top-level `product` table are
    /// skipped and counted), globs (`products/**/*.{toml,yaml}`), or `-` for one product on
    /// standard input. Default: the `products` globs of formfit.toml.
    #[arg(value_name = "PRODUCT")]
    pub(crate) products: Vec<PathBuf>,
    /// The format of the product on standard input (`-`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) input_format: Option<InputFormat>,
    /// Read products from an NDJSON stream (a file, or `-` for standard input): one product
    /// JSON object per line, one result per product in input order.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["products", "input_format"])]
    pub(crate) ndjson: Option<PathBuf>,
    /// Check only the K-th of N contiguous blocks of the sorted inputs (or of the NDJSON
    /// file's lines): for parallel CI or batch jobs. The shards' product lines, in order, are
    /// those of the whole run.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub(crate) shard: Option<Shard>,
    /// Threads that check products; default: one per core.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) jobs: Option<u16>,
    #[command(flatten)]
    pub(crate) select: SelectArgs,
    /// Output format; default: formfit.toml's `format`, else human.
    #[arg(long, short = 'f', value_enum)]
    pub(crate) format: Option<CheckFormat>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Human output: only the one-line summary per product.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Human output: the run summary also names the standards whose rules took longest.
    #[arg(long)]
    pub(crate) timings: bool,
    /// What fails the run (exit code 1): shall, should or never, optionally with
    /// `not-checked` (`should,not-checked`) to fail on claims formfit cannot check; default:
    /// formfit.toml's `fail-on`, else shall.
    #[arg(long, value_name = "GATE", value_parser = Gate::parse)]
    pub(crate) fail_on: Option<Gate>,
    /// Allow sarif, github and gitlab output (meant for third-party services) when packs
    /// marked above NATO UNCLASSIFIED were used.
    #[arg(long)]
    pub(crate) allow_marked_output: bool,
}

#[derive(Parser)]
pub(crate) struct MatrixArgs {
    /// The product files: several give one section (one sheet in xlsx) per product and a
    /// summary.
    #[arg(value_name = "PRODUCT", required = true)]
    pub(crate) products: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) select: SelectArgs,
    /// Evidence (test reports, certificates) by rule id: turns evidence-required rows into
    /// evidence-provided.
    #[arg(long, value_name = "FILE")]
    pub(crate) evidence: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = MatrixFormat::Markdown)]
    pub(crate) format: MatrixFormat,
    /// Write the matrix to FILE instead of standard output (required for xlsx).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// CSV without the UTF-8 byte-order mark that Excel needs to read it as UTF-8 (for tools
    /// that do not expect one).
    #[arg(long)]
    pub(crate) no_csv_bom: bool,
    /// What fails the run (exit code 1), as for `check`.
    #[arg(long, value_name = "GATE", value_parser = Gate::parse)]
    pub(crate) fail_on: Option<Gate>,
    /// Allow reqif and oscal output (imported into third-party tools) when a marking of the
    /// run names a level above NATO UNCLASSIFIED.
    #[arg(long)]
    pub(crate) allow_marked_output: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum MatrixFormat {
    Markdown,
    Csv,
    Xlsx,
    Html,
    Json,
    /// ReqIF 1.2 for requirement tools (DOORS, Polarion, Jama).
    Reqif,
    /// OSCAL 1.1 assessment results (JSON).
    Oscal,
}

#[derive(Parser)]
pub(crate) struct RulesArgs {
    /// The project configuration (holder, rules folders, keys, identities); default: the
    /// nearest formfit.toml at or above the working directory.
    #[arg(long, value_name = "FILE", global = true)]
    pub(crate) config: Option<PathBuf>,
    /// Ignore any formfit.toml.
    #[arg(long, conflicts_with = "config", global = true)]
    pub(crate) no_config: bool,
    #[command(flatten)]
    pub(crate) packs: PackArgs,
    #[command(subcommand)]
    pub(crate) command: Option<RulesCommand>,
}

#[derive(Subcommand)]
pub(crate) enum RulesCommand {
    /// Packs (designation, aliases, edition, status, classification, rule count) and profiles.
    List {
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Human)]
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
    /// One rule in full, with examples of conforming and non-conforming values; or one of
    /// formfit's own codes (`input/limit/depth`, `formfit/withheld-pack`): what it means, why,
    /// how to fix it.
    Explain {
        #[arg(value_name = "RULE-ID|CODE")]
        rule: String,
    },
    /// The check kinds a rule can use: the keys that select each, and what it asks.
    Kinds,
    /// Run the packs' test cases (`<pack>/*.toml` under DIR; default: each --rules folder's
    /// `tests/`, or the built-in library's): a line per case, exit 1 when one fails.
    Test {
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Exit 1 also when a pack under test has no test case.
        #[arg(long)]
        require_tests: bool,
        /// Per pack: the rules no case is about, and the branches of each rule (in range,
        /// below, above, notch, look-alike, ambiguous, absent…) no case took.
        #[arg(long)]
        coverage: bool,
        /// human, json, or junit (a suite per pack, a case per case) for CI.
        #[arg(long, value_enum, default_value_t = TestFormat::Human)]
        format: TestFormat,
    },
    /// Write a new pack's skeleton, DIR/<slug>.toml (metadata, one live rule, one rule of each
    /// common kind commented out), and its test cases, DIR/tests/<slug>/cases.toml. Never
    /// overwrites a file.
    New {
        #[arg(value_name = "DESIGNATION")]
        designation: String,
        #[arg(long, value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
    /// Write a built-in pack's source exactly as it is built in, to start a pack from it; or a
    /// pack as an OSCAL 1.1 catalog, a profile as an OSCAL profile (--format oscal).
    Export {
        /// A standard's designation or alias.
        #[arg(value_name = "STANDARD", required_unless_present = "profile")]
        standard: Option<String>,
        /// A profile to export as an OSCAL profile (with --format oscal): it imports each
        /// standard's catalog as `<slug>.catalog.json` beside it.
        #[arg(long, value_name = "NAME", conflicts_with = "standard")]
        profile: Option<String>,
        /// toml: the pack's own source; oscal: an OSCAL catalog (a profile: an OSCAL profile).
        #[arg(long, short = 'f', value_enum, default_value_t = ExportFormat::Toml)]
        format: ExportFormat,
        /// Write the pack (or the OSCAL document) to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The date an OSCAL document is dated with (YYYY-MM-DD); default: SOURCE_DATE_EPOCH's,
        /// else today.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// Allow oscal output (imported into third-party tools) when a pack it holds or names is
        /// marked above NATO UNCLASSIFIED.
        #[arg(long)]
        allow_marked_output: bool,
    },
    /// Compare two editions of a pack rule by rule (added, removed, tightened, loosened, with
    /// old and new values), and list the products whose verdict moves between them. Exit 0
    /// when the diff ran (1 with --fail-on-change when a verdict moves), 3 when a pack cannot
    /// be loaded.
    Diff {
        /// The old edition: a pack file, or a known standard's designation (`MIL-STD-704`).
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The new edition: a pack file, or a known standard's designation.
        #[arg(value_name = "NEW")]
        new: PathBuf,
        /// Products to check against both editions: files, folders, globs.
        #[arg(value_name = "PRODUCTS")]
        products: Vec<PathBuf>,
        /// Read the products from an NDJSON stream (a file, or `-`), one per line.
        #[arg(long, value_name = "FILE", conflicts_with = "products")]
        ndjson: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// Exit 1 when any product's verdict moves between the editions.
        #[arg(long)]
        fail_on_change: bool,
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

/// Formats of `formfit rules export`: the pack's own TOML, or OSCAL.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    Toml,
    /// An OSCAL 1.1 catalog (JSON) of a pack, or an OSCAL profile of a profile.
    Oscal,
}

impl From<ExportFormat> for formfit::app::rules::ExportFormat {
    fn from(format: ExportFormat) -> formfit::app::rules::ExportFormat {
        use formfit::app::rules::ExportFormat as Library;
        match format {
            ExportFormat::Toml => Library::Toml,
            ExportFormat::Oscal => Library::Oscal,
        }
    }
}

/// Formats of `formfit rules test`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum TestFormat {
    Human,
    Json,
    Junit,
}

impl From<TestFormat> for formfit::app::rules::TestFormat {
    fn from(format: TestFormat) -> formfit::app::rules::TestFormat {
        use formfit::app::rules::TestFormat as Library;
        match format {
            TestFormat::Human => Library::Human,
            TestFormat::Json => Library::Json,
            TestFormat::Junit => Library::Junit,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum OutputFormat {
    Human,
    Json,
}

/// Formats of `formfit rules diff`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DiffFormat {
    Human,
    Json,
    Markdown,
}

impl From<DiffFormat> for formfit::app::diff::DiffFormat {
    fn from(format: DiffFormat) -> formfit::app::diff::DiffFormat {
        use formfit::app::diff::DiffFormat as Library;
        match format {
            DiffFormat::Human => Library::Human,
            DiffFormat::Json => Library::Json,
            DiffFormat::Markdown => Library::Markdown,
        }
    }
}

/// Formats of `formfit check`: the listing formats plus those CI services read.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum CheckFormat {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
    Gitlab,
    /// One JSON object per line, written as each product is checked.
    Ndjson,
}

/// Formats of a product on standard input.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum InputFormat {
    Toml,
    Json,
    Yaml,
}

impl From<InputFormat> for formfit::input::Format {
    fn from(format: InputFormat) -> formfit::input::Format {
        match format {
            InputFormat::Toml => formfit::input::Format::Toml,
            InputFormat::Json => formfit::input::Format::Json,
            InputFormat::Yaml => formfit::input::Format::Yaml,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl RulesArgs {
    /// What the trust gate decides on, as for `check`.
    pub(crate) fn options(&self) -> Options {
        Options {
            config: self.config.clone(),
            no_config: self.no_config,
            rules: self.packs.rules.clone(),
            no_builtin: self.packs.no_builtin,
            max_classification: self.packs.max_classification.clone(),
            holder_groups: self.packs.holder_groups.clone(),
            require_signed: self.packs.require_signed,
            trusted_keys: self.packs.trusted_keys.clone(),
            identities: self.packs.identities.clone(),
            spelling: super::spelling::CLI,
            ..Options::default()
        }
    }
}

impl CheckFormat {
    /// The name the library knows the format by.
    pub(crate) fn name(self) -> &'static str {
        match self {
            CheckFormat::Human => "human",
            CheckFormat::Json => "json",
            CheckFormat::Sarif => "sarif",
            CheckFormat::Junit => "junit",
            CheckFormat::Github => "github",
            CheckFormat::Gitlab => "gitlab",
            CheckFormat::Ndjson => "ndjson",
        }
    }
}

impl From<MatrixFormat> for formfit::render::matrix::Format {
    fn from(format: MatrixFormat) -> formfit::render::matrix::Format {
        use formfit::render::matrix::Format;
        match format {
            MatrixFormat::Markdown => Format::Markdown,
            MatrixFormat::Csv => Format::Csv,
            MatrixFormat::Xlsx => Format::Xlsx,
            MatrixFormat::Html => Format::Html,
            MatrixFormat::Json => Format::Json,
            MatrixFormat::Reqif => Format::Reqif,
            MatrixFormat::Oscal => Format::Oscal,
        }
    }
}
