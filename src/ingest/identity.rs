//! Who a row is and when it was submitted: the id column, the name
//! columns, and the metadata columns that decide between duplicate
//! submissions and give the time taken (submission time, start time,
//! duration, completion flag, Qualtrics preview status).
//!
//! The id column is the one the user named, else a column whose header says
//! it is the candidate's id ([`header_names::CANDIDATE_IDS`]), else the first
//! column that identifies the person and is filled on every row read ahead
//! (an e-mail address; SurveyMonkey custom data, a LimeSurvey token, a
//! Qualtrics external reference or recipient address; a Typeform hidden
//! field), else a column that numbers the responses (SurveyMonkey
//! `Respondent ID`, LimeSurvey and Microsoft Forms `id`, Qualtrics
//! `ResponseId`, Typeform `#`) — with a note, because a candidate who
//! submitted twice then counts twice — else the row number. Decided once per
//! file, from the header and the rows read ahead.

use serde::Serialize;

use super::format::{ColumnHeader, InputFormat};
use super::header_names::{self as names, key};

/// Where the candidate id comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum IdSource {
    /// The column the user named.
    Named {
        /// 0-based column index.
        column: usize,
        /// Its header.
        header: String,
    },
    /// The column chosen by the rules of [`choose_id`].
    Guessed {
        /// 0-based column index.
        column: usize,
        /// Its header.
        header: String,
        /// Why this column, when the choice passed over another.
        because: Option<String>,
    },
    /// No id column: the spreadsheet row number is the id.
    RowNumber,
}

impl IdSource {
    /// The id column's index, if there is one.
    pub fn column(&self) -> Option<usize> {
        match self {
            IdSource::Named { column, .. } | IdSource::Guessed { column, .. } => Some(*column),
            IdSource::RowNumber => None,
        }
    }

    fn guessed(headers: &[ColumnHeader], column: usize, because: Option<String>) -> IdSource {
        IdSource::Guessed {
            column,
            header: headers[column].display.clone(),
            because,
        }
    }
}

/// The columns of the candidate's name: one whole name, or a first and a
/// last name shown together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NameColumns {
    /// One column holds the whole name.
    Whole {
        /// 0-based column index.
        column: usize,
        /// Its header.
        header: String,
    },
    /// A first-name and a last-name column.
    FirstLast {
        /// The first name's column.
        first: usize,
        /// The last name's column.
        last: usize,
        /// Their headers, first name first.
        headers: [String; 2],
    },
}

/// The name columns of `headers`, other than the id column: a first and a
/// last name when both are there, else a whole name.
pub fn name_columns(headers: &[ColumnHeader], id: Option<usize>) -> Option<NameColumns> {
    let displays = || headers.iter().map(|h| h.display.as_str());
    let find = |keys: &[&str]| names::first_of(displays(), keys).filter(|&c| Some(c) != id);
    match (find(&names::FIRST_NAMES), find(&names::LAST_NAMES)) {
        (Some(first), Some(last)) if first != last => Some(NameColumns::FirstLast {
            first,
            last,
            headers: [first, last].map(|c| headers[c].display.clone()),
        }),
        _ => find(&names::FULL_NAMES).map(|column| NameColumns::Whole {
            column,
            header: headers[column].display.clone(),
        }),
    }
}

fn position(headers: &[ColumnHeader], name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.display.trim().eq_ignore_ascii_case(name))
}

fn first_of(headers: &[ColumnHeader], keys: &[&str]) -> Option<usize> {
    names::first_of(headers.iter().map(|h| h.display.as_str()), keys)
}

/// The column `chosen` names.
///
/// # Errors
/// The problem text when it names no column.
pub fn named_id(headers: &[ColumnHeader], chosen: &str) -> Result<IdSource, String> {
    position(headers, chosen)
        .map(|column| IdSource::Named {
            column,
            header: headers[column].display.clone(),
        })
        .ok_or_else(|| format!("no id column '{chosen}' among {} columns", headers.len()))
}

/// What a column that may identify the person needs in every row read ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// An e-mail address.
    Address,
    /// Anything.
    Filled,
}

/// The columns that may identify the person, in order of preference.
fn person_columns(headers: &[ColumnHeader]) -> Vec<(usize, Needs)> {
    let keys: Vec<String> = headers.iter().map(|h| key(&h.display)).collect();
    let emails = names::EMAILS
        .iter()
        .filter_map(|e| keys.iter().position(|k| k == e));
    let others = (0..keys.len()).filter(|&c| {
        names::PERSON_PREFIXES.iter().any(|p| {
            keys[c]
                .strip_prefix(p)
                .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit()))
        })
    });
    let recipient = keys.iter().position(|k| k == names::RECIPIENT_EMAIL);
    let mut columns: Vec<(usize, Needs)> = emails.map(|c| (c, Needs::Address)).collect();
    columns.extend(others.map(|c| (c, Needs::Filled)));
    columns.extend(recipient.map(|c| (c, Needs::Address)));
    columns
}

