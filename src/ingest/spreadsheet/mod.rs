//! Spreadsheet workbooks (`.xlsx`, `.xls`, `.ods`) read as response files:
//! Microsoft Forms' own download is an `.xlsx`, and SurveyMonkey and
//! Qualtrics offer one too.
//!
//! A workbook is recognised by its first bytes (a zip archive holding an
//! OpenDocument spreadsheet or an Office workbook; the OLE container of a
//! legacy `.xls`), so that stdin and a misnamed file work; a file named like
//! a zip workbook that is not one fails with a message saying so. One sheet
//! (the first, or the one named) is turned into CSV text, which then goes
//! through exactly the reader every CSV export goes through — format, id
//! column, label and date handling all apply unchanged — so this module
//! owns only the conversion, never what the cells mean. The streaming CSV
//! path is untouched: only a file that begins like a workbook comes here.
//!
//! Cells become the text a CSV export of the sheet would hold: a whole
//! number stored as a float (`4.0`) is `4`, so long numeric ids keep every
//! digit; a date cell is `2024-06-10 07:48:07`, a timestamp the CSV path
//! reads; booleans are `TRUE`/`FALSE`; a formula gives its cached value.
//! Rows keep their spreadsheet numbers (empty rows inside the data become
//! blank lines, which the reader counts), and every row has the sheet's
//! full width, so a candidate's empty last answers can never shift cells.
//!
//! Limits: the workbook is read whole, at most [`MAX_WORKBOOK_BYTES`]; the
//! sheet as text may be at most [`MAX_SHEET_TEXT_BYTES`]; a row may have at
//! most [`MAX_COLUMNS`] columns and [`MAX_RECORD_BYTES`] bytes, as a CSV
//! row may.

use std::io::{Cursor, Read, Seek};
use std::panic::AssertUnwindSafe;
use std::path::Path;

use calamine::{Data, Ods, Reader, Xls, Xlsx};

mod cell;
mod source;
mod text;
mod xls;

pub use cell::cell_text;
pub use source::{workbook_or_text, Workbook};
use text::write_csv;
use xls::{ole_chains_end, xls_dimensions_fit};

use crate::limits::{MAX_COLUMNS, MAX_RECORD_BYTES};

/// Largest workbook read, in bytes (256 MiB). A 50,000-applicant export of
/// a 100-item form is a few tens of MB.
pub const MAX_WORKBOOK_BYTES: u64 = 256 << 20;

/// Largest sheet as CSV text, in bytes (512 MiB): it is held in memory
/// while it is read.
pub const MAX_SHEET_TEXT_BYTES: usize = 512 << 20;

/// The kinds of workbook read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkbookKind {
    /// Office Open XML (`.xlsx`, `.xlsm`): a zip archive.
    Xlsx,
    /// Legacy Excel 97–2003 (`.xls`): an OLE compound file.
    Xls,
    /// OpenDocument spreadsheet (`.ods`): a zip archive.
    Ods,
}

impl WorkbookKind {
    /// The usual file extension, with its dot.
    pub fn extension(self) -> &'static str {
        match self {
            WorkbookKind::Xlsx => ".xlsx",
            WorkbookKind::Xls => ".xls",
            WorkbookKind::Ods => ".ods",
        }
    }

    /// The kind a file name's extension names.
    pub fn from_name(file: &str) -> Option<WorkbookKind> {
        let extension = Path::new(file).extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" | "xlsm" => Some(WorkbookKind::Xlsx),
            "xls" => Some(WorkbookKind::Xls),
            "ods" => Some(WorkbookKind::Ods),
            _ => None,
        }
    }
}

/// The OLE compound-file signature that opens every `.xls`.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// A zip archive's local file header.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// An OpenDocument file's first zip entry is `mimetype`, stored
/// uncompressed, so its media type is readable within the first bytes.
const ODS_MEDIA_TYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// What a file's first bytes (and its name) say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Text, for the CSV reader.
    Text,
    /// A workbook of this kind.
    Workbook(WorkbookKind),
}

