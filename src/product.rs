//! Reading a product description: bytes → spanned document → schema check → quantities.
//!
//! The product vocabulary is closed (`schemas/product.schema.json`). After the schema passes,
//! every field the vocabulary declares a quantity (`x-quantity`) is parsed once into an exact
//! [`Quantity`](crate::quantity::Quantity); a range written as one string ("225-400 MHz") becomes a `{min, max}` table
//! whose ends keep their spans inside the string, so rules and reports see one shape.

mod quantities;

use crate::code::InputCode;
use crate::diagnostic::Problem;
use crate::input::{self, Document, Format, Limits, Node, Value};
use crate::schema::{compile_shipped, Schema, Tree};
use quantities::Shape;

/// The product JSON Schema, shipped with formfit and published in `schemas/`.
pub const PRODUCT_SCHEMA: &str = include_str!("../schemas/product.schema.json");

/// [`PRODUCT_SCHEMA`] parsed, once per process: the pack compiler checks paths against it and
/// the reader takes the quantity fields from it.
pub fn schema_json() -> &'static serde_json::Value {
    static JSON: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    JSON.get_or_init(|| serde_json::from_str(PRODUCT_SCHEMA).unwrap_or_default())
}

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

// `ShippedSchema`: the checked product schema (see `CHECKED_SCHEMA`) compiled into formfit at
// build time, a yes/no that needs no schema compiled at run time (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/product_checked.rs"));

/// The product schema as products are checked against it: [`PRODUCT_SCHEMA`] without the
/// quantity patterns, which are for editors (formfit's unit check says more, quantities.rs).
pub const CHECKED_SCHEMA: &str =
    include_str!(concat!(env!("OUT_DIR"), "/product_checked.schema.json"));

/// Products a reader reads before it compiles the schema for its own tree: compiling it costs
/// about what 200 JSON copies do (2 M instructions, each copy and check 12 k, the check in place
/// 3 k; BENCHMARKS.md).
const CATALOGUE: usize = 200;

/// Reads product files. The run-time schema, which places each error on its span, is compiled
/// only when a product fails the built-in yes/no, once per reader.
pub struct ProductReader {
    schema: std::sync::OnceLock<Schema>,
    /// The checked schema compiled for formfit's own tree, once this reader is reading a
    /// catalogue: it validates a product without copying it (see [`ProductReader::schema_problems`]).
    in_place: std::sync::OnceLock<jsonschema::Validator<Tree>>,
    /// Products read so far.
    read: std::sync::atomic::AtomicUsize,
    /// Which fields are quantities, from the schema's `x-quantity` annotations.
    quantities: Shape,
    limits: Limits,
}

impl ProductReader {
    pub fn new(limits: Limits) -> ProductReader {
        let (quantities, _) = quantities::compile(schema_json());
        ProductReader {
            schema: std::sync::OnceLock::new(),
            in_place: std::sync::OnceLock::new(),
            read: std::sync::atomic::AtomicUsize::new(0),
            quantities,
            limits,
        }
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

    /// Every schema problem of a document: none when it passes the built-in check, else what the
    /// run-time schema finds.
    pub fn schema_problems(&self, root: &Node) -> Vec<Problem> {
        // A few products are checked by the built-in yes/no on a JSON copy of each; a
        // catalogue pays once for the schema compiled for the tree itself, and copies none.
        let read = self.read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if read >= CATALOGUE {
            if self.is_valid_in_place(root) {
                return Vec::new();
            }
            return self.placed_problems(root, &root.to_json());
        }
        let instance = root.to_json();
        if ShippedSchema::is_valid(&instance) {
            return Vec::new();
        }
        self.placed_problems(root, &instance)
    }

    /// The checked schema's yes/no on the tree itself (compiled for it at the first call).
    pub fn is_valid_in_place(&self, root: &Node) -> bool {
        self.in_place
            .get_or_init(|| {
                let schema = serde_json::from_str(CHECKED_SCHEMA).unwrap_or_default();
                match jsonschema::options_for::<Tree>().build(&schema) {
                    Ok(validator) => validator,
                    Err(e) => unreachable!("the checked product schema does not compile: {e}"),
                }
            })
            .is_valid(root)
    }

    /// What the run-time schema finds in `instance` (the plain JSON form of `root`), each
    /// problem on its span; the built-in check skipped.
    pub fn placed_problems(&self, root: &Node, instance: &serde_json::Value) -> Vec<Problem> {
        self.schema
            .get_or_init(|| compile_shipped(CHECKED_SCHEMA, InputCode::Schema))
            .validate_instance(root, instance)
    }

    /// A parsed document checked against the schema, its quantities parsed.
    fn validate(&self, mut doc: Document) -> Result<Product, InvalidProduct> {
        let problems = self.schema_problems(&doc.root);
        if !problems.is_empty() {
            return Err(InvalidProduct {
                product: product_id(&doc.root).map(str::to_owned),
                text: doc.text,
                problems,
            });
        }
        let mut problems = Vec::new();
        quantities::normalise(&self.quantities, &doc.text, &mut doc.root, &mut problems);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Value;

    fn read(text: &str, format: Format) -> Result<Product, InvalidProduct> {
        ProductReader::new(Limits::default()).read(text.as_bytes(), format)
    }

    const HEAD: &str =
        "[product]\nid = \"P\"\nname = \"N\"\nmanufacturer = \"M\"\ncategory = \"radio\"\n";

    #[test]
    fn the_checked_schema_is_the_product_schema_without_its_quantity_patterns() {
        let checked: serde_json::Value = serde_json::from_str(CHECKED_SCHEMA).unwrap();
        assert_eq!(checked, quantities::without_patterns(schema_json()));
        assert_ne!(checked, *schema_json(), "the patterns were not found");
    }

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
    fn a_typo_of_the_codification_keys_suggests_them() {
        for (typo, key) in [("nsm", "nsn"), ("ncgae", "ncage")] {
            let text = HEAD.replace("[product]\n", &format!("[product]\n{typo} = \"1\"\n"));
            let invalid = read(&text, Format::Toml).unwrap_err();
            let problem = &invalid.problems[0];
            assert_eq!(&text[problem.span.clone()], typo);
            let help = problem.help.as_deref().unwrap_or_default();
            assert!(help.contains(&format!("`{key}`")), "{typo}: {help}");
        }
    }

    #[test]
    fn a_unit_case_slip_points_at_the_unit() {
        let text = format!("{HEAD}[[radio]]\nname = \"UHF\"\nbands = [{{ min = \"225 Mhz\", max = \"400 MHz\" }}]\n");
        let invalid = read(&text, Format::Toml).unwrap_err();
        assert_eq!(invalid.problems[0].id(), "input/unit");
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
