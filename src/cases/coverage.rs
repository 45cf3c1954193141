//! Coverage of a pack by its cases: which rules no case is about, and which branches of each
//! rule (in range, below, above, notch, look-alike, ambiguous, absent…, as its kind has them) no
//! case took. A branch is taken when the check said so on a case's product, whatever rule the
//! case is about: coverage is read from what the checks did, never from their messages.

use std::collections::BTreeSet;

use super::FileOutcome;
use crate::check::{self, Branch};
use crate::pack::Pack;

/// One pack's coverage.
#[derive(Debug)]
pub struct PackCoverage {
    pub designation: String,
    pub rules: Vec<RuleCoverage>,
}

/// One rule's coverage: whether a case is about it, the branches it has, those no case took.
#[derive(Debug)]
pub struct RuleCoverage {
    pub id: String,
    pub about: bool,
    pub branches: Vec<Branch>,
    pub missing: Vec<Branch>,
}

impl PackCoverage {
    /// The coverage of `pack` by the cases of the files that test it.
    pub fn of(pack: &Pack, files: &[FileOutcome]) -> PackCoverage {
        let designation = &pack.meta.designation;
        let cases: Vec<_> = files
            .iter()
            .filter(|f| f.pack.as_ref() == Some(designation))
            .flat_map(|f| &f.cases)
            .collect();
        let taken: BTreeSet<(&str, Branch)> = cases
            .iter()
            .flat_map(|c| c.taken.iter().map(|(id, b)| (id.as_str(), *b)))
            .collect();
        let rules = pack
            .rules
            .iter()
            .map(|rule| {
                let branches = check::branches(rule.check.as_deref());
                let missing = branches
                    .iter()
                    .copied()
                    .filter(|b| !taken.contains(&(rule.id.as_str(), *b)))
                    .collect();
                RuleCoverage {
                    id: rule.id.clone(),
                    about: cases.iter().any(|c| c.rule == rule.id),
                    branches,
                    missing,
                }
            })
            .collect();
        PackCoverage {
            designation: designation.clone(),
            rules,
        }
    }

    /// How many rules a case is about.
    pub fn rules_about(&self) -> usize {
        self.rules.iter().filter(|r| r.about).count()
    }

    /// Branches taken, and branches the pack's rules have.
    pub fn branches(&self) -> (usize, usize) {
        let all: usize = self.rules.iter().map(|r| r.branches.len()).sum();
        let missing: usize = self.rules.iter().map(|r| r.missing.len()).sum();
        (all - missing, all)
    }

    /// `STANAG 4172: 1/1 rules have a case, 5/6 branches taken`, then a line per rule with
    /// branches no case took, and the rules no case is about.
    pub fn human(&self) -> String {
        let (taken, all) = self.branches();
        let mut out = format!(
            "{}: {}/{} rules have a case, {taken}/{all} branches taken\n",
            self.designation,
            self.rules_about(),
            self.rules.len()
        );
        for rule in self.rules.iter().filter(|r| !r.missing.is_empty()) {
            let names: Vec<&str> = rule.missing.iter().map(|b| b.name()).collect();
            out.push_str(&format!("  {} not taken: {}\n", rule.id, names.join(", ")));
        }
        let without: Vec<&str> = self
            .rules
            .iter()
            .filter(|r| !r.about)
            .map(|r| r.id.as_str())
            .collect();
        if !without.is_empty() {
            out.push_str(&format!(
                "{}: no case is about {}\n",
                self.designation,
                without.join(", ")
            ));
        }
        out
    }

