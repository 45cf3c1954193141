//! `formfit rules new`: the skeleton of a new pack and of its test cases, so an author starts
//! from a pack that loads and a case that runs, with every common check kind shown (commented
//! out) as a pack writes it. The one live rule only asks that a value be declared: a rule that
//! loads and is true of a real product, which the author replaces with the standard's first
//! requirement. No figure here is a fact of the new standard: the commented examples carry
//! figures from formfit's shipped packs and say so.

/// The file name a designation is written to: `STANAG 4172` → `stanag-4172`.
pub fn slug(designation: &str) -> String {
    let mut slug = String::new();
    for c in designation.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// The prefix of the pack's rule ids: `STANAG 4172` → `STANAG4172` (ids are `[A-Z0-9-]`).
pub fn id_prefix(designation: &str) -> String {
    let prefix: String = designation
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if prefix.is_empty() {
        "PACK".to_owned()
    } else {
        prefix
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The pack file.
pub fn pack(designation: &str) -> String {
    let prefix = id_prefix(designation);
    let designation = quoted(designation);
    PACK.replace("{designation}", &designation)
        .replace("{prefix}", &prefix)
}

/// The test case file for the pack, `tests/<slug>/cases.toml`.
pub fn cases(designation: &str) -> String {
    CASES
        .replace("{designation}", &quoted(designation))
        .replace("{prefix}", &id_prefix(designation))
}

const PACK: &str = r#"# A formfit rule pack: the format is rules/README.md of formfit, the structure
# schemas/pack.schema.json. Encode only facts you can cite from a public source (or one
# you hold the right to use), name the source, and say what the pack leaves out.
formfit_pack = 1

[standard]
designation = {designation}
aliases = []
title = "Write the standard's title"
edition = "Write the edition the figures come from"
source = "Write the source of every figure in this pack"
note = "Write that this pack is modelled on its source and is not an official rendering of the standard."
classification = "PUBLIC"

# When the standard applies; without this table it applies to every product.
# [applicability]
# any = [{ path = "power" }]
# otherwise = "the product declares no power input ([power])"

# The one live rule: it asks only that the product declare its nominal voltage. Replace it
# with the standard's first requirement.
[[rule]]
id = "{prefix}-1"
clause = "Write what the source says this rule rests on"
level = "shall"
path = "power.nominal_voltage"
message = "the product declares its nominal supply voltage"
required = true

# One rule of each common check kind, commented out. Their figures are examples taken from
# formfit's shipped packs, not facts of this standard: replace each with your source's.

# [[rule]]
# id = "{prefix}-EQUALS-1"
# clause = "…"
# level = "shall"
# path = "power.nominal_voltage"
# message = "the nominal voltage is 28 V"
# equals = "28 V"

# [[rule]]
# id = "{prefix}-ONE-OF-1"
# clause = "…"
# level = "shall"
# path = "ammunition[*].caliber"
# message = "the chambering is 5.56×45 mm NATO"
# one_of.accept = ["5.56×45 mm NATO", "5.56 NATO"]
# [[rule.one_of.lookalike]]
# value = ".223 Remington"
# why = ".223 Remington is a look-alike, not 5.56×45 mm NATO"

# [[rule]]
# id = "{prefix}-MIN-1"
# clause = "…"
# level = "shall"
# path = "power.surge_withstand.voltage"
# message = "the input withstands a 100 V surge"
# min = "100 V"

# [[rule]]
# id = "{prefix}-WITHIN-1"
# clause = "…"
# level = "shall"
# path = "radio[*].bands[*]"
# message = "every band lies within 225–400 MHz"
# within = "225-400 MHz"
# overlapping_only = true

# [[rule]]
# id = "{prefix}-COVERS-1"
# clause = "…"
# level = "shall"
# path = "power.input_voltage"
# message = "the input range covers 20–33 V"
# covers = "20-33 V"

# [[rule]]
# id = "{prefix}-AVOIDS-1"
# clause = "…"
# level = "shall"
# path = "radio[*].bands[*]"
# message = "no band reaches the IFF frequencies"
# avoids = ["1030 MHz", "1090 MHz"]

# [[rule]]
# id = "{prefix}-PATTERN-1"
# clause = "…"
# level = "should"
# path = "connector[*].name"
# message = "connectors are named J1, J2… or P1, P2…"
# pattern = "J[0-9]+|P[0-9]+"

# [[rule]]
# id = "{prefix}-COUNT-1"
# clause = "…"
# level = "shall"
# path = "connector[function=trailer]"
# message = "at most one trailer socket"
# count = { max = 1 }
"#;

const CASES: &str = r#"# Test cases of the pack: `formfit rules test` runs them when the pack's folder is a rules
# folder (format: rules/README.md, "Test cases"). Give every rule a case it breaks and one it
# lets pass; its coverage lists the branches (below, above, look-alike, absent…) no case takes.
standard = {designation}

[[case]]
name = "a product that declares its nominal voltage"
rule = "{prefix}-1"
product = '''
[power]
nominal_voltage = "28 V"
'''
passes = true

[[case]]
name = "a product that does not"
rule = "{prefix}-1"
product = '''
[power]
source = "vehicle"
'''
# A missing value is reported at the table it belongs in.
findings = [{ rule = "{prefix}-1", path = "power", level = "shall" }]
"#;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::pack::{Library, PackCompiler};

    #[test]
    fn a_designation_becomes_a_file_name_and_an_id_prefix() {
        assert_eq!(slug("STANAG 4172"), "stanag-4172");
        assert_eq!(slug("  MIL-STD-1275 (E) "), "mil-std-1275-e");
        assert_eq!(id_prefix("7.62x51 NATO"), "762X51NATO");
        assert_eq!(id_prefix("—"), "PACK");
    }

    /// The skeleton loads as a pack, its live rule is the only one, and its cases hold, for a
    /// designation with characters TOML must escape.
    #[test]
    fn the_skeleton_loads_and_its_cases_hold() {
        for designation in ["ACME STD 12", "Quote \"Q\" \\ 1"] {
            let text = pack(designation);
            let compiled = PackCompiler::new()
                .compile("new.toml", text.as_bytes(), false)
                .unwrap_or_else(|e| panic!("{:#?}\n{text}", e.problems));
            assert_eq!(compiled.meta.designation, designation);
            assert_eq!(compiled.rules.len(), 1);
            let library = Library::of([Arc::new(compiled)]);
            let outcome = crate::cases::run_file(&library, "cases.toml", &cases(designation));
            assert!(outcome.pack.is_some(), "{outcome:#?}");
            assert_eq!(outcome.cases.len(), 2);
            for case in outcome.cases {
                assert!(case.wrong.is_empty(), "{}: {:?}", case.name, case.wrong);
            }
        }
    }

    /// Each commented rule, uncommented, is a valid rule: the examples teach nothing wrong.
    #[test]
    fn every_commented_rule_compiles_when_uncommented() {
        let text = pack("ACME STD 12");
        let uncommented: String = text
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest)
                    if rest.starts_with("[[rule")
                        || rest.contains(" = ")
                            && !rest.starts_with("any")
                            && !rest.starts_with("otherwise") =>
                {
                    rest.replace("\"…\"", "\"example\"")
                }
                _ => line.to_owned(),
            })
            .map(|line| line + "\n")
            .collect();
        let compiled = PackCompiler::new()
            .compile("new.toml", uncommented.as_bytes(), false)
            .unwrap_or_else(|e| panic!("{:#?}\n{uncommented}", e.problems));
        assert_eq!(compiled.rules.len(), 9, "{uncommented}");
    }
}
