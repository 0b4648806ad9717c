//! The adversarial probe's bad inputs (issue 19, tests/fixtures/probe/):
//! wrong numbers that used to pass without a word, and user text that used
//! to act instead of being shown.

use crate::support::{repo, Workdir};

fn fixture(dir: &str, name: &str) -> String {
    repo(&format!("tests/fixtures/{dir}/{name}"))
        .display()
        .to_string()
}

fn stderr_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8_lossy(&out.get_output().stderr).to_string()
}

fn stdout_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8_lossy(&out.get_output().stdout).to_string()
}

/// `score` on the tiny responses with the tiny questionnaire and the given norms and role.
fn score_tiny(dir: &Workdir, norms: &str, role: &str, extra: &[&str]) -> assert_cmd::Command {
    score_file(dir, &fixture("tiny", "responses.csv"), norms, role, extra)
}

/// `score` on `responses` with the tiny questionnaire and the given norms and role.
fn score_file(
    dir: &Workdir,
    responses: &str,
    norms: &str,
    role: &str,
    extra: &[&str],
) -> assert_cmd::Command {
    let questionnaire = fixture("tiny", "questionnaire.json");
    let mut args = vec![
        "score",
        responses,
        "--questionnaire",
        questionnaire.as_str(),
        "--norms",
        norms,
        "--role",
        role,
    ];
    args.extend_from_slice(extra);
    dir.command(&args)
}

#[test]
fn a_key_given_twice_in_a_map_is_refused_with_the_key_and_line() {
    let dir = Workdir::new();
    let norms = fixture("probe", "norms-duplicate-scale.json");
    let err = stderr_of(
        &mut score_tiny(&dir, &norms, &fixture("tiny", "profile.json"), &[]),
        2,
    );
    assert!(
        err.contains(&format!(
            "{norms}: not a valid norms file at line 6, column 7: the key \"a\" a second time in one object"
        )),
        "{err}"
    );
    let report = stdout_of(&mut dir.command(&["check", &norms]), 2);
    assert!(
        report.contains("line 6, column 7: found the key \"a\" a second time in one object"),
        "{report}"
    );
}

#[test]
fn a_json_file_with_a_byte_order_mark_is_read() {
    let dir = Workdir::new();
    let with_mark = fixture("probe", "profile-bom.json");
    let norms = fixture("tiny", "norms.json");
    let plain = stdout_of(
        &mut score_tiny(
            &dir,
            &norms,
            &fixture("tiny", "profile.json"),
            &["--format", "csv"],
        ),
        0,
    );
    let marked = stdout_of(
        &mut score_tiny(&dir, &norms, &with_mark, &["--format", "csv"]),
        0,
    );
    assert_eq!(marked, plain);
    let questionnaire = fixture("tiny", "questionnaire.json");
    dir.command(&["check", &questionnaire, &with_mark])
        .assert()
        .code(0);
}

/// Characters that act on a terminal or reorder text instead of showing.
const ACTING: [char; 3] = ['\u{1b}', '\u{7}', '\u{202e}'];

#[test]
fn audit_shows_hostile_group_values_as_text_in_every_format() {
    let dir = Workdir::new();
    let (results, groups) = (
        fixture("audit", "hand-results.csv"),
        fixture("probe", "audit-hostile-groups.csv"),
    );
    for format in ["terminal", "markdown", "html", "csv", "json"] {
        let out = dir
            .command(&[
                "audit",
                &results,
                "--groups",
                &groups,
                "--group",
                "group",
                "--selected",
                "hired",
                "--format",
                format,
            ])
            .assert()
            .success();
        let output = out.get_output();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        // JSON is data: serde escapes ESC and BEL (\u001b), and keeps U+202E as the value it is.
        let acting: &[char] = if format == "json" {
            &ACTING[..2]
        } else {
            &ACTING
        };
        assert!(!stdout.contains(acting), "{format}: {stdout}");
        assert!(!stderr.contains(ACTING), "{format}: {stderr}");
        if matches!(format, "markdown" | "html") {
            assert!(!stdout.contains("<script>"), "{format}: {stdout}");
        }
        if format == "markdown" {
            assert!(!stdout.contains("[x]("), "{format}: {stdout}");
        }
    }
    let markdown = stdout_of(
        &mut dir.command(&[
            "audit",
            &results,
            "--groups",
            &groups,
            "--group",
            "group",
            "--selected",
            "hired",
            "--format",
            "markdown",
        ]),
        0,
    );
    // The Markdown escaper of `score`: entities for <>, backslashes before [ ], ? for ESC, BEL and U+202E.
    assert!(
        markdown.contains("| &lt;script&gt;alert(1)&lt;/script&gt; | 80 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| \\[x\\](javascript:alert(1)) | 40 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| e?\\[2Jvil? ann?fdp (too small) | 3 |"),
        "{markdown}"
    );
}

