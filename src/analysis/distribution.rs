//! The exact distribution of a scale's raw scores: how many respondents got
//! each raw score, with raw scores kept as exact fractions.
//!
//! A raw score is the mean of the answered keyed items, `sum / answered`, so
//! it takes few distinct values and each one is an exact rational number.
//! Keying the counts by the reduced fraction makes equality exact (4/2 and
//! 6/3 are the same score, 7/3 and 2.333… are not confused), and counts merge
//! by addition. Mean, sd and the percentile table are computed from the
//! counts in ascending order, so equal counts give equal bytes.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::moments::MergeProblem;
use crate::norms::PercentilePoint;

/// A raw score as the reduced fraction `sum / answered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawScore {
    /// Numerator: the sum of keyed answers, reduced.
    pub sum: i64,
    /// Denominator: the number of answered items, reduced; at least 1.
    pub answered: u64,
}

impl RawScore {
    /// The fraction `sum / answered` in lowest terms; `None` when `answered` is 0.
    pub fn new(sum: i64, answered: u64) -> Option<Self> {
        if answered == 0 {
            return None;
        }
        let divisor = gcd(sum.unsigned_abs(), answered).max(1);
        Some(RawScore {
            sum: sum / divisor as i64,
            answered: answered / divisor,
        })
    }

    /// The value as a float: the correctly rounded quotient, the same as `sum as f64 / answered as f64`
    /// before reduction.
    pub fn value(self) -> f64 {
        self.sum as f64 / self.answered as f64
    }
}

impl Ord for RawScore {
    fn cmp(&self, other: &Self) -> Ordering {
        // a/b vs c/d with b, d > 0: compare a·d with c·b, exactly.
        (i128::from(self.sum) * i128::from(other.answered))
            .cmp(&(i128::from(other.sum) * i128::from(self.answered)))
    }
}

impl PartialOrd for RawScore {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Counts of respondents per exact raw score.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Distribution {
    counts: BTreeMap<RawScore, u64>,
}

/// One row of a distribution as stored in a partial file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCount {
    /// Sum of keyed answers (reduced).
    pub sum: i64,
    /// Items answered (reduced).
    pub answered: u64,
    /// Respondents with this raw score.
    pub count: u64,
}

impl Distribution {
    /// Counts one respondent with raw score `sum / answered`; nothing when `answered` is 0.
    pub fn add(&mut self, sum: i64, answered: u64) {
        if let Some(score) = RawScore::new(sum, answered) {
            *self.counts.entry(score).or_insert(0) += 1;
        }
    }

    /// Adds another distribution's counts, in checked arithmetic.
    ///
    /// # Errors
    /// [`MergeProblem::Overflow`], changing nothing, when a count would overflow.
    pub fn merge(&mut self, other: &Distribution) -> Result<(), MergeProblem> {
        let mut sum = self.clone();
        for (score, count) in &other.counts {
            let entry = sum.counts.entry(*score).or_insert(0);
            *entry = entry.checked_add(*count).ok_or(MergeProblem::Overflow)?;
        }
        sum.checked_n().ok_or(MergeProblem::Overflow)?;
        *self = sum;
        Ok(())
    }

    /// Respondents counted. The total fits a `u64`: rows are added one
    /// respondent at a time, and [`Distribution::from_rows`] and
    /// [`Distribution::merge`] refuse counts whose total would not.
    pub fn n(&self) -> u64 {
        self.checked_n().unwrap_or(u64::MAX)
    }

    fn checked_n(&self) -> Option<u64> {
        self.counts
            .values()
            .try_fold(0u64, |total, &count| total.checked_add(count))
    }

    /// The counts, ascending by raw score, for storage.
    pub fn rows(&self) -> Vec<RawCount> {
        self.counts
            .iter()
            .map(|(s, &count)| RawCount {
                sum: s.sum,
                answered: s.answered,
                count,
            })
            .collect()
    }

    /// Rebuilds a distribution from stored rows of a scale of `items` items
    /// answered on `min..=max` (reducing each fraction again, so a
    /// hand-edited file cannot hold the same score twice).
    ///
    /// # Errors
    /// What no data could give: no rows, a row of no respondents or of no
    /// or too many items answered, a raw score outside `min..=max`, more
    /// respondents than `respondents`.
    pub fn from_rows(
        rows: &[RawCount],
        items: usize,
        (min, max): (i32, i32),
        respondents: u64,
    ) -> Result<Self, String> {
        if rows.is_empty() {
            return Err("an empty raw-score table: no respondent has a score".into());
        }
        let mut d = Distribution::default();
        for (i, row) in rows.iter().enumerate() {
            let answered = i128::from(row.answered);
            let on_scale = (i128::from(min) * answered..=i128::from(max) * answered)
                .contains(&i128::from(row.sum));
            let Some(score) = RawScore::new(row.sum, row.answered)
                .filter(|_| row.count > 0 && row.answered <= items as u64 && on_scale)
            else {
                return Err(format!(
                    "raw_scores[{i}]: sum {}, answered {}, count {}; a raw score sum/answered \
                     needs 1 to {items} items answered, a mean from {min} to {max}, and a count above 0",
                    row.sum, row.answered, row.count
                ));
            };
            let entry = d.counts.entry(score).or_insert(0);
            *entry = entry
                .checked_add(row.count)
                .ok_or("raw-score counts too large to add")?;
        }
        match d.checked_n() {
            Some(n) if n <= respondents => Ok(d),
            n => Err(format!(
                "{} respondents with a raw score, more than the {respondents} respondents of the item table",
                n.map_or_else(|| "more than 2^64".into(), |n| n.to_string())
            )),
        }
    }

