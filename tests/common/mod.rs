//! What every CLI test does: run the built `formfit` and read what it printed.
#![allow(dead_code)] // each test crate uses its own subset

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs formfit in `dir`, without colour.
pub fn formfit_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_formfit"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// Runs formfit at the crate root, where `fixtures/` and `rules/` are.
pub fn formfit(args: &[&str]) -> Output {
    formfit_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A scratch folder holding these files (paths relative to it, folders made as needed).
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// stdout as JSON, or a failure that shows what was printed instead.
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// The run-level diagnostic with this id in a JSON report; fails the test when there is none.
pub fn diagnostic<'a>(value: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    value["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["id"] == id))
        .unwrap_or_else(|| panic!("no diagnostic {id} in {value}"))
}

/// Runs formfit in `dir` with `input` on standard input, written from another thread: formfit
/// answers while it reads.
pub fn formfit_with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = formfit_piped(dir, args);
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    output
}

/// formfit started in `dir` with its standard input, output and error piped to the test.
pub fn formfit_piped(dir: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_formfit"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A cartridge as one NDJSON line; `caliber` decides its verdict under STANAG 4172.
pub fn cartridge_line(id: &str, caliber: &str) -> String {
    serde_json::json!({
        "product": {
            "id": id,
            "name": format!("Cartridge {id}"),
            "manufacturer": "Northgate Arms",
            "category": "ammunition",
            "conforms_to": ["STANAG 4172"],
        },
        "ammunition": { "caliber": caliber },
    })
    .to_string()
}
