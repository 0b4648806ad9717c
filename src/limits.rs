//! Size limits on everything read, so that no input — a huge field, a
//! million columns, a line without end, an enormous JSON file — can exhaust
//! memory or hang a run. Each limit is far above what a real questionnaire,
//! norm set, profile or survey export needs, and each breach is a clear error
//! that names the limit, not a crash.
//!
//! Deeply nested JSON needs no limit here: serde_json refuses nesting deeper
//! than 128 levels with an ordinary syntax error.

use std::io::{self, BufRead, Read};

/// Largest questionnaire, norms or profile file read, in bytes (16 MiB).
///
/// The built-in questionnaire is about 28 KB; a norm set with empirical
/// percentile tables for a hundred groups stays under 2 MB.
pub const MAX_DATA_FILE_BYTES: u64 = 16 << 20;

/// Most columns a response file's header may have.
///
/// A 72-item questionnaire exported with every metadata column a survey tool
/// adds has a few hundred; 10,000 leaves room for very wide exports.
pub const MAX_COLUMNS: usize = 10_000;

/// Longest record (one row, including quoted line breaks) of a response file,
/// in bytes (1 MiB): a row of 10,000 columns of 100 bytes each.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Longest line of a JSON Lines results file read by `audit`, in bytes (64 MiB).
///
/// A candidate record is about 4 KB; the last record lists every rejected
/// row with its reason, about 200 bytes each: 64 MiB holds 300,000 of them.
pub const MAX_JSON_LINE_BYTES: u64 = 64 << 20;

/// Largest JSON results document (`score --format json`) read by `audit`,
/// in bytes (256 MiB): 50,000 candidates take about 200 MB. It is parsed
/// whole; JSON Lines and CSV results are read a record at a time.
pub const MAX_JSON_DOCUMENT_BYTES: u64 = 256 << 20;

/// Longest cell content quoted in a rejection, in characters.
pub const SHOWN_CELL_CHARS: usize = 100;

/// A cell as quoted in a rejection: whole when short, else its first
/// [`SHOWN_CELL_CHARS`] characters and `…`, so that the rejections of a file
/// full of huge fields stay small.
pub fn shorten(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.char_indices().nth(SHOWN_CELL_CHARS) {
        Some((end, _)) => format!("{}…", &cell[..end]).into(),
        None => cell.into(),
    }
}

/// Reads at most `limit` bytes of `input` into a string.
///
/// # Errors
/// [`io::ErrorKind::InvalidData`] when there is more than `limit` bytes or the
/// text is not UTF-8; any I/O error of `input`.
pub fn read_to_string_capped(input: impl Read, limit: u64) -> io::Result<String> {
    let mut bytes = Vec::new();
    input
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the file is larger than {limit} bytes, the most a data file may have"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Reads one line (up to and including `\n`) of at most `limit` bytes into `line`;
/// returns the bytes read, 0 at the end.
///
/// # Errors
/// [`io::ErrorKind::InvalidData`] when the line is longer than `limit`
/// (`number` is its line number in the message); any I/O error of `input`.
pub fn read_line_capped(
    input: &mut impl BufRead,
    line: &mut String,
    limit: u64,
    number: u64,
) -> io::Result<usize> {
    let n = input.take(limit.saturating_add(1)).read_line(line)?;
    if n as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("line {number} is longer than {limit} bytes, the most a line may have"),
        ));
    }
    Ok(n)
}

/// Where a CSV scanner is within a record; mirrors the states of `csv-core`
/// that decide where a record ends (RFC 4180 quoting, `""` as an escaped quote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// A reader that fails with a clear error as soon as one CSV record grows
/// past a limit, so that the CSV parser never buffers more than that.
///
/// It tracks quoting the way the parser does, so a line break inside a quoted
/// field does not end the record, and a stray quote inside an unquoted field
/// does not start a quoted one.
#[derive(Debug)]
pub struct RecordLimit<R> {
    inner: R,
    delimiter: u8,
    limit: usize,
    state: Scan,
    record_bytes: usize,
    line: u64,
}

impl<R: Read> RecordLimit<R> {
    /// Wraps `inner`, a CSV with this field `delimiter`, allowing records of up to `limit` bytes.
    pub fn new(inner: R, delimiter: u8, limit: usize) -> Self {
        RecordLimit {
            inner,
            delimiter,
            limit,
            state: Scan::FieldStart,
            record_bytes: 0,
            line: 1,
        }
    }

