//! The packs a run can use. A built-in pack is compiled the first time a run needs it (a claim,
//! a `--standard`, a profile, `--all-applicable`, a listing): a product that claims three
//! standards costs three compilations, not one per built-in pack. What a run must know of a
//! pack before that (the names it answers to, its marking, its rule ids) is read by `build.rs`.

use std::collections::HashMap;
use std::path::Path as FsPath;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::{normalise_id, withheld, Holder, Pack, PackCompiler, PackError};
use super::{BUILTIN, BUILTIN_HEADS, BUILTIN_PROFILES};
use crate::code::PackCode;
use crate::diagnostic::Problem;

/// What `build.rs` read of a built-in pack, so that a run can find it, withhold it or see a
/// clash with its rule ids without compiling it. `tests` hold it equal to the compiled pack.
#[derive(Debug)]
pub struct BuiltinHead {
    pub designation: &'static str,
    pub aliases: &'static [&'static str],
    /// `None` when the pack states none (it is then `PUBLIC`).
    pub classification: Option<&'static str>,
    pub releasable_to: &'static [&'static str],
    /// The ids of its rules, in file order.
    pub rules: &'static [&'static str],
}

/// Designations that products claim but that are not standards (`rules/notes/non-standards.toml`).
pub const NON_STANDARDS: &str = include_str!("../../rules/notes/non-standards.toml");

/// A designation that is not a standard a product can conform to, and why.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonStandard {
    pub designation: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub why: String,
    pub help: String,
    pub source: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NonStandardsFile {
    non_standard: Vec<NonStandard>,
}

/// The packs a run can use: the built-in ones, plus any from `--rules` directories.
#[derive(Debug, Default)]
pub struct Library {
    /// Changed only through [`Library::slots_mut`], which keeps `by_name` true to them.
    slots: Vec<Slot>,
    /// Each normalised name and the first slot that answers to it: [`Library::find`] runs for
    /// every claim of every product. Built on first use.
    by_name: OnceLock<HashMap<String, usize>>,
    /// Packs the holder may not load, with why. Kept only to explain claims of them.
    pub withheld: Vec<(Arc<Pack>, String)>,
    /// Profiles as written; resolved on use, against this library's packs.
    pub profiles: Vec<crate::pack::profile::Profile>,
    pub non_standards: Vec<NonStandard>,
    /// Built-in packs that a user pack with the same designation replaced: (designation, file).
    pub replaced: Vec<(String, String)>,
    /// Built-in packs that did not compile when first needed, until [`Library::take_errors`].
    failed: Mutex<Vec<PackError>>,
}

/// One pack of a library: compiled, or built in and compiled on first use.
#[derive(Debug)]
enum Slot {
    Ready(Arc<Pack>),
    OnDemand(Box<OnDemand>),
}

#[derive(Debug)]
struct OnDemand {
    file: &'static str,
    text: &'static str,
    head: &'static BuiltinHead,
    /// The head's names through [`normalise_id`], designation first, as [`Pack::normalised_names`].
    normalised: Vec<String>,
    /// `None` once it failed (its error went to the library's `failed`).
    compiled: OnceLock<Option<Arc<Pack>>>,
}

impl Slot {
    fn normalised(&self) -> &[String] {
        match self {
            Slot::Ready(pack) => &pack.normalised_names,
            Slot::OnDemand(d) => &d.normalised,
        }
    }

    /// The `i`-th name the standard answers to (0 is the designation), as written.
    fn name(&self, i: usize) -> &str {
        match (self, i) {
            (Slot::Ready(pack), 0) => &pack.meta.designation,
            (Slot::Ready(pack), i) => &pack.meta.aliases[i - 1],
            (Slot::OnDemand(d), 0) => d.head.designation,
            (Slot::OnDemand(d), i) => d.head.aliases[i - 1],
        }
    }

    fn designation(&self) -> &str {
        self.name(0)
    }

    fn file(&self) -> &str {
        match self {
            Slot::Ready(pack) => &pack.file,
            Slot::OnDemand(d) => d.file,
        }
    }

    fn classification(&self) -> &str {
        match self {
            Slot::Ready(pack) => &pack.meta.classification,
            Slot::OnDemand(d) => d.head.classification.unwrap_or(super::model::PUBLIC),
        }
    }

    fn builtin(&self) -> bool {
        match self {
            Slot::Ready(pack) => pack.builtin,
            Slot::OnDemand(_) => true,
        }
    }