/// Decides from the first bytes whether `prefix` opens a workbook; the name
/// only matters when the bytes do not say (a zip-based workbook name on a
/// file that is no zip archive is an error, not text).
///
/// # Errors
/// [`WorkbookError::NotAWorkbook`] for a file named `.xlsx`/`.ods` that is
/// not a zip archive, or a zip archive that is no workbook.
pub fn sniff(prefix: &[u8], file: &str) -> Result<Sniffed, WorkbookError> {
    let named = WorkbookKind::from_name(file);
    if prefix.starts_with(OLE_MAGIC) {
        return Ok(Sniffed::Workbook(WorkbookKind::Xls));
    }
    if prefix.starts_with(ZIP_MAGIC) {
        let head = &prefix[..prefix.len().min(128)];
        if head
            .windows(ODS_MEDIA_TYPE.len())
            .any(|w| w == ODS_MEDIA_TYPE)
        {
            return Ok(Sniffed::Workbook(WorkbookKind::Ods));
        }
        return Ok(Sniffed::Workbook(WorkbookKind::Xlsx));
    }
    match named {
        // A legacy `.xls` name is also given to text (HTML or tab-separated) by some tools.
        Some(kind @ (WorkbookKind::Xlsx | WorkbookKind::Ods)) => Err(WorkbookError::NotAWorkbook {
            kind,
            found: "its first bytes are not a zip archive's; if it holds CSV text, name it .csv",
        }),
        _ => Ok(Sniffed::Text),
    }
}

/// Why a workbook could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The file is not the workbook its name or first bytes promise.
    #[error("not a {} workbook: {found}", kind.extension())]
    NotAWorkbook {
        /// The kind expected.
        kind: WorkbookKind,
        /// What was found instead.
        found: &'static str,
    },
    /// The workbook's contents could not be read.
    #[error("cannot read the {} workbook: {reason}", kind.extension())]
    Unreadable {
        /// Its kind.
        kind: WorkbookKind,
        /// Why, as the workbook reader says (shown inline: one line says it all).
        reason: calamine::Error,
    },
    /// The workbook reader gave up on the file's structure.
    #[error("the {} workbook is malformed: its structure cannot be read", kind.extension())]
    Malformed {
        /// Its kind.
        kind: WorkbookKind,
    },
    /// The workbook holds no sheet.
    #[error("the workbook has no sheet")]
    NoSheet,
    /// `--sheet` named a sheet the workbook does not have.
    #[error("no sheet named '{wanted}'; expected one of: {}", available.join(", "))]
    NoSuchSheet {
        /// The name asked for.
        wanted: String,
        /// The workbook's sheets, in order.
        available: Vec<String>,
    },
    /// A sheet was named, but the file is text.
    #[error("--sheet '{wanted}' was given, but the file is text (CSV), not a workbook")]
    SheetOfText {
        /// The name asked for.
        wanted: String,
    },
    /// The workbook is larger than [`MAX_WORKBOOK_BYTES`].
    #[error("the workbook is larger than {MAX_WORKBOOK_BYTES} bytes, the most read")]
    TooLarge,
    /// The sheet as text is larger than [`MAX_SHEET_TEXT_BYTES`].
    #[error("sheet '{sheet}' holds more than {MAX_SHEET_TEXT_BYTES} bytes of text, the most read")]
    TooMuchText {
        /// The sheet.
        sheet: String,
    },
    /// A used cell lies beyond [`MAX_COLUMNS`] columns.
    #[error("sheet '{sheet}' uses {columns} columns; expected at most {MAX_COLUMNS}")]
    TooWide {
        /// The sheet.
        sheet: String,
        /// Columns from the first used one to the last.
        columns: u64,
    },
    /// A row is longer than [`MAX_RECORD_BYTES`] as text.
    #[error(
        "sheet '{sheet}', row {row}: longer than {MAX_RECORD_BYTES} bytes, the most a row may have"
    )]
    RowTooLong {
        /// The sheet.
        sheet: String,
        /// The row as the spreadsheet numbers it.
        row: u64,
    },
}

