//! Rule packs: loading `rules/*.toml`, validating them (schema, then meaning), and compiling
//! them once into immutable [`Pack`]s that any number of threads can check products against.

mod compile;
mod condition;
pub mod diff;
mod files;
mod library;
pub mod model;
mod names;
pub mod profile;
pub mod schema;
mod vocabulary;

pub use compile::{PackCompiler, MAX_RULES_PER_PACK};
pub use condition::Condition;
pub use files::{is_symlink, pack_files, read_tomls};
pub use library::{BuiltinHead, Library, NonStandard, NON_STANDARDS};
pub use names::{names, normalise_id};
use names::{normalised_names, one_digit_swapped_for_another};

use std::path::PathBuf;
use std::sync::Arc;

use crate::check::Check;
use crate::diagnostic::Problem;
use crate::input::{Node, Span};
use crate::marking::{Classification, Scheme};
use crate::path::Path;
use model::{Level, StandardMeta};

/// The pack format's JSON Schema, published in `schemas/`.
pub use schema::PACK_SCHEMA;

// `BUILTIN` (every `rules/*.toml`) and `BUILTIN_PROFILES` (every `rules/profiles/*.toml`),
// embedded by build.rs so that an installed formfit works anywhere.
include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// A compiled standard.
#[derive(Debug)]
pub struct Pack {
    pub meta: StandardMeta,
    /// Every name the standard answers to (designation first, then aliases) through
    /// [`normalise_id`], computed once: standard names are looked up for every claim of every
    /// product of a catalogue.
    pub normalised_names: Vec<String>,
    /// Where the pack came from, as shown in reports (`rules/stanag-4172.toml`).
    pub file: String,
    pub text: Arc<str>,
    pub builtin: bool,
    /// Where the pack states its marking (or its `[standard]` table when it relies on the
    /// default), for refusals.
    pub marking_span: Span,
    /// Where the pack states its designation, for duplicate designations.
    pub designation_span: Span,
    /// The bytes the pack was compiled from, for signature checks, and the file they came
    /// from (none for built-in packs).
    pub bytes: Arc<[u8]>,
    pub source: Option<PathBuf>,
    pub applicability: Vec<Condition>,
    /// Extra conditions for `--all-applicable` (see `ApplicabilitySpec::relevant`).
    pub relevant: Vec<Condition>,
    pub otherwise: Option<String>,
    pub rules: Vec<Rule>,
    /// The lines of `text`, indexed when a rule's place is first asked for.
    lines: std::sync::OnceLock<crate::span::LineIndex>,
}

#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub clause: String,
    pub level: Level,
    /// With `each`, the rule runs once per item it reaches; `path` and `when` are relative.
    pub each: Option<Path>,
    pub path: Path,
    pub message: String,
    pub help: Option<String>,
    pub rationale: Option<String>,
    pub required: bool,
    pub when: Vec<Condition>,
    pub evidence: Option<String>,
    pub any: bool,
    pub check: Option<Box<dyn Check>>,
    /// The rule's table in the pack file, for "defined here" notes.
    pub span: Span,
    /// The rule's `id`, for duplicate ids across packs.
    pub id_span: Span,
}

impl Rule {
    /// Every value the rule reads in a product, through its `each` when it has one.
    pub fn reach<'a>(&self, root: &'a Node) -> Vec<crate::path::Match<'a>> {
        match &self.each {
            Some(each) => each
                .select(root)
                .into_iter()
                .flat_map(|item| self.path.select(item.node))
                .collect(),
            None => self.path.select(root),
        }
    }
}

impl Pack {
    /// 1-based line and column of an offset in the pack's text: where a rule is defined is
    /// given with every finding of it.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| crate::span::LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }

    /// Whether a holder may load this pack: at or below their classification, and, when the
    /// pack names groups it is releasable to, one of the holder's groups among them.
    pub fn withheld_from(&self, holder: &Holder) -> Option<String> {
        let meta = &self.meta;
        withheld(
            &meta.designation,
            &meta.classification,
            &meta.releasable_to,
            holder,
        )
    }

    /// `sha256:<hex>` of the pack file's text, for pins that must not move.
    pub fn digest(&self) -> String {
        crate::digest::sha256(self.text.as_bytes())
    }
}

/// Why a holder may not load a standard of this marking, if they may not: above their
/// classification, or releasable only to groups they are not in.
fn withheld(
    designation: &str,
    marking: &str,
    releasable: &[impl AsRef<str>],
    holder: &Holder,
) -> Option<String> {
    match holder.scheme.level(marking) {
        // Fail closed: a marking that names no level is never cleared.
        None => {
            return Some(format!(
                "{designation} is marked {marking}, which names no level formfit knows (map it onto the NATO order in formfit.toml's [markings])"
            ))
        }
        Some(level) if level > holder.clearance => {
            return Some(format!(
                "{designation} is marked {marking}, above the {} you hold",
                holder.clearance
            ))
        }
        Some(_) => {}
    }
    if !releasable.is_empty()
        && !releasable.iter().any(|g| {
            holder
                .groups
                .iter()
                .any(|h| h.eq_ignore_ascii_case(g.as_ref()))
        })
    {
        let groups: Vec<&str> = releasable.iter().map(AsRef::as_ref).collect();
        return Some(format!(
            "{designation} is releasable to {} only, and you hold none of those",
            groups.join(", ")
        ));
    }
    None
}

/// What the person running formfit may hold: a clearance of the NATO order, the groups they
/// belong to, and the national markings their configuration maps onto that order. The default
/// is `NATO UNCLASSIFIED`, no groups and no national markings, so marked packs are refused until
/// the holder says otherwise.
#[derive(Debug, Clone)]
pub struct Holder {
    pub clearance: Classification,
    pub groups: Vec<String>,
    pub scheme: Scheme,
}

impl Default for Holder {
    fn default() -> Self {
        Holder {
            clearance: Classification::NatoUnclassified,
            groups: Vec::new(),
            scheme: Scheme::default(),
        }
    }
}

/// A pack that could not be loaded, with every problem found in it.
#[derive(Clone, Debug)]
pub struct PackError {
    pub file: String,
    pub text: String,
    pub problems: Vec<Problem>,
}
