//! Check kinds: what a rule asks of the values its path reaches.
//!
//! Each kind lives in its own file: it implements [`Check`], declares the pack keys it owns and
//! their schema in a [`Kind`], reads them from the rule ([`Keys`]), and is listed once in
//! [`REGISTRY`]. Adding a kind is one file, one registry line, fixtures.
//! Each kind's file ends with its cases (pass, fail, absent, edge), all run through the one
//! `tester`: a rule written as in a pack, a product written as in a product file.

mod bounds;
mod count;
mod equals;
mod identifier;
mod interval;
pub mod keys;
mod one_of;
mod pattern;
pub mod terms;

use std::fmt::Debug;

use crate::code::PackCode;
use crate::input::Node;
use crate::level::Level;
use crate::quantity::{parse_quantity, parse_range, quantity_of, Interval, Quantity};
use crate::span::Span;
pub use keys::{CompileError, Keys};

/// How one reached value fares against a check, and by which branch of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Pass(Branch),
    Fail(Failure),
}

impl Verdict {
    /// The usual pass: the value is what the rule asks.
    pub const PASS: Verdict = Verdict::Pass(Branch::Passes);

    /// The branch of the check the value took.
    pub fn branch(&self) -> Branch {
        match self {
            Verdict::Pass(branch) => *branch,
            Verdict::Fail(failure) => failure.branch,
        }
    }
}

/// A way a rule can go for a value: what `formfit rules test --coverage` counts. A kind lists
/// the branches it has in its [`Kind`]; each verdict names the one it took, so coverage is read
/// from what the checks did, never guessed from their messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Branch {
    /// The value is what the rule asks: in range, equal, accepted, of the form, present.
    Passes,
    /// Below a minimum, or short at the low end of a range (`within`, `covers`, `count`).
    Below,
    /// Above a maximum, or past the high end of a range.
    Above,
    /// Reaches a value or window an `avoids` rule keeps clear.
    Notch,
    /// A look-alike `one_of` names, with its own explanation.
    Lookalike,
    /// An ambiguous name `one_of` asks to be made precise.
    Ambiguous,
    /// A deprecated or obsolete spelling: passes with a note.
    Deprecated,
    /// Another value than the one asked: another quantity, a name not accepted, another form.
    Differs,
    /// A part of a structured code (`identifier.part`) the pack does not list.
    UnlistedPart,
    /// `within` with `overlapping_only`: a value wholly outside the range, not judged.
    Outside,
    /// The path reaches nothing: missing when the rule is `required`, else not judged.
    Absent,
    /// A value of another dimension or type than the rule compares. No kind lists it as a
    /// branch to cover: the product schema refuses most such values before a rule sees them.
    Mismatch,
}

impl Branch {
    /// As `--coverage` names it.
    pub fn name(self) -> &'static str {
        match self {
            Branch::Passes => "passes",
            Branch::Below => "below",
            Branch::Above => "above",
            Branch::Notch => "notch",
            Branch::Lookalike => "look-alike",
            Branch::Ambiguous => "ambiguous",
            Branch::Deprecated => "deprecated",
            Branch::Differs => "other value",
            Branch::UnlistedPart => "unlisted part",
            Branch::Outside => "outside",
            Branch::Absent => "absent",
            Branch::Mismatch => "other dimension",
        }
    }
}

/// The branches a rule with this check has: its kind's, as far as the rule's keys give them
/// (`min` alone has no `above`). A rule with no check (`required = true` alone) passes or finds
/// its value absent.
pub fn branches(check: Option<&dyn Check>) -> Vec<Branch> {
    match check {
        Some(check) => check
            .kind()
            .branches
            .iter()
            .copied()
            .filter(|b| check.takes(*b))
            .collect(),
        None => vec![Branch::Passes, Branch::Absent],
    }
}

/// Why a value fails: the label shown at it, an optional fix, and optionally the child key
/// (`min`, `max`) that is at fault, so the label lands on the exact end of a range.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The branch of the check that failed (or noted) the value.
    pub branch: Branch,
    pub at: Option<&'static str>,
    pub label: String,
    pub help: Option<String>,
    /// Overrides the rule's level: a deprecated spelling passes with a `may` note.
    pub level: Option<Level>,
    /// The value cannot show conformance by itself: the finding asks for evidence
    /// (`evidence-required`) instead of failing (a bare "155 mm" for the JBMoU).
    pub evidence_required: bool,
    /// The bytes of a text value at fault (the one wrong character of a stock number), so
    /// the label lands on them rather than on the whole value.
    pub inside: Option<Span>,
}

