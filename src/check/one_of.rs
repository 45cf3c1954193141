//! `one_of`
//!
//! # What it checks
//! A name is one of the accepted spellings of one thing (a cartridge, a rail, a connector),
//! whatever its case, spaces, `×`/`x`, decimal comma or `mm` after a number (`crate::term`). Known look-alikes fail with their own
//! explanation; ambiguous names (a bare "9mm") must be made precise; a near miss gets a
//! did-you-mean, a far-off value none; deprecated and obsolete terms pass with a note.
//!
//! # Why it matters
//! Look-alike designations are the classic interoperability trap: NATO ammunition in a
//! `.223 Remington` chamber can overpressure, a Picatinny accessory often does not fit a Weaver rail.
//!
//! # Example
//! `path = "ammunition[*].caliber"`, `one_of.accept = ["5.56×45 mm NATO", "5.56 NATO"]`, with a
//! look-alike `.223 Remington`
//!
//! # Fails on
//! `caliber = ".223 Remington"` (with the look-alike's own explanation)

use serde::Deserialize;
use serde_json::json;

use crate::code::PackCode;

use super::terms::{Form, Member, Term, Terms};
use super::{Branch, Check, CompileError, Failure, Keys, Kind, Verdict};
use crate::input::Node;
use crate::level::Level;
use crate::quantity::{quantity_of, Quantity};
use crate::term::{near_miss, normalise};

/// `one_of` as a pack writes it.
#[derive(Clone, Debug, Deserialize)]
struct OneOfSpec {
    accept: Vec<String>,
    #[serde(default)]
    lookalike: Vec<TermSpec>,
    #[serde(default)]
    ambiguous: Vec<TermSpec>,
    /// Spellings of the same thing that pass with a `may` note naming the preferred term.
    #[serde(default)]
    deprecated: Vec<String>,
    #[serde(default)]
    obsolete: Vec<String>,
}

/// A look-alike or ambiguous name, with why it is not the accepted thing.
#[derive(Clone, Debug, Deserialize)]
struct TermSpec {
    value: String,
    #[serde(default)]
    aliases: Vec<String>,
    why: String,
    help: Option<String>,
    /// Lowers the finding below the rule's level: a name that is neither the accepted thing nor
    /// its failing look-alike (a `.223 Wylde` chamber for 5.56 NATO) gets a `should`.
    level: Option<Level>,
    /// The name is right but cannot show conformance by itself: the finding asks for this
    /// evidence (`evidence-required`) instead of failing.
    evidence: Option<String>,
}

pub(super) const KIND: Kind = Kind {
    name: "one_of",
    selects: &["one_of"],
    options: &[],
    branches: &[
        Branch::Passes,
        Branch::Deprecated,
        Branch::Lookalike,
        Branch::Ambiguous,
        Branch::Differs,
        Branch::Absent,
    ],
    summary: "the name is an accepted spelling; look-alikes and ambiguous names fail with why",
    schema,
    build,
};

fn schema() -> serde_json::Value {
    let names = |description: &str| {
        json!({
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": description
        })
    };
    let terms = json!({"type": "array", "items": {"$ref": "#/$defs/term"}});
    let mut accept = names("Accepted spellings; the first is the preferred name.");
    accept["minItems"] = json!(1);
    json!({
        "properties": {"one_of": {
            "type": "object",
            "required": ["accept"],
            "additionalProperties": false,
            "properties": {
                "accept": accept,
                "lookalike": terms,
                "ambiguous": terms,
                "deprecated": names("Spellings that pass with a may note naming the preferred term (accept[0])."),
                "obsolete": names("As deprecated, for obsolete terms.")
            }
        }},
        "$defs": {"term": json!({
            "type": "object",
            "description": "A known value with an explanation: a look-alike that is not compatible, or an ambiguous name that must be made precise.",
            "required": ["value", "why"],
            "additionalProperties": false,
            "properties": {
                "value": {"type": "string", "minLength": 1},
                "aliases": {"type": "array", "items": {"type": "string", "minLength": 1}},
                "why": {"type": "string", "minLength": 1, "description": "The label shown at the value."},
                "help": {"type": "string", "description": "How to fix it; replaces the rule's help."},
                "level": {
                    "enum": ["should", "may"],
                    "description": "The finding's level when it is lower than the rule's: a name that is neither the accepted thing nor a failing look-alike."
                },
                "evidence": {
                    "type": "string",
                    "minLength": 1,
                    "description": "The evidence a name that cannot show conformance by itself needs: the finding is evidence-required instead of failing."
                }
            }
        })}
    })
}

