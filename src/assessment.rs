//! The configured pipeline: one questionnaire, one norm group and one role
//! profile, checked against each other once, then applied to candidate after
//! candidate — raw scores, norms, validity, fit.
//!
//! [`Assessment::assess`] is pure and cheap, so callers may run it on many
//! threads; it never fails, because the answers it receives are already on
//! the response scale (the reader rejects anything else).

use std::sync::OnceLock;

use serde::Serialize;

use crate::error::{ConsistencyError, Problem, Problems};
use crate::evidence::Evidence;
use crate::fit::{self, AttributeScore, Fit, Placement};
use crate::item_model::ItemModel;
use crate::names;
use crate::norms::{self, Measure, NormSet, NormTable, NormedScore, ScaleNorm};
use crate::profile::Profile;
use crate::provenance::{FileRecord, ENGINE};
use crate::questionnaire::{ItemRole, Questionnaire, ScaleKind};
use crate::scoring::{self, Answer, Halves};
use crate::validity::{self, Misfit, Status, Validity};

pub use crate::ranking::rank_order;

/// The `file` of a [`ConsistencyError`] about an option rather than a file.
pub const OPTIONS: &str = "the options";

/// Default confidence level of every interval.
pub const DEFAULT_CONFIDENCE: f64 = 0.90;

/// Options of an assessment that are not in the data files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Options {
    /// Norm group id; `None` takes the norm set's first group.
    pub norm_group: Option<String>,
    /// Missing-data rule; `None` takes the questionnaire's.
    pub min_answered_share: Option<f64>,
    /// Confidence level of the intervals, e.g. 0.90.
    pub confidence: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            norm_group: None,
            min_answered_share: None,
            confidence: DEFAULT_CONFIDENCE,
        }
    }
}

/// A data file with the record of where it came from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    /// The validated content.
    pub value: T,
    /// Id, version, source and hash.
    pub record: FileRecord,
}

/// The provenance of every result of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// Engine name and version.
    pub engine: String,
    /// The questionnaire used.
    pub questionnaire: FileRecord,
    /// The norm set used.
    pub norms: FileRecord,
    /// The norm group used.
    pub norm_group: String,
    /// The role profile used.
    pub profile: FileRecord,
    /// Options in force (resolved: no `None` left to guess).
    pub options: Options,
    /// The provisional-norms notice, when the norms are planning values.
    pub norms_notice: Option<String>,
}

/// Notice carried by every output that uses provisional norms.
pub const PROVISIONAL_NOTICE: &str = "The norms in use are PROVISIONAL PLANNING VALUES, not based on respondent data: \
stens and percentiles are approximate. Build local norms from your own applicants with `servicefit norms build` \
and pass them with --norms.";

/// One scale's result for one candidate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScaleResult {
    /// Scale id.
    pub scale: String,
    /// Items answered.
    pub answered: usize,
    /// Items of the scale.
    pub items: usize,
    /// Mean keyed answer, if enough items were answered.
    pub raw: Option<f64>,
    /// Percent of maximum possible.
    pub pomp: Option<f64>,
    /// The score against the norm.
    pub normed: Option<NormedScore>,
}

/// Everything about one candidate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CandidateResult {
    /// The candidate's id.
    pub id: String,
    /// The candidate's name, when the file has a name question: shown beside
    /// the id (duplicates are still found by the id).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Row of the input (as a spreadsheet numbers it).
    pub row: u64,
    /// Response validity.
    pub validity: Validity,
    /// Every scale, attributes and impression management, in questionnaire order.
    pub scales: Vec<ScaleResult>,
    /// Fit to the profile. For invalid responses the score is kept but the band is withheld.
    pub fit: Fit,
    /// Whether the result may be used to recommend: false for invalid responses and when there is no fit.
    pub recommendable: bool,
    /// Things a reader must see: scales missing, minimums not met, no fit.
    pub flags: Vec<String>,
}

