//! Every situation formfit reports on its own account, as a typed code: an enum per area, one
//! variant per situation, each with its documentation (what it means, why, how to fix it).
//!
//! A code has two names. Its *rule* (`input/limit`) is what JSON `rule`/`id` and SARIF
//! `ruleId` have always carried, so no code-scanning alert is reopened; its *id*
//! (`input/limit/depth`) tells the situations of one rule apart and is the `code` field of
//! every output. Where a rule names one situation, the two are the same. `formfit rules
//! explain CODE` and the SARIF rule descriptors read the same [`Doc`].
//!
//! Texts may name a setting as `{setting}` (see [`crate::hint::Setting::key`]): the front end
//! spells it ([`crate::hint::Spelling::fill`]).

use crate::hint::Spelling;

/// The documentation of one code, or of a rule that groups several.
#[derive(Debug, PartialEq, Eq)]
pub struct Doc {
    pub id: &'static str,
    /// The rule it is reported under.
    pub rule: &'static str,
    /// One line: what happened (the alert's title).
    pub short: &'static str,
    /// What it means and why it matters.
    pub full: &'static str,
    /// How to fix it (Markdown).
    pub fix: &'static str,
}

/// One of formfit's own codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    Input(InputCode),
    Pack(PackCode),
    Profile(ProfileCode),
    Config(ConfigCode),
    Deviation(DeviationCode),
    Evidence(EvidenceCode),
    Trust(TrustCode),
    Usage(UsageCode),
    Run(RunCode),
}

impl Code {
    pub fn doc(self) -> &'static Doc {
        match self {
            Code::Input(c) => c.doc(),
            Code::Pack(c) => c.doc(),
            Code::Profile(c) => c.doc(),
            Code::Config(c) => c.doc(),
            Code::Deviation(c) => c.doc(),
            Code::Evidence(c) => c.doc(),
            Code::Trust(c) => c.doc(),
            Code::Usage(c) => c.doc(),
            Code::Run(c) => c.doc(),
        }
    }

    /// The fine name: `input/limit/depth`.
    pub fn id(self) -> &'static str {
        self.doc().id
    }

    /// The rule it is reported under: `input/limit`.
    pub fn rule(self) -> &'static str {
        self.doc().rule
    }

    /// Every code.
    pub fn all() -> impl Iterator<Item = Code> {
        let input = InputCode::ALL.iter().map(|c| Code::Input(*c));
        let pack = PackCode::ALL.iter().map(|c| Code::Pack(*c));
        let profile = ProfileCode::ALL.iter().map(|c| Code::Profile(*c));
        let config = ConfigCode::ALL.iter().map(|c| Code::Config(*c));
        let deviation = DeviationCode::ALL.iter().map(|c| Code::Deviation(*c));
        let evidence = EvidenceCode::ALL.iter().map(|c| Code::Evidence(*c));
        let trust = TrustCode::ALL.iter().map(|c| Code::Trust(*c));
        let usage = UsageCode::ALL.iter().map(|c| Code::Usage(*c));
        let run = RunCode::ALL.iter().map(|c| Code::Run(*c));
        input
            .chain(pack)
            .chain(profile)
            .chain(config)
            .chain(deviation)
            .chain(evidence)
            .chain(trust)
            .chain(usage)
            .chain(run)
    }

    /// The code named `id` (fine name).
    pub fn named(id: &str) -> Option<Code> {
        Code::all().find(|c| c.id().eq_ignore_ascii_case(id))
    }

    /// A problem of a file read as a product (or deviations) file itself: it makes the file
    /// invalid rather than non-conformant.
    pub fn is_input(self) -> bool {
        matches!(self, Code::Input(_))
    }

    /// A problem of formfit's configuration or of what was asked.
    pub fn is_setup(self) -> bool {
        matches!(self, Code::Config(_) | Code::Usage(_))
    }

    /// What a problem of this code says is broken, for a diagnostic's first words.
    pub fn broken(self) -> &'static str {
        match self {
            Code::Profile(_) => "broken profile",
            Code::Config(_) => "broken configuration",
            Code::Deviation(_) => "broken deviations file",
            _ => "broken rule pack",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The documentation of a code (by its fine name) or of a rule (by its rule name).
pub fn describe(id: &str) -> Option<&'static Doc> {
    Code::named(id)
        .map(Code::doc)
        .or_else(|| RULES.iter().find(|d| d.id.eq_ignore_ascii_case(id)))
        .or_else(|| {
            // A rule of one situation is documented by its code.
            Code::all()
                .map(Code::doc)
                .find(|d| d.rule.eq_ignore_ascii_case(id) && d.id == d.rule)
        })
}

