//! One self-contained HTML file (no external assets, no script) that prints well to PDF:
//! marking banners top and bottom, the summary on top, status colours, a sticky header row.
//! Every value is escaped: product text is data, never markup.

use super::{header_lines, Matrix, COLUMNS};

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
  @page { size: A4 landscape; margin: 10mm; }
}
";

pub fn render(m: &Matrix) -> String {
    let marking = escape(&m.marking());
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<title>Compliance matrix: {}</title>\n",
        escape(&m.header.product_id)
    ));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!(
        "<div class=\"marking\" id=\"marking-top\">{marking}</div>\n"
    ));
    out.push_str(&format!(
        "<h1>Compliance matrix: {}</h1>\n<dl>\n",
        escape(&m.header.product_id)
    ));
    for (label, value) in header_lines(m).iter().skip(1) {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(label),
            escape(value)
        ));
    }
    // The marking repeats in the table head, which browsers repeat on every printed page.
    out.push_str(&format!(
        "</dl>\n<table>\n<thead><tr class=\"marking-row\"><th colspan=\"{}\">{marking}</th></tr>\n<tr>",
        COLUMNS.len()
    ));
    for column in COLUMNS {
        out.push_str(&format!("<th scope=\"col\">{column}</th>"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &m.rows {
        out.push_str(&format!(
            "<tr class=\"{}\" id=\"{}\">",
            row.status.word(),
            escape(&row.rule)
        ));
        for (i, cell) in row.cells().iter().enumerate() {
            match COLUMNS[i] {
                "Status" => {
                    let word = row.status.word();
                    let detail = cell.strip_prefix(word).unwrap_or_default();
                    out.push_str(&format!(
                        "<td class=\"status\"><span class=\"status-word\">{word}</span>{}</td>",
                        escape(detail)
                    ));
                }
                "Rule" => out.push_str(&format!("<td class=\"rule\">{}</td>", escape(cell))),
                _ => out.push_str(&format!("<td>{}</td>", escape(cell))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str(&format!(
        "<div class=\"marking\" id=\"marking-bottom\">{marking}</div>\n</body>\n</html>\n"
    ));
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
    use super::escape;

    #[test]
    fn markup_in_product_text_stays_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
