//! One run's set-up, shared by `formfit check` and `formfit matrix`: the configuration merged
//! with the command line, the library loaded and pinned, the standards selected, deviations
//! loaded, and the products to read. Every problem on the way is a run diagnostic, so that a
//! broken pack, profile or configuration is reported with its location instead of stopping.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::code::{Code, InputCode, RunCode, UsageCode};
use crate::config::{self, Config};
use crate::deviation::{self, Deviations};
use crate::diagnostic::Problem;
use crate::engine::{self, Selected, Selection};
use crate::hint::{Setting, Spelling};
use crate::input::Span;
use crate::input::{self, Format, Limits, ReadError};
use crate::pack::model::Level;
use crate::pack::profile;
use crate::pack::{normalise_id, Library};
use crate::product::{InvalidProduct, Product, ProductReader};
use crate::report::{gate, Finding, Gate, Located, ProductReport, Report, RunDiagnostic};
use crate::trust::{self, Asked, Policy, Withheld};

use crate::report::{pack_diagnostics, usage};

/// What the user asked for, from the command line; the configuration fills in the rest.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub products: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub no_config: bool,
    pub rules: Vec<PathBuf>,
    pub no_builtin: bool,
    pub standards: Vec<String>,
    pub profile: Option<String>,
    pub all_applicable: bool,
    pub deviations: Option<PathBuf>,
    pub today: Option<String>,
    /// What the holder may hold; `None` takes the configuration's, else `NATO UNCLASSIFIED`.
    pub max_classification: Option<String>,
    pub holder_groups: Vec<String>,
    /// Refuse packs not signed by one of `trusted_keys` (built-in packs are trusted).
    pub require_signed: bool,
    pub trusted_keys: Vec<PathBuf>,
    /// age identity files, to decrypt `*.toml.age` packs in memory.
    pub identities: Vec<PathBuf>,
    /// What fails the run; `None` takes the configuration's `fail-on`, else `shall`.
    pub fail_on: Option<Gate>,
    /// How the front end names these options, in messages and hints that name one.
    pub spelling: Spelling,
}

/// A prepared run.
pub struct Session {
    pub library: Library,
    pub selection: Selection,
    /// The resolved profile, when one was chosen.
    pub profile: Option<profile::Resolved>,
    pub deviations: Option<Deviations>,
    /// `YYYY-MM-DD`, what deviations expire against.
    pub today: String,
    pub products: Vec<PathBuf>,
    /// The configuration's `format`, for the command to use when not overridden.
    pub format: Option<String>,
    /// What fails the run: the command line's, else the configuration's, else `shall`.
    pub gate: Gate,
    /// The trust policy the library was loaded under: the holder and the markings they know.
    pub policy: Policy,
    /// How the front end names its settings; every report of the session carries it.
    pub spelling: Spelling,
    /// The files the run reads besides packs (products, configuration, deviations), so that
    /// `--output` can refuse to overwrite one.
    pub inputs: Vec<PathBuf>,
    reader: ProductReader,
    limits: Limits,
}

/// A product file checked: its report, and the product when it could be read.
pub struct Checked {
    pub report: ProductReport,
    pub product: Option<Product>,
    /// The bytes read from the file, exactly those checked (for digests that certify them);
    /// empty when the file could not be read.
    pub bytes: Vec<u8>,
}

