//! `formfit.toml`: a repository's gate, so that `formfit check` with no arguments checks every
//! product the project names, the same way on every machine. Found by walking up from the
//! working directory, or given with `--config`; paths in it are relative to it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::code::ConfigCode;
use crate::diagnostic::{did_you_mean, Problem};
use crate::input::{Document, PointerSegment, Span};
use crate::marking::{Classification, Scheme};
use crate::pack::{normalise_id, Library, PackError};
use crate::schema::{load_toml, shipped, Schema};

/// The schema, compiled on first use.
static SCHEMA: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();

/// The configuration's JSON Schema, published in `schemas/`.
pub const CONFIG_SCHEMA: &str = include_str!("../schemas/formfit.schema.json");

/// The file name looked for.
pub const FILE_NAME: &str = "formfit.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Settings {
    #[serde(default)]
    pub standards: Vec<String>,
    pub profile: Option<String>,
    #[serde(default)]
    pub all_applicable: bool,
    #[serde(default)]
    pub products: Vec<String>,
    pub fail_on: Option<String>,
    pub format: Option<String>,
    pub deviations: Option<String>,
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub no_builtin: bool,
    #[serde(default)]
    pub pin: Vec<Pin>,
    pub max_classification: Option<String>,
    #[serde(default)]
    pub require_signed: bool,
    #[serde(default)]
    pub trusted_keys: Vec<String>,
    #[serde(default)]
    pub identities: Vec<String>,
    #[serde(default)]
    pub holder_groups: Vec<String>,
    /// National markings mapped onto the NATO order: `"DE VS-NfD" = "NATO RESTRICTED"`.
    #[serde(default)]
    pub markings: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub struct Pin {
    pub standard: String,
    pub edition: Option<String>,
    pub digest: Option<String>,
}

/// A loaded configuration, with its document kept to locate problems in it.
#[derive(Debug)]
pub struct Config {
    pub file: PathBuf,
    pub settings: Settings,
    doc: Document,
}

/// The nearest `formfit.toml` at or above `start`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|f| f.is_file())
}

impl Config {
    pub fn load(file: &Path) -> Result<Config, PackError> {
        let shown = file.display().to_string();
        let bytes =
            crate::input::read_file(file, crate::input::MAX_FILE_BYTES).map_err(|e| PackError {
                file: shown.clone(),
                text: String::new(),
                problems: vec![Problem::new(
                    ConfigCode::Io,
                    format!("cannot read the configuration: {e}"),
                    0..0,
                )],
            })?;
        let schema = shipped(&SCHEMA, CONFIG_SCHEMA, ConfigCode::Schema);
        let (doc, settings) = load_toml(&bytes, schema).map_err(|(text, problems)| PackError {
            file: shown,
            text,
            problems,
        })?;
        Ok(Config {
            file: file.to_owned(),
            settings,
            doc,
        })
    }

