//! `--format junit`: JUnit XML as GitLab and Jenkins read it: a test suite per product, a test
//! case per (standard, rule) evaluated and per finding of no rule (a claim, a deviation). A case
//! fails exactly when a finding of it fails the gate, so the failure count and the exit code
//! agree; warnings and notes pass with their text in `system-out`; requests for evidence,
//! waived and not-applicable rules and unchecked claims are skipped. A run that could not do
//! what was asked is a suite of `error` cases.
//!
//! As its consumers read it: the document validates against the JUnit XSD of Jenkins' xunit
//! plugin (`schemas/vendor/junit-10.xsd`) but for one attribute that XSD does not know, the
//! `file` of each test case, which GitLab shows beside the case (pytest's `xunit1` family writes
//! it too). Each case has a `time` (0: formfit does not time rules). Each suite carries its own
//! product's marking (the product's and that of the packs its rules came from), never another
//! product's. A case's class name is the standard's designation with `.` written `_`, because
//! Jenkins splits class names into packages at the last dot (`7.62x51 NATO` would be package
//! `7`).
//!
//! Streamed, each product's suite is a [`piece`] written as it finishes; the root, whose
//! counts add up the suites', and the run's own suite are the [`frame`] written at the end.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report as Junit, TestCase, TestCaseStatus, TestSuite};

use crate::pack::model::Level;
use crate::report::{Disposition, Finding, Outcome, ProductReport, Report, RunDiagnostic};

pub fn render(report: &Report) -> String {
    let mut counts = Counts::default();
    let mut suites = String::new();
    for product in &report.products {
        let (piece, of) = piece(product);
        counts.add(of);
        suites.push_str(&piece);
    }
    let frame = frame(
        &report.diagnostics,
        &report.totals().markings.banner(),
        counts,
    );
    if suites.is_empty() {
        frame.empty().to_owned()
    } else {
        format!("{}{suites}{}", frame.open(), frame.close())
    }
}

/// What the root `testsuites` element counts: the sum of its suites' counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of(suite: &TestSuite) -> Counts {
        Counts {
            tests: suite.tests,
            failures: suite.failures,
            errors: suite.errors,
            skipped: suite.skipped,
        }
    }

    pub fn add(&mut self, other: Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

/// The document around the products' suites: `xml` is that of no product, and the suites go
/// before its root's end tag, at `at`.
pub struct Frame {
    xml: String,
    at: usize,
}

impl Frame {
    /// The document of a run with no product.
    pub fn empty(&self) -> &str {
        &self.xml
    }

    /// What comes before the products' suites, when there are some: a root with no suite of
    /// its own yet gets a line break, as it does before a first suite.
    pub fn open(&self) -> String {
        let before = &self.xml[..self.at];
        let gap = if before.ends_with('\n') { "" } else { "\n" };
        format!("{before}{gap}")
    }

    /// What comes after them: the root's end tag.
    pub fn close(&self) -> &str {
        &self.xml[self.at..]
    }
}

const END: &str = "</testsuites>";

/// The document around the products' suites, once the run is over: the root with `counts`
/// (those of the products' suites, their [`piece`]s) added to the run's own, and the suite of
/// the run's own problems.
pub fn frame(diagnostics: &[RunDiagnostic], banner: &str, counts: Counts) -> Frame {
    let mut junit = Junit::new("formfit");
    let problems: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.level == Level::Shall)
        .collect();
    if !problems.is_empty() {
        let mut suite = TestSuite::new("formfit run");
        for d in problems {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(d.message.clone());
            status.set_type(d.id().to_owned());
            if let Some(l) = &d.location {
                status.set_description(format!("{}:{}:{}", l.file, l.line, l.column));
            }
            let mut case = TestCase::new(d.id().to_owned(), status);
            case.set_classname("formfit");
            case.set_time(Duration::ZERO);
            if let Some(l) = &d.location {
                case.extra.insert("file".into(), l.file.as_str().into());
            }
            suite.add_test_case(case);
        }
        suite.add_property(Property::new("classification", banner));
        suite.set_time(Duration::ZERO);
        junit.add_test_suite(suite);
    }
    junit.tests += counts.tests;
    junit.failures += counts.failures;
    junit.errors += counts.errors;
    junit.skipped += counts.skipped;
    // Product text may hold characters XML 1.0 cannot carry at all (ESC, NUL…); quick-junit
    // escapes markup but not those, and one would make the whole document unreadable.
    let xml = crate::escape::for_xunit(&junit.to_string().unwrap_or_default());
    let at = xml.rfind(END).unwrap_or(xml.len());
    Frame { xml, at }
}

