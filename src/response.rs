//! Reading candidates' answers from a response file, whatever tool wrote it.
//!
//! [`ResponseReader::new`] decodes the bytes ([`crate::ingest::decode`]),
//! finds the delimiter, reads the header rows, recognises the export format,
//! chooses the id column and matches columns to items, once, into a
//! [`Layout`]. Then each row becomes either a [`Response`] or a [`Rejection`]
//! that says which cell was wrong and why. A bad row never stops the reading;
//! only an unreadable file does. Rows are streamed: one record is reused.

use std::collections::VecDeque;
use std::io::Read;

use encoding_rs::Encoding;
use serde::Serialize;

use crate::error::ReadError;
use crate::ingest::decode::{self, DecodingReader, EncodingSource, Prefixed};
use crate::ingest::duplicate::DuplicatePolicy;
use crate::ingest::format::{self, ColumnHeader, InputFormat};
use crate::ingest::identity::{self, IdSource, MetaColumns};
use crate::ingest::label::LabelTable;
use crate::ingest::matching::{self, ColumnMap, Matching};
use crate::ingest::{sniff, timestamp};
use crate::questionnaire::Questionnaire;
use crate::scoring::Answer;

/// Header rows read ahead to recognise a format (Qualtrics has three).
const MAX_HEADER_ROWS: usize = 3;

/// How a response file is to be read. `Default` detects everything.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Name of the id column; `None` takes the first of [`identity::ID_COLUMN_NAMES`].
    pub id_column: Option<String>,
    /// Field delimiter; `None` sniffs it.
    pub delimiter: Option<u8>,
    /// Text encoding; `None` detects it.
    pub encoding: Option<&'static Encoding>,
    /// Export format; `None` detects it from the header.
    pub format: Option<InputFormat>,
    /// Column header → item id, applied before automatic matching.
    pub map: Option<ColumnMap>,
    /// What to do with a repeated id (applied by [`crate::batch::score_all`]).
    pub duplicates: DuplicatePolicy,
}

/// Which column holds what, resolved from the header rows.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    /// Number of header fields.
    pub fields: usize,
    /// Where the candidate id comes from.
    pub id: IdSource,
    /// (column index, item index) for every matched item column.
    pub item_columns: Vec<(usize, usize)>,
    /// Item ids with no column: counted as unanswered.
    pub missing_items: Vec<String>,
    /// Header names of columns that are neither the id nor an item.
    pub ignored_columns: Vec<String>,
    /// The full matching report.
    pub matching: Matching,
    /// The export format.
    pub format: InputFormat,
    /// Header rows above the data.
    pub header_rows: usize,
    /// The text encoding, e.g. `utf-8`.
    pub encoding: String,
    /// How the encoding was chosen.
    pub encoding_source: EncodingSource,
    /// The field delimiter.
    pub delimiter: char,
    /// Whether an Excel `sep=` line opened the file (it is not a row).
    pub sep_line: bool,
    /// Metadata columns (submission time, duration, …).
    pub meta: MetaColumns,
}

impl Layout {
    /// Index of the id column, if there is one.
    pub fn id_column(&self) -> Option<usize> {
        self.id.column()
    }

    /// Things the user should know before trusting the run, in words.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.encoding_source == EncodingSource::Fallback {
            notes.push(format!(
                "the file is not valid UTF-8; read it as {} (Excel's legacy CSV); use --encoding to choose another",
                self.encoding
            ));
        }
        match &self.id {
            IdSource::RowNumber => notes.push(
                "no id column found; the row number is each candidate's id (name one with --id-column)".into(),
            ),
            IdSource::Guessed { header, .. } if header != crate::response::DEFAULT_ID_COLUMN => {
                notes.push(format!("candidate ids are taken from column '{header}'"))
            }
            _ => {}
        }
        if !self.missing_items.is_empty() {
            notes.push(format!(
                "{} item(s) have no column and count as unanswered: {}",
                self.missing_items.len(),
                self.missing_items.join(", ")
            ));
        }
        notes
    }
}

