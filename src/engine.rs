//! The check engine: which standards a product is checked against, which of them apply, and
//! the findings each rule yields. Pure: packs and product in, report out, no global state.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::check::{Failure, Verdict as CheckVerdict};
use crate::input::Node;
use crate::pack::model::Level;
use crate::pack::{Library, Pack, Rule};
use crate::path::Match;
use crate::product::{InvalidProduct, Product};
use crate::profile::{Obligation, ResolvedStandard};
use crate::report::{
    Evaluation, FileKind, Finding, Located, Outcome, ProductReport, StandardResult, Status, Verdict,
};

/// The most findings one product reports; past it, a finding says how many were cut.
pub const MAX_FINDINGS: usize = 1000;

/// Which standards to check a product against.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Standards named on the command line or by a profile; empty means "use `conforms_to`".
    pub standards: Vec<Selected>,
    /// Every known standard whose applicability matches.
    pub all_applicable: bool,
}

/// A standard chosen for checking, with what the choice says about it.
#[derive(Debug, Clone)]
pub struct Selected {
    pub pack: Arc<Pack>,
    /// The edition a name carried when it differs from the pack's (`MIL-STD-1275D`).
    pub claimed_edition: Option<String>,
    /// Only `mandatory` standards' findings can fail the gate.
    pub obligation: Obligation,
    /// The rule ids to check; `None` means all of the pack's rules.
    pub rules: Option<BTreeSet<String>>,
}

impl Selected {
    /// Every rule of a pack, mandatory: a standard named on the command line or claimed.
    pub fn all(pack: Arc<Pack>, claimed_edition: Option<String>) -> Selected {
        Selected {
            pack,
            claimed_edition,
            obligation: Obligation::Mandatory,
            rules: None,
        }
    }
}

impl From<&ResolvedStandard> for Selected {
    fn from(s: &ResolvedStandard) -> Selected {
        Selected {
            pack: s.pack.clone(),
            claimed_edition: None,
            obligation: s.obligation,
            rules: s.rules.clone(),
        }
    }
}

