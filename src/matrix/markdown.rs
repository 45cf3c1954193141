//! Markdown, as GitHub and GitLab render it.

use super::{header_lines, Matrix, COLUMNS};

pub fn render(m: &Matrix) -> String {
    let mut out = format!(
        "**{}**\n\n# Compliance matrix: {}\n\n",
        escape(&m.marking()),
        escape(&m.header.product_id)
    );
    for (label, value) in header_lines(m).iter().skip(1) {
        out.push_str(&format!("- **{label}:** {}\n", escape(value)));
    }
    out.push('\n');
    out.push_str(&format!("| {} |\n", COLUMNS.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(COLUMNS.len())));
    for row in &m.rows {
        let cells: Vec<String> = row.cells().iter().map(|c| escape(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push_str(&format!("\n**{}**\n", escape(&m.marking())));
    out
}

/// Table cells hold one line, and `|` would end the cell; HTML in product text stays text;
/// the matrix is printed to the terminal by default, so controls are written out.
fn escape(text: &str) -> String {
    let markdown = text
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\r', '\n'], " ");
    crate::escape::for_terminal(&markdown).into_owned()
}
