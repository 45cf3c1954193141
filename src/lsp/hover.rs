//! Hover on a product value: the rules that judged it, each with its standard, clause,
//! source and verdict for this value, from the report's evaluations and findings.

use super::analysis::Analysis;
use crate::path::Match;
use crate::report::{Finding, Outcome};
use crate::span::Span;

/// The hover text (Markdown) at `offset`, and the span it is about.
pub fn hover(analysis: &Analysis, offset: usize) -> Option<(String, Span)> {
    let checked = analysis.checked.as_ref()?;
    let report = &checked.report;
    let mut judged: Vec<(Span, &str, String)> = Vec::new();
    if let Some(product) = &checked.product {
        for evaluation in &report.evaluations {
            let rule = evaluation.rule();
            let reached = rule.reach(&product.doc.root);
            let Some(value) = innermost(&reached, offset) else {
                continue;
            };
            let span = value.node.span.clone();
            let here: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.rule == rule.id && overlaps(&f.span, &span))
                .collect();
            let verdict = match (here.first(), evaluation.outcome) {
                (Some(f), _) => {
                    format!("failed ({}, {})", f.level.as_str(), f.disposition.as_str())
                }
                // The rule failed on another value it reads, not on this one.
                (None, Outcome::Failed | Outcome::Waived) => "passed".to_owned(),
                (None, outcome) => outcome.as_str().to_owned(),
            };
            let pack = &evaluation.pack.meta;
            let mut text = format!(
                "**{}** — **{verdict}**  \n{}, {} (edition {}): {}",
                rule.id, pack.designation, rule.clause, pack.edition, rule.message
            );
            for f in here {
                // What this value did wrong; the rule's message is said above.
                let said = match f.telling_label() {
                    Some(label) if f.message == rule.message => label.to_owned(),
                    _ => f.message_with_label(),
                };
                text.push_str(&format!("\n\n> {said}"));
            }
            text.push_str(&format!("\n\n*source:* {}", pack.source));
            judged.push((span, rule.id.as_str(), text));
        }
    }
    // Only the rules of the innermost value reached: hovering on a calibre shows the rules
    // of the calibre, not every rule of the ammunition table around it.
    let smallest = judged.iter().map(|(s, _, _)| s.len()).min();
    judged.retain(|(s, _, _)| Some(s.len()) == smallest);
    let mut parts: Vec<String> = judged.iter().map(|(_, _, t)| t.clone()).collect();
    // The other findings at this place: input problems, claims, a rule's missing value.
    let others: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| contains(&f.span, offset) && !judged.iter().any(|(_, id, _)| *id == f.rule))
        .collect();
    for f in &others {
        parts.push(format!(
            "**{}** — **{}**  \n{}",
            f.rule,
            f.disposition.as_str(),
            f.message_with_label()
        ));
    }
    if parts.is_empty() {
        return None;
    }
    let span = judged
        .first()
        .map(|(s, _, _)| s.clone())
        .or_else(|| others.first().map(|f| f.span.clone()))
        .unwrap_or(offset..offset);
    Some((parts.join("\n\n---\n\n"), span))
}

fn innermost<'a>(reached: &'a [Match<'a>], offset: usize) -> Option<&'a Match<'a>> {
    reached
        .iter()
        .filter(|m| contains(&m.node.span, offset))
        .min_by_key(|m| m.node.span.len())
}

fn contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && (offset < span.end || (span.is_empty() && offset == span.start))
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}
