//! The keys of a rule that select and configure its check kind, as a pack writes them. They
//! belong to the check kinds; a pack's rule carries them flattened beside its own keys.

use serde::Deserialize;

use crate::level::Level;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CheckKeys {
    pub equals: Option<String>,
    pub one_of: Option<OneOfSpec>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub within: Option<String>,
    /// With `within`: judge only the bands that overlap the allocation.
    #[serde(default)]
    pub overlapping_only: bool,
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