impl Session {
    /// Prepares a run. The diagnostics say what went wrong; any at `shall` level means formfit
    /// cannot do what was asked (exit 3).
    pub fn prepare(options: &Options) -> (Session, Vec<RunDiagnostic>) {
        let mut diagnostics = Vec::new();
        let (config, policy, library, withheld) = open(options, &mut diagnostics);
        let settings = config.as_ref().map(|c| &c.settings);
        let from_config = |path: &String| config.as_ref().map(|c| c.resolve(path));
        if let Some(config) = &config {
            if let Err(e) = config.check_pins(&library) {
                diagnostics.extend(pack_diagnostics(e));
            }
        }
        let named = !options.standards.is_empty() || options.profile.is_some();
        let standards = if named {
            options.standards.clone()
        } else {
            settings.map_or(Vec::new(), |s| s.standards.clone())
        };
        let profile_name = options.profile.clone().or_else(|| {
            settings
                .filter(|_| options.standards.is_empty())
                .and_then(|s| s.profile.clone())
        });
        let mut selection = Selection {
            standards: Vec::new(),
            all_applicable: options.all_applicable || settings.is_some_and(|s| s.all_applicable),
            claims_too: profile_name.is_some(),
        };
        for name in &standards {
            match library.find(name) {
                Some((pack, edition)) => selection.standards.push(Selected::all(pack, edition)),
                // Asked for, and withheld: refused below, at its marking.
                None if library.withheld_reason(name).is_some() => {}
                None => diagnostics.push(unknown_standard(&library, name)),
            }
        }
        let mut profile = None;
        if let Some(name) = &profile_name {
            match resolve_profile(&library, name) {
                Ok(resolved) => {
                    selection.standards = resolved.standards.iter().map(Selected::from).collect();
                    profile = Some(resolved);
                }
                Err(mut d) => diagnostics.append(&mut d),
            }
        }
        // Marked packs: a selected one the holder may not hold is refused before any rule of
        // it runs; the others are set aside with a warning.
        for (pack, why) in withheld {
            let selected = standards.iter().any(|name| {
                pack.meta
                    .names()
                    .any(|d| normalise_id(d) == normalise_id(name))
            });
            diagnostics.push(trust::withheld_diagnostic(
                &pack,
                if selected {
                    Level::Shall
                } else {
                    Level::Should
                },
                if selected {
                    format!("refused: {why}")
                } else {
                    format!("skipped: {why}")
                },
            ));
        }
        let today = match &options.today {
            Some(date) if deviation::is_date(date) => date.clone(),
            Some(date) => {
                diagnostics.push(usage(
                    UsageCode::Date,
                    format!(
                        "{} {date} is not a date",
                        options.spelling.of(Setting::Today)
                    ),
                    "write the date as YYYY-MM-DD",
                ));
                String::new()
            }
            None => deviation::today(),
        };
        let deviations_file = options.deviations.clone().or_else(|| {
            settings
                .and_then(|s| s.deviations.as_ref())
                .and_then(from_config)
        });
        let mut inputs: Vec<PathBuf> = config.iter().map(|c| c.file.clone()).collect();
        inputs.extend(deviations_file.clone());
        let deviations =
            deviations_file.and_then(
                |file| match input::read_file(&file, input::MAX_FILE_BYTES) {
                    Ok(bytes) => match Deviations::load(&shown(&file), &bytes) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            diagnostics.extend(pack_diagnostics(e));
                            None
                        }
                    },
                    Err(e) => {
                        diagnostics.push(usage(
                            UsageCode::DeviationsFile,
                            format!("cannot read the deviations file {}: {e}", file.display()),
                            "check the path",
                        ));
                        None
                    }
                },
            );
        let products = if !options.products.is_empty() {
            options.products.clone()
        } else {
            match &config {
                Some(c) if !c.settings.products.is_empty() => c.products().unwrap_or_else(|e| {
                    diagnostics.extend(pack_diagnostics(e));
                    Vec::new()
                }),
                _ => {
                    diagnostics.push(usage(
                        UsageCode::NoProducts,
                        "no product files to check".to_owned(),
                        "name them on the command line, or list `products` globs in formfit.toml",
                    ));
                    Vec::new()
                }
            }
        };
        let gate = match (options.fail_on, settings.and_then(|s| s.fail_on.as_deref())) {
            (Some(gate), _) => gate,
            (None, Some(text)) => Gate::parse(text).unwrap_or_else(|message| {
                diagnostics.push(usage(
                    UsageCode::FailOn,
                    format!("formfit.toml: fail-on: {message}"),
                    "write fail-on as shall, should or never, optionally with not-checked: \"should,not-checked\"",
                ));
                Gate::default()
            }),
            (None, None) => Gate::default(),
        };
        inputs.extend(products.iter().cloned());
        let session = Session {
            inputs,
            library,
            selection,
            profile,
            deviations,
            today,
            products,
            format: settings.and_then(|s| s.format.clone()),
            gate,
            spelling: options.spelling,
            reader: ProductReader::new(Limits::default()),
            policy,
            limits: Limits::default(),
        };
        (session, diagnostics)
    }

    /// The whole run: every product checked (unless a diagnostic already says formfit cannot
    /// do what was asked), claims the holder may not check turned into refusals, products
    /// sharing an id reported, and every finding settled under the gate.
    pub fn run(&self, diagnostics: Vec<RunDiagnostic>) -> Report {
        let mut report = Report {
            products: Vec::new(),
            diagnostics,
            gate: self.gate,
            spelling: self.spelling,
        };
        if report.diagnostics.iter().any(|d| d.level == Level::Shall) {
            return report;
        }
        let checked: Vec<(ProductReport, Option<Span>)> = self
            .products
            .par_iter()
            .map(|path| {
                let checked = self.check_file(path);
                let id = checked.product.as_ref().and_then(|p| {
                    let id = p.doc.root.get("product")?.get("id")?;
                    Some(id.span.clone())
                });
                (checked.report, id)
            })
            .collect();
        let mut first_of: HashMap<String, String> = HashMap::new();
        for (mut product, id_span) in checked {
            report.diagnostics.extend(refused_claims(&product));
            if let (Some(id), Some(span)) = (product.product.clone(), id_span) {
                match first_of.get(&id) {
                    Some(first) => {
                        product.findings.push(Finding::plain(
                            RunCode::DuplicateProductId,
                            Level::Should,
                            span,
                            "product.id",
                            format!("the product id `{id}` is also the id of {first}"),
                            "same id",
                            "give each product of a catalogue its own id: reports, deviations and fingerprints are keyed by it",
                        ));
                        gate::settle_product(&mut product, &self.gate);
                    }
                    None => {
                        first_of.insert(id, product.file.clone());
                    }
                }
            }
            report.products.push(product);
        }
        if let Some(d) = &self.deviations {
            let mut own = d.report(&self.today);
            gate::settle_product(&mut own, &self.gate);
            report.products.push(own);
        }
        report
    }

    /// Reads and checks one product file, applying the deviations.
    pub fn check_file(&self, path: &Path) -> Checked {
        let shown = path.display().to_string();
        let unreadable = |code: InputCode, message: String, help: &str| Checked {
            report: engine::invalid(
                &shown,
                InvalidProduct {
                    text: String::new(),
                    product: None,
                    problems: vec![Problem::new(code, message, 0..0).with_help(help)],
                },
            ),
            product: None,
            bytes: Vec::new(),
        };
        let Some(format) = Format::from_path(path) else {
            return unreadable(
                InputCode::UnknownFormat,
                format!("cannot tell the format of {shown}"),
                "product files end in .toml, .json, .yaml or .yml",
            );
        };
        let bytes = match input::read_file(path, self.limits.max_bytes) {
            Ok(bytes) => bytes,
            Err(e @ ReadError::TooLarge { .. }) => {
                return unreadable(
                    InputCode::FileSize,
                    format!("cannot read {shown}: {e}"),
                    "split the product description, or check that this is the right file",
                )
            }
            Err(e @ ReadError::NotRegular(_)) => {
                return unreadable(
                    InputCode::NotAFile,
                    format!("cannot read {shown}: {e}"),
                    "name a product file, not a pipe or device",
                )
            }
            Err(e) => {
                return unreadable(
                    InputCode::Unreadable,
                    format!("cannot read {shown}: {e}"),
                    "check the path",
                )
            }
        };
        match self.reader.read(&bytes, format) {
            Ok(product) => {
                let mut report = engine::check(&self.library, &self.selection, &shown, &product);
                if let Some(deviations) = &self.deviations {
                    deviations.apply(&product, &mut report, &self.today);
                }
                gate::settle_product(&mut report, &self.gate);
                Checked {
                    report,
                    product: Some(product),
                    bytes,
                }
            }
            Err(invalid) => {
                let mut report = engine::invalid(&shown, invalid);
                gate::settle_product(&mut report, &self.gate);
                Checked {
                    report,
                    product: None,
                    bytes,
                }
            }
        }
    }
}

