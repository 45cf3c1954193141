//! `formfit rules`: the library shown (list, show, explain) through the same trust gate as
//! `check`, and the publisher's tools (keygen, sign, encrypt, verify), which work on files.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::cases::TestRun;
use crate::code::{RunCode, UsageCode};
use crate::hint::{Hint, Setting, Spelling};
use crate::output;
use crate::pack::model::Level;
use crate::pack::{Library, Pack, PackCompiler};
use crate::render::report::human;
use crate::render::{catalogue, export};
use crate::report::{usage, Markings, Report, RunDiagnostic};
use crate::session::{self, Options};
use crate::trust::{self, signing, Policy};

/// What to show of the library.
#[derive(Debug, Clone)]
pub enum Shown {
    List {
        json: bool,
    },
    Standard(String),
    Profile(String),
    Rule(String),
    /// The check kinds a pack's rules can use.
    Kinds,
}

/// Shows packs, profiles or a rule to a holder who may see them, between the pack's marking
/// banners; a withheld pack is refused by name, never shown.
pub fn show(options: &Options, what: &Shown, style: human::Style) -> Outcome {
    // formfit's own codes (`input/limit/depth`) are documented by formfit, not by a pack:
    // no pack id has a `/`, so a code never hides a rule.
    if let Shown::Rule(id) = what {
        if let Some(text) = crate::code::explain(id, options.spelling) {
            return Outcome {
                document: text.into_bytes(),
                ..Outcome::default()
            };
        }
    }
    let mut diagnostics = Vec::new();
    let (_, _, library, withheld) = session::open(options, &mut diagnostics);
    for (pack, why) in &withheld {
        diagnostics.push(trust::withheld_diagnostic(
            pack,
            Level::Should,
            format!("skipped: {why}"),
        ));
    }
    let mut report = Report {
        diagnostics,
        spelling: options.spelling,
        ..Report::default()
    };
    let mut refuse = |why: &str| {
        report.diagnostics.push(
            RunDiagnostic::new(UsageCode::Refused, Level::Shall, format!("refused: {why}"))
                .with_hint(Hint::StateClearanceToShow),
        );
        String::new()
    };
    let banners = |pack: &Pack, text: String| {
        let banner = format!("── {} ──\n", pack.meta.classification);
        format!("{banner}{text}{banner}")
    };
    let document = match what {
        Shown::List { json: false } => catalogue::list(&library),
        Shown::List { json: true } => catalogue::list_json(&library),
        Shown::Kinds => catalogue::kinds(),
        Shown::Profile(name) => match session::resolve_profile(&library, name) {
            Ok(resolved) => catalogue::show_profile(&resolved),
            Err(mut d) => {
                report.diagnostics.append(&mut d);
                String::new()
            }
        },
        Shown::Standard(name) => match library.find(name) {
            Some((pack, _)) => banners(&pack, catalogue::show(&pack)),
            None => match library.withheld_reason(name) {
                Some(why) => refuse(why),
                None => {
                    report
                        .diagnostics
                        .push(session::unknown_standard(&library, name));
                    String::new()
                }
            },
        },
        Shown::Rule(rule) => {
            let found = library.packs().find_map(|p| {
                p.rules
                    .iter()
                    .find(|r| r.id.eq_ignore_ascii_case(rule))
                    .map(|r| (p, r))
            });
            let withheld_rule = library
                .withheld
                .iter()
                .find(|(p, _)| p.rules.iter().any(|r| r.id.eq_ignore_ascii_case(rule)));
            match (found, withheld_rule) {
                (Some((pack, r)), _) => {
                    banners(pack, catalogue::explain(pack, r, options.spelling, style))
                }
                (None, Some((_, why))) => refuse(why),
                (None, None) => {
                    report.diagnostics.push(unknown_rule(&library, rule));
                    String::new()
                }
            }
        }
    };
    Outcome {
        document: document.into_bytes(),
        notes: human::render_diagnostics(&report, style),
        exit_code: report.exit_code(),
    }
}

fn unknown_rule(library: &crate::pack::Library, rule: &str) -> RunDiagnostic {
    let ids = library
        .packs()
        .flat_map(|p| p.rules.iter().map(|r| r.id.as_str()));
    let close = crate::diagnostic::did_you_mean(rule, ids);
    RunDiagnostic::new(
        RunCode::UnknownRule,
        Level::Shall,
        format!("unknown rule `{rule}`"),
    )
    .with_help(match close {
        Some(c) => format!("did you mean `{c}`?"),
        None => "`formfit rules show STANDARD` lists a standard's rules".to_owned(),
    })
}

