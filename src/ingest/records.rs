//! The reading half of a response file: records as the CSV parser splits
//! them, numbered as a spreadsheet shows them, and copied into flat batches
//! ([`Records`]) that another thread can parse. What the cells mean is
//! [`crate::response::RowParser`]'s business, so that the thread that reads
//! the file does as little per row as possible.

use std::collections::VecDeque;
use std::io::Read;
use std::ops::Range;

use super::decode::{DecodingReader, Prefixed};
use super::layout::{blank_lines_before, csv_error};
use crate::error::ReadError;
use crate::limits::RecordLimit;
use crate::response::Rejection;

/// A row read while the header was resolved (to tell header rows from data,
/// or to decide what the header cannot say), which is read again as a row.
#[derive(Debug)]
pub enum Ahead {
    /// A record, with the reader's line after it and whether the decoder
    /// had replaced invalid bytes by then (see [`Record::replaced`]).
    Record {
        /// The record.
        record: csv::StringRecord,
        /// The reader's line after it.
        end_line: u64,
        /// Whether invalid bytes had been replaced by then.
        replaced: bool,
    },
    /// What the CSV parser returned instead of a record: met again in its turn.
    Refused(csv::Error),
}

impl Ahead {
    /// The record, unless the parser refused this row.
    pub fn record(&self) -> Option<&csv::StringRecord> {
        match self {
            Ahead::Record { record, .. } => Some(record),
            Ahead::Refused(_) => None,
        }
    }
}

/// Reads the records after the header rows, skipping blank ones.
pub struct RecordSource<R: Read> {
    csv: csv::Reader<RecordLimit<DecodingReader<Prefixed<R>>>>,
    record: csv::StringRecord,
    pending: VecDeque<Ahead>,
    file: String,
    row: u64,
    last_end_line: u64,
}

impl<R: Read> RecordSource<R> {
    /// The records of a file whose header [`super::layout::open`] has read.
    pub fn new(
        csv: csv::Reader<RecordLimit<DecodingReader<Prefixed<R>>>>,
        pending: VecDeque<Ahead>,
        header_rows: usize,
        header_end_line: u64,
        file: &str,
    ) -> Self {
        RecordSource {
            csv,
            record: csv::StringRecord::new(),
            pending,
            file: file.to_string(),
            row: header_rows as u64,
            last_end_line: header_end_line,
        }
    }

    /// The underlying input (e.g. to read a hash it computed).
    pub fn input(&self) -> &R {
        self.csv.get_ref().get_ref().get_ref().get_ref().1
    }

    /// Appends the next record that is not blank to `records`: `Ok(false)`
    /// at the end of the input. A record the CSV parser refuses is appended
    /// as a rejection.
    ///
    /// # Errors
    /// [`ReadError`] only when the file itself cannot be read further (I/O).
    pub fn read_into(&mut self, records: &mut Records) -> Result<bool, ReadError> {
        loop {
            self.row += 1;
            let read = match self.pending.pop_front() {
                Some(Ahead::Record {
                    record,
                    end_line,
                    replaced,
                }) => {
                    self.record = record;
                    Ok((end_line, replaced))
                }
                Some(Ahead::Refused(e)) => Err(e),
                None => match self.csv.read_record(&mut self.record) {
                    Ok(false) => return Ok(false),
                    Ok(true) => Ok((
                        self.csv.position().line(),
                        self.csv.get_ref().get_ref().replaced_any(),
                    )),
                    Err(e) => Err(e),
                },
            };
            let (end_line, replaced) = match read {
                Ok(read) => read,
                Err(e) if e.is_io_error() => return Err(csv_error(&self.file, self.row, e)),
                Err(e) => {
                    let reason = format!("cannot parse the row: {e}");
                    records.push_unparsable(Rejection::row_problem(self.row, None, reason));
                    return Ok(true);
                }
            };
            self.row += blank_lines_before(&self.record, end_line, self.last_end_line);
            self.last_end_line = end_line;
            if !self.record.iter().all(|f| f.trim().is_empty()) {
                records.push(&self.record, self.row, replaced);
                return Ok(true);
            }
        }
    }

