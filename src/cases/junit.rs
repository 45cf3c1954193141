//! `formfit rules test --format junit`: a test suite per pack, a test case per case, so a CI
//! service shows a pack's cases as it shows code tests. A case that does not hold is a
//! `failure` with what differs; a case file that cannot run (it does not parse, or names no
//! pack) is an `error`; a pack under test without cases is a skipped case, or a failure with
//! `--require-tests`, so the failure count and the exit code agree.
//!
//! As `formfit check --format junit` writes it: valid against the xunit XSD
//! (`schemas/vendor/junit-10.xsd`) but for each case's `file` (the case file, which GitLab
//! shows); `time` 0; class names with `.` written `_`, since Jenkins takes what is before the
//! last dot as a package (`7.62x51 NATO` would be package `7`).

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::TestRun;

pub fn render(run: &TestRun) -> String {
    let mut report = Report::new("formfit rules test");
    let mut suites: Vec<TestSuite> = Vec::new();
    let mut unrunnable = TestSuite::new("formfit rules test");
    for file in &run.files {
        let Some(designation) = &file.pack else {
            let why = file
                .cases
                .iter()
                .flat_map(|c| &c.wrong)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n");
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(why);
            status.set_type("case-file");
            unrunnable.add_test_case(case(&file.file, "formfit", &file.file, status));
            continue;
        };
        let at = match suites.iter().position(|s| s.name.as_str() == designation) {
            Some(at) => at,
            None => {
                suites.push(suite(run, designation));
                suites.len() - 1
            }
        };
        for c in &file.cases {
            let status = match c.wrong.as_slice() {
                [] => TestCaseStatus::success(),
                [first, ..] => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(first.clone());
                    status.set_type("case");
                    status.set_description(c.wrong.join("\n"));
                    status
                }
            };
            suites[at].add_test_case(case(&c.name, designation, &file.file, status));
        }
    }
    for designation in run.untested() {
        let mut status = if run.require_tests {
            TestCaseStatus::non_success(NonSuccessKind::Failure)
        } else {
            TestCaseStatus::skipped()
        };
        status.set_message(format!("{designation} has no test cases"));
        let mut s = suite(run, designation);
        s.add_test_case(case("test cases", designation, "", status));
        suites.push(s);
    }
    if !unrunnable.test_cases.is_empty() {
        unrunnable.set_time(Duration::ZERO);
        suites.insert(0, unrunnable);
    }
    report.add_test_suites(suites);
    let xml = report.to_string().unwrap_or_default();
    crate::escape::for_xunit(&xml)
}

fn suite(run: &TestRun, designation: &str) -> TestSuite {
    let mut suite = TestSuite::new(designation);
    suite.set_time(Duration::ZERO);
    if let Some(pack) = run.packs.iter().find(|p| p.meta.designation == designation) {
        suite.add_property(Property::new(
            "classification",
            pack.meta.classification.as_str(),
        ));
    }
    suite
}

fn case(name: &str, designation: &str, file: &str, status: TestCaseStatus) -> TestCase {
    let mut case = TestCase::new(name, status);
    case.set_classname(designation.replace('.', "_"));
    case.set_time(Duration::ZERO);
    if !file.is_empty() {
        case.extra.insert("file".into(), file.into());
    }
    case
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{Library, PackCompiler, BUILTIN_CASES};

    fn run(files: &[(&str, &str)], require_tests: bool) -> String {
        let library = Library::builtin(&PackCompiler::new()).0;
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(f, t)| ((*f).to_owned(), (*t).to_owned()))
            .collect();
        let packs = library
            .packs()
            .filter(|p| ["STANAG 4172", "STANAG 4090"].contains(&p.meta.designation.as_str()))
            .cloned()
            .collect();
        render(&TestRun::new(&library, &files, packs, require_tests))
    }

    fn stanag_4172() -> (&'static str, &'static str) {
        *BUILTIN_CASES
            .iter()
            .find(|(f, _)| f.contains("/stanag-4172/"))
            .expect("the shipped cases of STANAG 4172")
    }

    #[test]
    fn a_suite_per_pack_and_a_case_per_case_with_its_file() {
        let (file, text) = stanag_4172();
        let xml = run(&[(file, text)], false);
        let cases = text.matches("[[case]]").count();
        assert!(xml.contains("<testsuite name=\"STANAG 4172\""), "{xml}");
        assert_eq!(
            xml.matches(&format!(
                "classname=\"STANAG 4172\" time=\"0.000\" file=\"{file}\""
            ))
            .count(),
            cases,
            "{xml}"
        );
        assert!(!xml.contains("<failure"), "{xml}");
        let root = &xml[xml.find("<testsuites").unwrap_or(0)..];
        assert!(
            !root[..root.find('>').unwrap_or(0)].contains("skipped="),
            "{xml}"
        );
        // STANAG 4090 is under test and has no cases here: a skipped case, not a silent gap.
        assert!(xml.contains("STANAG 4090 has no test cases"), "{xml}");
        assert!(run(&[(file, text)], true)
            .contains("<failure message=\"STANAG 4090 has no test cases\""));
    }

    #[test]
    fn a_case_that_does_not_hold_fails_with_what_differs_and_a_broken_file_errs() {
        let (file, text) = stanag_4172();
        let wrong = text.replacen("passes = true", "findings = [{ rule = \"STANAG4172-CAL-1\", path = \"ammunition.caliber\", level = \"shall\" }]", 1);
        let xml = run(&[(file, &wrong), ("broken.toml", "standard = 1")], false);
        assert!(xml.contains("<failure message=\"expected STANAG4172-CAL-1 at `ammunition.caliber` (shall), not found\" type=\"case\""), "{xml}");
        assert!(
            xml.contains("<testsuite name=\"formfit rules test\""),
            "{xml}"
        );
        assert!(xml.contains("<error message=\""), "{xml}");
    }
}
