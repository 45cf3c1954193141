//! Approved deviations (waivers): a design authority's decision that a finding is accepted for a
//! product, until a date. A matching finding is `waived`: it stays in every output but does not
//! fail the gate. An expired deviation is itself a failing finding at its `expires` line; one
//! that matched nothing in the run is a `should` finding (stale), so the file stays honest.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Deserialize;

use crate::check::value_interval;
use crate::code::DeviationCode;
use crate::diagnostic::Problem;
use crate::input::{Node, PointerSegment, Span};
use crate::pack::model::Level;
use crate::pack::PackError;
use crate::path::Path;
use crate::product::Product;
use crate::quantity::{parse_quantity, parse_range, Interval};
use crate::report::{Finding, Located, Outcome, ProductReport, Status, Verdict, Waiver};
use crate::schema::{load_toml, shipped, Schema};

use crate::term::normalise;

/// The schema, compiled on first use.
static SCHEMA: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();

/// The deviations file's JSON Schema, published in `schemas/`.
pub const DEVIATIONS_SCHEMA: &str = include_str!("../schemas/deviations.schema.json");

#[derive(Deserialize)]
struct File {
    deviation: Vec<Spec>,
}

#[derive(Deserialize)]
struct Spec {
    rule: Option<String>,
    standard: Option<String>,
    clause: Option<String>,
    product: String,
    path: Option<String>,
    value: Option<String>,
    justification: String,
    approval: String,
    expires: String,
}

/// A loaded deviations file. `used` records, across all products of a run (in parallel), which
/// entries covered a finding.
pub struct Deviations {
    file: String,
    text: Arc<str>,
    entries: Vec<Deviation>,
    used: Vec<AtomicBool>,
}

struct Deviation {
    spec: Spec,
    product: glob::Pattern,
    path: Option<Path>,
    /// The entry's table and its `expires` value, for findings about the deviation itself.
    span: Span,
    expires_span: Span,
}

impl Deviations {
    pub fn load(file: &str, bytes: &[u8]) -> Result<Deviations, PackError> {
        let schema = shipped(&SCHEMA, DEVIATIONS_SCHEMA, DeviationCode::Schema);
        let fail = |text: String, problems| PackError {
            file: file.to_owned(),
            text,
            problems,
        };
        let (doc, parsed): (_, File) = load_toml(bytes, schema).map_err(|(t, p)| fail(t, p))?;
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (i, spec) in parsed.deviation.into_iter().enumerate() {
            let at = |key: Option<&str>| {
                let mut segments = vec![PointerSegment::Key("deviation"), PointerSegment::Index(i)];
                segments.extend(key.map(PointerSegment::Key));
                doc.root.at_pointer(segments).span.clone()
            };
            if spec.rule.is_none() && (spec.standard.is_none() || spec.clause.is_none()) {
                problems.push(
                    Problem::new(
                        DeviationCode::Schema,
                        "a deviation names a `rule`, or a `standard` and a `clause`",
                        at(None),
                    )
                    .with_label("which finding does this cover?"),
                );
            }
            let product = match glob::Pattern::new(&spec.product) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(Problem::new(
                        DeviationCode::Schema,
                        format!("invalid product glob: {e}"),
                        at(Some("product")),
                    ));
                    continue;
                }
            };
            let path = match spec.path.as_deref().map(Path::parse).transpose() {
                Ok(p) => p,
                Err(e) => {
                    problems.push(Problem::new(
                        DeviationCode::Schema,
                        format!("invalid path: {e}"),
                        at(Some("path")),
                    ));
                    continue;
                }
            };
            entries.push(Deviation {
                span: at(None),
                expires_span: at(Some("expires")),
                spec,
                product,
                path,
            });
        }
        if !problems.is_empty() {
            return Err(fail(doc.text, problems));
        }
        Ok(Deviations {
            file: file.to_owned(),
            text: Arc::from(doc.text.as_str()),
            used: entries.iter().map(|_| AtomicBool::new(false)).collect(),
            entries,
        })
    }

    /// The deviation that covers a finding of a product: the first whose product, rule, path
    /// and value all match.
    fn covering(&self, product: &Product, finding: &Finding) -> Option<(usize, &Deviation)> {
        let id = product.id().unwrap_or_default();
        self.entries.iter().enumerate().find(|(_, d)| {
            d.product.matches(id)
                && d.covers_rule(finding)
                && d.covers_path(finding)
                && d.covers_value(product, finding)
        })
    }

    /// The approval and `expires` date of the deviation that covers a finding but expired
    /// before `today`, so that a report can say why the finding stands.
    pub fn expired_for(
        &self,
        product: &Product,
        finding: &Finding,
        today: &str,
    ) -> Option<(&str, &str)> {
        self.covering(product, finding)
            .filter(|(_, d)| d.spec.expires.as_str() < today)
            .map(|(_, d)| (d.spec.approval.as_str(), d.spec.expires.as_str()))
    }

    /// Waives the findings of one product that an unexpired deviation covers. `today` is
    /// `YYYY-MM-DD`; a deviation holds up to and including its `expires` day.
    pub fn apply(&self, product: &Product, report: &mut ProductReport, today: &str) {
        for finding in &mut report.findings {
            if finding.status != Status::Open {
                continue;
            }
            let Some((i, d)) = self.covering(product, finding) else {
                continue;
            };
            self.used[i].store(true, Ordering::Relaxed);
            if d.spec.expires.as_str() < today {
                continue;
            }
            finding.status = Status::Waived;
            finding.waiver = Some(Waiver {
                approval: d.spec.approval.clone(),
                expires: d.spec.expires.clone(),
                justification: d.spec.justification.clone(),
                location: Located::new(self.file.clone(), self.text.clone(), d.span.clone(), None),
            });
        }
        // A rule whose every failure is waived is waived, not failed.
        for evaluation in &mut report.evaluations {
            let rule = &evaluation.pack.rules[evaluation.rule];
            let failures = report.findings.iter().filter(|f| {
                f.rule == rule.id && f.level == rule.level && f.status != Status::EvidenceRequired
            });
            let mut any = false;
            let all_waived = failures
                .inspect(|_| any = true)
                .all(|f| f.status == Status::Waived);
            if evaluation.outcome == Outcome::Failed && any && all_waived {
                evaluation.outcome = Outcome::Waived;
            }
        }
    }

    /// The deviations file as a checked file: expired deviations (failing) and stale ones.
    pub fn report(&self, today: &str) -> ProductReport {
        let mut findings = Vec::new();
        for (i, d) in self.entries.iter().enumerate() {
            let target = d.spec.rule.clone().unwrap_or_else(|| {
                format!(
                    "{} {}",
                    d.spec.standard.as_deref().unwrap_or_default(),
                    d.spec.clause.as_deref().unwrap_or_default()
                )
            });
            if d.spec.expires.as_str() < today {
                findings.push(Finding::plain(
                    DeviationCode::Expired,
                    Level::Shall,
                    d.expires_span.clone(),
                    "",
                    format!("the deviation {} for {target} expired on {}", d.spec.approval, d.spec.expires),
                    &format!("expired (today is {today})"),
                    "renew the approval and update `expires`, or fix the product and remove the deviation",
                ));
            } else if !self.used[i].load(Ordering::Relaxed) {
                findings.push(Finding::plain(
                    DeviationCode::Stale,
                    Level::Should,
                    d.span.clone(),
                    "",
                    format!("the deviation {} for {target} matched no finding in this run", d.spec.approval),
                    "matches nothing",
                    "remove it if the product was fixed, or correct its rule, product, path or value",
                ));
            }
        }
        ProductReport {
            file: self.file.clone(),
            text: self.text.clone(),
            product: None,
            marking: None,
            kind: crate::report::FileKind::Deviations,
            // Settled from its findings by `gate::settle`.
            verdict: Verdict::NotApplicable,
            standards: Vec::new(),
            findings,
            evaluations: Vec::new(),
            line: None,
        }
    }
}