/// Every key a spelling is known by: quantities by exact value ("28 VDC" = "28000 mV") if it
/// reads as one, and always its
/// normalised name, so that "9 MM" (no unit: `MM` is not `mm`) still meets "9 mm".
fn term_keys(text: &str) -> Vec<String> {
    keys_named(text, normalise(text))
}

/// [`term_keys`] of a text whose normalised name is known already.
fn keys_named(text: &str, name: String) -> Vec<String> {
    match quantity_of(text, None) {
        Some(q) => vec![quantity_key(&q), name],
        None => vec![name],
    }
}

fn quantity_key(q: &Quantity) -> String {
    format!("{:?}={}", q.dimension, q.value)
}

#[derive(Debug)]
struct Known {
    shown: String,
    spellings: Vec<String>,
    why: String,
    help: Option<String>,
    level: Option<Level>,
    evidence: Option<String>,
}

#[derive(Debug)]
struct OneOf {
    preferred: String,
    /// The preferred term's keys, so that a failure knows at once whether a did-you-mean
    /// would offer the value back.
    preferred_keys: Vec<String>,
    /// Every term as written in the pack with its status, for `formfit rules show`.
    terms: Vec<(String, &'static str)>,
    accepted: Vec<String>,
    /// Spellings of the same thing that pass with a note: (normalised, status word).
    discouraged: Vec<(String, &'static str)>,
    lookalikes: Vec<Known>,
    ambiguous: Vec<Known>,
}

fn known(spec: &TermSpec) -> Known {
    Known {
        shown: spec.value.clone(),
        spellings: std::iter::once(&spec.value)
            .chain(&spec.aliases)
            .flat_map(|s| term_keys(s))
            .collect(),
        why: spec.why.clone(),
        help: spec.help.clone(),
        level: spec.level,
        evidence: spec.evidence.clone(),
    }
}

fn build(keys: &Keys) -> Result<Box<dyn Check>, CompileError> {
    let Some(one_of) = keys.read::<OneOfSpec>("one_of")? else {
        return Err(keys.error("one_of", "`one_of` is missing"));
    };
    let accepted: Vec<String> = one_of.accept.iter().flat_map(|s| term_keys(s)).collect();
    let preferred = one_of.accept.first().cloned().unwrap_or_default();
    let check = OneOf {
        preferred_keys: term_keys(&preferred),
        preferred,
        terms: one_of
            .accept
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), if i == 0 { "preferred" } else { "admitted" }))
            .chain(one_of.deprecated.iter().map(|t| (t.clone(), "deprecated")))
            .chain(one_of.obsolete.iter().map(|t| (t.clone(), "obsolete")))
            .collect(),
        lookalikes: one_of.lookalike.iter().map(known).collect(),
        ambiguous: one_of.ambiguous.iter().map(known).collect(),
        discouraged: one_of
            .deprecated
            .iter()
            .flat_map(|s| term_keys(s).into_iter().map(|k| (k, "deprecated")))
            .chain(
                one_of
                    .obsolete
                    .iter()
                    .flat_map(|s| term_keys(s).into_iter().map(|k| (k, "obsolete"))),
            )
            .collect(),
        accepted,
    };
    let clash = check
        .lookalikes
        .iter()
        .chain(&check.ambiguous)
        .flat_map(|k| &k.spellings)
        .chain(check.discouraged.iter().map(|(s, _)| s))
        .find(|s| check.accepted.contains(s));
    if let Some(clash) = clash {
        return Err(keys
            .error(
                "one_of",
                format!("`{clash}` is both accepted and listed as a look-alike or ambiguous"),
            )
            .because(PackCode::CheckTerms));
    }
    Ok(Box::new(check))
}

