//! `servicefit score --explain ID`: the step-by-step account of one candidate.

use std::io::{Read, Write};

use super::{CliError, EXIT_OK};
use servicefit::assessment::Assessment;
use servicefit::explain::explain;
use servicefit::response::ResponseReader;

/// Finds candidate `id` among the rows, assesses it and prints every step.
///
/// The first row with that id is explained; a rejected row with it is
/// reported as such, since it has no result to explain.
pub fn run<R: Read>(
    reader: &mut ResponseReader<'_, R>,
    assessment: &Assessment,
    id: &str,
) -> Result<u8, CliError> {
    while let Some(row) = reader.next_row()? {
        match row {
            Ok(response) if response.id == id => {
                let result = assessment.assess(&response.id, response.row, &response.answers, None);
                let mut out = std::io::stdout().lock();
                write!(out, "{}", explain(assessment, &response.answers, &result))?;
                out.flush()?;
                return Ok(EXIT_OK);
            }
            Err(rejection) if rejection.id.as_deref() == Some(id) => {
                let reasons: Vec<&str> = rejection
                    .problems
                    .iter()
                    .map(|p| p.reason.as_str())
                    .collect();
                return Err(format!(
                    "candidate '{id}' (row {}) was rejected, so there is no result to explain: {}",
                    rejection.row,
                    reasons.join("; ")
                )
                .into());
            }
            _ => {}
        }
    }
    Err(format!("no candidate '{id}' in the input; expected an id from its id column").into())
}
