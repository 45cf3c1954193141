//! `--format junit`: JUnit XML as GitLab and Jenkins read it: a test suite per product, a test
//! case per (standard, rule) evaluated; failures carry the message and location, rules that do
//! not apply are skipped.

use quick_junit::{NonSuccessKind, Property, Report as Junit, TestCase, TestCaseStatus, TestSuite};

use super::{line_col, Outcome, ProductReport, Report};
use crate::pack::model::Level;

pub fn render(report: &Report) -> String {
    let mut junit = Junit::new("formfit");
    let banner = report.banner();
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
    // An unreadable product has no rules evaluated: each of its problems is a failed case.
    for f in product
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("input/"))
    {
        let (line, col) = line_col(&product.text, f.span.start);
        let mut status = if f.level == Level::Shall {
            TestCaseStatus::non_success(NonSuccessKind::Failure)
        } else {
            TestCaseStatus::skipped()
        };
        status.set_message(format!("{}: {}", f.message, f.label));
        status.set_type(f.rule.clone());
        status.set_description(format!("{}:{line}:{col}", product.file));
        let mut case = TestCase::new(f.rule.clone(), status);
        case.set_classname(f.rule.split('/').next().unwrap_or("input"));
        suite.add_test_case(case);
    }
    for evaluation in &product.evaluations {
        let rule = evaluation.rule();
        let standard = &evaluation.pack.meta.designation;
        let status = match evaluation.outcome {
            Outcome::Passed => TestCaseStatus::success(),
            Outcome::NotApplicable | Outcome::EvidenceRequired | Outcome::Waived => {
                let mut status = TestCaseStatus::skipped();
                status.set_message(match evaluation.outcome {
                    Outcome::NotApplicable => "not applicable to this product".to_owned(),
                    Outcome::Waived => {
                        let approvals: Vec<&str> = product
                            .findings
                            .iter()
                            .filter(|f| f.rule == rule.id)
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
            Outcome::Failed => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let failures: Vec<String> = product
                    .findings
                    .iter()
                    .filter(|f| f.rule == rule.id && f.level == rule.level)
                    .map(|f| {
                        let (line, col) = line_col(&product.text, f.span.start);
                        format!("{}:{line}:{col}: {} ({})", product.file, f.label, f.path)
                    })
                    .collect();
                status.set_message(rule.message.clone());
                status.set_type(rule.level.as_str());
                status.set_description(failures.join("\n"));
                status
            }
        };
        let mut case = TestCase::new(rule.id.clone(), status);
        case.set_classname(standard.clone());
        suite.add_test_case(case);
    }
    suite
}
