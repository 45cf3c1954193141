//! JSON Schema validation of a spanned document, with every error placed on its span.
//!
//! The `jsonschema` crate validates the plain JSON form of the tree; its instance paths are
//! mapped back to [`Node`] spans here. Unknown keys point at the key and come with a
//! did-you-mean drawn from the properties the schema allows at that place.

mod in_place;

pub use in_place::Tree;

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use jsonschema::{ValidationError, Validator};
use serde_json::Value as Json;

use crate::code::Code;
use crate::diagnostic::{did_you_mean, Problem};
use crate::input::{Node, PointerSegment};

/// A compiled schema with the JSON it came from, kept to look up allowed keys and titles.
pub struct Schema {
    validator: Validator,
    json: Json,
    /// The code given to every problem this schema reports (`input/schema`, `pack/schema`).
    problem_id: Code,
}

impl Schema {
    /// Compiles a schema that ships with formfit. A failure here is a bug in formfit itself,
    /// caught by the tests that load every shipped schema.
    pub fn compile(text: &str, problem_id: impl Into<Code>) -> Result<Schema, String> {
        let problem_id = problem_id.into();
        let json: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let validator = jsonschema::validator_for(&json).map_err(|e| e.to_string())?;
        Ok(Schema {
            validator,
            json,
            problem_id,
        })
    }

    /// Every schema problem in the document, in document order.
    pub fn validate(&self, root: &Node) -> Vec<Problem> {
        self.validate_instance(root, &root.to_json())
    }

    /// [`Schema::validate`] of a tree whose plain JSON form the caller already has.
    pub fn validate_instance(&self, root: &Node, instance: &Json) -> Vec<Problem> {
        let mut problems = Vec::new();
        for error in self.validator.iter_errors(instance) {
            self.explain(root, &error, &mut problems);
        }
        problems.sort_by_key(|p| (p.span.start, p.span.end));
        problems.dedup();
        problems
    }

    fn explain(&self, root: &Node, error: &ValidationError, problems: &mut Vec<Problem>) {
        let before = problems.len();
        self.describe(root, error, problems);
        let path = display_path(&error.instance_path().segments().collect::<Vec<_>>());
        for problem in &mut problems[before..] {
            if problem.path.is_empty() {
                problem.path = path.clone();
            }
        }
    }

