//! `formfit rules diff` for people: the editions, the metadata and rules that changed with
//! their old and new values, and the products whose verdict moves, each with why.

use std::fmt::Write;

use crate::check::terms::TermChange;
use crate::edition_diff::{move_words, EditionDiff};
use crate::escape::for_terminal;
use crate::pack::diff::Edition;

pub fn render(diff: &EditionDiff) -> String {
    let pack = &diff.pack;
    let mut out = String::new();
    let banner = format!("── {} ──\n", for_terminal(&diff.classification));
    out.push_str(&banner);
    let _ = writeln!(out, "{} → {}", side(&pack.old), side(&pack.new));
    if !pack.metadata.is_empty() {
        out.push_str("\nmetadata:\n");
        for c in &pack.metadata {
            change(&mut out, "  ", c);
        }
    }
    let _ = writeln!(
        out,
        "\nrules: {} added, {} removed, {} changed, {} unchanged",
        pack.added.len(),
        pack.removed.len(),
        pack.changed.len(),
        pack.unchanged
    );
    for r in &pack.added {
        let _ = writeln!(
            out,
            "  + {} ({}): {}",
            for_terminal(&r.id),
            r.level.as_str(),
            for_terminal(&r.check)
        );
    }
    for r in &pack.removed {
        let _ = writeln!(
            out,
            "  - {} ({}): {}",
            for_terminal(&r.id),
            r.level.as_str(),
            for_terminal(&r.check)
        );
    }
    for r in &pack.changed {
        let _ = writeln!(out, "  ~ {} {}", for_terminal(&r.id), r.movement.as_str());
        for c in &r.changes {
            change(&mut out, "      ", c);
        }
    }
    if let Some(products) = &diff.products {
        let moved: Vec<_> = products.verdict_changes().collect();
        let _ = writeln!(
            out,
            "\nproducts: {} checked, {} change verdict, {} change findings only",
            products.checked,
            moved.len(),
            products.changes.len() - moved.len()
        );
        for p in &products.changes {
            let mark = if p.verdict_changed() { "!" } else { "·" };
            let at = match p.line {
                Some(line) => format!("{}:{line}", p.file),
                None => p.file.clone(),
            };
            let id = p
                .product
                .as_deref()
                .map(|id| format!(" {}", for_terminal(id)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {mark} {}{id}: {} → {}",
                for_terminal(&at),
                p.old.as_str(),
                p.new.as_str()
            );
            for m in &p.rules {
                let _ = writeln!(
                    out,
                    "      {}: {}",
                    for_terminal(&m.rule),
                    for_terminal(&move_words(m))
                );
            }
        }
    }
    out.push_str(&banner);
    out
}

fn side(e: &Edition) -> String {
    format!(
        "{} {} ({})",
        for_terminal(&e.designation),
        for_terminal(&e.edition),
        for_terminal(&e.file)
    )
}

/// One change: `covers, low end: 24-29 V → 22-29 V (tightened)`, a set's members added and
/// removed, or a text's old and new on lines of their own.
fn change(out: &mut String, indent: &str, c: &TermChange) {
    let value = |v: &Option<String>| for_terminal(v.as_deref().unwrap_or("(none)")).into_owned();
    let direction = c.direction.as_str();
    let term = for_terminal(&c.term);
    if !c.added.is_empty() || !c.removed.is_empty() {
        let mut parts = Vec::new();
        if !c.added.is_empty() {
            parts.push(format!("added {}", for_terminal(&c.added.join(", "))));
        }
        if !c.removed.is_empty() {
            parts.push(format!("removed {}", for_terminal(&c.removed.join(", "))));
        }
        let _ = writeln!(out, "{indent}{term}: {} ({direction})", parts.join("; "));
        return;
    }
    let (old, new) = (value(&c.old), value(&c.new));
    if old.chars().count() + new.chars().count() <= 60 {
        let _ = writeln!(out, "{indent}{term}: {old} → {new} ({direction})");
    } else {
        let _ = writeln!(out, "{indent}{term} ({direction}):");
        let _ = writeln!(out, "{indent}  old: {old}");
        let _ = writeln!(out, "{indent}  new: {new}");
    }
}
