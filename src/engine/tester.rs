//! The one tester every check kind's cases go through: a rule from a pack snippet, a product
//! from a TOML snippet, and the findings [`engine::check`](crate::engine::check) gives for them,
//! so that a case exercises the whole path a user's pack and product take (pack compiling,
//! product reading and normalising, path selection, the engine) rather than a check in isolation.

use std::sync::Arc;

use crate::check::Branch;
use crate::engine::{self, Selected, Selection};
use crate::input::{Format, Limits};
use crate::pack::{Library, Pack, PackCompiler};
use crate::product::{Product, ProductReader};
use crate::report::{gate, Finding, Gate, Outcome, ProductReport};

/// What every test pack says before its one rule.
pub(crate) const PACK_HEAD: &str = r#"formfit_pack = 1

[standard]
designation = "TEST-1"
title = "A pack for one check"
edition = "A"
source = "formfit's tests"
note = "Modelled for tests only."

[[rule]]
id = "TEST-1"
clause = "test clause"
level = "shall"
message = "the rule under test"
"#;

/// What every test product says before its snippet.
const PRODUCT_HEAD: &str = r#"[product]
id = "T-1"
name = "Test product"
manufacturer = "formfit tests"
category = "other"

"#;

/// The outcome of one rule on one product.
pub(crate) struct Tested {
    /// The whole product text, that finding spans point into.
    pub text: String,
    pub product: Product,
    pub report: ProductReport,
    /// The branch of the rule each judged value took, in order.
    pub taken: Vec<Branch>,
    /// The branches the rule has (its kind's, as its keys give them).
    pub branches: Vec<Branch>,
}

impl Tested {
    pub fn findings(&self) -> &[Finding] {
        &self.report.findings
    }

    /// True when the rule passed and said nothing.
    pub fn passes(&self) -> bool {
        self.findings().is_empty() && self.outcome() == Outcome::Passed
    }

    /// The rule's outcome.
    pub fn outcome(&self) -> Outcome {
        self.report
            .evaluations
            .first()
            .map_or(Outcome::NotApplicable, |e| e.outcome)
    }

    /// The labels of the findings, in order.
    pub fn labels(&self) -> Vec<&str> {
        self.findings().iter().map(|f| f.label.as_str()).collect()
    }

    /// The product text each finding points at, in order.
    pub fn at(&self) -> Vec<&str> {
        self.findings()
            .iter()
            .map(|f| &self.text[f.span.clone()])
            .collect()
    }

    /// The single finding, or a panic that shows all of them.
    pub fn only(&self) -> &Finding {
        match self.findings() {
            [f] => f,
            all => panic!("expected one finding, got {all:#?}"),
        }
    }
}

/// Compiles a pack whose one rule is `[[rule]]` id/clause/level/message plus `rule` (its path
/// and check keys, as a pack author writes them).
pub(crate) fn pack(rule: &str) -> Pack {
    let text = format!("{PACK_HEAD}{rule}\n");
    match PackCompiler::new().compile("test.toml", text.as_bytes(), false) {
        Ok(pack) => pack,
        Err(e) => panic!("the test pack does not compile: {:#?}\n{text}", e.problems),
    }
}

/// The pack text with this rule, and the problems compiling it gives (none when it compiles).
fn pack_problems(rule: &str) -> (String, Vec<crate::diagnostic::Problem>) {
    let text = format!("{PACK_HEAD}{rule}\n");
    let problems = match PackCompiler::new().compile("test.toml", text.as_bytes(), false) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems,
    };
    (text, problems)
}

/// The messages of the problems compiling a pack with this rule gives.
pub(crate) fn pack_errors(rule: &str) -> Vec<String> {
    pack_problems(rule)
        .1
        .into_iter()
        .map(|p| p.message)
        .collect()
}

/// The pack text each problem compiling a pack with this rule points at, in order.
pub(crate) fn pack_errors_at(rule: &str) -> Vec<String> {
    let (text, problems) = pack_problems(rule);
    problems
        .iter()
        .map(|p| text[p.span.clone()].to_owned())
        .collect()
}

/// The finer code of each problem compiling a pack with this rule gives (`pack/check/range`).
pub(crate) fn pack_error_codes(rule: &str) -> Vec<&'static str> {
    pack_problems(rule).1.iter().map(|p| p.code.id()).collect()
}

/// Checks `product` (TOML after a fixed `[product]` table) against a pack of the one `rule`.
pub(crate) fn check(rule: &str, product: &str) -> Tested {
    run(pack(rule), product)
}

/// Checks `product` against a compiled pack, selected on its own.
pub(crate) fn run(pack: Pack, product: &str) -> Tested {
    let text = format!("{PRODUCT_HEAD}{product}\n");
    let read = match ProductReader::new(Limits::default()).read(text.as_bytes(), Format::Toml) {
        Ok(read) => read,
        Err(e) => panic!("the test product is invalid: {:#?}\n{text}", e.problems),
    };
    let branches = pack
        .rules
        .first()
        .map(|r| crate::check::branches(r.check.as_deref()))
        .unwrap_or_default();
    let selection = Selection {
        standards: vec![Selected::all(Arc::new(pack), None)],
        ..Selection::default()
    };
    let (mut report, taken) =
        engine::check_with_branches(&Library::default(), &selection, "test.toml", &read);
    gate::settle_product(&mut report, &Gate::default());
    Tested {
        text: read.doc.text.clone(),
        product: read,
        report,
        taken: taken.into_iter().map(|(_, b)| b).collect(),
        branches,
    }
}

/// Checks each product against the one `rule` and asserts the branch it took; then that these
/// cases took every branch the rule has, so a kind never lists a branch it cannot take.
pub(crate) fn assert_branches(rule: &str, cases: &[(&str, &[Branch])]) {
    let mut covered = Vec::new();
    let mut branches = Vec::new();
    for (product, expected) in cases {
        let tested = check(rule, product);
        assert_eq!(tested.taken, *expected, "{product}");
        covered.extend_from_slice(expected);
        branches = tested.branches;
    }
    covered.sort();
    covered.dedup();
    branches.sort();
    assert_eq!(
        covered, branches,
        "the branches these cases take, and the rule's"
    );
}
