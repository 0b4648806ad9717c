//! Reading candidates' answers from a response file, whatever tool wrote it.
//!
//! [`ResponseReader::new`] decodes the bytes ([`crate::ingest::decode`]),
//! finds the delimiter, reads the header rows, recognises the export format,
//! chooses the id column and matches columns to items, once, into a
//! [`Layout`]. Then each row becomes either a [`Response`] or a [`Rejection`]
//! that says which cell was wrong and why. A bad row never stops the reading;
//! only an unreadable file does. Rows are streamed: one record is reused.
//! Reading ([`RecordSource`]) and parsing ([`RowParser`]) are separate halves,
//! so that the fast score path can parse on other threads than the one that
//! reads.

use std::fmt::Write as _;
use std::io::Read;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use encoding_rs::Encoding;
use serde::Serialize;

use crate::error::ReadError;
use crate::ingest::answer_code;
use crate::ingest::duplicate::DuplicatePolicy;
use crate::ingest::format::InputFormat;
use crate::ingest::identity::{self, NameColumns};
use crate::ingest::label::LabelTable;
use crate::ingest::layout;
use crate::ingest::matching::ColumnMap;
use crate::ingest::records::{Record, RecordSource, Records};
use crate::ingest::timestamp::{self, DateOrder};
use crate::limits::shorten;
use crate::questionnaire::Questionnaire;
use crate::scoring::Answer;

pub use crate::ingest::layout::Layout;

/// How a response file is to be read. `Default` detects everything.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Name of the id column; `None` chooses one ([`identity::choose_id`]).
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
    /// How to read slashed dates with the year last; `None` decides from
    /// the file's first rows ([`crate::ingest::layout`]).
    pub date_order: Option<DateOrder>,
    /// Read a row with fewer fields than the header as if its last fields
    /// were empty (and one with more, whose extra fields are empty, as if it
    /// had none), for tools that drop trailing empty cells. Otherwise such a
    /// row is rejected: a field missing from the middle would move every
    /// later answer into the wrong column.
    pub pad_short_rows: bool,
    /// The sheet to read when the file is a workbook; `None` reads the first.
    pub sheet: Option<String>,
    /// Score a file that lacks a column for an attention or impression
    /// item; by default such a file is refused, because those items are
    /// what the validity checks rest on.
    pub without_validity_items: bool,
}

#[cfg(test)]
impl ReadOptions {
    /// The defaults, but reading files that have columns for only some
    /// items, as the tests of reading (not of validity) use.
    pub(crate) fn lenient() -> ReadOptions {
        ReadOptions {
            without_validity_items: true,
            ..ReadOptions::default()
        }
    }
}

/// The id column a plain response file has.
pub const DEFAULT_ID_COLUMN: &str = "candidate_id";

/// One candidate's answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response {
    /// The candidate's id.
    pub id: String,
    /// The candidate's name, when the file has a name question (else empty).
    pub name: String,
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

