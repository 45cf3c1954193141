//! Reading a product description: bytes → spanned document → schema check → quantities.
//!
//! The product vocabulary is closed (`schemas/product.schema.json`). After the schema passes,
//! every field the vocabulary declares a quantity is parsed once, here, into an exact
//! [`Quantity`](crate::quantity::Quantity); a range written as one string ("225-400 MHz") becomes a `{min, max}` table
//! whose ends keep their spans inside the string, so rules and reports see one shape.

use crate::diagnostic::Problem;
use crate::input::{self, Document, Entry, Format, Limits, Node, Span, Value};
use crate::quantity::{parse_quantity, parse_range, Dimension};
use crate::schema::{compile_shipped, Schema};

/// The product JSON Schema, shipped with formfit and published in `schemas/`.
pub const PRODUCT_SCHEMA: &str = include_str!("../schemas/product.schema.json");

/// A product file that was read: its document and identity.
#[derive(Clone, Debug)]
pub struct Product {
    pub doc: Document,
}

impl Product {
    /// `product.id`, when the file has one.
    pub fn id(&self) -> Option<&str> {
        product_id(&self.doc.root)
    }
}

fn product_id(root: &Node) -> Option<&str> {
    root.get("product")?.get("id")?.as_str()
}

/// A product file that could not be read as a product, with all its problems.
#[derive(Clone, Debug)]
pub struct InvalidProduct {
    /// The text as far as it could be decoded, for rendering the problems.
    pub text: String,
    /// `product.id`, when the file could be parsed far enough to have one.
    pub product: Option<String>,
    pub problems: Vec<Problem>,
}

/// Reads product files; holds the compiled product schema so it is built once per run.
pub struct ProductReader {
    schema: Schema,
    limits: Limits,
}

impl ProductReader {
    pub fn new(limits: Limits) -> ProductReader {
        let schema = compile_shipped(PRODUCT_SCHEMA, "input/schema");
        ProductReader { schema, limits }
    }

    /// Reads one product from its bytes; the format is given by the caller (from the extension).
    pub fn read(&self, bytes: &[u8], format: Format) -> Result<Product, InvalidProduct> {
        let invalid = |problems| InvalidProduct {
            text: String::from_utf8_lossy(bytes).into_owned(),
            product: None,
            problems,
        };
        let doc = input::parse(bytes, format, &self.limits).map_err(invalid)?;
        self.validate(doc)
    }

    /// Reads a file found by walking a folder: `None` when it parses but has no top-level
    /// `product` table, so that a configuration beside the products, or a misspelt
    /// `[prodcut]`, is skipped (and counted) instead of read as a broken product or passed.
    pub fn read_found(
        &self,
        bytes: &[u8],
        format: Format,
    ) -> Option<Result<Product, InvalidProduct>> {
        match input::parse(bytes, format, &self.limits) {
            Ok(doc) => match doc.root.get("product").map(|n| &n.value) {
                Some(Value::Table(_)) => Some(self.validate(doc)),
                _ => None,
            },
            Err(problems) => Some(Err(InvalidProduct {
                text: String::from_utf8_lossy(bytes).into_owned(),
                product: None,
                problems,
            })),
        }
    }

    /// A parsed document checked against the schema, its quantities parsed.
    fn validate(&self, mut doc: Document) -> Result<Product, InvalidProduct> {
        let problems = self.schema.validate(&doc.root);
        if !problems.is_empty() {
            return Err(InvalidProduct {
                product: product_id(&doc.root).map(str::to_owned),
                text: doc.text,
                problems,
            });
        }
        let problems = normalise(&doc.text, &mut doc.root);
        if !problems.is_empty() {
            return Err(InvalidProduct {
                product: product_id(&doc.root).map(str::to_owned),
                text: doc.text,
                problems,
            });
        }
        Ok(Product { doc })
    }
}

/// Parses every quantity field of the vocabulary in place. Returns the problems found.
fn normalise(text: &str, root: &mut Node) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(Value::Array(radios)) = root.get_mut("radio").map(|n| &mut n.value) {
        for radio in radios {
            if let Some(Value::Array(bands)) = radio.get_mut("bands").map(|n| &mut n.value) {
                for band in bands {
                    range(text, band, Dimension::Frequency, &mut problems);
                    insert_default(band, "use", "txrx");
                }
            }
            for (key, dimension) in [
                ("channel_spacing", Dimension::Frequency),
                ("tx_power", Dimension::Power),
            ] {
                if let Some(node) = radio.get_mut(key) {
                    quantity(text, node, dimension, &mut problems);
                }
            }
        }
    }
    if let Some(power) = root.get_mut("power") {
        if let Some(node) = power.get_mut("nominal_voltage") {
            quantity(text, node, Dimension::Voltage, &mut problems);
        }
        if let Some(node) = power.get_mut("input_voltage") {
            range(text, node, Dimension::Voltage, &mut problems);
        }
        for key in ["surge_withstand", "spike_withstand"] {
            if let Some(node) = power.get_mut(key) {
                withstand(text, node, &mut problems);
            }
        }
    }
    problems
}

