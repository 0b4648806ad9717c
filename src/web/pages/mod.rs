//! The pages of `serve`: askama templates (the `.html` files beside this
//! one), which escape every value by default, and the style sheet. Only
//! data reaches a template; no HTML is assembled from user text in code.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// The one style sheet, embedded: mobile first, no external asset.
const STYLE: &str = include_str!("../assets/style.css");

/// Serves the style sheet (cacheable for an hour).
pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// Renders `page`, or a plain 500 when a template fails (it cannot on the
/// data it is given, but a page must never panic).
pub fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be rendered",
        )
            .into_response(),
    }
}

/// An error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

/// The error page with `title` and `message`.
pub fn error(title: &str, message: &str) -> Response {
    render(&ErrorPage { title, message })
}

/// The invitation's welcome page, which is the consent form.
#[derive(Template)]
#[template(path = "welcome.html")]
pub struct Welcome<'a> {
    pub title: &'a str,
    pub campaign: &'a str,
    pub items: usize,
    pub pages: usize,
    pub minutes: usize,
    pub retention_days: i64,
    pub action: String,
    pub csrf: String,
    pub shown: i64,
    pub consent_missing: bool,
}

/// One response option of a statement.
#[derive(Debug, Clone)]
pub struct OptionView {
    pub value: i32,
    pub label: String,
    pub checked: bool,
}

/// One statement on a page.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub id: String,
    pub number: usize,
    pub text: String,
    pub options: Vec<OptionView>,
}

/// A page of statements.
#[derive(Template)]
#[template(path = "page.html")]
pub struct QuestionPage<'a> {
    pub title: &'a str,
    pub instructions: &'a str,
    pub page: usize,
    pub pages: usize,
    pub last: bool,
    pub items: Vec<ItemView>,
    pub action: String,
    pub csrf: String,
    pub shown: i64,
}

/// The page after submission (no form).
#[derive(Template)]
#[template(path = "done.html")]
pub struct Done<'a> {
    pub message: &'a str,
}

/// The login form.
#[derive(Template)]
#[template(path = "login.html")]
pub struct Login {
    pub failed: bool,
    pub csrf: String,
    pub shown: i64,
}

/// A campaign in the list.
#[derive(Debug, Clone)]
pub struct CampaignRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub questionnaire: String,
    pub norms: String,
    pub created: String,
}

/// The campaigns page.
#[derive(Template)]
#[template(path = "campaigns.html")]
pub struct Campaigns {
    pub assessor: String,
    pub csrf: String,
    pub shown: i64,
    pub campaigns: Vec<CampaignRow>,
    /// (id, summary) of the built-in roles.
    pub roles: Vec<(String, String)>,
    pub note: Option<String>,
}

/// An invitation in a campaign's progress table.
#[derive(Debug, Clone)]
pub struct InvitationRow {
    pub id: String,
    pub reference: String,
    pub name: String,
    pub status: &'static str,
    pub submitted: bool,
    pub expires: String,
}

/// One campaign: progress, invitations, links to results.
#[derive(Template)]
#[template(path = "campaign.html")]
pub struct CampaignPage {
    pub assessor: String,
    pub csrf: String,
    pub shown: i64,
    pub id: String,
    pub name: String,
    pub role: String,
    pub questionnaire: String,
    pub norms: String,
    pub retention_days: i64,
    pub rows: Vec<InvitationRow>,
    pub invited: usize,
    pub started: usize,
    pub submitted: usize,
    /// (reference, link) of invitations just made.
    pub links: Vec<(String, String)>,
    /// References that could not be invited, with why.
    pub problems: Vec<String>,
}

/// The form to score an uploaded file.
#[derive(Template)]
#[template(path = "upload.html")]
pub struct Upload {
    pub assessor: String,
    pub csrf: String,
    pub shown: i64,
    pub roles: Vec<(String, String)>,
}
