//! Never a silent green: a claim formfit cannot check, a run that cannot do what was asked, or a
//! product checked against nothing is said so in every format, and fails where the gate asks.

mod common;
use common::*;

fn product_file(
    dir: &std::path::Path,
    name: &str,
    id: &str,
    claims: &str,
    caliber: &str,
) -> String {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("[product]\nid = \"{id}\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"small-arm\"\nconforms_to = [{claims}]\n[ammunition]\ncaliber = \"{caliber}\"\n"),
    )
    .unwrap();
    path.to_str().unwrap().to_owned()
}

fn findings(value: &serde_json::Value) -> Vec<serde_json::Value> {
    value["products"][0]["findings"].as_array().unwrap().clone()
}

#[test]
fn a_near_miss_of_a_known_designation_fails_with_the_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let file = product_file(
        dir.path(),
        "p.toml",
        "P",
        "\"STANAG 4127\"",
        "5.56x45mm NATO",
    );
    let output = formfit(&["check", "--no-config", "--format", "json", &file]);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    let f = &findings(&value)[0];
    assert_eq!(f["rule"], "formfit/misspelt-standard");
    assert_eq!(f["level"], "shall");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `STANAG 4172`?"),
        "{f}"
    );
    assert_eq!(value["products"][0]["verdict"], "non-conformant");
}

#[test]
fn another_number_is_not_a_near_miss_but_an_unchecked_claim() {
    let dir = tempfile::tempdir().unwrap();
    let file = product_file(
        dir.path(),
        "p.toml",
        "P",
        "\"STANAG 4173\"",
        "5.56x45mm NATO",
    );
    let output = formfit(&["check", "--no-config", "--format", "json", &file]);
    assert_eq!(output.status.code(), Some(0));
    let value = json(&output);
    assert_eq!(value["products"][0]["verdict"], "not-checked");
    let rules: Vec<_> = findings(&value).iter().map(|f| f["rule"].clone()).collect();
    assert!(
        rules.contains(&"formfit/unknown-standard".into()),
        "{rules:?}"
    );
    // The gate can ask for it, on the command line and in formfit.toml.
    let strict = formfit(&["check", "--no-config", "--fail-on", "not-checked", &file]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stdout(&strict).contains("NOT CHECKED"),
        "{}",
        stdout(&strict)
    );
    std::fs::write(
        dir.path().join("formfit.toml"),
        "fail-on = \"shall,not-checked\"\n",
    )
    .unwrap();
    let configured = formfit_in(dir.path(), &["check", "p.toml"]);
    assert_eq!(configured.status.code(), Some(1), "{}", stdout(&configured));
}

#[test]
fn a_product_checked_against_nothing_reads_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = product_file(dir.path(), "p.toml", "P", "", "5.56x45mm NATO");
    let value = json(&formfit(&[
        "check",
        "--no-config",
        "--format",
        "json",
        &file,
    ]));
    assert_eq!(value["products"][0]["verdict"], "not-checked");
    assert_eq!(findings(&value)[0]["rule"], "formfit/no-standard");
    assert_eq!(findings(&value)[0]["disposition"], "not-checked");
}