/// Where the string's content starts in the file, so that problems inside it can be placed
/// exactly; `None` when escapes make the written form differ from the value.
fn content_start(text: &str, span: &Span, content: &str) -> Option<usize> {
    text.get(span.clone())?
        .find(content)
        .map(|i| span.start + i)
}

fn quantity(text: &str, node: &mut Node, dimension: Dimension, problems: &mut Vec<Problem>) {
    let Value::String(raw) = &node.value else {
        return;
    };
    match parse_quantity(raw, Some(dimension)) {
        Ok(q) => node.value = Value::Quantity(q),
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
                    node: Node::new(span, Value::Quantity(q)),
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
                    "input/unit",
                    format!("the range's minimum {min} is above its maximum {max}"),
                    node.span.clone(),
                )
                .with_label("min > max")
                .with_help("swap the two ends"),
            );
        }
    }
}

/// A withstand is `"100 V"` or `{ voltage, duration }`; the bare form becomes a table with only
/// a voltage, so that rules can ask for the missing duration by path.
fn withstand(text: &str, node: &mut Node, problems: &mut Vec<Problem>) {
    if let Value::String(_) = node.value {
        let mut voltage = node.clone();
        quantity(text, &mut voltage, Dimension::Voltage, problems);
        node.value = Value::Table(vec![Entry {
            key: "voltage".to_owned(),
            key_span: node.span.clone(),
            node: voltage,
        }]);
        return;
    }
    if let Some(v) = node.get_mut("voltage") {
        quantity(text, v, Dimension::Voltage, problems);
    }
    if let Some(d) = node.get_mut("duration") {
        quantity(text, d, Dimension::Time, problems);
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

    fn read(text: &str, format: Format) -> Result<Product, InvalidProduct> {
        ProductReader::new(Limits::default()).read(text.as_bytes(), format)
    }

    const HEAD: &str =
        "[product]\nid = \"P\"\nname = \"N\"\nmanufacturer = \"M\"\ncategory = \"radio\"\n";

    #[test]
    fn a_range_string_becomes_min_and_max_with_spans_inside_the_string() {
        let text = format!("{HEAD}[[radio]]\nname = \"UHF\"\nbands = [\"225-420 MHz\"]\n");
        let product = read(&text, Format::Toml).unwrap();
        let band = &product.doc.root.get("radio").unwrap();
        let Value::Array(radios) = &band.value else {
            panic!()
        };
        let Value::Array(bands) = &radios[0].get("bands").unwrap().value else {
            panic!()
        };
        let max = bands[0].get("max").unwrap();
        assert_eq!(&text[max.span.clone()], "420 MHz");
        assert_eq!(bands[0].get("use").unwrap().as_str(), Some("txrx"));
    }

    #[test]
    fn an_unknown_key_is_located_with_a_suggestion() {
        let text = format!("{HEAD}[ammunition]\ncalibre = \"5.56 NATO\"\n");
        let invalid = read(&text, Format::Toml).unwrap_err();
        let problem = &invalid.problems[0];
        assert_eq!(&text[problem.span.clone()], "calibre");
        assert!(
            problem.help.as_deref().unwrap().contains("`caliber`"),
            "{problem:?}"
        );
    }

    #[test]
    fn a_unit_case_slip_points_at_the_unit() {
        let text = format!("{HEAD}[[radio]]\nname = \"UHF\"\nbands = [{{ min = \"225 Mhz\", max = \"400 MHz\" }}]\n");
        let invalid = read(&text, Format::Toml).unwrap_err();
        assert_eq!(invalid.problems[0].id, "input/unit");
        assert_eq!(&text[invalid.problems[0].span.clone()], "Mhz");
    }

    #[test]
    fn wrong_type_and_missing_field_are_schema_problems_at_their_place() {
        let text = "{\"product\": {\"name\": \"N\", \"manufacturer\": \"M\", \"category\": \"radio\"}, \"radio\": \"UHF\"}";
        let invalid = read(text, Format::Json).unwrap_err();
        let messages: Vec<_> = invalid
            .problems
            .iter()
            .map(|p| (p.message.as_str(), &text[p.span.clone()]))
            .collect();
        assert!(
            messages
                .iter()
                .any(|(m, at)| m.contains("missing required key `id`")
                    && at.starts_with("{\"name\"")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|(m, at)| m.contains("must be an array") && *at == "\"UHF\""),
            "{messages:?}"
        );
    }
}
