//! The matrix as ReqIF 1.2 (OMG Requirements Interchange Format), the file requirement tools
//! (IBM DOORS, Siemens Polarion, Jama) import and export: one SPEC-OBJECT per row with typed
//! attributes (level and status are enumerations, so a tool can filter on them), one
//! SPECIFICATION per product whose hierarchy holds a heading object per standard and that
//! standard's rows under it, and the audit trail (digests, date, version, marking) both in
//! THE-HEADER and as attributes.
//!
//! Identifiers are derived from the product id and the rule id (never from a counter or the
//! clock), so a re-import of a later matrix updates the objects it imported before instead of
//! duplicating them; each is a valid `xsd:ID`. Every object carries the marking: a tool may
//! show one object on its own, away from the document's header.

use std::fmt::Write as _;

use crate::matrix::{combined_marking, Matrix, Row, RowStatus};

/// The namespace of ReqIF 1.0/1.1/1.2 documents (the schema never changed its URI).
const NAMESPACE: &str = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";

/// A requirement row's attributes, in order: (identifier, long name, enumeration type if any).
/// The identifiers are part of the contract: a tool maps its own attributes onto them.
const ROW_ATTRIBUTES: [(&str, &str, Option<&str>); 13] = [
    ("formfit-attr-rule", "Rule", None),
    ("formfit-attr-standard", "Standard", None),
    ("formfit-attr-edition", "Edition", None),
    ("formfit-attr-obligation", "Obligation", None),
    ("formfit-attr-clause", "Clause", None),
    ("formfit-attr-requirement", "Requirement", None),
    ("formfit-attr-level", "Level", Some("formfit-type-level")),
    ("formfit-attr-status", "Status", Some("formfit-type-status")),
    ("formfit-attr-value", "Value", None),
    ("formfit-attr-location", "Location", None),
    ("formfit-attr-remark", "Remark", None),
    ("formfit-attr-evidence", "Evidence reference", None),
    ("formfit-attr-marking", "Marking", None),
];

/// A standard's heading object's attributes: what the pack is and the digest of its file.
const STANDARD_ATTRIBUTES: [(&str, &str); 8] = [
    ("formfit-attr-standard-designation", "Standard"),
    ("formfit-attr-standard-edition", "Edition"),
    ("formfit-attr-standard-obligation", "Obligation"),
    ("formfit-attr-standard-source", "Source"),
    ("formfit-attr-standard-pack", "Pack file"),
    ("formfit-attr-standard-sha256", "Pack SHA-256"),
    ("formfit-attr-standard-classification", "Classification"),
    ("formfit-attr-standard-marking", "Marking"),
];

/// A product's specification's attributes: the matrix's audit header.
const AUDIT_ATTRIBUTES: [(&str, &str); 11] = [
    ("formfit-attr-audit-product", "Product"),
    ("formfit-attr-audit-name", "Name"),
    ("formfit-attr-audit-manufacturer", "Manufacturer"),
    ("formfit-attr-audit-file", "Product file"),
    ("formfit-attr-audit-sha256", "Product SHA-256"),
    ("formfit-attr-audit-evidence", "Evidence file"),
    ("formfit-attr-audit-date", "Date"),
    ("formfit-attr-audit-version", "formfit version"),
    ("formfit-attr-audit-verdict", "Verdict"),
    ("formfit-attr-audit-not-checked", "Not checked"),
    ("formfit-attr-audit-marking", "Marking"),
];

const LEVELS: [&str; 3] = ["shall", "should", "may"];

