//! The evidence status of a run: what the numbers rest on, said once for
//! every output — where the norms come from, whether reliability is assumed
//! or measured, what validity evidence exists, where the role profile came
//! from, and what band names mean (METHOD.md §11).
//!
//! Built from the data files when an assessment is set up; the JSON formats
//! carry it as data, the formats people read as [`Evidence::sentences`].

use serde::Serialize;

use crate::norms::{NormGroup, NormSet};
use crate::profile::Profile;

/// The kind of a piece of evidence, as the JSON names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Norms of planning values, not of respondent data.
    Provisional,
    /// Norms built from the user's own data.
    Local,
    /// Reliability taken as a planning value.
    Assumed,
    /// Reliability measured in the norm sample.
    Measured,
    /// No validity evidence.
    None,
    /// A local criterion study of the fit score.
    LocalCriterionStudy,
    /// A profile set by expert judgement.
    ExpertJudgement,
    /// A profile calibrated on the user's staff.
    Calibrated,
}

/// Where the norms come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NormsEvidence {
    /// Provisional (planning values, no respondent data) or local (built from data).
    pub kind: Kind,
    /// Respondents in the norm group (the smallest scale's n), when the file gives it.
    pub n: Option<u64>,
    /// Date of the data, when the file gives it.
    pub date: Option<String>,
}

/// Whether the reliabilities behind every interval are assumed or measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityEvidence {
    /// Assumed (planning values) or measured (in the norm sample).
    pub kind: Kind,
    /// Where the values come from, in words.
    pub source: String,
}

/// What is known about whether fit predicts performance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidityEvidence {
    /// None, or a local criterion study.
    pub kind: Kind,
    /// People in the study.
    pub n: Option<usize>,
    /// Correlation of fit with performance.
    pub r: Option<f64>,
    /// Its 95% confidence interval.
    pub interval: Option<[f64; 2]>,
    /// Date of the study.
    pub date: Option<String>,
}

/// Where the role profile came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileEvidence {
    /// Expert judgement, or calibrated.
    pub origin: Kind,
    /// Staff it was calibrated on.
    pub n: Option<usize>,
    /// Date of the calibration data.
    pub date: Option<String>,
}

/// The evidence status of every result of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Norms.
    pub norms: NormsEvidence,
    /// Reliability.
    pub reliability: ReliabilityEvidence,
    /// Validity evidence for the fit score.
    pub validity: ValidityEvidence,
    /// The role profile.
    pub profile: ProfileEvidence,
    /// What the band names (strong, good, …) are.
    pub bands: &'static str,
}

/// What band names are, in every output.
pub const BANDS: &str = "conventions, not validated cut-offs";

impl Evidence {
    /// The evidence of results from `norm_set`'s `group` and `profile`.
    pub fn of(norm_set: &NormSet, group: &NormGroup, profile: &Profile) -> Evidence {
        let n = group.scales.values().map(|s| s.n).min().flatten();
        let measured = !norm_set.provisional && n.is_some();
        Evidence {
            norms: NormsEvidence {
                kind: if norm_set.provisional {
                    Kind::Provisional
                } else {
                    Kind::Local
                },
                n,
                date: norm_set.provenance.date.clone(),
            },
            reliability: ReliabilityEvidence {
                kind: if measured {
                    Kind::Measured
                } else {
                    Kind::Assumed
                },
                source: reliability_source(norm_set, measured, n),
            },
            validity: validity_of(profile),
            profile: match &profile.calibration {
                Some(c) => ProfileEvidence {
                    origin: Kind::Calibrated,
                    n: Some(c.incumbents),
                    date: c.date.clone(),
                },
                None => ProfileEvidence {
                    origin: Kind::ExpertJudgement,
                    n: None,
                    date: None,
                },
            },
            bands: BANDS,
        }
    }

    /// The same in plain words for the pages people read: one short sentence
    /// each, no statistics and no commands.
    pub fn sentences(&self) -> [String; 5] {
        [
            self.norms_sentence(),
            match self.reliability.kind {
                Kind::Measured => "The precision of each score was measured on those same people.".into(),
                _ => "The precision of each score rests on an assumed planning value, not yet measured."
                    .into(),
            },
            self.validity_sentence(),
            self.profile_sentence(),
            "Band names such as 'strong' and 'good' are labels of this tool, not proven cut-offs."
                .into(),
        ]
    }

    /// The norms sentence, also the banner of the pages when norms are provisional.
    pub fn norms_sentence(&self) -> String {
        match (self.norms.kind, self.norms.n) {
            (Kind::Provisional, _) => {
                "Scores are compared with provisional planning values, not with real \
                applicants, so every score is approximate."
                    .into()
            }
            (_, Some(n)) => format!(
                "Scores are compared with {n} people in local norms{}.",
                on(self.norms.date.as_deref())
            ),
            _ => format!(
                "Scores are compared with local norms{}.",
                on(self.norms.date.as_deref())
            ),
        }
    }

