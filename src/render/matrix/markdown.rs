//! Markdown, as GitHub and GitLab render it. Several products give a summary table, then one
//! section per product under its own marking.

use crate::matrix::{
    combined_marking, header_lines, summary_lines, total_counts, Matrix, RowStatus, COLUMNS,
    SUMMARY_COLUMNS,
};

pub fn render(matrices: &[Matrix]) -> String {
    match matrices {
        [one] => section(one, "#"),
        several => {
            let marking = escape(&combined_marking(several));
            let mut out = format!(
                "**{marking}**\n\n# Compliance matrices: {} products\n\n",
                several.len()
            );
            let titles: Vec<&str> = SUMMARY_COLUMNS
                .iter()
                .chain(RowStatus::ALL.iter())
                .copied()
                .collect();
            out.push_str(&format!("| {} |\n", titles.join(" | ")));
            out.push_str(&format!("|{}\n", "---|".repeat(titles.len())));
            for line in summary_lines(several) {
                let cells: Vec<String> = line.iter().map(|c| escape(c)).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            let totals = total_counts(several);
            let counts: Vec<String> = RowStatus::ALL
                .iter()
                .map(|s| totals.get(s).copied().unwrap_or(0).to_string())
                .collect();
            out.push_str(&format!("| **Total** | | | | {} |\n", counts.join(" | ")));
            for m in several {
                out.push_str("\n---\n\n");
                out.push_str(&section(m, "##"));
            }
            out.push_str(&format!("\n**{marking}**\n"));
            out
        }
    }
}

/// One product's matrix under a heading of the given level, between its marking lines.
fn section(m: &Matrix, heading: &str) -> String {
    let mut out = format!(
        "**{}**\n\n{heading} Compliance matrix: {}\n\n",
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
