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

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report as Junit, TestCase, TestCaseStatus, TestSuite};

use crate::pack::model::Level;
use crate::report::{Disposition, Finding, Outcome, ProductReport, Report};

pub fn render(report: &Report) -> String {
    let mut junit = Junit::new("formfit");
    let banner = report.banner();
    let problems: Vec<_> = report
        .diagnostics
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
        suite.add_property(Property::new("classification", banner.as_str()));
        suite.set_time(Duration::ZERO);
        junit.add_test_suite(suite);
    }
    for product in &report.products {
        junit.add_test_suite(suite(product));
    }
    // Product text may hold characters XML 1.0 cannot carry at all (ESC, NUL…); quick-junit
    // escapes markup but not those, and one would make the whole document unreadable.
    let xml = junit.to_string().unwrap_or_default();
    crate::escape::for_xunit(&xml)
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
