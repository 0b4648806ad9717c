//! `servicefit score --explain ID`: the step-by-step account of one candidate.
//!
//! The row explained is the one `score` keeps under the duplicates policy in
//! force (the same [`Tracker`] decides), assessed exactly as `score` assesses it.

use std::io::{Read, Write};

use super::{CliError, EXIT_OK};
use servicefit::assessment::Assessment;
use servicefit::explain::explain;
use servicefit::ingest::duplicate::{key, DuplicatePolicy, Submission, Tracker, Verdict};
use servicefit::response::{Rejection, Response, ResponseReader};

/// Finds candidate `id` among the rows, assesses it and prints every step.
pub fn run<R: Read>(
    reader: &mut ResponseReader<'_, R>,
    assessment: &Assessment,
    id: &str,
) -> Result<u8, CliError> {
    let policy = reader.duplicates();
    // The candidate is found as duplicates are: ` Ann@Example.com` is ann@example.com.
    let wanted = key(id);
    let mut matches: Vec<Response> = Vec::new();
    let mut rejected: Option<Rejection> = None;
    while let Some(row) = reader.next_row()? {
        match row {
            Ok(response) if key(&response.id) == wanted => matches.push(response),
            Err(rejection) if rejection.id.as_deref().map(key).as_ref() == Some(&wanted) => {
                rejected.get_or_insert(rejection);
            }
            _ => {}
        }
    }
    if matches.is_empty() {
        return Err(match rejected {
            Some(r) => {
                let reasons: Vec<&str> = r.problems.iter().map(|p| p.reason.as_str()).collect();
                format!(
                    "candidate '{id}' (row {}) was rejected, so there is no result to explain: {}",
                    r.row,
                    reasons.join("; ")
                )
            }
            None => format!("no candidate '{id}' in the input; expected an id from its id column"),
        }
        .into());
    }
    if policy == DuplicatePolicy::Reject && matches.len() > 1 {
        let rows: Vec<String> = matches.iter().map(|r| r.row.to_string()).collect();
        return Err(format!(
            "candidate '{id}' appears on rows {}; duplicates policy reject scores none of them",
            rows.join(", ")
        )
        .into());
    }
    let mut out = std::io::stdout().lock();
    for (n, response) in kept(policy, &matches).into_iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let result = assessment.assess(
            &response.id,
            response.row,
            &response.answers,
            response.seconds,
        );
        write!(out, "{}", explain(assessment, &response.answers, &result))?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// The rows `score` keeps of `matches` (all of one id), in row order.
fn kept(policy: DuplicatePolicy, matches: &[Response]) -> Vec<&Response> {
    let mut tracker = Tracker::new(policy);
    let mut kept: Vec<&Response> = Vec::new();
    for response in matches {
        let submission = Submission {
            row: response.row,
            complete: response.complete,
            submitted: response.submitted,
        };
        match tracker.offer(&response.id, submission, kept.len()) {
            Verdict::New => kept.push(response),
            Verdict::Replaces { slot, .. } => kept[slot] = response,
            Verdict::Superseded { .. } => {}
        }
    }
    kept
}