/// Reads a response file row by row: a [`RecordSource`] that reads the
/// records and a [`RowParser`] that makes each one a [`Response`] or a
/// [`Rejection`]. [`crate::stream`] uses the two halves apart, to parse on
/// other threads than the one that reads.
pub struct ResponseReader<'q, R: Read> {
    source: RecordSource<R>,
    parser: RowParser<'q>,
    /// The row [`Self::next_row`] returned last.
    last: Records,
    duplicates: DuplicatePolicy,
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
            source: RecordSource::new(
                opened.csv,
                opened.pending,
                opened.layout.header_rows + opened.layout.rows_above(),
                opened.header_end_line,
                file,
            ),
            parser: RowParser::new(
                questionnaire,
                opened.layout,
                opened.headers,
                options.map.as_ref().map_or(&[], ColumnMap::answer_codes),
            ),
            last: Records::default(),
            duplicates: options.duplicates,
        })
    }

    /// The underlying input (e.g. to read a hash it computed).
    pub fn input(&self) -> &R {
        self.source.input()
    }

    /// Marks `column` as read besides the answers (a staff file's group or
    /// rating): undecodable bytes in it then reject the row, as they do in
    /// an answer, rather than pass as a value of their own.
    pub fn read_also(&mut self, column: usize) {
        if let Some(used) = self.parser.used.get_mut(column) {
            *used = true;
        }
    }

    /// Index of the header column called `name` (case-insensitive), for
    /// columns scoring ignores, such as a group or a performance rating.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.parser
            .headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name.trim()))
    }

    /// A cell of the row [`Self::next_row`] returned last, trimmed; empty when
    /// the row is short or could not be parsed.
    pub fn last_row_cell(&self, column: usize) -> &str {
        let record = self.last.iter().next().and_then(Result::ok);
        record.and_then(|r| r.get(column)).unwrap_or("").trim()
    }

    /// The resolved layout.
    pub fn layout(&self) -> &Layout {
        &self.parser.layout
    }

    /// What reading the rows so far showed that the user should know, in
    /// words (the layout's notes are known before).
    pub fn notes(&self) -> Vec<String> {
        self.parser.notes()
    }

    /// The duplicate policy the options asked for.
    pub fn duplicates(&self) -> DuplicatePolicy {
        self.duplicates
    }

    /// The reading half and the parsing half, to be used on different threads.
    pub fn split(&mut self) -> (&mut RecordSource<R>, &RowParser<'q>) {
        (&mut self.source, &self.parser)
    }

    /// The next row: `Ok(None)` at the end, `Ok(Some(Err(_)))` for a rejected row.
    ///
    /// # Errors
    /// [`ReadError`] only when the file itself cannot be read further (I/O).
    pub fn next_row(&mut self) -> Result<Option<Result<Response, Rejection>>, ReadError> {
        self.last.clear();
        if !self.source.read_into(&mut self.last)? {
            return Ok(None);
        }
        Ok(self.last.iter().next().map(|row| match row {
            Ok(record) => self.parser.parse(&record),
            Err(rejection) => Err(rejection.clone()),
        }))
    }
}

/// Turns one record into a [`Response`] or a [`Rejection`], knowing the
/// file's layout: everything about a row but reading it. It is `Sync`, so
/// that several threads can parse the records one thread reads.
#[derive(Debug)]
pub struct RowParser<'q> {
    questionnaire: &'q Questionnaire,
    layout: Layout,
    headers: Vec<String>,
    labels: LabelTable,
    /// Whether each header column is read: the id, an item or a metadata column.
    used: Vec<bool>,
    /// Undecodable bytes found in columns that are not read: rows, and the first such column.
    unread_undecodable: (AtomicU64, AtomicUsize),
}

impl<'q> RowParser<'q> {
    /// The parser of rows laid out as `layout` says, with the columns it
    /// reads marked once, for the rows with undecodable bytes to consult.
    fn new(
        questionnaire: &'q Questionnaire,
        layout: Layout,
        headers: Vec<String>,
        codes: &[(String, i32)],
    ) -> Self {
        let mut used = vec![false; layout.fields];
        let meta = &layout.meta;
        let read = [
            meta.submitted,
            meta.started,
            meta.duration,
            meta.finished,
            meta.status,
        ];
        let items = layout.item_columns.iter().map(|&(c, _)| c);
        for column in (layout.id.column().into_iter())
            .chain(items)
            .chain(read.into_iter().flatten())
        {
            if let Some(used) = used.get_mut(column) {
                *used = true;
            }
        }
        RowParser {
            labels: LabelTable::new(questionnaire, layout.format.negative_means_missing(), codes),
            questionnaire,
            headers,
            layout,
            used,
            unread_undecodable: (AtomicU64::new(0), AtomicUsize::new(usize::MAX)),
        }
    }

    /// What the rows parsed so far showed that the user should know, in
    /// words: undecodable bytes in columns not read, which did not reject
    /// their rows but hint that the encoding may be wrong.
    pub fn notes(&self) -> Vec<String> {
        let rows = self.unread_undecodable.0.load(Ordering::Relaxed);
        let column = self.unread_undecodable.1.load(Ordering::Relaxed);
        let header = self.headers.get(column).map_or("", String::as_str);
        let undecodable = (rows > 0).then(|| {
            format!(
                "{rows} row(s) hold bytes that are not valid {} in columns that are not scored (the first: '{header}'); \
                 the rows were scored all the same (--encoding chooses another encoding)",
                self.layout.encoding
            )
        });
        let codes = self.labels.codes_read().then(|| {
            format!(
                "answers such as 'A3' were read as LimeSurvey answer codes, the n-th answer option of the \
                 response scale: {}; if the survey listed its options in another order, a --map file with \
                 rows such as 'A1,5' says what each code means",
                answer_code::describe(self.questionnaire.response_scale())
            )
        });
        undecodable.into_iter().chain(codes).collect()
    }

