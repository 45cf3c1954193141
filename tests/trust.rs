//! The trust boundary fails closed: a clearance formfit does not know clears nothing, every
//! command passes the same gate (formfit.toml, --require-signed, the holder, the keys), a
//! refused or marked pack is located but never shown, third-party formats are refused on any
//! NATO-level marking of the run, and a user pack can never switch a built-in check off.

mod common;
use common::*;

use std::path::{Path, PathBuf};

const RIFLE: &str = "fixtures/stanag-4172/bad-223.toml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped STANAG 4172 pack, with replacements applied.
fn stanag_4172(replacements: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(root().join("rules/stanag-4172.toml")).unwrap();
    for (from, to) in replacements {
        assert!(text.contains(from), "the pack has {from}");
        text = text.replace(from, to);
    }
    text
}

/// A copy of STANAG 4172 under another designation and other rule ids: a pack of its own.
fn acme_rifle(replacements: &[(&str, &str)]) -> String {
    let mut all = vec![
        (
            "designation = \"STANAG 4172\"",
            "designation = \"ACME RIFLE\"",
        ),
        ("STANAG4172-", "ACME-"),
    ];
    all.extend_from_slice(replacements);
    let mut text = stanag_4172(&[]);
    for (from, to) in all {
        text = text.replace(from, to);
    }
    text
}

