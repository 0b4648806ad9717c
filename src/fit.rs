//! Fit of a candidate's stens to a role profile.
//!
//! Per attribute: the distance of the continuous sten from the target band
//! (zero inside), turned into a closeness between 0 and 1 by a smooth curve
//! that reaches 0 at the profile's tolerance. Overall: the weighted mean of the
//! closenesses, times 100. The formula, its properties and a worked example are
//! in `docs/METHOD.md` §5. This module computes; it does not decide whether a
//! candidate's responses deserve a fit (that is the assessment's job).

use serde::Serialize;

use crate::norms::Interval;
use crate::profile::{Profile, Target, STEN_MAX, STEN_MIN};

/// Fit at or above this is "strong": set so that at most 15% of ordinary
/// applicants are strong for every built-in role (METHOD §5.2, measured by
/// `examples/coverage_study.rs`), so that the word narrows the field.
pub const STRONG_FROM: f64 = 95.0;
/// Fit at or above this is "good".
pub const GOOD_FROM: f64 = 80.0;
/// Fit at or above this is "partial"; below it, "weak".
pub const PARTIAL_FROM: f64 = 60.0;

/// The level of each attribute's interval behind a fit range at `level`
/// over `attributes` attributes: `1 − (1 − level)/attributes` (Bonferroni;
/// Dunn 1961). If each attribute's interval misses its true sten with
/// probability at most `α/k`, all `k` cover together with probability at
/// least `1 − α` whatever the correlation of their errors, and then the fit
/// range, taken over those intervals, covers the true fit (METHOD §5.3).
///
/// ```
/// use servicefit::fit::attribute_level;
/// assert!((attribute_level(0.90, 6) - 0.983333).abs() < 1e-6);
/// ```
pub fn attribute_level(level: f64, attributes: usize) -> f64 {
    1.0 - (1.0 - level) / attributes.max(1) as f64
}

/// Where a sten lies relative to its band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Below the band.
    Below,
    /// Inside the band.
    Inside,
    /// Above the band.
    Above,
}

/// The named band of an overall fit score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitBand {
    /// Some attribute is below the role's minimum, whatever the fit: a
    /// minimum screens (METHOD §5.2), so such a candidate is never strong or good.
    MinimumNotMet,
    /// Fit < 60.
    Weak,
    /// 60 ≤ fit < 80.
    Partial,
    /// 80 ≤ fit < 95.
    Good,
    /// Fit ≥ 95.
    Strong,
}

impl FitBand {
    /// The band of a 0–100 fit score as the reports show it, in whole
    /// points, so that the band never disagrees with the number beside it
    /// (59.97 shows as 60 and is partial).
    pub fn of(score: f64) -> FitBand {
        match score.round() {
            s if s >= STRONG_FROM => FitBand::Strong,
            s if s >= GOOD_FROM => FitBand::Good,
            s if s >= PARTIAL_FROM => FitBand::Partial,
            _ => FitBand::Weak,
        }
    }

    /// Lower-case name, as in outputs.
    pub fn name(self) -> &'static str {
        match self {
            FitBand::Strong => "strong",
            FitBand::Good => "good",
            FitBand::Partial => "partial",
            FitBand::Weak => "weak",
            FitBand::MinimumNotMet => "minimum_not_met",
        }
    }
}

/// Where `sten` lies relative to the band of `target`, and how far outside it.
///
/// The sten is first clamped to 1..10, so a band reaching 10 is open at the top.
pub fn band_gap(sten: f64, target: &Target) -> (Side, f64) {
    let sten = sten.clamp(STEN_MIN, STEN_MAX);
    if sten < target.low {
        (Side::Below, target.low - sten)
    } else if sten > target.high {
        (Side::Above, sten - target.high)
    } else {
        (Side::Inside, 0.0)
    }
}

/// Closeness of an attribute `distance` stens outside its band, for a `tolerance`.
///
/// # Formula
/// With t = min(distance / tolerance, 1): `1 − 3t² + 2t³` (the smoothstep
/// curve). It is 1 at the band's edge, 0 from the tolerance on, strictly
/// decreasing between, and flat at both ends: a score a hair outside the band,
/// well within measurement error, costs almost nothing.
///
/// ```
/// use servicefit::fit::closeness;
/// assert_eq!(closeness(0.0, 3.0), 1.0);
/// assert!((closeness(1.5, 3.0) - 0.5).abs() < 1e-12);
/// assert_eq!(closeness(3.0, 3.0), 0.0);
/// ```
pub fn closeness(distance: f64, tolerance: f64) -> f64 {
    let t = (distance / tolerance).clamp(0.0, 1.0);
    1.0 - 3.0 * t * t + 2.0 * t * t * t
}

