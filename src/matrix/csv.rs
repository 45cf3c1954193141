//! CSV (RFC 4180, UTF-8, a header row). Product text that a spreadsheet would take for a
//! formula (OWASP CSV injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR) is made
//! inert with a leading `'`, except plain quantities such as "-250 V", which no spreadsheet
//! can run and which must stay as written.

use super::{header_lines, Matrix, COLUMNS};

pub fn render(m: &Matrix) -> String {
    let mut out = String::new();
    // The audit header comes first as label/value records padded to the table's width (every
    // record has the same number of fields, as RFC 4180 asks), then an empty record.
    let pad = |mut cells: Vec<String>| {
        cells.resize(COLUMNS.len(), String::new());
        cells
    };
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
