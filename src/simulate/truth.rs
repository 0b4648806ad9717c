//! The true scores of simulated respondents: what an error-free
//! measurement of each one would give, so that the coverage of intervals
//! and fit ranges can be measured (`simulate --truth`, METHOD §5.5).
//!
//! A respondent's true raw score is, as in classical test theory, the
//! expected value of the observed score given the respondent (Lord & Novick
//! 1968, ch. 2): here the expected keyed answer to an item of the scale at
//! the respondent's latent level, rounding and the ends of the answer scale
//! included. Its sten and the fit follow by the same formulas as observed ones.

use super::item_model::{self, ItemModel};
use super::Simulator;
use crate::fit::{self, AttributeScore};
use crate::norms::{self, Interval};

impl Simulator<'_> {
    /// The true raw score of scale `scale` at latent `level`: the expected
    /// keyed answer, `Σ_v v·P(answer = v)`, where an answer is `μ + σe`
    /// rounded and kept within the scale, `μ = M + σ_item·λ·θ`,
    /// `σ = σ_item·√(1 − λ²)` (the item model of METHOD §7).
    pub fn true_raw(&self, scale: usize, level: f64) -> f64 {
        let q = self.assessment.questionnaire();
        let (min, max) = (q.response_scale().min, q.response_scale().max);
        let (sd, loading) = self.item_model[scale];
        let model = ItemModel { sd, loading };
        item_model::expected(self.assessment.norm(scale).mean, model, level, min, max).0
    }

    /// The true continuous sten of every scale at `levels` (questionnaire order).
    pub fn true_stens(&self, levels: &[f64]) -> Vec<f64> {
        levels
            .iter()
            .enumerate()
            .map(|(s, &level)| {
                let norm = self.assessment.norm(s);
                norms::sten_continuous(norm.z(self.true_raw(s, level)))
            })
            .collect()
    }

    /// The latent level whose true sten on `scale` is `sten` (bisection: the
    /// true sten rises with the level), within ±8 sd.
    pub fn level_for_sten(&self, scale: usize, sten: f64) -> f64 {
        let norm = self.assessment.norm(scale);
        let sten_at = |level: f64| norms::sten_continuous(norm.z(self.true_raw(scale, level)));
        let (mut low, mut high) = (-8.0, 8.0);
        for _ in 0..60 {
            let middle = (low + high) / 2.0;
            if sten_at(middle) < sten {
                low = middle;
            } else {
                high = middle;
            }
        }
        (low + high) / 2.0
    }
}

/// The fit of true stens (one per scale of `simulator`'s questionnaire, in
/// its order) to the profile, by the formula of observed fits (METHOD §5).
pub fn true_fit(simulator: &Simulator<'_>, stens: &[f64]) -> Option<f64> {
    let assessment = simulator.assessment;
    let q = assessment.questionnaire();
    let scores: Vec<Option<AttributeScore>> = assessment
        .profile()
        .targets
        .iter()
        .map(|target| {
            let sten = *stens.get(q.scale_index(&target.scale)?)?;
            let point = Interval {
                low: sten,
                high: sten,
            };
            Some(AttributeScore {
                sten_continuous: sten,
                sten: (sten + 0.5).floor().clamp(1.0, 10.0) as u8,
                sten_interval: point,
                fit_sten_interval: point,
            })
        })
        .collect();
    fit::fit(assessment.profile(), &scores).score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{Assessment, Options};
    use crate::data;
    use crate::simulate::Plan;
    use std::path::Path;

    fn tiny() -> Assessment {
        let at = |name: &str| format!("{}/tests/fixtures/tiny/{name}", env!("CARGO_MANIFEST_DIR"));
        Assessment::new(
            data::questionnaire(Some(Path::new(&at("questionnaire.json")))).unwrap(),
            data::norms(Some(Path::new(&at("norms.json")))).unwrap(),
            data::profile(&at("profile.json")).unwrap(),
            Options::default(),
        )
        .unwrap()
    }

    #[test]
    fn true_scores_are_expected_answers() {
        let assessment = tiny();
        let plan = Plan {
            seed: 1,
            careless: 0.0,
            fitting: 0.0,
        };
        let simulator = Simulator::new(&assessment, plan);
        assert!(simulator.true_stens(&[1.0, 0.0])[0] > 6.0);
        // Scale a: M 3 at θ = 0: the answer is symmetric about 3, true raw 3, sten 5.5.
        assert!((simulator.true_raw(0, 0.0) - 3.0).abs() < 1e-12);
        // At θ = 1, the mean keyed answer of many simulated respondents (Monte Carlo)
        // matches the true raw score: 40,000 respondents × 3 items, sd of a mean
        // answer under 0.003, so within 0.01.
        let mut simulator = simulator;
        let q = assessment.questionnaire();
        let (mut sum, mut count) = (0.0, 0.0);
        for _ in 0..40_000 {
            let answers = simulator.attentive_at(&[1.0, 0.0]);
            for &i in q.scale_items(0) {
                if let Some(a) = answers[i] {
                    sum += f64::from(crate::scoring::keyed_value(a, i == 4, 1, 5));
                    count += 1.0;
                }
            }
        }
        let truth = simulator.true_raw(0, 1.0);
        assert!(
            (sum / count - truth).abs() < 0.01,
            "{} vs {truth}",
            sum / count
        );
        let stens = simulator.true_stens(&[1.0, 0.0]);
        assert!((stens[0] - (2.0 * (truth - 3.0) / 0.5 + 5.5)).abs() < 1e-12);
        // The level of a sten inverts it.
        assert!((simulator.level_for_sten(0, stens[0]) - 1.0).abs() < 1e-9);
        // a above 6 inside 6–10; b (M 3.5, SD 1) at θ = 0 true sten 5.5 inside 4–7: fit 100.
        assert_eq!(true_fit(&simulator, &stens), Some(100.0));
        // a at sten 4.5, 1.5 below: closeness 0.5; weights 2 and 1: fit 100·(2·0.5 + 1)/3.
        assert!((true_fit(&simulator, &[4.5, 5.5]).unwrap() - 200.0 / 3.0).abs() < 1e-9);
    }
}