/// Closeness of a sten to a target, taking the side's tolerance.
pub fn attribute_closeness(sten: f64, target: &Target) -> f64 {
    match band_gap(sten, target) {
        (Side::Below, d) => closeness(d, target.tolerance_below),
        (Side::Above, d) => closeness(d, target.tolerance_above),
        (Side::Inside, _) => 1.0,
    }
}

/// The closeness range over a sten interval.
///
/// Closeness rises to the band and falls after it, so over an interval its
/// minimum is at an end, and its maximum is 1 if the interval meets the band,
/// else at the end nearer the band.
pub fn closeness_interval(interval: Interval, target: &Target) -> Interval {
    let (a, b) = (
        attribute_closeness(interval.low, target),
        attribute_closeness(interval.high, target),
    );
    let meets_band = interval.low <= target.high && interval.high >= target.low;
    Interval {
        low: a.min(b),
        high: if meets_band { 1.0 } else { a.max(b) },
    }
}

/// One candidate's standing on one attribute, as fit needs it.
#[derive(Debug, Clone, Copy)]
pub struct AttributeScore {
    /// Continuous sten.
    pub sten_continuous: f64,
    /// Reported sten (for the minimum).
    pub sten: u8,
    /// Confidence interval in continuous stens.
    pub sten_interval: Interval,
    /// The interval at the fit range's per-attribute level (METHOD §5.3).
    pub fit_sten_interval: Interval,
}

/// Where one attribute's score lies against its target: everything of the
/// fit that depends on that attribute alone.
///
/// A normed score is one of a few hundred a scale can give
/// ([`crate::norms::NormTable`]), so an assessment places each of them once
/// and leaves only the weighted sums of [`fit_into`] to each candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// Where the sten lies.
    pub side: Side,
    /// Stens outside the band (0 inside).
    pub distance: f64,
    /// Closeness 0..1.
    pub closeness: f64,
    /// Closeness over the sten's confidence interval.
    pub closeness_interval: Interval,
    /// Whether the reported sten is below the target's minimum.
    pub below_minimum: bool,
}

impl Placement {
    /// Places `score` against `target`.
    pub fn of(score: &AttributeScore, target: &Target) -> Placement {
        let (side, distance) = band_gap(score.sten_continuous, target);
        Placement {
            side,
            distance,
            closeness: attribute_closeness(score.sten_continuous, target),
            closeness_interval: closeness_interval(score.fit_sten_interval, target),
            below_minimum: target.minimum.is_some_and(|m| f64::from(score.sten) < m),
        }
    }
}

/// How one attribute contributes to fit.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AttributeFit {
    /// Scale id.
    pub scale: String,
    /// Where the sten lies, or `None` when the attribute is missing.
    pub side: Option<Side>,
    /// Stens outside the band (0 inside).
    pub distance: Option<f64>,
    /// Closeness 0..1.
    pub closeness: Option<f64>,
    /// Closeness over the sten's confidence interval.
    pub closeness_interval: Option<Interval>,
    /// Share of the total weight of the attributes present (0 when missing).
    pub weight_share: f64,
    /// Fit points this attribute earned, out of `100 · weight_share`.
    pub points: f64,
    /// Fit points lost here: `100 · weight_share − points`.
    pub points_lost: f64,
    /// Whether the reported sten is below the profile's minimum.
    pub below_minimum: bool,
}

/// The overall fit of a candidate to a profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fit {
    /// 0–100, or `None` when too many attributes are missing.
    pub score: Option<f64>,
    /// Named band of the score.
    pub band: Option<FitBand>,
    /// Fit over the score intervals: every attribute at its worst, and at its best.
    pub interval: Option<Interval>,
    /// One entry per target, in profile order.
    pub attributes: Vec<AttributeFit>,
    /// Scale ids of targets with no score.
    pub missing: Vec<String>,
}

/// Fit of `scores` (one per target of `profile`, in order; `None` = missing) to `profile`.
///
/// Missing attributes leave their weight to the others; more than
/// `profile.max_missing` missing gives no score.
pub fn fit(profile: &Profile, scores: &[Option<AttributeScore>]) -> Fit {
    let mut out = Fit::default();
    let placements = profile
        .targets
        .iter()
        .zip(scores)
        .map(|(target, score)| score.map(|s| Placement::of(&s, target)));
    fit_into(profile, placements, &mut out);
    out
}

