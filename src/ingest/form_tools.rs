//! Forms built for the user in the survey tools people use, so that nobody
//! types 84 statements into a form builder by hand, and so that the tool's
//! own export scores without editing:
//!
//! - [`google_apps_script`]: a script pasted into Google Apps Script
//!   (script.google.com) that creates the Google Form — a required
//!   "Candidate id" question, then the statements in questionnaire order as
//!   multiple-choice grids of [`ITEMS_PER_PAGE`] rows, one grid per page, the
//!   answer labels as columns. Its CSV download heads each statement
//!   `Title [statement]`, which the reader matches by the statement's text.
//! - [`qualtrics`]: the Advanced Format TXT import (`[[AdvancedFormat]]`):
//!   one horizontal single-answer question per statement whose export tag
//!   (`[[ID:…]]`) is the item id, so the export's first header row names the
//!   items; choices in scale order, so their recodes are the values when the
//!   scale starts at 1.
//! - [`limesurvey`]: the tab-separated survey structure import (`.txt`):
//!   array questions of a few statements each, the item ids as subquestion
//!   codes (`P01[TR01]` in the export) and the answer values as answer
//!   codes, so an export of codes scores as numbers.
//!
//! Item ids are never shown to candidates (they name attention and
//! impression-management items); they travel only as export tags and codes.

use std::io::{self, Write};

use crate::questionnaire::{Item, Questionnaire};

/// Statements per page (grid, question group): short enough to answer on a
/// phone without scrolling sideways, long enough that 84 items make 14 pages.
pub const ITEMS_PER_PAGE: usize = 6;

/// The id question's header: one the reader takes as the candidate id.
pub const ID_QUESTION: &str = "Candidate id";

/// The LimeSurvey question code of the id question (codes are letters and
/// digits only, so not `candidate_id`; the reader takes it as the id).
pub const LIMESURVEY_ID_CODE: &str = "candidateid";

/// The answer choices, low to high: labels when the scale has them, else numbers.
pub fn choices(q: &Questionnaire) -> Vec<(i32, String)> {
    let scale = q.response_scale();
    (scale.min..=scale.max)
        .map(|v| {
            let label = scale.labels.iter().find(|l| l.value == v);
            (v, label.map_or_else(|| v.to_string(), |l| l.label.clone()))
        })
        .collect()
}

