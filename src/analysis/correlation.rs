//! Pearson correlations with a confidence interval by Fisher's z, and the
//! sample quantiles used for calibration bands.

use serde::Serialize;

use crate::norms::{critical_value, Interval};
use crate::validity::pearson;

/// Confidence level of every correlation interval.
pub const CORRELATION_CONFIDENCE: f64 = 0.95;

/// A correlation, its sample size and its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Correlation {
    /// Pairs used.
    pub n: usize,
    /// Pearson's r; `None` when either variable has no variance or n < 2.
    pub r: Option<f64>,
    /// 95% interval by Fisher's z; `None` when n ≤ 3 or r is undefined.
    pub interval: Option<Interval>,
}

impl Correlation {
    /// Pearson's r of the pairs and its Fisher-z interval:
    /// `tanh(atanh r ± z₀.₉₇₅ / √(n − 3))` (Fisher 1915, 1921).
    pub fn of(pairs: &[(f64, f64)]) -> Correlation {
        let n = pairs.len();
        let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        let r = (n >= 2).then(|| pearson(&x, &y)).flatten();
        let interval = r.filter(|_| n > 3).and_then(|r| fisher_interval(r, n));
        Correlation { n, r, interval }
    }

    /// Whether the interval lies wholly above or below zero.
    pub fn excludes_zero(&self) -> bool {
        self.interval.is_some_and(|i| i.low > 0.0 || i.high < 0.0)
    }
}

/// The Fisher-z interval of `r` from `n` pairs at [`CORRELATION_CONFIDENCE`].
pub fn fisher_interval(r: f64, n: usize) -> Option<Interval> {
    let critical = critical_value(CORRELATION_CONFIDENCE)?;
    // atanh(±1) is infinite; keep r strictly inside (−1, 1) so the interval is finite.
    let z = r.clamp(-1.0 + 1e-12, 1.0 - 1e-12).atanh();
    let half = critical / ((n as f64) - 3.0).sqrt();
    Some(Interval {
        low: (z - half).tanh(),
        high: (z + half).tanh(),
    })
}

/// The sample quantile of sorted `values` at `p` by linear interpolation
/// between order statistics — Hyndman & Fan (1996) type 7, R's default.
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    let below = h.floor() as usize;
    let above = (below + 1).min(last);
    Some(sorted[below] + (h - below as f64) * (sorted[above] - sorted[below]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fisher_interval_by_hand() {
        // r = 0.3, n = 103: atanh 0.3 = 0.3095196; ± 1.959964/√100 = 0.1959964;
        // tanh(0.1135232) = 0.1130380, tanh(0.5055160) = 0.4664441.
        let i = fisher_interval(0.3, 103).unwrap();
        assert!((i.low - 0.1130380).abs() < 1e-6, "{}", i.low);
        assert!((i.high - 0.4664441).abs() < 1e-6, "{}", i.high);
    }

    #[test]
    fn correlation_of_a_line_and_of_too_few_pairs() {
        let c = Correlation::of(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.5), (4.0, 8.0), (5.0, 10.0)]);
        assert!(c.r.unwrap() > 0.99 && c.excludes_zero());
        let few = Correlation::of(&[(1.0, 2.0), (2.0, 1.0), (3.0, 3.0)]);
        // r = 0.5 on 3 pairs, but no interval (n − 3 = 0).
        assert_eq!((few.r, few.interval), (Some(0.5), None));
        assert!(!few.excludes_zero());
    }

    #[test]
    fn quantiles_match_r_type_7() {
        // R: quantile(c(3, 5, 6, 6, 8), c(.25, .5, .75)) = 5, 6, 6.
        let v = [3.0, 5.0, 6.0, 6.0, 8.0];
        assert_eq!(quantile(&v, 0.25), Some(5.0));
        assert_eq!(quantile(&v, 0.75), Some(6.0));
        // R: quantile(c(4, 7), .25) = 4.75.
        assert_eq!(quantile(&[4.0, 7.0], 0.25), Some(4.75));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