/// What `formfit rules explain CODE` prints for a code or a rule of codes: its title, what it
/// means, how to fix it, and the rule it is reported under (or, for a rule, its codes).
pub fn explain(id: &str, spelling: Spelling) -> Option<String> {
    let doc = describe(id)?;
    let mut out = format!(
        "{}: {}\n\n{}\n\nHow to fix it: {}\n",
        doc.id,
        spelling.fill(doc.short),
        spelling.fill(doc.full),
        spelling.fill(doc.fix)
    );
    if doc.id != doc.rule {
        out.push_str(&format!(
            "\nReported under the rule {} (JSON `rule`, SARIF `ruleId`); `code` is {}.\n",
            doc.rule, doc.id
        ));
    }
    let codes: Vec<&Doc> = Code::all()
        .map(Code::doc)
        .filter(|d| d.rule == doc.id && d.id != doc.id)
        .collect();
    if !codes.is_empty() {
        let width = codes.iter().map(|d| d.id.len()).max().unwrap_or(0);
        out.push_str("\nIts codes (JSON `code`, SARIF `properties.code`):\n");
        for d in codes {
            out.push_str(&format!("  {:width$}  {}\n", d.id, spelling.fill(d.short)));
        }
    }
    Some(out)
}

/// An area's enum: one variant per code, its doc comment the code's one-line summary.
macro_rules! area {
    (
        $(#[$meta:meta])*
        $name:ident => $wrap:ident {
            $($variant:ident = $id:literal in $rule:literal:
                $short:literal, $full:literal, $fix:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = $short] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn doc(self) -> &'static Doc {
                match self {
                    $($name::$variant => &Doc {
                        id: $id,
                        rule: $rule,
                        short: $short,
                        full: $full,
                        fix: $fix,
                    },)*
                }
            }
        }

        impl From<$name> for Code {
            fn from(code: $name) -> Code {
                Code::$wrap(code)
            }
        }
    };
}

