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
        markdown.contains("Score 6, just below the role's range (6 or more)."),
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

#[test]
fn simulate_writes_the_truth_beside_the_same_answers() {
    let wd = tiny_workdir();
    let args = [
        "simulate",
        "--n",
        "4",
        "--seed",
        "7",
        "--careless",
        "0.5",
        "--questionnaire",
        "questionnaire.json",
        "--norms",
        "norms.json",
        "--role",
        "profile.json",
    ];
    let plain = wd.command(&args).output().unwrap();
    let with_truth = wd
        .command(&[&args[..], &["--truth", "truth.csv"]].concat())
        .output()
        .unwrap();
    assert_eq!(with_truth.status.code(), Some(0));
    // Asking for the truth does not change the answers.
    assert_eq!(plain.stdout, with_truth.stdout);
    let truth = wd.read("truth.csv");
    let lines: Vec<&str> = truth.lines().collect();
    assert_eq!(lines[0], "candidate_id,a_true_sten,b_true_sten,true_fit");
    assert_eq!(lines.len(), 5);
    let answers = String::from_utf8_lossy(&plain.stdout).to_string();
    for (line, row) in lines[1..].iter().zip(answers.lines().skip(1)) {
        let cells: Vec<&str> = line.split(',').collect();
        let style = row.split(',').nth(1).unwrap();
        // Attentive and faking respondents answer from latent levels (a faker's
        // shifted ones); the other careless styles have none.
        if style == "attentive" || style == "fake_good" {
            let sten = |i: usize| cells[i].parse::<f64>().unwrap();
            // The true fit is the fit formula on the true stens (METHOD §5):
            // a band 6–10 (tolerance 3), b band 4–7 (tolerance 2 above, 3 below), weights 2 and 1.
            let closeness = |d: f64, t: f64| {
                let u = (d / t).clamp(0.0, 1.0);
                1.0 - 3.0 * u * u + 2.0 * u * u * u
            };
            let a = closeness(6.0 - sten(1).clamp(1.0, 10.0), 3.0);
            let b = sten(2).clamp(1.0, 10.0);
            let b = if b < 4.0 {
                closeness(4.0 - b, 3.0)
            } else {
                closeness(b - 7.0, 2.0)
            };
            let fit = 100.0 * (2.0 * a + b) / 3.0;
            assert!(
                (cells[3].parse::<f64>().unwrap() - fit).abs() < 1e-5,
                "{line}"
            );
        } else {
            assert_eq!(&cells[1..], ["", "", ""], "{line}");
        }
    }
}

#[test]
fn norms_and_analysis_leave_out_invalid_answers_unless_kept() {
    let wd = tiny_workdir();
    // c3 answers 3 throughout: spread 0, invalid for `score` (IRV ≤ 0.30).
    wd.write(
        "staff.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\nc1,4,3,5,4,2,1\nc2,3,5,3,5,4,1\nc3,3,3,3,3,3,3\n",
    );
    let build = |extra: &[&str]| {
        let args = [
            &[
                "norms",
                "build",
                "staff.csv",
                "--questionnaire",
                "questionnaire.json",
            ][..],
            &["--name", "local", "--out", "local.json"],
            extra,
        ]
        .concat();
        let out = wd.command(&args).output().unwrap();
        let norms: serde_json::Value = serde_json::from_str(&wd.read("local.json")).unwrap();
        (out, norms)
    };
    // a: c1 (4 + 5 + (6 − 2))/3 = 4.3333, c2 (3 + 3 + (6 − 4))/3 = 2.6667, c3 3.
    // Without c3 the mean is 3.5 (n 2); with it 3.3333 (n 3).
    let (out, norms) = build(&[]);
    assert_eq!(out.status.code(), Some(0), "left out is not rejected");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rows read 3 = used 2 + invalid answers left out 1 + rejected 0"),
        "{stderr}"
    );
    let a = &norms["groups"][0]["scales"]["a"];
    assert_eq!(a["n"], 2);
    assert!((a["mean"].as_f64().unwrap() - 3.5).abs() < 1e-12, "{a}");
    let (_, kept) = build(&["--keep-invalid"]);
    let a = &kept["groups"][0]["scales"]["a"];
    assert_eq!(a["n"], 3);
    assert!(
        (a["mean"].as_f64().unwrap() - 10.0 / 3.0).abs() < 1e-12,
        "{a}"
    );
    let analyze = wd
        .command(&[
            "analyze",
            "staff.csv",
            "--questionnaire",
            "questionnaire.json",
        ])
        .output()
        .unwrap();
    assert_eq!(analyze.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&analyze.stderr);
    assert!(
        stderr.contains("rows read 3 = analysed 2 + invalid answers left out 1 + rejected 0"),
        "{stderr}"
    );
}

#[test]
fn top_keeps_the_best_candidates_with_a_fit_and_their_ties() {
    let wd = tiny_workdir();
    // c1 and c3 answer alike (fit 100, tied at rank 1); c2 is below a minimum (fit 27.6);
    // c4 straight-lines (invalid).
    wd.write(
        "r.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\nc1,4,3,5,4,2,1\nc2,3,5,3,5,4,1\nc3,4,3,5,4,2,1\nc4,3,3,3,3,3,3\n",
    );
    let ids = |extra: &[&str]| {
        let out = wd.command(&score_args("r.csv", extra)).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .skip(1)
            .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&[]), ["1 c1", "1 c3", "3 c2", "4 c4"]);
    // Top 1 keeps the tie; 100% keeps the three with a fit, never the invalid one.
    assert_eq!(ids(&["--top", "1"]), ["1 c1", "1 c3"]);
    assert_eq!(ids(&["--top", "100%"]), ["1 c1", "1 c3", "3 c2"]);
    // 34% of 3 = 1.02 → 2 candidates: the tied pair.
    assert_eq!(ids(&["--top", "34%"]), ["1 c1", "1 c3"]);
}
