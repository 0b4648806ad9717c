//! Role profiles: for each attribute a target band in stens, an importance
//! weight, an optional minimum, and how fast fit falls off outside the band.
//!
//! A [`Profile`] is built only through validation; checking it against a
//! questionnaire ([`Profile::check_against`]) is separate because a profile
//! file can be read before the questionnaire is known.

use serde::{Deserialize, Serialize};

use crate::bounds;
use crate::error::{ConsistencyError, DataKind, LoadError, Problem};
use crate::questionnaire::{Questionnaire, ScaleKind};
use crate::text::number;

/// Lowest sten.
pub const STEN_MIN: f64 = 1.0;
/// Highest sten.
pub const STEN_MAX: f64 = 10.0;
/// Stens outside the band at which an attribute's fit reaches 0 when a profile does not say.
pub const DEFAULT_TOLERANCE: f64 = 3.0;

fn default_tolerance() -> f64 {
    DEFAULT_TOLERANCE
}

fn default_max_missing() -> usize {
    1
}

/// The target for one attribute.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Scale id.
    pub scale: String,
    /// Lower end of the band, sten.
    pub low: f64,
    /// Upper end of the band, sten; 10 means open at the top.
    pub high: f64,
    /// Relative importance, > 0.
    pub weight: f64,
    /// Sten below which the candidate is flagged whatever the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Stens below the band at which this attribute's fit reaches 0.
    #[serde(default = "default_tolerance")]
    pub tolerance_below: f64,
    /// Stens above the band at which this attribute's fit reaches 0.
    #[serde(default = "default_tolerance")]
    pub tolerance_above: f64,
    /// Why this target, for this role.
    #[serde(default)]
    pub why: String,
}

/// A validated role profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Stable id, e.g. `retail`.
    pub id: String,
    /// Version.
    pub version: String,
    /// Display name.
    pub name: String,
    /// Id of the questionnaire whose scales the targets name.
    pub questionnaire: String,
    /// One line for listings.
    #[serde(default)]
    pub summary: String,
    /// Why the bands and weights are what they are.
    #[serde(default)]
    pub rationale: String,
    /// Most attributes that may be missing before no fit is given.
    #[serde(default = "default_max_missing")]
    pub max_missing: usize,
    /// One target per attribute.
    pub targets: Vec<Target>,
    /// How `profile calibrate` made the profile; absent for an expert profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationRecord>,
    /// A local criterion study of the fit score, when one has been done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion_study: Option<CriterionStudy>,
}

/// What a calibrated profile rests on: for the evidence status of every
/// output, and the statistics that stay out of the pages hiring managers read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationRecord {
    /// Staff with valid responses and a rating, all used.
    pub incumbents: usize,
    /// Of those, the top performers whose scores set the bands.
    pub top_performers: usize,
    /// Date of the data, as the consultant gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The data, in words (file, hash, rating column).
    pub source: String,
    /// Per attribute, the statistics behind its band and weight.
    pub attributes: Vec<AttributeStatistics>,
}

/// The statistics behind one calibrated target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeStatistics {
    /// Scale id.
    pub scale: String,
    /// Correlation of the score with the rating, if it could be computed.
    pub r: Option<f64>,
    /// Its 95% confidence interval, low and high.
    pub interval: Option<[f64; 2]>,
    /// People in the correlation.
    pub n: usize,
    /// The calibration's reasoning with every figure, as the calibration report gives it.
    pub statistics: String,
}

/// A local criterion study: how the fit score related to later job
/// performance in a sample of the user's own people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionStudy {
    /// People in the study.
    pub n: usize,
    /// Correlation of fit with the performance measure.
    pub r: f64,
    /// Its 95% confidence interval, low and high.
    pub interval: [f64; 2],
    /// Date of the study.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// What was measured, on whom, and how.
    #[serde(default)]
    pub description: String,
}