#[test]
fn a_profile_checks_the_products_own_claims_too() {
    let dir = tempfile::tempdir().unwrap();
    // Claims MIL-STD-1275 beside the profile's standards; its power input breaks it.
    let path = dir.path().join("rifle.toml");
    std::fs::write(
        &path,
        "[product]\nid = \"R\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"small-arm\"\nconforms_to = [\"MIL-STD-1275\"]\n[ammunition]\ncaliber = \"5.56x45mm NATO\"\n[mount]\nrail = \"STANAG 4694\"\n[power]\nsource = \"vehicle\"\nnominal_voltage = \"12 V\"\ninput_voltage = \"20-33 V\"\n",
    )
    .unwrap();
    let output = formfit(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--profile",
        "infantry-rifle",
        path.to_str().unwrap(),
    ]);
    let value = json(&output);
    let standards: Vec<_> = value["products"][0]["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        standards.contains(&"MIL-STD-1275".to_owned()),
        "{standards:?}"
    );
    assert!(findings(&value)
        .iter()
        .any(|f| f["rule"] == "MIL1275-NOM-1"));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_edition_on_the_command_line_is_reported_as_in_conforms_to() {
    let output = formfit(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--standard",
        "MIL-STD-1275D",
        "fixtures/mil-std-1275/good-vehicle-psu.toml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let value = json(&output);
    let f = findings(&value)
        .into_iter()
        .find(|f| f["rule"] == "formfit/edition-mismatch")
        .expect("an edition-mismatch finding");
    assert_eq!(f["level"], "should");
    assert!(f["message"].as_str().unwrap().contains("edition D"), "{f}");
}

#[test]
fn two_products_with_one_id_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let a = product_file(
        dir.path(),
        "a.toml",
        "SAME-1",
        "\"STANAG 4172\"",
        "5.56x45mm NATO",
    );
    let b = product_file(
        dir.path(),
        "b.toml",
        "SAME-1",
        "\"STANAG 4172\"",
        "5.56x45mm NATO",
    );
    let value = json(&formfit(&[
        "check",
        "--no-config",
        "--format",
        "json",
        &a,
        &b,
    ]));
    assert!(findings(&value).is_empty(), "the first keeps its id");
    let second = value["products"][1]["findings"].as_array().unwrap();
    assert_eq!(second[0]["rule"], "formfit/duplicate-product-id");
    assert!(second[0]["message"].as_str().unwrap().contains("a.toml"));
}

/// Regression: `--standard BOGUS --format sarif --output x.sarif` wrote a SARIF run with no
/// results and said nothing; uploaded, it closes every open alert.
#[test]
fn a_run_that_exits_3_writes_a_document_of_its_format_that_carries_the_problem() {
    let bad = [
        "check",
        "--no-config",
        "--standard",
        "BOGUS",
        "fixtures/stanag-4172/bad-223.toml",
        "--format",
    ];
    let run = |format: &str| {
        let mut args = bad.to_vec();
        args.push(format);
        let output = formfit(&args);
        assert_eq!(output.status.code(), Some(3), "{format}");
        assert!(
            stderr(&output).contains("unknown standard `BOGUS`"),
            "{format}: the problem is on stderr"
        );
        output
    };
    let sarif = json(&run("sarif"));
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["descriptor"]["id"],
        "formfit/unknown-standard"
    );
    let junit = quick_junit::Report::deserialize_from_str(&stdout(&run("junit"))).unwrap();
    assert_eq!(junit.errors, 1);
    let gitlab = json(&run("gitlab"));
    assert_eq!(gitlab[0]["severity"], "blocker");
    let value = json(&run("json"));
    assert_eq!(
        diagnostic(&value, "formfit/unknown-standard")["level"],
        "shall"
    );
    assert!(stdout(&run("github")).contains("::error title=formfit/unknown-standard::"));
    // The human report stream carries no error of formfit's own: that is stderr's.
    let human = run("human");
    assert!(!stdout(&human).contains("BOGUS"), "{}", stdout(&human));
}

#[test]
fn a_refused_third_party_report_is_still_a_document_of_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marked.toml");
    std::fs::write(
        &path,
        "[product]\nid = \"M\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"small-arm\"\nmarking = \"NATO RESTRICTED\"\nconforms_to = [\"STANAG 4172\"]\n[ammunition]\ncaliber = \".223 Remington\"\n",
    )
    .unwrap();
    let output = formfit(&[
        "check",
        "--no-config",
        "--format",
        "sarif",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3));
    let sarif = json(&output);
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    assert!(sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    assert!(
        !stdout(&output).contains(".223"),
        "no product text in a refused report"
    );
    assert!(stderr(&output).contains("refused"), "{}", stderr(&output));
}
