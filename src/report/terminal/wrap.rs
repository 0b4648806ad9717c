//! Text measured and fitted in terminal columns: the display width of a
//! string (wide CJK and emoji count two, combining marks none, our own ANSI
//! colour codes nothing), cutting to a width with `…`, padding, and wrapping
//! prose at word boundaries. Only the terminal writer uses it: the other
//! formats are not read in a fixed grid of cells.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `text` takes on a terminal, ANSI colour codes (`ESC [ … m`) not counted.
pub(crate) fn width(text: &str) -> usize {
    if !text.contains('\x1b') {
        return text.width();
    }
    let mut total = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // The writer's own codes only: user text never holds ESC (it is sanitised).
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            total += c.width().unwrap_or(0);
        }
    }
    total
}

/// `text` in at most `max` columns, ending in `…` when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// `text` cut to `columns` and padded with spaces to exactly that many.
pub(crate) fn pad(text: &str, columns: usize) -> String {
    let text = cut(text, columns);
    let fill = columns.saturating_sub(width(&text));
    format!("{text}{}", " ".repeat(fill))
}

/// `text` cut to `columns` and right-aligned in that many.
pub(crate) fn pad_left(text: &str, columns: usize) -> String {
    let text = cut(text, columns);
    let fill = columns.saturating_sub(width(&text));
    format!("{}{text}", " ".repeat(fill))
}

/// `text` wrapped into lines of at most `max` columns: the first line starts
/// with `first`, the others with `rest` (a hanging indent). Lines break at
/// spaces; a word longer than a line (a long id) is broken where it must be,
/// so no line is ever wider than `max` unless an indent alone is.
pub(crate) fn wrap(text: &str, max: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let needed = width(word) + usize::from(!empty);
        if !empty && width(&line) + needed > max {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if width(&line) + w > max && width(&line) > width(rest) {
                lines.push(std::mem::replace(&mut line, rest.to_string()));
            }
            line.push(c);
        }
        empty = false;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_two_and_colour_codes_nothing() {
        // 日本 = 2 + 2; é precomposed = 1; e + combining acute = 1 + 0; 🙂 = 2.
        assert_eq!(width("日本"), 4);
        assert_eq!(width("é"), 1);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("🙂"), 2);
        assert_eq!(width("\x1b[1mab\x1b[0m"), 2);
    }

    #[test]
    fn cut_keeps_within_the_columns() {
        // "日本語" is 6 columns; in 5: 日本 (4) + … (1).
        assert_eq!(cut("日本語", 5), "日本…");
        // in 4: 日 (2) + … (1) = 3, as 日本 + … would be 5.
        assert_eq!(cut("日本語", 4), "日…");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(pad("日本語", 4), "日… ");
        assert_eq!(pad_left("ab", 4), "  ab");
    }

    #[test]
    fn wrap_breaks_at_spaces_with_a_hanging_indent() {
        let lines = wrap("one two three four", 10, "- ", "  ");
        // "- one two" is 9; adding " three" would make 15.
        assert_eq!(lines, ["- one two", "  three", "  four"]);
    }

    #[test]
    fn wrap_breaks_a_word_longer_than_the_line() {
        let lines = wrap("abcdefghij", 6, "", "  ");
        // 6 on the first line, then 4 per line after the two-space indent.
        assert_eq!(lines, ["abcdef", "  ghij"]);
        for line in wrap("日本語日本語", 5, "", "") {
            assert!(width(&line) <= 5, "{line}");
        }
    }

    proptest::proptest! {
        #[test]
        fn wrapped_lines_fit_and_keep_every_word(
            words in proptest::collection::vec("[a-zé日本🙂]{1,30}", 0..40),
            max in 12usize..200,
        ) {
            let text = words.join(" ");
            let lines = wrap(&text, max, "- ", "  ");
            for line in &lines {
                proptest::prop_assert!(width(line) <= max, "{line}");
            }
            // Without the breaks and indents, the same characters in the same order.
            let joined: String = lines.concat().split_whitespace().collect::<String>();
            proptest::prop_assert_eq!(joined.trim_start_matches('-'), words.concat());
        }
    }
}
