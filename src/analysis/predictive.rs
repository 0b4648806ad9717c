//! The statistics of predictive validity beyond a single correlation:
//! comparing two correlations that share the rating (Williams's T2), least
//! squares with standard errors, the expected cross-validity of a regression
//! (Browne 1975), and the folds of k-fold cross-validation. Pure functions on
//! numbers; `criterion` decides what to compute them on. Formulas and
//! sources: `docs/METHOD.md` §9.7.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::matrix::invert;

/// A test of the difference between two dependent correlations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CorrelationDifference {
    /// The test statistic, positive when the first correlation is larger.
    pub t: f64,
    /// Its degrees of freedom.
    pub df: f64,
    /// Two-sided p value.
    pub p: f64,
}

/// Williams's T2 for `r12` against `r13`, two correlations of one variable
/// (1, the rating) with two others (2 and 3, two fit scores) that correlate
/// `r23`, in one sample of `n` — the test Steiger (1980) recommends, and
/// `psych::r.test(n, r12, r13, r23)`.
///
/// # Formula
/// `|R| = 1 − r12² − r13² − r23² + 2 r12 r13 r23`, `r̄ = (r12 + r13)/2`,
/// `t = (r12 − r13) √((n − 1)(1 + r23) / (2 |R| (n − 1)/(n − 3) + r̄² (1 − r23)³))`,
/// on `n − 3` degrees of freedom (Williams 1959; Steiger 1980, eq. 7).
///
/// `None` for `n ≤ 3`, a correlation outside [−1, 1], or a degenerate matrix.
pub fn williams_t2(n: usize, r12: f64, r13: f64, r23: f64) -> Option<CorrelationDifference> {
    if n <= 3 || [r12, r13, r23].iter().any(|r| !(-1.0..=1.0).contains(r)) {
        return None;
    }
    let n = n as f64;
    let det = 1.0 - r12 * r12 - r13 * r13 - r23 * r23 + 2.0 * r12 * r13 * r23;
    let mean = (r12 + r13) / 2.0;
    let denominator = 2.0 * det * (n - 1.0) / (n - 3.0) + mean * mean * (1.0 - r23).powi(3);
    if denominator <= 0.0 {
        return None;
    }
    let t = (r12 - r13) * ((n - 1.0) * (1.0 + r23) / denominator).sqrt();
    let df = n - 3.0;
    Some(CorrelationDifference {
        t,
        df,
        p: two_sided_t(t, df)?,
    })
}

/// Two-sided p of `t` on `df` degrees of freedom.
pub fn two_sided_t(t: f64, df: f64) -> Option<f64> {
    let distribution = StudentsT::new(0.0, 1.0, df).ok()?;
    t.is_finite()
        .then(|| (2.0 * distribution.cdf(-t.abs())).min(1.0))
}

/// An ordinary least-squares fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeastSquares {
    /// One coefficient per column of the design.
    pub coefficients: Vec<f64>,
    /// Their standard errors.
    pub std_errors: Vec<f64>,
    /// Their two-sided p values (t on `df`).
    pub p_values: Vec<f64>,
    /// Residual sum of squares.
    pub rss: f64,
    /// Residual degrees of freedom, rows − columns.
    pub df: usize,
}