/// Checks one product. Findings come in file order, then by rule id.
pub fn check(
    library: &Library,
    selection: &Selection,
    file: &str,
    product: &Product,
) -> ProductReport {
    let root = &product.doc.root;
    let mut findings = Vec::new();
    let mut chosen: Vec<Chosen> = Vec::new();
    let claims: Vec<&Node> = match root
        .get("product")
        .and_then(|p| p.get("conforms_to"))
        .map(|c| &c.value)
    {
        Some(crate::input::Value::Array(items)) => items.iter().collect(),
        _ => Vec::new(),
    };
    if !selection.standards.is_empty() {
        for selected in &selection.standards {
            push(&mut chosen, selected.clone(), None);
        }
    } else if selection.all_applicable {
        for pack in &library.packs {
            push(&mut chosen, Selected::all(pack.clone(), None), None);
        }
    } else {
        for claim in &claims {
            let Some(name) = claim.as_str() else { continue };
            match library.find(name) {
                Some((pack, edition)) => push(&mut chosen, Selected::all(pack, edition), Some(claim)),
                None => findings.push(match (library.withheld_reason(name), library.non_standard(name)) {
                    (Some(why), _) => formfit_finding(
                        "formfit/withheld-standard",
                        Level::Should,
                        claim,
                        "product.conforms_to",
                        format!("not checked: {why}"),
                        "pack withheld",
                        "state what you hold with --max-classification and --holder-group (or in formfit.toml) to check it",
                    ),
                    (None, Some(non)) => formfit_finding(
                        "formfit/not-a-standard",
                        Level::Should,
                        claim,
                        "product.conforms_to",
                        format!("`{name}` is not a standard a product can conform to"),
                        &non.why,
                        &format!("{} (source: {})", non.help, non.source),
                    ),
                    (None, None) => formfit_finding(
                        "formfit/unknown-standard",
                        Level::May,
                        claim,
                        "product.conforms_to",
                        format!("not checked: formfit has no pack for `{name}`"),
                        "no rule pack",
                        "add a pack for it with --rules DIR, or see `formfit rules` for the known standards",
                    ),
                }),
            }
        }
        if claims.is_empty() {
            let at = root.get("product").unwrap_or(root);
            findings.push(formfit_finding(
                "formfit/no-standard",
                Level::May,
                at,
                "product",
                "no standard was selected for this product".to_owned(),
                "no `conforms_to` here",
                "name standards with --standard, list them in `product.conforms_to`, or use --all-applicable",
            ));
        }
    }

    let mut standards = Vec::new();
    let mut evaluations = Vec::new();
    for (selected, claim) in &chosen {
        let pack = &selected.pack;
        let applies =
            pack.applicability.is_empty() || pack.applicability.iter().any(|c| c.holds(root));
        let discovering = selection.all_applicable && selection.standards.is_empty();
        let relevant = pack.relevant.is_empty() || pack.relevant.iter().any(|c| c.holds(root));
        if discovering && !(applies && relevant) {
            continue;
        }
        if let (Some(edition), Some(claim)) = (&selected.claimed_edition, claim) {
            findings.push(formfit_finding(
                "formfit/edition-mismatch",
                Level::Should,
                claim,
                "product.conforms_to",
                format!(
                    "the product claims edition {edition} of {}; formfit's pack models edition {}",
                    pack.meta.designation, pack.meta.edition
                ),
                "other edition",
                "check the differences between the editions, or load a pack for the claimed edition with --rules",
            ));
        }
        if !applies {
            evaluations.extend((0..pack.rules.len()).map(|rule| Evaluation {
                pack: pack.clone(),
                rule,
                outcome: Outcome::NotApplicable,
            }));
            standards.push(StandardResult {
                id: pack.meta.designation.clone(),
                edition: pack.meta.edition.clone(),
                verdict: Verdict::NotApplicable,
                obligation: selected.obligation,
                note: pack.otherwise.clone(),
            });
            continue;
        }
        let before = findings.len();
        let chosen_rules = pack.rules.iter().enumerate().filter(|(_, r)| {
            selected
                .rules
                .as_ref()
                .is_none_or(|ids| ids.contains(&r.id))
        });
        for (index, rule) in chosen_rules {
            let start = findings.len();
            let applied = evaluate(pack, rule, root, &mut findings);
            let mine = &findings[start..];
            let outcome = if !applied {
                Outcome::NotApplicable
            } else if mine
                .iter()
                .any(|f| f.status == Status::Open && f.level == rule.level)
            {
                Outcome::Failed
            } else if mine.iter().any(|f| f.status == Status::EvidenceRequired) {
                Outcome::EvidenceRequired
            } else {
                Outcome::Passed
            };
            evaluations.push(Evaluation {
                pack: pack.clone(),
                rule: index,
                outcome,
            });
        }
        let gating = selected.obligation == Obligation::Mandatory;
        for finding in &mut findings[before..] {
            finding.gating = gating;
        }
        let failed = findings[before..].iter().any(|f| f.level == Level::Shall);
        standards.push(StandardResult {
            id: pack.meta.designation.clone(),
            edition: pack.meta.edition.clone(),
            verdict: if failed {
                Verdict::NonConformant
            } else {
                Verdict::Conformant
            },
            obligation: selected.obligation,
            note: None,
        });
    }
    findings.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
    if findings.len() > MAX_FINDINGS {
        // A hostile or broken catalogue entry must not flood every output; the cut is itself
        // a visible finding, so nothing is dropped silently.
        let dropped = findings.len() - MAX_FINDINGS;
        findings.truncate(MAX_FINDINGS);
        findings.push(formfit_finding(
            "input/limit",
            Level::Shall,
            root,
            "",
            format!(
                "{dropped} more findings are not shown: a product reports at most {MAX_FINDINGS}"
            ),
            "too many findings",
            "fix the findings shown, then run again to see the rest",
        ));
    }
    ProductReport {
        file: file.to_owned(),
        text: Arc::from(product.doc.text.as_str()),
        product: product.id().map(str::to_owned),
        marking: root
            .get("product")
            .and_then(|p| p.get("marking"))
            .and_then(Node::as_str)
            .map(str::to_owned),
        kind: FileKind::Product,
        verdict: standards
            .iter()
            .map(|s| s.verdict)
            .max()
            .unwrap_or(Verdict::NotApplicable),
        standards,
        findings,
        evaluations,
    }
}

/// A product file that could not be read: its problems become findings, its verdict invalid.
pub fn invalid(file: &str, invalid: InvalidProduct) -> ProductReport {
    let findings = invalid
        .problems
        .into_iter()
        .map(|p| Finding {
            rule: p.id.to_owned(),
            standard: None,
            clause: None,
            level: Level::Shall,
            status: Status::Open,
            path: p.path,
            label: p.label.unwrap_or_else(|| "here".to_owned()),
            message: p.message,
            help: p.help,
            span: p.span,
            gating: true,
            waiver: None,
            rule_location: None,
        })
        .collect();
    ProductReport {
        file: file.to_owned(),
        text: Arc::from(invalid.text.as_str()),
        product: invalid.product,
        marking: None,
        kind: FileKind::Product,
        verdict: Verdict::Invalid,
        standards: Vec::new(),
        findings,
        evaluations: Vec::new(),
    }
}

