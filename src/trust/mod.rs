//! The trust boundary every command passes through (`check`, `matrix`, `rules list | show |
//! explain | verify`): who the holder is and what they may hold, whether signatures are
//! required and which keys are trusted, and the loading of packs and profiles under that policy.
//!
//! It fails closed:
//! - a clearance is a level formfit knows, never a string that "clears everything";
//! - under `--require-signed` a file's signature is verified on its bytes before anything parses
//!   them, so an unsigned or altered pack never reaches the TOML parser;
//! - a user pack that would replace a built-in one and is then withheld is a refusal, never a
//!   silent removal of the built-in check;
//! - a refusal, and a load error of an encrypted or marked pack, says where (file, line, column)
//!   but never shows the pack's text;
//! - output meant for third-party services is refused when a marking of the run names a level
//!   above `NATO UNCLASSIFIED`.
//!
//! The folder holds encryption ([`encryption`], age) and signatures ([`signing`], minisign) and,
//! here, the gate that uses them; markings are a leaf every layer reads ([`crate::marking`]), so
//! they sit outside it and no lower module depends on this folder. `tests/architecture.rs`
//! places each file at its own layer.

pub mod encryption;
pub mod signing;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::code::{PackCode, TrustCode, UsageCode};
use crate::config::Config;
use crate::diagnostic::Problem;
use crate::hint::{Hint, Setting, Spelling};
use crate::marking::{Classification, Scheme};
use crate::pack::model::Level;
use crate::pack::{read_tomls, Holder, Library, Pack, PackCompiler, PackError};
use crate::report::{Markings, Place, RunDiagnostic};
use encryption::{decrypt, Identities};
use signing::{Seal, TrustedKeys};

/// What the command line asked for, as far as trust goes; the configuration fills in the rest.
#[derive(Debug, Default, Clone)]
pub struct Asked {
    pub rules: Vec<PathBuf>,
    pub no_builtin: bool,
    pub max_classification: Option<String>,
    pub holder_groups: Vec<String>,
    pub require_signed: bool,
    pub trusted_keys: Vec<PathBuf>,
    pub identities: Vec<PathBuf>,
    /// How the front end names these settings, for messages that name one.
    pub spelling: Spelling,
}

/// One run's trust policy: the holder, the signature rule and the keys, the identities, and
/// where packs come from.
pub struct Policy {
    pub holder: Holder,
    pub require_signed: bool,
    keys: TrustedKeys,
    identities: Option<Identities>,
    pub rules: Vec<PathBuf>,
    pub no_builtin: bool,
}

/// A pack set aside because the holder may not hold it, and why.
pub type Withheld = (Arc<Pack>, String);

impl Policy {
    /// The policy from the command line over the configuration. Every problem (an unknown
    /// clearance, an unreadable key) is a diagnostic; the policy then errs on the closed side.
    /// Under `--require-signed`, the signature over a file's bytes, checked before anything
    /// parses them; `Err` (already reported) when they do not verify.
    fn verify(
        &self,
        path: &Path,
        bytes: &[u8],
        shown: &str,
        diagnostics: &mut Vec<RunDiagnostic>,
    ) -> Result<Option<signing::Verified>, ()> {
        if !self.require_signed {
            return Ok(None);
        }
        signing::verify_bytes(path, bytes, &self.keys)
            .map(Some)
            .map_err(|seal| diagnostics.push(untrusted(shown, &seal)))
    }

