//! `formfit rules diff --format markdown`: the diff as tables for a review or a change note.

use std::fmt::Write;

use crate::check::terms::TermChange;
use crate::edition_diff::{move_words, EditionDiff};

pub fn render(diff: &EditionDiff) -> String {
    let pack = &diff.pack;
    let mut out = String::new();
    let marking = format!("**{}**\n\n", cell(&diff.classification));
    out.push_str(&marking);
    let _ = writeln!(out, "# {}: edition diff\n", cell(&pack.new.designation));
    out.push_str("| | old | new |\n|---|---|---|\n");
    for (label, old, new) in [
        ("designation", &pack.old.designation, &pack.new.designation),
        ("edition", &pack.old.edition, &pack.new.edition),
        ("file", &pack.old.file, &pack.new.file),
    ] {
        let _ = writeln!(out, "| {label} | {} | {} |", cell(old), cell(new));
    }
    if !pack.metadata.is_empty() {
        out.push_str("\n## Metadata\n\n| field | change | old | new |\n|---|---|---|---|\n");
        for c in &pack.metadata {
            row(&mut out, None, c);
        }
    }
    let _ = writeln!(
        out,
        "\n## Rules\n\n{} added, {} removed, {} changed, {} unchanged.\n",
        pack.added.len(),
        pack.removed.len(),
        pack.changed.len(),
        pack.unchanged
    );
    if !pack.added.is_empty() || !pack.removed.is_empty() {
        out.push_str("| rule | | level | check |\n|---|---|---|---|\n");
        for (sign, rules) in [("added", &pack.added), ("removed", &pack.removed)] {
            for r in rules {
                let _ = writeln!(
                    out,
                    "| {} | {sign} | {} | {} |",
                    cell(&r.id),
                    r.level.as_str(),
                    cell(&r.check)
                );
            }
        }
        out.push('\n');
    }
    if !pack.changed.is_empty() {
        out.push_str("| rule | term | change | old | new |\n|---|---|---|---|---|\n");
        for r in &pack.changed {
            for c in &r.changes {
                row(
                    &mut out,
                    Some(&format!("{} ({})", r.id, r.movement.as_str())),
                    c,
                );
            }
        }
    }
    if let Some(products) = &diff.products {
        let moved: Vec<_> = products.verdict_changes().collect();
        let _ = writeln!(
            out,
            "\n## Products\n\n{} checked, {} change verdict.\n",
            products.checked,
            moved.len()
        );
        if !moved.is_empty() {
            out.push_str(
                "| product | file | old verdict | new verdict | why |\n|---|---|---|---|---|\n",
            );
            for p in moved {
                let why: Vec<String> = p
                    .rules
                    .iter()
                    .map(|m| format!("{}: {}", m.rule, move_words(m)))
                    .collect();
                let file = match p.line {
                    Some(line) => format!("{}:{line}", p.file),
                    None => p.file.clone(),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    cell(p.product.as_deref().unwrap_or("")),
                    cell(&file),
                    p.old.as_str(),
                    p.new.as_str(),
                    cell(&why.join("; "))
                );
            }
        }
    }
    out.push('\n');
    out.push_str(marking.trim_end());
    out.push('\n');
    out
}

fn row(out: &mut String, rule: Option<&str>, c: &TermChange) {
    let value = |v: &Option<String>| cell(v.as_deref().unwrap_or(""));
    let (old, new) = if c.added.is_empty() && c.removed.is_empty() {
        (value(&c.old), value(&c.new))
    } else {
        let listed = |word: &str, members: &[String]| {
            if members.is_empty() {
                String::new()
            } else {
                format!("{word}: {}", cell(&members.join(", ")))
            }
        };
        (listed("removed", &c.removed), listed("added", &c.added))
    };
    let lead = rule.map(|r| format!("| {} ", cell(r))).unwrap_or_default();
    let _ = writeln!(
        out,
        "{lead}| {} | {} | {old} | {new} |",
        cell(&c.term),
        c.direction.as_str()
    );
}

/// Table cells hold one line, and `|` would end the cell; HTML in pack text stays text; the
/// document goes to the terminal by default, so controls are written out.
fn cell(text: &str) -> String {
    let markdown = text
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\r', '\n'], " ");
    crate::escape::for_terminal(&markdown).into_owned()
}
