//! What the library holds, for `formfit rules`: the packs and profiles as a table, one pack's
//! rules and terms, a resolved profile, and one rule explained with live examples taken from
//! the fixtures built into the binary (checked on the spot, so they cannot drift).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::json;

use crate::engine::{self, Selected, Selection};
use crate::input::{Format, Limits};
use crate::pack::profile::Resolved;
use crate::pack::{Library, Pack, Rule, BUILTIN_FIXTURES};
use crate::product::ProductReader;
use crate::report::{human, line_col, ProductReport, Report};

/// The packs and profiles as a text table.
pub fn list(library: &Library) -> String {
    let mut out = String::from(
        "STANDARD              EDITION               CLASSIFICATION     RULES  TITLE\n",
    );
    for pack in &library.packs {
        let m = &pack.meta;
        out.push_str(&format!(
            "{:<21} {:<21} {:<18} {:>5}  {}\n",
            m.designation,
            m.edition,
            m.classification,
            pack.rules.len(),
            m.title
        ));
        if !m.aliases.is_empty() {
            out.push_str(&format!(
                "{:<21} also known as: {}\n",
                "",
                m.aliases.join(", ")
            ));
        }
        if let Some(status) = &m.status {
            out.push_str(&format!("{:<21} status: {status}\n", ""));
        }
    }
    // A pack the holder may not hold shows only what names it: its designation and marking.
    for (pack, _) in &library.withheld {
        out.push_str(&format!(
            "{:<21} {:<21} {:<18} {:>5}  (withheld: you may not hold it)\n",
            pack.meta.designation, "-", pack.meta.classification, "-"
        ));
    }
    if !library.profiles.is_empty() {
        out.push_str("\nPROFILE               TITLE\n");
        for p in &library.profiles {
            out.push_str(&format!("{:<21} {}\n", p.name, p.title));
        }
    }
    out
}

