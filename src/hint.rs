//! What the reader can do about a problem, as a type: the library says *which* setting would
//! help ([`Hint`], [`Setting`]) and the front end says how that setting is spelt ([`Spelling`]):
//! `--max-classification` on the command line, `Options::max_classification` for a library user.
//!
//! Why a spelling function rather than text filled in by the CLI: every output (human, JSON,
//! SARIF, the code docs of `rules explain`) already renders from a `Report`;
//! one `fn` pointer carried on it spells hints wherever they are rendered, with no pass over
//! the findings to keep in step and no renderer that can miss one. The library itself never
//! writes a flag (`tests/architecture.rs` keeps `"--` out of every string outside `src/cli/`).

/// A setting of a run (or a place the front end documents one) that a text points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// A rules folder, named alone.
    Rules,
    /// A rules folder, with its placeholder (`--rules DIR` on the command line).
    RulesDir,
    Standard,
    Profile,
    AllApplicable,
    MaxClassification,
    HolderGroup,
    TrustedKey,
    RequireSigned,
    Identity,
    FailOn,
    AllowMarkedOutput,
    Output,
    Today,
    /// Where the check kinds are documented.
    CheckKinds,
    /// Where the options of `check` are listed.
    CheckOptions,
    /// The format of the product read from standard input.
    InputFormat,
    /// An NDJSON stream of products.
    Ndjson,
    /// One block of a run cut into several.
    Shard,
}

impl Setting {
    pub const ALL: [Setting; 19] = [
        Setting::Rules,
        Setting::RulesDir,
        Setting::Standard,
        Setting::Profile,
        Setting::AllApplicable,
        Setting::MaxClassification,
        Setting::HolderGroup,
        Setting::TrustedKey,
        Setting::RequireSigned,
        Setting::Identity,
        Setting::FailOn,
        Setting::AllowMarkedOutput,
        Setting::Output,
        Setting::Today,
        Setting::CheckKinds,
        Setting::CheckOptions,
        Setting::InputFormat,
        Setting::Ndjson,
        Setting::Shard,
    ];

    /// The name a static text writes it by, in braces (`{max-classification}`).
    pub fn key(self) -> &'static str {
        match self {
            Setting::Rules => "rules",
            Setting::RulesDir => "rules-dir",
            Setting::Standard => "standard",
            Setting::Profile => "profile",
            Setting::AllApplicable => "all-applicable",
            Setting::MaxClassification => "max-classification",
            Setting::HolderGroup => "holder-group",
            Setting::TrustedKey => "trusted-key",
            Setting::RequireSigned => "require-signed",
            Setting::Identity => "identity",
            Setting::FailOn => "fail-on",
            Setting::AllowMarkedOutput => "allow-marked-output",
            Setting::Output => "output",
            Setting::Today => "today",
            Setting::CheckKinds => "check-kinds",
            Setting::CheckOptions => "check-options",
            Setting::InputFormat => "input-format",
            Setting::Ndjson => "ndjson",
            Setting::Shard => "shard",
        }
    }

    /// How the library's own API names it: the default [`Spelling`].
    pub fn in_the_library(self) -> &'static str {
        match self {
            Setting::Rules | Setting::RulesDir => "Options::rules",
            Setting::Standard => "Options::standards",
            Setting::Profile => "Options::profile",
            Setting::AllApplicable => "Options::all_applicable",
            Setting::MaxClassification => "Options::max_classification",
            Setting::HolderGroup => "Options::holder_groups",
            Setting::TrustedKey => "Options::trusted_keys",
            Setting::RequireSigned => "Options::require_signed",
            Setting::Identity => "Options::identities",
            Setting::FailOn => "Options::fail_on",
            Setting::AllowMarkedOutput => "CheckRequest::allow_marked_output",
            Setting::Output => "MatrixRequest::output",
            Setting::Today => "Options::today",
            Setting::CheckKinds => "formfit::check::REGISTRY",
            Setting::CheckOptions => "formfit::session::Options",
            Setting::InputFormat => "Options::input_format",
            Setting::Ndjson => "Options::ndjson",
            Setting::Shard => "Options::shard",
        }
    }
}

