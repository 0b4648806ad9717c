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

    /// Adds another distribution's counts.
    pub fn merge(&mut self, other: &Distribution) {
        for (score, count) in &other.counts {
            *self.counts.entry(*score).or_insert(0) += count;
        }
    }

    /// Respondents counted.
    pub fn n(&self) -> u64 {
        self.counts.values().sum()
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

    /// Rebuilds a distribution from stored rows (reducing each fraction again,
    /// so a hand-edited file cannot hold the same score twice).
    pub fn from_rows(rows: &[RawCount]) -> Option<Self> {
        let mut d = Distribution::default();
        for row in rows {
            *d.counts
                .entry(RawScore::new(row.sum, row.answered)?)
                .or_insert(0) += row.count;
        }
        Some(d)
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
    fn stored_rows_round_trip_and_merge() {
        let mut a = Distribution::default();
        a.add(7, 3);
        a.add(4, 2);
        let mut b = Distribution::default();
        b.add(6, 3);
        let mut whole = a.clone();
        whole.add(6, 3);
        a.merge(&b);
        assert_eq!(a, whole);
        assert_eq!(Distribution::from_rows(&a.rows()), Some(a));
    }
}
