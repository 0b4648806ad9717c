//! Turning the input's bytes into UTF-8 text before any CSV parsing, in a
//! streaming way: a prefix is examined to choose the encoding, then the whole
//! input is decoded chunk by chunk through a fixed-size buffer.
//!
//! Detection order (docs/FORMATS.md, "Response files"): a byte-order mark
//! (UTF-8, UTF-16LE, UTF-16BE); otherwise UTF-8 if the prefix is valid UTF-8;
//! otherwise Windows-1252, Excel's legacy "CSV (Comma delimited)" encoding in
//! Western locales, with a note. A chosen encoding overrides detection.
//! Bytes that are invalid in the chosen encoding become U+FFFD and are counted,
//! so the reader can reject the rows they landed in instead of scoring
//! mangled text silently.

use std::io::{self, Cursor, Read};

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Bytes examined to choose the encoding and the delimiter.
pub const SNIFF_BYTES: u64 = 64 * 1024;

const CHUNK: usize = 16 * 1024;

/// How the encoding was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EncodingSource {
    /// Named by the user.
    Chosen,
    /// A byte-order mark at the start of the file.
    ByteOrderMark,
    /// No byte-order mark, but every other byte of the first ones is zero:
    /// UTF-16 text of mostly ASCII characters (Excel's "Unicode Text" saved
    /// by other tools without the mark).
    ZeroBytes,
    /// The first bytes are valid UTF-8.
    ValidUtf8,
    /// The first bytes are not UTF-8; Windows-1252 assumed.
    Fallback,
}

/// The encoding in use and how it was chosen.
#[derive(Debug, Clone, Copy)]
pub struct DetectedEncoding {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// How it was chosen.
    pub source: EncodingSource,
}

impl DetectedEncoding {
    /// Lower-case name, e.g. `utf-8`, `windows-1252`.
    pub fn name(&self) -> String {
        self.encoding.name().to_lowercase()
    }
}

/// The encoding a label names (`utf-8`, `windows-1252`, `latin1`, `utf-16le`, …,
/// as the WHATWG Encoding Standard spells them).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Chooses the encoding of a file that begins with `prefix`.
pub fn detect(prefix: &[u8], chosen: Option<&'static Encoding>) -> DetectedEncoding {
    if let Some(encoding) = chosen {
        return DetectedEncoding {
            encoding,
            source: EncodingSource::Chosen,
        };
    }
    if let Some((encoding, _)) = Encoding::for_bom(prefix) {
        return DetectedEncoding {
            encoding,
            source: EncodingSource::ByteOrderMark,
        };
    }
    if let Some(encoding) = utf16_by_zero_bytes(prefix) {
        return DetectedEncoding {
            encoding,
            source: EncodingSource::ZeroBytes,
        };
    }
    let (encoding, source) = if mostly_utf8(prefix) {
        (UTF_8, EncodingSource::ValidUtf8)
    } else {
        (WINDOWS_1252, EncodingSource::Fallback)
    };
    DetectedEncoding { encoding, source }
}

/// UTF-16LE or BE when the zero bytes of the first 512 fall on one side:
/// at least a third of the odd (LE) or even (BE) positions, and on the other
/// side at most an eighth as many. Text in UTF-8 or a single-byte encoding
/// holds no zero bytes; ASCII characters in UTF-16 have one in every pair,
/// and a few others (一 is 00 4E) one on the other side.
fn utf16_by_zero_bytes(prefix: &[u8]) -> Option<&'static Encoding> {
    let pairs = prefix[..prefix.len().min(512)].chunks_exact(2);
    let count = pairs.len();
    let (even, odd) = pairs.fold((0, 0), |(e, o), pair| {
        (e + usize::from(pair[0] == 0), o + usize::from(pair[1] == 0))
    });
    let side = |zeros: usize, other: usize| count > 0 && zeros * 3 >= count && other * 8 <= zeros;
    if side(odd, even) {
        Some(UTF_16LE)
    } else if side(even, odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether `bytes` read as UTF-8: valid, or with more well-formed multi-byte
/// characters than invalid sequences. A UTF-8 file with one stray byte stays
/// UTF-8 (the row with the bad byte is rejected) instead of having every "ë"
/// turned into "Ã«"; a Windows-1252 file has no well-formed multi-byte
/// sequences to speak of. A character cut by the end of `bytes` is not invalid.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let multibyte = |s: &str| s.chars().filter(|c| c.len_utf8() > 1).count();
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => return good + multibyte(text) > bad || bad == 0,
            Err(e) => {
                let (valid, tail) = rest.split_at(e.valid_up_to());
                // valid_up_to marks the end of a valid prefix, so this cannot fail.
                good += std::str::from_utf8(valid).map_or(0, multibyte);
                match e.error_len() {
                    None => return good > bad || bad == 0,
                    Some(len) => {
                        bad += 1;
                        rest = &tail[len..];
                    }
                }
            }
        }
    }
}