    /// The wrapped reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    fn scan(&mut self, bytes: &[u8]) -> io::Result<()> {
        let outside_quotes = matches!(self.state, Scan::FieldStart | Scan::Unquoted);
        if outside_quotes && memchr::memchr(b'"', bytes).is_none() {
            self.scan_unquoted(bytes)
        } else {
            bytes.iter().try_for_each(|&byte| self.step(byte))
        }
    }

    /// The common case, a chunk without quotes: records end at every line
    /// break, found with a vectorised search instead of byte by byte.
    fn scan_unquoted(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut start = 0;
        for end in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            self.grow(end - start)?;
            self.record_bytes = 0;
            self.line += u64::from(bytes[end] == b'\n');
            start = end + 1;
        }
        self.grow(bytes.len() - start)?;
        if let Some(&last) = bytes.last() {
            self.state = if last == self.delimiter || matches!(last, b'\n' | b'\r') {
                Scan::FieldStart
            } else {
                Scan::Unquoted
            };
        }
        Ok(())
    }

    fn step(&mut self, byte: u8) -> io::Result<()> {
        let end_of_record = matches!(byte, b'\n' | b'\r') && self.state != Scan::Quoted;
        if byte == b'\n' {
            self.line += 1;
        }
        self.state = match (self.state, byte) {
            (Scan::Quoted, b'"') => Scan::QuoteInQuoted,
            (Scan::Quoted, _) => Scan::Quoted,
            (Scan::QuoteInQuoted, b'"') | (Scan::FieldStart, b'"') => Scan::Quoted,
            (_, b) if b == self.delimiter || end_of_record => Scan::FieldStart,
            _ => Scan::Unquoted,
        };
        if end_of_record {
            self.record_bytes = 0;
            Ok(())
        } else {
            self.grow(1)
        }
    }

    /// Adds `bytes` to the current record, failing once it passes the limit.
    fn grow(&mut self, bytes: usize) -> io::Result<()> {
        self.record_bytes += bytes;
        if self.record_bytes <= self.limit {
            return Ok(());
        }
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the record reaching line {} is longer than {} bytes, the most a row may have",
                self.line, self.limit
            ),
        ))
    }
}

impl<R: Read> Read for RecordLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives at most 3 bytes per call.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn read_all(text: &[u8], limit: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        RecordLimit::new(text, b',', limit).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn records_up_to_the_limit_pass_through_unchanged() {
        // "a,bb" is 4 bytes, "ccc,d" 5: a limit of 5 lets both through.
        let text = b"a,bb\nccc,d\r\n";
        assert_eq!(read_all(text, 5).unwrap(), text);
    }

    #[test]
    fn a_long_record_is_an_error_naming_its_line() {
        // Line 2 holds 6 bytes, one over the limit of 5.
        let err = read_all(b"a,bb\ncccccc\n", 5).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            err.to_string(),
            "the record reaching line 2 is longer than 5 bytes, the most a row may have"
        );
    }

    #[test]
    fn quoted_line_breaks_stay_in_the_record() {
        // `"x\ny",z` is one record of 7 bytes counting the quoted line break.
        assert!(read_all(b"\"x\ny\",z\n", 7).is_ok());
        assert!(read_all(b"\"x\ny\",z\n", 6).is_err());
        // An escaped quote does not close the field: `"a""\nb"` is one record of 7 bytes.
        assert!(read_all(b"\"a\"\"\nb\"\n", 6).is_err());
    }

    #[test]
    fn fast_and_byte_wise_scans_agree_across_chunk_boundaries() {
        // Read through a 3-byte window, so quoted and unquoted chunks alternate.
        let text = b"ab,c\r\n\"q\nq\",d\nlonger,x\n";
        for limit in 3..12 {
            let mut reader = RecordLimit::new(Trickle(&text[..]), b',', limit);
            let chunked = std::io::copy(&mut reader, &mut std::io::sink()).is_ok();
            let whole = read_all(text, limit).is_ok();
            // Records: "ab,c" 4, "\"q\nq\",d" 8, "longer,x" 8 → the limit that passes is 8.
            assert_eq!((chunked, whole), (limit >= 8, limit >= 8), "limit {limit}");
        }
    }

    #[test]
    fn a_stray_quote_inside_an_unquoted_field_does_not_open_quoting() {
        // ab"c is unquoted text for the parser, so each line is its own 4-byte record.
        assert!(read_all(b"ab\"c\nab\"c\nab\"c\n", 4).is_ok());
    }

    #[test]
    fn long_cells_are_shortened_to_100_characters() {
        assert_eq!(shorten("short"), "short");
        let long = "é".repeat(150);
        assert_eq!(shorten(&long), format!("{}…", "é".repeat(100)));
    }

    #[test]
    fn lines_over_the_cap_are_refused() {
        let mut input = &b"1234\n123456\n"[..];
        let mut line = String::new();
        // "1234\n" is 5 bytes, within a limit of 5; "123456\n" is 7.
        assert_eq!(read_line_capped(&mut input, &mut line, 5, 1).unwrap(), 5);
        line.clear();
        let err = read_line_capped(&mut input, &mut line, 5, 2).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2 is longer than 5 bytes, the most a line may have"
        );
    }

    #[test]
    fn data_files_over_the_cap_are_refused() {
        assert_eq!(read_to_string_capped(&b"12345"[..], 5).unwrap(), "12345");
        let err = read_to_string_capped(&b"123456"[..], 5).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the file is larger than 5 bytes, the most a data file may have"
        );
    }
}
