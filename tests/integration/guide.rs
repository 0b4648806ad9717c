//! The interview guide of `compare`: each candidate's own gap questions,
//! and nobody else's, in every format; names shown as text.
//!
//! The expected questions are worked out here from `score`'s JSON Lines
//! (each attribute's side of the band and the fit points it lost) and the
//! questionnaire file's probes, not from the report code.

use serde_json::Value;

use crate::support::{repo, Workdir};

/// Questions per gap in the guide.
const PER_GAP: usize = 2;

fn applicants() -> String {
    std::fs::read_to_string(repo("tests/fixtures/report-applicants.csv")).expect("fixture")
}

fn stdout(work: &Workdir, args: &[&str]) -> String {
    stdout_with(work, args, 0)
}

/// Stdout of a run that must end with exit `code` (1: some rows rejected).
fn stdout_with(work: &Workdir, args: &[&str], code: i32) -> String {
    let out = work.command(args).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

/// The probes of the built-in questionnaire: scale id → (low, high).
fn probes() -> Value {
    let text = std::fs::read_to_string(repo("questionnaires/sfq.json")).expect("questionnaire");
    let questionnaire: Value = serde_json::from_str(&text).expect("json");
    questionnaire["scales"].clone()
}

/// What the guide must ask each candidate: (id, status, questions in order).
/// Gaps are the attributes below or above the band, the costliest first
/// (ties in profile order); two probes each, from the gap's side.
fn expected(work: &Workdir, code: i32) -> Vec<(String, String, Vec<String>)> {
    let scales = probes();
    let jsonl = stdout_with(
        work,
        &["score", "a.csv", "--role", "retail", "--format", "jsonl"],
        code,
    );
    jsonl
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|record| record["record"] == "candidate")
        .map(|c| {
            let status = c["validity"]["status"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let mut gaps: Vec<&Value> = c["fit"]["attributes"]
                .as_array()
                .expect("attributes")
                .iter()
                .filter(|a| a["side"] == "below" || a["side"] == "above")
                .collect();
            let lost = |a: &Value| a["points_lost"].as_f64().unwrap_or(0.0);
            gaps.sort_by(|a, b| lost(b).total_cmp(&lost(a)));
            let questions = if status == "invalid" {
                Vec::new()
            } else {
                gaps.iter()
                    .flat_map(|gap| {
                        let scale = (scales.as_array().expect("scales").iter())
                            .find(|s| s["id"] == gap["scale"])
                            .expect("scale");
                        let side = if gap["side"] == "below" {
                            "low"
                        } else {
                            "high"
                        };
                        (scale["probes"][side].as_array().expect("probes").iter())
                            .take(PER_GAP)
                            .map(|p| p.as_str().expect("text").to_string())
                            .collect::<Vec<_>>()
                    })
                    .collect()
            };
            (c["id"].as_str().expect("id").to_string(), status, questions)
        })
        .collect()
}

/// The Markdown guide as (heading, numbered questions) per candidate.
fn guide_blocks(markdown: &str) -> Vec<(String, Vec<String>)> {
    let guide = markdown
        .split("## Interview guide")
        .nth(1)
        .expect("a guide section");
    let guide = guide
        .split("**What these results rest on.**")
        .next()
        .unwrap_or(guide);
    guide
        .split("\n### ")
        .skip(1)
        .map(|block| {
            let heading = block.lines().next().unwrap_or_default().to_string();
            let questions = block
                .lines()
                .filter_map(|line| line.strip_prefix("1. ").or(line.strip_prefix("2. ")))
                .map(|q| q.replace('\\', ""))
                .collect();
            (heading, questions)
        })
        .collect()
}

#[test]
fn guide_asks_each_candidate_about_their_own_gaps_only() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let expected = expected(&work, 0);
    // The fixture's six: ann-lee, dee-park (caution), fay-quinn with no gap;
    // cy-ng and bob-stone with gaps; eli-ross invalid.
    assert_eq!(expected.len(), 6);
    let with_gaps = expected.iter().filter(|(_, _, q)| !q.is_empty()).count();
    assert!(with_gaps >= 2, "{expected:?}");
    let markdown = stdout(
        &work,
        &[
            "compare", "a.csv", "--role", "retail", "--format", "markdown",
        ],
    );
    let blocks = guide_blocks(&markdown);
    assert_eq!(blocks.len(), expected.len(), "{markdown}");
    for (id, status, questions) in &expected {
        let (heading, asked) = blocks
            .iter()
            .find(|(heading, _)| heading.starts_with(&format!("{id} — ")))
            .unwrap_or_else(|| panic!("no guide block for {id}: {markdown}"));
        assert_eq!(&asked, &questions, "{heading}");
        match status.as_str() {
            "invalid" => assert!(heading.ends_with("✗ answers invalid"), "{heading}"),
            "caution" => assert!(heading.ends_with("! answers need care"), "{heading}"),
            _ => assert!(heading.ends_with("✓ answers valid"), "{heading}"),
        }
    }
    // The invalid candidate is sent to references; the caution one gets the flag to check.
    let block = |id: &str| {
        let start = markdown.find(&format!("### {id} — ")).expect("block");
        let rest = &markdown[start + 4..];
        rest[..rest.find("\n### ").unwrap_or(rest.len())].to_string()
    };
    assert!(block("eli-ross").contains("could not be trusted"));
    assert!(block("eli-ross").contains("references"));
    // In the plain words of the candidate's page, not the index the reason names.
    assert!(block("dee-park").contains("They described themselves as flawless"));
    assert!(!block("dee-park").contains("sten"));
    // The same questions, in the same order, on the HTML page and in the terminal.
    for format in ["html", "terminal"] {
        let out = stdout(
            &work,
            &["compare", "a.csv", "--role", "retail", "--format", format],
        );
        let out = out.replace("&#39;", "'").replace("&quot;", "\"");
        let guide = out.split("Interview guide").nth(1).expect("guide");
        let flat = guide.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut from = 0;
        for question in expected.iter().flat_map(|(_, _, q)| q) {
            let at = flat[from..]
                .find(question.as_str())
                .unwrap_or_else(|| panic!("{format}: '{question}' missing or out of order"));
            from += at + question.len();
        }
    }
}

