//! The item-level model that a scale's norm implies: `k` parallel items whose
//! mean has the norm's sd and reliability.
//!
//! Two parts of the engine need it and must agree: the simulator draws
//! attentive answers from it (METHOD.md §7), and the misfit index of response
//! validity measures how far a person's answers stray from it (§4.9). Written
//! once here so that they cannot drift apart.

use crate::norms::ScaleNorm;

/// Parallel items: each `σ·(√r̄·θ + √(1−r̄)·e)` around the scale mean, with θ
/// the person's level and e independent noise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemModel {
    /// Mean inter-item correlation r̄.
    pub mean_r: f64,
    /// Sd σ of one item across people.
    pub item_sd: f64,
}

impl ItemModel {
    /// The model of a scale of `items` items with `norm`'s sd and reliability α.
    ///
    /// # Formula
    /// Spearman–Brown solved for the mean inter-item correlation,
    /// `r̄ = α / (k − (k − 1)α)`; the variance of the mean of `k` such items
    /// is `σ²(r̄ + (1 − r̄)/k)`, which must equal sd², so
    /// `σ² = sd² / (r̄ + (1 − r̄)/k)` (Lord & Novick 1968, ch. 4).
    pub fn of(norm: &ScaleNorm, items: usize) -> ItemModel {
        let k = items.max(1) as f64;
        let alpha = norm.reliability;
        let mean_r = alpha / (k - (k - 1.0) * alpha);
        ItemModel {
            mean_r,
            item_sd: norm.sd / (mean_r + (1.0 - mean_r) / k).sqrt(),
        }
    }

    /// The loading √r̄ of every item on the person's level.
    pub fn loading(&self) -> f64 {
        self.mean_r.sqrt()
    }

    /// The variance of one person's items around their own level,
    /// `σ²(1 − r̄)`, plus `1/12` for answering in whole numbers (Sheppard's
    /// correction: rounding a continuous response to the nearest whole number
    /// adds a nearly uniform error of width 1, whose variance is 1/12).
    pub fn within_person_variance(&self) -> f64 {
        self.item_sd * self.item_sd * (1.0 - self.mean_r) + 1.0 / 12.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_of_a_twelve_item_scale_by_hand() {
        // α = 0.8, k = 12: r̄ = 0.8 / (12 − 8.8) = 0.25; sd 0.5: σ² = 0.25 / (0.25 + 0.75/12) = 0.8;
        // within-person σ²(1 − r̄) + 1/12 = 0.6 + 0.083333 = 0.683333.
        let norm = ScaleNorm {
            n: None,
            mean: 3.7,
            sd: 0.5,
            reliability: 0.8,
            percentiles: None,
        };
        let model = ItemModel::of(&norm, 12);
        assert!((model.mean_r - 0.25).abs() < 1e-12);
        assert!((model.item_sd - 0.8f64.sqrt()).abs() < 1e-12);
        assert!((model.loading() - 0.5).abs() < 1e-12);
        assert!((model.within_person_variance() - (0.6 + 1.0 / 12.0)).abs() < 1e-12);
    }
}