/// Input whose prefix was read ahead for sniffing, then the rest.
pub type Prefixed<R> = io::Chain<Cursor<Vec<u8>>, R>;

/// Reads the prefix of `input`, chooses the encoding, and returns a decoding
/// reader over the whole input together with the decoded prefix (for sniffing
/// the delimiter).
///
/// # Errors
/// An I/O error while reading the prefix.
pub fn open<R: Read>(
    mut input: R,
    chosen: Option<&'static Encoding>,
) -> io::Result<(DecodingReader<Prefixed<R>>, DetectedEncoding, String)> {
    let prefix = read_prefix(&mut input)?;
    Ok(open_prefixed(prefix, input, chosen))
}

/// The first [`SNIFF_BYTES`] of `input` (fewer when it is shorter).
///
/// # Errors
/// An I/O error of `input`.
pub fn read_prefix<R: Read>(input: &mut R) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::new();
    input.take(SNIFF_BYTES).read_to_end(&mut prefix)?;
    Ok(prefix)
}

/// As [`open`], for an input whose first bytes, `prefix`, were read already
/// (to tell a workbook from text): the encoding is chosen from at most
/// [`SNIFF_BYTES`] of them.
pub fn open_prefixed<R: Read>(
    prefix: Vec<u8>,
    input: R,
    chosen: Option<&'static Encoding>,
) -> (DecodingReader<Prefixed<R>>, DetectedEncoding, String) {
    let sniffed = &prefix[..prefix.len().min(SNIFF_BYTES as usize)];
    let detected = detect(sniffed, chosen);
    let (text, _, _) = detected.encoding.decode(sniffed);
    let text = text.into_owned();
    let reader = DecodingReader::new(Cursor::new(prefix).chain(input), detected.encoding);
    (reader, detected, text)
}

/// A reader yielding UTF-8 from bytes in any encoding, through fixed buffers.
pub struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    done: bool,
    replaced: bool,
    /// A `\r` that ended the last output, held back until it is known
    /// whether a `\n` follows it.
    held_cr: bool,
}

impl<R: Read> DecodingReader<R> {
    /// Decodes `inner` from `encoding`, removing that encoding's byte-order mark.
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; CHUNK],
            in_start: 0,
            in_end: 0,
            output: vec![0; CHUNK * 3 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
            replaced: false,
            held_cr: false,
        }
    }

    /// The undecoded input.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// Whether any malformed byte sequence has been replaced by U+FFFD so far.
    pub fn replaced_any(&self) -> bool {
        self.replaced
    }

    fn fill(&mut self) -> io::Result<()> {
        if self.in_start == self.in_end && !self.eof {
            self.in_start = 0;
            self.in_end = self.inner.read(&mut self.input)?;
            self.eof = self.in_end == 0;
        }
        let held = usize::from(self.held_cr);
        self.output[0] = b'\r';
        let (result, read, written, replaced) = self.decoder.decode_to_utf8(
            &self.input[self.in_start..self.in_end],
            &mut self.output[held..],
            self.eof,
        );
        self.in_start += read;
        self.replaced |= replaced;
        if self.eof && result == CoderResult::InputEmpty {
            self.done = true;
        }
        let mut end = crlf_to_lf(&mut self.output[..held + written]);
        // A final `\r` waits for the next output, which may begin with `\n`.
        self.held_cr = !self.done && end > 0 && self.output[end - 1] == b'\r';
        end -= usize::from(self.held_cr);
        self.out_start = 0;
        self.out_end = end;
        Ok(())
    }
}