    /// The folder the configuration's relative paths start from.
    pub fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("."))
    }

    /// A path written in the configuration, resolved against its folder.
    pub fn resolve(&self, path: &str) -> PathBuf {
        self.dir().join(path)
    }

    fn span(&self, segments: &[PointerSegment]) -> Span {
        self.doc
            .root
            .at_pointer(segments.iter().copied())
            .span
            .clone()
    }

    /// An error located in this configuration.
    pub fn error(&self, problems: Vec<Problem>) -> PackError {
        PackError {
            file: self.file.display().to_string(),
            text: self.doc.text.clone(),
            problems,
        }
    }

    /// The `[markings]` table as a scheme. Each national marking must map onto a level of the
    /// NATO order, and must not itself be one (that would re-rank a NATO level).
    pub fn scheme(&self) -> Result<Scheme, PackError> {
        let mut national = Vec::new();
        let mut problems = Vec::new();
        for (name, level) in &self.settings.markings {
            let at = self.span(&[PointerSegment::Key("markings"), PointerSegment::Key(name)]);
            if Classification::from_nato(name).is_some() {
                problems.push(
                    Problem::new(
                        ConfigCode::Markings,
                        format!("`{name}` is a level of the NATO order, not a national marking"),
                        at,
                    )
                    .with_label("a NATO level")
                    .with_help("list only national markings here, each mapped onto a NATO level"),
                );
                continue;
            }
            match Classification::from_nato(level) {
                Some(level) => national.push((name.clone(), level)),
                None => {
                    let mut problem = Problem::new(
                        ConfigCode::Markings,
                        format!("`{name}` is mapped onto `{level}`, which is no level of the NATO order"),
                        at,
                    )
                    .with_label("not a NATO level");
                    let close = Scheme::default()
                        .clearance(level)
                        .err()
                        .and_then(|e| e.suggestion);
                    problem = problem.with_help(match close {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("map it onto one of {}", crate::marking::ORDER.join(", ")),
                    });
                    problems.push(problem);
                }
            }
        }
        if problems.is_empty() {
            Ok(Scheme::new(national))
        } else {
            Err(self.error(problems))
        }
    }

    /// The holder's `max-classification`, parsed against the scheme; a marking that names no
    /// level is an error at it, never a clearance of everything.
    pub fn clearance(&self, scheme: &Scheme) -> Result<Option<Classification>, PackError> {
        let Some(text) = &self.settings.max_classification else {
            return Ok(None);
        };
        scheme.clearance(text).map(Some).map_err(|unknown| {
            self.error(vec![Problem::new(
                ConfigCode::MaxClassification,
                format!("`{text}` is not a marking formfit knows"),
                self.span(&[PointerSegment::Key("max-classification")]),
            )
            .with_label("unknown marking")
            .with_help(unknown.help(scheme))])
        })
    }

    /// The product files the `products` globs name (braces too: `*.{toml,yaml}`), sorted and
    /// without repeats. A glob that matches nothing is an error: a gate over zero files is not
    /// green.
    pub fn products(&self) -> Result<crate::sources::Inputs, PackError> {
        let mut problems = Vec::new();
        let full: Vec<String> = self
            .settings
            .products
            .iter()
            .map(|pattern| self.resolve(pattern).display().to_string())
            .collect();
        // The files of all the globs, sorted and once each.
        let (mut files, matched) = crate::sources::globs(&full);
        for (i, (pattern, matched)) in self.settings.products.iter().zip(matched).enumerate() {
            let span = self.span(&[PointerSegment::Key("products"), PointerSegment::Index(i)]);
            match matched {
                Err(e) => problems.push(Problem::new(
                    ConfigCode::Glob,
                    format!("invalid glob `{pattern}`: {e}"),
                    span,
                )),
                Ok(0) => problems.push(
                    Problem::new(
                        ConfigCode::EmptyGlob,
                        format!("`{pattern}` matches no file"),
                        span,
                    )
                    .with_label("matches nothing")
                    .with_help("a gate over zero files is not green: fix the pattern or remove it"),
                ),
                Ok(_) => {}
            }
        }
        if !problems.is_empty() {
            return Err(self.error(problems));
        }
        // Shown relative to the working directory when possible, as users wrote them.
        files.relative_to(&std::env::current_dir().unwrap_or_default());
        Ok(files)
    }

    /// Checks the pins against the packs loaded: an edition or a digest that differs, or a pin
    /// for a standard the library does not have, is an error at the pin.
    pub fn check_pins(&self, library: &Library) -> Result<(), PackError> {
        let mut problems = Vec::new();
        for (i, pin) in self.settings.pin.iter().enumerate() {
            let at = |key: &str| {
                self.span(&[
                    PointerSegment::Key("pin"),
                    PointerSegment::Index(i),
                    PointerSegment::Key(key),
                ])
            };
            let Some((pack, _)) = library.find(&pin.standard) else {
                let known: Vec<&str> = library.designations().collect();
                let mut problem = Problem::new(
                    ConfigCode::PinNotLoaded,
                    format!("pinned standard `{}` is not loaded", pin.standard),
                    at("standard"),
                )
                .with_label("unknown standard");
                if let Some(close) = did_you_mean(&pin.standard, known.iter().copied()) {
                    problem = problem.with_help(format!("did you mean `{close}`?"));
                }
                problems.push(problem);
                continue;
            };
            if let Some(edition) = &pin.edition {
                if normalise_id(edition) != normalise_id(&pack.meta.edition) {
                    problems.push(
                        Problem::new(
                            ConfigCode::PinEdition,
                            format!("{} is pinned to edition {edition}, but the loaded pack models edition {}", pack.meta.designation, pack.meta.edition),
                            at("edition"),
                        )
                        .with_label("pinned here")
                        .with_help("load the pinned edition with `rules`, or update the pin after reviewing the change"),
                    );
                }
            }
            if let Some(digest) = &pin.digest {
                let actual = pack.digest();
                if *digest != actual {
                    problems.push(
                        Problem::new(
                            ConfigCode::PinDigest,
                            format!(
                                "{} is pinned to {digest}, but the loaded pack ({}) is {actual}",
                                pack.meta.designation, pack.file
                            ),
                            at("digest"),
                        )
                        .with_label("pinned here")
                        .with_help("the pack changed: review the change, then update the pin"),
                    );
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(self.error(problems))
        }
    }
}
