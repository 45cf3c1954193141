//! The `formfit` command as users and CI scripts see it: golden human and JSON output, exit
//! codes, and bad input of every kind giving a located diagnostic, never a panic.

mod common;
use common::*;

use std::path::Path;

#[test]
fn human_output_for_a_lookalike_chambering() {
    let output = formfit(&["check", "fixtures/stanag-4172/bad-223.toml"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn human_output_for_a_band_past_its_edge_and_a_should_finding() {
    let output = formfit(&[
        "check",
        "fixtures/nato-uhf-air-band/bad-partial-band.toml",
        "--standard",
        "NATO UHF Air Band",
    ]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn human_output_for_an_invalid_product() {
    let output = formfit(&["check", "fixtures/invalid/typo-calibre.toml"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn json_output_for_several_products_in_one_run() {
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "fixtures/mil-std-1275/bad-bare-surge.toml",
        "fixtures/invalid/unit-case-mhz.toml",
        "fixtures/stanag-4172/good-rifle.yaml",
    ]);
    // The invalid file makes the run exit 2; the other products are still checked and reported.
    assert_eq!(output.status.code(), Some(2));
    let value = json(&output);
    assert_eq!(value["products"].as_array().unwrap().len(), 3);
    insta::assert_json_snapshot!(value);
}

#[test]
fn json_location_of_the_lookalike_is_line_9_column_11() {
    let value = json(&formfit(&[
        "check",
        "--format",
        "json",
        "fixtures/stanag-4172/bad-223.toml",
    ]));
    let finding = &value["products"][0]["findings"][0];
    assert_eq!(finding["rule"], "STANAG4172-CAL-1");
    assert_eq!(finding["path"], "ammunition.caliber");
    assert_eq!(finding["location"]["line"], 9);
    assert_eq!(finding["location"]["column"], 11);
    assert_eq!(finding["location"]["length"], ".223 Remington".len() + 2);
    assert_eq!(finding["rule_location"]["file"], "rules/stanag-4172.toml");
}

#[test]
fn a_band_past_the_edge_points_at_its_max_inside_a_range_string() {
    let value = json(&formfit(&[
        "check",
        "--format",
        "json",
        "fixtures/nato-uhf-air-band/bad-partial-band.toml",
        "--standard",
        "uhf-air-band",
    ]));
    let findings = value["products"][0]["findings"].as_array().unwrap();
    let band = findings
        .iter()
        .find(|f| f["rule"] == "UHFAIR-BAND-1")
        .unwrap();
    assert!(band["path"].as_str().unwrap().ends_with(".max"), "{band}");
}

#[test]
fn fail_on_should_turns_a_should_finding_into_a_failure() {
    let file = "fixtures/mil-std-1275/bad-bare-surge.toml";
    assert_eq!(formfit(&["check", file]).status.code(), Some(0));
    assert_eq!(
        formfit(&["check", file, "--fail-on", "should"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        formfit(&[
            "check",
            "fixtures/stanag-4172/bad-223.toml",
            "--fail-on",
            "never"
        ])
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn an_unknown_standard_on_the_command_line_is_a_usage_error_listing_the_known_ones() {
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "fixtures/stanag-4172/bad-223.toml",
        "--standard",
        "STANAG 9999",
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let help = value["diagnostics"][0]["help"].as_str().unwrap();
    assert!(
        help.contains("STANAG 4172") && help.contains("MIL-STD-1275"),
        "{help}"
    );
}

#[test]
fn standard_names_match_ignoring_case_and_separators() {
    for name in ["stanag-4172", "STANAG_4172", "Stanag 4172", "5.56 NATO"] {
        let output = formfit(&[
            "check",
            "--format",
            "json",
            "fixtures/stanag-4172/bad-223.toml",
            "--standard",
            name,
        ]);
        assert_eq!(output.status.code(), Some(1), "{name}");
    }
}

#[test]
fn a_claimed_older_edition_is_checked_with_a_should_finding() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("psu.toml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mil-std-1275/good-vehicle-psu.toml"),
    )
    .unwrap()
    .replace("\"MIL-STD-1275\"", "\"MIL-STD-1275D\"");
    std::fs::write(&file, text).unwrap();
    let value = json(&formfit(&[
        "check",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]));
    let rules: Vec<_> = value["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].clone())
        .collect();
    assert_eq!(rules, ["formfit/edition-mismatch"], "{value}");
    assert_eq!(value["products"][0]["standards"][0]["id"], "MIL-STD-1275");
}

#[test]
fn all_applicable_finds_the_standards_that_concern_the_design() {
    let value = json(&formfit(&[
        "check",
        "--format",
        "json",
        "--all-applicable",
        "fixtures/examples/vehicle-radio-set.toml",
    ]));
    let ids: Vec<_> = value["products"][0]["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        ids.contains(&"MIL-STD-1275".to_owned()) && ids.contains(&"NATO UHF Air Band".to_owned()),
        "{ids:?}"
    );
    assert!(!ids.contains(&"STANAG 4172".to_owned()), "{ids:?}");
}

#[test]
fn a_product_without_any_standard_is_told_how_to_choose() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    std::fs::write(
        &file,
        r#"{"product": {"id": "P", "name": "N", "manufacturer": "M", "category": "other"}}"#,
    )
    .unwrap();
    let output = formfit(&["check", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let finding = &json(&output)["products"][0]["findings"][0];
    assert_eq!(finding["rule"], "formfit/no-standard");
    assert!(finding["help"]
        .as_str()
        .unwrap()
        .contains("--all-applicable"));
}

#[test]
fn stdout_is_json_even_for_missing_files_and_unknown_extensions() {
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "no/such/file.toml",
        "README.md",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let value = json(&output);
    let ids: Vec<_> = value["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["findings"][0]["rule"].clone())
        .collect();
    assert_eq!(ids, ["input/io", "input/io"]);
}

/// Hostile inputs: each must give its diagnostic and exit 2, never a crash or a hang.
#[test]
fn hostile_files_are_limited_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let deep_json = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let deep_yaml: String = (0..3000)
        .map(|i| format!("{}- \n", " ".repeat(i % 2000)))
        .collect();
    let long_string = format!(
        "[product]\nid = \"{}\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"other\"\n",
        "x".repeat(100_000)
    );
    let cases = [
        ("deep.json", deep_json.into_bytes(), "input/limit"),
        (
            "deep.toml",
            format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            "input/limit",
        ),
        ("deep.yaml", deep_yaml.into_bytes(), "input/limit"),
        ("long.toml", long_string.into_bytes(), "input/limit"),
        (
            "utf16.json",
            vec![0xFF, 0xFE, b'{', 0, b'}', 0],
            "input/encoding",
        ),
    ];
    for (name, bytes, id) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let output = formfit(&["check", "--format", "json", file.to_str().unwrap()]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let value = json(&output);
        assert_eq!(value["products"][0]["findings"][0]["rule"], id, "{name}");
    }
}

#[test]
fn a_broken_user_pack_is_a_located_diagnostic_and_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let pack = r#"formfit_pack = 1
[standard]
designation = "ACME 1"
title = "t"
edition = "1"
source = "s"
note = "n"

[[rule]]
id = "ACME-1"
clause = "c"
level = "shall"
path = "ammunition[*].calibre"
message = "m"
equals = "x"

[[rule]]
id = "ACME-1"
clause = "c"
level = "shall"
path = "power.nominal_voltage"
message = "m"
min = "12 Vx"
"#;
    std::fs::write(dir.path().join("acme.toml"), pack).unwrap();
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.path().to_str().unwrap(),
        "fixtures/stanag-4172/bad-223.toml",
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let diagnostics = value["diagnostics"].as_array().unwrap();
    let ids: Vec<_> = diagnostics
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"pack/path")
            && ids.contains(&"pack/duplicate-rule")
            && ids.contains(&"pack/check"),
        "{ids:?}"
    );
    let path = diagnostics.iter().find(|d| d["id"] == "pack/path").unwrap();
    assert_eq!(path["location"]["line"], 13);
    assert!(
        path["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `caliber`"),
        "{path}"
    );
}

#[test]
fn a_user_pack_replaces_the_builtin_one_and_the_report_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/stanag-4172.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        builtin.replace("level = \"shall\"", "level = \"should\""),
    )
    .unwrap();
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.path().to_str().unwrap(),
        "fixtures/stanag-4172/bad-223.toml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let value = json(&output);
    assert_eq!(value["diagnostics"][0]["id"], "formfit/pack-replaced");
    assert_eq!(value["products"][0]["findings"][0]["level"], "should");
}

#[test]
fn rules_lists_the_builtin_packs() {
    let output = formfit(&["rules"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for id in ["STANAG 4172", "MIL-STD-1275", "NATO UHF Air Band"] {
        assert!(text.contains(id), "{text}");
    }
}

#[test]
fn a_non_standard_on_the_command_line_is_explained() {
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "fixtures/stanag-4172/bad-223.toml",
        "--standard",
        "stanag-4179",
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    assert_eq!(value["diagnostics"][0]["id"], "formfit/not-a-standard");
    assert!(value["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("never ratified"));
}

#[test]
fn all_applicable_offers_a_calibre_standard_only_for_calibres_it_concerns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sniper.toml");
    std::fs::write(
        &file,
        "[product]\nid = \"X\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"small-arm\"\n[ammunition]\ncaliber = \".338 Lapua Magnum\"\n",
    )
    .unwrap();
    let all = json(&formfit(&[
        "check",
        "--format",
        "json",
        "--all-applicable",
        file.to_str().unwrap(),
    ]));
    assert_eq!(
        all["products"][0]["standards"].as_array().unwrap().len(),
        0,
        "{all}"
    );
    // Claimed or named, the standard governs any chambering and fails this one.
    let named = formfit(&[
        "check",
        "--format",
        "json",
        "--standard",
        "STANAG 4172",
        file.to_str().unwrap(),
    ]);
    assert_eq!(named.status.code(), Some(1));
}

#[test]
fn rules_show_lists_every_rule_with_what_it_checks_and_its_terms() {
    let output = formfit(&["rules", "show", "stanag-4172"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("STANAG4172-CAL-1 [shall]"), "{text}");
    assert!(
        text.contains("`5.56×45 mm NATO` (preferred)")
            && text.contains("look-alikes that fail: `.223 Remington`"),
        "{text}"
    );
}

#[test]
fn rules_explain_shows_live_examples_from_the_packs_test_cases() {
    let output = formfit(&["rules", "explain", "uhfair-band-1"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("Non-conforming example") && text.contains("runs past the upper edge"),
        "{text}"
    );
    assert!(text.contains("Conforming example"), "{text}");
}

#[test]
fn rules_explain_of_an_unknown_rule_suggests_the_close_one() {
    let output = formfit(&["rules", "explain", "MIL1275-SS-2"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("did you mean `MIL1275-SS-1`?"));
}

#[test]
fn rules_list_json_names_every_pack_and_profile() {
    let value = json(&formfit(&["rules", "list", "--format", "json"]));
    let packs = value["packs"].as_array().unwrap();
    assert!(packs
        .iter()
        .any(|p| p["designation"] == "STANAG 4172" && p["rules"].as_u64() > Some(0)));
    assert!(value["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "infantry-rifle"));
}

#[test]
fn a_deprecated_term_passes_with_a_may_note_naming_the_preferred_one() {
    let dir = tempfile::tempdir().unwrap();
    let pack = r#"formfit_pack = 1
[standard]
designation = "ACME Rail"
title = "t"
edition = "1"
source = "s"
note = "Term statuses are this test's editorial choice."

[[rule]]
id = "ACME-RAIL-1"
clause = "c"
level = "shall"
path = "mount.rail"
message = "the rail must be a NATO Accessory Rail"
[rule.one_of]
accept = ["NATO Accessory Rail", "STANAG 4694"]
deprecated = ["NAR rail"]
"#;
    std::fs::write(dir.path().join("acme.toml"), pack).unwrap();
    // The product lives apart: every *.toml in a --rules folder is read as a pack.
    let products = tempfile::tempdir().unwrap();
    let product = products.path().join("p.toml");
    std::fs::write(&product, "[product]\nid = \"P\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"small-arm\"\n[mount]\nrail = \"NAR Rail\"\n").unwrap();
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.path().to_str().unwrap(),
        "--standard",
        "ACME Rail",
        product.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let value = json(&output);
    let finding = &value["products"][0]["findings"][0];
    assert_eq!(finding["level"], "may");
    assert!(
        finding["label"]
            .as_str()
            .unwrap()
            .contains("deprecated term; the preferred term is `NATO Accessory Rail`"),
        "{finding}"
    );
    assert_eq!(value["products"][0]["verdict"], "conformant");
}

#[test]
fn completions_and_man_page_come_from_the_clap_definition() {
    let bash = formfit(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    let script = stdout(&bash);
    assert!(
        script.contains("--all-applicable") && script.contains("--deviations"),
        "{script}"
    );
    let man = stdout(&formfit(&["man"]));
    assert!(
        man.starts_with(".ie") || man.contains(".TH formfit"),
        "{man}"
    );
    assert!(man.contains("check"));
}

#[test]
fn evidence_required_findings_alone_never_fail_the_gate() {
    // A vehicle supply that declares no withstands: its only findings ask for test reports.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("psu.toml");
    std::fs::write(
        &file,
        "[product]\nid = \"P\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"power-supply\"\n[power]\nsource = \"vehicle\"\nnominal_voltage = \"28 V\"\ninput_voltage = \"18-36 V\"\n",
    )
    .unwrap();
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--standard",
        "MIL-STD-1275",
        "--fail-on",
        "should",
        file.to_str().unwrap(),
    ]);
    let value = json(&output);
    let statuses: Vec<&str> = value["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["evidence-required", "evidence-required"],
        "{value}"
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn rules_kinds_lists_every_check_kind_with_its_keys() {
    let out = formfit(&["rules", "kinds"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for kind in formfit::check::REGISTRY {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(kind.selects[0]))
            .unwrap_or_else(|| panic!("no line for {}:\n{text}", kind.name));
        assert!(line.contains(kind.summary), "{line}");
        for key in kind.keys() {
            assert!(line.contains(key), "{line} lacks {key}");
        }
    }
}

/// Issue 10: `rules explain` documents every one of formfit's own codes, and every rule that
/// groups several, from the text the SARIF descriptors carry, spelt with the CLI's flags.
#[test]
fn rules_explain_documents_every_code() {
    use formfit::code::{describe, Code};
    let mut rules = std::collections::BTreeSet::new();
    for code in Code::all() {
        rules.insert(code.rule());
        let output = formfit(&["rules", "explain", code.id()]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{}: {text}", code.id());
        assert!(text.starts_with(&format!("{}: ", code.id())), "{text}");
        assert!(text.contains("How to fix it: "), "{text}");
        let unspelt = text.split('{').skip(1).any(|rest| {
            let key = rest.split('}').next().unwrap_or_default();
            !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        });
        assert!(!unspelt, "{}: a setting left unspelt: {text}", code.id());
    }
    for rule in rules {
        let output = formfit(&["rules", "explain", rule]);
        assert_eq!(output.status.code(), Some(0), "{rule}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains(describe(rule).unwrap().short), "{text}");
    }
    let grouped =
        String::from_utf8_lossy(&formfit(&["rules", "explain", "input/limit"]).stdout).into_owned();
    assert!(grouped.contains("input/limit/depth"), "{grouped}");
    let spelt =
        String::from_utf8_lossy(&formfit(&["rules", "explain", "formfit/withheld-pack"]).stdout)
            .into_owned();
    assert!(spelt.contains("`--max-classification`"), "{spelt}");
    // A rule id of a pack is still explained as before.
    let rule = formfit(&["rules", "explain", "STANAG4172-CAL-1"]);
    assert_eq!(rule.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&rule.stdout).contains("STANAG4172-CAL-1"));
}

const RAIL_PACK: &str = r#"formfit_pack = 1
[standard]
designation = "ACME Rail"
title = "t"
edition = "1"
source = "s"
note = "A test pack."

[[rule]]
id = "ACME-RAIL-1"
clause = "c"
level = "shall"
path = "mount.rail"
message = "the rail must be a NATO Accessory Rail"
[rule.one_of]
accept = ["NATO Accessory Rail"]

[[rule]]
id = "ACME-RAIL-2"
clause = "c"
level = "should"
path = "mount.rail"
message = "the rail should be named"
pattern = ".+"
"#;

const RAIL_CASES: &str = r#"standard = "ACME Rail"
[[case]]
name = "a NATO Accessory Rail"
rule = "ACME-RAIL-1"
product = '''
[mount]
rail = "NATO Accessory Rail"
'''
passes = true

[[case]]
name = "a Weaver rail, expected to pass by mistake"
rule = "ACME-RAIL-1"
product = '''
[mount]
rail = "Weaver"
'''
passes = true
"#;

#[test]
fn rules_test_runs_a_packs_cases_and_fails_on_a_wrong_one() {
    let dir = folder(&[
        ("acme.toml", RAIL_PACK),
        ("tests/acme-rail/rail.toml", RAIL_CASES),
    ]);
    let rules = dir.path().to_str().unwrap();
    let output = formfit(&["rules", "--rules", rules, "test", "--coverage"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("ok    "), "{text}");
    assert!(
        text.contains("FAIL  ") && text.contains("unexpected ACME-RAIL-1 at `mount.rail` (shall)"),
        "{text}"
    );
    assert!(text.contains("2 cases: 1 passed, 1 failed"), "{text}");
    assert!(
        text.contains("ACME Rail: no case is about ACME-RAIL-2"),
        "{text}"
    );
    // The built-in packs are not under test when --rules names the packs.
    assert!(!text.contains("STANAG 4172"), "{text}");

    let fixed = RAIL_CASES.replace(
        "rail = \"Weaver\"\n'''\npasses = true",
        "rail = \"Weaver\"\n'''\nfindings = [{ rule = \"ACME-RAIL-1\", path = \"mount.rail\", level = \"shall\" }]",
    );
    let dir = folder(&[
        ("acme.toml", RAIL_PACK),
        ("tests/acme-rail/rail.toml", &fixed),
    ]);
    let rules = dir.path().to_str().unwrap();
    let output = formfit(&["rules", "--rules", rules, "test"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn rules_test_require_tests_fails_for_a_pack_without_cases() {
    let dir = folder(&[("acme.toml", RAIL_PACK)]);
    std::fs::create_dir(dir.path().join("tests")).unwrap();
    let rules = dir.path().to_str().unwrap();
    let output = formfit(&["rules", "--rules", rules, "test"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("packs without tests: ACME Rail"));
    let output = formfit(&["rules", "--rules", rules, "test", "--require-tests"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_run_of_several_products_names_the_standards_that_fail_most_and_on_asking_the_slowest() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--no-config",
            "fixtures/stanag-4172/bad-223.toml",
            "fixtures/stanag-4172/bad-762x39.yaml",
            "fixtures/stanag-4172/good-rifle.yaml",
        ];
        args.extend_from_slice(extra);
        String::from_utf8(formfit(&args).stdout).unwrap()
    };
    let plain = run(&[]);
    assert!(
        plain.contains("most failing: STANAG 4172 (2 of 3 products non-conformant)\n"),
        "{plain}"
    );
    assert!(!plain.contains("slowest:"), "{plain}");
    let timed = run(&["--timings"]);
    let line = timed.lines().find(|l| l.starts_with("slowest: ")).unwrap();
    assert!(line.contains("STANAG 4172 ("), "{line}");
    assert!(line.ends_with(" ms over 3 products)"), "{line}");

    // One product: its own verdict line says it all.
    let one = String::from_utf8(
        formfit(&["check", "--no-config", "fixtures/stanag-4172/bad-223.toml"]).stdout,
    )
    .unwrap();
    assert!(!one.contains("most failing:"), "{one}");
}
