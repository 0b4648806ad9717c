//! `serve`, the candidate's side, through the router without a socket:
//! welcome and consent, pages, post/redirect/get, CSRF, resume, the done
//! page, and every refusal (unknown, expired, used link; bad values).

use axum::http::StatusCode;
use servicefit::web::paging::pages;
use servicefit::web::secret::token_hash;
use servicefit::web::store::NewInvitation;

use super::web_support::{builtin_questionnaire, form, varied, Site};

#[tokio::test]
async fn the_welcome_page_is_the_consent_form() {
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let link = &site.invite(&campaign, &["ann"], 14).await[0];
    let page = site.send("GET", link, "", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page
        .body
        .contains(&format!("<form method=\"post\" action=\"{link}/start\">")));
    assert!(page
        .body
        .contains("type=\"checkbox\" id=\"consent\" name=\"consent\""));
    assert!(page.body.contains("Who sees your answers"));
    assert!(page.body.contains("at most 180 days"));
    // 72 or more items at 8 s each: the minutes shown are ⌈items·8/60⌉.
    let items = builtin_questionnaire().items().len();
    assert!(page
        .body
        .contains(&format!("about {} minutes", (items * 8).div_ceil(60))));
    assert!(!page.body.contains("<script"));
    assert!(page.csp.contains("default-src 'none'"), "{}", page.csp);
    assert!(!page.csp.contains("script-src"), "{}", page.csp);
}

#[tokio::test]
async fn consent_is_required_and_posts_redirect_with_303() {
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let link = &site.invite(&campaign, &["ann"], 14).await[0];
    let welcome = site.send("GET", link, "", None).await;
    let csrf = welcome.field("csrf");
    let shown = welcome.field("shown");
    let without = form(&[("csrf", &csrf), ("shown", &shown)]);
    let reply = site
        .send("POST", &format!("{link}/start"), "", Some(&without))
        .await;
    reply.assert_redirect(&format!("{link}?consent=missing"));
    let again = site
        .send("GET", reply.location.as_deref().unwrap_or(""), "", None)
        .await;
    assert!(again.body.contains("Please tick the box"), "{}", again.body);
    let with = form(&[("csrf", &csrf), ("shown", &shown), ("consent", "yes")]);
    let reply = site
        .send("POST", &format!("{link}/start"), "", Some(&with))
        .await;
    reply.assert_redirect(&format!("{link}/p/1"));
    // Once consent is given, the link itself leads to the first unsaved page.
    site.send("GET", link, "", None)
        .await
        .assert_redirect(&format!("{link}/p/1"));
}

#[tokio::test]
async fn a_post_without_a_valid_csrf_token_is_refused_with_403() {
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let links = site.invite(&campaign, &["ann", "bob"], 14).await;
    let welcome = site.send("GET", &links[0], "", None).await;
    let forged = form(&[
        ("csrf", "00ff"),
        ("shown", &welcome.field("shown")),
        ("consent", "yes"),
    ]);
    let reply = site
        .send("POST", &format!("{}/start", links[0]), "", Some(&forged))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("Form refused"));
    // Another invitation's token does not work here either.
    let other = site.send("GET", &links[1], "", None).await;
    let borrowed = form(&[
        ("csrf", &other.field("csrf")),
        ("shown", &other.field("shown")),
        ("consent", "yes"),
    ]);
    let reply = site
        .send("POST", &format!("{}/start", links[0]), "", Some(&borrowed))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // A page posted with no token at all.
    site.consent(&links[0])
        .await
        .assert_redirect(&format!("{}/p/1", links[0]));
    let reply = site
        .send("POST", &format!("{}/p/1", links[0]), "", Some("x=1"))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(site.saved_pages(&links[0]).await.is_empty());
}

#[tokio::test]
async fn statements_are_radio_groups_named_by_item_id_in_fieldsets() {
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let link = &site.invite(&campaign, &["ann"], 14).await[0];
    site.consent(link).await;
    let page = site.send("GET", &format!("{link}/p/1"), "", None).await;
    let q = builtin_questionnaire();
    let first = pages(q.items().len())[0].clone();
    assert!(page
        .body
        .contains(&format!("Page 1 of {}", pages(q.items().len()).len())));
    assert_eq!(
        page.body.matches("<fieldset class=\"statement\">").count(),
        first.len()
    );
    assert_eq!(page.body.matches("<legend>").count(), first.len());
    for item in &q.items()[first] {
        for label in &q.response_scale().labels {
            let id = format!("{}-{}", item.id, label.value);
            let radio = format!(
                "type=\"radio\" id=\"{id}\" name=\"{}\" value=\"{}\"",
                item.id, label.value
            );
            assert!(page.body.contains(&radio), "{radio}");
            assert!(page
                .body
                .contains(&format!("<label for=\"{id}\">{}</label>", label.label)));
        }
    }
    assert!(page.body.contains("<progress"));
}

