//! How binding a requirement is: `shall`, `should`, `may`. A leaf: rules, findings, checks and
//! renderers all speak of levels, and none of them owns the word.

use serde::Deserialize;

/// Ordered from the weakest to the strongest, so that `level >= Level::Should` reads as it
/// sounds.
#[derive(
    Clone, Copy, Debug, Deserialize, serde::Serialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    May,
    Should,
    Shall,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Shall => "shall",
            Level::Should => "should",
            Level::May => "may",
        }
    }
}
