//! The assessor's pages about campaigns and invitations: create a campaign,
//! invite candidates (one by one or from a CSV), follow who has started and
//! finished, delete one candidate's data, purge old data. Every handler
//! takes an [`Assessor`], so none answers without a session; every post
//! checks its CSRF token and answers `303 See Other`.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::auth::{Assessor, Guarded};
use super::clock::{self, iso};
use super::invite::{self, candidates_from_csv, candidates_from_lines, Candidate, InviteSpec};
use super::pages::{self, CampaignPage, CampaignRow, Campaigns, InvitationRow};
use super::store::Campaign;
use super::{AppState, Flash, WebError};
use crate::builtin;

/// `GET /`: the campaigns, or the login page.
pub async fn home(_assessor: Assessor) -> Redirect {
    Redirect::to("/campaigns")
}

/// The built-in roles: (id, one-line summary).
pub fn roles() -> Vec<(String, String)> {
    builtin::PROFILES
        .iter()
        .filter_map(|(id, _)| {
            builtin::profile(id)
                .ok()
                .map(|p| (id.to_string(), p.summary))
        })
        .collect()
}

/// Query of the campaigns page.
#[derive(Debug, Deserialize)]
pub struct CampaignsQuery {
    purged: Option<u64>,
}

/// `GET /campaigns`.
pub async fn campaigns(
    State(state): State<AppState>,
    assessor: Assessor,
    Query(query): Query<CampaignsQuery>,
) -> Result<Response, WebError> {
    let campaigns = state.store.campaigns().await?;
    let (csrf, shown) = assessor.guard(&state);
    Ok(pages::render(&Campaigns {
        assessor: assessor.name,
        csrf,
        shown,
        campaigns: campaigns.iter().map(row).collect(),
        roles: roles(),
        note: query
            .purged
            .map(|n| format!("Deleted {n} invitation(s) and their answers.")),
    }))
}

fn version(text: &str, source: &str) -> String {
    #[derive(Deserialize)]
    struct Named {
        id: Option<String>,
        version: Option<String>,
    }
    let named: Option<Named> = serde_json::from_str(text).ok();
    let (id, version) = named.map_or((None, None), |n| (n.id, n.version));
    format!(
        "{} {} ({source})",
        id.unwrap_or_else(|| "?".into()),
        version.unwrap_or_default()
    )
}

fn row(c: &Campaign) -> CampaignRow {
    CampaignRow {
        id: c.spec.id.clone(),
        name: c.spec.name.clone(),
        role: c.spec.role_id.clone(),
        questionnaire: version(&c.spec.questionnaire.0, &c.spec.questionnaire.1),
        norms: version(&c.spec.norms.0, &c.spec.norms.1),
        created: iso(c.created_at),
    }
}

/// Fields of the new-campaign form.
#[derive(Debug, Deserialize)]
pub struct CampaignForm {
    csrf: String,
    shown: i64,
    name: String,
    role: String,
    retention_days: i64,
}

/// `POST /campaigns`: only built-in roles can be chosen here (a profile
/// file is for `servicefit invite --role FILE`).
pub async fn add_campaign(
    State(state): State<AppState>,
    assessor: Assessor,
    Form(form): Form<CampaignForm>,
) -> Result<Response, WebError> {
    assessor.check(&state, &form.csrf, form.shown)?;
    if builtin::profile_text(&form.role).is_err() {
        return Err(WebError::BadRequest(format!(
            "no built-in role '{}'",
            form.role
        )));
    }
    let spec = invite::new_campaign(&form.role, &form.name, form.retention_days)?;
    let campaign = invite::add_campaign(&state.store, spec).await?;
    Ok(Redirect::to(&format!("/campaigns/{}", campaign.spec.id)).into_response())
}

/// The campaign `id`, or 404.
pub async fn find(state: &AppState, id: &str) -> Result<Campaign, WebError> {
    state.store.campaign(id).await?.ok_or(WebError::NotFound)
}

/// `GET /campaigns/{id}`: progress, invitation links just made, forms.
pub async fn campaign(
    State(state): State<AppState>,
    assessor: Assessor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let campaign = find(&state, &id).await?;
    let progress = state.store.progress(&id).await?;
    let (links, problems) = match take_flash(&state, &assessor.session) {
        Some(Flash::Links(links, problems)) => (links, problems),
        _ => (Vec::new(), Vec::new()),
    };
    let now = clock::now();
    let rows: Vec<InvitationRow> = progress
        .iter()
        .map(|p| {
            let i = &p.invitation;
            InvitationRow {
                id: i.id.clone(),
                reference: i.reference.clone(),
                name: i.name.clone(),
                status: match (i.submitted_at, i.consented_at) {
                    (Some(_), _) => "submitted",
                    (None, Some(_)) => "started",
                    (None, None) if i.expires_at <= now => "expired",
                    (None, None) => "invited",
                },
                submitted: i.submitted_at.is_some(),
                expires: iso(i.expires_at),
            }
        })
        .collect();
    let count = |f: fn(&InvitationRow) -> bool| rows.iter().filter(|r| f(r)).count();
    let (csrf, shown) = assessor.guard(&state);
    let spec = &campaign.spec;
    Ok(pages::render(&CampaignPage {
        assessor: assessor.name,
        csrf,
        shown,
        id: spec.id.clone(),
        name: spec.name.clone(),
        role: spec.role_id.clone(),
        questionnaire: version(&spec.questionnaire.0, &spec.questionnaire.1),
        norms: version(&spec.norms.0, &spec.norms.1),
        retention_days: spec.retention_days,
        invited: rows.len(),
        started: count(|r| r.status == "started" || r.submitted),
        submitted: count(|r| r.submitted),
        rows,
        links,
        problems,
    }))
}

