//! Support for the tests of `serve`: the router built from a fresh SQLite
//! database (or PostgreSQL, when `SERVICEFIT_TEST_POSTGRES` holds a URL to
//! an empty database), called without a socket through
//! `tower::ServiceExt::oneshot`, and a browser-like client that keeps cookies.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use servicefit::questionnaire::Questionnaire;
use servicefit::web::invite::{self, Candidate, InviteSpec};
use servicefit::web::store::Store;
use servicefit::web::{router, AppState};
use tower::ServiceExt;

/// One response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub cookies: Vec<String>,
    pub content_type: String,
    pub csp: String,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The value of hidden field `name` in the first form holding one.
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .map(|i| i + marker.len())
            .unwrap_or_else(|| panic!("no field {name} in {}", self.body));
        let end = self.body[start..].find('"').expect("closing quote");
        self.body[start..start + end].to_string()
    }

    /// Asserts a `303 See Other` to `to`.
    #[track_caller]
    pub fn assert_redirect(&self, to: &str) {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "{}", self.body);
        assert_eq!(self.location.as_deref(), Some(to));
    }
}

/// A server under test.
pub struct Site {
    pub store: Store,
    pub app: Router,
    _dir: tempfile::TempDir,
}

impl Site {
    /// A site on a new SQLite database.
    pub async fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("serve.db");
        Site::on(dir, db.to_str().expect("utf-8 path")).await
    }

    /// A site on database `name`.
    pub async fn on(dir: tempfile::TempDir, name: &str) -> Site {
        let store = Store::open(name).await.expect("open store");
        let app = router(AppState::new(store.clone()).await.expect("state"));
        Site {
            store,
            app,
            _dir: dir,
        }
    }

    /// The path of the SQLite file.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("serve.db")
    }

    /// Sends one request, with `form` as a url-encoded body.
    pub async fn send(&self, method: &str, uri: &str, cookie: &str, form: Option<&str>) -> Reply {
        let body = form.map(|f| ("application/x-www-form-urlencoded", f.as_bytes().to_vec()));
        self.send_raw(method, uri, cookie, body).await
    }

    /// Sends one request with an optional (content type, body).
    pub async fn send_raw(
        &self,
        method: &str,
        uri: &str,
        cookie: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "test.local");
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        let body = match body {
            Some((kind, body)) => {
                request = request.header(header::CONTENT_TYPE, kind);
                Body::from(body)
            }
            None => Body::empty(),
        };
        let response = self
            .app
            .clone()
            .oneshot(request.body(body).expect("request"))
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let text = |name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
            .await
            .expect("body");
        Reply {
            status,
            location: headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            cookies: headers
                .get_all(header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::to_string)
                .collect(),
            content_type: text(header::CONTENT_TYPE),
            csp: text(header::CONTENT_SECURITY_POLICY),
            headers: headers.clone(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

/// `pairs` as an `application/x-www-form-urlencoded` body.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `name=value` part of the first `Set-Cookie` of `reply` for `name`.
pub fn cookie(reply: &Reply, name: &str) -> String {
    reply
        .cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no cookie {name} in {:?}", reply.cookies))
        .to_string()
}

impl Site {
    /// A campaign for the built-in role `role`.
    pub async fn campaign(&self, role: &str) -> String {
        invite::campaign_for_role(&self.store, role, "Front desk", 180)
            .await
            .expect("campaign")
            .spec
            .id
    }

    /// Invites `references` to `campaign`; returns their link paths (`/i/…`).
    pub async fn invite(
        &self,
        campaign: &str,
        references: &[&str],
        expires_days: i64,
    ) -> Vec<String> {
        let candidates: Vec<Candidate> = references
            .iter()
            .map(|r| Candidate {
                reference: r.to_string(),
                name: String::new(),
                email: String::new(),
            })
            .collect();
        let spec = InviteSpec {
            campaign_id: campaign,
            base_url: "",
            expires_days,
            candidates: &candidates,
        };
        let invited = invite::invite(&self.store, &spec).await.expect("invite");
        assert!(invited.problems.is_empty(), "{:?}", invited.problems);
        invited.links.into_iter().map(|(_, link)| link).collect()
    }

    /// Adds assessor `name` and logs in; returns the session cookie.
    pub async fn login(&self, name: &str) -> String {
        let hash = servicefit::web::secret::hash_password("a good password").expect("hash");
        self.store
            .add_assessor(name, &hash, 0)
            .await
            .expect("assessor");
        let page = self.send("GET", "/login", "", None).await;
        let binding = cookie(&page, "sf_login");
        let body = form(&[
            ("csrf", &page.field("csrf")),
            ("shown", &page.field("shown")),
            ("name", name),
            ("password", "a good password"),
        ]);
        let reply = self.send("POST", "/login", &binding, Some(&body)).await;
        reply.assert_redirect("/campaigns");
        cookie(&reply, "sf_session")
    }

    /// Consents on the welcome page of `link`; returns where it leads.
    pub async fn consent(&self, link: &str) -> Reply {
        let welcome = self.send("GET", link, "", None).await;
        assert_eq!(welcome.status, StatusCode::OK, "{}", welcome.body);
        let body = form(&[
            ("csrf", &welcome.field("csrf")),
            ("shown", &welcome.field("shown")),
            ("consent", "yes"),
        ]);
        self.send("POST", &format!("{link}/start"), "", Some(&body))
            .await
    }

    /// Answers page `page` of `link` with `answer(item index)` for every
    /// statement on it, as a browser posts the form; returns the reply.
    pub async fn answer_page(
        &self,
        link: &str,
        page: usize,
        q: &Questionnaire,
        answer: &dyn Fn(usize) -> i32,
    ) -> Reply {
        let url = format!("{link}/p/{page}");
        let shown = self.send("GET", &url, "", None).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        let (csrf, when) = (shown.field("csrf"), shown.field("shown"));
        let mut pairs: Vec<(String, String)> = vec![("csrf".into(), csrf), ("shown".into(), when)];
        for (i, item) in q.items().iter().enumerate() {
            if shown.body.contains(&format!("name=\"{}\"", item.id)) {
                pairs.push((item.id.clone(), answer(i).to_string()));
            }
        }
        let borrowed: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.send("POST", &url, "", Some(&form(&borrowed))).await
    }

    /// Completes the questionnaire of `link` from consent to the done page.
    pub async fn complete(&self, link: &str, q: &Questionnaire, answer: &dyn Fn(usize) -> i32) {
        let mut next = self.consent(link).await;
        let mut page = 1;
        while next.location.as_deref() != Some(&format!("{link}/done")) {
            next.assert_redirect(&format!("{link}/p/{page}"));
            next = self.answer_page(link, page, q, answer).await;
            page += 1;
        }
    }
}

/// The built-in questionnaire (its items are read, never assumed).
pub fn builtin_questionnaire() -> Questionnaire {
    servicefit::builtin::questionnaire().expect("built-in questionnaire")
}

/// Answers that vary by item and candidate, as an attentive person's would:
/// 1–5 cycling with an offset, never one value throughout.
pub fn varied(offset: usize) -> impl Fn(usize) -> i32 {
    move |i| i32::try_from((i * 7 + offset) % 5 + 1).unwrap_or(3)
}

impl Site {
    /// The pages saved through `link`.
    pub async fn saved_pages(&self, link: &str) -> Vec<i64> {
        let token = link.rsplit('/').next().unwrap_or("");
        let hash = servicefit::web::secret::token_hash(token);
        let invitation = self
            .store
            .invitation_by_token(&hash)
            .await
            .expect("read")
            .expect("invitation");
        self.store.pages_saved(&invitation.id).await.expect("pages")
    }
}

impl Site {
    /// Sends a body of content type `kind`.
    pub async fn send_typed(
        &self,
        method: &str,
        uri: &str,
        cookie: &str,
        kind: &str,
        body: impl Into<Vec<u8>>,
    ) -> Reply {
        self.send_raw(method, uri, cookie, Some((kind, body.into())))
            .await
    }
}