area! {
    /// A product (or deviations) file that cannot be read, parsed or matched to its schema.
    InputCode => Input {
        EncodingUtf16 = "input/encoding/utf-16" in "input/encoding":
            "Product file is UTF-16",
            "The file starts with a UTF-16 byte-order mark; formfit reads UTF-8 only, so it cannot be read.",
            "Save the file as UTF-8 (a byte-order mark is allowed).";
        EncodingInvalid = "input/encoding/invalid" in "input/encoding":
            "Product file is not valid UTF-8",
            "The file holds bytes that are not UTF-8 (often Latin-1 or Windows-1252 text), so it cannot be read.",
            "Convert the file to UTF-8.";
        UnknownFormat = "input/io/unknown-format" in "input/io":
            "Format of a product file cannot be told",
            "The file's name does not end in `.toml`, `.json`, `.yaml` or `.yml`, so formfit cannot tell how to read it.",
            "Name the file with the extension of its format.";
        NotAFile = "input/io/not-a-file" in "input/io":
            "Product path is not a regular file",
            "The path names a pipe, a device or a folder: formfit reads regular files only, so that a read always ends.",
            "Name a product file.";
        Unreadable = "input/io/unreadable" in "input/io":
            "Product file cannot be read",
            "The named product file does not exist or cannot be opened.",
            "Check the path and its permissions.";
        NotAProduct = "input/io/not-a-product" in "input/io":
            "A file named as a product is not a product description",
            "The file has no top-level `product` table, so there is nothing to check in it.",
            "Name a product file, or spell its `product` table as the product schema has it.";
        LineLength = "input/limit/line-length" in "input/limit":
            "A line of an NDJSON stream is over the size limit",
            "One line of the stream is longer than formfit reads for one product; the stream goes on after it.",
            "Put one product description on each line of the stream.";
        FileSize = "input/limit/file-size" in "input/limit":
            "Product file is over the size limit",
            "The file is larger than formfit reads (a product description is a few kilobytes; the limit keeps a wrong or hostile file from exhausting memory).",
            "Split the product description, or check that this is the right file.";
        Depth = "input/limit/depth" in "input/limit":
            "Nesting too deep",
            "Tables and arrays nest deeper than formfit follows; a real description nests a few levels, a deeper one is usually generated or hostile.",
            "Flatten the structure the message points at.";
        ArrayLength = "input/limit/array-length" in "input/limit":
            "Array with too many items",
            "An array holds more items than formfit reads into one array.",
            "Shorten the array, or split the description.";
        StringLength = "input/limit/string-length" in "input/limit":
            "String too long",
            "A string is longer than formfit reads into one value.",
            "Shorten the string; long text belongs in a document the description links to.";
        TableSize = "input/limit/table-size" in "input/limit":
            "Table with too many keys",
            "A table holds more keys than formfit reads into one table.",
            "Split the table.";
        NumberLength = "input/limit/number-length" in "input/limit":
            "Number too long",
            "A number in a quantity has too many digits or too large an exponent to be computed exactly.",
            "Write the value with a unit prefix (`2.4 GHz`, not `2400000000 Hz`).";
        FindingCap = "input/limit/finding-cap" in "input/limit":
            "Too many findings to show",
            "The product has more findings than one report shows; those that can fail the gate are kept first and the rest counted.",
            "Fix the findings shown, then run again to see the rest.";
        NotFinite = "input/number/not-finite" in "input/number":
            "Number is not finite",
            "A number is NaN or infinite, which no comparison can decide.",
            "Write a finite value.";
        OutOfRange = "input/number/out-of-range" in "input/number":
            "Number out of range",
            "An integer does not fit in 64 bits or a decimal in a double.",
            "Write the value with a unit prefix (`2.4 GHz`, not `2400000000 Hz`) or as a quantity string.";
        Schema = "input/schema" in "input/schema":
            "Product file does not match the product schema",
            "A key is missing, unknown or of the wrong shape for the product schema (`schemas/product.schema.json`), so the product cannot be checked.",
            "Fix the key the message names; the product schema lists every key and its type.";
        InvalidToml = "input/syntax/toml" in "input/syntax":
            "Product file is not valid TOML",
            "The TOML parser stopped at the location shown.",
            "Fix the syntax at the location shown; the message says what the parser expected.";
        InvalidJson = "input/syntax/json" in "input/syntax":
            "Product file is not valid JSON",
            "The JSON parser stopped at the location shown (comments and trailing commas are not JSON).",
            "Fix the syntax at the location shown; the message says what the parser expected.";
        InvalidYaml = "input/syntax/yaml" in "input/syntax":
            "Product file is not valid YAML",
            "The YAML parser stopped at the location shown.",
            "Fix the syntax at the location shown; the message says what the parser expected.";
        Empty = "input/syntax/empty" in "input/syntax":
            "Product file is empty",
            "The file holds no document, so there is nothing to check.",
            "Write the product description into the file, or name the right file.";
        SeveralDocuments = "input/syntax/several-documents" in "input/syntax":
            "YAML file holds several documents",
            "A product file describes one product; a second YAML document would be ignored by some tools and read by others.",
            "Keep one document per file.";
        ControlCharacter = "input/syntax/control-character" in "input/syntax":
            "Raw control character",
            "JSON and YAML do not allow raw control characters, though parsers let some through; one could also drive a terminal that shows the file.",
            "Remove it, or write it escaped inside a quoted string.";
        DuplicateKey = "input/syntax/duplicate-key" in "input/syntax":
            "Key written twice",
            "A key is written twice in one table: tools disagree on which of the two counts.",
            "Remove one of them.";
        YamlAlias = "input/syntax/yaml-alias" in "input/syntax":
            "YAML alias",
            "YAML aliases are not supported in product files: a value must be where it is read, and aliases can expand without bound.",
            "Write the value out in full.";
        NotARange = "input/unit/not-a-range" in "input/unit":
            "Quantity is not a range",
            "A range was expected (a minimum and a maximum), and the value is not one.",
            "Write a range as `225-400 MHz` or as a table `{ min = \"225 MHz\", max = \"400 MHz\" }`.";
        NoNumber = "input/unit/no-number" in "input/unit":
            "Quantity does not start with a number",
            "A quantity is a number and a unit; the value is empty or does not start with a number.",
            "Write the quantity as a number and a unit, e.g. `28 V`.";
        WrongDimension = "input/unit/wrong-dimension" in "input/unit":
            "Unit of the wrong dimension",
            "The unit measures something other than the key expects (a power where a frequency is due).",
            "Use a unit of the expected dimension; the help lists them.";
        MissingUnit = "input/unit/missing" in "input/unit":
            "Quantity without a unit",
            "A number without a unit cannot be compared with a limit in a unit.",
            "Add a unit of the expected dimension, e.g. `28 V` or `225 MHz`.";
        Logarithmic = "input/unit/logarithmic" in "input/unit":
            "Logarithmic unit",
            "dBm is logarithmic and cannot be compared exactly with linear limits.",
            "Give the power in W or mW.";
        UnknownUnit = "input/unit/unknown" in "input/unit":
            "Unknown unit",
            "The unit is none formfit knows; the help suggests the closest one.",
            "Write the unit as the help suggests.";
        ReversedRange = "input/unit/reversed-range" in "input/unit":
            "Range with its minimum above its maximum",
            "A range's minimum is above its maximum: no value is inside it.",
            "Swap the two ends.";
    }
}

