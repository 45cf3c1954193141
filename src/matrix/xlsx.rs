//! A real workbook: the audit header block, then the table with a frozen header row, an
//! autofilter, status colours and fitted column widths. Every cell is written as a string, so
//! product text can never become a live formula. The workbook is dated with the run's date
//! (`--today`), never the wall clock, so that the same run writes the same bytes.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError,
};

use super::{header_lines, Matrix, COLUMNS};

pub fn render(m: &Matrix) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created(&m.header.date)));
    let sheet = workbook.add_worksheet();
    sheet.set_name("Compliance matrix")?;
    let bold = Format::new().set_bold();
    let marking = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xEEEEEE));
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDDDEE))
        .set_border(FormatBorder::Thin);
    let mut row: u32 = 0;
    sheet.write_string_with_format(row, 0, "Classification", &marking)?;
    sheet.write_string_with_format(row, 1, m.marking(), &marking)?;
    row += 1;
    for (label, value) in header_lines(m).iter().skip(1) {
        sheet.write_string_with_format(row, 0, label, &bold)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }
    row += 1;
    let table_top = row;
    for (col, title) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *title, &head)?;
    }
    let status_col = COLUMNS.iter().position(|c| *c == "Status").unwrap_or(7) as u16;
    for r in &m.rows {
        row += 1;
        for (col, cell) in r.cells().iter().enumerate() {
            let col = col as u16;
            if col == status_col {
                let format = Format::new()
                    .set_bold()
                    .set_background_color(status_colour(r.status.word()));
                sheet.write_string_with_format(row, col, cell, &format)?;
            } else {
                sheet.write_string(row, col, cell)?;
            }
        }
    }
    sheet.set_freeze_panes(table_top + 1, 0)?;
    sheet.autofilter(table_top, 0, row.max(table_top), COLUMNS.len() as u16 - 1)?;
    sheet.set_autofit_max_width(400);
    sheet.autofit();
    // The header block's long values would widen the first columns: keep them readable.
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 24)?;
    workbook.save_to_buffer()
}

/// The run's `YYYY-MM-DD` as the workbook's creation (and modification) date; a date that does
/// not parse gives 1980-01-01, the zip epoch, rather than the time of day.
fn created(date: &str) -> ExcelDateTime {
    let mut parts = date.splitn(3, '-');
    let mut next = || parts.next().and_then(|p| p.parse::<u16>().ok());
    let parsed = match (next(), next(), next()) {
        (Some(y), Some(m), Some(d)) => {
            ExcelDateTime::from_ymd(y, m.try_into().unwrap_or(0), d.try_into().unwrap_or(0)).ok()
        }
        _ => None,
    };
    parsed
        .or_else(|| ExcelDateTime::from_ymd(1980, 1, 1).ok())
        .unwrap_or_default()
}

fn status_colour(status: &str) -> Color {
    Color::RGB(match status {
        "compliant" => 0xD8F0D8,
        "non-compliant" => 0xF6D0D0,
        "waived" => 0xFBE9C6,
        "evidence-required" => 0xFFF3B0,
        "evidence-provided" => 0xD6E8F6,
        _ => 0xEEEEEE,
    })
}
