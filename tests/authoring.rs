//! Pack authoring from the command line: `rules new` writes a skeleton that loads and whose
//! cases run, `rules export` writes a built-in pack's exact bytes (and refuses what the holder
//! may not see), and `rules test` reports for CI as JUnit or JSON.

mod common;

use common::{folder, formfit, formfit_in, json, stderr, stdout};

/// The `designation` of a pack file, read as TOML.
fn designation(text: &str) -> String {
    let value: toml::Value = toml::from_str(text).unwrap();
    value["standard"]["designation"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn rules_new_writes_a_pack_that_loads_and_cases_that_run_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("packs");
    let out_arg = out.to_str().unwrap();
    let made = formfit_in(
        dir.path(),
        &["rules", "new", "ACME STD 12", "--dir", out_arg],
    );
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let pack = out.join("acme-std-12.toml");
    let cases = out.join("tests/acme-std-12/cases.toml");
    let text = std::fs::read_to_string(&pack).unwrap();
    assert_eq!(designation(&text), "ACME STD 12");
    for key in ["title", "edition", "source", "note", "classification"] {
        assert!(text.contains(&format!("\n{key} = ")), "{key}: {text}");
    }
    // One rule of each common kind, commented out.
    for kind in [
        "# equals",
        "# one_of",
        "# min",
        "# within",
        "# covers",
        "# avoids",
        "# pattern",
        "# count",
    ] {
        assert!(text.contains(kind), "{kind}: {text}");
    }

    // The skeleton loads beside the built-in packs, and its cases run, by the folder's tests/
    // and by naming the tests folder.
    let listed = formfit(&["rules", "--no-config", "--rules", out_arg, "list"]);
    assert!(
        stdout(&listed).contains("ACME STD 12"),
        "{}",
        stdout(&listed)
    );
    let tested = formfit(&[
        "rules",
        "--no-config",
        "--rules",
        out_arg,
        "test",
        "--coverage",
    ]);
    assert_eq!(tested.status.code(), Some(0), "{}", stdout(&tested));
    assert!(
        stdout(&tested).contains("2 cases: 2 passed, 0 failed"),
        "{}",
        stdout(&tested)
    );
    let tests_dir = out.join("tests");
    let named = formfit(&[
        "rules",
        "--no-config",
        "--rules",
        out_arg,
        "test",
        tests_dir.to_str().unwrap(),
    ]);
    assert_eq!(named.status.code(), Some(0), "{}", stdout(&named));

    // A second time: exit 3, a message naming the file, and the author's edits kept.
    std::fs::write(&cases, "edited").unwrap();
    let again = formfit_in(
        dir.path(),
        &["rules", "new", "ACME STD 12", "--dir", out_arg],
    );
    assert_eq!(again.status.code(), Some(3));
    assert!(
        stderr(&again).contains("acme-std-12.toml exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&pack).unwrap(), text);
    assert_eq!(std::fs::read_to_string(&cases).unwrap(), "edited");
}

#[test]
fn rules_export_writes_every_builtin_pack_byte_for_byte() {
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut exported = 0;
    for entry in std::fs::read_dir(&rules).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let name = designation(std::str::from_utf8(&bytes).unwrap());
        let output = formfit(&["rules", "--no-config", "export", &name]);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        assert!(output.stdout == bytes, "{name}: the bytes differ");
        exported += 1;
    }
    assert!(exported >= 20, "{exported}");
}

#[test]
fn an_exported_pack_loaded_with_rules_judges_as_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stanag-4172.toml");
    let written = formfit(&[
        "rules",
        "--no-config",
        "export",
        "stanag 4172",
        "--format",
        "toml",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let product = "fixtures/stanag-4172/bad-223.toml";
    let findings = |extra: &[&str]| {
        let mut args = vec!["check", "--no-config", "--format", "json"];
        args.extend_from_slice(extra);
        args.push(product);
        let output = formfit(&args);
        let report = json(&output);
        let product = &report["products"][0];
        let findings: Vec<(String, String, String)> = product["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or_default().to_owned(),
                    f["path"].as_str().unwrap_or_default().to_owned(),
                    f["message"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        (output.status.code(), product["verdict"].clone(), findings)
    };
    let builtin = findings(&[]);
    let exported = findings(&["--no-builtin", "--rules", dir.path().to_str().unwrap()]);
    assert_eq!(builtin, exported);
    assert_eq!(builtin.0, Some(1));
    assert!(!builtin.2.is_empty());
}

const MARKED: &str = r#"formfit_pack = 1
[standard]
designation = "ACME Restricted"
title = "t"
edition = "1"
source = "s"
note = "A test pack."
classification = "NATO RESTRICTED"

[[rule]]
id = "ACME-R-1"
clause = "c"
level = "shall"
path = "power.nominal_voltage"
message = "m"
required = true
"#;

#[test]
fn rules_export_refuses_a_pack_above_the_holder_and_user_packs() {
    let dir = folder(&[("restricted.toml", MARKED)]);
    let rules = dir.path().to_str().unwrap();
    let refused = formfit(&[
        "rules",
        "--no-config",
        "--rules",
        rules,
        "export",
        "ACME Restricted",
    ]);
    assert_eq!(refused.status.code(), Some(3));
    assert!(refused.stdout.is_empty(), "{}", stdout(&refused));
    assert!(stderr(&refused).contains("refused"), "{}", stderr(&refused));
    // Cleared for it, the holder has the file already: a user pack is not exported.
    let cleared = formfit(&[
        "rules",
        "--no-config",
        "--rules",
        rules,
        "--max-classification",
        "NATO RESTRICTED",
        "export",
        "ACME Restricted",
    ]);
    assert_eq!(cleared.status.code(), Some(3));
    assert!(cleared.stdout.is_empty());
    assert!(
        stderr(&cleared).contains("is not a built-in pack"),
        "{}",
        stderr(&cleared)
    );
}

const CASES: &str = r#"standard = "STANAG 4172"

[[case]]
name = "a .223 Remington chamber said to pass"
rule = "STANAG4172-CAL-1"
category = "small-arm"
product = '''
[ammunition]
caliber = ".223 Remington"
'''
passes = true
"#;

#[test]
fn rules_test_writes_junit_and_json_that_agree_with_the_exit_code() {
    let shipped = formfit(&["rules", "--no-config", "test", "--format", "junit"]);
    assert_eq!(shipped.status.code(), Some(0));
    let xml = stdout(&shipped);
    assert!(xml.contains("<testsuite name=\"STANAG 4172\""), "{xml}");
    assert!(
        xml.contains("file=\"rules/tests/stanag-4172/chambering.toml\""),
        "{xml}"
    );
    assert!(!xml.contains("<failure"), "{xml}");

    let dir = folder(&[("stanag-4172/wrong.toml", CASES)]);
    let tests = dir.path().to_str().unwrap();
    let failing = formfit(&["rules", "--no-config", "test", tests, "--format", "junit"]);
    assert_eq!(failing.status.code(), Some(1));
    let xml = stdout(&failing);
    assert!(
        xml.contains(
            "<failure message=\"unexpected STANAG4172-CAL-1 at `ammunition.caliber` (shall)\""
        ),
        "{xml}"
    );
    // The class name is the designation with its dots written `_`.
    let dots = folder(&[(
        "762/case.toml",
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules/tests/762x51-nato")
                .read_dir()
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path(),
        )
        .unwrap(),
    )]);
    let xml = stdout(&formfit(&[
        "rules",
        "--no-config",
        "test",
        dots.path().to_str().unwrap(),
        "--format",
        "junit",
    ]));
    assert!(xml.contains("classname=\"7_62x51 NATO\""), "{xml}");

    let report = json(&formfit(&[
        "rules",
        "--no-config",
        "test",
        tests,
        "--format",
        "json",
        "--coverage",
    ]));
    assert_eq!(report["summary"]["failed"], 1, "{report}");
    assert_eq!(report["cases"][0]["passed"], false);
    let stanag = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pack"] == "STANAG 4172")
        .unwrap();
    // The one case took the look-alike branch of the rule's five.
    assert_eq!(stanag["branches"], 5, "{stanag}");
    assert_eq!(stanag["branches_taken"], 1, "{stanag}");
}
