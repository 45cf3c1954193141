//! Checks a rule's path against the product vocabulary (the product JSON Schema), so that a
//! pack cannot look for `ammunition.calibre` and silently never find it.

use serde_json::Value as Json;

use crate::diagnostic::did_you_mean;
use crate::path::{Path, Segment};

/// Vendor fields (`x-…`) accept anything.
static ANY: Json = Json::Bool(true);

pub(super) fn check(schema: &Json, path: &Path) -> Result<(), String> {
    let mut current = vec![schema];
    for segment in path.segments() {
        let mut next = Vec::new();
        for s in current.iter().flat_map(|s| variants(schema, s)) {
            match segment {
                Segment::Key(key) => {
                    if key.starts_with("x-") {
                        next.push(&ANY);
                        continue;
                    }
                    if let Some(p) = s.get("properties").and_then(|p| p.get(key)) {
                        next.push(p);
                    }
                }
                Segment::Each | Segment::Index(_) | Segment::Filter { .. } => {
                    match s.get("items") {
                        Some(items) => next.push(items),
                        None if s.get("properties").is_some() => next.push(s),
                        None => {}
                    }
                }
            }
        }
        if next.is_empty() {
            let known: Vec<String> = current
                .iter()
                .flat_map(|s| variants(schema, s))
                .filter_map(|s| s.get("properties").and_then(Json::as_object))
                .flat_map(|p| p.keys().cloned())
                .collect();
            return Err(match segment {
                Segment::Key(key) => match did_you_mean(key, known.iter().map(String::as_str)) {
                    Some(close) => format!(
                        "the product vocabulary has no `{key}` here; did you mean `{close}`?"
                    ),
                    None => format!(
                        "the product vocabulary has no `{key}` here (known: {})",
                        known.join(", ")
                    ),
                },
                _ => "`[...]` needs an array or a table here".to_owned(),
            });
        }
        current = next;
    }
    Ok(())
}

/// A schema and the branches of its `$ref`, `oneOf` and `anyOf`, resolved.
fn variants<'a>(root: &'a Json, schema: &'a Json) -> Vec<&'a Json> {
    let mut out = Vec::new();
    let mut stack = vec![schema];
    while let Some(s) = stack.pop() {
        if out.len() > 32 {
            break;
        }
        if let Some(target) = s
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p))
        {
            stack.push(target);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = s.get(key).and_then(Json::as_array) {
                stack.extend(branches);
            }
        }
        out.push(s);
    }
    out
}