impl CandidateResult {
    /// The candidate as reports show them: the id, with the name beside it
    /// when the file had one (`c-17 (Ann Lee)`). Unescaped: each writer
    /// escapes it as it escapes ids.
    pub fn shown(&self) -> std::borrow::Cow<'_, str> {
        if self.name.is_empty() {
            std::borrow::Cow::Borrowed(&self.id)
        } else {
            std::borrow::Cow::Owned(format!("{} ({})", self.id, self.name))
        }
    }
}

/// The pipeline, ready to assess candidates.
#[derive(Debug, Clone)]
pub struct Assessment {
    questionnaire: Questionnaire,
    norms: Vec<ScaleNorm>,
    /// The normed score of every possible raw score, per scale, where the table is small.
    tables: Vec<Option<NormTable>>,
    profile: Profile,
    /// For each profile target, the index of its scale.
    target_scales: Vec<usize>,
    /// For each profile target, the placement of every entry of its scale's
    /// norm table (in the table's order), where the scale has a table.
    placements: Vec<Option<Vec<Placement>>>,
    impression_scale: Option<usize>,
    /// The norms' item model of every scale, for the misfit index.
    misfit: Misfit,
    /// Per scale, what placing its raw scores needs besides the norm.
    measures: Vec<Measure>,
    min_share: f64,
    provenance: Provenance,
    evidence: Evidence,
    /// The validity checks the response file did not allow, one flag each,
    /// set once the file's header is read ([`Self::note_missing_validity_items`]).
    unchecked: OnceLock<Vec<String>>,
}

impl Assessment {
    /// Checks the three files against each other and resolves the options.
    ///
    /// # Errors
    /// [`ConsistencyError`] when the norms or the profile do not fit the
    /// questionnaire, the norm group does not exist, or an option is out of range.
    pub fn new(
        questionnaire: Sourced<Questionnaire>,
        norm_set: Sourced<NormSet>,
        profile: Sourced<Profile>,
        options: Options,
    ) -> Result<Self, ConsistencyError> {
        let q = questionnaire.value;
        norm_set.value.check_against(&q, &norm_set.record.source)?;
        profile.value.check_against(&q, &profile.record.source)?;
        let option_error = |path: &str, found: String, expected: &str| ConsistencyError::Mismatch {
            file: OPTIONS.into(),
            questionnaire: q.id().into(),
            problems: Problems(vec![Problem::new(path, found, expected)]),
        };
        let group = norm_set
            .value
            .group(options.norm_group.as_deref())
            .map_err(|closest| {
                let ids = norm_set.value.group_ids();
                let closest: Vec<String> = closest.into_iter().map(String::from).collect();
                option_error(
                    "--norm-group",
                    format!(
                        "'{}', no such group{}",
                        options.norm_group.as_deref().unwrap_or_default(),
                        names::did_you_mean(&closest)
                    ),
                    &format!("one of: {}", ids.join(", ")),
                )
            })?;
        let critical = norms::critical_value(options.confidence).ok_or_else(|| {
            option_error(
                "--confidence",
                options.confidence.to_string(),
                "a level between 0 and 1, e.g. 0.90",
            )
        })?;
        let min_share = options.min_answered_share.unwrap_or(q.min_answered_share());
        if !(0.0..=1.0).contains(&min_share) {
            return Err(option_error(
                "--min-answered",
                min_share.to_string(),
                "a share from 0 to 1",
            ));
        }
        // check_against guaranteed a norm for every scale and a scale for every target.
        let scale_norms: Vec<ScaleNorm> = q
            .scales()
            .iter()
            .map(|s| group.scales[&s.id].clone())
            .collect();
        let fit_level = fit::attribute_level(options.confidence, profile.value.targets.len());
        let fit_critical = norms::critical_value(fit_level).unwrap_or(critical);
        let (min, max) = (q.response_scale().min, q.response_scale().max);
        let measures: Vec<Measure> = (0..q.scales().len())
            .map(|s| Measure {
                critical,
                fit_critical,
                items: q.scale_items(s).len(),
                min: f64::from(min),
                max: f64::from(max),
            })
            .collect();
        let tables: Vec<Option<NormTable>> = (scale_norms.iter().zip(&measures))
            .map(|(norm, measure)| NormTable::new(norm, measure, min, max))
            .collect();
        let target_scales: Vec<usize> = profile
            .value
            .targets
            .iter()
            .filter_map(|t| q.scale_index(&t.scale))
            .collect();
        let placements = (profile.value.targets.iter().zip(&target_scales))
            .map(|(target, &s)| {
                let table: &Option<NormTable> = &tables[s];
                let place = |n: &NormedScore| Placement::of(&attribute_score(n), target);
                table
                    .as_ref()
                    .map(|t| t.entries().iter().map(place).collect())
            })
            .collect();
        let evidence = Evidence::of(&norm_set.value, group, &profile.value);
        let provenance = Provenance {
            engine: ENGINE.to_string(),
            questionnaire: questionnaire.record,
            norms: norm_set.record,
            norm_group: group.id.clone(),
            profile: profile.record,
            options: Options {
                norm_group: Some(group.id.clone()),
                min_answered_share: Some(min_share),
                confidence: options.confidence,
            },
            norms_notice: norm_set
                .value
                .provisional
                .then(|| PROVISIONAL_NOTICE.to_string()),
        };
        let misfit = Misfit::new(
            (scale_norms.iter().enumerate())
                .map(|(s, norm)| ItemModel::of(norm, q.scale_items(s).len())),
        );
        Ok(Assessment {
            misfit,
            impression_scale: q
                .scales()
                .iter()
                .position(|s| s.kind == ScaleKind::Impression),
            questionnaire: q,
            norms: scale_norms,
            tables,
            profile: profile.value,
            target_scales,
            placements,
            measures,
            min_share,
            provenance,
            evidence,
            unchecked: OnceLock::new(),
        })
    }

