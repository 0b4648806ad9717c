//! Local norms from data: per group and scale the n, mean, sd, reliability
//! and an exact percentile-rank table — built in one run, or from partial
//! files (sufficient statistics) that merge into exactly the same norms.
//!
//! A [`Partial`] holds, per group and scale, the exact raw-score counts and
//! the items' pairwise integer moments; everything in a norm file is a
//! function of those, computed in a fixed order, so merging partials of the
//! pieces of a sample gives the same bytes as one run over the whole.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::moments::MergeProblem;
use super::reliability::cronbach_alpha;
use super::sample::{ScaleSample, StoredSample};
use super::AnalysisError;
use crate::norms::{NormGroup, NormProvenance, NormSet, ScaleNorm};
use crate::provenance::ENGINE;
use crate::questionnaire::Questionnaire;
use crate::scoring::Answer;

/// The `format` tag of a partial file.
pub const PARTIAL_FORMAT: &str = "servicefit-norm-partial";
/// The version of the partial file layout.
pub const PARTIAL_VERSION: u32 = 1;
/// Group id when no group column is given.
pub const ALL_GROUP: &str = "all";
/// Below this many respondents in a group, `norms build` warns (see METHOD.md).
pub const WARN_GROUP_N: u64 = 100;
/// The norm sample size the warning recommends.
pub const RECOMMENDED_GROUP_N: u64 = 300;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One response file that went into a partial.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows rejected (not in the statistics).
    pub rows_rejected: u64,
    /// Rows left out because their answers are invalid (not in the statistics).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rows_invalid: u64,
}

/// The questionnaire a partial was built with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireRef {
    /// Its id.
    pub id: String,
    /// Its version.
    pub version: String,
}

/// Sufficient statistics of a norm sample, as written by `norms build --partial`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partial {
    /// Always [`PARTIAL_FORMAT`].
    pub format: String,
    /// Always [`PARTIAL_VERSION`].
    pub version: u32,
    /// The questionnaire.
    pub questionnaire: QuestionnaireRef,
    /// Missing-data rule used for raw scores.
    pub min_answered_share: f64,
    /// Column the groups came from, if any.
    pub group_column: Option<String>,
    /// The response files, sorted by hash.
    pub sources: Vec<Source>,
    /// Per group id, per scale id, the scale's sample.
    pub groups: BTreeMap<String, BTreeMap<String, StoredSample>>,
}

/// Accumulates a norm sample, row by row or by merging partials.
#[derive(Debug, Clone)]
pub struct NormSample {
    questionnaire: QuestionnaireRef,
    min_share: f64,
    group_column: Option<String>,
    sources: Vec<Source>,
    groups: BTreeMap<String, Vec<(String, ScaleSample)>>,
}

/// What the norm file says about itself.
#[derive(Debug, Clone, Default)]
pub struct NormSpec {
    /// Id of the norm set.
    pub id: String,
    /// Date of the data, as the user gave it.
    pub date: Option<String>,
}

/// A finished norm set and the warnings a builder must see.
#[derive(Debug, Clone)]
pub struct BuiltNorms {
    /// The norms, valid by [`NormSet::from_json`]'s rules.
    pub norm_set: NormSet,
    /// Small groups, with the precision their n gives, and the groups left out.
    pub warnings: Vec<String>,
    /// The groups that could not be normed and are not in the norm set.
    pub left_out: Vec<Unnormable>,
}

/// A group that cannot be normed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unnormable {
    /// Group id.
    pub group: String,
    /// Respondents in the group.
    pub respondents: u64,
    /// The first scale that cannot be normed.
    pub scale: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for Unnormable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "group '{}' ({} respondent(s)) cannot be normed: scale '{}': {}",
            self.group, self.respondents, self.scale, self.reason
        )
    }
}

impl NormSample {
    /// An empty sample for `questionnaire` with missing-data rule `min_share`.
    pub fn new(
        questionnaire: &Questionnaire,
        min_share: f64,
        group_column: Option<String>,
    ) -> Self {
        NormSample {
            questionnaire: QuestionnaireRef {
                id: questionnaire.id().to_string(),
                version: questionnaire.version().to_string(),
            },
            min_share,
            group_column,
            sources: Vec::new(),
            groups: BTreeMap::new(),
        }
    }

