//! The verdict table: every mix of findings × every output format × every gate. The verdict,
//! the exit code, JUnit's counts, SARIF's levels, GitHub's and GitLab's severities and the human
//! summary must all tell the same story, because one place decides and the rest only map it.
//!
//! Products and the pack they are checked against are in tests/data/verdict/.

mod common;
use common::*;

use std::path::Path;

const DIR: &str = "tests/data/verdict/products";

/// A product, its verdict, and the exit code under `--fail-on` shall, should, never and
/// `shall,not-checked`.
const TABLE: &[(&str, &str, [i32; 4])] = &[
    ("clean", "conformant", [0, 0, 0, 0]),
    ("shall", "non-conformant", [1, 1, 0, 1]),
    ("should", "conformant", [0, 1, 0, 0]),
    ("may", "conformant", [0, 0, 0, 0]),
    // A request for evidence never fails the gate, and never reads non-conformant.
    ("evidence", "evidence-required", [0, 0, 0, 0]),
    ("waived", "conformant", [0, 0, 0, 0]),
    ("expired", "non-conformant", [1, 1, 0, 1]),
    // A claim formfit cannot check is never a silent green, and fails where the gate asks.
    ("unchecked", "not-checked", [0, 0, 0, 1]),
    // A near miss of a known designation is a shall finding with the did-you-mean.
    ("near-miss", "non-conformant", [1, 1, 0, 1]),
    ("invalid", "invalid", [2, 2, 2, 2]),
];

const GATES: [&str; 4] = ["shall", "should", "never", "shall,not-checked"];

fn run(case: &str, gate: &str, format: &str) -> std::process::Output {
    let product = format!("{DIR}/{case}.toml");
    let deviations = format!("{DIR}/{case}.deviations.toml");
    let mut args = vec![
        "check",
        "--no-config",
        "--rules",
        "tests/data/verdict/rules",
        "--today",
        "2026-12-01",
        "--fail-on",
        gate,
        "--format",
        format,
        &product,
    ];
    if Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(&deviations)
        .exists()
    {
        args.extend(["--deviations", &deviations]);
    }
    formfit(&args)
}

/// What every format says about one run; each field read from that format only.
#[derive(Debug, PartialEq)]
struct Told {
    exit: i32,
    failing: usize,
}

fn from_json(output: &std::process::Output) -> (Told, String) {
    let value = json(output);
    let failing = value["products"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["findings"].as_array().unwrap())
        .filter(|f| f["disposition"] == "failing")
        .count();
    assert_eq!(value["summary"]["findings"]["failing"], failing);
    assert_eq!(value["exit_code"], output.status.code().unwrap());
    let verdict = value["products"][0]["verdict"].as_str().unwrap().to_owned();
    (
        Told {
            exit: output.status.code().unwrap(),
            failing,
        },
        verdict,
    )
}

/// NDJSON: failing findings counted over the product lines; the summary line's counts and
/// exit code must agree with them and with the process.
fn from_ndjson(output: &std::process::Output) -> Told {
    let lines: Vec<serde_json::Value> = stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let failing = lines
        .iter()
        .filter(|l| l["type"] == "product")
        .flat_map(|p| p["findings"].as_array().unwrap())
        .filter(|f| f["disposition"] == "failing")
        .count();
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["summary"]["findings"]["failing"], failing);
    assert_eq!(summary["exit_code"], output.status.code().unwrap());
    Told {
        exit: output.status.code().unwrap(),
        failing,
    }
}

fn from_sarif(output: &std::process::Output) -> Told {
    let value = json(output);
    let run = &value["runs"][0];
    let failing = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "error")
        .count();
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    Told {
        exit: run["invocations"][0]["exitCode"].as_i64().unwrap() as i32,
        failing,
    }
}

fn from_github(output: &std::process::Output) -> Told {
    Told {
        exit: output.status.code().unwrap(),
        failing: stdout(output)
            .lines()
            .filter(|l| l.starts_with("::error "))
            .count(),
    }
}

fn from_gitlab(output: &std::process::Output) -> Told {
    let value = json(output);
    Told {
        exit: output.status.code().unwrap(),
        failing: value
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["severity"] == "major")
            .count(),
    }
}

/// JUnit counts failed cases, not findings: a rule failing twice is one failed case.
fn junit_failures(output: &std::process::Output) -> usize {
    let junit = quick_junit::Report::deserialize_from_str(&stdout(output)).unwrap();
    assert_eq!(junit.errors, 0);
    junit.failures
}

fn human_summary(output: &std::process::Output) -> String {
    stdout(output)
        .lines()
        .filter(|l| !l.starts_with("──"))
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
}

fn headline(verdict: &str) -> String {
    verdict
        .replace('-', " ")
        .to_uppercase()
        .replace("NON CONFORMANT", "NON-CONFORMANT")
}

#[test]
fn every_format_and_the_exit_code_agree_on_every_mix_under_every_gate() {
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = TABLE
            .iter()
            .flat_map(|case| {
                GATES
                    .iter()
                    .enumerate()
                    .map(move |(g, gate)| (case, g, gate))
            })
            .map(|(&(case, verdict, exits), g, gate)| {
                scope.spawn(move || check_one(case, verdict, exits[g], gate))
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().unwrap().err())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn check_one(case: &str, verdict: &str, exit: i32, gate: &str) -> Result<(), String> {
    let at = format!("{case} under --fail-on {gate}");
    let (told, json_verdict) = from_json(&run(case, gate, "json"));
    let mut wrong = Vec::new();
    if told.exit != exit {
        wrong.push(format!("json: exit {} (expected {exit})", told.exit));
    }
    if json_verdict != verdict {
        wrong.push(format!("json: verdict {json_verdict} (expected {verdict})"));
    }
    // Exit 1 exactly when something fails the gate.
    if (told.failing > 0) != (exit >= 1) {
        wrong.push(format!(
            "json: {} failing findings with exit {exit}",
            told.failing
        ));
    }
    for (format, other) in [
        ("sarif", from_sarif(&run(case, gate, "sarif"))),
        ("github", from_github(&run(case, gate, "github"))),
        ("gitlab", from_gitlab(&run(case, gate, "gitlab"))),
        ("ndjson", from_ndjson(&run(case, gate, "ndjson"))),
    ] {
        if other != told {
            wrong.push(format!("{format}: {other:?}, json: {told:?}"));
        }
    }
    let junit = run(case, gate, "junit");
    if junit.status.code() != Some(exit) {
        wrong.push(format!("junit: exit {:?}", junit.status.code()));
    }
    let failed_cases = junit_failures(&junit);
    if (failed_cases > 0) != (exit >= 1) || failed_cases > told.failing {
        wrong.push(format!(
            "junit: {failed_cases} failures, {} failing findings, exit {exit}",
            told.failing
        ));
    }
    let human = run(case, gate, "human");
    let summary = human_summary(&human);
    if human.status.code() != Some(exit)
        || !summary.contains(&format!(" {} (", headline(verdict)))
        || !summary.contains(&format!("(exit {exit})"))
        || (told.failing > 0) != summary.contains("failing")
    {
        wrong.push(format!(
            "human: exit {:?}, summary:\n{summary}",
            human.status.code()
        ));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("{at}:\n  {}", wrong.join("\n  ")))
    }
}