/// Takes what a post left for this session.
pub fn take_flash(state: &AppState, session: &str) -> Option<Flash> {
    state.flash.lock().ok()?.remove(session)
}

/// Leaves `flash` for this session's next page.
pub fn put_flash(state: &AppState, session: &str, flash: Flash) {
    if let Ok(mut map) = state.flash.lock() {
        map.insert(session.to_string(), flash);
    }
}

/// The site's own address, from the request (the reverse proxy passes the
/// original `Host` and `X-Forwarded-Proto`), for the links shown.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(axum::http::header::HOST))
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:8080");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// Fields of the invitation form.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    csrf: String,
    shown: i64,
    references: String,
    expires_days: i64,
}

/// `POST /campaigns/{id}/invitations`: invitations from the text box.
pub async fn invite(
    State(state): State<AppState>,
    assessor: Assessor,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Result<Response, WebError> {
    assessor.check(&state, &form.csrf, form.shown)?;
    let candidates = candidates_from_lines(&form.references).map_err(WebError::BadRequest)?;
    invite_and_show(
        &state,
        &assessor,
        &id,
        &headers,
        &candidates,
        form.expires_days,
    )
    .await
}

async fn invite_and_show(
    state: &AppState,
    assessor: &Assessor,
    id: &str,
    headers: &HeaderMap,
    candidates: &[Candidate],
    expires_days: i64,
) -> Result<Response, WebError> {
    let campaign = find(state, id).await?;
    let base = base_url(headers);
    let spec = InviteSpec {
        campaign_id: &campaign.spec.id,
        base_url: &base,
        expires_days,
        candidates,
    };
    let invited = invite::invite(&state.store, &spec).await?;
    put_flash(
        state,
        &assessor.session,
        Flash::Links(invited.links, invited.problems),
    );
    Ok(Redirect::to(&format!("/campaigns/{id}")).into_response())
}

/// The fields of a multipart form: its text fields and its one file.
#[derive(Debug, Default)]
pub struct Uploaded {
    /// (name, value) of the text fields.
    pub fields: Vec<(String, String)>,
    /// The file's bytes.
    pub file: Vec<u8>,
    /// The file's name.
    pub file_name: String,
}

impl Uploaded {
    /// Reads every part of `multipart`.
    pub async fn read(mut multipart: Multipart) -> Result<Uploaded, WebError> {
        let bad = |e: axum::extract::multipart::MultipartError| {
            WebError::BadRequest(format!("the upload could not be read: {e}"))
        };
        let mut out = Uploaded::default();
        while let Some(field) = multipart.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_string();
            if name == "file" {
                out.file_name = field.file_name().unwrap_or("upload.csv").to_string();
                out.file = field.bytes().await.map_err(bad)?.to_vec();
            } else {
                out.fields.push((name, field.text().await.map_err(bad)?));
            }
        }
        Ok(out)
    }

    /// The text field `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Refuses (403) unless the CSRF fields are this session's.
    pub fn check(&self, state: &AppState, assessor: &Assessor) -> Result<(), WebError> {
        let shown = self
            .field("shown")
            .and_then(|s| s.parse().ok())
            .unwrap_or(i64::MIN);
        assessor.check(state, self.field("csrf").unwrap_or(""), shown)
    }
}

/// `POST /campaigns/{id}/invitations/upload`: invitations from a CSV file.
pub async fn invite_upload(
    State(state): State<AppState>,
    assessor: Assessor,
    Path(id): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let upload = Uploaded::read(multipart).await?;
    upload.check(&state, &assessor)?;
    let text = String::from_utf8_lossy(&upload.file);
    let candidates = candidates_from_csv(&text).map_err(WebError::BadRequest)?;
    invite_and_show(&state, &assessor, &id, &headers, &candidates, 14).await
}

/// `POST /campaigns/{id}/invitations/{invitation}/delete`: one candidate's
/// invitation, answers and page times, gone (recorded in the audit log).
pub async fn delete(
    State(state): State<AppState>,
    assessor: Assessor,
    Path((id, invitation)): Path<(String, String)>,
    Form(form): Form<Guarded>,
) -> Result<Response, WebError> {
    assessor.check(&state, &form.csrf, form.shown)?;
    if !state.store.delete_invitation(&id, &invitation).await? {
        return Err(WebError::NotFound);
    }
    state
        .store
        .audit(
            clock::now(),
            &assessor.name,
            "delete invitation",
            &invitation,
        )
        .await?;
    Ok(Redirect::to(&format!("/campaigns/{id}")).into_response())
}

/// Fields of the purge form.
#[derive(Debug, Deserialize)]
pub struct PurgeForm {
    csrf: String,
    shown: i64,
    days: i64,
}

/// `POST /purge`: every invitation older than `days`, and its answers, gone.
pub async fn purge(
    State(state): State<AppState>,
    assessor: Assessor,
    Form(form): Form<PurgeForm>,
) -> Result<Response, WebError> {
    assessor.check(&state, &form.csrf, form.shown)?;
    let now = clock::now();
    let before = now - form.days.clamp(0, 36_500) * 86_400;
    let count = state.store.purge(before, now).await?;
    state
        .store
        .audit(
            now,
            &assessor.name,
            "purge",
            &format!("older than {} days: {count}", form.days),
        )
        .await?;
    Ok(Redirect::to(&format!("/campaigns?purged={count}")).into_response())
}
