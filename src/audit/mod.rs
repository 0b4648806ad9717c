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
//! `docs/METHOD.md`, "Fairness audit".

mod error;
pub mod groups;
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
use self::results::{Results, ResultsFormat, ResultsProvenance, ScoredRecord};
use self::selection::Selection;
use self::table::{Entry, GroupTable, Tally};
use crate::provenance::ENGINE;

/// What to audit and how.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditOptions {
    groups: Vec<String>,
    selection: Selection,
    date: Option<String>,
}

impl AuditOptions {
    /// Options for `groups` (one table per column, plus their intersection
    /// when there are several), `selection`, and the audit `date` to print.
    ///
    /// # Errors
    /// [`AuditError::Option`] when no group column is given, one is given
    /// twice, or the date is not a calendar date written YYYY-MM-DD.
    pub fn new(
        groups: Vec<String>,
        selection: Selection,
        date: Option<&str>,
    ) -> Result<AuditOptions, AuditError> {
        let distinct: std::collections::BTreeSet<&String> = groups.iter().collect();
        if groups.is_empty() || distinct.len() != groups.len() {
            return Err(AuditError::Option {
                option: "--group",
                value: groups.join(", "),
                expected: "one or more different group columns".into(),
            });
        }
        if let Some(date) = date.filter(|d| !is_date(d)) {
            return Err(AuditError::Option {
                option: "--date",
                value: date.into(),
                expected: "a date written YYYY-MM-DD, e.g. 2025-03-31".into(),
            });
        }
        Ok(AuditOptions {
            groups,
            selection,
            date: date.map(String::from),
        })
    }

    /// The fields the results must be read with: the group columns, then the selection's field.
    pub fn wanted_fields(&self) -> Vec<String> {
        let mut fields = self.groups.clone();
        fields.extend(self.selection.field().map(String::from));
        fields
    }
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let [y, m, d] = parts[..] else { return false };
    let (Some(year), Some(month), Some(day)) = (number(y, 4), number(m, 2), number(d, 2)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    (1..=days).contains(&day)
}

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
    /// Candidates with no row in the group file (their groups are `unknown`).
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

/// Where the value of a wanted field comes from.
#[derive(Debug, Clone, Copy)]
enum FieldSource {
    Results(usize),
    Groups(usize),
}

fn resolve(
    field: &str,
    index: usize,
    role: &'static str,
    results: &Results,
    group_file: Option<&GroupFile>,
) -> Result<FieldSource, AuditError> {
    if results.fields.contains(field) {
        return Ok(FieldSource::Results(index));
    }
    if let Some(column) = group_file.and_then(|g| g.column(field)) {
        return Ok(FieldSource::Groups(column));
    }
    let mut available: Vec<&str> = results.fields.iter().map(String::as_str).collect();
    let mut searched = results.name.clone();
    if let Some(g) = group_file {
        available.extend(g.columns.iter().map(String::as_str));
        searched = format!("{searched} or {}", g.name);
    }
    Err(AuditError::UnknownField {
        role,
        field: field.into(),
        searched,
        available: available.join(", "),
    })
}

fn value<'a>(
    source: FieldSource,
    record: &'a ScoredRecord,
    group_file: Option<&'a GroupFile>,
) -> Option<&'a str> {
    match source {
        FieldSource::Results(i) => record.values.get(i)?.as_deref().map(str::trim),
        FieldSource::Groups(c) => group_file?.value(&record.id, c),
    }
    .filter(|v| !v.is_empty())
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
    let wanted = options.wanted_fields();
    let sources: Vec<FieldSource> = wanted
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let role = if i < options.groups.len() {
                "group column"
            } else {
                "selection field"
            };
            resolve(field, i, role, results, group_file)
        })
        .collect::<Result<_, _>>()?;
    let mut counts = Counts {
        records: results.records.len() as u64,
        ..Counts::default()
    };
    let mut exclusions = Vec::new();
    let mut members: Vec<(Vec<Option<&str>>, Option<Entry>)> = Vec::new();
    for record in &results.records {
        let keys: Vec<Option<&str>> = sources[..options.groups.len()]
            .iter()
            .map(|&s| value(s, record, group_file))
            .collect();
        let selection_value = sources
            .get(options.groups.len())
            .and_then(|&s| value(s, record, group_file));
        let entry = classify(record, &options.selection, selection_value);
        match &entry {
            Ok(e) => {
                counts.audited += 1;
                members.push((keys, Some(*e)));
            }
            Err(exclusion) => {
                count_exclusion(&mut counts, exclusion.reason);
                exclusions.push(exclusion.clone());
                members.push((keys, None));
            }
        }
    }
    if let Some(g) = group_file {
        counts.without_group_record =
            Some(results.records.iter().filter(|r| !g.has(&r.id)).count() as u64);
        let ids: std::collections::HashSet<&str> =
            results.records.iter().map(|r| r.id.trim()).collect();
        counts.group_records_without_result =
            Some(g.ids().filter(|id| !ids.contains(id)).count() as u64);
    }
    let fits: Vec<f64> = members
        .iter()
        .filter_map(|(_, e)| e.map(|e| e.fit))
        .collect();
    let median_fit = stats::median(&fits);
    let tables: Vec<GroupTable> = groupings(options.groups.len())
        .into_iter()
        .map(|columns| table_for(&columns, options, &members, counts.audited, median_fit))
        .collect();
    let selection_rule = options.selection.describe();
    Ok(Audit {
        engine: ENGINE.to_string(),
        date: options.date.clone(),
        results: SourceFile {
            name: results.name.clone(),
            sha256: results.sha256.clone(),
            format: Some(results.format),
            on: None,
        },
        limitations: report::limitations(&tables, results.provenance.as_ref()),
        rules: report::rules(&selection_rule, median_fit, counts.audited),
        results_provenance: results.provenance.clone(),
        group_file: group_file.map(|g| SourceFile {
            name: g.name.clone(),
            sha256: g.sha256.clone(),
            format: None,
            on: Some(g.on.clone()),
        }),
        groups: options.groups.clone(),
        selection: options.selection.clone(),
        selection_rule,
        counts,
        median_fit,
        tables,
        exclusions,
    })
}

