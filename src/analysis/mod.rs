//! The consultant's toolkit: reliability analysis of an instrument on a
//! client's data, local norms (built in one run or merged from partials),
//! role profiles calibrated on top performers, and criterion validity.
//!
//! Everything here computes and returns values — reports and warnings are
//! data for the CLI to show. Statistics follow R psych's definitions and are
//! cross-checked against it (`tests/fixtures/analysis/`); formulas and
//! references are in docs/METHOD.md, "The consultant's toolkit".

pub mod calibrate;
pub mod correlation;
pub mod criterion;
pub mod crossval;
pub mod dataset;
pub mod dif;
pub mod differential;
pub mod distribution;
pub mod matrix;
pub mod moments;
pub mod normbuild;
pub mod ordinal;
pub mod predictive;
pub mod reliability;
pub mod sample;

use std::io::Read;

use serde::Serialize;

use crate::error::ReadError;
use crate::questionnaire::Questionnaire;
use crate::response::Rejection;
use dataset::StaffReader;
use reliability::{response_frequencies, ScaleReliability};
use sample::ScaleSample;

/// Alpha below which `analyze` warns by default (Nunnally & Bernstein 1994: 0.70 for research use).
pub const DEFAULT_MIN_ALPHA: f64 = 0.70;

/// Errors of the toolkit's computations.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// A partial norm file is malformed or does not fit the others.
    #[error("{file}: {what}: {found}; expected {expected}")]
    Partial {
        /// The partial file.
        file: String,
        /// Which part.
        what: String,
        /// What it holds.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// No group has data enough for a norm of every scale.
    #[error("{}", no_norms_message(groups, *grouped))]
    NoNorms {
        /// Every group and why it cannot be normed (none: no respondents).
        groups: Vec<normbuild::Unnormable>,
        /// Whether the groups came from a group column.
        grouped: bool,
    },
    /// Too small a sample for a calibration.
    #[error("too few {what}: {found}; at least {minimum} are needed for a calibration (see docs/METHOD.md)")]
    TooFew {
        /// What was counted.
        what: String,
        /// How many there were.
        found: usize,
        /// How many are needed.
        minimum: usize,
    },
    /// Everyone is in the top group: the rating does not separate anyone.
    #[error("every incumbent is rated {cutoff} or higher, so nobody is outside the top group; expected ratings that vary")]
    NoContrast {
        /// The top group's lowest rating.
        cutoff: f64,
    },
    /// Building an assessment with a calibrated profile failed.
    #[error("cannot score with the calibrated profile")]
    Data(#[source] Box<dyn std::error::Error + Send + Sync>),
}

fn no_norms_message(groups: &[normbuild::Unnormable], grouped: bool) -> String {
    let why = if groups.is_empty() {
        "there are no respondents".to_string()
    } else {
        groups
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!(
        "no norms can be built: {why}. A norm needs, for every scale, at least 2 respondents with a score \
         whose scores vary, and a Cronbach's alpha between 0 and 1, which the norm file must give for the \
         standard error of measurement; build from more respondents{}",
        if grouped {
            ", or with fewer groups (merge small ones in the group column, or leave out --group)"
        } else {
            ""
        }
    )
}

/// Response frequencies of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemFrequencies {
    /// Item id.
    pub id: String,
    /// Share giving each answer from the response scale's min to max, among those who answered.
    pub shares: Vec<f64>,
    /// Share of respondents who did not answer.
    pub missing: f64,
}

/// One scale's analysis.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleAnalysis {
    /// Scale id.
    pub scale: String,
    /// Scale name.
    pub name: String,
    /// Number of items.
    pub items: usize,
    /// Respondents with a scale score (the missing-data rule met).
    pub n: u64,
    /// Mean raw score.
    pub mean: Option<f64>,
    /// Standard deviation of raw scores.
    pub sd: Option<f64>,
    /// Reliability and item statistics, when computable.
    pub reliability: Option<ScaleReliability>,
    /// Why reliability is missing, if it is.
    pub unavailable: Option<String>,
    /// Response frequencies per item.
    pub frequencies: Vec<ItemFrequencies>,
    /// Negative item–rest correlations, low alpha, …
    pub warnings: Vec<String>,
    /// Item DIF across the groups of `--group`, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dif: Option<Vec<dif::ItemDif>>,
}

