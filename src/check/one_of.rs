//! `one_of`
//!
//! # What it checks
//! A name is one of the accepted spellings of one thing (a cartridge, a rail, a connector),
//! whatever its case, spaces, `×`/`x` or decimal comma. Known look-alikes fail with their own
//! explanation; ambiguous names (a bare "9mm") must be made precise; a near miss gets a
//! did-you-mean, a far-off value none; deprecated and obsolete terms pass with a note.
//!
//! # Why it matters
//! Look-alike designations are the classic interoperability trap: NATO ammunition in a
//! `.223 Remington` chamber overpressures, a Weaver accessory does not fit a NATO rail.
//!
//! # Example
//! `path = "ammunition[*].caliber"`, `one_of.accept = ["5.56×45 mm NATO", "5.56 NATO"]`, with a
//! look-alike `.223 Remington`
//!
//! # Fails on
//! `caliber = ".223 Remington"` (with the look-alike's own explanation)

use super::{Check, CompileError, Failure, Verdict};
use crate::input::Node;
use crate::pack::model::{RuleSpec, TermSpec};
use crate::quantity::{parse_quantity, Quantity};
use crate::term::{near_miss, normalise};

/// What two spellings are compared by: quantities by exact value ("28 VDC" = "28000 mV"),
/// names by normalised spelling.
fn term_key(text: &str) -> String {
    match parse_quantity(text, None) {
        Ok(q) => quantity_key(&q),
        Err(_) => normalise(text),
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
}

#[derive(Debug)]
struct OneOf {
    preferred: String,
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
            .map(|s| term_key(s))
            .collect(),
        why: spec.why.clone(),
        help: spec.help.clone(),
    }
}

pub(super) fn build(spec: &RuleSpec) -> Result<Box<dyn Check>, CompileError> {
    let Some(one_of) = &spec.one_of else {
        return Err(CompileError {
            key: "one_of",
            message: "missing".to_owned(),
        });
    };
    let accepted: Vec<String> = one_of.accept.iter().map(|s| term_key(s)).collect();
    let check = OneOf {
        preferred: one_of.accept.first().cloned().unwrap_or_default(),
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
            .map(|s| (term_key(s), "deprecated"))
            .chain(one_of.obsolete.iter().map(|s| (term_key(s), "obsolete")))
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
        return Err(CompileError {
            key: "one_of",
            message: format!("`{clash}` is both accepted and listed as a look-alike or ambiguous"),
        });
    }
    Ok(Box::new(check))
}

impl Check for OneOf {
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
                let names: Vec<String> = known.iter().map(|k| format!("`{}`", k.shown)).collect();
                out.push_str(&format!("; {label}: {}", names.join(", ")));
            }
        }
        out
    }

    fn judge(&self, node: &Node) -> Verdict {
        let Some(found) = node.as_str() else {
            return Verdict::Fail(Failure::new(format!("{}, not a name", node.type_name())));
        };
        let key = match node.as_quantity() {
            Some(q) => quantity_key(q),
            None => term_key(found),
        };
        if self.accepted.contains(&key) {
            return Verdict::Pass;
        }
        if let Some((_, status)) = self.discouraged.iter().find(|(s, _)| *s == key) {
            return Verdict::Fail(
                Failure::note(format!(
                    "`{found}` is a {status} term; the preferred term is `{}`",
                    self.preferred
                ))
                .with_help(format!("write `{}`", self.preferred)),
            );
        }
        let explained = |k: &Known| {
            let failure = Failure::new(k.why.clone());
            match &k.help {
                Some(help) => failure.with_help(help.clone()),
                None => failure,
            }
        };
        if let Some(k) = self.lookalikes.iter().find(|k| k.spellings.contains(&key)) {
            return Verdict::Fail(explained(k));
        }
        if let Some(k) = self.ambiguous.iter().find(|k| k.spellings.contains(&key)) {
            return Verdict::Fail(explained(k));
        }
        let failure = Failure::new(format!("`{found}` is not {}", self.preferred));
        match near_miss(&key, &self.accepted) {
            Some(_) => {
                Verdict::Fail(failure.with_help(format!("did you mean `{}`?", self.preferred)))
            }
            None => Verdict::Fail(failure),
        }
    }
}
