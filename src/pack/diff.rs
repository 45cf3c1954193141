//! Two editions of a pack compared rule by rule, by rule id (`formfit rules diff`): the rules
//! added and removed, and for each changed rule how it moved — tightened, loosened, both, or
//! changed in a way that is neither — with the exact old and new values. Checks are compared
//! through their kinds' terms ([`crate::check::terms`]), so "28000 mV" is "28 V" and a wider
//! covered range tightens; a message rewritten is a text change, never a tightening.

use crate::check::terms::{self, Direction, TermChange};
use crate::level::Level;

use super::{Condition, Pack, Rule};

/// What changed between two editions of a pack.
#[derive(Debug, Clone)]
pub struct PackDiff {
    pub old: Edition,
    pub new: Edition,
    /// `[standard]` and applicability fields that differ, in the pack format's order.
    pub metadata: Vec<TermChange>,
    pub added: Vec<RuleSummary>,
    pub removed: Vec<RuleSummary>,
    /// In the new edition's order.
    pub changed: Vec<RuleChange>,
    /// Rules in both editions with nothing changed.
    pub unchanged: usize,
}

/// Which pack a side is.
#[derive(Debug, Clone)]
pub struct Edition {
    pub designation: String,
    pub edition: String,
    pub file: String,
}

/// A rule added or removed, in a line.
#[derive(Debug, Clone)]
pub struct RuleSummary {
    pub id: String,
    pub clause: String,
    pub level: Level,
    /// What its check asks (`covers 22-29 V`), or `required` for a rule with no check.
    pub check: String,
}

/// How one rule of both editions moved.
#[derive(Debug, Clone)]
pub struct RuleChange {
    pub id: String,
    pub movement: Movement,
    /// Every key that changed, in the rule's order: level, scope, check terms, then texts.
    pub changes: Vec<TermChange>,
}

/// How a rule moved overall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    /// Every change makes it stricter: some product that passed may now fail.
    Tightened,
    /// Every change makes it laxer.
    Loosened,
    /// Stricter in one way, laxer in another (a range moved).
    Both,
    /// A change that is neither (an exact value replaced, a path moved, another kind of check).
    Changed,
    /// Only its texts (message, help, clause, rationale, spellings): no verdict can move.
    Text,
}

impl Movement {
    pub fn as_str(self) -> &'static str {
        match self {
            Movement::Tightened => "tightened",
            Movement::Loosened => "loosened",
            Movement::Both => "both",
            Movement::Changed => "changed",
            Movement::Text => "text",
        }
    }

    /// The rule's movement from its changes' directions.
    fn of(changes: &[TermChange]) -> Movement {
        let has = |d| changes.iter().any(|c| c.direction == d);
        match (
            has(Direction::Changed),
            has(Direction::Tightened),
            has(Direction::Loosened),
        ) {
            (true, _, _) => Movement::Changed,
            (false, true, true) => Movement::Both,
            (false, true, false) => Movement::Tightened,
            (false, false, true) => Movement::Loosened,
            (false, false, false) => Movement::Text,
        }
    }
}

impl PackDiff {
    /// Whether the two editions differ at all.
    pub fn is_empty(&self) -> bool {
        self.metadata.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }
}

/// Compares two editions of a pack. Rule ids match ignoring case, as loaded packs do.
pub fn compare(old: &Pack, new: &Pack) -> PackDiff {
    let find = |pack: &'_ Pack, id: &str| -> Option<usize> {
        pack.rules
            .iter()
            .position(|r| r.id.eq_ignore_ascii_case(id))
    };
    let removed = old
        .rules
        .iter()
        .filter(|r| find(new, &r.id).is_none())
        .map(summary)
        .collect();
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut unchanged = 0;
    for rule in &new.rules {
        match find(old, &rule.id) {
            None => added.push(summary(rule)),
            Some(i) => {
                let changes = compare_rules(&old.rules[i], rule);
                if changes.is_empty() {
                    unchanged += 1;
                } else {
                    changed.push(RuleChange {
                        id: rule.id.clone(),
                        movement: Movement::of(&changes),
                        changes,
                    });
                }
            }
        }
    }
    PackDiff {
        old: edition(old),
        new: edition(new),
        metadata: metadata(old, new),
        added,
        removed,
        changed,
        unchanged,
    }
}

fn edition(pack: &Pack) -> Edition {
    Edition {
        designation: pack.meta.designation.clone(),
        edition: pack.meta.edition.clone(),
        file: pack.file.clone(),
    }
}

fn summary(rule: &Rule) -> RuleSummary {
    RuleSummary {
        id: rule.id.clone(),
        clause: rule.clause.clone(),
        level: rule.level,
        check: check_text(rule),
    }
}