/// The column that numbers the responses, if the file has one. In a plain
/// file (no export format) an `id` column is the user's own id.
fn counter(headers: &[ColumnHeader], format: InputFormat) -> Option<usize> {
    let counters: &[&str] = match format {
        InputFormat::Generic | InputFormat::GoogleForms => &["respondentid", "responseid"],
        _ => &names::RESPONSE_COUNTERS,
    };
    first_of(headers, counters)
}

/// The id column of a file in `format` with `headers`, given hidden-field
/// columns (`hidden`, Typeform's; empty otherwise) and the first data `rows`
/// read ahead. See the module doc for the order of preference.
pub fn choose_id<'a>(
    headers: &[ColumnHeader],
    format: InputFormat,
    hidden: &[usize],
    rows: impl IntoIterator<Item = &'a csv::StringRecord> + Clone,
) -> IdSource {
    if let Some(column) = explicit_id(headers, format) {
        return IdSource::guessed(headers, column, None);
    }
    let mut candidates = person_columns(headers);
    candidates.extend(hidden.iter().map(|&c| (c, Needs::Filled)));
    let lacking = |(column, needs): (usize, Needs)| {
        rows.clone()
            .into_iter()
            .map(move |row| row.get(column).unwrap_or("").trim())
            .find(|cell| match needs {
                Needs::Address => !cell.contains('@'),
                Needs::Filled => cell.is_empty(),
            })
    };
    let counter = counter(headers, format);
    let Some(counter) = counter else {
        // Nothing else to fall back on: the first person column, rows without it rejected.
        return candidates.first().map_or(IdSource::RowNumber, |&(c, _)| {
            IdSource::guessed(headers, c, None)
        });
    };
    let counts = headers[counter].display.clone();
    if let Some(&(column, _)) = candidates.iter().find(|&&c| lacking(c).is_none()) {
        let because = format!(
            "{} '{counts}' numbers the responses, not the people",
            format.possessive()
        );
        return IdSource::guessed(headers, column, Some(because));
    }
    let first = candidates
        .first()
        .map(|&c| (c.0, lacking(c).unwrap_or_default()));
    let because = counter_note(headers, first);
    IdSource::guessed(headers, counter, Some(because))
}

/// Why the response counter is the id: what it costs, and which column
/// (`first`, with a cell that is not an address or is empty) to name instead.
fn counter_note(headers: &[ColumnHeader], first: Option<(usize, &str)>) -> String {
    let Some((column, cell)) = first else {
        return "it numbers the responses, not the people, so a candidate who submitted twice counts \
                twice; --id-column names a column that identifies them"
            .to_string();
    };
    let shown = &headers[column].display;
    // A column that needs only to be filled lacks only empty cells.
    let missing = match cell {
        "" => "empty on some rows".to_string(),
        cell => format!("not an address on every row (one is '{cell}')"),
    };
    format!(
        "it numbers the responses, so a candidate who submitted twice counts twice: '{shown}' is \
         {missing}; --id-column {shown} finds the repeats of those who gave one"
    )
}

/// A column whose header says it holds the candidate's id.
fn explicit_id(headers: &[ColumnHeader], format: InputFormat) -> Option<usize> {
    let mut explicit = names::CANDIDATE_IDS.to_vec();
    if matches!(format, InputFormat::Generic | InputFormat::GoogleForms) {
        explicit.push("id");
    }
    first_of(headers, &explicit)
}

/// Whether [`choose_id`] needs the rows read ahead: only when it must
/// choose between a column that identifies the person and one that numbers
/// the responses.
pub fn needs_rows(headers: &[ColumnHeader], format: InputFormat, hidden: &[usize]) -> bool {
    explicit_id(headers, format).is_none()
        && counter(headers, format).is_some()
        && !(person_columns(headers).is_empty() && hidden.is_empty())
}

/// Whether `id` is a column chosen because it held an e-mail address on
/// every row read ahead: a later row without one is then rejected, where
/// its `anonymous` would make all such rows one candidate.
pub fn address_ids(headers: &[ColumnHeader], id: &IdSource) -> bool {
    let IdSource::Guessed {
        column,
        because: Some(_),
        ..
    } = *id
    else {
        return false;
    };
    person_columns(headers).contains(&(column, Needs::Address))
}

