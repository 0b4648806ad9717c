//! Normalising the header and label text people typed, so that what a form
//! tool exported matches what the questionnaire says, despite case, spacing,
//! curly quotes, HTML left in by the tool and trailing punctuation.
//!
//! Owns only pure string functions; it knows nothing of items or scales.

/// Lower case, single spaces, straight quotes, HTML entities decoded and tags
/// removed, no punctuation at either end.
///
/// ```
/// use servicefit::text::label::normalise;
/// assert_eq!(normalise("  I don’t  MIND. "), "i don't mind");
/// assert_eq!(normalise("<strong>Agree</strong>&nbsp;!"), "agree");
/// ```
pub fn normalise(text: &str) -> String {
    let plain = strip_tags(&decode_entities(text));
    let straight: String = plain.chars().map(straighten).collect();
    straight
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Curly quotes and accents used as apostrophes become ASCII quotes.
fn straighten(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{00b4}' | '\u{201b}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' => '"',
        '\u{00a0}' => ' ',
        other => other,
    }
}

/// The few HTML entities survey tools leave in exported text (SurveyMonkey
/// writes `&apos;`), plus numeric entities.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        match tail.find(';').filter(|&end| end <= 10) {
            Some(end) => match entity(&tail[1..end]) {
                Some(c) => {
                    out.push(c);
                    rest = &tail[end + 1..];
                }
                None => {
                    out.push('&');
                    rest = &tail[1..];
                }
            },
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Removes `<tag>`s (Typeform and Qualtrics put `<strong>` and `<br>` in question titles).
pub fn strip_tags(text: &str) -> String {
    if !text.contains('<') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let tail = &rest[start..];
        let is_tag = tail[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        match tail.find('>').filter(|_| is_tag) {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push(' ');
                rest = &tail[end + 1..];
            }
            None => {
                out.push_str(&rest[..=start]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text inside the last ` [`…`]` of a header, as Google Forms writes grid
/// rows (`Question [Row text]`); split on the last bracket because the
/// question itself may hold brackets.
///
/// ```
/// use servicefit::text::label::bracketed;
/// assert_eq!(bracketed("Rate [a] each [I stay calm.]"), Some("I stay calm."));
/// assert_eq!(bracketed("No grid"), None);
/// ```
pub fn bracketed(header: &str) -> Option<&str> {
    let inner = header.trim_end().strip_suffix(']')?;
    let open = inner.rfind('[')?;
    let text = inner[open + 1..].trim();
    (!text.is_empty() && open > 0).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spacing_case_quotes_and_punctuation() {
        assert_eq!(normalise("Strongly  Agree "), "strongly agree");
        assert_eq!(normalise("“Agree”"), "agree");
        assert_eq!(normalise("yesterday&apos;s work?"), "yesterday's work");
        assert_eq!(normalise("a &amp; b"), "a & b");
        assert_eq!(normalise("&#39;x&#x27;"), "x");
        assert_eq!(normalise("Tom & Jerry; fine"), "tom & jerry; fine");
    }

    #[test]
    fn strips_tags_but_not_comparisons() {
        assert_eq!(strip_tags("<b>Hi</b> there"), " Hi  there");
        assert_eq!(strip_tags("1 < 2 > 0"), "1 < 2 > 0");
    }

    #[test]
    fn bracket_needs_text_before_it() {
        assert_eq!(bracketed("[only]"), None);
        assert_eq!(bracketed("Q [ ]"), None);
        assert_eq!(bracketed("G01Q01[TR01]"), Some("TR01"));
    }
}