impl CriterionStudy {
    fn check(&self, problems: &mut Vec<Problem>) {
        let [low, high] = self.interval;
        let ordered = (-1.0..=1.0).contains(&low) && low <= self.r && self.r <= high && high <= 1.0;
        if !ordered {
            problems.push(Problem::new(
                "criterion_study.r/interval",
                format!("r {} with interval {low} to {high}", self.r),
                "a correlation from −1 to 1 inside its interval",
            ));
        }
        if self.n < 4 {
            problems.push(Problem::new(
                "criterion_study.n",
                self.n.to_string(),
                "at least 4 people (a correlation's interval needs n > 3)",
            ));
        }
    }
}

impl Profile {
    /// Parses and validates a profile from JSON text; `file` names it in errors.
    ///
    /// # Errors
    /// [`LoadError::Json`] for malformed JSON, [`LoadError::Invalid`] listing every
    /// rule broken (bands outside 1..10 or reversed, a weight or tolerance outside
    /// its [`bounds`], duplicates, …).
    pub fn from_json(text: &str, file: &str) -> Result<Self, LoadError> {
        let profile: Profile =
            crate::json::from_str(text).map_err(|e| LoadError::json(file, "profile", &e))?;
        let problems = profile.problems();
        LoadError::unless_problems(profile, file, "profile", problems)
    }

    fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.targets.is_empty() {
            problems.push(Problem::new(
                "targets",
                "an empty list",
                "at least one target",
            ));
        }
        crate::questionnaire::check_unique(
            self.targets.iter().map(|t| t.scale.as_str()),
            "targets",
            "scale",
            "one target per scale",
            &mut problems,
        );
        // With every target missing there is nothing to fit: a larger
        // allowance would give a "fit" made of no attribute.
        if !self.targets.is_empty() && self.max_missing >= self.targets.len() {
            problems.push(Problem::new(
                "max_missing",
                format!("{} with {} target(s)", self.max_missing, self.targets.len()),
                format!(
                    "at most {}, fewer than the targets: a fit needs at least one attribute scored",
                    self.targets.len() - 1
                ),
            ));
        }
        for (i, target) in self.targets.iter().enumerate() {
            target.check(&format!("targets[{i}]"), &mut problems);
        }
        if let Some(study) = &self.criterion_study {
            study.check(&mut problems);
        }
        problems
    }

    /// Checks that every target names an attribute scale of `questionnaire`.
    ///
    /// # Errors
    /// [`ConsistencyError`] naming each unknown or non-attribute scale.
    pub fn check_against(
        &self,
        questionnaire: &Questionnaire,
        file: &str,
    ) -> Result<(), ConsistencyError> {
        let (id, made_for) = (&self.id, &self.questionnaire);
        ConsistencyError::made_for(DataKind::Profile, file, id, made_for, questionnaire.id())?;
        let mut problems = Vec::new();
        let attributes: Vec<&str> = questionnaire
            .scales()
            .iter()
            .filter(|s| s.kind == ScaleKind::Attribute)
            .map(|s| s.id.as_str())
            .collect();
        for (i, target) in self.targets.iter().enumerate() {
            if !attributes.contains(&target.scale.as_str()) {
                problems.push(Problem::new(
                    format!("targets[{i}].scale"),
                    format!(
                        "'{}', not an attribute scale of the questionnaire",
                        target.scale
                    ),
                    format!("one of: {}", attributes.join(", ")),
                ));
            }
        }
        ConsistencyError::unless_problems(file, questionnaire.id(), problems)
    }
}

