//! Turning one answer cell into a value on the response scale: numbers
//! (numeric recodes), the questionnaire's labels and synonyms after
//! normalising, and the decorated forms tools export — `5 - Strongly agree`,
//! `5 = Strongly agree`, `(5) Strongly agree`, `Strongly agree (5)`,
//! `a. Strongly agree`. When a number and a label are both present they must
//! agree. Cells that say "no answer" (`N/A`, `Prefer not to say`, …) are
//! unanswered, never the midpoint. Anything else is an error naming the cell.

use std::collections::HashMap;

use super::text::normalise;
use crate::limits::shorten;
use crate::questionnaire::{Questionnaire, ResponseScale};
use crate::scoring::Answer;

/// Normalised cell texts that mean "not answered".
pub const MISSING_WORDS: [&str; 9] = [
    "n/a",
    "na",
    "not applicable",
    "don't know",
    "dont know",
    "prefer not to say",
    "prefer not to answer",
    "no answer",
    "skipped",
];

/// A cell of one to six ASCII digits as a number (whole, non-negative, under
/// a million, so [`LabelTable::number`] would accept it as it is).
fn plain_digits(cell: &str) -> Option<i32> {
    let bytes = cell.as_bytes();
    if bytes.is_empty() || bytes.len() > 6 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0, |n, &b| n * 10 + i32::from(b - b'0')))
}

/// Labels and synonyms of a response scale, ready for lookup.
#[derive(Debug, Clone)]
pub struct LabelTable {
    labels: HashMap<String, i32>,
    min: i32,
    max: i32,
    shown: Vec<String>,
    negative_means_missing: bool,
}

impl LabelTable {
    /// The table of `questionnaire`'s response scale. With
    /// `negative_means_missing`, whole numbers below zero are missing-data codes
    /// (Qualtrics recodes such as -99) rather than errors.
    pub fn new(questionnaire: &Questionnaire, negative_means_missing: bool) -> LabelTable {
        let scale: &ResponseScale = questionnaire.response_scale();
        let mut labels = HashMap::new();
        for label in &scale.labels {
            for text in std::iter::once(&label.label).chain(&label.synonyms) {
                labels.insert(normalise(text), label.value);
            }
        }
        LabelTable {
            labels,
            min: scale.min,
            max: scale.max,
            shown: scale.labels.iter().map(|l| l.label.clone()).collect(),
            negative_means_missing,
        }
    }

    /// The answer a cell holds.
    ///
    /// # Errors
    /// A sentence saying what the cell holds and what was expected.
    pub fn parse(&self, cell: &str) -> Result<Answer, String> {
        self.parse_simple(cell.as_bytes())
            .map_or_else(|| self.parse_text(cell), Ok)
    }

    /// The answer of a cell that is empty or one digit on the scale, which
    /// most cells of most files are; `None` for any other cell, which needs
    /// [`Self::parse`]. Where this gives an answer, [`Self::parse`] gives the
    /// same. Small enough to inline into a loop over cells, and it returns in
    /// registers rather than through memory as a `Result` does.
    #[inline]
    pub fn parse_simple(&self, cell: &[u8]) -> Option<Answer> {
        match cell {
            [] => Some(None),
            &[digit @ b'0'..=b'9'] => {
                let value = i32::from(digit - b'0');
                self.on_scale(value).then_some(Some(value))
            }
            _ => None,
        }
    }

