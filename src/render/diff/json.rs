//! `formfit rules diff --format json`: the diff as one JSON document, in the shape
//! `schemas/diff.schema.json` publishes. Keys are only ever added.

use serde_json::{json, Value};

use crate::check::terms::TermChange;
use crate::edition_diff::{EditionDiff, FindingBrief, ProductChange, RuleMove, RuleResult};
use crate::pack::diff::{Edition, RuleChange, RuleSummary};

/// The version of this document's shape.
pub const VERSION: u64 = 1;

pub fn render(diff: &EditionDiff) -> String {
    let pack = &diff.pack;
    let document = json!({
        "version": VERSION,
        "classification": diff.classification,
        "old": edition(&pack.old),
        "new": edition(&pack.new),
        "metadata": pack.metadata.iter().map(|c| {
            json!({"field": c.term, "change": c.direction.as_str(), "old": c.old, "new": c.new})
        }).collect::<Vec<_>>(),
        "rules": {
            "added": pack.added.iter().map(summary).collect::<Vec<_>>(),
            "removed": pack.removed.iter().map(summary).collect::<Vec<_>>(),
            "changed": pack.changed.iter().map(rule_change).collect::<Vec<_>>(),
            "unchanged": pack.unchanged,
        },
        "products": diff.products.as_ref().map(|p| json!({
            "checked": p.checked,
            "verdict_changed": p.verdict_changes().count(),
            "changes": p.changes.iter().map(product).collect::<Vec<_>>(),
        })),
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn edition(e: &Edition) -> Value {
    json!({"designation": e.designation, "edition": e.edition, "file": e.file})
}

fn summary(r: &RuleSummary) -> Value {
    json!({"id": r.id, "clause": r.clause, "level": r.level.as_str(), "check": r.check})
}

fn rule_change(r: &RuleChange) -> Value {
    json!({
        "id": r.id,
        "change": r.movement.as_str(),
        "changes": r.changes.iter().map(term).collect::<Vec<_>>(),
    })
}

fn term(c: &TermChange) -> Value {
    json!({
        "term": c.term,
        "change": c.direction.as_str(),
        "old": c.old,
        "new": c.new,
        "added": c.added,
        "removed": c.removed,
    })
}

fn product(p: &ProductChange) -> Value {
    json!({
        "file": p.file,
        "line": p.line,
        "product": p.product,
        "old_verdict": p.old.as_str(),
        "new_verdict": p.new.as_str(),
        "verdict_changed": p.verdict_changed(),
        "rules": p.rules.iter().map(rule_move).collect::<Vec<_>>(),
    })
}

fn rule_move(m: &RuleMove) -> Value {
    json!({"rule": m.rule, "old": m.old.as_ref().map(result), "new": m.new.as_ref().map(result)})
}

fn result(r: &RuleResult) -> Value {
    json!({
        "outcome": r.outcome.as_str(),
        "level": r.level.as_str(),
        "findings": r.findings.iter().map(finding).collect::<Vec<_>>(),
    })
}

fn finding(f: &FindingBrief) -> Value {
    json!({"level": f.level.as_str(), "path": f.path, "label": f.label, "disposition": f.disposition})
}
