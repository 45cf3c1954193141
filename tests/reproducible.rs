//! The same run writes the same bytes: nothing in a report or matrix comes from the wall clock
//! when the date is given (`--today`, or `SOURCE_DATE_EPOCH`).

use std::path::Path;
use std::process::Command;

const PRODUCT: &str = "fixtures/stanag-4172/bad-223.toml";

fn xlsx(out: &Path, today: Option<&str>, epoch: Option<&str>) -> Vec<u8> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_formfit"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["matrix", "--format", "xlsx", "--output"])
        .arg(out)
        .arg(PRODUCT)
        .env_remove("SOURCE_DATE_EPOCH");
    if let Some(today) = today {
        command.args(["--today", today]);
    }
    if let Some(epoch) = epoch {
        command.env("SOURCE_DATE_EPOCH", epoch);
    }
    let status = command.status().unwrap();
    assert!(status.code().is_some_and(|c| c <= 1), "{status}");
    std::fs::read(out).unwrap()
}

/// The workbook's creation date was the time of the run, to the second.
#[test]
fn two_xlsx_matrices_of_the_same_run_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    let first = xlsx(&a, Some("2026-01-15"), None);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(first == xlsx(&b, Some("2026-01-15"), None), "--today");
    let first = xlsx(&a, None, Some("1768435200"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(
        first == xlsx(&b, None, Some("1768435200")),
        "SOURCE_DATE_EPOCH"
    );
}

#[test]
fn source_date_epoch_is_the_date_of_the_run() {
    let output = Command::new(env!("CARGO_BIN_EXE_formfit"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["matrix", PRODUCT])
        .env("SOURCE_DATE_EPOCH", "1768435200") // 2026-01-15T00:00:00Z
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("2026-01-15"), "{text}");
}