/// The id column a plain response file has.
pub const DEFAULT_ID_COLUMN: &str = "candidate_id";

/// One candidate's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The candidate's id.
    pub id: String,
    /// Row number as a spreadsheet shows it (header rows included).
    pub row: u64,
    /// One answer per item, presentation order.
    pub answers: Vec<Answer>,
    /// Submission time (seconds since 1970, UTC when the file says the zone), if readable.
    pub submitted: Option<i64>,
    /// False when the tool marked the response unfinished.
    pub complete: bool,
    /// Seconds taken, from a duration column or start and submission times.
    pub seconds: Option<f64>,
}

/// One problem in a rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellProblem {
    /// Column header, if the problem is in one cell.
    pub column: Option<String>,
    /// The cell's content.
    pub value: Option<String>,
    /// What is wrong and what was expected.
    pub reason: String,
}

/// A row that was not scored: rejected with reasons, or superseded by a later
/// submission of the same candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Row number as a spreadsheet shows it.
    pub row: u64,
    /// The candidate's id, if the row had one.
    pub id: Option<String>,
    /// Every problem found in the row.
    pub problems: Vec<CellProblem>,
    /// For a superseded row, the row kept instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<u64>,
}

impl Rejection {
    /// A rejection with one problem not tied to a cell.
    pub fn row_problem(row: u64, id: Option<String>, reason: String) -> Rejection {
        Rejection {
            row,
            id,
            problems: vec![CellProblem {
                column: None,
                value: None,
                reason,
            }],
            superseded_by: None,
        }
    }
}

/// Reads a response file row by row.
pub struct ResponseReader<'q, R: Read> {
    csv: csv::Reader<DecodingReader<Prefixed<R>>>,
    questionnaire: &'q Questionnaire,
    layout: Layout,
    headers: Vec<String>,
    labels: LabelTable,
    record: csv::StringRecord,
    pending: VecDeque<csv::StringRecord>,
    duplicates: DuplicatePolicy,
    file: String,
    row: u64,
}

impl<'q, R: Read> ResponseReader<'q, R> {
    /// Reads the header rows of `input` and matches its columns to `questionnaire`'s items.
    ///
    /// # Errors
    /// [`ReadError::Empty`] with no header, [`ReadError::Header`] when the
    /// named id column is missing, header rows are missing or a whole scale
    /// has no item columns, [`ReadError::Csv`]/[`ReadError::Io`] when the
    /// header cannot be read.
    pub fn new(
        input: R,
        questionnaire: &'q Questionnaire,
        options: &ReadOptions,
        file: &str,
    ) -> Result<Self, ReadError> {
        let io_error = |source| ReadError::Io {
            file: file.to_string(),
            source,
        };
        let (decoded, detected, prefix) =
            decode::open(input, options.encoding).map_err(io_error)?;
        let hint = sniff::sep_hint(&prefix);
        let delimiter = options
            .delimiter
            .or(hint)
            .unwrap_or_else(|| sniff::delimiter(&prefix));
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(decoded);
        let mut record = csv::StringRecord::new();
        if hint.is_some() {
            read(&mut csv, &mut record, file, 0)?;
        }
        let mut first = Vec::new();
        while first.len() < MAX_HEADER_ROWS
            && read(&mut csv, &mut record, file, first.len() as u64 + 1)?
        {
            first.push(record.clone());
        }
        let rows: Vec<Vec<String>> = first
            .iter()
            .map(|r| r.iter().map(str::to_string).collect())
            .collect();
        if rows.is_empty() {
            return Err(ReadError::Empty {
                file: file.to_string(),
            });
        }
        let format = options.format.unwrap_or_else(|| format::detect(&rows));
        let header_rows = format.header_rows(&rows);
        let header_error = |problem: String, expected: String| ReadError::Header {
            file: file.to_string(),
            problem,
            expected,
        };
        if rows.len() < header_rows {
            return Err(header_error(
                format!("{} row(s) in all", rows.len()),
                format!(
                    "{header_rows} header rows, as a {} export has",
                    format.name()
                ),
            ));
        }
        let headers = format::column_headers(format, &rows[..header_rows]);
        let id =
            identity::id_source(&headers, options.id_column.as_deref()).map_err(|problem| {
                header_error(
                    problem,
                    "a column with that header, or no --id-column to find one".into(),
                )
            })?;
        let skip: Vec<usize> = id.column().into_iter().collect();
        let matching =
            matching::match_columns(&headers, questionnaire, options.map.as_ref(), &skip);
        check_scales(questionnaire, &matching).map_err(|problem| {
            header_error(
                problem,
                format!(
                    "one column per item, headed by the item id (e.g. {}) or its text, or a --map file",
                    questionnaire.items().first().map_or("", |i| i.id.as_str())
                ),
            )
        })?;
        let layout = Layout {
            fields: headers.len(),
            item_columns: matching
                .matched
                .iter()
                .map(|m| (m.column, m.item))
                .collect(),
            missing_items: matching.missing_items.clone(),
            ignored_columns: matching.ignored.iter().map(|i| i.header.clone()).collect(),
            meta: identity::meta_columns(&headers, format),
            id,
            matching,
            format,
            header_rows,
            encoding: detected.name(),
            encoding_source: detected.source,
            delimiter: char::from(delimiter),
            sep_line: hint.is_some(),
        };
        Ok(ResponseReader {
            csv,
            labels: LabelTable::new(questionnaire, format.negative_means_missing()),
            questionnaire,
            headers: headers
                .iter()
                .map(|h: &ColumnHeader| h.display.clone())
                .collect(),
            record,
            pending: first.split_off(header_rows).into(),
            duplicates: options.duplicates,
            file: file.to_string(),
            row: header_rows as u64,
            layout,
        })
    }

