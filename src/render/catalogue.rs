//! What the library holds, for `formfit rules`: the packs and profiles as a table, one pack's
//! rules and terms, a resolved profile, and one rule explained with live examples taken from
//! the fixtures built into the binary (checked on the spot, so they cannot drift).

use std::sync::Arc;

use serde_json::json;

use crate::cases::{Case, CaseFile};
use crate::hint::Spelling;
use crate::pack::profile::Resolved;
use crate::pack::{Library, Pack, Rule, BUILTIN_CASES};
use crate::render::report::human;
use crate::report::ProductReport;

/// The packs and profiles as a text table.
pub fn list(library: &Library) -> String {
    let mut out = String::from(
        "STANDARD              EDITION               CLASSIFICATION     RULES  TITLE\n",
    );
    for pack in library.packs() {
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
        "packs": library.packs().map(|p| json!({
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

/// What a rule asks of its value, in words: declared, the check, at least one, evidence.
pub(crate) fn what_it_checks(rule: &Rule) -> String {
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

/// One rule in full, with a non-conforming example and a conforming one from the fixtures.
pub fn explain(pack: &Arc<Pack>, rule: &Rule, spelling: Spelling, style: human::Style) -> String {
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
    let (line, _) = pack.line_col(rule.span.start);
    out.push_str(&format!("  defined at: {}:{line}\n", pack.file));
    let cases: Vec<_> = examples(pack, &rule.id).collect();
    if let Some((name, report)) = failing_example(pack, &rule.id, &cases) {
        out.push_str(&format!("\nNon-conforming example ({name}):\n\n"));
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
        out.push_str(&human::render_findings(&only_this, spelling, style));
    }
    if let Some((_, _, case)) = cases.iter().find(|(_, _, c)| c.passes) {
        out.push_str(&format!("\nConforming example ({}):\n", case.name));
        for line in case.product.lines() {
            out.push_str(&format!("  │ {line}\n"));
        }
    }
    if cases.is_empty() {
        out.push_str(
            "\nNo example yet: the pack's test cases (rules/tests/) do not exercise this rule.\n",
        );
    }
    out
}

/// The built-in test cases about a rule of this pack: (file, number, case).
fn examples<'a>(
    pack: &'a Pack,
    rule: &'a str,
) -> impl Iterator<Item = (&'static str, usize, Case)> + 'a {
    BUILTIN_CASES
        .iter()
        .filter_map(|(file, text)| Some((*file, CaseFile::parse(text).ok()?)))
        .filter(|(_, parsed)| pack.meta.names().any(|n| n == parsed.standard))
        .flat_map(|(file, parsed)| {
            parsed
                .cases
                .into_iter()
                .enumerate()
                .map(move |(i, case)| (file, i + 1, case))
        })
        .filter(move |(_, _, case)| case.rule == rule)
}

/// The first case expected to break the rule, checked now: its name and report.
fn failing_example(
    pack: &Arc<Pack>,
    rule: &str,
    cases: &[(&str, usize, Case)],
) -> Option<(String, ProductReport)> {
    cases
        .iter()
        .filter(|(_, _, case)| case.findings.iter().any(|f| f.rule == rule))
        .find_map(|(file, number, case)| {
            let report = case.run(pack, &format!("{file}#{number}")).ok()?;
            report
                .findings
                .iter()
                .any(|f| f.rule == rule)
                .then(|| (case.name.clone(), report))
        })
}
