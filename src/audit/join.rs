//! Joining the results with the group file and sorting each candidate into
//! audited (with fit and selection) or excluded (with the reason), so that
//! every candidate of the results is accounted for in [`Counts`].

use std::borrow::Cow;
use std::collections::HashSet;

use crate::ingest::duplicate::key;

use super::error::AuditError;
use super::flags::Status;
use super::groups::GroupFile;
use super::results::{Results, ScoredRecord};
use super::selection::Selection;
use super::table::Entry;
use super::{AuditOptions, Counts, Exclusion, ExclusionReason};

/// Each candidate's group values (one per group column), entry (`None` =
/// excluded) and validity status (`None` when unreadable).
pub(super) type Member<'a> = (Vec<Option<&'a str>>, Option<Entry>, Option<Status>);

/// The candidates sorted and counted.
pub(super) struct Joined<'a> {
    pub members: Vec<Member<'a>>,
    pub counts: Counts,
    pub exclusions: Vec<Exclusion>,
}

/// Resolves every wanted field, then classifies every candidate.
pub(super) fn join<'a>(
    results: &'a Results,
    group_file: Option<&'a GroupFile>,
    options: &AuditOptions,
) -> Result<Joined<'a>, AuditError> {
    let groups = options.groups().len();
    let sources: Vec<FieldSource> = options
        .wanted_fields()
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let role = if i < groups {
                "group column"
            } else {
                "selection field"
            };
            resolve(field, i, role, results, group_file)
        })
        .collect::<Result<_, _>>()?;
    let mut joined = Joined {
        members: Vec::with_capacity(results.records.len()),
        counts: Counts {
            records: results.records.len() as u64,
            ..Counts::default()
        },
        exclusions: Vec::new(),
    };
    for record in &results.records {
        let keys: Vec<Option<&str>> = sources[..groups]
            .iter()
            .map(|&s| value(s, record, group_file))
            .collect();
        let selection_value = sources
            .get(groups)
            .and_then(|&s| value(s, record, group_file));
        let status = Status::parse(&record.status);
        match classify(record, options.selection(), selection_value) {
            Ok(entry) => {
                joined.counts.audited += 1;
                joined.members.push((keys, Some(entry), status));
            }
            Err(exclusion) => {
                count_exclusion(&mut joined.counts, exclusion.reason);
                joined.exclusions.push(exclusion);
                joined.members.push((keys, None, status));
            }
        }
    }
    if let Some(g) = group_file {
        joined.counts.without_group_record =
            Some(results.records.iter().filter(|r| !g.has(&r.id)).count() as u64);
        let ids: HashSet<Cow<str>> = results.records.iter().map(|r| key(&r.id)).collect();
        joined.counts.group_records_without_result =
            Some(g.ids().filter(|id| !ids.contains(*id)).count() as u64);
    }
    Ok(joined)
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
