//! Guards before calamine reads a legacy `.xls`, for what it would follow
//! without limit: the sizes its DIMENSIONS records declare (allocated before
//! a cell is read), and the sector chains of its OLE container (followed
//! until they end, so a chain that loops grows memory until the process
//! dies). Both found by fuzzing.

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

/// Sector ids from this one on mark a chain's end or a special sector.
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
/// A DIFAT entry naming no FAT sector.
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;

/// Whether every sector chain of the OLE container in `bytes` ends: the
/// DIFAT chain, and no loop in the FAT or the mini FAT (in a valid file
/// every chain ends in ENDOFCHAIN; in a crafted one a loop makes calamine
/// append the same sectors for ever). A header it cannot make sense of is
/// left to calamine, which refuses it with an error.
pub(super) fn ole_chains_end(bytes: &[u8]) -> bool {
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let shift = bytes
        .get(30..32)
        .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
    if bytes.len() < 512 || !matches!(shift, 9 | 12) {
        return true;
    }
    let size = 1usize << shift;
    let sector = |id: u32| -> Vec<u32> {
        let start = (id as usize + 1).saturating_mul(size);
        (start..start.saturating_add(size))
            .step_by(4)
            .filter_map(u32_at)
            .collect()
    };
    let mut difat: Vec<u32> = (0..109).filter_map(|n| u32_at(76 + 4 * n)).collect();
    let mut next = u32_at(68).unwrap_or(RESERVED_SECTORS);
    for _ in 0..=bytes.len() / size {
        if next >= RESERVED_SECTORS {
            break;
        }
        difat.extend(sector(next));
        next = difat.pop().unwrap_or(RESERVED_SECTORS);
    }
    if next < RESERVED_SECTORS {
        return false;
    }
    let fat: Vec<u32> = (difat.into_iter().filter(|&id| id < DIFAT_SECTOR))
        .flat_map(sector)
        .collect();
    if has_loop(&fat) {
        return false;
    }
    let mut mini_fat = Vec::new();
    let mut id = u32_at(60).unwrap_or(RESERVED_SECTORS);
    // The FAT has no loop, so this chain ends within its length.
    while (id as usize) < fat.len() {
        mini_fat.extend(sector(id));
        id = fat[id as usize];
    }
    !has_loop(&mini_fat)
}

/// Whether following `next` from some index comes back to an index already
/// on the way; an id past the end ends a chain.
fn has_loop(next: &[u32]) -> bool {
    // 0: not seen; 1: on the chain being followed; 2: known to end.
    let mut state = vec![0u8; next.len()];
    for start in 0..next.len() {
        let mut path = Vec::new();
        let mut at = start;
        while at < next.len() && state[at] == 0 {
            state[at] = 1;
            path.push(at);
            at = next[at] as usize;
        }
        if at < next.len() && state[at] == 1 {
            return true;
        }
        path.into_iter().for_each(|p| state[p] = 2);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::spreadsheet::{read_sheet, WorkbookKind};

    #[test]
    fn a_sector_chain_that_loops_is_found() {
        // 0 → 1 → 2 → end; 3 → 4 → 3 loops.
        assert!(!has_loop(&[1, 2, 0xFFFF_FFFE]));
        assert!(has_loop(&[1, 2, 0xFFFF_FFFE, 4, 3]));
        assert!(has_loop(&[0]));
        // The fixtures' real .xls passes.
        let real = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sheets/responses.xls"
        ))
        .unwrap();
        assert!(ole_chains_end(&real) && xls_dimensions_fit(&real));
    }

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
