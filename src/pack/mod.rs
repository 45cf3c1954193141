//! Rule packs: loading `rules/*.toml`, validating them (schema, then meaning), and compiling
//! them once into immutable [`Pack`]s that any number of threads can check products against.

pub mod diff;
mod library;
pub mod model;
pub mod profile;
pub mod schema;
mod vocabulary;

pub use library::{BuiltinHead, Library, NonStandard, NON_STANDARDS};

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use serde_json::Value as Json;

use crate::check::{self, Check, Keys};
use crate::code::PackCode;
use crate::diagnostic::Problem;
use crate::input::{self, Format, Limits, Node, PointerSegment, Span};
use crate::path::Path;
use crate::quantity::{parse_range, quantity_of, Interval, Quantity};
use crate::schema::{compile_shipped, Schema};
use crate::term::normalise;
use crate::trust::encryption::Identities;
use crate::trust::marking::{Classification, Scheme};
use model::{ConditionSpec, Level, PackFile, RuleSpec, StandardMeta};

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

/// A condition on a product, for applicability and for a rule's `when`.
#[derive(Debug)]
pub struct Condition {
    path: Path,
    test: Test,
}

#[derive(Debug)]
enum Test {
    Exists(bool),
    In(Vec<Value>),
    Overlaps(Interval),
    Matches(regex::Regex),
}

/// A value of an `in` list: quantities compare exactly across units, names by spelling.
#[derive(Debug)]
enum Value {
    Quantity(Quantity),
    Name(String),
}

impl Value {
    fn parse(text: &str) -> Value {
        match quantity_of(text, None) {
            Some(q) => Value::Quantity(q),
            None => Value::Name(normalise(text)),
        }
    }

    /// Whether `node` is this value; `name` is the node's text through [`normalise`], if it
    /// is a string.
    fn matches(&self, node: &Node, name: Option<&str>) -> bool {
        match (self, node.as_quantity()) {
            (Value::Quantity(q), Some(found)) => {
                q.dimension == found.dimension && q.value == found.value
            }
            (Value::Name(wanted), _) => name == Some(wanted.as_str()),
            _ => false,
        }
    }
}