    fn has_rule(&self, id: &str) -> bool {
        match self {
            Slot::Ready(pack) => pack.rules.iter().any(|r| r.id.eq_ignore_ascii_case(id)),
            Slot::OnDemand(d) => d.head.rules.iter().any(|r| r.eq_ignore_ascii_case(id)),
        }
    }

    fn withheld_from(&self, holder: &Holder) -> Option<String> {
        match self {
            Slot::Ready(pack) => pack.withheld_from(holder),
            Slot::OnDemand(d) => withheld(
                d.head.designation,
                self.classification(),
                d.head.releasable_to,
                holder,
            ),
        }
    }

    /// The compiled pack, compiling it now if it is the first use; `None` when it does not
    /// compile, the error then going to `failed` (once).
    fn pack(&self, failed: &Mutex<Vec<PackError>>) -> Option<&Arc<Pack>> {
        match self {
            Slot::Ready(pack) => Some(pack),
            Slot::OnDemand(d) => d
                .compiled
                .get_or_init(|| {
                    match PackCompiler::new().compile(d.file, d.text.as_bytes(), true) {
                        Ok(pack) => Some(Arc::new(pack)),
                        Err(e) => {
                            failed
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push(e);
                            None
                        }
                    }
                })
                .as_ref(),
        }
    }
}

impl Library {
    /// The slots, to change them: the name index is rebuilt on its next use.
    fn slots_mut(&mut self) -> &mut Vec<Slot> {
        self.by_name = OnceLock::new();
        &mut self.slots
    }

    /// The first slot that answers to a name through [`normalise_id`].
    fn slot_named(&self, normalised: &str) -> Option<&Slot> {
        let by_name = self.by_name.get_or_init(|| {
            let mut by_name = HashMap::new();
            for (i, slot) in self.slots.iter().enumerate() {
                for name in slot.normalised() {
                    by_name.entry(name.clone()).or_insert(i);
                }
            }
            by_name
        });
        by_name.get(normalised).map(|&i| &self.slots[i])
    }

    /// The built-in packs, all compiled now. They are validated by the test suite, so errors
    /// here mean a broken build.
    pub fn builtin(compiler: &PackCompiler) -> (Library, Vec<PackError>) {
        let (mut library, mut errors) = Library::notes_and_profiles();
        for (file, text) in BUILTIN {
            match compiler.compile(file, text.as_bytes(), true) {
                Ok(pack) => library.slots_mut().push(Slot::Ready(Arc::new(pack))),
                Err(e) => errors.push(e),
            }
        }
        (library, errors)
    }

    /// The built-in packs, each compiled when first needed. The errors are those known now
    /// (a pack `build.rs` could not read is compiled at once); a pack that fails later is
    /// reported by [`Library::take_errors`].
    pub fn builtin_on_demand() -> (Library, Vec<PackError>) {
        let (mut library, mut errors) = Library::notes_and_profiles();
        for ((file, text), head) in BUILTIN.iter().zip(BUILTIN_HEADS) {
            match head {
                Some(head) => library.slots_mut().push(Slot::OnDemand(Box::new(OnDemand {
                    file,
                    text,
                    head,
                    normalised: std::iter::once(head.designation)
                        .chain(head.aliases.iter().copied())
                        .map(normalise_id)
                        .collect(),
                    compiled: OnceLock::new(),
                }))),
                None => match PackCompiler::new().compile(file, text.as_bytes(), true) {
                    Ok(pack) => library.slots_mut().push(Slot::Ready(Arc::new(pack))),
                    Err(e) => errors.push(e),
                },
            }
        }
        (library, errors)
    }

    /// The non-standards note and the built-in profiles, which every library has.
    fn notes_and_profiles() -> (Library, Vec<PackError>) {
        let mut library = Library::default();
        let mut errors = Vec::new();
        match toml::from_str::<NonStandardsFile>(NON_STANDARDS) {
            Ok(file) => library.non_standards = file.non_standard,
            Err(e) => errors.push(PackError {
                file: "rules/notes/non-standards.toml".to_owned(),
                text: NON_STANDARDS.to_owned(),
                problems: vec![Problem::new(
                    PackCode::Schema,
                    e.message().to_owned(),
                    e.span().unwrap_or(0..0),
                )],
            }),
        }
        for (file, text) in BUILTIN_PROFILES {
            match crate::pack::profile::load_builtin(file, text.as_bytes()) {
                Ok(profile) => library.profiles.push(profile),
                Err(e) => errors.push(e),
            }
        }
        (library, errors)
    }