/// A claim of a pack the holder may not hold refuses the run, as `--standard` would: the
/// product cannot be checked as it asks, and a green run would hide that.
fn refused_claims(product: &ProductReport) -> Vec<RunDiagnostic> {
    product
        .findings
        .iter()
        .filter(|f| f.code == Some(Code::Run(RunCode::WithheldStandard)))
        .map(|f| RunDiagnostic {
            code: Code::Run(RunCode::WithheldStandard),
            level: Level::Shall,
            message: format!(
                "refused: {} claims a standard this run may not check ({})",
                product.file,
                f.message.trim_start_matches("not checked: ")
            ),
            help: f.help.clone(),
            hint: f.hint.clone(),
            location: Some(Located {
                file: product.file.clone(),
                text: product.text.clone(),
                span: f.span.clone(),
                label: Some("claimed here".to_owned()),
            }),
            place: None,
        })
        .collect()
}

impl Options {
    /// What was asked that the trust gate decides on.
    pub fn asked(&self) -> Asked {
        Asked {
            rules: self.rules.clone(),
            no_builtin: self.no_builtin,
            max_classification: self.max_classification.clone(),
            holder_groups: self.holder_groups.clone(),
            require_signed: self.require_signed,
            trusted_keys: self.trusted_keys.clone(),
            identities: self.identities.clone(),
            spelling: self.spelling,
        }
    }
}