/// One product's suite as the document has it (indented, its lines ended), and its counts.
pub fn piece(product: &ProductReport) -> (String, Counts) {
    let suite = suite(product);
    let counts = Counts::of(&suite);
    let mut alone = Junit::new("formfit");
    alone.add_test_suite(suite);
    let xml = alone.to_string().unwrap_or_default();
    // Between the root's start tag (on the line after the declaration) and its end tag; the
    // characters XML cannot carry escaped as in the whole document.
    let start = xml
        .find("<testsuites")
        .and_then(|at| xml[at..].find('\n').map(|n| at + n + 1))
        .unwrap_or(0);
    let end = xml.rfind(END).unwrap_or(xml.len()).max(start);
    (
        crate::escape::for_xml(&xml[start..end]).into_owned(),
        counts,
    )
}

/// The marking of one product's suite: the highest of the packs its rules came from, with the
/// product's own marking beside it.
fn marking(product: &ProductReport) -> String {
    let packs = crate::marking::highest(
        product
            .evaluations
            .iter()
            .map(|e| e.pack.meta.classification.as_str()),
    );
    let own: Vec<String> = product.marking.iter().cloned().collect();
    crate::marking::banner(&packs, &own)
}

/// A class name Jenkins does not split into packages: it takes the part before the last `.`
/// as the package, so dots in a designation become `_`.
fn classname(name: &str) -> String {
    name.replace('.', "_")
}

fn suite(product: &ProductReport) -> TestSuite {
    let name = match &product.product {
        Some(id) => format!("{} ({id})", product.file),
        None => product.file.clone(),
    };
    let mut suite = TestSuite::new(name);
    suite.add_property(Property::new("verdict", product.verdict.as_str()));
    suite.add_property(Property::new("classification", marking(product)));
    suite.set_time(Duration::ZERO);
    suite
        .extra
        .insert("file".into(), product.file.as_str().into());
    let new_case = |name: &str, status: TestCaseStatus, classname_of: &str| {
        let mut case = TestCase::new(name, status);
        case.set_classname(classname(classname_of));
        case.set_time(Duration::ZERO);
        case.extra
            .insert("file".into(), product.file.as_str().into());
        case
    };
    let at = |f: &Finding| {
        let (line, col) = product.line_col(f.span.start);
        match f.telling_label() {
            Some(label) => format!("{}:{line}:{col}: {label} ({})", product.file, f.path),
            None => format!("{}:{line}:{col} ({})", product.file, f.path),
        }
    };
    // Findings that belong to no rule (an input problem, a claim, a deviation): a case each.
    for f in product.findings.iter().filter(|f| f.code.is_some()) {
        let mut status = match f.disposition {
            Disposition::Failing => TestCaseStatus::non_success(NonSuccessKind::Failure),
            Disposition::Warning | Disposition::Note => TestCaseStatus::success(),
            _ => TestCaseStatus::skipped(),
        };
        status.set_message(f.message_with_label());
        status.set_type(f.rule.clone());
        status.set_description(at(f));
        let mut case = new_case(
            &f.rule,
            status,
            f.rule.split('/').next().unwrap_or("formfit"),
        );
        if matches!(f.disposition, Disposition::Warning | Disposition::Note) {
            case.set_system_out(format!(
                "{}: {}: {}",
                f.disposition.as_str(),
                f.message,
                at(f)
            ));
        }
        suite.add_test_case(case);
    }
    for evaluation in &product.evaluations {
        let rule = evaluation.rule();
        let standard = &evaluation.pack.meta.designation;
        let mine = || {
            product
                .findings
                .iter()
                .filter(|f| f.rule == rule.id && f.standard.as_deref() == Some(standard))
        };
        let failing: Vec<String> = mine()
            .filter(|f| f.disposition == Disposition::Failing)
            .map(at)
            .collect();
        let status = if !failing.is_empty() {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(rule.message.clone());
            status.set_type(rule.level.as_str());
            status.set_description(failing.join("\n"));
            status
        } else {
            match evaluation.outcome {
                Outcome::NotApplicable | Outcome::EvidenceRequired | Outcome::Waived => {
                    let mut status = TestCaseStatus::skipped();
                    status.set_message(match evaluation.outcome {
                        Outcome::NotApplicable => "not applicable to this product".to_owned(),
                        Outcome::Waived => {
                            let approvals: Vec<&str> = mine()
                                .filter_map(|f| f.waiver.as_ref().map(|w| w.approval.as_str()))
                                .collect();
                            format!("waived by approved deviation {}", approvals.join(", "))
                        }
                        _ => format!(
                            "evidence required: {}",
                            rule.evidence.as_deref().unwrap_or("a test report")
                        ),
                    });
                    status
                }
                Outcome::Passed | Outcome::Failed => TestCaseStatus::success(),
            }
        };
        let mut case = new_case(&rule.id, status, standard);
        let standing: Vec<String> = mine()
            .filter(|f| matches!(f.disposition, Disposition::Warning | Disposition::Note))
            .map(|f| format!("{}: {}", f.disposition.as_str(), at(f)))
            .collect();
        if !standing.is_empty() {
            case.set_system_out(standing.join("\n"));
        }
        suite.add_test_case(case);
    }
    suite
}
