//! Packs are data only, and bad input is bounded: nothing in a pack, profile or rules folder
//! makes formfit fetch, read or run anything else, and a flood of findings is cut visibly.

mod common;
use common::*;

const HEAD: &str = "formfit_pack = 1\n[standard]\ndesignation = \"ACME 1\"\ntitle = \"t\"\nedition = \"1\"\nsource = \"s\"\nnote = \"n\"\n";
const RULE: &str = "\n[[rule]]\nid = \"ACME-1\"\nclause = \"c\"\nlevel = \"shall\"\npath = \"ammunition[*].caliber\"\nmessage = \"m\"\n";

fn run_with_rules(dir: &std::path::Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.to_str().unwrap(),
        "fixtures/stanag-4172/bad-223.toml",
    ]);
    (
        output.status.code(),
        json(&output)["diagnostics"].as_array().unwrap().clone(),
    )
}

#[cfg(unix)]
#[test]
fn a_symlink_in_a_rules_folder_is_not_followed() {
    let outside = folder(&[("secret.toml", &format!("{HEAD}{RULE}pattern = \"x\"\n"))]);
    let rules = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.toml"),
        rules.path().join("linked.toml"),
    )
    .unwrap();
    let (code, diagnostics) = run_with_rules(rules.path());
    assert_eq!(code, Some(3));
    assert_eq!(diagnostics[0]["id"], "pack/symlink");
}

#[test]
fn a_ref_key_is_an_unknown_key_and_urls_are_only_text() {
    let with_ref = folder(&[(
        "p.toml",
        &format!("{HEAD}\"$ref\" = \"file:///etc/passwd\"\n{RULE}pattern = \"x\"\n"),
    )]);
    let (code, diagnostics) = run_with_rules(with_ref.path());
    assert_eq!(code, Some(3));
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown key `$ref`"),
        "{:?}",
        diagnostics[0]
    );
    // A URL or file:// where text belongs is text: the pack loads, nothing is read or fetched.
    let urls = format!(
        "{HEAD}{RULE}",
        HEAD = HEAD.replace(
            "source = \"s\"",
            "source = \"file:///etc/shadow https://example.invalid/pack\""
        )
    );
    let with_urls = folder(&[(
        "p.toml",
        &format!("{urls}pattern = \"file:///etc/passwd\"\n"),
    )]);
    let (code, diagnostics) = run_with_rules(with_urls.path());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(code, Some(1));
}

#[test]
fn a_profile_cannot_import_a_path() {
    let dir = folder(&[(
        "profiles/p.toml",
        "formfit_profile = 1\n[profile]\nname = \"p\"\ntitle = \"P\"\nimports = [\"../../etc/passwd\"]\n",
    )]);
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.path().to_str().unwrap(),
        "--profile",
        "p",
        "fixtures/stanag-4172/bad-223.toml",
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        json(&output)["diagnostics"][0]["id"],
        "profile/unknown-profile"
    );
}

#[test]
fn an_oversized_regex_is_a_located_pack_error() {
    let dir = folder(&[(
        "p.toml",
        &format!("{HEAD}{RULE}pattern = \"(((a{{100}}){{100}}){{100}})\"\n"),
    )]);
    let (code, diagnostics) = run_with_rules(dir.path());
    assert_eq!(code, Some(3));
    assert_eq!(diagnostics[0]["id"], "pack/check");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("size limit"),
        "{:?}",
        diagnostics[0]
    );
    assert_eq!(diagnostics[0]["location"]["line"], 15);
}

