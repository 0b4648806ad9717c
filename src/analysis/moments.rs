//! Sufficient statistics of one scale's items: exact integer sums that merge
//! by addition, from which every reliability statistic is computed.
//!
//! Answers are integers, so counts, sums and cross-products are integers too:
//! adding the moments of two halves of a sample gives exactly the moments of
//! the whole, bit for bit. Missing answers are handled pairwise, as R psych's
//! `alpha()` does by default (`cov(x, use = "pairwise")`): each covariance uses
//! the respondents who answered both items, each variance those who answered
//! the item.

use serde::{Deserialize, Serialize};

use crate::questionnaire::{ItemRole, Questionnaire};
use crate::scoring::{keyed_value, Answer};

/// Pairwise sums of one scale's keyed answers, and the raw answers' frequencies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemMoments {
    /// Item ids, in presentation order.
    pub items: Vec<String>,
    /// Lowest answer value of the response scale.
    pub min: i32,
    /// Highest answer value of the response scale.
    pub max: i32,
    /// Respondents seen (answered or not).
    pub respondents: u64,
    /// `[i][j]`: respondents who answered both item i and item j (`[i][i]`: answered item i).
    pub pair_n: Vec<Vec<u64>>,
    /// `[i][j]`: sum of item i's keyed answers over those who answered both i and j.
    pub pair_sum: Vec<Vec<i64>>,
    /// `[i][j]`: sum of the products of i's and j's keyed answers (`[i][i]`: sum of squares).
    pub pair_cross: Vec<Vec<i64>>,
    /// `[i][v]`: respondents who gave the raw (unkeyed) answer `min + v` to item i.
    pub frequencies: Vec<Vec<u64>>,
}

/// Why two samples cannot be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeProblem {
    /// Other items or another response scale.
    OtherItems,
    /// A count or sum would exceed what its integer holds, or the
    /// respondents [`crate::bounds::MAX_COUNT`].
    Overflow,
}

/// Adds `other` into `tables` cell by cell, refusing an overflow.
fn add_all<T: Copy + CheckedAdd>(
    tables: &mut [Vec<T>],
    other: &[Vec<T>],
) -> Result<(), MergeProblem> {
    for (x, y) in tables.iter_mut().flatten().zip(other.iter().flatten()) {
        *x = x.checked(*y).ok_or(MergeProblem::Overflow)?;
    }
    Ok(())
}

/// Checked addition of the integers of the tables.
trait CheckedAdd: Sized {
    fn checked(self, other: Self) -> Option<Self>;
}

impl CheckedAdd for u64 {
    fn checked(self, other: Self) -> Option<Self> {
        self.checked_add(other)
    }
}

impl CheckedAdd for i64 {
    fn checked(self, other: Self) -> Option<Self> {
        self.checked_add(other)
    }
}

impl ItemMoments {
    /// Empty moments for the items of scale `scale` of `questionnaire`.
    pub fn new(questionnaire: &Questionnaire, scale: usize) -> Self {
        let k = questionnaire.scale_items(scale).len();
        let rs = questionnaire.response_scale();
        let values = (rs.max - rs.min + 1) as usize;
        ItemMoments {
            items: questionnaire
                .scale_items(scale)
                .iter()
                .map(|&i| questionnaire.items()[i].id.clone())
                .collect(),
            min: rs.min,
            max: rs.max,
            respondents: 0,
            pair_n: vec![vec![0; k]; k],
            pair_sum: vec![vec![0; k]; k],
            pair_cross: vec![vec![0; k]; k],
            frequencies: vec![vec![0; values]; k],
        }
    }

    /// Adds one respondent; `answers` holds the whole questionnaire's answers in
    /// presentation order, already on the response scale.
    pub fn add(&mut self, questionnaire: &Questionnaire, scale: usize, answers: &[Answer]) {
        self.respondents += 1;
        let keyed: Vec<Option<i64>> = questionnaire
            .scale_items(scale)
            .iter()
            .map(|&index| {
                let reverse = matches!(
                    questionnaire.items()[index].role,
                    ItemRole::Scored {
                        reverse_keyed: true,
                        ..
                    }
                );
                answers[index].map(|v| i64::from(keyed_value(v, reverse, self.min, self.max)))
            })
            .collect();
        for (i, &index) in questionnaire.scale_items(scale).iter().enumerate() {
            if let Some(raw) = answers[index] {
                self.frequencies[i][(raw - self.min) as usize] += 1;
            }
            let Some(x) = keyed[i] else { continue };
            for (j, y) in keyed.iter().enumerate() {
                if let Some(y) = y {
                    self.pair_n[i][j] += 1;
                    self.pair_sum[i][j] += x;
                    self.pair_cross[i][j] += x * y;
                }
            }
        }
    }

