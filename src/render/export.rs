//! `formfit rules export --format oscal`: a rule pack as an NIST OSCAL 1.1 catalog, and a
//! profile as an OSCAL profile that imports those catalogs, so that an assessor's tools hold
//! the requirements the assessment results (`render::matrix::oscal`) are findings against.
//!
//! | pack | catalog |
//! |---|---|
//! | the standard (designation, title, edition, source, note, classification) | `metadata` (`version` = edition, `remarks` = note and source) and one top-level group |
//! | its applicability | the group's `applicability` part |
//! | a clause | a group inside the standard's, in the order the pack first cites it |
//! | a rule | a control: `id` = rule id, `statement` = the rule's text, props `rule`, `clause`, `level`, `standard`, `marking` |
//! | its rationale, help, evidence | parts `guidance`, `help`, `evidence` |
//! | what it checks | a `check` part (the path, the check, when it applies) |
//! | a limit of its check (a minimum, a maximum, a range's ends) | a parameter with its value, inserted in the `check` part |
//!
//! Names, pass-lists, patterns and switches are how a rule decides, not values an organisation
//! sets: they stay in the `check` part's text, never parameters.
//!
//! A profile imports one catalog per standard (`href` as the caller names the catalog file),
//! `include-all` or the selected rules' controls, and adds each control's obligation
//! (`mandatory`, `recommended`, `optional`) as a property through `modify`.
//!
//! UUIDs are version-5 UUIDs of stable names (the designation and edition; the profile's
//! name) and `last-modified` is the run's date (`--today` / `SOURCE_DATE_EPOCH`), so one run
//! writes the same bytes.

use serde_json::{json, Map, Value};

use crate::check::terms::Form;
use crate::pack::profile::Resolved;
use crate::pack::{Pack, Rule};
use crate::render::catalogue::what_it_checks;
use crate::render::oscal::{document, line, props, stamp, token, uuid, NS, OSCAL_VERSION};

/// The pack as an OSCAL catalog (JSON), dated `date` (`YYYY-MM-DD`).
pub fn catalog(pack: &Pack, date: &str) -> String {
    let m = &pack.meta;
    let version = env!("CARGO_PKG_VERSION");
    let mut metadata_props = vec![
        ("marking", m.classification.as_str()),
        ("designation", m.designation.as_str()),
    ];
    metadata_props.extend(m.aliases.iter().map(|a| ("alias", a.as_str())));
    metadata_props.extend(m.status.iter().map(|s| ("status", s.as_str())));
    metadata_props.extend(
        m.releasable_to
            .iter()
            .map(|g| ("releasable-to", g.as_str())),
    );
    let digest = pack.digest();
    metadata_props.extend([
        ("pack-file", pack.file.as_str()),
        ("pack-sha256", digest.as_str()),
        ("formfit-version", version),
    ]);
    // `.` is in no rule id, so no group id is a control's.
    let group_id = format!("standard.{}", token(&m.designation));
    let mut standard = Map::new();
    standard.insert("id".into(), json!(group_id));
    standard.insert("class".into(), json!("standard"));
    standard.insert(
        "title".into(),
        json!(line(&format!("{} — {}", m.designation, m.title))),
    );
    standard.insert(
        "props".into(),
        props(&[
            ("designation", &m.designation),
            ("edition", &m.edition),
            ("marking", &m.classification),
        ]),
    );
    standard.insert(
        "parts".into(),
        json!([{
            "id": format!("{group_id}_app"),
            "name": "applicability",
            "ns": NS,
            "prose": applicability(pack),
        }]),
    );
    standard.insert("groups".into(), Value::Array(clauses(pack, &group_id)));
    let value = json!({
        "catalog": {
            "uuid": uuid(&m.designation, &m.edition, "catalog"),
            "metadata": {
                "title": line(&format!("{}: {} — {}", m.classification, m.designation, m.title)),
                "last-modified": stamp(date),
                "version": m.edition,
                "oscal-version": OSCAL_VERSION,
                "props": props(&metadata_props),
                "remarks": format!(
                    "{}\n\nSource: {}\n\nWritten by formfit {version} from {} ({digest}). Marking: {}.",
                    m.note, m.source, pack.file, m.classification
                ),
            },
            "groups": [Value::Object(standard)],
        }
    });
    document(&value)
}

/// When the standard concerns a product, in words.
fn applicability(pack: &Pack) -> String {
    let conditions: Vec<String> = pack.applicability.iter().map(|c| c.describe()).collect();
    let mut prose = if conditions.is_empty() {
        "Applies to every product that claims the standard.".to_owned()
    } else {
        format!("Applies when {}.", conditions.join(" or "))
    };
    if let Some(otherwise) = &pack.otherwise {
        prose.push_str(&format!(" Otherwise not applicable: {otherwise}."));
    }
    prose
}

/// A group per clause, in the order the pack first cites each, with its rules' controls.
fn clauses(pack: &Pack, standard: &str) -> Vec<Value> {
    let mut order: Vec<&str> = Vec::new();
    for rule in &pack.rules {
        if !order.contains(&rule.clause.as_str()) {
            order.push(&rule.clause);
        }
    }
    order
        .iter()
        .enumerate()
        .map(|(i, clause)| {
            let controls: Vec<Value> = pack
                .rules
                .iter()
                .filter(|r| r.clause == *clause)
                .map(|r| control(pack, r))
                .collect();
            json!({
                "id": format!("{standard}.clause-{}", i + 1),
                "class": "clause",
                "title": line(clause),
                "props": props(&[("clause", clause)]),
                "controls": controls,
            })
        })
        .collect()
}

