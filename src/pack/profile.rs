//! Profiles: the set of standards a tender names, each with an obligation, modelled on NATO's
//! interoperability profiles (NISP: mandatory / recommended / optional) and NIST OSCAL profiles
//! (import → merge → select).
//!
//! Resolution of a profile P:
//! 1. **import**: each profile in `imports` is resolved first, in order;
//! 2. **merge**: their standards, then P's own, are merged by pack; a later entry replaces an
//!    earlier one for the same pack (so P can raise or lower an obligation it imported);
//!    rule selections are merged the same way (includes and excludes accumulate);
//! 3. **select**: `include_rules` (when any) keeps only those rules; `exclude_rules` drops rules.
//!
//! A circular import, an unknown profile, standard or rule id, an edition pin that differs
//! from the pack's edition, and imports nested deeper than [`MAX_IMPORT_DEPTH`] are located
//! errors in the profile file. Each profile is merged once per resolution, however many paths
//! import it, so a diamond of imports costs time in proportion to its size.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde::Deserialize;

use crate::code::ProfileCode;
use crate::diagnostic::Problem;
use crate::hint::Hint;
use crate::input::{Node, PointerSegment};
use crate::pack::{normalise_id, Library, Pack, PackError};
use crate::schema::{load_builtin_toml, load_toml, shipped, Schema};

/// The schema, compiled on first use.
static SCHEMA: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();

/// The profile format's JSON Schema, published in `schemas/`.
pub const PROFILE_SCHEMA: &str = include_str!("../../schemas/profile.schema.json");

/// How many profiles deep imports may nest (a profile importing one that imports one… ).
pub const MAX_IMPORT_DEPTH: usize = 32;

/// How strongly a profile requires a standard. Only `mandatory` findings fail the gate.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Obligation {
    #[default]
    Mandatory,
    Recommended,
    Optional,
}

impl Obligation {
    pub fn as_str(self) -> &'static str {
        match self {
            Obligation::Mandatory => "mandatory",
            Obligation::Recommended => "recommended",
            Obligation::Optional => "optional",
        }
    }
}

#[derive(Debug, Deserialize)]
struct ProfileFile {
    profile: Header,
    #[serde(default)]
    standard: Vec<StandardEntry>,
    #[serde(default)]
    select: Select,
}

#[derive(Debug, Clone, Deserialize)]
struct Header {
    name: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    imports: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct StandardEntry {
    id: String,
    edition: Option<String>,
    #[serde(default)]
    obligation: Obligation,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Select {
    #[serde(default)]
    include_rules: Vec<String>,
    #[serde(default)]
    exclude_rules: Vec<String>,
}

/// A profile as written, with its document kept for locating errors.
#[derive(Debug)]
pub struct Profile {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub file: String,
    text: String,
    root: Node,
    imports: Vec<String>,
    standards: Vec<StandardEntry>,
    select: Select,
}

/// A resolved profile: the standards to check, with their obligation and rule selection.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub standards: Vec<ResolvedStandard>,
}

#[derive(Debug, Clone)]
pub struct ResolvedStandard {
    pub pack: Arc<Pack>,
    pub obligation: Obligation,
    /// The rule ids to check; `None` means every rule of the pack.
    pub rules: Option<BTreeSet<String>>,
}

/// Reads a profile file; schema problems are located in it.
pub fn load(file: &str, bytes: &[u8]) -> Result<Profile, PackError> {
    let fail = |text: String, problems| PackError {
        file: file.to_owned(),
        text,
        problems,
    };
    let schema = shipped(&SCHEMA, PROFILE_SCHEMA, ProfileCode::Schema);
    let (doc, spec): (_, ProfileFile) =
        load_toml(bytes, schema).map_err(|(text, problems)| fail(text, problems))?;
    Ok(profile(file, doc, spec))
}

/// Reads a built-in profile (`rules/profiles/`) without compiling the profile schema: the test
/// suite loads every built-in profile through [`load`], schema first.
pub fn load_builtin(file: &str, bytes: &[u8]) -> Result<Profile, PackError> {
    let (doc, spec): (_, ProfileFile) = load_builtin_toml(bytes, ProfileCode::Schema.into())
        .map_err(|(text, problems)| PackError {
            file: file.to_owned(),
            text,
            problems,
        })?;
    Ok(profile(file, doc, spec))
}

fn profile(file: &str, doc: crate::input::Document, spec: ProfileFile) -> Profile {
    Profile {
        name: spec.profile.name,
        title: spec.profile.title,
        description: spec.profile.description,
        file: file.to_owned(),
        text: doc.text,
        root: doc.root,
        imports: spec.profile.imports,
        standards: spec.standard,
        select: spec.select,
    }
}

impl Profile {
    fn at(&self, segments: &[PointerSegment]) -> crate::input::Span {
        self.root.at_pointer(segments.iter().copied()).span.clone()
    }

