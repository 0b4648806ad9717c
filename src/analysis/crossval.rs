//! Validity that survives small samples: k-fold and leave-one-out
//! cross-validation of a calibrated profile's fit, and two composites beside
//! it — a regression of the rating on the attributes and a unit-weighted sum
//! of the attributes that predict — each judged only on people it was not
//! built on, plus Browne's (1975) shrinkage estimate of the regression.
//!
//! Why composites: the fit transform (distance from a band, weighted) can
//! lose validity that the attributes carry; a consultant must be able to see
//! an equally valid alternative (UGESP 29 CFR 1607.3(B)). Why cross-validated:
//! every one of the three is tuned on the sample, so its in-sample
//! correlation is optimistic. Formulas: `docs/METHOD.md` §9.7.

use serde::Serialize;

use super::calibrate::evidence::{correlation_p, holm, Relation};
use super::calibrate::{calibrate, Settings};
use super::correlation::Correlation;
use super::dataset::Record;
use super::predictive::{browne_cross_validity, folds, least_squares};
use crate::assessment::{Assessment, CandidateResult};
use crate::profile::Profile;
use crate::questionnaire::ScaleKind;
use crate::validity::Status;

/// Leave-one-out, or k-fold with this many folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "folds")]
pub enum Folds {
    /// Each person is held out once.
    LeaveOneOut,
    /// People dealt into k folds in turn.
    K(usize),
}

impl Folds {
    fn count(self, n: usize) -> usize {
        match self {
            Folds::LeaveOneOut => n,
            Folds::K(k) => k.min(n),
        }
    }

    /// The method in words.
    pub fn words(self) -> String {
        match self {
            Folds::LeaveOneOut => "leave-one-out".into(),
            Folds::K(k) => format!("{k}-fold"),
        }
    }
}

/// A composite judged out of sample.
#[derive(Debug, Clone, Serialize)]
pub struct Composite {
    /// What it is, in words, as built on the whole sample.
    pub description: String,
    /// Its correlation with the rating in the whole sample it was built on (optimistic).
    pub in_sample: Correlation,
    /// The correlation of out-of-fold predictions with the rating.
    pub cross_validated: Correlation,
}

/// The cross-validation report.
#[derive(Debug, Clone, Serialize)]
pub struct CrossValidation {
    /// How the folds were made.
    pub folds: Folds,
    /// Incumbents with valid responses, a rating and every attribute scored.
    pub n: usize,
    /// The calibrated profile's fit, calibrated on the other folds; `None` with the reason.
    pub calibrated_fit: Option<Correlation>,
    /// Why the calibrated fit could not be cross-validated, if it could not.
    pub calibrated_fit_note: Option<String>,
    /// Least-squares regression of the rating on every attribute.
    pub regression: Composite,
    /// Browne's estimate of the regression's correlation in new samples.
    pub regression_shrunken: Option<f64>,
    /// Unit-weighted sum of the attributes whose relation to the rating is shown (Holm, as calibration).
    pub unit_weighted: Composite,
}

/// One incumbent, ready for the folds.
struct Case<'a> {
    record: &'a Record,
    rating: f64,
    attributes: Vec<f64>,
}

/// Cross-validates calibration (with `settings`, building assessments with
/// `with_profile`) and the two composites on the valid, rated incumbents of
/// `records`, scored by `base`.
pub fn cross_validate(
    base: &Assessment,
    records: &[Record],
    settings: &Settings,
    with_profile: &dyn Fn(Profile) -> Result<Assessment, Box<dyn std::error::Error + Send + Sync>>,
    method: Folds,
) -> CrossValidation {
    let cases = cases(base, records);
    let n = cases.len();
    let fold_of = folds(n, method.count(n));
    let k = method.count(n);
    let (calibrated_fit, calibrated_fit_note) =
        match calibrated(base, &cases, &fold_of, k, settings, with_profile) {
            Ok(c) => (Some(c), None),
            Err(note) => (None, Some(note)),
        };
    let ratings: Vec<f64> = cases.iter().map(|c| c.rating).collect();
    let regression = composite(
        &cases,
        &fold_of,
        k,
        regression_rule,
        "least-squares regression on every attribute",
    );
    let r2 = regression.in_sample.r.map(|r| r * r);
    let attributes = cases.first().map_or(0, |c| c.attributes.len());
    let unit_description = unit_description(base, &cases);
    CrossValidation {
        folds: method,
        n,
        calibrated_fit,
        calibrated_fit_note,
        regression_shrunken: r2.and_then(|r2| browne_cross_validity(r2, ratings.len(), attributes)),
        regression,
        unit_weighted: composite(&cases, &fold_of, k, unit_rule, &unit_description),
    }
}