    /// Adds one respondent to `group` (or to [`ALL_GROUP`]).
    pub fn add(&mut self, questionnaire: &Questionnaire, group: Option<&str>, answers: &[Answer]) {
        let group = self
            .groups
            .entry(group.unwrap_or(ALL_GROUP).to_string())
            .or_insert_with(|| {
                questionnaire
                    .scales()
                    .iter()
                    .enumerate()
                    .map(|(s, scale)| (scale.id.clone(), ScaleSample::new(questionnaire, s)))
                    .collect()
            });
        for (s, (_, sample)) in group.iter_mut().enumerate() {
            sample.add(questionnaire, s, answers, self.min_share);
        }
    }

    /// Records a response file that went into the sample.
    pub fn add_source(&mut self, source: Source) {
        self.sources.push(source);
        self.sources.sort();
    }

    /// The sample as a partial file.
    pub fn partial(&self) -> Partial {
        Partial {
            format: PARTIAL_FORMAT.to_string(),
            version: PARTIAL_VERSION,
            questionnaire: self.questionnaire.clone(),
            min_answered_share: self.min_share,
            group_column: self.group_column.clone(),
            sources: self.sources.clone(),
            groups: self
                .groups
                .iter()
                .map(|(g, scales)| {
                    let stored = scales.iter().map(|(id, s)| (id.clone(), s.stored()));
                    (g.clone(), stored.collect())
                })
                .collect(),
        }
    }

    /// Rebuilds a sample from a partial file, checking it is well formed.
    ///
    /// # Errors
    /// [`AnalysisError::Partial`] naming what is wrong.
    pub fn from_partial(partial: &Partial, file: &str) -> Result<Self, AnalysisError> {
        let bad = |what: &str, found: String, expected: &str| AnalysisError::Partial {
            file: file.to_string(),
            what: what.to_string(),
            found,
            expected: expected.to_string(),
        };
        if partial.format != PARTIAL_FORMAT || partial.version != PARTIAL_VERSION {
            return Err(bad(
                "format",
                format!("{} version {}", partial.format, partial.version),
                "a partial written by `servicefit norms build --partial` (format servicefit-norm-partial, version 1)",
            ));
        }
        if !(0.0..=1.0).contains(&partial.min_answered_share) {
            return Err(bad(
                "min_answered_share",
                crate::text::number(partial.min_answered_share),
                "a share from 0 to 1, as norms build writes it",
            ));
        }
        if let Some(source) = partial
            .sources
            .iter()
            .find(|s| s.rows_rejected > s.rows_read)
        {
            return Err(bad(
                "sources",
                format!(
                    "{} rows rejected of {} read (sha256 {})",
                    source.rows_rejected, source.rows_read, source.sha256
                ),
                "no more rows rejected than read",
            ));
        }
        let mut groups = BTreeMap::new();
        for (g, scales) in &partial.groups {
            let mut samples = Vec::new();
            for (id, stored) in scales {
                let sample = ScaleSample::from_stored(stored).map_err(|problem| {
                    bad(
                        &format!("groups.{g}.{id}"),
                        problem,
                        "tables as written by norms build, not edited by hand",
                    )
                })?;
                samples.push((id.clone(), sample));
            }
            groups.insert(g.clone(), samples);
        }
        Ok(NormSample {
            questionnaire: partial.questionnaire.clone(),
            min_share: partial.min_answered_share,
            group_column: partial.group_column.clone(),
            sources: partial.sources.clone(),
            groups,
        })
    }