pub fn render(matrices: &[Matrix]) -> String {
    let marking = combined_marking(matrices);
    // The date is the matrix's own (`--today`): the same run writes the same bytes.
    let date = matrices
        .first()
        .map_or("1970-01-01", |m| m.header.date.as_str());
    let stamp = timestamp(date);
    let version = matrices.first().map_or(env!("CARGO_PKG_VERSION"), |m| {
        m.header.formfit_version.as_str()
    });
    let ids: Vec<&str> = matrices
        .iter()
        .map(|m| m.header.product_id.as_str())
        .collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<REQ-IF xmlns=\"{NAMESPACE}\">");
    out.push_str("  <THE-HEADER>\n");
    let _ = writeln!(
        out,
        "    <REQ-IF-HEADER IDENTIFIER=\"{}\">",
        identifier(&["header", &ids.join("\n")])
    );
    let _ = writeln!(
        out,
        "      <COMMENT>{}</COMMENT>",
        text(&audit_comment(matrices, &marking))
    );
    let _ = writeln!(out, "      <CREATION-TIME>{stamp}</CREATION-TIME>");
    let _ = writeln!(
        out,
        "      <REQ-IF-TOOL-ID>formfit {}</REQ-IF-TOOL-ID>",
        text(version)
    );
    out.push_str("      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>\n");
    let _ = writeln!(
        out,
        "      <SOURCE-TOOL-ID>formfit {}</SOURCE-TOOL-ID>",
        text(version)
    );
    let _ = writeln!(
        out,
        "      <TITLE>{}</TITLE>",
        text(&format!(
            "{marking}: compliance matrix of {}",
            ids.join(", ")
        ))
    );
    out.push_str("    </REQ-IF-HEADER>\n  </THE-HEADER>\n");
    out.push_str("  <CORE-CONTENT>\n    <REQ-IF-CONTENT>\n");
    datatypes(&mut out, &stamp);
    spec_types(&mut out, &stamp);
    out.push_str("      <SPEC-OBJECTS>\n");
    for m in matrices {
        for standard in standards(m) {
            standard_object(&mut out, m, standard, &stamp);
        }
        for row in &m.rows {
            row_object(&mut out, m, row, &stamp);
        }
    }
    out.push_str("      </SPEC-OBJECTS>\n");
    out.push_str("      <SPECIFICATIONS>\n");
    for m in matrices {
        specification(&mut out, m, &stamp);
    }
    out.push_str("      </SPECIFICATIONS>\n");
    out.push_str("    </REQ-IF-CONTENT>\n  </CORE-CONTENT>\n</REQ-IF>\n");
    out
}

/// The identifier of a row: stable across runs, unique per (product, rule).
pub fn row_identifier(product_id: &str, rule: &str) -> String {
    identifier(&["row", product_id, rule])
}

/// A valid `xsd:ID` (an NCName) for the parts: `formfit-` then the parts made readable (every
/// character an NCName cannot hold is `_`), then a digest of the exact parts, so that two
/// products or rules that read the same once made readable still get two identifiers.
fn identifier(parts: &[&str]) -> String {
    let readable: Vec<String> = parts
        .iter()
        .map(|p| {
            p.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                        c
                    } else {
                        '_'
                    }
                })
                .take(64)
                .collect()
        })
        .collect();
    let digest = crate::digest::sha256(parts.join("\u{0}").as_bytes());
    let hex = digest.strip_prefix("sha256:").unwrap_or(&digest);
    format!("formfit-{}-{}", readable.join("-"), &hex[..16])
}

