//! A sheet's used cells written as CSV text, one line per spreadsheet row,
//! every row as wide as the sheet's used columns.

use super::{CellText, WorkbookError};
use crate::limits::{MAX_COLUMNS, MAX_RECORD_BYTES};

/// Writes the cells as CSV, one line per spreadsheet row from the first used
/// one, each row as wide as the sheet's used columns. Returns the number of
/// rows above the first used one.
pub(super) fn write_csv(
    mut cells: Vec<CellText>,
    sheet: &str,
) -> Result<(u32, Vec<u8>), WorkbookError> {
    cells.sort_by_key(|&(row, column, _)| (row, column));
    let Some(&(top, _, _)) = cells.first() else {
        return Ok((0, Vec::new()));
    };
    let left = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let right = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let width = u64::from(right - left) + 1;
    if width > MAX_COLUMNS as u64 {
        return Err(WorkbookError::TooWide {
            sheet: sheet.to_string(),
            columns: width,
        });
    }
    let mut out = Vec::new();
    let mut fields = vec![""; width as usize];
    let mut next_row = top;
    for row_cells in cells.chunk_by(|a, b| a.0 == b.0) {
        let row = row_cells[0].0;
        // Empty rows inside the data stay as blank lines, so rows keep their numbers.
        out.resize(out.len() + (row - next_row) as usize, b'\n');
        fields.iter_mut().for_each(|f| *f = "");
        for (_, column, text) in row_cells {
            fields[(column - left) as usize] = text;
        }
        let before = out.len();
        write_row(&mut out, &fields);
        if out.len() - before > MAX_RECORD_BYTES {
            return Err(WorkbookError::RowTooLong {
                sheet: sheet.to_string(),
                row: u64::from(row) + 1,
            });
        }
        next_row = row + 1;
    }
    Ok((top, out))
}

/// One CSV line (RFC 4180): a field holding a comma, quote or line break is
/// quoted, its quotes doubled.
fn write_row(out: &mut Vec<u8>, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push(b'"');
            out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(field.as_bytes());
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_numbers_and_the_sheets_width() {
        // Used range B2:D4 with row 3 empty: rows 2 and 4 written, one blank line between.
        let cells = vec![
            (3, 3, "z".to_string()),
            (1, 1, "id".into()),
            (1, 3, "TR01".into()),
            (3, 1, "a, b".into()),
        ];
        let (above, text) = write_csv(cells, "S").unwrap();
        assert_eq!(above, 1);
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "id,,TR01\n\n\"a, b\",,z\n"
        );
    }

    #[test]
    fn too_wide_a_sheet_is_refused() {
        let cells = vec![(0, 0, "a".to_string()), (0, 10_000, "b".into())];
        let err = write_csv(cells, "S").unwrap_err();
        assert_eq!(
            err.to_string(),
            "sheet 'S' uses 10001 columns; expected at most 10000"
        );
    }
}
