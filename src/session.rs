//! One run's set-up, shared by `formfit check` and `formfit matrix`: the configuration merged
//! with the command line, the library loaded and pinned, the standards selected, deviations
//! loaded, and the products to read. Every problem on the way is a run diagnostic, so that a
//! broken pack, profile or configuration is reported with its location instead of stopping.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::deviation::{self, Deviations};
use crate::diagnostic::Problem;
use crate::encryption::Identities;
use crate::engine::{self, Selected, Selection};
use crate::input::{self, Format, Limits, ReadError};
use crate::pack::model::Level;
use crate::pack::{Holder, Library, PackCompiler, PackError};
use crate::product::{InvalidProduct, Product, ProductReader};
use crate::profile;
use crate::report::{Located, ProductReport, RunDiagnostic};
use crate::signing::{self, TrustedKeys};

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
    /// The configuration's `format` and `fail-on`, for the command to use when not overridden.
    pub format: Option<String>,
    pub fail_on: Option<String>,
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
}

impl Session {
    /// Prepares a run. The diagnostics say what went wrong; any at `shall` level means formfit
    /// cannot do what was asked (exit 3).
    pub fn prepare(options: &Options) -> (Session, Vec<RunDiagnostic>) {
        let mut diagnostics = Vec::new();
        let config = load_config(options, &mut diagnostics);
        let settings = config.as_ref().map(|c| &c.settings);
        let from_config = |path: &String| config.as_ref().map(|c| c.resolve(path));

        // Command-line options override the configuration.
        let mut rules: Vec<PathBuf> = settings.map_or(Vec::new(), |s| {
            s.rules.iter().filter_map(from_config).collect()
        });
        rules.extend(options.rules.iter().cloned());
        let no_builtin = options.no_builtin || settings.is_some_and(|s| s.no_builtin);
        let mut identities: Vec<PathBuf> = settings.map_or(Vec::new(), |s| {
            s.identities.iter().filter_map(from_config).collect()
        });
        identities.extend(options.identities.iter().cloned());
        let mut library = load_library(&rules, no_builtin, &identities, &mut diagnostics);
        let mut trusted_keys: Vec<PathBuf> = settings.map_or(Vec::new(), |s| {
            s.trusted_keys.iter().filter_map(from_config).collect()
        });
        trusted_keys.extend(options.trusted_keys.iter().cloned());
        if options.require_signed || settings.is_some_and(|s| s.require_signed) {
            refuse_unsigned(&mut library, &trusted_keys, &mut diagnostics);
        }
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
        };
        for name in &standards {
            match library.find(name) {
                Some((pack, edition)) => selection.standards.push(Selected::all(pack, edition)),
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
        let holder = Holder {
            max_classification: options
                .max_classification
                .clone()
                .or_else(|| settings.and_then(|s| s.max_classification.clone()))
                .unwrap_or_else(|| Holder::default().max_classification),
            groups: options
                .holder_groups
                .iter()
                .chain(settings.map_or(&Vec::new(), |s| &s.holder_groups))
                .cloned()
                .collect(),
        };
        for (pack, why) in library.withhold(&holder) {
            let selected = selection
                .standards
                .iter()
                .any(|s| std::sync::Arc::ptr_eq(&s.pack, &pack));
            diagnostics.push(RunDiagnostic {
                id: "formfit/withheld-pack".to_owned(),
                level: if selected { Level::Shall } else { Level::Should },
                message: if selected { format!("refused: {why}") } else { format!("skipped: {why}") },
                help: Some("state what you hold with --max-classification and --holder-group, or in formfit.toml".to_owned()),
                location: Some(Located {
                    file: pack.file.clone(),
                    text: pack.text.clone(),
                    span: pack.marking_span.clone(),
                    label: Some("marked here".to_owned()),
                }),
            });
        }
        let today = match &options.today {
            Some(date) if deviation::is_date(date) => date.clone(),
            Some(date) => {
                diagnostics.push(usage(
                    format!("--today {date} is not a date"),
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
                        "no product files to check".to_owned(),
                        "name them on the command line, or list `products` globs in formfit.toml",
                    ));
                    Vec::new()
                }
            }
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
            fail_on: settings.and_then(|s| s.fail_on.clone()),
            reader: ProductReader::new(Limits::default()),
            limits: Limits::default(),
        };
        (session, diagnostics)
    }

    /// Checks every product, in parallel, in the order given; then the deviations file's own
    /// findings (expired, stale), when there is one.
    pub fn check_all(&self) -> Vec<ProductReport> {
        let mut reports: Vec<ProductReport> = self
            .products
            .par_iter()
            .map(|p| self.check_file(p).report)
            .collect();
        if let Some(d) = &self.deviations {
            reports.push(d.report(&self.today));
        }
        reports
    }