/// How `formfit rules export` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// A built-in pack's own source, byte for byte.
    #[default]
    Toml,
    /// A pack as an OSCAL catalog, a profile as an OSCAL profile.
    Oscal,
}

/// What `formfit rules export` is asked: one standard, or (OSCAL only) one profile.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest {
    pub standard: Option<String>,
    pub profile: Option<String>,
    pub format: ExportFormat,
    /// Write an OSCAL document even when a pack it holds or names is marked above NATO
    /// UNCLASSIFIED.
    pub allow_marked_output: bool,
}

/// The file name a profile's import gives a standard's catalog: `rules new`'s file name of
/// the designation, so `formfit rules export STANDARD --format oscal -o <slug>.catalog.json`
/// beside the profile resolves its imports.
fn catalog_file(designation: &str) -> String {
    format!("{}.catalog.json", crate::scaffold::slug(designation))
}

/// Writes a standard or a profile for a holder who may see it. As TOML, a built-in pack's
/// source exactly as it is built in, for a user to start a pack of their own from; a user pack
/// is not exported (it is a file the user has, and an encrypted one must never be written out
/// as plaintext). As OSCAL, a pack (built in or the user's, never an encrypted one) as a
/// catalog, a profile as a profile, dated by `options.today`; refused, as every format for
/// third-party tools is, when a pack it holds or names is marked above NATO UNCLASSIFIED,
/// unless allowed. A pack above the holder is refused by name, as `rules show` refuses it.
pub fn export(options: &Options, request: &ExportRequest, style: human::Style) -> Outcome {
    let (policy, library, mut report) = match opened(options, style, false) {
        Ok(opened) => opened,
        Err(outcome) => return outcome,
    };
    let today = session::today(options, &mut report.diagnostics);
    if !report.diagnostics.is_empty() {
        return Outcome::problems(&report, style, false);
    }
    // The one marking rule of every format for third-party tools; no document when refused.
    let mut marked = |markings: Markings, document: &str| match policy.third_party_refusal(
        &markings,
        request.allow_marked_output,
        document,
        "oscal output is imported into third-party tools and is refused",
    ) {
        Some(refusal) => {
            report.diagnostics.push(refusal);
            true
        }
        None => false,
    };
    let document = match (&request.profile, request.format) {
        (Some(_), ExportFormat::Toml) => {
            return failed("a profile is exported as OSCAL only: its TOML is its file".to_owned())
        }
        (Some(name), ExportFormat::Oscal) => match session::resolve_profile(&library, name) {
            Ok(resolved) => {
                let markings = Markings {
                    packs: resolved
                        .standards
                        .iter()
                        .map(|s| s.pack.meta.classification.clone())
                        .collect(),
                    own: Vec::new(),
                };
                if marked(markings, "profile") {
                    Vec::new()
                } else {
                    let href = |pack: &Pack| catalog_file(&pack.meta.designation);
                    export::profile(&resolved, &today, &href).into_bytes()
                }
            }
            Err(mut d) => {
                report.diagnostics.append(&mut d);
                Vec::new()
            }
        },
        (None, format) => {
            let standard = request.standard.as_deref().unwrap_or_default();
            match (library.find(standard), library.withheld_reason(standard)) {
                (Some((pack, _)), _) if format == ExportFormat::Toml && pack.builtin => {
                    pack.text.as_bytes().to_vec()
                }
                (Some((pack, _)), _) if format == ExportFormat::Toml => {
                    return failed(format!(
                        "{} is not a built-in pack: its source is {}",
                        pack.meta.designation, pack.file
                    ))
                }
                (Some((pack, _)), _) if pack.file.ends_with(".age") => {
                    return failed(format!(
                    "{} is an encrypted pack ({}): its rules are never written out in the clear",
                    pack.meta.designation, pack.file
                ))
                }
                (Some((pack, _)), _) => {
                    let markings = Markings {
                        packs: vec![pack.meta.classification.clone()],
                        own: Vec::new(),
                    };
                    if marked(markings, "catalog") {
                        Vec::new()
                    } else {
                        export::catalog(&pack, &today).into_bytes()
                    }
                }
                (None, Some(why)) => {
                    report.diagnostics.push(
                        RunDiagnostic::new(
                            UsageCode::Refused,
                            Level::Shall,
                            format!("refused: {why}"),
                        )
                        .with_hint(Hint::StateClearanceToShow),
                    );
                    Vec::new()
                }
                (None, None) => {
                    report
                        .diagnostics
                        .push(session::unknown_standard(&library, standard));
                    Vec::new()
                }
            }
        }
    };
    Outcome {
        document,
        notes: human::render_diagnostics(&report, style),
        exit_code: report.exit_code(),
    }
}

