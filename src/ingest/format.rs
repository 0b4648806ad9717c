//! Which tool exported a file, recognised from header signatures, and how
//! many header rows it has; and, for each column, the header texts worth
//! matching against items (a Qualtrics matrix column has its statement after
//! ` - ` in row 2, a SurveyMonkey matrix column has it in row 2 under an empty
//! row-1 cell, a Google Forms grid column has it in `[...]`).
//!
//! Signatures follow the "Detection signatures" table of the formats research
//! and are documented in docs/FORMATS.md.

use crate::text::label::{bracketed, decode_entities, strip_tags};

/// The export formats recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    /// One header row, one row per respondent.
    Generic,
    /// Google Forms: `Timestamp` first.
    GoogleForms,
    /// Microsoft Forms workbook saved as CSV: `ID, Start time, Completion time`.
    MicrosoftForms,
    /// SurveyMonkey: question row + option row.
    SurveyMonkey,
    /// Qualtrics: internal names, question texts, import ids.
    Qualtrics,
    /// Qualtrics before 2017: `V1…` row, then names and texts.
    QualtricsLegacy,
    /// LimeSurvey: `id, submitdate, lastpage, startlanguage`.
    LimeSurvey,
    /// Typeform: `#` first, `Submit Date (UTC)` or `Network ID`.
    Typeform,
}

impl InputFormat {
    /// Every format, for help texts.
    pub const ALL: [InputFormat; 8] = [
        InputFormat::Generic,
        InputFormat::GoogleForms,
        InputFormat::MicrosoftForms,
        InputFormat::SurveyMonkey,
        InputFormat::Qualtrics,
        InputFormat::QualtricsLegacy,
        InputFormat::LimeSurvey,
        InputFormat::Typeform,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Generic => "generic",
            InputFormat::GoogleForms => "google-forms",
            InputFormat::MicrosoftForms => "microsoft-forms",
            InputFormat::SurveyMonkey => "surveymonkey",
            InputFormat::Qualtrics => "qualtrics",
            InputFormat::QualtricsLegacy => "qualtrics-legacy",
            InputFormat::LimeSurvey => "limesurvey",
            InputFormat::Typeform => "typeform",
        }
    }

    /// The format's files as a sentence names them: "a SurveyMonkey export's".
    pub fn possessive(self) -> &'static str {
        match self {
            InputFormat::Generic => "the file's",
            InputFormat::GoogleForms => "a Google Forms export's",
            InputFormat::MicrosoftForms => "a Microsoft Forms export's",
            InputFormat::SurveyMonkey => "a SurveyMonkey export's",
            InputFormat::Qualtrics | InputFormat::QualtricsLegacy => "a Qualtrics export's",
            InputFormat::LimeSurvey => "a LimeSurvey export's",
            InputFormat::Typeform => "a Typeform export's",
        }
    }

    /// The format with this [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<InputFormat> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Header rows above the data, given the first rows of the file.
    pub fn header_rows(self, rows: &[Vec<String>]) -> usize {
        match self {
            InputFormat::SurveyMonkey | InputFormat::QualtricsLegacy => 2,
            InputFormat::Qualtrics if rows.get(2).is_some_and(|r| is_import_row(r)) => 3,
            InputFormat::Qualtrics => 2,
            _ => 1,
        }
    }

    /// Whether negative whole numbers are missing-data codes (Qualtrics recodes such as -99).
    pub fn negative_means_missing(self) -> bool {
        matches!(self, InputFormat::Qualtrics | InputFormat::QualtricsLegacy)
    }
}