    /// The underlying input (e.g. to read a hash it computed).
    pub fn input(&self) -> &R {
        self.csv.get_ref().get_ref().get_ref().1
    }

    /// The resolved layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The duplicate policy the options asked for.
    pub fn duplicates(&self) -> DuplicatePolicy {
        self.duplicates
    }

    /// The next row: `Ok(None)` at the end, `Ok(Some(Err(_)))` for a rejected row.
    ///
    /// # Errors
    /// [`ReadError`] only when the file itself cannot be read further (I/O).
    pub fn next_row(&mut self) -> Result<Option<Result<Response, Rejection>>, ReadError> {
        loop {
            self.row += 1;
            if let Some(record) = self.pending.pop_front() {
                self.record = record;
            } else {
                match self.csv.read_record(&mut self.record) {
                    Ok(false) => return Ok(None),
                    Ok(true) => {}
                    Err(e) if e.is_io_error() => return Err(csv_error(&self.file, self.row, e)),
                    Err(e) => {
                        let reason = format!("cannot parse the row: {e}");
                        return Ok(Some(Err(Rejection::row_problem(self.row, None, reason))));
                    }
                }
            }
            if !self.record.iter().all(|f| f.trim().is_empty()) {
                return Ok(Some(self.parse_row()));
            }
        }
    }

    fn cell(&self, column: Option<usize>) -> &str {
        column.and_then(|c| self.record.get(c)).unwrap_or("").trim()
    }

    fn parse_row(&self) -> Result<Response, Rejection> {
        let mut problems = self.row_problems();
        let id = match self.layout.id.column() {
            Some(column) => Some(self.cell(Some(column)).to_string()).filter(|s| !s.is_empty()),
            None => Some(self.row.to_string()),
        };
        if let (None, Some(column)) = (&id, self.layout.id.column()) {
            problems.push(CellProblem {
                column: Some(self.headers[column].clone()),
                value: None,
                reason: "the candidate id is empty; expected an id".into(),
            });
        }
        let mut answers = vec![None; self.questionnaire.items().len()];
        for &(column, item) in &self.layout.item_columns {
            let raw = self.record.get(column).unwrap_or("");
            match self.labels.parse(raw) {
                Ok(answer) => answers[item] = answer,
                Err(reason) => problems.push(self.cell_problem(column, reason)),
            }
        }
        match (id, problems.is_empty()) {
            (Some(id), true) => Ok(Response {
                id,
                row: self.row,
                answers,
                submitted: timestamp::parse(self.cell(self.layout.meta.submitted)),
                complete: !identity::unfinished(self.cell(self.layout.meta.finished)),
                seconds: self.seconds(),
            }),
            (id, _) => Err(Rejection {
                row: self.row,
                id,
                problems,
                superseded_by: None,
            }),
        }
    }