/// Writes a new pack's skeleton, `DIR/<slug>.toml`, and its test cases,
/// `DIR/tests/<slug>/cases.toml`; never over a file that exists (exit 3).
pub fn new_pack(designation: &str, dir: &Path, spelling: Spelling) -> Outcome {
    let slug = crate::scaffold::slug(designation);
    if slug.is_empty() {
        return failed(format!(
            "`{designation}` has no letter or digit to name the pack's file after"
        ));
    }
    let pack = dir.join(format!("{slug}.toml"));
    let cases = dir.join("tests").join(&slug).join("cases.toml");
    if let Some(there) = [&pack, &cases].into_iter().find(|p| p.exists()) {
        return failed(format!(
            "{} exists: `rules new` never overwrites a file (remove it, or write the pack elsewhere)",
            there.display()
        ));
    }
    let written = [
        (&pack, crate::scaffold::pack(designation)),
        (&cases, crate::scaffold::cases(designation)),
    ]
    .into_iter()
    .try_for_each(|(path, text)| create_new(path, text.as_bytes()));
    match written {
        Ok(()) => said(format!(
            "wrote {} and {}\nnext: fill in [standard], replace the rule {}-1, then `formfit rules {} {} test`\n",
            pack.display(),
            cases.display(),
            crate::scaffold::id_prefix(designation),
            spelling.of(Setting::Rules),
            dir.display()
        )),
        Err(e) => failed(e),
    }
}

/// Writes a file that must not exist yet, with the folders it needs.
fn create_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(cannot)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(cannot)?;
    file.write_all(bytes).map_err(cannot)
}

/// A line per pack and profile of a folder: signed by which key, unsigned, altered, unknown
/// key, or signed for another file. Exit 1 when any is not signed by a trusted key.
pub fn verify(options: &Options, dir: &Path, style: human::Style) -> Outcome {
    let mut diagnostics = Vec::new();
    let (_, policy, _, _) = session::open(options, &mut diagnostics);
    // Only the policy's own problems (an unreadable key) stop a verification; the library's
    // refusals are what verify reports line by line.
    let broken = Report {
        diagnostics: diagnostics
            .into_iter()
            .filter(|d| d.level == Level::Shall && d.code.is_setup())
            .collect(),
        spelling: options.spelling,
        ..Report::default()
    };
    if !broken.diagnostics.is_empty() {
        return Outcome::problems(&broken, style, false);
    }
    let files = match crate::pack::pack_files(dir) {
        Ok(files) => files,
        Err(e) => return failed(format!("cannot read {}: {e}", dir.display())),
    };
    let profiles = crate::pack::pack_files(&dir.join("profiles")).unwrap_or_default();
    let mut all_trusted = true;
    let mut said = String::new();
    let lines = files
        .iter()
        .map(|f| policy.verify_file(f, false))
        .chain(profiles.iter().map(|f| policy.verify_file(f, true)));
    for (trusted, line) in lines {
        all_trusted &= trusted;
        said.push_str(&format!("{line}\n"));
    }
    Outcome {
        document: said.into_bytes(),
        notes: String::new(),
        exit_code: if all_trusted { 0 } else { 1 },
    }
}

/// A signing key pair: DIR/NAME.pub and DIR/NAME.key.
pub fn keygen(dir: &Path, name: &str) -> Outcome {
    match signing::keygen(dir, name) {
        Ok((public, secret)) => said(format!(
            "public key: {}\nsecret key: {} (unencrypted: keep it off shared disks)\n",
            public.display(),
            secret.display()
        )),
        Err(e) => failed(e),
    }
}

/// Signs each pack or profile; stops at the first that cannot be signed.
pub fn sign(secret_key: &Path, files: &[PathBuf]) -> Outcome {
    let mut outcome = Outcome::default();
    for path in files {
        match signing::sign_file(path, secret_key) {
            Ok(signature) => outcome.document.extend(
                format!("signed {} → {}\n", path.display(), signature.display()).into_bytes(),
            ),
            Err(e) => {
                outcome.notes = format!("formfit: {e}\n");
                outcome.exit_code = 3;
                break;
            }
        }
    }
    outcome
}

/// Encrypts a pack to age recipients: PACK.age, never a plaintext copy.
pub fn encrypt(recipients: &[String], path: &Path) -> Outcome {
    let mut target = path.as_os_str().to_owned();
    target.push(".age");
    let target = PathBuf::from(target);
    let written = read_pack(path)
        .and_then(|bytes| crate::trust::encryption::encrypt(&bytes, recipients))
        .and_then(|ciphertext| output::write_file(&target, &ciphertext).map_err(|e| e.to_string()));
    match written {
        Ok(()) => said(format!(
            "encrypted {} → {} for {} recipient(s)\n",
            path.display(),
            target.display(),
            recipients.len()
        )),
        Err(e) => failed(e),
    }
}

