//! Differential prediction (Cleary 1968): does a fit score predict the
//! rating the same way in every group? Step-down moderated regression, as the
//! testing standards ask of a predictor used for selection (AERA/APA/NCME
//! 2014, Standard 3.7; Aguinis, Culpepper & Pierce 2010): first whether the
//! slopes differ — `lm(rating ~ fit * group)`, the product terms — and only
//! if they do not, whether the intercepts differ — `lm(rating ~ fit + group)`,
//! the group terms. Formulas and sources: `docs/METHOD.md` §9.8.

use std::collections::BTreeMap;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use super::predictive::least_squares;

/// One group's coefficient against the reference group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    /// The group compared with the reference group.
    pub group: String,
    /// The difference (in slope: rating per fit point; in intercept: rating points).
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Two-sided p of its t test.
    pub p: f64,
}

/// One step of the step-down test: the terms and the F test of all of them together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// One term per group other than the reference.
    pub terms: Vec<Term>,
    /// F of adding the terms to the smaller model.
    pub f: f64,
    /// Its numerator and denominator degrees of freedom.
    pub df: (usize, usize),
    /// Its p value.
    pub p: f64,
}

/// Cleary's step-down test of one predictor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifferentialPrediction {
    /// People with a score, a rating and a group.
    pub n: usize,
    /// The reference group: the first in alphabetical order, as R's `factor` orders levels.
    pub reference: String,
    /// People per group tested.
    pub group_sizes: BTreeMap<String, usize>,
    /// Groups left out for having fewer than [`MIN_GROUP`] people, with their sizes.
    pub left_out: BTreeMap<String, usize>,
    /// Slope differences: the product terms of `rating ~ score * group`.
    pub slopes: Step,
    /// Intercept differences: the group terms of `rating ~ score + group`.
    pub intercepts: Step,
}

/// Fewest people a group needs to be tested: a slope and an intercept of its
/// own, and one residual degree of freedom. A smaller group — often a typo in
/// the group column ("Harbour " beside "harbour") — is left out and named,
/// rather than making the whole test impossible (its product term could not
/// be estimated; R's `lm` reports it as NA).
pub const MIN_GROUP: usize = 3;

/// The step-down test on (score, rating, group) triples, over groups of at
/// least [`MIN_GROUP`] people; `None` with fewer than two such groups, or
/// when a model cannot be fitted (a group whose scores do not vary).
pub fn cleary(data: &[(f64, f64, String)]) -> Option<DifferentialPrediction> {
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for (_, _, g) in data {
        *sizes.entry(g.clone()).or_default() += 1;
    }
    let (group_sizes, left_out): (BTreeMap<_, _>, BTreeMap<_, _>) =
        sizes.into_iter().partition(|&(_, n)| n >= MIN_GROUP);
    let data: Vec<&(f64, f64, String)> = data
        .iter()
        .filter(|t| group_sizes.contains_key(&t.2))
        .collect();
    let levels: Vec<String> = group_sizes.keys().cloned().collect();
    if levels.len() < 2 {
        return None;
    }
    let y: Vec<f64> = data.iter().map(|t| t.1).collect();
    let dummies = |g: &str| -> Vec<f64> {
        levels[1..]
            .iter()
            .map(|l| f64::from(u8::from(l == g)))
            .collect()
    };
    let design = |interactions: bool, groups: bool| -> Vec<Vec<f64>> {
        data.iter()
            .map(|(x, _, g)| {
                let d = dummies(g);
                let mut row = vec![1.0, *x];
                if groups {
                    row.extend(&d);
                }
                if interactions {
                    row.extend(d.iter().map(|d| d * x));
                }
                row
            })
            .collect()
    };
    let full = least_squares(&design(true, true), &y)?;
    let additive = least_squares(&design(false, true), &y)?;
    let simple = least_squares(&design(false, false), &y)?;
    let k = levels.len() - 1;
    let terms = |fit: &super::predictive::LeastSquares, first: usize| -> Vec<Term> {
        (0..k)
            .map(|j| Term {
                group: levels[j + 1].clone(),
                estimate: fit.coefficients[first + j],
                std_error: fit.std_errors[first + j],
                p: fit.p_values[first + j],
            })
            .collect()
    };
    Some(DifferentialPrediction {
        n: data.len(),
        reference: levels[0].clone(),
        slopes: step(terms(&full, 2 + k), additive.rss, full.rss, k, full.df)?,
        intercepts: step(
            terms(&additive, 2),
            simple.rss,
            additive.rss,
            k,
            additive.df,
        )?,
        group_sizes,
        left_out,
    })
}