impl Check for OneOf {
    fn terms(&self) -> Terms {
        let member = |t: &String| Member::new(term_keys(t), t);
        let listed = |members: &[Member]| {
            let shown: Vec<&str> = members.iter().map(|m| m.shown.as_str()).collect();
            shown.join(", ")
        };
        // Accepted, deprecated and obsolete names all pass: only the note differs.
        let passing: Vec<Member> = self.terms.iter().map(|(t, _)| member(t)).collect();
        let noted: Vec<Member> = self
            .terms
            .iter()
            .filter(|(_, status)| matches!(*status, "deprecated" | "obsolete"))
            .map(|(t, status)| Member::new(term_keys(t), format!("{t} ({status})")))
            .collect();
        let mut terms = vec![
            Term::new(
                "one_of, passing names",
                listed(&passing),
                Form::Passing(passing),
            ),
            Term::new(
                "one_of, noted names",
                listed(&noted),
                Form::Explained(noted),
            ),
        ];
        for (name, known) in [
            ("look-alikes", &self.lookalikes),
            ("ambiguous", &self.ambiguous),
        ] {
            // A name that fails anyway and is only explained moves no verdict; one whose
            // finding is lowered (a level, or evidence asked for) lets more products through.
            let (lowered, explained): (Vec<&Known>, Vec<&Known>) = known
                .iter()
                .partition(|k| k.level.is_some() || k.evidence.is_some());
            let members = |ks: Vec<&Known>| -> Vec<Member> {
                ks.into_iter()
                    .map(|k| Member::new(k.spellings.clone(), &k.shown))
                    .collect()
            };
            let (lowered, explained) = (members(lowered), members(explained));
            terms.push(Term::new(
                format!("one_of, {name} that fail lower"),
                listed(&lowered),
                Form::Passing(lowered),
            ));
            terms.push(Term::new(
                format!("one_of, {name}"),
                listed(&explained),
                Form::Explained(explained),
            ));
        }
        Terms {
            kind: KIND.name,
            terms,
        }
    }

