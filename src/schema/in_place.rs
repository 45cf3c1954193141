//! The document tree as a JSON representation of its own, so that a catalogue's products are
//! validated where they are, without the `serde_json` copy of each one the validator
//! otherwise needs (a tenth of checking a small product).

use std::borrow::Cow;

use jsonschema::json::{Array, Json, Node as JsonNode, NodeIdentity, Object};
use jsonschema::JsonType;

use crate::input::{Entry, Node, Value};

/// formfit's spanned tree, as `jsonschema` reads an instance.
pub struct Tree;

impl Json for Tree {
    type Node<'a> = &'a Node;
    type PreparedKey = String;
    type StringBuffer = Option<Node>;

    // A table's keys are looked up one by one along its entries.
    const KEYS_PER_LOOKUP: usize = 2;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(
        buffer: &mut Option<Node>,
        string: &str,
        f: impl FnOnce(&Node) -> T,
    ) -> T {
        let node = buffer.insert(Node::new(0..0, Value::String(string.to_owned())));
        f(node)
    }
}

/// A table's entries, in document order.
#[derive(Clone, Copy)]
pub struct Entries<'a>(&'a [Entry]);

impl<'a> JsonNode<'a, Tree> for &'a Node {
    type Object = Entries<'a>;
    type Array = &'a [Node];
    type Number = &'a serde_json::Number;

    fn as_object(&self) -> Option<Entries<'a>> {
        match &self.value {
            Value::Table(entries) => Some(Entries(entries)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        let node: &'a Node = self;
        node.as_str().map(Cow::Borrowed)
    }

    fn as_number(&self) -> Option<&'a serde_json::Number> {
        match &self.value {
            Value::Number(number) => Some(number),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    fn json_type(&self) -> JsonType {
        match self.value {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Number(_) => JsonType::Number,
            Value::String(_) | Value::Quantity(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Table(_) => JsonType::Object,
        }
    }

    /// The plain JSON copy, for what the validator does rarely (`enum`, `const`, errors).
    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        Cow::Owned(self.to_json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(self) as usize))
    }
}

impl<'a> Object<'a, Tree> for Entries<'a> {
    type Node = &'a Node;
    type MemberName = &'a str;
    type MembersIter =
        std::iter::Map<std::slice::Iter<'a, Entry>, fn(&'a Entry) -> (&'a str, &'a Node)>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn get(&self, key: &String) -> Option<&'a Node> {
        self.0.iter().find(|e| e.key == *key).map(|e| &e.node)
    }

    fn members(&self) -> Self::MembersIter {
        self.0.iter().map(|e| (e.key.as_str(), &e.node))
    }
}

impl<'a> Array<'a, Tree> for &'a [Node] {
    type Node = &'a Node;
    type ElementsIter = std::slice::Iter<'a, Node>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Node> {
        self.iter()
    }
}
