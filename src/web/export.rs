//! The one way answers leave the database: a response file in exactly the
//! format `score` reads — `candidate_id` (the reference), one column per
//! item headed by its id, the start and submission times (ISO 8601, UTC)
//! and `Duration (in seconds)`, the time spent on the pages, which the
//! speed check of response validity reads. The server's own shortlist,
//! reports and comparisons are made by reading this file back through
//! [`crate::batch::score_all`], so they are the results `score` gives.

use std::io::{Cursor, Write};

use super::clock::iso;
use super::store::{Campaign, Submitted};
use crate::assessment::{Assessment, Options};
use crate::batch::{score_all, Batch};
use crate::data;
use crate::error::Error;
use crate::provenance::{HashingReader, InputDigest};
use crate::questionnaire::Questionnaire;
use crate::report::{csv_safe, fixed, InputRecord};
use crate::response::{ReadOptions, ResponseReader, DEFAULT_ID_COLUMN};

/// Header of the start time (one the reader recognises).
pub const STARTED_HEADER: &str = "Start time";
/// Header of the submission time.
pub const SUBMITTED_HEADER: &str = "Submitted at";
/// Header of the seconds spent.
pub const DURATION_HEADER: &str = "Duration (in seconds)";

/// Writes `responses` as a response CSV with the items of `questionnaire`.
/// References are neutralised against formula injection (as every CSV cell
/// of text this project writes); answers are numbers of the response scale.
///
/// # Errors
/// Any I/O error of `out`.
pub fn write_responses(
    out: impl Write,
    questionnaire: &Questionnaire,
    responses: &[Submitted],
) -> csv::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    let items = questionnaire.items();
    let mut header = vec![DEFAULT_ID_COLUMN];
    header.extend(items.iter().map(|i| i.id.as_str()));
    header.extend([STARTED_HEADER, SUBMITTED_HEADER, DURATION_HEADER]);
    csv.write_record(&header)?;
    for response in responses {
        let i = &response.invitation;
        let mut record = vec![csv_safe(&i.reference).into_owned()];
        record.extend(items.iter().map(|item| {
            (response.answers.get(&item.id).copied().flatten())
                .map_or_else(String::new, |v| v.to_string())
        }));
        record.push(i.consented_at.map(iso).unwrap_or_default());
        record.push(i.submitted_at.map(iso).unwrap_or_default());
        record.push(fixed(Some(response.seconds), 1));
        csv.write_record(&record)?;
    }
    csv.flush()?;
    Ok(())
}

/// The assessment of `campaign`: its own copies of the questionnaire, norms
/// and profile, at the library's default options (as `score` without options).
///
/// # Errors
/// [`Error`] when a stored file is invalid or they do not fit together.
pub fn assessment(campaign: &Campaign) -> Result<Assessment, Error> {
    let spec = &campaign.spec;
    let questionnaire =
        data::questionnaire_from_text(&spec.questionnaire.0, &spec.questionnaire.1)?;
    let norms = data::norms_from_text(&spec.norms.0, &spec.norms.1)?;
    let profile = data::profile_from_text(&spec.profile.0, &spec.profile.1)?;
    Ok(Assessment::new(
        questionnaire,
        norms,
        profile,
        Options::default(),
    )?)
}

/// Scores the response file `bytes` named `name` as `score` does with
/// default reading options.
///
/// # Errors
/// [`Error`] when the file cannot be read as a response file at all.
pub fn score_file(
    assessment: &Assessment,
    bytes: &[u8],
    name: &str,
) -> Result<(Batch, InputRecord), Error> {
    let mut reader = ResponseReader::new(
        HashingReader::new(Cursor::new(bytes)),
        assessment.questionnaire(),
        &ReadOptions::default(),
        name,
    )?;
    let batch = score_all(&mut reader, assessment)?;
    let (sha256, bytes) = reader.input().digest();
    Ok((
        batch,
        InputRecord {
            name: name.to_string(),
            sha256,
            bytes,
        },
    ))
}

/// Why answers could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] super::store::StoreError),
    /// No campaign has this id.
    #[error("no campaign has the id '{0}'")]
    NoCampaign(String),
    /// The campaigns' questionnaires differ, so one file cannot hold them.
    #[error(
        "the campaigns use different questionnaires ({0}); export one at a time with --campaign ID"
    )]
    Mixed(String),
    /// A stored questionnaire is invalid.
    #[error(transparent)]
    Load(#[from] crate::error::LoadError),
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] csv::Error),
}

/// Writes the submitted answers of campaign `campaign_id` (of every
/// campaign for `None`) to `out` as a response file; returns how many.
/// Every campaign exported together must share one questionnaire.
///
/// # Errors
/// [`ExportError`] naming what went wrong.
pub async fn export(
    store: &super::store::Store,
    campaign_id: Option<&str>,
    out: impl Write,
) -> Result<usize, ExportError> {
    let campaigns = match campaign_id {
        Some(id) => vec![store
            .campaign(id)
            .await?
            .ok_or_else(|| ExportError::NoCampaign(id.to_string()))?],
        None => store.campaigns().await?,
    };
    let submitted = store.submitted(campaign_id).await?;
    let used: Vec<&Campaign> = campaigns
        .iter()
        .filter(|c| {
            campaign_id.is_some()
                || submitted
                    .iter()
                    .any(|s| s.invitation.campaign_id == c.spec.id)
        })
        .collect();
    let mut texts: Vec<(&str, &str)> = used
        .iter()
        .map(|c| {
            (
                c.spec.questionnaire.0.as_str(),
                c.spec.questionnaire.1.as_str(),
            )
        })
        .collect();
    texts.sort_unstable();
    texts.dedup_by(|a, b| a.0 == b.0);
    let questionnaire = match texts.as_slice() {
        [] => data::questionnaire(None)?.value,
        [(text, source)] => data::questionnaire_from_text(text, source)?.value,
        _ => {
            let ids: Vec<&str> = used.iter().map(|c| c.spec.id.as_str()).collect();
            return Err(ExportError::Mixed(format!("campaigns {}", ids.join(", "))));
        }
    };
    write_responses(out, &questionnaire, &submitted)?;
    Ok(submitted.len())
}
