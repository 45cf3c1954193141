//! The schemas `formfit schema` prints: the published files, each a valid JSON Schema, and the
//! report and matrix schemas hold for formfit's real output on every exit code.

mod common;
use common::*;

use serde_json::Value;

const NAMES: [&str; 8] = [
    "product",
    "pack",
    "profile",
    "config",
    "deviations",
    "evidence",
    "report",
    "matrix",
];

fn published(name: &str) -> String {
    let file = match name {
        "config" => "formfit".to_owned(),
        other => other.to_owned(),
    };
    std::fs::read_to_string(format!("schemas/{file}.schema.json")).unwrap()
}

fn schema(name: &str) -> Value {
    serde_json::from_str(&published(name)).unwrap()
}

/// The errors of `instance` against `schema`, one line each, empty when it is valid.
fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The schema with every object that lists its properties closed: real output that validates
/// against it has no field the schema does not document.
fn closed(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut map: serde_json::Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), closed(v))).collect();
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            Value::Object(map)
        }
        Value::Array(items) => Value::Array(items.iter().map(closed).collect()),
        other => other.clone(),
    }
}

/// Validates a document against a schema as published and closed; returns the document.
fn holds(name: &str, what: &str, document: &Value) {
    let schema = schema(name);
    let open = errors(&schema, document);
    assert!(open.is_empty(), "{what}: {open:#?}");
    let undocumented = errors(&closed(&schema), document);
    assert!(
        undocumented.is_empty(),
        "{what} has fields the {name} schema does not document: {undocumented:#?}"
    );
}

#[test]
fn every_schema_is_printed_from_the_binary_as_published() {
    for name in NAMES {
        let output = formfit(&["schema", name]);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        assert_eq!(stdout(&output), published(name), "{name}");
        let value: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert!(
            jsonschema::validator_for(&value).is_ok(),
            "{name} does not compile"
        );
        assert_eq!(
            value["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
    }
}

#[test]
fn an_unknown_schema_is_a_usage_error_that_names_the_schemas() {
    let output = formfit(&["schema", "prodcut"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains("product"), "{}", stderr(&output));
}

/// The schema's `$id` names the contract version the documents carry in `formfit`.
#[test]
fn the_output_schemas_carry_the_contract_version_in_their_id() {
    for name in ["report", "matrix"] {
        let schema = schema(name);
        let version = schema["properties"]["formfit"]["const"].as_u64().unwrap();
        let id = schema["$id"].as_str().unwrap();
        assert!(id.contains(&format!("/v{version}/")), "{name}: {id}");
    }
}

/// Every field of the output schemas is required, except those only some documents have.
#[test]
fn the_output_schemas_require_every_field_they_document() {
    fn walk(schema: &Value, at: &str, optional: &[&str], missing: &mut Vec<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    let required: Vec<&str> = map
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    for key in properties.keys() {
                        if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
                            missing.push(format!("{at}.{key}"));
                        }
                    }
                }
                for (key, value) in map {
                    walk(value, &format!("{at}/{key}"), optional, missing);
                }
            }
            Value::Array(items) => items
                .iter()
                .for_each(|item| walk(item, at, optional, missing)),
            _ => {}
        }
    }
    // A product from an NDJSON stream has its `line`; a matrix document is of one product or
    // of several (its top-level `oneOf` says which fields go together).
    for (name, optional) in [
        ("report", &["line"][..]),
        ("matrix", &["matrix", "matrices", "summary"][..]),
    ] {
        let mut missing = Vec::new();
        walk(&schema(name), "", optional, &mut missing);
        assert!(missing.is_empty(), "{name}: not required: {missing:?}");
    }
}

