//! The matrix as NIST OSCAL assessment results (JSON), the machine-readable form government
//! assessors take: one result per product, the product as the subject (a component of the
//! result's local definitions), and per rule one observation (what formfit read, and where)
//! and one finding (the rule's determination) that cites it.
//!
//! OSCAL's finding status is only `satisfied` or `not-satisfied`, so the six row statuses are
//! mapped explicitly, and the row's own status is kept as a `formfit-status` property on both:
//!
//! | row status | finding `state` (`reason`) | also |
//! |---|---|---|
//! | compliant | satisfied (pass) | |
//! | non-compliant | not-satisfied (fail) | |
//! | evidence-required | not-satisfied (other) | never satisfied: a description cannot show it |
//! | evidence-provided | satisfied (other) | the evidence as the observation's relevant evidence |
//! | waived | not-satisfied (fail) | a risk, `deviation-approved`, with the approval and expiry |
//! | not-applicable | satisfied (other) | the reason as the finding's remarks |
//!
//! Every UUID is a version-5 UUID of the product id, the rule id and what it names (`finding`,
//! `observation`, `risk`), so a later matrix of the same product updates the same objects; the
//! dates are the matrix's (`--today` / `SOURCE_DATE_EPOCH`), so one run writes the same bytes.

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::matrix::{combined_marking, Matrix, Row, RowStatus};

/// The OSCAL version written, the one compliance-trestle's models are generated from (the
/// validator `scripts/test-exchange.sh` loads the output with).
pub const OSCAL_VERSION: &str = "1.1.3";

/// The namespace of formfit's own properties (OSCAL asks for one on every property it does not
/// define itself).
const NS: &str = "https://formfit.invalid/ns/oscal";

/// How a row status reads as a finding: (state, reason).
pub fn finding_status(status: &RowStatus) -> (&'static str, &'static str) {
    match status {
        RowStatus::Compliant => ("satisfied", "pass"),
        RowStatus::NonCompliant => ("not-satisfied", "fail"),
        RowStatus::EvidenceRequired => ("not-satisfied", "other"),
        RowStatus::EvidenceProvided { .. } => ("satisfied", "other"),
        RowStatus::Waived { .. } => ("not-satisfied", "fail"),
        RowStatus::NotApplicable => ("satisfied", "other"),
    }
}

/// The version-5 UUID of a product's object: `role` is what it names (`finding`, `result`…).
pub fn uuid(product_id: &str, rule: &str, role: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:formfit:oscal");
    let name = [product_id, rule, role].join("\u{0}");
    Uuid::new_v5(&namespace, name.as_bytes()).to_string()
}

pub fn render(matrices: &[Matrix]) -> String {
    let date = matrices
        .first()
        .map_or("1970-01-01", |m| m.header.date.as_str());
    let stamp = format!("{date}T00:00:00Z");
    let version = matrices.first().map_or(env!("CARGO_PKG_VERSION"), |m| {
        m.header.formfit_version.as_str()
    });
    let ids: Vec<&str> = matrices
        .iter()
        .map(|m| m.header.product_id.as_str())
        .collect();
    let marking = combined_marking(matrices);
    let document = json!({
        "assessment-results": {
            "uuid": uuid(&ids.join("\n"), "", "assessment-results"),
            "metadata": {
                "title": line(&format!("{marking}: compliance matrix of {}", ids.join(", "))),
                "last-modified": stamp,
                "version": version,
                "oscal-version": OSCAL_VERSION,
                "props": props(&[("marking", &marking)]),
                "remarks": format!("Written by formfit {version}. Marking: {marking}."),
            },
            // No assessment plan is behind a bid matrix: the reference names the matrix itself.
            "import-ap": {
                "href": "#formfit-compliance-matrix",
                "remarks": "formfit derives the assessment from a product description and rule packs; there is no separate assessment plan.",
            },
            "results": matrices.iter().map(|m| result(m, &stamp)).collect::<Vec<_>>(),
        }
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&document).unwrap_or_default()
    )
}