impl Failure {
    pub fn new(branch: Branch, label: impl Into<String>) -> Failure {
        Failure {
            branch,
            at: None,
            label: label.into(),
            help: None,
            level: None,
            evidence_required: false,
            inside: None,
        }
    }

    /// A note at `may` level: the value passes, but something about it is worth saying.
    pub fn note(branch: Branch, label: impl Into<String>) -> Failure {
        Failure {
            level: Some(Level::May),
            ..Failure::new(branch, label)
        }
    }

    pub fn at(mut self, key: &'static str) -> Failure {
        self.at = Some(key);
        self
    }

    /// Places the failure on these bytes of the text value.
    pub fn inside(mut self, bytes: Span) -> Failure {
        self.inside = Some(bytes);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Failure {
        self.help = Some(help.into());
        self
    }
}

/// A compiled check. Compiled once per pack, immutable, shared across threads.
pub trait Check: Send + Sync + Debug {
    /// Judges one value the rule's path reached.
    fn judge(&self, node: &Node) -> Verdict;

    /// What the check asks, in a line, for `formfit rules show`.
    fn describe(&self) -> String;

    /// What the check asks as comparable terms, for `formfit rules diff`: two editions of a
    /// rule are compared by meaning, never by the TOML they were written in.
    fn terms(&self) -> terms::Terms;

    /// The kind the check was built by, whose branches it has.
    fn kind(&self) -> &'static Kind;

    /// Whether this check can take a branch its kind has: a rule's keys may leave one out
    /// (`min` alone is never `above`; `one_of` without look-alikes never names one).
    fn takes(&self, _branch: Branch) -> bool {
        true
    }

    /// Judges all reached values together: each verdict with the value it is about, `None`
    /// where the values would be (a count). Most kinds judge each value alone.
    fn judge_all(&self, nodes: &[&Node]) -> Vec<(Option<usize>, Verdict)> {
        nodes
            .iter()
            .enumerate()
            .map(|(i, node)| (Some(i), self.judge(node)))
            .collect()
    }
}

/// A check kind: the pack keys it owns, their part of the pack schema, and how it is built.
/// Dispatch, the "one check per rule" error, the list of kinds and the pack schema all come
/// from [`REGISTRY`], so a kind is described once, in its own file.
#[derive(Debug)]
pub struct Kind {
    /// The kind's name in lists and messages: its first selecting key.
    pub name: &'static str,
    /// The keys that select the kind; a rule has keys of one kind only.
    pub selects: &'static [&'static str],
    /// Further keys the kind takes, only beside one of `selects`.
    pub options: &'static [&'static str],
    /// What the kind asks, in a line, for the list of kinds.
    pub summary: &'static str,
    /// The branches a value can take through it, for coverage (`Branch::Absent` for every
    /// kind: the engine takes it when the path reaches nothing).
    pub branches: &'static [Branch],
    /// The JSON Schema of its keys: `{"properties": {...}}`, plus `"$defs"` it refers to.
    pub schema: fn() -> serde_json::Value,
    /// Reads its keys from the rule and builds the check; errors are placed on the keys.
    pub build: fn(&Keys) -> Result<Box<dyn Check>, CompileError>,
}

impl Kind {
    /// Every key the kind owns.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.selects.iter().chain(self.options).copied()
    }
}

/// Every check kind, in the order the pack schema and the documentation list them.
pub static REGISTRY: &[Kind] = &[
    equals::KIND,
    one_of::KIND,
    bounds::KIND,
    interval::WITHIN,
    interval::COVERS,
    interval::AVOIDS,
    pattern::KIND,
    count::KIND,
    identifier::KIND,
];

/// The kinds a rule's keys select, in registry order.
pub fn selected(keys: &Keys) -> Vec<&'static Kind> {
    REGISTRY
        .iter()
        .filter(|kind| kind.selects.iter().any(|k| keys.has(k)))
        .collect()
}

