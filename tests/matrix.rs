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
raw = open(sys.argv[1], 'rb').read()
assert raw.startswith(b'\xef\xbb\xbf'), 'a UTF-8 byte-order mark, for Excel'
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
assert rows[0][0] == 'Classification', rows[0]
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
    assert_eq!(
        workbook.sheet_names(),
        ["Compliance matrix", "Audit trail"],
        "the audit block has its own sheet, so that only the table head is frozen"
    );
    let audit = workbook.worksheet_range("Audit trail").unwrap();
    assert_eq!(
        audit.get((0, 0)),
        Some(&Data::String("Classification".into()))
    );
    assert!(audit
        .rows()
        .any(|r| r[0] == Data::String("Product file".into())));
    let range = workbook.worksheet_range("Compliance matrix").unwrap();
    let cell = |r: usize, c: usize| match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    // The marking heads the table, and the column titles follow it at once.
    assert_eq!(
        cell(0, 0),
        "PUBLIC — product marking: KESTREL COMMERCIAL IN CONFIDENCE"
    );
    let header_row = 1;
    assert_eq!(cell(header_row, 0), "Standard");
    assert_eq!(cell(header_row, 4), "Rule");
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

#[test]
fn csv_starts_with_a_byte_order_mark_unless_asked_not_to() {
    let with = matrix("csv", &[]).stdout;
    assert!(with.starts_with("\u{feff}Classification,".as_bytes()));
    let without = matrix("csv", &["--no-csv-bom"]).stdout;
    assert!(without.starts_with(b"Classification,"));
    assert_eq!(&with[3..], &without[..], "the mark is the only difference");
}

fn two_products(format: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let psu = dir.path().join("psu.toml");
    std::fs::write(
        &psu,
        "[product]\nid = \"PSU-28\"\nname = \"Power supply\"\nmanufacturer = \"Kestrel Communications\"\ncategory = \"power-supply\"\nmarking = \"KESTREL PSU CONFIDENTIAL\"\n[power]\nsource = \"vehicle\"\nnominal_voltage = \"28 V\"\ninput_voltage = \"18-36 V\"\n",
    )
    .unwrap();
    let mut args = vec![
        "matrix",
        PRODUCT,
        psu.to_str().unwrap(),
        "--standard",
        "MIL-STD-1275",
        "--deviations",
        "tests/data/matrix/deviations.toml",
        "--today",
        "2026-11-25",
        "--format",
        format,
    ];
    args.extend(extra);
    formfit(&args)
}

#[test]
fn several_products_give_one_matrix_each_and_one_summary() {
    let output = two_products("json", &[]);
    // The radio's 12 V nominal input still fails the gate.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let value = json(&output);
    assert!(
        value.get("matrix").is_none(),
        "several products: `matrices`"
    );
    let matrices = value["matrices"].as_array().unwrap();
    let ids: Vec<&str> = matrices
        .iter()
        .map(|m| m["product"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["KC-VRU-420", "PSU-28"]);
    // Each element is shaped as the single product's `matrix`.
    let single = json(&formfit(&[
        "matrix",
        PRODUCT,
        "--standard",
        "MIL-STD-1275",
        "--deviations",
        "tests/data/matrix/deviations.toml",
        "--today",
        "2026-11-25",
        "--format",
        "json",
    ]));
    assert_eq!(matrices[0], single["matrix"]);
    let summary = &value["summary"];
    let products = summary["products"].as_array().unwrap();
    assert_eq!(products[0]["verdict"], "non-conformant");
    assert_eq!(products[1]["verdict"], matrices[1]["verdict"]);
    let rows: usize = matrices
        .iter()
        .map(|m| m["rows"].as_array().unwrap().len())
        .sum();
    let total: u64 = summary["counts"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, rows as u64);
    assert_eq!(
        summary["marking"],
        "PUBLIC — product marking: KESTREL COMMERCIAL IN CONFIDENCE; KESTREL PSU CONFIDENTIAL"
    );
}

#[test]
fn several_products_give_one_sheet_and_one_section_each() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("both.xlsx");
    let output = two_products("xlsx", &["--output", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let workbook: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["Summary", "KC-VRU-420", "PSU-28", "Audit trail"]
    );
    let markdown = stdout(&two_products("markdown", &[]));
    assert_eq!(markdown.matches("\n## Compliance matrix: ").count(), 2);
    assert!(markdown.contains("| KC-VRU-420 | Kestrel VRU-420 Vehicle UHF Radio |"));
    let html = stdout(&two_products("html", &[]));
    assert_eq!(html.matches("<section class=\"product").count(), 2);
    // Each product's printed pages carry its own marking only.
    assert!(html.contains("section.product-2 { page: product-2; }"));
    let csv = stdout(&two_products("csv", &[]));
    assert_eq!(csv.matches("\r\nStandard,Edition,").count(), 2);
}

#[test]
fn evidence_is_refused_for_several_products() {
    let output = two_products("json", &["--evidence", "tests/data/matrix/evidence.toml"]);
    assert_eq!(output.status.code(), Some(3));
    // No matrix: in JSON, the run report that says why.
    let report = json(&output);
    assert!(report.get("matrices").is_none(), "{report}");
    assert_eq!(
        diagnostic(&report, "formfit/usage")["code"],
        "formfit/usage/evidence-of-several"
    );
    assert!(stderr(&output).contains("one product's test reports"));
}

#[test]
fn html_groups_rows_by_standard_and_sets_code_spans() {
    let html = stdout(&matrix("html", &[]));
    assert_eq!(html.matches("<tr class=\"standard-row\">").count(), 3);
    assert_eq!(html.matches("<td>mandatory</td>").count(), 0);
    assert!(html.contains("<code>power.surge_withstand</code> is not declared"));
    assert!(!html.contains("`power.surge_withstand`"));
    assert!(html.contains("@bottom-center { content: \"PUBLIC \\2014  product marking"));
}
