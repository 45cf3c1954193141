//! The pack schema as published (`schemas/pack.schema.json`), with each check kind's keys taken
//! from the kind itself: the file holds what packs share (metadata, applicability, the rule's
//! own keys), and the registry the keys each kind owns. A test keeps the file equal to what
//! [`generated`] makes of it, so neither can drift from the other.

use serde_json::{Map, Value};

use crate::check::REGISTRY;

/// The pack schema shipped with formfit, as committed.
pub const PACK_SCHEMA: &str = include_str!("../../schemas/pack.schema.json");

/// The committed schema with every check kind's keys (and the `$defs` they use) replaced by the
/// registry's, after the rule's own keys, in registry order.
pub fn generated() -> Value {
    // The committed file is JSON (the test below reads it); `Null` would fail that test.
    let mut schema: Value = serde_json::from_str(PACK_SCHEMA).unwrap_or_default();
    let mut keys = Map::new();
    let mut defs = Map::new();
    for kind in REGISTRY {
        let mut part = (kind.schema)();
        for (into, what) in [(&mut keys, "properties"), (&mut defs, "$defs")] {
            if let Some(Value::Object(entries)) = part.get_mut(what).map(Value::take) {
                into.extend(entries);
            }
        }
    }
    let rule = &mut schema["$defs"]["rule"]["properties"];
    if let Value::Object(properties) = rule {
        properties.retain(|key, _| !keys.contains_key(key));
        properties.extend(keys);
    }
    if let Value::Object(all) = &mut schema["$defs"] {
        all.extend(defs);
    }
    schema
}

/// The generated schema as the committed file is written.
pub fn generated_text() -> String {
    let mut text = serde_json::to_string_pretty(&generated()).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when a check kind's keys and the published schema disagree. To update the file
    /// after changing a kind: `FORMFIT_BLESS=1 cargo test --lib pack::schema`.
    #[test]
    fn the_published_pack_schema_is_the_generated_one() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/pack.schema.json");
        if std::env::var_os("FORMFIT_BLESS").is_some() {
            std::fs::write(path, generated_text()).unwrap();
            return;
        }
        assert!(
            PACK_SCHEMA == generated_text(),
            "schemas/pack.schema.json differs from the check kinds' keys: run \
             `FORMFIT_BLESS=1 cargo test --lib pack::schema` and read the diff"
        );
    }

    #[test]
    fn every_kind_owns_keys_no_other_kind_owns() {
        let mut seen = std::collections::HashMap::new();
        for kind in REGISTRY {
            let properties = (kind.schema)()["properties"].clone();
            let declared: Vec<&str> = kind.keys().collect();
            let described: Vec<&str> = properties
                .as_object()
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            assert_eq!(declared, described, "{}: keys and schema differ", kind.name);
            for key in declared {
                if let Some(other) = seen.insert(key, kind.name) {
                    panic!("`{key}` is owned by both {other} and {}", kind.name);
                }
            }
        }
    }
}
