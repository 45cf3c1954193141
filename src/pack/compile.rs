//! Compiling a pack: its TOML read with spans, checked against the pack schema, then its meaning
//! (paths against the product vocabulary, each rule's check through its kind) into a [`Pack`].

use std::sync::Arc;

use serde_json::Value as Json;

use super::model::{ConditionSpec, PackFile, RuleSpec};
use super::{normalised_names, vocabulary, Condition, Pack, PackError, Rule, PACK_SCHEMA};
use crate::check::{self, Check, Keys};
use crate::code::PackCode;
use crate::diagnostic::Problem;
use crate::input::{self, Format, Limits, Node, PointerSegment, Span};
use crate::path::Path;
use crate::schema::{compile_shipped, Schema};

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
            lines: Default::default(),
        })
    }

    fn condition(&self, spec: &ConditionSpec, within: Option<&str>) -> Result<Condition, String> {
        Condition::new(self.path(&spec.path, within)?, spec)
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
