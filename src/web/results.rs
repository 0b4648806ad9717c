//! The assessor's results: the ranked shortlist and each candidate's
//! report (the HTML report pages of `score --format html --out`), a
//! comparison of 2–8 candidates (that of `compare --format html`), the
//! results and the answers as CSV files, and the scoring of an uploaded
//! response file. All of them come from [`super::export`]: the campaign's
//! answers written as a response file and scored as `score` scores one.

use std::collections::BTreeMap;
use std::io::{self, Write};

use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::assessor::{find, put_flash, roles, take_flash, Uploaded};
use super::auth::Assessor;
use super::export::{assessment, score_file, write_responses};
use super::pages::{self, Upload};
use super::store::Campaign;
use super::{AppState, Flash, WebError};
use crate::assessment::{Assessment, Options};
use crate::batch::Batch;
use crate::compare::{self, MAX_CANDIDATES, MIN_CANDIDATES};
use crate::ingest::duplicate::key;
use crate::report::{self, Format, InputRecord, PageSink, Run};

/// Pages kept in memory, by relative name.
#[derive(Debug, Default)]
struct MemorySink(BTreeMap<String, Vec<u8>>);

impl PageSink for MemorySink {
    fn page(
        &mut self,
        name: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.0.insert(name.to_string(), bytes);
        Ok(())
    }
}

fn internal(e: impl std::fmt::Display) -> WebError {
    WebError::Internal(e.to_string())
}

/// The campaign's submitted answers as a response file.
async fn responses(state: &AppState, campaign: &Campaign) -> Result<Vec<u8>, WebError> {
    let submitted = state.store.submitted(Some(&campaign.spec.id)).await?;
    let mut bytes = Vec::new();
    write_responses(&mut bytes, &*state.questionnaire(campaign)?, &submitted).map_err(internal)?;
    Ok(bytes)
}

/// The campaign scored: its assessment, the batch and the input's record.
async fn scored(state: &AppState, id: &str) -> Result<(Assessment, Batch, InputRecord), WebError> {
    let campaign = find(state, id).await?;
    let bytes = responses(state, &campaign).await?;
    let assessment = assessment(&campaign).map_err(internal)?;
    let (batch, input) =
        score_file(&assessment, &bytes, &file_name(&campaign)).map_err(internal)?;
    Ok((assessment, batch, input))
}

fn file_name(campaign: &Campaign) -> String {
    format!("campaign-{}.csv", campaign.spec.id)
}

/// The report pages of campaign `id`.
async fn site(state: &AppState, id: &str) -> Result<MemorySink, WebError> {
    let (assessment, batch, input) = scored(state, id).await?;
    let run = Run {
        assessment: &assessment,
        input: &input,
    };
    let mut sink = MemorySink::default();
    let mut writer = Format::Html
        .site_writer(&mut sink)
        .ok_or_else(|| internal("no HTML site writer"))?;
    report::write_all(writer.as_mut(), &run, &batch).map_err(internal)?;
    drop(writer);
    Ok(sink)
}

/// `GET /campaigns/{id}/report/`: the ranked shortlist.
pub async fn index(
    State(state): State<AppState>,
    _a: Assessor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let mut site = site(&state, &id).await?;
    let page = site.0.remove("index.html").ok_or(WebError::NotFound)?;
    Ok(html(page))
}