    fn kind(&self) -> &'static Kind {
        &KIND
    }

    fn takes(&self, branch: Branch) -> bool {
        match branch {
            Branch::Deprecated => !self.discouraged.is_empty(),
            Branch::Lookalike => !self.lookalikes.is_empty(),
            Branch::Ambiguous => !self.ambiguous.is_empty(),
            _ => true,
        }
    }

    fn describe(&self) -> String {
        let terms: Vec<String> = self
            .terms
            .iter()
            .map(|(t, status)| format!("`{t}` ({status})"))
            .collect();
        let mut out = format!("is one of: {}", terms.join(", "));
        for (label, known) in [
            ("look-alikes that fail", &self.lookalikes),
            ("ambiguous", &self.ambiguous),
        ] {
            if !known.is_empty() {
                let names: Vec<String> = known
                    .iter()
                    .map(|k| match (&k.evidence, k.level) {
                        (Some(_), _) => format!("`{}` (asks for evidence)", k.shown),
                        (None, Some(level)) => format!("`{}` ({})", k.shown, level.as_str()),
                        (None, None) => format!("`{}`", k.shown),
                    })
                    .collect();
                out.push_str(&format!("; {label}: {}", names.join(", ")));
            }
        }
        out
    }

    fn judge(&self, node: &Node) -> Verdict {
        let Some(found) = node.as_str() else {
            return Verdict::Fail(Failure::new(
                Branch::Mismatch,
                format!("{}, not a name", node.type_name()),
            ));
        };
        // Most values are an accepted spelling by name, which passes whatever other key
        // they have: no quantity is read for them.
        let name = normalise(found);
        if self.accepted.contains(&name) {
            return Verdict::PASS;
        }
        let mut keys = keys_named(found, name);
        if let Some(q) = node.as_quantity() {
            keys.insert(0, quantity_key(q));
        }
        let known_as = |spellings: &[String]| keys.iter().any(|k| spellings.contains(k));
        if known_as(&self.accepted) {
            return Verdict::PASS;
        }
        if let Some((_, status)) = self.discouraged.iter().find(|(s, _)| keys.contains(s)) {
            return Verdict::Fail(
                Failure::note(
                    Branch::Deprecated,
                    format!(
                        "`{found}` is a {status} term; the preferred term is `{}`",
                        self.preferred
                    ),
                )
                .with_help(format!("write `{}`", self.preferred)),
            );
        }
        let explained = |k: &Known, branch| {
            let mut failure = match &k.evidence {
                Some(evidence) => Failure::new(branch, format!("{}: needs {evidence}", k.why)),
                None => Failure::new(branch, k.why.clone()),
            };
            failure.level = k.level;
            failure.evidence_required = k.evidence.is_some();
            match &k.help {
                Some(help) => failure.with_help(help.clone()),
                None => failure,
            }
        };
        // Look-alikes first: a name both lists know is the look-alike's failure.
        if let Some((k, branch)) = self
            .lookalikes
            .iter()
            .map(|k| (k, Branch::Lookalike))
            .chain(self.ambiguous.iter().map(|k| (k, Branch::Ambiguous)))
            .find(|(k, _)| known_as(&k.spellings))
        {
            return Verdict::Fail(explained(k, branch));
        }
        let failure = Failure::new(
            Branch::Differs,
            format!("`{found}` is not {}", self.preferred),
        );
        // A did-you-mean never offers the value that was written, however it is spelled.
        let suggests_itself = known_as(&self.preferred_keys);
        // `term_keys` ends with the normalised name, whatever comes before it.
        let name = keys.last().map_or("", String::as_str);
        match near_miss(name, &self.accepted) {
            Some(_) if !suggests_itself => {
                Verdict::Fail(failure.with_help(format!("did you mean `{}`?", self.preferred)))
            }
            _ => Verdict::Fail(failure),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tester::{assert_branches, check, pack_errors};
    use crate::level::Level;
    use crate::report::Outcome;

    const CALIBER: &str = r#"path = "ammunition[*].caliber"
one_of.accept = ["5.56×45 mm NATO", "5.56 NATO"]
one_of.deprecated = ["5.56 mm NATO ball"]

[[rule.one_of.lookalike]]
value = ".223 Remington"
aliases = [".223 Rem"]
why = ".223 Remington is a look-alike, not 5.56×45 mm NATO"
help = "Specify a 5.56×45 mm NATO chamber."

[[rule.one_of.ambiguous]]
value = "5.56 mm"
aliases = ["5.56mm"]
why = "5.56 mm names a bore, not a cartridge"
"#;

    fn caliber(name: &str) -> String {
        format!("[ammunition]\ncaliber = \"{name}\"")
    }

    #[test]
    fn an_accepted_spelling_passes_however_it_is_written() {
        for name in [
            "5.56×45 mm NATO",
            "5,56x45mm nato",
            "5.56 NATO",
            "5.56-NATO",
        ] {
            assert!(check(CALIBER, &caliber(name)).passes(), "{name}");
        }
    }

    #[test]
    fn a_lookalike_fails_with_its_own_explanation() {
        for name in [".223 Remington", ".223 rem", ".223 REMINGTON"] {
            let tested = check(CALIBER, &caliber(name));
            let f = tested.only();
            assert_eq!(
                f.label,
                ".223 Remington is a look-alike, not 5.56×45 mm NATO"
            );
            assert_eq!(
                f.help.as_deref(),
                Some("Specify a 5.56×45 mm NATO chamber.")
            );
            assert_eq!(f.level, Level::Shall);
        }
    }

    #[test]
    fn an_ambiguous_name_must_be_made_precise() {
        let tested = check(CALIBER, &caliber("5.56mm"));
        assert_eq!(tested.labels(), ["5.56 mm names a bore, not a cartridge"]);
        // Without a help of its own, the rule's (here none) is used.
        assert_eq!(tested.only().help, None);
    }

    #[test]
    fn a_near_miss_gets_a_did_you_mean_and_a_far_value_none() {
        let near = check(CALIBER, &caliber("5.56x54mm NATO"));
        assert_eq!(near.labels(), ["`5.56x54mm NATO` is not 5.56×45 mm NATO"]);
        assert_eq!(
            near.only().help.as_deref(),
            Some("did you mean `5.56×45 mm NATO`?")
        );
        let far = check(CALIBER, &caliber("7.62×39 mm"));
        assert_eq!(far.labels(), ["`7.62×39 mm` is not 5.56×45 mm NATO"]);
        assert_eq!(far.only().help, None);
    }

    #[test]
    fn spellings_people_write_pass_and_are_never_offered_back() {
        // Before the normalisation dropped `mm` after a number, each of these failed and was
        // told "did you mean `5.56×45 mm NATO`?" — the name it had given.
        for name in [
            "5.56mm NATO",
            "5.56 mm NATO",
            "5.56x45 NATO",
            "5.56×45 NATO",
            "5.56 X 45 NATO",
        ] {
            assert!(check(CALIBER, &caliber(name)).passes(), "{name}");
        }
    }

    #[test]
    fn a_term_of_its_own_level_or_asking_for_evidence_is_neither_pass_nor_failure() {
        let rule = r#"path = "ammunition[*].caliber"
one_of.accept = ["5.56×45 mm NATO"]

[[rule.one_of.lookalike]]
value = ".223 Wylde"
level = "should"
why = "a hybrid chamber"

[[rule.one_of.ambiguous]]
value = "5.56 mm"
evidence = "a chamber drawing"
why = "names the bore"
"#;
        let wylde = check(rule, &caliber(".223 Wylde"));
        assert_eq!(wylde.only().level, Level::Should);
        assert_eq!(wylde.labels(), ["a hybrid chamber"]);
        let bare = check(rule, &caliber("5.56mm"));
        assert_eq!(bare.labels(), ["names the bore: needs a chamber drawing"]);
        assert_eq!(bare.outcome(), Outcome::EvidenceRequired);
    }

    #[test]
    fn under_any_a_lowered_term_speaks_when_no_value_passes() {
        // `any = true`: one conforming value settles the rule. A `.223 Wylde` is not one: it
        // is reported at its own level, never taken for a pass.
        let rule = r#"path = "ammunition[*].caliber"
any = true
one_of.accept = ["5.56×45 mm NATO"]

[[rule.one_of.lookalike]]
value = ".223 Wylde"
level = "should"
why = "a hybrid chamber"
"#;
        let two = |a: &str, b: &str| {
            format!("[[ammunition]]\nname = \"a\"\ncaliber = \"{a}\"\n\n[[ammunition]]\nname = \"b\"\ncaliber = \"{b}\"\n")
        };
        let alone = check(rule, &caliber(".223 Wylde"));
        assert_eq!(alone.only().level, Level::Should);
        assert_eq!(alone.labels(), ["a hybrid chamber"]);
        let beside_a_wrong_one = check(rule, &two("9×19 mm", ".223 Wylde"));
        assert_eq!(beside_a_wrong_one.only().level, Level::Should);
        assert_eq!(beside_a_wrong_one.at(), ["\".223 Wylde\""]);
        assert!(check(rule, &two(".223 Wylde", "5.56×45 mm NATO")).passes());
    }

    #[test]
    fn a_deprecated_term_passes_with_a_note() {
        let tested = check(CALIBER, &caliber("5.56 mm NATO Ball"));
        let f = tested.only();
        assert_eq!(f.level, Level::May);
        assert_eq!(
            f.label,
            "`5.56 mm NATO Ball` is a deprecated term; the preferred term is `5.56×45 mm NATO`"
        );
        assert_eq!(tested.outcome(), Outcome::Passed);
    }

    #[test]
    fn an_absent_name_is_not_judged() {
        assert!(check(CALIBER, "[ammunition]\nname = \"primary\"").passes());
    }

    #[test]
    fn each_branch_a_name_takes_is_counted() {
        use crate::check::Branch::{Absent, Ambiguous, Deprecated, Differs, Lookalike, Passes};
        assert_branches(
            CALIBER,
            &[
                (&caliber("5.56 NATO"), &[Passes]),
                (&caliber("5.56 mm NATO Ball"), &[Deprecated]),
                (&caliber(".223 Rem"), &[Lookalike]),
                (&caliber("5.56mm"), &[Ambiguous]),
                (&caliber("7.62×39 mm"), &[Differs]),
                ("[ammunition]\nname = \"primary\"", &[Absent]),
            ],
        );
        // Without look-alike, ambiguous or deprecated lists, those are no branches to cover.
        assert_branches(
            "path = \"ammunition[*].caliber\"\none_of.accept = [\"5.56 NATO\"]",
            &[
                (&caliber("5.56 NATO"), &[Passes]),
                (&caliber(".223 Remington"), &[Differs]),
                ("[ammunition]\nname = \"primary\"", &[Absent]),
            ],
        );
    }

    #[test]
    fn a_spelling_both_accepted_and_a_lookalike_is_a_pack_error() {
        let rule = r#"path = "ammunition[*].caliber"
one_of.accept = ["5.56 NATO"]

[[rule.one_of.lookalike]]
value = "5,56 nato"
why = "clash"
"#;
        let errors = pack_errors(rule);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("is both accepted and listed"),
            "{errors:?}"
        );
    }
}
