//! Pack test cases: the sidecar files `rules/tests/<pack>/*.toml`, beside a pack and never in it
//! (a pack's bytes, signature and pinned digest must not change when its tests do). Each case
//! is a product snippet and what the pack must find in it; `formfit rules explain` shows a
//! rule's cases as its examples, and the test suite runs every case of the shipped library.
//!
//! ```toml
//! standard = "STANAG 4172"          # the pack the cases test: a designation or alias
//!
//! [[case]]
//! name = ".223 Remington is a look-alike"
//! rule = "STANAG4172-CAL-1"         # the rule the case exemplifies
//! category = "small-arm"            # product.category (default "other")
//! product = '''
//! [ammunition]
//! caliber = ".223 Remington"
//! '''
//! findings = [{ rule = "STANAG4172-CAL-1", path = "ammunition.caliber", level = "shall" }]
//! # or: passes = true (the pack finds nothing)
//! ```
//!
//! A run of many files (`formfit rules test`) is a [`TestRun`]: what each case found, the
//! packs no case tests, and which branches of each rule no case took ([`coverage`]), written
//! for people, as JSON, or as JUnit XML ([`junit`]).

pub mod coverage;
pub mod junit;
mod run;

use std::sync::Arc;

use serde::Deserialize;

pub use run::TestRun;

use crate::check::Branch;
use crate::engine::{self, Selected, Selection};
use crate::input::{Format, Limits};
use crate::level::Level;
use crate::pack::{Library, Pack};
use crate::product::ProductReader;
use crate::report::{gate, Gate, ProductReport};

/// The branch each value a pack's rules judged took, by rule id.
pub type Taken = Vec<(String, Branch)>;

/// One sidecar file as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    pub standard: String,
    #[serde(rename = "case")]
    pub cases: Vec<Case>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    /// The rule the case is about; `rules explain` shows it as that rule's example.
    pub rule: String,
    #[serde(default = "other")]
    pub category: String,
    /// The product's tables below `[product]`, which the case writes for it.
    pub product: String,
    #[serde(default)]
    pub passes: bool,
    #[serde(default)]
    pub findings: Vec<Expected>,
}

fn other() -> String {
    "other".to_owned()
}

/// A finding the case expects, by rule, path and level (and status, when given).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub rule: String,
    pub path: String,
    pub level: Level,
    /// As the JSON output writes it (`open`, `evidence-required`…); any when left out.
    pub status: Option<String>,
}

impl CaseFile {
    /// Reads a sidecar file; a case must say either `passes = true` or its `findings`.
    pub fn parse(text: &str) -> Result<CaseFile, String> {
        let file: CaseFile = toml::from_str(text).map_err(|e| e.to_string())?;
        for case in &file.cases {
            if case.passes == case.findings.is_empty() {
                continue;
            }
            return Err(format!(
                "case `{}`: give either `passes = true` or its `findings`, not both or neither",
                case.name
            ));
        }
        Ok(file)
    }
}

impl Case {
    /// The whole product file the case checks: a `[product]` table, then its snippet.
    pub fn product_text(&self, id: &str) -> String {
        format!(
            "[product]\nid = {id:?}\nname = {:?}\nmanufacturer = \"formfit example\"\ncategory = {:?}\n\n{}",
            self.name, self.category, self.product
        )
    }

    /// Checks the case's product against the pack alone.
    pub fn run(&self, pack: &Arc<Pack>, name: &str) -> Result<ProductReport, Vec<String>> {
        self.run_traced(pack, name).map(|(report, _)| report)
    }

    /// As [`Case::run`], with the branch of its rule each value the pack judged took.
    fn run_traced(
        &self,
        pack: &Arc<Pack>,
        name: &str,
    ) -> Result<(ProductReport, Taken), Vec<String>> {
        let text = self.product_text(name);
        let product = ProductReader::new(Limits::default())
            .read(text.as_bytes(), Format::Toml)
            .map_err(|invalid| {
                invalid
                    .problems
                    .into_iter()
                    .map(|p| p.message)
                    .collect::<Vec<_>>()
            })?;
        let selection = Selection {
            standards: vec![Selected::all(pack.clone(), None)],
            ..Selection::default()
        };
        let (mut report, taken) =
            engine::check_with_branches(&Library::default(), &selection, name, &product);
        gate::settle_product(&mut report, &Gate::default());
        Ok((report, taken))
    }

    /// What differs between the findings the case expects and those the pack gives (empty
    /// when the case holds), and the branches the pack's rules took on its product.
    pub fn verify(&self, pack: &Arc<Pack>, name: &str) -> (Vec<String>, Taken) {
        let (report, taken) = match self.run_traced(pack, name) {
            Ok(run) => run,
            Err(problems) => {
                return (
                    vec![format!("the product is invalid: {}", problems.join("; "))],
                    Vec::new(),
                )
            }
        };
        let mut found: Vec<Expected> = report
            .findings
            .iter()
            .map(|f| Expected {
                rule: f.rule.clone(),
                path: f.path.clone(),
                level: f.level,
                status: Some(f.status.as_str().to_owned()),
            })
            .collect();
        let mut wrong = Vec::new();
        for expected in &self.findings {
            let at = found.iter().position(|f| {
                f.rule == expected.rule
                    && f.path == expected.path
                    && f.level == expected.level
                    && (expected.status.is_none() || f.status == expected.status)
            });
            match at {
                Some(i) => {
                    found.remove(i);
                }
                None => wrong.push(format!(
                    "expected {} at `{}` ({}), not found",
                    expected.rule,
                    expected.path,
                    expected.level.as_str()
                )),
            }
        }
        for extra in found {
            wrong.push(format!(
                "unexpected {} at `{}` ({})",
                extra.rule,
                extra.path,
                extra.level.as_str()
            ));
        }
        (wrong, taken)
    }
}