    /// Adds another sample of the same questionnaire, rule and grouping.
    ///
    /// # Errors
    /// [`AnalysisError::Partial`] when they differ, or when a source file is in both.
    pub fn merge(&mut self, other: &NormSample, file: &str) -> Result<(), AnalysisError> {
        let mismatch = |what: &str, found: String, expected: String| AnalysisError::Partial {
            file: file.to_string(),
            what: what.to_string(),
            found,
            expected,
        };
        if other.questionnaire != self.questionnaire {
            let q =
                |r: &QuestionnaireRef| format!("questionnaire '{}' version {}", r.id, r.version);
            return Err(mismatch(
                "questionnaire",
                q(&other.questionnaire),
                q(&self.questionnaire),
            ));
        }
        if other.min_share != self.min_share || other.group_column != self.group_column {
            let options = |sample: &NormSample| {
                format!(
                    "min_answered_share {}, {}",
                    sample.min_share,
                    match &sample.group_column {
                        Some(column) => format!("group column '{column}'"),
                        None => "no group column".to_string(),
                    }
                )
            };
            return Err(mismatch(
                "options",
                options(other),
                format!("the first partial's: {}", options(self)),
            ));
        }
        if let Some(twice) = other
            .sources
            .iter()
            .find(|s| self.sources.iter().any(|t| t.sha256 == s.sha256))
        {
            return Err(mismatch(
                "sources",
                format!("data file sha256 {} already merged", twice.sha256),
                "each data file once (merging it twice would count its rows twice)".into(),
            ));
        }
        for (g, scales) in &other.groups {
            match self.groups.get_mut(g) {
                None => {
                    self.groups.insert(g.clone(), scales.clone());
                }
                Some(mine) => {
                    let mut sum = mine.clone();
                    let added = if sum.len() == scales.len() {
                        sum.iter_mut().zip(scales).try_for_each(|((a, x), (b, y))| {
                            if a == b {
                                x.merge(y)
                            } else {
                                Err(MergeProblem::OtherItems)
                            }
                        })
                    } else {
                        Err(MergeProblem::OtherItems)
                    };
                    match added {
                        Ok(()) => *mine = sum,
                        Err(MergeProblem::OtherItems) => {
                            return Err(mismatch(
                                &format!("groups.{g}"),
                                "other scales or items".into(),
                                "the same scales and items".into(),
                            ))
                        }
                        Err(MergeProblem::Overflow) => {
                            return Err(mismatch(
                                &format!("groups.{g}"),
                                "counts or sums too large to add exactly".into(),
                                format!(
                                    "totals of at most {} respondents",
                                    crate::bounds::MAX_COUNT
                                ),
                            ))
                        }
                    }
                }
            }
        }
        self.sources.extend(other.sources.iter().cloned());
        self.sources.sort();
        Ok(())
    }

    /// The norm set: per group and scale n, mean, sd, alpha and the exact
    /// percentile table. A group that cannot be normed is left out with a
    /// warning naming it, its size and why, so that one small site does not
    /// stop the norms of the others.
    ///
    /// # Errors
    /// [`AnalysisError::NoNorms`] when no group can be normed.
    pub fn norm_set(&self, spec: &NormSpec) -> Result<BuiltNorms, AnalysisError> {
        let mut groups = Vec::new();
        let mut warnings = Vec::new();
        let mut left_out = Vec::new();
        for (g, scales) in &self.groups {
            match self.group_norm(g, scales) {
                Ok((group, smallest)) => {
                    if smallest < WARN_GROUP_N {
                        warnings.push(small_group_warning(g, smallest));
                    }
                    groups.push(group);
                }
                Err(why) => left_out.push(why),
            }
        }
        if groups.is_empty() {
            return Err(AnalysisError::NoNorms {
                groups: left_out,
                grouped: self.group_column.is_some(),
            });
        }
        warnings.extend(left_out.iter().map(|why| {
            format!(
                "{why}; this group is left out of the norms and the others are written (merge it with another group, or collect more respondents for it)"
            )
        }));
        let norm_set = NormSet {
            id: spec.id.clone(),
            version: "1".to_string(),
            questionnaire: self.questionnaire.id.clone(),
            questionnaire_version: Some(self.questionnaire.version.clone()),
            provisional: false,
            provenance: NormProvenance {
                description: self.description(),
                source_sha256: match self.sources.as_slice() {
                    [one] => Some(one.sha256.clone()),
                    _ => None,
                },
                date: spec.date.clone(),
                engine: Some(ENGINE.to_string()),
            },
            groups,
        };
        Ok(BuiltNorms {
            norm_set,
            warnings,
            left_out,
        })
    }

    /// One group's norms and the fewest respondents with a score on any of its scales.
    fn group_norm(
        &self,
        group: &str,
        scales: &[(String, ScaleSample)],
    ) -> Result<(NormGroup, u64), Unnormable> {
        let mut norms = BTreeMap::new();
        let mut smallest = u64::MAX;
        for (id, sample) in scales {
            let norm = scale_norm(sample).map_err(|reason| Unnormable {
                group: group.to_string(),
                respondents: sample.moments.respondents,
                scale: id.clone(),
                reason,
            })?;
            smallest = smallest.min(norm.n.unwrap_or(0));
            norms.insert(id.clone(), norm);
        }
        let normed = NormGroup {
            id: group.to_string(),
            name: self.group_name(group),
            scales: norms,
        };
        Ok((normed, smallest))
    }

