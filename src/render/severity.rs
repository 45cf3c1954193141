//! The one map from what a finding means for the run (its disposition), or how strongly a run
//! diagnostic binds (its level), to a severity. Each renderer only names the severity in its
//! own vocabulary: SARIF `error`/`warning`/`note`, GitHub `error`/`warning`/`notice`, GitLab
//! `major`/`minor`/`info`, miette's Error/Warning/Advice.

use crate::level::Level;
use crate::report::Disposition;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Fails the gate (a finding), or stops the run (a diagnostic).
    Error,
    Warning,
    Note,
}

impl Severity {
    /// A finding's: only what fails the gate is an error.
    pub fn of(disposition: Disposition) -> Severity {
        match disposition {
            Disposition::Failing => Severity::Error,
            Disposition::Warning => Severity::Warning,
            _ => Severity::Note,
        }
    }

    /// A run diagnostic's, from its level.
    pub fn of_level(level: Level) -> Severity {
        match level {
            Level::Shall => Severity::Error,
            Level::Should => Severity::Warning,
            Level::May => Severity::Note,
        }
    }

    /// The severity in a format's own words.
    pub fn named<T>(self, error: T, warning: T, note: T) -> T {
        match self {
            Severity::Error => error,
            Severity::Warning => warning,
            Severity::Note => note,
        }
    }
}
