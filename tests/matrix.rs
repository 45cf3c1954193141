//! `formfit matrix`: golden output per format on a product that covers every status, evidence
//! and deviations, hostile text made inert, and the workbook read back with a real reader.

mod common;
use common::*;

use std::process::{Command, Output};

const PRODUCT: &str = "tests/data/matrix/vehicle-radio.toml";

fn matrix(format: &str, extra: &[&str]) -> Output {
    matrix_on("2026-11-25", format, extra)
}

fn matrix_on(today: &str, format: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "matrix",
        PRODUCT,
        "--standard",
        "MIL-STD-1275",
        "--standard",
        "NATO UHF Air Band",
        "--standard",
        "STANAG 4172",
        "--deviations",
        "tests/data/matrix/deviations.toml",
        "--evidence",
        "tests/data/matrix/evidence.toml",
        "--today",
        today,
        "--format",
        format,
    ];
    args.extend(extra);
    formfit(&args)
}

#[test]
fn golden_matrix_in_every_text_format() {
    for format in ["markdown", "csv", "json", "html"] {
        let output = matrix(format, &[]);
        // The 12 V nominal input is a standing shall finding: the gate fails as `check` would.
        assert_eq!(output.status.code(), Some(1), "{format}");
        insta::assert_snapshot!(format!("matrix_{format}"), stdout(&output));
    }
}

#[test]
fn every_status_appears_with_its_reference() {
    let value: serde_json::Value = serde_json::from_slice(&matrix("json", &[]).stdout).unwrap();
    let rows = value["matrix"]["rows"].as_array().unwrap();
    let status = |rule: &str| {
        rows.iter().find(|r| r["rule"] == rule).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status("MIL1275-SRC-1"), "compliant");
    assert_eq!(status("MIL1275-NOM-1"), "non-compliant");
    assert_eq!(status("MIL1275-SURGE-1"), "not-applicable");
    assert_eq!(status("STANAG4172-CAL-1"), "not-applicable");
    assert_eq!(status("UHFAIR-BAND-1"), "waived");
    assert_eq!(status("MIL1275-SURGE-3"), "evidence-required");
    assert_eq!(status("MIL1275-SPIKE-3"), "evidence-provided");
    let band = rows.iter().find(|r| r["rule"] == "UHFAIR-BAND-1").unwrap();
    assert_eq!(band["approval"], "DA-2026-114, until 2027-06-30");
    assert_eq!(band["location"], "tests/data/matrix/vehicle-radio.toml:14");
    // One row per rule of every selected standard, not only the failing ones.
    assert_eq!(rows.len(), 9 + 3 + 1);
    let counts = &value["matrix"]["counts"];
    let total: u64 = counts
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, rows.len() as u64);
    assert!(value["matrix"]["product"]["sha256"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert!(value["matrix"]["standards"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["sha256"].as_str().unwrap().len() == 71));
}

#[test]
fn a_row_whose_deviation_expired_is_non_compliant_and_names_the_approval() {
    // DA-2026-114 holds up to and including 2027-06-30.
    let output = matrix_on("2027-07-01", "json", &[]);
    let value = json(&output);
    let rows = value["matrix"]["rows"].as_array().unwrap();
    let band = rows.iter().find(|r| r["rule"] == "UHFAIR-BAND-1").unwrap();
    assert_eq!(band["status"], "non-compliant");
    assert_eq!(
        band["remark"],
        "deviation DA-2026-114 expired on 2027-06-30: 225 MHz–420 MHz runs past the upper edge of 225-400 MHz"
    );
    assert_eq!(band["value"], "225-420 MHz");
    // On its last day it still waives.
    let value = json(&matrix_on("2027-06-30", "json", &[]));
    let rows = value["matrix"]["rows"].as_array().unwrap();
    let band = rows.iter().find(|r| r["rule"] == "UHFAIR-BAND-1").unwrap();
    assert_eq!(band["status"], "waived");
}

#[test]
fn evidence_for_an_unknown_rule_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence.toml");
    std::fs::write(&evidence, "[evidence.MIL1275-SPIKE-3]\ndocument = \"TR-1\"\n\n[evidence.MIL1275-SPYKE-3]\ndocument = \"TR-2\"\n").unwrap();
    let output = formfit(&[
        "matrix",
        PRODUCT,
        "--standard",
        "MIL-STD-1275",
        "--evidence",
        evidence.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty(), "no matrix is written");
    let text = stderr(&output);
    assert!(
        text.contains("evidence/unknown-rule") && text.contains(":4:"),
        "{text}"
    );
    assert!(text.contains("did you mean `MIL1275-SPIKE-3`?"), "{text}");
}

#[test]
fn evidence_required_rows_alone_do_not_fail_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let product = dir.path().join("psu.toml");
    std::fs::write(
        &product,
        "[product]\nid = \"P\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"power-supply\"\n[power]\nsource = \"vehicle\"\nnominal_voltage = \"28 V\"\ninput_voltage = \"18-36 V\"\n",
    )
    .unwrap();
    let output = formfit(&[
        "matrix",
        product.to_str().unwrap(),
        "--standard",
        "MIL-STD-1275",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["matrix"]["counts"]["evidence-required"], 2);
}

fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("hostile.toml"),
        r#"[product]
id = "=HYPERLINK(""http://evil.example"",""x"")"
name = "<script>alert('pwned')</script>, \"Mk 2\"\nsecond line"
manufacturer = "@SUM(1+1)"
category = "small-arm"
marking = "+cmd|' /C calc'!A0"

[ammunition]
caliber = "-2+3+cmd|' /C calc'!A0"
"#
        .replace("\"\"", "\\\""),
    )
    .unwrap();
    dir
}

