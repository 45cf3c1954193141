//! The exit code of an NDJSON stream (issue 11, the distributed engine): under
//! `--fail-on never` a stream's records never fail the run, not even an invalid one, so that a
//! Spark task piping a partition through formfit is not failed (and retried) for one bad
//! record; a gate still fails on them, an invalid *file* is still exit 2, and a run formfit
//! could not do (an unreadable stream, a broken pack) is exit 3 whatever the gate.

mod common;
use common::*;

use std::process::Output;

/// A conformant, a non-conformant, a misspelt key (schema-invalid), a cut-off line (bad JSON).
fn mixed_stream() -> String {
    let misspelt = cartridge_line("P-3", "5.56×45 mm NATO").replace("\"caliber\"", "\"calibre\"");
    [
        cartridge_line("P-1", "5.56×45 mm NATO"),
        cartridge_line("P-2", ".223 Remington"),
        misspelt,
        "{\"product\": {\"id\": \"P-4\", ".to_owned(),
    ]
    .join("\n")
        + "\n"
}

fn summary(output: &Output) -> serde_json::Value {
    let last = stdout(output).lines().last().unwrap_or_default().to_owned();
    serde_json::from_str(&last).unwrap_or_else(|e| panic!("not a JSON line ({e}): {last}"))
}

fn stream_run(format: &str, gate: &str) -> Output {
    let dir = folder(&[]);
    formfit_with_stdin(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--ndjson",
            "-",
            "--format",
            format,
            "--fail-on",
            gate,
        ],
        &mixed_stream(),
    )
}

#[test]
fn under_fail_on_never_invalid_lines_are_results_and_the_stream_exits_0() {
    let output = stream_run("ndjson", "never");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let verdicts: Vec<(u64, String)> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["type"] == "product")
        .map(|l| (l["line"].as_u64().unwrap(), l["verdict"].to_string()))
        .collect();
    assert_eq!(
        verdicts,
        [
            (1, "\"conformant\"".to_owned()),
            (2, "\"non-conformant\"".to_owned()),
            (3, "\"invalid\"".to_owned()),
            (4, "\"invalid\"".to_owned()),
        ]
    );
    // An invalid line's problems stand below the gate, as a non-conformant line's findings do.
    let dispositions: Vec<String> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["verdict"] == "invalid")
        .flat_map(|l| l["findings"].as_array().unwrap().clone())
        .map(|f| f["disposition"].to_string())
        .collect();
    assert!(!dispositions.is_empty());
    assert!(
        dispositions.iter().all(|d| d == "\"warning\""),
        "{dispositions:?}"
    );
    let summary = summary(&output);
    assert_eq!(summary["exit_code"], 0);
    assert_eq!(summary["summary"]["verdicts"]["invalid"], 2);
    assert_eq!(summary["summary"]["findings"]["failing"], 0);
}

#[test]
fn every_format_states_the_exit_code_the_stream_exits_with() {
    let json = stream_run("json", "never");
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    assert_eq!(common::json(&json)["exit_code"], 0);
    let human = stream_run("human", "never");
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    assert!(stdout(&human).contains("the gate (never) passes (exit 0)"));
}

#[test]
fn a_gate_still_fails_on_invalid_lines() {
    for gate in ["shall", "should", "never,not-checked"] {
        let output = stream_run("ndjson", gate);
        assert_eq!(output.status.code(), Some(2), "under {gate}");
        let summary = summary(&output);
        assert_eq!(summary["exit_code"], 2, "under {gate}");
        assert!(summary["summary"]["findings"]["failing"].as_u64() > Some(0));
    }
}

#[test]
fn an_invalid_file_is_still_exit_2_under_fail_on_never() {
    let dir = folder(&[
        ("good.json", &cartridge_line("P-1", "5.56×45 mm NATO")),
        ("cut.json", "{\"product\": {\"id\": \"P-2\", "),
    ]);
    let output = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "good.json",
            "cut.json",
            "--format",
            "ndjson",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(summary(&output)["exit_code"], 2);
}

#[test]
fn a_stream_formfit_cannot_read_or_check_is_exit_3_under_fail_on_never() {
    let dir = folder(&[
        ("catalogue.ndjson", &mixed_stream()),
        ("rules/broken.toml", "[standard\n"),
        ("folder/.keep", ""),
    ]);
    let run = |extra: &[&str], stream: &str| {
        let mut args = vec!["check", "--no-config"];
        args.extend_from_slice(extra);
        args.extend([
            "--ndjson",
            stream,
            "--format",
            "ndjson",
            "--fail-on",
            "never",
        ]);
        formfit_in(dir.path(), &args)
    };
    for (what, output) in [
        ("a missing stream", run(&[], "missing.ndjson")),
        ("a folder for a stream", run(&[], "folder")),
        (
            "a broken pack",
            run(&["--rules", "rules"], "catalogue.ndjson"),
        ),
    ] {
        assert_eq!(output.status.code(), Some(3), "{what}: {}", stderr(&output));
        assert_eq!(summary(&output)["exit_code"], 3, "{what}");
    }
}
