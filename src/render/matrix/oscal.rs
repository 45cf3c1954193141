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

use crate::deviation::is_date;
use crate::matrix::{combined_marking, Matrix, Row, RowStatus};
pub use crate::render::oscal::OSCAL_VERSION;
use crate::render::oscal::{document, line, props, stamp, token, uuid};

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

pub fn render(matrices: &[Matrix]) -> String {
    let date = matrices
        .first()
        .map_or("1970-01-01", |m| m.header.date.as_str());
    let stamp = stamp(date);
    let version = matrices.first().map_or(env!("CARGO_PKG_VERSION"), |m| {
        m.header.formfit_version.as_str()
    });
    let ids: Vec<&str> = matrices
        .iter()
        .map(|m| m.header.product_id.as_str())
        .collect();
    let marking = combined_marking(matrices);
    let assessment = json!({
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
    document(&assessment)
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

/// A waived row's risk: the deviation a design authority approved, with its approval, expiry
/// and justification as the deviations file gives them.
fn risk(m: &Matrix, row: &Row) -> Option<Value> {
    let RowStatus::Waived {
        approval,
        expires,
        justification,
    } = &row.status
    else {
        return None;
    };
    let product = m.header.product_id.as_str();
    let waiver = row.status.reference().unwrap_or_default();
    let mut r = Map::new();
    r.insert("uuid".into(), json!(uuid(product, &row.rule, "risk")));
    r.insert(
        "title".into(),
        json!(line(&format!(
            "{}: approved deviation {approval}",
            row.rule
        ))),
    );
    r.insert(
        "description".into(),
        json!(format!(
            "{} is not met and is waived by {waiver}.",
            row.requirement
        )),
    );
    r.insert(
        "statement".into(),
        json!(if justification.is_empty() {
            format!("waived by {waiver}")
        } else {
            justification.clone()
        }),
    );
    r.insert(
        "props".into(),
        props(&[
            ("approval", approval),
            ("formfit-status", "waived"),
            ("expires", expires),
        ]),
    );
    r.insert("status".into(), json!("deviation-approved"));
    if is_date(expires) {
        r.insert("deadline".into(), json!(stamp(expires)));
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