fn control(pack: &Pack, rule: &Rule) -> Value {
    let id = token(&rule.id);
    let limits: Vec<(String, String, String)> = rule
        .check
        .iter()
        .flat_map(|c| c.terms().terms)
        .filter(|t| matches!(t.form, Form::Floor(_) | Form::Ceiling(_)))
        .enumerate()
        .map(|(i, t)| (format!("{id}_prm_{}", i + 1), t.name, t.shown))
        .collect();
    let mut check = format!("formfit reads `{}`: {}.", rule.path, what_it_checks(rule));
    if let Some(each) = &rule.each {
        check.push_str(&format!(" Once for each item of `{each}`."));
    }
    if !rule.when.is_empty() {
        let conditions: Vec<String> = rule.when.iter().map(|c| c.describe()).collect();
        check.push_str(&format!(" Applies only when {}.", conditions.join(" and ")));
    }
    if !limits.is_empty() {
        let inserted: Vec<String> = limits
            .iter()
            .map(|(param, name, _)| format!("{name}: {{{{ insert: param, {param} }}}}"))
            .collect();
        check.push_str(&format!(" Limits: {}.", inserted.join("; ")));
    }
    let mut parts =
        vec![json!({ "id": format!("{id}_smt"), "name": "statement", "prose": rule.message })];
    let mut part = |suffix: &str, name: &str, own: bool, prose: &str| {
        let mut p = Map::new();
        p.insert("id".into(), json!(format!("{id}_{suffix}")));
        p.insert("name".into(), json!(name));
        if own {
            p.insert("ns".into(), json!(NS));
        }
        p.insert("prose".into(), json!(prose));
        parts.push(Value::Object(p));
    };
    if let Some(rationale) = &rule.rationale {
        part("gdn", "guidance", false, rationale);
    }
    if let Some(help) = &rule.help {
        part("hlp", "help", true, help);
    }
    if let Some(evidence) = &rule.evidence {
        part("evd", "evidence", true, evidence);
    }
    part("chk", "check", true, &check);
    let mut c = Map::new();
    c.insert("id".into(), json!(id));
    c.insert("class".into(), json!("rule"));
    c.insert("title".into(), json!(line(&rule.message)));
    if !limits.is_empty() {
        let params: Vec<Value> = limits
            .iter()
            .map(|(param, name, shown)| json!({ "id": param, "label": line(name), "values": [shown] }))
            .collect();
        c.insert("params".into(), Value::Array(params));
    }
    c.insert(
        "props".into(),
        props(&[
            ("rule", &rule.id),
            ("clause", &rule.clause),
            ("level", rule.level.as_str()),
            ("standard", &pack.meta.designation),
            // On every control: a profile's resolved catalog carries controls out of this one.
            ("marking", &pack.meta.classification),
        ]),
    );
    c.insert("parts".into(), Value::Array(parts));
    Value::Object(c)
}

/// The resolved profile as an OSCAL profile (JSON), dated `date`: one import per standard,
/// at the `href` its catalog is written to.
pub fn profile(resolved: &Resolved, date: &str, href: &dyn Fn(&Pack) -> String) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let marking = crate::marking::highest(
        resolved
            .standards
            .iter()
            .map(|s| s.pack.meta.classification.as_str()),
    );
    // A standard none of whose rules is selected imports nothing (OSCAL has no empty
    // selection); its metadata line still names it.
    let imports: Vec<Value> = resolved
        .standards
        .iter()
        .filter_map(|s| match &s.rules {
            None => Some(json!({ "href": href(&s.pack), "include-all": {} })),
            Some(kept) => {
                let ids: Vec<String> = s
                    .pack
                    .rules
                    .iter()
                    .filter(|r| kept.contains(&r.id))
                    .map(|r| token(&r.id))
                    .collect();
                (!ids.is_empty()).then(
                    || json!({ "href": href(&s.pack), "include-controls": [{ "with-ids": ids }] }),
                )
            }
        })
        .collect();
    let alters: Vec<Value> = resolved
        .standards
        .iter()
        .flat_map(|s| {
            s.pack
                .rules
                .iter()
                .filter(|r| s.rules.as_ref().is_none_or(|kept| kept.contains(&r.id)))
                .map(|r| {
                    json!({
                        "control-id": token(&r.id),
                        "adds": [{ "position": "ending", "props": props(&[("obligation", s.obligation.as_str())]) }],
                    })
                })
        })
        .collect();
    let mut metadata_props = vec![("marking", marking.as_str()), ("profile", &resolved.name)];
    let obligations: Vec<String> = resolved
        .standards
        .iter()
        .map(|s| {
            format!(
                "{} (edition {}): {}",
                s.pack.meta.designation,
                s.pack.meta.edition,
                s.obligation.as_str()
            )
        })
        .collect();
    metadata_props.extend(obligations.iter().map(|o| ("standard", o.as_str())));
    let mut remarks = resolved.description.clone().unwrap_or_default();
    if !remarks.is_empty() {
        remarks.push_str("\n\n");
    }
    remarks.push_str(&format!(
        "Written by formfit {version} from the profile {}. Marking: {marking}.",
        resolved.name
    ));
    let mut body = Map::new();
    body.insert("uuid".into(), json!(uuid(&resolved.name, "", "profile")));
    body.insert(
        "metadata".into(),
        json!({
            "title": line(&format!("{marking}: {} — {}", resolved.name, resolved.title)),
            "last-modified": stamp(date),
            "version": version,
            "oscal-version": OSCAL_VERSION,
            "props": props(&metadata_props),
            "remarks": remarks,
        }),
    );
    body.insert("imports".into(), Value::Array(imports));
    body.insert("merge".into(), json!({ "as-is": true }));
    if !alters.is_empty() {
        body.insert("modify".into(), json!({ "alters": alters }));
    }
    document(&json!({ "profile": Value::Object(body) }))
}