#[test]
fn the_report_schema_holds_for_check_output_on_every_exit_code() {
    let rules = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/data/contract/marked-pack.toml",
        rules.path().join("acme.toml"),
    )
    .unwrap();
    let rules = rules.path().to_str().unwrap();
    let runs: [(&[&str], i32); 8] = [
        (&["fixtures/stanag-4172/good-ball-cartridge.toml"], 0),
        (&["fixtures/stanag-4172/bad-223.toml"], 1),
        (
            &[
                "--deviations",
                "tests/data/matrix/deviations.toml",
                "--today",
                "2026-12-01",
                "--rules",
                rules,
                "tests/data/matrix/vehicle-radio.toml",
                "fixtures/stanag-4172/bad-223.toml",
                "fixtures/mil-std-1275/bad-bare-surge.toml",
            ],
            1,
        ),
        (
            &[
                "--profile",
                "land-vehicle-c4i",
                "tests/data/matrix/vehicle-radio.toml",
            ],
            1,
        ),
        (&["fixtures/invalid/unit-case-mhz.toml"], 2),
        (&["fixtures/invalid"], 2),
        (
            &[
                "--standard",
                "STANAG 4173",
                "fixtures/stanag-4172/bad-223.toml",
            ],
            3,
        ),
        (&["--ndjson", "tests/data/no-such-stream.ndjson"], 3),
    ];
    for (args, code) in runs {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let output = formfit(&all);
        assert_eq!(output.status.code(), Some(code), "{args:?}");
        holds("report", &format!("{args:?}"), &json(&output));
    }
}

#[test]
fn the_report_schema_holds_for_products_read_from_a_stream() {
    let dir = folder(&[(
        "products.ndjson",
        concat!(
            r#"{"product": {"id": "A", "name": "A", "manufacturer": "M", "category": "radio"}, "radio": [{"name": "UHF", "bands": ["225-400 MHz"]}]}"#,
            "\n",
            "{not json\n"
        ),
    )]);
    let output = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--ndjson",
            "products.ndjson",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["products"][1]["line"], 2);
    holds("report", "a stream", &report);
}

#[test]
fn the_report_schema_rejects_a_report_missing_a_documented_field() {
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "fixtures/stanag-4172/bad-223.toml",
    ]);
    let mut report = json(&output);
    holds("report", "bad-223", &report);
    report["products"][0]["findings"][0]
        .as_object_mut()
        .unwrap()
        .remove("disposition");
    assert!(!errors(&schema("report"), &report).is_empty());
    // A field added later is allowed: the contract grows.
    report["products"][0]["findings"][0]["disposition"] = "failing".into();
    report["products"][0]["findings"][0]["added_later"] = true.into();
    assert!(errors(&schema("report"), &report).is_empty());
}

#[test]
fn the_matrix_schema_holds_for_matrix_output() {
    let runs: [(&[&str], i32); 4] = [
        (
            &[
                "tests/data/matrix/vehicle-radio.toml",
                "--standard",
                "MIL-STD-1275",
                "--standard",
                "NATO UHF Air Band",
                "--deviations",
                "tests/data/matrix/deviations.toml",
                "--evidence",
                "tests/data/matrix/evidence.toml",
                "--today",
                "2026-11-25",
            ],
            1,
        ),
        (&["fixtures/stanag-4172/good-ball-cartridge.toml"], 0),
        (
            &[
                "--profile",
                "land-vehicle-c4i",
                "tests/data/matrix/vehicle-radio.toml",
            ],
            1,
        ),
        (
            &[
                "tests/data/matrix/vehicle-radio.toml",
                "fixtures/stanag-4172/bad-223.toml",
            ],
            1,
        ),
    ];
    for (args, code) in runs {
        let mut all = vec!["matrix", "--format", "json"];
        all.extend_from_slice(args);
        let output = formfit(&all);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{args:?}: {}",
            stderr(&output)
        );
        holds("matrix", &format!("{args:?}"), &json(&output));
    }
}

#[test]
fn the_matrix_schema_tells_one_product_from_several() {
    let output = formfit(&[
        "matrix",
        "--format",
        "json",
        "tests/data/matrix/vehicle-radio.toml",
        "fixtures/stanag-4172/bad-223.toml",
    ]);
    let mut several = json(&output);
    let first = several["matrices"][0].clone();
    // A document of several products must not also claim to be one.
    several["matrix"] = first;
    assert!(!errors(&schema("matrix"), &several).is_empty());
}
