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
    let halves = Halves::of(questionnaire, scale, answers);
    halves.raw_score(questionnaire.scale_keys(scale).len(), min_share)
}

/// One scale's keyed answers, counted and summed in two halves: the scale's
/// 1st, 3rd, 5th… items and its 2nd, 4th… items.
///
/// Raw scores, scale completeness, even–odd consistency
/// ([`crate::validity::even_odd`]) and misfit all start from these numbers, so the
/// assessment walks a candidate's answers once per scale, not once per use.
/// Keyed answers are whole numbers, so the sums are exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Halves {
    /// Sum of the keyed answers of the odd half, and of the even half.
    pub sums: [i64; 2],
    /// Items answered in the odd half, and in the even half.
    pub answered: [usize; 2],
    /// Sum of the squared keyed answers of the whole scale, for the spread
    /// of a person's answers within the scale ([`crate::validity::Misfit`]).
    pub squares: i64,
}

impl Halves {
    /// The halves of scale `scale` (an index into the questionnaire's scales).
    pub fn of(questionnaire: &Questionnaire, scale: usize, answers: &[Answer]) -> Halves {
        let (min, max) = (
            questionnaire.response_scale().min,
            questionnaire.response_scale().max,
        );
        let mut halves = Halves::default();
        for (position, key) in questionnaire.scale_keys(scale).iter().enumerate() {
            // No branch on the answer (careless responders make it
            // unpredictable): a missing one adds zero to both counts.
            let answer = answers[key.item];
            let keyed = answer.map_or(0, |v| keyed_value(v, key.reverse_keyed, min, max));
            halves.sums[position % 2] += i64::from(keyed);
            halves.answered[position % 2] += usize::from(answer.is_some());
            // |keyed| ≤ 2·999,999 (questionnaire::MAX_RESPONSE_VALUE), so its square fits an i64.
            halves.squares += i64::from(keyed) * i64::from(keyed);
        }
        halves
    }

    /// Items answered in the whole scale.
    pub fn answered(&self) -> usize {
        self.answered[0] + self.answered[1]
    }

    /// Sum of the keyed answers of the whole scale.
    pub fn sum(&self) -> i64 {
        self.sums[0] + self.sums[1]
    }

    /// The mean of each half; `None` unless both have an answer.
    pub fn means(&self) -> Option<(f64, f64)> {
        let [odd, even] = self.answered;
        (odd > 0 && even > 0).then(|| (mean(self.sums[0], odd), mean(self.sums[1], even)))
    }

    /// The raw score of the scale of `items` items these halves sum.
    pub fn raw_score(&self, items: usize, min_share: f64) -> RawScore {
        let (answered, sum) = (self.answered(), self.sum());
        RawScore {
            answered,
            items,
            sum,
            raw: enough_answered(answered, items, min_share).then(|| mean(sum, answered)),
        }
    }

    /// Calls `f` with the halves of every scale, in the questionnaire's
    /// order, held on the stack for any ordinary questionnaire (so assessing
    /// a candidate allocates nothing).
    pub fn of_every_scale<R>(
        questionnaire: &Questionnaire,
        answers: &[Answer],
        f: impl FnOnce(&[Halves]) -> R,
    ) -> R {
        let scales = questionnaire.scales().len();
        let each = (0..scales).map(|s| Halves::of(questionnaire, s, answers));
        let mut inline = [Halves::default(); 16];
        if scales <= inline.len() {
            inline.iter_mut().zip(each).for_each(|(h, of)| *h = of);
            f(&inline[..scales])
        } else {
            f(&each.collect::<Vec<_>>())
        }
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
