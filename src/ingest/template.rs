//! Blank forms for collecting answers, generated from a questionnaire: a
//! response CSV header (`candidate_id` then the item ids), the item list for
//! pasting into a form builder (text or Markdown), a printable paper form
//! (self-contained HTML, every text escaped) whose answers can be typed back
//! into the CSV, and forms for Google Forms, Qualtrics and LimeSurvey
//! ([`super::form_tools`]) whose exports score as they are.

use std::io::{self, Write};

use super::form_tools::{self, choices};
use crate::questionnaire::Questionnaire;
use crate::response::DEFAULT_ID_COLUMN;
use crate::text::html as escape_html;

/// The template kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    /// A blank response CSV: the header row only.
    Csv,
    /// Numbered items and the answer labels, plain text.
    Text,
    /// The same as a Markdown list.
    Markdown,
    /// A printable paper form.
    Html,
    /// A Google Apps Script that creates the Google Form.
    GoogleAppsScript,
    /// A Qualtrics Advanced Format TXT survey.
    Qualtrics,
    /// A LimeSurvey tab-separated survey structure.
    LimeSurvey,
}

/// Writes the template of `questionnaire` in `format`.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write(
    out: &mut dyn Write,
    questionnaire: &Questionnaire,
    format: TemplateFormat,
) -> io::Result<()> {
    match format {
        TemplateFormat::Csv => csv_header(out, questionnaire),
        TemplateFormat::Text => text(out, questionnaire, false),
        TemplateFormat::Markdown => text(out, questionnaire, true),
        TemplateFormat::Html => html(out, questionnaire),
        TemplateFormat::GoogleAppsScript => form_tools::google_apps_script(out, questionnaire),
        TemplateFormat::Qualtrics => form_tools::qualtrics(out, questionnaire),
        TemplateFormat::LimeSurvey => form_tools::limesurvey(out, questionnaire),
    }
}

fn csv_header(out: &mut dyn Write, q: &Questionnaire) -> io::Result<()> {
    let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
    writeln!(out, "{DEFAULT_ID_COLUMN},{}", ids.join(","))
}

fn text(out: &mut dyn Write, q: &Questionnaire, markdown: bool) -> io::Result<()> {
    let heading = if markdown { "# " } else { "" };
    writeln!(out, "{heading}{} ({} {})", q.title(), q.id(), q.version())?;
    writeln!(out)?;
    if !q.instructions().is_empty() {
        writeln!(out, "{}", q.instructions())?;
        writeln!(out)?;
    }
    let answers: Vec<String> = choices(q)
        .iter()
        .map(|(v, l)| format!("{v} = {l}"))
        .collect();
    writeln!(out, "Answers: {}", answers.join(", "))?;
    // The codes name attention and impression-management items: a candidate who sees them can game them.
    writeln!(
        out,
        "The codes are for you, not for the candidates: leave them out of the form. \
         Its export is matched to the items by the statements' text."
    )?;
    writeln!(out)?;
    for (n, item) in q.items().iter().enumerate() {
        if markdown {
            writeln!(out, "{}. **{}** {}", n + 1, item.id, item.text)?;
        } else {
            writeln!(out, "{}. [{}] {}", n + 1, item.id, item.text)?;
        }
    }
    Ok(())
}

/// The paper form's style. On a phone the wide table scrolls sideways inside
/// its region instead of the whole page; on paper the region shows all of it,
/// no statement row is split across two pages and the column headings repeat
/// at the top of each page.
const STYLE: &str =
    "body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em;color:#111}\
.wide{overflow-x:auto}table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #999;padding:.3em;font-size:.9em}td.c{text-align:center;width:4.5em}\
tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}\
.box{display:inline-block;width:1em;height:1em;border:1px solid #333;border-radius:50%}\
@media print{body{max-width:none;margin:0;padding:0}.wide{overflow:visible}}";

