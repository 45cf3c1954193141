//! The check engine: which standards a product is checked against, which of them apply, and
//! the findings each rule yields. Pure: packs and product in, report out, no global state.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::check::{Branch, Failure, Verdict as CheckVerdict};
use crate::code::{Code, InputCode, RunCode};
use crate::hint::Hint;
use crate::input::Node;
use crate::pack::model::Level;
use crate::pack::profile::{Obligation, ResolvedStandard};
use crate::pack::{Library, Pack, Rule};
use crate::path::Match;
use crate::product::{InvalidProduct, Product};
use crate::report::{
    Disposition, Evaluation, FileKind, Finding, Located, Outcome, ProductReport, StandardResult,
    Status, Verdict,
};
use crate::span::{content_start, Span};

#[cfg(test)]
pub(crate) mod tester;

/// The most findings one product reports; past it, a finding says how many were cut.
pub const MAX_FINDINGS: usize = 1000;

/// Which standards to check a product against.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Standards named on the command line or by a profile; empty means "use `conforms_to`".
    pub standards: Vec<Selected>,
    /// Every known standard whose applicability matches.
    pub all_applicable: bool,
    /// Check the product's `conforms_to` claims beside `standards` (a profile adds to what the
    /// product claims; `--standard` narrows the run to what it names).
    pub claims_too: bool,
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

/// Checks one product: its findings (in file order, then by rule id) and each rule's outcome.
/// Nothing is settled yet: the caller applies any approved deviations, then settles the report
/// once under its gate ([`crate::report::gate::settle_product`]), which gives every finding its
/// disposition and the product its verdict.
pub fn check(
    library: &Library,
    selection: &Selection,
    file: &str,
    product: &Product,
) -> ProductReport {
    check_traced(library, selection, file, product, None)
}

/// Checks one product, and says which branch of its rule each judged value took, by rule id
/// (`formfit rules test --coverage`).
pub fn check_with_branches(
    library: &Library,
    selection: &Selection,
    file: &str,
    product: &Product,
) -> (ProductReport, Vec<(String, Branch)>) {
    let mut taken = Vec::new();
    let report = check_traced(library, selection, file, product, Some(&mut taken));
    (report, taken)
}

