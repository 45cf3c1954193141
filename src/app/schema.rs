//! `formfit schema NAME`: the JSON Schemas formfit reads and writes, from the binary, so that an
//! editor or a pipeline validates against the schema of the formfit it runs, not a copy.

use super::Outcome;

/// The report schema: the JSON report's contract. Its `$id` carries the contract version.
pub const REPORT_SCHEMA: &str = include_str!("../../schemas/report.schema.json");

/// The matrix schema: the JSON compliance matrix. Its `$id` carries the contract version.
pub const MATRIX_SCHEMA: &str = include_str!("../../schemas/matrix.schema.json");

/// Every schema by the name `formfit schema` takes, with what it describes.
pub const SCHEMAS: [(&str, &str, &str); 8] = [
    (
        "product",
        "a product description (TOML, JSON or YAML)",
        crate::product::PRODUCT_SCHEMA,
    ),
    ("pack", "a rule pack", crate::pack::schema::PACK_SCHEMA),
    (
        "profile",
        "a profile (a tender's set of standards)",
        crate::pack::profile::PROFILE_SCHEMA,
    ),
    (
        "config",
        "the project configuration, formfit.toml",
        crate::config::CONFIG_SCHEMA,
    ),
    (
        "deviations",
        "approved deviations (waivers)",
        crate::deviation::DEVIATIONS_SCHEMA,
    ),
    (
        "evidence",
        "evidence for the compliance matrix",
        crate::matrix::EVIDENCE_SCHEMA,
    ),
    ("report", "the JSON report of a check", REPORT_SCHEMA),
    (
        "matrix",
        "the JSON document of a compliance matrix",
        MATRIX_SCHEMA,
    ),
];

/// The schema called `name`, or `None`.
pub fn named(name: &str) -> Option<&'static str> {
    SCHEMAS
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, _, text)| *text)
}

/// The schema as a document on standard output; an unknown name is exit 3 with the names.
pub fn show(name: &str) -> Outcome {
    match named(name) {
        Some(text) => Outcome {
            document: text.as_bytes().to_vec(),
            ..Outcome::default()
        },
        None => Outcome {
            notes: format!(
                "formfit: no schema `{name}`; the schemas are {}\n",
                SCHEMAS.map(|(n, _, _)| n).join(", ")
            ),
            exit_code: 3,
            ..Outcome::default()
        },
    }
}
