//! The documentation keeps up with the code: every check kind explains itself under the same
//! headings, and every pack key that selects a check is documented in rules/README.md.

use std::path::Path;

const HEADINGS: [&str; 4] = [
    "# What it checks",
    "# Why it matters",
    "# Example",
    "# Fails on",
];

#[test]
fn every_check_kind_has_the_four_headings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // The module, the shared key reader and the comparable terms are not check kinds.
        if path
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "keys.rs" || n == "terms.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: String = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        for heading in HEADINGS {
            if !doc.contains(&format!("//! {heading}")) {
                missing.push(format!("{}: {heading}", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn every_check_key_is_documented_for_pack_authors() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md"))
            .unwrap();
    for kind in formfit::check::REGISTRY {
        for key in kind.keys() {
            assert!(
                readme.contains(&format!("`{key}")),
                "rules/README.md does not document `{key}`"
            );
        }
    }
}