    pub fn new(
        asked: &Asked,
        config: Option<&Config>,
        diagnostics: &mut Vec<RunDiagnostic>,
    ) -> Policy {
        let settings = config.map(|c| &c.settings);
        let from_config = |paths: &[String]| -> Vec<PathBuf> {
            config.map_or(Vec::new(), |c| paths.iter().map(|p| c.resolve(p)).collect())
        };
        let mut rules = from_config(settings.map_or(&[], |s| &s.rules));
        rules.extend(asked.rules.iter().cloned());
        let mut key_files = from_config(settings.map_or(&[], |s| &s.trusted_keys));
        key_files.extend(asked.trusted_keys.iter().cloned());
        let mut identity_files = from_config(settings.map_or(&[], |s| &s.identities));
        identity_files.extend(asked.identities.iter().cloned());
        let require_signed = asked.require_signed || settings.is_some_and(|s| s.require_signed);

        let scheme = match config.map(Config::scheme).transpose() {
            Ok(scheme) => scheme.unwrap_or_default(),
            Err(e) => {
                diagnostics.extend(crate::report::pack_diagnostics(e));
                Scheme::default()
            }
        };
        let clearance = match &asked.max_classification {
            Some(text) => scheme.clearance(text).map(Some).map_err(|unknown| {
                vec![usage(
                    UsageCode::UnknownClearance,
                    format!(
                        "{} `{text}` is not a marking formfit knows",
                        asked.spelling.of(Setting::MaxClassification)
                    ),
                    &unknown.help(&scheme),
                )]
            }),
            None => config
                .map(|c| c.clearance(&scheme))
                .transpose()
                .map(Option::flatten)
                .map_err(crate::report::pack_diagnostics),
        };
        // An unknown clearance is an error (exit 3); until it is fixed the holder holds the
        // least, never the most.
        let clearance = clearance.unwrap_or_else(|mut d| {
            diagnostics.append(&mut d);
            None
        });
        let holder = Holder {
            clearance: clearance.unwrap_or(Classification::NatoUnclassified),
            groups: asked
                .holder_groups
                .iter()
                .chain(settings.map_or(&Vec::new(), |s| &s.holder_groups))
                .cloned()
                .collect(),
            scheme,
        };

        let keys = match TrustedKeys::load(&key_files) {
            Ok(keys) => keys,
            Err(message) => {
                diagnostics.push(
                    RunDiagnostic::new(UsageCode::TrustedKeys, Level::Shall, message)
                        .with_hint(Hint::GiveTrustedKeys),
                );
                TrustedKeys::default()
            }
        };
        if !key_files.is_empty() && !require_signed {
            diagnostics.push(
                RunDiagnostic::new(
                    TrustCode::SignaturesNotRequired,
                    Level::May,
                    "trusted keys were given but signatures are not required: no pack's signature was verified".to_owned(),
                )
                .with_hint(Hint::RequireSignatures),
            );
        }
        let identities = match Identities::load(&identity_files) {
            Ok(identities) => Some(identities),
            Err(message) => {
                diagnostics.push(usage(
                    UsageCode::Identities,
                    message,
                    "an identity file is what `age-keygen` writes",
                ));
                None
            }
        };
        Policy {
            holder,
            require_signed,
            keys,
            identities,
            rules,
            no_builtin: asked.no_builtin || settings.is_some_and(|s| s.no_builtin),
        }
    }

