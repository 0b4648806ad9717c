//! A guard before calamine reads a legacy `.xls`: the sizes its DIMENSIONS
//! records declare, which calamine allocates for before reading a cell.

/// Cells an `.xls` sheet can have: 65,536 rows of 256 columns (BIFF8).
const XLS_MOST_CELLS: u64 = 65_536 * 256;

/// Whether every DIMENSIONS record (type 0x0200, 14 bytes) found in the
/// file's bytes describes a sheet an `.xls` can have. calamine reserves
/// room for rows × columns cells as the record says before reading any, and
/// a crafted record (its last row before its first, or 2³² rows) asks for
/// petabytes, which aborts the process rather than failing. The records are
/// looked for in the raw bytes, so one split across two sectors of the OLE
/// container is not seen; a real workbook's records pass.
pub(super) fn xls_dimensions_fit(bytes: &[u8]) -> bool {
    const HEADER: &[u8] = &[0x00, 0x02, 0x0E, 0x00];
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
    };
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&bytes[from..], HEADER) {
        let data = from + found + HEADER.len();
        let (first_row, last_row) = (u32_at(data), u32_at(data + 4));
        let (first_column, last_column) = (u16_at(data + 8), u16_at(data + 10));
        let rows = u64::from(last_row).saturating_sub(u64::from(first_row));
        let columns = u64::from(last_column).saturating_sub(u64::from(first_column.min(0xFF)));
        if last_row < first_row || rows.saturating_mul(columns.max(1)) > XLS_MOST_CELLS {
            return false;
        }
        from = data;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::spreadsheet::{read_sheet, WorkbookKind};

    #[test]
    fn an_xls_dimensions_record_beyond_a_sheet_is_refused() {
        // Record 0x0200 of 14 bytes: first row, last row + 1 (u32), first column, last column + 1 (u16).
        let record = |rows: (u32, u32), columns: (u16, u16)| {
            let mut bytes = vec![0x00, 0x02, 0x0E, 0x00];
            bytes.extend(rows.0.to_le_bytes());
            bytes.extend(rows.1.to_le_bytes());
            bytes.extend(columns.0.to_le_bytes());
            bytes.extend(columns.1.to_le_bytes());
            bytes.extend([0, 0]);
            bytes
        };
        // 65,536 rows × 256 columns is the most a sheet has.
        assert!(xls_dimensions_fit(&record((0, 65_536), (0, 256))));
        assert!(!xls_dimensions_fit(&record((10, 5), (0, 3))));
        assert!(!xls_dimensions_fit(&record((0, u32::MAX), (0, 200))));
        let err =
            read_sheet(record((10, 5), (0, 3)), &[][..], WorkbookKind::Xls, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the .xls workbook is malformed: its structure cannot be read"
        );
    }
}
