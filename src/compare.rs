//! Comparing candidates: is "A scored higher than B" a real difference, or
//! within measurement error?
//!
//! Pure maths on results the [`crate::assessment::Assessment`] already
//! produced: for each attribute and each pair, the difference of continuous
//! stens against the standard error of the difference; for the fit, whether
//! the two fit intervals overlap. The rules and their references are in
//! `docs/METHOD.md`, "Comparing candidates". Turning the verdicts into words
//! is the report module's job.

use serde::Serialize;
use thiserror::Error;

use crate::assessment::{Assessment, CandidateResult};
use crate::fit::Fit;
use crate::norms::{self, NormedScore};
use crate::validity::Status;

/// Fewest candidates a comparison takes.
pub const MIN_CANDIDATES: usize = 2;
/// Most candidates a comparison takes: beyond eight, overlaid profiles and a
/// table of every pair (28 pairs) stop being readable.
pub const MAX_CANDIDATES: usize = 8;

/// Why a comparison cannot be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CompareError {
    /// Too few or too many candidates.
    #[error("{found} candidate(s) to compare; expected {MIN_CANDIDATES} to {MAX_CANDIDATES}")]
    Count {
        /// How many were given.
        found: usize,
    },
    /// The confidence level of the run is not usable.
    #[error("confidence level {level} is not between 0 and 1")]
    Confidence {
        /// The level found.
        level: f64,
    },
}

/// What a difference amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Larger than measurement error at the run's confidence level.
    Real,
    /// Not larger than measurement error: the questionnaire cannot tell the two apart.
    WithinError,
    /// A score is missing, so there is nothing to compare.
    Missing,
    /// One candidate's answers are invalid, so their scores are not compared.
    Untrusted,
}

/// One pair's difference on one measure; `first` and `second` index the candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairDifference {
    /// Index of the first candidate (the earlier one in the comparison).
    pub first: usize,
    /// Index of the second candidate.
    pub second: usize,
    /// First minus second (continuous stens, or fit points).
    pub difference: Option<f64>,
    /// For stens, the size a difference must exceed to be real: `z · SE_diff`.
    pub threshold: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
}

/// Every pair's difference on one attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeComparison {
    /// Scale id.
    pub scale: String,
    /// One entry per pair, in the order of [`pairs`].
    pub pairs: Vec<PairDifference>,
}

/// A side-by-side comparison of two to eight candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The candidates, in the order given.
    pub candidates: Vec<CandidateResult>,
    /// Confidence level of every verdict, e.g. 0.90.
    pub confidence: f64,
    /// Two-sided normal critical value of that level, e.g. 1.645.
    pub critical: f64,
    /// One entry per profile target, in profile order.
    pub attributes: Vec<AttributeComparison>,
    /// The fit of every pair.
    pub fit: Vec<PairDifference>,
}

/// The pairs `(i, j)` with `i < j` of `n` candidates, in reading order.
pub fn pairs(n: usize) -> Vec<(usize, usize)> {
    (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect()
}

/// The difference of two continuous stens and whether it is real.
///
/// # Formula
/// `d = sten_a − sten_b`, `SE_diff = √(SEM_a² + SEM_b²)` (SEMs in sten units);
/// real when `|d| > critical · SE_diff` (Gulliksen 1950, ch. 4; Anastasi &
/// Urbina 1997, ch. 5).
///
/// ```
/// use servicefit::compare::sten_difference;
/// // SEMs 0.8 and 0.6: SE_diff = 1.0; at 90%, a difference must exceed 1.645.
/// let (d, threshold, real) = sten_difference(7.5, 0.8, 5.5, 0.6, 1.6448536269514722);
/// assert_eq!(d, 2.0);
/// assert!((threshold - 1.6448536269514722).abs() < 1e-12);
/// assert!(real);
/// ```
pub fn sten_difference(a: f64, sem_a: f64, b: f64, sem_b: f64, critical: f64) -> (f64, f64, bool) {
    let difference = a - b;
    let threshold = critical * sem_a.hypot(sem_b);
    (difference, threshold, difference.abs() > threshold)
}

/// Whether two fits differ by more than measurement error: only when their
/// intervals do not overlap. Returns the difference of the scores and the verdict.
///
/// The fit interval is the range of fit over every attribute's confidence
/// interval at once, so disjoint intervals mean no combination of plausible
/// scores could make the two equal. See METHOD.md for why this, and not an
/// SE of fit, is the rule.
pub fn fit_difference(a: &Fit, b: &Fit) -> (Option<f64>, Verdict) {
    match (a.score, a.interval, b.score, b.interval) {
        (Some(sa), Some(ia), Some(sb), Some(ib)) => {
            let disjoint = ia.low > ib.high || ib.low > ia.high;
            let verdict = if disjoint {
                Verdict::Real
            } else {
                Verdict::WithinError
            };
            (Some(sa - sb), verdict)
        }
        _ => (None, Verdict::Missing),
    }
}

fn attribute_pair(
    a: Option<&NormedScore>,
    b: Option<&NormedScore>,
    untrusted: bool,
    critical: f64,
) -> (Option<f64>, Option<f64>, Verdict) {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (d, threshold, real) = sten_difference(
                a.sten_continuous,
                a.sem_sten,
                b.sten_continuous,
                b.sem_sten,
                critical,
            );
            let verdict = match (untrusted, real) {
                (true, _) => Verdict::Untrusted,
                (false, true) => Verdict::Real,
                (false, false) => Verdict::WithinError,
            };
            (Some(d), Some(threshold), verdict)
        }
        _ => (None, None, Verdict::Missing),
    }
}

