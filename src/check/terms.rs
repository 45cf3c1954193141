//! A check's terms in a form two editions of a rule can be compared by (`formfit rules diff`).
//!
//! Each kind says what its keys mean for strictness — a floor, a ceiling, an exact value, a set
//! of names that pass or of values that fail, a switch — and [`compare`] needs no kind of its
//! own: raising a floor tightens, adding a passing name loosens, whatever kind wrote them.
//! Values compare exactly (rationals in SI units), never as the text a pack wrote.

use crate::quantity::{Dimension, Exact, Interval, Quantity};

/// Which way a change moves a rule: fewer products pass, more pass, or neither can be said.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    Tightened,
    Loosened,
    /// A different value that is neither stricter nor laxer (`equals = "28 V"` → `"270 V"`).
    Changed,
    /// Only how it is written or explained: no product's verdict can move.
    Text,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Tightened => "tightened",
            Direction::Loosened => "loosened",
            Direction::Changed => "changed",
            Direction::Text => "text",
        }
    }
}

/// What a check asks, as comparable terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms {
    /// The kind's name (`covers`): two checks of different kinds are compared whole.
    pub kind: &'static str,
    pub terms: Vec<Term>,
}

/// One term: its name as a pack author reads it (`covers, low end`), the value as written,
/// and what it means for strictness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub name: String,
    pub shown: String,
    pub form: Form,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// The value must be at least this: raising it tightens.
    Floor(Bound),
    /// The value must be at most this: lowering it tightens.
    Ceiling(Bound),
    /// Exactly this (a comparison key): another value is a change, neither way.
    Exactly(String),
    /// Names that pass: adding one loosens, removing one tightens.
    Passing(Vec<Member>),
    /// Values that fail: adding one tightens.
    Failing(Vec<Member>),
    /// The value must be one of these; without the term any value passes (a part of an
    /// identifier): adding the term or removing a member tightens.
    OnlyThese(Vec<Member>),
    /// Names that are only explained (a look-alike that fails anyway, with its own why).
    Explained(Vec<Member>),
    /// A switch, absent meaning off; `on_loosens` says which way turning it on goes.
    Switch { on: bool, on_loosens: bool },
}

/// An exact limit; counts have no dimension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bound {
    pub value: Exact,
    pub dimension: Option<Dimension>,
}

impl Bound {
    pub fn of(q: &Quantity) -> Bound {
        Bound {
            value: q.value.clone(),
            dimension: Some(q.dimension),
        }
    }

    pub fn count(n: usize) -> Bound {
        Bound {
            value: Exact::from_integer(n as i128),
            dimension: None,
        }
    }

    fn ends(interval: &Interval, dimension: Dimension) -> (Bound, Bound) {
        let bound = |value: &Exact| Bound {
            value: value.clone(),
            dimension: Some(dimension),
        };
        (bound(&interval.min), bound(&interval.max))
    }
}

/// A member of a set: the keys it is matched by (a spelling's normalised name and, when it
/// reads as one, its exact quantity) and how it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub keys: Vec<String>,
    pub shown: String,
}

impl Member {
    pub fn new(keys: Vec<String>, shown: impl Into<String>) -> Member {
        Member {
            keys,
            shown: shown.into(),
        }
    }

    /// A member matched by its text as written.
    pub fn exact(shown: &str) -> Member {
        Member::new(vec![shown.to_owned()], shown)
    }
}

impl Term {
    pub fn new(name: impl Into<String>, shown: impl Into<String>, form: Form) -> Term {
        Term {
            name: name.into(),
            shown: shown.into(),
            form,
        }
    }

    /// A range the value must lie within: its low end is a floor, its high end a ceiling.
    /// `ends` are the ends as the pack wrote them.
    pub fn within(
        name: &str,
        interval: &Interval,
        dimension: Dimension,
        ends: &[String; 2],
    ) -> [Term; 2] {
        let (low, high) = Bound::ends(interval, dimension);
        [
            Term::new(format!("{name}, low end"), &ends[0], Form::Floor(low)),
            Term::new(format!("{name}, high end"), &ends[1], Form::Ceiling(high)),
        ]
    }

