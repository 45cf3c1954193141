//! Signed packs: keygen, sign, verify, and --require-signed refusing what is unsigned, altered,
//! signed by an unknown key, or signed for another pack. Keys are made per test, for tests only.

mod common;
use common::*;

use std::path::{Path, PathBuf};

struct Publisher {
    dir: tempfile::TempDir,
}

impl Publisher {
    /// A folder with keys/acme.{pub,key} and rules/ holding a copy of the given shipped packs.
    fn new(packs: &[&str]) -> Publisher {
        let dir = tempfile::tempdir().unwrap();
        let out = formfit(&[
            "rules",
            "keygen",
            "--out",
            dir.path().join("keys").to_str().unwrap(),
            "--name",
            "acme",
        ]);
        assert_eq!(out.status.code(), Some(0));
        std::fs::create_dir(dir.path().join("rules")).unwrap();
        for pack in packs {
            std::fs::copy(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("rules")
                    .join(pack),
                dir.path().join("rules").join(pack),
            )
            .unwrap();
        }
        Publisher { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn sign(&self, pack: &str) {
        let out = formfit(&[
            "rules",
            "sign",
            "--secret-key",
            self.path("keys/acme.key").to_str().unwrap(),
            self.path(&format!("rules/{pack}")).to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn check(&self, extra: &[&str]) -> std::process::Output {
        let rules = self.path("rules");
        let key = self.path("keys/acme.pub");
        let mut args = vec![
            "check",
            "--format",
            "json",
            "--rules",
            rules.to_str().unwrap(),
            "--require-signed",
            "--trusted-key",
            key.to_str().unwrap(),
        ];
        args.extend(extra);
        args.push("fixtures/stanag-4172/bad-223.toml");
        formfit(&args)
    }

    fn verify(&self) -> (Option<i32>, String) {
        let out = formfit(&[
            "rules",
            "verify",
            "--trusted-key",
            self.path("keys/acme.pub").to_str().unwrap(),
            self.path("rules").to_str().unwrap(),
        ]);
        (out.status.code(), stdout(&out))
    }
}

fn refusal(output: &std::process::Output) -> String {
    let value = json(output);
    value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "formfit/untrusted-pack")
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[test]
fn a_signed_pack_verifies_and_checks() {
    let p = Publisher::new(&["stanag-4172.toml"]);
    p.sign("stanag-4172.toml");
    let (code, text) = p.verify();
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.starts_with("ok    STANAG 4172") && text.contains("signed by"),
        "{text}"
    );
    let output = p.check(&[]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the pack's verdict stands: {}",
        refusal(&output)
    );
    assert!(p.path("keys/acme.key").exists());
}

#[test]
fn a_tampered_pack_is_refused() {
    let p = Publisher::new(&["stanag-4172.toml"]);
    p.sign("stanag-4172.toml");
    let pack = p.path("rules/stanag-4172.toml");
    let text = std::fs::read_to_string(&pack)
        .unwrap()
        .replace("level = \"shall\"", "level = \"may\"");
    std::fs::write(&pack, text).unwrap();
    let output = p.check(&[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(refusal(&output).contains("altered"), "{}", refusal(&output));
    assert!(
        json(&output)["products"].as_array().unwrap().is_empty(),
        "no verdict from it"
    );
    assert_eq!(p.verify().0, Some(1));
}

#[test]
fn an_unsigned_pack_and_a_pack_signed_by_another_key_are_refused() {
    let p = Publisher::new(&["stanag-4172.toml"]);
    assert!(refusal(&p.check(&[])).contains("unsigned"));
    let stranger = Publisher::new(&[]);
    let out = formfit(&[
        "rules",
        "sign",
        "--secret-key",
        stranger.path("keys/acme.key").to_str().unwrap(),
        p.path("rules/stanag-4172.toml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let output = p.check(&[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        refusal(&output).contains("unknown key"),
        "{}",
        refusal(&output)
    );
}

#[test]
fn a_signed_pack_renamed_is_caught() {
    let p = Publisher::new(&["stanag-4172.toml"]);
    p.sign("stanag-4172.toml");
    std::fs::rename(p.path("rules/stanag-4172.toml"), p.path("rules/rifle.toml")).unwrap();
    std::fs::rename(
        p.path("rules/stanag-4172.toml.minisig"),
        p.path("rules/rifle.toml.minisig"),
    )
    .unwrap();
    let output = p.check(&[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        refusal(&output).contains("signed for another pack"),
        "{}",
        refusal(&output)
    );
}

#[test]
fn an_older_signed_edition_swapped_in_is_caught_by_the_pin() {
    let p = Publisher::new(&["mil-std-1275.toml"]);
    let pack = p.path("rules/mil-std-1275.toml");
    let older = std::fs::read_to_string(&pack)
        .unwrap()
        .replace("edition = \"E\"", "edition = \"D\"");
    std::fs::write(&pack, older).unwrap();
    p.sign("mil-std-1275.toml");
    assert_eq!(p.verify().0, Some(0), "validly signed");
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("formfit.toml"),
        "[[pin]]\nstandard = \"MIL-STD-1275\"\nedition = \"E\"\n",
    )
    .unwrap();
    let rifle =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mil-std-1275/good-vehicle-psu.toml");
    let output = formfit_in(
        project.path(),
        &[
            "check",
            "--format",
            "json",
            "--rules",
            p.path("rules").to_str().unwrap(),
            "--require-signed",
            "--trusted-key",
            p.path("keys/acme.pub").to_str().unwrap(),
            rifle.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(json(&output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == "config/pin"));
}

#[test]
fn built_in_packs_count_as_trusted() {
    let p = Publisher::new(&[]);
    let output = formfit(&[
        "check",
        "--require-signed",
        "--trusted-key",
        p.path("keys/acme.pub").to_str().unwrap(),
        "fixtures/stanag-4172/bad-223.toml",
    ]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn keygen_does_not_overwrite_keys() {
    let p = Publisher::new(&[]);
    let again = formfit(&[
        "rules",
        "keygen",
        "--out",
        p.path("keys").to_str().unwrap(),
        "--name",
        "acme",
    ]);
    assert_eq!(again.status.code(), Some(3));
}
