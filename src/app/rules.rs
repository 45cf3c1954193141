//! `formfit rules`: the library shown (list, show, explain) through the same trust gate as
//! `check`, and the publisher's tools (keygen, sign, encrypt, verify), which work on files.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::catalogue;
use crate::code::{RunCode, UsageCode};
use crate::hint::Hint;
use crate::pack::model::Level;
use crate::pack::{Pack, PackCompiler};
use crate::report::{human, Report, RunDiagnostic};
use crate::session::{self, Options};
use crate::{output, signing, trust};

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
        return Outcome::problems(&broken, style);
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
        .and_then(|bytes| crate::encryption::encrypt(&bytes, recipients))
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

/// Runs the packs' test cases: those under `dir`, else each `--rules` folder's `tests/`, else
/// the built-in library's. A line per case, what differs for a failing one, a summary, the
/// packs no case tests; exit 1 when a case fails (or, with `require_tests`, a pack has none).
pub fn test(
    options: &Options,
    dir: Option<&Path>,
    require_tests: bool,
    coverage: bool,
    style: human::Style,
) -> Outcome {
    let mut diagnostics = Vec::new();
    let (_, _, library, _) = session::open(options, &mut diagnostics);
    let setup = Report {
        diagnostics: diagnostics
            .into_iter()
            .filter(|d| d.level == Level::Shall)
            .collect(),
        spelling: options.spelling,
        ..Report::default()
    };
    if !setup.diagnostics.is_empty() {
        return Outcome::problems(&setup, style);
    }
    let folders: Vec<PathBuf> = match dir {
        Some(dir) => vec![dir.to_owned()],
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
            Err(e) => return failed(format!("cannot read {}: {e}", folder.display())),
        }
    }
    let mut out = String::new();
    let (mut passed, mut failing) = (0, 0);
    let mut tested: Vec<(String, String)> = Vec::new();
    for (file, text) in &files {
        let outcome = crate::cases::run_file(&library, file, text);
        if let Some(pack) = &outcome.pack {
            tested.extend(outcome.cases.iter().map(|c| (pack.clone(), c.rule.clone())));
        }
        for crate::cases::CaseOutcome { name, wrong, .. } in outcome.cases {
            if wrong.is_empty() {
                passed += 1;
                out.push_str(&format!("ok    {file}: {name}\n"));
            } else {
                failing += 1;
                out.push_str(&format!("FAIL  {file}: {name}\n"));
                for why in wrong {
                    out.push_str(&format!("        {why}\n"));
                }
            }
        }
    }
    // The packs under test: those of the `--rules` folders, or the built-in ones.
    let packs: Vec<_> = library
        .packs()
        .filter(|p| p.builtin == options.rules.is_empty())
        .collect();
    let untested: Vec<&str> = packs
        .iter()
        .filter(|p| !tested.iter().any(|(d, _)| *d == p.meta.designation))
        .map(|p| p.meta.designation.as_str())
        .collect();
    out.push_str(&format!(
        "\n{} cases: {passed} passed, {failing} failed\n",
        passed + failing
    ));
    if !untested.is_empty() {
        out.push_str(&format!("packs without tests: {}\n", untested.join(", ")));
    }
    if coverage {
        for pack in &packs {
            let uncovered: Vec<&str> = pack
                .rules
                .iter()
                .filter(|r| {
                    !tested
                        .iter()
                        .any(|(d, id)| *d == pack.meta.designation && *id == r.id)
                })
                .map(|r| r.id.as_str())
                .collect();
            if !uncovered.is_empty() {
                out.push_str(&format!(
                    "{}: no case is about {}\n",
                    pack.meta.designation,
                    uncovered.join(", ")
                ));
            }
        }
    }
    let fails = failing > 0 || (require_tests && !untested.is_empty());
    Outcome {
        document: out.into_bytes(),
        notes: String::new(),
        exit_code: i32::from(fails),
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