    /// The row `record` holds.
    pub fn parse(&self, record: &Record<'_>) -> Result<Response, Rejection> {
        let mut response = Response::default();
        self.parse_into(record, &mut response).map(|()| response)
    }

    /// As [`Self::parse`], but into `response`, whose buffers are reused;
    /// on a rejection what it holds is unspecified.
    ///
    /// # Errors
    /// The row's [`Rejection`], with every problem found in it.
    pub fn parse_into(
        &self,
        record: &Record<'_>,
        response: &mut Response,
    ) -> Result<(), Rejection> {
        let row = Row {
            record,
            layout: &self.layout,
        };
        let mut problems = self.row_problems(&row);
        response.id.clear();
        match self.layout.id.column() {
            Some(column) => response.id.push_str(row.cell(Some(column))),
            None => {
                // Writing to a String cannot fail.
                let _ = write!(response.id, "{}", record.row);
            }
        }
        let id_column = self.layout.id.column().filter(|_| response.id.is_empty());
        if let Some(column) = id_column {
            problems.push(CellProblem {
                column: Some(self.headers[column].clone()),
                value: None,
                reason: "the candidate id is empty; expected an id".into(),
            });
        }
        if let Some(column) = self.not_an_address(&response.id) {
            problems.push(CellProblem {
                column: Some(self.headers[column].clone()),
                value: Some(shorten(&response.id).into_owned()),
                reason: "not an e-mail address, though the rows read first all held one, so this column is \
                         the id; expected an address (--id-column can name the column that numbers the responses \
                         instead, and then repeated submissions go unnoticed)"
                    .into(),
            });
        }
        response.answers.clear();
        response
            .answers
            .resize(self.questionnaire.items().len(), None);
        for &(column, item) in &self.layout.item_columns {
            if let Some(answer) = self
                .labels
                .parse_simple(record.bytes(column).unwrap_or_default())
            {
                response.answers[item] = answer;
                continue;
            }
            let cell = record.get(column).unwrap_or("");
            match self.labels.parse_text(cell) {
                Ok(answer) => response.answers[item] = answer,
                Err(reason) => problems.push(self.cell_problem(record, column, reason)),
            }
        }
        if !problems.is_empty() {
            return Err(Rejection {
                row: record.row,
                id: id_column.is_none().then(|| response.id.clone()),
                problems,
                superseded_by: None,
            });
        }
        let meta = &self.layout.meta;
        response.name.clear();
        match &self.layout.name {
            Some(NameColumns::Whole { column, .. }) => {
                response.name.push_str(row.cell(Some(*column)));
            }
            Some(NameColumns::FirstLast { first, last, .. }) => {
                let (first, last) = (row.cell(Some(*first)), row.cell(Some(*last)));
                response.name.push_str(first);
                if !first.is_empty() && !last.is_empty() {
                    response.name.push(' ');
                }
                response.name.push_str(last);
            }
            None => {}
        }
        response.row = record.row;
        response.submitted = timestamp::parse(row.cell(meta.submitted), self.layout.dates.order());
        // A row cut short (fewer cells than the header) is as unfinished as one the tool marks so.
        response.complete =
            !identity::unfinished(row.cell(meta.finished)) && record.len() >= self.layout.fields;
        response.seconds = row.seconds();
        Ok(())
    }

    /// The id column, when ids must be e-mail addresses
    /// ([`Layout::address_ids`]) and `id` is not one (an empty id has its own problem).
    fn not_an_address(&self, id: &str) -> Option<usize> {
        let wanted = self.layout.address_ids && !id.is_empty() && !id.contains('@');
        self.layout.id.column().filter(|_| wanted)
    }

