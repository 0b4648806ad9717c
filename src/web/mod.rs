//! `servicefit serve`: candidates answer the questionnaire in a browser,
//! assessors see the ranked shortlist, reports and comparisons — the same
//! ones `score` and `compare` give, because answers are scored only by
//! exporting them as a response file and reading that file back through
//! [`crate::batch::score_all`] ([`export`]).
//!
//! A room beside the library, behind the `serve` feature: nothing in the
//! library depends on it. Handlers are thin (parse, call the store or the
//! library, render a template that escapes by default); the router is built
//! by [`router`] from an [`AppState`], so tests call it without a socket.
//!
//! Security in one place each: tokens and CSRF in [`secret`], sessions and
//! the login limit in [`auth`], headers and limits in [`router`].

mod assessor;
mod auth;
mod candidate;
pub mod clock;
pub mod export;
pub mod invite;
mod pages;
pub mod paging;
mod results;
pub mod secret;
pub mod store;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use self::auth::LoginLimiter;
use self::secret::{Key, SecretError};
use self::store::{Store, StoreError};
use crate::questionnaire::Questionnaire;

/// Largest form body (a page of answers is well under 2 KiB).
const FORM_BODY_LIMIT: usize = 64 * 1024;
/// Largest upload (a response or reference CSV).
const UPLOAD_BODY_LIMIT: usize = 16 * 1024 * 1024;
/// Longest a request may take before it is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The policy every response carries: no script at all (`default-src
/// 'none'` covers `script-src`), styles from this server — inline styles
/// too, which the self-contained report pages use — forms posted only here,
/// never framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    store: Store,
    key: Key,
    limiter: Arc<LoginLimiter>,
    /// Shown-once results of a post, by session (the new invitation links,
    /// an uploaded file's report): post/redirect/get without storing them.
    flash: Arc<Mutex<HashMap<String, Flash>>>,
    /// Each campaign's questionnaire, parsed once: a campaign's copy never changes.
    questionnaires: Arc<Mutex<HashMap<String, Arc<Questionnaire>>>>,
}

/// What a post left for the page it redirects to.
#[derive(Debug, Clone)]
enum Flash {
    /// New invitations: (reference, link).
    Links(Vec<(String, String)>, Vec<String>),
    /// A scored upload: the HTML report.
    Report(Vec<u8>),
}

impl AppState {
    /// The state for `store`, with its CSRF key (made on first use).
    ///
    /// # Errors
    /// [`WebError`] when the key cannot be made or read.
    pub async fn new(store: Store) -> Result<AppState, WebError> {
        let key = Key::new(&store.server_key(&secret::token()?).await?);
        Ok(AppState {
            store,
            key,
            limiter: Arc::new(LoginLimiter::default()),
            flash: Arc::default(),
            questionnaires: Arc::default(),
        })
    }

    /// The questionnaire of `campaign`, parsed on first use.
    ///
    /// # Errors
    /// [`WebError::Internal`] when the stored copy is not a valid questionnaire.
    fn questionnaire(&self, campaign: &store::Campaign) -> Result<Arc<Questionnaire>, WebError> {
        let id = &campaign.spec.id;
        if let Some(q) = self
            .questionnaires
            .lock()
            .ok()
            .and_then(|m| m.get(id).cloned())
        {
            return Ok(q);
        }
        let (text, source) = &campaign.spec.questionnaire;
        let parsed = crate::data::questionnaire_from_text(text, source)
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let q = Arc::new(parsed.value);
        if let Ok(mut map) = self.questionnaires.lock() {
            map.insert(id.clone(), Arc::clone(&q));
        }
        Ok(q)
    }
}

