//! formfit as a CI gate in a supplier's repository: formfit.toml discovery and validation,
//! product globs, pins, and approved deviations (active, expired, stale, glob, value-pinned).

mod common;
use common::*;

use std::path::Path;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(path),
    )
    .unwrap()
}

/// A scratch repository: products/ with a good and a bad radio, and the given files.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("products/radios")).unwrap();
    std::fs::create_dir_all(dir.path().join("docs/deep")).unwrap();
    std::fs::write(
        dir.path().join("products/radios/good.toml"),
        fixture("nato-uhf-air-band/good-uhf-airband.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("products/radios/ga-420.json"),
        fixture("nato-uhf-air-band/bad-225-420.json"),
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const CONFIG: &str = "products = [\"products/**/*.toml\", \"products/**/*.json\"]\nstandards = [\"NATO UHF Air Band\"]\n";

#[test]
fn with_a_config_check_gates_every_configured_product_from_any_subfolder() {
    let dir = repo(&[("formfit.toml", CONFIG)]);
    let output = formfit_in(
        &dir.path().join("docs/deep"),
        &["check", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    let files: Vec<&str> = value["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with("ga-420.json")));
}

#[test]
fn a_glob_that_matches_nothing_is_an_error_not_a_green_gate() {
    let dir = repo(&[(
        "formfit.toml",
        "products = [\"products/**/*.toml\", \"product/*.yaml\"]\n",
    )]);
    let output = formfit_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(3));
    let d = &json(&output)["diagnostics"][0];
    assert_eq!(d["id"], "config/empty-glob");
    assert_eq!(
        d["location"]["file"].as_str().unwrap().rsplit('/').next(),
        Some("formfit.toml")
    );
    assert_eq!(d["location"]["column"], 35);
}

#[test]
fn an_unknown_config_key_is_located_with_a_suggestion() {
    let dir = repo(&[(
        "formfit.toml",
        "products = [\"products/**/*.toml\"]\nfail_on = \"should\"\n",
    )]);
    let output = formfit_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(3));
    let d = &json(&output)["diagnostics"][0];
    assert_eq!(d["location"]["line"], 2);
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `fail-on`"),
        "{d}"
    );
}

#[test]
fn command_line_options_override_the_config() {
    let dir = repo(&[(
        "formfit.toml",
        &format!("{CONFIG}fail-on = \"never\"\nformat = \"json\"\n"),
    )]);
    let configured = formfit_in(dir.path(), &["check"]);
    assert_eq!(
        configured.status.code(),
        Some(0),
        "fail-on = never from the config"
    );
    json(&configured);
    let overridden = formfit_in(
        dir.path(),
        &[
            "check",
            "--fail-on",
            "shall",
            "--format",
            "json",
            "products/radios/good.toml",
        ],
    );
    assert_eq!(overridden.status.code(), Some(0));
    assert_eq!(
        json(&overridden)["products"].as_array().unwrap().len(),
        1,
        "named products replace the globs"
    );
    let gated = formfit_in(dir.path(), &["check", "--fail-on", "shall"]);
    assert_eq!(gated.status.code(), Some(1));
}

#[test]
fn pins_hold_the_gate_still() {
    let library = json(&formfit_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["rules", "list", "--format", "json"],
    ));
    let pack = library["packs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["designation"] == "NATO UHF Air Band")
        .unwrap();
    let digest = pack["digest"].as_str().unwrap();
    let good =
        format!("{CONFIG}[[pin]]\nstandard = \"NATO UHF Air Band\"\ndigest = \"{digest}\"\n");
    let dir = repo(&[("formfit.toml", &good)]);
    assert_eq!(
        formfit_in(dir.path(), &["check"]).status.code(),
        Some(1),
        "pinned digest matches: the gate runs"
    );
    let moved = format!("{CONFIG}[[pin]]\nstandard = \"MIL-STD-1275\"\nedition = \"D\"\n[[pin]]\nstandard = \"NATO UHF Air Band\"\ndigest = \"sha256:{}\"\n", "0".repeat(64));
    let dir = repo(&[("formfit.toml", &moved)]);
    let output = formfit_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(3));
    let lines: Vec<u64> = json(&output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["location"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [5, 8]);
}

/// The MIL-STD-1275 pack was called edition E while its transient figures are edition B's
/// (standards-facts.md, 2026-12-01); its edition now says both. A gate pinned to the old edition
/// or to the old pack's digest must stop loudly on the upgrade, never run the new pack quietly.
#[test]
fn a_pin_to_the_1275_pack_before_its_edition_fix_fails_loudly() {
    const OLD_DIGEST: &str =
        "sha256:38c468202a33f4fba41ae302449d483094cf2bb0632ac7167727c930bf9d0afd";
    for pin in [
        "edition = \"E\"".to_owned(),
        format!("digest = \"{OLD_DIGEST}\""),
    ] {
        let config = format!("{CONFIG}[[pin]]\nstandard = \"MIL-STD-1275\"\n{pin}\n");
        let dir = repo(&[("formfit.toml", &config)]);
        let output = formfit_in(dir.path(), &["check", "--format", "json"]);
        assert_eq!(output.status.code(), Some(3), "{pin}");
        let value = json(&output);
        let messages: Vec<&str> = value["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap_or_default())
            .collect();
        assert!(
            messages.iter().any(|m| m.contains("MIL-STD-1275")),
            "{pin}: {messages:?}"
        );
        assert!(
            value["products"].as_array().is_none_or(|p| p.is_empty()),
            "{pin}: no verdict under a broken pin"
        );
    }
    // The new edition, pinned as the README shows it, runs the gate.
    let config = format!(
        "{CONFIG}[[pin]]\nstandard = \"MIL-STD-1275\"\nedition = \"E steady state, B transients\"\n"
    );
    let dir = repo(&[("formfit.toml", &config)]);
    assert_eq!(formfit_in(dir.path(), &["check"]).status.code(), Some(1));
}

fn deviation(extra: &str, expires: &str) -> String {
    format!(
        "[[deviation]]\nrule = \"UHFAIR-BAND-1\"\nproduct = \"KC-GA-*\"\n{extra}justification = \"Export variant; the 400-420 MHz segment is locked out in firmware.\"\napproval = \"DA-2026-114\"\nexpires = {expires}\n"
    )
}

fn run_with(deviations: &str, today: &str) -> (Option<i32>, serde_json::Value) {
    let dir = repo(&[
        (
            "formfit.toml",
            &format!("{CONFIG}deviations = \"deviations.toml\"\n"),
        ),
        ("deviations.toml", deviations),
    ]);
    let output = formfit_in(dir.path(), &["check", "--format", "json", "--today", today]);
    (output.status.code(), json(&output))
}

fn finding<'a>(value: &'a serde_json::Value, rule: &str) -> Option<&'a serde_json::Value> {
    value["products"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["findings"].as_array().unwrap())
        .find(|f| f["rule"] == rule)
}

#[test]
fn an_active_deviation_waives_the_finding_which_stays_reported() {
    let (code, value) = run_with(&deviation("", "2027-06-30"), "2026-11-25");
    assert_eq!(code, Some(0));
    let waived = finding(&value, "UHFAIR-BAND-1").unwrap();
    assert_eq!(waived["status"], "waived");
    assert_eq!(waived["waiver"]["approval"], "DA-2026-114");
    assert_eq!(waived["waiver"]["expires"], "2027-06-30");
    let product = value["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["product"] == "KC-GA-420")
        .unwrap();
    assert_eq!(product["verdict"], "conformant");
    assert_eq!(
        product["standards"][0]["note"],
        "conformant with approved deviations"
    );
    let deviations = value["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "deviations")
        .unwrap();
    assert!(deviations["findings"].as_array().unwrap().is_empty());
}

#[test]
fn a_deviation_holds_on_its_expiry_day_and_fails_the_day_after() {
    let (code, _) = run_with(&deviation("", "2027-06-30"), "2027-06-30");
    assert_eq!(code, Some(0));
    let (code, value) = run_with(&deviation("", "2027-06-30"), "2027-07-01");
    assert_eq!(code, Some(1));
    assert_eq!(finding(&value, "UHFAIR-BAND-1").unwrap()["status"], "open");
    let expired = finding(&value, "deviation/expired").unwrap();
    assert_eq!(expired["level"], "shall");
    assert_eq!(expired["location"]["line"], 6, "at the expires line");
}

#[test]
fn a_value_pinned_deviation_does_not_cover_a_wider_band() {
    let pinned = deviation(
        "path = \"radio[0].bands[0]\"\nvalue = \"225-420 MHz\"\n",
        "2027-06-30",
    );
    let (code, value) = run_with(&pinned, "2026-11-25");
    assert_eq!(
        code,
        Some(0),
        "225 MHz–420 MHz equals the approved 225-420 MHz exactly"
    );
    assert_eq!(
        finding(&value, "UHFAIR-BAND-1").unwrap()["status"],
        "waived"
    );
    let narrower = deviation(
        "path = \"radio[0].bands[0]\"\nvalue = \"225-410 MHz\"\n",
        "2027-06-30",
    );
    let (code, value) = run_with(&narrower, "2026-11-25");
    assert_eq!(code, Some(1));
    assert_eq!(finding(&value, "UHFAIR-BAND-1").unwrap()["status"], "open");
    assert_eq!(
        finding(&value, "deviation/stale").unwrap()["level"],
        "should"
    );
}

#[test]
fn a_deviation_for_another_product_is_stale_and_does_not_waive() {
    let other = deviation("", "2027-06-30").replace("KC-GA-*", "ACME-*");
    let (code, value) = run_with(&other, "2026-11-25");
    assert_eq!(code, Some(1));
    assert_eq!(finding(&value, "UHFAIR-BAND-1").unwrap()["status"], "open");
    let stale = finding(&value, "deviation/stale").unwrap();
    assert_eq!(stale["location"]["line"], 1);
}

#[test]
fn waived_findings_appear_in_every_format_marked_as_waived() {
    let dir = repo(&[
        (
            "formfit.toml",
            &format!("{CONFIG}deviations = \"deviations.toml\"\n"),
        ),
        ("deviations.toml", &deviation("", "2027-06-30")),
    ]);
    let run = |format: &str| {
        let output = formfit_in(
            dir.path(),
            &["check", "--format", format, "--today", "2026-11-25"],
        );
        assert_eq!(output.status.code(), Some(0), "{format}");
        String::from_utf8(output.stdout).unwrap()
    };
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "UHFAIR-BAND-1")
        .unwrap()
        .clone();
    assert_eq!(result["suppressions"][0]["kind"], "external");
    assert!(
        run("github").contains("::notice ")
            && run("github").contains("waived by approved deviation DA-2026-114")
    );
    assert!(run("gitlab").contains("[waived: DA-2026-114"));
    assert!(run("junit").contains("waived by approved deviation DA-2026-114"));
    assert!(run("human").contains("waived (DA-2026-114, until 2027-06-30)"));
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let dir = repo(&[("formfit.toml", CONFIG)]);
    assert_eq!(
        formfit_in(dir.path(), &["check", "--today", "30/06/2027"])
            .status
            .code(),
        Some(3)
    );
}

#[test]
fn without_products_or_config_formfit_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let output = formfit_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(json(&output)["diagnostics"][0]["help"]
        .as_str()
        .unwrap()
        .contains("formfit.toml"));
}