/// A quantity written in a pack; an error is placed on the value.
pub(crate) fn pack_quantity(node: &Node) -> Result<Quantity, CompileError> {
    let text = node.as_str().unwrap_or_default();
    parse_quantity(text, None).map_err(|p| {
        CompileError::at(node, format!("`{text}`: {}", p.message)).because(PackCode::CheckQuantity)
    })
}

/// A range written in a pack ("225-400 MHz"), or a single quantity as a one-point range, with
/// its ends as written ("225 MHz", "400 MHz"); an error is placed on the value.
pub(crate) fn pack_range(node: &Node) -> Result<(Interval, Quantity, [String; 2]), CompileError> {
    let text = node.as_str().unwrap_or_default();
    if let Some(q) = quantity_of(text, None) {
        let ends = [q.text.clone(), q.text.clone()];
        return Ok((Interval::new(&q, &q), q, ends));
    }
    let [(low, _), (high, _)] = parse_range(text, None).map_err(|p| {
        CompileError::at(node, format!("`{text}`: {}", p.message)).because(PackCode::CheckQuantity)
    })?;
    if low.value > high.value {
        return Err(
            CompileError::at(node, format!("`{text}`: the minimum is above the maximum"))
                .because(PackCode::CheckRange),
        );
    }
    let ends = [low.text.clone(), high.text.clone()];
    let mut shown = low.clone();
    shown.text = text.to_owned();
    Ok((Interval::new(&low, &high), shown, ends))
}

/// The interval a product value spans: a `{min, max}` table or a single quantity (one point).
pub(crate) fn value_interval(node: &Node) -> Option<(Interval, &Quantity, &Quantity)> {
    if let Some(q) = node.as_quantity() {
        return Some((Interval::new(q, q), q, q));
    }
    let min = node.get("min")?.as_quantity()?;
    let max = node.get("max")?.as_quantity()?;
    (min.dimension == max.dimension).then(|| (Interval::new(min, max), min, max))
}

/// `225 MHz–420 MHz`, or the single value when both ends are equal.
pub(crate) fn show_range(min: &Quantity, max: &Quantity) -> String {
    if min.text == max.text {
        min.text.clone()
    } else {
        format!("{}–{}", min.text, max.text)
    }
}

/// A failure for a value of the wrong dimension or shape: never a silent pass.
pub(crate) fn not_comparable(node: &Node, expected: &Quantity) -> Failure {
    // A range is named by what it ranges over, not by the table it was normalised into.
    let found = match value_interval(node) {
        Some((_, q, _)) => q.dimension.name(),
        None => node.type_name(),
    };
    Failure::new(
        Branch::Mismatch,
        format!(
            "this is {found}; the rule compares {}",
            expected.dimension.name()
        ),
    )
}

