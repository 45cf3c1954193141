//! formfit follows the conventions of its ecosystem (clap, cargo, ruff): short flags, colour
//! through the usual variables, exit codes and examples in `--help`, man pages per command,
//! completions of the library's names, and standard output that holds only the report.

mod common;
use common::*;

use std::path::Path;
use std::process::{Command, Output};

/// formfit with exactly these colour variables (the others removed).
fn formfit_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_formfit"));
    command.current_dir(env!("CARGO_MANIFEST_DIR")).args(args);
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

const BAD: &str = "fixtures/stanag-4172/bad-223.toml";

#[test]
fn short_flags_for_format_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let output = formfit(&["check", BAD, "-f", "json", "-o", report.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(value["formfit"], 1);
    let matrix = dir.path().join("m.csv");
    let output = formfit(&["matrix", BAD, "-f", "csv", "-o", matrix.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(std::fs::read_to_string(&matrix)
        .unwrap()
        .contains("STANAG4172-CAL-1"));
    assert_eq!(
        json(&formfit(&["rules", "list", "-f", "json"]))["formfit"],
        1
    );
}

#[test]
fn every_printing_command_takes_color() {
    for args in [
        &["check", BAD][..],
        &["matrix", BAD],
        &["rules", "list"],
        &["rules", "show", "STANAG 4172"],
        &["rules", "explain", "STANAG4172-CAL-1"],
        &["rules", "kinds"],
        &["rules", "test"],
        &["schema", "product"],
        &["completions", "bash"],
        &["man"],
    ] {
        for color in ["auto", "always", "never"] {
            let mut all = args.to_vec();
            all.extend(["--color", color]);
            let output = formfit(&all);
            assert_ne!(
                output.status.code(),
                Some(3),
                "{all:?}: {}",
                stderr(&output)
            );
        }
    }
}

/// `auto` follows the variables as anstream reads them: NO_COLOR only when it is not empty,
/// CLICOLOR_FORCE colours output that is not a terminal; `--color` overrides both.
#[test]
fn colour_follows_no_color_and_clicolor_force() {
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let output = formfit_env(args, env);
        assert_eq!(output.status.code(), Some(1), "{args:?} {env:?}");
        String::from_utf8_lossy(&output.stdout).contains("\u{1b}[")
    };
    let check = ["check", BAD];
    assert!(!coloured(&check, &[]), "a pipe is not a terminal");
    assert!(coloured(&check, &[("CLICOLOR_FORCE", "1")]));
    assert!(coloured(
        &check,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")]
    ));
    assert!(!coloured(
        &check,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    assert!(coloured(
        &["check", BAD, "--color", "always"],
        &[("NO_COLOR", "1")]
    ));
    assert!(!coloured(
        &["check", BAD, "--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    ));
    assert!(coloured(&["--color", "always", "check", BAD], &[]));
}

#[test]
fn help_ends_with_examples_and_exit_codes() {
    for args in [&["--help"][..], &["check", "--help"], &["matrix", "--help"]] {
        let help = stdout(&formfit(args));
        for text in [
            "Examples:",
            "Exit codes",
            "  3 ",
            "formfit could not do what was asked",
        ] {
            assert!(help.contains(text), "{args:?} lacks {text}:\n{help}");
        }
    }
}

#[test]
fn a_man_page_per_command_with_exit_status_environment_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let output = formfit(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for page in [
        "formfit.1",
        "formfit-check.1",
        "formfit-matrix.1",
        "formfit-rules.1",
        "formfit-rules-list.1",
        "formfit-rules-explain.1",
        "formfit-schema.1",
        "formfit-man.1",
    ] {
        let roff = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        for section in [
            ".SH \"EXIT STATUS\"",
            ".SH \"ENVIRONMENT\"",
            ".SH \"FILES\"",
            "NO_COLOR",
            "formfit.toml",
        ] {
            assert!(roff.contains(section), "{page} lacks {section}");
        }
    }
    let check = stdout(&formfit(&["man", "check"]));
    assert!(
        check.starts_with(".ie") || check.contains(".TH formfit-check"),
        "{check}"
    );
    assert!(
        check.contains("\\-\\-fail\\-on"),
        "the page has check's options"
    );
    let list = stdout(&formfit(&["man", "rules", "list"]));
    assert!(list.contains(".TH formfit-rules-list"), "{list}");
    let unknown = formfit(&["man", "chek"]);
    assert_eq!(unknown.status.code(), Some(3));
    assert!(unknown.stdout.is_empty());
    assert!(stderr(&unknown).contains("formfit-check.1"));
}

/// What bash offers after `words`: the generated script sourced, its function called as bash
/// would call it.
fn bash_completes(script: &Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let program = format!(
        "source {script}; COMP_WORDS=({line}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _formfit formfit '{current}' '{previous}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script = script.display(),
        cword = words.len() - 1,
        current = words[words.len() - 1],
        previous = words[words.len() - 2],
    );
    let output = Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_standards_profiles_and_rule_ids_from_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("formfit.bash");
    std::fs::write(&script, formfit(&["completions", "bash"]).stdout).unwrap();
    let offered = bash_completes(&script, &["formfit", "check", "--standard", "nato-u"]);
    assert_eq!(offered, ["nato-uhf-air-band"]);
    let offered = bash_completes(&script, &["formfit", "matrix", "--profile", "land"]);
    assert_eq!(offered, ["land-vehicle-c4i"]);
    let offered = bash_completes(&script, &["formfit", "rules", "explain", "STANAG4172-CAL"]);
    assert!(
        offered.contains(&"STANAG4172-CAL-1".to_owned()),
        "{offered:?}"
    );
    let offered = bash_completes(&script, &["formfit", "rules", "show", "mil-std-1"]);
    assert!(offered.contains(&"mil-std-1275".to_owned()), "{offered:?}");
    // What is offered is what formfit takes.
    let output = formfit(&[
        "check",
        "--standard",
        "nato-uhf-air-band",
        "fixtures/examples/vehicle-radio-set.toml",
    ]);
    assert_ne!(output.status.code(), Some(3), "{}", stdout(&output));
}

/// A machine format is a document of its kind on every exit code, usage errors and refusals
/// included; formfit's own messages go to standard error.
#[test]
fn check_sarif_on_stdout_is_sarif_on_every_exit_code() {
    let marked = folder(&[(
        "p.toml",
        "[product]\nid = \"P\"\nname = \"N\"\nmanufacturer = \"M\"\ncategory = \"radio\"\nmarking = \"NATO RESTRICTED\"\n",
    )]);
    let marked_product = marked.path().join("p.toml");
    let runs: Vec<(Vec<&str>, i32)> = vec![
        (vec!["fixtures/stanag-4172/good-ball-cartridge.toml"], 0),
        (vec![BAD], 1),
        (vec!["fixtures/invalid/unit-case-mhz.toml"], 2),
        (vec!["--standard", "STANAG 4173", BAD], 3),
        (vec!["no/such/file.toml"], 2),
        (vec!["--bogus", BAD], 3),
        (vec!["--fail-on", "sometimes", BAD], 3),
        (vec!["--jobs", "0", BAD], 3),
        (vec!["--standard", "X", "--profile", "Y", BAD], 3),
        (vec![marked_product.to_str().unwrap()], 3),
    ];
    for (args, code) in runs {
        for format in [
            &["--format", "sarif"][..],
            &["-f", "sarif"],
            &["--format=sarif"],
        ] {
            let mut all = vec!["check", "--no-config"];
            all.extend_from_slice(format);
            all.extend_from_slice(&args);
            let output = formfit(&all);
            assert_eq!(
                output.status.code(),
                Some(code),
                "{all:?}: {}",
                stderr(&output)
            );
            let sarif = json(&output);
            assert_eq!(sarif["version"], "2.1.0", "{all:?}");
            let run = &sarif["runs"][0];
            if code == 3 {
                assert_eq!(
                    run["invocations"][0]["executionSuccessful"], false,
                    "{all:?}"
                );
                assert!(
                    !stderr(&output).is_empty(),
                    "{all:?}: the why goes to stderr"
                );
            }
        }
    }
}

#[test]
fn a_usage_error_in_each_machine_format_is_a_document_of_it() {
    let output = formfit(&["check", "-f", "json", "--bogus", BAD]);
    assert_eq!(output.status.code(), Some(3));
    let report = json(&output);
    assert_eq!(report["exit_code"], 3);
    let problem = diagnostic(&report, "formfit/usage");
    assert_eq!(problem["code"], "formfit/usage/command-line");
    assert!(
        problem["message"].as_str().unwrap().contains("--bogus"),
        "{problem}"
    );
    assert!(stderr(&output).contains("--bogus"));
    let ndjson = stdout(&formfit(&["check", "-f", "ndjson", "--bogus", BAD]));
    let last: serde_json::Value = serde_json::from_str(ndjson.lines().last().unwrap()).unwrap();
    assert_eq!(last["type"], "summary");
    assert_eq!(last["exit_code"], 3);
    let junit = stdout(&formfit(&["check", "-f", "junit", "--bogus", BAD]));
    assert!(
        junit.starts_with("<?xml") && junit.contains("<error"),
        "{junit}"
    );
    // Human output: the message alone, on stderr.
    let human = formfit(&["check", "--bogus", BAD]);
    assert_eq!(human.status.code(), Some(3));
    assert!(human.stdout.is_empty());
}

/// `matrix` writes its matrix or, asked for JSON, the run report that says why there is none;
/// its errors are on standard error.
#[test]
fn matrix_errors_go_to_stderr() {
    for (args, code) in [
        (vec!["matrix", "-f", "json", "no/such/file.toml"], 2),
        (
            vec!["matrix", "-f", "json", "--standard", "STANAG 4173", BAD],
            3,
        ),
        (
            vec![
                "matrix",
                "-f",
                "json",
                "--evidence",
                "tests/data/matrix/evidence.toml",
                BAD,
                "fixtures/stanag-4172/good-ball-cartridge.toml",
            ],
            3,
        ),
        (
            vec![
                "matrix",
                "-f",
                "json",
                "--evidence",
                "no/such/evidence.toml",
                BAD,
            ],
            3,
        ),
        (vec!["matrix", "-f", "xlsx", BAD], 3),
        (vec!["matrix", "--bogus", BAD], 3),
    ] {
        let output = formfit(&args);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{args:?}: {}",
            stderr(&output)
        );
        if args[2] == "json" {
            no_matrix_but_json(&args, code, &output);
        } else {
            assert!(output.stdout.is_empty(), "{args:?}: {}", stdout(&output));
        }
        assert!(!stderr(&output).is_empty(), "{args:?}");
    }
}

/// The JSON of a run with no matrix: the run report (`check --format json`'s), valid against
/// the report schema and never read as a matrix.
fn no_matrix_but_json(args: &[&str], code: i32, output: &Output) {
    let report = json(output);
    assert_eq!(report["exit_code"], code, "{args:?}: {report}");
    let valid = |name: &str| {
        let text = std::fs::read_to_string(format!("schemas/{name}.schema.json")).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        jsonschema::validator_for(&schema)
            .unwrap()
            .is_valid(&report)
    };
    assert!(valid("report") && !valid("matrix"), "{args:?}: {report}");
}

/// Every command with a JSON format prints JSON on a usage error (an unknown flag) and on a
/// problem that stops it before its own document (a missing product, pack or folder), as
/// `check -f json` does; the why is also on standard error.
#[test]
fn a_command_asked_for_json_prints_json_when_it_stops() {
    let runs: [(&[&str], i32, &str); 7] = [
        (
            &["matrix", "-f", "json", "--bogus", BAD],
            3,
            "formfit/usage",
        ),
        (&["matrix", "--format=json", "no/such/file.toml"], 2, ""),
        (
            &["rules", "list", "-f", "json", "--bogus"],
            3,
            "formfit/usage",
        ),
        (
            &["rules", "test", "--format", "json", "--bogus"],
            3,
            "formfit/usage",
        ),
        (
            &["rules", "test", "--format", "json", "no/such/tests"],
            3,
            "formfit/usage",
        ),
        (
            &["rules", "diff", "--format", "json", "--bogus", "a", "b"],
            3,
            "formfit/usage",
        ),
        (
            &[
                "rules",
                "diff",
                "--format",
                "json",
                "no/such/old.toml",
                "no/such/new.toml",
            ],
            3,
            "pack/io",
        ),
    ];
    for (args, code, id) in runs {
        let output = formfit(args);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{args:?}: {}",
            stderr(&output)
        );
        let report = json(&output);
        assert_eq!(report["exit_code"], code, "{args:?}: {report}");
        if id.is_empty() {
            assert_eq!(report["products"][0]["verdict"], "invalid", "{args:?}");
        } else {
            diagnostic(&report, id);
        }
        assert!(!stderr(&output).is_empty(), "{args:?}");
    }
    // Other formats of those commands have no run report: nothing on standard output.
    for args in [
        &["matrix", "-f", "csv", "--bogus", BAD][..],
        &["rules", "diff", "--bogus"],
    ] {
        assert!(formfit(args).stdout.is_empty(), "{args:?}");
    }
}

/// `formfit init` writes files that load and check: the configuration's products glob finds
/// the example, which conforms; a second run refuses and changes nothing.
#[test]
fn init_writes_a_configuration_and_a_product_that_check() {
    let dir = tempfile::tempdir().unwrap();
    let output = formfit_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let config = std::fs::read_to_string(dir.path().join("formfit.toml")).unwrap();
    assert!(
        config.lines().filter(|l| l.starts_with('#')).count() > 10,
        "commented"
    );
    let output = formfit_in(dir.path(), &["check", "-f", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let report = json(&output);
    assert_eq!(report["summary"]["products"], 1);
    assert_eq!(report["products"][0]["verdict"], "conformant");
    assert_eq!(
        report["products"][0]["standards"].as_array().unwrap().len(),
        2
    );
    assert!(
        report["diagnostics"].as_array().unwrap().is_empty(),
        "{report}"
    );
    // Every commented-out setting is one a user can switch on.
    let uncommented: String = config
        .lines()
        .map(|l| {
            l.strip_prefix("# ")
                .filter(|l| l.contains(" = "))
                .unwrap_or(l)
        })
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace("profile = \"land-vehicle-c4i\"\n", "")
        .replace("all-applicable = true\n", "")
        .replace("deviations = \"deviations.toml\"\n", "")
        .replace("rules = [\"rules-local\"]\n", "")
        .replace("trusted-keys = [\"keys/publisher.pub\"]\n", "")
        .replace("require-signed = true\n", "");
    std::fs::write(dir.path().join("formfit.toml"), uncommented).unwrap();
    let output = formfit_in(dir.path(), &["check"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    // A second init refuses; nothing is replaced.
    std::fs::write(
        dir.path().join("formfit.toml"),
        "products = [\"mine/*.toml\"]\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("products/example-radio.toml")).unwrap();
    let output = formfit_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("formfit.toml exists"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("products/example-radio.toml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("formfit.toml")).unwrap(),
        "products = [\"mine/*.toml\"]\n"
    );
}
