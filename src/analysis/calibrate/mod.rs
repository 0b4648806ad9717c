//! A role profile calibrated on a client's own staff: bands from what the top
//! performers score, weights from how strongly each attribute relates to the
//! performance rating.
//!
//! The rules (each constant's reasoning is in docs/METHOD.md, "Calibrating a
//! profile"): the top group is the best `share` of incumbents by rating (ties
//! kept together) or everyone at or above a threshold; an attribute's band is
//! the top group's interquartile sten range where its relation to the rating
//! is shown (Holm-adjusted p below 5% over the attributes tested, see
//! [`evidence`]), its 10th–90th percentile range where not, rounded outward
//! and widened to at least [`MIN_BAND_WIDTH`]; the band is opened at the top
//! when the rating rises with the attribute or the top group's Q3 reaches
//! [`OPEN_TOP_FROM`], and at the bottom when the rating falls with it; the
//! weight is `1 + 2·|r| / max|r|` for attributes whose relation is shown and 1
//! otherwise. Too few incumbents are refused, a few more warned about.
//! [`bootstrap()`] re-derives every band edge on resamples of the incumbents
//! with the same code ([`Sample`] is scored once for both).

mod bootstrap;
mod derive;
pub mod evidence;
mod explain;

pub use bootstrap::{
    bootstrap, BandUncertainty, Bootstrap, BootstrapSettings, EdgeInterval, DEFAULT_REPLICATES,
    DEFAULT_SEED,
};
pub use derive::{band, Sample};
use derive::{derive, Derived};
pub use evidence::Relation;
pub use explain::{band_rules, p_words, stability_words};

use serde::Serialize;

use super::correlation::Correlation;
use super::dataset::Record;
use super::AnalysisError;
use crate::assessment::Assessment;
use crate::profile::{
    AttributeStatistics, CalibrationRecord, Profile, Target, DEFAULT_TOLERANCE, STEN_MAX,
};

/// Fewest incumbents (after excluding invalid responses) a calibration accepts.
pub const MIN_INCUMBENTS: usize = 30;
/// Fewer incumbents than this gives a warning.
pub const WARN_INCUMBENTS: usize = 100;
/// Fewest incumbents in the top group.
pub const MIN_TOP: usize = 10;
/// Narrowest band, in stens between its ends (2 = three sten values, e.g. 5–7).
pub const MIN_BAND_WIDTH: f64 = 2.0;
/// A top group whose Q3 reaches this sten gets a band open at the top.
pub const OPEN_TOP_FROM: f64 = 9.0;
/// Default top share.
pub const DEFAULT_TOP_SHARE: f64 = 0.25;

/// Who counts as a top performer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TopRule {
    /// The best share of incumbents by rating, e.g. 0.25; ties at the cut are all in.
    Share(f64),
    /// Everyone rated at or above this value.
    Threshold(f64),
}

impl TopRule {
    /// The rule in words, for the profile's rationale and the report.
    pub fn words(&self) -> String {
        match self {
            // As levels are written: 57%, not 56.99999999999999%.
            TopRule::Share(s) => format!("the best {} by rating", crate::text::level_words(*s)),
            TopRule::Threshold(x) => format!("everyone rated {x} or higher"),
        }
    }
}

/// What the calibrated profile is called and where its data came from.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Profile id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Top-performer rule.
    pub top: TopRule,
    /// The data, in words (file name, hash, rating column), for the rationale.
    pub source: String,
    /// Date of the data, recorded in the profile when given.
    pub date: Option<String>,
}