    /// Mean raw score.
    pub fn mean(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| {
            self.counts
                .iter()
                .map(|(s, &c)| s.value() * c as f64)
                .sum::<f64>()
                / n as f64
        })
    }

    /// Sample standard deviation (n − 1 denominator), two-pass.
    pub fn sd(&self) -> Option<f64> {
        let n = self.n();
        let mean = self.mean()?;
        (n > 1).then(|| {
            let ss: f64 = self
                .counts
                .iter()
                .map(|(s, &c)| c as f64 * (s.value() - mean).powi(2))
                .sum();
            (ss / (n - 1) as f64).sqrt()
        })
    }

    /// The exact percentile-rank table: for each raw score x that occurred,
    /// `PR(x) = 100 · (count below x + ½ · count equal to x) / n`.
    pub fn percentile_table(&self) -> Vec<PercentilePoint> {
        let n = self.n() as f64;
        let mut below = 0u64;
        self.counts
            .iter()
            .map(|(score, &count)| {
                let percentile = 100.0 * (below as f64 + 0.5 * count as f64) / n;
                below += count;
                PercentilePoint {
                    raw: score.value(),
                    percentile,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_exact_and_reduced() {
        // 8/2 = 12/3 = 4; 7/3 stays 7/3 and sorts between 2 and 5/2.
        assert_eq!(RawScore::new(8, 2), RawScore::new(12, 3));
        assert_eq!(RawScore::new(7, 3).unwrap().answered, 3);
        let mut scores = [
            RawScore::new(5, 2),
            RawScore::new(7, 3),
            RawScore::new(2, 1),
        ]
        .map(Option::unwrap);
        scores.sort();
        assert_eq!(
            scores.map(|s| (s.sum, s.answered)),
            [(2, 1), (7, 3), (5, 2)]
        );
        assert_eq!(RawScore::new(3, 0), None);
    }

    #[test]
    fn percentile_ranks_by_hand() {
        // Raw scores 2, 3, 3, 3, 4 (n = 5):
        // PR(2) = 100·(0 + ½·1)/5 = 10; PR(3) = 100·(1 + ½·3)/5 = 50; PR(4) = 100·(4 + ½)/5 = 90.
        let mut d = Distribution::default();
        for (sum, answered) in [(6, 3), (9, 3), (6, 2), (12, 4), (8, 2)] {
            d.add(sum, answered);
        }
        let table = d.percentile_table();
        let points: Vec<(f64, f64)> = table.iter().map(|p| (p.raw, p.percentile)).collect();
        assert_eq!(points, [(2.0, 10.0), (3.0, 50.0), (4.0, 90.0)]);
        // mean 15/5 = 3; sd √((1 + 0 + 0 + 0 + 1)/4) = √0.5.
        assert_eq!(d.mean(), Some(3.0));
        assert!((d.sd().unwrap() - 0.5f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn stored_rows_no_data_could_give_are_refused() {
        let row = |sum, answered, count| RawCount {
            sum,
            answered,
            count,
        };
        let from = |rows: &[RawCount]| Distribution::from_rows(rows, 3, (1, 5), 10);
        assert!(from(&[])
            .unwrap_err()
            .starts_with("an empty raw-score table"));
        // 16/3 is above 5; 4 items answered of 3; no respondents; no items.
        for bad in [row(16, 3, 1), row(8, 4, 1), row(4, 1, 0), row(0, 0, 1)] {
            let err = from(&[bad]).unwrap_err();
            assert!(err.starts_with("raw_scores[0]: sum"), "{err}");
        }
        // 6 + 5 = 11 respondents with a score, of 10 in the item table.
        let err = from(&[row(2, 1, 6), row(3, 1, 5)]).unwrap_err();
        assert!(
            err.starts_with("11 respondents with a raw score, more than the 10"),
            "{err}"
        );
        // Counts that wrap round a u64 (the probe's n = 5,998): 4/2 is 2/1 again.
        let err = Distribution::from_rows(
            &[row(2, 1, u64::MAX), row(4, 2, 5_999)],
            3,
            (1, 5),
            u64::MAX,
        )
        .unwrap_err();
        assert_eq!(err, "raw-score counts too large to add");
    }

    #[test]
    fn stored_rows_round_trip_and_merge() {
        let mut a = Distribution::default();
        a.add(7, 3);
        a.add(4, 2);
        let mut b = Distribution::default();
        b.add(6, 3);
        let mut whole = a.clone();
        whole.add(6, 3);
        a.merge(&b).unwrap();
        assert_eq!(a, whole);
        assert_eq!(Distribution::from_rows(&a.rows(), 3, (1, 5), 3), Ok(a));
    }
}