#[test]
fn hostile_text_gives_valid_csv_with_inert_cells() {
    let dir = hostile();
    let file = dir.path().join("hostile.toml");
    let output = formfit(&[
        "matrix",
        file.to_str().unwrap(),
        "--standard",
        "STANAG 4172",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let csv = stdout(&output);
    // Parse it with Python's csv module, an independent RFC 4180 reader.
    let script = r#"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
widths = {len(r) for r in rows}
assert widths == {11}, widths
bad = [c for r in rows for c in r if c[:1] in ('=', '+', '@', '\t', '\r') or (c.startswith('-') and not c[1:2].isdigit())]
assert not bad, bad
assert any('-2+3+cmd' in c for r in rows for c in r)
print(len(rows))
"#;
    let csv_file = dir.path().join("m.csv");
    std::fs::write(&csv_file, &csv).unwrap();
    let check = Command::new("python3")
        .args(["-c", script, csv_file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}\n{csv}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn hostile_text_gives_inert_html() {
    let dir = hostile();
    let file = dir.path().join("hostile.toml");
    let html = stdout(&formfit(&[
        "matrix",
        file.to_str().unwrap(),
        "--standard",
        "STANAG 4172",
        "--format",
        "html",
    ]));
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"));
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "self-contained, no external assets"
    );
    assert_eq!(
        html.matches("class=\"marking\"").count(),
        2,
        "marking banner top and bottom"
    );
}

#[test]
fn the_workbook_reads_back_with_its_cells() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("matrix.xlsx");
    let output = matrix("xlsx", &["--output", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let mut workbook: Xlsx<_> = open_workbook(&file).unwrap();
    let range = workbook.worksheet_range("Compliance matrix").unwrap();
    let cell = |r: usize, c: usize| match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    assert_eq!(cell(0, 0), "Classification");
    assert!(cell(0, 1).starts_with("PUBLIC — product marking: KESTREL COMMERCIAL IN CONFIDENCE"));
    let header_row = (0..range.height())
        .find(|&r| cell(r, 0) == "Standard" && cell(r, 4) == "Rule")
        .unwrap();
    assert_eq!(cell(header_row, 7), "Status");
    let rows: Vec<(String, String)> = (header_row + 1..range.height())
        .map(|r| (cell(r, 4), cell(r, 7)))
        .collect();
    assert_eq!(rows.len(), 13);
    assert!(rows.contains(&("MIL1275-NOM-1".to_owned(), "non-compliant".to_owned())));
    assert!(
        rows.iter()
            .any(|(rule, status)| rule == "UHFAIR-BAND-1"
                && status.starts_with("waived (DA-2026-114"))
    );
}

#[test]
fn an_xlsx_matrix_needs_a_file() {
    let output = matrix("xlsx", &[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("--output"));
}

/// The matrix certifies the digest of the bytes the check read (`Checked::bytes`), never of a
/// second read. (A named pipe that answers a second read with other text showed the old
/// re-read; pipes are now refused as products, so this pins the digest on a regular file.)
#[test]
fn the_digest_is_of_the_bytes_that_were_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("psu.toml");
    let checked = "[product]\nid = \"P\"\nname = \"n\"\nmanufacturer = \"m\"\ncategory = \"power-supply\"\n[power]\nsource = \"vehicle\"\nnominal_voltage = \"28 V\"\ninput_voltage = \"18-36 V\"\n";
    std::fs::write(&file, checked).unwrap();
    let output = formfit(&[
        "matrix",
        file.to_str().unwrap(),
        "--standard",
        "MIL-STD-1275",
        "--format",
        "json",
    ]);
    assert_eq!(
        json(&output)["matrix"]["product"]["sha256"],
        formfit::matrix::sha256(checked.as_bytes())
    );
}