/// The same as JSON, for scripts.
pub fn list_json(library: &Library) -> String {
    let value = json!({
        "formfit": 1,
        "packs": library.packs.iter().map(|p| json!({
            "designation": p.meta.designation,
            "aliases": p.meta.aliases,
            "title": p.meta.title,
            "edition": p.meta.edition,
            "status": p.meta.status,
            "classification": p.meta.classification,
            "rules": p.rules.len(),
            "file": p.file,
            "builtin": p.builtin,
            "digest": p.digest(),
        })).collect::<Vec<_>>(),
        "withheld": library.withheld.iter().map(|(p, _)| json!({
            "designation": p.meta.designation,
            "classification": p.meta.classification,
        })).collect::<Vec<_>>(),
        "profiles": library.profiles.iter().map(|p| json!({
            "name": p.name,
            "title": p.title,
            "file": p.file,
        })).collect::<Vec<_>>(),
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

/// One pack: its metadata and every rule, with what it checks and the terms it knows.
/// The check kinds, from the registry: the keys that select each (options in brackets) and what
/// it asks. The pack format is `rules/README.md`.
pub fn kinds() -> String {
    let rows: Vec<(String, &str)> = crate::check::REGISTRY
        .iter()
        .map(|kind| {
            let options = kind.options.iter().map(|o| format!(" [{o}]"));
            let keys = kind.selects.join(" / ") + &options.collect::<String>();
            (keys, kind.summary)
        })
        .collect();
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from("Check kinds (a rule uses the keys of one):\n");
    for (keys, summary) in rows {
        out.push_str(&format!("  {keys:<width$}  {summary}\n"));
    }
    out
}

pub fn show(pack: &Pack) -> String {
    let m = &pack.meta;
    let mut out = format!("{} — {}\n", m.designation, m.title);
    out.push_str(&format!("  edition: {}\n", m.edition));
    if let Some(status) = &m.status {
        out.push_str(&format!("  status: {status}\n"));
    }
    if !m.aliases.is_empty() {
        out.push_str(&format!("  also known as: {}\n", m.aliases.join(", ")));
    }
    out.push_str(&format!(
        "  classification: {}\n  source: {}\n  note: {}\n  file: {}\n",
        m.classification, m.source, m.note, pack.file
    ));
    if let Some(otherwise) = &pack.otherwise {
        out.push_str(&format!("  not applicable when: {otherwise}\n"));
    }
    for rule in &pack.rules {
        out.push('\n');
        out.push_str(&rule_summary(rule));
    }
    out
}

fn rule_summary(rule: &Rule) -> String {
    let mut out = format!("{} [{}] {}\n", rule.id, rule.level.as_str(), rule.message);
    out.push_str(&format!("  clause: {}\n", rule.clause));
    out.push_str(&format!(
        "  checks: `{}` {}\n",
        rule.path,
        what_it_checks(rule)
    ));
    out
}

fn what_it_checks(rule: &Rule) -> String {
    let mut parts = Vec::new();
    if rule.required {
        parts.push("must be declared".to_owned());
    }
    if let Some(check) = &rule.check {
        parts.push(check.describe());
    }
    if rule.any {
        parts.push("(at least one value must pass)".to_owned());
    }
    if let Some(evidence) = &rule.evidence {
        parts.push(format!("(otherwise evidence required: {evidence})"));
    }
    parts.join("; ")
}

/// A resolved profile: its standards with obligations and rule selections.
pub fn show_profile(resolved: &Resolved) -> String {
    let mut out = format!("{} — {}\n", resolved.name, resolved.title);
    for s in &resolved.standards {
        let rules = match &s.rules {
            None => format!("all {} rules", s.pack.rules.len()),
            Some(ids) => format!(
                "rules {}",
                ids.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        };
        out.push_str(&format!(
            "  {:<12} {} (edition {}): {rules}\n",
            s.obligation.as_str(),
            s.pack.meta.designation,
            s.pack.meta.edition
        ));
    }
    out
}

#[derive(Deserialize)]
struct Manifest {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    file: String,
    #[serde(default)]
    standards: Vec<String>,
    expect: Vec<String>,
}

/// One rule in full, with a non-conforming example and a conforming one from the fixtures.
pub fn explain(library: &Library, pack: &Pack, rule: &Rule, style: human::Style) -> String {
    let mut out = format!("{} [{}] {}\n", rule.id, rule.level.as_str(), rule.message);
    out.push_str(&format!(
        "  standard: {} (edition {})\n",
        pack.meta.designation, pack.meta.edition
    ));
    out.push_str(&format!("  clause: {}\n", rule.clause));
    out.push_str(&format!(
        "  checks: `{}` {}\n",
        rule.path,
        what_it_checks(rule)
    ));
    if let Some(rationale) = &rule.rationale {
        out.push_str(&format!("  why: {rationale}\n"));
    }
    if let Some(help) = &rule.help {
        out.push_str(&format!("  fix: {help}\n"));
    }
    out.push_str(&format!("  source: {}\n", pack.meta.source));
    let (line, _) = line_col(&pack.text, rule.span.start);
    out.push_str(&format!("  defined at: {}:{line}\n", pack.file));
    let examples = Examples::new();
    if let Some(report) = examples.failing(library, &rule.id) {
        out.push_str("\nNon-conforming example:\n\n");
        let only_this = ProductReport {
            findings: report
                .findings
                .iter()
                .filter(|f| f.rule == rule.id)
                .take(1)
                .cloned()
                .collect(),
            ..report
        };
        let shown = Report {
            products: vec![only_this],
            ..Report::default()
        };
        let text = human::render(&shown, style);
        // The per-product summary line concerns the whole fixture, not this rule: leave it out.
        let body: Vec<&str> = text.lines().collect();
        out.push_str(&body[..body.len().saturating_sub(1)].join("\n"));
        out.push('\n');
    }
    if let Some((file, lines)) = examples.passing(library, pack, rule) {
        out.push_str(&format!("\nConforming example ({file}):\n"));
        for (number, text) in lines {
            out.push_str(&format!("  {number:>4} │ {text}\n"));
        }
    }
    out
}

/// The fixtures built into the binary, by folder.
struct Examples {
    folders: BTreeMap<String, Vec<Case>>,
    reader: ProductReader,
}

impl Examples {
    fn new() -> Examples {
        let mut folders = BTreeMap::new();
        for (path, bytes) in BUILTIN_FIXTURES {
            if let Some(folder) = path.strip_suffix("/expectations.toml") {
                let parsed = std::str::from_utf8(bytes)
                    .ok()
                    .and_then(|t| toml::from_str::<Manifest>(t).ok());
                if let Some(manifest) = parsed {
                    folders.insert(folder.to_owned(), manifest.case);
                }
            }
        }
        Examples {
            folders,
            reader: ProductReader::new(Limits::default()),
        }
    }

    fn run(&self, library: &Library, path: &str, case: &Case) -> Option<ProductReport> {
        let bytes = BUILTIN_FIXTURES.iter().find(|(p, _)| *p == path)?.1;
        let product = self
            .reader
            .read(bytes, Format::from_path(std::path::Path::new(path))?)
            .ok()?;
        let standards = case
            .standards
            .iter()
            .filter_map(|s| library.find(s))
            .map(|(pack, edition)| Selected::all(pack, edition))
            .collect();
        let selection = Selection {
            standards,
            ..Selection::default()
        };
        Some(engine::check(library, &selection, path, &product))
    }

    /// The first fixture expected to break the rule, checked now.
    fn failing(&self, library: &Library, rule: &str) -> Option<ProductReport> {
        self.folders.iter().find_map(|(folder, cases)| {
            cases
                .iter()
                .filter(|c| c.expect.iter().any(|e| e == rule))
                .find_map(|c| self.run(library, &format!("{folder}/{}", c.file), c))
                .filter(|r| r.findings.iter().any(|f| f.rule == rule))
        })
    }

    /// A clean fixture of the pack in which the rule's path reaches a value: the lines of it.
    fn passing(
        &self,
        library: &Library,
        pack: &Pack,
        rule: &Rule,
    ) -> Option<(String, Vec<(usize, String)>)> {
        self.folders.iter().find_map(|(folder, cases)| {
            cases.iter().filter(|c| c.expect.is_empty()).find_map(|c| {
                let path = format!("{folder}/{}", c.file);
                let report = self.run(library, &path, c)?;
                report
                    .standards
                    .iter()
                    .find(|s| s.id == pack.meta.designation)?;
                let bytes = BUILTIN_FIXTURES.iter().find(|(p, _)| *p == path)?.1;
                let product = self
                    .reader
                    .read(bytes, Format::from_path(std::path::Path::new(&path))?)
                    .ok()?;
                let matches = rule.reach(&product.doc.root);
                let first = matches.first()?;
                let text = &product.doc.text;
                let (line, _) = line_col(text, first.node.span.start);
                let (last, _) = line_col(text, first.node.span.end);
                let lines = text
                    .lines()
                    .enumerate()
                    .skip(line - 1)
                    .take(last - line + 1)
                    .map(|(i, l)| (i + 1, l.to_owned()))
                    .collect();
                Some((path, lines))
            })
        })
    }
}