/// The F test of `added` terms: `F = ((RSS_small − RSS_big)/added) / (RSS_big/df_big)`,
/// as R's `anova(small, big)`.
fn step(
    terms: Vec<Term>,
    rss_small: f64,
    rss_big: f64,
    added: usize,
    df_big: usize,
) -> Option<Step> {
    let f = ((rss_small - rss_big) / added as f64) / (rss_big / df_big as f64);
    let distribution = FisherSnedecor::new(added as f64, df_big as f64).ok()?;
    let p = if f.is_finite() {
        1.0 - distribution.cdf(f.max(0.0))
    } else {
        f64::NAN
    };
    Some(Step {
        terms,
        f,
        df: (added, df_big),
        p,
    })
}

#[cfg(test)]
// Reference values are R's 17 significant digits, copied verbatim.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    /// 12 people: x the score, y the rating, g the group (tests/fixtures/analysis/predictive.R).
    fn data() -> Vec<(f64, f64, String)> {
        let x = [
            50.0, 60.0, 70.0, 80.0, 90.0, 55.0, 65.0, 75.0, 85.0, 95.0, 72.0, 68.0,
        ];
        let y = [2.9, 3.1, 3.6, 3.8, 4.4, 2.6, 2.7, 3.3, 3.2, 3.9, 3.1, 3.7];
        let g = ["A", "A", "A", "A", "A", "B", "B", "B", "B", "B", "B", "A"];
        (0..12).map(|i| (x[i], y[i], g[i].to_string())).collect()
    }

    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-9, "{actual} vs {expected}");
    }

    #[test]
    fn step_down_matches_lm_and_anova() {
        let d = cleary(&data()).unwrap();
        assert_eq!(d.reference, "A");
        assert_eq!(d.group_sizes["B"], 6);
        let slope = &d.slopes.terms[0];
        close(slope.estimate, R_SLOPE.0);
        close(slope.std_error, R_SLOPE.1);
        close(slope.p, R_SLOPE.2);
        let intercept = &d.intercepts.terms[0];
        close(intercept.estimate, R_INTERCEPT.0);
        close(intercept.std_error, R_INTERCEPT.1);
        close(intercept.p, R_INTERCEPT.2);
        // With two groups the F test of one term is its t test squared: same p.
        close(d.slopes.p, slope.p);
        close(d.intercepts.f, R_INTERCEPT_F);
        assert_eq!(d.slopes.df, (1, 8));
        assert_eq!(d.intercepts.df, (1, 9));
    }

    /// summary(lm(y ~ x * g))$coefficients["x:gB", ]: estimate, SE, p.
    const R_SLOPE: (f64, f64, f64) = (
        -0.0057760319200679368,
        0.0073007877510129719,
        0.45167118820775143,
    );
    /// summary(lm(y ~ x + g))$coefficients["gB", ]: estimate, SE, p.
    const R_INTERCEPT: (f64, f64, f64) = (
        -0.61312750379886727,
        0.094121101799885448,
        0.00010962159893409935,
    );
    /// anova(lm(y ~ x), lm(y ~ x + g))$F[2].
    const R_INTERCEPT_F: f64 = 42.435330752119135;

    #[test]
    fn groups_too_small_to_test_are_left_out_and_named() {
        // A stray group of one and a typo'd group of two beside A and B:
        // the test is R's on A and B alone, not impossible.
        let mut with_strays = data();
        with_strays.push((61.0, 3.0, "C".into()));
        with_strays.push((66.0, 3.4, "A ".into()));
        with_strays.push((77.0, 3.5, "A ".into()));
        let d = cleary(&with_strays).unwrap();
        assert_eq!(d.n, 12);
        assert_eq!(
            d.left_out,
            BTreeMap::from([("A ".into(), 2), ("C".into(), 1)])
        );
        close(d.slopes.terms[0].estimate, R_SLOPE.0);
        close(d.intercepts.terms[0].p, R_INTERCEPT.2);
    }

    #[test]
    fn one_group_is_nothing_to_compare() {
        let one: Vec<(f64, f64, String)> = data()
            .into_iter()
            .map(|(x, y, _)| (x, y, "A".into()))
            .collect();
        assert_eq!(cleary(&one), None);
    }
}