/// `GET /campaigns/{id}/report/candidates/{page}`: one candidate's report.
pub async fn candidate_page(
    State(state): State<AppState>,
    _a: Assessor,
    Path((id, page)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let mut site = site(&state, &id).await?;
    let page = site
        .0
        .remove(&format!("{}/{page}", report::CANDIDATE_FOLDER))
        .ok_or(WebError::NotFound)?;
    Ok(html(page))
}

fn html(bytes: Vec<u8>) -> Response {
    Html(String::from_utf8_lossy(&bytes).into_owned()).into_response()
}

/// `GET /campaigns/{id}/compare?id=A&id=B…`: 2 to 8 candidates side by side.
pub async fn compare(
    State(state): State<AppState>,
    _a: Assessor,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let wanted: Vec<String> = query
        .into_iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| v)
        .collect();
    if !(MIN_CANDIDATES..=MAX_CANDIDATES).contains(&wanted.len()) {
        return Err(WebError::BadRequest(format!(
            "{} candidate(s) ticked; tick {MIN_CANDIDATES} to {MAX_CANDIDATES} submitted candidates to compare",
            wanted.len()
        )));
    }
    let (assessment, batch, input) = scored(&state, &id).await?;
    let chosen = wanted
        .iter()
        .map(|w| {
            let found = batch.results.iter().find(|r| key(&r.id) == key(w));
            found
                .cloned()
                .ok_or_else(|| WebError::BadRequest(format!("'{w}' has no scored questionnaire")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let comparison =
        compare::compare(&assessment, chosen).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let run = Run {
        assessment: &assessment,
        input: &input,
    };
    let mut bytes = Vec::new();
    let mut writer = Format::Html.writer(&mut bytes);
    writer.comparison(&run, &comparison).map_err(internal)?;
    drop(writer);
    Ok(html(bytes))
}

fn attachment(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /campaigns/{id}/results.csv`: the results as `score`'s CSV.
pub async fn results_csv(
    State(state): State<AppState>,
    _a: Assessor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (assessment, batch, input) = scored(&state, &id).await?;
    let run = Run {
        assessment: &assessment,
        input: &input,
    };
    let mut bytes = Vec::new();
    let mut writer = Format::Csv.writer(&mut bytes);
    report::write_all(writer.as_mut(), &run, &batch).map_err(internal)?;
    drop(writer);
    Ok(attachment(bytes, "results.csv"))
}

/// `GET /campaigns/{id}/responses.csv`: the answers, as `servicefit export` writes them.
pub async fn responses_csv(
    State(state): State<AppState>,
    _a: Assessor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let campaign = find(&state, &id).await?;
    let bytes = responses(&state, &campaign).await?;
    Ok(attachment(bytes, &file_name(&campaign)))
}

/// `GET /upload`: the form to score a file.
pub async fn upload_page(State(state): State<AppState>, assessor: Assessor) -> Response {
    let (csrf, shown) = assessor.guard(&state);
    pages::render(&Upload {
        assessor: assessor.name,
        csrf,
        shown,
        roles: roles(),
    })
}

/// `POST /upload`: scores the file as `score --format html` would; the
/// report is kept in memory for this session only, never stored.
pub async fn upload(
    State(state): State<AppState>,
    assessor: Assessor,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let upload = Uploaded::read(multipart).await?;
    upload.check(&state, &assessor)?;
    let role = upload.field("role").unwrap_or("");
    if crate::builtin::profile_text(role).is_err() {
        return Err(WebError::BadRequest(format!("no built-in role '{role}'")));
    }
    let assessment = crate::builtin::assessment(role, Options::default()).map_err(internal)?;
    let name = upload.file_name.clone();
    let (batch, input) = score_file(&assessment, &upload.file, &name)
        .map_err(|e| WebError::BadRequest(format!("{name}: {e}")))?;
    let run = Run {
        assessment: &assessment,
        input: &input,
    };
    let mut bytes = Vec::new();
    let mut writer = Format::Html.writer(&mut bytes);
    report::write_all(writer.as_mut(), &run, &batch).map_err(internal)?;
    drop(writer);
    put_flash(&state, &assessor.session, Flash::Report(bytes));
    Ok(Redirect::to("/upload/report").into_response())
}

/// `GET /upload/report`: the report of the last file this session uploaded.
pub async fn upload_report(
    State(state): State<AppState>,
    assessor: Assessor,
) -> Result<Response, WebError> {
    match take_flash(&state, &assessor.session) {
        Some(Flash::Report(bytes)) => {
            put_flash(&state, &assessor.session, Flash::Report(bytes.clone()));
            Ok(html(bytes))
        }
        _ => Ok(Redirect::to("/upload").into_response()),
    }
}
