//! Which product fields are quantities, read once from the product schema's annotations, and
//! the normalisation that parses them in place. The vocabulary is thus written once: adding a
//! quantity field is a property in `schemas/product.schema.json` with `x-quantity`.
//!
//! The annotations:
//! - `"x-quantity": "voltage"`: the string is one quantity of that dimension;
//! - `"x-quantity": "frequency range"`: a range, written `"225-400 MHz"` or `{min, max}`, which
//!   becomes a `{min, max}` table whose ends keep their spans inside the string;
//! - `"x-table-key": "voltage"` beside `x-quantity`: the bare quantity becomes a table holding it
//!   under that key, as the table form writes it (a withstand `"100 V"` is `{voltage = "100 V"}`),
//!   and the table's own field of that name, of the same dimension, parses it;
//! - `"default"` on an object's property: written into a table that leaves the key out, so
//!   that path filters (`bands[use=txrx]`) see it.
//!
//! A value written as a string or a table is one schema with `"type": ["string", "object"]`, the
//! string's keywords beside the table's, never a `oneOf`: an editor can only report a failed
//! `oneOf` as "not valid under any of the schemas", so annotations inside one are a mistake.
//!
//! A quantity string also carries a `pattern` of its dimension's units ([`quantity_pattern`],
//! [`range_pattern`]), so that an editor flags `225 Mhz` as it is typed. formfit leaves those
//! patterns out of its own validation (build.rs writes the schema it checks against, and a test
//! holds it to `without_patterns` here): its unit check, after the schema,
//! says what is wrong and names the unit meant, where a pattern can only say "does not match".

use serde_json::Value as Json;

use crate::code::InputCode;
use crate::diagnostic::Problem;
use crate::input::{Entry, Node, Span, Value};
use crate::quantity::{parse_quantity, parse_range, Dimension};
use crate::span::content_start;

/// What a place in the product holds, as far as normalisation cares.
#[derive(Debug)]
pub(super) enum Shape {
    /// Nothing to parse here or below.
    Plain,
    /// A conversion of the value, then the shape of what it became.
    Converted(Conversion, Box<Shape>),
    /// A table: its fields that hold quantities, and its defaults.
    Table {
        fields: Vec<(String, Shape)>,
        defaults: Vec<(String, String)>,
    },
    /// Every item of an array.
    Each(Box<Shape>),
}

#[derive(Debug)]
pub(super) enum Conversion {
    Quantity(Dimension),
    Range(Dimension),
    /// A bare string becomes a table holding it under this key; the table's field parses it.
    Wrapped(String),
}

fn resolve<'a>(root: &'a Json, schema: &Json) -> Option<&'a Json> {
    let reference = schema.get("$ref").and_then(Json::as_str)?;
    root.pointer(reference.strip_prefix('#')?)
}

/// Nesting beyond this is a schema mistake (a `$ref` cycle), not a vocabulary.
const MAX_DEPTH: usize = 32;

/// A number as `parse_quantity` scans it: sign, digits, a fraction, an exponent.
#[cfg(test)]
const NUMBER: &str = r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?";

/// A range's separator as `parse_range` takes it: a hyphen or dash, `..`, or `to `.
#[cfg(test)]
const SEPARATOR: &str = r"(?:[-–—]|\.\.|to[ \t])";

/// The units of a dimension as one alternation, longest first (the order is for reading: the
/// pattern is anchored, so any order matches the same strings).
#[cfg(test)]
fn units(dimension: Dimension) -> String {
    let mut symbols: Vec<&str> = crate::quantity::symbols(dimension).collect();
    symbols.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    let escaped: Vec<String> = symbols.iter().map(|s| regex::escape(s)).collect();
    format!("(?:{})", escaped.join("|"))
}

/// The product schema's pattern of one quantity of `dimension`: `"28 V"`, `"50µs"`.
#[cfg(test)]
pub(super) fn quantity_pattern(dimension: Dimension) -> String {
    format!(r"^\s*{NUMBER}\s*{}\s*$", units(dimension))
}