/// Everything a request can fail with; each has its own page and status.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page, invitation or candidate.
    #[error("not found")]
    NotFound,
    /// A form without a valid CSRF token.
    #[error("the form has expired or was not sent by this site")]
    Forbidden,
    /// An invitation that expired or was used.
    #[error("{0}")]
    Gone(&'static str),
    /// A request that makes no sense (values outside the scale, bad upload).
    #[error("{0}")]
    BadRequest(String),
    /// Too many failed logins.
    #[error("too many failed logins; wait {0} minutes")]
    TooManyLogins(i64),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The random source failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// Anything else on the server's side (a report that cannot be written).
    #[error("{0}")]
    Internal(String),
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title) = match &self {
            WebError::NotFound => (StatusCode::NOT_FOUND, "Page not found"),
            WebError::Forbidden => (StatusCode::FORBIDDEN, "Form refused"),
            WebError::Gone(_) => (StatusCode::GONE, "This link no longer works"),
            WebError::BadRequest(_) => (StatusCode::BAD_REQUEST, "Request not understood"),
            WebError::TooManyLogins(_) => (StatusCode::TOO_MANY_REQUESTS, "Too many attempts"),
            WebError::Store(_) | WebError::Secret(_) | WebError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong")
            }
        };
        let message = match &self {
            WebError::NotFound => {
                "There is nothing at this address. If you followed an invitation, \
check that the whole link was copied."
                    .to_string()
            }
            WebError::Store(_) | WebError::Secret(_) | WebError::Internal(_) => {
                "The server could not complete this request. Your saved answers are kept; \
please try again in a few minutes."
                    .to_string()
            }
            other => other.to_string(),
        };
        (status, pages::error(title, &message)).into_response()
    }
}

/// The application: every route, with its limits and security headers.
pub fn router(state: AppState) -> Router {
    let forms = Router::new()
        .route("/", get(assessor::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/campaigns",
            get(assessor::campaigns).post(assessor::add_campaign),
        )
        .route("/campaigns/{id}", get(assessor::campaign))
        .route("/campaigns/{id}/invitations", post(assessor::invite))
        .route(
            "/campaigns/{id}/invitations/{invitation}/delete",
            post(assessor::delete),
        )
        .route("/campaigns/{id}/report/", get(results::index))
        .route("/campaigns/{id}/report/index.html", get(results::index))
        .route(
            "/campaigns/{id}/report/candidates/{page}",
            get(results::candidate_page),
        )
        .route("/campaigns/{id}/compare", get(results::compare))
        .route("/campaigns/{id}/results.csv", get(results::results_csv))
        .route("/campaigns/{id}/responses.csv", get(results::responses_csv))
        .route("/purge", post(assessor::purge))
        .route("/upload", get(results::upload_page))
        .route("/upload/report", get(results::upload_report))
        .route("/i/{token}", get(candidate::welcome))
        .route("/i/{token}/start", post(candidate::start))
        .route(
            "/i/{token}/p/{page}",
            get(candidate::page).post(candidate::save),
        )
        .route("/i/{token}/done", get(candidate::done))
        .route("/assets/style.css", get(pages::style))
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
    let uploads = Router::new()
        .route(
            "/campaigns/{id}/invitations/upload",
            post(assessor::invite_upload),
        )
        .route("/upload", post(results::upload))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT));
    let header =
        |name, value| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    forms
        .merge(uploads)
        .fallback(|| async { WebError::NotFound })
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::CACHE_CONTROL, "no-store"))
}

/// Serves `store` on `listener` until Ctrl-C or SIGTERM; purges answers past
/// their campaign's retention period once an hour.
///
/// # Errors
/// [`WebError`] when the state cannot be set up; I/O errors of the socket.
pub async fn serve(store: Store, listener: tokio::net::TcpListener) -> Result<(), WebError> {
    let state = AppState::new(store.clone()).await?;
    let purger = tokio::spawn(async move {
        let mut hourly = tokio::time::interval(Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            // A failed purge is tried again in an hour; the server keeps serving.
            let _ = store.purge(i64::MIN, clock::now()).await;
        }
    });
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| WebError::Internal(format!("the server stopped: {e}")));
    purger.abort();
    served
}

async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
