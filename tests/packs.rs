//! The shipped rule packs: every file under `rules/` is built in, loads without a problem,
//! and says it is modelled on public information.

use formfit::pack::{Library, PackCompiler, BUILTIN};

#[test]
fn every_pack_under_rules_is_built_in() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            let path = format!("rules/{name}");
            assert!(
                BUILTIN.iter().any(|(file, _)| *file == path),
                "{path} is not in pack::BUILTIN"
            );
        }
    }
}

#[test]
fn the_shipped_packs_compile_cleanly_and_carry_the_public_information_note() {
    let (library, errors) = Library::builtin(&PackCompiler::new());
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(library.packs().count(), BUILTIN.len());
    for pack in library.packs() {
        let note = pack.meta.note.to_lowercase();
        assert!(
            note.contains("public information") && note.contains("not an official rendering"),
            "{}",
            pack.file
        );
        assert_eq!(pack.meta.classification, "PUBLIC", "{}", pack.file);
    }
}

#[test]
fn rule_ids_are_unique_across_the_library() {
    let (library, _) = Library::builtin(&PackCompiler::new());
    let mut ids: Vec<_> = library
        .packs()
        .flat_map(|p| p.rules.iter().map(|r| r.id.clone()))
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total);
}

mod common;

/// One product with one name at `key` of `section`, checked against `standard`: its findings as
/// (rule, level, label).
fn findings_for(
    standard: &str,
    category: &str,
    section: &str,
    key: &str,
    value: &str,
) -> Vec<(String, String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let (header, extra) = match section {
        "mount" => ("[mount]", ""),
        "ammunition" => ("[[ammunition]]", "name = \"a\"\n"),
        "bus" => ("[[bus]]", "name = \"b\"\n"),
        "fuel" => ("[fuel]", ""),
        "slave-start" => (
            "[[connector]]",
            "name = \"J1\"\nfunction = \"slave-start\"\n",
        ),
        _ => ("[[connector]]", "name = \"J1\"\nfunction = \"trailer\"\n"),
    };
    let product = format!(
        "[product]\nid = \"T-1\"\nname = \"t\"\nmanufacturer = \"m\"\ncategory = \"{category}\"\n\n{header}\n{extra}{key} = \"{}\"\n",
        value.replace('\\', "\\\\").replace('"', "\\\"")
    );
    std::fs::write(dir.path().join("p.toml"), product).unwrap();
    let out = common::formfit_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--standard",
            standard,
            "p.toml",
        ],
    );
    let json = common::json(&out);
    json["products"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["level"].as_str().unwrap_or_default().to_owned(),
                f["label"].as_str().unwrap_or_default().to_owned(),
                f["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// standard, category, section, key, spellings, rule, level, label starts with.
type NameCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
);

/// Names are compared after one normalisation (case, spaces, `x`/`×`, `mm` after a number,
/// decimal comma): it must never merge a look-alike or an ambiguous name into an accepted one.
/// Each of these keeps exactly its own finding, whatever the spelling.
#[test]
fn normalising_names_keeps_every_lookalike_and_ambiguous_name_at_its_finding() {
    let cases: &[NameCase] = &[
        // standard, category, section, key, spellings, rule, level, label starts with
        (
            "STANAG 4172",
            "small-arm",
            "ammunition",
            "caliber",
            &[".223", ".223 Rem", "223 REMINGTON"],
            "STANAG4172-CAL-1",
            "shall",
            ".223 Remington is a look-alike",
        ),
        (
            "STANAG 4172",
            "small-arm",
            "ammunition",
            "caliber",
            &["5.56 mm", "5.56mm", "5,56"],
            "STANAG4172-CAL-1",
            "shall",
            "\"5.56 mm\" alone",
        ),
        (
            "STANAG 4172",
            "small-arm",
            "ammunition",
            "caliber",
            &["7.62×39 mm", "7.62x39mm"],
            "STANAG4172-CAL-1",
            "shall",
            "`7.62",
        ),
        (
            "7.62x51 NATO",
            "small-arm",
            "ammunition",
            "caliber",
            &[".308", ".308 Win", "308 winchester"],
            "NATO762-CAL-1",
            "shall",
            ".308 Winchester is a look-alike",
        ),
        (
            "7.62x51 NATO",
            "small-arm",
            "ammunition",
            "caliber",
            &["7.62×39 mm", "7.62 x 39 mm"],
            "NATO762-CAL-1",
            "shall",
            "`7.62",
        ),
        (
            "STANAG 4090",
            "small-arm",
            "ammunition",
            "caliber",
            &["9×18", "9x18 mm", "9 mm Makarov"],
            "STANAG4090-CAL-1",
            "shall",
            "9×18 mm Makarov is a look-alike",
        ),
        (
            "STANAG 4090",
            "small-arm",
            "ammunition",
            "caliber",
            &["9mm", "9 mm", "9 MM"],
            "STANAG4090-CAL-1",
            "shall",
            "\"9 mm\" alone",
        ),
        (
            "120x570 NATO",
            "artillery",
            "ammunition",
            "caliber",
            &["120 mm rifled", "rifled 120mm", "120 mm L30"],
            "NATO120-CAL-1",
            "shall",
            "rifled 120 mm",
        ),
        (
            "120x570 NATO",
            "artillery",
            "ammunition",
            "caliber",
            &["120 mm", "120mm"],
            "NATO120-CAL-1",
            "shall",
            "\"120 mm\" alone",
        ),
        (
            "155 mm JBMoU",
            "artillery",
            "ammunition",
            "caliber",
            &["152 mm", "152mm"],
            "JBMOU155-CAL-1",
            "shall",
            "152 mm is a look-alike",
        ),
        (
            "STANAG 4172",
            "small-arm",
            "ammunition",
            "caliber",
            &[".223 Wylde", "223 wylde"],
            "STANAG4172-CAL-1",
            "should",
            ".223 Wylde is a hybrid chamber",
        ),
        (
            "STANAG 4090",
            "small-arm",
            "ammunition",
            "caliber",
            &["9×21 IMI", "9x21mm", "9 x 21"],
            "STANAG4090-CAL-1",
            "shall",
            "9×21 mm IMI is a look-alike",
        ),
        (
            "STANAG 4090",
            "small-arm",
            "ammunition",
            "caliber",
            &["9×18 Ultra", "9x18 mm Police"],
            "STANAG4090-CAL-1",
            "shall",
            "9×18 mm Ultra (Police) is a look-alike",
        ),
        (
            "155 mm JBMoU",
            "artillery",
            "ammunition",
            "caliber",
            &["155 mm", "155mm", "155 MM"],
            "JBMOU155-CAL-1",
            "shall",
            "\"155 mm\" names the bore",
        ),
        (
            "155 mm JBMoU",
            "artillery",
            "ammunition",
            "caliber",
            &["155 mm L45", "155mm/45"],
            "JBMOU155-CAL-1",
            "shall",
            "155 mm L45 is a 155 mm gun",
        ),
        (
            "STANAG 4694",
            "small-arm",
            "mount",
            "rail",
            &["Weaver", "Weaver rail", "weaver-style rail"],
            "STANAG4694-WPN-1",
            "shall",
            "a Weaver rail is a look-alike",
        ),
        (
            "STANAG 4007",
            "vehicle",
            "connector",
            "type",
            &["ISO 12098", "ISO 12098 15-pole"],
            "STANAG4007-CONN-1",
            "shall",
            "ISO 12098 is a look-alike",
        ),
        (
            "12.7x99 NATO",
            "small-arm",
            "ammunition",
            "caliber",
            &["12.7 mm", "12.7mm", "12,7 mm", "12.7"],
            "NATO127-CAL-1",
            "shall",
            "\"12.7 mm\" alone",
        ),
        (
            "12.7x99 NATO",
            "small-arm",
            "ammunition",
            "caliber",
            &[
                ".50 cal",
                ".50 CAL",
                "50 cal",
                ".50",
                "cal .50",
                ".50 caliber",
            ],
            "NATO127-CAL-1",
            "shall",
            "\".50 cal\" names a bore size",
        ),
        (
            "12.7x99 NATO",
            "small-arm",
            "ammunition",
            "caliber",
            &["12.7×108 mm", "12.7x108mm", "12,7 x 108"],
            "NATO127-CAL-1",
            "shall",
            "12.7×108 mm is a look-alike",
        ),
        (
            "25x137 NATO",
            "artillery",
            "ammunition",
            "caliber",
            &["25 mm", "25mm", "25 MM cannon"],
            "NATO25-CAL-1",
            "shall",
            "\"25 mm\" alone",
        ),
        (
            "30x173 mm",
            "artillery",
            "ammunition",
            "caliber",
            &["30 mm", "30mm", "30 mm cannon"],
            "30X173-CAL-1",
            "shall",
            "\"30 mm\" alone",
        ),
        (
            "30x173 mm",
            "artillery",
            "ammunition",
            "caliber",
            &["30×113 mm B", "30x113B", "30 x 113 mm"],
            "30X173-CAL-1",
            "shall",
            "30×113 mm B is a look-alike",
        ),
        (
            "30x173 mm",
            "artillery",
            "ammunition",
            "caliber",
            &["30×165 mm", "30x165mm", "30×170 mm", "30 x 170"],
            "30X173-CAL-1",
            "shall",
            "30×1",
        ),
        (
            "30x113 B",
            "artillery",
            "ammunition",
            "caliber",
            &["30 mm", "30mm"],
            "30X113B-CAL-1",
            "shall",
            "\"30 mm\" alone",
        ),
        (
            "30x113 B",
            "artillery",
            "ammunition",
            "caliber",
            &["30×173 mm", "30x173mm", "30 x 173"],
            "30X113B-CAL-1",
            "shall",
            "30×173 mm is a look-alike",
        ),
        (
            "40x46 LV",
            "ammunition",
            "ammunition",
            "caliber",
            &["40×53 mm", "40x53mm HV", "40 mm high velocity"],
            "40X46-CAL-1",
            "shall",
            "40×53 mm is a look-alike",
        ),
        (
            "40x53 HV",
            "ammunition",
            "ammunition",
            "caliber",
            &["40×46 mm", "40x46mm LV", "40 mm low velocity", "M203"],
            "40X53-CAL-1",
            "shall",
            "40×46 mm is a look-alike",
        ),
        (
            "40x53 HV",
            "ammunition",
            "ammunition",
            "caliber",
            &["40 mm", "40mm", "40 mm grenade"],
            "40X53-CAL-1",
            "shall",
            "\"40 mm\" alone",
        ),
        (
            "NATO Slave-Start Receptacle",
            "vehicle",
            "slave-start",
            "type",
            &[
                "two-prong slave receptacle",
                "2-prong receptacle",
                "Two Prong Slave Receptacle",
            ],
            "SLAVE-CONN-1",
            "shall",
            "an older two-prong slave receptacle is a look-alike",
        ),
        (
            "NATO Slave-Start Receptacle",
            "vehicle",
            "slave-start",
            "type",
            &["jump-start socket", "Jump Start Clamps"],
            "SLAVE-CONN-1",
            "shall",
            "a commercial jump-start socket or clamp is a look-alike",
        ),
        (
            "NATO Slave-Start Receptacle",
            "vehicle",
            "slave-start",
            "type",
            &["slave receptacle", "slave-start receptacle", "Slave Socket"],
            "SLAVE-CONN-1",
            "shall",
            "\"slave receptacle\" alone",
        ),
        (
            "NATO Single Fuel Concept",
            "vehicle",
            "fuel",
            "grades",
            &["F-35", "F35", "Jet A-1", "JET A1", "jet-a-1"],
            "SFC-FUEL-1",
            "shall",
            "F-35 (Jet A-1) is a look-alike",
        ),
        (
            "NATO Single Fuel Concept",
            "vehicle",
            "fuel",
            "grades",
            &["F-54", "F54", "diesel", "Diesel"],
            "SFC-FUEL-1",
            "shall",
            "F-54 is diesel",
        ),
    ];
    let mut wrong = Vec::new();
    for (standard, category, section, key, spellings, rule, level, label) in cases {
        for spelling in *spellings {
            let got = findings_for(standard, category, section, key, spelling);
            let ok = got.len() == 1
                && got[0].0 == *rule
                && got[0].1 == *level
                && got[0].2.starts_with(label);
            if !ok {
                wrong.push(format!("{standard} `{spelling}`: {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every accepted spelling of every shipped name rule passes however it is written — upper
/// case, `x` for `×`, `mm` with or without its space — so a correct product is never
/// non-conformant for its spelling, and no did-you-mean offers back the name that was written.
#[test]
fn every_accepted_name_passes_in_the_spellings_people_write() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut wrong = Vec::new();
    let mut tried = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let pack: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let designation = pack["standard"]["designation"].as_str().unwrap();
        for rule in pack
            .get("rule")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            let Some(accept) = rule.get("one_of").and_then(|o| o.get("accept")) else {
                continue;
            };
            let (section, key) = match rule["path"].as_str().unwrap() {
                "ammunition[*].caliber" => ("ammunition", "caliber"),
                "mount.rail" => ("mount", "rail"),
                "connector[function=trailer].type" => ("connector", "type"),
                "connector[function=slave-start].type" => ("slave-start", "type"),
                "bus[*].type" => ("bus", "type"),
                "fuel.grades[*]" => ("fuel", "grades"),
                _ => continue, // quantities (nominal voltages) are compared by value
            };
            let category = rule
                .get("when")
                .and_then(|w| w.as_array())
                .into_iter()
                .flatten()
                .find(|c| c["path"].as_str() == Some("product.category"))
                .map_or("other", |c| c["in"][0].as_str().unwrap());
            let id = rule["id"].as_str().unwrap();
            for term in accept.as_array().unwrap() {
                let term = term.as_str().unwrap();
                let variants = [
                    term.to_owned(),
                    term.to_uppercase().replace("×", "x"),
                    term.replace('×', " x "),
                    term.replace(" mm", "mm"),
                    term.replace("mm", " mm"),
                ];
                for spelling in variants {
                    tried += 1;
                    let mine: Vec<_> = findings_for(designation, category, section, key, &spelling)
                        .into_iter()
                        .filter(|f| f.0 == id)
                        .collect();
                    if !mine.is_empty() {
                        wrong.push(format!("{designation} {id} `{spelling}`: {mine:?}"));
                    }
                }
            }
        }
    }
    assert!(tried > 100, "only {tried} spellings tried");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// 235 MPa is the C.I.P. limit of the civil 9mm Luger, not a STANAG 4090 figure
/// (standards-facts.md, 2026-12-01): no rule of the pack may state it as the agreement's.
#[test]
fn stanag_4090_does_not_attribute_the_civil_cip_limit_to_the_agreement() {
    let (library, _) = Library::builtin(&PackCompiler::new());
    let pack = library
        .packs()
        .find(|p| p.meta.designation == "STANAG 4090")
        .unwrap();
    for rule in &pack.rules {
        for text in [
            Some(&rule.message),
            rule.help.as_ref(),
            rule.rationale.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(!text.contains("235"), "{}: {text}", rule.id);
        }
    }
    assert!(
        !pack.meta.source.contains("235 MPa C.I.P.;"),
        "{}",
        pack.meta.source
    );
}

/// Built-in packs skip the pack schema at run time (`PackCompiler::compile` with `builtin`), so
/// this test is what holds every one of them to it: each compiles as a user pack would, schema
/// first.
#[test]
fn every_builtin_pack_passes_the_pack_schema_as_a_user_pack_would() {
    let compiler = PackCompiler::new();
    for (file, text) in BUILTIN {
        if let Err(e) = compiler.compile(file, text.as_bytes(), false) {
            panic!("{file} fails as a user pack: {:#?}", e.problems);
        }
    }
}