#[test]
fn dry_run_check_and_load_errors_show_control_characters_and_bidi_overrides_safely() {
    let dir = Workdir::new();
    let (norms, profile) = (
        fixture("tiny", "norms.json"),
        fixture("tiny", "profile.json"),
    );
    let responses = fixture("probe", "responses-hostile-header.csv");
    let mut dry_run = score_file(&dir, &responses, &norms, &profile, &["--dry-run"]);
    let matching = stdout_of(&mut dry_run, 0);
    assert!(
        matching.contains("  column 8 \"note?]0;pwned??\": no item has this id or text"),
        "{matching}"
    );
    let hostile = fixture("probe", "profile-hostile-scale.json");
    let questionnaire = fixture("tiny", "questionnaire.json");
    let report = stdout_of(&mut dir.command(&["check", &questionnaire, &hostile]), 2);
    assert!(
        report.contains("targets[1].scale: found 'b?[2J?', not an attribute scale"),
        "{report}"
    );
    let err = stderr_of(&mut score_tiny(&dir, &norms, &hostile, &[]), 2);
    assert!(
        err.contains("  - targets[1].scale: 'b?[2J?', not an attribute"),
        "{err}"
    );
    for text in [&matching, &report, &err] {
        assert!(!text.contains(ACTING), "{text}");
    }
}

