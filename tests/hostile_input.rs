//! Hostile input cannot hurt the run: pipes, devices and huge files are refused quickly and
//! located, and the other files of the run are still checked. Every run here has a deadline,
//! so that a regression fails instead of hanging the test suite.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs formfit at the crate root and kills it if it is not done within `seconds`.
fn formfit_within(seconds: u64, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_formfit"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let status = wait_within(&mut child, seconds, args);
    Output {
        status,
        stdout: std::fs::read(out).unwrap(),
        stderr: std::fs::read(err).unwrap(),
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn product_report<'a>(report: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    report["products"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["file"] == file))
        .unwrap_or_else(|| panic!("no product {file} in {report}"))
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

const OTHER: &str = "fixtures/stanag-4172/bad-223.toml";

/// The product with this file is invalid, with one `id` finding that names it.
fn assert_unreadable(report: &serde_json::Value, file: &str, id: &str) {
    let product = product_report(report, file);
    assert_eq!(product["verdict"], "invalid", "{product}");
    assert_eq!(product["findings"][0]["rule"], id, "{product}");
    // The rest of the run is still checked.
    let other = product_report(report, OTHER);
    assert!(
        other["verdict"] != "invalid" && other["findings"][0]["rule"].is_string(),
        "{other}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_given_as_a_product_is_an_io_problem_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("product.toml");
    mkfifo(&fifo);
    let output = formfit_within(20, &["check", "--format", "json", s(&fifo), OTHER]);
    assert_eq!(output.status.code(), Some(2));
    assert_unreadable(&json(&output), s(&fifo), "input/io");
}

#[cfg(unix)]
#[test]
fn a_product_linked_to_dev_zero_is_an_io_problem_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let output = formfit_within(20, &["check", "--format", "json", s(&zero), OTHER]);
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    assert_unreadable(&report, s(&zero), "input/io");
    let message = product_report(&report, s(&zero))["findings"][0]["message"].clone();
    assert!(
        message.as_str().unwrap().contains("character device"),
        "{message}"
    );
}

#[test]
fn a_huge_product_is_refused_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.json");
    // Sparse: a terabyte that takes no disk. Reading it whole would exhaust memory or time.
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1 << 40)
        .unwrap();
    let output = formfit_within(20, &["check", "--format", "json", s(&huge), OTHER]);
    assert_eq!(output.status.code(), Some(2));
    assert_unreadable(&json(&output), s(&huge), "input/limit");
}

/// A FIFO in place of each other kind of input file: a located, exit-3 problem, not a hang.
#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_any_other_input_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = |name: &str| -> PathBuf {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        mkfifo(&path);
        path
    };
    let (deviations, config, evidence, key, rules) = (
        fifo("deviations.toml"),
        fifo("formfit.toml"),
        fifo("evidence.toml"),
        fifo("key.pub"),
        fifo("rules/pack.toml"),
    );
    let rules_dir = rules.parent().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "--deviations", s(&deviations), OTHER],
        vec!["check", "--config", s(&config), OTHER],
        vec!["matrix", "--evidence", s(&evidence), OTHER],
        vec!["check", "--require-signed", "--trusted-key", s(&key), OTHER],
        vec!["check", "--rules", s(rules_dir), OTHER],
        vec!["rules", "verify", "--trusted-key", s(&key), s(rules_dir)],
    ];
    for args in cases {
        let output = formfit_within(20, &args);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {output:?}");
        let said = format!(
            "{}{}",
            stdout(&output),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains("FIFO"), "{args:?}: {said}");
    }
}

/// Runs formfit at the crate root with stdout as given (a pipe whose reader is gone, a full
/// device), within a deadline; returns the exit code and stderr.
fn formfit_to(stdout: Stdio, args: &[&str], close_pipe: bool) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let err = dir.path().join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_formfit"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    if close_pipe {
        // The reader goes away before formfit writes anything.
        drop(child.stdout.take());
    }
    let status = wait_within(&mut child, 30, args);
    (status.code(), std::fs::read_to_string(err).unwrap())
}

/// A place for `rules keygen/sign/encrypt/verify` to work in: keys and a copy of one pack.
fn key_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let out = formfit(&["rules", "keygen", "--out", s(&keys), "--name", "k"]);
    assert_eq!(out.status.code(), Some(0));
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/stanag-4172.toml"),
        dir.path().join("rules/stanag-4172.toml"),
    )
    .unwrap();
    dir
}

