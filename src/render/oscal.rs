//! NIST OSCAL's building blocks, shared by every OSCAL document formfit writes: the matrix as
//! assessment results (`render::matrix::oscal`), a pack as a catalog and a profile as a profile
//! (`render::export`). One version, one namespace for formfit's own properties, one way to
//! name an object with a version-5 UUID, and the few text forms OSCAL insists on.

use serde_json::{json, Value};
use uuid::Uuid;

/// The OSCAL version written, the one compliance-trestle's models are generated from (the
/// validator `scripts/test-exchange.sh` loads the output with).
pub const OSCAL_VERSION: &str = "1.1.3";

/// The namespace of formfit's own properties (OSCAL asks for one on every property it does not
/// define itself).
pub const NS: &str = "https://formfit.invalid/ns/oscal";

/// The version-5 UUID of an object from stable names: the thing it belongs to (a product id,
/// a standard's designation), what within it (a rule id, an edition) and `role`, what it names
/// (`finding`, `result`, `catalog`…). Never from a date, so a later document updates the same
/// objects.
pub fn uuid(scope: &str, item: &str, role: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:formfit:oscal");
    let name = [scope, item, role].join("\u{0}");
    Uuid::new_v5(&namespace, name.as_bytes()).to_string()
}

/// The `last-modified` (and other date-times) of a document dated `YYYY-MM-DD` (`--today` /
/// `SOURCE_DATE_EPOCH`): midnight UTC, so one run writes the same bytes.
pub fn stamp(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// OSCAL properties; a value OSCAL cannot hold (empty, or starting or ending with
/// whitespace) is trimmed, and one left empty is left out.
pub fn props(list: &[(&str, &str)]) -> Value {
    Value::Array(
        list.iter()
            .filter_map(|(name, value)| {
                let value = value.trim();
                (!value.is_empty()).then(|| json!({ "name": name, "ns": NS, "value": value }))
            })
            .collect(),
    )
}

/// A title: OSCAL titles are one line and never empty.
pub fn line(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.is_empty() {
        "(untitled)".to_owned()
    } else {
        one
    }
}

/// A token (OSCAL's NCName-like identifier) for a rule id: kept when it is one, otherwise
/// every other character as `_`, after a leading `_` when it starts with no letter.
pub fn token(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// A JSON document as OSCAL tools read it: pretty, with a final newline.
pub fn document(value: &Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_5_and_differ_by_role_rule_and_product() {
        let finding = uuid("KC-1", "R-1", "finding");
        assert_eq!(Uuid::parse_str(&finding).unwrap().get_version_num(), 5);
        assert_eq!(finding, uuid("KC-1", "R-1", "finding"));
        assert_ne!(finding, uuid("KC-1", "R-1", "observation"));
        assert_ne!(finding, uuid("KC-1", "R-2", "finding"));
        assert_ne!(finding, uuid("KC-2", "R-1", "finding"));
        // The parts are separated, so moving text from one to the next changes the UUID.
        assert_ne!(uuid("KC-1R", "-1", "finding"), finding);
    }

    #[test]
    fn tokens_and_titles_are_what_oscal_accepts() {
        assert_eq!(token("MIL1275-NOM-1"), "MIL1275-NOM-1");
        assert_eq!(token("1 rule/x"), "_1_rule_x");
        assert_eq!(line("  two\nlines "), "two lines");
        assert_eq!(line(" \n"), "(untitled)");
        assert_eq!(stamp("2026-11-25"), "2026-11-25T00:00:00Z");
    }
}