/// `text` as one CSV cell: quoted, with its quotes doubled, when it holds
/// a comma, a quote or a line break (for a `--map` row to copy).
pub fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The format whose signature the first (up to three) rows carry.
pub fn detect(rows: &[Vec<String>]) -> InputFormat {
    let first: Vec<String> = rows
        .first()
        .map(|r| r.iter().map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let starts = |names: &[&str]| {
        first.len() >= names.len() && names.iter().zip(&first).all(|(n, c)| c == n)
    };
    let has = |name: &str| first.iter().any(|c| c == name);
    if has("startdate")
        && has("enddate")
        && (has("status") || has("progress") || has("responseid"))
        && rows.get(2).is_some_and(|r| is_import_row(r))
    {
        InputFormat::Qualtrics
    } else if starts(&["v1"])
        && rows.get(1).is_some_and(|r| {
            r.len() >= 2
                && r[0].trim().eq_ignore_ascii_case("responseid")
                && r[1].trim().eq_ignore_ascii_case("responseset")
        })
    {
        InputFormat::QualtricsLegacy
    } else if starts(&["respondent id", "collector id", "start date", "end date"]) {
        InputFormat::SurveyMonkey
    } else if first.first().is_some_and(|c| {
        super::header_names::GOOGLE_TIMESTAMPS.contains(&super::header_names::key(c).as_str())
    }) {
        InputFormat::GoogleForms
    } else if first.len() >= 3
        && first[0] == "id"
        && first[1] == "start time"
        && first[2] == "completion time"
    {
        InputFormat::MicrosoftForms
    } else if starts(&["id", "submitdate", "lastpage", "startlanguage"]) {
        InputFormat::LimeSurvey
    } else if starts(&["#"]) && (has("submit date (utc)") || has("network id")) {
        InputFormat::Typeform
    } else {
        InputFormat::Generic
    }
}

/// A Qualtrics import-id row: every non-empty cell is `{"ImportId":…}` (or the older `{'ImportId': …}`).
fn is_import_row(row: &[String]) -> bool {
    let mut seen = false;
    for cell in row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let lower = cell.to_lowercase();
        if !(lower.starts_with("{\"importid\"") || lower.starts_with("{'importid'")) {
            return false;
        }
        seen = true;
    }
    seen
}

/// One column's header as a person reads it, and the texts to match items by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnHeader {
    /// The header shown in reports and rejects.
    pub display: String,
    /// Texts to try against item ids and texts, most specific first.
    pub keys: Vec<String>,
}

