//! A run of `formfit rules test`: every case file run against the library, the packs under
//! test, and what the run says — a line per case, a summary, the packs no case tests and, when
//! asked, each pack's coverage — for people or as JSON.

use std::sync::Arc;

use super::coverage::PackCoverage;
use super::{run_file, FileOutcome};
use crate::pack::{Library, Pack};

#[derive(Debug)]
pub struct TestRun {
    pub files: Vec<FileOutcome>,
    /// The packs under test: a `--rules` folder's, or the built-in ones.
    pub packs: Vec<Arc<Pack>>,
    /// A pack without cases fails the run (`--require-tests`).
    pub require_tests: bool,
}

impl TestRun {
    /// Runs every case file (name, text) against the library.
    pub fn new(
        library: &Library,
        files: &[(String, String)],
        packs: Vec<Arc<Pack>>,
        require_tests: bool,
    ) -> TestRun {
        TestRun {
            files: files
                .iter()
                .map(|(file, text)| run_file(library, file, text))
                .collect(),
            packs,
            require_tests,
        }
    }

    /// Cases that held, and cases that did not.
    pub fn counts(&self) -> (usize, usize) {
        let cases = self.files.iter().flat_map(|f| &f.cases);
        let failed = cases.clone().filter(|c| !c.wrong.is_empty()).count();
        (cases.count() - failed, failed)
    }

    /// The designations of the packs under test that no case file tests.
    pub fn untested(&self) -> Vec<&str> {
        self.packs
            .iter()
            .map(|p| p.meta.designation.as_str())
            .filter(|d| !self.files.iter().any(|f| f.pack.as_deref() == Some(*d)))
            .collect()
    }

    /// A case failed, or (with `require_tests`) a pack has none: exit 1.
    pub fn fails(&self) -> bool {
        self.counts().1 > 0 || (self.require_tests && !self.untested().is_empty())
    }

    pub fn coverage(&self) -> Vec<PackCoverage> {
        self.packs
            .iter()
            .map(|p| PackCoverage::of(p, &self.files))
            .collect()
    }

    /// `ok    FILE: NAME` or `FAIL  FILE: NAME` with what differs, the summary, the packs
    /// without tests, then each pack's coverage when asked.
    pub fn human(&self, coverage: bool) -> String {
        let mut out = String::new();
        for file in &self.files {
            for case in &file.cases {
                if case.wrong.is_empty() {
                    out.push_str(&format!("ok    {}: {}\n", file.file, case.name));
                } else {
                    out.push_str(&format!("FAIL  {}: {}\n", file.file, case.name));
                    for why in &case.wrong {
                        out.push_str(&format!("        {why}\n"));
                    }
                }
            }
        }
        let (passed, failed) = self.counts();
        out.push_str(&format!(
            "\n{} cases: {passed} passed, {failed} failed\n",
            passed + failed
        ));
        let untested = self.untested();
        if !untested.is_empty() {
            out.push_str(&format!("packs without tests: {}\n", untested.join(", ")));
        }
        if coverage {
            out.push_str("\ncoverage (branches: a value of the rule took it in some case)\n");
            for pack in self.coverage() {
                out.push_str(&pack.human());
            }
        }
        out
    }

    /// The same as JSON: `cases`, `summary`, and `coverage` when asked.
    pub fn json(&self, coverage: bool) -> String {
        let cases: Vec<serde_json::Value> = self
            .files
            .iter()
            .flat_map(|f| {
                f.cases.iter().map(|c| {
                    serde_json::json!({
                        "file": f.file,
                        "pack": f.pack,
                        "name": c.name,
                        "rule": c.rule,
                        "passed": c.wrong.is_empty(),
                        "wrong": c.wrong,
                    })
                })
            })
            .collect();
        let (passed, failed) = self.counts();
        let mut value = serde_json::json!({
            "cases": cases,
            "summary": {
                "cases": passed + failed,
                "passed": passed,
                "failed": failed,
                "untested": self.untested(),
            },
        });
        if coverage {
            value["coverage"] = self.coverage().iter().map(PackCoverage::json).collect();
        }
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
}