    fn cell_problem(&self, column: usize, reason: String) -> CellProblem {
        CellProblem {
            column: Some(self.headers[column].clone()),
            value: self.record.get(column).map(str::to_string),
            reason,
        }
    }

    /// Problems of the row as a whole: extra cells, undecodable bytes, a preview response.
    fn row_problems(&self) -> Vec<CellProblem> {
        let mut problems = Vec::new();
        let extra = self
            .record
            .iter()
            .skip(self.layout.fields)
            .filter(|f| !f.trim().is_empty())
            .count();
        if extra > 0 {
            problems.push(CellProblem {
                column: None,
                value: None,
                reason: format!(
                    "the row has {} fields, {extra} of them filled beyond the {} header columns",
                    self.record.len(),
                    self.layout.fields
                ),
            });
        }
        if self.csv.get_ref().replaced_any() {
            for (column, cell) in self
                .record
                .iter()
                .enumerate()
                .filter(|(_, c)| c.contains('\u{fffd}'))
            {
                let reason = format!(
                    "the cell holds bytes that are not valid {}; expected text in that encoding (choose another with --encoding)",
                    self.layout.encoding
                );
                let mut problem =
                    self.cell_problem(column.min(self.headers.len().saturating_sub(1)), reason);
                problem.value = Some(cell.to_string());
                problems.push(problem);
            }
        }
        if self.layout.meta.status.is_some()
            && identity::preview(self.cell(self.layout.meta.status))
        {
            problems.push(CellProblem {
                column: self.layout.meta.status.map(|c| self.headers[c].clone()),
                value: Some(self.cell(self.layout.meta.status).to_string()),
                reason: "a Qualtrics survey preview, not a candidate's response".into(),
            });
        }
        problems
    }

    /// Seconds taken: the duration column, else submission minus start time.
    fn seconds(&self) -> Option<f64> {
        let meta = &self.layout.meta;
        if let Some(seconds) = self
            .cell(meta.duration)
            .parse::<f64>()
            .ok()
            .filter(|s| *s >= 0.0)
        {
            return Some(seconds);
        }
        let start = timestamp::parse(self.cell(meta.started))?;
        let end = timestamp::parse(self.cell(meta.submitted))?;
        (end >= start).then(|| (end - start) as f64)
    }
}

/// Reads one record of the header; `false` at the end of the input.
fn read<R: Read>(
    csv: &mut csv::Reader<R>,
    record: &mut csv::StringRecord,
    file: &str,
    number: u64,
) -> Result<bool, ReadError> {
    csv.read_record(record)
        .map_err(|e| csv_error(file, number, e))
}

/// The scales that have no item column at all, as a problem text.
fn check_scales(questionnaire: &Questionnaire, matching: &Matching) -> Result<(), String> {
    let matched = |item: usize| matching.matched.iter().any(|m| m.item == item);
    let empty: Vec<&str> = (0..questionnaire.scales().len())
        .filter(|&s| !questionnaire.scale_items(s).iter().any(|&i| matched(i)))
        .map(|s| questionnaire.scales()[s].id.as_str())
        .collect();
    if empty.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "no column for any item of scale(s) {}",
            empty.join(", ")
        ))
    }
}

fn csv_error(file: &str, record: u64, source: csv::Error) -> ReadError {
    ReadError::Csv {
        file: file.to_string(),
        record,
        source,
    }
}
