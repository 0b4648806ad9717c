//! The statistics of an adverse-impact audit, as pure functions on counts and
//! scores: the two-proportion z test, Fisher's exact test, the confidence
//! interval of a ratio of two rates, the median and Cohen's d. Each reproduces R's answer (the calls are in the tests and in
//! `tests/fixtures/audit/README.md`); none of them decides what is adverse.

use statrs::distribution::{Discrete, Hypergeometric};
use statrs::statistics::{Max, Min};

/// R's relative tolerance in `fisher.test`: tables whose probability is within
/// a factor `1 + 1e-7` of the observed one count as "as extreme", so that
/// rounding in the probabilities cannot drop a tied table.
const FISHER_RELATIVE_TOLERANCE: f64 = 1.0 + 1e-7;

/// One group's count of selected out of its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proportion {
    /// Selected (or above the median).
    pub hits: u64,
    /// Group size.
    pub n: u64,
}

impl Proportion {
    /// `hits / n`, or `None` for an empty group.
    pub fn rate(self) -> Option<f64> {
        (self.n > 0).then(|| self.hits as f64 / self.n as f64)
    }
}

/// Two-sided p value of the pooled two-proportion z test.
///
/// # Formula
/// With `p = (x₁ + x₂) / (n₁ + n₂)`:
/// `z = (x₁/n₁ − x₂/n₂) / √(p (1 − p) (1/n₁ + 1/n₂))`, p value `2 (1 − Φ(|z|)) = erfc(|z|/√2)`.
/// `z²` is Pearson's chi-square of the 2×2 table, so this equals R's
/// `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$p.value` (Agresti 2013, §3.1.3).
///
/// Returns `None` when a group is empty, or when nobody or everybody was
/// selected in both groups together (`p (1 − p) = 0`: the rates are equal and
/// there is nothing to test; R returns `NaN` there).
pub fn two_proportion_p(a: Proportion, b: Proportion) -> Option<f64> {
    let (rate_a, rate_b) = (a.rate()?, b.rate()?);
    let pooled = (a.hits + b.hits) as f64 / (a.n + b.n) as f64;
    let variance = pooled * (1.0 - pooled) * (1.0 / a.n as f64 + 1.0 / b.n as f64);
    if variance <= 0.0 {
        return None;
    }
    let z = (rate_a - rate_b) / variance.sqrt();
    Some(libm::erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
}

/// Two-sided p value of Fisher's exact test of the 2×2 table
/// `[[a.hits, a.n − a.hits], [b.hits, b.n − b.hits]]`.
///
/// # Formula
/// Given the margins, the count `a.hits` is hypergeometric: population
/// `a.n + b.n`, successes `a.hits + b.hits`, draws `a.n`. The p value is the
/// sum of the probabilities of every table no more probable than the observed
/// one (with R's tolerance of a factor 1 + 10⁻⁷), as R's `fisher.test`
/// computes it (Fisher 1935; Agresti 2013, §3.5). Probabilities are
/// normalised from their logarithms, as R does, so large tables do not underflow.
///
/// Returns `None` when a group is empty.
pub fn fisher_exact_p(a: Proportion, b: Proportion) -> Option<f64> {
    if a.n == 0 || b.n == 0 || a.hits > a.n || b.hits > b.n {
        return None;
    }
    let population = a.n + b.n;
    let successes = a.hits + b.hits;
    let distribution = Hypergeometric::new(population, successes, a.n).ok()?;
    let (low, high) = (distribution.min(), distribution.max());
    let logs: Vec<f64> = (low..=high).map(|k| distribution.ln_pmf(k)).collect();
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = weights.iter().sum();
    // a.hits lies in the support (it is a possible table with these margins); checked anyway.
    let observed = *weights.get(usize::try_from(a.hits.checked_sub(low)?).ok()?)?;
    let extreme: f64 = weights
        .iter()
        .filter(|&&w| w <= observed * FISHER_RELATIVE_TOLERANCE)
        .sum();
    Some((extreme / total).min(1.0))
}

/// Confidence interval of the ratio of two rates, `(a.hits/a.n) ÷ (b.hits/b.n)`,
/// by Katz's log method, as Morris & Lobsenz (2000) apply it to impact ratios.
///
/// # Formula
/// `ln IR ± z √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)`, exponentiated (Katz, Baptista,
/// Azen & Pike 1978), with `z` the two-sided critical value of the level.
/// When a cell of the 2×2 table is empty — a group with no hits (the
/// logarithm is undefined) or with every member a hit (the variance collapses
/// to 0 and the interval to a point) — every cell gets ½ (`x + ½` of `n + 1`;
/// Haldane 1956), the usual correction, so that the interval still says how
/// far the ratio could be from what was seen.
///
/// Returns `None` when a group is empty or the reference group has no hits
/// (the ratio itself is undefined), or `critical` is not positive.
pub fn ratio_interval(a: Proportion, b: Proportion, critical: f64) -> Option<(f64, f64)> {
    if a.n == 0 || b.n == 0 || b.hits == 0 || a.hits > a.n || b.hits > b.n || critical <= 0.0 {
        return None;
    }
    let empty_cell = a.hits == 0 || a.hits == a.n || b.hits == b.n;
    let half = if empty_cell { 0.5 } else { 0.0 };
    let (x1, n1) = (a.hits as f64 + half, a.n as f64 + 2.0 * half);
    let (x2, n2) = (b.hits as f64 + half, b.n as f64 + 2.0 * half);
    let log_ratio = (x1 / n1).ln() - (x2 / n2).ln();
    let se = (1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2).max(0.0).sqrt();
    Some((
        (log_ratio - critical * se).exp(),
        (log_ratio + critical * se).exp(),
    ))
}

/// Median: the middle value, or the mean of the two middle values (R's `median`).
///
/// `None` for no values. NaN values must not be passed (scores never are NaN).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Mean and sample standard deviation (n − 1) of some values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Number of values.
    pub n: u64,
    /// Mean, `None` for no values.
    pub mean: Option<f64>,
    /// Sample sd, `None` for fewer than two values.
    pub std_dev: Option<f64>,
}

