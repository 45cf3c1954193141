//! `formfit rules diff OLD NEW [PRODUCTS...]`: two editions of a pack compared rule by rule,
//! and the products whose verdict moves between them (issue 14, "the edition diff").

mod common;

use std::path::Path;

use common::{folder, formfit, json, stderr, stdout};

/// MIL-STD-704 as it was before the standards issue: 24–29 V and 260–280 V at the receptacle,
/// as `should` rules (the pack of the commit before 6372a7f, byte for byte).
const OLD_704: &str = "tests/data/diff/mil-std-704-receptacle-limits.toml";
const NEW_704: &str = "rules/mil-std-704.toml";
const PRODUCTS: &str = "tests/data/diff/products/";

fn diff_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["rules", "diff"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let output = formfit(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    json(&output)
}

fn changed<'a>(diff: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    diff["rules"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not changed in {diff}"))
}

#[test]
fn the_704_range_rule_is_tightened_below_with_its_old_and_new_low_end() {
    let diff = diff_json(&[OLD_704, NEW_704]);
    let dc28 = changed(&diff, "MIL704-DC28-1");
    // 24–29 V at the receptacle → 22–29 V at the terminals: a product must now reach lower,
    // and the rule went from should to shall.
    assert_eq!(dc28["change"], "tightened");
    let terms: Vec<(&str, &str, &str, &str)> = dc28["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"] != "text")
        .map(|c| {
            (
                c["term"].as_str().unwrap(),
                c["change"].as_str().unwrap(),
                c["old"].as_str().unwrap(),
                c["new"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        terms,
        [
            ("level", "tightened", "should", "shall"),
            ("covers, low end", "tightened", "24 V", "22 V"),
        ]
    );
    assert_eq!(changed(&diff, "MIL704-DC270-1")["change"], "tightened");
    // "28 V DC" is another spelling of the 28 V it accepted: a text change, not a loosening.
    assert_eq!(changed(&diff, "MIL704-NOM-1")["change"], "text");
    assert_eq!(diff["rules"]["unchanged"], 1);
    assert_eq!(diff["rules"]["added"], serde_json::json!([]));
    assert_eq!(diff["products"], serde_json::Value::Null);
    let fields: Vec<&str> = diff["metadata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["source", "note"]);
}

#[test]
fn exactly_the_products_whose_verdict_moves_are_named_with_the_rule_that_moved_them() {
    let diff = diff_json(&[OLD_704, NEW_704, PRODUCTS]);
    let products = &diff["products"];
    assert_eq!(products["checked"], 5);
    let moved: Vec<(&str, &str, &str, Vec<&str>)> = products["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["verdict_changed"] == true)
        .map(|p| {
            (
                p["product"].as_str().unwrap(),
                p["old_verdict"].as_str().unwrap(),
                p["new_verdict"].as_str().unwrap(),
                p["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["rule"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    // The 23–29 V box, the 24–28 V lamp (a should warning became a shall failure) and the
    // 255 V actuator; the 18–32 V display and the 12 V lamp keep their verdicts.
    assert_eq!(
        moved,
        [
            (
                "ARV-EMA-255B",
                "conformant",
                "non-conformant",
                vec!["MIL704-DC270-1"]
            ),
            (
                "KC-MFD-2329",
                "conformant",
                "non-conformant",
                vec!["MIL704-DC28-1"]
            ),
            (
                "NL-CL-2428",
                "conformant",
                "non-conformant",
                vec!["MIL704-DC28-1"]
            ),
        ]
    );
    assert_eq!(products["verdict_changed"], 3);
    let box_2329 = &products["changes"][1]["rules"][0];
    assert_eq!(box_2329["old"]["outcome"], "passed");
    assert_eq!(box_2329["new"]["outcome"], "failed");
    assert_eq!(
        box_2329["new"]["findings"][0]["label"],
        "23 V–29 V does not reach down to the low end of 22-29 V"
    );
}

#[test]
fn the_json_output_validates_against_its_published_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/diff.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for args in [
        vec![OLD_704, NEW_704, PRODUCTS],
        vec![OLD_704, NEW_704],
        vec![NEW_704, OLD_704, PRODUCTS],
    ] {
        let diff = diff_json(&args);
        let errors: Vec<String> = validator
            .iter_errors(&diff)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
    // The schema is not a rubber stamp: a wrong verdict word fails it.
    let mut diff = diff_json(&[OLD_704, NEW_704, PRODUCTS]);
    diff["products"]["changes"][0]["new_verdict"] = "broken".into();
    assert!(!validator.is_valid(&diff));
}

#[test]
fn the_reverse_diff_loosens_and_a_built_in_designation_names_the_built_in_pack() {
    let reverse = diff_json(&["MIL-STD-704", OLD_704, PRODUCTS]);
    assert_eq!(reverse["old"]["file"], NEW_704);
    let dc28 = changed(&reverse, "MIL704-DC28-1");
    assert_eq!(dc28["change"], "loosened");
    let moved: Vec<&str> = reverse["products"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["verdict_changed"] == true)
        .map(|p| p["new_verdict"].as_str().unwrap())
        .collect();
    assert_eq!(moved, ["conformant", "conformant", "conformant"]);
}

#[test]
fn human_and_markdown_name_the_rule_the_values_and_the_products() {
    let output = formfit(&["rules", "diff", OLD_704, NEW_704, PRODUCTS]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let human = stdout(&output);
    assert!(human.contains("~ MIL704-DC28-1 tightened"), "{human}");
    assert!(
        human.contains("covers, low end: 24 V → 22 V (tightened)"),
        "{human}"
    );
    assert!(
        human.contains("kestrel-mfd-23-29.toml KC-MFD-2329: conformant → non-conformant"),
        "{human}"
    );
    assert!(!human.contains("KC-CDU-18"), "{human}");
    let output = formfit(&[
        "rules", "diff", OLD_704, NEW_704, PRODUCTS, "--format", "markdown",
    ]);
    let markdown = stdout(&output);
    assert!(
        markdown
            .contains("| MIL704-DC28-1 (tightened) | covers, low end | tightened | 24 V | 22 V |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| KC-MFD-2329 | tests/data/diff/products/kestrel-mfd-23-29.toml | conformant | non-conformant |"),
        "{markdown}"
    );
}

#[test]
fn fail_on_change_exits_1_only_when_a_verdict_moves() {
    let moved = formfit(&[
        "rules",
        "diff",
        OLD_704,
        NEW_704,
        PRODUCTS,
        "--fail-on-change",
    ]);
    assert_eq!(moved.status.code(), Some(1), "{}", stderr(&moved));
    let steady = formfit(&[
        "rules",
        "diff",
        OLD_704,
        NEW_704,
        "tests/data/diff/products/kestrel-cdu-wide.toml",
        "--fail-on-change",
    ]);
    assert_eq!(steady.status.code(), Some(0), "{}", stderr(&steady));
}

#[test]
fn an_unreadable_or_broken_pack_or_an_unknown_standard_is_exit_3() {
    let dir = folder(&[(
        "broken.toml",
        "formfit_pack = 1\n[standard]\ndesignation = 3\n",
    )]);
    let broken = dir.path().join("broken.toml");
    let missing = dir.path().join("missing.toml");
    for old in [
        broken.to_str().unwrap(),
        missing.to_str().unwrap(),
        "MIL-STD-7040",
    ] {
        let output = formfit(&["rules", "diff", old, NEW_704, PRODUCTS]);
        assert_eq!(output.status.code(), Some(3), "{old}: {}", stderr(&output));
        assert!(stdout(&output).is_empty(), "{old}");
        assert!(!stderr(&output).is_empty(), "{old}");
    }
}

#[test]
fn products_from_an_ndjson_stream_are_named_by_line_and_a_broken_line_is_said() {
    let lines = [
        r#"{"product": {"id": "S-1", "name": "Box", "manufacturer": "M", "category": "aircraft-equipment"}, "power": {"source": "aircraft", "nominal_voltage": "28 V", "input_voltage": "23-29 V"}}"#,
        r#"{"product": {"id": "S-2", "name": "Box", "manufacturer": "M", "category": "aircraft-equipment"}, "power": {"source": "aircraft", "nominal_voltage": "28 V", "input_voltage": "18-32 V"}}"#,
        "{not json",
        "",
    ];
    let dir = folder(&[("catalogue.ndjson", &lines.join("\n"))]);
    let stream = dir.path().join("catalogue.ndjson");
    let output = formfit(&[
        "rules",
        "diff",
        OLD_704,
        NEW_704,
        "--ndjson",
        stream.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let diff = json(&output);
    assert_eq!(diff["products"]["checked"], 3);
    let changes = diff["products"]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["product"], "S-1");
    assert_eq!(changes[0]["line"], 1);
    assert!(
        stderr(&output).contains(":3: invalid under both editions"),
        "{}",
        stderr(&output)
    );
}