    /// Reads and checks one product file, applying the deviations.
    pub fn check_file(&self, path: &Path) -> Checked {
        let shown = path.display().to_string();
        let unreadable = |id: &'static str, message: String, help: &str| Checked {
            report: engine::invalid(
                &shown,
                InvalidProduct {
                    text: String::new(),
                    product: None,
                    problems: vec![Problem::new(id, message, 0..0).with_help(help)],
                },
            ),
            product: None,
        };
        let Some(format) = Format::from_path(path) else {
            return unreadable(
                "input/io",
                format!("cannot tell the format of {shown}"),
                "product files end in .toml, .json, .yaml or .yml",
            );
        };
        let bytes = match input::read_file(path, self.limits.max_bytes) {
            Ok(bytes) => bytes,
            Err(e @ ReadError::TooLarge { .. }) => {
                return unreadable(
                    "input/limit",
                    format!("cannot read {shown}: {e}"),
                    "split the product description, or check that this is the right file",
                )
            }
            Err(e @ ReadError::NotRegular(_)) => {
                return unreadable(
                    "input/io",
                    format!("cannot read {shown}: {e}"),
                    "name a product file, not a pipe or device",
                )
            }
            Err(e) => {
                return unreadable(
                    "input/io",
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
                Checked {
                    report,
                    product: Some(product),
                }
            }
            Err(invalid) => Checked {
                report: engine::invalid(&shown, invalid),
                product: None,
            },
        }
    }
}

/// With signatures required, a pack that is unsigned, altered, or signed by a key the holder
/// does not trust is refused (exit 3) and taken out of the library: no verdict comes from it.
fn refuse_unsigned(
    library: &mut Library,
    key_files: &[PathBuf],
    diagnostics: &mut Vec<RunDiagnostic>,
) {
    let keys = match TrustedKeys::load(key_files) {
        Ok(keys) => keys,
        Err(message) => {
            diagnostics.push(usage(
                message,
                "give minisign public key files with --trusted-key",
            ));
            return;
        }
    };
    library.packs.retain(|pack| {
        let path = pack.source.clone().unwrap_or_else(|| PathBuf::from(&pack.file));
        let seal = signing::seal_of(pack, &path, &pack.bytes, &keys);
        if seal.is_trusted() {
            return true;
        }
        diagnostics.push(RunDiagnostic {
            id: "formfit/untrusted-pack".to_owned(),
            level: Level::Shall,
            message: format!("refused {}: {}", pack.file, seal.describe()),
            help: Some("sign it with `formfit rules sign`, or trust its publisher's key with --trusted-key".to_owned()),
            location: Some(Located {
                file: pack.file.clone(),
                text: pack.text.clone(),
                span: 0..0,
                label: Some("this pack".to_owned()),
            }),
        });
        false
    });
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

/// The library: built-in packs (unless `no_builtin`) and those of the `rules` folders.
pub fn load_library(
    rules: &[PathBuf],
    no_builtin: bool,
    identities: &[PathBuf],
    diagnostics: &mut Vec<RunDiagnostic>,
) -> Library {
    let identities = match Identities::load(identities) {
        Ok(identities) => Some(identities),
        Err(message) => {
            diagnostics.push(usage(
                message,
                "an identity file is what `age-keygen` writes",
            ));
            None
        }
    };
    let identities = identities.as_ref();
    let compiler = PackCompiler::new();
    let (mut library, builtin_errors) = if no_builtin {
        (Library::default(), Vec::new())
    } else {
        Library::builtin(&compiler)
    };
    let mut errors = builtin_errors;
    for dir in rules {
        match library.add_dir(&compiler, dir, identities) {
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

pub fn pack_diagnostics(error: PackError) -> Vec<RunDiagnostic> {
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

/// A path as shown in reports: relative to the working directory when it is under it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A problem with what was asked (exit 3).
pub fn usage(message: String, help: &str) -> RunDiagnostic {
    RunDiagnostic {
        id: "formfit/usage".to_owned(),
        level: Level::Shall,
        message,
        help: Some(help.to_owned()),
        location: None,
    }
}

/// Resolves a profile by name; an unknown name or a broken profile is a run diagnostic.
pub fn resolve_profile(
    library: &Library,
    name: &str,
) -> Result<profile::Resolved, Vec<RunDiagnostic>> {
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

/// An unknown standard name: a usage error that lists the known ones, or explains a known
/// non-standard.
pub fn unknown_standard(library: &Library, name: &str) -> RunDiagnostic {
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