impl Moments {
    /// The moments of `values`.
    pub fn of(values: &[f64]) -> Moments {
        let n = values.len();
        let mean = (n > 0).then(|| values.iter().sum::<f64>() / n as f64);
        let std_dev = mean
            .filter(|_| n > 1)
            .map(|m| (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt());
        Moments {
            n: n as u64,
            mean,
            std_dev,
        }
    }
}

/// Cohen's d of `group` against `reference`: `(mean_g − mean_ref) / s_pooled`.
///
/// # Formula
/// `s_pooled = √(((n_g − 1) s_g² + (n_ref − 1) s_ref²) / (n_g + n_ref − 2))`
/// (Cohen 1988, §2.2). Negative when the group scores lower than the reference.
/// A group of one has no sd of its own and contributes nothing to the pooled
/// variance, as in the formula.
///
/// Returns `None` when a group is empty, `n_g + n_ref ≤ 2`, or the pooled sd is 0.
pub fn cohens_d(group: &Moments, reference: &Moments) -> Option<f64> {
    let (mean_g, mean_r) = (group.mean?, reference.mean?);
    let dof = (group.n + reference.n).checked_sub(2).filter(|&d| d > 0)?;
    let part = |m: &Moments| m.std_dev.map_or(0.0, |s| (m.n - 1) as f64 * s * s);
    let pooled = ((part(group) + part(reference)) / dof as f64).sqrt();
    (pooled > 0.0).then(|| (mean_g - mean_r) / pooled)
}

#[cfg(test)]
// Reference values are R's 17 significant digits, copied verbatim.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    fn prop(hits: u64, n: u64) -> Proportion {
        Proportion { hits, n }
    }

    fn close(actual: Option<f64>, expected: f64, tolerance: f64) {
        let actual = actual.expect("a value");
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} vs {expected}"
        );
    }

    /// (x1, n1, x2, n2, prop.test p, fisher.test p), from R 4 (see tests/fixtures/audit/README.md):
    /// `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$p.value` and
    /// `fisher.test(matrix(c(x1, n1 - x1, x2, n2 - x2), nrow = 2))$p.value`.
    const R_REFERENCE: [(u64, u64, u64, u64, f64, f64); 7] = [
        (48, 80, 12, 40, 0.0019457736937391517, 0.0034092217678491866),
        (5, 20, 1, 15, 0.15439762091728401, 0.20724081421424873),
        (30, 50, 29, 50, 0.83888420534411723, 1.0),
        (10, 10, 3, 10, 0.0010320139151629947, 0.0030959752321981526),
        (7, 9, 0, 6, 0.0030960205499590272, 0.0069930069930069921),
        (
            520,
            1000,
            380,
            900,
            2.0257413869181916e-05,
            2.2791051711760612e-05,
        ),
        (3, 6, 3, 6, 1.0, 1.0),
    ];

    #[test]
    fn p_values_match_r() {
        for (x1, n1, x2, n2, z_p, fisher_p) in R_REFERENCE {
            close(two_proportion_p(prop(x1, n1), prop(x2, n2)), z_p, 1e-9);
            close(fisher_exact_p(prop(x1, n1), prop(x2, n2)), fisher_p, 1e-9);
            // Both tests are symmetric in the two groups.
            close(two_proportion_p(prop(x2, n2), prop(x1, n1)), z_p, 1e-9);
            close(fisher_exact_p(prop(x2, n2), prop(x1, n1)), fisher_p, 1e-9);
        }
    }

    /// (x1, n1, x2, n2, level, low, high) of the impact ratio's Katz interval, from R
    /// (tests/fixtures/audit/katz.R: the published formula written out in R).
    const KATZ_REFERENCE: [(u64, u64, u64, u64, f64, f64, f64); 6] = [
        (
            12,
            40,
            48,
            80,
            0.95,
            0.30143294104559692,
            0.82937186338298441,
        ),
        (1, 15, 5, 20, 0.95, 0.034674489566997903, 2.0508192622045822),
        (0, 6, 7, 9, 0.95, 0.0064336086638738443, 1.409830043830959),
        (
            380,
            900,
            520,
            1000,
            0.90,
            0.7485585792742564,
            0.88074400328227431,
        ),
        (29, 50, 30, 50, 0.95, 0.69712717706932092, 1.340421769773473),
        (6, 10, 10, 10, 0.95, 0.37235651440117373, 1.0291748360165607),
    ];

    #[test]
    fn impact_ratio_intervals_match_r() {
        for (x1, n1, x2, n2, level, low, high) in KATZ_REFERENCE {
            let critical = crate::norms::critical_value(level).unwrap();
            let (l, h) = ratio_interval(prop(x1, n1), prop(x2, n2), critical).unwrap();
            close(Some(l), low, 1e-12);
            close(Some(h), high, 1e-12);
        }
        // By hand, 12/40 vs 48/80: ln 0.5 ± 1.959964·√(1/12 − 1/40 + 1/48 − 1/80) = −0.693147 ± 0.506060.
        let (l, h) = ratio_interval(prop(12, 40), prop(48, 80), 1.959963984540054).unwrap();
        close(Some(l), (0.5_f64.ln() - 0.506060).exp(), 1e-5);
        close(Some(h), (0.5_f64.ln() + 0.506060).exp(), 1e-5);
        // The reference group selected nobody: the ratio, and so its interval, is undefined.
        assert_eq!(ratio_interval(prop(3, 10), prop(0, 10), 1.96), None);
        assert_eq!(ratio_interval(prop(0, 0), prop(3, 10), 1.96), None);
    }

    #[test]
    fn z_test_by_hand() {
        // 48/80 vs 12/40: p = 60/120 = 0.5; se = √(0.25 · (1/80 + 1/40)) = √0.009375 = 0.0968246;
        // z = 0.3 / 0.0968246 = 3.0983867; 2(1 − Φ(3.0983867)) = 0.0019457737.
        close(
            two_proportion_p(prop(48, 80), prop(12, 40)),
            0.0019457737,
            1e-9,
        );
    }

    #[test]
    fn nothing_to_test_when_everyone_or_nobody_is_selected() {
        assert_eq!(two_proportion_p(prop(0, 10), prop(0, 5)), None);
        assert_eq!(two_proportion_p(prop(10, 10), prop(5, 5)), None);
        assert_eq!(two_proportion_p(prop(0, 0), prop(3, 5)), None);
        // Only one table is possible: p = 1 (R: fisher.test(matrix(c(0,10,0,5),2))$p.value = 1).
        close(fisher_exact_p(prop(0, 10), prop(0, 5)), 1.0, 1e-12);
        assert_eq!(fisher_exact_p(prop(0, 0), prop(3, 5)), None);
    }

    #[test]
    fn fisher_single_cell_probabilities() {
        // 1/2 vs 0/1: tables k = 0 (prob 1/3) and k = 1 (2/3); observed k = 1 → every table ≤ 2/3 → p = 1.
        close(fisher_exact_p(prop(1, 2), prop(0, 1)), 1.0, 1e-12);
        // 2/2 vs 0/2: k ∈ {0,1,2} with probs 1/6, 4/6, 1/6; observed 2 → 1/6 + 1/6 = 1/3.
        close(fisher_exact_p(prop(2, 2), prop(0, 2)), 1.0 / 3.0, 1e-12);
    }

    #[test]
    fn median_like_r() {
        assert_eq!(median(&[3.0, 1.0, 2.0, 4.0]), Some(2.5)); // R: median(c(3,1,2,4)) = 2.5
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn cohens_d_like_r() {
        // x = 70, 80, 90 (mean 80, var 100); y = 50, 60, 70, 80 (mean 65, var 166.667);
        // s_pooled = √((2·100 + 3·166.667)/5) = √140 = 11.83216; d = (65 − 80)/11.83216 = −1.2677314.
        // R: (mean(y)-mean(x))/sqrt((2*var(x)+3*var(y))/5) = -1.2677313820927749
        let x = Moments::of(&[70.0, 80.0, 90.0]);
        let y = Moments::of(&[50.0, 60.0, 70.0, 80.0]);
        close(cohens_d(&y, &x), -1.2677313820927749, 1e-12);
        assert_eq!(cohens_d(&Moments::of(&[1.0]), &Moments::of(&[2.0])), None);
        assert_eq!(
            cohens_d(&Moments::of(&[1.0, 1.0]), &Moments::of(&[1.0, 1.0])),
            None
        );
    }
}
