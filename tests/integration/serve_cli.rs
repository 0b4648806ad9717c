//! `user add`, `invite` and `export`: the commands that look after the
//! database of `serve`, run as a user runs them.

use super::support::Workdir;
use super::web_support::{builtin_questionnaire, varied, Site};

/// The bytes of the SQLite database `s.db` and its write-ahead log, as text.
fn database_text(work: &Workdir) -> String {
    ["s.db", "s.db-wal"]
        .iter()
        .filter_map(|name| std::fs::read(work.dir.path().join(name)).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_bad_ones() {
    let work = Workdir::new();
    work.command(&["user", "add", "--db", "s.db", "alice"])
        .write_stdin("a long enough password\n")
        .assert()
        .success()
        .stderr(predicates::str::contains("assessor 'alice' added"));
    work.command(&["user", "add", "--db", "s.db", "alice"])
        .write_stdin("another password\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("assessor 'alice' exists already"));
    work.command(&["user", "add", "--db", "s.db", "bob"])
        .write_stdin("short\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at least 8 characters"));
    // Only the argon2 hash is in the database file, never the password.
    let text = database_text(&work);
    assert!(!text.contains("a long enough password"));
    assert!(text.contains("$argon2id$"));
}

#[test]
fn invite_prints_a_tab_separated_link_per_reference_and_stores_only_hashes() {
    let work = Workdir::new();
    work.write(
        "people.csv",
        "Name,Email,Reference\nCy,cy@example.org,C-3\n",
    );
    let out = work
        .command(&[
            "invite",
            "--db",
            "s.db",
            "--role",
            "retail",
            "--base-url",
            "https://jobs.example.org/",
            "--expires",
            "3",
            "--from",
            "people.csv",
            "ann",
            "bob",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<(&str, &str)> = stdout
        .lines()
        .map(|l| l.split_once('\t').unwrap())
        .collect();
    let refs: Vec<&str> = lines.iter().map(|(r, _)| *r).collect();
    assert_eq!(refs, ["C-3", "ann", "bob"]);
    let db = database_text(&work);
    for (_, link) in &lines {
        let token = link.strip_prefix("https://jobs.example.org/i/").unwrap();
        // 256 bits as 64 hex digits, from the OS random source; only its SHA-256 is stored.
        assert_eq!(token.len(), 64);
        assert!(!db.contains(token));
        assert!(db.contains(&servicefit::web::secret::token_hash(token)));
    }
    // A reference the campaign has: not invited again, exit 1, the others are.
    work.command(&["invite", "--db", "s.db", "--role", "retail", "ann", "dee"])
        .assert()
        .code(1)
        .stdout(predicates::str::starts_with(
            "dee\thttp://127.0.0.1:8080/i/",
        ))
        .stderr(predicates::str::contains(
            "not invited: candidate reference 'ann' exists already",
        ));
    work.command(&["invite", "--db", "s.db", "--role", "no-such-role", "x"])
        .assert()
        .code(2);
    work.command(&["invite", "--db", "s.db", "--role", "retail"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no candidate to invite"));
}

#[tokio::test]
async fn export_writes_what_score_reads_with_the_time_spent() {
    let site = Site::new().await;
    let campaign = site.campaign("retail").await;
    let links = site.invite(&campaign, &["=ann", "bob"], 14).await;
    let q = builtin_questionnaire();
    site.complete(&links[0], &q, &varied(0)).await;
    let db = site.db_path();
    let work = Workdir::new();
    let db = db.to_str().unwrap();
    work.command(&["export", "--db", db, "--out", "answers.csv"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "1 submitted questionnaire(s) exported",
        ));
    let csv = work.read("answers.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "candidate_id");
    let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(&header[1..=ids.len()], ids.as_slice());
    assert_eq!(
        &header[ids.len() + 1..],
        ["Start time", "Submitted at", "Duration (in seconds)"]
    );
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert!(lines.next().is_none(), "bob has not submitted");
    // The reference is neutralised against formula injection.
    assert_eq!(row[0], "'=ann");
    let answers: Vec<String> = (0..ids.len()).map(|i| varied(0)(i).to_string()).collect();
    assert_eq!(&row[1..=ids.len()], answers.as_slice());
    assert!(row[ids.len() + 1].ends_with('Z') && row[ids.len() + 2].ends_with('Z'));
    let seconds: f64 = row[ids.len() + 3].parse().unwrap();
    assert!((0.0..60.0).contains(&seconds), "{seconds}");
    // score reads it, and its speed check sees pages answered in well under a second.
    work.command(&[
        "score",
        "answers.csv",
        "--role",
        "retail",
        "--format",
        "jsonl",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains(
        "seconds per item, too fast to read them",
    ));
}

#[test]
fn serve_creates_the_database_listens_and_answers() {
    use std::io::{BufRead, BufReader, Read, Write};
    let work = Workdir::new();
    /// Kills the server however the test ends.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut server = Server(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("servicefit"))
            .current_dir(work.dir.path())
            .args(["serve", "--db", "new.db", "--listen", "127.0.0.1:0"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(server.0.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .strip_prefix("serving on http://")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "GET /login HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    drop(server);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("<h1>Log in</h1>"));
    assert!(work.dir.path().join("new.db").exists());
}