area! {
    /// A rule pack that cannot be loaded.
    PackCode => Pack {
        Check = "pack/check" in "pack/check":
            "Rule pack: a check is invalid",
            "A rule's check is malformed for its kind (missing or wrong parameters).",
            "Fix the check as the message says; `{check-kinds}` documents each check kind.";
        CheckQuantity = "pack/check/quantity" in "pack/check":
            "Rule pack: a check's quantity cannot be read",
            "A quantity or range a check compares against has no unit formfit knows, a unit of another dimension, or mixes dimensions.",
            "Write the value with a unit, as a product would (`28 V`, `225-400 MHz`).";
        CheckRange = "pack/check/range" in "pack/check":
            "Rule pack: a check's bounds do not make a range",
            "A check's lower bound is above its upper bound (`min`/`max`, a range, a count), so no value could pass.",
            "Swap the bounds, or correct the one that is wrong.";
        CheckPattern = "pack/check/pattern" in "pack/check":
            "Rule pack: a pattern is not a regular expression",
            "A `pattern` check's regular expression does not compile.",
            "Fix the regular expression (the syntax of the Rust `regex` crate).";
        CheckTerms = "pack/check/terms" in "pack/check":
            "Rule pack: a name is both accepted and refused",
            "A `one_of` check lists a spelling both as accepted and as a look-alike, ambiguous or discouraged term (after name normalisation).",
            "Keep the spelling in one list.";
        CheckOption = "pack/check/option" in "pack/check":
            "Rule pack: an option without its check",
            "A rule has an option of a check kind (`overlapping_only`) but not the check it modifies.",
            "Add the check the option belongs to, or remove the option.";
        CheckForm = "pack/check/form" in "pack/check":
            "Rule pack: an identifier's form is invalid",
            "An `identifier` check's form has no character positions, or a part lies outside the form or lists values of the wrong length.",
            "Write the form with 9, A and X for its characters, and parts within it.";
        Condition = "pack/condition" in "pack/condition":
            "Rule pack: a `when` condition is invalid",
            "A rule's `when` condition cannot be parsed or names an unknown product path.",
            "Write the condition over product paths the product schema defines.";
        DuplicateDesignation = "pack/duplicate-designation" in "pack/duplicate-designation":
            "Rule packs: two packs for one standard",
            "Two packs loaded in one run declare the same designation.",
            "Keep one pack per standard in the rules directories.";
        DuplicateRule = "pack/duplicate-rule" in "pack/duplicate-rule":
            "Rule pack: a rule id is used twice",
            "Two rules of one pack share an id, so findings cannot be told apart.",
            "Give each rule its own id.";
        Io = "pack/io" in "pack/io":
            "Rule pack: cannot be read",
            "A pack file or rules directory could not be read.",
            "Check the path and its permissions.";
        Limit = "pack/limit" in "pack/limit":
            "Rule pack: exceeds an input limit",
            "A pack file is over formfit's size limit for packs.",
            "Split the pack.";
        NoCheck = "pack/no-check" in "pack/no-check":
            "Rule pack: a rule checks nothing",
            "A rule has no check, so it could never fail.",
            "Give the rule exactly one check.";
        Path = "pack/path" in "pack/path":
            "Rule pack: a path is invalid",
            "A rule's `path` or `each` does not name a product path the product schema defines.",
            "Use a path of the product schema, e.g. `radio[].bands[]`.";
        Schema = "pack/schema" in "pack/schema":
            "Rule pack does not match the pack schema",
            "A pack key is missing, unknown or of the wrong shape (`schemas/pack.schema.json`).",
            "Fix the key the message names.";
        Symlink = "pack/symlink" in "pack/symlink":
            "Rule pack: symbolic link not followed",
            "A symbolic link in a rules directory is not followed, so what it points at is not loaded.",
            "Copy the pack into the rules directory instead of linking it.";
        TwoChecks = "pack/two-checks" in "pack/two-checks":
            "Rule pack: a rule has two checks",
            "A rule names more than one check kind; a rule checks one thing.",
            "Split it into one rule per check.";
    }
}

area! {
    /// A profile (a named set of standards) that cannot be loaded or resolved.
    ProfileCode => Profile {
        Schema = "profile/schema" in "profile/schema":
            "Profile does not match the profile schema",
            "A profile key is missing, unknown or of the wrong shape (`schemas/profile.schema.json`).",
            "Fix the key the message names.";
        UnknownRule = "profile/unknown-rule" in "profile/unknown-rule":
            "Profile names a rule of none of its standards",
            "A rule the profile tailors is in none of the standards the profile names, so the tailoring would never apply.",
            "Correct the rule id, or add its standard to the profile.";
        CircularImport = "profile/circular-import" in "profile/circular-import":
            "Profiles import each other in a circle",
            "A profile imports itself through other profiles, so its standards cannot be resolved.",
            "Break the circle of imports.";
        UnknownProfile = "profile/unknown-profile" in "profile/unknown-profile":
            "Profile imports an unknown profile",
            "An imported profile is neither built in nor in a rules directory.",
            "Correct the name, or add the profile to a rules directory.";
        ImportDepth = "profile/import-depth" in "profile/import-depth":
            "Profile imports nest too deep",
            "Imports nest deeper than formfit follows.",
            "Import fewer levels of profiles.";
        WithheldStandard = "profile/withheld-standard" in "profile/withheld-standard":
            "Profile names a withheld standard",
            "A standard of the profile has a pack marked above what the holder may hold, so the profile cannot be checked.",
            "State a clearance that permits the pack, where you are allowed to (`{max-classification}`).";
        UnknownStandard = "profile/unknown-standard" in "profile/unknown-standard":
            "Profile names an unknown standard",
            "A standard of the profile has no rule pack.",
            "Correct the designation, or add its pack with `{rules-dir}`.";
        EditionPin = "profile/edition-pin" in "profile/edition-pin":
            "Profile pins an edition no pack models",
            "The profile pins an edition of a standard other than the one the loaded pack models.",
            "Load a pack of the pinned edition, or change the pin.";
    }
}

