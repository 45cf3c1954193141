//! CSV (RFC 4180, UTF-8, a header row). Product text that a spreadsheet would take for a
//! formula (OWASP CSV injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR) is made
//! inert with a leading `'`, except plain quantities such as "-250 V", which no spreadsheet
//! can run and which must stay as written.

//!
//! A UTF-8 byte-order mark starts the file by default: Excel reads a CSV without one in the
//! machine's legacy code page, so "—", "µ", "±" and "×" in the matrix come out garbled on the
//! desk of whoever the bid goes to. `--no-csv-bom` drops it for tools that do not expect one.
//!
//! Several products give one section each (its audit header, then its table) after a summary
//! block, separated by empty records.

use crate::matrix::{
    combined_marking, header_lines, summary_lines, total_counts, Matrix, RowStatus, COLUMNS,
    SUMMARY_COLUMNS,
};

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

pub fn render(matrices: &[Matrix], bom: bool) -> Vec<u8> {
    let mut out = String::new();
    if bom {
        out.push_str(BOM);
    }
    if matrices.len() > 1 {
        out.push_str(&summary(matrices));
    }
    for (i, m) in matrices.iter().enumerate() {
        if i > 0 {
            out.push_str(&record(&pad(Vec::new())));
        }
        out.push_str(&section(m));
    }
    out.into_bytes()
}

/// Every record has the same number of fields, as RFC 4180 asks.
fn pad(mut cells: Vec<String>) -> Vec<String> {
    cells.resize(COLUMNS.len(), String::new());
    cells
}

/// The audit header as label/value records, an empty record, then the table.
fn section(m: &Matrix) -> String {
    let mut out = String::new();
    for (label, value) in header_lines(m) {
        out.push_str(&record(&pad(vec![label, value])));
    }
    out.push_str(&record(&pad(Vec::new())));
    out.push_str(&record(&COLUMNS.map(str::to_owned)));
    for row in &m.rows {
        out.push_str(&record(&row.cells()));
    }
    out
}

/// The combined marking, one line per product with its counts, the totals, an empty record.
fn summary(matrices: &[Matrix]) -> String {
    let mut out = record(&pad(vec![
        "Classification".to_owned(),
        combined_marking(matrices),
    ]));
    let titles = SUMMARY_COLUMNS.iter().chain(RowStatus::ALL.iter());
    out.push_str(&record(&pad(titles.map(|t| (*t).to_owned()).collect())));
    for line in summary_lines(matrices) {
        out.push_str(&record(&pad(line)));
    }
    let mut total = vec!["Total".to_owned()];
    total.resize(SUMMARY_COLUMNS.len(), String::new());
    let totals = total_counts(matrices);
    total.extend(
        RowStatus::ALL
            .iter()
            .map(|s| totals.get(s).copied().unwrap_or(0).to_string()),
    );
    out.push_str(&record(&pad(total)));
    out.push_str(&record(&pad(Vec::new())));
    out
}

fn record(cells: &[String]) -> String {
    let fields: Vec<String> = cells.iter().map(|c| field(&inert(c))).collect();
    format!("{}\r\n", fields.join(","))
}

/// RFC 4180: quote a field holding a comma, a quote or a line break, doubling quotes.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A leading `'` for text a spreadsheet would evaluate.
pub fn inert(text: &str) -> String {
    let dangerous = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if dangerous && !is_plain_quantity(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// `-250 V`, `+28`, `-1.5e3 mV`: a signed number and an optional unit word, nothing else.
fn is_plain_quantity(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let number_end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (number, unit) = body.split_at(number_end);
    !number.is_empty()
        && number.chars().any(|c| c.is_ascii_digit())
        && unit.trim().chars().all(|c| c.is_alphabetic() || c == 'µ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert_but_quantities_stay_as_written() {
        assert_eq!(
            inert("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(inert("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("\tx"), "'\tx");
        assert_eq!(inert("-2+3+cmd|x"), "'-2+3+cmd|x");
        assert_eq!(inert("-250 V"), "-250 V");
        assert_eq!(inert("+28 VDC"), "+28 VDC");
        assert_eq!(inert("5.56×45 mm NATO"), "5.56×45 mm NATO");
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("plain"), "plain");
    }
}
