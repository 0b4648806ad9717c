//! The calibration rules applied to a set of rows of a scored sample: the
//! top group, each attribute's correlation and Holm decision, and its band.
//! The point calibration runs them on every row, each bootstrap resample on
//! its own draw, so the two cannot differ in method.

use super::evidence::{correlation_p, holm, Relation};
use super::{
    AttributeCalibration, TopRule, MIN_BAND_WIDTH, MIN_INCUMBENTS, MIN_TOP, OPEN_TOP_FROM,
};
use crate::analysis::correlation::{quantile, Correlation};
use crate::analysis::dataset::Record;
use crate::analysis::AnalysisError;
use crate::assessment::{Assessment, CandidateResult};
use crate::profile::{STEN_MAX, STEN_MIN};
use crate::validity::Status;

/// The incumbents as calibration reads them, scored once: the valid ones'
/// ratings, and per person and attribute the raw score and the sten.
#[derive(Debug, Clone)]
pub struct Sample {
    /// (scale id, scale name) of each attribute, questionnaire order.
    pub(super) attributes: Vec<(String, String)>,
    /// Rows with answers and a rating.
    pub(super) incumbents: usize,
    pub(super) ratings: Vec<f64>,
    pub(super) raw: Vec<Vec<Option<f64>>>,
    pub(super) stens: Vec<Vec<Option<f64>>>,
}

impl Sample {
    /// Scores `records` (each with a performance rating) with `assessment`
    /// (its norms give the stens; its validity checks exclude invalid responses).
    pub fn of(assessment: &Assessment, records: &[Record]) -> Sample {
        let scales = assessment.questionnaire().attribute_scales();
        let scored: Vec<(CandidateResult, f64)> = records
            .iter()
            .filter_map(|r| {
                let result = assessment.assess(&r.id, r.row, &r.answers, None);
                Some((result, r.performance?))
            })
            .collect();
        let used: Vec<&(CandidateResult, f64)> = scored
            .iter()
            .filter(|(r, _)| r.validity.status != Status::Invalid)
            .collect();
        let per_scale = |f: fn(&crate::assessment::ScaleResult) -> Option<f64>| {
            used.iter()
                .map(|(r, _)| scales.iter().map(|&i| f(&r.scales[i])).collect())
                .collect()
        };
        let q = assessment.questionnaire();
        Sample {
            attributes: scales
                .iter()
                .map(|&i| (q.scales()[i].id.clone(), q.scales()[i].name.clone()))
                .collect(),
            incumbents: scored.len(),
            ratings: used.iter().map(|(_, p)| *p).collect(),
            raw: per_scale(|s| s.raw),
            stens: per_scale(|s| s.normed.map(|n| f64::from(n.sten))),
        }
    }

    /// Valid, rated incumbents.
    pub fn len(&self) -> usize {
        self.ratings.len()
    }

    /// Whether there is no valid, rated incumbent.
    pub fn is_empty(&self) -> bool {
        self.ratings.is_empty()
    }
}

/// What the rows `rows` of a sample give: the top group and each attribute's
/// band before weights — the point calibration (all rows) and each bootstrap
/// replicate run exactly this.
pub(super) struct Derived {
    pub(super) cutoff: f64,
    pub(super) top_n: usize,
    pub(super) tests: usize,
    pub(super) attributes: Vec<AttributeCalibration>,
}