fn check_traced(
    library: &Library,
    selection: &Selection,
    file: &str,
    product: &Product,
    mut trace: Option<&mut Vec<(String, Branch)>>,
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
        for pack in library.packs() {
            push(&mut chosen, Selected::all(pack.clone(), None), None);
        }
    }
    // The product's own claims are checked unless standards were named: a profile adds to
    // them, it does not hide them.
    if selection.standards.is_empty() || selection.claims_too {
        for claim in &claims {
            let Some(name) = claim.as_str() else { continue };
            match library.find(name) {
                Some((pack, edition)) => {
                    push(&mut chosen, Selected::all(pack, edition), Some(claim))
                }
                None => findings.push(unchecked_claim(library, name, claim)),
            }
        }
    }
    // Room for every result at once: a catalogue grew these by doublings for each product.
    let mut standards = Vec::with_capacity(chosen.len());
    let mut evaluations = Vec::with_capacity(chosen.iter().map(|(s, _)| s.pack.rules.len()).sum());
    for (selected, claim) in &chosen {
        let pack = &selected.pack;
        let applies =
            pack.applicability.is_empty() || pack.applicability.iter().any(|c| c.holds(root));
        let discovering = selection.all_applicable && selection.standards.is_empty();
        let relevant = pack.relevant.is_empty() || pack.relevant.iter().any(|c| c.holds(root));
        if discovering && !(applies && relevant) {
            continue;
        }
        if let Some(edition) = &selected.claimed_edition {
            // Named with --standard, the edition has no place in the product: the finding
            // points at the product table.
            let (at, path, asked) = match claim {
                Some(claim) => (*claim, "product.conforms_to", "the product claims"),
                None => (
                    root.get("product").unwrap_or(root),
                    "product",
                    "the run asks for",
                ),
            };
            findings.push(
                formfit_finding(
                    RunCode::EditionMismatch,
                    Level::Should,
                    at,
                    path,
                    format!(
                        "{asked} edition {edition} of {}; formfit's pack models edition {}",
                        pack.meta.designation, pack.meta.edition
                    ),
                    "other edition",
                    "",
                )
                .with_hint(Hint::LoadEditionPack),
            );
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
                elapsed: std::time::Duration::ZERO,
            });
            continue;
        }
        let started = std::time::Instant::now();
        let before = findings.len();
        let chosen_rules = pack.rules.iter().enumerate().filter(|(_, r)| {
            selected
                .rules
                .as_ref()
                .is_none_or(|ids| ids.contains(&r.id))
        });
        for (index, rule) in chosen_rules {
            let start = findings.len();
            let mut taken = trace.is_some().then(Vec::new);
            let applied = evaluate(
                pack,
                rule,
                root,
                &product.doc.text,
                &mut findings,
                taken.as_mut(),
            );
            if let (Some(trace), Some(taken)) = (trace.as_deref_mut(), taken) {
                trace.extend(taken.into_iter().map(|b| (rule.id.clone(), b)));
            }
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
        standards.push(StandardResult {
            id: pack.meta.designation.clone(),
            edition: pack.meta.edition.clone(),
            // Settled from the findings by `gate::settle`.
            verdict: Verdict::Conformant,
            obligation: selected.obligation,
            note: None,
            elapsed: started.elapsed(),
        });
    }
    // Checked against nothing, and nothing else says so: never a silent "not applicable".
    let said = findings.iter().any(|f| {
        f.status == Status::NotChecked || (f.status == Status::Open && f.level == Level::Shall)
    });
    if standards.is_empty() && !said {
        let at = root.get("product").unwrap_or(root);
        let message = if chosen.is_empty() {
            "not checked: this product was checked against no standard"
        } else {
            "not checked: no known standard applies to this product"
        };
        findings.push(
            formfit_finding(
                RunCode::NoStandard,
                Level::May,
                at,
                "product",
                message.to_owned(),
                "checked against nothing",
                "",
            )
            .with_hint(Hint::ChooseStandards)
            .not_checked(),
        );
    }
    cap(&mut findings, root);
    findings.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
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
        verdict: Verdict::NotApplicable,
        standards,
        findings,
        evaluations,
        line: None,
    }
}

/// Keeps at most [`MAX_FINDINGS`]: a hostile or broken catalogue entry must not flood every
/// output. Findings that can fail a gate are kept first, so the cut never hides one; the cut is
/// itself a visible finding that counts what it dropped by level.
fn cap(findings: &mut Vec<Finding>, root: &Node) {
    if findings.len() <= MAX_FINDINGS {
        return;
    }
    // Open and gating first, then by level: whatever `--fail-on` says, what fails comes first.
    findings.sort_by_key(|f| {
        (
            f.status != Status::Open,
            !f.gating,
            std::cmp::Reverse(f.level),
        )
    });
    let cut = findings.split_off(MAX_FINDINGS);
    let count = |level| cut.iter().filter(|f| f.level == level).count();
    findings.push(formfit_finding(
        InputCode::FindingCap,
        Level::May,
        root,
        "",
        format!(
            "{} more findings are not shown ({} shall, {} should, {} may): a product reports at most {MAX_FINDINGS}",
            cut.len(),
            count(Level::Shall),
            count(Level::Should),
            count(Level::May),
        ),
        "too many findings",
        "fix the findings shown, then run again to see the rest",
    ));
}

