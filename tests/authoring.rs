//! Pack authoring from the command line: `rules new` writes a skeleton that loads and whose
//! cases run, `rules export` writes a built-in pack's exact bytes (and refuses what the holder
//! may not see), a pack as an OSCAL catalog and a profile as an OSCAL profile (the same bytes
//! from the same run, refused when marked), and `rules test` reports for CI as JUnit or JSON.

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

/// `formfit rules --no-config ARGS… export … --format oscal`, dated by `date` (`--today`) or,
/// when it is a number, by `SOURCE_DATE_EPOCH`; exit 0 and the document's JSON.
fn oscal_export(rules: &[&str], export: &[&str], date: &str) -> (Vec<u8>, serde_json::Value) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_formfit"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["rules", "--no-config"])
        .args(rules)
        .arg("export")
        .args(export)
        .args(["--format", "oscal"]);
    if date.contains('-') {
        command.args(["--today", date]);
    } else {
        command.env("SOURCE_DATE_EPOCH", date);
    }
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = json(&output);
    (output.stdout, value)
}

/// A pack's rules as its file writes them: (id, clause, level, message), in file order.
fn pack_rules(file: &str) -> Vec<(String, String, String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let value: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    value["rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap().to_owned();
            (
                field("id"),
                field("clause"),
                field("level"),
                field("message"),
            )
        })
        .collect()
}

