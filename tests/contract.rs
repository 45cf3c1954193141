//! The JSON contract holds: every key of the output as it stood (tests/data/contract/) still
//! appears, with a value of the same kind. Fields may be added, never renamed or removed.

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Every key path of a document (`products[].findings[].waiver.approval`) with the kinds of
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

#[test]
fn every_key_of_the_v1_json_output_still_appears_with_the_same_kind_of_value() {
    let rules = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/data/contract/marked-pack.toml",
        rules.path().join("acme.toml"),
    )
    .unwrap();
    let output = formfit(&[
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
    ]);
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