area! {
    /// A `formfit.toml` that cannot be used.
    ConfigCode => Config {
        Io = "config/io" in "config/io":
            "Configuration cannot be read",
            "The configuration file could not be read.",
            "Check the path and its permissions.";
        Schema = "config/schema" in "config/schema":
            "Configuration does not match its schema",
            "A key of `formfit.toml` is missing, unknown or of the wrong shape (`schemas/config.schema.json`).",
            "Fix the key the message names.";
        Markings = "config/markings" in "config/markings":
            "National marking map is invalid",
            "A national marking is mapped wrongly: it names a NATO level itself, or is mapped onto no NATO level.",
            "Map each national marking onto a level of the NATO order.";
        MaxClassification = "config/max-classification" in "config/max-classification":
            "Clearance is no known marking",
            "The configured clearance names no marking formfit knows, so the holder holds the least until it is fixed.",
            "Write a level of the NATO order or a mapped national marking.";
        Glob = "config/glob" in "config/glob":
            "Invalid glob",
            "A `products` glob cannot be parsed.",
            "Fix the pattern.";
        EmptyGlob = "config/empty-glob" in "config/empty-glob":
            "Glob matches no file",
            "A `products` glob matches no file, so a product the configuration names would silently go unchecked.",
            "Correct the pattern, or remove it.";
        PinNotLoaded = "config/pin/not-loaded" in "config/pin":
            "Pinned standard not loaded",
            "The configuration pins a standard no loaded pack declares.",
            "Load the pack, or remove the pin.";
        PinEdition = "config/pin/edition" in "config/pin":
            "Pinned edition differs from the pack's",
            "The configuration pins an edition other than the one the loaded pack models.",
            "Load a pack of the pinned edition, or update the pin.";
        PinDigest = "config/pin/digest" in "config/pin":
            "Pinned pack changed",
            "The loaded pack's SHA-256 differs from the digest the configuration pins: the rules are not the ones reviewed.",
            "Review the pack's changes, then update the pin.";
    }
}

area! {
    /// Approved deviations (waivers) and the file that lists them.
    DeviationCode => Deviation {
        Expired = "deviation/expired" in "deviation/expired":
            "Deviation expired",
            "An approved deviation is past its expiry date: it no longer waives anything.",
            "Renew the approval and its `expires` date, or fix the product and remove the deviation.";
        Schema = "deviation/schema" in "deviation/schema":
            "Deviations file does not match its schema",
            "A deviation entry is malformed: a missing or unknown key, an invalid product glob or path.",
            "Fix the entry the message names; `schemas/deviations.schema.json` lists every key.";
        Stale = "deviation/stale" in "deviation/stale":
            "Deviation waives nothing",
            "An approved deviation matched no finding: the product was fixed or the entry names the wrong rule, product, path or value.",
            "Remove the deviation, or correct what it names.";
    }
}

area! {
    /// The evidence file of a compliance matrix.
    EvidenceCode => Evidence {
        Schema = "evidence/schema" in "evidence/schema":
            "Evidence file does not match its schema",
            "An evidence entry is malformed (`schemas/evidence.schema.json`).",
            "Fix the entry the message names.";
        UnknownRule = "evidence/unknown-rule" in "evidence/unknown-rule":
            "Evidence for an unknown rule",
            "The evidence names a rule of none of the selected standards, so it would silently never apply.",
            "Correct the rule id; the help suggests the closest one.";
    }
}

area! {
    /// What the trust policy refuses or notes: signatures, encryption, markings.
    TrustCode => Trust {
        UntrustedPack = "formfit/untrusted-pack" in "formfit/untrusted-pack":
            "Pack refused: not signed by a trusted key",
            "Signatures are required and the pack is unsigned, or signed by a key that is not trusted.",
            "Sign the pack with a trusted key (`formfit sign`), or trust its signer's key with `{trusted-key}`.";
        WithheldPack = "formfit/withheld-pack" in "formfit/withheld-pack":
            "Pack withheld: marking above the permitted level",
            "The pack is marked above the run's `{max-classification}`, so it was not loaded.",
            "Run with a `{max-classification}` that clears the pack's marking, where you are allowed to.";
        PackReplaced = "formfit/pack-replaced" in "formfit/pack-replaced":
            "Built-in pack replaced",
            "A pack given with `{rules}` replaces the built-in pack of the same standard: findings follow the replacement.",
            "Nothing to fix if that was intended; otherwise remove the replacement pack from the rules directory.";
        ProfileReplaced = "formfit/profile-replaced" in "formfit/profile-replaced":
            "Built-in profile replaced",
            "A profile given with `{rules}` replaces the built-in profile of the same name.",
            "Nothing to fix if that was intended; otherwise rename or remove the replacement profile.";
        SignaturesNotRequired = "formfit/signatures-not-required" in "formfit/signatures-not-required":
            "Trusted keys given but signatures not required",
            "Trusted keys were configured but unsigned packs are still accepted, so no signature protects the run.",
            "Add `{require-signed}` (or `require-signed = true` in `formfit.toml`).";
        EncryptedPack = "pack/encrypted" in "pack/encrypted":
            "Rule pack: cannot be decrypted",
            "The pack is encrypted and no given identity can decrypt it.",
            "Give the identity the pack was encrypted to with `{identity}` (or `identities` in `formfit.toml`).";
        EncryptedProfile = "profile/encrypted" in "profile/encrypted":
            "Profile is encrypted",
            "Profiles are not encrypted: a profile names standards, it holds none, and an encrypted one is refused.",
            "Keep the profile in plain text.";
    }
}

