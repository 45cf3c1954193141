//! Static SARIF rule descriptors for formfit's own codes (`input/…`, `formfit/…`,
//! `deviation/…`, `pack/…`): what a code-scanning alert of that code is titled, what it means
//! and how to fix it. A finding's own message is the alert's text; the descriptor is the same
//! for every alert of the code, so GitHub does not title every `input/schema` alert after the
//! first one it saw. The test below keeps every code written in `src/` described here.

/// One of formfit's own codes, as a SARIF `reportingDescriptor` describes it.
pub struct Code {
    pub id: &'static str,
    /// One line: the alert's title.
    pub short: &'static str,
    /// What the code means and why it matters.
    pub full: &'static str,
    /// How to fix it (Markdown; GitHub shows it under the alert).
    pub fix: &'static str,
}

/// The descriptor of one of formfit's own codes.
pub fn describe(id: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.id == id)
}

macro_rules! codes {
    ($($id:literal => $short:literal, $full:literal, $fix:literal;)*) => {
        pub const CODES: &[Code] = &[$(Code { id: $id, short: $short, full: $full, fix: $fix }),*];
    };
}

codes! {
    "input/encoding" => "Product file is not UTF-8",
        "The product file is not UTF-8 text (UTF-16, or invalid bytes), so it cannot be read.",
        "Save the file as UTF-8 (without a byte-order mark is best).";
    "input/io" => "Product file cannot be read",
        "The named product file could not be read, or its format cannot be told from its name.",
        "Check the path, and name a regular file ending in `.toml`, `.json`, `.yaml` or `.yml`.";
    "input/limit" => "Product file exceeds an input limit",
        "The product file, or a value in it, is over one of formfit's input limits (file size, nesting depth, array, table or string length, number length).",
        "Split or shorten the description so it stays within the limits listed in the README.";
    "input/number" => "Number out of range",
        "A number in the product file does not fit: integers must fit in 64 bits and decimals in a double.",
        "Write the value with a unit prefix (`2.4 GHz`, not `2400000000 Hz`) or as a quantity string.";
    "input/schema" => "Product file does not match the product schema",
        "A key is missing, unknown or of the wrong shape for the product schema (`schemas/product.schema.json`), so the product cannot be checked.",
        "Fix the key the message names; the product schema lists every key and its type.";
    "input/syntax" => "Product file is not valid TOML, JSON or YAML",
        "The product file cannot be parsed: a syntax error, a duplicate key, a raw control character, an empty file or an unsupported YAML feature.",
        "Fix the syntax at the location shown; the message says what the parser expected.";
    "input/unit" => "Quantity with a wrong or missing unit",
        "A quantity has no unit, an unknown unit, a unit of the wrong dimension, or a range whose minimum is above its maximum.",
        "Write the quantity with a unit of the expected dimension, e.g. `225-400 MHz` or `28 V`.";
    "formfit/duplicate-product-id" => "Two product files share one product id",
        "Two product files in one run declare the same `product.id`, so reports and deviations cannot tell them apart.",
        "Give each product description its own `product.id`.";
    "formfit/edition-mismatch" => "Claimed edition differs from the pack's",
        "The product claims an edition of a standard other than the one formfit's pack encodes: the findings may not hold for the claimed edition.",
        "Claim the edition the pack encodes, or add a pack for the claimed edition with `--rules DIR`.";
    "formfit/internal" => "A product could not be checked: a fault in formfit",
        "formfit failed while checking one product; the other products were checked and reported.",
        "Report it with the product that caused it; the message on standard error says where it failed.";
    "formfit/misspelt-standard" => "Claimed standard is a misspelling of a known one",
        "A standard in `conforms_to` is one slip away from a designation formfit knows: the claim is most likely a typo and was not checked.",
        "Write the designation as the message suggests (see `formfit rules` for the known ones).";
    "formfit/no-standard" => "Product checked against no standard",
        "The product claims no standard and none was chosen with `--standard`, `--profile` or `--all-applicable`: nothing was checked.",
        "Add `conforms_to` to the product, or choose standards on the command line.";
    "formfit/not-a-product" => "File skipped: not a product description",
        "A file found by walking a folder has no top-level `product` table, so it was skipped and counted rather than checked: a misspelt `[prodcut]` shows here instead of passing silently.",
        "If the file is a product description, spell its `product` table as the product schema has it; otherwise keep it out of the products' folders.";
    "formfit/not-a-standard" => "Claim is not a standard a product conforms to",
        "The claimed designation names something a product cannot conform to (an agreement or a catalogue rather than a requirement).",
        "Claim the standard that holds the requirements; the message says which.";
    "formfit/pack-replaced" => "Built-in pack replaced",
        "A pack given with `--rules` replaces the built-in pack of the same standard: findings follow the replacement.",
        "Nothing to fix if that was intended; otherwise remove the replacement pack from the rules directory.";
    "formfit/profile-replaced" => "Built-in profile replaced",
        "A profile given with `--rules` replaces the built-in profile of the same name.",
        "Nothing to fix if that was intended; otherwise rename or remove the replacement profile.";
    "formfit/signatures-not-required" => "Trusted keys given but signatures not required",
        "Trusted keys were configured but unsigned packs are still accepted, so no signature protects the run.",
        "Add `--require-signed` (or `require-signed = true` in `formfit.toml`).";
    "formfit/unknown-profile" => "Unknown profile",
        "The profile asked for is neither built in nor in a rules directory.",
        "Use one of the known profiles the message lists, or add the profile with `--rules DIR`.";
    "formfit/unknown-rule" => "Unknown rule",
        "A rule id asked for is in no loaded pack.",
        "Use a rule id listed by `formfit rules`; the message suggests the closest one.";
    "formfit/unknown-standard" => "Claim not checked: no pack for the standard",
        "A standard the product claims, or one asked for, has no rule pack, so the claim is not checked. The default gate passes it; `--fail-on shall,not-checked` fails it.",
        "Add a pack for the standard with `--rules DIR`, or see `formfit rules` for the known standards.";
    "formfit/untrusted-pack" => "Pack refused: not signed by a trusted key",
        "Signatures are required and the pack is unsigned, or signed by a key that is not trusted.",
        "Sign the pack with a trusted key (`formfit sign`), or trust its signer's key with `--trusted-key`.";
    "formfit/unwalked" => "Part of a folder could not be walked",
        "A folder named on the command line could not be walked in full (an unreadable folder, a broken ignore file): products in that part were not checked.",
        "Fix the permissions or the ignore file, or name the products another way.";
    "formfit/usage" => "formfit could not do what was asked",
        "The command line or configuration asks for something formfit cannot do (exit 3).",
        "Follow the help the message gives; `formfit check --help` lists the options.";
    "formfit/withheld-pack" => "Pack withheld: marking above the permitted level",
        "The pack is marked above the run's `--max-classification`, so it was not loaded.",
        "Run with a `--max-classification` that clears the pack's marking, where you are allowed to.";
    "formfit/withheld-standard" => "Claim not checked: its pack was withheld",
        "The product claims a standard whose pack was withheld (marking, trust or encryption), so the claim was not checked.",
        "Make the pack available to the run (clearance, trusted signature or identity), or do not claim the standard.";
    "deviation/expired" => "Deviation expired",
        "An approved deviation is past its expiry date: it no longer waives anything.",
        "Renew the approval and its `expires` date, or fix the product and remove the deviation.";
    "deviation/schema" => "Deviations file does not match its schema",
        "A deviation entry is malformed: a missing or unknown key, an invalid product glob or path.",
        "Fix the entry the message names; `schemas/deviations.schema.json` lists every key.";
    "deviation/stale" => "Deviation waives nothing",
        "An approved deviation matched no finding: the product was fixed or the entry names the wrong rule, product, path or value.",
        "Remove the deviation, or correct what it names.";
    "pack/check" => "Rule pack: a check is invalid",
        "A rule's check is malformed for its kind (missing or wrong parameters).",
        "Fix the check as the message says; `formfit rules --kinds` documents each check kind.";
    "pack/condition" => "Rule pack: a `when` condition is invalid",
        "A rule's `when` condition cannot be parsed or names an unknown product path.",
        "Write the condition over product paths the product schema defines.";
    "pack/duplicate-designation" => "Rule packs: two packs for one standard",
        "Two packs loaded in one run declare the same designation.",
        "Keep one pack per standard in the rules directories.";
    "pack/duplicate-rule" => "Rule pack: a rule id is used twice",
        "Two rules of one pack share an id, so findings cannot be told apart.",
        "Give each rule its own id.";
    "pack/encrypted" => "Rule pack: cannot be decrypted",
        "The pack is encrypted and no given identity can decrypt it.",
        "Give the identity the pack was encrypted to with `--identity` (or `identities` in `formfit.toml`).";
    "pack/io" => "Rule pack: cannot be read",
        "A pack file or rules directory could not be read.",
        "Check the path and its permissions.";
    "pack/limit" => "Rule pack: exceeds an input limit",
        "A pack file is over formfit's size limit for packs.",
        "Split the pack.";
    "pack/no-check" => "Rule pack: a rule checks nothing",
        "A rule has no check, so it could never fail.",
        "Give the rule exactly one check.";
    "pack/path" => "Rule pack: a path is invalid",
        "A rule's `path` or `each` does not name a product path the product schema defines.",
        "Use a path of the product schema, e.g. `radio[].bands[]`.";
    "pack/schema" => "Rule pack does not match the pack schema",
        "A pack key is missing, unknown or of the wrong shape (`schemas/pack.schema.json`).",
        "Fix the key the message names.";
    "pack/symlink" => "Rule pack: symbolic link not followed",
        "A symbolic link in a rules directory is not followed, so what it points at is not loaded.",
        "Copy the pack into the rules directory instead of linking it.";
    "pack/two-checks" => "Rule pack: a rule has two checks",
        "A rule names more than one check kind; a rule checks one thing.",
        "Split it into one rule per check.";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `input/…`, `formfit/…`, `deviation/…` and `pack/…` code written in `src/` has a
    /// descriptor, so no code-scanning alert is titled after its first finding.
    #[test]
    fn every_code_in_the_sources_is_described() {
        let mut missing = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for prefix in ["\"input/", "\"formfit/", "\"deviation/", "\"pack/"] {
                    for (at, _) in text.match_indices(prefix) {
                        let rest = &text[at + 1..];
                        let end = rest
                            .find(|c: char| !(c.is_ascii_lowercase() || c == '/' || c == '-'))
                            .unwrap_or(rest.len());
                        let id = &rest[..end];
                        if rest[end..].starts_with('"')
                            && !id.ends_with('/')
                            && describe(id).is_none()
                        {
                            missing.push(format!("{id} ({})", path.display()));
                        }
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "codes without a descriptor: {missing:#?}"
        );
    }
}