    /// Appends records to `records` until it holds `rows` rows or at least
    /// `bytes` bytes of cell text (a chunk of wide rows is bounded by its size,
    /// not its count): `Ok(false)` when the input ended first.
    ///
    /// # Errors
    /// As [`Self::read_into`].
    pub fn fill(
        &mut self,
        records: &mut Records,
        rows: usize,
        bytes: usize,
    ) -> Result<bool, ReadError> {
        while records.len() < rows && records.text.len() < bytes {
            if !self.read_into(records)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Rows read but not yet parsed: the cells of many records in one buffer,
/// so that a batch of a thousand rows costs a few allocations rather than
/// one per row, and can be sent to another thread to be parsed there.
#[derive(Debug, Default)]
pub struct Records {
    text: String,
    /// End of each cell, counted from the start of its record's text. A
    /// record is at most [`crate::limits::MAX_RECORD_BYTES`] long, so `u32`
    /// holds it, at half the bytes a worker has to fetch from the reading
    /// thread's cache.
    ends: Vec<u32>,
    entries: Vec<Entry>,
}

#[derive(Debug)]
enum Entry {
    Record {
        row: u64,
        replaced: bool,
        text: Range<usize>,
        ends: Range<usize>,
    },
    Unparsable(Rejection),
}

impl Records {
    /// Rows in the batch, unparsable ones included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch holds no row.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Empties the batch, keeping its buffers.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.entries.clear();
    }

    /// The rows in reading order: a record, or the rejection of a row the CSV parser refused.
    pub fn iter(&self) -> impl Iterator<Item = Result<Record<'_>, &Rejection>> {
        self.entries.iter().map(|entry| match entry {
            Entry::Record {
                row,
                replaced,
                text,
                ends,
            } => Ok(Record {
                text: self.text.get(text.clone()).unwrap_or(""),
                ends: self.ends.get(ends.clone()).unwrap_or(&[]),
                row: *row,
                replaced: *replaced,
            }),
            Entry::Unparsable(rejection) => Err(rejection),
        })
    }

    fn push(&mut self, record: &csv::StringRecord, row: u64, replaced: bool) {
        let (text_start, ends_start) = (self.text.len(), self.ends.len());
        self.text.push_str(record.as_slice());
        // The parser's own cell ends, relative to the record's start as ours are;
        // a counted range lets `extend` write them without a check per cell.
        // Lossless: `RecordLimit` stops any record longer than 1 MiB.
        let cells = (0..record.len()).map(|i| record.range(i).map_or(0, |cell| cell.end as u32));
        self.ends.extend(cells);
        self.entries.push(Entry::Record {
            row,
            replaced,
            text: text_start..self.text.len(),
            ends: ends_start..self.ends.len(),
        });
    }

    fn push_unparsable(&mut self, rejection: Rejection) {
        self.entries.push(Entry::Unparsable(rejection));
    }
}

/// One record of a [`Records`] batch: its cells, untrimmed, and where it stands in the file.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    text: &'a str,
    ends: &'a [u32],
    /// Row number as a spreadsheet shows it (header rows included).
    pub row: u64,
    /// Whether the decoder had replaced any invalid bytes by U+FFFD when this
    /// record was read (so a U+FFFD in a cell may stand for them).
    pub replaced: bool,
}