fn result(m: &Matrix, stamp: &str) -> Value {
    let h = &m.header;
    let product = h.product_id.as_str();
    let subject = uuid(product, "", "product");
    let mut audit: Vec<(&str, String)> = vec![
        ("marking", m.marking()),
        ("product-file", h.product_file.clone()),
        ("product-sha256", h.product_sha256.clone()),
        ("verdict", h.verdict.clone()),
    ];
    for s in &h.standards {
        audit.push((
            "standard",
            format!(
                "{} (edition {}, {}); pack {} ({})",
                s.designation, s.edition, s.obligation, s.file, s.sha256
            ),
        ));
    }
    if let Some((file, digest)) = &h.evidence_file {
        audit.push(("evidence-file", format!("{file} ({digest})")));
    }
    for claim in &h.not_checked {
        audit.push(("not-checked", claim.clone()));
    }
    let audit: Vec<(&str, &str)> = audit.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    let mut risks = Vec::new();
    for row in &m.rows {
        observations.push(observation(m, row, &subject, stamp));
        let risk = risk(m, row);
        findings.push(finding(m, row, risk.is_some()));
        risks.extend(risk);
    }
    let mut result = Map::new();
    result.insert("uuid".into(), json!(uuid(product, "", "result")));
    result.insert(
        "title".into(),
        json!(line(&format!(
            "{}: {product} — {}",
            m.marking(),
            h.product_name
        ))),
    );
    result.insert(
        "description".into(),
        json!(format!(
            "formfit compliance matrix of {product} ({}, {}) against {}.",
            h.product_name,
            h.manufacturer,
            h.standards
                .iter()
                .map(|s| s.designation.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    );
    result.insert("start".into(), json!(stamp));
    result.insert("end".into(), json!(stamp));
    result.insert("props".into(), props(&audit));
    result.insert(
        "local-definitions".into(),
        json!({ "components": [{
            "uuid": subject,
            "type": "hardware",
            "title": line(&format!("{product} — {}", h.product_name)),
            "description": format!("{} by {}, as its description {} declares it.", h.product_name, h.manufacturer, h.product_file),
            "props": props(&[("product-id", product), ("marking", &m.marking())]),
            "status": { "state": "other", "remarks": "a product in a bid, assessed from its description" },
        }]}),
    );
    result.insert(
        "reviewed-controls".into(),
        json!({
            "description": "Every rule of the selected standards' rule packs.",
            "control-selections": [{ "include-all": {} }],
        }),
    );
    if !observations.is_empty() {
        result.insert("observations".into(), Value::Array(observations));
    }
    if !risks.is_empty() {
        result.insert("risks".into(), Value::Array(risks));
    }
    if !findings.is_empty() {
        result.insert("findings".into(), Value::Array(findings));
    }
    Value::Object(result)
}

fn observation(m: &Matrix, row: &Row, subject: &str, stamp: &str) -> Value {
    let product = m.header.product_id.as_str();
    let mut o = Map::new();
    o.insert(
        "uuid".into(),
        json!(uuid(product, &row.rule, "observation")),
    );
    o.insert("title".into(), json!(line(&row.rule)));
    let read = match (&row.value, &row.location) {
        (Some(value), Some(at)) => format!("The description gives `{value}` at {at}."),
        (None, Some(at)) => format!("The description does not declare the value (at {at})."),
        _ => "The rule does not apply to what the description declares.".to_owned(),
    };
    o.insert(
        "description".into(),
        json!(format!("{} {read}", row.requirement)),
    );
    o.insert("props".into(), row_props(m, row));
    o.insert("methods".into(), json!(["EXAMINE"]));
    o.insert(
        "subjects".into(),
        json!([{ "subject-uuid": subject, "type": "component", "title": line(product) }]),
    );
    if let RowStatus::EvidenceProvided { reference } = &row.status {
        o.insert(
            "relevant-evidence".into(),
            json!([{ "description": reference }]),
        );
    }
    o.insert("collected".into(), json!(stamp));
    if !row.remark.is_empty() {
        o.insert("remarks".into(), json!(row.remark));
    }
    Value::Object(o)
}

fn finding(m: &Matrix, row: &Row, has_risk: bool) -> Value {
    let product = m.header.product_id.as_str();
    let (state, reason) = finding_status(&row.status);
    let mut f = Map::new();
    f.insert("uuid".into(), json!(uuid(product, &row.rule, "finding")));
    f.insert(
        "title".into(),
        json!(line(&format!("{}: {}", row.rule, row.status.word()))),
    );
    f.insert(
        "description".into(),
        json!(format!(
            "{} ({} {}, {}): {}",
            row.requirement,
            row.standard,
            row.edition,
            row.clause,
            row.status.cell()
        )),
    );
    f.insert("props".into(), row_props(m, row));
    f.insert(
        "target".into(),
        json!({
            "type": "objective-id",
            "target-id": token(&row.rule),
            "title": line(&row.rule),
            "status": { "state": state, "reason": reason },
        }),
    );
    f.insert(
        "related-observations".into(),
        json!([{ "observation-uuid": uuid(product, &row.rule, "observation") }]),
    );
    if has_risk {
        f.insert(
            "related-risks".into(),
            json!([{ "risk-uuid": uuid(product, &row.rule, "risk") }]),
        );
    }
    let remarks = match &row.status {
        RowStatus::NotApplicable => format!("not applicable: {}", row.remark),
        _ => row.remark.clone(),
    };
    if !remarks.is_empty() {
        f.insert("remarks".into(), json!(remarks));
    }
    Value::Object(f)
}

/// A waived row's risk: the deviation a design authority approved, with its approval and
/// expiry (`RowStatus::Waived` reads `APPROVAL, until DATE`).
fn risk(m: &Matrix, row: &Row) -> Option<Value> {
    let RowStatus::Waived { approval } = &row.status else {
        return None;
    };
    let product = m.header.product_id.as_str();
    let (id, expires) = match approval.rsplit_once(", until ") {
        Some((id, expires)) => (id, Some(expires)),
        None => (approval.as_str(), None),
    };
    let mut props_list = vec![("approval", id), ("formfit-status", "waived")];
    if let Some(expires) = expires {
        props_list.push(("expires", expires));
    }
    let mut r = Map::new();
    r.insert("uuid".into(), json!(uuid(product, &row.rule, "risk")));
    r.insert(
        "title".into(),
        json!(line(&format!("{}: approved deviation {id}", row.rule))),
    );
    r.insert(
        "description".into(),
        json!(format!(
            "{} is not met and is waived by {approval}.",
            row.requirement
        )),
    );
    r.insert(
        "statement".into(),
        json!(if row.remark.is_empty() {
            format!("waived by {approval}")
        } else {
            row.remark.clone()
        }),
    );
    r.insert("props".into(), props(&props_list));
    r.insert("status".into(), json!("deviation-approved"));
    if let Some(expires) = expires.filter(|e| is_date(e)) {
        r.insert("deadline".into(), json!(format!("{expires}T00:00:00Z")));
    }
    r.insert(
        "related-observations".into(),
        json!([{ "observation-uuid": uuid(product, &row.rule, "observation") }]),
    );
    Some(Value::Object(r))
}

/// A row's properties: its status in formfit's words, the rule and where it comes from, the
/// level and the marking.
fn row_props(m: &Matrix, row: &Row) -> Value {
    let marking = m.marking();
    let mut list = vec![
        ("formfit-status", row.status.word()),
        ("rule", row.rule.as_str()),
        ("standard", row.standard.as_str()),
        ("edition", row.edition.as_str()),
        ("clause", row.clause.as_str()),
        ("level", row.level.as_str()),
        ("marking", marking.as_str()),
    ];
    if let Some(value) = &row.value {
        list.push(("value", value));
    }
    if let Some(at) = &row.location {
        list.push(("location", at));
    }
    props(&list)
}

/// OSCAL properties; a value OSCAL cannot hold (empty, or starting or ending with
/// whitespace) is trimmed, and one left empty is left out.
fn props(list: &[(&str, &str)]) -> Value {
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
fn line(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.is_empty() {
        "(untitled)".to_owned()
    } else {
        one
    }
}

/// A token (OSCAL's NCName-like identifier) for a rule id: kept when it is one, otherwise
/// every other character as `_`, after a leading `_` when it starts with no letter.
fn token(text: &str) -> String {
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

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
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
        assert!(is_date("2027-06-30") && !is_date("2027-6-30"));
    }
}
