//! `results.xlsx`: the rows and columns of the results CSV as an Excel
//! workbook, for people who open results in Excel — which reads a CSV
//! without a byte-order mark in the machine's legacy code page and garbles
//! accented names. The CSV stays as it is (no mark): it is the file other
//! programs and `audit` read, byte for byte what `score` streams to stdout.
//!
//! Each line is the CSV renderer's own ([`LineRenderer`]), so the two files
//! cannot disagree; numbers become number cells (so Excel sorts them as
//! numbers), and the id, reasons and flags are written from the result as
//! string cells — never formulas, whatever they begin with, so they need
//! none of the CSV's neutralising apostrophes. The header row is frozen and
//! filtered. The worksheet is written in the writer's constant-memory mode
//! (rows go to a temporary file as they come), and the document's creation
//! time is fixed, so the same results give the same bytes.

use std::io::{self, Write};
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use super::csv::header;
use super::line::{LineFormat, LineRenderer};
use super::{ReportWriter, Run, Summary};
use crate::assessment::CandidateResult;
use crate::response::Rejection;

/// Rows an Excel worksheet holds, the header row included.
pub const MAX_SHEET_ROWS: u64 = 1_048_576;

/// Why `candidates` results cannot go in one worksheet (with the header
/// row), or `None` when they can.
pub fn too_many_rows(candidates: usize) -> Option<String> {
    let rows = candidates as u64 + 1;
    (rows > MAX_SHEET_ROWS).then(|| {
        format!(
            "{candidates} candidates and a header make {rows} rows, and a spreadsheet holds at most {MAX_SHEET_ROWS}"
        )
    })
}

/// Columns of the results CSV whose text comes from the candidate, not the engine.
const FROM_CANDIDATE: [&str; 3] = ["candidate_id", "validity_reasons", "flags"];

/// The results workbook writer.
pub struct XlsxReport<W: Write> {
    sink: W,
    book: Workbook,
    renderer: Option<LineRenderer>,
    line: Vec<u8>,
    columns: Vec<String>,
    row: u32,
}

impl<W: Write> XlsxReport<W> {
    /// Writes into `sink`, keeping the rows in a temporary file in `temp_dir` until the end.
    ///
    /// # Errors
    /// When no temporary file can be made in `temp_dir`.
    pub fn new(sink: W, temp_dir: &Path) -> io::Result<Self> {
        let mut book = Workbook::new();
        book.set_tempdir(temp_dir).map_err(xlsx_io)?;
        // A fixed creation time: the document properties would otherwise hold the clock's.
        let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_io)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
        book.add_worksheet_with_constant_memory()
            .set_name("results")
            .map_err(xlsx_io)?;
        Ok(XlsxReport {
            sink,
            book,
            renderer: None,
            line: Vec::new(),
            columns: Vec::new(),
            row: 0,
        })
    }

    /// Writes one cell: a number when the CSV field is one, else text.
    fn cell(&mut self, column: u16, field: &str, raw: Option<&str>) -> Result<(), XlsxError> {
        let sheet = self.book.worksheet_from_index(0)?;
        match (raw, field.parse::<f64>()) {
            (Some(text), _) => sheet.write_string(self.row, column, text).map(|_| ()),
            (None, Ok(number)) if number.is_finite() => {
                sheet.write_number(self.row, column, number).map(|_| ())
            }
            (None, _) if field.is_empty() => Ok(()),
            (None, _) => sheet.write_string(self.row, column, field).map(|_| ()),
        }
    }
}

impl<W: Write> ReportWriter for XlsxReport<W> {
    fn begin(&mut self, run: &Run<'_>) -> io::Result<()> {
        self.columns = header(run);
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_io)?;
        sheet.set_freeze_panes(1, 0).map_err(xlsx_io)?;
        for (column, name) in self.columns.iter().enumerate() {
            sheet
                .write_string(0, column as u16, name)
                .map_err(xlsx_io)?;
        }
        self.row = 1;
        self.renderer = Some(LineRenderer::new(LineFormat::Csv, run));
        Ok(())
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        if u64::from(self.row) >= MAX_SHEET_ROWS {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a worksheet holds at most {MAX_SHEET_ROWS} rows"),
            ));
        }
        let renderer = self
            .renderer
            .get_or_insert_with(|| LineRenderer::new(LineFormat::Csv, run));
        self.line.clear();
        self.line.extend_from_slice(rank.to_string().as_bytes());
        self.line.push(b',');
        renderer.render(result, &mut self.line)?;
        let record = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&self.line[..])
            .into_records()
            .next()
            .transpose()
            .map_err(io::Error::other)?
            .unwrap_or_default();
        let reasons = result.validity.reasons.join("; ");
        let flags = result.flags.join("; ");
        for (column, field) in record.iter().enumerate() {
            let raw = match self.columns.get(column).map(String::as_str) {
                Some(name) if name == FROM_CANDIDATE[0] => Some(result.id.as_str()),
                Some(name) if name == FROM_CANDIDATE[1] => Some(reasons.as_str()),
                Some(name) if name == FROM_CANDIDATE[2] => Some(flags.as_str()),
                _ => None,
            };
            self.cell(column as u16, field, raw.filter(|r| !r.is_empty()))
                .map_err(xlsx_io)?;
        }
        self.row += 1;
        Ok(())
    }

    fn finish(&mut self, _: &Run<'_>, _: &Summary, _: &[Rejection]) -> io::Result<()> {
        let last_column = self.columns.len().saturating_sub(1) as u16;
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_io)?;
        sheet
            .autofilter(0, 0, self.row.saturating_sub(1), last_column)
            .map_err(xlsx_io)?;
        let bytes = self.book.save_to_buffer().map_err(xlsx_io)?;
        self.sink.write_all(&bytes)?;
        self.sink.flush()
    }
}

/// The workbook writer's error as an I/O error, as every report writer returns.
fn xlsx_io(e: XlsxError) -> io::Error {
    match e {
        XlsxError::IoError(e) => e,
        other => io::Error::other(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_holds_a_header_and_1_048_575_candidates() {
        assert_eq!(too_many_rows(1_048_575), None);
        assert_eq!(
            too_many_rows(1_048_576).as_deref(),
            Some("1048576 candidates and a header make 1048577 rows, and a spreadsheet holds at most 1048576")
        );
    }
}
