//! The CI formats as their consumers read them: SARIF against the official schema, JUnit read
//! back by a JUnit reader, GitHub workflow commands escaped as the actions toolkit does, GitLab
//! Code Quality, and fingerprints that survive an inserted line.

mod common;
use common::*;

use std::path::Path;
use std::process::Output;

const MIXED: [&str; 4] = [
    "fixtures/nato-uhf-air-band/bad-partial-band.toml",
    "fixtures/stanag-4172/bad-223.toml",
    "fixtures/invalid/typo-calibre.toml",
    "fixtures/mil-std-1275/bad-undeclared.yaml",
];

fn run(format: &str) -> Output {
    let mut args = vec!["check", "--format", format];
    args.extend(MIXED);
    formfit(&args)
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/vendor/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let output = run("sarif");
    assert_eq!(output.status.code(), Some(2));
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 6);
    // Every result's rule is listed, and every rule evaluated is listed even when it passed.
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for r in results {
        assert!(rules.contains(&r["ruleId"].as_str().unwrap()));
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "SRCROOT"
        );
    }
    assert!(
        rules.contains(&"UHFAIR-SPACING-1"),
        "a passing rule is listed too: {rules:?}"
    );
    let lookalike = results
        .iter()
        .find(|r| r["ruleId"] == "STANAG4172-CAL-1")
        .unwrap();
    let location = &lookalike["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "fixtures/stanag-4172/bad-223.toml"
    );
    assert_eq!(location["region"]["startLine"], 9);
    assert_eq!(location["region"]["startColumn"], 11);
    assert_eq!(location["region"]["endColumn"], 27);
    assert_eq!(lookalike["level"], "error");
}

#[test]
fn a_fingerprint_survives_a_line_inserted_above_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stanag-4172/bad-223.toml"),
    )
    .unwrap();
    let fingerprint_and_line = |text: &str| {
        std::fs::write(dir.path().join("rifle.toml"), text).unwrap();
        let output = formfit_in(dir.path(), &["check", "--format", "sarif", "rifle.toml"]);
        let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let result = &sarif["runs"][0]["results"][0];
        (
            result["partialFingerprints"]["formfitFinding/v1"]
                .as_str()
                .unwrap()
                .to_owned(),
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap(),
        )
    };
    let (before, line_before) = fingerprint_and_line(&original);
    let shifted = original.replacen("[product]", "\n[product]", 1);
    let (after, line_after) = fingerprint_and_line(&shifted);
    assert_eq!(line_after, line_before + 1);
    assert_eq!(before, after);
    let changed = original.replace(".223 Remington", ".223 Rem");
    assert_ne!(
        fingerprint_and_line(&changed).0,
        before,
        "a different value is a different finding"
    );
}

#[test]
fn junit_read_back_has_the_reports_counts() {
    let output = run("junit");
    let xml = stdout(&output);
    let junit = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&run("json").stdout).unwrap();
    assert_eq!(junit.test_suites.len(), MIXED.len());
    // Failures: one per rule with a finding that fails the gate, plus one per input problem.
    let mut failures = 0;
    for product in json["products"].as_array().unwrap() {
        let findings = product["findings"].as_array().unwrap();
        let mut failed_rules: Vec<&str> = findings
            .iter()
            .filter(|f| f["disposition"] == "failing")
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        failed_rules.dedup();
        failures += failed_rules.len();
    }
    assert_eq!(junit.failures, failures, "{xml}");
    // The invalid product is one failed input case. bad-undeclared declares no withstands: the
    // two evidence-required rules and the four rules that judge a declared withstand are skipped.
    let invalid = junit
        .test_suites
        .iter()
        .find(|s| s.name.contains("typo-calibre"))
        .unwrap();
    assert_eq!((invalid.tests, invalid.failures), (1, 1));
    let undeclared = junit
        .test_suites
        .iter()
        .find(|s| s.name.contains("bad-undeclared"))
        .unwrap();
    assert_eq!(undeclared.tests, 9);
    assert_eq!(undeclared.skipped, 6);
    assert_eq!(undeclared.failures, 2);
}

