//! Every fixture product against its hand-written expectations (`fixtures/*/expectations.toml`):
//! the multiset of finding ids, optionally their paths and the verdict, and the exit code; and
//! beside them a snapshot of its whole findings (`tests/snapshots/fixtures/`). Adding a case
//! needs no Rust.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
struct Manifest {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    #[serde(default)]
    standards: Vec<String>,
    profile: Option<String>,
    expect: Vec<String>,
    paths: Option<Vec<String>>,
    /// The labels of those findings (a multiset), when the wording is what a fix is about.
    labels: Option<Vec<String>>,
    /// Texts some finding's help must contain (a figure, a name the help must now give).
    help_contains: Option<Vec<String>>,
    /// Texts no finding's message, label or help may contain (a figure that was wrong).
    never_says: Option<Vec<String>>,
    verdict: Option<String>,
    exit: i32,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every manifest's folder with its cases.
fn manifests() -> Vec<(PathBuf, Vec<Case>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("fixtures")).unwrap() {
        let dir = entry.unwrap().path();
        let manifest = dir.join("expectations.toml");
        if manifest.is_file() {
            let text = std::fs::read_to_string(&manifest).unwrap();
            let parsed: Manifest =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
            out.push((dir, parsed.case));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn sorted(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items
}

#[test]
fn every_fixture_yields_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    let mut checked = BTreeSet::new();
    let mut count = 0;
    for (dir, cases) in manifests() {
        for case in &cases {
            count += 1;
            let file = dir.join(&case.file);
            let shown = file.strip_prefix(root()).unwrap().display().to_string();
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_formfit"));
            cmd.current_dir(root())
                .args(["check", "--format", "json"])
                .arg(&shown);
            for s in &case.standards {
                cmd.args(["--standard", s]);
            }
            if let Some(profile) = &case.profile {
                cmd.args(["--profile", profile]);
            }
            let output = cmd.output().unwrap();
            let json: serde_json::Value = match serde_json::from_slice(&output.stdout) {
                Ok(json) => json,
                Err(e) => {
                    failures.push(format!("{shown}: stdout is not JSON ({e})"));
                    continue;
                }
            };
            let findings: Vec<&serde_json::Value> = json["products"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| p["findings"].as_array().unwrap())
                .collect();
            let field = |name: &str| {
                sorted(
                    findings
                        .iter()
                        .map(|f| f[name].as_str().unwrap_or_default().to_owned())
                        .collect(),
                )
            };
            let code = output.status.code().unwrap();
            let mut problems = Vec::new();
            if field("rule") != sorted(case.expect.clone()) {
                problems.push(format!(
                    "findings {:?}, expected {:?}",
                    field("rule"),
                    sorted(case.expect.clone())
                ));
            }
            if let Some(paths) = &case.paths {
                if field("path") != sorted(paths.clone()) {
                    problems.push(format!(
                        "paths {:?}, expected {:?}",
                        field("path"),
                        sorted(paths.clone())
                    ));
                }
            }
            if let Some(labels) = &case.labels {
                if field("label") != sorted(labels.clone()) {
                    problems.push(format!(
                        "labels {:?}, expected {:?}",
                        field("label"),
                        sorted(labels.clone())
                    ));
                }
            }
            let helps = field("help");
            for wanted in case.help_contains.iter().flatten() {
                if !helps.iter().any(|h| h.contains(wanted.as_str())) {
                    problems.push(format!("no help contains {wanted:?}: {helps:?}"));
                }
            }
            let said: Vec<String> = [field("message"), field("label"), helps.clone()].concat();
            for banned in case.never_says.iter().flatten() {
                if let Some(text) = said.iter().find(|t| t.contains(banned.as_str())) {
                    problems.push(format!("says {banned:?}: {text:?}"));
                }
            }
            if let Some(verdict) = &case.verdict {
                let got = json["products"][0]["verdict"].as_str().unwrap_or_default();
                if got != verdict {
                    problems.push(format!("verdict {got}, expected {verdict}"));
                }
            }
            if code != case.exit {
                problems.push(format!("exit {code}, expected {}", case.exit));
            }
            if !problems.is_empty() {
                failures.push(format!("{shown}: {}", problems.join("; ")));
            }
            let text = std::fs::read(&file).unwrap();
            // A file checked in two cases (against two standards) has a snapshot per case.
            let name = match checked.insert(file.clone()) {
                true => shown.replace('/', "__"),
                false => format!("{}__{count}", shown.replace('/', "__")),
            };
            snapshots.push((name, whole_findings(&json, &text, code)));
        }
    }
    assert_eq!(
        checked.len(),
        product_files().len(),
        "a fixture has no case, or a case names no file"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Beside the hand-written expectations, every finding whole: a wrong label, help, level or
    // span fails here even when the rule ids are right.
    insta::with_settings!({snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false}, {
        for (name, findings) in snapshots {
            insta::assert_snapshot!(name, findings);
        }
    });
}

/// A product's findings as a reader checks them: each with its level, status, disposition,
/// place and the product text it points at, its label and its help; then the verdict.
fn whole_findings(json: &serde_json::Value, text: &[u8], exit: i32) -> String {
    let mut out = String::new();
    for product in json["products"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "verdict: {}, exit {exit}\n",
            product["verdict"].as_str().unwrap_or_default()
        ));
        for f in product["findings"].as_array().into_iter().flatten() {
            let location = &f["location"];
            let start = location["offset"].as_u64().unwrap_or(0) as usize;
            let end = start + location["length"].as_u64().unwrap_or(0) as usize;
            let at = text
                .get(start..end)
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            let field = |name: &str| f[name].as_str().unwrap_or_default().to_owned();
            out.push_str(&format!(
                "\n{} [{} {} {}] {} at {}:{} `{at}`\n  message: {}\n  label: {}\n",
                field("rule"),
                field("level"),
                field("status"),
                field("disposition"),
                field("path"),
                location["line"],
                location["column"],
                field("message"),
                field("label"),
            ));
            if let Some(help) = f["help"].as_str() {
                out.push_str(&format!("  help: {help}\n"));
            }
        }
    }
    out
}

/// Every product file under `fixtures/<pack>/` (each needs a case in its folder's manifest).
fn product_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (dir, _) in manifests() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let product = path
                .extension()
                .is_some_and(|e| ["toml", "json", "yaml", "yml"].iter().any(|x| e == *x));
            if product && !path.ends_with("expectations.toml") {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn every_fixture_file_has_an_expectation() {
    let mut missing = Vec::new();
    for (dir, cases) in manifests() {
        for file in std::fs::read_dir(&dir).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            if name != "expectations.toml" && !cases.iter().any(|c| c.file == name) {
                missing.push(dir.join(name).display().to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fixtures without an expectation: {missing:?}"
    );
}

/// Every rule of every shipped pack is expected by at least one bad fixture.
#[test]
fn every_shipped_rule_is_exercised_by_a_bad_fixture() {
    let expected: BTreeSet<String> = manifests()
        .into_iter()
        .flat_map(|(_, cases)| cases)
        .flat_map(|c| c.expect)
        .collect();
    let (library, errors) = formfit::pack::Library::builtin(&formfit::pack::PackCompiler::new());
    assert!(errors.is_empty());
    let unexercised: Vec<String> = library
        .packs()
        .flat_map(|p| p.rules.iter().map(|r| r.id.clone()))
        .filter(|id| !expected.contains(id))
        .collect();
    assert!(
        unexercised.is_empty(),
        "rules no fixture exercises: {unexercised:?}"
    );
}
