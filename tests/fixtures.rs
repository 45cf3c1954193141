//! Every fixture product against its hand-written expectations in `fixtures/expectations.toml`:
//! the multiset of finding ids and the exit code. Adding a case needs no Rust.

use std::path::Path;
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
struct Expectations {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    file: String,
    #[serde(default)]
    standards: Vec<String>,
    expect: Vec<String>,
    exit: i32,
}

#[test]
fn every_fixture_yields_exactly_its_expected_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("fixtures/expectations.toml")).unwrap();
    let expectations: Expectations = toml::from_str(&text).unwrap();
    assert!(expectations.case.len() >= 30, "the manifest lost its cases");
    let mut failures = Vec::new();
    for case in &expectations.case {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_formfit"));
        cmd.current_dir(root)
            .args(["check", "--format", "json"])
            .arg(Path::new("fixtures").join(&case.file));
        for s in &case.standards {
            cmd.args(["--standard", s]);
        }
        let output = cmd.output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{}: stdout is not JSON ({e})", case.file));
        let mut got: Vec<String> = json["products"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["findings"].as_array().unwrap())
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        got.sort();
        let mut want = case.expect.clone();
        want.sort();
        let code = output.status.code().unwrap();
        if got != want || code != case.exit {
            failures.push(format!(
                "{}: expected {want:?} exit {}, got {got:?} exit {code}",
                case.file, case.exit
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_file_has_an_expectation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let text = std::fs::read_to_string(root.join("expectations.toml")).unwrap();
    let expectations: Expectations = toml::from_str(&text).unwrap();
    let mut missing = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let relative = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !expectations.case.iter().any(|c| c.file == relative) {
                missing.push(relative);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fixtures without an expectation: {missing:?}"
    );
}
