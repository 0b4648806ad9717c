//! Proportional-odds (cumulative logit) regression by maximum likelihood,
//! the model of R's `MASS::polr`: `logit P(Y ≤ j) = θⱼ − xβ` for ordered
//! categories `j = 1 … J−1`. Only what item DIF needs: the fitted log-
//! likelihood (and estimates) of a model, for likelihood-ratio tests.

use super::matrix::invert;

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct OrdinalFit {
    /// The maximised log-likelihood.
    pub log_likelihood: f64,
    /// The cut points θ, increasing.
    pub thresholds: Vec<f64>,
    /// The slopes β, one per predictor.
    pub coefficients: Vec<f64>,
}

fn logistic(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

/// `P(Y = k)` of one case, and its derivative parts: the logistic density at
/// the upper and lower cut (0 beyond the ends).
fn case_terms(theta: &[f64], eta: f64, k: usize) -> (f64, f64, f64) {
    let upper = theta.get(k).map(|t| t - eta);
    let lower = k.checked_sub(1).map(|j| theta[j] - eta);
    let cdf = |t: Option<f64>, beyond: f64| t.map_or(beyond, logistic);
    let density = |t: Option<f64>| t.map_or(0.0, |t| logistic(t) * (1.0 - logistic(t)));
    (
        cdf(upper, 1.0) - cdf(lower, 0.0),
        density(upper),
        density(lower),
    )
}

/// Log-likelihood and its gradient at `params` = (θ₁ … θ_{J−1}, β₁ … β_p).
fn log_likelihood(params: &[f64], y: &[usize], x: &[Vec<f64>], cuts: usize) -> (f64, Vec<f64>) {
    let (theta, beta) = params.split_at(cuts);
    let mut gradient = vec![0.0; params.len()];
    let mut total = 0.0;
    for (row, &k) in x.iter().zip(y) {
        let eta: f64 = row.iter().zip(beta).map(|(a, b)| a * b).sum();
        let (p, up, low) = case_terms(theta, eta, k);
        if p <= 0.0 {
            return (f64::NEG_INFINITY, gradient);
        }
        total += p.ln();
        if k < cuts {
            gradient[k] += up / p;
        }
        if k > 0 {
            gradient[k - 1] -= low / p;
        }
        for (j, value) in row.iter().enumerate() {
            gradient[cuts + j] -= value * (up - low) / p;
        }
    }
    (total, gradient)
}

/// Fits the model to categories `y` (0-based, every category from 0 to the
/// largest present) on predictors `x` (no intercept column: the cut points
/// are the intercepts). Newton–Raphson with a numerical Hessian of the
/// analytic gradient and step halving; the log-likelihood is concave, so the
/// maximum is unique (Agresti 2010, §3.4).
///
/// `None` with fewer than two categories, a category with no case, or no convergence.
pub fn proportional_odds(y: &[usize], x: &[Vec<f64>]) -> Option<OrdinalFit> {
    let categories = y.iter().max()? + 1;
    let mut counts = vec![0usize; categories];
    y.iter().for_each(|&k| counts[k] += 1);
    if categories < 2 || counts.contains(&0) {
        return None;
    }
    let cuts = categories - 1;
    let predictors = x.first().map_or(0, Vec::len);
    let n = y.len() as f64;
    let mut params: Vec<f64> = (0..cuts)
        .map(|j| {
            let below = counts[..=j].iter().sum::<usize>() as f64 / n;
            (below / (1.0 - below)).ln()
        })
        .chain(std::iter::repeat_n(0.0, predictors))
        .collect();
    let (mut current, mut gradient) = log_likelihood(&params, y, x, cuts);
    for _ in 0..200 {
        if gradient.iter().all(|g| g.abs() < 1e-9) {
            break;
        }
        let hessian = numerical_hessian(&params, y, x, cuts)?;
        let inverse = invert(&hessian)?;
        let step: Vec<f64> = (0..params.len())
            .map(|i| {
                -(0..params.len())
                    .map(|j| inverse[i][j] * gradient[j])
                    .sum::<f64>()
            })
            .collect();
        let mut scale = 1.0;
        loop {
            let trial: Vec<f64> = params
                .iter()
                .zip(&step)
                .map(|(p, s)| p + scale * s)
                .collect();
            let ordered = trial[..cuts].windows(2).all(|w| w[0] < w[1]);
            let (value, g) = log_likelihood(&trial, y, x, cuts);
            if ordered && value >= current - 1e-12 {
                (params, current, gradient) = (trial, value, g);
                break;
            }
            scale /= 2.0;
            if scale < 1e-10 {
                return None;
            }
        }
    }
    let (thresholds, coefficients) = params.split_at(cuts);
    Some(OrdinalFit {
        log_likelihood: current,
        thresholds: thresholds.to_vec(),
        coefficients: coefficients.to_vec(),
    })
}

/// Central differences of the analytic gradient (step 1e-5), symmetrised.
fn numerical_hessian(
    params: &[f64],
    y: &[usize],
    x: &[Vec<f64>],
    cuts: usize,
) -> Option<Vec<Vec<f64>>> {
    let m = params.len();
    let h = 1e-5;
    let rows: Vec<Vec<f64>> = (0..m)
        .map(|i| {
            let mut up = params.to_vec();
            let mut down = params.to_vec();
            up[i] += h;
            down[i] -= h;
            let (_, g_up) = log_likelihood(&up, y, x, cuts);
            let (_, g_down) = log_likelihood(&down, y, x, cuts);
            g_up.iter()
                .zip(&g_down)
                .map(|(a, b)| (a - b) / (2.0 * h))
                .collect()
        })
        .collect();
    // Symmetrised: the mean of the two differences of each pair.
    let hessian: Vec<Vec<f64>> = (0..m)
        .map(|i| (0..m).map(|j| (rows[i][j] + rows[j][i]) / 2.0).collect())
        .collect();
    hessian
        .iter()
        .flatten()
        .all(|v| v.is_finite())
        .then_some(hessian)
}

/// The log-likelihood of the model without predictors: `Σ n_j ln(n_j / n)`.
pub fn null_log_likelihood(y: &[usize]) -> f64 {
    let n = y.len() as f64;
    let categories = y.iter().max().map_or(0, |m| m + 1);
    let mut counts = vec![0usize; categories];
    y.iter().for_each(|&k| counts[k] += 1);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| c as f64 * (c as f64 / n).ln())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_predictors_the_fit_is_the_null_model() {
        // Categories 0,0,1,1,1,2: LL = 2 ln(2/6) + 3 ln(3/6) + ln(1/6) = −5.990629.
        let y = [0, 0, 1, 1, 1, 2];
        let x: Vec<Vec<f64>> = vec![Vec::new(); 6];
        let fit = proportional_odds(&y, &x).unwrap();
        let expected = 2.0 * (2.0_f64 / 6.0).ln() + 3.0 * 0.5_f64.ln() + (1.0_f64 / 6.0).ln();
        assert!((fit.log_likelihood - expected).abs() < 1e-10);
        assert!((null_log_likelihood(&y) - expected).abs() < 1e-12);
        // Cut points: logit(2/6) = −0.6931, logit(5/6) = 1.6094.
        assert!((fit.thresholds[0] - (0.5_f64).ln()).abs() < 1e-8);
        assert!((fit.thresholds[1] - 5.0_f64.ln()).abs() < 1e-8);
    }

    #[test]
    fn a_missing_category_is_refused() {
        assert_eq!(proportional_odds(&[0, 2, 2], &vec![Vec::new(); 3]), None);
    }
}