    /// [`Self::parse`] for any cell, for a caller that has tried
    /// [`Self::parse_simple`] already.
    pub(crate) fn parse_text(&self, cell: &str) -> Result<Answer, String> {
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(None);
        }
        // Numbers first: the common case, and it needs no allocation. Plain
        // digits (most cells of most files) skip the float parser.
        if let Some(number) = plain_digits(cell) {
            return self.in_range(number);
        }
        if let Some(number) = cell.parse::<f64>().ok().or_else(|| decimal_comma(cell)) {
            return self.number(cell, number);
        }
        let words = normalise(cell);
        if MISSING_WORDS.contains(&words.as_str()) {
            return Ok(None);
        }
        if let Some(&value) = self.labels.get(&words) {
            return Ok(Some(value));
        }
        match split_number(cell) {
            Some((number, label)) => self.numbered(cell, number, label),
            None => Err(self.unknown(cell)),
        }
    }

    fn number(&self, cell: &str, number: f64) -> Result<Answer, String> {
        let whole = number.fract() == 0.0 && number.abs() < 1e6;
        if whole && number < 0.0 && self.negative_means_missing {
            return Ok(None);
        }
        if !whole {
            return Err(format!(
                "'{}' is a decimal number; expected a whole number from {} to {}",
                shorten(cell),
                self.min,
                self.max
            ));
        }
        self.in_range(number as i32)
    }

    fn in_range(&self, value: i32) -> Result<Answer, String> {
        if !self.on_scale(value) {
            return Err(format!(
                "{value} is outside the response scale; expected {} to {}",
                self.min, self.max
            ));
        }
        Ok(Some(value))
    }

    fn on_scale(&self, value: i32) -> bool {
        (self.min..=self.max).contains(&value)
    }

    fn numbered(&self, cell: &str, number: Option<i32>, label: &str) -> Result<Answer, String> {
        let Some(&value) = self.labels.get(&normalise(label)) else {
            return Err(self.unknown(cell));
        };
        match number {
            Some(n) if n != value => Err(format!(
                "'{}': the number {n} and the label '{}' ({value}) disagree",
                shorten(cell),
                shorten(label.trim())
            )),
            _ => self.in_range(value),
        }
    }

    fn unknown(&self, cell: &str) -> String {
        let cell = shorten(cell);
        if self.shown.is_empty() {
            format!(
                "'{cell}' is not a number; expected {} to {}",
                self.min, self.max
            )
        } else {
            format!(
                "'{cell}' is not a response label; expected one of {} (or a synonym), or {} to {}",
                self.shown.join(", "),
                self.min,
                self.max
            )
        }
    }
}

/// A number written with a decimal comma, as Excel writes numbers in
/// German, French or Spanish settings (`6,0`, `3,5`): digits, one comma,
/// digits. Thousands separators do not occur on a response scale.
fn decimal_comma(cell: &str) -> Option<f64> {
    let (whole, fraction) = cell.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = whole.strip_prefix('-').unwrap_or(whole);
    (digits(unsigned) && digits(fraction))
        .then(|| format!("{whole}.{fraction}").parse().ok())
        .flatten()
}

