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
use crate::ingest::decode::{DecodingReader, Prefixed};
use crate::ingest::duplicate::DuplicatePolicy;
use crate::ingest::format::InputFormat;
use crate::ingest::identity;
use crate::ingest::label::LabelTable;
use crate::ingest::layout::{self, blank_lines_before};
use crate::ingest::matching::ColumnMap;
use crate::ingest::timestamp;
use crate::limits::{shorten, RecordLimit};
use crate::questionnaire::Questionnaire;
use crate::scoring::Answer;

pub use crate::ingest::layout::Layout;

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
    /// False when the tool marked the response unfinished, or the row is shorter than the header.
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
    csv: csv::Reader<RecordLimit<DecodingReader<Prefixed<R>>>>,
    questionnaire: &'q Questionnaire,
    layout: Layout,
    headers: Vec<String>,
    labels: LabelTable,
    record: csv::StringRecord,
    pending: VecDeque<(csv::StringRecord, u64)>,
    duplicates: DuplicatePolicy,
    file: String,
    row: u64,
    last_end_line: u64,
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
        let opened = layout::open(input, questionnaire, options, file)?;
        Ok(ResponseReader {
            csv: opened.csv,
            labels: LabelTable::new(questionnaire, opened.layout.format.negative_means_missing()),
            questionnaire,
            headers: opened.headers,
            record: csv::StringRecord::new(),
            pending: opened.pending,
            duplicates: options.duplicates,
            file: file.to_string(),
            row: opened.layout.header_rows as u64,
            last_end_line: opened.header_end_line,
            layout: opened.layout,
        })
    }

    /// The underlying input (e.g. to read a hash it computed).
    pub fn input(&self) -> &R {
        self.csv.get_ref().get_ref().get_ref().get_ref().1
    }

    /// Index of the header column called `name` (case-insensitive), for
    /// columns scoring ignores, such as a group or a performance rating.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name.trim()))
    }

    /// A cell of the row [`Self::next_row`] returned last, trimmed; empty when the row is short.
    pub fn last_row_cell(&self, column: usize) -> &str {
        self.cell(Some(column))
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
            let end_line = if let Some((record, end)) = self.pending.pop_front() {
                self.record = record;
                end
            } else {
                match self.csv.read_record(&mut self.record) {
                    Ok(false) => return Ok(None),
                    Ok(true) => self.csv.position().line(),
                    Err(e) if e.is_io_error() => return Err(csv_error(&self.file, self.row, e)),
                    Err(e) => {
                        let reason = format!("cannot parse the row: {e}");
                        return Ok(Some(Err(Rejection::row_problem(self.row, None, reason))));
                    }
                }
            };
            self.row += blank_lines_before(&self.record, end_line, self.last_end_line);
            self.last_end_line = end_line;
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
                // A row cut short (fewer cells than the header) is as unfinished as one the tool marks so.
                complete: !identity::unfinished(self.cell(self.layout.meta.finished))
                    && self.record.len() >= self.layout.fields,
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
            value: self.record.get(column).map(|c| shorten(c).into_owned()),
            reason,
        }
    }

    /// A line break inside the id or an answer cell: no form tool writes one
    /// there, so a quote opened in this row was almost certainly never
    /// closed, and the lines after it were read as part of this cell.
    fn unclosed_quote(&self) -> Option<CellProblem> {
        let columns = self
            .layout
            .id
            .column()
            .into_iter()
            .chain(self.layout.item_columns.iter().map(|&(c, _)| c));
        let (column, cell) = columns
            .filter_map(|c| self.record.get(c).map(|cell| (c, cell)))
            .max_by_key(|(_, cell)| cell.matches('\n').count())
            .filter(|(_, cell)| cell.contains(['\n', '\r']))?;
        let lines = cell.matches('\n').count().max(1);
        let reason = format!(
            "a quote in this row is never closed, so the next {lines} line(s) of the file were read into this cell \
             and are not scored; expected a closing quote (fix the file and run again)"
        );
        Some(self.cell_problem(column, reason))
    }

    /// Problems of the row as a whole: an unclosed quote, extra cells, undecodable bytes, a preview response.
    fn row_problems(&self) -> Vec<CellProblem> {
        let mut problems: Vec<CellProblem> = self.unclosed_quote().into_iter().collect();
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
        if self.csv.get_ref().get_ref().replaced_any() {
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
                problem.value = Some(shorten(cell).into_owned());
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

fn csv_error(file: &str, record: u64, source: csv::Error) -> ReadError {
    ReadError::Csv {
        file: file.to_string(),
        record,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    /// A plain file with the first `n` item columns filled by `cells`.
    fn plain(rows: &[&str]) -> String {
        let q = builtin::questionnaire().unwrap();
        let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
        format!("candidate_id,{}\n{}", ids.join(","), rows.join(""))
    }

    fn read_all(bytes: &[u8], options: &ReadOptions) -> (Layout, Vec<Result<Response, Rejection>>) {
        let q = builtin::questionnaire().unwrap();
        let mut reader = ResponseReader::new(bytes, &q, options, "test.csv").unwrap();
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row().unwrap() {
            rows.push(row);
        }
        (reader.layout().clone(), rows)
    }

    #[test]
    fn blank_lines_and_embedded_newlines_keep_spreadsheet_numbering() {
        // Header = row 1; "a" = row 2; blank line = row 3; "b" (two lines, one row) = row 4; "c" = row 5.
        let text = "candidate_id,note,TR01,TA02,EM01,CO02,FO01,IM01,FL02\n\
                    a,,4,,,,,,\n\n\
                    b,\"two\nlines\",4,,,,,,\n\
                    c,,4,,,,,,\n";
        for text in [text.to_string(), text.replace('\n', "\r\n")] {
            let (_, rows) = read_all(text.as_bytes(), &ReadOptions::default());
            let numbers: Vec<u64> = rows.iter().map(|r| r.as_ref().unwrap().row).collect();
            assert_eq!(numbers, [2, 4, 5], "{text:?}");
        }
    }

    #[test]
    fn short_rows_are_padded_and_count_as_unanswered() {
        let (_, rows) = read_all(plain(&["ann,4,2\n"]).as_bytes(), &ReadOptions::default());
        let response = rows[0].as_ref().unwrap();
        assert_eq!(response.answers[..3], [Some(4), Some(2), None]);
        assert_eq!(response.answers.iter().filter(|a| a.is_some()).count(), 2);
    }

    #[test]
    fn utf16_with_bom_and_tabs() {
        let text = plain(&["ann\t5\n"]).replace(',', "\t");
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (layout, rows) = read_all(&bytes, &ReadOptions::default());
        assert_eq!(
            (layout.encoding.as_str(), layout.delimiter),
            ("utf-16le", '\t')
        );
        assert_eq!(rows[0].as_ref().unwrap().answers[0], Some(5));
    }

    #[test]
    fn sep_line_is_not_a_row() {
        let text = format!("sep=;\n{}", plain(&["ann;3\n"]).replace(',', ";"));
        let (layout, rows) = read_all(text.as_bytes(), &ReadOptions::default());
        assert!(layout.sep_line);
        assert_eq!(rows[0].as_ref().unwrap().row, 2);
    }

    #[test]
    fn row_numbers_are_ids_without_an_id_column() {
        let text = plain(&["5,4\n"]).replace("candidate_id,", "");
        let (layout, rows) = read_all(text.as_bytes(), &ReadOptions::default());
        assert_eq!(layout.id_column(), None);
        assert!(layout.notes()[0].starts_with("no id column found"));
        assert_eq!(rows[0].as_ref().unwrap().id, "2");
    }

    #[test]
    fn header_problems_are_errors() {
        let q = builtin::questionnaire().unwrap();
        let empty = ResponseReader::new(&b""[..], &q, &ReadOptions::default(), "e.csv");
        assert!(matches!(empty, Err(ReadError::Empty { .. })));
        let no_items = ResponseReader::new(
            &b"candidate_id,x\n"[..],
            &q,
            &ReadOptions::default(),
            "n.csv",
        );
        let message = no_items.err().unwrap().to_string();
        assert!(
            message
                .starts_with("n.csv: header row: no column for any item of scale(s) trust, tact,"),
            "{message}"
        );
    }
}