impl Target {
    fn check(&self, path: &str, problems: &mut Vec<Problem>) {
        let on_scale = |v: f64| (STEN_MIN..=STEN_MAX).contains(&v);
        if !on_scale(self.low) || !on_scale(self.high) || self.low > self.high {
            problems.push(Problem::new(
                format!("{path}.low/high"),
                format!("band {}–{}", number(self.low), number(self.high)),
                "a band within 1..10 with low ≤ high, e.g. 6–9",
            ));
        }
        bounds::WEIGHT.check(&format!("{path}.weight"), self.weight, problems);
        if let Some(minimum) = self.minimum {
            if !on_scale(minimum) || minimum > self.low {
                problems.push(Problem::new(
                    format!("{path}.minimum"),
                    number(minimum),
                    format!("a sten from 1 up to the band's low end ({})", self.low),
                ));
            }
        }
        for (name, value) in [
            ("tolerance_below", self.tolerance_below),
            ("tolerance_above", self.tolerance_above),
        ] {
            bounds::TOLERANCE.check(&format!("{path}.{name}"), value, problems);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"id":"p","version":"1","name":"P","questionnaire":"tiny",
        "targets":[{"scale":"a","low":6,"high":10,"weight":2,"minimum":4},
                   {"scale":"b","low":4,"high":7,"weight":1}]}"#;

    fn tiny() -> Questionnaire {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/tiny/questionnaire.json"
        ));
        Questionnaire::from_json(&text.unwrap(), "tiny").unwrap()
    }

    #[test]
    fn defaults_fill_in() {
        let p = Profile::from_json(GOOD, "p.json").unwrap();
        assert_eq!(p.max_missing, 1);
        assert_eq!(p.targets[1].tolerance_below, DEFAULT_TOLERANCE);
        p.check_against(&tiny(), "p.json").unwrap();
    }

    #[test]
    fn extreme_weights_and_tolerances_are_refused_with_the_range() {
        // The probe's cases: weights of 1e308 summed to infinity (fit NaN);
        // 5e-324 made every share 0 (fit 0.0 instead of 24.6).
        let text = GOOD
            .replace(
                r#""weight":1"#,
                r#""weight":5e-324,"tolerance_below":1e-300"#,
            )
            .replace(r#""weight":2"#, r#""weight":1e308"#);
        let err = Profile::from_json(&text, "p.json").unwrap_err().to_string();
        for expected in [
            "targets[0].weight: 1e308; expected a weight from 0.01 to 100",
            "targets[1].weight: 5e-324; expected a weight from 0.01 to 100",
            "targets[1].tolerance_below: 1e-300; expected a number of stens from 0.1 to 100",
        ] {
            assert!(err.contains(expected), "{expected}\n{err}");
        }
    }

    #[test]
    fn bands_weights_and_minimums_are_checked() {
        let text = GOOD
            .replace(r#""low":6,"high":10"#, r#""low":8,"high":6"#)
            .replace(r#""minimum":4"#, r#""minimum":9"#)
            .replace(r#""weight":1"#, r#""weight":0"#)
            .replace(r#""low":4,"high":7"#, r#""low":0,"high":11"#);
        let err = Profile::from_json(&text, "p.json").unwrap_err().to_string();
        assert!(
            err.contains(
                "targets[0].low/high: band 8–6; expected a band within 1..10 with low ≤ high"
            ),
            "{err}"
        );
        assert!(err.contains("targets[1].low/high: band 0–11"), "{err}");
        assert!(
            err.contains("targets[1].weight: 0; expected a weight from 0.01 to 100"),
            "{err}"
        );
        assert!(
            err.contains(
                "targets[0].minimum: 9; expected a sten from 1 up to the band's low end (8)"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_repeated_target_and_too_many_missing_are_refused() {
        let text = GOOD
            .replace(r#""scale":"b""#, r#""scale":"a""#)
            .replace(r#""targets""#, r#""max_missing":2,"targets""#);
        let err = Profile::from_json(&text, "p.json").unwrap_err().to_string();
        assert_eq!(
            err.lines().skip(1).collect::<Vec<_>>(),
            [
                "  - targets[1].scale: 'a' again (first at targets[0]); expected one target per scale",
                "  - max_missing: 2 with 2 target(s); expected at most 1, fewer than the targets: a fit needs at least one attribute scored",
            ]
        );
    }

    #[test]
    fn a_scale_the_questionnaire_lacks_is_named() {
        let p = Profile::from_json(
            &GOOD.replace(r#""scale":"b""#, r#""scale":"zeta""#),
            "p.json",
        )
        .unwrap();
        let err = p.check_against(&tiny(), "p.json").unwrap_err().to_string();
        assert!(err.contains("targets[1].scale: 'zeta', not an attribute scale of the questionnaire; expected one of: a, b"), "{err}");
    }
}