/// Least squares of `y` on the columns of `design` (include a column of 1s
/// for an intercept), as R's `lm`: `b = (XᵀX)⁻¹Xᵀy`, `se_j = √(s² [(XᵀX)⁻¹]_jj)`
/// with `s² = RSS/(n − p)`.
///
/// `None` when rows ≤ columns, lengths disagree, or `XᵀX` is singular.
pub fn least_squares(design: &[Vec<f64>], y: &[f64]) -> Option<LeastSquares> {
    let (n, p) = (y.len(), design.first()?.len());
    if design.len() != n || n <= p || design.iter().any(|row| row.len() != p) {
        return None;
    }
    let mut xtx = vec![vec![0.0; p]; p];
    let mut xty = vec![0.0; p];
    for (row, &target) in design.iter().zip(y) {
        for j in 0..p {
            xty[j] += row[j] * target;
            for k in 0..p {
                xtx[j][k] += row[j] * row[k];
            }
        }
    }
    let inverse = invert(&xtx)?;
    let coefficients: Vec<f64> = (0..p)
        .map(|j| (0..p).map(|k| inverse[j][k] * xty[k]).sum())
        .collect();
    let rss: f64 = design
        .iter()
        .zip(y)
        .map(|(row, &target)| {
            let fitted: f64 = row.iter().zip(&coefficients).map(|(x, b)| x * b).sum();
            (target - fitted).powi(2)
        })
        .sum();
    let df = n - p;
    let variance = rss / df as f64;
    let std_errors: Vec<f64> = (0..p).map(|j| (variance * inverse[j][j]).sqrt()).collect();
    let p_values = coefficients
        .iter()
        .zip(&std_errors)
        .map(|(b, se)| two_sided_t(b / se, df as f64).unwrap_or(f64::NAN))
        .collect();
    Some(LeastSquares {
        coefficients,
        std_errors,
        p_values,
        rss,
        df,
    })
}

/// The expected correlation in new samples of a regression with `predictors`
/// predictors whose squared multiple correlation is `r_squared` in a sample
/// of `n` — Browne's (1975) cross-validity estimate, with the population R²
/// estimated by the adjusted `ρ² = 1 − (n − 1)/(n − p − 1) · (1 − R²)`
/// (Wherry 1931), floored at 0:
/// `ρc² = ((n − p − 3) ρ⁴ + ρ²) / ((n − 2p − 2) ρ² + p)`. Returns `ρc`.
///
/// `None` when `n ≤ 2p + 2`, where the formula is undefined.
pub fn browne_cross_validity(r_squared: f64, n: usize, predictors: usize) -> Option<f64> {
    let (n, p) = (n as f64, predictors as f64);
    if n <= 2.0 * p + 2.0 {
        return None;
    }
    let rho2 = (1.0 - (n - 1.0) / (n - p - 1.0) * (1.0 - r_squared)).max(0.0);
    let cross = ((n - p - 3.0) * rho2 * rho2 + rho2) / ((n - 2.0 * p - 2.0) * rho2 + p);
    Some(cross.max(0.0).sqrt())
}

/// A validity coefficient corrected for the unreliability of the criterion
/// and for direct range restriction on the predictor, in that order (Hunter,
/// Schmidt & Le 2006: the rating's reliability is measured among those
/// hired, so it is applied before the restriction is undone).
///
/// # Formula
/// Criterion unreliability: `r₁ = r / √r_yy` (Spearman 1904). Direct range
/// restriction, Thorndike's case II with `u = SD_applicants / SD_incumbents`
/// of the predictor: `r₂ = u r₁ / √(1 + r₁²(u² − 1))` (Thorndike 1949).
///
/// `None` when `r_yy` is not in (0, 1] or `u` is not positive.
pub fn corrected_validity(
    r: f64,
    criterion_reliability: Option<f64>,
    range_ratio: Option<f64>,
) -> Option<f64> {
    let ryy = criterion_reliability.unwrap_or(1.0);
    let u = range_ratio.unwrap_or(1.0);
    let usable = ryy > 0.0 && ryy <= 1.0 && u > 0.0 && r.is_finite();
    if !usable {
        return None;
    }
    let r1 = (r / ryy.sqrt()).clamp(-1.0, 1.0);
    Some(u * r1 / (1.0 + r1 * r1 * (u * u - 1.0)).sqrt())
}

/// The fold (0..k) of each of `n` cases: cases dealt out in turn (0, 1, …,
/// k − 1, 0, …), so every fold spans the file and reruns give the same folds.
/// `k = n` is leave-one-out.
pub fn folds(n: usize, k: usize) -> Vec<usize> {
    (0..n).map(|i| i % k.max(1)).collect()
}

