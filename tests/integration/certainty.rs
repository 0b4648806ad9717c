//! Statements of certainty and the ranking that follows them: validity
//! items that must be present, intervals, fit ranges and the order of
//! candidates, on small hand-checked inputs (tests/fixtures/validity).

use crate::support::{repo, Workdir};

/// A folder with the small questionnaire with validity items, its norms and profile.
fn validity_workdir() -> Workdir {
    let wd = Workdir::new();
    for name in ["questionnaire.json", "norms.json", "profile.json"] {
        let text = std::fs::read_to_string(repo(&format!("tests/fixtures/validity/{name}")))
            .expect("fixture");
        wd.write(name, &text);
    }
    wd
}

fn score_args<'a>(input: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "score",
        input,
        "--questionnaire",
        "questionnaire.json",
        "--norms",
        "norms.json",
        "--role",
        "profile.json",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_validity_item_without_a_column_is_refused_unless_asked_to_go_on() {
    let wd = validity_workdir();
    // The attention item's header was retyped ("statment", no quotes): it matches nothing.
    wd.write(
        "r.csv",
        "candidate_id,A1,B1,IM1,A2,\"For this statment, choose Agree\",B2,IM2,A3,B3,IM3\n\
         c1,4,3,2,5,4,4,2,2,1,3\n",
    );
    let out = wd.command(&score_args("r.csv", &[])).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no column for validity item(s) AT1")
            && stderr.contains("nearest unmatched header 'For this statment, choose Agree'")
            && stderr.contains("--without-validity-items"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    for format in ["csv", "json"] {
        let out = wd
            .command(&score_args(
                "r.csv",
                &["--without-validity-items", "--format", format],
            ))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("validity check not possible: no column for attention item AT1"),
            "{format}: {stdout}"
        );
    }
}

/// A folder with the tiny instrument (tests/fixtures/tiny).
fn tiny_workdir() -> Workdir {
    let wd = Workdir::new();
    for name in ["questionnaire.json", "norms.json", "profile.json"] {
        let text =
            std::fs::read_to_string(repo(&format!("tests/fixtures/tiny/{name}"))).expect("fixture");
        wd.write(name, &text);
    }
    wd
}

#[test]
fn an_attribute_that_loses_points_never_reads_in_range() {
    let wd = tiny_workdir();
    // c4: a answers 3, 3, 3 (the third reversed: 3) → raw 3, z 0, continuous sten 5.5,
    // shown 6, half a sten below the band 6–10: closeness with u = 0.5/3 = 1/6 is
    // 1 − 3/36 + 2/216 = 0.925926, so a costs 100·(2/3)·0.074074 = 4.94 points.
    // b answers 4, 4, 2 (reversed 4) → raw 4, z 0.5, sten 6.5 → 7, inside 4–7.
    // c5: a answers 2, 2, 4 (reversed 2) → raw 2, z −2, continuous sten 1.5, shown 2,
    // 4.5 below the band: the words say "4 below", as 6 − 2 on the page does.
    wd.write(
        "r.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\nc4,3,4,3,4,3,2\nc5,2,4,2,4,4,2\n",
    );
    let out = wd
        .command(&score_args("r.csv", &["--format", "markdown"]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let markdown = String::from_utf8_lossy(&out.stdout);
    assert!(
        markdown.contains("| Alpha | 6 | 4.2–6.8 | 6 or more | just below | 4.9 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("Sten 6, just below the role's range (6 or more)."),
        "{markdown}"
    );
    assert!(markdown.contains("| Beta | 7 | 4.9–8.1 | 4–7 | in range | 0.0 |"));
    assert!(
        markdown.contains("| Alpha | 2 | 1.0–2.8 | 6 or more | 4 below, below minimum | 66.7 |"),
        "{markdown}"
    );
}

#[test]
fn the_sem_and_explain_follow_the_items_answered() {
    let wd = tiny_workdir();
    // c6 answers one alpha item of three: SEM = 0.5·√(1 − 0.84)·√(3/1) = 0.2·1.73205 = 0.34641,
    // against 0.2 with all three; its 90% raw interval 4 ± 1.644854·0.34641 = 3.430206–4.569794.
    wd.write("r.csv", "candidate_id,A1,B1,A2,B2,A3,B3\nc6,4,4,,4,,2\n");
    let out = wd
        .command(&score_args(
            "r.csv",
            &["--min-answered", "0", "--format", "jsonl"],
        ))
        .output()
        .unwrap();
    let jsonl = String::from_utf8_lossy(&out.stdout);
    let c6: serde_json::Value = jsonl
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|r| r["record"] == "candidate")
        .expect("a candidate");
    let a = &c6["scales"][0]["normed"];
    assert!(
        (a["sem_raw"].as_f64().unwrap() - 0.346_410_161_5).abs() < 1e-9,
        "{a}"
    );
    assert_eq!(a["answered"], 1);
    assert!(
        (a["raw_interval"]["low"].as_f64().unwrap() - 3.430_205_99).abs() < 1e-6,
        "{a}"
    );
    let explain = wd
        .command(&score_args(
            "r.csv",
            &["--min-answered", "0", "--explain", "c6"],
        ))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&explain.stdout);
    assert!(
        text.contains("SEM = 0.500·√(1 − 0.84)·√(3/1) = 0.346 (k = 1 items answered)"),
        "{text}"
    );
}
