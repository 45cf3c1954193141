//! `formfit rules diff`: what a new edition of a pack changes — its rules
//! ([`crate::pack::diff`]) and, for the products given, whose verdict moves and why (the rules
//! whose outcome or findings differ, old → new). This is the model; `render::diff`
//! renders it as human text, JSON and Markdown, and decides nothing.

use crate::level::Level;
use crate::pack::diff::PackDiff;
use crate::report::{Outcome, ProductReport, Verdict};

/// A whole diff: the packs compared, and the products checked against both.
#[derive(Debug, Clone)]
pub struct EditionDiff {
    pub pack: PackDiff,
    /// The higher marking of the two packs: every output carries it.
    pub classification: String,
    /// `None` when no product was given.
    pub products: Option<Products>,
}

/// The products checked against both editions.
#[derive(Debug, Clone, Default)]
pub struct Products {
    /// How many were checked (files skipped by a folder walk are not products).
    pub checked: usize,
    /// Products whose verdict or findings differ, in input order.
    pub changes: Vec<ProductChange>,
}

impl Products {
    /// The products whose verdict moves.
    pub fn verdict_changes(&self) -> impl Iterator<Item = &ProductChange> {
        self.changes.iter().filter(|c| c.verdict_changed())
    }
}

/// One product whose results differ between the editions.
#[derive(Debug, Clone)]
pub struct ProductChange {
    pub file: String,
    /// The line of an NDJSON stream it was read from.
    pub line: Option<usize>,
    pub product: Option<String>,
    pub old: Verdict,
    pub new: Verdict,
    /// The rules whose outcome or findings differ, in the new edition's order (rules only the
    /// old edition has last).
    pub rules: Vec<RuleMove>,
}

impl ProductChange {
    pub fn verdict_changed(&self) -> bool {
        self.old != self.new
    }
}

/// How one rule fared on one product under each edition; `None` where the edition has no
/// such rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMove {
    pub rule: String,
    pub old: Option<RuleResult>,
    pub new: Option<RuleResult>,
}

/// A rule's outcome on a product, at the rule's level, with the labels of its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleResult {
    pub outcome: Outcome,
    pub level: Level,
    pub findings: Vec<FindingBrief>,
}

/// What a finding says, as far as comparing two editions goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingBrief {
    pub level: Level,
    pub path: String,
    pub label: String,
    /// What it means for the run (`failing`, `warning`, …).
    pub disposition: &'static str,
}

/// The rule ids a report speaks of: evaluated rules, then findings' rules, each once.
fn rule_ids(report: &ProductReport) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let evaluated = report.evaluations.iter().map(|e| e.rule().id.clone());
    let found = report.findings.iter().map(|f| f.rule.clone());
    for id in evaluated.chain(found) {
        if !ids.iter().any(|known| known.eq_ignore_ascii_case(&id)) {
            ids.push(id);
        }
    }
    ids
}

fn result(report: &ProductReport, id: &str) -> Option<RuleResult> {
    let findings: Vec<FindingBrief> = report
        .findings
        .iter()
        .filter(|f| f.rule.eq_ignore_ascii_case(id))
        .map(|f| FindingBrief {
            level: f.level,
            path: f.path.clone(),
            label: f.telling_label().unwrap_or(&f.message).to_owned(),
            disposition: f.disposition.as_str(),
        })
        .collect();
    let evaluation = report
        .evaluations
        .iter()
        .find(|e| e.rule().id.eq_ignore_ascii_case(id));
    match evaluation {
        Some(e) => Some(RuleResult {
            outcome: e.outcome,
            level: e.rule().level,
            findings,
        }),
        // A finding of no evaluated rule (an input problem): reported as failed at its level.
        None => findings.first().map(|first| RuleResult {
            outcome: Outcome::Failed,
            level: first.level,
            findings: findings.clone(),
        }),
    }
}

/// Whether a rule fared the same: the same outcome and the same findings (which carry their
/// levels). A rule that passed at `should` and passes at `shall` fared the same.
fn same(a: Option<&RuleResult>, b: Option<&RuleResult>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.outcome == b.outcome && a.findings == b.findings,
        (None, None) => true,
        _ => false,
    }
}

/// How one product's results differ between the editions; `None` when they do not.
pub fn product_change(
    old: &ProductReport,
    new: &ProductReport,
    line: Option<usize>,
) -> Option<ProductChange> {
    let mut ids = rule_ids(new);
    for id in rule_ids(old) {
        if !ids.iter().any(|known| known.eq_ignore_ascii_case(&id)) {
            ids.push(id);
        }
    }
    let rules: Vec<RuleMove> = ids
        .into_iter()
        .filter_map(|id| {
            let (was, is) = (result(old, &id), result(new, &id));
            (!same(was.as_ref(), is.as_ref())).then_some(RuleMove {
                rule: id,
                old: was,
                new: is,
            })
        })
        .collect();
    if rules.is_empty() && old.verdict == new.verdict {
        return None;
    }
    Some(ProductChange {
        file: new.file.clone(),
        line,
        product: new.product.clone(),
        old: old.verdict,
        new: new.verdict,
        rules,
    })
}

/// A rule's result in a few words: `failed (shall)`, `passed`, `absent`.
pub fn result_words(result: Option<&RuleResult>) -> String {
    match result {
        None => "absent".to_owned(),
        Some(r) if r.outcome == Outcome::Failed => {
            format!("{} ({})", r.outcome.as_str(), r.level.as_str())
        }
        Some(r) => r.outcome.as_str().to_owned(),
    }
}

/// Why a rule moved on a product, in a line: `passed → failed (shall): 23 V–29 V does not
/// reach down to the low end of 22-29 V`.
pub fn move_words(m: &RuleMove) -> String {
    let mut words = format!(
        "{} → {}",
        result_words(m.old.as_ref()),
        result_words(m.new.as_ref())
    );
    let labels: Vec<&str> = m
        .new
        .iter()
        .chain(&m.old)
        .flat_map(|r| &r.findings)
        .map(|f| f.label.as_str())
        .take(1)
        .collect();
    if let Some(label) = labels.first() {
        words.push_str(": ");
        words.push_str(label);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_words_name_the_level_only_of_a_failure() {
        let failed = RuleResult {
            outcome: Outcome::Failed,
            level: Level::Should,
            findings: Vec::new(),
        };
        assert_eq!(result_words(Some(&failed)), "failed (should)");
        let passed = RuleResult {
            outcome: Outcome::Passed,
            ..failed
        };
        assert_eq!(result_words(Some(&passed)), "passed");
        assert_eq!(result_words(None), "absent");
    }
}