/// The product schema's pattern of a range of `dimension` written as one string, with a unit on
/// either end or both: `"225-400 MHz"`, `"20 V - 33 V"`, `"30 to 88 MHz"`.
#[cfg(test)]
pub(super) fn range_pattern(dimension: Dimension) -> String {
    let unit = units(dimension);
    // `parse_range` ends a low unit written with a space (`V DC`) only at a space or a dash, so
    // `to` follows such a unit after a space; any other unit may run into it (`30MHzto 88`).
    let unspaced: Vec<String> = crate::quantity::symbols(dimension)
        .filter(|s| !s.contains(' '))
        .map(regex::escape)
        .collect();
    let low = format!(
        r"(?:{unit}\s*(?:[-–—]|\.\.)|{unit}\s+to[ \t]|(?:{})to[ \t])",
        unspaced.join("|")
    );
    format!(
        r"^\s*{NUMBER}\s*(?:{low}\s*{NUMBER}(?:\s*{unit})?|{SEPARATOR}\s*{NUMBER}\s*{unit})\s*$"
    )
}

/// The product schema as formfit validates it: every quantity pattern left out (see the module
/// doc), every other keyword kept.
#[cfg(test)]
pub(super) fn without_patterns(schema: &Json) -> Json {
    let patterns: Vec<String> = Dimension::ALL
        .into_iter()
        .flat_map(|d| [quantity_pattern(d), range_pattern(d)])
        .collect();
    strip(schema, &patterns)
}