    /// The library under this policy: built-in packs (unless `no_builtin`; each compiled when
    /// first used, see [`Library::take_errors`]), then the packs and
    /// profiles of the `rules` folders, each verified before it is parsed when signatures are
    /// required. Packs the holder may not hold are moved to `library.withheld`; those that would
    /// have replaced a built-in pack are refused here (exit 3); the others are returned, for
    /// the caller to refuse or set aside depending on whether they were asked for.
    pub fn load_library(&self, diagnostics: &mut Vec<RunDiagnostic>) -> (Library, Vec<Withheld>) {
        let compiler = PackCompiler::new();
        let (mut library, builtin_errors) = if self.no_builtin {
            (Library::default(), Vec::new())
        } else {
            Library::builtin_on_demand()
        };
        diagnostics.extend(
            builtin_errors
                .into_iter()
                .flat_map(crate::report::pack_diagnostics),
        );
        let builtin_profiles: Vec<(String, String)> = library
            .profiles
            .iter()
            .map(|p| (p.name.clone(), p.file.clone()))
            .collect();
        for dir in &self.rules {
            if let Err(e) = self.add_dir(&mut library, &compiler, dir, diagnostics) {
                diagnostics.push(RunDiagnostic::new(
                    PackCode::Io,
                    Level::Shall,
                    format!("cannot read the rules directory {}: {e}", dir.display()),
                ));
            }
        }
        for (designation, file) in &library.replaced {
            diagnostics.push(notice(
                TrustCode::PackReplaced,
                format!("the built-in pack for {designation} is replaced by {file}"),
            ));
        }
        for profile in &library.profiles {
            let replaces = builtin_profiles
                .iter()
                .any(|(name, file)| *name == profile.name && *file != profile.file);
            if replaces {
                diagnostics.push(notice(
                    TrustCode::ProfileReplaced,
                    format!(
                        "the built-in profile {} is replaced by {}",
                        profile.name, profile.file
                    ),
                ));
            }
        }
        let withheld = library.withhold(&self.holder);
        let (replacing, others): (Vec<_>, Vec<_>) = withheld
            .into_iter()
            .partition(|(pack, _)| library.replaces_builtin(pack));
        for (pack, why) in replacing {
            diagnostics.push(withheld_diagnostic(
                &pack,
                Level::Shall,
                format!(
                    "refused: {why}; it takes the place of the built-in pack for {}, which would otherwise be switched off",
                    pack.meta.designation
                ),
            ));
        }
        (library, others)
    }

    /// One pack file named on its own (`rules diff OLD NEW`), loaded as a pack of a rules
    /// folder is: decrypted in memory, verified under `--require-signed`, compiled, and
    /// refused when the holder may not hold it. `None` when it is not loaded (reported).
    pub fn load_pack_file(
        &self,
        path: &Path,
        diagnostics: &mut Vec<RunDiagnostic>,
    ) -> Option<Arc<Pack>> {
        let shown = path.display().to_string();
        let bytes = match crate::input::read_file(path, crate::input::MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => {
                diagnostics.push(RunDiagnostic::new(
                    PackCode::Io,
                    Level::Shall,
                    format!("cannot read the rule pack {shown}: {e}"),
                ));
                return None;
            }
        };
        let mut library = Library::default();
        self.add_pack(
            &mut library,
            &PackCompiler::new(),
            shown,
            bytes,
            diagnostics,
        );
        if let Some((pack, why)) = library.withhold(&self.holder).pop() {
            diagnostics.push(withheld_diagnostic(
                &pack,
                Level::Shall,
                format!("refused: {why}"),
            ));
            return None;
        }
        library.packs().last().cloned()
    }

    fn add_dir(
        &self,
        library: &mut Library,
        compiler: &PackCompiler,
        dir: &Path,
        diagnostics: &mut Vec<RunDiagnostic>,
    ) -> Result<(), std::io::Error> {
        let mut errors = Vec::new();
        for (shown, bytes) in read_tomls(dir, &mut errors)? {
            self.add_pack(library, compiler, shown, bytes, diagnostics);
        }
        let profiles = dir.join("profiles");
        let linked = crate::pack::is_symlink(&profiles);
        if linked {
            errors.push(PackError {
                file: profiles.display().to_string(),
                text: String::new(),
                problems: vec![Problem::new(
                    PackCode::Symlink,
                    "a symbolic link in a rules folder is not followed",
                    0..0,
                )
                .with_help("copy the profiles into the folder instead of linking to it")],
            });
        } else if profiles.is_dir() {
            for (shown, bytes) in read_tomls(&profiles, &mut errors)? {
                self.add_profile(library, shown, bytes, diagnostics);
            }
        }
        // Read errors carry no text of the file.
        diagnostics.extend(errors.into_iter().flat_map(crate::report::pack_diagnostics));
        Ok(())
    }