/// A JavaScript string literal (JSON's is one).
fn js(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// The page titles, numbered so that each grid's title (and so each export
/// header) is unique.
fn pages(q: &Questionnaire) -> impl Iterator<Item = (String, &[Item])> {
    let chunks = q.items().chunks(ITEMS_PER_PAGE);
    let count = chunks.len();
    chunks.enumerate().map(move |(n, items)| {
        (
            format!("How much do you agree? (part {} of {count})", n + 1),
            items,
        )
    })
}

/// The Google Apps Script that creates the form.
///
/// # Errors
/// Any I/O error of the sink.
pub fn google_apps_script(out: &mut dyn Write, q: &Questionnaire) -> io::Result<()> {
    let columns: Vec<String> = choices(q).into_iter().map(|(_, label)| label).collect();
    let columns = serde_json::Value::from(columns).to_string();
    writeln!(
        out,
        "// Creates a Google Form for {} ({} {}).",
        q.title(),
        q.id(),
        q.version()
    )?;
    writeln!(
        out,
        "// Paste into a new project at script.google.com, choose Run, allow access;"
    )?;
    writeln!(out, "// the log shows the form's links. Download its responses as CSV and score them as they are.")?;
    writeln!(out, "function createForm() {{")?;
    writeln!(out, "  var form = FormApp.create({});", js(q.title()))?;
    writeln!(out, "  form.setDescription({});", js(q.instructions()))?;
    writeln!(out, "  form.setProgressBar(true);")?;
    writeln!(
        out,
        "  form.addTextItem().setTitle({}).setRequired(true);",
        js(ID_QUESTION)
    )?;
    let columns_var = "  var columns = ".to_string() + &columns + ";";
    writeln!(out, "{columns_var}")?;
    for (title, items) in pages(q) {
        let rows: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        writeln!(out, "  form.addPageBreakItem();")?;
        writeln!(
            out,
            "  form.addGridItem().setTitle({}).setRows({}).setColumns(columns).setRequired(true);",
            js(&title),
            serde_json::Value::from(rows)
        )?;
    }
    writeln!(out, "  Logger.log('Edit: ' + form.getEditUrl());")?;
    writeln!(
        out,
        "  Logger.log('Send to candidates: ' + form.getPublishedUrl());"
    )?;
    writeln!(out, "}}")
}

/// Qualtrics text must stay on one line and hold no `[[`, which starts a tag.
fn qualtrics_text(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("[[", "[ [")
}

/// The Qualtrics Advanced Format TXT file.
///
/// # Errors
/// Any I/O error of the sink.
pub fn qualtrics(out: &mut dyn Write, q: &Questionnaire) -> io::Result<()> {
    let choices = choices(q);
    writeln!(out, "[[AdvancedFormat]]\n")?;
    writeln!(out, "[[Block:{}]]\n", qualtrics_text(q.title()))?;
    writeln!(out, "[[Question:TE:SingleLine]]\n[[ID:candidate_id]]")?;
    writeln!(out, "{ID_QUESTION}\n")?;
    for (title, items) in pages(q) {
        writeln!(out, "[[PageBreak]]\n")?;
        writeln!(out, "[[Question:Text]]\n{}\n", qualtrics_text(&title))?;
        for item in items {
            writeln!(out, "[[Question:MC:SingleAnswer:Horizontal]]")?;
            writeln!(out, "[[ID:{}]]", item.id)?;
            writeln!(out, "{}", qualtrics_text(&item.text))?;
            writeln!(out, "[[Choices]]")?;
            for (_, label) in &choices {
                writeln!(out, "{}", qualtrics_text(label))?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Columns of LimeSurvey's tab-separated survey structure.
const LIMESURVEY_COLUMNS: [&str; 12] = [
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "other",
    "default",
    "same_default",
];

/// One row of the structure: class, type/scale, name, text and mandatory;
/// relevance 1 for groups and questions; the language `en`.
fn limesurvey_row(
    out: &mut dyn Write,
    class: &str,
    kind: &str,
    name: &str,
    text: &str,
    mandatory: bool,
) -> io::Result<()> {
    let relevance = if matches!(class, "G" | "Q" | "SQ") {
        "1"
    } else {
        ""
    };
    let language = if class == "S" { "" } else { "en" };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mandatory = if mandatory { "Y" } else { "" };
    let fields = [
        class, kind, name, relevance, &text, "", language, "", mandatory, "", "", "",
    ];
    writeln!(out, "{}", fields.join("\t"))
}

/// Why a value cannot be a LimeSurvey code: they are letters and digits
/// only (subquestion codes at most 20, answer codes at most 5).
fn limesurvey_code(code: &str, most: usize, what: &str) -> io::Result<()> {
    if !code.is_empty() && code.len() <= most && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{what} '{code}' cannot be a LimeSurvey code: expected 1 to {most} letters or digits"
        ),
    ))
}

/// The LimeSurvey tab-separated survey structure (`.txt`, UTF-8 with a byte-order mark, as LimeSurvey writes it).
///
/// # Errors
/// [`io::ErrorKind::InvalidInput`] when an item id or answer value cannot be
/// a LimeSurvey code; any I/O error of the sink.
pub fn limesurvey(out: &mut dyn Write, q: &Questionnaire) -> io::Result<()> {
    let choices = choices(q);
    for item in q.items() {
        limesurvey_code(&item.id, 20, "item id")?;
    }
    for (value, _) in &choices {
        limesurvey_code(&value.to_string(), 5, "answer value")?;
    }
    out.write_all("\u{feff}".as_bytes())?;
    writeln!(out, "{}", LIMESURVEY_COLUMNS.join("\t"))?;
    limesurvey_row(out, "S", "", "language", "en", false)?;
    limesurvey_row(out, "S", "", "format", "G", false)?;
    limesurvey_row(out, "SL", "", "surveyls_title", q.title(), false)?;
    limesurvey_row(
        out,
        "SL",
        "",
        "surveyls_description",
        q.instructions(),
        false,
    )?;
    limesurvey_row(out, "G", "", "Candidate", "", false)?;
    limesurvey_row(out, "Q", "S", LIMESURVEY_ID_CODE, ID_QUESTION, true)?;
    for (n, (title, items)) in pages(q).enumerate() {
        limesurvey_row(out, "G", "", &format!("Part {}", n + 1), "", false)?;
        limesurvey_row(out, "Q", "F", &format!("P{:02}", n + 1), &title, true)?;
        for item in items {
            limesurvey_row(out, "SQ", "0", &item.id, &item.text, false)?;
        }
        for (value, label) in &choices {
            limesurvey_row(out, "A", "0", &value.to_string(), label, false)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    fn render(write: fn(&mut dyn Write, &Questionnaire) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out, &builtin::questionnaire().unwrap()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_google_script_never_shows_an_item_id() {
        let q = builtin::questionnaire().unwrap();
        let script = render(google_apps_script);
        // Candidates see the form: no code that gives away an attention or impression item.
        for item in q.items() {
            assert!(!script.contains(&item.id), "{}", item.id);
        }
        // One grid per page of 6 statements, in order.
        let grids = q.items().len().div_ceil(ITEMS_PER_PAGE);
        assert_eq!(script.matches("addGridItem()").count(), grids);
        assert!(script.contains(r#"var columns = ["Strongly disagree","Disagree","#));
    }

    #[test]
    fn qualtrics_text_stays_on_one_line_and_opens_no_tag() {
        assert_eq!(qualtrics_text("a\n b  [[c]]"), "a b [ [c]]");
        let q = builtin::questionnaire().unwrap();
        let first = &q.items()[0];
        let expected = format!(
            "[[ID:{}]]\n{}\n[[Choices]]",
            first.id,
            qualtrics_text(&first.text)
        );
        assert!(render(qualtrics).contains(&expected));
    }

    #[test]
    fn limesurvey_codes_are_letters_and_digits() {
        assert!(limesurvey_code("TR01", 20, "item id").is_ok());
        let err = limesurvey_code("TR_01", 20, "item id").unwrap_err();
        assert_eq!(
            err.to_string(),
            "item id 'TR_01' cannot be a LimeSurvey code: expected 1 to 20 letters or digits"
        );
        assert!(limesurvey_code("-1", 5, "answer value").is_err());
    }
}
