//! Fairness audit of scored results: selection rates, impact ratios and the
//! four-fifths flag, significance tests, the scoring-rate variant of bias
//! audits, intersectional groups, small-group marking and Cohen's d.
//!
//! The input is what `score` wrote ([`results::Results`]), joined, when the
//! group values are not in it, with a separate group file
//! ([`groups::GroupFile`]) — group data serve the audit only; scoring never
//! reads them. [`audit`] computes; [`report`] writes. Nothing here prints,
//! reads a clock or decides what is lawful: the output states figures, the
//! rule used and the limits of the figures. Definitions and sources:
//! `docs/METHOD.md` §10, "Fairness audit".

mod error;
pub mod flags;
pub mod groups;
mod join;
mod options;
pub mod order;
pub mod report;
pub mod results;
mod results_json;
pub mod selection;
pub mod stats;
pub mod table;

use std::collections::BTreeMap;

use serde::Serialize;

pub use self::error::AuditError;
use self::groups::GroupFile;
use self::join::{Joined, Member};
pub use self::options::{AuditOptions, DEFAULT_AUDIT_CONFIDENCE};
use self::results::{Results, ResultsFormat, ResultsProvenance};
use self::selection::Selection;
use self::table::{GroupTable, Sample, Tally};
use crate::provenance::ENGINE;

/// A file the audit read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceFile {
    /// Its name as given (`-` for stdin).
    pub name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The results' format, for the results file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<ResultsFormat>,
    /// The id column, for the group file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
}

/// Why a candidate is left out of the rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// Validity status `invalid`: score withheld the recommendation.
    InvalidResponses,
    /// No fit score (too many attributes missing).
    NoFitScore,
    /// The fit cell is not a number.
    UnreadableFit,
    /// The selection column or rule field holds a value that cannot be read.
    UnreadableSelection,
}

/// One candidate left out, for the CLI to list (never written into audit outputs: ids are personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// Line of the results file.
    pub line: u64,
    /// Candidate id.
    pub id: String,
    /// Why.
    pub reason: ExclusionReason,
    /// The unreadable value, if that is the reason.
    pub value: Option<String>,
}

/// How every candidate of the results was accounted for.
/// `records = audited + invalid_responses + no_fit_score + unreadable_fit + unreadable_selection`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Candidates in the results.
    pub records: u64,
    /// In the rates.
    pub audited: u64,
    /// Left out: invalid responses.
    pub invalid_responses: u64,
    /// Left out: no fit score.
    pub no_fit_score: u64,
    /// Left out: fit not a number.
    pub unreadable_fit: u64,
    /// Left out: selection value not readable.
    pub unreadable_selection: u64,
    /// Candidates with no row in the group file (their groups are missing).
    pub without_group_record: Option<u64>,
    /// Group-file rows matching no candidate of the results.
    pub group_records_without_result: Option<u64>,
}

/// The whole audit, ready to write in any format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    /// Engine that computed the audit.
    pub engine: String,
    /// The audit date the user gave; no clock is read.
    pub date: Option<String>,
    /// The results file audited.
    pub results: SourceFile,
    /// What produced the results, as recorded in or beside them.
    pub results_provenance: Option<ResultsProvenance>,
    /// The group file, if one was joined.
    pub group_file: Option<SourceFile>,
    /// The group columns.
    pub groups: Vec<String>,
    /// The selection definition.
    pub selection: Selection,
    /// The same in words.
    pub selection_rule: String,
    /// The rules applied, in words.
    pub rules: Vec<String>,
    /// How every candidate was accounted for.
    pub counts: Counts,
    /// Median fit of all audited candidates (the scoring-rate cut).
    pub median_fit: Option<f64>,
    /// One table per group column, then the intersection.
    pub tables: Vec<GroupTable>,
    /// What the figures cannot tell.
    pub limitations: Vec<String>,
    /// Candidates left out, for the CLI's messages; not serialised.
    #[serde(skip)]
    pub exclusions: Vec<Exclusion>,
}

/// Computes the audit of `results` (with group values from `group_file`
/// where the results lack the column) under `options`.
///
/// `results` must have been read with [`AuditOptions::wanted_fields`].
///
/// # Errors
/// [`AuditError::UnknownField`] when a group column or the selection's field
/// is in neither file.
pub fn audit(
    results: &Results,
    group_file: Option<&GroupFile>,
    options: &AuditOptions,
) -> Result<Audit, AuditError> {
    let Joined {
        members,
        counts,
        exclusions,
    } = join::join(results, group_file, options)?;
    let fits: Vec<f64> = members
        .iter()
        .filter_map(|(_, e, _)| e.map(|e| e.fit))
        .collect();
    let median_fit = stats::median(&fits);
    let tables: Vec<GroupTable> = groupings(options.groups().len())
        .into_iter()
        .map(|columns| {
            let sample = Sample {
                total: counts.audited,
                median: median_fit,
                level: options.confidence(),
                critical: options.critical_value(),
            };
            table_for(&columns, options, &members, sample)
        })
        .collect();
    let selection_rule = options.selection().describe();
    Ok(Audit {
        engine: ENGINE.to_string(),
        date: options.date().map(String::from),
        results: SourceFile {
            name: results.name.clone(),
            sha256: results.sha256.clone(),
            format: Some(results.format),
            on: None,
        },
        limitations: report::limitations(&tables, results.provenance.as_ref()),
        rules: report::rules(
            &selection_rule,
            median_fit,
            counts.audited,
            options.confidence(),
        ),
        results_provenance: results.provenance.clone(),
        group_file: group_file.map(|g| SourceFile {
            name: g.name.clone(),
            sha256: g.sha256.clone(),
            format: None,
            on: Some(g.on.clone()),
        }),
        groups: options.groups().to_vec(),
        selection: options.selection().clone(),
        selection_rule,
        counts,
        median_fit,
        tables,
        exclusions,
    })
}

/// Each column alone, then all of them together when there are several.
fn groupings(columns: usize) -> Vec<Vec<usize>> {
    let mut groupings: Vec<Vec<usize>> = (0..columns).map(|c| vec![c]).collect();
    if columns > 1 {
        groupings.push((0..columns).collect());
    }
    groupings
}

/// Separator of the values of an intersectional group.
pub const INTERSECTION: &str = " × ";

fn table_for(
    columns: &[usize],
    options: &AuditOptions,
    members: &[Member<'_>],
    sample: Sample,
) -> GroupTable {
    let mut known: BTreeMap<String, Tally> = BTreeMap::new();
    let mut unknown = Tally::default();
    for (keys, entry, status) in members {
        let parts: Option<Vec<&str>> = columns.iter().map(|&c| keys[c]).collect();
        match parts {
            Some(parts) => known
                .entry(parts.join(INTERSECTION))
                .or_default()
                .add(*entry, *status),
            None => unknown.add(*entry, *status),
        }
    }
    let names = columns
        .iter()
        .map(|&c| options.groups()[c].clone())
        .collect();
    table::build(names, &known, &unknown, sample)
}

#[cfg(test)]
mod tests;