/// An OSCAL object's formfit properties, by name.
fn props(object: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    object["props"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Every control of a catalog, in document order, with the clause group it is in.
fn controls(catalog: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let [standard] = catalog["catalog"]["groups"].as_array().unwrap().as_slice() else {
        panic!("one group per standard: {catalog}");
    };
    assert_eq!(standard["class"], "standard");
    standard["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|clause| {
            assert_eq!(clause["class"], "clause");
            let title = clause["title"].as_str().unwrap().to_owned();
            clause["controls"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |c| (title.clone(), c.clone()))
        })
        .collect()
}

#[test]
fn rules_export_oscal_writes_a_control_per_rule_grouped_by_clause() {
    let (_, catalog) = oscal_export(&[], &["MIL-STD-1275"], "2026-11-25");
    let metadata = &catalog["catalog"]["metadata"];
    assert_eq!(metadata["oscal-version"], "1.1.3");
    assert_eq!(metadata["last-modified"], "2026-11-25T00:00:00Z");
    assert_eq!(props(metadata)["marking"], "PUBLIC");
    let rules = pack_rules("rules/mil-std-1275.toml");
    let found = controls(&catalog);
    assert_eq!(found.len(), rules.len(), "one control per rule");
    // Clause groups in the order the pack first cites each clause, one per clause.
    let mut clauses: Vec<&str> = Vec::new();
    for (_, clause, _, _) in &rules {
        if !clauses.contains(&clause.as_str()) {
            clauses.push(clause);
        }
    }
    let groups = catalog["catalog"]["groups"][0]["groups"]
        .as_array()
        .unwrap();
    let titles: Vec<&str> = groups
        .iter()
        .map(|g| g["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, clauses);
    for ((id, clause, level, message), (group, control)) in rules.iter().zip(&found) {
        assert_eq!(control["id"], id.as_str());
        assert_eq!(group, clause, "{id}");
        let p = props(control);
        assert_eq!(
            (&p["rule"], &p["clause"], &p["level"]),
            (id, clause, level),
            "{id}"
        );
        let statement = control["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|part| part["name"] == "statement")
            .unwrap();
        assert_eq!(statement["prose"], message.as_str(), "{id}");
    }
    // Parameters are the limits of a check, each inserted where the check is described; a
    // rule that compares an exact value or a name has none.
    let control = |id: &str| &found.iter().find(|(_, c)| c["id"] == id).unwrap().1;
    let steady = control("MIL1275-SS-1");
    let values: Vec<&str> = steady["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["values"][0].as_str().unwrap())
        .collect();
    assert_eq!(values, ["20 V", "33 V"]);
    let check = steady["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|part| part["name"] == "check")
        .unwrap()["prose"]
        .as_str()
        .unwrap();
    for param in steady["params"].as_array().unwrap() {
        let insert = format!("{{{{ insert: param, {} }}}}", param["id"].as_str().unwrap());
        assert!(check.contains(&insert), "{check}");
    }
    assert!(control("MIL1275-SRC-1").get("params").is_none());
    let (_, rifle) = oscal_export(&[], &["STANAG 4172"], "2026-11-25");
    assert!(controls(&rifle)
        .iter()
        .all(|(_, c)| c.get("params").is_none()));
}

#[test]
fn rules_export_oscal_is_byte_identical_for_the_same_run_and_dated_by_it() {
    let (first, catalog) = oscal_export(&[], &["STANAG 4172"], "2026-11-25");
    let (again, _) = oscal_export(&[], &["STANAG 4172"], "2026-11-25");
    assert!(first == again, "--today");
    let (from_epoch, _) = oscal_export(&[], &["STANAG 4172"], "1795564800");
    assert!(
        first == from_epoch,
        "SOURCE_DATE_EPOCH 1795564800 is 2026-11-25"
    );
    let (_, later) = oscal_export(&[], &["STANAG 4172"], "2027-02-01");
    assert_eq!(
        later["catalog"]["metadata"]["last-modified"],
        "2027-02-01T00:00:00Z"
    );
    let id = catalog["catalog"]["uuid"].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 5);
    assert_eq!(later["catalog"]["uuid"], id, "no UUID depends on the date");
    let profile = |date| oscal_export(&[], &["--profile", "infantry-section"], date).0;
    assert!(profile("2026-11-25") == profile("1795564800"));
}

#[test]
fn rules_export_oscal_profile_imports_each_catalog_with_its_selection_and_obligation() {
    // tests/data/exchange/profiles/c4i-power.toml: land-vehicle-c4i without MIL1275-SPIKE-3,
    // STANAG 4007 optional.
    let rules = ["--rules", "tests/data/exchange"];
    let (_, document) = oscal_export(&rules, &["--profile", "c4i-power"], "2026-11-25");
    let profile = &document["profile"];
    assert_eq!(profile["metadata"]["oscal-version"], "1.1.3");
    let imports = profile["imports"].as_array().unwrap();
    let hrefs: Vec<&str> = imports
        .iter()
        .map(|i| i["href"].as_str().unwrap())
        .collect();
    assert_eq!(
        hrefs,
        [
            "mil-std-1275.catalog.json",
            "vhf-combat-net-radio.catalog.json",
            "stanag-4007.catalog.json"
        ]
    );
    // MIL-STD-1275 without the excluded rule, the others whole.
    let (_, power) = oscal_export(&[], &["MIL-STD-1275"], "2026-11-25");
    let kept: Vec<String> = controls(&power)
        .iter()
        .map(|(_, c)| c["id"].as_str().unwrap().to_owned())
        .filter(|id| id != "MIL1275-SPIKE-3")
        .collect();
    assert_eq!(
        imports[0]["include-controls"][0]["with-ids"],
        serde_json::json!(kept)
    );
    assert!(imports[1].get("include-all").is_some() && imports[2].get("include-all").is_some());
    // Each selected control gets its standard's obligation, the one the profile gives it.
    let (_, socket) = oscal_export(&[], &["STANAG 4007"], "2026-11-25");
    let obligations: std::collections::BTreeMap<String, String> = profile["modify"]["alters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["control-id"].as_str().unwrap().to_owned(),
                props(&a["adds"][0])["obligation"].clone(),
            )
        })
        .collect();
    for (_, c) in controls(&socket) {
        assert_eq!(obligations[c["id"].as_str().unwrap()], "optional");
    }
    assert_eq!(obligations["MIL1275-SS-1"], "mandatory");
    assert!(!obligations.contains_key("MIL1275-SPIKE-3"));
}

const PUBLIC_PACK: &str = r#"formfit_pack = 1
[standard]
designation = "ACME Public"
title = "t"
edition = "1"
source = "s"
note = "A test pack."

[[rule]]
id = "ACME-P-1"
clause = "c"
level = "shall"
path = "power.nominal_voltage"
message = "m"
required = true
"#;

const MARKED_PROFILE: &str = r#"formfit_profile = 1
[profile]
name = "acme"
title = "t"

[[standard]]
id = "ACME Restricted"
"#;

#[test]
fn rules_export_oscal_takes_user_packs_and_refuses_marked_ones_unless_allowed() {
    let public = folder(&[("public.toml", PUBLIC_PACK)]);
    let (_, catalog) = oscal_export(
        &["--rules", public.path().to_str().unwrap()],
        &["ACME Public"],
        "2026-11-25",
    );
    assert_eq!(controls(&catalog).len(), 1);
    let dir = folder(&[
        ("restricted.toml", MARKED),
        ("profiles/acme.toml", MARKED_PROFILE),
    ]);
    let rules = dir.path().to_str().unwrap();
    let cleared = ["--rules", rules, "--max-classification", "NATO RESTRICTED"];
    for (what, export) in [
        ("catalog", vec!["ACME Restricted"]),
        ("profile", vec!["--profile", "acme"]),
    ] {
        let mut args = vec!["rules", "--no-config"];
        args.extend(cleared);
        args.push("export");
        args.extend(&export);
        args.extend(["--format", "oscal", "--today", "2026-11-25"]);
        let refused = formfit(&args);
        assert_eq!(
            refused.status.code(),
            Some(3),
            "{what}: {}",
            stderr(&refused)
        );
        assert!(refused.stdout.is_empty(), "{what}: no document");
        let why = stderr(&refused);
        assert!(
            why.contains(&format!("this {what} carries the marking NATO RESTRICTED"))
                && why.contains("--allow-marked-output"),
            "{what}: {why}"
        );
        let (_, allowed) = oscal_export(
            &cleared,
            &[export.as_slice(), &["--allow-marked-output"]].concat(),
            "2026-11-25",
        );
        assert_eq!(
            props(&allowed[what]["metadata"])["marking"],
            "NATO RESTRICTED",
            "{what}"
        );
        if what == "catalog" {
            for (_, control) in controls(&allowed) {
                assert_eq!(
                    props(&control)["marking"],
                    "NATO RESTRICTED",
                    "on every control"
                );
            }
        }
    }
    // A profile has no TOML export: its TOML is its file.
    let toml = formfit(&[
        "rules",
        "--no-config",
        "export",
        "--profile",
        "infantry-rifle",
    ]);
    assert_eq!(toml.status.code(), Some(3));
    assert!(toml.stdout.is_empty() && stderr(&toml).contains("exported as OSCAL only"));
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
