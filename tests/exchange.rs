//! `formfit matrix --format reqif | oscal`: identifiers that survive a re-import, valid
//! `xsd:ID`s, the documented OSCAL status mapping, the refusal of marked runs, and the same
//! bytes from the same run. The formats' own validators run in `scripts/test-exchange.sh`.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::process::{Command, Output};

use serde_json::Value;

const PRODUCT: &str = "tests/data/matrix/vehicle-radio.toml";

/// The six-status example (README, tests/matrix.rs) of `product`, dated by `date` (`--today`)
/// or, when it is a number, by `SOURCE_DATE_EPOCH`.
fn example(product: &str, date: &str, format: &str, extra: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_formfit"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .args([
            "matrix",
            "--no-config",
            product,
            "--standard",
            "MIL-STD-1275",
            "--standard",
            "NATO UHF Air Band",
            "--standard",
            "STANAG 4172",
            "--deviations",
            "tests/data/matrix/deviations.toml",
            "--evidence",
            "tests/data/matrix/evidence.toml",
            "--format",
            format,
        ])
        .args(extra);
    if date.contains('-') {
        command.args(["--today", date]);
    } else {
        command.env("SOURCE_DATE_EPOCH", date);
    }
    let output = command.output().unwrap();
    // The non-compliant row fails the gate: exit 1, with the document written.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    output
}

fn reqif(date: &str) -> String {
    stdout(&example(PRODUCT, date, "reqif", &[]))
}

fn oscal(date: &str) -> Value {
    serde_json::from_slice(&example(PRODUCT, date, "oscal", &[]).stdout).unwrap()
}

