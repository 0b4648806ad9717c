//! Criterion validity in a sample: how well the fit score of one or more
//! profiles, and each attribute, predict a performance rating — and a
//! split-half check of a calibration, which shows how much of a calibrated
//! profile's in-sample validity is capitalisation on chance.

use serde::Serialize;

use super::calibrate::{calibrate, Settings};
use super::correlation::Correlation;
use super::crossval::CrossValidation;
use super::dataset::Record;
use super::differential::{cleary, DifferentialPrediction};
use super::predictive::{williams_t2, CorrelationDifference};
use super::AnalysisError;
use crate::assessment::Assessment;
use crate::profile::Profile;
use crate::questionnaire::ScaleKind;
use crate::validity::{pearson, Status};

/// One profile's fit score against the rating.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileValidity {
    /// Profile id.
    pub profile: String,
    /// Where the profile came from (`built-in` or a path).
    pub source: String,
    /// Correlation of the 0–100 fit score with the rating.
    pub fit: Correlation,
    /// The same corrected for criterion unreliability and range restriction, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<CorrectedValidity>,
}

/// A validity coefficient with the corrections applied to it, labelled.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CorrectedValidity {
    /// The rating's reliability used, if any.
    pub criterion_reliability: Option<f64>,
    /// The predictor's SD ratio (applicants ÷ incumbents) used, if any.
    pub range_ratio: Option<f64>,
    /// The corrected r: an estimate of the validity in the applicant pool against a perfectly reliable rating.
    pub r: Option<f64>,
}

impl CriterionReport {
    /// Adds corrected validities of every profile's fit (each correction optional; see
    /// [`corrected_validity`](super::predictive::corrected_validity)).
    pub fn correct(&mut self, criterion_reliability: Option<f64>, range_ratio: Option<f64>) {
        for profile in &mut self.profiles {
            profile.corrected = Some(CorrectedValidity {
                criterion_reliability,
                range_ratio,
                r: profile.fit.r.and_then(|r| {
                    super::predictive::corrected_validity(r, criterion_reliability, range_ratio)
                }),
            });
        }
    }
}

/// One attribute's raw score against the rating.
#[derive(Debug, Clone, Serialize)]
pub struct AttributeValidity {
    /// Scale id.
    pub scale: String,
    /// Scale name.
    pub name: String,
    /// Correlation with the rating.
    pub correlation: Correlation,
}

/// Fit-score validity of profiles calibrated on one half and checked on the other.
#[derive(Debug, Clone, Serialize)]
pub struct SplitHalf {
    /// Calibrated on odd-numbered incumbents (1st, 3rd, …), checked on the even ones.
    pub odd_to_even: Correlation,
    /// Calibrated on the even ones, checked on the odd ones.
    pub even_to_odd: Correlation,
}

/// Two profiles' fit validities compared on the same people (Williams's T2).
#[derive(Debug, Clone, Serialize)]
pub struct ProfileComparison {
    /// The first profile given.
    pub first: String,
    /// The other profile.
    pub second: String,
    /// People with both fits and a rating.
    pub n: usize,
    /// The first fit's correlation with the rating, on these people.
    pub r_first: Option<f64>,
    /// The second fit's.
    pub r_second: Option<f64>,
    /// The two fits' correlation with each other.
    pub r_between: Option<f64>,
    /// The test of `r_first − r_second`; `None` when undefined.
    pub test: Option<CorrelationDifference>,
}

/// One profile's differential-prediction test.
#[derive(Debug, Clone, Serialize)]
pub struct GroupPrediction {
    /// Profile id.
    pub profile: String,
    /// The test; `None` when not testable (fewer than two groups, or too few people).
    pub test: Option<DifferentialPrediction>,
}

/// The whole criterion report.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionReport {
    /// Rows with answers and a rating.
    pub incumbents: usize,
    /// Excluded because their responses were invalid.
    pub excluded_invalid: usize,
    /// Per attribute, questionnaire order.
    pub attributes: Vec<AttributeValidity>,
    /// Per profile, in the order given.
    pub profiles: Vec<ProfileValidity>,
    /// The first profile against each other one, when several are given.
    pub comparisons: Vec<ProfileComparison>,
    /// Differential prediction by group, per profile, when records carry a group.
    pub differential: Vec<GroupPrediction>,
    /// The split-half check, when asked for.
    pub split_half: Option<SplitHalf>,
    /// Cross-validation, when asked for.
    pub cross_validation: Option<CrossValidation>,
}

