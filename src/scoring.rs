//! Raw scale scores: reverse keying, the missing-data rule, and POMP.
//!
//! Pure functions over a questionnaire and one candidate's answers. A raw
//! score is the mean of the answered items of a scale after reverse keying
//! (so it stays on the response scale, e.g. 1..5, whatever the number of
//! items); a scale with too few answered items has no score at all.

use serde::Serialize;

use crate::questionnaire::Questionnaire;

/// One answer: the value on the response scale, or `None` if not answered.
pub type Answer = Option<i32>;

/// The keyed value of an answer: `x` for a normal item, `min + max − x` for a reverse-keyed one.
///
/// # Formula
/// Reverse keying mirrors the answer on the response scale, so that a high
/// keyed value always means a high standing on the scale (Furr & Bacharach 2014, ch. 3).
///
/// ```
/// use servicefit::scoring::keyed_value;
/// assert_eq!(keyed_value(4, true, 1, 5), 2);
/// assert_eq!(keyed_value(4, false, 1, 5), 4);
/// ```
pub fn keyed_value(value: i32, reverse_keyed: bool, min: i32, max: i32) -> i32 {
    if reverse_keyed {
        min + max - value
    } else {
        value
    }
}

/// POMP: the percent of maximum possible, `100 · (raw − min) / (max − min)`.
///
/// Cohen, Cohen, Aiken & West (1999). A raw mean of 4 on a 1..5 scale is 75.
///
/// ```
/// assert_eq!(servicefit::scoring::pomp(4.0, 1, 5), 75.0);
/// ```
pub fn pomp(raw: f64, min: i32, max: i32) -> f64 {
    100.0 * (raw - f64::from(min)) / f64::from(max - min)
}

/// Whether `answered` of `total` items is enough for a scale score.
///
/// The rule: at least one item, and at least `min_share` of the items. With
/// `min_share = 0` one answered item suffices (R psych's `scoreItems(impute = "none")`).
pub fn enough_answered(answered: usize, total: usize, min_share: f64) -> bool {
    // A tiny tolerance so that 9 of 12 meets 0.75 despite binary fractions.
    answered > 0 && answered as f64 >= min_share * total as f64 - 1e-9
}

/// The raw score of one scale for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RawScore {
    /// Items of the scale answered.
    pub answered: usize,
    /// Items of the scale.
    pub items: usize,
    /// Sum of the keyed answers of the answered items.
    pub sum: i64,
    /// Mean keyed answer, or `None` when too few items were answered.
    pub raw: Option<f64>,
}

/// The mean keyed answer of `answered` items summing to `sum`: the raw score.
///
/// The one place a raw score is computed, so that a table of normed scores
/// built from it ([`crate::norms::NormTable`]) gives exactly what computing
/// them afresh would.
pub fn mean(sum: i64, answered: usize) -> f64 {
    sum as f64 / answered as f64
}

/// Raw scores of every scale, in the questionnaire's scale order.
///
/// `answers` holds one entry per item in presentation order, already
/// checked to lie on the response scale.
pub fn raw_scores(
    questionnaire: &Questionnaire,
    answers: &[Answer],
    min_share: f64,
) -> Vec<RawScore> {
    (0..questionnaire.scales().len())
        .map(|scale| raw_score(questionnaire, scale, answers, min_share))
        .collect()
}

/// The raw score of scale `scale` (an index into the questionnaire's scales).
pub fn raw_score(
    questionnaire: &Questionnaire,
    scale: usize,
    answers: &[Answer],
    min_share: f64,
) -> RawScore {
    let (min, max) = (
        questionnaire.response_scale().min,
        questionnaire.response_scale().max,
    );
    let keys = questionnaire.scale_keys(scale);
    let mut sum = 0i64;
    let mut answered = 0usize;
    for key in keys {
        if let Some(value) = answers[key.item] {
            sum += i64::from(keyed_value(value, key.reverse_keyed, min, max));
            answered += 1;
        }
    }
    let raw = enough_answered(answered, keys.len(), min_share).then(|| mean(sum, answered));
    RawScore {
        answered,
        items: keys.len(),
        sum,
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_keying_mirrors_the_scale() {
        // 1..5: 1↔5, 2↔4, 3↔3. On 0..6: 0↔6, 2↔4.
        assert_eq!(
            [1, 2, 3, 4, 5].map(|x| keyed_value(x, true, 1, 5)),
            [5, 4, 3, 2, 1]
        );
        assert_eq!(keyed_value(2, true, 0, 6), 4);
    }

    #[test]
    fn missing_data_rule() {
        // 9/12 = 0.75 meets 0.75; 8/12 = 0.667 does not; 0 never does.
        assert!(enough_answered(9, 12, 0.75));
        assert!(!enough_answered(8, 12, 0.75));
        assert!(enough_answered(1, 12, 0.0));
        assert!(!enough_answered(0, 12, 0.0));
        // 2/3 = 0.667 < 0.75; 3/3 meets it.
        assert!(!enough_answered(2, 3, 0.75));
        assert!(enough_answered(3, 3, 0.75));
    }

    #[test]
    fn pomp_spans_zero_to_hundred() {
        // (1−1)/4 = 0; (5−1)/4 = 1; (2.5−1)/4 = 0.375.
        assert_eq!(pomp(1.0, 1, 5), 0.0);
        assert_eq!(pomp(5.0, 1, 5), 100.0);
        assert_eq!(pomp(2.5, 1, 5), 37.5);
    }
}