/// Every `IDENTIFIER="…"` of a ReqIF document, in order.
fn identifiers(xml: &str) -> Vec<String> {
    let re = regex::Regex::new(r#" IDENTIFIER="([^"]*)""#).unwrap();
    re.captures_iter(xml).map(|c| c[1].to_owned()).collect()
}

/// What an NCName (`xsd:ID`) may be, restricted to the ASCII formfit writes.
fn is_ncname(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

fn rows_by_rule(matrix: &Value) -> Vec<(String, String)> {
    matrix["matrix"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn reqif_identifiers_are_stable_across_runs_and_dates() {
    let first = reqif("2026-11-25");
    assert_eq!(first, reqif("2026-11-25"), "the same run, the same bytes");
    let later = reqif("2027-02-01");
    assert_ne!(first, later, "the date is in the document");
    // A later matrix re-imported updates the same objects: no identifier depends on the date.
    assert_eq!(identifiers(&first), identifiers(&later));
    let from_epoch = reqif("1795564800");
    assert_eq!(
        first, from_epoch,
        "SOURCE_DATE_EPOCH 1795564800 is 2026-11-25"
    );
}

#[test]
fn reqif_identifiers_are_unique_ncnames_and_every_reference_resolves() {
    // A product id no NCName can hold as it is.
    let text = std::fs::read_to_string(PRODUCT).unwrap();
    let hostile = folder(&[(
        "radio.toml",
        &text.replace(
            "id = \"KC-VRU-420\"",
            "id = \"1 KC/VRU 420 ✓ \\\"x\\\" <y>\"",
        ),
    )]);
    let product = hostile.path().join("radio.toml");
    let xml = stdout(&example(
        product.to_str().unwrap(),
        "2026-11-25",
        "reqif",
        &[],
    ));
    let ids = identifiers(&xml);
    assert!(ids.len() > 20, "{ids:?}");
    for id in &ids {
        assert!(is_ncname(id), "not an xsd:ID: {id}");
    }
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate identifiers");
    let refs = regex::Regex::new(r"<([A-Z-]+-REF)>([^<]*)</").unwrap();
    let mut count = 0;
    for c in refs.captures_iter(&xml) {
        count += 1;
        assert!(
            unique.contains(&c[2].to_owned()),
            "{} {} resolves to nothing",
            &c[1],
            &c[2]
        );
    }
    assert!(count > 50, "{count} references");
    // The product id itself is kept, escaped, where a reader sees it.
    assert!(
        xml.contains("1 KC/VRU 420 ✓ &quot;x&quot; &lt;y&gt;"),
        "{xml}"
    );
}

#[test]
fn reqif_has_one_object_per_row_with_its_status_and_the_marking_on_every_object() {
    let json: Value =
        serde_json::from_slice(&example(PRODUCT, "2026-11-25", "json", &[]).stdout).unwrap();
    let xml = reqif("2026-11-25");
    let rows = rows_by_rule(&json);
    let objects = xml.matches("<SPEC-OBJECT ").count();
    let standards = json["matrix"]["standards"].as_array().unwrap().len();
    assert_eq!(
        objects,
        rows.len() + standards,
        "a row object per row, a heading per standard"
    );
    for (rule, status) in &rows {
        let id = formfit::render::matrix::reqif::row_identifier("KC-VRU-420", rule);
        let start = xml.find(&format!("IDENTIFIER=\"{id}\"")).unwrap();
        let object = &xml[start..start + xml[start..].find("</SPEC-OBJECT>").unwrap()];
        assert!(
            object.contains(&format!(
                "<ENUM-VALUE-REF>formfit-status-{status}</ENUM-VALUE-REF>"
            )),
            "{rule}: {object}"
        );
    }
    let marking = "PUBLIC — product marking: KESTREL COMMERCIAL IN CONFIDENCE";
    assert_eq!(
        xml.matches(&format!("THE-VALUE=\"{marking}\"")).count(),
        objects + 1,
        "every object and the specification carry the marking"
    );
    assert!(xml.contains(&format!("<TITLE>{marking}: ")));
}

#[test]
fn oscal_findings_follow_the_documented_status_mapping() {
    let json: Value =
        serde_json::from_slice(&example(PRODUCT, "2026-11-25", "json", &[]).stdout).unwrap();
    let document = oscal("2026-11-25");
    let result = &document["assessment-results"]["results"][0];
    let findings = result["findings"].as_array().unwrap();
    let rows = rows_by_rule(&json);
    assert_eq!(findings.len(), rows.len());
    assert_eq!(result["observations"].as_array().unwrap().len(), rows.len());
    let statuses: BTreeSet<&str> = rows.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        statuses.len(),
        6,
        "the example has every status: {statuses:?}"
    );
    for ((rule, status), finding) in rows.iter().zip(findings) {
        let expected = match status.as_str() {
            "compliant" => ("satisfied", "pass"),
            "non-compliant" => ("not-satisfied", "fail"),
            "evidence-required" => ("not-satisfied", "other"),
            "evidence-provided" => ("satisfied", "other"),
            "waived" => ("not-satisfied", "fail"),
            "not-applicable" => ("satisfied", "other"),
            other => panic!("unknown status {other}"),
        };
        let got = &finding["target"]["status"];
        assert_eq!(
            (
                got["state"].as_str().unwrap(),
                got["reason"].as_str().unwrap()
            ),
            expected,
            "{rule}"
        );
        assert_eq!(finding["target"]["target-id"], rule.as_str());
        assert_eq!(
            finding.get("related-risks").is_some(),
            status == "waived",
            "{rule}"
        );
    }
    let risks = result["risks"].as_array().unwrap();
    assert_eq!(risks.len(), 1);
    assert_eq!(risks[0]["status"], "deviation-approved");
    assert_eq!(risks[0]["deadline"], "2027-06-30T00:00:00Z");
    let evidence: Vec<&Value> = result["observations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o.get("relevant-evidence"))
        .collect();
    assert_eq!(
        evidence.len(),
        1,
        "only the evidence-provided row cites evidence"
    );
    assert!(evidence[0][0]["description"]
        .as_str()
        .unwrap()
        .starts_with("TR-2026-041"));
}

#[test]
fn oscal_is_byte_identical_for_the_same_run_and_dated_by_the_run() {
    let bytes = |date: &str| example(PRODUCT, date, "oscal", &[]).stdout;
    let first = bytes("2026-11-25");
    assert!(first == bytes("2026-11-25"), "--today");
    assert!(first == bytes("1795564800"), "SOURCE_DATE_EPOCH");
    let document: Value = serde_json::from_slice(&first).unwrap();
    let ar = &document["assessment-results"];
    assert_eq!(ar["metadata"]["last-modified"], "2026-11-25T00:00:00Z");
    assert_eq!(ar["metadata"]["oscal-version"], "1.1.3");
    // UUIDs are version 5, unique, and the same on another day.
    let later = oscal("2027-02-01");
    let uuids = |v: &Value| {
        let mut out = Vec::new();
        collect_uuids(v, &mut out);
        out
    };
    let ids = uuids(&document);
    assert!(ids.len() > 30);
    assert_eq!(ids, uuids(&later));
    let own: BTreeSet<&String> = ids
        .iter()
        .filter(|(key, _)| key == "uuid")
        .map(|(_, id)| id)
        .collect();
    assert_eq!(
        own.len(),
        ids.iter().filter(|(key, _)| key == "uuid").count(),
        "duplicate uuids"
    );
    for (key, id) in &ids {
        let parsed = uuid::Uuid::parse_str(id).unwrap();
        assert_eq!(parsed.get_version_num(), 5, "{key} {id}");
        assert!(
            key == "uuid" || own.contains(id),
            "{key} {id} resolves to nothing"
        );
    }
}

/// Every (key, value) whose key is `uuid` or ends in `-uuid`, in document order.
fn collect_uuids(value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "uuid" || key.ends_with("-uuid") {
                    out.push((key.clone(), v.as_str().unwrap().to_owned()));
                } else {
                    collect_uuids(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_uuids(v, out)),
        _ => {}
    }
}

#[test]
fn exchange_formats_are_refused_on_a_marked_run_unless_allowed() {
    let text = std::fs::read_to_string(PRODUCT).unwrap();
    let marked = folder(&[(
        "radio.toml",
        &text.replace(
            "marking = \"KESTREL COMMERCIAL IN CONFIDENCE\"",
            "marking = \"NATO RESTRICTED\"",
        ),
    )]);
    let product = marked.path().join("radio.toml");
    let product = product.to_str().unwrap();
    for format in ["reqif", "oscal"] {
        let refused = formfit(&[
            "matrix",
            "--no-config",
            "--today",
            "2026-11-25",
            "--format",
            format,
            product,
        ]);
        assert_eq!(
            refused.status.code(),
            Some(3),
            "{format}: {}",
            stderr(&refused)
        );
        assert!(refused.stdout.is_empty(), "{format}: no document");
        let why = stderr(&refused);
        assert!(
            why.contains("NATO RESTRICTED") && why.contains(format),
            "{format}: {why}"
        );
        assert!(why.contains("--allow-marked-output"), "{why}");
        let allowed = formfit(&[
            "matrix",
            "--no-config",
            "--today",
            "2026-11-25",
            "--format",
            format,
            "--allow-marked-output",
            product,
        ]);
        assert_eq!(
            allowed.status.code(),
            Some(1),
            "{format}: {}",
            stderr(&allowed)
        );
        assert!(
            stdout(&allowed).contains("product marking: NATO RESTRICTED"),
            "{format}"
        );
    }
    // A format for the bid team's own desk is not refused.
    let json = formfit(&[
        "matrix",
        "--no-config",
        "--today",
        "2026-11-25",
        "--format",
        "json",
        product,
    ]);
    assert_eq!(json.status.code(), Some(1), "{}", stderr(&json));
    // A commercial marking names no level: never refused.
    let commercial = formfit(&[
        "matrix",
        "--no-config",
        "--today",
        "2026-11-25",
        "--format",
        "reqif",
        PRODUCT,
    ]);
    assert_eq!(commercial.status.code(), Some(1), "{}", stderr(&commercial));
}