    pub fn json(&self) -> serde_json::Value {
        let (taken, all) = self.branches();
        let missing: Vec<serde_json::Value> = self
            .rules
            .iter()
            .filter(|r| !r.missing.is_empty())
            .map(|r| {
                let names: Vec<&str> = r.missing.iter().map(|b| b.name()).collect();
                serde_json::json!({"rule": r.id, "branches": names})
            })
            .collect();
        let without: Vec<&str> = self
            .rules
            .iter()
            .filter(|r| !r.about)
            .map(|r| r.id.as_str())
            .collect();
        serde_json::json!({
            "pack": self.designation,
            "rules": self.rules.len(),
            "rules_with_cases": self.rules_about(),
            "rules_without_cases": without,
            "branches": all,
            "branches_taken": taken,
            "missing": missing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{Library, PackCompiler};

    const PACK: &str = r#"formfit_pack = 1

[standard]
designation = "ACME Power"
title = "t"
edition = "A"
source = "formfit's tests"
note = "Modelled for tests only."

[[rule]]
id = "ACME-V-1"
clause = "c"
level = "shall"
message = "m"
path = "power.nominal_voltage"
min = "20 V"
max = "33 V"

[[rule]]
id = "ACME-S-1"
clause = "c"
level = "shall"
message = "m"
path = "power.source"
required = true
"#;

    fn coverage(cases: &str) -> PackCoverage {
        let pack = PackCompiler::new()
            .compile("acme.toml", PACK.as_bytes(), false)
            .expect("the test pack compiles");
        let pack = std::sync::Arc::new(pack);
        let library = Library::of([pack.clone()]);
        let text = format!("standard = \"ACME Power\"\n{cases}");
        let file = super::super::run_file(&library, "cases.toml", &text);
        assert!(file.pack.is_some(), "{file:#?}");
        PackCoverage::of(&pack, &[file])
    }

    fn case(rule: &str, power: &str) -> String {
        format!(
            "[[case]]\nname = \"a case about {rule}\"\nrule = \"{rule}\"\nproduct = '''\n[power]\n{power}\n'''\npasses = true\n"
        )
    }

    #[test]
    fn a_branch_is_covered_once_some_case_takes_it() {
        let one = coverage(&case(
            "ACME-V-1",
            "nominal_voltage = \"28 V\"\nsource = \"vehicle\"",
        ));
        assert_eq!(one.branches(), (2, 6), "{one:#?}");
        assert_eq!(
            one.rules[0].missing,
            [Branch::Below, Branch::Above, Branch::Absent]
        );
        assert_eq!(one.rules[1].missing, [Branch::Absent]);
        assert_eq!(one.rules_about(), 1);
        assert!(one
            .human()
            .contains("ACME Power: no case is about ACME-S-1"));

        // A case about another rule still takes the branches its product leads to.
        let more = format!(
            "{}{}",
            case(
                "ACME-V-1",
                "nominal_voltage = \"28 V\"\nsource = \"vehicle\""
            ),
            case("ACME-S-1", "nominal_voltage = \"35 V\"")
        );
        let more = more.replace(
            "nominal_voltage = \"35 V\"\n'''\npasses = true",
            "nominal_voltage = \"35 V\"\n'''\nfindings = [{ rule = \"ACME-V-1\", path = \"power.nominal_voltage\", level = \"shall\" }, { rule = \"ACME-S-1\", path = \"power.source\", level = \"shall\" }]",
        );
        let two = coverage(&more);
        assert_eq!(two.branches(), (4, 6), "{two:#?}");
        assert_eq!(two.rules[0].missing, [Branch::Below, Branch::Absent]);
        assert!(two.rules[1].missing.is_empty());
        assert_eq!(
            two.human(),
            "ACME Power: 2/2 rules have a case, 4/6 branches taken\n  ACME-V-1 not taken: below, absent\n"
        );
    }

    #[test]
    fn a_case_that_cannot_run_takes_no_branch() {
        // `nominal_volts` is no key of the product vocabulary: the product is invalid.
        let broken = case("ACME-V-1", "nominal_volts = \"28 V\"\nsource = \"vehicle\"");
        let tested = coverage(&broken);
        assert_eq!(tested.branches().0, 0, "{tested:#?}");
    }
}