area! {
    /// A problem with what was asked (exit 3), reported under the rule `formfit/usage`.
    UsageCode => Usage {
        Date = "formfit/usage/date" in "formfit/usage":
            "Date is not a date",
            "The date deviations expire against is not written `YYYY-MM-DD`.",
            "Write the date as `YYYY-MM-DD` (`{today}`).";
        DeviationsFile = "formfit/usage/deviations-file" in "formfit/usage":
            "Deviations file cannot be read",
            "The deviations file named on the command line or in `formfit.toml` cannot be read, so no waiver would apply.",
            "Check the path.";
        NoProducts = "formfit/usage/no-products" in "formfit/usage":
            "No product files to check",
            "Neither the command line nor `formfit.toml` names a product file.",
            "Name them on the command line, or list `products` globs in `formfit.toml`.";
        FailOn = "formfit/usage/fail-on" in "formfit/usage":
            "Gate cannot be read",
            "The configured `fail-on` is not a gate formfit knows.",
            "Write `fail-on` as `shall`, `should` or `never`, optionally with `not-checked`.";
        UnknownClearance = "formfit/usage/unknown-clearance" in "formfit/usage":
            "Clearance is no known marking",
            "The clearance asked for names no marking formfit knows; until it is fixed the holder holds the least, never the most.",
            "Write a level of the NATO order, or a national marking mapped in `formfit.toml`.";
        TrustedKeys = "formfit/usage/trusted-keys" in "formfit/usage":
            "Trusted keys cannot be read",
            "A trusted key file cannot be read or is not a minisign public key.",
            "Give minisign public key files with `{trusted-key}`.";
        Identities = "formfit/usage/identities" in "formfit/usage":
            "Identities cannot be read",
            "An age identity file cannot be read or holds no identity.",
            "Give age identity files with `{identity}`.";
        MarkedOutput = "formfit/usage/marked-output" in "formfit/usage":
            "Marked report refused in a third-party format",
            "The report (or matrix, catalog, profile) carries a marking above `NATO UNCLASSIFIED`, and SARIF, GitHub and GitLab output go to third-party services, ReqIF and OSCAL documents into third-party tools.",
            "Use human, JSON or JUnit output (a matrix: Markdown, CSV, XLSX, HTML or JSON), or pass `{allow-marked-output}` if the service or tool is cleared for it.";
        Refused = "formfit/usage/refused" in "formfit/usage":
            "Standard or rule withheld from the holder",
            "The pack asked for is marked above what the holder may hold, so it is not shown.",
            "State what you hold with `{max-classification}` and `{holder-group}`, where you are allowed to.";
        BinaryToTerminal = "formfit/usage/binary-to-terminal" in "formfit/usage":
            "Binary output asked for on a terminal",
            "An XLSX workbook is not written to a terminal.",
            "Name the file with `{output}`.";
        Sources = "formfit/usage/sources" in "formfit/usage":
            "The products named cannot be found as named",
            "A glob matches no file or is not a glob, a folder holds no product-format file, or standard input's format is given without `-` among the products.",
            "Fix the pattern or the folder the message names.";
        Stdin = "formfit/usage/stdin" in "formfit/usage":
            "Standard input read without its format",
            "A product read from standard input (`-`) has no file name to tell its format by.",
            "Give the format with `{input-format}`.";
        Shard = "formfit/usage/shard" in "formfit/usage":
            "A shard that cannot be cut",
            "The run is cut into shards, but its input is standard input or a stream that is not a regular file, which no other shard could see.",
            "Write the stream to a file and shard that, or run without `{shard}`.";
        Ndjson = "formfit/usage/ndjson" in "formfit/usage":
            "An NDJSON stream beside other products",
            "A run reads its products either from an NDJSON stream or from files, not both; or the stream cannot be read.",
            "Name the stream alone with `{ndjson}`, or the product files alone.";
        NoProductFound = "formfit/usage/no-product-found" in "formfit/usage":
            "No product description among the files found",
            "The folders walked hold files, but none has a top-level `product` table: nothing would be checked.",
            "Check the spelling of the `product` table, or name the right folder.";
        CommandLine = "formfit/usage/command-line" in "formfit/usage":
            "Command line cannot be read",
            "An option or argument is unknown, misspelt, missing its value or given one it does not take, so nothing was checked.",
            "Follow the message on standard error; `{check-options}` lists the options.";
        EvidenceFile = "formfit/usage/evidence-file" in "formfit/usage":
            "Evidence file cannot be read",
            "The evidence file of a compliance matrix cannot be read.",
            "Check the path.";
        TestsFolder = "formfit/usage/tests-folder" in "formfit/usage":
            "Tests folder cannot be read",
            "The folder of pack test cases that `rules test` was given cannot be read.",
            "Check the path.";
        EvidenceOfSeveral = "formfit/usage/evidence-of-several" in "formfit/usage":
            "Evidence file for several products",
            "An evidence file names test reports by rule id, not by product: applied to the matrices of several products it would credit one product's report to the others.",
            "Build the matrix of each product with its own evidence file.";
    }
}

