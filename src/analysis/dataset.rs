//! Reading staff data for analysis: the answers through the ordinary
//! [`ResponseReader`], plus the columns scoring ignores — a group column for
//! norms and a performance rating for calibration.
//!
//! The response reader turns each row into answers or a rejection (with all
//! of its survey-export handling: encodings, multi-row headers, labels), and
//! the extra cells are taken from the same row it just read. A row whose extra
//! cell is empty or not a number is rejected with the column and the reason;
//! it never stops the others.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;

use serde::Serialize;

use crate::bounds::RATING;
use crate::error::ReadError;
use crate::questionnaire::Questionnaire;
use crate::response::{CellProblem, Layout, ReadOptions, Rejection, ResponseReader};
use crate::scoring::Answer;
use crate::validity::{self, Status};

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

/// Reads records: answers plus the extra columns of each row.
pub struct StaffReader<'q, R: Read> {
    responses: ResponseReader<'q, R>,
    questionnaire: &'q Questionnaire,
    group: Option<(usize, String)>,
    performance: Option<(usize, String)>,
    /// Whether rows whose answers `score` would call invalid are left out.
    leave_out_invalid: bool,
    /// Rows left out so.
    invalid: u64,
}

impl<'q, R: Read> StaffReader<'q, R> {
    /// Reads the header and finds the extra columns.
    ///
    /// # Errors
    /// Whatever [`ResponseReader::new`] returns, and [`ReadError::Header`] when
    /// an extra column is not in the header.
    pub fn new(
        input: R,
        questionnaire: &'q Questionnaire,
        options: &ReadOptions,
        columns: &Columns,
        file: &str,
    ) -> Result<Self, ReadError> {
        let mut responses = ResponseReader::new(input, questionnaire, options, file)?;
        let find = |name: &Option<String>, what: &str| -> Result<_, ReadError> {
            let Some(name) = name else { return Ok(None) };
            responses
                .column(name)
                .map(|i| Some((i, name.clone())))
                .ok_or_else(|| ReadError::Header {
                    file: file.to_string(),
                    problem: format!("no {what} column '{name}'"),
                    expected: format!("a column named '{name}' in the header row"),
                })
        };
        let group = find(&columns.group, "group")?;
        let performance = find(&columns.performance, "performance")?;
        for (column, _) in group.iter().chain(&performance) {
            responses.read_also(*column);
        }
        Ok(StaffReader {
            responses,
            questionnaire,
            group,
            performance,
            leave_out_invalid: false,
            invalid: 0,
        })
    }

    /// The layout of the answer columns.
    pub fn layout(&self) -> &Layout {
        self.responses.layout()
    }

    /// What reading the rows so far showed that the user should know, in words.
    pub fn notes(&self) -> Vec<String> {
        self.responses.notes()
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
        loop {
            let record = self.next_any()?;
            match &record {
                Some(Ok(r))
                    if self.leave_out_invalid && invalid(self.questionnaire, &r.answers) =>
                {
                    self.invalid += 1;
                }
                _ => return Ok(record),
            }
        }
    }

    /// Leaves out, from here on, every row whose answers `score` would call
    /// invalid (METHOD §4): careless protocols shift a sample's means and
    /// shrink its sds. They are counted ([`Self::left_out_invalid`]), not rejected.
    pub fn leave_out_invalid(&mut self) {
        self.leave_out_invalid = true;
    }

    /// Rows left out because their answers are invalid.
    pub fn left_out_invalid(&self) -> u64 {
        self.invalid
    }