    /// Adds another sample's moments of the same items, in checked
    /// arithmetic: an edited partial cannot make a count wrap round.
    ///
    /// # Errors
    /// [`MergeProblem`] — changing nothing — when the items or response
    /// scale differ, or a sum would overflow.
    pub fn merge(&mut self, other: &ItemMoments) -> Result<(), MergeProblem> {
        if self.items != other.items || self.min != other.min || self.max != other.max {
            return Err(MergeProblem::OtherItems);
        }
        let mut sum = self.clone();
        sum.respondents = (sum.respondents)
            .checked_add(other.respondents)
            .filter(|&n| n <= crate::bounds::MAX_COUNT)
            .ok_or(MergeProblem::Overflow)?;
        add_all(&mut sum.pair_n, &other.pair_n)?;
        add_all(&mut sum.pair_sum, &other.pair_sum)?;
        add_all(&mut sum.pair_cross, &other.pair_cross)?;
        add_all(&mut sum.frequencies, &other.frequencies)?;
        *self = sum;
        Ok(())
    }

    /// The first thing in these moments that no data could give (a partial
    /// file read from disk is checked before use): tables of the wrong shape,
    /// more answers than respondents, frequencies that do not add up to the
    /// answers, sums outside what answers on the response scale can make.
    pub fn impossibility(&self) -> Option<String> {
        if !self.is_well_formed() {
            return Some("tables of the wrong shape for its items and response scale".into());
        }
        if self.respondents > crate::bounds::MAX_COUNT {
            return Some(format!(
                "{} respondents, more than any sample",
                self.respondents
            ));
        }
        let (min, max) = (i128::from(self.min), i128::from(self.max));
        let products = [min * min, min * max, max * max];
        let (low, high) = (
            *products.iter().min().unwrap_or(&0),
            *products.iter().max().unwrap_or(&0),
        );
        for i in 0..self.len() {
            let answered = self.pair_n[i][i];
            let counted = self.frequencies[i]
                .iter()
                .try_fold(0u64, |a, &f| a.checked_add(f));
            if counted != Some(answered) {
                return Some(format!(
                    "item {}: answer frequencies that do not add up to its {answered} answers",
                    self.items[i]
                ));
            }
            for j in 0..self.len() {
                let n = self.pair_n[i][j];
                let both = i128::from(n);
                let within =
                    |v: i64, lo: i128, hi: i128| (lo * both..=hi * both).contains(&i128::from(v));
                if n != self.pair_n[j][i]
                    || n > answered.min(self.pair_n[j][j])
                    || !within(self.pair_sum[i][j], min, max)
                    || !within(self.pair_cross[i][j], low, high)
                {
                    return Some(format!(
                        "items {} and {}: counts or sums that answers from {} to {} cannot give",
                        self.items[i], self.items[j], self.min, self.max
                    ));
                }
            }
        }
        None
    }

