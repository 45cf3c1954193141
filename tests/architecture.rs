//! The architecture, kept: the library's top-level modules sit in layers (leaf → document →
//! model → engine → render → app), and a module may use only modules of lower layers, or of its
//! own layer listed before it. So no module cycle can come back, and a new module has to be
//! given its place here. The binary's `src/cli/` sits above them all. A folder that gathers one
//! concern across layers (`trust/`: encryption, signatures and the gate) has each of
//! its files placed on its own: `trust::encryption` is a document module, `trust` itself is the engine's gate.
//! Such a split can hide a cycle between top-level modules (`pack` using `trust::encryption`
//! while `trust` uses `pack`), so a second test looks for cycles between the folders as wholes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Lowest first. Within a layer, a module may use those listed before it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "leaf",
        &[
            "span",
            "level",
            "digest",
            "escape",
            "json_bytes",
            "term",
            "output",
            "hint",
            "code",
            "diagnostic",
            "marking",
            "quantity",
        ],
    ),
    (
        "document",
        &[
            "input",
            "sources",
            "path",
            "schema",
            "product",
            "trust::encryption",
        ],
    ),
    (
        "model",
        &["check", "pack", "trust::signing", "config", "report"],
    ),
    ("engine", &["engine", "cases", "deviation", "trust"]),
    ("render", &["matrix", "edition_diff", "render", "scaffold"]),
    ("app", &["session", "app", "lsp"]),
];

fn rank(module: &str) -> Option<(usize, usize)> {
    LAYERS.iter().enumerate().find_map(|(layer, (_, modules))| {
        modules
            .iter()
            .position(|m| *m == module)
            .map(|place| (layer, place))
    })
}

/// Folders whose files are placed one by one (see the module doc).
const SPLIT: &[&str] = &["trust"];

/// The module a file of src/ belongs to: its top-level module, or `folder::file` in a
/// [`SPLIT`] folder.
fn top(src: &Path, file: &Path) -> String {
    let parts: Vec<String> = file
        .strip_prefix(src)
        .unwrap()
        .components()
        .map(|c| {
            c.as_os_str()
                .to_str()
                .unwrap()
                .trim_end_matches(".rs")
                .to_owned()
        })
        .collect();
    match parts.as_slice() {
        [folder, file] if SPLIT.contains(&folder.as_str()) && file != "mod" => {
            format!("{folder}::{file}")
        }
        _ => parts[0].clone(),
    }
}

/// `name` as a module of [`LAYERS`]: `rest` is what follows `crate::name::` when `name` is a
/// [`SPLIT`] folder.
fn unit(name: &str, rest: &str) -> String {
    if SPLIT.contains(&name) {
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let inner = format!("{name}::{next}");
        if rank(&inner).is_some() {
            return inner;
        }
    }
    name.to_owned()
}

