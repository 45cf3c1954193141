//! Profiles: the shipped ones resolve; obligations decide what gates; import, merge and select
//! behave as documented; a broken profile is a located error (exit 3).

mod common;
use common::*;

use std::path::Path;
use std::process::Output;

use formfit::pack::profile::{self, Obligation};
use formfit::pack::{Library, PackCompiler};

const WEAVER_RIFLE: &str = "fixtures/stanag-4694/bad-rifle-weaver.yaml";

#[test]
fn every_shipped_profile_resolves() {
    let (library, errors) = Library::builtin(&PackCompiler::new());
    assert!(errors.is_empty());
    assert!(library.profiles.len() >= 3);
    for p in &library.profiles {
        let resolved = profile::resolve(&p.name, &library.profiles, &library)
            .unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
        assert!(!resolved.standards.is_empty(), "{}", p.name);
    }
    let section = profile::resolve("infantry-section", &library.profiles, &library).unwrap();
    let obligation = |id: &str| {
        section
            .standards
            .iter()
            .find(|s| s.pack.meta.designation == id)
            .map(|s| s.obligation)
    };
    // Imported from infantry-rifle, then lowered by infantry-section's own entry.
    assert_eq!(obligation("STANAG 4172"), Some(Obligation::Mandatory));
    assert_eq!(obligation("STANAG 4694"), Some(Obligation::Recommended));
    assert_eq!(obligation("STANAG 4090"), Some(Obligation::Recommended));
}

#[test]
fn only_mandatory_standards_gate() {
    let mandatory = formfit(&[
        "check",
        "--format",
        "json",
        "--profile",
        "infantry-rifle",
        WEAVER_RIFLE,
    ]);
    assert_eq!(mandatory.status.code(), Some(1));
    let recommended = formfit(&[
        "check",
        "--format",
        "json",
        "--profile",
        "infantry-section",
        WEAVER_RIFLE,
    ]);
    assert_eq!(recommended.status.code(), Some(0));
    let value = json(&recommended);
    let finding = value["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "STANAG4694-WPN-1")
        .unwrap()
        .clone();
    assert_eq!(finding["gating"], false);
    assert_eq!(finding["level"], "shall");
    let standards = value["products"][0]["standards"].as_array().unwrap();
    assert!(standards
        .iter()
        .any(|s| s["id"] == "STANAG 4694" && s["obligation"] == "recommended"));
}

fn user_profiles(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("profiles")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("profiles").join(name), text).unwrap();
    }
    dir
}

fn check_with(dir: &Path, profile: &str) -> Output {
    formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.to_str().unwrap(),
        "--profile",
        profile,
        WEAVER_RIFLE,
    ])
}

#[test]
fn a_circular_import_is_located_in_the_profile() {
    let dir = user_profiles(&[
        (
            "a.toml",
            "formfit_profile = 1\n[profile]\nname = \"a\"\ntitle = \"A\"\nimports = [\"b\"]\n",
        ),
        (
            "b.toml",
            "formfit_profile = 1\n[profile]\nname = \"b\"\ntitle = \"B\"\nimports = [\"a\"]\n",
        ),
    ]);
    let output = check_with(dir.path(), "a");
    assert_eq!(output.status.code(), Some(3));
    let d = &json(&output)["diagnostics"][0];
    assert_eq!(d["id"], "profile/circular-import");
    assert!(d["message"].as_str().unwrap().contains("a → b → a"), "{d}");
    assert_eq!(d["location"]["line"], 5);
}

#[test]
fn an_unknown_rule_a_wrong_edition_pin_and_an_unknown_standard_are_located() {
    let cases = [
        (
            "formfit_profile = 1\n[profile]\nname = \"p\"\ntitle = \"P\"\n[[standard]]\nid = \"STANAG 4172\"\n[select]\ninclude_rules = [\"STANAG4172-CAL-9\"]\n",
            "profile/unknown-rule",
            8,
        ),
        (
            "formfit_profile = 1\n[profile]\nname = \"p\"\ntitle = \"P\"\n[[standard]]\nid = \"MIL-STD-1275\"\nedition = \"D\"\n",
            "profile/edition-pin",
            7,
        ),
        (
            "formfit_profile = 1\n[profile]\nname = \"p\"\ntitle = \"P\"\n[[standard]]\nid = \"STANAG 9999\"\n",
            "profile/unknown-standard",
            6,
        ),
    ];
    for (text, id, line) in cases {
        let dir = user_profiles(&[("p.toml", text)]);
        let output = check_with(dir.path(), "p");
        assert_eq!(output.status.code(), Some(3), "{id}");
        let d = &json(&output)["diagnostics"][0];
        assert_eq!(d["id"], id);
        assert_eq!(d["location"]["line"], line, "{id}: {d}");
    }
}

#[test]
fn select_keeps_only_the_included_rules() {
    let dir = user_profiles(&[(
        "rail-only.toml",
        "formfit_profile = 1\n[profile]\nname = \"rail-only\"\ntitle = \"R\"\nimports = [\"infantry-rifle\"]\n[select]\nexclude_rules = [\"STANAG4694-WPN-1\"]\n",
    )]);
    let output = check_with(dir.path(), "rail-only");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let value = json(&output);
    assert!(value["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["rule"] != "STANAG4694-WPN-1"));
}

#[test]
fn an_unknown_profile_lists_the_known_ones() {
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--profile",
        "nope",
        WEAVER_RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    let help = json(&output)["diagnostics"][0]["help"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        help.contains("infantry-rifle") && help.contains("land-vehicle-c4i"),
        "{help}"
    );
}

/// A run reads the built-in profiles without their schema (`profile::load_builtin`), so this
/// test is what holds each of them to it: loaded as a user's profile would be, schema first.
#[test]
fn every_builtin_profile_passes_the_profile_schema() {
    for (file, text) in formfit::pack::BUILTIN_PROFILES {
        if let Err(e) = formfit::pack::profile::load(file, text.as_bytes()) {
            panic!("{file} fails the profile schema: {:#?}", e.problems);
        }
    }
}