    fn cell_problem(&self, record: &Record<'_>, column: usize, reason: String) -> CellProblem {
        CellProblem {
            column: Some(self.headers[column].clone()),
            value: record.get(column).map(|c| shorten(c).into_owned()),
            reason,
        }
    }

    /// A line break inside an answer cell or the id. No form tool writes one
    /// into an answer, so there a quote opened in this row was almost
    /// certainly never closed, and the lines after it were read as part of
    /// the cell; so too in an id cell that also holds the delimiter (the
    /// lines swallowed were rows). Otherwise a line break in the id is a
    /// legal quoted one (`"id⏎one"`), and the reason says only what is
    /// certain: an id must be on one line.
    fn line_break(&self, record: &Record<'_>) -> Option<CellProblem> {
        // Most records have no line break at all: one search rules that out.
        memchr::memchr2(b'\n', b'\r', record.text().as_bytes())?;
        let id = self.layout.id.column();
        let columns = (id.into_iter()).chain(self.layout.item_columns.iter().map(|&(c, _)| c));
        let (column, cell) = columns
            .filter_map(|c| record.get(c).map(|cell| (c, cell)))
            .max_by_key(|(_, cell)| cell.matches('\n').count())
            .filter(|(_, cell)| cell.contains(['\n', '\r']))?;
        let reason = if Some(column) == id && !cell.contains(self.layout.delimiter) {
            "the candidate id holds a line break; expected an id on one line".to_string()
        } else {
            let lines = cell.matches('\n').count().max(1);
            format!(
                "a quote in this row is never closed, so the next {lines} line(s) of the file were read into this cell \
                 and are not scored; expected a closing quote (fix the file and run again)"
            )
        };
        Some(self.cell_problem(record, column, reason))
    }

    /// Problems of the row as a whole: a line break where none belongs, a
    /// field count other than the header's, undecodable bytes, a preview response.
    fn row_problems(&self, row: &Row<'_, '_>) -> Vec<CellProblem> {
        let record = row.record;
        let mut problems: Vec<CellProblem> = self.line_break(record).into_iter().collect();
        if record.len() != self.layout.fields {
            problems.extend(self.field_count(record));
        }
        if record.replaced {
            problems.extend(self.undecodable(record));
        }
        let status = self.layout.meta.status;
        if status.is_some() && identity::preview(row.cell(status)) {
            problems.push(CellProblem {
                column: status.map(|c| self.headers[c].clone()),
                value: Some(row.cell(status).to_string()),
                reason: "a Qualtrics survey preview, not a candidate's response".into(),
            });
        }
        problems
    }

    /// A row with more or fewer fields than the header: unless the user
    /// asked to pad short rows (and the extra fields, if any, are empty),
    /// there is no telling which field is missing or extra, so the answers
    /// after it may sit in the wrong columns.
    fn field_count(&self, record: &Record<'_>) -> Option<CellProblem> {
        let (fields, header) = (record.len(), self.layout.fields);
        let extra_filled = (header..fields)
            .filter_map(|c| record.get(c))
            .any(|f| !f.trim().is_empty());
        if self.layout.pad_short_rows && !extra_filled {
            return None;
        }
        let hint = if fields < header && !self.layout.pad_short_rows {
            " (--pad-short-rows reads a short row as if its last fields were empty, for tools that drop them)"
        } else {
            ""
        };
        Some(CellProblem {
            column: None,
            value: None,
            reason: format!(
                "row {} has {fields} fields, the header {header}: answers may have shifted into the wrong columns; \
                 expected one field per header column{hint}",
                record.row
            ),
        })
    }

    /// The cells of columns that are read that hold U+FFFD, which stands
    /// for bytes the decoder could not read. In a column that is not read
    /// they do no harm, and would cost a candidate over a name or a
    /// comment: they are only counted.
    fn undecodable(&self, record: &Record<'_>) -> Vec<CellProblem> {
        let (used, unused): (Vec<_>, Vec<_>) = (record.iter().enumerate())
            .filter(|(_, c)| c.contains('\u{fffd}'))
            .partition(|&(column, _)| self.used.get(column).copied().unwrap_or(true));
        if let Some(&(column, _)) = unused.first() {
            self.unread_undecodable.0.fetch_add(1, Ordering::Relaxed);
            self.unread_undecodable
                .1
                .fetch_min(column, Ordering::Relaxed);
        }
        (used.into_iter())
            .map(|(column, cell)| {
                let reason = format!(
                    "the cell holds bytes that are not valid {}; expected text in that encoding (choose another with --encoding)",
                    self.layout.encoding
                );
                let column = column.min(self.headers.len().saturating_sub(1));
                let mut problem = self.cell_problem(record, column, reason);
                problem.value = Some(shorten(cell).into_owned());
                problem
            })
            .collect()
    }
}