const RECIPIENT: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = key_folder();
    let path = |p: &str| dir.path().join(p).to_str().unwrap().to_owned();
    let (key, pack, rules, keys) = (
        path("keys/k.key"),
        path("rules/stanag-4172.toml"),
        path("rules"),
        path("more-keys"),
    );
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", OTHER],
        vec!["check", "--format", "json", OTHER],
        vec!["matrix", OTHER],
        vec!["rules"],
        vec!["rules", "show", "STANAG 4172"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["rules", "keygen", "--out", &keys],
        vec!["rules", "sign", "--secret-key", &key, &pack],
        vec!["rules", "encrypt", "--recipient", RECIPIENT, &pack],
        vec!["rules", "verify", &rules],
    ];
    for args in commands {
        let (code, stderr) = formfit_to(Stdio::piped(), &args, true);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} is not quiet: {stderr}");
        assert!(code.is_some_and(|c| c != 101), "{args:?}: {code:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_is_exit_3_with_a_message_never_a_silent_empty_report() {
    let full = || {
        Stdio::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
    };
    let commands: [&[&str]; 6] = [
        &["check", OTHER],
        &["check", "--format", "junit", OTHER],
        &["matrix", OTHER],
        &["rules", "list"],
        &["completions", "zsh"],
        &["man"],
    ];
    for args in commands {
        let (code, stderr) = formfit_to(full(), args, false);
        assert_eq!(code, Some(3), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write standard output"),
            "{args:?}: {stderr}"
        );
    }
    for args in [
        &["check", "--output", "/dev/full", OTHER][..],
        &["matrix", "--format", "xlsx", "--output", "/dev/full", OTHER],
    ] {
        let output = formfit_within(20, args);
        assert_eq!(output.status.code(), Some(3), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot write /dev/full"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn output_never_overwrites_an_input_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |name: &str, from: &str| {
        let path = dir.path().join(name);
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(from), &path).unwrap();
        path
    };
    let product = copy("product.toml", OTHER);
    let deviations = copy("deviations.toml", OTHER);
    let evidence = copy("evidence.toml", OTHER);
    std::fs::write(dir.path().join("formfit.toml"), "").unwrap();
    let config = dir.path().join("formfit.toml");
    let roundabout = dir.path().join(".").join("product.toml");
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let pack = copy("rules/stanag-4172.toml", "rules/stanag-4172.toml");
    let rules = dir.path().join("rules");
    let cases: Vec<(Vec<&str>, &Path)> = vec![
        (
            vec!["check", "--output", s(&product), s(&product)],
            &product,
        ),
        (
            vec!["check", "--output", s(&roundabout), s(&product)],
            &product,
        ),
        (
            vec![
                "check",
                "--deviations",
                s(&deviations),
                "--output",
                s(&deviations),
                OTHER,
            ],
            &deviations,
        ),
        (
            vec![
                "check",
                "--config",
                s(&config),
                "--output",
                s(&config),
                OTHER,
            ],
            &config,
        ),
        (
            vec!["matrix", "--output", s(&product), s(&product)],
            &product,
        ),
        (
            vec![
                "matrix",
                "--evidence",
                s(&evidence),
                "--output",
                s(&evidence),
                OTHER,
            ],
            &evidence,
        ),
        (
            vec!["check", "--rules", s(&rules), "--output", s(&pack), OTHER],
            &pack,
        ),
    ];
    for (args, input) in cases {
        let before = std::fs::read(input).unwrap();
        let output = formfit_within(20, &args);
        assert_eq!(output.status.code(), Some(3), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("an input of this run"),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            std::fs::read(input).unwrap(),
            before,
            "{args:?} wrote the input"
        );
    }
}

