//! A report as a list of blocks (headings, paragraphs, lists, tables), so one
//! description of its content gives the plain-text, Markdown and HTML
//! versions alike: the formats cannot drift apart in what they say.

use super::staff::{heading, table, ReportFormat};
use servicefit::text::{html, markdown};

/// One piece of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1 (the title) or 2.
    Heading(usize, String),
    /// A paragraph; a `\n` inside it is a line break.
    Paragraph(String),
    /// A bulleted list.
    List(Vec<String>),
    /// A table; the first cell of each row names the row.
    Table {
        /// Column headings.
        headers: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
    },
}

impl Block {
    /// A table from borrowed headings.
    pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> Block {
        Block::Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
        }
    }
}

/// The blocks as aligned plain text or Markdown, a blank line between blocks.
pub fn text(format: ReportFormat, blocks: &[Block]) -> String {
    let rendered: Vec<String> = blocks
        .iter()
        .map(|block| match block {
            Block::Heading(level, t) => heading(format, *level, t),
            Block::Paragraph(p) => format!("{}\n", prose(format, p)),
            Block::List(items) => items
                .iter()
                .map(|i| format!("- {}\n", prose(format, i)))
                .collect(),
            Block::Table { headers, rows } => {
                let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
                table(format, &headers, rows)
            }
        })
        .collect();
    rendered.join("\n")
}

/// Prose as the format needs it: in Markdown every line escaped, because
/// sentences carry names from the data (profiles, groups, attributes) that
/// a Markdown viewer would otherwise read as markup or HTML.
fn prose(format: ReportFormat, text: &str) -> String {
    match format {
        ReportFormat::Markdown => text.lines().map(markdown).collect::<Vec<_>>().join("\n"),
        _ => text.to_string(),
    }
}

/// Keeps a page readable at phone width: wide tables scroll inside their
/// own region, long words wrap, nothing scrolls the page sideways.
const STYLE: &str = "body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;padding:1rem;color:#1a1a1a}\
main{max-width:60rem;margin:0 auto}p,li{overflow-wrap:anywhere}\
.scroll{overflow-x:auto;max-width:100%}\
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:right;white-space:nowrap}\
th[scope=row],thead th{text-align:left}thead th{background:#eee}";

/// The blocks as a self-contained HTML page: every string escaped, one
/// `<h1>` (the first heading), tables with scoped headers in a scrollable,
/// labelled region.
pub fn html_page(blocks: &[Block]) -> String {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading(1, t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("Report");
    let mut body = String::new();
    let mut section = title.to_string();
    for block in blocks {
        match block {
            Block::Heading(level, t) => {
                let level = (*level).clamp(1, 6);
                section = t.clone();
                body.push_str(&format!("<h{level}>{}</h{level}>\n", html(t)));
            }
            Block::Paragraph(p) => {
                body.push_str(&format!("<p>{}</p>\n", html(p).replace('\n', "<br>\n")))
            }
            Block::List(items) => {
                body.push_str("<ul>\n");
                for i in items {
                    body.push_str(&format!("<li>{}</li>\n", html(i)));
                }
                body.push_str("</ul>\n");
            }
            Block::Table { headers, rows } => body.push_str(&html_table(&section, headers, rows)),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        html(title)
    )
}

fn html_table(label: &str, headers: &[String], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "<div class=\"scroll\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n<table>\n<thead><tr>",
        html(label)
    );
    for h in headers {
        out.push_str(&format!("<th scope=\"col\">{}</th>", html(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            out.push_str(&format!("<{tag}>{}</{close}>", html(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks() -> Vec<Block> {
        vec![
            Block::Heading(1, "Report <b>x</b>".into()),
            Block::Paragraph("one\ntwo & three".into()),
            Block::table(&["name", "n"], vec![vec!["a|b".into(), "3".into()]]),
            Block::List(vec!["item".into()]),
        ]
    }

    #[test]
    fn text_separates_blocks_by_one_blank_line() {
        let t = text(ReportFormat::Text, &blocks());
        assert_eq!(
            t,
            "Report <b>x</b>\n===============\n\none\ntwo & three\n\n  name  n\n   a|b  3\n\n- item\n"
        );
    }

    #[test]
    fn markdown_escapes_names_in_prose_and_keeps_its_lines() {
        let blocks = [
            Block::Paragraph("group <img src=x> | *x*\nsecond line".into()),
            Block::List(vec!["site `a_b`".into()]),
        ];
        assert_eq!(
            text(ReportFormat::Markdown, &blocks),
            "group &lt;img src=x&gt; \\| \\*x\\*\nsecond line\n\n- site \\`a\\_b\\`\n"
        );
    }

    #[test]
    fn html_escapes_and_scopes() {
        let page = html_page(&blocks());
        assert!(page.contains("<title>Report &lt;b&gt;x&lt;/b&gt;</title>"));
        assert!(page.contains("<h1>Report &lt;b&gt;x&lt;/b&gt;</h1>"));
        assert!(page.contains("<p>one<br>\ntwo &amp; three</p>"));
        assert!(page.contains("<th scope=\"col\">name</th>"));
        assert!(page.contains("<tr><th scope=\"row\">a|b</th><td>3</td></tr>"));
        assert!(page.contains("aria-label=\"Report &lt;b&gt;x&lt;/b&gt;\""));
        assert_eq!(page.matches("<h1>").count(), 1);
        assert!(!page.contains("<b>"));
    }
}