/// A record with the layout that says which cell is which.
struct Row<'a, 'r> {
    record: &'a Record<'r>,
    layout: &'a Layout,
}

impl Row<'_, '_> {
    /// A cell, trimmed; empty when there is no such column or the row is short.
    fn cell(&self, column: Option<usize>) -> &str {
        column.and_then(|c| self.record.get(c)).unwrap_or("").trim()
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
        let order = self.layout.dates.order();
        let start = timestamp::parse(self.cell(meta.started), order)?;
        let end = timestamp::parse(self.cell(meta.submitted), order)?;
        (end >= start).then(|| (end - start) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use crate::ingest::layout::LOOKAHEAD_ROWS;

    /// A plain file with the first `n` item columns filled by `cells`.
    fn plain(rows: &[&str]) -> String {
        let q = builtin::questionnaire().unwrap();
        let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
        format!("candidate_id,{}\n{}", ids.join(","), rows.join(""))
    }

    /// Options that pad short rows: most tests here write only the cells they need.
    fn padded() -> ReadOptions {
        ReadOptions {
            pad_short_rows: true,
            ..ReadOptions::lenient()
        }
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
        let text = "candidate_id,note,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n\
                    a,,4,,,,,,\n\n\
                    b,\"two\nlines\",4,,,,,,\n\
                    c,,4,,,,,,\n";
        for text in [text.to_string(), text.replace('\n', "\r\n")] {
            let (_, rows) = read_all(text.as_bytes(), &padded());
            let numbers: Vec<u64> = rows.iter().map(|r| r.as_ref().unwrap().row).collect();
            assert_eq!(numbers, [2, 4, 5], "{text:?}");
        }
    }

    /// Every row of `bytes` read in batches of `batch` and parsed into one reused Response.
    fn read_chunked(bytes: &[u8], batch: usize) -> Vec<Result<Response, Rejection>> {
        let q = builtin::questionnaire().unwrap();
        let mut reader = ResponseReader::new(bytes, &q, &padded(), "t.csv").unwrap();
        let (source, parser) = reader.split();
        let mut response = Response::default();
        let mut rows = Vec::new();
        loop {
            let mut records = Records::default();
            let more = source.fill(&mut records, batch, usize::MAX).unwrap();
            for record in records.iter() {
                let record = record.unwrap();
                rows.push(
                    parser
                        .parse_into(&record, &mut response)
                        .map(|()| response.clone()),
                );
            }
            if !more {
                return rows;
            }
        }
    }

    #[test]
    fn chunked_parsing_gives_what_next_row_gives() {
        // Row 2 full; row 3 holds a quote that closes only on the next line
        // (which it swallows: one row, as a spreadsheet shows it); row 4 is
        // short; row 5 has a bad label and no id.
        let text = "candidate_id,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n\
                    a,5,4,3,2,1,2,3\n\
                    b,\"4,3\n\
                    c\",1,1,1,1,1,1\n\
                    d,2\n\
                    ,Often,3,3,3,3,3,3\n";
        let (_, expected) = read_all(text.as_bytes(), &padded());
        for batch in [1, 2, 100] {
            let rows = read_chunked(text.as_bytes(), batch);
            assert_eq!(rows, expected, "batches of {batch}");
        }
        let unclosed = expected[1].as_ref().unwrap_err();
        assert_eq!((unclosed.row, unclosed.id.as_deref()), (3, Some("b")));
        assert!(
            unclosed.problems[0]
                .reason
                .starts_with("a quote in this row is never closed, so the next 1 line(s)"),
            "{unclosed:?}"
        );
        // The reused Response does not carry row 2's answers into short row 4.
        let short = expected[2].as_ref().unwrap();
        assert_eq!((short.row, short.id.as_str()), (4, "d"));
        assert_eq!(short.answers.iter().flatten().count(), 1);
        assert!(!short.complete);
        let bad = expected[3].as_ref().unwrap_err();
        assert_eq!((bad.row, bad.id.as_deref()), (5, None));
        assert_eq!(
            bad.problems
                .iter()
                .map(|p| p.column.as_deref())
                .collect::<Vec<_>>(),
            [Some("candidate_id"), Some("TR01")]
        );
    }

    #[test]
    fn a_quoted_line_break_in_the_id_is_named_as_such() {
        // Row 2's id is a legal quoted "id\none" (RFC 4180): the quote is
        // closed, so the reason must not say otherwise. Row 3 (a line break
        // in a note nobody scores; a spreadsheet shows each record as one
        // row) is read as usual.
        let text = "candidate_id,note,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n\
                    \"id\none\",x,4,4\n\
                    b,\"two\nlines\",3,3\n";
        let (_, rows) = read_all(text.as_bytes(), &padded());
        let rejection = rows[0].as_ref().unwrap_err();
        assert_eq!(rejection.row, 2);
        assert_eq!(
            rejection.problems,
            [CellProblem {
                column: Some("candidate_id".into()),
                value: Some("id\none".into()),
                reason: "the candidate id holds a line break; expected an id on one line".into(),
            }]
        );
        let kept = rows[1].as_ref().unwrap();
        assert_eq!((kept.row, kept.id.as_str()), (3, "b"));
    }

    #[test]
    fn undecodable_bytes_are_rejected_through_chunks_too() {
        // UTF-8 (two well-formed "ë"/"ü" outweigh two stray 0xFF); a literal
        // U+FFFD in a file with no bad byte is text like any other.
        let header = "candidate_id,note,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n";
        let mut bad = format!("{header}a,Zoë Jürgen,4\n").into_bytes();
        bad.extend(b"b\xff,x,4\n");
        let clean = format!("{header}a,x,\u{fffd}\n");
        for (bytes, batch) in [(&bad[..], 1), (&bad[..], 10), (clean.as_bytes(), 1)] {
            let (_, expected) = read_all(bytes, &padded());
            assert_eq!(read_chunked(bytes, batch), expected);
        }
        let rows = read_chunked(&bad, 10);
        assert!(rows[0].is_ok());
        let problem = &rows[1].as_ref().unwrap_err().problems[0];
        assert_eq!(
            (problem.column.as_deref(), problem.value.as_deref()),
            (Some("candidate_id"), Some("b\u{fffd}"))
        );
        assert!(problem
            .reason
            .starts_with("the cell holds bytes that are not valid utf-8"));
        // The literal U+FFFD is not a response label, and said so as such.
        let rows = read_chunked(clean.as_bytes(), 1);
        let literal = &rows[0].as_ref().unwrap_err().problems[0];
        assert!(
            literal
                .reason
                .starts_with("'\u{fffd}' is not a response label"),
            "{literal:?}"
        );
    }

    #[test]
    fn undecodable_bytes_in_a_column_not_read_keep_the_row() {
        // Row 3's note (not read) holds 0xFF after a valid "ü"; row 4 has
        // one in its id. Only row 4 is rejected; row 3 is counted.
        let header = "candidate_id,note,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n";
        let mut bytes = format!("{header}a,Zoë Jürgen,4\n").into_bytes();
        bytes.extend(b"b,M\xfcller,4\nc\xff,x,4\n");
        let q = builtin::questionnaire().unwrap();
        let utf8 = ReadOptions {
            encoding: Some(encoding_rs::UTF_8),
            ..padded()
        };
        let mut reader = ResponseReader::new(&bytes[..], &q, &utf8, "t").unwrap();
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row().unwrap() {
            rows.push(row);
        }
        let kept = rows[1].as_ref().unwrap();
        assert_eq!(
            (kept.row, kept.id.as_str(), kept.answers[0]),
            (3, "b", Some(4))
        );
        let rejected = rows[2].as_ref().unwrap_err();
        assert_eq!(
            (rejected.row, rejected.problems[0].column.as_deref()),
            (4, Some("candidate_id"))
        );
        assert_eq!(
            reader.notes(),
            ["1 row(s) hold bytes that are not valid utf-8 in columns that are not scored (the first: 'note'); \
              the rows were scored all the same (--encoding chooses another encoding)"]
        );
    }

    #[test]
    fn one_date_order_for_the_column_decided_from_rows_read_ahead() {
        // Rows 2 and 3 read either way; row 5 (after a blank line) can only
        // be day first, so row 2 is 10 June, not 6 October.
        let text = "candidate_id,Timestamp,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n\
                    a,10/06/2024 09:00,4\n\
                    b,11/06/2024 09:00,4\n\n\
                    c,13/06/2024 09:00,4\n";
        let (layout, rows) = read_all(text.as_bytes(), &padded());
        assert_eq!(layout.dates.order(), DateOrder::DayFirst);
        assert_eq!(layout.dates.first_rows, None);
        let rows: Vec<Response> = rows.into_iter().map(Result::unwrap).collect();
        assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 3, 5]);
        // 2024-06-10 09:00 UTC = 1,717,977,600 + 9 × 3,600.
        assert_eq!(rows[0].submitted, Some(1_717_977_600 + 32_400));
        assert_eq!(
            read_chunked(text.as_bytes(), 1),
            read_all(text.as_bytes(), &padded()).1
        );
        // The user's order wins, and makes 13/06 unreadable.
        let mdy = ReadOptions {
            date_order: Some(DateOrder::MonthFirst),
            ..padded()
        };
        let (layout, rows) = read_all(text.as_bytes(), &mdy);
        assert!(
            !layout.notes()[0].starts_with("column"),
            "{:?}",
            layout.notes()
        );
        let submitted: Vec<Option<i64>> =
            rows.iter().map(|r| r.as_ref().unwrap().submitted).collect();
        // 6 October 2024 is 118 days after 10 June.
        assert_eq!(
            submitted,
            [
                Some(1_717_977_600 + 118 * 86_400 + 32_400),
                Some(1_717_977_600 + 149 * 86_400 + 32_400),
                None
            ]
        );
    }