/// How one attribute was calibrated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeCalibration {
    /// Scale id.
    pub scale: String,
    /// Scale name.
    pub name: String,
    /// Correlation of the raw score with the rating, all incumbents used
    /// (its 95% interval is per attribute, unadjusted; [`Self::relation`] decides).
    pub correlation: Correlation,
    /// Two-sided p of r = 0 (t test on n − 2 df, as R's `cor.test`).
    pub p: Option<f64>,
    /// The same adjusted by Holm's method over the attributes tested.
    pub p_holm: Option<f64>,
    /// The decision the band and weight follow: Holm-adjusted p below [`evidence::ALPHA`].
    pub relation: Relation,
    /// Top performers with a score on this attribute.
    pub top_n: usize,
    /// Count of top performers at each sten 1..10.
    pub top_stens: Vec<usize>,
    /// The top group's sten quartiles: Q1, median, Q3.
    pub quartiles: [f64; 3],
    /// The top group's 10th and 90th sten percentiles.
    pub outer: [f64; 2],
    /// The proposed band's lower end.
    pub low: f64,
    /// The proposed band's upper end (10 = open at the top).
    pub high: f64,
    /// The proposed weight.
    pub weight: f64,
    /// Why, with every figure: for the calibration report and the profile's record.
    pub why: String,
    /// Why, in plain words without figures: the target's reason on the pages
    /// hiring managers read.
    pub reason: String,
}

/// A calibration: the profile and everything that explains it.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// The profile, ready to write.
    pub profile: Profile,
    /// Rows with answers and a rating.
    pub incumbents: usize,
    /// Of those, excluded because their responses were invalid.
    pub excluded_invalid: usize,
    /// Incumbents used.
    pub used: usize,
    /// The top rule.
    pub top_rule: TopRule,
    /// The lowest rating in the top group.
    pub top_cutoff: f64,
    /// Size of the top group.
    pub top_n: usize,
    /// Attributes with a correlation: the family of Holm's correction.
    pub tests: usize,
    /// Familywise error rate of the decisions.
    pub alpha: f64,
    /// Per attribute, questionnaire order.
    pub attributes: Vec<AttributeCalibration>,
    /// Things the consultant must read.
    pub warnings: Vec<String>,
}

/// Calibrates a profile on `records` (each with a performance rating), scoring
/// them with `assessment` (its norms give the stens; its validity checks
/// exclude invalid responses).
///
/// # Errors
/// [`AnalysisError::TooFew`] below [`MIN_INCUMBENTS`] or [`MIN_TOP`], or when
/// the rating does not separate a top group.
pub fn calibrate(
    assessment: &Assessment,
    records: &[Record],
    settings: &Settings,
) -> Result<Calibration, AnalysisError> {
    calibrate_sample(assessment, &Sample::of(assessment, records), settings)
}

/// [`calibrate`] on a sample already scored by `assessment`.
///
/// # Errors
/// As [`calibrate`].
pub fn calibrate_sample(
    assessment: &Assessment,
    sample: &Sample,
    settings: &Settings,
) -> Result<Calibration, AnalysisError> {
    let all: Vec<usize> = (0..sample.len()).collect();
    let Derived {
        cutoff,
        top_n,
        tests,
        mut attributes,
    } = derive(sample, &all, settings.top)?;
    assign_weights(&mut attributes, tests);
    let used = sample.len();
    let mut warnings = Vec::new();
    if used < WARN_INCUMBENTS {
        warnings.push(format!(
            "only {used} incumbents: correlations are imprecise (at n = {used}, r = 0.30 has a 95% interval about ±{:.2} wide); {WARN_INCUMBENTS} or more are recommended",
            super::correlation::fisher_interval(0.3, used).map_or(f64::NAN, |i| (i.high - i.low) / 2.0)
        ));
    }
    if !attributes.iter().any(|a| a.relation.shown()) {
        warnings.push(format!("no attribute's correlation with the rating is shown after Holm's correction over the {tests} attributes tested: every weight is 1 and the bands rest on the top group's scores alone"));
    }
    let profile = build_profile(assessment, &attributes, settings, used, top_n, cutoff);
    Ok(Calibration {
        profile,
        incumbents: sample.incumbents,
        excluded_invalid: sample.incumbents - used,
        used,
        top_rule: settings.top,
        top_cutoff: cutoff,
        top_n,
        tests,
        alpha: evidence::ALPHA,
        attributes,
        warnings,
    })
}

/// The bands of the whole sample (for tests of the bootstrap).
#[cfg(test)]
fn calibrate_sample_rows(sample: &Sample, rule: TopRule) -> Vec<AttributeCalibration> {
    let all: Vec<usize> = (0..sample.len()).collect();
    derive(sample, &all, rule)
        .map(|d| d.attributes)
        .unwrap_or_default()
}

