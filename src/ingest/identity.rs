//! Who a row is and when it was submitted: the id column (named by the user,
//! else the first of [`ID_COLUMN_NAMES`] present — for Microsoft Forms,
//! `Email` before the response counter `ID` — else the row number), and
//! the metadata columns that decide between duplicate submissions and give
//! the time taken (submission time, start time, duration, completion flag,
//! Qualtrics preview status).

use serde::Serialize;

use super::format::{ColumnHeader, InputFormat};

/// Header names taken as the candidate id, in order of preference (matched
/// ignoring case and surrounding spaces). The first present wins.
pub const ID_COLUMN_NAMES: [&str; 14] = [
    "candidate_id",
    "candidate id",
    "applicant_id",
    "applicant id",
    "id",
    "respondent id",
    "respondentid",
    "response id",
    "responseid",
    "email address",
    "email",
    "username",
    "#",
    "token",
];

/// Headers of the submission time, in order of preference.
pub const SUBMITTED_COLUMN_NAMES: [&str; 11] = [
    "completion time",
    "end date",
    "enddate",
    "recordeddate",
    "submitdate",
    "submit date (utc)",
    "timestamp",
    "submitted at",
    "submitted_at",
    "submitted",
    "submission time",
];

/// Headers of the start time, in order of preference.
pub const STARTED_COLUMN_NAMES: [&str; 5] = [
    "start time",
    "start date",
    "startdate",
    "start date (utc)",
    "startdate (utc)",
];

/// Header of a duration in seconds (Qualtrics).
pub const DURATION_COLUMN_NAME: &str = "duration (in seconds)";

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
    /// The first column of [`ID_COLUMN_NAMES`] found, or the column an
    /// export format's rule chose.
    Guessed {
        /// 0-based column index.
        column: usize,
        /// Its header.
        header: String,
        /// Why this column, when a format's rule chose it.
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
}

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

fn position(headers: &[ColumnHeader], name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.display.trim().eq_ignore_ascii_case(name))
}

fn first_of(headers: &[ColumnHeader], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| position(headers, name))
}

/// The id column: `chosen` by name, else the first likely name, else row numbers.
///
/// # Errors
/// The problem text when `chosen` names no column.
pub fn id_source(headers: &[ColumnHeader], chosen: Option<&str>) -> Result<IdSource, String> {
    if let Some(name) = chosen {
        return position(headers, name)
            .map(|column| IdSource::Named {
                column,
                header: headers[column].display.clone(),
            })
            .ok_or_else(|| format!("no id column '{name}' among {} columns", headers.len()));
    }
    Ok(match first_of(headers, &ID_COLUMN_NAMES) {
        Some(column) => IdSource::Guessed {
            column,
            header: headers[column].display.clone(),
            because: None,
        },
        None => IdSource::RowNumber,
    })
}

/// The `Email` column, if the header has one.
pub(crate) fn email_column(headers: &[ColumnHeader]) -> Option<usize> {
    position(headers, "email")
}

/// The id column of a Microsoft Forms export, given its first data `rows`.
/// Its first column, `ID`, numbers the responses: a candidate who submitted
/// twice has two, and duplicates would never be found. So `Email` is the id
/// when every row read ahead holds an address there; when some hold none
/// (`anonymous`: the form did not collect them), `ID` stays the id and the
/// note says what that means. `Name` is never the id: two applicants may
/// share one, and one would supersede the other.
pub fn microsoft_forms_id<'a>(
    headers: &[ColumnHeader],
    rows: impl IntoIterator<Item = &'a csv::StringRecord>,
) -> IdSource {
    let first = id_source(headers, None).unwrap_or(IdSource::RowNumber);
    let (Some(counter), Some(email)) = (first.column(), email_column(headers)) else {
        return first;
    };
    if counter == email {
        return first;
    }
    let no_address = (rows.into_iter())
        .map(|row| row.get(email).unwrap_or("").trim())
        .find(|cell| !cell.contains('@'));
    let (column, because) = match no_address {
        None => (
            email,
            format!(
                "a Microsoft Forms export's '{}' numbers the responses, not the people",
                headers[counter].display
            ),
        ),
        Some(cell) => (
            counter,
            format!(
                "it numbers the responses, so a candidate who submitted twice counts twice: \
                 '{}' is not an address on every row (one is '{cell}'); --id-column {} finds \
                 the repeats of those who gave one",
                headers[email].display, headers[email].display
            ),
        ),
    };
    IdSource::Guessed {
        column,
        header: headers[column].display.clone(),
        because: Some(because),
    }
}

/// The metadata columns of a file in `format`.
pub fn meta_columns(headers: &[ColumnHeader], format: InputFormat) -> MetaColumns {
    let qualtrics = matches!(
        format,
        InputFormat::Qualtrics | InputFormat::QualtricsLegacy
    );
    MetaColumns {
        submitted: first_of(headers, &SUBMITTED_COLUMN_NAMES),
        started: first_of(headers, &STARTED_COLUMN_NAMES),
        duration: position(headers, DURATION_COLUMN_NAME),
        finished: first_of(headers, &["finished", "response type"]),
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

    #[test]
    fn id_columns_by_name_then_list_then_row() {
        let h = headers(&["Timestamp", "Email Address", "Respondent ID"]);
        assert_eq!(id_source(&h, None).unwrap().column(), Some(2));
        assert_eq!(
            id_source(&h, Some("email address")).unwrap().column(),
            Some(1)
        );
        assert_eq!(
            id_source(&h, Some("who")).unwrap_err(),
            "no id column 'who' among 3 columns"
        );
        assert_eq!(
            id_source(&headers(&["TR01"]), None).unwrap(),
            IdSource::RowNumber
        );
    }

    #[test]
    fn microsoft_forms_ids_are_addresses_when_every_row_has_one() {
        let h = headers(&["ID", "Start time", "Completion time", "Email", "Name"]);
        let row = |email: &str| csv::StringRecord::from(vec!["1", "", "", email, "Ann Lee"]);
        let with = [row("ann@x.com"), row(" bob@x.com ")];
        assert_eq!(
            microsoft_forms_id(&h, &with),
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
        } = microsoft_forms_id(&h, &anonymous)
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
        // No Email column: the usual list.
        assert_eq!(
            microsoft_forms_id(&headers(&["ID", "Start time"]), &with).column(),
            Some(0)
        );
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