/// A standard chosen for a product, and the claim in `conforms_to` that chose it.
type Chosen<'a> = (Selected, Option<&'a Node>);

fn push<'a>(chosen: &mut Vec<Chosen<'a>>, selected: Selected, claim: Option<&'a Node>) {
    if !chosen
        .iter()
        .any(|(s, _)| Arc::ptr_eq(&s.pack, &selected.pack))
    {
        chosen.push((selected, claim));
    }
}

/// Applies one rule, once per item of its `each` when it has one; returns false when its
/// `when` conditions hold nowhere.
fn evaluate(pack: &Pack, rule: &Rule, root: &Node, findings: &mut Vec<Finding>) -> bool {
    match &rule.each {
        Some(each) => each.select(root).iter().fold(false, |applied, item| {
            evaluate_in(pack, rule, item.node, &item.path, findings) | applied
        }),
        None => evaluate_in(pack, rule, root, "", findings),
    }
}

/// Applies a rule within `scope` (the product, or one item of `each`), whose path in the product
/// is `prefix`.
fn evaluate_in(
    pack: &Pack,
    rule: &Rule,
    root: &Node,
    prefix: &str,
    findings: &mut Vec<Finding>,
) -> bool {
    if !rule.when.iter().all(|c| c.holds(root)) {
        return false;
    }
    let full = |relative: &str| match (prefix.is_empty(), relative.is_empty()) {
        (true, _) => relative.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) if relative.starts_with('[') => format!("{prefix}{relative}"),
        (false, false) => format!("{prefix}.{relative}"),
    };
    let matches = rule.path.select(root);
    let finding = |m: &Match, failure: Failure, status| {
        let (span, path) = match failure
            .at
            .and_then(|key| m.node.get(key).map(|child| (key, child)))
        {
            Some((key, child)) => (child.span.clone(), full(&format!("{}.{key}", m.path))),
            None => (m.node.span.clone(), full(&m.path)),
        };
        Finding {
            rule: rule.id.clone(),
            standard: Some(pack.meta.designation.clone()),
            clause: Some(rule.clause.clone()),
            level: failure.level.unwrap_or(rule.level),
            status,
            path,
            message: rule.message.clone(),
            label: failure.label,
            help: failure.help.or_else(|| rule.help.clone()),
            span,
            gating: true,
            waiver: None,
            rule_location: Some(Located {
                file: pack.file.clone(),
                text: pack.text.clone(),
                span: rule.span.clone(),
                label: None,
            }),
        }
    };
    if matches.is_empty() {
        // What is missing is reported at the key of the table it belongs in.
        let at_deepest = |failure: Failure, status| {
            let place = rule.path.deepest(root);
            let mut f = finding(&place, failure, status);
            if let Some(key) = place.key_span {
                f.span = key;
            }
            f
        };
        if rule.required {
            let missing = full(&rule.path.to_string());
            let (label, status) = match &rule.evidence {
                Some(evidence) => (
                    format!("`{missing}` is not declared: needs {evidence}"),
                    Status::EvidenceRequired,
                ),
                None => (format!("`{missing}` is missing"), Status::Open),
            };
            findings.push(at_deepest(Failure::new(label), status));
        } else if let Some(check) = &rule.check {
            // Most kinds find nothing wrong with no values; `count = { min = 1 }` does.
            for (_, failure) in check.judge_all(&[]) {
                findings.push(at_deepest(failure, Status::Open));
            }
        }
        return true;
    }
    let Some(check) = &rule.check else {
        return true;
    };
    if rule.any {
        // Each value is judged once: one that passes (or only earns a note) settles the rule;
        // else the first failure is the finding.
        let mut first = None;
        for (i, m) in matches.iter().enumerate() {
            match check.judge(m.node) {
                CheckVerdict::Pass => return true,
                CheckVerdict::Fail(f) if f.level.is_some_and(|l| l < rule.level) => return true,
                CheckVerdict::Fail(f) => {
                    first.get_or_insert((i, f));
                }
            }
        }
        if let Some((i, failure)) = first {
            findings.push(finding(&matches[i], failure, Status::Open));
        }
        return true;
    }
    for (i, failure) in check.judge_all(&matches) {
        let m = match i {
            Some(i) => matches[i].clone(),
            None => rule.path.deepest(root),
        };
        findings.push(finding(&m, failure, Status::Open));
    }
    true
}

/// A finding of formfit's own about a value in the product (a claim, a missing selection).
fn formfit_finding(
    id: &str,
    level: Level,
    node: &Node,
    path: &str,
    message: String,
    label: &str,
    help: &str,
) -> Finding {
    Finding::plain(id, level, node.span.clone(), path, message, label, help)
}