/// A sheet turned into CSV text.
#[derive(Debug, Clone)]
pub struct SheetText {
    /// The workbook's kind.
    pub kind: WorkbookKind,
    /// The sheet read.
    pub sheet: String,
    /// Every sheet of the workbook, in order.
    pub sheets: Vec<String>,
    /// Rows above the first used one, which the text leaves out.
    pub rows_above: u32,
    /// The sheet as comma-separated UTF-8 text.
    pub csv: Vec<u8>,
}

/// Reads the rest of `input` after `prefix` (at most [`MAX_WORKBOOK_BYTES`]
/// in all) and turns `sheet` (else the first) into CSV text.
///
/// # Errors
/// [`WorkbookError`] as the variants say; an I/O error reading `input` is
/// [`WorkbookError::Unreadable`].
pub fn read_sheet(
    prefix: Vec<u8>,
    input: impl Read,
    kind: WorkbookKind,
    sheet: Option<&str>,
) -> Result<SheetText, WorkbookError> {
    let mut bytes = prefix;
    let room = MAX_WORKBOOK_BYTES.saturating_sub(bytes.len() as u64);
    input
        .take(room.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| WorkbookError::Unreadable {
            kind,
            reason: calamine::Error::Io(e),
        })?;
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(WorkbookError::TooLarge);
    }
    if kind == WorkbookKind::Xls && !(xls_dimensions_fit(&bytes) && ole_chains_end(&bytes)) {
        return Err(WorkbookError::Malformed { kind });
    }
    // calamine panics on some malformed files (an `.xls` whose dimensions
    // record ends before it starts asks for an impossible allocation): such
    // a file is unreadable, not a crash.
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| sheet_cells(bytes, kind, sheet)));
    let (sheets, name, cells) = read.map_err(|_| WorkbookError::Malformed { kind })??;
    let (rows_above, csv) = write_csv(cells, &name)?;
    Ok(SheetText {
        kind,
        sheet: name,
        sheets,
        rows_above,
        csv,
    })
}

/// The workbook's sheets, the one chosen and its cells.
fn sheet_cells(
    bytes: Vec<u8>,
    kind: WorkbookKind,
    sheet: Option<&str>,
) -> Result<(Vec<String>, String, Vec<CellText>), WorkbookError> {
    let unreadable = |reason: calamine::Error| WorkbookError::Unreadable { kind, reason };
    let cursor = Cursor::new(bytes);
    Ok(match kind {
        WorkbookKind::Xlsx => {
            let mut book: Xlsx<_> = Xlsx::new(cursor).map_err(|e| unreadable(e.into()))?;
            let (sheets, name) = choose(book.sheet_names(), sheet)?;
            (sheets, name.clone(), xlsx_cells(&mut book, &name)?)
        }
        WorkbookKind::Xls => {
            let book: Xls<_> = Xls::new(cursor).map_err(|e| unreadable(e.into()))?;
            range_cells(book, sheet, |e| unreadable(e.into()))?
        }
        WorkbookKind::Ods => {
            let book: Ods<_> = Ods::new(cursor).map_err(|e| unreadable(e.into()))?;
            range_cells(book, sheet, |e| unreadable(e.into()))?
        }
    })
}