    fn error(&self, problems: Vec<Problem>) -> PackError {
        PackError {
            file: self.file.clone(),
            text: self.text.clone(),
            problems,
        }
    }
}

/// Resolves the profile called `name` against the library and the other known profiles.
pub fn resolve(name: &str, profiles: &[Profile], library: &Library) -> Result<Resolved, PackError> {
    let mut stack = Vec::new();
    let merged = merge(name, profiles, library, &mut stack, &mut HashMap::new())?;
    let Some(profile) = profiles.iter().find(|p| p.name == name) else {
        unreachable!("merge checked that the profile exists");
    };
    // select
    let known_rules: BTreeSet<&str> = merged
        .standards
        .iter()
        .flat_map(|s| s.pack.rules.iter().map(|r| r.id.as_str()))
        .collect();
    let mut problems = Vec::new();
    for (key, ids) in [
        ("include_rules", &merged.include),
        ("exclude_rules", &merged.exclude),
    ] {
        for (id, owner) in ids {
            if !known_rules.contains(id.as_str()) {
                let span = owner_span(profiles, owner, key, id)
                    .unwrap_or_else(|| profile.at(&[PointerSegment::Key("select")]));
                problems.push(
                    Problem::new(
                        ProfileCode::UnknownRule,
                        format!("rule `{id}` is in none of the profile's standards"),
                        span,
                    )
                    .with_label("unknown rule"),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(profile.error(problems));
    }
    let include: BTreeSet<String> = merged.include.into_iter().map(|(id, _)| id).collect();
    let exclude: BTreeSet<String> = merged.exclude.into_iter().map(|(id, _)| id).collect();
    let standards = merged
        .standards
        .into_iter()
        .map(|mut s| {
            let all: BTreeSet<String> = s.pack.rules.iter().map(|r| r.id.clone()).collect();
            let kept: BTreeSet<String> = all
                .iter()
                .filter(|id| include.is_empty() || include.contains(*id))
                .filter(|id| !exclude.contains(*id))
                .cloned()
                .collect();
            s.rules = (kept != all).then_some(kept);
            s
        })
        .collect();
    Ok(Resolved {
        name: profile.name.clone(),
        title: profile.title.clone(),
        description: profile.description.clone(),
        standards,
    })
}

/// Standards and selections after import and merge, before selection.
#[derive(Clone)]
struct Merged {
    standards: Vec<ResolvedStandard>,
    /// Rule ids with the name of the profile that listed them.
    include: Vec<(String, String)>,
    exclude: Vec<(String, String)>,
}

/// Merges `name` after its imports. `done` holds the profiles already merged in this
/// resolution: a profile reached again by another path (a diamond) is not merged again. A
/// profile merged without error has no cycle below it, so reusing it cannot hide one.
fn merge(
    name: &str,
    profiles: &[Profile],
    library: &Library,
    stack: &mut Vec<String>,
    done: &mut HashMap<String, Merged>,
) -> Result<Merged, PackError> {
    if let Some(merged) = done.get(name) {
        return Ok(merged.clone());
    }
    let Some(profile) = profiles.iter().find(|p| p.name == name) else {
        unreachable!("callers check that imported profiles exist");
    };
    stack.push(name.to_owned());
    let mut merged = Merged {
        standards: Vec::new(),
        include: Vec::new(),
        exclude: Vec::new(),
    };
    for (i, import) in profile.imports.iter().enumerate() {
        let span = profile.at(&[
            PointerSegment::Key("profile"),
            PointerSegment::Key("imports"),
            PointerSegment::Index(i),
        ]);
        if stack.contains(import) {
            let cycle = stack
                .iter()
                .chain([import])
                .cloned()
                .collect::<Vec<_>>()
                .join(" → ");
            return Err(profile.error(vec![Problem::new(
                ProfileCode::CircularImport,
                format!("circular import: {cycle}"),
                span,
            )
            .with_label("imported again here")]));
        }
        if !profiles.iter().any(|p| p.name == *import) {
            let known: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
            return Err(profile.error(vec![Problem::new(
                ProfileCode::UnknownProfile,
                format!("unknown profile `{import}`"),
                span,
            )
            .with_label("not a known profile")
            .with_help(format!("known profiles: {}", known.join(", ")))]));
        }
        if stack.len() >= MAX_IMPORT_DEPTH {
            return Err(profile.error(vec![Problem::new(
                ProfileCode::ImportDepth,
                format!(
                    "imports nest deeper than {MAX_IMPORT_DEPTH} profiles (from `{}` down to `{import}`)",
                    stack.first().map_or(name, String::as_str)
                ),
                span,
            )
            .with_label("one level too deep")
            .with_help("import the profiles you need directly instead of through a long chain")]));
        }
        let imported = merge(import, profiles, library, stack, done)?;
        for s in imported.standards {
            upsert(&mut merged.standards, s);
        }
        // The same selection reached by two paths is one selection: without this, a diamond
        // of imports doubles the lists at every level.
        extend_unique(&mut merged.include, imported.include);
        extend_unique(&mut merged.exclude, imported.exclude);
    }
    let mut problems = Vec::new();
    for (i, entry) in profile.standards.iter().enumerate() {
        let place = |key| {
            profile.at(&[
                PointerSegment::Key("standard"),
                PointerSegment::Index(i),
                PointerSegment::Key(key),
            ])
        };
        let Some((pack, _)) = library.find(&entry.id) else {
            // A pack the holder may not hold: refused by name, not reported as unknown.
            if let Some(why) = library.withheld_reason(&entry.id) {
                problems.push(
                    Problem::new(
                        ProfileCode::WithheldStandard,
                        format!("refused: {why}"),
                        place("id"),
                    )
                    .with_label("withheld from you")
                    .with_hint(Hint::StateClearance),
                );
                continue;
            }
            let known: Vec<&str> = library.designations().collect();
            problems.push(
                Problem::new(
                    ProfileCode::UnknownStandard,
                    format!("unknown standard `{}`", entry.id),
                    place("id"),
                )
                .with_label("no pack for this")
                .with_help(format!("known standards: {}", known.join(", "))),
            );
            continue;
        };
        if let Some(edition) = &entry.edition {
            if normalise_id(edition) != normalise_id(&pack.meta.edition) {
                problems.push(
                    Problem::new(
                        ProfileCode::EditionPin,
                        format!(
                            "the profile pins {} edition {edition}, but the pack models edition {}",
                            pack.meta.designation, pack.meta.edition
                        ),
                        place("edition"),
                    )
                    .with_label("pinned here")
                    .with_hint(Hint::LoadPinnedEdition),
                );
                continue;
            }
        }
        upsert(
            &mut merged.standards,
            ResolvedStandard {
                pack,
                obligation: entry.obligation,
                rules: None,
            },
        );
    }
    if !problems.is_empty() {
        return Err(profile.error(problems));
    }
    merged.include.extend(
        profile
            .select
            .include_rules
            .iter()
            .map(|id| (id.clone(), name.to_owned())),
    );
    merged.exclude.extend(
        profile
            .select
            .exclude_rules
            .iter()
            .map(|id| (id.clone(), name.to_owned())),
    );
    stack.pop();
    done.insert(name.to_owned(), merged.clone());
    Ok(merged)
}

fn extend_unique(list: &mut Vec<(String, String)>, more: Vec<(String, String)>) {
    let mut seen: HashSet<(String, String)> = list.iter().cloned().collect();
    list.extend(more.into_iter().filter(|entry| seen.insert(entry.clone())));
}

fn upsert(standards: &mut Vec<ResolvedStandard>, s: ResolvedStandard) {
    match standards.iter_mut().find(|t| Arc::ptr_eq(&t.pack, &s.pack)) {
        Some(existing) => *existing = s,
        None => standards.push(s),
    }
}

/// The span of a rule id in the `select` list of the profile that wrote it.
fn owner_span(
    profiles: &[Profile],
    owner: &str,
    key: &str,
    id: &str,
) -> Option<crate::input::Span> {
    let profile = profiles.iter().find(|p| p.name == owner)?;
    let list = profile.root.get("select")?.get(key)?;
    match &list.value {
        crate::input::Value::Array(items) => items
            .iter()
            .find(|n| n.as_str() == Some(id))
            .map(|n| n.span.clone()),
        _ => None,
    }
}