#[test]
fn a_flood_of_findings_is_cut_with_a_visible_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut product = String::from(
        "[product]\nid = \"P\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"small-arm\"\n",
    );
    for i in 0..1200 {
        product.push_str(&format!(
            "[[ammunition]]\nname = \"w{i}\"\ncaliber = \".223 Remington\"\n"
        ));
    }
    let file = dir.path().join("many.toml");
    std::fs::write(&file, product).unwrap();
    let output = formfit(&[
        "check",
        "--format",
        "json",
        "--standard",
        "STANAG 4172",
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let findings = json(&output)["products"][0]["findings"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(findings.len(), formfit::engine::MAX_FINDINGS + 1);
    let cut = findings
        .iter()
        .find(|f| f["rule"] == "input/limit")
        .unwrap();
    assert!(cut["message"]
        .as_str()
        .unwrap()
        .starts_with("200 more findings are not shown (200 shall, 0 should, 0 may)"));
}

/// Regression: 1000 made-up claims pushed the real `.223` failure out of the report and the run
/// exited 0. What fails the gate is kept first.
#[test]
fn the_finding_cap_never_hides_a_gate_failing_finding() {
    let dir = tempfile::tempdir().unwrap();
    let claims: Vec<String> = (0..1000).map(|i| format!("\"ACME CLAIM {i}\"")).collect();
    let product = format!(
        "[product]\nid = \"P\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"small-arm\"\nconforms_to = [{}, \"STANAG 4172\"]\n[ammunition]\ncaliber = \".223 Remington\"\n",
        claims.join(", ")
    );
    let file = dir.path().join("claims.toml");
    std::fs::write(&file, product).unwrap();
    let output = formfit(&["check", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    let findings = value["products"][0]["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["rule"] == "STANAG4172-CAL-1"));
    let cut = findings
        .iter()
        .find(|f| f["rule"] == "input/limit")
        .unwrap();
    assert!(
        cut["message"]
            .as_str()
            .unwrap()
            .contains("(0 shall, 0 should, 1 may)"),
        "{cut}"
    );
}

/// Runs `f` on a thread and fails the test if it takes longer than `seconds`, instead of
/// hanging the suite.
fn within<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    receive
        .recv_timeout(std::time::Duration::from_secs(seconds))
        .unwrap_or_else(|_| panic!("not done within {seconds} s"))
}

fn profile(name: &str, imports: &[String], rest: &str) -> formfit::pack::profile::Profile {
    let text = format!(
        "formfit_profile = 1\n[profile]\nname = \"{name}\"\ntitle = \"{name}\"\nimports = {imports:?}\n{rest}"
    );
    formfit::pack::profile::load(&format!("{name}.toml"), text.as_bytes()).unwrap()
}

#[test]
fn a_diamond_of_profile_imports_resolves_in_linear_time() {
    use formfit::pack::{Library, PackCompiler};
    // 25 levels of two profiles each importing both of the next level: 2^25 paths to the
    // bottom, which re-resolving per path would walk.
    let levels = 25;
    let pair = |i: usize| vec![format!("a{i}"), format!("b{i}")];
    let mut profiles = vec![profile("top", &pair(0), "")];
    for i in 0..levels {
        let below = if i + 1 == levels {
            vec!["bottom".to_owned()]
        } else {
            pair(i + 1)
        };
        for name in pair(i) {
            profiles.push(profile(&name, &below, ""));
        }
    }
    profiles.push(profile(
        "bottom",
        &[],
        "[[standard]]\nid = \"STANAG 4172\"\n[select]\nexclude_rules = [\"STANAG4172-CAL-1\"]\n",
    ));
    let resolved = within(20, move || {
        let (library, _) = Library::builtin(&PackCompiler::new());
        formfit::pack::profile::resolve("top", &profiles, &library).map(|r| {
            let rules = r.standards[0].rules.clone().unwrap_or_default();
            (r.standards.len(), rules.contains("STANAG4172-CAL-1"))
        })
    });
    assert_eq!(resolved.ok(), Some((1, false)));
}

#[test]
fn a_chain_of_profile_imports_deeper_than_the_limit_is_a_located_error() {
    use formfit::pack::Library;
    let depth = formfit::pack::profile::MAX_IMPORT_DEPTH + 5;
    let profiles: Vec<_> = (0..=depth)
        .map(|i| {
            let imports: Vec<String> = if i < depth {
                vec![format!("p{}", i + 1)]
            } else {
                Vec::new()
            };
            profile(&format!("p{i}"), &imports, "")
        })
        .collect();
    let error = formfit::pack::profile::resolve("p0", &profiles, &Library::default()).unwrap_err();
    let problem = &error.problems[0];
    assert_eq!(problem.id(), "profile/import-depth");
    // located at the import that would make the chain one profile longer than the limit
    let last = formfit::pack::profile::MAX_IMPORT_DEPTH - 1;
    assert_eq!(error.file, format!("p{last}.toml"));
    let import = format!("\"p{}\"", last + 1);
    assert_eq!(error.text[problem.span.clone()], import);
    // a chain as long as the limit resolves
    let (library, limit) = (Library::default(), formfit::pack::profile::MAX_IMPORT_DEPTH);
    let start = format!("p{}", depth + 1 - limit);
    assert!(formfit::pack::profile::resolve(&start, &profiles, &library).is_ok());
}

#[test]
fn a_pack_of_too_many_rules_is_a_located_pack_error() {
    let rules: String = (0..=formfit::pack::MAX_RULES_PER_PACK)
        .map(|i| RULE.replace("ACME-1", &format!("ACME-{i}")) + "pattern = \"x\"\n")
        .collect();
    let dir = folder(&[("p.toml", &format!("{HEAD}{rules}"))]);
    let (code, diagnostics) = run_with_rules(dir.path());
    assert_eq!(code, Some(3));
    assert_eq!(diagnostics[0]["id"], "pack/limit");
    // at the first rule over the limit
    let per_rule = RULE.lines().count() + 1;
    let line = HEAD.lines().count() + 1 + per_rule * formfit::pack::MAX_RULES_PER_PACK + 1;
    assert_eq!(
        diagnostics[0]["location"]["line"], line,
        "{}",
        diagnostics[0]
    );
}