/// A product whose id, value and file name carry terminal controls and bidi overrides: the id
/// would clear the screen and print a fake CONFORMANT.
fn hostile_products(dir: &Path) -> (PathBuf, PathBuf) {
    let escapes = dir.join("escapes.toml");
    std::fs::write(
        &escapes,
        "[product]\nid = \"NGA\\u001b[2J\\u001b[HCONFORMANT\\u0007\\r\\uFFFE\"\nname = \"n\\u009b31m\\u0001\\uFFFE\"\n\
         manufacturer = \"m\"\ncategory = \"small-arm\"\nconforms_to = [\"STANAG 4172\"]\n\n\
         [ammunition]\ncaliber = \"\u{202e}.223 Remington\u{2066}\\u0000\\uFFFF\"\n",
    )
    .unwrap();
    // Raw controls in the source (a syntax error, shown with its snippet) and in the file name.
    let raw = dir.join("raw\u{1b}]0;title\u{7}.json");
    std::fs::write(
        &raw,
        "{\"product\":\n {\"id\": \"X\u{1b}[2J\u{9b}\u{202d}\"}}\n",
    )
    .unwrap();
    (escapes, raw)
}

fn drives_terminal(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn product_text_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (escapes, raw) = hostile_products(dir.path());
    let output = formfit_within(20, &["check", "--color", "never", s(&escapes), s(&raw)]);
    let shown = String::from_utf8(output.stdout).unwrap();
    let bad: Vec<char> = shown.chars().filter(|&c| drives_terminal(c)).collect();
    assert!(bad.is_empty(), "{bad:?} in\n{shown}");
    for written_out in [
        "NGA\\u{1b}[2J\\u{1b}[HCONFORMANT\\u{7}\\u{d}",
        "\\u{202e}.223 Remington\\u{2066}",
        "raw\\u{1b}]0;title\\u{7}.json",
        "\"X\\u{1b}[2J\\u{9b}\\u{202d}\"",
    ] {
        assert!(shown.contains(written_out), "{written_out} not in\n{shown}");
    }
    // The label still sits under the value in the escaped snippet.
    let snippet = shown
        .lines()
        .position(|l| l.contains("caliber = \"\\u{202e}"))
        .unwrap();
    let (line, under) = (
        shown.lines().nth(snippet).unwrap(),
        shown.lines().nth(snippet + 1).unwrap(),
    );
    let column = |text: &str, at: usize| text[..at].chars().count();
    let value = line.find('"').unwrap();
    let mark = under.find(|c: char| c != ' ' && c != '·').unwrap();
    assert_eq!(
        column(line, value),
        column(under, mark),
        "\n{line}\n{under}"
    );
}

#[test]
fn junit_output_is_well_formed_xml_whatever_the_product_holds() {
    use quick_xml::events::Event;
    let dir = tempfile::tempdir().unwrap();
    let (escapes, raw) = hostile_products(dir.path());
    let output = formfit_within(20, &["check", "--format", "junit", s(&escapes), s(&raw)]);
    let xml = String::from_utf8(output.stdout).unwrap();
    let xml_char = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    let check = |text: &str| {
        let bad: Vec<char> = text.chars().filter(|&c| !xml_char(c)).collect();
        assert!(bad.is_empty(), "{bad:?} in {text:?}\n{xml}");
    };
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut suites = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                for attribute in e.attributes() {
                    let attribute = attribute.unwrap_or_else(|e| panic!("{e}\n{xml}"));
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap_or_else(|e| panic!("{e}\n{xml}"));
                    check(&value);
                    if e.name().as_ref() == b"testsuite" && attribute.key.as_ref() == b"name" {
                        suites.push(value.into_owned());
                    }
                }
            }
            Ok(Event::Text(t)) => check(&t.decode().unwrap()),
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = r
                    .resolve_char_ref()
                    .unwrap_or_else(|e| panic!("{e}\n{xml}"))
                {
                    check(&c.to_string());
                }
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}\n{xml}"),
        }
    }
    assert_eq!(suites.len(), 2, "{xml}");
    assert!(suites[0].contains("\\u{fffe}"), "{suites:?}");
}

#[test]
fn a_markdown_matrix_of_a_hostile_product_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (escapes, _) = hostile_products(dir.path());
    let output = formfit_within(20, &["matrix", s(&escapes)]);
    let shown = String::from_utf8(output.stdout).unwrap();
    let bad: Vec<char> = shown.chars().filter(|&c| drives_terminal(c)).collect();
    assert!(bad.is_empty(), "{bad:?} in\n{shown}");
    assert!(shown.contains("NGA\\u{1b}[2J"), "{shown}");
}

/// Waits for formfit, killing it and failing the test past `seconds`: a regression that hangs
/// fails here instead of hanging the suite.
fn wait_within(
    child: &mut std::process::Child,
    seconds: u64,
    args: &[&str],
) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("formfit {args:?} did not finish within {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