/// Turns each `\r\n` of `text` into `\n`, in place, and returns the new
/// length. The CSV parser counts lines by `\n` but ends a record at the `\r`
/// of `\r\n`, so with CRLF its line count lags one `\n` behind; a file whose
/// line ends change from CRLF to LF (rows appended in another editor) then
/// looked as if it had a blank line, and every row after was numbered one
/// too high.
fn crlf_to_lf(text: &mut [u8]) -> usize {
    // Bytes before `kept` are final; those from `from` on are still to move
    // down to it (each dropped `\r` widens the gap by one).
    let (mut kept, mut from, mut at) = (0, 0, 0);
    while let Some(found) = memchr::memchr(b'\r', &text[at..]) {
        let cr = at + found;
        at = cr + 1;
        if text.get(at) == Some(&b'\n') {
            text.copy_within(from..cr, kept);
            kept += cr - from;
            from = at;
        }
    }
    if kept == from {
        return text.len();
    }
    text.copy_within(from.., kept);
    kept + text.len() - from
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_start == self.out_end {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], chosen: Option<&'static Encoding>) -> (String, String, bool) {
        let (mut reader, detected, _) = open(bytes, chosen).unwrap();
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        (text, detected.name(), reader.replaced_any())
    }

    #[test]
    fn boms_are_detected_and_removed() {
        assert_eq!(
            decode_all(b"\xEF\xBB\xBFid", None),
            ("id".into(), "utf-8".into(), false)
        );
        // "id" in UTF-16LE: 69 00 64 00 after FF FE.
        assert_eq!(
            decode_all(b"\xFF\xFEi\x00d\x00", None),
            ("id".into(), "utf-16le".into(), false)
        );
        assert_eq!(
            decode_all(b"\xFE\xFF\x00i\x00d", None),
            ("id".into(), "utf-16be".into(), false)
        );
    }

    #[test]
    fn crlf_becomes_lf_and_lone_cr_stays() {
        let mut text = *b"a\r\nb\rc\r\n\r\nd\r";
        let end = crlf_to_lf(&mut text);
        assert_eq!(&text[..end], b"a\nb\rc\n\nd\r");
        let mut plain = *b"a\nb\n";
        assert_eq!(crlf_to_lf(&mut plain), 4);
        // Across reads of one byte at a time, a `\r\n` split between them too.
        let mut reader = DecodingReader::new(&b"x\r\ny\r\n\"q\r\nr\"\rz\r"[..], UTF_8);
        let mut out = Vec::new();
        let mut byte = [0u8; 1];
        while reader.read(&mut byte).unwrap() == 1 {
            out.push(byte[0]);
        }
        assert_eq!(out, b"x\ny\n\"q\nr\"\rz\r");
        // A `\r\n` split between two chunks of input, and a `\r` at the end.
        let mut text = vec![b'a'; CHUNK - 1];
        text.extend_from_slice(b"\r\nb\r");
        let mut reader = DecodingReader::new(&text[..], UTF_8);
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), CHUNK + 2);
        assert_eq!(&out[CHUNK - 1..], b"\nb\r");
    }

    #[test]
    fn utf16_without_a_mark_is_told_by_its_zero_bytes() {
        let le: Vec<u8> = "id\tTR01\nann\t3\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode_all(&le, None),
            ("id\tTR01\nann\t3\n".into(), "utf-16le".into(), false)
        );
        let be: Vec<u8> = "id,Zoë\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(
            decode_all(&be, None),
            ("id,Zoë\n".into(), "utf-16be".into(), false)
        );
        assert_eq!(detect(&le, None).source, EncodingSource::ZeroBytes);
        // A name such as 一郎 (4E00 90CE) puts a zero on the other side.
        let cjk: Vec<u8> = "candidate_id,name\nc1,一郎\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&cjk, None).encoding, UTF_16LE);
        // Zero bytes on both sides, or none: not UTF-16.
        assert_eq!(detect(b"a\x00\x00b", None).encoding, UTF_8);
        assert_eq!(detect(b"id,name\n", None).encoding, UTF_8);
    }

    #[test]
    fn one_stray_byte_in_utf8_text_stays_utf8() {
        // "Zoë" and "Jürgen" in UTF-8, then one lone 0xFF.
        let text = b"id,name\n1,Zo\xc3\xab\n2,J\xc3\xbcrgen\n3,x\xff\n";
        assert_eq!(detect(text, None).encoding, UTF_8);
        // Windows-1252 "Jürgen" and "Zoë": lone high bytes only.
        assert_eq!(
            detect(b"1,J\xfcrgen\n2,Zo\xeb\n", None).encoding,
            WINDOWS_1252
        );
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        // 0xFC is ü and 0x97 an em dash in Windows-1252 (not C1 controls as in Latin-1).
        let (text, name, replaced) = decode_all(b"J\xFCrgen \x97 ok", None);
        assert_eq!(
            (text.as_str(), name.as_str(), replaced),
            ("Jürgen — ok", "windows-1252", false)
        );
    }

    #[test]
    fn chosen_utf8_counts_replacements() {
        let (text, _, replaced) = decode_all(b"a\xFCb", Some(UTF_8));
        assert_eq!(text, "a\u{fffd}b");
        assert!(replaced);
    }

    #[test]
    fn long_input_streams_through_small_buffers() {
        // 3 bytes per "ä\n"? No: "ä" is 2 bytes in UTF-8 plus "\n" = 3 bytes; 50,000 lines = 150,000 bytes.
        let line = "ä\n";
        let bytes = line.repeat(50_000).into_bytes();
        let (text, name, _) = decode_all(&bytes, None);
        assert_eq!(name, "utf-8");
        assert_eq!(text.len(), 150_000);
    }

    #[test]
    fn labels_name_encodings() {
        assert_eq!(encoding_for_label("latin1"), Some(WINDOWS_1252));
        assert_eq!(encoding_for_label(" UTF-8 "), Some(UTF_8));
        assert_eq!(encoding_for_label("klingon"), None);
    }
}