    fn validity_sentence(&self) -> String {
        let (Some(n), Some([low, _])) = (self.validity.n, self.validity.interval) else {
            return "No study has yet shown that this fit score predicts performance in the job."
                .into();
        };
        let finding = if low > 0.0 {
            "higher fit went with better performance"
        } else {
            "fit did not clearly go with better performance"
        };
        format!(
            "In a local study of {n} people{}, {finding}.",
            on(self.validity.date.as_deref())
        )
    }

    fn profile_sentence(&self) -> String {
        match self.profile.n {
            Some(n) => format!(
                "The role profile was set from {n} of your own staff{}.",
                on(self.profile.date.as_deref())
            ),
            None => {
                "The role profile is an expert starting point, not yet set from your own staff."
                    .into()
            }
        }
    }
}

fn on(date: Option<&str>) -> String {
    date.map(|d| format!(" ({d})")).unwrap_or_default()
}

fn reliability_source(norm_set: &NormSet, measured: bool, n: Option<u64>) -> String {
    let file = format!("norm file {} {}", norm_set.id, norm_set.version);
    match (measured, n) {
        (true, Some(n)) => format!("Cronbach's alpha in the norm sample (n = {n}), {file}"),
        _ if norm_set.provisional => format!("planning values in the {file}"),
        _ => format!("values given in the {file}, without a sample size"),
    }
}

fn validity_of(profile: &Profile) -> ValidityEvidence {
    match &profile.criterion_study {
        Some(study) => ValidityEvidence {
            kind: Kind::LocalCriterionStudy,
            n: Some(study.n),
            r: Some(study.r),
            interval: Some(study.interval),
            date: study.date.clone(),
        },
        None => ValidityEvidence {
            kind: Kind::None,
            n: None,
            r: None,
            interval: None,
            date: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> NormSet {
        NormSet::from_json(text, "n.json").unwrap()
    }

    const PROFILE: &str = r#"{"id":"p","version":"1","name":"P","questionnaire":"q","max_missing":0,
        "targets":[{"scale":"a","low":6,"high":10,"weight":2}]}"#;

    #[test]
    fn local_norms_without_a_sample_size_give_assumed_reliability() {
        let set = norms(
            r#"{"id":"n","version":"2","questionnaire":"q","provenance":{"description":"d"},
            "groups":[{"id":"g","name":"G","scales":{"a":{"mean":3,"sd":0.5,"reliability":0.8}}}]}"#,
        );
        let profile = Profile::from_json(PROFILE, "p.json").unwrap();
        let evidence = Evidence::of(&set, &set.groups[0], &profile);
        assert_eq!(evidence.norms.kind, Kind::Local);
        assert_eq!(evidence.norms.n, None);
        assert_eq!(evidence.reliability.kind, Kind::Assumed);
        assert_eq!(
            evidence.reliability.source,
            "values given in the norm file n 2, without a sample size"
        );
        assert_eq!(
            evidence.norms_sentence(),
            "Scores are compared with local norms."
        );
    }

    #[test]
    fn the_smallest_scale_n_and_a_study_that_found_nothing() {
        // Scale a has n 120, scale b 95: the group's n is the smaller.
        let set = norms(
            r#"{"id":"n","version":"1","questionnaire":"q","provenance":{"description":"d","date":"2026-05"},
            "groups":[{"id":"g","name":"G","scales":{"a":{"n":120,"mean":3,"sd":0.5,"reliability":0.8},
            "b":{"n":95,"mean":3,"sd":0.5,"reliability":0.7}}}]}"#,
        );
        let study = r#","criterion_study":{"n":60,"r":0.1,"interval":[-0.16,0.34]}}"#;
        let text = PROFILE.trim_end().trim_end_matches('}').to_string() + study;
        let profile = Profile::from_json(&text, "p.json").unwrap();
        let evidence = Evidence::of(&set, &set.groups[0], &profile);
        assert_eq!(
            (evidence.norms.n, evidence.reliability.kind),
            (Some(95), Kind::Measured)
        );
        let sentences = evidence.sentences();
        assert_eq!(
            sentences[0],
            "Scores are compared with 95 people in local norms (2026-05)."
        );
        // The interval includes zero: no claim of a relation.
        assert_eq!(
            sentences[2],
            "In a local study of 60 people, fit did not clearly go with better performance."
        );
    }

    #[test]
    fn a_criterion_study_outside_its_interval_is_refused() {
        let study = r#","criterion_study":{"n":3,"r":0.5,"interval":[0.6,0.8]}}"#;
        let text = PROFILE.trim_end().trim_end_matches('}').to_string() + study;
        let err = Profile::from_json(&text, "p.json").unwrap_err().to_string();
        assert!(
            err.contains("criterion_study.r/interval: r 0.5 with interval 0.6 to 0.8"),
            "{err}"
        );
        assert!(err.contains("criterion_study.n: 3"), "{err}");
    }
}
