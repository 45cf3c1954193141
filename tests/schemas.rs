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

/// A product file as an editor's schema validator sees it: its plain JSON.
fn product_json(path: &std::path::Path) -> Option<Value> {
    let format = formfit::input::Format::from_path(path)?;
    let bytes = std::fs::read(path).ok()?;
    let doc = formfit::input::parse(&bytes, format, &formfit::input::Limits::default()).ok()?;
    Some(doc.root.to_json())
}

const GOOD_HEAD: &str =
    "[product]\nid = \"P\"\nname = \"N\"\nmanufacturer = \"M\"\ncategory = \"radio\"\n";

/// Each editor's way of naming the schema leaves the product valid for formfit.
#[test]
fn a_product_may_name_its_schema_as_each_editor_does() {
    let dir = folder(&[
        (
            "p.json",
            r#"{"$schema": "https://formfit.dev/schemas/product.schema.json",
 "product": {"id": "P", "name": "N", "manufacturer": "M", "category": "radio"},
 "radio": [{"name": "UHF", "bands": ["225-400 MHz"]}]}
"#,
        ),
        (
            "p.toml",
            &format!("#:schema ./product.schema.json\n{GOOD_HEAD}[[radio]]\nname = \"UHF\"\nbands = [\"225-400 MHz\"]\n"),
        ),
        (
            "p.yaml",
            "# yaml-language-server: $schema=./product.schema.json\nproduct: {id: P, name: N, manufacturer: M, category: radio}\nradio:\n  - name: UHF\n    bands: [225-400 MHz]\n",
        ),
    ]);
    for file in ["p.json", "p.toml", "p.yaml"] {
        let output = formfit_in(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--standard",
                "NATO UHF Air Band",
                file,
            ],
        );
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stdout(&output));
        let value = product_json(&dir.path().join(file)).unwrap();
        holds_product(file, &value);
    }
    // Any other `$`-key is still an unknown key.
    let dir = folder(&[(
        "p.json",
        r#"{"$schemas": "x", "product": {"id": "P", "name": "N", "manufacturer": "M", "category": "radio"}}"#,
    )]);
    let output = formfit_in(dir.path(), &["check", "--no-config", "p.json"]);
    assert_eq!(output.status.code(), Some(2));
}

fn holds_product(what: &str, value: &Value) {
    let found = errors(&schema("product"), value);
    assert!(found.is_empty(), "{what}: {found:#?}");
}

