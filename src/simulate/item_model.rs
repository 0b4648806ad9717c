//! The item model of simulated respondents, fitted so that their answers
//! have the reliability and sd the norms state (METHOD §7).
//!
//! Each item is `M + σ·(λθ + √(1 − λ²)e)`, rounded to a whole answer and
//! kept on the answer scale. Rounding and the scale's ends weaken the items'
//! correlations: with `λ² = r̄` from Spearman–Brown, a scale planned at
//! α = 0.80 comes out of `simulate` + `analyze` at about 0.77. So `λ` and `σ`
//! are solved for the *rounded* answers instead: items are independent given
//! θ, so two items' covariance is the variance of the expected answer,
//! `c = Var_θ(E[Y | θ])`, an item's variance is `v = Var(Y)`, and for `K`
//! such items `α = Kc / (v + (K − 1)c)` and `Var(mean) = (v + (K − 1)c) / K`
//! (Lord & Novick 1968, ch. 4). Both are computed by quadrature over θ and
//! matched to the norm's α and sd.

use crate::norms::normal_percentile;

/// Points of the quadrature over θ ~ N(0, 1), from −6 to 6.
const GRID: usize = 121;
/// Rounds of solving λ for α, then σ for the sd.
const ROUNDS: usize = 12;
/// Bisection steps per solve.
const STEPS: usize = 40;

/// An item's sd on the keyed scale and its loading λ on θ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemModel {
    /// σ: sd of the continuous item before rounding.
    pub sd: f64,
    /// λ: the item's loading on the latent level (√r̄ in the continuous model).
    pub loading: f64,
}

/// Moments of rounded answers to one item at (λ, σ).
struct Moments {
    /// Covariance of two items (variance of the expected answer).
    covariance: f64,
    /// Variance of one item.
    variance: f64,
}

/// The item model whose rounded answers on `min..=max`, `items` to a scale,
/// have the scale mean `mean`, sd `sd` and reliability `alpha`, as nearly as
/// answers on that scale allow.
pub fn fit(mean: f64, sd: f64, alpha: f64, items: usize, min: i32, max: i32) -> ItemModel {
    let k = items.max(1) as f64;
    // The continuous model as the start: r̄ by Spearman–Brown, σ from Var(mean) = σ²(r̄ + (1 − r̄)/k).
    let r = alpha / (k - (k - 1.0) * alpha);
    let mut model = ItemModel {
        sd: sd / (r + (1.0 - r) / k).sqrt(),
        loading: r.max(0.0).sqrt(),
    };
    let alpha_of = |m: ItemModel| {
        let s = moments(mean, m, min, max);
        k * s.covariance / (s.variance + (k - 1.0) * s.covariance)
    };
    let sd_of = |m: ItemModel| {
        let s = moments(mean, m, min, max);
        ((s.variance + (k - 1.0) * s.covariance) / k).sqrt()
    };
    for _ in 0..ROUNDS {
        model.loading = bisect(0.0, 0.999, alpha, |l| {
            alpha_of(ItemModel {
                loading: l,
                ..model
            })
        });
        model.sd = bisect(0.01, 20.0 * sd, sd, |s| sd_of(ItemModel { sd: s, ..model }));
    }
    model
}

/// The `x` in `low..high` where the increasing `f` reaches `target` (an end when it never does).
fn bisect(mut low: f64, mut high: f64, target: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..STEPS {
        let middle = (low + high) / 2.0;
        if f(middle) < target {
            low = middle;
        } else {
            high = middle;
        }
    }
    (low + high) / 2.0
}

/// The expected answer and expected squared answer at `level`.
pub fn expected(mean: f64, model: ItemModel, level: f64, min: i32, max: i32) -> (f64, f64) {
    let mu = mean + model.sd * model.loading * level;
    let sigma = model.sd * (1.0 - model.loading * model.loading).max(1e-12).sqrt();
    let below = |v: i32| normal_percentile((f64::from(v) + 0.5 - mu) / sigma) / 100.0;
    let (mut first, mut second, mut under) = (0.0, 0.0, 0.0);
    for v in min..=max {
        let upto = if v == max { 1.0 } else { below(v) };
        let p = upto - under;
        under = upto;
        first += p * f64::from(v);
        second += p * f64::from(v) * f64::from(v);
    }
    (first, second)
}

fn moments(mean: f64, model: ItemModel, min: i32, max: i32) -> Moments {
    let (mut weight, mut m1, mut m2, mut mean_square) = (0.0, 0.0, 0.0, 0.0);
    for j in 0..GRID {
        let level = -6.0 + 12.0 * j as f64 / (GRID - 1) as f64;
        let w = (-level * level / 2.0).exp();
        let (first, second) = expected(mean, model, level, min, max);
        weight += w;
        m1 += w * first;
        mean_square += w * first * first;
        m2 += w * second;
    }
    let (m1, mean_square, m2) = (m1 / weight, mean_square / weight, m2 / weight);
    Moments {
        covariance: mean_square - m1 * m1,
        variance: m2 - m1 * m1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_answers_get_the_planned_alpha_and_sd() {
        // Planned: 12 items on 1..5, mean 3.7, sd 0.5, α 0.80. The continuous start
        // (r̄ = 0.25) gives less once answers are rounded; the fitted model gives 0.80.
        let model = fit(3.7, 0.5, 0.80, 12, 1, 5);
        let s = moments(3.7, model, 1, 5);
        let alpha = 12.0 * s.covariance / (s.variance + 11.0 * s.covariance);
        let sd = ((s.variance + 11.0 * s.covariance) / 12.0).sqrt();
        assert!((alpha - 0.80).abs() < 1e-6, "{alpha}");
        assert!((sd - 0.5).abs() < 1e-6, "{sd}");
        let start = ItemModel {
            sd: 0.5 / (0.25f64 + 0.75 / 12.0).sqrt(),
            loading: 0.5,
        };
        let s = moments(3.7, start, 1, 5);
        let rounded = 12.0 * s.covariance / (s.variance + 11.0 * s.covariance);
        assert!(rounded < 0.79, "{rounded}");
        assert!(model.loading > 0.5);
    }

    #[test]
    fn expected_answers_are_symmetric_about_the_middle() {
        // μ = 3 at θ = 0 on 1..5: E[Y] = 3 by symmetry.
        let model = ItemModel {
            sd: 0.8,
            loading: 0.5,
        };
        let (first, _) = expected(3.0, model, 0.0, 1, 5);
        assert!((first - 3.0).abs() < 1e-12);
    }
}