    /// Whether every table has the shape the items and response scale call for
    /// (a partial file read from disk is checked before use).
    pub fn is_well_formed(&self) -> bool {
        let k = self.items.len();
        let values = i64::from(self.max) - i64::from(self.min) + 1;
        let square = |rows: usize, cols: &[usize]| rows == k && cols.iter().all(|&c| c == k);
        values > 1
            && square(
                self.pair_n.len(),
                &self.pair_n.iter().map(Vec::len).collect::<Vec<_>>(),
            )
            && square(
                self.pair_sum.len(),
                &self.pair_sum.iter().map(Vec::len).collect::<Vec<_>>(),
            )
            && square(
                self.pair_cross.len(),
                &self.pair_cross.iter().map(Vec::len).collect::<Vec<_>>(),
            )
            && self.frequencies.len() == k
            && self.frequencies.iter().all(|f| f.len() as i64 == values)
            && (0..k).all(|i| self.pair_n[i][i] <= self.respondents)
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the scale has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Pairwise-complete covariance of items i and j (the sample variance when i = j):
    /// `(n Σxy − Σx Σy) / (n (n − 1))` over the respondents who answered both;
    /// `None` with fewer than two such respondents.
    ///
    /// The numerator is computed in exact integer arithmetic, so the result is
    /// the correctly rounded covariance of the data.
    pub fn covariance(&self, i: usize, j: usize) -> Option<f64> {
        let n = i128::from(self.pair_n[i][j]);
        if n < 2 {
            return None;
        }
        let numerator = n * i128::from(self.pair_cross[i][j])
            - i128::from(self.pair_sum[i][j]) * i128::from(self.pair_sum[j][i]);
        Some(numerator as f64 / (n * (n - 1)) as f64)
    }

    /// Mean keyed answer of item i over those who answered it.
    pub fn mean(&self, i: usize) -> Option<f64> {
        let n = self.pair_n[i][i];
        (n > 0).then(|| self.pair_sum[i][i] as f64 / n as f64)
    }

    /// The k × k pairwise covariance matrix; `None` if any entry is undefined.
    pub fn covariance_matrix(&self) -> Option<Vec<Vec<f64>>> {
        (0..self.len())
            .map(|i| (0..self.len()).map(|j| self.covariance(i, j)).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questionnaire() -> Questionnaire {
        Questionnaire::from_json(
            include_str!("../../tests/fixtures/tiny/questionnaire.json"),
            "tiny",
        )
        .unwrap()
    }

    #[test]
    fn pairwise_sums_and_covariance_by_hand() {
        let q = questionnaire();
        let a = q.scale_index("a").unwrap();
        let mut m = ItemMoments::new(&q, a);
        // Items A1, A2, A3 (reversed, 1..5) sit at presentation indices 0, 2, 4.
        // Respondent 1: A1 5, A2 4, A3 1 → keyed 5, 4, 5.
        // Respondent 2: A1 3, A2 missing, A3 3 → keyed 3, -, 3.
        // Respondent 3: A1 1, A2 2, A3 4 → keyed 1, 2, 2.
        for answers in [
            [Some(5), None, Some(4), None, Some(1), None],
            [Some(3), None, None, None, Some(3), None],
            [Some(1), None, Some(2), None, Some(4), None],
        ] {
            m.add(&q, a, &answers);
        }
        assert_eq!(m.respondents, 3);
        // A1 with A2: pairs (5,4), (1,2): n 2, ΣA1 6, ΣA2 6, Σxy 20+2 = 22.
        assert_eq!(
            (m.pair_n[0][1], m.pair_sum[0][1], m.pair_sum[1][0]),
            (2, 6, 6)
        );
        assert_eq!(m.pair_cross[0][1], 22);
        // cov = (2·22 − 6·6)/(2·1) = 4.
        assert_eq!(m.covariance(0, 1), Some(4.0));
        // var A1 over 5, 3, 1 = 4; mean 3.
        assert_eq!(m.covariance(0, 0), Some(4.0));
        assert_eq!(m.mean(0), Some(3.0));
        // Raw frequencies of A3 (unkeyed): 1, 3, 4 once each.
        assert_eq!(m.frequencies[2], vec![1, 0, 1, 1, 0]);
    }

    #[test]
    fn merging_halves_equals_the_whole() {
        let q = questionnaire();
        let rows = [
            [Some(5), Some(1), Some(4), None, Some(1), Some(2)],
            [Some(2), Some(3), None, Some(2), Some(3), Some(3)],
            [Some(1), Some(5), Some(2), Some(4), Some(4), Some(1)],
        ];
        let mut whole = ItemMoments::new(&q, 1);
        let mut first = ItemMoments::new(&q, 1);
        let mut second = ItemMoments::new(&q, 1);
        for (i, r) in rows.iter().enumerate() {
            whole.add(&q, 1, r);
            if i == 0 { &mut first } else { &mut second }.add(&q, 1, r);
        }
        assert_eq!(first.merge(&second), Ok(()));
        assert_eq!(first, whole);
        let other = ItemMoments::new(&q, 0);
        assert_eq!(first.merge(&other), Err(MergeProblem::OtherItems));
    }
}