    #[test]
    fn dates_beyond_the_rows_read_ahead_are_read_in_the_order_decided() {
        // 10,000 rows that read either way, then one that can only be day first.
        let mut text = String::from("candidate_id,Timestamp,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n");
        for n in 0..LOOKAHEAD_ROWS {
            text.push_str(&format!("c{n},05/07/2024 09:00,4\n"));
        }
        text.push_str("late,13/07/2024 09:00,4\n");
        let (layout, rows) = read_all(text.as_bytes(), &padded());
        assert_eq!(layout.dates.order(), DateOrder::MonthFirst);
        assert_eq!(layout.dates.first_rows, Some(LOOKAHEAD_ROWS));
        assert_eq!(
            layout.notes()[0],
            "column 'Timestamp': dates such as 05/07/2024 could be day-first or month-first \
             (every date of the first 10000 rows could, which decided it); \
             read as month-first (use --date-order dmy to change)"
        );
        assert_eq!(rows.len(), LOOKAHEAD_ROWS + 1);
        let late = rows[LOOKAHEAD_ROWS].as_ref().unwrap();
        assert_eq!((late.row, late.submitted), (10_002, None));
    }

    #[test]
    fn a_row_too_long_among_those_read_ahead_stops_the_reading_in_its_turn() {
        // Reading ahead for the dates meets row 4, over the record limit: the
        // header is still resolved, rows 2 and 3 are read, and row 4 is the
        // error it would have been without reading ahead.
        let long = "x".repeat(crate::limits::MAX_RECORD_BYTES);
        let text = format!(
            "candidate_id,Timestamp,note,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n\
             a,10/06/2024 09:00,,4\nb,11/06/2024 09:00,,4\nc,12/06/2024 09:00,{long},4\n"
        );
        let q = builtin::questionnaire().unwrap();
        let mut reader = ResponseReader::new(text.as_bytes(), &q, &padded(), "t.csv").unwrap();
        for (row, id) in [(2, "a"), (3, "b")] {
            let read = reader.next_row().unwrap().unwrap().unwrap();
            assert_eq!((read.row, read.id.as_str()), (row, id));
        }
        let error = reader.next_row().unwrap_err();
        assert_eq!(error.to_string(), "t.csv: cannot parse CSV at record 4");
        let cause = std::error::Error::source(&error).map(ToString::to_string);
        assert!(cause.is_some_and(|c| c.contains("longer than 1048576 bytes")));
    }

