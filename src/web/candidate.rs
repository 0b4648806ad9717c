//! The candidate's side: the invitation link opens a welcome page that is
//! the consent form; then pages of statements, each saved when posted; then
//! a done page without a form. Every post is answered `303 See Other`
//! (post/redirect/get), and carries a CSRF token bound to the invitation
//! and to the moment its page was shown — that moment also gives the
//! seconds spent on the page, for the speed check of response validity.
//!
//! The link resumes at the first page not yet saved, whatever happened to
//! the server in between: where the candidate is lives only in the database.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::pages::{self, Done, ItemView, OptionView, QuestionPage, Welcome};
use super::paging::pages as page_ranges;
use super::secret::token_hash;
use super::store::{Campaign, Invitation};
use super::{clock, AppState, WebError};
use crate::questionnaire::Questionnaire;

/// CSRF purpose of candidate forms.
const PURPOSE: &str = "invitation";
/// Seconds per statement assumed for the duration shown on the welcome page.
const SECONDS_PER_ITEM: usize = 8;

/// An invitation that may still be answered, with what it needs.
struct Open {
    hash: String,
    invitation: Invitation,
    campaign: Campaign,
    questionnaire: Arc<Questionnaire>,
}

/// The invitation of `token`, refused when unknown (404), submitted or expired (410).
async fn open(state: &AppState, token: &str) -> Result<Open, WebError> {
    let hash = token_hash(token);
    let invitation = state
        .store
        .invitation_by_token(&hash)
        .await?
        .ok_or(WebError::NotFound)?;
    if invitation.submitted_at.is_some() {
        return Err(WebError::Gone(
            "This questionnaire has been submitted already, so it cannot be answered again. \
Thank you: there is nothing more to do.",
        ));
    }
    if invitation.expires_at <= clock::now() {
        return Err(WebError::Gone(
            "This invitation has expired. If you still want to take part, ask the person who \
invited you for a new link.",
        ));
    }
    let campaign = state
        .store
        .campaign(&invitation.campaign_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let questionnaire = state.questionnaire(&campaign)?;
    Ok(Open {
        hash,
        invitation,
        campaign,
        questionnaire,
    })
}

/// The first page (1-based) not yet saved; one past the last when all are.
async fn resume_page(state: &AppState, open: &Open) -> Result<usize, WebError> {
    let saved = state.store.pages_saved(&open.invitation.id).await?;
    let mut page = 1;
    while saved.contains(&i64::try_from(page).unwrap_or(i64::MAX)) {
        page += 1;
    }
    Ok(page)
}

fn page_url(token: &str, page: usize) -> String {
    format!("/i/{token}/p/{page}")
}

/// Query of the welcome page.
#[derive(Debug, Deserialize)]
pub struct WelcomeQuery {
    consent: Option<String>,
}

/// `GET /i/{token}`: the welcome page, or where the candidate left off.
pub async fn welcome(
    State(state): State<AppState>,
    Path(token): Path<String>,
    query: axum::extract::Query<WelcomeQuery>,
) -> Result<Response, WebError> {
    let open = open(&state, &token).await?;
    if open.invitation.consented_at.is_some() {
        let page = resume_page(&state, &open).await?;
        return Ok(Redirect::to(&page_url(&token, page)).into_response());
    }
    let items = open.questionnaire.items().len();
    let shown = clock::now_ms();
    Ok(pages::render(&Welcome {
        title: open.questionnaire.title(),
        campaign: &open.campaign.spec.name,
        items,
        pages: page_ranges(items).len(),
        minutes: (items * SECONDS_PER_ITEM).div_ceil(60).max(1),
        retention_days: open.campaign.spec.retention_days,
        action: format!("/i/{token}/start"),
        csrf: state.key.csrf(PURPOSE, &open.hash, shown),
        shown,
        consent_missing: query.consent.is_some(),
    }))
}

/// The fields of the consent form.
#[derive(Debug, Deserialize)]
pub struct StartForm {
    csrf: String,
    shown: i64,
    consent: Option<String>,
}

/// `POST /i/{token}/start`: consent, then the first page.
pub async fn start(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<StartForm>,
) -> Result<Response, WebError> {
    let open = open(&state, &token).await?;
    if !state
        .key
        .verify(PURPOSE, &open.hash, form.shown, &form.csrf)
    {
        return Err(WebError::Forbidden);
    }
    if form.consent.as_deref() != Some("yes") {
        return Ok(Redirect::to(&format!("/i/{token}?consent=missing")).into_response());
    }
    state
        .store
        .consent(&open.invitation.id, clock::now())
        .await?;
    let page = resume_page(&state, &open).await?;
    Ok(Redirect::to(&page_url(&token, page)).into_response())
}

/// `GET /i/{token}/p/{page}`: a page of statements (an earlier one again,
/// with its answers; never one past where the candidate is).
pub async fn page(
    State(state): State<AppState>,
    Path((token, page)): Path<(String, usize)>,
) -> Result<Response, WebError> {
    let open = open(&state, &token).await?;
    if open.invitation.consented_at.is_none() {
        return Ok(Redirect::to(&format!("/i/{token}")).into_response());
    }
    let ranges = page_ranges(open.questionnaire.items().len());
    if page == 0 || page > ranges.len() {
        return Err(WebError::NotFound);
    }
    let resume = resume_page(&state, &open).await?;
    if page > resume {
        return Ok(Redirect::to(&page_url(&token, resume)).into_response());
    }
    let answers = state.store.answers(&open.invitation.id).await?;
    let q = &open.questionnaire;
    let range = ranges[page - 1].clone();
    let items = range
        .map(|i| {
            let item = &q.items()[i];
            let given = answers.get(&item.id).copied().flatten();
            ItemView {
                id: item.id.clone(),
                number: i + 1,
                text: item.text.clone(),
                options: (q.response_scale().labels.iter())
                    .map(|l| OptionView {
                        value: l.value,
                        label: l.label.clone(),
                        checked: given == Some(i64::from(l.value)),
                    })
                    .collect(),
            }
        })
        .collect();
    let shown = clock::now_ms();
    Ok(pages::render(&QuestionPage {
        title: q.title(),
        instructions: q.instructions(),
        page,
        pages: ranges.len(),
        last: page == ranges.len(),
        items,
        action: page_url(&token, page),
        csrf: state.key.csrf(PURPOSE, &open.hash, shown),
        shown,
    }))
}

/// `POST /i/{token}/p/{page}`: saves the page in one transaction, then the
/// next page, or the done page after the last.
pub async fn save(
    State(state): State<AppState>,
    Path((token, page)): Path<(String, usize)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let open = open(&state, &token).await?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let shown = field("shown")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(i64::MIN);
    if !state
        .key
        .verify(PURPOSE, &open.hash, shown, field("csrf").unwrap_or(""))
    {
        return Err(WebError::Forbidden);
    }
    let ranges = page_ranges(open.questionnaire.items().len());
    if page == 0 || page > ranges.len() {
        return Err(WebError::NotFound);
    }
    let resume = resume_page(&state, &open).await?;
    if open.invitation.consented_at.is_none() || page > resume {
        return Ok(Redirect::to(&format!("/i/{token}")).into_response());
    }
    let answers = page_answers(&open.questionnaire, ranges[page - 1].clone(), &field)?;
    // `page <= resume` holds here, so on the last page every earlier one is saved.
    let last = page == ranges.len();
    let seconds = (clock::now_ms() - shown).max(0) as f64 / 1000.0;
    let saved = super::store::SavedPage {
        page: i64::try_from(page).unwrap_or(i64::MAX),
        answers: &answers,
        seconds,
        last,
    };
    if !state
        .store
        .save_page(&open.invitation.id, &saved, clock::now())
        .await?
    {
        return Err(WebError::Gone(
            "This questionnaire has been submitted already.",
        ));
    }
    Ok(Redirect::to(&if last {
        format!("/i/{token}/done")
    } else {
        page_url(&token, page + 1)
    })
    .into_response())
}

/// The answers posted for the items of `range`: each a number of the
/// response scale, or blank. A value outside the scale is refused (400):
/// a form of this site cannot send it.
fn page_answers<'f>(
    q: &Questionnaire,
    range: std::ops::Range<usize>,
    field: &impl Fn(&str) -> Option<&'f str>,
) -> Result<Vec<(String, Option<i64>)>, WebError> {
    let scale = q.response_scale();
    range
        .map(|i| {
            let id = &q.items()[i].id;
            let value = match field(id) {
                None | Some("") => None,
                Some(text) => match text.parse::<i32>() {
                    Ok(v) if (scale.min..=scale.max).contains(&v) => Some(i64::from(v)),
                    _ => {
                        return Err(WebError::BadRequest(format!(
                            "the answer to {id} must be a number from {} to {}",
                            scale.min, scale.max
                        )))
                    }
                },
            };
            Ok((id.clone(), value))
        })
        .collect()
}

/// `GET /i/{token}/done`: the thanks page once submitted; before that, back
/// to where the candidate is.
pub async fn done(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let invitation = state
        .store
        .invitation_by_token(&token_hash(&token))
        .await?
        .ok_or(WebError::NotFound)?;
    if invitation.submitted_at.is_none() {
        return Ok(Redirect::to(&format!("/i/{token}")).into_response());
    }
    Ok(pages::render(&Done {
        message: "Your answers have been submitted and saved. The people assessing your application will see them.",
    }))
}