    /// The next row, valid or not.
    fn next_any(&mut self) -> Result<Option<Result<Record, Rejection>>, ReadError> {
        let Some(row) = self.responses.next_row()? else {
            return Ok(None);
        };
        let extras = self.extras();
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
                superseded_by: None,
            }),
            (Err(mut rejection), Err(problems)) => {
                rejection.problems.extend(problems);
                Err(rejection)
            }
            (Err(rejection), Ok(_)) => Err(rejection),
        }))
    }

    /// Parses the extra cells of the row just read.
    fn extras(&self) -> Result<(Option<String>, Option<f64>), Vec<CellProblem>> {
        let mut problems = Vec::new();
        let cell = |column: &Option<(usize, String)>| {
            column
                .as_ref()
                .map(|(i, name)| (name.clone(), self.responses.last_row_cell(*i).to_string()))
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
                Ok(v) if RATING.contains(v) => Some(v),
                _ => {
                    problems.push(CellProblem {
                        column: Some(name),
                        reason: format!(
                            "'{value}' is not a performance rating; expected {}",
                            RATING.words()
                        ),
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

/// Ids that occur on more than one usable row. The toolkit has no duplicate
/// rule of its own (unlike `score --duplicates`): every row counts as a
/// respondent, so a repeated id — the same person twice, inflating n and
/// weighting them double — is counted for a warning.
///
/// Ids are kept as 8-byte hashes, so a file of a million rows costs a few
/// megabytes, not a copy of every id; two different ids share a hash with a
/// chance of about n²/2⁶⁵ (3·10⁻⁸ for a million), which at worst adds one to a warning.
#[derive(Debug, Clone, Default)]
pub struct RepeatedIds {
    rows: HashMap<u64, u32>,
}

/// How many ids repeat, and on how many rows they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Repeats {
    /// Ids on more than one row.
    pub ids: usize,
    /// The rows those ids stand on, all of them counted.
    pub rows: u64,
}

impl RepeatedIds {
    /// Counts one row of `id`.
    pub fn add(&mut self, id: &str) {
        let mut hasher = DefaultHasher::new();
        // Ids as the duplicates rule compares them: `Ann@X.com` is `ann@x.com`.
        crate::ingest::duplicate::key(id).hash(&mut hasher);
        *self.rows.entry(hasher.finish()).or_insert(0) += 1;
    }

    /// The ids seen on more than one row.
    pub fn repeats(&self) -> Repeats {
        self.rows
            .values()
            .filter(|&&n| n > 1)
            .fold(Repeats::default(), |r, &n| Repeats {
                ids: r.ids + 1,
                rows: r.rows + u64::from(n),
            })
    }
}

impl Repeats {
    /// The warning to show when some id repeats.
    pub fn warning(&self) -> Option<String> {
        (self.ids > 0).then(|| {
            format!(
                "{} id(s) appear on more than one row ({} rows in all); each row is counted as a respondent: \
                 deduplicate the file (e.g. keep each person's latest row), or give different people different ids",
                self.ids, self.rows
            )
        })
    }
}

/// Whether `score` would call these answers invalid. The impression scale
/// only ever gives `caution` (METHOD §4.6), so no norms are needed; a
/// duration is not read here, so the speed check is not made; the misfit
/// index measures answers against norms, which are what is being built (or
/// analysed) here, so it is not applied either.
fn invalid(questionnaire: &Questionnaire, answers: &[Answer]) -> bool {
    let indices = validity::indices(questionnaire, answers, None, None);
    validity::judge(questionnaire, indices, None, questionnaire.validity()).status
        == Status::Invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_are_counted_with_their_rows() {
        let mut ids = RepeatedIds::default();
        assert_eq!(ids.repeats().warning(), None);
        for id in ["a", "b", "a", "c", "a", "b"] {
            ids.add(id);
        }
        assert_eq!(ids.repeats(), Repeats { ids: 2, rows: 5 });
        // As the duplicates rule has it: one address, in two spellings; `A` is not `a`.
        let mut mails = RepeatedIds::default();
        for id in ["Ann@X.com", " ann@x.com", "A", "a"] {
            mails.add(id);
        }
        assert_eq!(mails.repeats(), Repeats { ids: 1, rows: 2 });
        assert_eq!(
            ids.repeats().warning().unwrap(),
            "2 id(s) appear on more than one row (5 rows in all); each row is counted as a respondent: \
             deduplicate the file (e.g. keep each person's latest row), or give different people different ids"
        );
    }

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
        // Row 4 (after an all-empty row 3, which is skipped): empty group.
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