#[tokio::test]
async fn a_questionnaire_is_saved_page_by_page_resumed_and_submitted_once() {
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let link = &site.invite(&campaign, &["ann"], 14).await[0];
    let q = builtin_questionnaire();
    let count = pages(q.items().len()).len();
    site.consent(link).await;
    site.answer_page(link, 1, &q, &varied(0))
        .await
        .assert_redirect(&format!("{link}/p/2"));
    // The same link, later: straight to page 2; a page further ahead is not skipped to.
    site.send("GET", link, "", None)
        .await
        .assert_redirect(&format!("{link}/p/2"));
    site.send("GET", &format!("{link}/p/{count}"), "", None)
        .await
        .assert_redirect(&format!("{link}/p/2"));
    // Page 1 again shows the saved answers.
    let again = site.send("GET", &format!("{link}/p/1"), "", None).await;
    let first = &q.items()[0];
    let value = varied(0)(0);
    assert!(
        again
            .body
            .contains(&format!("name=\"{}\" value=\"{value}\" checked", first.id)),
        "{}",
        again.body
    );
    for page in 2..=count {
        let reply = site.answer_page(link, page, &q, &varied(0)).await;
        let next = if page == count {
            format!("{link}/done")
        } else {
            format!("{link}/p/{}", page + 1)
        };
        reply.assert_redirect(&next);
    }
    let done = site.send("GET", &format!("{link}/done"), "", None).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Thank you"));
    assert!(!done.body.contains("<form"));
    // Submitted: the link and its pages are closed; a late post saves nothing.
    let closed = site.send("GET", link, "", None).await;
    assert_eq!(closed.status, StatusCode::GONE);
    assert!(closed.body.contains("submitted already"));
    let late = site
        .send(
            "POST",
            &format!("{link}/p/1"),
            "",
            Some(&form(&[("csrf", "x"), ("shown", "1")])),
        )
        .await;
    assert_eq!(late.status, StatusCode::GONE);
    let saved = site.store.submitted(None).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].answers.len(), q.items().len());
    assert!(saved[0].answers.iter().all(|(id, v)| {
        let i = q.items().iter().position(|item| &item.id == id).unwrap();
        *v == Some(i64::from(varied(0)(i)))
    }));
}

#[tokio::test]
async fn the_link_resumes_after_the_server_is_restarted() {
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let link = site.invite(&campaign, &["ann"], 14).await.remove(0);
    let q = builtin_questionnaire();
    site.consent(&link).await;
    site.answer_page(&link, 1, &q, &varied(1)).await;
    site.answer_page(&link, 2, &q, &varied(1)).await;
    // A new process on the same database file (what a restart after kill -9 sees).
    let dir = tempfile::tempdir().unwrap();
    let again = Site::on(dir, site.db_path().to_str().unwrap()).await;
    again
        .send("GET", &link, "", None)
        .await
        .assert_redirect(&format!("{link}/p/3"));
}

#[tokio::test]
async fn unknown_expired_and_malformed_requests_get_clear_pages() {
    let site = Site::new().await;
    let unknown = site.send("GET", "/i/0123456789abcdef", "", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown
        .body
        .contains("check that the whole link was copied"));
    assert_eq!(
        site.send("GET", "/no/such/page", "", None).await.status,
        StatusCode::NOT_FOUND
    );
    let campaign = site.campaign("retail").await;
    let invitation = NewInvitation {
        id: "expired1".into(),
        token_hash: token_hash("old-token"),
        campaign_id: campaign.clone(),
        reference: "old".into(),
        name: String::new(),
        email: String::new(),
        expires_at: 1,
    };
    site.store.add_invitation(&invitation, 0).await.unwrap();
    let expired = site.send("GET", "/i/old-token", "", None).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.body.contains("expired"));
    // A value outside the response scale cannot come from the form: 400, nothing saved.
    let link = &site.invite(&campaign, &["ann"], 14).await[0];
    site.consent(link).await;
    let q = builtin_questionnaire();
    let reply = site.answer_page(link, 1, &q, &|_| 9).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body.contains("must be a number from 1 to 5"),
        "{}",
        reply.body
    );
    assert_eq!(
        site.send("GET", &format!("{link}/p/99"), "", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    site.send("GET", link, "", None)
        .await
        .assert_redirect(&format!("{link}/p/1"));
}

#[tokio::test]
async fn headers_assets_limits_and_the_done_page_before_submission() {
    let site = Site::new().await;
    let css = site.send("GET", "/assets/style.css", "", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type.starts_with("text/css"));
    assert!(css.body.contains("fieldset.statement"));
    let campaign = site.campaign("retail").await;
    let link = &site.invite(&campaign, &["ann"], 14).await[0];
    let page = site.send_raw("GET", link, "", None).await;
    assert!(page.csp.contains("frame-ancestors 'none'") && page.csp.contains("form-action 'self'"));
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(
            page.headers.get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "{name}"
        );
    }
    // Not submitted yet: the done page sends back to the link.
    site.send("GET", &format!("{link}/done"), "", None)
        .await
        .assert_redirect(link);
    // A form body over 64 KiB is refused before it is read (413), and nothing is saved.
    site.consent(link).await;
    let shown = site.send("GET", &format!("{link}/p/1"), "", None).await;
    let padding = "x".repeat(70 * 1024);
    let big = form(&[
        ("csrf", &shown.field("csrf")),
        ("shown", &shown.field("shown")),
        ("pad", &padding),
    ]);
    let reply = site
        .send("POST", &format!("{link}/p/1"), "", Some(&big))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(site.saved_pages(link).await.is_empty());
}