#[cfg(test)]
// Reference values are R's 17 significant digits, copied verbatim.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} vs {expected}"
        );
    }

    #[test]
    fn williams_matches_psych() {
        // R: psych::r.test(n = 103, r12 = .5, r13 = .3, r23 = .4) (tests/fixtures/analysis/predictive.R).
        let d = williams_t2(103, 0.5, 0.3, 0.4).unwrap();
        close(d.t, WILLIAMS_T, 1e-10);
        close(d.p, WILLIAMS_P, 1e-10);
        assert_eq!(d.df, 100.0);
        // Symmetric: swapping the correlations flips the sign, not the p value.
        let swapped = williams_t2(103, 0.3, 0.5, 0.4).unwrap();
        close(swapped.t, -WILLIAMS_T, 1e-12);
        assert_eq!(williams_t2(3, 0.5, 0.3, 0.4), None);
        assert_eq!(williams_t2(50, 1.5, 0.3, 0.4), None);
    }

    const WILLIAMS_T: f64 = 2.0966664836243627;
    const WILLIAMS_P: f64 = 0.038546384198773334;

    #[test]
    fn least_squares_matches_lm() {
        // R: x <- c(1,2,3,4,5,6); g <- c(0,0,0,1,1,1); y <- c(2.1,3.9,6.2,7.8,10.1,12.2)
        //    summary(lm(y ~ x + g))$coefficients
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let g = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
        let y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2];
        let design: Vec<Vec<f64>> = (0..6).map(|i| vec![1.0, x[i], g[i]]).collect();
        let fit = least_squares(&design, &y).unwrap();
        for (j, (b, se, p)) in LM_REFERENCE.iter().enumerate() {
            close(fit.coefficients[j], *b, 1e-10);
            close(fit.std_errors[j], *se, 1e-10);
            close(fit.p_values[j], *p, 1e-9);
        }
        assert_eq!(fit.df, 3);
        // A column that copies another: XᵀX is singular.
        let singular: Vec<Vec<f64>> = (0..6).map(|i| vec![1.0, x[i], 2.0 * x[i]]).collect();
        assert_eq!(least_squares(&singular, &y), None);
    }

    /// (estimate, std. error, p) of (Intercept), x, g from the R call above.
    const LM_REFERENCE: [(f64, f64, f64); 3] = [
        (
            -0.18333333333333615,
            0.17743021580745993,
            0.37747270106230107,
        ),
        (2.125, 0.076829537144107743, 0.0001037381797384719),
        (
            -0.40833333333333238,
            0.26242282816237872,
            0.2175608017341738,
        ),
    ];

    #[test]
    fn browne_by_hand() {
        // R² = .25, n = 50, p = 6: ρ² = 1 − 49/43 · .75 = 0.145349; ρ⁴ = 0.0211263;
        // ρc² = (41 · 0.0211263 + 0.145349)/(36 · 0.145349 + 6) = 1.011528/11.232558 = 0.090053; ρc = 0.300089.
        close(browne_cross_validity(0.25, 50, 6).unwrap(), 0.300089, 1e-6);
        assert_eq!(browne_cross_validity(0.25, 14, 6), None);
        // Nothing to expect when the adjusted R² is below zero.
        assert_eq!(browne_cross_validity(0.05, 30, 6), Some(0.0));
    }

    #[test]
    fn corrections_by_hand() {
        // r = .25, r_yy = .60: r₁ = .25/√.6 = 0.322749; u = 1.5: r₂ = 1.5·0.322749/√(1 + 0.104167·1.25)
        // = 0.484123/√1.130208 = 0.484123/1.063113 = 0.455383.
        close(
            corrected_validity(0.25, Some(0.6), None).unwrap(),
            0.25 / 0.6_f64.sqrt(),
            1e-15,
        );
        close(
            corrected_validity(0.25, Some(0.6), Some(1.5)).unwrap(),
            0.455383,
            1e-6,
        );
        // No correction asked: r itself; u = 1 changes nothing.
        assert_eq!(corrected_validity(0.25, None, Some(1.0)), Some(0.25));
        assert_eq!(corrected_validity(0.25, Some(0.0), None), None);
        assert_eq!(corrected_validity(0.25, Some(1.2), None), None);
    }

    #[test]
    fn folds_deal_cases_in_turn() {
        assert_eq!(folds(7, 3), vec![0, 1, 2, 0, 1, 2, 0]);
        assert_eq!(folds(3, 3), vec![0, 1, 2]);
    }
}