/// Compares `candidates` (2 to 8, in the order to show them) on every target of
/// the assessment's profile and on fit, at the assessment's confidence level.
///
/// # Errors
/// [`CompareError::Count`] for fewer than 2 or more than 8 candidates.
pub fn compare(
    assessment: &Assessment,
    candidates: Vec<CandidateResult>,
) -> Result<Comparison, CompareError> {
    if !(MIN_CANDIDATES..=MAX_CANDIDATES).contains(&candidates.len()) {
        return Err(CompareError::Count {
            found: candidates.len(),
        });
    }
    let confidence = assessment.provenance().options.confidence;
    let critical =
        norms::critical_value(confidence).ok_or(CompareError::Confidence { level: confidence })?;
    let all_pairs = pairs(candidates.len());
    let invalid = |i: usize| candidates[i].validity.status == Status::Invalid;
    let q = assessment.questionnaire();
    let attributes = assessment
        .profile()
        .targets
        .iter()
        .map(|target| {
            let index = q.scale_index(&target.scale);
            let normed = |c: usize| index.and_then(|s| candidates[c].scales[s].normed.as_ref());
            let pairs = all_pairs
                .iter()
                .map(|&(i, j)| {
                    let (difference, threshold, verdict) =
                        attribute_pair(normed(i), normed(j), invalid(i) || invalid(j), critical);
                    PairDifference {
                        first: i,
                        second: j,
                        difference,
                        threshold,
                        verdict,
                    }
                })
                .collect();
            AttributeComparison {
                scale: target.scale.clone(),
                pairs,
            }
        })
        .collect();
    let fit = all_pairs
        .iter()
        .map(|&(i, j)| {
            let (difference, mut verdict) = fit_difference(&candidates[i].fit, &candidates[j].fit);
            if verdict != Verdict::Missing && (invalid(i) || invalid(j)) {
                verdict = Verdict::Untrusted;
            }
            PairDifference {
                first: i,
                second: j,
                difference,
                threshold: None,
                verdict,
            }
        })
        .collect();
    Ok(Comparison {
        candidates,
        confidence,
        critical,
        attributes,
        fit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norms::Interval;

    #[test]
    fn pairs_in_reading_order() {
        assert_eq!(pairs(3), vec![(0, 1), (0, 2), (1, 2)]);
        // 8 candidates: 8·7/2 = 28 pairs.
        assert_eq!(pairs(8).len(), 28);
        assert!(pairs(1).is_empty());
    }

    #[test]
    fn built_in_norms_need_about_two_stens() {
        // reliability .80: SEM_sten = 2·√0.2 = 0.894427; SE_diff = 0.894427·√2 = 1.264911;
        // threshold at 90% = 1.644854·1.264911 = 2.080594.
        let sem = 2.0 * 0.2_f64.sqrt();
        let (d, threshold, real) = sten_difference(7.0, sem, 5.0, sem, 1.6448536269514722);
        assert_eq!(d, 2.0);
        assert!((threshold - 2.080593).abs() < 1e-6, "{threshold}");
        assert!(!real, "2.0 stens is within error at 90%");
        let (_, _, real) = sten_difference(7.1, sem, 5.0, sem, 1.6448536269514722);
        assert!(real, "2.1 stens is beyond 2.0806");
        // Negative differences are judged by size: 5.0 − 7.1 = −2.1.
        let (d, _, real) = sten_difference(5.0, sem, 7.1, sem, 1.6448536269514722);
        assert!((d + 2.1).abs() < 1e-12 && real);
    }

    fn fit(score: f64, low: f64, high: f64) -> Fit {
        Fit {
            score: Some(score),
            band: None,
            interval: Some(Interval { low, high }),
            attributes: Vec::new(),
            missing: Vec::new(),
        }
    }

    #[test]
    fn fit_is_real_only_when_intervals_are_disjoint() {
        // 90 [80, 97] vs 60 [45, 79]: 80 > 79, disjoint; difference 30.
        assert_eq!(
            fit_difference(&fit(90.0, 80.0, 97.0), &fit(60.0, 45.0, 79.0)),
            (Some(30.0), Verdict::Real)
        );
        // touching at 80 counts as overlap.
        assert_eq!(
            fit_difference(&fit(90.0, 80.0, 97.0), &fit(70.0, 50.0, 80.0)).1,
            Verdict::WithinError
        );
        let none = Fit {
            score: None,
            interval: None,
            ..fit(0.0, 0.0, 0.0)
        };
        assert_eq!(
            fit_difference(&none, &fit(70.0, 50.0, 80.0)),
            (None, Verdict::Missing)
        );
    }
}