#[cfg(test)]
fn strip(schema: &Json, patterns: &[String]) -> Json {
    match schema {
        Json::Object(map) => Json::Object(
            map.iter()
                .filter(|(key, value)| {
                    !(*key == "pattern"
                        && value
                            .as_str()
                            .is_some_and(|p| patterns.iter().any(|q| q == p)))
                })
                .map(|(key, value)| (key.clone(), strip(value, patterns)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(|i| strip(i, patterns)).collect()),
        other => other.clone(),
    }
}

/// Reads the annotations of the product schema; mistakes in them are returned, for the test
/// that keeps the shipped schema right.
pub(super) fn compile(root: &Json) -> (Shape, Vec<String>) {
    let mut mistakes = Vec::new();
    let shape = shape(root, root, 0, &mut mistakes);
    (shape, mistakes)
}

fn shape(root: &Json, schema: &Json, depth: usize, mistakes: &mut Vec<String>) -> Shape {
    if depth > MAX_DEPTH {
        mistakes.push("the product schema nests too deeply (a $ref cycle?)".to_owned());
        return Shape::Plain;
    }
    let Some(annotation) = schema.get("x-quantity").and_then(Json::as_str) else {
        return unannotated(root, schema, depth, mistakes);
    };
    let (name, range) = match annotation.strip_suffix(" range") {
        Some(name) => (name, true),
        None => (annotation, false),
    };
    let inner = Box::new(unannotated(root, schema, depth, mistakes));
    let Some(dimension) = Dimension::from_key(name) else {
        mistakes.push(format!("`x-quantity: {annotation}` names no dimension"));
        return *inner;
    };
    let conversion = match (range, schema.get("x-table-key").and_then(Json::as_str)) {
        (true, None) => Conversion::Range(dimension),
        (false, None) => Conversion::Quantity(dimension),
        (false, Some(key)) => {
            if !holds(&inner, key, dimension) {
                mistakes.push(format!(
                    "`x-table-key: {key}` names no field of the table holding a {}",
                    dimension.key()
                ));
            }
            Conversion::Wrapped(key.to_owned())
        }
        (true, Some(_)) => {
            mistakes.push(format!("`x-table-key` does not go with `{annotation}`"));
            Conversion::Range(dimension)
        }
    };
    Shape::Converted(conversion, inner)
}

/// Whether a table shape parses its field `key` as one quantity of `dimension`.
fn holds(shape: &Shape, key: &str, dimension: Dimension) -> bool {
    let Shape::Table { fields, .. } = shape else {
        return false;
    };
    fields.iter().any(|(name, field)| {
        name == key
            && matches!(field, Shape::Converted(Conversion::Quantity(d), _) if *d == dimension)
    })
}

/// The shape of a schema apart from its own annotation: its `$ref`, branches, fields, items.
fn unannotated(root: &Json, schema: &Json, depth: usize, mistakes: &mut Vec<String>) -> Shape {
    if schema.get("$ref").is_some() {
        return match resolve(root, schema) {
            Some(target) => shape(root, target, depth + 1, mistakes),
            None => {
                mistakes.push(format!("`$ref` {} does not resolve", schema["$ref"]));
                Shape::Plain
            }
        };
    }
    for combinator in ["oneOf", "anyOf"] {
        let branches = schema.get(combinator).and_then(Json::as_array);
        if branches
            .into_iter()
            .flatten()
            .any(|b| !matches!(shape(root, b, depth + 1, mistakes), Shape::Plain))
        {
            mistakes.push(format!(
                "quantities inside a `{combinator}` are not read: write the forms side by side under one `type` (as `band`)"
            ));
        }
    }
    if let Some(items) = schema.get("items") {
        return match shape(root, items, depth + 1, mistakes) {
            Shape::Plain => Shape::Plain,
            each => Shape::Each(Box::new(each)),
        };
    }
    let Some(properties) = schema.get("properties").and_then(Json::as_object) else {
        return Shape::Plain;
    };
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    for (key, property) in properties {
        if let Some(default) = property.get("default").and_then(Json::as_str) {
            defaults.push((key.clone(), default.to_owned()));
        }
        match shape(root, property, depth + 1, mistakes) {
            Shape::Plain => {}
            field => fields.push((key.clone(), field)),
        }
    }
    if fields.is_empty() && defaults.is_empty() {
        Shape::Plain
    } else {
        Shape::Table { fields, defaults }
    }
}

/// Parses every quantity the shape declares, in place. Returns through `problems`.
pub(super) fn normalise(shape: &Shape, text: &str, node: &mut Node, problems: &mut Vec<Problem>) {
    match shape {
        Shape::Plain => {}
        Shape::Converted(conversion, then) => {
            convert(conversion, text, node, problems);
            normalise(then, text, node, problems);
        }
        Shape::Table { fields, defaults } => {
            if !matches!(node.value, Value::Table(_)) {
                return;
            }
            for (key, field) in fields {
                if let Some(child) = node.get_mut(key) {
                    normalise(field, text, child, problems);
                }
            }
            for (key, value) in defaults {
                insert_default(node, key, value);
            }
        }
        Shape::Each(item) => {
            if let Value::Array(items) = &mut node.value {
                for child in items {
                    normalise(item, text, child, problems);
                }
            }
        }
    }
}

fn convert(conversion: &Conversion, text: &str, node: &mut Node, problems: &mut Vec<Problem>) {
    match conversion {
        Conversion::Quantity(dimension) => quantity(text, node, *dimension, problems),
        Conversion::Range(dimension) => range(text, node, *dimension, problems),
        Conversion::Wrapped(key) => {
            if let Value::String(_) = node.value {
                node.value = Value::Table(vec![Entry {
                    key: key.clone(),
                    key_span: node.span.clone(),
                    node: node.clone(),
                }]);
            }
        }
    }
}

fn quantity(text: &str, node: &mut Node, dimension: Dimension, problems: &mut Vec<Problem>) {
    let Value::String(raw) = &node.value else {
        return;
    };
    match parse_quantity(raw, Some(dimension)) {
        Ok(q) => node.value = Value::Quantity(Box::new(q)),
        Err(p) => problems.push(place(text, node, raw, p)),
    }
}

/// Moves a problem found inside a string value onto the file, or onto the whole value when
/// the string's exact position cannot be known.
fn place(text: &str, node: &Node, raw: &str, problem: Problem) -> Problem {
    match content_start(text, &node.span, raw) {
        Some(start) => problem.shifted(start),
        None => Problem {
            span: node.span.clone(),
            ..problem
        },
    }
}

fn range(text: &str, node: &mut Node, dimension: Dimension, problems: &mut Vec<Problem>) {
    match &node.value {
        Value::String(raw) => match parse_range(raw, Some(dimension)) {
            Ok([(low, low_span), (high, high_span)]) => {
                let start = content_start(text, &node.span, raw);
                let at = |s: Span| start.map_or(node.span.clone(), |o| s.start + o..s.end + o);
                let entry = |key: &str, span: Span, q| Entry {
                    key: key.to_owned(),
                    key_span: span.clone(),
                    node: Node::new(span, Value::Quantity(Box::new(q))),
                };
                let entries = vec![
                    entry("min", at(low_span), low),
                    entry("max", at(high_span), high),
                ];
                node.value = Value::Table(entries);
            }
            Err(p) => {
                problems.push(place(text, node, raw, p));
                return;
            }
        },
        Value::Table(_) => {
            for key in ["min", "max"] {
                if let Some(end) = node.get_mut(key) {
                    quantity(text, end, dimension, problems);
                }
            }
        }
        _ => return,
    }
    if let (Some(min), Some(max)) = (
        node.get("min").and_then(Node::as_quantity),
        node.get("max").and_then(Node::as_quantity),
    ) {
        if min.value > max.value {
            problems.push(
                Problem::new(
                    InputCode::ReversedRange,
                    format!("the range's minimum {min} is above its maximum {max}"),
                    node.span.clone(),
                )
                .with_label("min > max")
                .with_help("swap the two ends"),
            );
        }
    }
}

/// Writes a vocabulary default into a table that leaves the key out, spanning the table, so that
/// path filters such as `bands[use=txrx]` see it.
fn insert_default(node: &mut Node, key: &str, value: &str) {
    let span = node.span.clone();
    if let Value::Table(entries) = &mut node.value {
        if !entries.iter().any(|e| e.key == key) {
            entries.push(Entry {
                key: key.to_owned(),
                key_span: span.clone(),
                node: Node::new(span, Value::String(value.to_owned())),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{parse, Format, Limits};

    /// The places a shape parses, as `path: conversion`, for reading in assertions.
    fn places(shape: &Shape, at: &str, out: &mut Vec<String>) {
        match shape {
            Shape::Plain => {}
            Shape::Converted(conversion, then) => {
                let what = match conversion {
                    Conversion::Quantity(d) => d.key().to_owned(),
                    Conversion::Range(d) => format!("{} range", d.key()),
                    Conversion::Wrapped(key) => format!("wrapped as {key}"),
                };
                out.push(format!("{at}: {what}"));
                places(then, at, out);
            }
            Shape::Table { fields, defaults } => {
                for (key, value) in defaults {
                    out.push(format!("{at}.{key}: default {value}"));
                }
                for (key, field) in fields {
                    places(field, &format!("{at}.{key}"), out);
                }
            }
            Shape::Each(item) => places(item, &format!("{at}[*]"), out),
        }
    }

    #[test]
    fn the_shipped_schema_declares_every_quantity_field_once() {
        let schema = serde_json::from_str(crate::product::PRODUCT_SCHEMA).unwrap();
        let (shape, mistakes) = compile(&schema);
        assert!(mistakes.is_empty(), "{mistakes:?}");
        let mut found = Vec::new();
        places(&shape, "", &mut found);
        assert_eq!(
            found,
            [
                ".radio[*].bands[*]: frequency range",
                ".radio[*].bands[*].use: default txrx",
                ".radio[*].channel_spacing: frequency",
                ".radio[*].tx_power: power",
                ".power.nominal_voltage: voltage",
                ".power.input_voltage: voltage range",
                ".power.surge_withstand: wrapped as voltage",
                ".power.surge_withstand.voltage: voltage",
                ".power.surge_withstand.duration: time",
                ".power.spike_withstand: wrapped as voltage",
                ".power.spike_withstand.voltage: voltage",
                ".power.spike_withstand.duration: time",
            ]
        );
    }

    #[test]
    fn a_new_quantity_field_is_one_annotation() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {"socket": {"type": "object", "properties": {
                "heater": {"type": "string", "x-quantity": "power"}
            }}}
        });
        let (shape, mistakes) = compile(&schema);
        assert!(mistakes.is_empty(), "{mistakes:?}");
        let text = "[socket]\nheater = \"30 W\"\n";
        let mut doc = parse(text.as_bytes(), Format::Toml, &Limits::default()).unwrap();
        let mut problems = Vec::new();
        normalise(&shape, text, &mut doc.root, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let heater = doc.root.get("socket").unwrap().get("heater").unwrap();
        assert_eq!(
            heater.as_quantity().map(|q| q.dimension),
            Some(Dimension::Power)
        );
    }

    /// Every schema that `x-quantity` annotates, with where it is: the one its `$ref` names.
    fn annotated<'a>(
        root: &'a Json,
        at: &str,
        schema: &'a Json,
        out: &mut Vec<(String, &'a Json, &'a str)>,
    ) {
        match schema {
            Json::Object(map) => {
                if let Some(annotation) = map.get("x-quantity").and_then(Json::as_str) {
                    out.push((
                        at.to_owned(),
                        resolve(root, schema).unwrap_or(schema),
                        annotation,
                    ));
                }
                for (key, value) in map {
                    annotated(root, &format!("{at}/{key}"), value, out);
                }
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    annotated(root, &format!("{at}/{i}"), item, out);
                }
            }
            _ => {}
        }
    }

    /// A quantity the schema annotates carries its dimension's pattern: a quantity string
    /// the quantity pattern; a range its string form the range pattern and its `min` and `max`
    /// the quantity pattern.
    #[test]
    fn the_schema_patterns_are_those_of_the_units_formfit_accepts() {
        let schema: Json = serde_json::from_str(crate::product::PRODUCT_SCHEMA).unwrap();
        let mut found = Vec::new();
        annotated(&schema, "", &schema, &mut found);
        let mut wrong = Vec::new();
        let mut expect = |at: &str, schema: &Json, pattern: String| {
            if schema.get("pattern").and_then(Json::as_str) != Some(pattern.as_str()) {
                wrong.push(format!("{at}: \"pattern\": {}", Json::String(pattern)));
            }
        };
        for (at, target, annotation) in &found {
            let (name, range) = match annotation.strip_suffix(" range") {
                Some(name) => (name, true),
                None => (*annotation, false),
            };
            let dimension = Dimension::from_key(name).unwrap();
            if !range {
                expect(at, target, quantity_pattern(dimension));
                continue;
            }
            // The string form's pattern beside the table form's ends.
            expect(at, target, range_pattern(dimension));
            for end in ["min", "max"] {
                expect(
                    &format!("{at}.{end}"),
                    &target["properties"][end],
                    quantity_pattern(dimension),
                );
            }
        }
        assert_eq!(found.len(), 8, "{found:?}");
        assert!(
            wrong.is_empty(),
            "patterns out of step with src/quantity.rs:\n{}",
            wrong.join("\n")
        );
    }

    /// Strings built of every unit, numbers and separators: the pattern takes a string exactly
    /// when formfit's parser does, so an editor never flags what formfit reads nor passes a unit
    /// of the wrong dimension.
    #[test]
    fn the_patterns_take_exactly_what_the_parser_takes() {
        use crate::quantity::{parse_quantity, parse_range, symbols};
        let every_unit: Vec<&str> = Dimension::ALL.into_iter().flat_map(symbols).collect();
        let numbers = ["28", "0.5", ".5", "-3", "+2.5E-3", "1e3", "5.", "x", ""];
        let mut quantities = vec![
            "225 Mhz".to_owned(),
            "25".to_owned(),
            "MHz".to_owned(),
            "1 e V".to_owned(),
            "28 V DC".to_owned(),
            "28 vdc".to_owned(),
        ];
        for number in numbers {
            for unit in every_unit.iter().copied().chain(["Mhz", "dBm", "v"]) {
                for space in ["", " ", "  "] {
                    quantities.push(format!("{number}{space}{unit}"));
                    quantities.push(format!(" {number}{space}{unit} "));
                }
            }
        }
        let mut ranges = Vec::new();
        for unit in &every_unit {
            for separator in ["-", " - ", "–", "..", " to ", "to ", " to", "—", "~"] {
                for (low, high) in [("225", "400"), ("1.5", "30"), ("20", "")] {
                    ranges.push(format!("{low}{separator}{high} {unit}"));
                    ranges.push(format!("{low} {unit}{separator}{high} {unit}"));
                    ranges.push(format!("{low} {unit}{separator}{high}"));
                    ranges.push(format!("{low}{separator}{high}"));
                }
            }
            ranges.push(format!("225 {unit}"));
        }
        let mut disagree = Vec::new();
        for dimension in Dimension::ALL {
            let pattern = regex::Regex::new(&quantity_pattern(dimension)).unwrap();
            for text in &quantities {
                let parsed = parse_quantity(text, Some(dimension)).is_ok();
                if pattern.is_match(text) != parsed {
                    disagree.push(format!("{} `{text}`: parser {parsed}", dimension.key()));
                }
            }
            let pattern = regex::Regex::new(&range_pattern(dimension)).unwrap();
            for text in &ranges {
                let parsed = parse_range(text, Some(dimension)).is_ok();
                if pattern.is_match(text) != parsed {
                    disagree.push(format!(
                        "{} range `{text}`: parser {parsed}",
                        dimension.key()
                    ));
                }
            }
        }
        assert!(disagree.is_empty(), "{}", disagree.join("\n"));
        // The strings the issue names.
        let frequency = regex::Regex::new(&quantity_pattern(Dimension::Frequency)).unwrap();
        assert!(!frequency.is_match("225 Mhz") && !frequency.is_match("25 V"));
        assert!(frequency.is_match("25 kHz"));
    }

    #[test]
    fn formfit_validates_without_the_quantity_patterns_only() {
        let schema: Json = serde_json::from_str(crate::product::PRODUCT_SCHEMA).unwrap();
        let text = schema.to_string();
        let stripped = without_patterns(&schema).to_string();
        assert!(text.contains(&Json::String(quantity_pattern(Dimension::Voltage)).to_string()));
        assert!(!stripped.contains("\"pattern\""), "{stripped}");
        let other = serde_json::json!({"properties": {"nsn": {"type": "string", "pattern": "^[0-9]{13}$"}}});
        assert_eq!(without_patterns(&other), other);
    }

    #[test]
    fn a_mistaken_annotation_is_reported() {
        let schema = serde_json::json!({"properties": {
            "a": {"type": "string", "x-quantity": "amperage"},
            "b": {"$ref": "#/$defs/missing"},
            "c": {"type": "string", "x-quantity": "voltage range", "x-table-key": "v"},
            "d": {"type": "string", "x-quantity": "voltage", "x-table-key": "v"},
            "e": {"oneOf": [{"type": "string", "x-quantity": "voltage"}, {"type": "object"}]}
        }});
        let (_, mistakes) = compile(&schema);
        assert_eq!(mistakes.len(), 5, "{mistakes:?}");
    }
}