    /// Every pack, in load order, compiling those not compiled yet: for what needs them all
    /// (`--all-applicable`, listings). A pack that does not compile is left out, and reported
    /// by [`Library::take_errors`].
    pub fn packs(&self) -> impl Iterator<Item = &Arc<Pack>> {
        self.slots.iter().filter_map(|s| s.pack(&self.failed))
    }

    /// A library of these packs alone, already compiled (one edition of a pack, for a diff).
    pub fn of(packs: impl IntoIterator<Item = Arc<Pack>>) -> Library {
        Library {
            slots: packs.into_iter().map(Slot::Ready).collect(),
            ..Library::default()
        }
    }

    /// Keeps the compiled packs for which `keep` holds (built-in packs not compiled yet stay):
    /// an editor drops the saved copy of the pack it is checking.
    pub fn retain_packs(&mut self, keep: impl Fn(&Pack) -> bool) {
        self.slots_mut().retain(|s| match s {
            Slot::Ready(pack) => keep(pack),
            Slot::OnDemand(_) => true,
        });
    }

    /// Compiles every pack not compiled yet, so that their errors can be reported now.
    pub fn compile_all(&self) {
        self.packs().for_each(drop);
    }

    /// The errors of built-in packs that failed to compile since the last call.
    pub fn take_errors(&self) -> Vec<PackError> {
        std::mem::take(&mut *self.failed.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Every pack's designation, in load order, without compiling any.
    pub fn designations(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().map(Slot::designation)
    }

    /// Every pack's marking (`PUBLIC`, `NATO RESTRICTED`…), without compiling any.
    pub fn classifications(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().map(Slot::classification)
    }

    /// The files the packs of `--rules` folders were read from (built-in packs have none).
    pub fn sources(&self) -> impl Iterator<Item = &FsPath> {
        self.slots.iter().filter_map(|s| match s {
            Slot::Ready(pack) => pack.source.as_deref(),
            Slot::OnDemand(_) => None,
        })
    }

    /// Adds a pack that passed the trust gate. A pack whose designation is a built-in pack's
    /// replaces it (and is recorded in `replaced`). Two user packs with one designation, or a
    /// rule id another loaded pack already uses, are errors at the second occurrence, naming the
    /// first: which of two packs speaks for a standard, or which rule an id means, is never
    /// decided by file order.
    pub fn admit(&mut self, pack: Pack) -> Result<(), Vec<Problem>> {
        let key = normalise_id(&pack.meta.designation);
        let same = self
            .slots
            .iter()
            .position(|s| s.normalised().first() == Some(&key));
        let mut problems = Vec::new();
        if let Some(first) = same.map(|i| &self.slots[i]).filter(|s| !s.builtin()) {
            problems.push(
                Problem::new(
                    PackCode::DuplicateDesignation,
                    format!(
                        "{} is also the designation of {}",
                        pack.meta.designation,
                        first.file()
                    ),
                    pack.designation_span.clone(),
                )
                .with_label("second pack for this standard")
                .with_help(format!(
                    "keep one pack per standard: remove this one or {}",
                    first.file()
                )),
            );
        }
        for rule in &pack.rules {
            let first = self
                .slots
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != same)
                .find(|(_, s)| s.has_rule(&rule.id));
            if let Some((_, first)) = first {
                problems.push(
                    Problem::new(
                        PackCode::DuplicateRule,
                        format!(
                            "rule id `{}` is already used by {} ({})",
                            rule.id,
                            first.designation(),
                            first.file()
                        ),
                        rule.id_span.clone(),
                    )
                    .with_label("second use")
                    .with_help("rule ids must be unique across every loaded pack"),
                );
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        match same {
            Some(i) => {
                self.replaced
                    .push((pack.meta.designation.clone(), pack.file.clone()));
                self.slots_mut()[i] = Slot::Ready(Arc::new(pack));
            }
            None => self.slots_mut().push(Slot::Ready(Arc::new(pack))),
        }
        Ok(())
    }

    /// Whether the pack replaced a built-in one.
    pub fn replaces_builtin(&self, pack: &Pack) -> bool {
        self.replaced.iter().any(|(_, file)| *file == pack.file)
    }

    /// Moves the packs the holder may not load out of use; returns them with why. Only those
    /// are compiled (a withheld pack is kept to explain claims of it).
    pub fn withhold(&mut self, holder: &Holder) -> Vec<(Arc<Pack>, String)> {
        let mut withheld = Vec::new();
        for slot in std::mem::take(self.slots_mut()) {
            match slot.withheld_from(holder) {
                None => self.slots_mut().push(slot),
                Some(why) => {
                    if let Some(pack) = slot.pack(&self.failed) {
                        withheld.push((pack.clone(), why));
                    }
                }
            }
        }
        self.withheld.extend(withheld.iter().cloned());
        withheld
    }

    /// Why a name's pack is withheld from the holder, if it is.
    pub fn withheld_reason(&self, name: &str) -> Option<&str> {
        let wanted = normalise_id(name);
        self.withheld
            .iter()
            .find(|(p, _)| p.normalised_names.contains(&wanted))
            .map(|(_, why)| why.as_str())
    }

    /// The designation a name is one slip away from (`STANAG 4127` for `STANAG 4172`): a
    /// swapped, missing or extra character. A digit for another digit is not a slip: `STANAG
    /// 4173` is another agreement, not a typo.
    pub fn near_miss(&self, name: &str) -> Option<&str> {
        let wanted = normalise_id(name);
        let length = wanted.chars().count();
        if length < 5 {
            return None;
        }
        self.slots.iter().find_map(|slot| {
            let i = slot.normalised().iter().position(|known| {
                // One slip changes the length by at most one character: the distance of
                // names further apart in length need not be computed.
                known.chars().count().abs_diff(length) <= 1
                    && strsim::damerau_levenshtein(&wanted, known) == 1
                    && !super::one_digit_swapped_for_another(&wanted, known)
            })?;
            Some(slot.name(i))
        })
    }

    /// The non-standard a name means, if it is one (`STANAG 4179`).
    pub fn non_standard(&self, name: &str) -> Option<&NonStandard> {
        let wanted = normalise_id(name);
        self.non_standards
            .iter()
            .find(|n| super::names(&n.designation, &n.aliases).any(|d| normalise_id(d) == wanted))
    }

    /// The pack a user's name for a standard means, and the edition the name carries when it
    /// differs from the pack's (`MIL-STD-1275D` against a pack of edition E). The pack is
    /// compiled if this is its first use; `None` also when it does not compile.
    pub fn find(&self, name: &str) -> Option<(Arc<Pack>, Option<String>)> {
        let wanted = normalise_id(name);
        // A name some pack has exactly wins over reading another pack's name plus an edition:
        // `30x173 mm` is that pack, not `30x173` in an edition `MM`, whatever the load order.
        if let Some(slot) = self.slot_named(&wanted) {
            return slot.pack(&self.failed).map(|p| (p.clone(), None));
        }
        for slot in &self.slots {
            for known in slot.normalised() {
                // An edition letter after a designation ending in a digit: MIL-STD-1275E.
                if let Some(edition) = wanted.strip_prefix(known.as_str()) {
                    let edition_like = edition.len() <= 3
                        && edition.starts_with(|c: char| c.is_ascii_alphabetic())
                        && known.ends_with(|c: char| c.is_ascii_digit());
                    if edition_like {
                        let pack = slot.pack(&self.failed)?;
                        let differs = normalise_id(&pack.meta.edition) != edition;
                        return Some((pack.clone(), differs.then(|| edition.to_uppercase())));
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_named(designation: &str, rule: &str) -> Arc<Pack> {
        let text = format!(
            "formfit_pack = 1\n\n[standard]\ndesignation = \"{designation}\"\ntitle = \"t\"\n\
             edition = \"A\"\nsource = \"tests\"\nnote = \"Modelled for tests only.\"\n\n\
             [[rule]]\nid = \"{rule}\"\nclause = \"c\"\nlevel = \"shall\"\nmessage = \"m\"\n\
             path = \"product.id\"\nrequired = true\n"
        );
        Arc::new(
            PackCompiler::new()
                .compile("t.toml", text.as_bytes(), false)
                .unwrap(),
        )
    }

    #[test]
    fn an_exact_name_wins_over_another_name_read_with_an_edition() {
        let library = Library::of([pack_named("30x173", "A-1"), pack_named("30x173 mm", "B-1")]);
        let (pack, edition) = library.find("30x173 mm").unwrap();
        assert_eq!(pack.meta.designation, "30x173 mm");
        assert_eq!(edition, None);
        // An edition after a name still reads as one.
        let (pack, edition) = library.find("30x173B").unwrap();
        assert_eq!(pack.meta.designation, "30x173");
        assert_eq!(edition.as_deref(), Some("B"));
    }

    /// The name index `find` builds on first use follows every later change of the packs.
    #[test]
    fn find_sees_packs_admitted_and_dropped_after_a_first_look_up() {
        let mut library = Library::of([pack_named("STANAG 1", "A-1")]);
        assert!(library.find("STANAG 2").is_none());
        let second = Arc::try_unwrap(pack_named("STANAG 2", "B-1")).unwrap();
        library.admit(second).unwrap();
        assert_eq!(
            library.find("stanag-2").unwrap().0.meta.designation,
            "STANAG 2"
        );
        library.retain_packs(|p| p.meta.designation != "STANAG 2");
        assert!(library.find("STANAG 2").is_none());
        assert!(library.find("STANAG 1").is_some());
    }

    /// `build.rs` reads the heads with its own TOML parse: they must say what the compiled
    /// packs say, or a claim would find a pack under a name it does not have.
    #[test]
    fn every_builtin_head_is_its_compiled_pack() {
        assert_eq!(BUILTIN_HEADS.len(), BUILTIN.len());
        let compiler = PackCompiler::new();
        for ((file, text), head) in BUILTIN.iter().zip(BUILTIN_HEADS) {
            let head = head.as_ref().unwrap_or_else(|| panic!("{file}: no head"));
            let pack = compiler.compile(file, text.as_bytes(), true).unwrap();
            let meta = &pack.meta;
            assert_eq!(head.designation, meta.designation, "{file}");
            assert_eq!(head.aliases, meta.aliases, "{file}");
            assert_eq!(
                head.classification.unwrap_or(super::super::model::PUBLIC),
                meta.classification,
                "{file}"
            );
            assert_eq!(head.releasable_to, meta.releasable_to, "{file}");
            let ids: Vec<&str> = pack.rules.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(head.rules, ids, "{file}");
        }
    }

    #[test]
    fn a_claim_compiles_only_the_pack_it_names() {
        let (library, errors) = Library::builtin_on_demand();
        assert!(errors.is_empty(), "{errors:?}");
        let compiled = |library: &Library| {
            library
                .slots
                .iter()
                .filter(|s| match s {
                    Slot::Ready(_) => true,
                    Slot::OnDemand(d) => d.compiled.get().is_some(),
                })
                .count()
        };
        assert_eq!(compiled(&library), 0);
        let (pack, edition) = library.find("mil-std-1275f").unwrap();
        assert_eq!(pack.meta.designation, "MIL-STD-1275");
        assert_eq!(
            edition.as_deref(),
            Some("F"),
            "the pack's edition is another"
        );
        assert_eq!(compiled(&library), 1);
        assert_eq!(library.near_miss("MIL-STD-1257"), Some("MIL-STD-1275"));
        assert_eq!(compiled(&library), 1, "a near miss compiles nothing");
        assert_eq!(library.packs().count(), BUILTIN.len());
        assert_eq!(compiled(&library), BUILTIN.len());
    }

    /// A built-in pack that does not compile is not lost: its error is reported once, and a
    /// claim of it finds no pack rather than a broken one.
    #[test]
    fn a_builtin_pack_that_fails_on_first_use_is_reported_once() {
        static HEAD: BuiltinHead = BuiltinHead {
            designation: "STANAG 9999",
            aliases: &[],
            classification: None,
            releasable_to: &[],
            rules: &["S9999-1"],
        };
        let broken = "formfit_pack = 1\n[standard]\ndesignation = \"STANAG 9999\"\n[[rule]]\nid = \"S9999-1\"\n";
        let library = Library {
            slots: vec![Slot::OnDemand(Box::new(OnDemand {
                file: "rules/broken.toml",
                text: broken,
                head: &HEAD,
                normalised: vec![normalise_id(HEAD.designation)],
                compiled: OnceLock::new(),
            }))],
            ..Library::default()
        };
        assert!(library.take_errors().is_empty(), "nothing compiled yet");
        assert!(library.find("STANAG 9999").is_none());
        assert!(library.find("STANAG 9999").is_none());
        let errors = library.take_errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].file, "rules/broken.toml");
        assert!(!errors[0].problems.is_empty());
        assert!(library.take_errors().is_empty(), "reported once");
        assert_eq!(library.designations().collect::<Vec<_>>(), ["STANAG 9999"]);
    }
}