/// A claim in `conforms_to` that names no pack of the library.
fn unchecked_claim(library: &Library, name: &str, claim: &Node) -> Finding {
    let at = |code: RunCode, level, message, label: &str, help: &str| {
        formfit_finding(
            code,
            level,
            claim,
            "product.conforms_to",
            message,
            label,
            help,
        )
    };
    if let Some(why) = library.withheld_reason(name) {
        // The session turns this into a refusal of the run (exit 3), as for --standard.
        return at(
            RunCode::WithheldStandard,
            Level::Shall,
            format!("not checked: {why}"),
            "pack withheld",
            "",
        )
        .with_hint(Hint::StateClearanceToCheck)
        .not_checked();
    }
    if let Some(non) = library.non_standard(name) {
        return at(
            RunCode::NotAStandard,
            Level::Should,
            format!("`{name}` is not a standard a product can conform to"),
            &non.why,
            &format!("{} (source: {})", non.help, non.source),
        );
    }
    if let Some(known) = library.near_miss(name) {
        return at(
            RunCode::MisspeltStandard,
            Level::Shall,
            format!("`{name}` is no standard formfit knows: did you mean `{known}`?"),
            &format!("did you mean `{known}`?"),
            "",
        )
        .with_hint(Hint::WriteDesignation {
            known: known.to_owned(),
        });
    }
    at(
        RunCode::UnknownStandard,
        Level::May,
        format!("not checked: formfit has no pack for `{name}`"),
        "no rule pack",
        "",
    )
    .with_hint(Hint::AddPackForClaim)
    .not_checked()
}