#[test]
fn github_commands_escape_percent_and_newlines_in_messages_and_colons_in_properties() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("odd, name: 100%.toml");
    std::fs::write(
        &file,
        "[product]\nid = \"X\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"small-arm\"\n[ammunition]\ncaliber = \"5.56 100%\\nfake\"\n",
    )
    .unwrap();
    let output = formfit_in(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "--standard",
            "STANAG 4172",
            "odd, name: 100%.toml",
        ],
    );
    let text = stdout(&output);
    let line = text
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        text.lines().next(),
        Some("::notice title=classification::PUBLIC")
    );
    assert_eq!(
        text.lines().count(),
        2,
        "a message newline must not start a new command: {text}"
    );
    assert!(line.contains("file=odd%2C name%3A 100%25.toml,"), "{line}");
    assert!(line.contains("5.56 100%25%0Afake"), "{line}");
    assert!(line.contains(",line=7,col=11,"), "{line}");
}

#[test]
fn gitlab_code_quality_has_unique_fingerprints_and_severities() {
    let output = run("gitlab");
    let issues: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(issues.len() >= 6);
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len());
    for issue in &issues {
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let lookalike = issues
        .iter()
        .find(|i| i["check_name"] == "STANAG4172-CAL-1")
        .unwrap();
    assert_eq!(lookalike["severity"], "major");
    assert_eq!(lookalike["location"]["lines"]["begin"], 9);
}

#[test]
fn output_goes_to_the_named_file_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.sarif");
    let output = formfit(&[
        "check",
        "--format",
        "sarif",
        "--output",
        target.to_str().unwrap(),
        MIXED[1],
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(target).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
}

#[test]
fn quiet_prints_only_the_summaries() {
    let output = run("human");
    let quiet = {
        let mut args = vec!["check", "--quiet"];
        args.extend(MIXED);
        formfit(&args)
    };
    assert_eq!(quiet.status.code(), output.status.code());
    let text = stdout(&quiet);
    // The summaries, the run's line and the standards that failed most, between the marking
    // banners.
    assert_eq!(text.lines().count(), MIXED.len() + 4, "{text}");
    assert!(text.contains("\nmost failing: MIL-STD-1275 (1 of 1 product non-conformant), "));
    assert_eq!(text.lines().next(), Some("── PUBLIC ──"));
    assert!(stdout(&output).lines().count() > 4 * MIXED.len());
}

#[test]
fn color_always_colours_and_never_does_not() {
    let coloured = stdout(&formfit(&["check", "--color", "always", MIXED[1]]));
    let plain = stdout(&formfit(&["check", "--color", "never", MIXED[1]]));
    assert!(coloured.contains('\u{1b}'));
    assert!(!plain.contains('\u{1b}'));
}

/// Golden output of each CI format for one product, with the machine's checkout path masked.
#[test]
fn golden_output_of_every_ci_format() {
    let root = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
    let mut root_uri = format!("file://{}/", root.display());
    // The SARIF root is the repository's (the nearest .git), which may sit above the crate.
    for dir in root.ancestors() {
        if dir.join(".git").exists() {
            root_uri = format!("file://{}/", dir.display());
            break;
        }
    }
    for format in ["sarif", "junit", "github", "gitlab", "ndjson"] {
        let output = formfit(&[
            "check",
            "--format",
            format,
            "fixtures/nato-uhf-air-band/bad-partial-band.toml",
        ]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = stdout(&output).replace(&root_uri, "file:///REPO/");
        insta::assert_snapshot!(format!("format_{format}"), text);
    }
}

#[test]
fn marked_packs_keep_their_text_from_third_party_formats_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let pack = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/stanag-4172.toml"),
    )
    .unwrap()
    .replace(
        "classification = \"PUBLIC\"",
        "classification = \"NATO RESTRICTED\"",
    );
    std::fs::write(dir.path().join("stanag-4172.toml"), pack).unwrap();
    let rules = dir.path().to_str().unwrap();
    let cleared = ["--max-classification", "NATO RESTRICTED"];
    let formfit = |args: &[&str]| formfit(&[&args[..1], &cleared[..], &args[1..]].concat());
    for format in ["sarif", "github", "gitlab"] {
        let refused = formfit(&["check", "--rules", rules, "--format", format, MIXED[1]]);
        assert_eq!(refused.status.code(), Some(3), "{format}");
        assert!(stdout(&refused).contains("NATO RESTRICTED"), "{format}");
        let allowed = formfit(&[
            "check",
            "--rules",
            rules,
            "--format",
            format,
            "--allow-marked-output",
            MIXED[1],
        ]);
        assert_eq!(allowed.status.code(), Some(1), "{format}");
    }
    let json = json(&formfit(&[
        "check", "--rules", rules, "--format", "json", MIXED[1],
    ]));
    assert_eq!(json["classification"], "NATO RESTRICTED");
    let human = stdout(&formfit(&["check", "--rules", rules, MIXED[1]]));
    assert!(
        human.starts_with("── NATO RESTRICTED ──")
            && human.trim_end().ends_with("── NATO RESTRICTED ──"),
        "{human}"
    );
}