/// The editor flags a unit slip and a wrong dimension where the value is; formfit itself says
/// what is wrong with the unit (input/unit, with the unit meant), not that a pattern failed.
#[test]
fn the_product_schema_flags_a_unit_slip_and_a_wrong_dimension() {
    for (field, value, path) in [
        ("bands", r#"["225 Mhz-400 MHz"]"#, "/radio/0/bands/0"),
        // A band table's end is checked against the frequency pattern where it is.
        (
            "bands",
            r#"[{min = "225 Mhz", max = "400 MHz"}]"#,
            "/radio/0/bands/0/min",
        ),
        ("channel_spacing", r#""25 V""#, "/radio/0/channel_spacing"),
        ("tx_power", r#""10 dBm""#, "/radio/0/tx_power"),
    ] {
        let bands = if field == "bands" {
            ""
        } else {
            "bands = [\"225-400 MHz\"]\n"
        };
        let text = format!("{GOOD_HEAD}[[radio]]\nname = \"UHF\"\n{bands}{field} = {value}\n");
        let dir = folder(&[("p.toml", &text)]);
        let value = product_json(&dir.path().join("p.toml")).unwrap();
        let found = errors(&schema("product"), &value);
        assert!(
            found.iter().any(|e| e.starts_with(&format!("{path}:"))),
            "{field}: {found:#?}"
        );
        let output = formfit_in(
            dir.path(),
            &["check", "--no-config", "--format", "json", "p.toml"],
        );
        let finding = &json(&output)["products"][0]["findings"][0];
        assert_eq!(finding["rule"], "input/unit", "{field}: {finding}");
    }
    let power = format!("{GOOD_HEAD}[power]\nnominal_voltage = \"28 V\"\ninput_voltage = \"20-33 Hz\"\nsurge_withstand = {{ voltage = \"100 V\", duration = \"50 mV\" }}\n");
    let dir = folder(&[("p.toml", &power)]);
    let found = errors(
        &schema("product"),
        &product_json(&dir.path().join("p.toml")).unwrap(),
    );
    // A range string and a withstand's duration: the error is where the wrong unit is.
    for path in ["/power/input_voltage", "/power/surge_withstand/duration"] {
        assert!(
            found.iter().any(|e| e.starts_with(&format!("{path}:"))),
            "{path}: {found:#?}"
        );
    }
}

/// An editor never flags a product formfit reads: every fixture formfit finds valid validates
/// against the published product schema, patterns and all.
#[test]
fn every_product_formfit_reads_is_valid_for_an_editor() {
    let output = formfit(&["check", "--no-config", "--format", "json", "fixtures"]);
    let report = json(&output);
    let mut seen = 0;
    for product in report["products"].as_array().unwrap() {
        if product["verdict"] == "invalid" {
            continue;
        }
        let file = product["file"].as_str().unwrap();
        holds_product(file, &product_json(std::path::Path::new(file)).unwrap());
        seen += 1;
    }
    assert!(seen >= 40, "only {seen} valid fixtures");
}

/// `ammunition` is one table or an array of named tables, without a `oneOf`: a typo in the
/// table is an unknown key, with the key meant, for an editor and for formfit alike.
#[test]
fn an_ammunition_typo_reads_as_an_unknown_key() {
    let dir = folder(&[
        (
            "one.toml",
            &format!("{GOOD_HEAD}[ammunition]\ncalibre = \"5.56x45mm NATO\"\n"),
        ),
        (
            "many.toml",
            &format!("{GOOD_HEAD}[[ammunition]]\nname = \"a\"\ncalibre = \"5.56x45mm NATO\"\n"),
        ),
        (
            "unnamed.toml",
            &format!("{GOOD_HEAD}[[ammunition]]\ncaliber = \"5.56x45mm NATO\"\n"),
        ),
        (
            "string.toml",
            &format!("ammunition = \"5.56x45mm NATO\"\n{GOOD_HEAD}"),
        ),
    ]);
    for (file, message) in [
        ("one.toml", "unknown key `calibre` in `ammunition`"),
        ("many.toml", "unknown key `calibre` in `ammunition[0]`"),
        (
            "unnamed.toml",
            "missing required key `name` in `ammunition[0]`",
        ),
        (
            "string.toml",
            "`ammunition` must be a table or an array, found a string",
        ),
    ] {
        let value = product_json(&dir.path().join(file)).unwrap();
        let found = errors(&schema("product"), &value);
        assert!(
            !found.is_empty() && found.iter().all(|e| !e.contains("oneOf")),
            "{file}: {found:#?}"
        );
        let output = formfit_in(
            dir.path(),
            &["check", "--no-config", "--format", "json", file],
        );
        let finding = &json(&output)["products"][0]["findings"][0];
        assert_eq!(finding["message"], message, "{file}");
        if file != "string.toml" && file != "unnamed.toml" {
            assert!(
                finding["help"].as_str().unwrap().contains("`caliber`"),
                "{finding}"
            );
        }
    }
}

/// Every TOML, JSON and YAML file under `dir`, recursively.
fn data_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            data_files(&path, out);
        } else if formfit::input::Format::from_path(&path).is_some() {
            out.push(path);
        }
    }
}

