//! Scoring a whole response file: every row read is either assessed or
//! rejected with its reasons, and the counts reconcile.

use std::io::Read;

use crate::assessment::{rank_order, Assessment, CandidateResult};
use crate::error::ReadError;
use crate::report::Summary;
use crate::response::{Rejection, ResponseReader};

/// The outcome of scoring a file.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Assessed candidates, in rank order.
    pub results: Vec<CandidateResult>,
    /// Rows that could not be scored, in file order.
    pub rejections: Vec<Rejection>,
    /// The counts; `read == scored + rejected`.
    pub summary: Summary,
}

/// Reads every row of `reader`, assesses the good ones and ranks them.
///
/// # Errors
/// [`ReadError`] only when the input cannot be read further; bad rows are
/// returned as rejections, never as errors.
pub fn score_all<R: Read>(
    reader: &mut ResponseReader<'_, R>,
    assessment: &Assessment,
) -> Result<Batch, ReadError> {
    let mut batch = Batch::default();
    while let Some(row) = reader.next_row()? {
        match row {
            Ok(response) => {
                let result = assessment.assess(&response.id, response.row, &response.answers, None);
                batch.summary.add_scored(&result);
                batch.results.push(result);
            }
            Err(rejection) => {
                batch.summary.add_rejected();
                batch.rejections.push(rejection);
            }
        }
    }
    batch.results.sort_by(rank_order);
    Ok(batch)
}