impl Deviation {
    fn covers_rule(&self, f: &Finding) -> bool {
        match (&self.spec.rule, &self.spec.standard, &self.spec.clause) {
            (Some(rule), _, _) => rule.eq_ignore_ascii_case(&f.rule),
            (None, Some(standard), Some(clause)) => {
                f.standard.as_deref().is_some_and(|s| {
                    crate::pack::normalise_id(s) == crate::pack::normalise_id(standard)
                }) && f.clause.as_deref() == Some(clause.as_str())
            }
            _ => false,
        }
    }

    /// At or under the deviation's path: `radio[0].bands[0]` covers `radio[0].bands[0].max`.
    fn covers_path(&self, f: &Finding) -> bool {
        let Some(path) = &self.spec.path else {
            return true;
        };
        f.path == *path
            || f.path.starts_with(&format!("{path}."))
            || f.path.starts_with(&format!("{path}["))
    }

    /// The value at the deviation's path (or the finding's) is exactly the approved one:
    /// ranges and quantities compare exactly across units, names by spelling.
    fn covers_value(&self, product: &Product, f: &Finding) -> bool {
        let Some(approved) = &self.spec.value else {
            return true;
        };
        let first = |path: &Path| path.nodes(&product.doc.root).first().copied();
        let node = match &self.path {
            Some(path) => first(path),
            None => Path::parse(&f.path).ok().and_then(|p| first(&p)),
        };
        node.is_some_and(|node| same_value(node, approved))
    }
}

fn same_value(node: &Node, approved: &str) -> bool {
    if let Some((interval, min, max)) = value_interval(node) {
        if let Ok([(low, _), (high, _)]) = parse_range(approved, Some(min.dimension)) {
            return interval == Interval::new(&low, &high) && min.dimension == max.dimension;
        }
        if let Ok(q) = parse_quantity(approved, Some(min.dimension)) {
            return interval == Interval::new(&q, &q);
        }
        return false;
    }
    node.as_str()
        .is_some_and(|v| normalise(v) == normalise(approved))
}

/// Today's date as `YYYY-MM-DD` (UTC): from `SOURCE_DATE_EPOCH` when it is set (the
/// reproducible-builds convention, so that a rebuilt report is the same), else the system clock.
pub fn today() -> String {
    let from_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok());
    let seconds = from_epoch.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    let days = (seconds / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A valid `YYYY-MM-DD` date, for `--today`.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && [y, m, d].iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_from_day_numbers() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_782), (2026, 11, 25));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2027-06-30"));
        for bad in ["2027-6-30", "2027-13-01", "27-06-30", "2027-06-3x", ""] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