/// The rules that group several codes, documented as a whole (the SARIF rule descriptor).
const RULES: &[Doc] = &[
    Doc {
        id: "input/encoding",
        rule: "input/encoding",
        short: "Product file is not UTF-8",
        full: "The product file is not UTF-8 text (UTF-16, or invalid bytes), so it cannot be read.",
        fix: "Save the file as UTF-8 (without a byte-order mark is best).",
    },
    Doc {
        id: "input/io",
        rule: "input/io",
        short: "Product file cannot be read",
        full: "The named product file could not be read, or its format cannot be told from its name.",
        fix: "Check the path, and name a regular file ending in `.toml`, `.json`, `.yaml` or `.yml`.",
    },
    Doc {
        id: "input/limit",
        rule: "input/limit",
        short: "Product file exceeds an input limit",
        full: "The product file, or a value in it, is over one of formfit's input limits (file size, nesting depth, array, table or string length, number length).",
        fix: "Split or shorten the description so it stays within the limits listed in the README.",
    },
    Doc {
        id: "input/number",
        rule: "input/number",
        short: "Number out of range",
        full: "A number in the product file does not fit: integers must fit in 64 bits and decimals in a double.",
        fix: "Write the value with a unit prefix (`2.4 GHz`, not `2400000000 Hz`) or as a quantity string.",
    },
    Doc {
        id: "input/syntax",
        rule: "input/syntax",
        short: "Product file is not valid TOML, JSON or YAML",
        full: "The product file cannot be parsed: a syntax error, a duplicate key, a raw control character, an empty file or an unsupported YAML feature.",
        fix: "Fix the syntax at the location shown; the message says what the parser expected.",
    },
    Doc {
        id: "input/unit",
        rule: "input/unit",
        short: "Quantity with a wrong or missing unit",
        full: "A quantity has no unit, an unknown unit, a unit of the wrong dimension, or a range whose minimum is above its maximum.",
        fix: "Write the quantity with a unit of the expected dimension, e.g. `225-400 MHz` or `28 V`.",
    },
    Doc {
        id: "formfit/usage",
        rule: "formfit/usage",
        short: "formfit could not do what was asked",
        full: "The command line or configuration asks for something formfit cannot do (exit 3).",
        fix: "Follow the help the message gives; `{check-options}` lists the options.",
    },
    Doc {
        id: "config/pin",
        rule: "config/pin",
        short: "Configuration: a pin does not hold",
        full: "A standard pinned in `formfit.toml` is not loaded, or its loaded pack has another edition or digest than the pin.",
        fix: "Load the pinned pack, or review the change and update the pin.",
    },
];