fn classify(
    record: &ScoredRecord,
    selection: &Selection,
    value: Option<&str>,
) -> Result<Entry, Exclusion> {
    let exclusion = |reason, value: Option<String>| Exclusion {
        line: record.line,
        id: record.id.clone(),
        reason,
        value,
    };
    let fit = match (&record.fit, record.status.as_str()) {
        (Err(text), _) => {
            return Err(exclusion(
                ExclusionReason::UnreadableFit,
                Some(text.clone()),
            ))
        }
        (_, "invalid") => return Err(exclusion(ExclusionReason::InvalidResponses, None)),
        (Ok(Some(fit)), _) if record.recommendable => *fit,
        _ => return Err(exclusion(ExclusionReason::NoFitScore, None)),
    };
    let selected = selection
        .decide(fit, record.band.as_deref(), value)
        .map_err(|v| exclusion(ExclusionReason::UnreadableSelection, Some(v)))?;
    Ok(Entry { fit, selected })
}

fn count_exclusion(counts: &mut Counts, reason: ExclusionReason) {
    match reason {
        ExclusionReason::InvalidResponses => counts.invalid_responses += 1,
        ExclusionReason::NoFitScore => counts.no_fit_score += 1,
        ExclusionReason::UnreadableFit => counts.unreadable_fit += 1,
        ExclusionReason::UnreadableSelection => counts.unreadable_selection += 1,
    }
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
    members: &[(Vec<Option<&str>>, Option<Entry>)],
    total: u64,
    median: Option<f64>,
) -> GroupTable {
    let mut known: BTreeMap<String, Tally> = BTreeMap::new();
    let mut unknown = Tally::default();
    for (keys, entry) in members {
        let parts: Option<Vec<&str>> = columns.iter().map(|&c| keys[c]).collect();
        match parts {
            Some(parts) => known
                .entry(parts.join(INTERSECTION))
                .or_default()
                .add(*entry),
            None => unknown.add(*entry),
        }
    }
    let names = columns.iter().map(|&c| options.groups[c].clone()).collect();
    table::build(names, &known, &unknown, total, median)
}

#[cfg(test)]
mod tests;
