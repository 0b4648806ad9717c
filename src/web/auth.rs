//! Assessors' accounts in the browser: the login form (rate-limited by
//! account name — no IP address is looked at or stored), sessions in a
//! `SameSite=Strict`, `HttpOnly` cookie whose token is stored only as a
//! hash, and the [`Assessor`] extractor that every assessor page takes, so
//! that none can be reached without a session.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::pages::{self, Login};
use super::secret::{password_matches, token, token_hash};
use super::{clock, AppState, WebError};

/// Cookie holding the session token.
const SESSION_COOKIE: &str = "sf_session";
/// Cookie binding the login form to the browser that asked for it.
const LOGIN_COOKIE: &str = "sf_login";
/// A session lasts a working day.
const SESSION_SECONDS: i64 = 8 * 3600;
/// Failed logins allowed per account name in one window …
const MAX_FAILURES: u32 = 5;
/// … of this many seconds; then the name is refused until the window ends.
const FAILURE_WINDOW: i64 = 15 * 60;
/// Names tracked before windows that have ended are forgotten, so that
/// failures under made-up names cannot fill the memory.
const TRACKED_NAMES: usize = 10_000;

/// Failed logins per account name: (count, start of the window).
#[derive(Debug, Default)]
pub struct LoginLimiter(Mutex<HashMap<String, (u32, i64)>>);

impl LoginLimiter {
    /// Minutes left before `name` may try again, if it is locked at `now`.
    fn locked(&self, name: &str, now: i64) -> Option<i64> {
        let map = self.0.lock().ok()?;
        match map.get(name) {
            Some(&(count, start)) if count >= MAX_FAILURES && now < start + FAILURE_WINDOW => {
                Some((start + FAILURE_WINDOW - now + 59) / 60)
            }
            _ => None,
        }
    }

    fn failed(&self, name: &str, now: i64) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= TRACKED_NAMES {
                map.retain(|_, &mut (_, start)| now < start + FAILURE_WINDOW);
            }
            let entry = map.entry(name.to_string()).or_insert((0, now));
            if now >= entry.1 + FAILURE_WINDOW {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }

    fn succeeded(&self, name: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(name);
        }
    }
}

/// The value of cookie `name` in the request's headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn set_cookie(name: &str, value: &str, max_age: i64) -> (header::HeaderName, HeaderValue) {
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    // Tokens are hex and names are constants: the value is always a valid header.
    let value = HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""));
    (header::SET_COOKIE, value)
}

/// A logged-in assessor. Taking it in a handler makes the page need a
/// session: without one, a `GET` is sent to the login page and a `POST` refused.
#[derive(Debug, Clone)]
pub struct Assessor {
    /// The account name.
    pub name: String,
    /// The hash of the session token (the subject of this session's CSRF tokens).
    pub session: String,
}

/// Why an assessor page was refused.
pub enum NoSession {
    /// Send to the login page.
    Login,
    /// A failure of the store.
    Error(WebError),
}

impl IntoResponse for NoSession {
    fn into_response(self) -> Response {
        match self {
            NoSession::Login => Redirect::to("/login").into_response(),
            NoSession::Error(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Assessor {
    type Rejection = NoSession;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(NoSession::Login);
        };
        let session = token_hash(token);
        match state.store.session(&session, clock::now()).await {
            Ok(Some(name)) => Ok(Assessor { name, session }),
            Ok(None) => Err(NoSession::Login),
            Err(e) => Err(NoSession::Error(e.into())),
        }
    }
}

impl Assessor {
    /// CSRF fields for a form shown now: (token, shown).
    pub fn guard(&self, state: &AppState) -> (String, i64) {
        let shown = clock::now_ms();
        (state.key.csrf("session", &self.session, shown), shown)
    }

    /// Refuses (403) a post whose CSRF fields are not this session's.
    pub fn check(&self, state: &AppState, csrf: &str, shown: i64) -> Result<(), WebError> {
        match state.key.verify("session", &self.session, shown, csrf) {
            true => Ok(()),
            false => Err(WebError::Forbidden),
        }
    }
}

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    failed: Option<String>,
}

/// `GET /login`: the form, bound to this browser by a fresh cookie.
pub async fn login_page(
    State(state): State<AppState>,
    query: axum::extract::Query<LoginQuery>,
) -> Result<Response, WebError> {
    let binding = token()?;
    let shown = clock::now_ms();
    let page = pages::render(&Login {
        failed: query.failed.is_some(),
        csrf: state.key.csrf("login", &token_hash(&binding), shown),
        shown,
    });
    Ok(([set_cookie(LOGIN_COOKIE, &binding, 3600)], page).into_response())
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    csrf: String,
    shown: i64,
    name: String,
    password: String,
}

/// `POST /login`: a session cookie and the campaigns, or the form again.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let binding = cookie(&headers, LOGIN_COOKIE)
        .map(token_hash)
        .unwrap_or_default();
    if binding.is_empty() || !state.key.verify("login", &binding, form.shown, &form.csrf) {
        return Err(WebError::Forbidden);
    }
    let now = clock::now();
    if let Some(minutes) = state.limiter.locked(&form.name, now) {
        return Err(WebError::TooManyLogins(minutes));
    }
    let hash = state.store.password_hash(&form.name).await?;
    let password = form.password;
    let matches = match hash {
        // argon2 takes tens of milliseconds: off the async workers.
        Some(hash) => tokio::task::spawn_blocking(move || password_matches(&password, &hash))
            .await
            .unwrap_or(false),
        None => false,
    };
    if !matches {
        state.limiter.failed(&form.name, now);
        return Ok(Redirect::to("/login?failed=1").into_response());
    }
    state.limiter.succeeded(&form.name);
    let session = token()?;
    state
        .store
        .add_session(&token_hash(&session), &form.name, now + SESSION_SECONDS)
        .await?;
    Ok((
        AppendHeaders([
            set_cookie(SESSION_COOKIE, &session, SESSION_SECONDS),
            set_cookie(LOGIN_COOKIE, "", 0),
        ]),
        Redirect::to("/campaigns"),
    )
        .into_response())
}

/// Fields of a form that only carries its CSRF token.
#[derive(Debug, Deserialize)]
pub struct Guarded {
    /// The CSRF token.
    pub csrf: String,
    /// When the form was shown.
    pub shown: i64,
}

/// `POST /logout`: ends the session.
pub async fn logout(
    State(state): State<AppState>,
    assessor: Assessor,
    Form(form): Form<Guarded>,
) -> Result<Response, WebError> {
    assessor.check(&state, &form.csrf, form.shown)?;
    state
        .store
        .end_session(&assessor.session, clock::now())
        .await?;
    Ok(([set_cookie(SESSION_COOKIE, "", 0)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_a_name_for_the_rest_of_the_window() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES {
            assert_eq!(limiter.locked("ann", 1000), None);
            limiter.failed("ann", 1000);
        }
        // Window 1000 + 900 s; at 1000 the 900 s left round up to 15 minutes, at 1841 59 s to 1.
        assert_eq!(limiter.locked("ann", 1000), Some(15));
        assert_eq!(limiter.locked("ann", 1841), Some(1));
        assert_eq!(limiter.locked("ann", 1900), None);
        assert_eq!(limiter.locked("bob", 1000), None);
        limiter.succeeded("ann");
        assert_eq!(limiter.locked("ann", 1000), None);
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; sf_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, "sf_session"), Some("abc"));
        assert_eq!(cookie(&headers, "sf"), None);
    }
}
