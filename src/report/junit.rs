//! `--format junit`: JUnit XML as GitLab and Jenkins read it: a test suite per product, a test
//! case per (standard, rule) evaluated and per finding of no rule (a claim, a deviation). A case
//! fails exactly when a finding of it fails the gate, so the failure count and the exit code
//! agree; warnings and notes pass with their text in `system-out`; requests for evidence,
//! waived and not-applicable rules and unchecked claims are skipped. A run that could not do
//! what was asked is a suite of `error` cases.

use quick_junit::{NonSuccessKind, Property, Report as Junit, TestCase, TestCaseStatus, TestSuite};

use super::{line_col, Disposition, Finding, Outcome, ProductReport, Report};
use crate::pack::model::Level;

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
            status.set_type(d.id.clone());
            if let Some(l) = &d.location {
                let (line, col) = line_col(&l.text, l.span.start);
                status.set_description(format!("{}:{line}:{col}", l.file));
            }
            let mut case = TestCase::new(d.id.clone(), status);
            case.set_classname("formfit");
            suite.add_test_case(case);
        }
        suite.add_property(Property::new("classification", banner.as_str()));
        junit.add_test_suite(suite);
    }
    for product in &report.products {
        let mut suite = suite(product);
        suite.add_property(Property::new("classification", banner.as_str()));
        junit.add_test_suite(suite);
    }
    // Product text may hold characters XML 1.0 cannot carry at all (ESC, NUL…); quick-junit
    // escapes markup but not those, and one would make the whole document unreadable.
    let xml = junit.to_string().unwrap_or_default();
    crate::escape::for_xml(&xml).into_owned()
}

fn suite(product: &ProductReport) -> TestSuite {
    let name = match &product.product {
        Some(id) => format!("{} ({id})", product.file),
        None => product.file.clone(),
    };
    let mut suite = TestSuite::new(name);
    suite.add_property(Property::new("verdict", product.verdict.as_str()));
    let at = |f: &Finding| {
        let (line, col) = line_col(&product.text, f.span.start);
        format!("{}:{line}:{col}: {} ({})", product.file, f.label, f.path)
    };
    // Findings that belong to no rule (an input problem, a claim, a deviation): a case each.
    for f in product
        .findings
        .iter()
        .filter(|f| f.rule_location.is_none())
    {
        let mut status = match f.disposition {
            Disposition::Failing => TestCaseStatus::non_success(NonSuccessKind::Failure),
            Disposition::Warning | Disposition::Note => TestCaseStatus::success(),
            _ => TestCaseStatus::skipped(),
        };
        status.set_message(format!("{}: {}", f.message, f.label));
        status.set_type(f.rule.clone());
        status.set_description(at(f));
        let mut case = TestCase::new(f.rule.clone(), status);
        case.set_classname(f.rule.split('/').next().unwrap_or("formfit"));
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
        let mut case = TestCase::new(rule.id.clone(), status);
        case.set_classname(standard.clone());
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