/// The one tester of check kinds (it runs the engine, so it lives there).
#[cfg(test)]
pub(crate) use crate::engine::tester;

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::check::tester::{pack, pack_error_codes, pack_errors, pack_errors_at, run};

    /// Wraps a compiled check and counts the values it judges.
    #[derive(Debug)]
    struct Counted {
        inner: Box<dyn Check>,
        judged: Arc<AtomicUsize>,
    }

    impl Check for Counted {
        fn judge(&self, node: &Node) -> Verdict {
            self.judged.fetch_add(1, Ordering::Relaxed);
            self.inner.judge(node)
        }

        fn describe(&self) -> String {
            self.inner.describe()
        }

        fn terms(&self) -> terms::Terms {
            self.inner.terms()
        }

        fn kind(&self) -> &'static Kind {
            self.inner.kind()
        }
    }

    const ANY_COVERS: &str =
        "path = \"radio[*].bands[*]\"\nany = true\ncovers = \"225-399.975 MHz\"";

    /// How many times the rule judged a value, and the labels it gave.
    fn judged(rule: &str, product: &str) -> (usize, Vec<String>) {
        let mut pack = pack(rule);
        let judged = Arc::new(AtomicUsize::new(0));
        let inner = pack.rules[0].check.take().expect("the rule has a check");
        pack.rules[0].check = Some(Box::new(Counted {
            inner,
            judged: judged.clone(),
        }));
        let tested = run(pack, product);
        let labels = tested.labels().into_iter().map(str::to_owned).collect();
        (judged.load(Ordering::Relaxed), labels)
    }

    #[test]
    fn an_any_rule_judges_each_value_once() {
        let three =
            "[[radio]]\nname = \"R\"\nbands = [\"30-88 MHz\", \"225-300 MHz\", \"300-400 MHz\"]";
        let (count, labels) = judged(ANY_COVERS, three);
        assert_eq!(count, 3);
        assert_eq!(
            labels,
            ["30 MHz–88 MHz does not reach up to the high end of 225-399.975 MHz"]
        );
        let passing = "[[radio]]\nname = \"R\"\nbands = [\"30-88 MHz\", \"225-400 MHz\"]";
        let (count, labels) = judged(ANY_COVERS, passing);
        assert!(count <= 2, "judged {count} times");
        assert!(labels.is_empty(), "{labels:?}");
    }

    #[test]
    fn a_rule_that_only_asks_for_a_value_passes_or_finds_it_absent() {
        crate::check::tester::assert_branches(
            "path = \"power.nominal_voltage\"\nrequired = true",
            &[
                ("[power]\nnominal_voltage = \"28 V\"", &[Branch::Passes]),
                ("[power]\nsource = \"vehicle\"", &[Branch::Absent]),
            ],
        );
    }

    #[test]
    fn a_kinds_pack_error_points_at_the_value_that_is_wrong() {
        let cases = [
            ("avoids = [\"1030 MHz\", \"28 V\"]", "\"28 V\""),
            ("min = \"10 V\"\nmax = \"5 V\"", "\"5 V\""),
            ("within = \"225-400 Mhz\"", "\"225-400 Mhz\""),
            ("pattern = \"([a-z\"", "\"([a-z\""),
        ];
        for (keys, at) in cases {
            let rule = format!("path = \"radio[*].bands[*]\"\n{keys}");
            assert_eq!(pack_errors_at(&rule), [at], "{keys}");
        }
    }

    #[test]
    fn each_kind_of_pack_mistake_has_its_own_code() {
        let cases = [
            ("min = \"10 Vx\"", "pack/check/quantity"),
            ("min = \"10 V\"\nmax = \"5 V\"", "pack/check/range"),
            ("covers = \"33-20 V\"", "pack/check/range"),
            ("count = { min = 3, max = 1 }", "pack/check/range"),
            ("pattern = \"([a-z\"", "pack/check/pattern"),
            (
                "overlapping_only = true\ncovers = \"1-2 MHz\"",
                "pack/check/option",
            ),
            (
                "one_of = { accept = [\"A\"], lookalike = [{ value = \"a\", why = \"w\" }] }",
                "pack/check/terms",
            ),
            (
                "identifier = { name = \"N\", form = \"--\" }",
                "pack/check/form",
            ),
            (
                "within = \"1-2 MHz\"\ncovers = \"1-2 MHz\"",
                "pack/two-checks",
            ),
        ];
        for (keys, code) in cases {
            let rule = format!("path = \"power.nominal_voltage\"\n{keys}");
            assert_eq!(pack_error_codes(&rule), [code], "{keys}");
        }
    }

    #[test]
    fn an_option_without_its_kind_and_two_kinds_in_one_rule_are_pack_errors() {
        assert_eq!(
            pack_errors(
                "path = \"radio[*].bands[*]\"\novercapping_only = true\ncovers = \"1-2 MHz\""
            )
            .len(),
            1,
            "a misspelt option is a schema error"
        );
        assert_eq!(
            pack_errors(
                "path = \"radio[*].bands[*]\"\noverlapping_only = true\ncovers = \"1-2 MHz\""
            ),
            ["`overlapping_only` only goes with `within`"]
        );
        assert_eq!(
            pack_errors("path = \"radio[*].bands[*]\"\nwithin = \"1-2 MHz\"\ncovers = \"1-2 MHz\""),
            ["rule `TEST-1` has several checks: within, covers"]
        );
    }

    #[test]
    fn a_rule_without_a_check_lists_every_kind_from_the_registry() {
        let text = format!(
            "{}path = \"power.nominal_voltage\"\n",
            crate::engine::tester::PACK_HEAD
        );
        let e = crate::pack::PackCompiler::new()
            .compile("test.toml", text.as_bytes(), false)
            .expect_err("a rule that checks nothing does not compile");
        let help = e.problems[0].help.clone().unwrap_or_default();
        for kind in REGISTRY {
            for key in kind.selects {
                assert!(help.contains(key), "{help} lacks {key}");
            }
        }
    }
}
