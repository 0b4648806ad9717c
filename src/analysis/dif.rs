//! Differential item functioning by ordinal logistic regression (Zumbo
//! 1999): does an item behave differently across groups of people who have
//! the same standing on its scale? For each item, over the respondents who
//! answered every item of the scale, three proportional-odds models of the
//! item's answer are compared — on the scale total (the studied item
//! included) alone, plus group, plus total × group — by likelihood-ratio
//! tests, with the change in Nagelkerke's R² as the effect size. Items are
//! flagged, never dropped. Formulas and sources: `docs/METHOD.md` §9.9.

use std::collections::BTreeMap;

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::ordinal::{null_log_likelihood, proportional_odds};
use crate::questionnaire::{ItemRole, Questionnaire};
use crate::scoring::{keyed_value, Answer};

/// ΔR² at or above which DIF is moderate, and large (Jodoin & Gierl 2001).
pub const MODERATE_DELTA_R2: f64 = 0.035;
/// See [`MODERATE_DELTA_R2`].
pub const LARGE_DELTA_R2: f64 = 0.070;
/// The p value of the 2-df test below which an item can be flagged (Zumbo 1999).
pub const DIF_ALPHA: f64 = 0.01;

/// A likelihood-ratio test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LikelihoodRatio {
    /// χ² = 2 (LL_bigger − LL_smaller).
    pub chi_square: f64,
    /// Its degrees of freedom.
    pub df: usize,
    /// Its p value.
    pub p: f64,
}

/// One item's DIF.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDif {
    /// Item id.
    pub item: String,
    /// Respondents used (every item of the scale answered, a group value).
    pub n: usize,
    /// Uniform DIF: the group terms added to the total.
    pub uniform: LikelihoodRatio,
    /// Uniform and non-uniform DIF together: group and total × group added to the total.
    pub total: LikelihoodRatio,
    /// Nagelkerke R² of the full model minus that of the total alone.
    pub delta_r2: f64,
    /// `negligible`, `moderate` or `large` (only when the 2-df test is significant at 1%).
    pub level: &'static str,
}

/// The respondents of one scale: keyed answers (every item answered) and group.
#[derive(Debug, Clone, Default)]
pub struct ScaleResponses {
    /// One row of keyed answers per respondent, scale item order.
    pub answers: Vec<Vec<i32>>,
    /// Their groups.
    pub groups: Vec<String>,
}

impl ScaleResponses {
    /// Adds a respondent of group `group` when every scored item of `scale` was answered.
    pub fn add(
        &mut self,
        questionnaire: &Questionnaire,
        scale: usize,
        answers: &[Answer],
        group: &str,
    ) {
        let (min, max) = (
            questionnaire.response_scale().min,
            questionnaire.response_scale().max,
        );
        let keyed: Option<Vec<i32>> = questionnaire
            .scale_items(scale)
            .iter()
            .filter_map(|&index| match &questionnaire.items()[index].role {
                ItemRole::Scored { reverse_keyed, .. } => {
                    Some(answers[index].map(|v| keyed_value(v, *reverse_keyed, min, max)))
                }
                _ => None,
            })
            .collect();
        if let (Some(keyed), false) = (keyed, group.trim().is_empty()) {
            self.answers.push(keyed);
            self.groups.push(group.trim().to_string());
        }
    }
}

/// The DIF of every item of a scale; items whose models cannot be fitted are left out.
pub fn scale_dif(responses: &ScaleResponses, item_ids: &[String]) -> Vec<ItemDif> {
    let levels: Vec<&String> = responses
        .groups
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if levels.len() < 2 {
        return Vec::new();
    }
    let dummies: Vec<Vec<f64>> = responses
        .groups
        .iter()
        .map(|g| {
            levels[1..]
                .iter()
                .map(|l| f64::from(u8::from(*l == g)))
                .collect()
        })
        .collect();
    let totals: Vec<f64> = responses
        .answers
        .iter()
        .map(|row| row.iter().map(|&a| f64::from(a)).sum())
        .collect();
    item_ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| item_dif(responses, &totals, &dummies, i, id))
        .collect()
}

fn item_dif(
    responses: &ScaleResponses,
    totals: &[f64],
    dummies: &[Vec<f64>],
    item: usize,
    id: &str,
) -> Option<ItemDif> {
    let y = categories(responses.answers.iter().map(|row| row[item]));
    let design = |groups: bool, interactions: bool| -> Vec<Vec<f64>> {
        totals
            .iter()
            .zip(dummies)
            .map(|(&t, d)| {
                let mut row = vec![t];
                if groups {
                    row.extend(d);
                }
                if interactions {
                    row.extend(d.iter().map(|d| d * t));
                }
                row
            })
            .collect()
    };
    let ll0 = proportional_odds(&y, &design(false, false))?.log_likelihood;
    let ll1 = proportional_odds(&y, &design(true, false))?.log_likelihood;
    let ll2 = proportional_odds(&y, &design(true, true))?.log_likelihood;
    let k = dummies.first().map_or(0, Vec::len);
    let null = null_log_likelihood(&y);
    let n = y.len() as f64;
    let nagelkerke =
        |ll: f64| (1.0 - (-2.0 * (ll - null) / n).exp()) / (1.0 - (2.0 * null / n).exp());
    let total = test(ll2 - ll0, 2 * k)?;
    let delta_r2 = nagelkerke(ll2) - nagelkerke(ll0);
    Some(ItemDif {
        item: id.to_string(),
        n: y.len(),
        uniform: test(ll1 - ll0, k)?,
        total,
        delta_r2,
        level: level(total.p, delta_r2),
    })
}

/// The answers as 0-based categories: the distinct values in order (as R's `factor` keeps only levels seen).
fn categories(values: impl Iterator<Item = i32> + Clone) -> Vec<usize> {
    let index: BTreeMap<i32, usize> = values
        .clone()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .enumerate()
        .map(|(i, v)| (v, i))
        .collect();
    values.map(|v| index[&v]).collect()
}

fn test(half_chi_square: f64, df: usize) -> Option<LikelihoodRatio> {
    let chi_square = (2.0 * half_chi_square).max(0.0);
    let p = 1.0 - ChiSquared::new(df as f64).ok()?.cdf(chi_square);
    Some(LikelihoodRatio { chi_square, df, p })
}

/// Zumbo's two conditions: a significant 2-df test and a large enough ΔR².
fn level(p: f64, delta_r2: f64) -> &'static str {
    match delta_r2 {
        _ if p >= DIF_ALPHA => "negligible",
        d if d >= LARGE_DELTA_R2 => "large",
        d if d >= MODERATE_DELTA_R2 => "moderate",
        _ => "negligible",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_need_both_conditions() {
        assert_eq!(level(0.001, 0.08), "large");
        assert_eq!(level(0.001, 0.05), "moderate");
        assert_eq!(level(0.001, 0.01), "negligible");
        assert_eq!(level(0.2, 0.09), "negligible");
    }

    #[test]
    fn categories_keep_only_the_values_seen() {
        assert_eq!(categories([5, 2, 4, 2].into_iter()), vec![2, 0, 1, 0]);
    }
}