/// [`fit`] from each target's [`Placement`] (`None` = missing) into `out`,
/// reusing its buffers (for assessing many candidates).
pub fn fit_into(
    profile: &Profile,
    placements: impl Iterator<Item = Option<Placement>>,
    out: &mut Fit,
) {
    out.attributes
        .resize_with(profile.targets.len(), AttributeFit::default);
    let each = profile.targets.iter().zip(placements);
    for ((target, placement), attribute) in each.zip(&mut out.attributes) {
        place(target, placement, attribute);
    }
    let attributes = &mut out.attributes;
    let present = |(t, a): (&Target, &AttributeFit)| a.side.map(|_| t.weight);
    let present_weight: f64 = profile
        .targets
        .iter()
        .zip(attributes.iter())
        .filter_map(present)
        .sum();
    for (target, attribute) in profile.targets.iter().zip(attributes.iter_mut()) {
        share(target, present_weight, attribute);
    }
    out.missing.clear();
    out.missing.extend(
        attributes
            .iter()
            .filter(|a| a.side.is_none())
            .map(|a| a.scale.clone()),
    );
    if out.missing.len() > profile.max_missing || present_weight <= 0.0 {
        (out.score, out.band, out.interval) = (None, None, None);
        return;
    }
    // Σ w·closeness / Σ w, summed before dividing so that all-inside is exactly 100.
    let earned: f64 = profile
        .targets
        .iter()
        .zip(attributes.iter())
        .filter_map(|(t, a)| a.closeness.map(|c| t.weight * c))
        .sum();
    // Divided before scaling: w/w is exactly 1, while (100·w)/w need not be exactly 100.
    let score = 100.0 * (earned / present_weight);
    let weighted = |end: fn(&Interval) -> f64| -> f64 {
        attributes
            .iter()
            .filter_map(|a| {
                a.closeness_interval
                    .as_ref()
                    .map(|i| 100.0 * a.weight_share * end(i))
            })
            .sum()
    };
    out.interval = Some(Interval {
        low: weighted(|i| i.low),
        high: weighted(|i| i.high),
    });
    out.score = Some(score);
    out.band = Some(if attributes.iter().any(|a| a.below_minimum) {
        FitBand::MinimumNotMet
    } else {
        FitBand::of(score)
    });
}

/// Writes where an attribute lies against `target` into `out`: all of it
/// but the weights, which depend on the attributes present.
fn place(target: &Target, placement: Option<Placement>, out: &mut AttributeFit) {
    if out.scale != target.scale {
        out.scale.clone_from(&target.scale);
    }
    out.side = placement.map(|p| p.side);
    out.distance = placement.map(|p| p.distance);
    out.closeness = placement.map(|p| p.closeness);
    out.closeness_interval = placement.map(|p| p.closeness_interval);
    out.below_minimum = placement.is_some_and(|p| p.below_minimum);
}