fn check_text(rule: &Rule) -> String {
    match &rule.check {
        Some(check) => check.describe(),
        None => "required".to_owned(),
    }
}

/// A change of one key whose values are texts.
fn text_change(term: &str, direction: Direction, old: String, new: String) -> TermChange {
    TermChange {
        term: term.to_owned(),
        direction,
        old: Some(old),
        new: Some(new),
        added: Vec::new(),
        removed: Vec::new(),
    }
}

/// A key that differs, or none.
fn differs(term: &str, direction: Direction, old: String, new: String) -> Option<TermChange> {
    (old != new).then(|| text_change(term, direction, old, new))
}

/// An optional text as shown: absent is empty.
fn optional(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

fn conditions(conditions: &[Condition]) -> String {
    let described: Vec<String> = conditions.iter().map(Condition::describe).collect();
    described.join("; ")
}

/// A switch that loosens when turned on (`any`) or tightens (`required`).
fn switch(term: &str, old: bool, new: bool, on: Direction) -> Option<TermChange> {
    let direction = match on {
        _ if old == new => return None,
        Direction::Tightened if new => Direction::Tightened,
        Direction::Tightened => Direction::Loosened,
        _ if new => Direction::Loosened,
        _ => Direction::Tightened,
    };
    Some(text_change(
        term,
        direction,
        old.to_string(),
        new.to_string(),
    ))
}

fn compare_rules(old: &Rule, new: &Rule) -> Vec<TermChange> {
    let mut changes = Vec::new();
    if old.level != new.level {
        let direction = if new.level > old.level {
            Direction::Tightened
        } else {
            Direction::Loosened
        };
        changes.push(text_change(
            "level",
            direction,
            old.level.as_str().to_owned(),
            new.level.as_str().to_owned(),
        ));
    }
    let path = |r: &Rule| r.path.to_string();
    let each = |r: &Rule| r.each.as_ref().map(ToString::to_string).unwrap_or_default();
    // Where a rule looks, and when it applies, are compared as written: a moved path judges
    // other values, which is neither stricter nor laxer.
    changes.extend(differs("each", Direction::Changed, each(old), each(new)));
    changes.extend(differs("path", Direction::Changed, path(old), path(new)));
    changes.extend(differs(
        "when",
        Direction::Changed,
        conditions(&old.when),
        conditions(&new.when),
    ));
    changes.extend(switch(
        "required",
        old.required,
        new.required,
        Direction::Tightened,
    ));
    // With `any`, one value of several passing is enough.
    changes.extend(switch("any", old.any, new.any, Direction::Loosened));
    changes.extend(differs(
        "evidence",
        Direction::Changed,
        optional(&old.evidence),
        optional(&new.evidence),
    ));
    match (&old.check, &new.check) {
        (Some(a), Some(b)) => {
            let (a_terms, b_terms) = (a.terms(), b.terms());
            if a_terms.kind == b_terms.kind {
                changes.extend(terms::compare(&a_terms, &b_terms));
            } else {
                changes.push(text_change(
                    "check",
                    Direction::Changed,
                    a.describe(),
                    b.describe(),
                ));
            }
        }
        (None, None) => {}
        (a, b) => {
            // A check added to a rule that only asked for the value tightens it.
            let direction = if b.is_some() {
                Direction::Tightened
            } else {
                Direction::Loosened
            };
            let shown = |c: Option<&Box<dyn crate::check::Check>>| {
                c.map_or_else(|| "required".to_owned(), |c| c.describe())
            };
            changes.push(text_change(
                "check",
                direction,
                shown(a.as_ref()),
                shown(b.as_ref()),
            ));
        }
    }
    for (term, a, b) in [
        ("clause", old.clause.clone(), new.clause.clone()),
        ("message", old.message.clone(), new.message.clone()),
        ("help", optional(&old.help), optional(&new.help)),
        (
            "rationale",
            optional(&old.rationale),
            optional(&new.rationale),
        ),
    ] {
        changes.extend(differs(term, Direction::Text, a, b));
    }
    changes
}

/// The `[standard]` and `[applicability]` fields that differ. Applicability changes which
/// products a standard judges: neither stricter nor laxer as such.
fn metadata(old: &Pack, new: &Pack) -> Vec<TermChange> {
    let (a, b) = (&old.meta, &new.meta);
    let list = |items: &[String]| items.join(", ");
    [
        ("designation", a.designation.clone(), b.designation.clone()),
        ("aliases", list(&a.aliases), list(&b.aliases)),
        ("title", a.title.clone(), b.title.clone()),
        ("edition", a.edition.clone(), b.edition.clone()),
        ("status", optional(&a.status), optional(&b.status)),
        ("source", a.source.clone(), b.source.clone()),
        ("note", a.note.clone(), b.note.clone()),
        (
            "classification",
            a.classification.clone(),
            b.classification.clone(),
        ),
        (
            "releasable_to",
            list(&a.releasable_to),
            list(&b.releasable_to),
        ),
    ]
    .into_iter()
    .filter_map(|(term, a, b)| differs(term, Direction::Text, a, b))
    .chain(differs(
        "applicability",
        Direction::Changed,
        conditions(&old.applicability),
        conditions(&new.applicability),
    ))
    .chain(differs(
        "applicability.relevant",
        Direction::Changed,
        conditions(&old.relevant),
        conditions(&new.relevant),
    ))
    .chain(differs(
        "applicability.otherwise",
        Direction::Text,
        optional(&old.otherwise),
        optional(&new.otherwise),
    ))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::PackCompiler;

    fn pack(rules: &str) -> Pack {
        let text = format!(
            "formfit_pack = 1\n[standard]\ndesignation = \"TEST\"\ntitle = \"t\"\nedition = \"A\"\nsource = \"s\"\nnote = \"n\"\n{rules}"
        );
        PackCompiler::new()
            .compile("test.toml", text.as_bytes(), false)
            .unwrap_or_else(|e| panic!("{:?}", e.problems))
    }

    fn rule(id: &str, level: &str, check: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\nclause = \"c\"\nlevel = \"{level}\"\npath = \"power.input_voltage\"\nmessage = \"m\"\n{check}\n"
        )
    }

    #[test]
    fn rules_are_matched_by_id_into_added_removed_changed_and_unchanged() {
        let old = pack(&format!(
            "{}{}{}",
            rule("T-1", "should", "covers = \"24-29 V\""),
            rule("T-2", "shall", "covers = \"20-33 V\""),
            rule("T-3", "shall", "covers = \"1-2 V\""),
        ));
        let new = pack(&format!(
            "{}{}{}",
            rule("T-1", "shall", "covers = \"22-29 V\""),
            rule("T-2", "shall", "covers = \"20-33 V\""),
            rule("T-4", "shall", "within = \"1-2 V\""),
        ));
        let diff = compare(&old, &new);
        assert_eq!(diff.unchanged, 1);
        assert_eq!(diff.removed.len(), 1);
        assert_eq!(diff.removed[0].id, "T-3");
        assert_eq!(diff.added[0].id, "T-4");
        assert_eq!(diff.added[0].check, "lies within 1-2 V, edges inclusive");
        let [change] = diff.changed.as_slice() else {
            panic!("{:?}", diff.changed)
        };
        assert_eq!(change.movement, Movement::Tightened);
        let terms: Vec<(&str, &str, Option<&str>, Option<&str>)> = change
            .changes
            .iter()
            .map(|c| {
                (
                    c.term.as_str(),
                    c.direction.as_str(),
                    c.old.as_deref(),
                    c.new.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            terms,
            [
                ("level", "tightened", Some("should"), Some("shall")),
                ("covers, low end", "tightened", Some("24 V"), Some("22 V")),
            ]
        );
    }

    #[test]
    fn a_message_rewritten_is_text_and_a_range_moved_both_ways_is_both() {
        let old = pack(&rule("T-1", "shall", "within = \"24-29 V\""));
        let reworded =
            pack(&rule("T-1", "shall", "within = \"24-29 V\"").replace("\"m\"", "\"n\""));
        let diff = compare(&old, &reworded);
        assert_eq!(diff.changed[0].movement, Movement::Text);
        let moved = pack(&rule("T-1", "shall", "within = \"23-28 V\""));
        assert_eq!(compare(&old, &moved).changed[0].movement, Movement::Both);
        let other_kind = pack(&rule("T-1", "shall", "covers = \"24-29 V\""));
        let diff = compare(&old, &other_kind);
        assert_eq!(diff.changed[0].movement, Movement::Changed);
        assert_eq!(diff.changed[0].changes[0].term, "check");
        assert!(compare(&old, &old).is_empty());
    }

    #[test]
    fn metadata_changes_are_listed_with_both_values() {
        let one = rule("T-1", "shall", "covers = \"24-29 V\"");
        let old = pack(&one);
        let text = format!("formfit_pack = 1\n[standard]\ndesignation = \"TEST\"\ntitle = \"t\"\nedition = \"B\"\nsource = \"s\"\nnote = \"n\"\n{one}");
        let new = PackCompiler::new()
            .compile("new.toml", text.as_bytes(), false)
            .unwrap_or_else(|e| panic!("{:?}", e.problems));
        let diff = compare(&old, &new);
        assert_eq!(diff.metadata.len(), 1);
        assert_eq!(diff.metadata[0].term, "edition");
        assert_eq!(diff.metadata[0].old.as_deref(), Some("A"));
        assert_eq!(diff.metadata[0].new.as_deref(), Some("B"));
    }
}
