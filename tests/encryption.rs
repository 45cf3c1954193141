//! Encrypted restricted packs: encrypted to named recipients with age, decrypted in memory with
//! the holder's identity, refused without one; signed before encryption, verified after.

mod common;
use common::*;

use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;

/// A fresh age identity written to `dir/NAME.txt`, and its public recipient.
fn identity(dir: &Path, name: &str) -> (PathBuf, String) {
    let identity = age::x25519::Identity::generate();
    let path = dir.join(format!("{name}.txt"));
    std::fs::write(&path, format!("{}\n", identity.to_string().expose_secret())).unwrap();
    (path, identity.to_public().to_string())
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A rules folder holding only `stanag-4172.toml.age`, encrypted to a fresh recipient.
fn encrypted_pack(keys: &Path) -> (tempfile::TempDir, PathBuf) {
    let rules = tempfile::tempdir().unwrap();
    let (identity, recipient) = identity(keys, "holder");
    let plain = rules.path().join("stanag-4172.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/stanag-4172.toml"),
        &plain,
    )
    .unwrap();
    let out = formfit(&[
        "rules",
        "encrypt",
        "--recipient",
        &recipient,
        plain.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&plain).unwrap();
    (rules, identity)
}

fn check(rules: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--rules",
        rules.to_str().unwrap(),
    ];
    args.extend(extra);
    args.push("fixtures/stanag-4172/bad-223.toml");
    formfit(&args)
}

#[test]
fn an_encrypted_pack_loads_with_its_identity_and_leaves_no_plaintext() {
    let keys = tempfile::tempdir().unwrap();
    let (rules, identity) = encrypted_pack(keys.path());
    assert_eq!(files_in(rules.path()), ["stanag-4172.toml.age"]);
    let ciphertext = std::fs::read(rules.path().join("stanag-4172.toml.age")).unwrap();
    assert!(
        !String::from_utf8_lossy(&ciphertext).contains("STANAG4172-CAL-1"),
        "the pack is encrypted"
    );
    let output = check(rules.path(), &["--identity", identity.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(
        value["products"][0]["findings"][0]["rule"],
        "STANAG4172-CAL-1"
    );
    assert!(value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["message"]
            .as_str()
            .unwrap()
            .contains("stanag-4172.toml.age")));
    assert_eq!(
        files_in(rules.path()),
        ["stanag-4172.toml.age"],
        "no plaintext written beside it"
    );
}

#[test]
fn an_encrypted_pack_is_never_exported_as_an_oscal_catalog() {
    let keys = tempfile::tempdir().unwrap();
    let (rules, identity) = encrypted_pack(keys.path());
    let rules = rules.path().to_str().unwrap();
    let identity = identity.to_str().unwrap();
    let args = ["--no-config", "--rules", rules, "--identity", identity];
    // Loaded, it replaces the built-in STANAG 4172 and judges with it…
    let loaded = formfit(&[&["rules"], &args[..], &["list", "--format", "json"]].concat());
    assert!(
        stdout(&loaded).contains("stanag-4172.toml.age"),
        "{}",
        stdout(&loaded)
    );
    // …but its rules never come out in the clear, whatever the format.
    for format in ["oscal", "toml"] {
        let export = [
            &["rules"],
            &args[..],
            &["export", "STANAG 4172", "--format", format],
        ];
        let refused = formfit(&export.concat());
        assert_eq!(
            refused.status.code(),
            Some(3),
            "{format}: {}",
            stderr(&refused)
        );
        assert!(refused.stdout.is_empty(), "{format}: {}", stdout(&refused));
    }
    let oscal = [
        &["rules"],
        &args[..],
        &["export", "STANAG 4172", "--format", "oscal"],
    ];
    let why = stderr(&formfit(&oscal.concat()));
    assert!(why.contains("encrypted pack"), "{why}");
}

#[test]
fn without_the_right_identity_the_pack_is_refused() {
    let keys = tempfile::tempdir().unwrap();
    let (rules, _) = encrypted_pack(keys.path());
    let none = check(rules.path(), &[]);
    assert_eq!(none.status.code(), Some(3));
    assert!(json(&none)["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no identity was given"));
    let (other, _) = identity(keys.path(), "other");
    let wrong = check(rules.path(), &["--identity", other.to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(3));
    let value = json(&wrong);
    let message = value["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("none of your identities is a recipient"),
        "{message}"
    );
}

#[test]
fn signed_then_encrypted_is_verified_after_decrypting() {
    let keys = tempfile::tempdir().unwrap();
    assert_eq!(
        formfit(&[
            "rules",
            "keygen",
            "--out",
            keys.path().to_str().unwrap(),
            "--name",
            "pub"
        ])
        .status
        .code(),
        Some(0)
    );
    let (identity, recipient) = identity(keys.path(), "holder");
    let rules = tempfile::tempdir().unwrap();
    let plain = rules.path().join("stanag-4172.toml");
    let signed_then_encrypted = |text: &str, tamper: bool| {
        std::fs::write(&plain, text).unwrap();
        let sign = formfit(&[
            "rules",
            "sign",
            "--secret-key",
            keys.path().join("pub.key").to_str().unwrap(),
            plain.to_str().unwrap(),
        ]);
        assert_eq!(sign.status.code(), Some(0));
        if tamper {
            std::fs::write(&plain, text.replace("level = \"shall\"", "level = \"may\"")).unwrap();
        }
        assert_eq!(
            formfit(&[
                "rules",
                "encrypt",
                "--recipient",
                &recipient,
                plain.to_str().unwrap()
            ])
            .status
            .code(),
            Some(0)
        );
        std::fs::remove_file(&plain).unwrap();
        check(
            rules.path(),
            &[
                "--identity",
                identity.to_str().unwrap(),
                "--require-signed",
                "--trusted-key",
                keys.path().join("pub.pub").to_str().unwrap(),
            ],
        )
    };
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/stanag-4172.toml"),
    )
    .unwrap();
    assert_eq!(
        signed_then_encrypted(&original, false).status.code(),
        Some(1),
        "verified and checked"
    );
    let tampered = signed_then_encrypted(&original, true);
    assert_eq!(tampered.status.code(), Some(3));
    assert!(json(&tampered)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["message"].as_str().unwrap().contains("altered")));
}

/// Issue 10: where a rule is defined is a second location, but never in a pack whose text
/// the reader must not see: an encrypted pack's finding has no rule location in any output.
#[test]
fn a_finding_of_an_encrypted_pack_never_points_into_the_pack() {
    let keys = tempfile::tempdir().unwrap();
    let (rules, identity) = encrypted_pack(keys.path());
    let identity = identity.to_str().unwrap();
    let value = json(&check(rules.path(), &["--identity", identity]));
    let finding = &value["products"][0]["findings"][0];
    assert_eq!(finding["rule"], "STANAG4172-CAL-1");
    assert!(finding["rule_location"].is_null(), "{finding}");
    let mut args = vec!["check", "--rules", rules.path().to_str().unwrap()];
    args.extend(["--identity", identity, "fixtures/stanag-4172/bad-223.toml"]);
    let human = String::from_utf8_lossy(&formfit(&args).stdout).into_owned();
    assert!(human.contains("STANAG4172-CAL-1"), "{human}");
    assert!(
        !human.contains("is defined here") && !human.contains("[[rule]]"),
        "{human}"
    );
}