    fn add_pack(
        &self,
        library: &mut Library,
        compiler: &PackCompiler,
        shown: String,
        bytes: Vec<u8>,
        diagnostics: &mut Vec<RunDiagnostic>,
    ) {
        // `NAME.toml.age` is decrypted in memory; its signature is that of `NAME.toml`.
        let encrypted = shown.ends_with(".age");
        let (bytes, source) = match shown.strip_suffix(".age") {
            Some(plain_name) => match decrypt(self.identities.as_ref(), &bytes) {
                Ok(plaintext) => (plaintext, PathBuf::from(plain_name)),
                Err(message) => {
                    diagnostics.push(
                        RunDiagnostic::new(
                            TrustCode::EncryptedPack,
                            Level::Shall,
                            format!("broken rule pack: {message}"),
                        )
                        .with_hint(Hint::GiveIdentity)
                        .at_place(Place {
                            file: shown,
                            line: 1,
                            column: 1,
                            span: 0..0,
                            label: None,
                        }),
                    );
                    return;
                }
            },
            None => (bytes, PathBuf::from(&shown)),
        };
        // The gate: under --require-signed, bytes that do not verify are never parsed.
        let Ok(verified) = self.verify(&source, &bytes, &shown, diagnostics) else {
            return;
        };
        let sealed = encrypted || self.marked(&bytes);
        let pack = match compiler.compile(&shown, &bytes, false) {
            Ok(pack) => pack,
            Err(e) => {
                diagnostics.extend(if sealed {
                    sealed_diagnostics(e)
                } else {
                    crate::report::pack_diagnostics(e)
                });
                return;
            }
        };
        if let Some(verified) = verified {
            let seal = verified.bind(&signing::binding(
                &pack.meta.designation,
                &pack.meta.edition,
                signing::file_name(&source),
            ));
            if !seal.is_trusted() {
                diagnostics.push(untrusted(&shown, &seal));
                return;
            }
        }
        let text = pack.text.clone();
        let mut pack = pack;
        pack.source = Some(source);
        if let Err(problems) = library.admit(pack) {
            let error = PackError {
                file: shown,
                text: text.to_string(),
                problems,
            };
            diagnostics.extend(if sealed {
                sealed_diagnostics(error)
            } else {
                crate::report::pack_diagnostics(error)
            });
        }
    }

    fn add_profile(
        &self,
        library: &mut Library,
        shown: String,
        bytes: Vec<u8>,
        diagnostics: &mut Vec<RunDiagnostic>,
    ) {
        if shown.ends_with(".age") {
            diagnostics.extend(crate::report::pack_diagnostics(PackError {
                file: shown,
                text: String::new(),
                problems: vec![Problem::new(
                    TrustCode::EncryptedProfile,
                    "profiles are not encrypted: a profile names standards, it holds none",
                    0..0,
                )],
            }));
            return;
        }
        let path = PathBuf::from(&shown);
        let Ok(verified) = self.verify(&path, &bytes, &shown, diagnostics) else {
            return;
        };
        match crate::pack::profile::load(&shown, &bytes) {
            Ok(profile) => {
                if let Some(verified) = verified {
                    let seal = verified.bind(&signing::profile_binding(
                        &profile.name,
                        signing::file_name(&path),
                    ));
                    if !seal.is_trusted() {
                        diagnostics.push(untrusted(&shown, &seal));
                        return;
                    }
                }
                library.profiles.retain(|p| p.name != profile.name);
                library.profiles.push(profile);
            }
            Err(e) => diagnostics.extend(crate::report::pack_diagnostics(e)),
        }
    }

