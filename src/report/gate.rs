//! The one place that decides what a finding means for the run: its disposition under the gate
//! (`--fail-on`), the verdict of each standard and product, and the exit code. Renderers and the
//! exit code only map what is settled here; none of them decides.

use super::{Finding, ProductReport, Report, RunDiagnostic, Status, Totals, Verdict};
use crate::pack::model::Level;

/// What fails the run (exit 1): findings at or above `fail_on` (`None`: no level fails), and
/// claims formfit could not check when `not_checked` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gate {
    pub fail_on: Option<Level>,
    pub not_checked: bool,
}

impl Default for Gate {
    fn default() -> Gate {
        Gate {
            fail_on: Some(Level::Shall),
            not_checked: false,
        }
    }
}

/// Why a text is not a gate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GateError {
    #[error("`{0}` is not a gate: use shall, should or never, and optionally not-checked")]
    UnknownWord(String),
    #[error("name one level (shall, should or never) in a gate")]
    TwoLevels,
}

impl Gate {
    /// Parses `shall`, `should`, `never` and `not-checked`, alone or comma-separated
    /// (`should,not-checked`); the level defaults to `shall`.
    pub fn parse(text: &str) -> Result<Gate, GateError> {
        let mut gate = Gate::default();
        let mut level_seen = false;
        for word in text.split(',').map(str::trim) {
            let level = match word {
                "shall" => Some(Level::Shall),
                "should" => Some(Level::Should),
                "never" => None,
                "not-checked" => {
                    gate.not_checked = true;
                    continue;
                }
                other => return Err(GateError::UnknownWord(other.to_owned())),
            };
            if level_seen {
                return Err(GateError::TwoLevels);
            }
            level_seen = true;
            gate.fail_on = level;
        }
        Ok(gate)
    }

    /// The gate as it is written: `shall`, `should,not-checked`, `never`.
    pub fn describe(&self) -> String {
        let level = self.fail_on.map_or("never", Level::as_str);
        if self.not_checked {
            format!("{level},not-checked")
        } else {
            level.to_owned()
        }
    }
}

/// What one finding means for the run, decided once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Disposition {
    /// Fails the run: exit 1 (or 2 for a problem of an unreadable product).
    Failing,
    /// Stands, but below the gate: a `should`, or a `shall` the gate or a profile lets pass.
    Warning,
    /// Informational: a `may`.
    Note,
    /// Covered by an approved deviation.
    Waived,
    /// Only evidence a description cannot give would decide it.
    EvidenceRequested,
    /// A claim formfit could not check (no pack, or a product checked against nothing).
    NotChecked,
}

impl Disposition {
    pub const ALL: [Disposition; 6] = [
        Disposition::Failing,
        Disposition::Warning,
        Disposition::Note,
        Disposition::Waived,
        Disposition::EvidenceRequested,
        Disposition::NotChecked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Failing => "failing",
            Disposition::Warning => "warning",
            Disposition::Note => "note",
            Disposition::Waived => "waived",
            Disposition::EvidenceRequested => "evidence-requested",
            Disposition::NotChecked => "not-checked",
        }
    }

    /// How a summary counts it: "2 failing", "1 warning".
    pub fn counted(self, n: usize) -> String {
        let word = match self {
            Disposition::Failing => "failing",
            Disposition::Warning if n == 1 => "warning",
            Disposition::Warning => "warnings",
            Disposition::Note if n == 1 => "note",
            Disposition::Note => "notes",
            Disposition::Waived => "waived",
            Disposition::EvidenceRequested => "evidence requested",
            Disposition::NotChecked => "not checked",
        };
        format!("{n} {word}")
    }
}

/// The disposition of one finding of a product that could be read.
fn disposition(f: &Finding, gate: &Gate) -> Disposition {
    match f.status {
        Status::Waived => Disposition::Waived,
        Status::EvidenceRequired => Disposition::EvidenceRequested,
        Status::NotChecked if gate.not_checked => Disposition::Failing,
        Status::NotChecked => Disposition::NotChecked,
        Status::Open if f.gating && gate.fail_on.is_some_and(|min| f.level >= min) => {
            Disposition::Failing
        }
        Status::Open if f.level == Level::May => Disposition::Note,
        Status::Open => Disposition::Warning,
    }
}

/// Settles every product of a run under `gate`: dispositions, then verdicts.
pub fn settle(report: &mut Report, gate: Gate) {
    report.gate = gate;
    for product in &mut report.products {
        settle_product(product, &gate);
    }
}