#[test]
fn github_and_gitlab_name_files_relative_to_the_repository_root_as_sarif_does() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join(".git")).unwrap();
    std::fs::create_dir_all(repo.path().join("products/rifles")).unwrap();
    std::fs::create_dir_all(repo.path().join("ci")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stanag-4172/bad-223.toml"),
        repo.path().join("products/rifles/sr16.toml"),
    )
    .unwrap();
    let run = |format| {
        formfit_in(
            &repo.path().join("ci"),
            &[
                "check",
                "--no-config",
                "--format",
                format,
                "../products/rifles/sr16.toml",
            ],
        )
    };
    let github = stdout(&run("github"));
    assert!(
        github.contains("::error file=products/rifles/sr16.toml,line=9,"),
        "{github}"
    );
    let gitlab = json(&run("gitlab"));
    assert_eq!(gitlab[0]["location"]["path"], "products/rifles/sr16.toml");
    let sarif = json(&run("sarif"));
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "products/rifles/sr16.toml"
    );
}

/// GitHub code scanning needs every rule's `fullDescription` and `help` (GH2012), and an alert
/// of formfit's own codes must not take its title from the first finding of the code.
#[test]
fn sarif_describes_formfits_own_codes_statically_and_never_names_a_rule_after_its_id() {
    let sarif = json(&run("sarif"));
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(
        driver["fullName"],
        format!("formfit {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(run["automationDetails"]["id"], "formfit/");
    let messages: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"]["text"].as_str().unwrap())
        .collect();
    for rule in driver["rules"].as_array().unwrap() {
        assert_ne!(rule.get("name"), Some(&rule["id"]), "{rule}");
        for key in ["/fullDescription/text", "/help/text", "/help/markdown"] {
            let text = rule.pointer(key).and_then(|t| t.as_str()).unwrap_or("");
            assert!(!text.is_empty(), "{key} of {rule}");
        }
    }
    let schema = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "input/schema")
        .unwrap();
    let title = schema["shortDescription"]["text"].as_str().unwrap();
    assert_eq!(title, "Product file does not match the product schema");
    assert!(!messages.iter().any(|m| m.starts_with(title)));
}

/// Issue 10: a result of formfit's own code carries the code in its properties under its old
/// `ruleId`; a pack rule's result points at the rule in its pack as a related location.
#[test]
fn sarif_results_carry_their_code_and_where_their_rule_is_defined() {
    let sarif = json(&run("sarif"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let typo = results
        .iter()
        .find(|r| r["ruleId"] == "input/schema")
        .unwrap();
    assert_eq!(typo["properties"]["code"], "input/schema", "{typo}");
    assert!(typo.get("relatedLocations").is_none(), "{typo}");
    let chambering = results
        .iter()
        .find(|r| r["ruleId"] == "STANAG4172-CAL-1")
        .unwrap();
    assert!(
        chambering["properties"].get("code").is_none(),
        "{chambering}"
    );
    let related = &chambering["relatedLocations"][0];
    let at = &related["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "rules/stanag-4172.toml");
    let pack = std::fs::read_to_string("rules/stanag-4172.toml").unwrap();
    let line = at["region"]["startLine"].as_u64().unwrap() as usize;
    assert_eq!(pack.lines().nth(line - 1), Some("[[rule]]"));
    assert_eq!(
        pack.lines().nth(line),
        Some("id = \"STANAG4172-CAL-1\""),
        "the rule's own table"
    );
    assert_eq!(
        related["message"]["text"],
        "rule STANAG4172-CAL-1 is defined here"
    );
}

/// GitHub's SARIF subset ignores `suppressions`: a waived finding must read as waived by its
/// level and its text alone, and carry the suppression for services that apply it.
#[test]
fn sarif_waived_finding_is_a_note_with_an_accepted_suppression_and_the_approval_in_its_text() {
    let output = formfit(&[
        "check",
        "--format",
        "sarif",
        "--deviations",
        "tests/data/matrix/deviations.toml",
        "--today",
        "2026-11-25",
        "tests/data/matrix/vehicle-radio.toml",
    ]);
    let sarif = json(&output);
    let waived: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["properties"]["disposition"] == "waived")
        .collect();
    assert_eq!(waived.len(), 1, "{sarif}");
    let result = waived[0];
    assert_eq!(result["level"], "note");
    assert_eq!(result["suppressions"][0]["kind"], "external");
    assert_eq!(result["suppressions"][0]["status"], "accepted");
    let text = result["message"]["text"].as_str().unwrap();
    assert!(
        text.ends_with("(waived by approved deviation DA-2026-114, expires 2027-06-30)"),
        "{text}"
    );
}

fn junit_xml(args: &[&str]) -> String {
    let mut all = vec!["check", "--format", "junit"];
    all.extend(args);
    stdout(&formfit(&all))
}

/// The `testsuites` start tag, and every `testcase` start tag.
fn junit_tags(xml: &str) -> (String, Vec<String>) {
    let tag_at = |at: usize| xml[at..at + xml[at..].find('>').unwrap()].to_owned();
    let root = tag_at(xml.find("<testsuites").unwrap());
    let cases = xml
        .match_indices("<testcase ")
        .map(|(at, _)| tag_at(at))
        .collect();
    (root, cases)
}

/// The xunit XSD has no root `skipped`; GitLab shows each case's `file`; Jenkins splits a class
/// name at its last dot, so `7.62x51 NATO` would become package `7`.
#[test]
fn junit_cases_carry_file_and_time_the_root_no_skipped_and_class_names_no_dots() {
    let xml = junit_xml(&["fixtures/762x51-nato/good-gpmg.toml", MIXED[2], MIXED[3]]);
    let (root, cases) = junit_tags(&xml);
    assert!(!root.contains("skipped="), "{root}");
    assert!(cases.len() > 3);
    for case in &cases {
        assert!(case.contains(" file=\"fixtures/"), "{case}");
        assert!(case.contains(" time=\""), "{case}");
        let classname = case.split("classname=\"").nth(1).unwrap();
        assert!(
            !classname[..classname.find('"').unwrap()].contains('.'),
            "{case}"
        );
    }
    assert!(xml.contains("classname=\"7_62x51 NATO\""), "{xml}");
    // Still readable by a JUnit reader, with the same counts.
    let junit = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    assert_eq!(junit.test_suites.len(), 3);
}

/// Two vendors' products in one run: each suite names its own vendor's marking, never the
/// other's.
#[test]
fn junit_suites_carry_their_own_products_marking_not_the_runs_banner() {
    let xml = junit_xml(&[
        "fixtures/762x51-nato/good-gpmg.toml",
        "fixtures/stanag-4172/good-ball-cartridge.toml",
    ]);
    let junit = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    for (suite, own, other) in [(0, "BRACKMOOR", "NORTHGATE"), (1, "NORTHGATE", "BRACKMOOR")] {
        let suite = &junit.test_suites[suite];
        let marking = suite
            .properties
            .iter()
            .find(|p| p.name.as_str() == "classification")
            .unwrap();
        assert!(marking.value.as_str().contains(own), "{xml}");
        assert!(!marking.value.as_str().contains(other), "{xml}");
    }
}

/// Code Climate's issue type wants `type`, `categories` and both ends of `lines`; a label that
/// adds nothing (the bare `here` of a syntax error) is not appended to the description.
#[test]
fn gitlab_issues_are_complete_code_climate_issues_without_a_bare_label() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("syntax.toml"), "[product]\nid = \n").unwrap();
    let output = formfit_in(
        dir.path(),
        &["check", "--no-config", "--format", "gitlab", "syntax.toml"],
    );
    let issues = json(&output);
    let issue = &issues[0];
    assert_eq!(issue["check_name"], "input/syntax");
    let description = issue["description"].as_str().unwrap();
    assert!(!description.ends_with(": here"), "{description}");
    let mut all: Vec<serde_json::Value> = serde_json::from_slice(&run("gitlab").stdout).unwrap();
    all.push(issue.clone());
    for issue in &all {
        assert_eq!(issue["type"], "issue", "{issue}");
        assert!(
            !issue["categories"].as_array().unwrap().is_empty(),
            "{issue}"
        );
        let lines = &issue["location"]["lines"];
        assert!(lines["end"].as_u64().unwrap() >= lines["begin"].as_u64().unwrap());
    }
    let lookalike = all
        .iter()
        .find(|i| i["check_name"] == "STANAG4172-CAL-1")
        .unwrap();
    assert_eq!(lookalike["categories"][0], "Compatibility");
}
