//! One scale's accumulated sample: the items' moments (for reliability) and
//! the raw-score distribution (for mean, sd and percentile ranks).

use serde::{Deserialize, Serialize};

use super::distribution::{Distribution, RawCount};
use super::moments::{ItemMoments, MergeProblem};
use crate::questionnaire::{ItemRole, Questionnaire};
use crate::scoring::{enough_answered, keyed_value, Answer};

/// What one scale's data reduce to; merges by addition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleSample {
    /// Pairwise item moments.
    pub moments: ItemMoments,
    /// Exact raw-score counts of respondents with a scale score.
    pub distribution: Distribution,
}

/// A [`ScaleSample`] as stored in a partial norm file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredSample {
    /// Raw-score counts, ascending.
    pub raw_scores: Vec<RawCount>,
    /// Item moments.
    pub items: ItemMoments,
}

impl ScaleSample {
    /// An empty sample of scale `scale`.
    pub fn new(questionnaire: &Questionnaire, scale: usize) -> Self {
        ScaleSample {
            moments: ItemMoments::new(questionnaire, scale),
            distribution: Distribution::default(),
        }
    }

    /// Adds one respondent; the raw score counts only when at least
    /// `min_share` of the scale's items were answered (the scoring rule).
    pub fn add(
        &mut self,
        questionnaire: &Questionnaire,
        scale: usize,
        answers: &[Answer],
        min_share: f64,
    ) {
        self.moments.add(questionnaire, scale, answers);
        let (min, max) = (
            questionnaire.response_scale().min,
            questionnaire.response_scale().max,
        );
        let indices = questionnaire.scale_items(scale);
        let (mut sum, mut answered) = (0i64, 0u64);
        for &index in indices {
            if let (Some(v), ItemRole::Scored { reverse_keyed, .. }) =
                (answers[index], &questionnaire.items()[index].role)
            {
                sum += i64::from(keyed_value(v, *reverse_keyed, min, max));
                answered += 1;
            }
        }
        if enough_answered(answered as usize, indices.len(), min_share) {
            self.distribution.add(sum, answered);
        }
    }

    /// Adds another sample of the same scale, in checked arithmetic.
    ///
    /// # Errors
    /// [`MergeProblem`], changing nothing, when the items differ or a
    /// count would overflow.
    pub fn merge(&mut self, other: &ScaleSample) -> Result<(), MergeProblem> {
        let mut sum = self.clone();
        sum.moments.merge(&other.moments)?;
        sum.distribution.merge(&other.distribution)?;
        *self = sum;
        Ok(())
    }

    /// The form stored in a partial file.
    pub fn stored(&self) -> StoredSample {
        StoredSample {
            raw_scores: self.distribution.rows(),
            items: self.moments.clone(),
        }
    }

    /// Rebuilds a sample from its stored form, checking that data could
    /// have given it (a partial file may have been edited).
    ///
    /// # Errors
    /// What is impossible about it, in words.
    pub fn from_stored(stored: &StoredSample) -> Result<Self, String> {
        let moments = &stored.items;
        if let Some(problem) = moments.impossibility() {
            return Err(problem);
        }
        let distribution = Distribution::from_rows(
            &stored.raw_scores,
            moments.len(),
            (moments.min, moments.max),
            moments.respondents,
        )?;
        Ok(ScaleSample {
            moments: moments.clone(),
            distribution,
        })
    }
}