    fn describe(&self, root: &Node, error: &ValidationError, problems: &mut Vec<Problem>) {
        let segments: Vec<LocationSegment> = error.instance_path().segments().collect();
        let node = root.at_pointer(segments.iter().map(pointer_segment));
        let path = display_path(&segments);
        let id = self.problem_id;
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = self.allowed_keys(error);
                for key in unexpected {
                    let span = node
                        .entry(key)
                        .map_or(node.span.clone(), |e| e.key_span.clone());
                    let place = if path.is_empty() {
                        "at the top level".to_owned()
                    } else {
                        format!("in `{path}`")
                    };
                    let mut problem =
                        Problem::new(id, format!("unknown key `{key}` {place}"), span)
                            .with_label("unknown key");
                    problem = match did_you_mean(key, allowed.iter().map(String::as_str)) {
                        Some(close) => problem.with_help(format!(
                            "did you mean `{close}`? (vendor fields start with `x-`)"
                        )),
                        None if allowed.is_empty() => {
                            problem.with_help("vendor fields start with `x-`")
                        }
                        None => problem.with_help(format!(
                            "known keys here: {}; vendor fields start with `x-`",
                            allowed.join(", ")
                        )),
                    };
                    problems.push(problem);
                }
            }
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or("?");
                let place = if path.is_empty() {
                    "at the top level".to_owned()
                } else {
                    format!("in `{path}`")
                };
                problems.push(
                    Problem::new(
                        id,
                        format!("missing required key `{key}` {place}"),
                        node.span.clone(),
                    )
                    .with_label(format!("`{key}` is missing here")),
                );
            }
            ValidationErrorKind::Type { .. } => {
                let expected = self.expected_type(error);
                problems.push(
                    Problem::new(
                        id,
                        format!("`{path}` must be {expected}, found {}", node.type_name()),
                        node.span.clone(),
                    )
                    .with_label(format!("expected {expected}")),
                );
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Json::as_str).collect())
                    .unwrap_or_default();
                let found = node.as_str().unwrap_or("this value");
                let mut problem = Problem::new(
                    id,
                    format!("`{found}` is not a valid `{path}`"),
                    node.span.clone(),
                )
                .with_label(format!("expected one of: {}", options.join(", ")));
                if let Some(close) = did_you_mean(found, options.iter().copied()) {
                    problem = problem.with_help(format!("did you mean `{close}`?"));
                }
                problems.push(problem);
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                // Report the branch that fits the value's type best, so that a band table with
                // a typo says "unknown key" rather than "not valid under any schema".
                let branch = context
                    .iter()
                    .filter(|errors| !errors.is_empty())
                    .min_by_key(|errors| {
                        let wrong_type = errors.iter().any(|e| {
                            matches!(e.kind(), ValidationErrorKind::Type { .. })
                                && e.instance_path() == error.instance_path()
                        });
                        (wrong_type, errors.len())
                    });
                match branch {
                    Some(errors)
                        if !errors
                            .iter()
                            .all(|e| matches!(e.kind(), ValidationErrorKind::Type { .. })) =>
                    {
                        for inner in errors {
                            self.explain(root, inner, problems);
                        }
                    }
                    _ => {
                        let expected = self
                            .title_at(error)
                            .unwrap_or_else(|| "another shape".to_owned());
                        problems.push(
                            Problem::new(
                                id,
                                format!(
                                    "`{path}` must be {}, found {}",
                                    lowercase_first(&expected),
                                    node.type_name()
                                ),
                                node.span.clone(),
                            )
                            .with_label("wrong shape"),
                        );
                    }
                }
            }
            _ => {
                let message = error.masked().to_string();
                let message = if path.is_empty() {
                    message
                } else {
                    format!("`{path}`: {message}")
                };
                problems.push(Problem::new(id, message, node.span.clone()).with_label("here"));
            }
        }
    }

    /// The schema object an error's keyword sits in, found by following its schema path.
    fn schema_at(&self, error: &ValidationError) -> Option<&Json> {
        let pointer = error.schema_path().as_str();
        let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        self.resolve(self.json.pointer(parent)?)
    }

    fn resolve<'a>(&'a self, mut schema: &'a Json) -> Option<&'a Json> {
        for _ in 0..8 {
            match schema.get("$ref").and_then(Json::as_str) {
                Some(reference) => schema = self.json.pointer(reference.strip_prefix('#')?)?,
                None => return Some(schema),
            }
        }
        None
    }

    fn allowed_keys(&self, error: &ValidationError) -> Vec<String> {
        self.schema_at(error)
            .and_then(|s| s.get("properties"))
            .and_then(Json::as_object)
            .map(|props| props.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn expected_type(&self, error: &ValidationError) -> String {
        let names = |t: &Json| match t.as_str() {
            Some("object") => "a table",
            Some("array") => "an array",
            Some("string") => "a string",
            Some("number") | Some("integer") => "a number",
            Some("boolean") => "a boolean",
            _ => "another type",
        };
        // The keyword's own schema first: a `type` beside a `$ref` (`ammunition`) is its own.
        let pointer = error.schema_path().as_str();
        let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        let own = self.json.pointer(parent).and_then(|s| s.get("type"));
        match own.or_else(|| self.schema_at(error).and_then(|s| s.get("type"))) {
            Some(Json::Array(types)) => types.iter().map(names).collect::<Vec<_>>().join(" or "),
            Some(t) => names(t).to_owned(),
            None => "another type".to_owned(),
        }
    }

    fn title_at(&self, error: &ValidationError) -> Option<String> {
        let schema = self.schema_at(error)?;
        let describe = |s: &Json| {
            s.get("description")
                .or_else(|| s.get("title"))
                .and_then(Json::as_str)
                .map(str::to_owned)
        };
        describe(schema)
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn pointer_segment<'a>(segment: &'a LocationSegment<'a>) -> PointerSegment<'a> {
    match segment {
        LocationSegment::Property(key) => PointerSegment::Key(key),
        LocationSegment::Index(i) => PointerSegment::Index(*i),
    }
}

/// `radio[0].bands[1].max`: the path notation used in every report.
pub fn display_path(segments: &[LocationSegment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            LocationSegment::Property(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            LocationSegment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Reads a TOML file of formfit's own (profile, config, deviations): parse with spans, validate
/// against `schema`, deserialise. On failure, the text (for rendering) and every problem.
pub fn load_toml<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    schema: &Schema,
) -> Result<(crate::input::Document, T), (String, Vec<Problem>)> {
    use crate::input::{self, Format, Limits};
    let doc = input::parse(bytes, Format::Toml, &Limits::default())
        .map_err(|p| (String::from_utf8_lossy(bytes).into_owned(), p))?;
    let problems = schema.validate(&doc.root);
    if !problems.is_empty() {
        return Err((doc.text, problems));
    }
    deserialise(doc, schema.problem_id)
}

/// Reads a TOML file that ships inside formfit (a built-in profile) without its schema: the
/// test suite holds every such file to the schema, so a run need not compile the schema to
/// check it again. A file that does not deserialise is still an error, never a panic.
pub fn load_builtin_toml<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    problem_id: Code,
) -> Result<(crate::input::Document, T), (String, Vec<Problem>)> {
    use crate::input::{self, Format, Limits};
    let doc = input::parse(bytes, Format::Toml, &Limits::default())
        .map_err(|p| (String::from_utf8_lossy(bytes).into_owned(), p))?;
    deserialise(doc, problem_id)
}

fn deserialise<T: serde::de::DeserializeOwned>(
    doc: crate::input::Document,
    problem_id: Code,
) -> Result<(crate::input::Document, T), (String, Vec<Problem>)> {
    match serde_json::from_value(doc.root.to_json()) {
        Ok(value) => Ok((doc, value)),
        Err(e) => Err((
            doc.text,
            vec![Problem::new(problem_id, e.to_string(), 0..0)],
        )),
    }
}

/// Compiles a schema that ships with formfit. A failure is a bug in formfit itself, caught by
/// the tests that load every shipped schema, so it is not a user-facing error.
pub fn compile_shipped(text: &str, problem_id: impl Into<Code>) -> Schema {
    let problem_id = problem_id.into();
    match Schema::compile(text, problem_id) {
        Ok(schema) => schema,
        Err(e) => unreachable!("a shipped schema ({problem_id}) does not compile: {e}"),
    }
}

/// A shipped schema compiled once per process, for loaders called many times (profiles,
/// deviations, evidence, configuration). Compiled schemas are immutable.
pub fn shipped(
    cell: &'static std::sync::OnceLock<Schema>,
    text: &'static str,
    problem_id: impl Into<Code>,
) -> &'static Schema {
    cell.get_or_init(|| compile_shipped(text, problem_id))
}