/// A product file that could not be read: its problems become findings, its verdict invalid.
pub fn invalid(file: &str, invalid: InvalidProduct) -> ProductReport {
    let findings = invalid
        .problems
        .into_iter()
        .map(|p| Finding {
            rule: p.id().to_owned(),
            code: Some(p.code),
            standard: None,
            clause: None,
            level: Level::Shall,
            status: Status::Open,
            path: p.path,
            label: p.label.unwrap_or_else(|| "here".to_owned()),
            message: p.message,
            help: p.help,
            hint: p.hint,
            span: p.span,
            gating: true,
            waiver: None,
            rule_location: None,
            disposition: Disposition::Failing,
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
        line: None,
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
/// `text` is the product file's, for placing a failure inside a text value; `taken`, when
/// given, gathers the branch each judged value took.
fn evaluate(
    pack: &Pack,
    rule: &Rule,
    root: &Node,
    text: &str,
    findings: &mut Vec<Finding>,
    mut taken: Option<&mut Vec<Branch>>,
) -> bool {
    match &rule.each {
        Some(each) => each.select(root).iter().fold(false, |applied, item| {
            let scope = (item.node, item.path.as_str());
            evaluate_in(pack, rule, scope, text, findings, taken.as_deref_mut()) | applied
        }),
        None => evaluate_in(pack, rule, (root, ""), text, findings, taken),
    }
}

/// Applies a rule within `scope` (the product, or one item of `each`, with its path in the
/// product).
fn evaluate_in(
    pack: &Pack,
    rule: &Rule,
    (root, prefix): (&Node, &str),
    text: &str,
    findings: &mut Vec<Finding>,
    mut taken: Option<&mut Vec<Branch>>,
) -> bool {
    let mut took = |branch| {
        if let Some(taken) = taken.as_deref_mut() {
            taken.push(branch);
        }
    };
    if !rule.when.iter().all(|c| c.holds(root)) {
        return false;
    }
    let full = |relative: &str| match (prefix.is_empty(), relative.is_empty()) {
        (true, _) => relative.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) if relative.starts_with('[') => format!("{prefix}{relative}"),
        (false, false) => format!("{prefix}.{relative}"),
    };
    let nodes = rule.path.nodes(root);
    // Concrete paths (`radio[0].bands[1]`) are written only for a value that fails: most
    // pass. `select` reaches the nodes `nodes` does, in the same order.
    let selected = std::cell::OnceCell::new();
    let matched = |i: usize| &selected.get_or_init(|| rule.path.select(root))[i];
    let finding = |m: &Match, failure: Failure, status| {
        let (span, path) = match failure
            .at
            .and_then(|key| m.node.get(key).map(|child| (key, child)))
        {
            Some((key, child)) => (child.span.clone(), full(&format!("{}.{key}", m.path))),
            None => (m.node.span.clone(), full(&m.path)),
        };
        let span = match (&failure.inside, failure.at, m.node.as_str()) {
            (Some(bytes), None, Some(value)) => content_start(text, &span, value)
                .map_or(span, |start| start + bytes.start..start + bytes.end),
            _ => span,
        };
        Finding {
            rule: rule.id.clone(),
            code: None,
            standard: Some(pack.meta.designation.clone()),
            clause: Some(rule.clause.clone()),
            level: failure.level.unwrap_or(rule.level),
            status: if failure.evidence_required {
                Status::EvidenceRequired
            } else {
                status
            },
            path,
            message: rule.message.clone(),
            label: failure.label,
            help: failure.help.or_else(|| rule.help.clone()),
            hint: None,
            span,
            gating: true,
            waiver: None,
            disposition: Disposition::Note,
            rule_location: shows_text(pack).then(|| {
                let (line, column) = pack.line_col(rule.span.start);
                Located {
                    file: pack.file.clone(),
                    text: pack.text.clone(),
                    span: header(&pack.text, &rule.span),
                    label: Some(format!("rule {} is defined here", rule.id)),
                    line,
                    column,
                }
            }),
        }
    };
    if nodes.is_empty() {
        took(Branch::Absent);
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
            findings.push(at_deepest(Failure::new(Branch::Absent, label), status));
        } else if let Some(check) = &rule.check {
            // Most kinds find nothing wrong with no values; `count = { min = 1 }` does.
            for (_, verdict) in check.judge_all(&[]) {
                took(verdict.branch());
                if let CheckVerdict::Fail(failure) = verdict {
                    findings.push(at_deepest(failure, Status::Open));
                }
            }
        }
        return true;
    }
    let Some(check) = &rule.check else {
        took(Branch::Passes);
        return true;
    };
    if rule.any {
        // Each value is judged once: one that passes settles the rule. Else the best value
        // speaks: the first whose failure is lowered below the rule's level (a `.223 Wylde`
        // beside a wrong calibre is neither a pass nor the failure), or else the first failure.
        let mut first = None;
        let mut lowered = None;
        for (i, node) in nodes.iter().enumerate() {
            let verdict = check.judge(node);
            took(verdict.branch());
            match verdict {
                CheckVerdict::Pass(_) => return true,
                CheckVerdict::Fail(f) if f.level.is_some_and(|l| l < rule.level) => {
                    lowered.get_or_insert((i, f));
                }
                CheckVerdict::Fail(f) => {
                    first.get_or_insert((i, f));
                }
            }
        }
        if let Some((i, failure)) = lowered.or(first) {
            findings.push(finding(matched(i), failure, Status::Open));
        }
        return true;
    }
    for (i, verdict) in check.judge_all(&nodes) {
        took(verdict.branch());
        let CheckVerdict::Fail(failure) = verdict else {
            continue;
        };
        findings.push(match i {
            Some(i) => finding(matched(i), failure, Status::Open),
            None => finding(&rule.path.deepest(root), failure, Status::Open),
        });
    }
    true
}

/// The first line of a rule's table (`[[rule]]`): where a note "defined here" points, without
/// underlining the whole table.
fn header(text: &str, table: &Span) -> Span {
    let start = table.start.min(text.len());
    let end = text
        .get(start..)
        .and_then(|rest| rest.find(['\r', '\n']))
        .map_or(table.end, |n| (start + n).min(table.end));
    start..end.max(start)
}

/// Whether a reader of the report may see the pack's text, and so where its rules are: not for
/// an encrypted pack (read from `NAME.toml.age`) nor a marked one. A marking formfit cannot
/// place counts as marked, as everywhere in formfit.
fn shows_text(pack: &Pack) -> bool {
    !pack.file.ends_with(".age") && !crate::marking::is_marked(&pack.meta.classification)
}

/// A finding of formfit's own about a value in the product (a claim, a missing selection).
fn formfit_finding(
    code: impl Into<Code>,
    level: Level,
    node: &Node,
    path: &str,
    message: String,
    label: &str,
    help: &str,
) -> Finding {
    Finding::plain(code, level, node.span.clone(), path, message, label, help)
}