/// The workbook's sheets and the one to read.
fn choose(
    sheets: Vec<String>,
    wanted: Option<&str>,
) -> Result<(Vec<String>, String), WorkbookError> {
    let name = match wanted {
        None => sheets.first().cloned().ok_or(WorkbookError::NoSheet)?,
        Some(wanted) => sheets
            .iter()
            .find(|s| s.as_str() == wanted)
            .or_else(|| {
                sheets
                    .iter()
                    .find(|s| s.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .cloned()
            .ok_or_else(|| WorkbookError::NoSuchSheet {
                wanted: wanted.to_string(),
                available: sheets.clone(),
            })?,
    };
    Ok((sheets, name))
}

/// A used cell: row, column (both from 0) and its text.
type CellText = (u32, u32, String);

/// Cells as they are read, counted against [`MAX_SHEET_TEXT_BYTES`] so that
/// a sheet of a hundred million tiny cells stops early.
struct Collected {
    sheet: String,
    cells: Vec<CellText>,
    bytes: usize,
}

impl Collected {
    fn new(sheet: &str) -> Self {
        Collected {
            sheet: sheet.to_string(),
            cells: Vec::new(),
            bytes: 0,
        }
    }

    fn push(&mut self, (row, column): (u32, u32), value: &Data) -> Result<(), WorkbookError> {
        let text = cell_text(value);
        if text.is_empty() {
            return Ok(());
        }
        self.bytes += text.len() + 1;
        if self.bytes > MAX_SHEET_TEXT_BYTES {
            return Err(WorkbookError::TooMuchText {
                sheet: self.sheet.clone(),
            });
        }
        self.cells.push((row, column, text));
        Ok(())
    }
}

/// The cells of an `.xlsx` sheet, read one by one: never as the dense
/// rectangle calamine would allocate for a range, which a tiny file with
/// one cell at A1 and one at XFD1048576 would make 17 billion cells.
fn xlsx_cells<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
) -> Result<Vec<CellText>, WorkbookError> {
    let unreadable = |e: calamine::XlsxError| WorkbookError::Unreadable {
        kind: WorkbookKind::Xlsx,
        reason: e.into(),
    };
    let mut reader = book.worksheet_cells_reader(sheet).map_err(unreadable)?;
    let mut collected = Collected::new(sheet);
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        collected.push(cell.get_position(), &Data::from(cell.get_value().clone()))?;
    }
    Ok(collected.cells)
}

/// The chosen sheet's cells of an `.xls` or `.ods` workbook, through the
/// calamine range (these formats have no cell-by-cell reader).
fn range_cells<RS: Read + Seek, B: Reader<RS>>(
    mut book: B,
    wanted: Option<&str>,
    unreadable: impl Fn(B::Error) -> WorkbookError,
) -> Result<(Vec<String>, String, Vec<CellText>), WorkbookError> {
    let (sheets, name) = choose(book.sheet_names(), wanted)?;
    let range = book.worksheet_range(&name).map_err(unreadable)?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut collected = Collected::new(&name);
    for (row, column, value) in range.used_cells() {
        // Offsets within a range of at most u32 rows and columns.
        collected.push((top + row as u32, left + column as u32), value)?;
    }
    Ok((sheets, name, collected.cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bytes_decide_and_names_only_refuse() {
        let ods = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
        assert_eq!(
            sniff(ods, "-").unwrap(),
            Sniffed::Workbook(WorkbookKind::Ods)
        );
        assert_eq!(
            sniff(b"PK\x03\x04rest", "a.csv").unwrap(),
            Sniffed::Workbook(WorkbookKind::Xlsx)
        );
        assert_eq!(
            sniff(OLE_MAGIC, "-").unwrap(),
            Sniffed::Workbook(WorkbookKind::Xls)
        );
        assert_eq!(sniff(b"id,TR01\n", "a.xls").unwrap(), Sniffed::Text);
        let err = sniff(b"id,TR01\n", "answers.XLSX").unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a .xlsx workbook: its first bytes are not a zip archive's; if it holds CSV text, name it .csv"
        );
    }

    #[test]
    fn a_sheet_is_chosen_by_name_or_first() {
        let sheets = vec!["Form1".to_string(), "Notes".into()];
        assert_eq!(choose(sheets.clone(), None).unwrap().1, "Form1");
        assert_eq!(choose(sheets.clone(), Some("notes")).unwrap().1, "Notes");
        let err = choose(sheets, Some("Sheet1")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no sheet named 'Sheet1'; expected one of: Form1, Notes"
        );
        assert_eq!(
            choose(Vec::new(), None).unwrap_err().to_string(),
            "the workbook has no sheet"
        );
    }
}