/// The reader trusts the product schema compiled into formfit for its yes/no (or, in a
/// catalogue, the schema compiled for its own tree) and asks the run-time schema only for a
/// product that fails it, to place the errors: the three must agree.
#[test]
fn the_built_in_the_in_place_and_the_run_time_product_checks_agree_on_every_fixture() {
    use formfit::input::{parse, Format, Limits};
    use formfit::product::{ProductReader, ShippedSchema};
    let reader = ProductReader::new(Limits::default());
    let mut files = Vec::new();
    data_files("fixtures".as_ref(), &mut files);
    data_files("tests/data".as_ref(), &mut files);
    let (mut passed, mut refused_by_both) = (0, 0);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Ok(doc) = parse(&bytes, Format::from_path(path).unwrap(), &Limits::default()) else {
            continue;
        };
        let instance = doc.root.to_json();
        let placed = reader.placed_problems(&doc.root, &instance);
        let valid = ShippedSchema::is_valid(&instance);
        assert_eq!(valid, placed.is_empty(), "{}: {placed:?}", path.display());
        // A catalogue's products are validated on the tree itself, not on its JSON copy.
        let in_place = reader.is_valid_in_place(&doc.root);
        assert_eq!(valid, in_place, "{}: in place", path.display());
        if valid {
            passed += 1;
        } else {
            refused_by_both += 1;
        }
    }
    // The fixtures hold both kinds, so neither branch above went untried.
    assert!(
        passed >= 50,
        "only {passed} files passed the built-in check"
    );
    assert!(
        refused_by_both >= 20,
        "only {refused_by_both} files refused by both"
    );
}

/// A band, a voltage range, a withstand and the fuel grades are each a string or a table (or a
/// list) in one schema, not a `oneOf`: one bad value of each form reads, for an editor's
/// validator and for formfit, as what is wrong with it, never "not valid under any of the given
/// schemas".
#[test]
fn a_bad_value_of_each_string_or_table_form_reads_as_what_is_wrong() {
    let radio = |band: &str| format!("{GOOD_HEAD}[[radio]]\nname = \"UHF\"\nbands = [{band}]\n");
    let power = |line: &str| format!("{GOOD_HEAD}[power]\n{line}\n");
    let cases = [
        (
            "band.toml",
            radio(r#"{ min = "225 MHz", max = "400 MHz", uze = "tx" }"#),
            "/radio/0/bands/0",
            "'uze' was unexpected",
            "unknown key `uze` in `radio[0].bands[0]`",
        ),
        (
            "range.toml",
            power(r#"input_voltage = { min = "20 V", max = "33 V", mx = "40 V" }"#),
            "/power/input_voltage",
            "'mx' was unexpected",
            "unknown key `mx` in `power.input_voltage`",
        ),
        (
            "withstand.toml",
            power(r#"surge_withstand = { voltage = "100 V", duraton = "50 ms" }"#),
            "/power/surge_withstand",
            "'duraton' was unexpected",
            "unknown key `duraton` in `power.surge_withstand`",
        ),
        (
            "grades.toml",
            format!("{GOOD_HEAD}[fuel]\ngrades = 34\n"),
            "/fuel/grades",
            "is not of types",
            "`fuel.grades` must be a string or an array, found a number",
        ),
    ];
    let dir = folder(
        &cases
            .iter()
            .map(|(file, text, ..)| (*file, text.as_str()))
            .collect::<Vec<_>>(),
    );
    for (file, _, path, editor, message) in &cases {
        let value = product_json(&dir.path().join(file)).unwrap();
        let found = errors(&schema("product"), &value);
        assert!(
            found.len() == 1
                && found[0].starts_with(&format!("{path}:"))
                && found[0].contains(editor)
                && !found[0].contains("any of"),
            "{file}: {found:#?}"
        );
        let output = formfit_in(
            dir.path(),
            &["check", "--no-config", "--format", "json", file],
        );
        let findings = &json(&output)["products"][0]["findings"];
        assert_eq!(
            findings.as_array().map(Vec::len),
            Some(1),
            "{file}: {findings}"
        );
        assert_eq!(findings[0]["message"], *message, "{file}");
    }
}