    fn group_name(&self, group: &str) -> String {
        match &self.group_column {
            Some(column) => format!("{column} = {group}"),
            None => "all respondents".to_string(),
        }
    }

    fn description(&self) -> String {
        let read: u64 = self.sources.iter().map(|s| s.rows_read).sum();
        let rejected: u64 = self.sources.iter().map(|s| s.rows_rejected).sum();
        let invalid: u64 = self.sources.iter().map(|s| s.rows_invalid).sum();
        let invalid = match invalid {
            0 => String::new(),
            n => format!(" ({n} of them left out because their answers are invalid)"),
        };
        let files = match self.sources.as_slice() {
            [_] => "one response file (sha256 in source_sha256)".to_string(),
            many => format!(
                "{} response files merged from partials (sha256 {})",
                many.len(),
                many.iter()
                    .map(|s| s.sha256.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        format!(
            "Local norms built from data: {read} rows read{invalid}, {rejected} rejected, from {files}. \
             Raw scores need at least {}% of a scale's items answered. Reliability is Cronbach's alpha \
             in the same data (pairwise-complete covariances); percentile ranks are exact mid-point ranks \
             (percent below plus half the percent equal).",
            self.min_share * 100.0
        )
    }
}

fn scale_norm(sample: &ScaleSample) -> Result<ScaleNorm, String> {
    let d = &sample.distribution;
    let (Some(mean), Some(sd)) = (d.mean(), d.sd()) else {
        return Err(format!(
            "{} respondent(s) with a score; at least 2 needed",
            d.n()
        ));
    };
    if sd <= 0.0 {
        return Err("every respondent has the same raw score".into());
    }
    // A norm file must load: an sd below the least a norm may have puts
    // every other candidate at an extreme sten.
    if !crate::bounds::NORM_SD.contains(sd) {
        return Err(format!(
            "the raw scores hardly vary (sd {}); a norm needs {}",
            crate::text::number(sd),
            crate::bounds::NORM_SD.words()
        ));
    }
    // A norm file must give the reliability (the SEM of every score rests on
    // it), so a scale without a usable alpha cannot be normed.
    let alpha = cronbach_alpha(&sample.moments)
        .map_err(|e| format!("Cronbach's alpha cannot be computed: {e}"))?;
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(format!(
            "Cronbach's alpha is {alpha:.3}; a norm needs a reliability between 0 and 1 (with few respondents alpha is erratic; otherwise check the items' keying with `servicefit analyze`)"
        ));
    }
    Ok(ScaleNorm {
        n: Some(d.n()),
        mean,
        sd,
        reliability: alpha,
        percentiles: Some(d.percentile_table()),
    })
}

/// The small-sample warning: what precision `n` gives (METHOD.md, "Norm sample size").
fn small_group_warning(group: &str, n: u64) -> String {
    let n_f = (n.max(1)) as f64;
    format!(
        "group '{group}' has only {n} respondents with a score on some scale (fewer than {WARN_GROUP_N}): \
         the standard error of a percentile rank of 50 is about {:.1} points (50/√n) and of the norm mean \
         {:.2} sd (1/√n); several hundred (e.g. {RECOMMENDED_GROUP_N}+) are recommended for stable norms",
        50.0 / n_f.sqrt(),
        1.0 / n_f.sqrt()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Questionnaire {
        Questionnaire::from_json(
            include_str!("../../tests/fixtures/tiny/questionnaire.json"),
            "tiny",
        )
        .unwrap()
    }

    /// Tiny's answers in presentation order A1, B1, A2, B2, A3, B3 (A3, B3 reversed on 1..5).
    fn answers(row: [i32; 6]) -> Vec<Option<i32>> {
        row.iter().map(|&v| Some(v)).collect()
    }

    /// Group g: keyed a = (1,3,1), (2,3,3), (4,3,4), (5,3,4) — A2 the same for everyone;
    /// keyed b = (1,2,1), (2,2,3), (4,4,4), (5,4,4). Group h: one respondent.
    fn two_groups(q: &Questionnaire) -> NormSample {
        let mut sample = NormSample::new(q, 0.75, Some("site".into()));
        for row in [
            [1, 1, 3, 2, 5, 5],
            [2, 2, 3, 2, 3, 3],
            [4, 4, 3, 4, 2, 2],
            [5, 5, 3, 4, 2, 2],
        ] {
            sample.add(q, Some("g"), &answers(row));
        }
        sample.add(q, Some("h"), &answers([3; 6]));
        sample
    }

    #[test]
    fn raw_scores_that_hardly_vary_give_no_norm_that_could_not_be_loaded() {
        // 2,000,000 respondents at 3 and one at 10/3: sd ≈ (1/3)·√(1/2,000,001)
        // ≈ 0.000236, below the 0.001 a norm file may hold.
        use super::super::distribution::{Distribution, RawCount};
        let q = tiny();
        let rows = [
            RawCount {
                sum: 9,
                answered: 3,
                count: 2_000_000,
            },
            RawCount {
                sum: 10,
                answered: 3,
                count: 1,
            },
        ];
        let sample = ScaleSample {
            moments: super::super::moments::ItemMoments::new(&q, 0),
            distribution: Distribution::from_rows(&rows, 3, (1, 5), u64::MAX).unwrap(),
        };
        let err = scale_norm(&sample).unwrap_err();
        assert!(
            err.starts_with("the raw scores hardly vary (sd 0.000235702"),
            "{err}"
        );
        assert!(
            err.ends_with("); a norm needs a standard deviation from 0.001 to 1999998"),
            "{err}"
        );
    }

    #[test]
    fn a_group_that_cannot_be_normed_is_left_out_and_the_others_written() {
        let q = tiny();
        let spec = NormSpec {
            id: "n".into(),
            date: None,
        };
        let built = two_groups(&q).norm_set(&spec).unwrap();
        let ids: Vec<&str> = built
            .norm_set
            .groups
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        assert_eq!(ids, ["g"]);
        // Scale a: A2 has no variance, yet alpha is defined. C: var A1 10/3, var A3 2,
        // cov(A1, A3) 7/3, A2 0; tr C = 16/3, ΣC = 10; alpha = 3/2 · (1 − 16/30) = 0.7.
        let a = &built.norm_set.groups[0].scales["a"];
        assert!((a.reliability - 0.7).abs() < 1e-12, "{}", a.reliability);
        assert_eq!(a.n, Some(4));
        // Scale b: tr C = 20/3, ΣC = 18; alpha = 3/2 · (1 − 20/54) = 51/54.
        let b = &built.norm_set.groups[0].scales["b"];
        assert!(
            (b.reliability - 51.0 / 54.0).abs() < 1e-12,
            "{}",
            b.reliability
        );
        assert_eq!(built.left_out.len(), 1);
        assert_eq!(
            built.warnings.last().map(String::as_str),
            Some(
                "group 'h' (1 respondent(s)) cannot be normed: scale 'a': 1 respondent(s) with a score; at least 2 needed; \
                 this group is left out of the norms and the others are written (merge it with another group, or collect more respondents for it)"
            )
        );
        assert!(
            built.warnings[0].starts_with("group 'g' has only 4 respondents"),
            "{:?}",
            built.warnings
        );
    }

    #[test]
    fn when_no_group_can_be_normed_the_error_says_why_and_what_to_do() {
        let q = tiny();
        let mut sample = NormSample::new(&q, 0.75, None);
        sample.add(&q, None, &answers([3; 6]));
        sample.add(&q, None, &answers([4, 4, 4, 4, 2, 2]));
        let spec = NormSpec {
            id: "n".into(),
            date: None,
        };
        // Keyed a = (3,3,3), (4,4,4): every covariance 0.5, alpha = 3/2 · (1 − 1.5/4.5) = 1.
        assert_eq!(
            sample.norm_set(&spec).unwrap_err().to_string(),
            "no norms can be built: group 'all' (2 respondent(s)) cannot be normed: scale 'a': Cronbach's alpha is 1.000; \
             a norm needs a reliability between 0 and 1 (with few respondents alpha is erratic; otherwise check the items' \
             keying with `servicefit analyze`). A norm needs, for every scale, at least 2 respondents with a score whose \
             scores vary, and a Cronbach's alpha between 0 and 1, which the norm file must give for the standard error of \
             measurement; build from more respondents"
        );
    }

    #[test]
    fn merging_other_options_names_them_in_words() {
        let q = tiny();
        let mut first = NormSample::new(&q, 0.75, None);
        let other = NormSample::new(&q, 0.5, Some("site".into()));
        let err = first
            .merge(&other, "b.partial.json")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "b.partial.json: options: min_answered_share 0.5, group column 'site'; \
             expected the first partial's: min_answered_share 0.75, no group column"
        );
    }
}