/// `1 + 2·|r| / max|r|` over the attributes whose relation is shown; 1 for the rest.
fn assign_weights(attributes: &mut [AttributeCalibration], tests: usize) {
    let strength = |a: &AttributeCalibration| {
        a.correlation
            .r
            .filter(|_| a.relation.shown())
            .map_or(0.0, f64::abs)
    };
    let max = attributes.iter().map(strength).fold(0.0, f64::max);
    for a in attributes.iter_mut() {
        let s = strength(a);
        a.weight = if s > 0.0 {
            ((1.0 + 2.0 * s / max) * 100.0).round() / 100.0
        } else {
            1.0
        };
        a.why = explain::why(a, tests);
        a.reason = explain::plain_reason(a);
    }
}

fn build_profile(
    assessment: &Assessment,
    attributes: &[AttributeCalibration],
    settings: &Settings,
    used: usize,
    top: usize,
    cutoff: f64,
) -> Profile {
    let rule = settings.top.words();
    Profile {
        id: settings.id.clone(),
        version: "1".into(),
        name: settings.name.clone(),
        questionnaire: assessment.questionnaire().id().to_string(),
        summary: format!("Calibrated on {used} incumbents; top group {top} ({rule})"),
        rationale: format!(
            "Calibrated by {} on {used} incumbents of {}. Top performers: {rule} (rating ≥ {cutoff}, n = {top}). \
             Bands (stens; norms: {}) are {}, rounded outward and at least {} stens wide, open at the top where \
             the rating rises with the attribute or the top group's Q3 reaches sten {OPEN_TOP_FROM}, at the bottom \
             where it falls; weights are 1 + 2·|r|/max|r| where the relation is shown, else 1. A relation is shown \
             when its Holm-adjusted p (over the attributes tested) is below {}. See the calibration report.",
            crate::provenance::ENGINE,
            settings.source,
            assessment.provenance().norms.source,
            band_rules(attributes),
            MIN_BAND_WIDTH + 1.0,
            evidence::ALPHA
        ),
        calibration: Some(CalibrationRecord {
            incumbents: used,
            top_performers: top,
            date: settings.date.clone(),
            source: settings.source.clone(),
            attributes: attributes
                .iter()
                .map(|a| AttributeStatistics {
                    scale: a.scale.clone(),
                    r: a.correlation.r,
                    interval: a.correlation.interval.map(|i| [i.low, i.high]),
                    n: a.correlation.n,
                    statistics: a.why.clone(),
                })
                .collect(),
        }),
        criterion_study: None,
        // One missing attribute, as the built-in profiles allow; none when there is only one.
        max_missing: attributes.len().saturating_sub(1).min(1),
        targets: attributes
            .iter()
            .map(|a| Target {
                scale: a.scale.clone(),
                low: a.low,
                high: a.high,
                weight: a.weight,
                minimum: None,
                tolerance_below: DEFAULT_TOLERANCE,
                tolerance_above: DEFAULT_TOLERANCE,
                why: a.reason.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::derive::top_cutoff;
    use super::*;

    #[test]
    fn top_rules_in_words() {
        assert_eq!(TopRule::Share(0.57).words(), "the best 57% by rating");
        assert_eq!(TopRule::Share(0.25).words(), "the best 25% by rating");
        assert_eq!(
            TopRule::Threshold(3.8).words(),
            "everyone rated 3.8 or higher"
        );
    }
    use crate::norms::Interval;

    fn corr(r: f64, low: f64, high: f64) -> Correlation {
        Correlation {
            n: 100,
            r: Some(r),
            interval: Some(Interval { low, high }),
        }
    }

    #[test]
    fn bands_by_hand() {
        let flat = Relation::NotShown;
        let rising = Relation::Rising;
        // No evidence (interval includes zero): the 10th–90th range, P10 3.5, P90 8.2 → 3–9 (outward).
        assert_eq!(band([5.25, 6.0, 7.5], [3.5, 8.2], flat), (3.0, 9.0));
        // P10 = P90 = 6 → 6–6, widened one each side → 5–7.
        assert_eq!(band([6.0, 6.0, 6.0], [6.0, 6.0], flat), (5.0, 7.0));
        // At the bottom: 1–1 → 1–3.
        assert_eq!(band([1.0, 1.0, 1.0], [1.0, 1.0], flat), (1.0, 3.0));
        // Q3 9 → open at the top.
        assert_eq!(band([7.0, 8.0, 9.0], [6.0, 9.0], flat), (6.0, 10.0));
        // Evidence: the interquartile range. Q1 5.25, Q3 7.5 with a falling relation → 1–8 (bottom opened).
        assert_eq!(
            band([5.25, 6.0, 7.5], [3.5, 8.2], Relation::Falling),
            (1.0, 8.0)
        );
        // Q1 6, Q3 7 → width 1 → widened to 5–8, then opened at the top by the rising relation.
        assert_eq!(band([6.0, 6.5, 7.0], [5.0, 8.0], rising), (5.0, 10.0));
        assert_eq!(
            band([3.0, 4.0, 5.0], [2.0, 6.0], Relation::Falling),
            (1.0, 5.0)
        );
    }

    /// An attribute's calibration with correlation `c` (shown when its
    /// interval excludes zero) and a band of 5–7.
    fn attribute(name: &str, c: Correlation) -> AttributeCalibration {
        AttributeCalibration {
            scale: name.to_lowercase(),
            name: name.into(),
            p: None,
            p_holm: None,
            relation: Relation::decide(c.r, Some(if c.excludes_zero() { 0.01 } else { 0.5 })),
            correlation: c,
            top_n: 10,
            top_stens: vec![0; 10],
            quartiles: [5.0, 6.0, 7.0],
            outer: [4.0, 8.0],
            low: 5.0,
            high: 7.0,
            weight: 1.0,
            why: String::new(),
            reason: String::new(),
        }
    }

    #[test]
    fn band_rules_name_the_attributes_of_each_rule() {
        let make = |name: &str, c: Correlation| attribute(name, c);
        let rising = make("Empathy", corr(0.4, 0.2, 0.6));
        let flat = make("Trust", corr(0.1, -0.1, 0.3));
        let flat2 = make("Tact", corr(-0.05, -0.2, 0.1));
        assert_eq!(
            band_rules(&[flat.clone(), rising.clone(), flat2.clone()]),
            "the top group's interquartile range where the relation to the rating is shown (Empathy) \
             and its 10th–90th percentile range where it is not (Trust, Tact)"
        );
        assert_eq!(
            band_rules(std::slice::from_ref(&rising)),
            "the top group's interquartile range (every attribute's relation to the rating is shown)"
        );
        assert_eq!(
            band_rules(&[flat, flat2]),
            "the top group's 10th–90th percentile range (no attribute's relation to the rating is shown)"
        );
    }

    #[test]
    fn top_cutoff_keeps_ties() {
        // 8 ratings, 25% → the 2nd best, 4; the two 4s and the 5 are all in.
        let ratings = [1.0, 2.0, 5.0, 4.0, 3.0, 4.0, 2.0, 3.0];
        assert_eq!(top_cutoff(&ratings, TopRule::Share(0.25)), 4.0);
        assert_eq!(top_cutoff(&ratings, TopRule::Threshold(3.5)), 3.5);
    }

    #[test]
    fn weights_by_hand() {
        // r 0.4 and 0.2 (both exclude zero), 0.1 (includes zero):
        // 1 + 2·0.4/0.4 = 3; 1 + 2·0.2/0.4 = 2; 1.
        let make = |c: Correlation| attribute("S", c);
        let mut a = vec![
            make(corr(0.4, 0.2, 0.6)),
            make(corr(-0.2, -0.35, -0.02)),
            make(corr(0.1, -0.1, 0.3)),
        ];
        assign_weights(&mut a, 3);
        assert_eq!(
            a.iter().map(|a| a.weight).collect::<Vec<_>>(),
            [3.0, 2.0, 1.0]
        );
        assert!(a[2].why.contains("weight 1, the lowest"), "{}", a[2].why);
    }
}
