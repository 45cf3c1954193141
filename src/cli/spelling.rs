//! How the command line spells the settings the library's hints and code docs name.

use formfit::hint::{Setting, Spelling};

/// The flag (or command) of each setting.
fn flag(setting: Setting) -> &'static str {
    match setting {
        Setting::Rules => "--rules",
        Setting::RulesDir => "--rules DIR",
        Setting::Standard => "--standard",
        Setting::Profile => "--profile",
        Setting::AllApplicable => "--all-applicable",
        Setting::MaxClassification => "--max-classification",
        Setting::HolderGroup => "--holder-group",
        Setting::TrustedKey => "--trusted-key",
        Setting::RequireSigned => "--require-signed",
        Setting::Identity => "--identity",
        Setting::FailOn => "--fail-on",
        Setting::AllowMarkedOutput => "--allow-marked-output",
        Setting::Output => "--output",
        Setting::Today => "--today",
        Setting::CheckKinds => "formfit rules kinds",
        Setting::CheckOptions => "formfit check --help",
        Setting::InputFormat => "--input-format",
        Setting::Ndjson => "--ndjson",
        Setting::Shard => "--shard",
    }
}

/// The command line's spelling, for every request it makes of the library.
pub(crate) const CLI: Spelling = Spelling(flag);
