//! One self-contained HTML file (no external assets, no script) that prints well to PDF:
//! marking banners top and bottom, the marking at the foot of every printed page (a CSS page
//! margin box), the summary on top, rows grouped under their standard, status colours, a sticky
//! header row, and the packs' `code` spans set as code. Every value is escaped: product text is
//! data, never markup. Several products give a summary table, then one section per product,
//! each printed on pages of its own that carry its own marking.

use crate::matrix::{
    combined_marking, header_lines, summary_lines, total_counts, Matrix, Row, RowStatus, COLUMNS,
    SUMMARY_COLUMNS,
};
const STYLE: &str = "
body { font: 13px/1.4 system-ui, sans-serif; margin: 0 1.5em; color: #111; }
.marking { text-align: center; font-weight: bold; letter-spacing: .05em; padding: .3em; background: #eee; border: 1px solid #999; }
h1 { font-size: 1.4em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: break-word; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: .25em .4em; vertical-align: top; text-align: left; overflow-wrap: break-word; }
thead th { position: sticky; top: 0; background: #dde; }
thead tr.marking-row th { top: auto; position: static; background: #eee; text-align: center; letter-spacing: .05em; }
td.rule, .status-word { white-space: nowrap; }
code { font: .92em ui-monospace, monospace; background: #f3f3f3; padding: 0 .15em; }
tbody tr.standard-row th { background: #f4f4f8; font-size: 1.05em; }
.edition { font-weight: normal; }
section.product { margin-top: 2em; }
td.status { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.status-word { font-weight: bold; }
tr.compliant td.status { background: #d8f0d8; }
tr.non-compliant td.status { background: #f6d0d0; }
tr.not-applicable td.status { background: #eee; }
tr.waived td.status { background: #fbe9c6; }
tr.evidence-required td.status { background: #fff3b0; }
tr.evidence-provided td.status { background: #d6e8f6; }
@media print {
  body { margin: 0; font-size: 10px; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  section.product { margin-top: 0; }
}
";

/// The columns of the grouped table: all but the standard, edition and obligation, which head
/// each group.
fn grouped_columns() -> &'static [&'static str] {
    &COLUMNS[3..]
}

pub fn render(matrices: &[Matrix]) -> String {
    let title = match matrices {
        [one] => format!("Compliance matrix: {}", one.header.product_id),
        several => format!("Compliance matrices: {} products", several.len()),
    };
    let marking = combined_marking(matrices);
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&title)));
    out.push_str(&format!(
        "<style>{STYLE}{}</style>\n</head>\n<body>\n",
        pages(matrices)
    ));
    match matrices {
        [one] => out.push_str(&section(one)),
        several => {
            out.push_str(&format!(
                "<div class=\"marking\" id=\"marking-top\">{}</div>\n<h1>{}</h1>\n",
                escape(&marking),
                escape(&title)
            ));
            out.push_str(&summary(several));
            for (i, m) in several.iter().enumerate() {
                out.push_str(&format!(
                    "<section class=\"product product-{}\">\n{}</section>\n",
                    i + 1,
                    section(m)
                ));
            }
            out.push_str(&format!(
                "<div class=\"marking\" id=\"marking-bottom\">{}</div>\n",
                escape(&marking)
            ));
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The printed pages: A4 landscape with the marking at the foot of every page. Each product's
/// section prints on pages named after it, which carry that product's marking only.
fn pages(matrices: &[Matrix]) -> String {
    let mut css = page_rule("", &combined_marking(matrices));
    if matrices.len() > 1 {
        for (i, m) in matrices.iter().enumerate() {
            let name = format!("product-{}", i + 1);
            css.push_str(&format!("section.{name} {{ page: {name}; }}\n"));
            css.push_str(&page_rule(&name, &m.marking()));
        }
    }
    css
}

fn page_rule(name: &str, marking: &str) -> String {
    let selector = if name.is_empty() {
        "@page".to_owned()
    } else {
        format!("@page {name}")
    };
    format!(
        "{selector} {{ size: A4 landscape; margin: 10mm 10mm 14mm; @bottom-center {{ content: {}; font: bold 9px system-ui, sans-serif; letter-spacing: .05em; }} }}\n",
        css_string(marking)
    )
}

/// A CSS string whose every character but ASCII letters, digits and spaces is a hex escape:
/// product text in a stylesheet can end neither the string nor the `<style>` element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out.push('"');
    out
}

/// One line per product with its verdict and counts, and the totals.
fn summary(matrices: &[Matrix]) -> String {
    let mut out = String::from("<table class=\"summary\">\n<thead><tr>");
    for title in SUMMARY_COLUMNS.iter().chain(RowStatus::ALL.iter()) {
        out.push_str(&format!("<th scope=\"col\">{title}</th>"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for line in summary_lines(matrices) {
        out.push_str("<tr>");
        for cell in line {
            out.push_str(&format!("<td>{}</td>", escape(&cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str(&format!(
        "<tr class=\"total\"><th scope=\"row\" colspan=\"{}\">Total</th>",
        SUMMARY_COLUMNS.len()
    ));
    let totals = total_counts(matrices);
    for status in RowStatus::ALL {
        let n = totals.get(status).copied().unwrap_or(0);
        out.push_str(&format!("<td>{n}</td>"));
    }
    out.push_str("</tr>\n</tbody>\n</table>\n");
    out
}

/// One product: its marking, audit header and table, rows grouped by standard.
fn section(m: &Matrix) -> String {
    let marking = escape(&m.marking());
    let mut out = format!("<div class=\"marking\" id=\"marking-top\">{marking}</div>\n");
    out.push_str(&format!(
        "<h1>Compliance matrix: {}</h1>\n<dl>\n",
        escape(&m.header.product_id)
    ));
    for (label, value) in header_lines(m).iter().skip(1) {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(label),
            inline(value)
        ));
    }
    // The marking repeats in the table head, which browsers repeat on every printed page.
    out.push_str(&format!(
        "</dl>\n<table>\n<thead><tr class=\"marking-row\"><th colspan=\"{}\">{marking}</th></tr>\n<tr>",
        grouped_columns().len()
    ));
    for column in grouped_columns() {
        out.push_str(&format!("<th scope=\"col\">{column}</th>"));
    }
    out.push_str("</tr></thead>\n");
    let mut group: Option<(&str, &str, &str)> = None;
    for row in &m.rows {
        let key = (
            row.standard.as_str(),
            row.edition.as_str(),
            row.obligation.as_str(),
        );
        if group != Some(key) {
            if group.is_some() {
                out.push_str("</tbody>\n");
            }
            out.push_str(&format!(
                "<tbody>\n<tr class=\"standard-row\"><th colspan=\"{}\" scope=\"rowgroup\">{} <span class=\"edition\">(edition {}, {})</span></th></tr>\n",
                grouped_columns().len(),
                escape(key.0),
                escape(key.1),
                escape(key.2)
            ));
            group = Some(key);
        }
        out.push_str(&row_html(row));
    }
    if group.is_some() {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
    out.push_str(&format!(
        "<div class=\"marking\" id=\"marking-bottom\">{marking}</div>\n"
    ));
    out
}

fn row_html(row: &Row) -> String {
    let word = row.status.word();
    let detail = row.status.cell();
    let detail = detail.strip_prefix(word).unwrap_or_default();
    format!(
        "<tr class=\"{word}\" id=\"{}\"><td>{}</td><td class=\"rule\">{}</td><td>{}</td><td>{}</td><td class=\"status\"><span class=\"status-word\">{word}</span>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        escape(&row.rule),
        inline(&row.clause),
        escape(&row.rule),
        inline(&row.requirement),
        escape(&row.level),
        escape(detail),
        escape(row.value.as_deref().unwrap_or_default()),
        escape(row.location.as_deref().unwrap_or_default()),
        inline(&row.remark),
    )
}

/// Text with its `code` spans (between backticks, as the packs and findings write them) set as
/// `<code>`; both are escaped. A backtick without a partner stays a backtick.
fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::new();
    let paired = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        parts.len() - 1
    };
    for (i, part) in parts.iter().enumerate() {
        if i >= paired {
            out.push('`');
            out.push_str(&escape(part));
        } else if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

/// HTML text and attribute escaping.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{css_string, escape, inline};

    #[test]
    fn code_spans_become_code_and_stay_escaped() {
        assert_eq!(
            inline("`power.surge_withstand` is not declared"),
            "<code>power.surge_withstand</code> is not declared"
        );
        assert_eq!(
            inline("a `<b>` and `x&y`"),
            "a <code>&lt;b&gt;</code> and <code>x&amp;y</code>"
        );
        assert_eq!(inline("one ` alone"), "one ` alone");
        assert_eq!(inline("`a` then ` <i>"), "<code>a</code> then ` &lt;i&gt;");
    }

    #[test]
    fn a_marking_in_the_stylesheet_cannot_end_the_string_or_the_style() {
        let css = css_string("A \"B\" </style><script>");
        assert!(
            !css[1..css.len() - 1].contains(['"', '<', '>', '/']),
            "{css}"
        );
        assert_eq!(css_string("R&D — X"), "\"R\\26 D \\2014  X\"");
    }

    #[test]
    fn markup_in_product_text_stays_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
