//! The JSON contract holds: every key of the output as it stood (tests/data/contract/) still
//! appears, with a value of the same kind. Fields may be added, never renamed or removed.

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Every key path of a document (`.products[].findings[].waiver.approval`) with the kinds of
/// value seen there; array elements share one path.
fn shape(value: &Value, path: String, out: &mut BTreeMap<String, BTreeSet<&'static str>>) {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    out.entry(path.clone()).or_default().insert(kind);
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|item| shape(item, format!("{path}[]"), out)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| shape(v, format!("{path}.{k}"), out)),
        _ => {}
    }
}

/// The contract's command: every field of the output (tests/data/contract/README.md).
fn contract_run() -> std::process::Output {
    let rules = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/data/contract/marked-pack.toml",
        rules.path().join("acme.toml"),
    )
    .unwrap();
    formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        rules.path().to_str().unwrap(),
        "--deviations",
        "tests/data/matrix/deviations.toml",
        "--today",
        "2026-12-01",
        "tests/data/matrix/vehicle-radio.toml",
        "fixtures/stanag-4172/bad-223.toml",
        "fixtures/invalid/unit-case-mhz.toml",
        "fixtures/mil-std-1275/bad-bare-surge.toml",
    ])
}

#[test]
fn every_key_of_the_v1_json_output_still_appears_with_the_same_kind_of_value() {
    let output = contract_run();
    let old: Value =
        serde_json::from_str(include_str!("data/contract/check-json-v1.json")).unwrap();
    let (mut then, mut now) = (BTreeMap::new(), BTreeMap::new());
    shape(&old, String::new(), &mut then);
    shape(&json(&output), String::new(), &mut now);
    let mut broken = Vec::new();
    for (path, kinds) in &then {
        match now.get(path) {
            None => broken.push(format!("{path}: gone")),
            Some(found) => {
                // null is "absent here"; any other kind seen before must still be seen.
                let lost: Vec<_> = kinds
                    .iter()
                    .filter(|k| **k != "null" && !found.contains(*k))
                    .collect();
                if !lost.is_empty() {
                    broken.push(format!("{path}: was {kinds:?}, now {found:?}"));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "the JSON contract broke:\n{}",
        broken.join("\n")
    );
    assert_eq!(json(&output)["formfit"], 1);
}

/// The keys added since v1, each with the kinds of value it takes, so that a later change
/// cannot drop one either.
#[test]
fn the_keys_added_since_v1_appear() {
    let mut now = BTreeMap::new();
    shape(&json(&contract_run()), String::new(), &mut now);
    for (path, kinds) in [
        // formfit's own code; null for a finding of a pack rule.
        (".products[].findings[].code", &["null", "string"][..]),
        (".diagnostics[].code", &["string"][..]),
        (
            ".products[].findings[].rule_location.column",
            &["number"][..],
        ),
    ] {
        let found = now.get(path).unwrap_or_else(|| panic!("{path}: missing"));
        for kind in kinds {
            assert!(found.contains(kind), "{path}: {found:?} lacks {kind}");
        }
    }
}

/// A finding's or diagnostic's `code` names a situation of its `rule`/`id`: the rule is the
/// code's first two parts, so a consumer filtering on either sees the same findings.
#[test]
fn every_code_belongs_to_its_rule() {
    let report = json(&contract_run());
    let findings = report["products"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["findings"].as_array().unwrap())
        .map(|f| (&f["rule"], &f["code"]));
    let diagnostics = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (&d["id"], &d["code"]));
    let mut seen = 0;
    for (rule, code) in findings.chain(diagnostics) {
        let Some(code) = code.as_str() else { continue };
        let rule = rule.as_str().unwrap();
        assert!(
            code == rule || code.starts_with(&format!("{rule}/")),
            "{code} is not a code of {rule}"
        );
        seen += 1;
    }
    assert!(seen >= 2, "the contract run has codes to compare");
}
