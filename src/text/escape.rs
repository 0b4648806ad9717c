//! One escaper per output kind for text a user supplied — ids, group
//! values, file names, the words of data files — so that it is shown as
//! text and never acts.
//!
//! Every kind shares one rule: a character whose display does something
//! other than show a character ([`hidden_effect`]: control characters such
//! as ESC and BEL, and the bidirectional controls that make one id read as
//! another) is shown as `?`. Each kind then adds its own: HTML's five
//! special characters, Markdown's punctuation, a spreadsheet's formula
//! starters.

use std::borrow::Cow;

/// Whether showing `c` does something other than show a character: a
/// control character (escape sequences, the bell, line breaks), or a
/// bidirectional control, which reorders the text after it so that one id
/// reads as another ("Trojan Source", CVE-2021-42574).
pub fn hidden_effect(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text for a terminal or a message on stderr: every [`hidden_effect`]
/// character becomes `?`.
///
/// ```
/// use servicefit::text::terminal;
/// assert_eq!(terminal("a\u{1b}[2Jb\u{7}"), "a?[2Jb?");
/// assert_eq!(terminal("ann\u{202e}fdp.exe"), "ann?fdp.exe");
/// ```
pub fn terminal(text: &str) -> String {
    text.chars()
        .map(|c| if hidden_effect(c) { '?' } else { c })
        .collect()
}

/// [`terminal`] text of several lines: each line made safe, the line
/// breaks between them kept (a message listing problems one per line).
///
/// ```
/// use servicefit::text::terminal_lines;
/// assert_eq!(terminal_lines("a\u{1b}]0;x\u{7}\n  - b\r"), "a?]0;x?\n  - b?");
/// ```
pub fn terminal_lines(text: &str) -> String {
    text.split('\n')
        .map(terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

/// [`terminal`] text cut at `max` characters with `…`, for a message that
/// quotes a value of unknown length.
///
/// ```
/// use servicefit::text::printable;
/// assert_eq!(printable("a\u{1b}[2Jb", 10), "a?[2Jb");
/// assert_eq!(printable("abcdef", 3), "abc…");
/// ```
pub fn printable(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if hidden_effect(c) { '?' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// Text safe in HTML content and attribute values: the five special
/// characters as entities, [`hidden_effect`] characters (but line breaks
/// and tabs, which HTML shows as spaces, so that a data file's CRLF text
/// stays as it was) as `?`.
///
/// ```
/// use servicefit::text::html;
/// assert_eq!(html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
/// assert_eq!(html("ann\u{202e}lee\u{1b}"), "ann?lee?");
/// assert_eq!(html("two\r\nlines"), "two\r\nlines");
/// ```
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(c),
            c if hidden_effect(c) => out.push('?'),
            _ => out.push(c),
        }
    }
    out
}

/// Text made inert in Markdown: HTML's `<`, `>`, `&` as entities, the
/// punctuation that makes emphasis, code, links and table cells
/// backslash-escaped, line breaks as spaces, other [`hidden_effect`]
/// characters as `?`. Every escaped string is placed mid-line, so
/// line-start markers (`#`, `-`, `1.`) need no escaping; with `[` and `]`
/// escaped no link (`[x](javascript:…)`) can form.
///
/// ```
/// use servicefit::text::markdown;
/// assert_eq!(markdown("<b>*x*</b>|"), "&lt;b&gt;\\*x\\*&lt;/b&gt;\\|");
/// assert_eq!(markdown("[x](javascript:y)"), "\\[x\\](javascript:y)");
/// assert_eq!(markdown("a\u{202e}b"), "a?b");
/// ```
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            c if hidden_effect(c) => out.push('?'),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text for inside a fenced code block, where Markdown interprets nothing
/// but a closing fence: fences become `'''`, and [`hidden_effect`]
/// characters but line breaks become `?` (a reader may `cat` the file).
///
/// ```
/// use servicefit::text::markdown_code;
/// assert_eq!(markdown_code("A = ann\u{1b}[31m\n```"), "A = ann?[31m\n'''");
/// ```
pub fn markdown_code(text: &str) -> String {
    terminal_lines(&text.replace("```", "'''"))
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP
/// CSV injection), and the quote that marks a cell neutralised.
const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A text cell that a spreadsheet will not run as a formula: a cell starting
/// with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`.
///
/// Reversible by [`csv_unescape`]: a cell that itself starts with `'` gets a
/// second one, so `=x` is written `'=x` and `'=x` is written `''=x`, and the
/// two ids stay two. Only for text: numeric columns may be negative.
///
/// ```
/// use servicefit::text::csv_safe;
/// assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(csv_safe("'=x"), "''=x");
/// assert_eq!(csv_safe("ann"), "ann");
/// ```
pub fn csv_safe(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell of our own CSV output as it was before [`csv_safe`]: one
/// leading `'` removed.
///
/// ```
/// use servicefit::text::{csv_safe, csv_unescape};
/// for id in ["=x", "'=x", "''", "-3", "ann", "'"] {
///     assert_eq!(csv_unescape(&csv_safe(id)), id);
/// }
/// ```
pub fn csv_unescape(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}