    /// Whether a pack's bytes state a marking above `NATO UNCLASSIFIED`, or one that names no
    /// level, before the pack is known to parse: its load errors must then not show its text.
    fn marked(&self, bytes: &[u8]) -> bool {
        let text = String::from_utf8_lossy(bytes);
        text.lines()
            .filter_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "classification")
                    .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
            })
            .any(|marking| {
                self.holder
                    .scheme
                    .level(&marking)
                    .is_none_or(Classification::is_marked)
            })
    }

    /// The highest marking of the run that names a level above `NATO UNCLASSIFIED`, if any:
    /// what refuses output meant for third-party services (`check`'s and `matrix`'s).
    pub fn highest_marked<'a>(&self, markings: &'a Markings) -> Option<&'a str> {
        let scheme = &self.holder.scheme;
        markings
            .all()
            .filter(|m| {
                // A pack's marking that names no level was never loaded; a product's names
                // none when it is commercial.
                scheme.level(m).is_some_and(Classification::is_marked)
            })
            .max_by_key(|m| scheme.level(m))
    }

    /// The refusal of output meant for third-party services or tools (`sarif`, `github` and
    /// `gitlab` reports, `reqif` and `oscal` matrices, an `oscal` catalog or profile) when a
    /// marking of the run names a level above `NATO UNCLASSIFIED`: a pack's classification, or
    /// a product's own `product.marking` when it names a level of the NATO order or of the
    /// configured national map. A commercial marking ("ACME PROPRIETARY") names no level: it is
    /// carried in every output but never refuses one. `document` names what carries the
    /// marking (`report`, `matrix`, `catalog`) and `refused` says where that output goes.
    pub fn third_party_refusal(
        &self,
        markings: &Markings,
        allow_marked_output: bool,
        document: &str,
        refused: &str,
    ) -> Option<RunDiagnostic> {
        if allow_marked_output {
            return None;
        }
        let highest = self.highest_marked(markings)?;
        Some(
            RunDiagnostic::new(
                UsageCode::MarkedOutput,
                Level::Shall,
                format!("this {document} carries the marking {highest}: {refused}"),
            )
            .with_hint(Hint::AllowMarkedOutput),
        )
    }
}

impl Policy {
    /// One line of `formfit rules verify` for a pack (or, with `profile`, a profile) file, and
    /// whether it is trusted. The signature is verified on the bytes first; only verified bytes
    /// are parsed, to compare what the signature binds.
    pub fn verify_file(&self, path: &Path, profile: bool) -> (bool, String) {
        let shown = path.display();
        if crate::pack::is_symlink(path) {
            return (
                false,
                format!("FAIL  a symbolic link is not followed  ({shown})"),
            );
        }
        let bytes = match crate::input::read_file(path, crate::input::MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => return (false, format!("FAIL  cannot read it: {e}  ({shown})")),
        };
        // `NAME.toml.age` is signed as `NAME.toml`, over its plaintext (sign, then encrypt).
        let (bytes, path) = match path.to_str().and_then(|p| p.strip_suffix(".age")) {
            Some(plain) => match decrypt(self.identities.as_ref(), &bytes) {
                Ok(plaintext) => (plaintext, PathBuf::from(plain)),
                Err(e) => return (false, format!("FAIL  {e}  ({shown})")),
            },
            None => (bytes, path.to_path_buf()),
        };
        let path = path.as_path();
        let verified = match signing::verify_bytes(path, &bytes, &self.keys) {
            Ok(verified) => verified,
            Err(seal) => return (false, format!("FAIL  {}  ({shown})", seal.describe())),
        };
        let name = signing::file_name(path);
        let bound = if profile {
            crate::pack::profile::load(&shown.to_string(), &bytes).map(|p| {
                (
                    signing::profile_binding(&p.name, name),
                    format!("profile {}", p.name),
                )
            })
        } else {
            PackCompiler::new()
                .compile(&shown.to_string(), &bytes, false)
                .map(|p| {
                    let what = format!("{} {}", p.meta.designation, p.meta.edition);
                    (
                        signing::binding(&p.meta.designation, &p.meta.edition, name),
                        what,
                    )
                })
        };
        match bound {
            Ok((binding, what)) => {
                let seal = verified.bind(&binding);
                let status = if seal.is_trusted() { "ok  " } else { "FAIL" };
                (
                    seal.is_trusted(),
                    format!("{status}  {what}: {}  ({shown})", seal.describe()),
                )
            }
            Err(e) => {
                let why = e.problems.first().map_or("", |p| p.message.as_str());
                (
                    false,
                    format!(
                        "FAIL  signed, but not a valid {}: {why}  ({shown})",
                        if profile { "profile" } else { "pack" }
                    ),
                )
            }
        }
    }
}

