//! Classification and releasability: marked packs are refused or set aside until the holder
//! says what they may hold; a claim of a withheld pack is explained, not silently passed.

mod common;
use common::*;

/// A user folder with a copy of the STANAG 4172 pack, marked and releasable as given.
fn marked_pack(marking: &str, releasable: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut pack = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/stanag-4172.toml"),
    )
    .unwrap()
    .replace(
        "classification = \"PUBLIC\"",
        &format!("classification = \"{marking}\""),
    );
    if let Some(groups) = releasable {
        pack = pack.replace(
            "[applicability]",
            &format!("releasable_to = {groups}\n\n[applicability]"),
        );
    }
    std::fs::write(dir.path().join("stanag-4172.toml"), pack).unwrap();
    dir
}

const RIFLE: &str = "fixtures/stanag-4172/bad-223.toml";

#[test]
fn a_selected_pack_above_the_holders_level_is_refused_at_its_marking() {
    let dir = marked_pack("NATO RESTRICTED", None);
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.path().to_str().unwrap(),
        "--standard",
        "STANAG 4172",
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let d = diagnostic(&value, "formfit/withheld-pack");
    assert_eq!(d["level"], "shall");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("above the NATO UNCLASSIFIED you hold"),
        "{d}"
    );
    assert_eq!(
        d["location"]["line"], 11,
        "the classification line of the pack"
    );
    assert!(
        value["products"].as_array().unwrap().is_empty(),
        "no rule of it ran"
    );
}

#[test]
fn a_claimed_pack_the_holder_may_not_hold_refuses_the_run_as_standard_would() {
    // Alone (--no-builtin): with the built-in packs the marked copy would take the built-in
    // STANAG 4172's place and be refused at load (tests/trust.rs).
    let dir = marked_pack("NATO RESTRICTED", None);
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--no-builtin",
        "--rules",
        dir.path().to_str().unwrap(),
        RIFLE,
    ]);
    // The product asks to be checked against it: a green run would hide that it was not.
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let withheld = diagnostic(&value, "formfit/withheld-pack");
    assert_eq!(withheld["level"], "should");
    let refused = diagnostic(&value, "formfit/withheld-standard");
    assert_eq!(refused["level"], "shall");
    assert_eq!(refused["location"]["file"], RIFLE);
    let claim = &value["products"][0]["findings"][0];
    assert_eq!(claim["rule"], "formfit/withheld-standard");
    assert_eq!(claim["status"], "not-checked");
    assert_eq!(value["classification"], "PUBLIC", "nothing marked was used");
}

#[test]
fn a_holder_cleared_for_the_level_checks_with_the_marked_pack() {
    let dir = marked_pack("NATO RESTRICTED", None);
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.path().to_str().unwrap(),
        "--max-classification",
        "NATO RESTRICTED",
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["classification"], "NATO RESTRICTED");
}

#[test]
fn releasability_needs_one_of_the_holders_groups() {
    let dir = marked_pack("NATO UNCLASSIFIED", Some("[\"NATO\", \"EU\"]"));
    let rules = dir.path().to_str().unwrap();
    let outsider = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        rules,
        "--standard",
        "STANAG 4172",
        RIFLE,
    ]);
    assert_eq!(outsider.status.code(), Some(3));
    let value = json(&outsider);
    let refused = diagnostic(&value, "formfit/withheld-pack");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("releasable to NATO, EU only"),
        "{refused}"
    );
    let member = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        rules,
        "--standard",
        "STANAG 4172",
        "--holder-group",
        "eu",
        RIFLE,
    ]);
    assert_eq!(member.status.code(), Some(1));
}

#[test]
fn the_holder_can_be_stated_in_formfit_toml() {
    let dir = marked_pack("NATO RESTRICTED", None);
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("formfit.toml"),
        format!("rules = [\"{}\"]\nmax-classification = \"NATO RESTRICTED\"\nholder-groups = [\"NATO\"]\n", dir.path().display()),
    )
    .unwrap();
    let rifle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(RIFLE);
    let output = formfit_in(
        project.path(),
        &[
            "check",
            "--format",
            "json",
            "--standard",
            "STANAG 4172",
            rifle.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["classification"], "NATO RESTRICTED");
}

#[test]
fn rules_show_prints_a_marked_pack_only_to_a_cleared_holder_between_banners() {
    let dir = marked_pack("NATO RESTRICTED", None);
    let rules = dir.path().to_str().unwrap();
    let refused = formfit(&["rules", "--rules", rules, "show", "STANAG 4172"]);
    assert_eq!(refused.status.code(), Some(3));
    assert!(!stdout(&refused).contains("STANAG4172-CAL-1"));
    let cleared = formfit(&[
        "rules",
        "--rules",
        rules,
        "--max-classification",
        "NATO RESTRICTED",
        "show",
        "STANAG 4172",
    ]);
    assert_eq!(cleared.status.code(), Some(0));
    let text = stdout(&cleared);
    // Run notes (the replaced built-in pack) come first; the pack sits between its banners.
    assert!(
        text.contains("── NATO RESTRICTED ──\nSTANAG 4172 — "),
        "{text}"
    );
    assert!(text.trim_end().ends_with("── NATO RESTRICTED ──"), "{text}");
    assert!(text.contains("STANAG4172-CAL-1"));
}

/// Issue 10: a marked pack's text stays out of the report even for a cleared holder: its
/// findings carry no location in the pack (JSON `rule_location`, the human snippet).
#[test]
fn a_finding_of_a_marked_pack_never_points_into_the_pack() {
    let dir = marked_pack("NATO RESTRICTED", None);
    let run = |format: &str| {
        formfit(&[
            "check",
            "--format",
            format,
            "--rules",
            dir.path().to_str().unwrap(),
            "--max-classification",
            "NATO RESTRICTED",
            RIFLE,
        ])
    };
    let value = json(&run("json"));
    let finding = &value["products"][0]["findings"][0];
    assert_eq!(finding["rule"], "STANAG4172-CAL-1");
    assert!(finding["rule_location"].is_null(), "{finding}");
    let human = String::from_utf8_lossy(&run("human").stdout).into_owned();
    assert!(human.contains("STANAG4172-CAL-1"), "{human}");
    assert!(!human.contains("[[rule]]"), "{human}");
}