/// The printable paper form: everything in landmarks (the form in `main`, the
/// note for whoever types the answers in a `footer`) so that it reads in order
/// with a screen reader, like the report pages (issue 20).
fn html(out: &mut dyn Write, q: &Questionnaire) -> io::Result<()> {
    let title = escape_html(q.title());
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<title>{title}</title><style>{STYLE}</style></head><body>"
    )?;
    writeln!(out, "<main>\n<h1>{title}</h1>")?;
    writeln!(
        out,
        "<p>Name or candidate id: ________________________________</p>"
    )?;
    if !q.instructions().is_empty() {
        writeln!(out, "<p>{}</p>", escape_html(q.instructions()))?;
    }
    answer_table(out, q)?;
    writeln!(
        out,
        "</main>\n<footer><p><small>To score: type each answer's number into a CSV whose header is \
         <code>servicefit template --format csv</code>, one row per candidate, statement 1 in the \
         first item column and so on in order.</small></p></footer>\n</body></html>"
    )
}

/// The statements, one row each, with a box to tick under every answer. The
/// table sits in a named region a keyboard can reach and scroll (axe-core's
/// scrollable-region-focusable), as the reports' tables do.
fn answer_table(out: &mut dyn Write, q: &Questionnaire) -> io::Result<()> {
    let choices = choices(q);
    write!(
        out,
        "<div class=\"wide\" role=\"region\" tabindex=\"0\" aria-label=\"Statements and answers\">\
<table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Statement</th>"
    )?;
    for (value, label) in &choices {
        write!(
            out,
            "<th scope=\"col\">{}<br>({value})</th>",
            escape_html(label)
        )?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for (n, item) in q.items().iter().enumerate() {
        write!(
            out,
            "<tr><td>{}</td><td>{}</td>",
            n + 1,
            escape_html(&item.text)
        )?;
        for _ in &choices {
            write!(out, "<td class=\"c\"><span class=\"box\"></span></td>")?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    fn render(format: TemplateFormat) -> String {
        let mut out = Vec::new();
        write(&mut out, &builtin::questionnaire().unwrap(), format).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_header_lists_every_item() {
        let text = render(TemplateFormat::Csv);
        assert!(text.starts_with("candidate_id,TR01,TA02,EM03,"), "{text}");
        // 84 items + the id column = 85 cells.
        assert_eq!(text.trim_end().split(',').count(), 85);
    }

    #[test]
    fn html_is_escaped_and_self_contained() {
        let text = render(TemplateFormat::Html);
        // EM05's text holds an apostrophe: "the other person's side".
        assert!(text.contains("the other person&#39;s side"));
        assert!(!text.contains("src=") && !text.contains("href="));
        // Candidates fill it in: no item code gives away an attention or impression item.
        assert!(text.contains("<tr><td>1</td><td>When someone complains to me"));
        for code in ["TR01", "AT01", "IM01"] {
            assert!(!text.contains(code), "{code}");
        }
    }

    #[test]
    fn html_table_has_column_headers_in_a_named_region() {
        let text = render(TemplateFormat::Html);
        assert!(text.contains(
            "<div class=\"wide\" role=\"region\" tabindex=\"0\" \
             aria-label=\"Statements and answers\"><table><thead><tr><th scope=\"col\">#</th>"
        ));
        assert!(text.contains("<th scope=\"col\">Strongly disagree<br>(1)</th>"));
        // 2 + 5 answer columns; 84 statement rows with 5 boxes each = 420 boxes.
        assert_eq!(text.matches("<th scope=\"col\">").count(), 7);
        assert_eq!(text.matches("<span class=\"box\">").count(), 420);
        assert!(text.contains("</tbody></table></div>\n</main>\n<footer>"));
    }

    #[test]
    fn html_leaves_out_empty_instructions() {
        let json = builtin::QUESTIONNAIRE.replacen(
            &format!("\"{}\"", builtin::questionnaire().unwrap().instructions()),
            "\"\"",
            1,
        );
        let q = Questionnaire::from_json(&json, "no instructions").unwrap();
        assert_eq!(q.instructions(), "");
        let mut out = Vec::new();
        write(&mut out, &q, TemplateFormat::Html).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("<p></p>"));
        assert!(text.contains("________</p>\n<div class=\"wide\""));
    }

    #[test]
    fn text_lists_answers_and_items() {
        let text = render(TemplateFormat::Text);
        assert!(text.contains("Answers: 1 = Strongly disagree, 2 = Disagree,"));
        assert!(text.contains("1. [TR01] When someone complains to me"));
        assert!(
            render(TemplateFormat::Markdown).contains("1. **TR01** When someone complains to me")
        );
    }
}
