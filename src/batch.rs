//! Scoring a whole response file: every row read is assessed, rejected with
//! its reasons, or superseded by a later submission of the same candidate,
//! and the counts reconcile: `read == scored + rejected + superseded`.
//!
//! Results are kept in memory to be ranked; the duplicate policy adds one map
//! entry per distinct id ([`crate::ingest::duplicate`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;

use crate::assessment::{rank_order, Assessment, CandidateResult};
use crate::error::ReadError;
use crate::ingest::duplicate::{key, DuplicatePolicy, Submission, Tracker, Verdict};
use crate::report::Summary;
use crate::response::{Rejection, Response, ResponseReader};

/// The outcome of scoring a file.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Assessed candidates, in rank order.
    pub results: Vec<CandidateResult>,
    /// Rows not scored, in row order: rejected ones and superseded ones
    /// (those have [`Rejection::superseded_by`]).
    pub rejections: Vec<Rejection>,
    /// The counts; `read == scored + rejected + superseded`.
    pub summary: Summary,
}

/// Reads every row of `reader`, assesses the good ones, applies the reader's
/// duplicate policy and ranks the results.
///
/// # Errors
/// [`ReadError`] only when the input cannot be read further; bad rows are
/// returned as rejections, never as errors.
pub fn score_all<R: Read>(
    reader: &mut ResponseReader<'_, R>,
    assessment: &Assessment,
) -> Result<Batch, ReadError> {
    let policy = reader.duplicates();
    let mut tracker = Tracker::new(policy);
    let mut kept: Vec<Option<CandidateResult>> = Vec::new();
    let mut rejections = Vec::new();
    while let Some(row) = reader.next_row()? {
        match row {
            Ok(response) => offer(
                &mut tracker,
                &mut kept,
                &mut rejections,
                assessment,
                &response,
            ),
            Err(rejection) => rejections.push(rejection),
        }
    }
    let mut results: Vec<CandidateResult> = kept.into_iter().flatten().collect();
    if policy == DuplicatePolicy::Reject {
        let candidates = results.iter().map(|r| (r.id.as_str(), r.row));
        let mut keep = reject_repeated(candidates, &mut rejections).into_iter();
        results.retain(|_| keep.next().unwrap_or(true));
    }
    rejections.sort_by_key(|r| r.row);
    results.sort_by(rank_order);
    let mut summary = Summary::default();
    results.iter().for_each(|r| summary.add_scored(r));
    for rejection in &rejections {
        match rejection.superseded_by {
            Some(_) => summary.add_superseded(),
            None => summary.add_rejected(),
        }
    }
    Ok(Batch {
        results,
        rejections,
        summary,
    })
}

fn offer(
    tracker: &mut Tracker,
    kept: &mut Vec<Option<CandidateResult>>,
    rejections: &mut Vec<Rejection>,
    assessment: &Assessment,
    response: &Response,
) {
    let submission = Submission {
        row: response.row,
        complete: response.complete,
        submitted: response.submitted,
    };
    let assess = || {
        let mut result = assessment.assess(
            &response.id,
            response.row,
            &response.answers,
            response.seconds,
        );
        result.name.push_str(&response.name);
        result
    };
    match tracker.offer(&response.id, submission, kept.len()) {
        Verdict::New => kept.push(Some(assess())),
        Verdict::Replaces { slot, row } => {
            // The row replaced keeps its own spelling of the id in its rejection.
            let id = kept[slot].as_ref().map_or(&response.id, |r| &r.id);
            rejections.push(superseded(row, id, response.row));
            kept[slot] = Some(assess());
        }
        Verdict::Superseded { by } => rejections.push(superseded(response.row, &response.id, by)),
    }
}

/// The rejection of a row superseded by row `by`.
pub(crate) fn superseded(row: u64, id: &str, by: u64) -> Rejection {
    let mut rejection = Rejection::row_problem(
        row,
        Some(id.to_string()),
        format!("superseded by row {by}: the same candidate id submitted again (duplicates policy latest)"),
    );
    rejection.superseded_by = Some(by);
    rejection
}

/// Under `reject`, every candidate whose id occurs more than once (by its
/// [`key`]) becomes a rejection: given each candidate's id and row, in
/// order, says which to keep.
pub(crate) fn reject_repeated<'a>(
    candidates: impl Iterator<Item = (&'a str, u64)> + Clone,
    rejections: &mut Vec<Rejection>,
) -> Vec<bool> {
    let mut rows: HashMap<Cow<'a, str>, Vec<u64>> = HashMap::new();
    for (id, row) in candidates.clone() {
        rows.entry(key(id)).or_default().push(row);
    }
    let repeated: HashMap<Cow<'a, str>, String> = rows
        .into_iter()
        .filter(|(_, r)| r.len() > 1)
        .map(|(id, r)| {
            let rows = r.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
            (id, rows)
        })
        .collect();
    candidates
        .map(|(id, row)| match repeated.get(&key(id)) {
            Some(rows) => {
                let reason = format!(
                    "the candidate id appears on rows {rows}; duplicates policy reject scores none of them"
                );
                rejections.push(Rejection::row_problem(row, Some(id.to_string()), reason));
                false
            }
            None => true,
        })
        .collect()
}