    /// A range the value must cover: it must reach down to the low end (a ceiling on the
    /// value's minimum) and up to the high end (a floor on its maximum).
    pub fn covers(
        name: &str,
        interval: &Interval,
        dimension: Dimension,
        ends: &[String; 2],
    ) -> [Term; 2] {
        let (low, high) = Bound::ends(interval, dimension);
        [
            Term::new(format!("{name}, low end"), &ends[0], Form::Ceiling(low)),
            Term::new(format!("{name}, high end"), &ends[1], Form::Floor(high)),
        ]
    }
}

/// How one term moved between two editions, with the exact values of both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermChange {
    pub term: String,
    pub direction: Direction,
    /// As the old edition wrote it; `None` when it had no such term.
    pub old: Option<String>,
    pub new: Option<String>,
    /// For sets: the members added and removed, as written.
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl TermChange {
    fn new(term: &str, direction: Direction, old: Option<&Term>, new: Option<&Term>) -> Self {
        TermChange {
            term: term.to_owned(),
            direction,
            old: old.map(|t| t.shown.clone()),
            new: new.map(|t| t.shown.clone()),
            added: Vec::new(),
            removed: Vec::new(),
        }
    }
}

/// Every term that moved between two checks of one kind, in the old terms' order, then the
/// new ones'. Checks of different kinds are not compared here (the caller says "changed").
pub fn compare(old: &Terms, new: &Terms) -> Vec<TermChange> {
    let mut names: Vec<&str> = old.terms.iter().map(|t| t.name.as_str()).collect();
    for t in &new.terms {
        if !names.contains(&t.name.as_str()) {
            names.push(&t.name);
        }
    }
    let find = |terms: &'_ Terms, name: &str| -> Option<Term> {
        terms.terms.iter().find(|t| t.name == name).cloned()
    };
    names
        .into_iter()
        .flat_map(|name| compare_term(name, find(old, name).as_ref(), find(new, name).as_ref()))
        .collect()
}

fn compare_term(name: &str, old: Option<&Term>, new: Option<&Term>) -> Vec<TermChange> {
    let change = |direction| vec![TermChange::new(name, direction, old, new)];
    let forms = (old.map(|t| &t.form), new.map(|t| &t.form));
    match forms {
        (None, None) => Vec::new(),
        (Some(Form::Floor(a)), Some(Form::Floor(b))) => match bound_order(a, b) {
            Some(std::cmp::Ordering::Less) => change(Direction::Tightened),
            Some(std::cmp::Ordering::Greater) => change(Direction::Loosened),
            Some(std::cmp::Ordering::Equal) => written_differently(name, old, new),
            None => change(Direction::Changed),
        },
        (Some(Form::Ceiling(a)), Some(Form::Ceiling(b))) => match bound_order(a, b) {
            Some(std::cmp::Ordering::Less) => change(Direction::Loosened),
            Some(std::cmp::Ordering::Greater) => change(Direction::Tightened),
            Some(std::cmp::Ordering::Equal) => written_differently(name, old, new),
            None => change(Direction::Changed),
        },
        (None, Some(Form::Floor(_) | Form::Ceiling(_))) => change(Direction::Tightened),
        (Some(Form::Floor(_) | Form::Ceiling(_)), None) => change(Direction::Loosened),
        (Some(Form::Exactly(a)), Some(Form::Exactly(b))) if a == b => {
            written_differently(name, old, new)
        }
        (Some(Form::Switch { on_loosens, .. }), None | Some(Form::Switch { .. }))
        | (None, Some(Form::Switch { on_loosens, .. })) => {
            let on = |t: Option<&Term>| {
                matches!(t.map(|t| &t.form), Some(Form::Switch { on: true, .. }))
            };
            match (on(old), on(new)) {
                (was, is) if was == is => Vec::new(),
                (_, is) if is == *on_loosens => change(Direction::Loosened),
                _ => change(Direction::Tightened),
            }
        }
        (Some(Form::OnlyThese(_)), Some(Form::OnlyThese(_))) => {
            sets(name, old, new, Direction::Loosened, Direction::Tightened)
        }
        (None, Some(Form::OnlyThese(_))) => change(Direction::Tightened),
        (Some(Form::OnlyThese(_)), None) => change(Direction::Loosened),
        (Some(Form::Passing(_)) | None, Some(Form::Passing(_)) | None) => {
            sets(name, old, new, Direction::Loosened, Direction::Tightened)
        }
        (Some(Form::Failing(_)) | None, Some(Form::Failing(_)) | None) => {
            sets(name, old, new, Direction::Tightened, Direction::Loosened)
        }
        (Some(Form::Explained(_)) | None, Some(Form::Explained(_)) | None) => {
            sets(name, old, new, Direction::Text, Direction::Text)
        }
        _ => change(Direction::Changed),
    }
}