/// The analysis of a whole response file.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// Data rows read.
    pub rows_read: u64,
    /// Rows analysed.
    pub rows_used: u64,
    /// Rows left out because their answers are invalid (not rejected; METHOD §9).
    pub rows_invalid: u64,
    /// Rows rejected, with reasons.
    pub rejections: Vec<Rejection>,
    /// Ids on more than one analysed row (each row is analysed).
    pub repeated_ids: dataset::Repeats,
    /// The response scale's values, min..max (the frequency columns).
    pub values: Vec<i32>,
    /// Alpha threshold of the warnings.
    pub min_alpha: f64,
    /// Per scale, questionnaire order.
    pub scales: Vec<ScaleAnalysis>,
}

/// Reads every row and analyses every scale; `min_share` is the missing-data
/// rule for scale scores, `min_alpha` the threshold of the reliability warning.
///
/// # Errors
/// [`ReadError`] when the file cannot be read further; bad rows are rejections.
pub fn analyze<R: Read>(
    reader: &mut StaffReader<'_, R>,
    questionnaire: &Questionnaire,
    min_share: f64,
    min_alpha: f64,
) -> Result<Analysis, ReadError> {
    let mut samples: Vec<ScaleSample> = (0..questionnaire.scales().len())
        .map(|s| ScaleSample::new(questionnaire, s))
        .collect();
    let (mut rows_read, mut rejections) = (0u64, Vec::new());
    let mut ids = dataset::RepeatedIds::default();
    let mut by_group: Vec<dif::ScaleResponses> =
        vec![dif::ScaleResponses::default(); questionnaire.scales().len()];
    let mut grouped = false;
    while let Some(row) = reader.next_record()? {
        rows_read += 1;
        match row {
            Ok(record) => {
                ids.add(&record.id);
                for (s, sample) in samples.iter_mut().enumerate() {
                    sample.add(questionnaire, s, &record.answers, min_share);
                }
                if let Some(group) = &record.group {
                    grouped = true;
                    for (s, responses) in by_group.iter_mut().enumerate() {
                        responses.add(questionnaire, s, &record.answers, group);
                    }
                }
            }
            Err(rejection) => rejections.push(rejection),
        }
    }
    let rs = questionnaire.response_scale();
    let rows_invalid = reader.left_out_invalid();
    Ok(Analysis {
        rows_read: rows_read + rows_invalid,
        rows_used: rows_read - rejections.len() as u64,
        rows_invalid,
        rejections,
        repeated_ids: ids.repeats(),
        values: (rs.min..=rs.max).collect(),
        min_alpha,
        scales: questionnaire
            .scales()
            .iter()
            .enumerate()
            .zip(&samples)
            .map(|((s, scale), sample)| {
                let mut analysis = scale_analysis(&scale.id, &scale.name, sample, min_alpha);
                if grouped {
                    let ids = &sample.moments.items;
                    analysis.dif = Some(dif::scale_dif(&by_group[s], ids));
                }
                analysis
            })
            .collect(),
    })
}

fn scale_analysis(id: &str, name: &str, sample: &ScaleSample, min_alpha: f64) -> ScaleAnalysis {
    let m = &sample.moments;
    let reliability = ScaleReliability::from_moments(m);
    let mut warnings = Vec::new();
    if let Ok(rel) = &reliability {
        for item in rel.items.iter().filter(|i| i.r_drop < 0.0) {
            warnings.push(format!(
                "item {} correlates negatively with the rest of its scale (corrected item–total r = {:.2}): check its keying and wording",
                item.id, item.r_drop
            ));
        }
        if rel.alpha < min_alpha {
            warnings.push(format!(
                "alpha {:.2} is below {min_alpha:.2}: scores on this scale carry much measurement error",
                rel.alpha
            ));
        }
    }
    ScaleAnalysis {
        scale: id.to_string(),
        name: name.to_string(),
        items: m.len(),
        n: sample.distribution.n(),
        mean: sample.distribution.mean(),
        sd: sample.distribution.sd(),
        unavailable: reliability.as_ref().err().map(ToString::to_string),
        reliability: reliability.ok(),
        dif: None,
        frequencies: (0..m.len())
            .map(|i| {
                let (shares, missing) = response_frequencies(m, i);
                ItemFrequencies {
                    id: m.items[i].clone(),
                    shares,
                    missing,
                }
            })
            .collect(),
        warnings,
    }
}