/// The matrix date as an `xsd:dateTime`: midnight UTC of that day.
fn timestamp(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// The header's comment: the audit trail in a few lines, for a reader of the raw file.
fn audit_comment(matrices: &[Matrix], marking: &str) -> String {
    let mut lines = vec![format!("Marking: {marking}")];
    for m in matrices {
        let h = &m.header;
        lines.push(format!(
            "Product {} ({}), file {} ({})",
            h.product_id, h.product_name, h.product_file, h.product_sha256
        ));
        for s in &h.standards {
            lines.push(format!(
                "Standard {} (edition {}), pack {} ({})",
                s.designation, s.edition, s.file, s.sha256
            ));
        }
        if let Some((file, digest)) = &h.evidence_file {
            lines.push(format!("Evidence file {file} ({digest})"));
        }
        lines.push(format!(
            "Date {}, formfit {}, verdict {}",
            h.date, h.formfit_version, h.verdict
        ));
    }
    lines.join("\n")
}

fn datatypes(out: &mut String, stamp: &str) {
    out.push_str("      <DATATYPES>\n");
    let _ = writeln!(
        out,
        "        <DATATYPE-DEFINITION-STRING IDENTIFIER=\"formfit-type-string\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"Text\" MAX-LENGTH=\"1000000\"/>"
    );
    enumeration(out, "formfit-type-level", "Level", &LEVELS, stamp);
    enumeration(out, "formfit-type-status", "Status", &RowStatus::ALL, stamp);
    out.push_str("      </DATATYPES>\n");
}

fn enumeration(out: &mut String, id: &str, name: &str, words: &[&str], stamp: &str) {
    let _ = writeln!(
        out,
        "        <DATATYPE-DEFINITION-ENUMERATION IDENTIFIER=\"{id}\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"{name}\">\n          <SPECIFIED-VALUES>"
    );
    for (key, word) in words.iter().enumerate() {
        let _ = writeln!(
            out,
            "            <ENUM-VALUE IDENTIFIER=\"{}\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"{word}\">\n              <PROPERTIES>\n                <EMBEDDED-VALUE KEY=\"{key}\" OTHER-CONTENT=\"{word}\"/>\n              </PROPERTIES>\n            </ENUM-VALUE>",
            enum_value(id, word)
        );
    }
    out.push_str("          </SPECIFIED-VALUES>\n        </DATATYPE-DEFINITION-ENUMERATION>\n");
}

/// An enumeration value's identifier: `formfit-status-non-compliant`.
fn enum_value(datatype: &str, word: &str) -> String {
    format!("{}-{word}", datatype.replace("-type-", "-"))
}

fn spec_types(out: &mut String, stamp: &str) {
    out.push_str("      <SPEC-TYPES>\n");
    let _ = writeln!(
        out,
        "        <SPEC-OBJECT-TYPE IDENTIFIER=\"formfit-type-requirement\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"Requirement\">\n          <SPEC-ATTRIBUTES>"
    );
    for (id, name, enumerated) in ROW_ATTRIBUTES {
        match enumerated {
            Some(datatype) => {
                let _ = writeln!(
                    out,
                    "            <ATTRIBUTE-DEFINITION-ENUMERATION IDENTIFIER=\"{id}\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"{name}\" MULTI-VALUED=\"false\">\n              <TYPE>\n                <DATATYPE-DEFINITION-ENUMERATION-REF>{datatype}</DATATYPE-DEFINITION-ENUMERATION-REF>\n              </TYPE>\n            </ATTRIBUTE-DEFINITION-ENUMERATION>"
                );
            }
            None => string_definition(out, id, name, stamp),
        }
    }
    out.push_str("          </SPEC-ATTRIBUTES>\n        </SPEC-OBJECT-TYPE>\n");
    let _ = writeln!(
        out,
        "        <SPEC-OBJECT-TYPE IDENTIFIER=\"formfit-type-standard\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"Standard\">\n          <SPEC-ATTRIBUTES>"
    );
    for (id, name) in STANDARD_ATTRIBUTES {
        string_definition(out, id, name, stamp);
    }
    out.push_str("          </SPEC-ATTRIBUTES>\n        </SPEC-OBJECT-TYPE>\n");
    let _ = writeln!(
        out,
        "        <SPECIFICATION-TYPE IDENTIFIER=\"formfit-type-matrix\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"Compliance matrix\">\n          <SPEC-ATTRIBUTES>"
    );
    for (id, name) in AUDIT_ATTRIBUTES {
        string_definition(out, id, name, stamp);
    }
    out.push_str("          </SPEC-ATTRIBUTES>\n        </SPECIFICATION-TYPE>\n");
    out.push_str("      </SPEC-TYPES>\n");
}

fn string_definition(out: &mut String, id: &str, name: &str, stamp: &str) {
    let _ = writeln!(
        out,
        "            <ATTRIBUTE-DEFINITION-STRING IDENTIFIER=\"{id}\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"{}\">\n              <TYPE>\n                <DATATYPE-DEFINITION-STRING-REF>formfit-type-string</DATATYPE-DEFINITION-STRING-REF>\n              </TYPE>\n            </ATTRIBUTE-DEFINITION-STRING>",
        text(name)
    );
}

/// The standards of a matrix in the order their rows come, each once.
fn standards(m: &Matrix) -> Vec<&crate::matrix::StandardLine> {
    m.header.standards.iter().collect()
}

fn standard_identifier(m: &Matrix, designation: &str) -> String {
    identifier(&["standard", &m.header.product_id, designation])
}

fn standard_object(out: &mut String, m: &Matrix, s: &crate::matrix::StandardLine, stamp: &str) {
    let marking = m.marking();
    let values = [
        s.designation.as_str(),
        &s.edition,
        &s.obligation,
        &s.source,
        &s.file,
        &s.sha256,
        &s.classification,
        &marking,
    ];
    let _ = writeln!(
        out,
        "        <SPEC-OBJECT IDENTIFIER=\"{}\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"{}\">\n          <VALUES>",
        standard_identifier(m, &s.designation),
        attribute(&s.designation)
    );
    for ((id, _), value) in STANDARD_ATTRIBUTES.iter().zip(values) {
        string_value(out, id, value);
    }
    out.push_str("          </VALUES>\n          <TYPE>\n            <SPEC-OBJECT-TYPE-REF>formfit-type-standard</SPEC-OBJECT-TYPE-REF>\n          </TYPE>\n        </SPEC-OBJECT>\n");
}

fn row_object(out: &mut String, m: &Matrix, row: &Row, stamp: &str) {
    let evidence = row.status.reference().unwrap_or_default();
    let marking = m.marking();
    let strings = [
        row.rule.as_str(),
        &row.standard,
        &row.edition,
        &row.obligation,
        &row.clause,
        &row.requirement,
        "",
        "",
        row.value.as_deref().unwrap_or_default(),
        row.location.as_deref().unwrap_or_default(),
        &row.remark,
        &evidence,
        &marking,
    ];
    let _ = writeln!(
        out,
        "        <SPEC-OBJECT IDENTIFIER=\"{}\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"{}\">\n          <VALUES>",
        row_identifier(&m.header.product_id, &row.rule),
        attribute(&row.rule)
    );
    for ((id, _, enumerated), value) in ROW_ATTRIBUTES.iter().zip(strings) {
        match enumerated {
            Some(datatype) => {
                let word = if *id == "formfit-attr-level" {
                    row.level.as_str()
                } else {
                    row.status.word()
                };
                let _ = writeln!(
                    out,
                    "            <ATTRIBUTE-VALUE-ENUMERATION>\n              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-ENUMERATION-REF>{id}</ATTRIBUTE-DEFINITION-ENUMERATION-REF>\n              </DEFINITION>\n              <VALUES>\n                <ENUM-VALUE-REF>{}</ENUM-VALUE-REF>\n              </VALUES>\n            </ATTRIBUTE-VALUE-ENUMERATION>",
                    enum_value(datatype, word)
                );
            }
            // An empty cell is no value at all: a tool shows it empty either way, and an
            // attribute that is absent cannot be mistaken for one that says "".
            None if value.is_empty() => {}
            None => string_value(out, id, value),
        }
    }
    out.push_str("          </VALUES>\n          <TYPE>\n            <SPEC-OBJECT-TYPE-REF>formfit-type-requirement</SPEC-OBJECT-TYPE-REF>\n          </TYPE>\n        </SPEC-OBJECT>\n");
}

fn string_value(out: &mut String, definition: &str, value: &str) {
    let _ = writeln!(
        out,
        "            <ATTRIBUTE-VALUE-STRING THE-VALUE=\"{}\">\n              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-STRING-REF>{definition}</ATTRIBUTE-DEFINITION-STRING-REF>\n              </DEFINITION>\n            </ATTRIBUTE-VALUE-STRING>",
        attribute(value)
    );
}

/// A product's specification: its audit header as attributes, a heading per standard and that
/// standard's rows under it, in the matrix's order.
fn specification(out: &mut String, m: &Matrix, stamp: &str) {
    let h = &m.header;
    let product = &h.product_id;
    let evidence = h
        .evidence_file
        .as_ref()
        .map_or(String::new(), |(file, digest)| format!("{file} ({digest})"));
    let marking = m.marking();
    let not_checked = h.not_checked.join("; ");
    let values = [
        product.as_str(),
        &h.product_name,
        &h.manufacturer,
        &h.product_file,
        &h.product_sha256,
        &evidence,
        &h.date,
        &h.formfit_version,
        &h.verdict,
        &not_checked,
        &marking,
    ];
    let _ = writeln!(
        out,
        "        <SPECIFICATION IDENTIFIER=\"{}\" LAST-CHANGE=\"{stamp}\" LONG-NAME=\"{}\">\n          <VALUES>",
        identifier(&["matrix", product]),
        attribute(&format!("{marking}: compliance matrix of {product}"))
    );
    for ((id, _), value) in AUDIT_ATTRIBUTES.iter().zip(values) {
        if !value.is_empty() {
            string_value(out, id, value);
        }
    }
    out.push_str("          </VALUES>\n          <CHILDREN>\n");
    for s in standards(m) {
        let heading = standard_identifier(m, &s.designation);
        let rows: Vec<&Row> = m
            .rows
            .iter()
            .filter(|r| r.standard == s.designation)
            .collect();
        let _ = writeln!(
            out,
            "            <SPEC-HIERARCHY IDENTIFIER=\"{}\" LAST-CHANGE=\"{stamp}\">",
            identifier(&["hierarchy", product, &s.designation])
        );
        if !rows.is_empty() {
            out.push_str("              <CHILDREN>\n");
            for row in rows {
                let _ = writeln!(
                    out,
                    "                <SPEC-HIERARCHY IDENTIFIER=\"{}\" LAST-CHANGE=\"{stamp}\">\n                  <OBJECT>\n                    <SPEC-OBJECT-REF>{}</SPEC-OBJECT-REF>\n                  </OBJECT>\n                </SPEC-HIERARCHY>",
                    identifier(&["hierarchy", product, &row.rule]),
                    row_identifier(product, &row.rule)
                );
            }
            out.push_str("              </CHILDREN>\n");
        }
        let _ = writeln!(
            out,
            "              <OBJECT>\n                <SPEC-OBJECT-REF>{heading}</SPEC-OBJECT-REF>\n              </OBJECT>\n            </SPEC-HIERARCHY>"
        );
    }
    out.push_str("          </CHILDREN>\n          <TYPE>\n            <SPECIFICATION-TYPE-REF>formfit-type-matrix</SPECIFICATION-TYPE-REF>\n          </TYPE>\n        </SPECIFICATION>\n");
}

/// Element text: markup escaped, and what XML cannot carry written out.
fn text(value: &str) -> String {
    crate::escape::for_xml(value)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An attribute value: as text, and the quote and the whitespace that attribute-value
/// normalisation would otherwise turn into spaces, as character references.
fn attribute(value: &str) -> String {
    text(value)
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ncname(id: &str) -> bool {
        let mut chars = id.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    }

    #[test]
    fn identifiers_are_ncnames_and_tell_close_names_apart() {
        let a = row_identifier("KC GA/1", "R 1");
        let b = row_identifier("KC_GA_1", "R_1");
        assert!(ncname(&a) && ncname(&b), "{a} {b}");
        assert_ne!(a, b);
        assert!(ncname(&row_identifier("1st", "2nd")));
        assert!(ncname(&row_identifier("", "")));
        assert!(ncname(&row_identifier("Ünïcode ✓", "\u{202e}x")));
    }

    #[test]
    fn attribute_values_keep_line_ends_and_quotes() {
        assert_eq!(
            attribute("a \"b\" <c>\n&d\u{1b}"),
            "a &quot;b&quot; &lt;c&gt;&#10;&amp;d\\u{1b}"
        );
    }
}