impl<'a> Record<'a> {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no cell.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Cell `column`, if the record is that long.
    pub fn get(&self, column: usize) -> Option<&'a str> {
        self.text.get(self.bounds(column)?)
    }

    /// The bytes of cell `column`: what a one-digit answer needs, without
    /// the character-boundary checks of taking a `str` apart.
    pub fn bytes(&self, column: usize) -> Option<&'a [u8]> {
        self.text.as_bytes().get(self.bounds(column)?)
    }

    fn bounds(&self, column: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(column)?;
        let start = match column {
            0 => 0,
            _ => *self.ends.get(column - 1)?,
        };
        Some(start as usize..end as usize)
    }

    /// The cells in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> {
        let record = *self;
        (0..record.len()).filter_map(move |column| record.get(column))
    }

    /// All cells run together, to search the whole record at once.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use crate::ingest::layout;
    use crate::response::ReadOptions;

    fn source(text: &str) -> RecordSource<&[u8]> {
        let q = builtin::questionnaire().unwrap();
        let opened = layout::open(text.as_bytes(), &q, &ReadOptions::lenient(), "t.csv").unwrap();
        RecordSource::new(
            opened.csv,
            opened.pending,
            opened.layout.header_rows,
            opened.header_end_line,
            "t.csv",
        )
    }

    const HEADER: &str = "candidate_id,note,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n";

    #[test]
    fn batches_keep_cells_and_spreadsheet_row_numbers() {
        // Header = row 1; "a" = row 2; blank line = row 3; "b" (two lines, one row) = row 4;
        // a row of spaces = row 5 (blank, skipped); "c" = row 6.
        let text = format!("{HEADER}a,,4\n\nb,\"two\nlines\",5\n  , \nc,x\n");
        let mut records = Records::default();
        assert!(source(&text)
            .fill(&mut records, 10, usize::MAX)
            .is_ok_and(|more| !more));
        let rows: Vec<Record<'_>> = records.iter().map(Result::unwrap).collect();
        let numbers: Vec<u64> = rows.iter().map(|r| r.row).collect();
        assert_eq!(numbers, [2, 4, 6]);
        assert_eq!(rows[1].iter().collect::<Vec<_>>(), ["b", "two\nlines", "5"]);
        assert_eq!((rows[1].get(1), rows[1].get(3)), (Some("two\nlines"), None));
        assert_eq!(rows[1].text(), "btwo\nlines5");
        assert_eq!((rows[0].len(), rows[0].get(1)), (3, Some("")));
        assert!(!rows[0].replaced);
    }

    #[test]
    fn fill_stops_at_the_batch_size_and_reports_the_end() {
        let text = format!("{HEADER}a,,1\nb,,2\nc,,3\n");
        let mut source = source(&text);
        let mut first = Records::default();
        assert!(source.fill(&mut first, 2, usize::MAX).unwrap());
        let mut second = Records::default();
        assert!(!source.fill(&mut second, 2, usize::MAX).unwrap());
        let ids = |r: &Records| -> Vec<String> {
            r.iter()
                .map(|r| r.unwrap().get(0).unwrap().to_string())
                .collect()
        };
        assert_eq!(
            (ids(&first), ids(&second)),
            (vec!["a".into(), "b".into()], vec!["c".into()])
        );
        assert_eq!(second.iter().next().unwrap().unwrap().row, 4);
        first.clear();
        assert!(first.is_empty());
    }

    #[test]
    fn the_decoders_replacements_are_marked_on_each_record() {
        // 0xFF is not UTF-8: it becomes U+FFFD, and the records read after it know.
        let mut text = format!("{HEADER}a,,1\n").into_bytes();
        text.extend(b"b,x\xff,2\n");
        let q = builtin::questionnaire().unwrap();
        let options = ReadOptions {
            encoding: Some(encoding_rs::UTF_8),
            ..ReadOptions::lenient()
        };
        let opened = layout::open(&text[..], &q, &options, "t.csv").unwrap();
        let mut source = RecordSource::new(
            opened.csv,
            opened.pending,
            1,
            opened.header_end_line,
            "t.csv",
        );
        let mut records = Records::default();
        source.fill(&mut records, 10, usize::MAX).unwrap();
        let last = records.iter().last().unwrap().unwrap();
        assert!(last.replaced);
        assert_eq!(last.get(1), Some("x\u{fffd}"));
    }
}