area! {
    /// What formfit notes about a run and its products' claims.
    RunCode => Run {
        Internal = "formfit/internal" in "formfit/internal":
            "A product could not be checked: a fault in formfit",
            "formfit failed while checking one product; the other products were checked and reported.",
            "Report it with the product that caused it; the message on standard error says where it failed.";
        NotAProduct = "formfit/not-a-product" in "formfit/not-a-product":
            "File skipped: not a product description",
            "A file found by walking a folder has no top-level `product` table, so it was skipped and counted rather than checked: a misspelt `[prodcut]` shows here instead of passing silently.",
            "If the file is a product description, spell its `product` table as the product schema has it; otherwise keep it out of the products' folders.";
        Unwalked = "formfit/unwalked" in "formfit/unwalked":
            "Part of a folder could not be walked",
            "A folder named on the command line could not be walked in full (an unreadable folder, a broken ignore file): products in that part were not checked.",
            "Fix the permissions or the ignore file, or name the products another way.";
        DuplicateProductId = "formfit/duplicate-product-id" in "formfit/duplicate-product-id":
            "Two product files share one product id",
            "Two product files in one run declare the same `product.id`, so reports and deviations cannot tell them apart.",
            "Give each product description its own `product.id`.";
        EditionMismatch = "formfit/edition-mismatch" in "formfit/edition-mismatch":
            "Claimed edition differs from the pack's",
            "The product claims an edition of a standard other than the one formfit's pack encodes: the findings may not hold for the claimed edition.",
            "Claim the edition the pack encodes, or add a pack for the claimed edition with `{rules-dir}`.";
        MisspeltStandard = "formfit/misspelt-standard" in "formfit/misspelt-standard":
            "Claimed standard is a misspelling of a known one",
            "A standard in `conforms_to` is one slip away from a designation formfit knows: the claim is most likely a typo and was not checked.",
            "Write the designation as the message suggests (see `formfit rules` for the known ones).";
        NoStandard = "formfit/no-standard" in "formfit/no-standard":
            "Product checked against no standard",
            "The product claims no standard and none was chosen with `{standard}`, `{profile}` or `{all-applicable}`: nothing was checked.",
            "Add `conforms_to` to the product, or choose standards on the command line.";
        NotAStandard = "formfit/not-a-standard" in "formfit/not-a-standard":
            "Claim is not a standard a product conforms to",
            "The claimed designation names something a product cannot conform to (an agreement or a catalogue rather than a requirement).",
            "Claim the standard that holds the requirements; the message says which.";
        UnknownProfile = "formfit/unknown-profile" in "formfit/unknown-profile":
            "Unknown profile",
            "The profile asked for is neither built in nor in a rules directory.",
            "Use one of the known profiles the message lists, or add the profile with `{rules-dir}`.";
        UnknownRule = "formfit/unknown-rule" in "formfit/unknown-rule":
            "Unknown rule",
            "A rule id asked for is in no loaded pack.",
            "Use a rule id listed by `formfit rules`; the message suggests the closest one.";
        UnknownStandard = "formfit/unknown-standard" in "formfit/unknown-standard":
            "Claim not checked: no pack for the standard",
            "A standard the product claims, or one asked for, has no rule pack, so the claim is not checked. The default gate passes it; `{fail-on} shall,not-checked` fails it.",
            "Add a pack for the standard with `{rules-dir}`, or see `formfit rules` for the known standards.";
        WithheldStandard = "formfit/withheld-standard" in "formfit/withheld-standard":
            "Claim not checked: its pack was withheld",
            "The product claims a standard whose pack was withheld (marking, trust or encryption), so the claim was not checked.",
            "Make the pack available to the run (clearance, trusted signature or identity), or do not claim the standard.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hint::Setting;

    fn every_doc() -> impl Iterator<Item = &'static Doc> {
        Code::all().map(Code::doc).chain(RULES.iter())
    }

    #[test]
    fn every_code_has_its_own_name_and_documentation() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::all() {
            let doc = code.doc();
            assert!(seen.insert(doc.id), "{} is named twice", doc.id);
            assert_eq!(Code::named(doc.id), Some(code));
            for (part, text) in [("short", doc.short), ("full", doc.full), ("fix", doc.fix)] {
                assert!(!text.trim().is_empty(), "{}: no {part}", doc.id);
            }
        }
        assert!(seen.len() > 60, "only {} codes", seen.len());
    }

    /// The rule stays what JSON `rule` and SARIF `ruleId` carried; the code only refines it.
    #[test]
    fn every_code_refines_a_documented_rule() {
        for code in Code::all() {
            let (id, rule) = (code.id(), code.rule());
            assert!(
                id == rule || id.starts_with(&format!("{rule}/")),
                "{id} is not a code of {rule}"
            );
            let described = describe(rule).unwrap_or_else(|| panic!("{rule} is undocumented"));
            assert_eq!(described.id, rule);
        }
        for doc in RULES {
            assert!(
                Code::all().filter(|c| c.rule() == doc.id).count() > 1,
                "{} groups fewer than two codes: document it by its code",
                doc.id
            );
        }
    }

    #[test]
    fn every_placeholder_in_the_docs_names_a_setting() {
        for doc in every_doc() {
            for text in [doc.short, doc.full, doc.fix] {
                for (open, _) in text.match_indices('{') {
                    let key = text[open + 1..].split('}').next().unwrap_or_default();
                    // A TOML inline table in an example is not a placeholder.
                    if key.contains('=') {
                        continue;
                    }
                    assert!(
                        Setting::ALL.iter().any(|s| s.key() == key),
                        "{}: `{{{key}}}` names no setting",
                        doc.id
                    );
                }
            }
        }
    }

    #[test]
    fn the_old_limit_rule_is_told_apart_by_its_codes() {
        let limits: Vec<&str> = Code::all()
            .filter(|c| c.rule() == "input/limit")
            .map(Code::id)
            .collect();
        assert!(limits.contains(&"input/limit/depth"), "{limits:?}");
        assert!(limits.len() >= 6, "{limits:?}");
        assert_eq!(describe("input/limit").map(|d| d.id), Some("input/limit"));
        assert_eq!(
            describe("INPUT/LIMIT/DEPTH").map(|d| d.id),
            Some("input/limit/depth")
        );
    }
}