    /// Records that the response file has no column for the attention or
    /// impression items `ids` (the user chose to score it all the same), so
    /// that every result says which validity checks were not possible.
    ///
    /// The header is read after the assessment is built (the reader borrows
    /// its questionnaire), hence a cell set once; later calls change nothing.
    pub fn note_missing_validity_items(&self, ids: &[String]) {
        let q = &self.questionnaire;
        let flags = ids
            .iter()
            .filter_map(|id| q.items().iter().find(|i| &i.id == id))
            .map(|item| {
                let check = match item.role {
                    ItemRole::Attention { .. } => "attention item",
                    ItemRole::Scored { .. } => "impression-management item",
                };
                format!(
                    "validity check not possible: no column for {check} {}",
                    item.id
                )
            })
            .collect();
        let _ = self.unchecked.set(flags);
    }

    /// The questionnaire in use.
    pub fn questionnaire(&self) -> &Questionnaire {
        &self.questionnaire
    }
    /// The profile in use.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }
    /// What produced the results.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
    /// What the results rest on.
    pub fn evidence(&self) -> &Evidence {
        &self.evidence
    }
    /// The norm of scale `index` in the group in use.
    pub fn norm(&self, index: usize) -> &ScaleNorm {
        &self.norms[index]
    }

    /// Assesses one candidate; `answers` has one entry per item in presentation
    /// order, on the response scale; `seconds` is the time taken, if known.
    pub fn assess(
        &self,
        id: &str,
        row: u64,
        answers: &[Answer],
        seconds: Option<f64>,
    ) -> CandidateResult {
        let mut result = CandidateResult::default();
        self.assess_into(id, row, answers, seconds, &mut result);
        result
    }

    /// [`Self::assess`] into `out`, overwriting all of it but reusing its
    /// buffers: assessing candidate after candidate into one result
    /// allocates nothing for a valid candidate.
    pub fn assess_into(
        &self,
        id: &str,
        row: u64,
        answers: &[Answer],
        seconds: Option<f64>,
        out: &mut CandidateResult,
    ) {
        let q = &self.questionnaire;
        out.id.clear();
        out.id.push_str(id);
        out.name.clear();
        out.row = row;
        Halves::of_every_scale(q, answers, |halves| {
            self.score_scales(halves, &mut out.scales);
            let misfit = Some(&self.misfit);
            validity::indices_from(
                q,
                answers,
                halves,
                seconds,
                misfit,
                &mut out.validity.indices,
            );
            let scales = &out.scales;
            let placements = (self.target_scales.iter().enumerate())
                .map(|(t, &s)| self.placement(t, &halves[s], &scales[s]));
            fit::fit_into(&self.profile, placements, &mut out.fit);
        });
        let impression_sten = self
            .impression_scale
            .and_then(|i| out.scales[i].normed.as_ref().map(|n| n.sten));
        validity::judge_into(q, impression_sten, q.validity(), &mut out.validity);
        let invalid = out.validity.status == Status::Invalid;
        if invalid {
            out.fit.band = None;
        }
        out.recommendable = !invalid && out.fit.score.is_some();
        self.flags(&out.scales, &out.fit, &mut out.flags);
    }

