//! Reading staff data for analysis: the answers through the ordinary
//! [`ResponseReader`], plus the columns scoring ignores — a group column for
//! norms and a performance rating for calibration.
//!
//! Two readers walk the same bytes in step: the response reader turns each
//! row into answers or a rejection, and a plain CSV reader picks the extra
//! cells of the same row (matched by row number). A row whose extra cell is
//! empty or not a number is rejected with the column and the reason; it never
//! stops the others.

use std::io::Read;

use crate::error::ReadError;
use crate::questionnaire::Questionnaire;
use crate::response::{CellProblem, Layout, ReadOptions, Rejection, ResponseReader};
use crate::scoring::Answer;

/// Which extra columns to read.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Column holding the norm group (e.g. site or sector).
    pub group: Option<String>,
    /// Column holding a numeric performance rating.
    pub performance: Option<String>,
}

/// One usable row.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Respondent id.
    pub id: String,
    /// Row number as a spreadsheet shows it.
    pub row: u64,
    /// One answer per item, presentation order.
    pub answers: Vec<Answer>,
    /// The group cell, when a group column was asked for.
    pub group: Option<String>,
    /// The rating, when a performance column was asked for.
    pub performance: Option<f64>,
}

/// Reads records from two readers over the same CSV bytes.
pub struct StaffReader<'q, R: Read, S: Read> {
    responses: ResponseReader<'q, R>,
    extra: csv::Reader<S>,
    record: csv::StringRecord,
    extra_row: u64,
    group: Option<(usize, String)>,
    performance: Option<(usize, String)>,
}

impl<'q, R: Read, S: Read> StaffReader<'q, R, S> {
    /// Reads both headers; `answers` and `extras` must read the same bytes.
    ///
    /// # Errors
    /// Whatever [`ResponseReader::new`] returns, and [`ReadError::Header`] when
    /// an extra column is not in the header.
    pub fn new(
        answers: R,
        extras: S,
        questionnaire: &'q Questionnaire,
        options: &ReadOptions,
        columns: &Columns,
        file: &str,
    ) -> Result<Self, ReadError> {
        let responses = ResponseReader::new(answers, questionnaire, options, file)?;
        let mut extra = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .delimiter(options.delimiter.unwrap_or(b','))
            .from_reader(extras);
        let mut record = csv::StringRecord::new();
        extra
            .read_record(&mut record)
            .map_err(|source| ReadError::Csv {
                file: file.to_string(),
                record: 1,
                source,
            })?;
        let find = |name: &Option<String>, what: &str| -> Result<_, ReadError> {
            let Some(name) = name else { return Ok(None) };
            record
                .iter()
                .position(|h| {
                    h.trim_start_matches('\u{feff}')
                        .trim()
                        .eq_ignore_ascii_case(name)
                })
                .map(|i| Some((i, name.clone())))
                .ok_or_else(|| ReadError::Header {
                    file: file.to_string(),
                    problem: format!("no {what} column '{name}'"),
                    expected: format!("a column named '{name}' in the header row"),
                })
        };
        let group = find(&columns.group, "group")?;
        let performance = find(&columns.performance, "performance")?;
        Ok(StaffReader {
            responses,
            extra,
            record,
            extra_row: 1,
            group,
            performance,
        })
    }

    /// The layout of the answer columns.
    pub fn layout(&self) -> &Layout {
        self.responses.layout()
    }

    /// The response reader's input (e.g. to read a hash it computed).
    pub fn input(&self) -> &R {
        self.responses.input()
    }

    /// The next row: `Ok(None)` at the end, `Ok(Some(Err(_)))` for a rejected row.
    ///
    /// # Errors
    /// [`ReadError`] only when the file cannot be read further.
    pub fn next_record(&mut self) -> Result<Option<Result<Record, Rejection>>, ReadError> {
        let Some(row) = self.responses.next_row()? else {
            return Ok(None);
        };
        let row_number = match &row {
            Ok(response) => response.row,
            Err(rejection) => rejection.row,
        };
        let extras = self.extras_at(row_number);
        Ok(Some(match (row, extras) {
            (Ok(r), Ok((group, performance))) => Ok(Record {
                id: r.id,
                row: r.row,
                answers: r.answers,
                group,
                performance,
            }),
            (Ok(r), Err(problems)) => Err(Rejection {
                row: r.row,
                id: Some(r.id),
                problems,
            }),
            (Err(mut rejection), Err(problems)) => {
                rejection.problems.extend(problems);
                Err(rejection)
            }
            (Err(rejection), Ok(_)) => Err(rejection),
        }))
    }

    /// Advances the extra reader to `row` and parses its extra cells.
    fn extras_at(&mut self, row: u64) -> Result<(Option<String>, Option<f64>), Vec<CellProblem>> {
        let mut readable = true;
        while self.extra_row < row {
            self.extra_row += 1;
            readable = matches!(self.extra.read_record(&mut self.record), Ok(true));
        }
        let mut problems = Vec::new();
        let cell = |column: &Option<(usize, String)>| {
            column.as_ref().map(|(i, name)| {
                let value = if readable { self.record.get(*i) } else { None };
                (name.clone(), value.unwrap_or("").trim().to_string())
            })
        };
        let group = cell(&self.group).and_then(|(name, value)| {
            if value.is_empty() {
                problems.push(CellProblem {
                    column: Some(name),
                    value: None,
                    reason: "the group is empty; expected a group name".into(),
                });
                None
            } else {
                Some(value)
            }
        });
        let performance =
            cell(&self.performance).and_then(|(name, value)| match value.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    problems.push(CellProblem {
                        column: Some(name),
                        reason: format!("'{value}' is not a performance rating; expected a number"),
                        value: Some(value),
                    });
                    None
                }
            });
        if problems.is_empty() {
            Ok((group, performance))
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_columns_follow_their_rows() {
        let q = Questionnaire::from_json(
            include_str!("../../tests/fixtures/tiny/questionnaire.json"),
            "tiny",
        )
        .unwrap();
        let text = "candidate_id,site,rating,A1,A2,A3,B1,B2,B3\n\
                    c1,north,3.5,1,2,3,4,5,1\n\
                    ,,,,,,,,\n\
                    c2,,4,1,2,3,4,5,1\n\
                    c3,south,high,1,2,9,4,5,1\n\
                    c4,south,2,5,5,5,5,5,5\n";
        let columns = Columns {
            group: Some("site".into()),
            performance: Some("Rating".into()),
        };
        let mut reader = StaffReader::new(
            text.as_bytes(),
            text.as_bytes(),
            &q,
            &ReadOptions::default(),
            &columns,
            "t.csv",
        )
        .unwrap();
        let first = reader.next_record().unwrap().unwrap().unwrap();
        assert_eq!(
            (first.group.as_deref(), first.performance),
            (Some("north"), Some(3.5))
        );
        // Row 4 (after an all-empty row 3, skipped by both readers): empty group.
        let second = reader.next_record().unwrap().unwrap().unwrap_err();
        assert_eq!(
            (second.row, second.problems[0].column.as_deref()),
            (4, Some("site"))
        );
        // Row 5: bad answer A3 = 9 and a bad rating: both problems listed.
        let third = reader.next_record().unwrap().unwrap().unwrap_err();
        assert_eq!(third.problems.len(), 2);
        let fourth = reader.next_record().unwrap().unwrap().unwrap();
        assert_eq!((fourth.row, fourth.performance), (6, Some(2.0)));
        assert!(reader.next_record().unwrap().is_none());
    }
}
