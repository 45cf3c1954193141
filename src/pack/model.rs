//! The rule-pack file as written (`rules/*.toml`), deserialised after the pack schema passed.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct PackFile {
    pub standard: StandardMeta,
    pub applicability: Option<ApplicabilitySpec>,
    #[serde(rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

/// What the pack says about the standard it models.
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
pub struct StandardMeta {
    pub designation: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub title: String,
    pub edition: String,
    pub status: Option<String>,
    pub source: String,
    pub note: String,
    #[serde(default = "public")]
    pub classification: String,
    #[serde(default)]
    pub releasable_to: Vec<String>,
}

impl StandardMeta {
    /// Every name the standard answers to: its designation, then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        super::names(&self.designation, &self.aliases)
    }
}

/// The marking of a pack that states none.
pub const PUBLIC: &str = "PUBLIC";

fn public() -> String {
    PUBLIC.to_owned()
}

#[derive(Clone, Debug, Deserialize)]
pub struct ApplicabilitySpec {
    pub any: Vec<ConditionSpec>,
    pub otherwise: String,
    /// With `--all-applicable`, the standard is only offered when one of these holds too: a
    /// 5.56 mm standard governs any chambering when claimed, but concerns only 5.56-like ones.
    #[serde(default)]
    pub relevant: Vec<ConditionSpec>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ConditionSpec {
    pub path: String,
    pub exists: Option<bool>,
    #[serde(rename = "in")]
    pub one_of: Option<Vec<String>>,
    pub overlaps: Option<String>,
    pub matches: Option<String>,
}

/// How strongly a rule binds: `shall` findings fail a standard; the others are reported.
pub use crate::level::Level;

#[derive(Clone, Debug, Deserialize)]
pub struct RuleSpec {
    pub id: String,
    pub clause: String,
    pub level: Level,
    pub path: String,
    /// Evaluate the rule once per item this path reaches (`radio[*]`), with `path` and `when`
    /// relative to the item: "the radio whose band is in the air band has 25 kHz spacing".
    pub each: Option<String>,
    pub message: String,
    pub help: Option<String>,
    pub rationale: Option<String>,
    #[serde(default)]
    pub when: Vec<ConditionSpec>,
    #[serde(default)]
    pub required: bool,
    pub evidence: Option<String>,
    #[serde(default)]
    pub any: bool,
    // The keys of the rule's check kind are read by the kind itself (`crate::check::Keys`).
}
