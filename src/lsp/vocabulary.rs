//! What a product file may say, for completion: the keys and enumerations of the product
//! schema (`schemas/product.schema.json`, the one the reader checks against), and the values
//! the loaded packs accept (calibres, rails, fuels: every `one_of` list) and the standards
//! they are (`conforms_to`).

use serde_json::Value as Json;

use crate::input::{self, Format, Limits, Node};
use crate::pack::Library;
use crate::product::PRODUCT_SCHEMA;

/// A key a table may have, with the schema's words for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// A value a key may take, and where it comes from (the pack, or the schema).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub value: String,
    pub detail: String,
}

pub struct Vocabulary {
    schema: Json,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::new()
    }
}

/// How deep `$ref`s and combinators are followed: the product schema nests a few levels;
/// a cycle stops here instead of recursing for ever.
const MAX_DEPTH: usize = 16;

impl Vocabulary {
    pub fn new() -> Vocabulary {
        Vocabulary {
            schema: serde_json::from_str(PRODUCT_SCHEMA).unwrap_or(Json::Null),
        }
    }

    /// The keys of the table at `path` (keys from the root; arrays are looked through).
    pub fn keys(&self, path: &[String]) -> Vec<Key> {
        let mut keys: Vec<Key> = Vec::new();
        for schema in self.at(path) {
            let Some(properties) = schema.get("properties").and_then(Json::as_object) else {
                continue;
            };
            for (name, property) in properties {
                if keys.iter().any(|k| k.name == *name) {
                    continue;
                }
                let text = |field: &str| {
                    self.expand(property)
                        .iter()
                        .find_map(|s| s.get(field).and_then(Json::as_str))
                        .map(str::to_owned)
                };
                keys.push(Key {
                    name: name.clone(),
                    title: text("title"),
                    description: text("description"),
                });
            }
        }
        keys
    }

    /// The schema's enumeration for the key at `path` + `key` (`category`, `function`, `use`).
    pub fn enumeration(&self, path: &[String], key: &str) -> Vec<Term> {
        let mut full = path.to_vec();
        full.push(key.to_owned());
        let mut terms: Vec<Term> = Vec::new();
        for schema in self.at(&full) {
            let values = schema.get("enum").and_then(Json::as_array);
            for value in values.into_iter().flatten().filter_map(Json::as_str) {
                if !terms.iter().any(|t| t.value == value) {
                    terms.push(Term {
                        value: value.to_owned(),
                        detail: format!("{key} (product schema)"),
                    });
                }
            }
        }
        terms
    }

    /// The schemas that describe the value at `path`, every `$ref`, combinator and array
    /// item followed.
    fn at(&self, path: &[String]) -> Vec<&Json> {
        let mut current = self.expand(&self.schema);
        for key in path {
            let next: Vec<&Json> = current
                .iter()
                .filter_map(|s| s.get("properties")?.get(key.as_str()))
                .collect();
            current = next.into_iter().flat_map(|s| self.expand(s)).collect();
        }
        current
    }

    fn expand<'a>(&'a self, schema: &'a Json) -> Vec<&'a Json> {
        let mut out = Vec::new();
        self.expand_into(schema, 0, &mut out);
        out
    }

    fn expand_into<'a>(&'a self, schema: &'a Json, depth: usize, out: &mut Vec<&'a Json>) {
        if depth > MAX_DEPTH {
            return;
        }
        out.push(schema);
        if let Some(target) = schema
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| self.schema.pointer(pointer))
        {
            self.expand_into(target, depth + 1, out);
        }
        for combinator in ["allOf", "anyOf", "oneOf"] {
            for branch in schema
                .get(combinator)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                self.expand_into(branch, depth + 1, out);
            }
        }
        if let Some(items) = schema.get("items") {
            self.expand_into(items, depth + 1, out);
        }
    }
}

/// The values the library knows for `key`: the standards for `conforms_to`, else every
/// entry of the `one_of` lists of rules whose path ends in `key` (`caliber`, `rail`,
/// `grades`). Packs whose text must not be shown (marked or encrypted) give none.
pub fn known(library: &Library, key: &str) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let mut add = |value: &str, detail: &str| {
        if !terms.iter().any(|t| t.value == value) {
            terms.push(Term {
                value: value.to_owned(),
                detail: detail.to_owned(),
            });
        }
    };
    if key == "conforms_to" {
        for pack in library.packs() {
            add(&pack.meta.designation, &pack.meta.title);
        }
        return terms;
    }
    for pack in library.packs() {
        if crate::marking::is_marked(&pack.meta.classification) || pack.file.ends_with(".age") {
            continue;
        }
        let Ok(doc) = input::parse(pack.text.as_bytes(), Format::Toml, &Limits::default()) else {
            continue;
        };
        for rule in items(doc.root.get("rule")) {
            let reads_key = rule
                .get("path")
                .and_then(Node::as_str)
                .and_then(|path| path.rsplit('.').next())
                .is_some_and(|last| last.trim_end_matches("[*]") == key);
            if !reads_key {
                continue;
            }
            let accepted = rule.get("one_of").and_then(|o| o.get("accept"));
            for value in items(accepted).filter_map(Node::as_str) {
                add(value, &pack.meta.designation);
            }
        }
    }
    terms
}

fn items(node: Option<&Node>) -> impl Iterator<Item = &Node> {
    let items = match node.map(|n| &n.value) {
        Some(input::Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    items.iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::PackCompiler;

    fn names(keys: Vec<Key>) -> Vec<String> {
        keys.into_iter().map(|k| k.name).collect()
    }

    #[test]
    fn keys_come_from_the_schema_through_refs_and_arrays() {
        let vocabulary = Vocabulary::new();
        let top = names(vocabulary.keys(&[]));
        assert!(top.contains(&"product".to_owned()) && top.contains(&"ammunition".to_owned()));
        // `ammunition` is one table or an array of named ones: both branches' keys.
        let ammunition = names(vocabulary.keys(&["ammunition".to_owned()]));
        assert!(ammunition.contains(&"caliber".to_owned()), "{ammunition:?}");
        let bands = names(vocabulary.keys(&["radio".to_owned(), "bands".to_owned()]));
        assert!(bands.contains(&"min".to_owned()), "{bands:?}");
        assert!(vocabulary.keys(&["nowhere".to_owned()]).is_empty());
    }

    #[test]
    fn the_category_enumeration_is_the_schemas() {
        let categories: Vec<String> = Vocabulary::new()
            .enumeration(&["product".to_owned()], "category")
            .into_iter()
            .map(|t| t.value)
            .collect();
        assert!(categories.contains(&"small-arm".to_owned()));
        assert!(categories.contains(&"power-supply".to_owned()));
        assert!(Vocabulary::new()
            .enumeration(&["product".to_owned()], "name")
            .is_empty());
    }

    #[test]
    fn calibres_and_designations_come_from_the_packs() {
        let (library, _) = Library::builtin(&PackCompiler::new());
        let calibres: Vec<String> = known(&library, "caliber")
            .into_iter()
            .map(|t| t.value)
            .collect();
        assert!(
            calibres.contains(&"5.56×45 mm NATO".to_owned()),
            "{calibres:?}"
        );
        let standards: Vec<String> = known(&library, "conforms_to")
            .into_iter()
            .map(|t| t.value)
            .collect();
        assert!(standards.contains(&"STANAG 4172".to_owned()));
        assert!(known(&library, "no-such-key").is_empty());
    }
}