#[test]
fn ids_differing_by_a_leading_quote_stay_apart_through_csv_and_the_audit() {
    let dir = Workdir::new();
    let (norms, profile) = (
        fixture("tiny", "norms.json"),
        fixture("tiny", "profile.json"),
    );
    let responses = fixture("probe", "responses-formula-ids.csv");
    let mut score = score_file(&dir, &responses, &norms, &profile, &["--format", "csv"]);
    let csv = stdout_of(&mut score, 0);
    // =x is neutralised to '=x; the literal '=x gets its quote doubled.
    assert!(csv.contains("\n1,'=x,"), "{csv}");
    assert!(csv.contains("\n2,''=x,"), "{csv}");
    dir.write("results.csv", &csv);
    let groups = fixture("probe", "groups-formula-ids.csv");
    let out = dir
        .command(&[
            "audit",
            "results.csv",
            "--groups",
            &groups,
            "--group",
            "group",
            "--selected",
            "hired",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let audit: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rows = audit["tables"][0]["rows"].as_array().unwrap();
    // =x is in group A and selected, '=x in group B and not: two groups of one.
    let summary: Vec<(String, u64, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["group"].as_str().unwrap().to_string(),
                r["n"].as_u64().unwrap(),
                r["selected"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, [("A".into(), 1, 1), ("B".into(), 1, 0)]);
}

#[test]
fn norms_merge_refuses_partials_no_data_could_give() {
    let dir = Workdir::new();
    let good = fixture("probe", "partial-a.json");
    for (file, message) in [
        // A count of 2^64 − 1 wrapped round to a small n (and panicked in a debug build).
        (
            "partial-huge-count.json",
            "groups.all.a: more than 2^64 respondents with a raw score, more than the 2 respondents of the item table",
        ),
        // 30/3 = a mean answer of 10 on a 1..5 scale.
        (
            "partial-impossible-sum.json",
            "groups.all.a: raw_scores[1]: sum 30, answered 3, count 1; a raw score sum/answered needs 1 to 3 items answered, a mean from 1 to 5",
        ),
        (
            "partial-empty-table.json",
            "groups.all.b: an empty raw-score table: no respondent has a score",
        ),
    ] {
        let bad = fixture("probe", file);
        let err = stderr_of(
            &mut dir.command(&["norms", "merge", &good, &bad, "--name", "m", "--out", "m.json"]),
            2,
        );
        assert!(err.starts_with(&format!("error: {bad}: {message}")), "{err}");
        assert!(!dir.dir.path().join("m.json").exists(), "{file}: nothing written");
    }
    dir.command(&["norms", "merge", &good, "--name", "m", "--out", "m.json"])
        .assert()
        .code(0);
}

#[test]
fn numeric_options_refuse_nan_and_infinity() {
    let dir = Workdir::new();
    let (responses, questionnaire) = (
        fixture("tiny", "responses.csv"),
        fixture("tiny", "questionnaire.json"),
    );
    for (args, option) in [
        (
            vec![
                "analyze",
                &responses,
                "--questionnaire",
                &questionnaire,
                "--min-alpha",
                "nan",
            ],
            "--min-alpha <ALPHA>",
        ),
        (
            vec![
                "analyze",
                &responses,
                "--questionnaire",
                &questionnaire,
                "--min-answered",
                "NaN%",
            ],
            "--min-answered <SHARE>",
        ),
        (
            vec!["score", &responses, "--confidence", "inf"],
            "--confidence <LEVEL>",
        ),
        (vec!["simulate", "--careless", "nan"], "--careless <SHARE>"),
    ] {
        let err = stderr_of(&mut dir.command(&args), 2);
        assert!(
            err.starts_with(&format!(
                "error: invalid value '{}' for '{option}'",
                args.last().unwrap()
            )),
            "{err}"
        );
    }
    let err = stderr_of(
        &mut dir.command(&[
            "profile",
            "calibrate",
            &responses,
            "--questionnaire",
            &questionnaire,
            "--norms",
            &fixture("tiny", "norms.json"),
            "--performance",
            "x.csv",
            "--threshold=-inf",
            "--name",
            "x",
            "--out",
            "x.json",
        ]),
        2,
    );
    assert!(
        err.contains("'-inf': expected a finite number, e.g. 0.7"),
        "{err}"
    );
}

#[test]
fn ratings_beyond_a_billion_are_refused_with_the_range_not_turned_into_nan() {
    let dir = Workdir::new();
    let ratings = fixture("probe", "ratings-extreme.csv");
    let err = stderr_of(
        &mut dir.command(&[
            "profile",
            "calibrate",
            &fixture("tiny", "responses.csv"),
            "--questionnaire",
            &fixture("tiny", "questionnaire.json"),
            "--norms",
            &fixture("tiny", "norms.json"),
            "--performance",
            &ratings,
            "--name",
            "x",
            "--out",
            "x.json",
        ]),
        2,
    );
    assert!(
        err.contains("row 2: 'c1', '1e308': expected an id and a rating from -1e9 to 1e9; skipped"),
        "{err}"
    );
    assert!(
        err.contains("row 3: 'c2', '-1e308': expected an id and a rating from -1e9 to 1e9"),
        "{err}"
    );
    assert!(!err.contains("NaN"), "{err}");
}

#[test]
fn page_names_avoid_windows_devices_and_keep_accented_letters() {
    let dir = Workdir::new();
    let (norms, profile) = (
        fixture("tiny", "norms.json"),
        fixture("tiny", "profile.json"),
    );
    let responses = fixture("probe", "responses-page-names.csv");
    score_file(
        &dir,
        &responses,
        &norms,
        &profile,
        &["--format", "html", "--out", "out"],
    )
    .assert()
    .code(0);
    let pages = dir.dir.path().join("out/candidates");
    let mut names: Vec<String> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // COM1.txt_.html is still the device COM1 on Windows; COM1_.txt.html is not.
    assert_eq!(names, ["COM1_.txt.html", "Zoë_Müller.html"]);
    let index = dir.read("out/index.html");
    assert!(index.contains("candidates/Zoë_Müller.html"), "{index}");
}

#[test]
fn reports_and_comparisons_show_hostile_ids_as_text() {
    let dir = Workdir::new();
    let (norms, profile) = (
        fixture("tiny", "norms.json"),
        fixture("tiny", "profile.json"),
    );
    let responses = fixture("probe", "responses-hostile-ids.csv");
    let questionnaire = fixture("tiny", "questionnaire.json");
    for format in ["markdown", "html", "terminal"] {
        let compare = stdout_of(
            &mut dir.command(&[
                "compare",
                &responses,
                "--questionnaire",
                &questionnaire,
                "--norms",
                &norms,
                "--role",
                &profile,
                "--format",
                format,
            ]),
            0,
        );
        assert!(!compare.contains(ACTING), "compare {format}: {compare}");
        assert!(compare.contains("ann?fdp"), "compare {format}: {compare}");
        let report = stdout_of(
            &mut score_file(&dir, &responses, &norms, &profile, &["--format", format]),
            0,
        );
        assert!(!report.contains(ACTING), "score {format}: {report}");
        assert!(report.contains("bob?"), "score {format}: {report}");
    }
}

#[test]
fn audit_names_unreadable_results_safely() {
    let dir = Workdir::new();
    let results = fixture("probe", "audit-hostile-results.csv");
    let out = dir
        .command(&["audit", &results, "--band", "good", "--group", "sex"])
        .assert()
        .code(1); // a row could not be read
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("left out line 2 (a?[2J): fit is not a number: 'abc?'"),
        "{stderr}"
    );
    assert!(!stderr.contains(ACTING), "{stderr}");
}