    #[test]
    fn rows_of_another_width_than_the_header_are_rejected_unless_padding_is_asked_for() {
        // 85 header fields. Row 2 has 3 (its last 82 dropped), row 3 has 86
        // with the 86th empty (a trailing delimiter), row 4 has 86 with the
        // 86th filled, row 5 has all 85.
        let full = vec!["3"; 84].join(",");
        let text = plain(&[
            "ann,4,2\n",
            &format!("bob,{full},\n"),
            &format!("cy,{full},5\n"),
            &format!("di,{full}\n"),
        ]);
        let (_, rows) = read_all(text.as_bytes(), &ReadOptions::default());
        let reasons: Vec<&str> = rows[..3]
            .iter()
            .map(|r| r.as_ref().unwrap_err().problems[0].reason.as_str())
            .collect();
        assert_eq!(
            reasons,
            [
                "row 2 has 3 fields, the header 85: answers may have shifted into the wrong columns; \
                 expected one field per header column (--pad-short-rows reads a short row as if its last \
                 fields were empty, for tools that drop them)",
                "row 3 has 86 fields, the header 85: answers may have shifted into the wrong columns; \
                 expected one field per header column",
                "row 4 has 86 fields, the header 85: answers may have shifted into the wrong columns; \
                 expected one field per header column",
            ]
        );
        assert_eq!(rows[0].as_ref().unwrap_err().id.as_deref(), Some("ann"));
        assert_eq!(rows[3].as_ref().unwrap().id, "di");
        // Padded: row 2 has two answers and is incomplete; row 3's empty 86th
        // field is dropped; row 4's filled one still rejects it.
        let (_, rows) = read_all(text.as_bytes(), &padded());
        let response = rows[0].as_ref().unwrap();
        assert_eq!(response.answers[..3], [Some(4), Some(2), None]);
        assert_eq!(response.answers.iter().filter(|a| a.is_some()).count(), 2);
        assert!(!response.complete);
        assert!(rows[1].as_ref().is_ok_and(|r| r.complete));
        assert!(rows[2].is_err() && rows[3].is_ok());
    }

