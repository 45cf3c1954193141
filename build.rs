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
    let packs = toml_files(&Path::new(&root).join("rules"));
    for (name, path) in &packs {
        let _ = writeln!(out, "    (\"rules/{name}\", include_str!({path:?})),");
    }
    // What a run needs to know of a built-in pack before compiling it (the names a product
    // may claim it by, its marking, its rule ids), in `BUILTIN` order: a run compiles only the
    // packs it uses. `None` for a pack that does not parse: that one is compiled at start, so
    // its errors are reported as before.
    out.push_str("];\npub const BUILTIN_HEADS: &[Option<BuiltinHead>] = &[\n");
    for (_, path) in &packs {
        let head = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| head(&text));
        let _ = writeln!(out, "    {},", head.as_deref().unwrap_or("None"));
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
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    write(&Path::new(&out_dir).join("builtin_packs.rs"), &out);
    checked_product_schema(Path::new(&root), Path::new(&out_dir));
}

fn write(dest: &Path, text: &str) {
    if let Err(e) = std::fs::write(dest, text) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// The product schema as formfit checks products against it: the quantity patterns (each
/// written beside its `patternErrorMessage`) are for editors, formfit's unit check says more.
/// Written to `product_checked.schema.json`, with `product_checked.rs` compiling it into the
/// binary through the `jsonschema::validator` macro (which takes a literal path, so the item
/// itself is written here). A test holds the result to `quantities::without_patterns`.
fn checked_product_schema(root: &Path, out_dir: &Path) {
    let source = root.join("schemas/product.schema.json");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(&source).unwrap_or_default();
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    strip_quantity_patterns(&mut schema);
    let checked = out_dir.join("product_checked.schema.json");
    write(&checked, &schema.to_string());
    write(
        &out_dir.join("product_checked.rs"),
        &format!(
            "#[jsonschema::validator(path = {:?}, methods = {{ is_valid = true, validate = false, iter_errors = false }})]\n\
             pub struct ShippedSchema;\n",
            checked.display().to_string()
        ),
    );
}

fn strip_quantity_patterns(schema: &mut serde_json::Value) {
    match schema {
        serde_json::Value::Object(map) => {
            if map.contains_key("patternErrorMessage") {
                map.remove("pattern");
            }
            map.values_mut().for_each(strip_quantity_patterns);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_quantity_patterns),
        _ => {}
    }
}

/// A pack's `BuiltinHead` as Rust source, `Some(..)`; `None` when the file is not TOML or lacks
/// a designation (the pack's own compilation then says what is wrong).
fn head(text: &str) -> Option<String> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let standard = doc.get("standard")?.as_table()?;
    let strings = |value: Option<&toml::Value>| -> Option<Vec<String>> {
        match value {
            None => Some(Vec::new()),
            Some(v) => v
                .as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect(),
        }
    };
    let designation = standard.get("designation")?.as_str()?;
    let aliases = strings(standard.get("aliases"))?;
    let classification = match standard.get("classification") {
        None => None,
        Some(c) => Some(c.as_str()?),
    };
    let releasable_to = strings(standard.get("releasable_to"))?;
    let rules = match doc.get("rule") {
        None => Vec::new(),
        Some(rules) => rules
            .as_array()?
            .iter()
            .map(|r| r.get("id").and_then(toml::Value::as_str).map(str::to_owned))
            .collect::<Option<Vec<_>>>()?,
    };
    let list = |items: &[String]| {
        let shown: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
        format!("&[{}]", shown.join(", "))
    };
    Some(format!(
        "Some(BuiltinHead {{ designation: {designation:?}, aliases: {}, classification: {classification:?}, releasable_to: {}, rules: {} }})",
        list(&aliases),
        list(&releasable_to),
        list(&rules),
    ))
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