/// A pack file's bytes, once they compile as a pack.
fn read_pack(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = crate::input::read_file(path, crate::input::MAX_FILE_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    PackCompiler::new()
        .compile(&path.display().to_string(), &bytes, false)
        .map_err(|e| {
            format!(
                "{} is not a valid pack: {}",
                path.display(),
                e.problems.first().map_or("", |p| p.message.as_str())
            )
        })?;
    Ok(bytes)
}

fn said(text: String) -> Outcome {
    Outcome {
        document: text.into_bytes(),
        ..Outcome::default()
    }
}

/// How `formfit rules test` writes its run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TestFormat {
    #[default]
    Human,
    Json,
    Junit,
}

/// What `formfit rules test` is asked.
#[derive(Debug, Clone, Default)]
pub struct TestRequest {
    /// The tests folder; default: each `--rules` folder's `tests/`, else the built-in cases.
    pub dir: Option<PathBuf>,
    /// A pack without cases fails the run.
    pub require_tests: bool,
    /// Say which rules no case is about and which branches of each rule no case took.
    pub coverage: bool,
    pub format: TestFormat,
}

/// The library a `rules` command reads, and an empty report in the run's spelling for what it
/// finds; or, when the set-up has a `shall` problem (a broken pack, a refused folder), the
/// outcome that says so.
/// `json`: the outcome that says so is a JSON document ([`Outcome::problems`]).
fn opened(
    options: &Options,
    style: human::Style,
    json: bool,
) -> Result<(Policy, Library, Report), Outcome> {
    let mut diagnostics = Vec::new();
    let (_, policy, library, _) = session::open(options, &mut diagnostics);
    let report = Report {
        diagnostics: diagnostics
            .into_iter()
            .filter(|d| d.level == Level::Shall)
            .collect(),
        spelling: options.spelling,
        ..Report::default()
    };
    if !report.diagnostics.is_empty() {
        return Err(Outcome::problems(&report, style, json));
    }
    Ok((policy, library, report))
}

/// Runs the packs' test cases: those under `dir`, else each `--rules` folder's `tests/`, else
/// the built-in library's. A line per case, what differs for a failing one, a summary, the
/// packs no case tests; exit 1 when a case fails (or, with `require_tests`, a pack has none).
pub fn test(options: &Options, request: &TestRequest, style: human::Style) -> Outcome {
    let json = request.format == TestFormat::Json;
    let (_, library, mut report) = match opened(options, style, json) {
        Ok(opened) => opened,
        Err(outcome) => return outcome,
    };
    let folders: Vec<PathBuf> = match &request.dir {
        Some(dir) => vec![dir.clone()],
        None => options.rules.iter().map(|r| r.join("tests")).collect(),
    };
    let mut files: Vec<(String, String)> = Vec::new();
    if folders.is_empty() {
        files.extend(
            crate::pack::BUILTIN_CASES
                .iter()
                .map(|(f, t)| ((*f).to_owned(), (*t).to_owned())),
        );
    }
    for folder in &folders {
        match case_files(folder) {
            Ok(mut found) => files.append(&mut found),
            Err(e) => {
                report.diagnostics.push(usage(
                    UsageCode::TestsFolder,
                    format!("cannot read {}: {e}", folder.display()),
                    "check the path",
                ));
                return Outcome::problems(&report, style, json);
            }
        }
    }
    // The packs under test: those of the `--rules` folders, or the built-in ones.
    let packs = library
        .packs()
        .filter(|p| p.builtin == options.rules.is_empty())
        .cloned()
        .collect();
    let run = TestRun::new(&library, &files, packs, request.require_tests);
    let document = match request.format {
        TestFormat::Human => run.human(request.coverage),
        TestFormat::Json => run.json(request.coverage),
        TestFormat::Junit => crate::cases::junit::render(&run),
    };
    Outcome {
        document: document.into_bytes(),
        notes: String::new(),
        exit_code: i32::from(run.fails()),
    }
}

/// The case files of a tests folder: `<pack>/*.toml`, sorted, read safely.
fn case_files(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !crate::pack::is_symlink(p))
        .collect();
    folders.sort();
    for folder in folders {
        let cases = crate::pack::pack_files(&folder)?;
        for path in cases
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        {
            let text = crate::input::read_text(&path, crate::input::MAX_FILE_BYTES)
                .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
            files.push((path.display().to_string(), text));
        }
    }
    Ok(files)
}

fn failed(message: String) -> Outcome {
    Outcome {
        notes: format!("formfit: {message}\n"),
        exit_code: 3,
        ..Outcome::default()
    }
}
