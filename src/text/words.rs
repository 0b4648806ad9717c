//! Numbers and levels as people read them, and the cell texts that mean
//! "not answered".

/// Normalised cell texts that mean "not answered": such a cell is
/// unanswered, never the midpoint, and no questionnaire label may be one.
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

/// A number from a user's file, shown as they could have typed it: plain
/// digits in the everyday range, exponent notation for the extremes (so
/// 1e308 is not a line of 309 digits, and 5e-324 is not 0).
///
/// ```
/// use servicefit::text::number;
/// assert_eq!(number(2.5), "2.5");
/// assert_eq!(number(1e308), "1e308");
/// assert_eq!(number(5e-324), "5e-324");
/// assert_eq!(number(-0.0001), "-0.0001");
/// ```
pub fn number(value: f64) -> String {
    let size = value.abs();
    if size != 0.0 && size.is_finite() && !(1e-4..1e9).contains(&size) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// A confidence level as people read it: 0.9 is "90%", 0.975 "97.5%".
///
/// Every label of an interval ("90% range") is built from the run's level,
/// never written out, because `--confidence` changes every interval. The
/// percentage is rounded to four decimals so that 0.57 reads "57%", not the
/// "56.99999999999999%" of its binary value.
///
/// ```
/// use servicefit::text::level_words;
/// assert_eq!(level_words(0.9), "90%");
/// assert_eq!(level_words(0.57), "57%");
/// ```
pub fn level_words(confidence: f64) -> String {
    let percent = (confidence * 100.0 * 1e4).round() / 1e4;
    format!("{percent}%")
}