impl Condition {
    /// The condition in words, for remarks: "`power.surge_withstand` is declared".
    pub fn describe(&self) -> String {
        let path = &self.path;
        match &self.test {
            Test::Exists(true) => format!("`{path}` is declared"),
            Test::Exists(false) => format!("`{path}` is not declared"),
            Test::In(values) => {
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        Value::Quantity(q) => q.text.clone(),
                        Value::Name(n) => n.clone(),
                    })
                    .collect();
                format!("`{path}` is one of {}", shown.join(", "))
            }
            Test::Overlaps(_) => format!("a value of `{path}` overlaps the rule's range"),
            Test::Matches(re) => format!("`{path}` matches `{}`", re.as_str()),
        }
    }

    pub fn holds(&self, root: &Node) -> bool {
        let matches = self.path.select(root);
        match &self.test {
            Test::Exists(exists) => matches.is_empty() != *exists,
            Test::In(values) => matches.iter().any(|m| {
                // The value's name is normalised once, not once per listed value.
                let name = m.node.as_str().map(normalise);
                values.iter().any(|v| v.matches(m.node, name.as_deref()))
            }),
            Test::Matches(re) => matches
                .iter()
                .filter_map(|m| m.node.as_str())
                .any(|v| re.is_match(v)),
            Test::Overlaps(range) => matches
                .iter()
                .filter_map(|m| crate::check::value_interval(m.node))
                .any(|(i, _, _)| i.overlaps(range)),
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

/// Compiles packs; holds the pack schema (compiled on first use: a run of built-in packs only
/// never needs it) and the product vocabulary that paths are checked against.
pub struct PackCompiler {
    schema: std::sync::OnceLock<Schema>,
    vocabulary: &'static Json,
}

impl Default for PackCompiler {
    fn default() -> Self {
        Self::new()
    }
}

impl PackCompiler {
    pub fn new() -> PackCompiler {
        PackCompiler {
            schema: std::sync::OnceLock::new(),
            vocabulary: crate::product::schema_json(),
        }
    }

    /// The compiled pack schema, built the first time a pack that is not built in is loaded.
    fn schema(&self) -> &Schema {
        self.schema
            .get_or_init(|| compile_shipped(PACK_SCHEMA, PackCode::Schema))
    }

    /// The problems the pack schema finds in a pack. Built-in packs skip it: every one of them
    /// passes it in the test suite (`tests/packs.rs`), so checking them again on every start
    /// would only cost time; the meaning checks below still run for them.
    fn schema_problems(&self, root: &Node, builtin: bool) -> Vec<Problem> {
        if builtin {
            return Vec::new();
        }
        self.schema().validate(root)
    }

    /// Loads one pack from its text. All problems are collected, not only the first.
    pub fn compile(&self, file: &str, bytes: &[u8], builtin: bool) -> Result<Pack, PackError> {
        let fail = |text: String, problems| PackError {
            file: file.to_owned(),
            text,
            problems,
        };
        let doc = input::parse(bytes, Format::Toml, &Limits::default())
            .map_err(|p| fail(String::from_utf8_lossy(bytes).into_owned(), p))?;
        if let Some(problem) = too_many_rules(&doc.root) {
            return Err(fail(doc.text, vec![problem]));
        }
        let problems = self.schema_problems(&doc.root, builtin);
        if !problems.is_empty() {
            return Err(fail(doc.text, problems));
        }
        let spec: PackFile = serde_json::from_value(doc.root.to_json()).map_err(|e| {
            fail(
                doc.text.clone(),
                vec![Problem::new(PackCode::Schema, e.to_string(), 0..0)],
            )
        })?;
        let mut problems = Vec::new();
        let at = |segments: &[PointerSegment]| {
            doc.root.at_pointer(segments.iter().copied()).span.clone()
        };

        let mut applicability = Vec::new();
        let mut relevant = Vec::new();
        if let Some(a) = &spec.applicability {
            for (key, specs, out) in [
                ("any", &a.any, &mut applicability),
                ("relevant", &a.relevant, &mut relevant),
            ] {
                for (i, c) in specs.iter().enumerate() {
                    let place = [
                        PointerSegment::Key("applicability"),
                        PointerSegment::Key(key),
                        PointerSegment::Index(i),
                    ];
                    match self.condition(c, None) {
                        Ok(c) => out.push(c),
                        Err(message) => {
                            problems.push(Problem::new(PackCode::Condition, message, at(&place)))
                        }
                    }
                }
            }
        }
        let mut rules = Vec::new();
        let mut first_use: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(spec.rules.len());
        for (i, rule) in spec.rules.iter().enumerate() {
            let place = |key: &'static str| {
                at(&[
                    PointerSegment::Key("rule"),
                    PointerSegment::Index(i),
                    PointerSegment::Key(key),
                ])
            };
            if let Some(&first) = first_use.get(rule.id.as_str()) {
                problems.push(
                    Problem::new(
                        PackCode::DuplicateRule,
                        format!("rule id `{}` is used twice", rule.id),
                        place("id"),
                    )
                    .with_label("second use")
                    .with_help(format!(
                        "rule ids must be unique; the first is rule {}",
                        first + 1
                    )),
                );
            } else {
                first_use.insert(&rule.id, i);
            }
            let node = doc
                .root
                .at_pointer([PointerSegment::Key("rule"), PointerSegment::Index(i)]);
            match self.rule(rule, &place, node) {
                Ok(r) => rules.push(r),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if !problems.is_empty() {
            return Err(fail(doc.text, problems));
        }
        let standard = [PointerSegment::Key("standard")];
        let marking_span = match doc
            .root
            .get("standard")
            .and_then(|s| s.get("classification"))
        {
            Some(node) => node.span.clone(),
            None => at(&standard),
        };
        let designation_span = match doc.root.get("standard").and_then(|s| s.get("designation")) {
            Some(node) => node.span.clone(),
            None => at(&standard),
        };
        Ok(Pack {
            marking_span,
            designation_span,
            bytes: Arc::from(bytes),
            source: None,
            normalised_names: normalised_names(&spec.standard),
            meta: spec.standard,
            file: file.to_owned(),
            text: Arc::from(doc.text),
            builtin,
            applicability,
            relevant,
            otherwise: spec.applicability.map(|a| a.otherwise),
            rules,
        })
    }

    fn condition(&self, spec: &ConditionSpec, within: Option<&str>) -> Result<Condition, String> {
        let path = self.path(&spec.path, within)?;
        let tests = [
            spec.exists.is_some(),
            spec.one_of.is_some(),
            spec.overlaps.is_some(),
            spec.matches.is_some(),
        ];
        if tests.iter().filter(|t| **t).count() > 1 {
            return Err(
                "a condition takes one of `exists`, `in`, `overlaps` or `matches`".to_owned(),
            );
        }
        let test = if let Some(values) = &spec.one_of {
            Test::In(values.iter().map(|v| Value::parse(v)).collect())
        } else if let Some(pattern) = &spec.matches {
            let re = regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("invalid regular expression `{pattern}`: {e}"))?;
            Test::Matches(re)
        } else if let Some(range) = &spec.overlaps {
            let [(low, _), (high, _)] =
                parse_range(range, None).map_err(|p| format!("`{range}`: {}", p.message))?;
            Test::Overlaps(Interval::new(&low, &high))
        } else {
            Test::Exists(spec.exists.unwrap_or(true))
        };
        Ok(Condition { path, test })
    }

    /// A path of a pack, checked against the vocabulary; `within` is the rule's `each`, which
    /// relative paths continue.
    fn path(&self, text: &str, within: Option<&str>) -> Result<Path, String> {
        let path = Path::parse(text).map_err(|e| format!("invalid path `{text}`: {e}"))?;
        let full = match within {
            Some(each) => Path::parse(&format!("{each}.{text}"))
                .map_err(|e| format!("invalid path `{each}.{text}`: {e}"))?,
            None => path.clone(),
        };
        vocabulary::check(self.vocabulary, &full).map_err(|e| format!("path `{full}`: {e}"))?;
        Ok(path)
    }

    fn rule(
        &self,
        spec: &RuleSpec,
        place: &dyn Fn(&'static str) -> Span,
        node: &input::Node,
    ) -> Result<Rule, Vec<Problem>> {
        let mut problems = Vec::new();
        let each = match spec.each.as_deref().map(|e| self.path(e, None)).transpose() {
            Ok(each) => each,
            Err(m) => {
                problems.push(Problem::new(PackCode::Path, m, place("each")).with_label("here"));
                None
            }
        };
        let within = spec.each.as_deref().filter(|_| each.is_some());
        let path = self
            .path(&spec.path, within)
            .map_err(|m| {
                problems.push(Problem::new(PackCode::Path, m, place("path")).with_label("here"))
            })
            .ok();
        let mut when = Vec::new();
        for c in &spec.when {
            match self.condition(c, within) {
                Ok(c) => when.push(c),
                Err(m) => problems.push(Problem::new(PackCode::Condition, m, place("when"))),
            }
        }
        let check = self.check(spec, &Keys::new(node), place, &mut problems);
        match (path, problems.is_empty()) {
            (Some(path), true) => Ok(Rule {
                id: spec.id.clone(),
                clause: spec.clause.clone(),
                level: spec.level,
                each,
                path,
                message: spec.message.clone(),
                help: spec.help.clone(),
                rationale: spec.rationale.clone(),
                required: spec.required,
                when,
                evidence: spec.evidence.clone(),
                any: spec.any,
                check,
                span: node.span.clone(),
                id_span: place("id"),
            }),
            _ => Err(problems),
        }
    }

    /// The rule's check, built by the one kind its keys select.
    fn check(
        &self,
        spec: &RuleSpec,
        keys: &Keys,
        place: &dyn Fn(&'static str) -> Span,
        problems: &mut Vec<Problem>,
    ) -> Option<Box<dyn Check>> {
        let kinds = check::selected(keys);
        for kind in check::REGISTRY {
            for option in kind.options.iter().filter(|o| keys.has(o)) {
                if !kinds.iter().any(|k| k.name == kind.name) {
                    problems.push(Problem::new(
                        PackCode::CheckOption,
                        format!("`{option}` only goes with `{}`", kind.name),
                        place(option),
                    ));
                }
            }
        }
        match kinds.as_slice() {
            [] if spec.required => None,
            [] => {
                let names: Vec<&str> = check::REGISTRY
                    .iter()
                    .flat_map(|k| k.selects)
                    .copied()
                    .collect();
                problems.push(
                    Problem::new(
                        PackCode::NoCheck,
                        format!("rule `{}` checks nothing", spec.id),
                        place("id"),
                    )
                    .with_help(format!(
                        "add a check ({}) or `required = true`",
                        names.join(", ")
                    )),
                );
                None
            }
            [kind] => match (kind.build)(keys) {
                Ok(check) => Some(check),
                Err(e) => {
                    problems.push(Problem::new(e.code, e.message, e.span).with_label("here"));
                    None
                }
            },
            _ => {
                let present: Vec<&str> = kinds
                    .iter()
                    .flat_map(|k| k.selects)
                    .copied()
                    .filter(|key| keys.has(key))
                    .collect();
                problems.push(
                    Problem::new(
                        PackCode::TwoChecks,
                        format!(
                            "rule `{}` has several checks: {}",
                            spec.id,
                            present.join(", ")
                        ),
                        place("id"),
                    )
                    .with_help("split it into one rule per check"),
                );
                None
            }
        }
    }
}

/// The most rules one pack may hold: far more than any standard has clauses, few enough that
/// compiling and checking a pack stays quick.
pub const MAX_RULES_PER_PACK: usize = 10_000;

/// A pack of more than [`MAX_RULES_PER_PACK`] rules, refused before its rules are validated.
fn too_many_rules(root: &input::Node) -> Option<Problem> {
    let rules = root.get("rule")?;
    let input::Value::Array(items) = &rules.value else {
        return None;
    };
    let first_over = items.get(MAX_RULES_PER_PACK)?;
    Some(
        Problem::new(
            PackCode::Limit,
            format!(
                "the pack has {} rules, over the limit of {MAX_RULES_PER_PACK}",
                items.len()
            ),
            first_over.span.clone(),
        )
        .with_label("one rule too many")
        .with_help("split the standard into several packs"),
    )
}

/// The pack files of a folder (`*.toml`, and `*.toml.age` for encrypted ones) in name order:
/// the one walk every command takes, so that loading and `rules verify` see the same files.
/// Symbolic links are listed, for the caller to refuse by name.
pub fn pack_files(dir: &FsPath) -> Result<Vec<std::path::PathBuf>, std::io::Error> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.ends_with(".toml") || name.ends_with(".toml.age")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Whether a path is a symbolic link, which a rules folder never follows: it could lead
/// outside the folder the user named.
pub fn is_symlink(path: &FsPath) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The `*.toml` files of a directory in name order, with their bytes; unreadable files and
/// symbolic links become errors of their own so that the others still load.
pub fn read_tomls(
    dir: &FsPath,
    errors: &mut Vec<PackError>,
) -> Result<Vec<(String, Vec<u8>)>, std::io::Error> {
    let mut out = Vec::new();
    for file in pack_files(dir)? {
        let shown = file.display().to_string();
        // A symlink could lead outside the rules folder the user named: packs are read only
        // from where they were put.
        if is_symlink(&file) {
            errors.push(PackError {
                file: shown,
                text: String::new(),
                problems: vec![Problem::new(
                    PackCode::Symlink,
                    "a symbolic link in a rules folder is not followed",
                    0..0,
                )
                .with_help("copy the pack into the folder instead of linking to it")],
            });
            continue;
        }
        match crate::input::read_file(&file, crate::input::MAX_FILE_BYTES) {
            Ok(bytes) => out.push((shown, bytes)),
            Err(e) => errors.push(PackError {
                file: shown,
                text: String::new(),
                problems: vec![Problem::new(
                    PackCode::Io,
                    format!("cannot read the file: {e}"),
                    0..0,
                )],
            }),
        }
    }
    Ok(out)
}

/// Decrypts an `*.toml.age` pack in memory.
pub fn decrypt(identities: Option<&Identities>, ciphertext: &[u8]) -> Result<Vec<u8>, String> {
    match identities.filter(|i| !i.is_empty()) {
        Some(identities) => identities.decrypt(ciphertext),
        None => Err("the pack is encrypted and no identity was given".to_owned()),
    }
}

/// A designation and its aliases: every name a standard answers to, compared after
/// [`normalise_id`].
pub fn names<'a>(designation: &'a str, aliases: &'a [String]) -> impl Iterator<Item = &'a str> {
    std::iter::once(designation).chain(aliases.iter().map(String::as_str))
}

/// Whether `a` and `b` differ only in one digit replaced by another.
fn one_digit_swapped_for_another(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a.len() == b.len()
        && {
            let mut differing = a.iter().zip(&b).filter(|(x, y)| x != y);
            matches!((differing.next(), differing.next()), (Some((x, y)), None) if x.is_ascii_digit() && y.is_ascii_digit())
        }
}

/// A standard's names through [`normalise_id`], designation first.
fn normalised_names(meta: &StandardMeta) -> Vec<String> {
    meta.names().map(normalise_id).collect()
}

/// Case, spaces, hyphens and underscores do not matter in a standard's name.
pub fn normalise_id(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .flat_map(char::to_lowercase)
        .collect()
}