/// Correlates the fit under each assessment's profile, and each attribute, with the rating.
///
/// Incumbents whose responses are invalid are left out, as in calibration.
pub fn validate(assessments: &[&Assessment], records: &[Record]) -> CriterionReport {
    let rated: Vec<&Record> = records.iter().filter(|r| r.performance.is_some()).collect();
    let mut attributes = Vec::new();
    let mut profiles = Vec::new();
    let mut excluded_invalid = 0;
    let mut fits: Vec<Vec<Option<f64>>> = Vec::new();
    let mut ratings: Vec<f64> = Vec::new();
    let mut differential = Vec::new();
    let grouped = rated.iter().any(|r| r.group.is_some());
    for (k, assessment) in assessments.iter().enumerate() {
        let (results, groups): (Vec<_>, Vec<_>) = rated
            .iter()
            .map(|r| {
                let result = (
                    assessment.assess(&r.id, r.row, &r.answers, None),
                    r.performance.unwrap_or(f64::NAN),
                );
                (result, r.group.as_deref())
            })
            .filter(|((res, _), _)| res.validity.status != Status::Invalid)
            .unzip();
        if grouped {
            let triples: Vec<(f64, f64, String)> = results
                .iter()
                .zip(&groups)
                .filter_map(|((res, rating), group)| {
                    Some((
                        res.fit.score?,
                        *rating,
                        group.filter(|g| !g.is_empty())?.to_string(),
                    ))
                })
                .collect();
            differential.push(GroupPrediction {
                profile: assessment.profile().id.clone(),
                test: cleary(&triples),
            });
        }
        if k == 0 {
            excluded_invalid = rated.len() - results.len();
            let q = assessment.questionnaire();
            for (i, scale) in q
                .scales()
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind == ScaleKind::Attribute)
            {
                let pairs: Vec<(f64, f64)> = results
                    .iter()
                    .filter_map(|(res, p)| Some((res.scales[i].raw?, *p)))
                    .collect();
                attributes.push(AttributeValidity {
                    scale: scale.id.clone(),
                    name: scale.name.clone(),
                    correlation: Correlation::of(&pairs),
                });
            }
        }
        profiles.push(ProfileValidity {
            profile: assessment.profile().id.clone(),
            source: assessment.provenance().profile.source.clone(),
            fit: fit_correlation(&results),
            corrected: None,
        });
        // Validity does not depend on the profile: every profile keeps the same people, in order.
        fits.push(results.iter().map(|(res, _)| res.fit.score).collect());
        if k == 0 {
            ratings = results.iter().map(|(_, rating)| *rating).collect();
        }
    }
    let comparisons = (1..profiles.len())
        .map(|other| compare(&profiles, &fits, &ratings, other))
        .collect();
    CriterionReport {
        incumbents: rated.len(),
        excluded_invalid,
        attributes,
        profiles,
        comparisons,
        differential,
        split_half: None,
        cross_validation: None,
    }
}

/// The first profile's fit validity against profile `other`'s, on the people with both fits.
fn compare(
    profiles: &[ProfileValidity],
    fits: &[Vec<Option<f64>>],
    ratings_of_kept: &[f64],
    other: usize,
) -> ProfileComparison {
    let triples: Vec<(f64, f64, f64)> = fits[0]
        .iter()
        .zip(&fits[other])
        .zip(ratings_of_kept)
        .filter_map(|((a, b), &y)| Some(((*a)?, (*b)?, y)))
        .collect();
    let column = |f: fn(&(f64, f64, f64)) -> f64| triples.iter().map(f).collect::<Vec<f64>>();
    let (a, b, y) = (column(|t| t.0), column(|t| t.1), column(|t| t.2));
    let (r_first, r_second, r_between) = (pearson(&a, &y), pearson(&b, &y), pearson(&a, &b));
    let test = match (r_first, r_second, r_between) {
        (Some(r12), Some(r13), Some(r23)) => williams_t2(triples.len(), r12, r13, r23),
        _ => None,
    };
    ProfileComparison {
        first: profiles[0].profile.clone(),
        second: profiles[other].profile.clone(),
        n: triples.len(),
        r_first,
        r_second,
        r_between,
        test,
    }
}

fn fit_correlation(results: &[(crate::assessment::CandidateResult, f64)]) -> Correlation {
    let pairs: Vec<(f64, f64)> = results
        .iter()
        .filter_map(|(res, p)| Some((res.fit.score?, *p)))
        .collect();
    Correlation::of(&pairs)
}

/// Calibrates on each half of the incumbents (alternate rows, so both halves
/// span the file) and correlates the resulting fit with the rating in the
/// other half. `with_profile` builds an assessment like `base` with another profile.
///
/// # Errors
/// Whatever calibration of a half returns (each half needs the minimum sample),
/// or the error of `with_profile`.
pub fn split_half(
    base: &Assessment,
    records: &[Record],
    settings: &Settings,
    with_profile: &dyn Fn(Profile) -> Result<Assessment, Box<dyn std::error::Error + Send + Sync>>,
) -> Result<SplitHalf, AnalysisError> {
    let rated: Vec<Record> = records
        .iter()
        .filter(|r| r.performance.is_some())
        .cloned()
        .collect();
    let (mut odd, mut even) = (Vec::new(), Vec::new());
    for (i, record) in rated.into_iter().enumerate() {
        if i % 2 == 0 { &mut odd } else { &mut even }.push(record);
    }
    let check = |train: &[Record], test: &[Record]| -> Result<Correlation, AnalysisError> {
        let profile = calibrate(base, train, settings)?.profile;
        let assessment = with_profile(profile).map_err(AnalysisError::Data)?;
        let results: Vec<_> = test
            .iter()
            .map(|r| {
                (
                    assessment.assess(&r.id, r.row, &r.answers, None),
                    r.performance.unwrap_or(f64::NAN),
                )
            })
            .filter(|(res, _)| res.validity.status != Status::Invalid)
            .collect();
        Ok(fit_correlation(&results))
    };
    Ok(SplitHalf {
        odd_to_even: check(&odd, &even)?,
        even_to_odd: check(&even, &odd)?,
    })
}
