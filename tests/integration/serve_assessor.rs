//! `serve`, the assessor's side, through the router without a socket:
//! nothing without a session, login (CSRF, rate limit, cookie flags),
//! campaigns and invitations, the shortlist as `score` ranks it, reports,
//! comparison, downloads, deletion and purge.

use axum::http::StatusCode;

use super::support::{repo, Workdir};
use super::web_support::{builtin_questionnaire, cookie, form, varied, Site};

#[tokio::test]
async fn nothing_is_shown_without_a_session() {
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let links = site.invite(&campaign, &["secret-ref"], 14).await;
    let q = builtin_questionnaire();
    site.complete(&links[0], &q, &varied(2)).await;
    for path in [
        "/".to_string(),
        "/campaigns".into(),
        format!("/campaigns/{campaign}"),
        format!("/campaigns/{campaign}/report/"),
        format!("/campaigns/{campaign}/report/index.html"),
        format!("/campaigns/{campaign}/report/candidates/secret-ref.html"),
        format!("/campaigns/{campaign}/compare?id=a&id=b"),
        format!("/campaigns/{campaign}/results.csv"),
        format!("/campaigns/{campaign}/responses.csv"),
        "/upload".into(),
        "/upload/report".into(),
    ] {
        for cookie in ["", "sf_session=forged"] {
            let reply = site.send("GET", &path, cookie, None).await;
            reply.assert_redirect("/login");
            assert!(!reply.body.contains("secret-ref"), "{path}");
        }
    }
    for path in [
        "/purge".to_string(),
        "/campaigns".into(),
        format!("/campaigns/{campaign}/invitations"),
        "/logout".into(),
    ] {
        site.send("POST", &path, "", Some("days=0"))
            .await
            .assert_redirect("/login");
    }
    assert_eq!(site.store.submitted(None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn login_needs_its_form_token_limits_failures_and_sets_strict_cookies() {
    let site = Site::new().await;
    let session = site.login("alice").await;
    assert!(session.starts_with("sf_session="));
    // The login form without the cookie it was bound to: 403.
    let page = site.send("GET", "/login", "", None).await;
    assert!(page.cookies[0].contains("HttpOnly") && page.cookies[0].contains("SameSite=Strict"));
    let body = |password: &str| {
        form(&[
            ("csrf", &page.field("csrf")),
            ("shown", &page.field("shown")),
            ("name", "alice"),
            ("password", password),
        ])
    };
    assert_eq!(
        site.send("POST", "/login", "", Some(&body("a good password")))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let binding = cookie(&page, "sf_login");
    for _ in 0..5 {
        site.send("POST", "/login", &binding, Some(&body("wrong")))
            .await
            .assert_redirect("/login?failed=1");
    }
    // The sixth attempt within 15 minutes is refused, even with the right password.
    let limited = site
        .send("POST", "/login", &binding, Some(&body("a good password")))
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("wait 15 minutes"), "{}", limited.body);
    let failed = site.send("GET", "/login?failed=1", "", None).await;
    assert!(failed.body.contains("do not match"));
    // Logging out ends the session.
    let campaigns = site.send("GET", "/campaigns", &session, None).await;
    assert_eq!(campaigns.status, StatusCode::OK);
    let out = form(&[
        ("csrf", &campaigns.field("csrf")),
        ("shown", &campaigns.field("shown")),
    ]);
    site.send("POST", "/logout", &session, Some(&out))
        .await
        .assert_redirect("/login");
    site.send("GET", "/campaigns", &session, None)
        .await
        .assert_redirect("/login");
}

#[tokio::test]
async fn assessor_posts_without_a_valid_token_are_refused() {
    let site = Site::new().await;
    let session = site.login("alice").await;
    let campaign = site.campaign("retail").await;
    for (path, body) in [
        (
            "/campaigns".to_string(),
            form(&[
                ("csrf", "00"),
                ("shown", "1"),
                ("name", "x"),
                ("role", "retail"),
                ("retention_days", "9"),
            ]),
        ),
        (
            format!("/campaigns/{campaign}/invitations"),
            form(&[
                ("csrf", "00"),
                ("shown", "1"),
                ("references", "x"),
                ("expires_days", "3"),
            ]),
        ),
        (
            "/purge".into(),
            form(&[("csrf", "00"), ("shown", "1"), ("days", "0")]),
        ),
        ("/logout".into(), form(&[("csrf", "00"), ("shown", "1")])),
    ] {
        let reply = site.send("POST", &path, &session, Some(&body)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(site.store.progress(&campaign).await.unwrap().len(), 0);
}

/// Posts form `pairs` from the page at `from` (its CSRF fields added).
async fn post_from(
    site: &Site,
    session: &str,
    from: &str,
    to: &str,
    pairs: &[(&str, &str)],
) -> super::web_support::Reply {
    let page = site.send("GET", from, session, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let (csrf, shown) = (page.field("csrf"), page.field("shown"));
    let mut all = vec![("csrf", csrf.as_str()), ("shown", shown.as_str())];
    all.extend_from_slice(pairs);
    site.send("POST", to, session, Some(&form(&all))).await
}

#[tokio::test]
async fn campaigns_invitations_progress_and_the_shortlist() {
    let site = Site::new().await;
    let session = site.login("alice").await;
    let made = post_from(
        &site,
        &session,
        "/campaigns",
        "/campaigns",
        &[
            ("name", "Shop <floor>"),
            ("role", "retail"),
            ("retention_days", "30"),
        ],
    )
    .await;
    let campaign_url = made.location.clone().expect("campaign address");
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let invited = post_from(
        &site,
        &session,
        &campaign_url,
        &format!("{campaign_url}/invitations"),
        &[
            ("references", "ann, Ann Lee\nbob\ncy\nann"),
            ("expires_days", "7"),
        ],
    )
    .await;
    invited.assert_redirect(&campaign_url);
    let page = site.send("GET", &campaign_url, &session, None).await;
    assert!(
        page.body.contains("Shop &#60;floor&#62;"),
        "names are escaped: {}",
        page.body
    );
    assert!(
        page.body
            .contains("candidate reference &#39;ann&#39; exists already"),
        "{}",
        page.body
    );
    let links: Vec<String> = page
        .body
        .match_indices("<code>http://test.local/i/")
        .map(|(i, _)| {
            let rest = &page.body[i + 6..];
            rest[..rest.find('<').unwrap()]
                .trim_start_matches("http://test.local")
                .to_string()
        })
        .collect();
    assert_eq!(links.len(), 3);
    // Shown once: the next visit has no links.
    assert!(!site
        .send("GET", &campaign_url, &session, None)
        .await
        .body
        .contains("<code>http"));
    let q = builtin_questionnaire();
    site.complete(&links[0], &q, &varied(0)).await;
    site.complete(&links[1], &q, &varied(3)).await;
    site.consent(&links[2]).await;
    let page = site.send("GET", &campaign_url, &session, None).await;
    assert!(
        page.body.contains("3 invited, 3 started, 2 submitted."),
        "{}",
        page.body
    );
    // The shortlist is score's ranked index page of the campaign's export.
    let shortlist = site
        .send("GET", &format!("{campaign_url}/report/"), &session, None)
        .await;
    assert_eq!(shortlist.status, StatusCode::OK);
    let export = site
        .send(
            "GET",
            &format!("{campaign_url}/responses.csv"),
            &session,
            None,
        )
        .await;
    assert!(export.body.starts_with("candidate_id,"));
    let work = Workdir::new();
    work.write("answers.csv", &export.body);
    work.command(&[
        "score",
        "answers.csv",
        "--role",
        "retail",
        "--format",
        "html",
        "--out",
        "site",
    ])
    .assert()
    .success();
    let from_cli = work.read("site/index.html");
    assert_eq!(
        strip_input_lines(&shortlist.body),
        strip_input_lines(&from_cli)
    );
    // Each candidate's page is reachable from the shortlist.
    let ann = site
        .send(
            "GET",
            &format!("{campaign_url}/report/candidates/ann.html"),
            &session,
            None,
        )
        .await;
    assert_eq!(ann.status, StatusCode::OK);
    assert!(ann.body.contains("ann"));
    // Results CSV: byte for byte what score writes for the export.
    let results = site
        .send(
            "GET",
            &format!("{campaign_url}/results.csv"),
            &session,
            None,
        )
        .await;
    let cli = work
        .command(&["score", "answers.csv", "--role", "retail"])
        .output()
        .unwrap();
    assert_eq!(results.body, String::from_utf8_lossy(&cli.stdout));
    // Compare two; one is refused.
    let compare = site
        .send(
            "GET",
            &format!("{campaign_url}/compare?id=ann&id=bob"),
            &session,
            None,
        )
        .await;
    assert_eq!(compare.status, StatusCode::OK, "{}", compare.body);
    assert!(compare.body.contains("bob"));
    let one = site
        .send(
            "GET",
            &format!("{campaign_url}/compare?id=ann"),
            &session,
            None,
        )
        .await;
    assert_eq!(one.status, StatusCode::BAD_REQUEST);
}

/// The report without the lines that name the input file and its hash
/// (the server's export and the CLI's copy of it have different names).
fn strip_input_lines(html: &str) -> String {
    html.lines()
        .filter(|l| !l.contains(".csv") && !l.contains("sha256") && !l.contains("SHA-256"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn one_candidate_is_deleted_and_old_data_purged() {
    let site = Site::new().await;
    let session = site.login("alice").await;
    let campaign = site.campaign("retail").await;
    let links = site.invite(&campaign, &["ann", "bob"], 14).await;
    let q = builtin_questionnaire();
    site.complete(&links[0], &q, &varied(0)).await;
    let url = format!("/campaigns/{campaign}");
    let page = site.send("GET", &url, &session, None).await;
    let progress = site.store.progress(&campaign).await.unwrap();
    let ann = &progress[0].invitation.id;
    let delete = format!("{url}/invitations/{ann}/delete");
    let reply = site
        .send(
            "POST",
            &delete,
            &session,
            Some(&form(&[
                ("csrf", &page.field("csrf")),
                ("shown", &page.field("shown")),
            ])),
        )
        .await;
    reply.assert_redirect(&url);
    assert_eq!(site.store.submitted(None).await.unwrap().len(), 0);
    assert_eq!(
        site.send("GET", &links[0], "", None).await.status,
        StatusCode::NOT_FOUND
    );
    let again = site
        .send(
            "POST",
            &delete,
            &session,
            Some(&form(&[
                ("csrf", &page.field("csrf")),
                ("shown", &page.field("shown")),
            ])),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    // Purge older than 0 days: everything made before now (bob's invitation).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let reply = post_from(&site, &session, "/campaigns", "/purge", &[("days", "0")]).await;
    reply.assert_redirect("/campaigns?purged=1");
    assert!(site.store.progress(&campaign).await.unwrap().is_empty());
    let note = site
        .send("GET", "/campaigns?purged=1", &session, None)
        .await;
    assert!(note.body.contains("Deleted 1 invitation(s)"));
}

#[tokio::test]
async fn an_uploaded_spreadsheet_is_scored_like_its_csv() {
    let site = Site::new().await;
    let session = site.login("alice").await;
    let answers = std::fs::read_to_string(repo("tests/fixtures/report-applicants.csv")).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in answers.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r, c, number).map(|_| ()),
                Err(_) => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .expect("cell");
        }
    }
    let xlsx = book.save_to_buffer().expect("xlsx");
    let mut reports = Vec::new();
    for (file, bytes) in [
        ("answers.csv", answers.into_bytes()),
        ("answers.xlsx", xlsx),
    ] {
        let upload = site.send("GET", "/upload", &session, None).await;
        let fields = [
            ("csrf", upload.field("csrf")),
            ("shown", upload.field("shown")),
            ("role", "retail".to_string()),
        ];
        let (kind, body) = multipart_bytes(&fields, file, &bytes);
        site.send_typed("POST", "/upload", &session, &kind, body)
            .await
            .assert_redirect("/upload/report");
        let report = site.send("GET", "/upload/report", &session, None).await;
        assert_eq!(report.status, StatusCode::OK, "{file}");
        // The input's name and hash differ; every candidate's section is the same.
        let sections: Vec<String> = report
            .body
            .split("<section class=\"candidate\"")
            .skip(1)
            .map(String::from)
            .collect();
        assert_eq!(sections.len(), 6, "{file}");
        reports.push(sections);
    }
    assert_eq!(reports[0], reports[1]);
}

/// A multipart body with `fields` and one file of any bytes.
fn multipart_bytes(fields: &[(&str, String)], name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XyZ-boundary-43";
    let mut body = Vec::new();
    for (field, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn multipart(fields: &[(&str, &str)], file: &str) -> (String, String) {
    let boundary = "XyZ-boundary-42";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"answers.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn uploads_invite_from_a_csv_and_score_a_response_file() {
    let site = Site::new().await;
    let session = site.login("alice").await;
    let campaign = site.campaign("retail").await;
    let url = format!("/campaigns/{campaign}");
    let page = site.send("GET", &url, &session, None).await;
    let guard = [("csrf", page.field("csrf")), ("shown", page.field("shown"))];
    let guard: Vec<(&str, &str)> = guard.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (kind, body) = multipart(
        &guard,
        "name,reference,email\nAnn,A-1,ann@example.org\nBob,B-2,\n",
    );
    let reply = site
        .send_typed(
            "POST",
            &format!("{url}/invitations/upload"),
            &session,
            &kind,
            body,
        )
        .await;
    reply.assert_redirect(&url);
    let refs: Vec<String> = site
        .store
        .progress(&campaign)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.invitation.reference)
        .collect();
    assert_eq!(refs, ["A-1", "B-2"]);
    // Without the form's token: 403, nothing invited.
    let (kind, body) = multipart(&[], "reference\nC-3\n");
    let refused = site
        .send_typed(
            "POST",
            &format!("{url}/invitations/upload"),
            &session,
            &kind,
            body,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Scoring an uploaded response file gives score's HTML report.
    let upload = site.send("GET", "/upload", &session, None).await;
    let answers = std::fs::read_to_string(repo("tests/fixtures/report-applicants.csv")).unwrap();
    let mut fields = vec![
        ("csrf", upload.field("csrf")),
        ("shown", upload.field("shown")),
    ];
    fields.push(("role", "retail".to_string()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (kind, body) = multipart(&fields, &answers);
    site.send_typed("POST", "/upload", &session, &kind, body)
        .await
        .assert_redirect("/upload/report");
    let report = site.send("GET", "/upload/report", &session, None).await;
    assert_eq!(report.status, StatusCode::OK);
    assert_eq!(
        report.body.matches("<section class=\"candidate\"").count(),
        6
    );
}
