//! Hover on a product value: the rules that judged it, each with its standard, clause,
//! source and verdict for this value, from the report's evaluations and findings; on a key,
//! what the product schema says it is.

use super::analysis::Analysis;
use super::document::Document;
use super::vocabulary::Vocabulary;
use crate::input::{self, Entry, Limits, Node, Value};
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

/// The schema's words for the key at `offset` of a product document (its title and
/// description), for a hover where no rule judged a value.
pub fn key_doc(
    document: &Document,
    vocabulary: &Vocabulary,
    offset: usize,
) -> Option<(String, Span)> {
    let format = document.format()?;
    let doc = input::parse(document.text.as_bytes(), format, &Limits::default()).ok()?;
    let mut path = Vec::new();
    let entry = key_at(&doc.root, offset, &mut path)?;
    let key = vocabulary
        .keys(&path)
        .into_iter()
        .find(|k| k.name == entry.key)?;
    let mut text = format!("**{}**", key.name);
    if let Some(title) = &key.title {
        text.push_str(&format!(" — {title}"));
    }
    if let Some(description) = &key.description {
        text.push_str(&format!("\n\n{description}"));
    }
    Some((text, entry.key_span.clone()))
}

/// The entry whose key is at `offset`, with the keys of the tables around it in `path`.
fn key_at<'a>(node: &'a Node, offset: usize, path: &mut Vec<String>) -> Option<&'a Entry> {
    match &node.value {
        Value::Table(entries) => {
            for entry in entries {
                if contains(&entry.key_span, offset) {
                    return Some(entry);
                }
                // Not only inside the value's span: a TOML table's span is its header, and
                // its keys follow it.
                path.push(entry.key.clone());
                if let Some(found) = key_at(&entry.node, offset, path) {
                    return Some(found);
                }
                path.pop();
            }
            None
        }
        Value::Array(items) => items.iter().find_map(|item| key_at(item, offset, path)),
        _ => None,
    }
}