/// Splits a decorated label into its number (if any) and label text:
/// `5 - Agree`, `5 = Agree`, `5. Agree`, `(5) Agree`, `Agree (5)`, and a
/// letter enumeration `a. Agree` (number `None`).
fn split_number(cell: &str) -> Option<(Option<i32>, &str)> {
    let digits = |s: &str| s.trim().parse::<i32>().ok();
    if let Some(rest) = cell.strip_prefix('(') {
        let (number, label) = rest.split_once(')')?;
        return Some((Some(digits(number)?), label));
    }
    if let Some(head) = cell.strip_suffix(')') {
        let (label, number) = head.rsplit_once('(')?;
        return Some((Some(digits(number)?), label));
    }
    let end = cell.find(|c: char| !c.is_ascii_alphanumeric())?;
    let (head, rest) = cell.split_at(end);
    let rest = rest.trim_start();
    let label = ["-", "=", ".", ":", ")"]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))?;
    match digits(head) {
        Some(number) => Some((Some(number), label)),
        None if head.len() == 1 && head.chars().all(|c| c.is_ascii_alphabetic()) => {
            Some((None, label))
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    fn table(negative_missing: bool) -> LabelTable {
        LabelTable::new(&builtin::questionnaire().unwrap(), negative_missing)
    }

    #[test]
    fn labels_synonyms_and_decorations() {
        let t = table(false);
        // The built-in scale: 1 Strongly disagree … 4 Agree, 5 Strongly agree.
        for (cell, value) in [
            ("Strongly agree", 5),
            ("agree ", 4),
            ("  STRONGLY   disagree.", 1),
            ("5 - Strongly agree", 5),
            ("Strongly agree (5)", 5),
            ("Agree (4)", 4),
            ("(2) Disagree", 2),
            ("3 = Neutral", 3),
            ("a. Strongly agree", 5),
            ("Stimme voll und ganz zu", 5),
            ("Pas d’accord", 2),
            // Qualtrics' stock 5-point agreement scale, and other tools' wordings.
            ("Somewhat agree", 4),
            ("Somewhat disagree", 2),
            ("Tend to agree", 4),
            ("Slightly agree", 4),
            ("Mostly agree", 4),
            ("Disagree somewhat", 2),
            ("4 - Somewhat agree", 4),
            ("4", 4),
            ("4.0", 4),
            // Whole numbers as Excel writes them with a decimal comma.
            ("4,0", 4),
            (" 5,00 ", 5),
        ] {
            assert_eq!(t.parse(cell), Ok(Some(value)), "{cell}");
        }
    }

    #[test]
    fn missing_words_are_unanswered() {
        let t = table(false);
        for cell in ["", "  ", "N/A", "Prefer not to say", "don’t know"] {
            assert_eq!(t.parse(cell), Ok(None), "{cell}");
        }
    }

    #[test]
    fn one_digit_cells_parse_as_the_general_path_does() {
        // " d " is trimmed and takes the general path; "d" the short cut.
        // Out of range, the short cut declines, and parse gives the error.
        let t = table(false);
        for digit in 0..=9 {
            let cell = digit.to_string();
            assert_eq!(t.parse(&cell), t.parse(&format!(" {cell} ")), "{cell}");
        }
        assert_eq!(t.parse("3"), Ok(Some(3)));
        assert_eq!(t.parse_simple(b"3"), Some(Some(3)));
        assert_eq!(t.parse_simple(b""), Some(None));
        assert_eq!(t.parse_simple(b"0"), None);
        assert_eq!(t.parse_simple(b" 3"), None);
        assert_eq!(
            t.parse("0"),
            Err("0 is outside the response scale; expected 1 to 5".into())
        );
    }

    #[test]
    fn errors_name_the_cell() {
        let t = table(false);
        assert_eq!(
            t.parse("6"),
            Err("6 is outside the response scale; expected 1 to 5".into())
        );
        for decimal in ["3.5", "3,5"] {
            assert_eq!(
                t.parse(decimal),
                Err(format!(
                    "'{decimal}' is a decimal number; expected a whole number from 1 to 5"
                ))
            );
        }
        assert_eq!(
            t.parse("6,0"),
            Err("6 is outside the response scale; expected 1 to 5".into())
        );
        // A comma between anything but digits is no number.
        assert!(t
            .parse("3,")
            .unwrap_err()
            .contains("is not a response label"));
        assert_eq!(
            t.parse("4 - Strongly agree"),
            Err(
                "'4 - Strongly agree': the number 4 and the label 'Strongly agree' (5) disagree"
                    .into()
            )
        );
        let unknown = t.parse("Sometimes").unwrap_err();
        assert!(
            unknown.starts_with(
                "'Sometimes' is not a response label; expected one of Strongly disagree, Disagree,"
            ),
            "{unknown}"
        );
        assert!(t.parse("=1+1").is_err());
        assert_eq!(
            t.parse("-99"),
            Err("-99 is outside the response scale; expected 1 to 5".into())
        );
    }

    #[test]
    fn qualtrics_negative_recodes_are_missing() {
        assert_eq!(table(true).parse("-99"), Ok(None));
        assert_eq!(
            table(true).parse("7").unwrap_err(),
            "7 is outside the response scale; expected 1 to 5"
        );
    }
}