fn cases<'a>(base: &Assessment, records: &'a [Record]) -> Vec<Case<'a>> {
    let attribute_scales = base.questionnaire().attribute_scales();
    records
        .iter()
        .filter_map(|record| {
            let rating = record.performance?;
            let result = base.assess(&record.id, record.row, &record.answers, None);
            if result.validity.status == Status::Invalid {
                return None;
            }
            let attributes: Option<Vec<f64>> = attribute_scales
                .iter()
                .map(|&i| result.scales[i].raw)
                .collect();
            Some(Case {
                record,
                rating,
                attributes: attributes?,
            })
        })
        .collect()
}

/// Out-of-fold fits of profiles calibrated on the other folds, pooled and correlated with the rating.
fn calibrated(
    base: &Assessment,
    cases: &[Case<'_>],
    fold_of: &[usize],
    k: usize,
    settings: &Settings,
    with_profile: &dyn Fn(Profile) -> Result<Assessment, Box<dyn std::error::Error + Send + Sync>>,
) -> Result<Correlation, String> {
    let mut pairs = Vec::new();
    for fold in 0..k {
        let train: Vec<Record> = cases
            .iter()
            .zip(fold_of)
            .filter(|(_, &f)| f != fold)
            .map(|(c, _)| c.record.clone())
            .collect();
        let profile = calibrate(base, &train, settings)
            .map_err(|e| {
                format!(
                    "a training set of {} cannot be calibrated: {e}",
                    train.len()
                )
            })?
            .profile;
        let assessment = with_profile(profile).map_err(|e| e.to_string())?;
        for (case, _) in cases.iter().zip(fold_of).filter(|(_, &f)| f == fold) {
            let result: CandidateResult =
                assessment.assess(&case.record.id, case.record.row, &case.record.answers, None);
            if let Some(fit) = result.fit.score {
                pairs.push((fit, case.rating));
            }
        }
    }
    Ok(Correlation::of(&pairs))
}

/// A prediction of the rating from one person's attribute scores.
type Predictor = Box<dyn Fn(&[f64]) -> f64>;

/// A rule that builds a predictor from training cases (`None` when it cannot).
type Rule = fn(&[&Case<'_>]) -> Option<Predictor>;

fn composite(
    cases: &[Case<'_>],
    fold_of: &[usize],
    k: usize,
    rule: Rule,
    description: &str,
) -> Composite {
    let all: Vec<&Case<'_>> = cases.iter().collect();
    let in_sample = predictions(&all, &all, rule);
    let mut pairs = Vec::new();
    for fold in 0..k {
        let (train, test): (Vec<_>, Vec<_>) =
            cases.iter().zip(fold_of).partition(|(_, &f)| f != fold);
        let train: Vec<&Case<'_>> = train.into_iter().map(|(c, _)| c).collect();
        let test: Vec<&Case<'_>> = test.into_iter().map(|(c, _)| c).collect();
        pairs.extend(predictions(&train, &test, rule));
    }
    Composite {
        description: description.to_string(),
        in_sample: Correlation::of(&in_sample),
        cross_validated: Correlation::of(&pairs),
    }
}

/// (prediction, rating) of each test case from the rule built on the training cases.
fn predictions(train: &[&Case<'_>], test: &[&Case<'_>], rule: Rule) -> Vec<(f64, f64)> {
    match rule(train) {
        Some(predict) => test
            .iter()
            .map(|c| (predict(&c.attributes), c.rating))
            .collect(),
        None => Vec::new(),
    }
}

fn regression_rule(train: &[&Case<'_>]) -> Option<Predictor> {
    let design: Vec<Vec<f64>> = train
        .iter()
        .map(|c| [&[1.0][..], &c.attributes].concat())
        .collect();
    let y: Vec<f64> = train.iter().map(|c| c.rating).collect();
    let b = least_squares(&design, &y)?.coefficients;
    Some(Box::new(move |x: &[f64]| {
        b[0] + x.iter().zip(&b[1..]).map(|(x, b)| x * b).sum::<f64>()
    }))
}

/// Each attribute's sign (+1, −1) in the unit-weighted composite, 0 when left out:
/// the attributes whose relation to the rating is shown by calibration's own
/// decision (Holm-adjusted p below 5% over the attributes), so "the attributes
/// that predict" means the same in the composite as in the calibrated profile.
fn unit_signs(train: &[&Case<'_>]) -> Vec<f64> {
    let attributes = train.first().map_or(0, |c| c.attributes.len());
    let correlations: Vec<Correlation> = (0..attributes)
        .map(|a| {
            let pairs: Vec<(f64, f64)> =
                train.iter().map(|c| (c.attributes[a], c.rating)).collect();
            Correlation::of(&pairs)
        })
        .collect();
    let p: Vec<Option<f64>> = correlations.iter().map(correlation_p).collect();
    correlations
        .iter()
        .zip(holm(&p))
        .map(|(c, p_holm)| match Relation::decide(c.r, p_holm) {
            Relation::Rising => 1.0,
            Relation::Falling => -1.0,
            Relation::NotShown => 0.0,
        })
        .collect()
}

fn unit_rule(train: &[&Case<'_>]) -> Option<Predictor> {
    let signs = unit_signs(train);
    if signs.iter().all(|&s| s == 0.0) {
        return None;
    }
    let n = train.len() as f64;
    let moments: Vec<(f64, f64)> = (0..signs.len())
        .map(|a| {
            let mean = train.iter().map(|c| c.attributes[a]).sum::<f64>() / n;
            let var = train
                .iter()
                .map(|c| (c.attributes[a] - mean).powi(2))
                .sum::<f64>()
                / (n - 1.0);
            (mean, var.sqrt().max(f64::MIN_POSITIVE))
        })
        .collect();
    Some(Box::new(move |x: &[f64]| {
        x.iter()
            .zip(&signs)
            .zip(&moments)
            .map(|((x, s), (m, sd))| s * (x - m) / sd)
            .sum()
    }))
}

fn unit_description(base: &Assessment, cases: &[Case<'_>]) -> String {
    let all: Vec<&Case<'_>> = cases.iter().collect();
    let names: Vec<String> = base
        .questionnaire()
        .scales()
        .iter()
        .filter(|s| s.kind == ScaleKind::Attribute)
        .zip(unit_signs(&all))
        .filter(|(_, sign)| *sign != 0.0)
        .map(|(s, sign)| format!("{}{}", if sign > 0.0 { "+" } else { "−" }, s.name))
        .collect();
    if names.is_empty() {
        "unit-weighted sum of the attributes that predict (none does in the whole sample)".into()
    } else {
        format!("unit-weighted sum of standardised {} (the attributes whose relation to the rating is shown, Holm-adjusted p < 0.05)", names.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record whose answers the composites never read (they take the attributes given).
    fn record() -> Record {
        Record {
            id: "x".into(),
            row: 1,
            answers: Vec::new(),
            group: None,
            performance: None,
        }
    }

    fn case<'a>(record: &'a Record, attributes: &[f64], rating: f64) -> Case<'a> {
        Case {
            record,
            rating,
            attributes: attributes.to_vec(),
        }
    }

    #[test]
    fn regression_predicts_an_exact_linear_rating_out_of_fold() {
        // rating = 1 + 2·a − b exactly: every out-of-fold prediction is exact, r = 1.
        let record = record();
        let data: Vec<(f64, f64)> = (0..12).map(|i| (i as f64, ((i * 7) % 5) as f64)).collect();
        let cases: Vec<Case<'_>> = data
            .iter()
            .map(|&(a, b)| case(&record, &[a, b], 1.0 + 2.0 * a - b))
            .collect();
        let regression = composite(&cases, &folds(12, 4), 4, regression_rule, "r");
        assert!((regression.cross_validated.r.unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(regression.cross_validated.n, 12);
        // a carries most of the rating's variance: it enters the unit-weighted composite with +.
        let all: Vec<&Case<'_>> = cases.iter().collect();
        assert_eq!(unit_signs(&all)[0], 1.0);
    }

    #[test]
    fn unit_weights_standardise_with_the_training_moments() {
        let record = record();
        // a predicts the rating perfectly; b is noise uncorrelated with it (r = 0).
        let cases: Vec<Case<'_>> = [
            (1.0, 2.0, 1.0),
            (2.0, 4.0, 2.0),
            (3.0, 4.0, 3.0),
            (4.0, 2.0, 4.0),
            (5.0, 3.0, 5.0),
        ]
        .iter()
        .map(|&(a, b, y)| case(&record, &[a, b], y))
        .collect();
        let all: Vec<&Case<'_>> = cases.iter().collect();
        // r(a, y) = 1, n = 5: p = 0, Holm p = 0, shown; r(b, y) = 0: p = 1, left out.
        assert_eq!(unit_signs(&all), vec![1.0, 0.0]);
        let predict = unit_rule(&all).unwrap();
        // Mean of a is 3, sd √2.5 = 1.5811: a = 5 → (5 − 3)/1.5811 = 1.2649.
        assert!((predict(&[5.0, 9.0]) - 2.0 / 2.5_f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn unit_weights_take_the_attributes_holm_shows() {
        // tests/fixtures/calibration/holm.csv: a and b relate to y (Holm p 6e-6, 0.005);
        // c's p of 0.014 alone would count (its 95% interval excludes zero), its Holm p of 0.056 does not.
        let record = record();
        let text = include_str!("../../tests/fixtures/calibration/holm.csv");
        let rows: Vec<Vec<f64>> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
            .collect();
        let cases: Vec<Case<'_>> = rows.iter().map(|r| case(&record, &r[1..], r[0])).collect();
        let all: Vec<&Case<'_>> = cases.iter().collect();
        let c: Vec<(f64, f64)> = rows.iter().map(|r| (r[3], r[0])).collect();
        assert!(Correlation::of(&c).excludes_zero());
        assert_eq!(unit_signs(&all), vec![1.0, -1.0, 0.0, 0.0, 0.0, 0.0]);
    }
}