/// Header of a duration in seconds (Qualtrics).
pub const DURATION_COLUMN_NAME: &str = "duration (in seconds)";

/// Metadata columns found in the header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MetaColumns {
    /// Submission time.
    pub submitted: Option<usize>,
    /// Start time.
    pub started: Option<usize>,
    /// Duration in seconds.
    pub duration: Option<usize>,
    /// Completion flag: Qualtrics `Finished` or Typeform `Response Type`.
    pub finished: Option<usize>,
    /// Qualtrics `Status` (preview responses are not candidates).
    pub status: Option<usize>,
}

/// The metadata columns of a file in `format`.
pub fn meta_columns(headers: &[ColumnHeader], format: InputFormat) -> MetaColumns {
    let qualtrics = matches!(
        format,
        InputFormat::Qualtrics | InputFormat::QualtricsLegacy
    );
    MetaColumns {
        submitted: first_of(headers, &names::SUBMITTED),
        started: first_of(headers, &names::STARTED),
        duration: position(headers, DURATION_COLUMN_NAME),
        finished: first_of(headers, &["finished", "responsetype"]),
        status: position(headers, "status").filter(|_| qualtrics),
    }
}

/// Whether a completion cell says the response was not finished
/// (`False`/`0` in Qualtrics, `partial` in Typeform).
pub fn unfinished(cell: &str) -> bool {
    let cell = cell.trim();
    ["false", "0", "partial", "started"]
        .iter()
        .any(|w| cell.eq_ignore_ascii_case(w))
}

