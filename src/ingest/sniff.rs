//! Choosing the field delimiter from the decoded start of a file: Excel's
//! `sep=;` hint line when present, otherwise the most frequent of comma,
//! semicolon and tab in the first logical record, counted outside quotes (a
//! question text may hold commas inside a quoted header).

/// Delimiters considered, in the order that breaks ties.
pub const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];

/// The delimiter an Excel `sep=X` first line names, if the text starts with one.
///
/// ```
/// use servicefit::ingest::sniff::sep_hint;
/// assert_eq!(sep_hint("sep=;\r\na;b"), Some(b';'));
/// assert_eq!(sep_hint("id,sep"), None);
/// ```
pub fn sep_hint(text: &str) -> Option<u8> {
    let line = text.trim_start_matches('\u{feff}').lines().next()?;
    let rest = line.trim_end_matches('\r');
    if rest.len() != 5 || !rest.is_char_boundary(4) || !rest[..4].eq_ignore_ascii_case("sep=") {
        return None;
    }
    let delimiter = rest.as_bytes()[4];
    delimiter.is_ascii().then_some(delimiter)
}

/// The delimiter of the first logical record of `text`: the candidate seen
/// most often outside quotes; a comma when none is seen.
///
/// ```
/// use servicefit::ingest::sniff::delimiter;
/// assert_eq!(delimiter("\"a;b\",c,d\n"), b',');
/// assert_eq!(delimiter("a;b;\"c,d,e\"\n"), b';');
/// assert_eq!(delimiter("a\tb\n"), b'\t');
/// ```
pub fn delimiter(text: &str) -> u8 {
    let mut counts = [0usize; CANDIDATES.len()];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == byte) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_quoted_header_is_one_record() {
        // The newline inside quotes does not end the record; 3 semicolons after it do count.
        assert_eq!(delimiter("\"Q1,\nstill Q1, yes\";b;c;d\n1,2,3,4,5,6"), b';');
    }

    #[test]
    fn ties_and_nothing_give_comma() {
        assert_eq!(delimiter("a;b,c\n"), b',');
        assert_eq!(delimiter("single\n"), b',');
        assert_eq!(delimiter(""), b',');
    }

    #[test]
    fn sep_hint_needs_exactly_one_character() {
        assert_eq!(sep_hint("SEP=,\n"), Some(b','));
        assert_eq!(sep_hint("sep=\t\n"), Some(b'\t'));
        assert_eq!(sep_hint("sep=;;\n"), None);
        assert_eq!(sep_hint("\u{feff}sep=;\n"), Some(b';'));
        assert_eq!(sep_hint(""), None);
    }
}
