//! Embeds every rule pack under `rules/` (and the packs' test cases, the examples `rules
//! explain` shows) into the binary, so that adding a pack is adding a file, and an installed
//! formfit works anywhere.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let mut out = String::from("pub const BUILTIN: &[(&str, &str)] = &[\n");
    for dir in ["rules", "rules/profiles"] {
        println!("cargo:rerun-if-changed={dir}");
    }
    for (name, path) in toml_files(&Path::new(&root).join("rules")) {
        let _ = writeln!(out, "    (\"rules/{name}\", include_str!({path:?})),");
    }
    out.push_str("];\npub const BUILTIN_PROFILES: &[(&str, &str)] = &[\n");
    for (name, path) in toml_files(&Path::new(&root).join("rules/profiles")) {
        let _ = writeln!(
            out,
            "    (\"rules/profiles/{name}\", include_str!({path:?})),"
        );
    }
    out.push_str("];\n");
    // The packs' test cases (`rules/tests/<pack>/*.toml`): `formfit rules explain` shows them
    // as each rule's examples. The fixtures under `fixtures/` are tests only and stay out.
    out.push_str("pub const BUILTIN_CASES: &[(&str, &str)] = &[\n");
    let tests = Path::new(&root).join("rules/tests");
    println!("cargo:rerun-if-changed=rules/tests");
    for dir in sorted_entries(&tests, Path::is_dir) {
        println!("cargo:rerun-if-changed={}", dir.display());
        let folder = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        for (name, path) in toml_files(&dir) {
            let _ = writeln!(
                out,
                "    (\"rules/tests/{folder}/{name}\", include_str!({path:?})),"
            );
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("builtin_packs.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// The `*.toml` files of a directory, sorted by name: (file name, full path).
fn toml_files(dir: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            (name, p.display().to_string())
        })
        .collect();
    files.sort();
    files
}

/// The entries of a folder that `keep` accepts, sorted; none when it cannot be read.
fn sorted_entries(dir: &Path, keep: fn(&Path) -> bool) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| keep(p))
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    entries
}