    #[test]
    fn utf16_with_bom_and_tabs() {
        let text = plain(&["ann\t5\n"]).replace(',', "\t");
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (layout, rows) = read_all(&bytes, &padded());
        assert_eq!(
            (layout.encoding.as_str(), layout.delimiter),
            ("utf-16le", '\t')
        );
        assert_eq!(rows[0].as_ref().unwrap().answers[0], Some(5));
    }

    #[test]
    fn sep_line_is_not_a_row() {
        let text = format!("sep=;\n{}", plain(&["ann;3\n"]).replace(',', ";"));
        let (layout, rows) = read_all(text.as_bytes(), &padded());
        assert!(layout.sep_line);
        assert_eq!(rows[0].as_ref().unwrap().row, 2);
    }

    #[test]
    fn row_numbers_are_ids_without_an_id_column() {
        let text = plain(&["5,4\n"]).replace("candidate_id,", "");
        let (layout, rows) = read_all(text.as_bytes(), &padded());
        assert_eq!(layout.id_column(), None);
        assert!(layout.notes()[0].starts_with("no id column found"));
        assert_eq!(rows[0].as_ref().unwrap().id, "2");
    }

    #[test]
    fn header_problems_are_errors() {
        let q = builtin::questionnaire().unwrap();
        let empty = ResponseReader::new(&b""[..], &q, &padded(), "e.csv");
        assert!(matches!(empty, Err(ReadError::Empty { .. })));
        let no_items = ResponseReader::new(&b"candidate_id,x\n"[..], &q, &padded(), "n.csv");
        let message = no_items.err().unwrap().to_string();
        assert!(
            message
                .starts_with("n.csv: header row: no column for any item of scale(s) trust, tact,"),
            "{message}"
        );
    }
}