/// Whether a Qualtrics status cell marks a survey preview (`Survey Preview` or recode `1`).
pub fn preview(cell: &str) -> bool {
    let cell = cell.trim();
    cell.eq_ignore_ascii_case("survey preview") || cell == "1"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<ColumnHeader> {
        names
            .iter()
            .map(|n| ColumnHeader {
                display: n.to_string(),
                keys: vec![n.to_string()],
            })
            .collect()
    }

    fn rows(cells: &[&[&str]]) -> Vec<csv::StringRecord> {
        cells
            .iter()
            .map(|r| csv::StringRecord::from(r.to_vec()))
            .collect()
    }

    #[test]
    fn a_named_column_then_an_explicit_id_header_then_the_row() {
        let h = headers(&["Timestamp", "Email Address", "Respondent ID", "Employee ID"]);
        assert_eq!(named_id(&h, "email address").unwrap().column(), Some(1));
        assert_eq!(
            named_id(&h, "who").unwrap_err(),
            "no id column 'who' among 4 columns"
        );
        // An explicit id header wins whatever the rows hold.
        let none = rows(&[]);
        assert_eq!(
            choose_id(&h, InputFormat::SurveyMonkey, &[], &none),
            IdSource::guessed(&h, 3, None)
        );
        for header in ["candidate_id", "Candidate ID", "staff_id", "applicant id"] {
            let h = headers(&["ID", header]);
            assert_eq!(
                choose_id(&h, InputFormat::LimeSurvey, &[], &none).column(),
                Some(1),
                "{header}"
            );
        }
        assert_eq!(
            choose_id(&headers(&["TR01"]), InputFormat::Generic, &[], &none),
            IdSource::RowNumber
        );
        // In a plain file `id` is the user's own id, not a counter.
        assert_eq!(
            choose_id(&headers(&["Email", "id"]), InputFormat::Generic, &[], &none).column(),
            Some(1)
        );
    }

    #[test]
    fn a_filled_person_column_wins_over_a_response_counter() {
        let h = headers(&[
            "Respondent ID",
            "Collector ID",
            "Email Address",
            "Custom Data 1",
        ]);
        // Email Address empty (a web link), Custom Data 1 filled: custom data.
        let web = rows(&[&["1", "9", "", "cand-1"], &["2", "9", "", "cand-2"]]);
        assert_eq!(
            choose_id(&h, InputFormat::SurveyMonkey, &[], &web),
            IdSource::guessed(
                &h,
                3,
                Some(
                    "a SurveyMonkey export's 'Respondent ID' numbers the responses, not the people"
                        .into()
                )
            )
        );
        // Addresses on every row: the address.
        let mailed = rows(&[&["1", "9", "a@x.com", ""], &["2", "9", "b@x.com", ""]]);
        assert_eq!(
            choose_id(&h, InputFormat::SurveyMonkey, &[], &mailed).column(),
            Some(2)
        );
        assert!(address_ids(
            &h,
            &choose_id(&h, InputFormat::SurveyMonkey, &[], &mailed)
        ));
        // Neither filled everywhere: the counter, and the note says what that costs.
        let partly = rows(&[&["1", "9", "a@x.com", ""], &["2", "9", "", "c"]]);
        let IdSource::Guessed {
            column, because, ..
        } = choose_id(&h, InputFormat::SurveyMonkey, &[], &partly)
        else {
            panic!("a guessed column");
        };
        assert_eq!(column, 0);
        assert_eq!(
            because.as_deref(),
            Some(
                "it numbers the responses, so a candidate who submitted twice counts twice: 'Email Address' \
                 is empty on some rows; --id-column Email Address finds the repeats of those who gave one"
            )
        );
        // LimeSurvey's token; Qualtrics' external reference before the recipient's address.
        let lime = headers(&["id", "submitdate", "lastpage", "startlanguage", "token"]);
        let tokens = rows(&[&["1", "", "", "", "tok1"]]);
        assert_eq!(
            choose_id(&lime, InputFormat::LimeSurvey, &[], &tokens).column(),
            Some(4)
        );
        let qualtrics = headers(&["ResponseId", "RecipientEmail", "ExternalReference"]);
        let both = rows(&[&["R_1", "a@x.com", "cand-1"]]);
        assert_eq!(
            choose_id(&qualtrics, InputFormat::Qualtrics, &[], &both).column(),
            Some(2)
        );
        // A Typeform hidden field.
        let typeform = headers(&["#", "Q", "applicant", "Response Type"]);
        let hidden = rows(&[&["tok", "4", "cand-1", "completed"]]);
        assert_eq!(
            choose_id(&typeform, InputFormat::Typeform, &[2], &hidden).column(),
            Some(2)
        );
        assert!(needs_rows(&typeform, InputFormat::Typeform, &[2]));
        assert!(!needs_rows(&typeform, InputFormat::Typeform, &[]));
    }

    #[test]
    fn microsoft_forms_ids_are_addresses_when_every_row_has_one() {
        let h = headers(&["ID", "Start time", "Completion time", "Email", "Name"]);
        let row = |email: &str| csv::StringRecord::from(vec!["1", "", "", email, "Ann Lee"]);
        let with = [row("ann@x.com"), row(" bob@x.com ")];
        assert_eq!(
            choose_id(&h, InputFormat::MicrosoftForms, &[], &with),
            IdSource::Guessed {
                column: 3,
                header: "Email".into(),
                because: Some(
                    "a Microsoft Forms export's 'ID' numbers the responses, not the people".into()
                ),
            }
        );
        // An anonymous response: the counter stays the id, and the note says what that costs.
        let anonymous = [row("ann@x.com"), row("anonymous")];
        let IdSource::Guessed {
            column, because, ..
        } = choose_id(&h, InputFormat::MicrosoftForms, &[], &anonymous)
        else {
            panic!("a guessed column");
        };
        assert_eq!(column, 0);
        assert_eq!(
            because.as_deref(),
            Some(
                "it numbers the responses, so a candidate who submitted twice counts twice: \
                 'Email' is not an address on every row (one is 'anonymous'); --id-column Email \
                 finds the repeats of those who gave one"
            )
        );
        // Name is never the id, but it is the name.
        assert_eq!(
            name_columns(&h, Some(3)),
            Some(NameColumns::Whole {
                column: 4,
                header: "Name".into()
            })
        );
    }

    #[test]
    fn names_whole_or_first_and_last() {
        let h = headers(&["Vorname", "Nachname", "Vollständiger Name"]);
        assert_eq!(
            name_columns(&h, None),
            Some(NameColumns::FirstLast {
                first: 0,
                last: 1,
                headers: ["Vorname".into(), "Nachname".into()]
            })
        );
        let h = headers(&["Email", "Your full name"]);
        assert!(matches!(
            name_columns(&h, None),
            Some(NameColumns::Whole { column: 1, .. })
        ));
        assert_eq!(name_columns(&h, Some(1)), None);
        assert_eq!(name_columns(&headers(&["Nom", "Q"]), None), None);
    }

    #[test]
    fn meta_columns_by_format() {
        let h = headers(&[
            "StartDate",
            "EndDate",
            "Status",
            "Duration (in seconds)",
            "Finished",
        ]);
        let q = meta_columns(&h, InputFormat::Qualtrics);
        assert_eq!(
            (q.started, q.submitted, q.status, q.duration, q.finished),
            (Some(0), Some(1), Some(2), Some(3), Some(4))
        );
        assert_eq!(meta_columns(&h, InputFormat::Generic).status, None);
        assert!(unfinished("False") && unfinished("partial") && !unfinished("True"));
        assert!(preview("Survey Preview") && !preview("IP Address"));
    }
}