/// How a front end names its settings. The default names the library's own API.
#[derive(Clone, Copy)]
pub struct Spelling(pub fn(Setting) -> &'static str);

impl Spelling {
    pub fn of(self, setting: Setting) -> &'static str {
        (self.0)(setting)
    }

    /// A static text with its `{setting}` placeholders spelt; a brace that names no setting
    /// is kept as written (a test keeps the code docs free of those).
    pub fn fill(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let named = after.find('}').and_then(|close| {
                let key = &after[..close];
                Setting::ALL
                    .iter()
                    .find(|s| s.key() == key)
                    .map(|s| (self.of(*s), close))
            });
            match named {
                Some((spelt, close)) => {
                    out.push_str(spelt);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl Default for Spelling {
    fn default() -> Spelling {
        Spelling(Setting::in_the_library)
    }
}

impl std::fmt::Debug for Spelling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Spelling({})", self.of(Setting::Rules))
    }
}

/// What would help, named after what it changes. The text is composed when it is rendered,
/// with the front end's [`Spelling`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// A binary matrix needs a file to go to.
    NameMatrixFile,
    /// A withheld pack or profile: the holder may state a higher clearance.
    StateClearance,
    /// A claim whose pack is withheld: the clearance that would let it be checked.
    StateClearanceToCheck,
    /// A standard or rule refused by `rules show`/`explain`.
    StateClearanceToShow,
    /// A claim of another edition than the pack's.
    LoadEditionPack,
    /// Nothing chosen to check against.
    ChooseStandards,
    /// A claim one slip away from a known designation.
    WriteDesignation { known: String },
    /// A claim formfit has no pack for.
    AddPackForClaim,
    /// A profile pins an edition no loaded pack has.
    LoadPinnedEdition,
    /// Trusted keys that could not be read.
    GiveTrustedKeys,
    /// Trusted keys given, signatures not required.
    RequireSignatures,
    /// An encrypted pack no identity opens.
    GiveIdentity,
    /// A pack refused for its signature.
    SignOrTrust,
    /// Marked material asked for in a third-party format.
    AllowMarkedOutput,
}

impl Hint {
    pub fn text(&self, spelling: Spelling) -> String {
        let s = |setting| spelling.of(setting);
        match self {
            Hint::NameMatrixFile => format!("name the file with {} matrix.xlsx", s(Setting::Output)),
            Hint::StateClearance => format!(
                "state what you hold with {} and {}, or in formfit.toml",
                s(Setting::MaxClassification),
                s(Setting::HolderGroup)
            ),
            Hint::StateClearanceToCheck => format!(
                "state what you hold with {} and {} (or in formfit.toml) to check it",
                s(Setting::MaxClassification),
                s(Setting::HolderGroup)
            ),
            Hint::StateClearanceToShow => format!(
                "state what you hold with {} and {}",
                s(Setting::MaxClassification),
                s(Setting::HolderGroup)
            ),
            Hint::LoadEditionPack => format!(
                "check the differences between the editions, or load a pack for the claimed edition with {}",
                s(Setting::Rules)
            ),
            Hint::ChooseStandards => format!(
                "name standards with {}, list them in `product.conforms_to`, or use {}",
                s(Setting::Standard),
                s(Setting::AllApplicable)
            ),
            Hint::WriteDesignation { known } => format!(
                "write the designation as `{known}`; if you mean another standard, formfit has no pack for it: add one with {}",
                s(Setting::RulesDir)
            ),
            Hint::AddPackForClaim => format!(
                "add a pack for it with {}, or see `formfit rules` for the known standards; `{} not-checked` makes unchecked claims fail the gate",
                s(Setting::RulesDir),
                s(Setting::FailOn)
            ),
            Hint::LoadPinnedEdition => format!(
                "load a pack of the pinned edition with {}, or change the pin",
                s(Setting::Rules)
            ),
            Hint::GiveTrustedKeys => format!(
                "give minisign public key files with {}",
                s(Setting::TrustedKey)
            ),
            Hint::RequireSignatures => format!(
                "add {} (or `require-signed = true` in formfit.toml) to refuse packs not signed by these keys",
                s(Setting::RequireSigned)
            ),
            Hint::GiveIdentity => format!(
                "give the identity the pack was encrypted to with {} (or `identities` in formfit.toml)",
                s(Setting::Identity)
            ),
            Hint::SignOrTrust => format!(
                "sign it with `formfit rules sign`, or trust its publisher's key with {}",
                s(Setting::TrustedKey)
            ),
            Hint::AllowMarkedOutput => format!(
                "use human, json or junit output, or pass {} if the service is cleared for it",
                s(Setting::AllowMarkedOutput)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_spelt_and_other_braces_kept() {
        let cli = Spelling(|s| match s {
            Setting::RulesDir => "--rules DIR",
            _ => "--other",
        });
        assert_eq!(
            cli.fill("add one with `{rules-dir}` {x} {"),
            "add one with `--rules DIR` {x} {"
        );
        assert_eq!(
            Spelling::default().fill("with {max-classification}"),
            "with Options::max_classification"
        );
    }

    const EVERY_HINT: [Hint; 14] = [
        Hint::NameMatrixFile,
        Hint::StateClearance,
        Hint::StateClearanceToCheck,
        Hint::StateClearanceToShow,
        Hint::LoadEditionPack,
        Hint::ChooseStandards,
        Hint::WriteDesignation {
            known: String::new(),
        },
        Hint::AddPackForClaim,
        Hint::LoadPinnedEdition,
        Hint::GiveTrustedKeys,
        Hint::RequireSignatures,
        Hint::GiveIdentity,
        Hint::SignOrTrust,
        Hint::AllowMarkedOutput,
    ];

    /// A library user is told the setting by its API name, and every hint names one: that is
    /// what makes it a hint rather than help text.
    #[test]
    fn every_hint_names_a_setting_in_the_front_ends_spelling() {
        let marked = Spelling(|_| "<SETTING>");
        for hint in &EVERY_HINT {
            assert!(hint.text(marked).contains("<SETTING>"), "{hint:?}");
            let library = hint.text(Spelling::default());
            assert!(
                library.contains("Options::") || library.contains("Request::"),
                "{library}"
            );
            assert!(!library.contains("--"), "{library}");
        }
        let text = Hint::GiveIdentity.text(Spelling::default());
        assert!(text.contains("Options::identities"), "{text}");
    }
}