/// `Less` when `a` is below `b`; `None` across dimensions.
fn bound_order(a: &Bound, b: &Bound) -> Option<std::cmp::Ordering> {
    (a.dimension == b.dimension).then(|| a.value.cmp(&b.value))
}

/// The same value written another way ("28 V" and "28000 mV"): a text change, or none.
fn written_differently(name: &str, old: Option<&Term>, new: Option<&Term>) -> Vec<TermChange> {
    if old.map(|t| &t.shown) == new.map(|t| &t.shown) {
        Vec::new()
    } else {
        vec![TermChange::new(name, Direction::Text, old, new)]
    }
}

fn members(term: Option<&Term>) -> &[Member] {
    match term.map(|t| &t.form) {
        Some(Form::Passing(m) | Form::Failing(m) | Form::Explained(m) | Form::OnlyThese(m)) => m,
        _ => &[],
    }
}

/// A set compared by meaning: a member is added when none of its keys was known before (a
/// spelling of a value already in the set only rewrites it), removed when none of its keys is
/// known after.
fn sets(
    name: &str,
    old: Option<&Term>,
    new: Option<&Term>,
    on_add: Direction,
    on_remove: Direction,
) -> Vec<TermChange> {
    let (before, after) = (members(old), members(new));
    let known = |set: &[Member], m: &Member| {
        set.iter()
            .any(|o| o.keys.iter().any(|k| m.keys.contains(k)))
    };
    let written = |set: &[Member], m: &Member| set.iter().any(|o| o.shown == m.shown);
    let added: Vec<String> = after
        .iter()
        .filter(|m| !known(before, m))
        .map(|m| m.shown.clone())
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|m| !known(after, m))
        .map(|m| m.shown.clone())
        .collect();
    let respelt_added: Vec<String> = after
        .iter()
        .filter(|m| known(before, m) && !written(before, m))
        .map(|m| m.shown.clone())
        .collect();
    let respelt_removed: Vec<String> = before
        .iter()
        .filter(|m| known(after, m) && !written(after, m))
        .map(|m| m.shown.clone())
        .collect();
    let mut changes = Vec::new();
    let mut push = |direction, added: Vec<String>, removed: Vec<String>| {
        let mut change = TermChange::new(name, direction, old, new);
        change.added = added;
        change.removed = removed;
        changes.push(change);
    };
    if on_add == on_remove {
        if !added.is_empty() || !removed.is_empty() {
            push(on_add, added, removed);
        }
    } else {
        if !added.is_empty() {
            push(on_add, added, Vec::new());
        }
        if !removed.is_empty() {
            push(on_remove, Vec::new(), removed);
        }
    }
    if !respelt_added.is_empty() || !respelt_removed.is_empty() {
        // Other spellings of members it had: named apart, so "added" never reads as new.
        let mut change = TermChange::new(&format!("{name}, spellings"), Direction::Text, old, new);
        change.added = respelt_added;
        change.removed = respelt_removed;
        changes.push(change);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tester::pack;

    /// The terms of a rule's check, written as a pack writes it.
    fn terms(rule: &str) -> Terms {
        let pack = pack(rule);
        pack.rules[0].check.as_ref().expect("a check").terms()
    }

    fn moved(old: &str, new: &str) -> Vec<(String, &'static str)> {
        compare(&terms(old), &terms(new))
            .into_iter()
            .map(|c| (c.term, c.direction.as_str()))
            .collect()
    }

    const PATH: &str = "path = \"power.input_voltage\"\n";

    #[test]
    fn a_covered_range_that_grows_tightens_and_one_that_shrinks_loosens() {
        let old = format!("{PATH}covers = \"24-29 V\"");
        let wider = format!("{PATH}covers = \"22-29 V\"");
        assert_eq!(
            moved(&old, &wider),
            [("covers, low end".to_owned(), "tightened")]
        );
        assert_eq!(
            moved(&wider, &old),
            [("covers, low end".to_owned(), "loosened")]
        );
    }

    #[test]
    fn a_within_range_that_grows_below_loosens_and_one_moved_both_ways_says_both() {
        let old = format!("{PATH}within = \"24-29 V\"");
        assert_eq!(
            moved(&old, &format!("{PATH}within = \"23-29 V\"")),
            [("within, low end".to_owned(), "loosened")]
        );
        assert_eq!(
            moved(&old, &format!("{PATH}within = \"25-30 V\"")),
            [
                ("within, low end".to_owned(), "tightened"),
                ("within, high end".to_owned(), "loosened")
            ]
        );
    }

    #[test]
    fn limits_compare_exactly_across_units_and_a_respelling_is_text_only() {
        let old = "path = \"power.surge_withstand.voltage\"\nmin = \"100 V\"";
        let same = "path = \"power.surge_withstand.voltage\"\nmin = \"100000 mV\"";
        let raised = "path = \"power.surge_withstand.voltage\"\nmin = \"100.001 V\"";
        assert_eq!(moved(old, same), [("min".to_owned(), "text")]);
        assert_eq!(moved(old, raised), [("min".to_owned(), "tightened")]);
        assert_eq!(moved(old, old), []);
        let capped = "path = \"power.surge_withstand.voltage\"\nmin = \"100 V\"\nmax = \"200 V\"";
        assert_eq!(moved(old, capped), [("max".to_owned(), "tightened")]);
    }

    #[test]
    fn accepted_names_are_a_set_compared_by_meaning() {
        let rule = |accept: &str| {
            format!("path = \"power.nominal_voltage\"\none_of = {{ accept = [{accept}] }}")
        };
        let old = rule("\"28 V\", \"270 V\"");
        let changes = compare(
            &terms(&old),
            &terms(&rule("\"28 V\", \"28 V DC\", \"270 V\", \"12 V\"")),
        );
        let shown: Vec<(&str, Vec<String>)> = changes
            .iter()
            .map(|c| (c.direction.as_str(), c.added.clone()))
            .collect();
        assert_eq!(
            shown,
            [
                ("loosened", vec!["12 V".to_owned()]),
                ("text", vec!["28 V DC".to_owned()])
            ]
        );
        let fewer = compare(&terms(&old), &terms(&rule("\"28 V\"")));
        assert_eq!(fewer.len(), 1);
        assert_eq!(fewer[0].direction, Direction::Tightened);
        assert_eq!(fewer[0].removed, ["270 V"]);
    }

    #[test]
    fn a_value_to_avoid_added_tightens_and_a_switch_turned_on_loosens() {
        let iff = "path = \"radio[*].bands[*]\"\navoids = [\"1030 MHz\"]";
        let more = "path = \"radio[*].bands[*]\"\navoids = [\"1030 MHz\", \"1090 MHz\"]";
        assert_eq!(moved(iff, more), [("avoids".to_owned(), "tightened")]);
        let band = "path = \"radio[*].bands[*]\"\nwithin = \"225-400 MHz\"";
        let only = format!("{band}\noverlapping_only = true");
        assert_eq!(
            moved(band, &only),
            [("overlapping_only".to_owned(), "loosened")]
        );
    }

    #[test]
    fn an_exact_value_replaced_is_a_change_neither_way() {
        let old = "path = \"power.nominal_voltage\"\nequals = \"28 V\"";
        let new = "path = \"power.nominal_voltage\"\nequals = \"270 V\"";
        assert_eq!(moved(old, new), [("equals".to_owned(), "changed")]);
        let count = "path = \"connector[*]\"\ncount = { max = 2 }";
        let fewer = "path = \"connector[*]\"\ncount = { max = 1 }";
        assert_eq!(moved(count, fewer), [("count.max".to_owned(), "tightened")]);
    }
}