#[test]
fn guide_shows_hostile_names_as_text() {
    let work = Workdir::new();
    let hostile = "<script>alert(1)</script>";
    let text = applicants()
        .replace("\nbob-stone,", &format!("\n\"{hostile}\","))
        .replace("\ncy-ng,", "\n\"**bold** [x](javascript:alert(1))\",");
    work.write("a.csv", &text);
    let html = stdout(
        &work,
        &["compare", "a.csv", "--role", "retail", "--format", "html"],
    );
    let guide = html
        .split("<section class=\"guide\"")
        .nth(1)
        .expect("guide");
    assert!(!guide.contains("<script"), "{guide}");
    assert!(
        guide.contains("<h3>&lt;script&gt;alert(1)&lt;/script&gt;</h3>"),
        "{guide}"
    );
    let markdown = stdout(
        &work,
        &[
            "compare", "a.csv", "--role", "retail", "--format", "markdown",
        ],
    );
    let guide = markdown.split("## Interview guide").nth(1).expect("guide");
    assert!(!guide.contains("<script"), "{guide}");
    assert!(!guide.contains("**bold**"), "{guide}");
    assert!(!guide.contains("[x](javascript"), "{guide}");
}

#[test]
fn guide_of_four_examples_with_a_caution_among_them() {
    // The four of the browser test's fullest comparison: APP-1025 and APP-1013
    // (five gaps each), APP-1022 (caution, with gaps), APP-1029 (invalid).
    let work = Workdir::new();
    let text = std::fs::read_to_string(repo("examples/applicants.csv")).expect("example");
    work.write("a.csv", &text);
    let ids = ["APP-1025", "APP-1013", "APP-1022", "APP-1029"];
    let all = expected(&work, 1);
    let markdown = stdout_with(
        &work,
        &[
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            &ids.join(","),
            "--format",
            "markdown",
        ],
        1,
    );
    let blocks = guide_blocks(&markdown);
    assert_eq!(blocks.len(), 4, "{markdown}");
    // Two questions a gap: five gaps, five, two (caution), and none for invalid answers.
    let counts = [10, 10, 4, 0];
    for ((id, count), (heading, asked)) in ids.iter().zip(counts).zip(&blocks) {
        let (_, status, questions) = all.iter().find(|(i, _, _)| i == id).expect("scored");
        assert!(heading.starts_with(&format!("{id} (")), "{heading}");
        assert_eq!(asked, questions, "{heading}");
        assert_eq!(asked.len(), count, "{heading}");
        assert_eq!(status == "caution", *id == "APP-1022", "{heading}");
    }
    let caution = markdown.split("### APP-1022").nth(1).expect("block");
    assert!(
        caution.contains("check what the answers flagged"),
        "{caution}"
    );
}
