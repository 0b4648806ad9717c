//! Turning one answer cell into a value on the response scale: numbers
//! (numeric recodes), the questionnaire's labels and synonyms after
//! normalising, and the decorated forms tools export — `5 - Strongly agree`,
//! `5 = Strongly agree`, `(5) Strongly agree`, `Strongly agree (5)`,
//! `a. Strongly agree`. When a number and a label are both present they must
//! agree. Cells that say "no answer" (`N/A`, `Prefer not to say`, …) are
//! unanswered, never the midpoint. Codes and abbreviations
//! ([`super::answer_code`]) come after the labels. Anything else is an
//! error naming the cell.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use super::answer_code;
use crate::limits::shorten;
use crate::questionnaire::{Questionnaire, ResponseScale};
use crate::scoring::Answer;
use crate::text::{normalise, MISSING_WORDS};

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
#[derive(Debug)]
pub struct LabelTable {
    labels: HashMap<String, i32>,
    min: i32,
    max: i32,
    shown: Vec<String>,
    negative_means_missing: bool,
    /// The values of the answer options, for answer codes (`A3` is the third).
    options: Vec<i32>,
    /// Whether any cell was read as an answer code (for the note that says how).
    codes_read: AtomicBool,
}

impl LabelTable {
    /// The table of `questionnaire`'s response scale. With
    /// `negative_means_missing`, whole numbers below zero are missing-data codes
    /// (Qualtrics recodes such as -99) rather than errors. `codes` are the
    /// user's answer codes (a `--map` file's `A1,5`), which win over every
    /// other reading; the paper-form abbreviations the labels make
    /// unambiguous are added ([`answer_code::ABBREVIATIONS`]).
    pub fn new(
        questionnaire: &Questionnaire,
        negative_means_missing: bool,
        codes: &[(String, i32)],
    ) -> LabelTable {
        let scale: &ResponseScale = questionnaire.response_scale();
        let mut labels = HashMap::new();
        for label in &scale.labels {
            for text in std::iter::once(&label.label).chain(&label.synonyms) {
                labels.insert(normalise(text), label.value);
            }
        }
        let abbreviations = answer_code::abbreviations(&labels);
        labels.extend(abbreviations);
        labels.extend(codes.iter().map(|(code, value)| (normalise(code), *value)));
        LabelTable {
            labels,
            min: scale.min,
            max: scale.max,
            shown: scale.labels.iter().map(|l| l.label.clone()).collect(),
            negative_means_missing,
            options: answer_code::option_values(scale),
            codes_read: AtomicBool::new(false),
        }
    }

    /// Whether any cell so far was read as a LimeSurvey answer code.
    pub fn codes_read(&self) -> bool {
        self.codes_read.load(Ordering::Relaxed)
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
        if let Some(option) = answer_code::option_number(cell) {
            return self.code(cell, option);
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

    /// The answer of code `cell`, the `option`-th answer option.
    fn code(&self, cell: &str, option: usize) -> Result<Answer, String> {
        let value = option.checked_sub(1).and_then(|i| self.options.get(i));
        let Some(&value) = value else {
            return Err(format!(
                "'{}' reads as answer option {option}, but the response scale has {}; expected A1 to A{} \
                 (or a --map file that says what each code means)",
                shorten(cell),
                self.options.len(),
                self.options.len()
            ));
        };
        // Read before written: once set, the flag costs the threads no cache traffic.
        if !self.codes_read.load(Ordering::Relaxed) {
            self.codes_read.store(true, Ordering::Relaxed);
        }
        Ok(Some(value))
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
        LabelTable::new(&builtin::questionnaire().unwrap(), negative_missing, &[])
    }

    #[test]
    fn answer_codes_are_options_in_order_unless_the_map_says_otherwise() {
        let t = table(false);
        assert!(!t.codes_read());
        for (cell, value) in [("A1", 1), ("a3", 3), ("AO05", 5), (" A2 ", 2)] {
            assert_eq!(t.parse(cell), Ok(Some(value)), "{cell}");
        }
        assert!(t.codes_read());
        assert_eq!(
            t.parse("A6"),
            Err(
                "'A6' reads as answer option 6, but the response scale has 5; expected A1 to A5 \
                 (or a --map file that says what each code means)"
                    .into()
            )
        );
        // A survey that listed "Strongly agree" first: the map reverses the codes.
        let q = builtin::questionnaire().unwrap();
        let reversed: Vec<(String, i32)> = (1..=5).map(|n| (format!("A{n}"), 6 - n)).collect();
        let mapped = LabelTable::new(&q, false, &reversed);
        assert_eq!(
            (mapped.parse("A1"), mapped.parse("a5")),
            (Ok(Some(5)), Ok(Some(1)))
        );
        assert!(!mapped.codes_read());
    }

    #[test]
    fn paper_abbreviations_where_the_labels_make_them_unambiguous() {
        // Built-in: 1 Strongly disagree, 2 Disagree, 3 Neither … (synonym Neutral), 4 Agree, 5 Strongly agree.
        let t = table(false);
        for (cell, value) in [
            ("SD", 1),
            ("d", 2),
            ("N", 3),
            ("A", 4),
            ("sa", 5),
            (" SA ", 5),
        ] {
            assert_eq!(t.parse(cell), Ok(Some(value)), "{cell}");
        }
        // A four-point scale has no midpoint: N stands for nothing there.
        let four = Questionnaire::from_json(FOUR_POINT, "four.json").unwrap();
        let t = LabelTable::new(&four, false, &[]);
        assert_eq!(
            (t.parse("SD"), t.parse("A"), t.parse("SA")),
            (Ok(Some(1)), Ok(Some(3)), Ok(Some(4)))
        );
        assert!(t
            .parse("N")
            .unwrap_err()
            .contains("is not a response label"));
    }

    const FOUR_POINT: &str = r#"{ "id": "four", "version": "1", "title": "Four points",
      "response_scale": { "min": 1, "max": 4, "labels": [
        { "value": 1, "label": "Strongly disagree" }, { "value": 2, "label": "Disagree" },
        { "value": 3, "label": "Agree" }, { "value": 4, "label": "Strongly agree" } ] },
      "scales": [ { "id": "a", "name": "Alpha", "kind": "attribute" } ],
      "items": [ { "id": "A1", "scale": "a", "text": "One." }, { "id": "A2", "scale": "a", "text": "Two." },
                 { "id": "A3", "scale": "a", "text": "Three." } ] }"#;

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