/// Writes the weight share and points of an attribute placed by [`place`],
/// out of `present_weight`, the weight of all attributes present (nothing
/// for a missing attribute).
fn share(target: &Target, present_weight: f64, out: &mut AttributeFit) {
    let Some(closeness) = out.closeness else {
        (out.weight_share, out.points, out.points_lost) = (0.0, 0.0, 0.0);
        return;
    };
    out.weight_share = target.weight / present_weight;
    out.points = 100.0 * out.weight_share * closeness;
    out.points_lost = 100.0 * out.weight_share * (1.0 - closeness);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(scale: &str, low: f64, high: f64, weight: f64) -> Target {
        Target {
            scale: scale.into(),
            low,
            high,
            weight,
            minimum: Some(4.0),
            tolerance_below: 3.0,
            tolerance_above: 2.0,
            why: String::new(),
        }
    }

    fn profile() -> Profile {
        Profile {
            id: "p".into(),
            version: "1".into(),
            name: "P".into(),
            questionnaire: "q".into(),
            summary: String::new(),
            rationale: String::new(),
            max_missing: 1,
            targets: vec![target("a", 6.0, 10.0, 2.0), target("b", 4.0, 7.0, 1.0)],
            calibration: None,
            criterion_study: None,
        }
    }

    fn score(sten: f64, half_width: f64) -> Option<AttributeScore> {
        let sten_interval = Interval {
            low: sten - half_width,
            high: sten + half_width,
        };
        Some(AttributeScore {
            sten_continuous: sten,
            sten: (sten + 0.5).floor() as u8,
            sten_interval,
            fit_sten_interval: sten_interval,
        })
    }

    #[test]
    fn inside_every_band_is_exactly_100_whatever_the_weight() {
        // Found by the property test: with weight w = 3.8630455527872485,
        // (100·w)/w is not exactly 100 in floating point; 100·(w/w) is.
        let mut p = profile();
        p.targets = vec![target("a", 1.0, 1.0, 3.8630455527872485)];
        let fit = fit(&p, &[score(1.0, 0.5)]);
        assert_eq!(fit.score, Some(100.0));
    }

    #[test]
    fn worked_example() {
        // a: sten 4.5, band 6–10 → 1.5 below, t = 1.5/3 = 0.5, closeness 1 − 0.75 + 0.25 = 0.5.
        // b: sten 7.5, band 4–7 → 0.5 above, t = 0.25, closeness 1 − 0.1875 + 0.03125 = 0.84375.
        // weights 2 and 1 → shares 2/3, 1/3; fit = 100·(2/3·0.5 + 1/3·0.84375) = 33.3333 + 28.125 = 61.4583.
        let fit = fit(&profile(), &[score(4.5, 1.0), score(7.5, 1.0)]);
        assert!((fit.score.unwrap() - 61.458333333333336).abs() < 1e-9);
        assert_eq!(fit.band, Some(FitBand::Partial));
        // a's interval 3.5–5.5: distances 2.5 and 0.5 → t 0.8333 and 0.1667:
        // 1 − 3·0.69444 + 2·0.5787 = 0.074074; 1 − 3·0.027778 + 2·0.0046296 = 0.925926.
        // b's interval 6.5–8.5 meets the band → high 1; low at 8.5: 1.5 above, t 0.75 → 1 − 1.6875 + 0.84375 = 0.15625.
        // fit low = 100·(2/3·0.074074 + 1/3·0.15625) = 4.93827 + 5.20833 = 10.1466;
        // fit high = 100·(2/3·0.925926 + 1/3·1) = 61.7284 + 33.3333 = 95.0617.
        let interval = fit.interval.unwrap();
        assert!((interval.low - 10.146604938271606).abs() < 1e-9);
        assert!((interval.high - 95.06172839506172).abs() < 1e-9);
        // a's reported sten floor(5.0) = 5 ≥ minimum 4: no flag.
        assert!(!fit.attributes[0].below_minimum);
        assert_eq!(fit.attributes[1].side, Some(Side::Above));
    }

    #[test]
    fn inside_every_band_is_hundred() {
        let fit = fit(&profile(), &[score(9.0, 0.5), score(5.0, 0.5)]);
        assert_eq!(fit.score, Some(100.0));
        assert_eq!(fit.band, Some(FitBand::Strong));
    }

    #[test]
    fn open_top_band_never_penalises_high_scores() {
        // continuous sten 11.2 clamps to 10, inside 6–10.
        assert_eq!(
            band_gap(11.2, &target("a", 6.0, 10.0, 1.0)),
            (Side::Inside, 0.0)
        );
    }

    #[test]
    fn missing_attribute_leaves_its_weight_to_the_others() {
        // Only b present, sten 7.5: fit = 100·0.84375.
        let fit = fit(&profile(), &[None, score(7.5, 0.0)]);
        assert!((fit.score.unwrap() - 84.375).abs() < 1e-9);
        assert_eq!(fit.missing, vec!["a".to_string()]);
        assert_eq!(fit.attributes[1].weight_share, 1.0);
    }

    #[test]
    fn too_many_missing_gives_no_fit() {
        let fit = fit(&profile(), &[None, None]);
        assert_eq!(fit.score, None);
        assert_eq!(fit.band, None);
    }

    #[test]
    fn minimum_flags_on_reported_sten() {
        // sten 3.2 reports as 3 < minimum 4.
        let fit = fit(&profile(), &[score(3.2, 0.5), score(5.0, 0.5)]);
        assert!(fit.attributes[0].below_minimum);
    }

    #[test]
    fn the_band_follows_the_fit_as_shown() {
        // 59.97 shows as 60: partial; 94.49 shows as 94: good; 94.5 shows as 95: strong.
        assert_eq!(FitBand::of(59.97), FitBand::Partial);
        assert_eq!(FitBand::of(59.49), FitBand::Weak);
        assert_eq!(FitBand::of(94.49), FitBand::Good);
        assert_eq!(FitBand::of(94.5), FitBand::Strong);
    }

    #[test]
    fn a_minimum_not_met_is_the_band_whatever_the_fit() {
        // a: sten 3.4 reports as 3 < minimum 4; 2.6 below 6, u = 2.6/3 = 0.8667,
        // c = 1 − 3·0.751111 + 2·0.650963 = 0.048593. b inside: c = 1. On a
        // profile where b carries almost all the weight (a 0.1, b 10):
        // fit = 100·(0.1·0.048593 + 10)/10.1 = 99.05801, strong by score alone.
        let mut p = profile();
        p.targets[0].weight = 0.1;
        p.targets[1].weight = 10.0;
        let fit = fit(&p, &[score(3.4, 0.5), score(5.0, 0.5)]);
        assert!(
            (fit.score.unwrap() - 99.05801).abs() < 1e-4,
            "{:?}",
            fit.score
        );
        assert_eq!(FitBand::of(fit.score.unwrap()), FitBand::Strong);
        assert_eq!(fit.band, Some(FitBand::MinimumNotMet));
        assert_eq!(FitBand::MinimumNotMet.name(), "minimum_not_met");
    }
}