    /// Raw and normed scores of every scale from its `halves` into `out`, one per scale.
    fn score_scales(&self, halves: &[Halves], out: &mut Vec<ScaleResult>) {
        let q = &self.questionnaire;
        let (min, max) = (q.response_scale().min, q.response_scale().max);
        out.resize_with(q.scales().len(), ScaleResult::default);
        for (s, (scale, result)) in q.scales().iter().zip(out.iter_mut()).enumerate() {
            let raw = halves[s].raw_score(q.scale_keys(s).len(), self.min_share);
            if result.scale != scale.id {
                result.scale.clone_from(&scale.id);
            }
            result.answered = raw.answered;
            result.items = raw.items;
            result.raw = raw.raw;
            result.pomp = raw.raw.map(|r| scoring::pomp(r, min, max));
            // Copied straight from the table into the result: through a
            // temporary `Option`, the copy of 144 bytes was made twice.
            let table = self.tables[s].as_ref();
            match (raw.raw, table.and_then(|t| t.get(raw.sum, raw.answered))) {
                (None, _) => result.normed = None,
                (Some(_), Some(normed)) => norms::copy_into(normed, &mut result.normed),
                (Some(r), None) => {
                    let normed = norms::normed(&self.norms[s], r, raw.answered, &self.measures[s]);
                    result.normed = Some(normed);
                }
            }
        }
    }

    /// Where target `t` places a scale scored as `scale` from `halves`:
    /// looked up when its norm table has the score, else computed.
    fn placement(&self, t: usize, halves: &Halves, scale: &ScaleResult) -> Option<Placement> {
        let normed = scale.normed.as_ref()?;
        let s = self.target_scales[t];
        let table = self.tables[s].as_ref();
        let index = table.and_then(|table| table.index(halves.sum(), halves.answered()));
        let looked_up = index.and_then(|i| self.placements[t].as_ref()?.get(i));
        let target = &self.profile.targets[t];
        Some(
            looked_up
                .copied()
                .unwrap_or_else(|| Placement::of(&attribute_score(normed), target)),
        )
    }

    fn flags(&self, scales: &[ScaleResult], fit: &Fit, flags: &mut Vec<String>) {
        let q = &self.questionnaire;
        flags.clear();
        for (scale, result) in q.scales().iter().zip(scales) {
            if result.raw.is_none() {
                flags.push(format!(
                    "{} not scored: {} of {} items answered",
                    scale.name, result.answered, result.items
                ));
            }
        }
        for (target, (attribute, &index)) in self
            .profile
            .targets
            .iter()
            .zip(fit.attributes.iter().zip(&self.target_scales))
        {
            if attribute.below_minimum {
                let sten = scales[index].normed.map_or(0, |n| n.sten);
                flags.push(format!(
                    "{} below the role's minimum (sten {sten}, minimum {})",
                    q.scales()[index].name,
                    target.minimum.unwrap_or_default()
                ));
            }
        }
        flags.extend(self.unchecked.get().into_iter().flatten().cloned());
        if fit.score.is_none() {
            flags.push(format!(
                "no fit: {} attribute(s) missing ({}), at most {} allowed",
                fit.missing.len(),
                fit.missing.join(", "),
                self.profile.max_missing
            ));
        }
    }
}

/// What fit needs of a normed score.
fn attribute_score(normed: &NormedScore) -> AttributeScore {
    AttributeScore {
        sten_continuous: normed.sten_continuous,
        sten: normed.sten,
        sten_interval: normed.sten_interval,
        fit_sten_interval: normed.fit_sten_interval,
    }
}