/// The outcome of every case of one sidecar file against a library.
#[derive(Debug)]
pub struct FileOutcome {
    pub file: String,
    /// The designation of the pack the file tests, when it names one the library has.
    pub pack: Option<String>,
    pub cases: Vec<CaseOutcome>,
}

/// One case run: its name, the rule it is about, what was wrong (empty: it passed), and the
/// branch each rule of the pack took on its product, by rule id.
#[derive(Debug)]
pub struct CaseOutcome {
    pub name: String,
    pub rule: String,
    pub wrong: Vec<String>,
    pub taken: Taken,
}

/// Runs the cases of one sidecar file against the library's pack for its standard.
pub fn run_file(library: &Library, file: &str, text: &str) -> FileOutcome {
    let fail = |why: String| FileOutcome {
        file: file.to_owned(),
        pack: None,
        cases: vec![CaseOutcome {
            name: String::new(),
            rule: String::new(),
            wrong: vec![why],
            taken: Vec::new(),
        }],
    };
    let parsed = match CaseFile::parse(text) {
        Ok(parsed) => parsed,
        Err(why) => return fail(why),
    };
    let Some((pack, _)) = library.find(&parsed.standard) else {
        return fail(format!("no pack for `{}`", parsed.standard));
    };
    let cases = parsed
        .cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let (mut wrong, taken) = case.verify(&pack, &format!("{file}#{}", i + 1));
            if !pack.rules.iter().any(|r| r.id == case.rule) {
                wrong.push(format!(
                    "`rule = {}` is not a rule of {}",
                    case.rule, parsed.standard
                ));
            }
            CaseOutcome {
                name: case.name.clone(),
                rule: case.rule.clone(),
                wrong,
                taken,
            }
        })
        .collect();
    FileOutcome {
        file: file.to_owned(),
        pack: Some(pack.meta.designation.clone()),
        cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{PackCompiler, BUILTIN_CASES};

    fn library() -> Library {
        Library::builtin(&PackCompiler::new()).0
    }

    #[test]
    fn every_case_of_the_shipped_library_holds() {
        let library = library();
        let mut wrong = Vec::new();
        for (file, text) in BUILTIN_CASES {
            for case in run_file(&library, file, text).cases {
                for problem in case.wrong {
                    wrong.push(format!("{file}: {}: {problem}", case.name));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
        assert!(!BUILTIN_CASES.is_empty());
    }

    /// Every rule of every built-in pack is its own example twice: a case about it that it
    /// breaks, and one it lets pass. Without them `rules explain` shows no example, and a rule
    /// that never fires (or always fires) goes unnoticed.
    #[test]
    fn every_builtin_rule_has_a_breaking_and_a_passing_case() {
        let library = library();
        let files: Vec<CaseFile> = BUILTIN_CASES
            .iter()
            .map(|(file, text)| CaseFile::parse(text).unwrap_or_else(|e| panic!("{file}: {e}")))
            .collect();
        let mut lacking = Vec::new();
        for pack in library.packs() {
            let cases: Vec<&Case> = files
                .iter()
                .filter(|f| {
                    library
                        .find(&f.standard)
                        .is_some_and(|(p, _)| Arc::ptr_eq(&p, pack))
                })
                .flat_map(|f| &f.cases)
                .collect();
            for rule in &pack.rules {
                let about: Vec<&&Case> = cases.iter().filter(|c| c.rule == rule.id).collect();
                if !about
                    .iter()
                    .any(|c| c.findings.iter().any(|f| f.rule == rule.id))
                {
                    lacking.push(format!("{}: no case that breaks it", rule.id));
                }
                if !about.iter().any(|c| c.passes) {
                    lacking.push(format!("{}: no case that passes", rule.id));
                }
            }
        }
        assert!(lacking.is_empty(), "{lacking:#?}");
    }

    const CASES: &str = r#"
standard = "STANAG 4172"
[[case]]
name = "n"
rule = "STANAG4172-CAL-1"
product = '''
[ammunition]
caliber = ".223 Remington"
'''
"#;

    #[test]
    fn a_case_that_expects_the_wrong_thing_fails_with_what_differs() {
        let passes = format!("{CASES}passes = true\n");
        let outcome = run_file(&library(), "t.toml", &passes);
        assert_eq!(
            outcome.cases[0].wrong,
            ["unexpected STANAG4172-CAL-1 at `ammunition.caliber` (shall)"]
        );
        let should = format!(
            "{CASES}findings = [{{ rule = \"STANAG4172-CAL-1\", path = \"ammunition.caliber\", level = \"should\" }}]\n"
        );
        let outcome = run_file(&library(), "t.toml", &should);
        assert_eq!(
            outcome.cases[0].wrong.len(),
            2,
            "{:?}",
            outcome.cases[0].wrong
        );
    }

    #[test]
    fn a_case_must_say_what_it_expects_and_name_a_rule_of_its_pack() {
        assert!(CaseFile::parse(CASES).is_err());
        let unknown = format!("{CASES}passes = true\n").replace("CAL-1", "CAL-9");
        let outcome = run_file(&library(), "t.toml", &unknown);
        assert!(
            outcome.cases[0]
                .wrong
                .iter()
                .any(|p| p.contains("is not a rule of")),
            "{:?}",
            outcome.cases[0].wrong
        );
        let nowhere = format!("{CASES}passes = true\n").replace("STANAG 4172", "STANAG 9999");
        assert_eq!(
            run_file(&library(), "t.toml", &nowhere).cases[0].wrong,
            ["no pack for `STANAG 9999`"]
        );
    }
}
