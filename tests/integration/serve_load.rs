//! A bounded load test of `serve` on loopback: N candidates (200 by
//! default, `SERVICEFIT_LOAD_CANDIDATES` to change) answer the whole
//! questionnaire at once over real HTTP/1.1 connections; afterwards every
//! answer of every candidate must be in the database. Bounded in count and
//! in time (3 minutes), it measures, never asserts, throughput; run with
//! `cargo test --test integration load -- --ignored --nocapture`
//! (`.ci/run` does). Results: docs/PERFORMANCE.md.

use std::time::{Duration, Instant};

use servicefit::web::{router, AppState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::web_support::{builtin_questionnaire, form, varied, Site};

/// Longest the whole run may take.
const LIMIT: Duration = Duration::from_secs(180);

struct Reply {
    status: u16,
    location: String,
    body: String,
}

/// One request on a fresh connection (`Connection: close`).
async fn http(addr: &str, method: &str, path: &str, body: &str) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr).await?;
    let kind = if body.is_empty() {
        ""
    } else {
        "Content-Type: application/x-www-form-urlencoded\r\n"
    };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{kind}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let location = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .unwrap_or("")
        .to_string();
    Ok(Reply {
        status,
        location,
        body: body.to_string(),
    })
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    body.find(&marker)
        .map(|i| {
            let rest = &body[i + marker.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .unwrap_or_default()
}

/// One candidate from the link to the done page; returns requests made.
async fn candidate(addr: String, link: String, offset: usize) -> std::io::Result<usize> {
    let q = builtin_questionnaire();
    let answer = varied(offset);
    let welcome = http(&addr, "GET", &link, "").await?;
    let start = form(&[
        ("csrf", &hidden(&welcome.body, "csrf")),
        ("shown", &hidden(&welcome.body, "shown")),
        ("consent", "yes"),
    ]);
    let mut next = http(&addr, "POST", &format!("{link}/start"), &start)
        .await?
        .location;
    let mut requests = 2;
    while next.contains("/p/") {
        let page = http(&addr, "GET", &next, "").await?;
        let mut pairs = vec![
            ("csrf".to_string(), hidden(&page.body, "csrf")),
            ("shown".to_string(), hidden(&page.body, "shown")),
        ];
        for (i, item) in q.items().iter().enumerate() {
            if page.body.contains(&format!("name=\"{}\"", item.id)) {
                pairs.push((item.id.clone(), answer(i).to_string()));
            }
        }
        let borrowed: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let saved = http(&addr, "POST", &next, &form(&borrowed)).await?;
        assert_eq!(saved.status, 303, "{}", saved.body);
        next = saved.location;
        requests += 2;
    }
    assert!(next.ends_with("/done"), "{next}");
    Ok(requests)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load test: run on its own with --ignored --nocapture"]
async fn candidates_answering_at_once_lose_no_answer() {
    let count: usize = std::env::var("SERVICEFIT_LOAD_CANDIDATES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
        .min(2000);
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let references: Vec<String> = (0..count).map(|i| format!("load-{i:04}")).collect();
    let refs: Vec<&str> = references.iter().map(String::as_str).collect();
    let links = site.invite(&campaign, &refs, 1).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let app = router(AppState::new(site.store.clone()).await.unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let started = Instant::now();
    let tasks: Vec<_> = links
        .into_iter()
        .enumerate()
        .map(|(i, link)| tokio::spawn(candidate(addr.clone(), link, i)))
        .collect();
    let all = async {
        let mut requests = 0;
        for task in tasks {
            requests += task.await.expect("candidate task").expect("connection");
        }
        requests
    };
    let requests = tokio::time::timeout(LIMIT, all)
        .await
        .expect("finished within the limit");
    let elapsed = started.elapsed().as_secs_f64();
    server.abort();
    let q = builtin_questionnaire();
    let submitted = site.store.submitted(Some(&campaign)).await.unwrap();
    assert_eq!(submitted.len(), count);
    for s in &submitted {
        let offset: usize = s.invitation.reference[5..].parse().unwrap();
        for (i, item) in q.items().iter().enumerate() {
            assert_eq!(
                s.answers.get(&item.id),
                Some(&Some(i64::from(varied(offset)(i)))),
                "{}",
                s.invitation.reference
            );
        }
    }
    eprintln!(
        "load: {count} candidates, {requests} requests in {elapsed:.1} s: {:.0} requests/s, {:.1} questionnaires/s; every answer saved",
        requests as f64 / elapsed,
        count as f64 / elapsed
    );
}
