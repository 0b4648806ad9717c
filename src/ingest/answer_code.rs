//! Answers written as codes or abbreviations rather than labels: the
//! answer codes LimeSurvey exports by default (`A1`…`A5`, `AO01`…), read
//! as the n-th answer option of the response scale, and the abbreviations
//! of paper forms (`SD`, `D`, `N`, `A`, `SA`), read only where the scale's
//! own labels say what each stands for.
//!
//! Pure functions of text and the response scale; [`super::label`] decides
//! when to consult them (after the labels, so that a label or a `--map`
//! code always wins).

use std::collections::HashMap;

use crate::questionnaire::ResponseScale;

/// Paper-form abbreviations and the normalised labels each may stand for.
/// One is used only when the labels it may stand for name exactly one point
/// of the scale: `N` on a scale without a midpoint means nothing.
pub const ABBREVIATIONS: [(&str, &[&str]); 5] = [
    ("sd", &["strongly disagree"]),
    ("d", &["disagree"]),
    (
        "n",
        &[
            "neutral",
            "neither agree nor disagree",
            "neither agree or disagree",
            "undecided",
        ],
    ),
    ("a", &["agree"]),
    ("sa", &["strongly agree"]),
];

/// The abbreviations `labels` (normalised label → value) make unambiguous,
/// with their values: each whose long forms name exactly one value, and
/// that is not itself a label already.
pub fn abbreviations(labels: &HashMap<String, i32>) -> Vec<(String, i32)> {
    let value = |long: &[&str]| {
        let mut values: Vec<i32> = long
            .iter()
            .filter_map(|l| labels.get(*l).copied())
            .collect();
        values.sort_unstable();
        values.dedup();
        match values[..] {
            [value] => Some(value),
            _ => None,
        }
    };
    (ABBREVIATIONS.iter())
        .filter(|(short, _)| !labels.contains_key(*short))
        .filter_map(|(short, long)| Some((short.to_string(), value(long)?)))
        .collect()
}

/// The option number of a LimeSurvey answer code: `A3` and `AO03` are 3
/// (case ignored); anything else is `None`.
pub fn option_number(cell: &str) -> Option<usize> {
    let bytes = cell.as_bytes();
    let digits = match bytes {
        [b'A' | b'a', b'O' | b'o', rest @ ..] | [b'A' | b'a', rest @ ..] => rest,
        _ => return None,
    };
    if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0, |n, &b| n * 10 + usize::from(b - b'0')),
    )
}

/// The values of the scale's answer options in order: its labels' values,
/// lowest first, or every whole number from min to max when it has none.
pub fn option_values(scale: &ResponseScale) -> Vec<i32> {
    if scale.labels.is_empty() {
        return (scale.min..=scale.max).collect();
    }
    let mut values: Vec<i32> = scale.labels.iter().map(|l| l.value).collect();
    values.sort_unstable();
    values.dedup();
    values
}

/// How codes are read, in words: `A1 = 1 (Strongly disagree) … A5 = 5 (Strongly agree)`.
pub fn describe(scale: &ResponseScale) -> String {
    let values = option_values(scale);
    let shown = |n: usize, value: i32| {
        let label = scale.labels.iter().find(|l| l.value == value);
        match label {
            Some(l) => format!("A{n} = {value} ({})", l.label),
            None => format!("A{n} = {value}"),
        }
    };
    let first = values.first().map(|&v| shown(1, v)).unwrap_or_default();
    let last = values
        .last()
        .map(|&v| shown(values.len(), v))
        .unwrap_or_default();
    format!("{first} … {last}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    #[test]
    fn codes_are_a_or_ao_and_digits() {
        assert_eq!(option_number("A1"), Some(1));
        assert_eq!(option_number("a5"), Some(5));
        assert_eq!(option_number("AO03"), Some(3));
        assert_eq!(option_number("ao12"), Some(12));
        for other in ["A", "AO", "B1", "A1x", "Agree", "A-1", "A12345"] {
            assert_eq!(option_number(other), None, "{other}");
        }
    }

    #[test]
    fn options_in_the_order_of_their_values() {
        let q = builtin::questionnaire().unwrap();
        assert_eq!(option_values(q.response_scale()), [1, 2, 3, 4, 5]);
        assert_eq!(
            describe(q.response_scale()),
            "A1 = 1 (Strongly disagree) … A5 = 5 (Strongly agree)"
        );
        let bare = ResponseScale {
            min: 0,
            max: 3,
            labels: vec![],
        };
        assert_eq!(option_values(&bare), [0, 1, 2, 3]);
        assert_eq!(describe(&bare), "A1 = 0 … A4 = 3");
    }
}