pub(super) fn derive(
    sample: &Sample,
    rows: &[usize],
    rule: TopRule,
) -> Result<Derived, AnalysisError> {
    if rows.len() < MIN_INCUMBENTS {
        return Err(AnalysisError::TooFew {
            what: "incumbents with valid responses and a rating".into(),
            found: rows.len(),
            minimum: MIN_INCUMBENTS,
        });
    }
    let ratings: Vec<f64> = rows.iter().map(|&i| sample.ratings[i]).collect();
    let cutoff = top_cutoff(&ratings, rule);
    let top: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&i| sample.ratings[i] >= cutoff)
        .collect();
    if top.len() < MIN_TOP {
        return Err(AnalysisError::TooFew {
            what: format!("top performers (rating ≥ {cutoff})"),
            found: top.len(),
            minimum: MIN_TOP,
        });
    }
    if top.len() == rows.len() {
        return Err(AnalysisError::NoContrast { cutoff });
    }
    let mut attributes: Vec<AttributeCalibration> = (0..sample.attributes.len())
        .map(|a| attribute(sample, rows, &top, a))
        .collect();
    let adjusted = holm(&attributes.iter().map(|a| a.p).collect::<Vec<_>>());
    for (a, p_holm) in attributes.iter_mut().zip(adjusted) {
        a.p_holm = p_holm;
        a.relation = Relation::decide(a.correlation.r, p_holm);
        (a.low, a.high) = band(a.quartiles, a.outer, a.relation);
    }
    Ok(Derived {
        cutoff,
        top_n: top.len(),
        tests: attributes.iter().filter(|a| a.p.is_some()).count(),
        attributes,
    })
}

/// Attribute `a`'s correlation over `rows` and its top group's stens (band and decision still to come).
fn attribute(sample: &Sample, rows: &[usize], top: &[usize], a: usize) -> AttributeCalibration {
    let pairs: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|&i| Some((sample.raw[i][a]?, sample.ratings[i])))
        .collect();
    let mut stens: Vec<f64> = top.iter().filter_map(|&i| sample.stens[i][a]).collect();
    stens.sort_by(f64::total_cmp);
    let mut counts = vec![0; STEN_MAX as usize];
    for s in &stens {
        counts[*s as usize - 1] += 1;
    }
    let q = |p| quantile(&stens, p).unwrap_or(5.5);
    let correlation = Correlation::of(&pairs);
    let (scale, name) = sample.attributes[a].clone();
    AttributeCalibration {
        scale,
        name,
        p: correlation_p(&correlation),
        p_holm: None,
        relation: Relation::NotShown,
        correlation,
        top_n: stens.len(),
        top_stens: counts,
        quartiles: [q(0.25), q(0.5), q(0.75)],
        outer: [q(0.10), q(0.90)],
        low: STEN_MIN,
        high: STEN_MAX,
        weight: 1.0,
        why: String::new(),
        reason: String::new(),
    }
}

/// The lowest rating in the top group.
pub(super) fn top_cutoff(ratings: &[f64], rule: TopRule) -> f64 {
    match rule {
        TopRule::Threshold(x) => x,
        TopRule::Share(share) => {
            let mut sorted = ratings.to_vec();
            sorted.sort_by(|a, b| b.total_cmp(a));
            let wanted = ((share * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
            sorted[wanted - 1]
        }
    }
}

/// The band from the top group's sten distribution and the attribute's relation to the rating.
///
/// An attribute shown to relate to the rating gets the top group's
/// interquartile range (open toward "better"). One not shown to gets the top
/// group's 10th–90th percentile range: with no evidence that it matters, the
/// band should keep out only what top performers rarely show, not penalise
/// ordinary variation (which only adds noise to fit).
pub fn band(quartiles: [f64; 3], outer: [f64; 2], relation: Relation) -> (f64, f64) {
    let (mut low, mut high) = if relation.shown() {
        (quartiles[0].floor(), quartiles[2].ceil())
    } else {
        (outer[0].floor(), outer[1].ceil())
    };
    while high - low < MIN_BAND_WIDTH {
        // Widen one sten each side; at an end of the scale, on the other side only.
        match (low > STEN_MIN, high < STEN_MAX) {
            (true, true) => (low, high) = (low - 1.0, high + 1.0),
            (true, false) => low -= 1.0,
            (false, true) => high += 1.0,
            (false, false) => break,
        }
    }
    if relation == Relation::Rising || quartiles[2] >= OPEN_TOP_FROM {
        high = STEN_MAX;
    }
    if relation == Relation::Falling {
        low = STEN_MIN;
    }
    (low, high)
}
