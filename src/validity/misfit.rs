//! Misfit: how much more a person's answers to items of the same scale
//! disagree with each other than careful answering explains.
//!
//! This is the within-scale part of the Mahalanobis distance of the person's
//! keyed answers under the item model of the norms (METHOD.md §4.9; Meade &
//! Craig 2012 use the Mahalanobis distance as a careless-responding index).
//! Random answers to attentively placed attention items leave every other
//! index near its attentive value; they cannot leave the answers to a scale's
//! items as close together as people who read the items give them.

use crate::item_model::ItemModel;
use crate::scoring::Halves;

/// The expected within-person variance of each scale's keyed answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit {
    /// Per scale, questionnaire order: [`ItemModel::within_person_variance`].
    within_variance: Vec<f64>,
}

impl Misfit {
    /// The misfit model of scales with these item models (questionnaire order).
    pub fn new(models: impl IntoIterator<Item = ItemModel>) -> Misfit {
        Misfit {
            within_variance: models
                .into_iter()
                .map(|m| m.within_person_variance())
                .collect(),
        }
    }

    /// The misfit of the answers summed in `halves` (one per scale, the
    /// order of [`Misfit::new`]); `None` when no scale has two answered items.
    ///
    /// # Formula
    /// With `nₛ` answered items of scale `s`, keyed sum `Sₛ` and sum of
    /// squares `Qₛ`, the within-scale sum of squares is
    /// `SSₛ = Qₛ − Sₛ²/nₛ`; `X = Σₛ SSₛ / vₛ`, with `vₛ` the expected
    /// within-person variance, is χ² with `df = Σₛ (nₛ − 1)` degrees of
    /// freedom under the model. The mean square `X / df` is about 1 for
    /// careful answering; uniform random answers on 1..5 (variance 2) give
    /// about `2 / vₛ`, near 3 for the built-in norms. Its z is the
    /// Wilson–Hilferty (1931) normal approximation,
    /// `z = ((X/df)^⅓ − (1 − 2/(9·df))) / √(2/(9·df))`, so that one threshold
    /// means the same false-alarm rate under the model for a long
    /// questionnaire as for a short one.
    pub fn of(&self, halves: &[Halves]) -> Option<MisfitScore> {
        let (mut chi_square, mut df) = (0.0, 0usize);
        for (h, &variance) in halves.iter().zip(&self.within_variance) {
            let n = h.answered();
            if n < 2 {
                continue;
            }
            // n·Q − S² is exact in integers: the one rounding is in the division.
            let (count, sum) = (n as i128, i128::from(h.sum()));
            let squares = count * i128::from(h.squares) - sum * sum;
            chi_square += squares as f64 / n as f64 / variance;
            df += n - 1;
        }
        (df > 0).then(|| MisfitScore::of(chi_square, df))
    }
}

/// A person's misfit: the mean square and its z.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MisfitScore {
    /// χ² / df: about 1 for careful answers.
    pub mean_square: f64,
    /// The Wilson–Hilferty z of χ² on df degrees of freedom.
    pub z: f64,
}

impl MisfitScore {
    fn of(chi_square: f64, df: usize) -> MisfitScore {
        let mean_square = chi_square / df as f64;
        let variance = 2.0 / (9.0 * df as f64);
        MisfitScore {
            mean_square,
            z: (mean_square.cbrt() - (1.0 - variance)) / variance.sqrt(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn halves(sums: [i64; 2], answered: [usize; 2], squares: i64) -> Halves {
        Halves {
            sums,
            answered,
            squares,
        }
    }

    #[test]
    fn misfit_by_hand() {
        // Two scales whose within-person variances are set to 0.5 and 1.0.
        let misfit = Misfit {
            within_variance: vec![0.5, 1.0],
        };
        // Scale 1: answers 5 4 3 (sum 12, squares 50): SS = 50 − 144/3 = 2; 2 / 0.5 = 4, df 2.
        // Scale 2: answers 1 5 1 5 (sum 12, squares 52): SS = 52 − 144/4 = 16; 16 / 1 = 16, df 3.
        // χ² = 4 + 16 = 20 on 2 + 3 = 5 df: mean square 4.
        // z: 2/(9·5) = 0.0444444; (4^⅓ − 0.9555556) / √0.0444444 = (1.5874011 − 0.9555556) / 0.2108185 = 2.9971
        // (R: (4^(1/3) - (1 - 2/45)) / sqrt(2/45) = 2.997106).
        let scales = [halves([8, 4], [2, 1], 50), halves([2, 10], [2, 2], 52)];
        let score = misfit.of(&scales).unwrap();
        assert_eq!(score.mean_square, 4.0);
        assert!((score.z - 2.997106).abs() < 1e-6, "{}", score.z);
        // A scale with one answer adds nothing: only scale 2 counts, 16 / 3.
        let scales = [halves([5, 0], [1, 0], 25), halves([2, 10], [2, 2], 52)];
        assert!((misfit.of(&scales).unwrap().mean_square - 16.0 / 3.0).abs() < 1e-12);
        assert_eq!(misfit.of(&[halves([5, 0], [1, 0], 25)]), None);
    }

    #[test]
    fn identical_answers_within_each_scale_fit_perfectly() {
        // 4 4 4 4: SS = 64 − 256/4 = 0.
        let misfit = Misfit::new([ItemModel {
            mean_r: 0.25,
            item_sd: 1.0,
        }]);
        let score = misfit.of(&[halves([8, 8], [2, 2], 64)]).unwrap();
        assert_eq!(score.mean_square, 0.0);
        // z on 3 df: (0 − (1 − 2/27)) / √(2/27) = −0.9259259 / 0.2721655 = −3.4020691.
        assert!((score.z + 3.4020691).abs() < 1e-6, "{}", score.z);
    }
}