/// The headers of every column of a file in `format` whose header rows are `rows`.
pub fn column_headers(format: InputFormat, rows: &[Vec<String>]) -> Vec<ColumnHeader> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |r: usize, c: usize| -> String {
        rows.get(r)
            .and_then(|row| row.get(c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut question = String::new();
    (0..width)
        .map(|c| match format {
            InputFormat::SurveyMonkey => {
                let top = cell(0, c);
                if !top.is_empty() {
                    question = top;
                }
                survey_monkey_header(&question, &cell(1, c))
            }
            InputFormat::Qualtrics => qualtrics_header(&cell(0, c), &cell(1, c)),
            InputFormat::QualtricsLegacy => qualtrics_header(&cell(1, c), &cell(1, c)),
            _ => plain_header(&cell(0, c)),
        })
        .collect()
}

fn with_parts(display: String, mut keys: Vec<String>) -> ColumnHeader {
    let cleaned: Vec<String> = keys
        .iter()
        .map(|k| strip_tags(&decode_entities(k)).trim().to_string())
        .collect();
    keys.extend(cleaned);
    let grid: Vec<String> = keys
        .iter()
        .filter_map(|k| bracketed(k).map(str::to_string))
        .collect();
    keys.extend(grid);
    let mut unique = Vec::new();
    for key in keys {
        if !key.is_empty() && !unique.contains(&key) {
            unique.push(key);
        }
    }
    ColumnHeader {
        display,
        keys: unique,
    }
}

fn plain_header(header: &str) -> ColumnHeader {
    with_parts(header.to_string(), vec![header.to_string()])
}

/// Row 2 holds the sub-column: `Response`/`Open-Ended Response` add nothing;
/// anything else is a matrix statement (or an option), the more specific text.
fn survey_monkey_header(question: &str, sub: &str) -> ColumnHeader {
    if sub.is_empty()
        || sub.eq_ignore_ascii_case("response")
        || sub.eq_ignore_ascii_case("open-ended response")
    {
        plain_header(question)
    } else {
        with_parts(
            format!("{question} [{sub}]"),
            vec![sub.to_string(), question.to_string()],
        )
    }
}

/// Row 1 is the internal name (which an author may have set to the item id);
/// row 2 the question text, `<question> - <statement>` for a matrix.
fn qualtrics_header(name: &str, text: &str) -> ColumnHeader {
    let mut keys = vec![name.to_string(), text.to_string()];
    if let Some((_, statement)) = text.rsplit_once(" - ") {
        keys.push(statement.to_string());
    }
    with_parts(name.to_string(), keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn signatures() {
        let qualtrics = rows(&[
            &["StartDate", "EndDate", "Status", "Q1"],
            &["Start Date", "End Date", "Response Type", "Text"],
            &[
                "{\"ImportId\":\"startDate\"}",
                "{\"ImportId\":\"endDate\"}",
                "",
                "{'ImportId': 'QID1'}",
            ],
        ]);
        assert_eq!(detect(&qualtrics), InputFormat::Qualtrics);
        assert_eq!(InputFormat::Qualtrics.header_rows(&qualtrics), 3);
        let monkey = rows(&[&[
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "Q",
        ]]);
        assert_eq!(detect(&monkey), InputFormat::SurveyMonkey);
        assert_eq!(
            detect(&rows(&[&["Timestamp", "Email Address"]])),
            InputFormat::GoogleForms
        );
        for stamp in ["Zeitstempel", "Horodateur", "Marca temporal"] {
            assert_eq!(detect(&rows(&[&[stamp, "Q"]])), InputFormat::GoogleForms);
        }
        assert_eq!(
            detect(&rows(&[&["Id", "Start time", "Completion time", "Email"]])),
            InputFormat::MicrosoftForms
        );
        assert_eq!(
            detect(&rows(&[&["id", "submitdate", "lastpage", "startlanguage"]])),
            InputFormat::LimeSurvey
        );
        assert_eq!(
            detect(&rows(&[&["#", "Q", "Network ID"]])),
            InputFormat::Typeform
        );
        assert_eq!(
            detect(&rows(&[&["V1", "V2"], &["ResponseID", "ResponseSet"]])),
            InputFormat::QualtricsLegacy
        );
        assert_eq!(
            detect(&rows(&[&["candidate_id", "TR01"]])),
            InputFormat::Generic
        );
        // Qualtrics names without an import-id row are not enough.
        assert_eq!(
            detect(&rows(&[
                &["StartDate", "EndDate", "Status"],
                &["1", "2", "3"]
            ])),
            InputFormat::Generic
        );
    }

    #[test]
    fn survey_monkey_forward_fills_the_question() {
        let headers = column_headers(
            InputFormat::SurveyMonkey,
            &rows(&[
                &["Respondent ID", "How true?", ""],
                &["", "I stay calm.", "I listen."],
            ]),
        );
        assert_eq!(headers[0].keys, vec!["Respondent ID".to_string()]);
        assert_eq!(headers[2].display, "How true? [I listen.]");
        assert_eq!(
            headers[2].keys,
            vec!["I listen.".to_string(), "How true?".to_string()]
        );
    }

    #[test]
    fn qualtrics_matrix_statement_and_grid_brackets() {
        let headers = column_headers(
            InputFormat::Qualtrics,
            &rows(&[&["Q1_1"], &["Rate these. - I stay <b>calm</b>."]]),
        );
        assert_eq!(headers[0].display, "Q1_1");
        assert!(headers[0].keys.contains(&"I stay <b>calm</b>.".to_string()));
        assert!(headers[0].keys.contains(&"I stay  calm .".to_string()));
        let grid = column_headers(InputFormat::GoogleForms, &rows(&[&["Rate [I listen.]"]]));
        assert_eq!(
            grid[0].keys,
            vec!["Rate [I listen.]".to_string(), "I listen.".to_string()]
        );
    }
}