/// A pack or profile refused for its signature: where it is, what its signature says, never
/// its text.
fn untrusted(file: &str, seal: &Seal) -> RunDiagnostic {
    RunDiagnostic::new(
        TrustCode::UntrustedPack,
        Level::Shall,
        format!("refused {file}: {}", seal.describe()),
    )
    .with_hint(Hint::SignOrTrust)
    .at_place(Place {
        file: file.to_owned(),
        line: 1,
        column: 1,
        span: 0..0,
        label: Some("this file".to_owned()),
    })
}

/// A withheld pack's diagnostic: at its marking, without its text.
pub fn withheld_diagnostic(pack: &Pack, level: Level, message: String) -> RunDiagnostic {
    RunDiagnostic::new(TrustCode::WithheldPack, level, message)
        .with_hint(Hint::StateClearance)
        .at_place(Place::of(
            &pack.file,
            &pack.text,
            pack.marking_span.clone(),
            Some("marked here".to_owned()),
        ))
}

/// The load errors of a pack whose text must not be shown (encrypted or marked): each located
/// by file, line and column only.
pub fn sealed_diagnostics(error: PackError) -> Vec<RunDiagnostic> {
    let PackError {
        file,
        text,
        problems,
    } = error;
    problems
        .into_iter()
        .map(|p| RunDiagnostic {
            code: p.code,
            level: Level::Shall,
            message: format!("broken rule pack: {}", p.message),
            help: p.help,
            hint: p.hint,
            location: None,
            place: Some(Place::of(&file, &text, p.span, p.label)),
        })
        .collect()
}

fn notice(code: TrustCode, message: String) -> RunDiagnostic {
    RunDiagnostic::new(code, Level::May, message)
}

fn usage(code: UsageCode, message: String, help: &str) -> RunDiagnostic {
    crate::report::usage(code, message, help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::InvalidProduct;

    fn policy(national: &[(&str, Classification)]) -> Policy {
        let holder = Holder {
            scheme: Scheme::new(national.iter().map(|(n, c)| ((*n).to_owned(), *c))),
            ..Holder::default()
        };
        Policy {
            holder,
            require_signed: false,
            keys: TrustedKeys::default(),
            identities: None,
            rules: Vec::new(),
            no_builtin: true,
        }
    }

    fn report_marked(marking: &str) -> crate::report::Report {
        let mut product = crate::engine::invalid(
            "p.toml",
            InvalidProduct {
                text: String::new(),
                product: None,
                problems: Vec::new(),
            },
        );
        product.marking = Some(marking.to_owned());
        crate::report::Report {
            products: vec![product],
            ..Default::default()
        }
    }

    #[test]
    fn third_party_output_is_refused_on_levels_never_on_commercial_markings() {
        let policy = policy(&[("DE VS-NfD", Classification::NatoRestricted)]);
        let refused = |m: &str, allow| {
            policy.third_party_refusal(&report_marked(m).totals().markings, allow, "report", "r")
        };
        assert!(refused("NATO RESTRICTED", false).is_some());
        assert!(
            refused("de vs-nfd", false).is_some(),
            "a mapped national marking"
        );
        assert!(refused("NATO RESTRICTED", true).is_none(), "allowed");
        assert!(refused("NATO UNCLASSIFIED", false).is_none());
        assert!(refused("ACME PROPRIETARY", false).is_none(), "commercial");
    }

    #[test]
    fn a_pack_states_a_marking_when_any_classification_line_names_no_public_level() {
        let policy = policy(&[]);
        assert!(!policy.marked(b"[standard]\nclassification = \"PUBLIC\"\n"));
        assert!(!policy.marked(b"[standard]\ndesignation = \"X\"\n"));
        assert!(policy.marked(b"classification = 'NATO SECRET'\n"));
        assert!(
            policy.marked(b"classification=\"DE VS-NfD\"\n"),
            "unknown: sealed"
        );
    }
}
