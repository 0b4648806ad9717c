//! Where a response file's text comes from: its own bytes, or, when its
//! first bytes open a workbook, the chosen sheet as CSV text. Either way the
//! layout reader then sees text; the [`Workbook`] says which sheet it was.

use std::io::Read;

use serde::Serialize;

use super::{read_sheet, sniff, Sniffed, WorkbookError, WorkbookKind};
use crate::error::ReadError;
use crate::ingest::decode;
use crate::response::ReadOptions;

/// Where in a workbook the rows were read.
#[derive(Debug, Clone, Serialize)]
pub struct Workbook {
    /// The workbook's kind.
    pub kind: WorkbookKind,
    /// The sheet read.
    pub sheet: String,
    /// Every sheet of the workbook, in order.
    pub sheets: Vec<String>,
    /// Empty rows above the first used one (the header's row is this + 1).
    pub rows_above: u32,
}

impl Workbook {
    /// A note when the workbook has other sheets than the one read.
    pub fn note(&self) -> Option<String> {
        (self.sheets.len() > 1).then(|| {
            format!(
                "read sheet '{}' of the {} workbook's {} sheets ({}); use --sheet NAME to read another",
                self.sheet,
                self.kind.extension(),
                self.sheets.len(),
                self.sheets.join(", ")
            )
        })
    }
}

/// The start of the input and the rest: its first bytes when it is text,
/// else the chosen sheet as CSV text (the input then read to its end).
///
/// # Errors
/// [`ReadError::Io`] when the first bytes cannot be read;
/// [`ReadError::Workbook`] when the workbook cannot be read, or a sheet is
/// asked of a text file.
pub fn workbook_or_text<R: Read>(
    mut input: R,
    options: &ReadOptions,
    file: &str,
) -> Result<(Vec<u8>, R, Option<Workbook>), ReadError> {
    let workbook_error = |problem| ReadError::Workbook {
        file: file.to_string(),
        problem,
    };
    let prefix = decode::read_prefix(&mut input).map_err(|source| ReadError::Io {
        file: file.to_string(),
        source,
    })?;
    let kind = match sniff(&prefix, file).map_err(workbook_error)? {
        Sniffed::Text => {
            return match &options.sheet {
                Some(wanted) => Err(workbook_error(WorkbookError::SheetOfText {
                    wanted: wanted.clone(),
                })),
                None => Ok((prefix, input, None)),
            }
        }
        Sniffed::Workbook(kind) => kind,
    };
    let sheet =
        read_sheet(prefix, &mut input, kind, options.sheet.as_deref()).map_err(workbook_error)?;
    let workbook = Workbook {
        kind,
        sheet: sheet.sheet,
        sheets: sheet.sheets,
        rows_above: sheet.rows_above,
    };
    Ok((sheet.csv, input, Some(workbook)))
}
