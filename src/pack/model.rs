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

fn public() -> String {
    "PUBLIC".to_owned()
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
    #[serde(default)]
    pub overlapping_only: bool,
    pub equals: Option<String>,
    pub one_of: Option<OneOfSpec>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub within: Option<String>,
    pub covers: Option<String>,
    pub avoids: Option<Vec<String>>,
    pub pattern: Option<String>,
    pub count: Option<CountSpec>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct OneOfSpec {
    pub accept: Vec<String>,
    #[serde(default)]
    pub lookalike: Vec<TermSpec>,
    #[serde(default)]
    pub ambiguous: Vec<TermSpec>,
    /// Spellings of the same thing that pass with a `may` note naming the preferred term.
    #[serde(default)]
    pub deprecated: Vec<String>,
    #[serde(default)]
    pub obsolete: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TermSpec {
    pub value: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub why: String,
    pub help: Option<String>,
    /// Lowers the finding below the rule's level: a name that is neither the accepted thing nor
    /// its failing look-alike (a `.223 Wylde` chamber for 5.56 NATO) gets a `should`.
    pub level: Option<Level>,
    /// The name is right but cannot show conformance by itself: the finding asks for this
    /// evidence (`evidence-required`) instead of failing.
    pub evidence: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
pub struct CountSpec {
    pub min: Option<usize>,
    pub max: Option<usize>,
}
