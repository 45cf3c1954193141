//! The matrix as data: the header and the rows. One product gives `{"formfit": 1, "matrix":
//! {...}}`, the shape it always had; several give `{"formfit": 1, "matrices": [{...}, ...],
//! "summary": {...}}`, each element of `matrices` shaped as `matrix` is.

use serde_json::{json, Value};

use crate::matrix::{combined_marking, total_counts, Matrix};

pub fn render(matrices: &[Matrix]) -> String {
    let value = match matrices {
        [one] => json!({ "formfit": 1, "matrix": matrix(one) }),
        several => json!({
            "formfit": 1,
            "matrices": several.iter().map(matrix).collect::<Vec<_>>(),
            "summary": summary(several),
        }),
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

/// What the products come to together: the combined marking, each product's verdict and
/// counts, and the counts added up.
fn summary(matrices: &[Matrix]) -> Value {
    json!({
        "classification": crate::marking::highest(matrices.iter().map(|m| m.header.classification.as_str())),
        "marking": combined_marking(matrices),
        "products": matrices.iter().map(|m| json!({
            "id": m.header.product_id, "name": m.header.product_name, "file": m.header.product_file,
            "verdict": m.header.verdict, "counts": m.header.counts,
        })).collect::<Vec<_>>(),
        "counts": total_counts(matrices),
    })
}

fn matrix(m: &Matrix) -> Value {
    let h = &m.header;
    json!({
        "classification": h.classification,
        "product_marking": h.product_marking,
        "product": { "id": h.product_id, "name": h.product_name, "manufacturer": h.manufacturer, "file": h.product_file, "sha256": h.product_sha256 },
        "profile": h.profile.as_ref().map(|(name, title)| json!({ "name": name, "title": title })),
        "standards": h.standards.iter().map(|s| json!({
            "id": s.designation, "edition": s.edition, "obligation": s.obligation,
            "source": s.source, "pack": s.file, "sha256": s.sha256, "classification": s.classification,
        })).collect::<Vec<_>>(),
        "evidence_file": h.evidence_file.as_ref().map(|(file, digest)| json!({ "file": file, "sha256": digest })),
        "date": h.date,
        "formfit_version": h.formfit_version,
        "counts": h.counts,
        "verdict": h.verdict,
        "not_checked": h.not_checked,
        "rows": m.rows.iter().map(|r| json!({
            "standard": r.standard, "edition": r.edition, "obligation": r.obligation,
            "clause": r.clause, "rule": r.rule, "requirement": r.requirement, "level": r.level,
            "status": r.status.word(),
            "approval": match &r.status { crate::matrix::RowStatus::Waived { .. } => r.status.reference(), _ => None },
            "evidence": match &r.status { crate::matrix::RowStatus::EvidenceProvided { .. } => r.status.reference(), _ => None },
            "value": r.value, "location": r.location, "remark": r.remark,
        })).collect::<Vec<_>>(),
    })
}