/// Every command's way in: the configuration, the trust policy it and the command line make,
/// and the library loaded through that policy, with the packs withheld from the holder that
/// the command must still refuse or set aside.
pub fn open(
    options: &Options,
    diagnostics: &mut Vec<RunDiagnostic>,
) -> (Option<Config>, Policy, Library, Vec<Withheld>) {
    let config = load_config(options, diagnostics);
    let policy = Policy::new(&options.asked(), config.as_ref(), diagnostics);
    let (library, withheld) = policy.load_library(diagnostics);
    (config, policy, library, withheld)
}

/// The configuration named with --config, or the nearest formfit.toml; a broken one is a run
/// diagnostic (exit 3), never silently ignored.
fn load_config(options: &Options, diagnostics: &mut Vec<RunDiagnostic>) -> Option<Config> {
    if options.no_config {
        return None;
    }
    let file = match &options.config {
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
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Resolves a profile by name; an unknown name or a broken profile is a run diagnostic.
pub fn resolve_profile(
    library: &Library,
    name: &str,
) -> Result<profile::Resolved, Vec<RunDiagnostic>> {
    if !library.profiles.iter().any(|p| p.name == name) {
        let known: Vec<&str> = library.profiles.iter().map(|p| p.name.as_str()).collect();
        return Err(vec![RunDiagnostic::new(
            RunCode::UnknownProfile,
            Level::Shall,
            format!("unknown profile `{name}`"),
        )
        .with_help(format!("known profiles: {}", known.join(", ")))]);
    }
    profile::resolve(name, &library.profiles, library).map_err(pack_diagnostics)
}

/// An unknown standard name: a usage error that lists the known ones, or explains a known
/// non-standard.
pub fn unknown_standard(library: &Library, name: &str) -> RunDiagnostic {
    match library.non_standard(name) {
        Some(non) => RunDiagnostic::new(
            RunCode::NotAStandard,
            Level::Shall,
            format!("`{name}` is not a standard formfit can check: {}", non.why),
        )
        .with_help(non.help.clone()),
        None => {
            let known: Vec<_> = library
                .packs
                .iter()
                .map(|p| p.meta.designation.as_str())
                .collect();
            RunDiagnostic::new(
                RunCode::UnknownStandard,
                Level::Shall,
                format!("unknown standard `{name}`"),
            )
            .with_help(format!("known standards: {}", known.join(", ")))
        }
    }
}