fn ids(value: &serde_json::Value) -> Vec<String> {
    value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

fn keygen(dir: &Path) -> (PathBuf, PathBuf) {
    let out = formfit(&[
        "rules",
        "keygen",
        "--out",
        dir.to_str().unwrap(),
        "--name",
        "acme",
    ]);
    assert_eq!(out.status.code(), Some(0));
    (dir.join("acme.pub"), dir.join("acme.key"))
}

fn sign(secret: &Path, file: &Path) {
    let out = formfit(&[
        "rules",
        "sign",
        "--secret-key",
        secret.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// 1. The holder's clearance is a closed, parsed value.

#[test]
fn a_misspelt_clearance_is_a_usage_error_that_suggests_the_level_never_a_clearance_of_everything() {
    for (written, meant) in [
        ("NATO RESTRICTD", "NATO RESTRICTED"),
        ("RESTRICTED", "NATO RESTRICTED"),
    ] {
        let output = formfit(&[
            "check",
            "--format",
            "json",
            "--max-classification",
            written,
            RIFLE,
        ]);
        assert_eq!(output.status.code(), Some(3), "{written}");
        let value = json(&output);
        let d = diagnostic(&value, "formfit/usage");
        assert!(
            d["help"]
                .as_str()
                .unwrap()
                .contains(&format!("did you mean `{meant}`?")),
            "{d}"
        );
        assert!(value["products"].as_array().unwrap().is_empty());
    }
}

#[test]
fn a_misspelt_clearance_in_formfit_toml_is_an_error_at_its_line() {
    let project = folder(&[(
        "formfit.toml",
        "fail-on = \"shall\"\nmax-classification = \"NATO SECRT\"\n",
    )]);
    let rifle = root().join(RIFLE);
    let output = formfit_in(
        project.path(),
        &["check", "--format", "json", rifle.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let d = diagnostic(&value, "config/max-classification");
    assert_eq!(d["location"]["line"], 2);
    assert!(d["help"].as_str().unwrap().contains("`NATO SECRET`"), "{d}");
}

#[test]
fn a_national_marking_counts_only_through_the_configured_map() {
    let rules = folder(&[(
        "stanag-4172.toml",
        &stanag_4172(&[(
            "classification = \"PUBLIC\"",
            "classification = \"DE VS-NfD\"",
        )]),
    )]);
    let rules_dir = rules.path().display().to_string();
    let rifle = root().join(RIFLE);
    let run = |config: &str, extra: &[&str]| {
        let project = folder(&[("formfit.toml", config)]);
        let mut args = vec!["check", "--format", "json", "--standard", "STANAG 4172"];
        args.extend_from_slice(extra);
        args.push(rifle.to_str().unwrap());
        formfit_in(project.path(), &args)
    };
    let mapped =
        format!("rules = [\"{rules_dir}\"]\n\n[markings]\n\"DE VS-NfD\" = \"NATO RESTRICTED\"\n");
    // Mapped onto NATO RESTRICTED: a holder of that level (or of the national marking) loads it.
    for clearance in ["NATO RESTRICTED", "de vs-nfd"] {
        let cleared = run(&mapped, &["--max-classification", clearance]);
        assert_eq!(
            cleared.status.code(),
            Some(1),
            "{clearance}: {}",
            stdout(&cleared)
        );
        assert_eq!(json(&cleared)["classification"], "DE VS-NfD");
    }
    let below = run(&mapped, &["--max-classification", "NATO UNCLASSIFIED"]);
    assert_eq!(below.status.code(), Some(3));
    diagnostic(&json(&below), "formfit/withheld-pack");
    // Unmapped, the marking names no level: never loaded, whatever the holder states.
    let unmapped = run(
        &format!("rules = [\"{rules_dir}\"]\n"),
        &["--max-classification", "NATO SECRET"],
    );
    assert_eq!(unmapped.status.code(), Some(3));
    let d = diagnostic(&json(&unmapped), "formfit/withheld-pack").clone();
    assert!(
        d["message"].as_str().unwrap().contains("names no level"),
        "{d}"
    );
    // A map onto something that is no NATO level is itself an error.
    let broken = run(
        &format!("rules = [\"{rules_dir}\"]\n\n[markings]\n\"DE VS-NfD\" = \"RESTRICTED\"\n"),
        &[],
    );
    assert_eq!(broken.status.code(), Some(3));
}

// 2. One trust gate for every command.

#[test]
fn rules_commands_honour_formfit_toml() {
    let rules = folder(&[("acme.toml", &acme_rifle(&[]))]);
    let project = folder(&[(
        "formfit.toml",
        &format!("rules = [\"{}\"]\n", rules.path().display()),
    )]);
    let listed = formfit_in(project.path(), &["rules", "list", "--format", "json"]);
    assert_eq!(listed.status.code(), Some(0));
    let value = json(&listed);
    assert!(
        value["packs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["designation"] == "ACME RIFLE"),
        "{value}"
    );
    let shown = formfit_in(project.path(), &["rules", "show", "ACME RIFLE"]);
    assert_eq!(shown.status.code(), Some(0), "{}", stdout(&shown));
    // The same folder, with signatures required in formfit.toml: refused for rules too.
    let keys = tempfile::tempdir().unwrap();
    let (public, _) = keygen(keys.path());
    std::fs::write(
        project.path().join("formfit.toml"),
        format!(
            "rules = [\"{}\"]\nrequire-signed = true\ntrusted-keys = [\"{}\"]\n",
            rules.path().display(),
            public.display()
        ),
    )
    .unwrap();
    let refused = formfit_in(project.path(), &["rules", "show", "ACME RIFLE"]);
    assert_eq!(refused.status.code(), Some(3));
    let text = stderr(&refused);
    assert!(text.contains("formfit/untrusted-pack"), "{text}");
    assert!(!text.contains("ACME-CAL-1"), "{text}");
    assert!(!stdout(&refused).contains("ACME-CAL-1"));
}

#[test]
fn an_unsigned_pack_never_reaches_the_parser() {
    // Not even TOML: a parser would report a syntax error; the gate refuses it first.
    let rules = folder(&[("hostile.toml", "[[[ not toml at all\n")]);
    let keys = tempfile::tempdir().unwrap();
    let (public, _) = keygen(keys.path());
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        rules.path().to_str().unwrap(),
        "--require-signed",
        "--trusted-key",
        public.to_str().unwrap(),
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    assert_eq!(ids(&value), ["formfit/untrusted-pack"], "{value}");
    let d = diagnostic(&value, "formfit/untrusted-pack");
    assert!(d["message"].as_str().unwrap().contains("unsigned"), "{d}");
    assert_eq!(d["location"]["line"], 1);
}

#[test]
fn profiles_are_trust_checked_like_packs() {
    let profile = "formfit_profile = 1\n\n[profile]\nname = \"land-vehicle-c4i\"\ntitle = \"Local variant\"\n\n[[standard]]\nid = \"MIL-STD-1275\"\n";
    let rules = folder(&[("profiles/local.toml", profile)]);
    let rules_dir = rules.path().to_str().unwrap();
    // A user profile that replaces a built-in one is reported.
    let plain = formfit(&["rules", "--rules", rules_dir, "list", "--format", "json"]);
    assert_eq!(plain.status.code(), Some(0));
    assert!(
        stderr(&plain).contains("formfit/profile-replaced"),
        "{}",
        stderr(&plain)
    );
    // Under --require-signed an unsigned profile is refused; signed, it loads.
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = keygen(keys.path());
    let checked = || {
        formfit(&[
            "check",
            "--format",
            "json",
            "--rules",
            rules_dir,
            "--require-signed",
            "--trusted-key",
            public.to_str().unwrap(),
            "--profile",
            "land-vehicle-c4i",
            "fixtures/mil-std-1275/good-vehicle-psu.toml",
        ])
    };
    let unsigned = checked();
    assert_eq!(unsigned.status.code(), Some(3));
    let value = json(&unsigned);
    let d = diagnostic(&value, "formfit/untrusted-pack");
    assert!(d["message"].as_str().unwrap().contains("local.toml"), "{d}");
    sign(&secret, &rules.path().join("profiles/local.toml"));
    let signed = checked();
    let value = json(&signed);
    assert!(
        !ids(&value).contains(&"formfit/untrusted-pack".to_owned()),
        "{value}"
    );
    assert_eq!(
        value["products"][0]["standards"].as_array().unwrap().len(),
        1,
        "the local profile's one standard: {value}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_profiles_folder_is_refused() {
    let elsewhere = folder(&[(
        "evil.toml",
        "formfit_profile = 1\n\n[profile]\nname = \"evil\"\ntitle = \"From elsewhere\"\n",
    )]);
    let rules = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), rules.path().join("profiles")).unwrap();
    let output = formfit(&[
        "rules",
        "--rules",
        rules.path().to_str().unwrap(),
        "list",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("pack/symlink"),
        "{}",
        stderr(&output)
    );
    let value = json(&output);
    assert!(
        !value["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "evil"),
        "{value}"
    );
}

// 3. A refusal names the file and line, never the pack's text.

#[test]
fn a_withheld_pack_is_located_without_its_text() {
    let rules = folder(&[(
        "acme.toml",
        &acme_rifle(&[(
            "classification = \"PUBLIC\"",
            "classification = \"NATO RESTRICTED\"",
        )]),
    )]);
    let output = formfit(&[
        "check",
        "--rules",
        rules.path().to_str().unwrap(),
        "--standard",
        "ACME RIFLE",
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    let text = format!("{}{}", stderr(&output), stdout(&output));
    assert!(text.contains("acme.toml:11:18"), "{text}");
    assert!(!text.contains("classification = "), "{text}");
    assert!(!text.contains("designation = "), "{text}");
}

#[test]
fn a_broken_encrypted_pack_is_located_without_its_decrypted_text() {
    use age::secrecy::ExposeSecret;
    use std::io::Write;
    let identity = age::x25519::Identity::generate();
    let keys = tempfile::tempdir().unwrap();
    let identity_file = keys.path().join("holder.txt");
    std::fs::write(
        &identity_file,
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    let broken = acme_rifle(&[(
        "path = \"ammunition[*].caliber\"",
        "path = \"ammunition[*].kestrelsecret\"",
    )]);
    let recipient = identity.to_public();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut ciphertext = Vec::new();
    let mut writer = encryptor.wrap_output(&mut ciphertext).unwrap();
    writer.write_all(broken.as_bytes()).unwrap();
    writer.finish().unwrap();
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(rules.path().join("acme.toml.age"), ciphertext).unwrap();
    let out = keys.path().join("report.txt");
    let output = formfit(&[
        "check",
        "--rules",
        rules.path().to_str().unwrap(),
        "--identity",
        identity_file.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    // The problem is told on stderr, located, and no line of the pack reaches either stream.
    let report = format!(
        "{}{}",
        stderr(&output),
        std::fs::read_to_string(&out).unwrap()
    );
    assert!(report.contains("acme.toml.age:"), "{report}");
    assert!(!report.contains("path = "), "no line of the pack: {report}");
}

#[test]
fn rules_list_shows_only_designation_and_marking_of_a_withheld_pack() {
    let rules = folder(&[(
        "acme.toml",
        &acme_rifle(&[(
            "classification = \"PUBLIC\"",
            "classification = \"NATO SECRET\"",
        )]),
    )]);
    let title = acme_rifle(&[])
        .lines()
        .find(|l| l.starts_with("title = "))
        .unwrap()
        .trim_start_matches("title = ")
        .trim_matches('"')
        .to_owned();
    let rules_dir = rules.path().to_str().unwrap();
    for format in ["human", "json"] {
        let output = formfit(&["rules", "--rules", rules_dir, "list", "--format", format]);
        let text = stdout(&output);
        assert!(text.contains("ACME RIFLE"), "{text}");
        assert!(text.contains("NATO SECRET"), "{text}");
        let withheld_lines: Vec<&str> = text.lines().filter(|l| l.contains("ACME RIFLE")).collect();
        assert!(
            !withheld_lines.iter().any(|l| l.contains(&title)),
            "{format}: {text}"
        );
    }
    let value = json(&formfit(&[
        "rules", "--rules", rules_dir, "list", "--format", "json",
    ]));
    assert!(
        !value["packs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["designation"] == "ACME RIFLE"),
        "{value}"
    );
    assert_eq!(value["withheld"][0]["designation"], "ACME RIFLE");
}

// 4. Third-party formats and the markings of the run.

#[test]
fn third_party_formats_are_refused_on_a_nato_level_product_marking_but_not_a_commercial_one() {
    let example = "fixtures/examples/vehicle-radio-set.toml";
    for format in ["sarif", "github", "gitlab"] {
        let commercial = formfit(&["check", "--format", format, example]);
        assert_ne!(
            commercial.status.code(),
            Some(3),
            "{format}: {}",
            stdout(&commercial)
        );
        // GitLab Code Quality has no field for a marking; the others carry it.
        assert!(
            format == "gitlab"
                || stdout(&commercial).contains("KESTREL COMMUNICATIONS PROPRIETARY"),
            "{format}: the marking is carried"
        );
    }
    let text = std::fs::read_to_string(root().join(example)).unwrap();
    let marked = folder(&[(
        "radio.toml",
        &text.replace(
            "marking = \"KESTREL COMMUNICATIONS PROPRIETARY\"",
            "marking = \"NATO RESTRICTED\"",
        ),
    )]);
    let product = marked.path().join("radio.toml");
    let refused = formfit(&["check", "--format", "sarif", product.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(3), "{}", stdout(&refused));
    assert!(stdout(&refused).contains("NATO RESTRICTED"));
    let allowed = formfit(&[
        "check",
        "--format",
        "sarif",
        "--allow-marked-output",
        product.to_str().unwrap(),
    ]);
    assert_ne!(allowed.status.code(), Some(3));
}

// 5. Keys without the requirement verify nothing, and say so.

#[test]
fn a_trusted_key_without_require_signed_says_nothing_was_verified() {
    let keys = tempfile::tempdir().unwrap();
    let (public, _) = keygen(keys.path());
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--trusted-key",
        public.to_str().unwrap(),
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(1), "a notice, not a failure");
    let value = json(&output);
    let d = diagnostic(&value, "formfit/signatures-not-required");
    assert_eq!(d["level"], "may");
}

// 6. A user pack can never switch a built-in check off.

#[test]
fn a_pack_that_takes_a_built_in_designation_and_is_withheld_is_refused() {
    let rules = folder(&[(
        "stanag-4172.toml",
        &stanag_4172(&[(
            "classification = \"PUBLIC\"",
            "classification = \"NATO SECRET\"",
        )]),
    )]);
    // Not named on the command line: only claimed by the product.
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        rules.path().to_str().unwrap(),
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let d = diagnostic(&value, "formfit/withheld-pack");
    assert_eq!(d["level"], "shall");
    assert!(d["message"].as_str().unwrap().contains("built-in"), "{d}");
}

#[test]
fn a_rule_id_used_by_another_loaded_pack_is_a_load_error_at_the_second_use() {
    let rules = folder(&[(
        "acme.toml",
        &acme_rifle(&[("id = \"ACME-CAL-1\"", "id = \"STANAG4172-CAL-1\"")]),
    )]);
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        rules.path().to_str().unwrap(),
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let d = diagnostic(&value, "pack/duplicate-rule");
    assert!(
        d["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("acme.toml"),
        "{d}"
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("rules/stanag-4172.toml"),
        "names the first: {d}"
    );
}

#[test]
fn two_user_packs_with_one_designation_are_a_load_error_at_the_second() {
    let rules = folder(&[("a.toml", &acme_rifle(&[])), ("b.toml", &acme_rifle(&[]))]);
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        rules.path().to_str().unwrap(),
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let d = diagnostic(&value, "pack/duplicate-designation");
    assert!(
        d["location"]["file"].as_str().unwrap().ends_with("b.toml"),
        "{d}"
    );
    assert!(d["message"].as_str().unwrap().contains("a.toml"), "{d}");
    assert!(
        d["location"]["line"].as_u64().unwrap() > 1,
        "at the designation: {d}"
    );
}

#[test]
fn rules_verify_takes_the_keys_of_formfit_toml_and_verifies_profiles_before_parsing() {
    let profile = "formfit_profile = 1\n\n[profile]\nname = \"local\"\ntitle = \"Local\"\n\n[[standard]]\nid = \"MIL-STD-1275\"\n";
    let rules = folder(&[
        ("acme.toml", &acme_rifle(&[])),
        ("profiles/local.toml", profile),
        ("profiles/hostile.toml", "[[[ not toml at all\n"),
    ]);
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = keygen(keys.path());
    sign(&secret, &rules.path().join("acme.toml"));
    sign(&secret, &rules.path().join("profiles/local.toml"));
    let project = folder(&[(
        "formfit.toml",
        &format!("trusted-keys = [\"{}\"]\n", public.display()),
    )]);
    let output = formfit_in(
        project.path(),
        &["rules", "verify", rules.path().to_str().unwrap()],
    );
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "the hostile profile: {text}");
    let line = |file: &str| {
        text.lines()
            .find(|l| l.ends_with(&format!("{file})")))
            .unwrap_or_else(|| panic!("no line for {file}: {text}"))
            .to_owned()
    };
    assert!(line("acme.toml").starts_with("ok    ACME RIFLE"), "{text}");
    assert!(
        line("local.toml").starts_with("ok    profile local"),
        "{text}"
    );
    assert!(
        line("hostile.toml").starts_with("FAIL  unsigned"),
        "refused before parsing: {text}"
    );
}

#[test]
fn a_profile_naming_a_withheld_pack_is_refused_by_name_not_as_unknown() {
    let profile = "formfit_profile = 1\n\n[profile]\nname = \"acme\"\ntitle = \"Acme tender\"\n\n[[standard]]\nid = \"ACME RIFLE\"\n";
    let rules = folder(&[
        (
            "acme.toml",
            &acme_rifle(&[(
                "classification = \"PUBLIC\"",
                "classification = \"NATO SECRET\"",
            )]),
        ),
        ("profiles/acme.toml", profile),
    ]);
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        rules.path().to_str().unwrap(),
        "--profile",
        "acme",
        RIFLE,
    ]);
    assert_eq!(output.status.code(), Some(3));
    let value = json(&output);
    let d = diagnostic(&value, "profile/withheld-standard");
    assert!(
        d["message"].as_str().unwrap().contains("NATO SECRET"),
        "{d}"
    );
    assert_eq!(d["location"]["line"], 8, "at the profile's entry: {d}");
    assert!(value["products"].as_array().unwrap().is_empty());
}

/// `rules verify` walks the folder as loading does: an encrypted pack is verified over its
/// plaintext (it was skipped before), and a symbolic link is refused, not followed.
#[cfg(unix)]
#[test]
fn rules_verify_sees_the_files_loading_sees() {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let rules = folder(&[("acme.toml", &acme_rifle(&[]))]);
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = keygen(keys.path());
    let plain = rules.path().join("acme.toml");
    sign(&secret, &plain);
    let encrypted = formfit(&[
        "rules",
        "encrypt",
        "--recipient",
        &identity.to_public().to_string(),
        plain.to_str().unwrap(),
    ]);
    assert_eq!(encrypted.status.code(), Some(0));
    std::fs::remove_file(&plain).unwrap();
    let identity_file = keys.path().join("holder.txt");
    std::fs::write(
        &identity_file,
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    let outside = folder(&[("elsewhere.toml", &acme_rifle(&[]))]);
    std::os::unix::fs::symlink(
        outside.path().join("elsewhere.toml"),
        rules.path().join("linked.toml"),
    )
    .unwrap();
    let output = formfit(&[
        "rules",
        "verify",
        "--trusted-key",
        public.to_str().unwrap(),
        "--identity",
        identity_file.to_str().unwrap(),
        rules.path().to_str().unwrap(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let line = |file: &str| {
        text.lines()
            .find(|l| l.ends_with(&format!("{file})")))
            .unwrap_or_else(|| panic!("no line for {file}: {text}"))
            .to_owned()
    };
    assert!(
        line("acme.toml.age").starts_with("ok    ACME RIFLE"),
        "{text}"
    );
    assert!(
        line("linked.toml").starts_with("FAIL  a symbolic link"),
        "{text}"
    );
}

/// Issue 10: the library names a setting, the CLI spells it: every command that reports an
/// unreadable key tells a CLI user its flag, never the library's name for it.
#[test]
fn an_unreadable_key_is_reported_with_the_flag_that_gives_keys() {
    for args in [
        &["rules", "verify", "--trusted-key", "no-such.pub", "rules"][..],
        &[
            "check",
            "--trusted-key",
            "no-such.pub",
            "fixtures/stanag-4172/bad-223.toml",
        ][..],
        &["rules", "list", "--trusted-key", "no-such.pub"][..],
    ] {
        let output = formfit(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(
            stderr.contains("give minisign public key files with --trusted-key"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("Options::"), "{args:?}: {stderr}");
    }
}