/// The `crate::x` modules a file uses outside its tests.
fn uses(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let (name, after) = part.trim().split_once("::").unwrap_or((part.trim(), ""));
                if !name.is_empty() {
                    found.insert(unit(name, after));
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let after = rest[name.len()..].strip_prefix("::").unwrap_or_default();
            found.insert(unit(&name, after));
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let module = top(&src, &file);
        if ["main", "lib", "cli"].contains(&module.as_str()) {
            continue;
        }
        let Some(own) = rank(&module) else {
            wrong.push(format!(
                "{module}: not in any layer of tests/architecture.rs"
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for used in uses(&text) {
            if used == module || used == "self" || used == "super" {
                continue;
            }
            match rank(&used) {
                Some(other) if other < own => {}
                _ => wrong.push(format!(
                    "{}: `{module}` uses `{used}`, which is not below it",
                    file.strip_prefix(&src).unwrap().display()
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A graph of top-level modules: each module, the modules it uses, and a file that uses each.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// The modules `from` reaches through one use or more.
fn reach(graph: &Graph, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut next: Vec<&str> = vec![from];
    while let Some(module) = next.pop() {
        for used in graph.get(module).into_iter().flat_map(|u| u.keys()) {
            if seen.insert(used.clone()) {
                next.push(used);
            }
        }
    }
    seen
}

/// Each cycle, as its modules and the uses that close it (`a -> b (file)`), one line a cycle.
fn cycles(graph: &Graph) -> Vec<String> {
    let reached: BTreeMap<&str, BTreeSet<String>> = graph
        .keys()
        .map(|m| (m.as_str(), reach(graph, m)))
        .collect();
    let mut done = BTreeSet::new();
    let mut found = Vec::new();
    for (module, from_it) in &reached {
        if done.contains(*module) || !from_it.contains(*module) {
            continue;
        }
        // Its strongly connected component: what it reaches that reaches it back.
        let members: BTreeSet<&str> = from_it
            .iter()
            .map(String::as_str)
            .filter(|m| reached.get(m).is_some_and(|r| r.contains(*module)))
            .collect();
        let mut uses = Vec::new();
        for member in &members {
            for (used, file) in &graph[*member] {
                if members.contains(used.as_str()) {
                    uses.push(format!("{member} -> {used} ({file})"));
                }
            }
        }
        found.push(format!("cycle of {members:?}: {}", uses.join(", ")));
        done.extend(members);
    }
    found
}

#[test]
fn the_cycle_finder_finds_cycles_and_nothing_else() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph = Graph::new();
        for (from, to) in edges {
            graph.entry((*from).to_owned()).or_default();
            graph.entry((*to).to_owned()).or_default();
            graph
                .get_mut(*from)
                .unwrap()
                .insert((*to).to_owned(), "f.rs".to_owned());
        }
        graph
    };
    assert!(cycles(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
    let found = cycles(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("c -> a (f.rs)") && !found[0].contains("\"d\""),
        "{found:?}"
    );
}

/// The per-file layers above place each file of a split folder on its own layer; taken whole,
/// the top-level modules must still form no cycle (what `../shared/tools/module-cycles.py`
/// prints, kept here).
#[test]
fn no_cycle_joins_top_level_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let whole = |unit: &str| unit.split("::").next().unwrap_or(unit).to_owned();
    let mut graph = Graph::new();
    for file in files {
        let module = whole(&top(&src, &file));
        if ["main", "lib", "cli"].contains(&module.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let shown = file.strip_prefix(&src).unwrap().display().to_string();
        let used = graph.entry(module.clone()).or_default();
        for other in uses(&text).iter().map(|u| whole(u)) {
            if other != module && other != "self" && other != "super" {
                used.entry(other).or_insert_with(|| shown.clone());
            }
        }
    }
    let found = cycles(&graph);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_binary_holds_no_policy() {
    // src/cli/ maps arguments and outcomes; what fails, what is refused and what is shown is
    // decided in the library. A match on a level, a status or a marking there is policy.
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let mut files = Vec::new();
    rust_files(&cli, &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for word in [
            "Level::",
            "Status::",
            "Disposition::",
            "Verdict::",
            "marking::",
        ] {
            assert!(
                !text.contains(word),
                "{} decides with {word}",
                file.display()
            );
        }
    }
}

/// Where `text` names a command-line flag (`--max-classification`) in code: a `--` and a
/// letter, at the start of a string or after a space, quote, backtick or parenthesis, on a line
/// that is not a comment, outside the tests.
fn flags(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = Vec::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (at, _) in line.match_indices("--") {
            let before = line[..at].chars().next_back();
            let after = line[at + 2..].chars().next();
            if before.is_none_or(|c| c.is_whitespace() || "\"`(".contains(c))
                && after.is_some_and(|c| c.is_ascii_lowercase())
            {
                found.push(line.trim().to_owned());
            }
        }
    }
    found
}

#[test]
fn the_flag_finder_finds_flags_and_nothing_else() {
    assert_eq!(flags(r#"help("add --require-signed")"#).len(), 1);
    assert_eq!(flags(r#"let s = "--today";"#).len(), 1);
    assert!(flags("// with --rules DIR\nlet x = \"---|\";\nlet y = a - -b;").is_empty());
}

#[test]
fn the_library_names_no_command_line_flag() {
    // A hint names a `Setting`; the CLI spells it (src/cli/spelling.rs), so a library user
    // is never told about a flag they do not have.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut named = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(src.join("cli"))) {
        let text = std::fs::read_to_string(file).unwrap();
        for line in flags(&text) {
            named.push(format!(
                "{}: {line}",
                file.strip_prefix(&src).unwrap().display()
            ));
        }
    }
    assert!(
        named.is_empty(),
        "flags named in the library:\n{}",
        named.join("\n")
    );
}
