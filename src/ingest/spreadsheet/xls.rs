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

/// The parts of an OLE container the guards read: its sectors, FAT and mini FAT.
struct Ole<'a> {
    bytes: &'a [u8],
    size: usize,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
}

impl<'a> Ole<'a> {
    fn u32_at(&self, at: usize) -> Option<u32> {
        let b = self.bytes.get(at..at + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The bytes of sector `id` (fewer at the end of the file).
    fn sector(&self, id: u32) -> &'a [u8] {
        let start = (id as usize + 1).saturating_mul(self.size);
        let end = start.saturating_add(self.size).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or(&[])
    }

    fn words(&self, id: u32) -> impl Iterator<Item = u32> + 'a {
        self.sector(id)
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The chain from `id` through `fat` (which has no loop), as sector ids.
    fn chain(id: u32, fat: &[u32]) -> Vec<u32> {
        let mut ids = Vec::new();
        let mut at = id;
        while (at as usize) < fat.len() {
            ids.push(at);
            at = fat[at as usize];
        }
        ids
    }

    /// The container's FAT and mini FAT, or `Err(())` when a chain loops;
    /// `Ok(None)` for a header it cannot make sense of (left to calamine).
    fn read(bytes: &'a [u8]) -> Result<Option<Ole<'a>>, ()> {
        let shift = bytes
            .get(30..32)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
        if bytes.len() < 512 || !matches!(shift, 9 | 12) {
            return Ok(None);
        }
        let mut ole = Ole {
            bytes,
            size: 1 << shift,
            fat: Vec::new(),
            mini_fat: Vec::new(),
        };
        let mut difat: Vec<u32> = (0..109).filter_map(|n| ole.u32_at(76 + 4 * n)).collect();
        let mut next = ole.u32_at(68).unwrap_or(RESERVED_SECTORS);
        for _ in 0..=bytes.len() / ole.size {
            if next >= RESERVED_SECTORS {
                break;
            }
            difat.extend(ole.words(next));
            next = difat.pop().unwrap_or(RESERVED_SECTORS);
        }
        if next < RESERVED_SECTORS {
            return Err(());
        }
        ole.fat = (difat.into_iter().filter(|&id| id < DIFAT_SECTOR))
            .flat_map(|id| ole.words(id))
            .collect();
        if has_loop(&ole.fat) {
            return Err(());
        }
        let mini_start = ole.u32_at(60).unwrap_or(RESERVED_SECTORS);
        ole.mini_fat = Ole::chain(mini_start, &ole.fat)
            .into_iter()
            .flat_map(|id| ole.words(id))
            .collect();
        if has_loop(&ole.mini_fat) {
            return Err(());
        }
        Ok(Some(ole))
    }

    /// The stream named `name` (`Workbook`, or `Book` in BIFF5), as calamine reads it.
    fn stream(&self, names: &[&str]) -> Option<Vec<u8>> {
        let dir_start = self.u32_at(48)?;
        let directory: Vec<u8> = Ole::chain(dir_start, &self.fat)
            .into_iter()
            .flat_map(|id| self.sector(id).to_vec())
            .collect();
        let entry = directory.chunks_exact(128).find(|entry| {
            let name: Vec<u16> = entry[..64]
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .take_while(|&c| c != 0)
                .collect();
            names
                .iter()
                .any(|n| n.encode_utf16().eq(name.iter().copied()))
        })?;
        let start = u32::from_le_bytes([entry[116], entry[117], entry[118], entry[119]]);
        let len = u32::from_le_bytes([entry[120], entry[121], entry[122], entry[123]]) as usize;
        let mut data: Vec<u8> = if len < 4096 {
            // A small stream lives in the mini stream (the root entry's chain), in 64-byte sectors.
            let root_start = u32::from_le_bytes([
                directory[116],
                directory[117],
                directory[118],
                directory[119],
            ]);
            let mini: Vec<u8> = Ole::chain(root_start, &self.fat)
                .into_iter()
                .flat_map(|id| self.sector(id).to_vec())
                .collect();
            Ole::chain(start, &self.mini_fat)
                .into_iter()
                .flat_map(|id| {
                    mini.get(id as usize * 64..(id as usize * 64 + 64).min(mini.len()))
                        .unwrap_or(&[])
                        .to_vec()
                })
                .collect()
        } else {
            Ole::chain(start, &self.fat)
                .into_iter()
                .flat_map(|id| self.sector(id).to_vec())
                .collect()
        };
        data.truncate(len);
        Some(data)
    }
}

/// Whether every sector chain of the OLE container in `bytes` ends (in a
/// valid file every chain ends in ENDOFCHAIN; in a crafted one a loop makes
/// calamine append the same sectors for ever), and the cells of its workbook
/// stream fit in sheets an `.xls` can have: calamine lays each sheet out as
/// a rectangle from its first to its last cell, so cells in columns up to
/// 65,535 (an `.xls` has 256) make one of billions. A container it cannot
/// make sense of is left to calamine, which refuses it with an error.
pub(super) fn ole_chains_end(bytes: &[u8]) -> bool {
    match Ole::read(bytes) {
        Err(()) => false,
        Ok(None) => true,
        Ok(Some(ole)) => ole
            .stream(&["Workbook", "Book"])
            .is_none_or(|s| cells_fit(&s)),
    }
}

/// Whether every cell record of a BIFF stream lies in the 256 columns of an
/// `.xls` sheet (rows are 16-bit, so at most 65,536).
fn cells_fit(stream: &[u8]) -> bool {
    let mut at = 0;
    while let Some(head) = stream.get(at..at + 4) {
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = stream
            .get(at + 4..(at + 4 + len).min(stream.len()))
            .unwrap_or(&[]);
        let column = |at: usize| {
            data.get(at..at + 2)
                .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
        };
        let widest = match kind {
            // Number, Label, BoolErr, Rk, LabelSst, Formula: row, then column.
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => column(2),
            // MulRk: row, first column, …, last column.
            0x00BD if data.len() >= 6 => column(2).max(column(data.len() - 2)),
            _ => 0,
        };
        if widest >= 256 {
            return false;
        }
        at += 4 + len;
    }
    true
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
        let ole = Ole::read(&real).unwrap().unwrap();
        let stream = ole.stream(&["Workbook", "Book"]).unwrap();
        assert!(
            stream.starts_with(&[0x09, 0x08]),
            "a BIFF stream opens with a BOF record"
        );
    }

    #[test]
    fn a_cell_beyond_column_256_is_refused() {
        // A Number record (0x0203, 14 bytes): row 0, column 255 fits; column 300 does not.
        let number = |column: u16| {
            let mut record = vec![0x03, 0x02, 14, 0, 0, 0];
            record.extend(column.to_le_bytes());
            record.extend([0; 10]);
            record
        };
        assert!(cells_fit(&number(255)));
        assert!(!cells_fit(&[number(1), number(300)].concat()));
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