/// Settles one product: what [`settle`] does for each.
pub fn settle_product(product: &mut ProductReport, gate: &Gate) {
    if product.verdict == Verdict::Invalid {
        // An unreadable product's problems are what made it unreadable: they fail the run
        // (exit 2), unless it is a stream's line that the gate lets pass.
        let stands = if product.line.is_none() || invalid_line_fails(gate) {
            Disposition::Failing
        } else {
            Disposition::Warning
        };
        for f in &mut product.findings {
            f.disposition = stands;
        }
        return;
    }
    for f in &mut product.findings {
        f.disposition = disposition(f, gate);
    }
    for standard in &mut product.standards {
        if standard.verdict == Verdict::NotApplicable {
            continue;
        }
        let mine = || {
            product
                .findings
                .iter()
                .filter(|f| f.standard.as_deref() == Some(standard.id.as_str()))
        };
        let shall = |status| mine().any(|f| f.level == Level::Shall && f.status == status);
        standard.verdict = if shall(Status::Open) {
            Verdict::NonConformant
        } else if shall(Status::EvidenceRequired) {
            Verdict::EvidenceRequired
        } else {
            Verdict::Conformant
        };
        if standard.verdict == Verdict::Conformant && mine().any(|f| f.status == Status::Waived) {
            standard.note = Some("conformant with approved deviations".to_owned());
        }
    }
    // Findings of no standard (a misspelt claim, an expired deviation, an unchecked claim)
    // weigh on the product's verdict as a standard's would.
    let own = product
        .findings
        .iter()
        .filter(|f| f.standard.is_none())
        .filter_map(|f| match f.status {
            Status::Open if f.level == Level::Shall && !f.is_input_problem() => {
                Some(Verdict::NonConformant)
            }
            Status::NotChecked => Some(Verdict::NotChecked),
            _ => None,
        });
    product.verdict = product
        .standards
        .iter()
        .map(|s| s.verdict)
        .chain(own)
        .max()
        .unwrap_or(Verdict::NotApplicable);
}

/// Whether an invalid line of an NDJSON stream fails the run (exit 2), as an invalid file always
/// does. A line is one record among many (a Spark partition piped through formfit, a queue): when
/// the gate fails nothing (`--fail-on never`) its `invalid` result is reported like any verdict,
/// its problems as warnings, and it does not fail the run, so that one bad record never fails
/// (and retries) the task that carries the others; under any gate it fails the run as a file
/// does. What formfit could not do (an unreadable stream, a broken pack) is exit 3 whatever the
/// gate: see [`exit_code`].
pub fn invalid_line_fails(gate: &Gate) -> bool {
    gate.fail_on.is_some() || gate.not_checked
}

/// The exit code of a run from its diagnostics and totals under `gate`: what
/// [`Report::exit_code`] says, for a streamed run that holds no products.
pub fn exit_code(diagnostics: &[RunDiagnostic], totals: &Totals, gate: &Gate) -> i32 {
    if diagnostics.iter().any(|d| d.level == Level::Shall) {
        return 3;
    }
    if totals.invalid_file || (totals.invalid && invalid_line_fails(gate)) {
        return 2;
    }
    if totals.count(Disposition::Failing) > 0 {
        return 1;
    }
    0
}

impl Report {
    /// The run's exit code, from what is settled: 3 when formfit could not do what was asked,
    /// 2 for an unreadable product (see [`invalid_line_fails`]), 1 when a finding fails the gate,
    /// else 0.
    pub fn exit_code(&self) -> i32 {
        exit_code(&self.diagnostics, &self.totals(), &self.gate)
    }

    /// How many findings of the run have this disposition.
    pub fn count(&self, disposition: Disposition) -> usize {
        self.products.iter().map(|p| p.count(disposition)).sum()
    }
}

impl ProductReport {
    pub fn count(&self, disposition: Disposition) -> usize {
        self.findings
            .iter()
            .filter(|f| f.disposition == disposition)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_parse_alone_and_with_not_checked() {
        assert_eq!(Gate::parse("shall").unwrap(), Gate::default());
        let gate = Gate::parse("should,not-checked").unwrap();
        assert_eq!(gate.fail_on, Some(Level::Should));
        assert!(gate.not_checked);
        let gate = Gate::parse("not-checked").unwrap();
        assert_eq!(gate.fail_on, Some(Level::Shall));
        assert_eq!(gate.describe(), "shall,not-checked");
        assert_eq!(Gate::parse("never").unwrap().fail_on, None);
        assert_eq!(Gate::parse("shall,should"), Err(GateError::TwoLevels));
        assert_eq!(
            Gate::parse("strict"),
            Err(GateError::UnknownWord("strict".to_owned()))
        );
    }

    #[test]
    fn an_invalid_stream_line_fails_only_under_a_gate_and_an_invalid_file_always() {
        let line = Totals {
            invalid: true,
            ..Totals::default()
        };
        let file = Totals {
            invalid_file: true,
            ..line.clone()
        };
        let gate = |text| Gate::parse(text).unwrap();
        for (totals, text, code) in [
            (&line, "never", 0),
            (&line, "shall", 2),
            (&line, "should", 2),
            (&line, "never,not-checked", 2),
            (&file, "never", 2),
            (&file, "shall", 2),
        ] {
            assert_eq!(exit_code(&[], totals, &gate(text)), code, "under {text}");
        }
    }
}
