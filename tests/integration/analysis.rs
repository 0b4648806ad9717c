//! The consultant's toolkit end to end: reliability against R psych, norm
//! building and exact merging, calibration, criterion validity and `check`.

use crate::support::{repo, Workdir};

const FIXTURE: &str = "tests/fixtures/analysis";

fn fixture(name: &str) -> String {
    repo(&format!("{FIXTURE}/{name}")).display().to_string()
}

/// Parses `expected.txt` (written by expected.R): lines of `kind id key value key value …`.
/// One line of expected.txt: kind, id, (key, value) pairs.
type ExpectedLine = (String, String, Vec<(String, f64)>);

fn expected() -> Vec<ExpectedLine> {
    let text = std::fs::read_to_string(fixture("expected.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let pairs = if words[0] == "freq" {
                words[2..]
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v.parse().unwrap()))
                    .collect()
            } else {
                words[2..]
                    .chunks(2)
                    .map(|c| (c[0].to_string(), c[1].parse().unwrap()))
                    .collect()
            };
            (words[0].to_string(), words[1].to_string(), pairs)
        })
        .collect()
}

fn close(what: &str, ours: f64, r: f64) {
    assert!((ours - r).abs() < 1e-6, "{what}: ours {ours}, R psych {r}");
}

#[test]
fn reliability_matches_r_psych_to_1e_6() {
    let dir = Workdir::new();
    let output = dir
        .command(&[
            "analyze",
            &fixture("responses.csv"),
            "--questionnaire",
            &fixture("questionnaire.json"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let scales = json["analysis"]["scales"].as_array().unwrap();
    let scale = |id: &str| scales.iter().find(|s| s["scale"] == id).unwrap();
    let item = |id: &str| {
        scales
            .iter()
            .flat_map(|s| {
                s["reliability"]["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .cloned()
                    .zip(s["frequencies"].as_array().unwrap().iter().cloned())
            })
            .find(|(i, _)| i["id"] == id)
            .unwrap()
    };
    let mut checked = 0;
    for (kind, id, values) in expected() {
        for (key, r) in values {
            let ours = match (kind.as_str(), key.as_str()) {
                ("scale", k) => {
                    let s = scale(&id);
                    let rel = &s["reliability"];
                    match k {
                        "raw_alpha" => &rel["alpha"],
                        "std_alpha" => &rel["alpha_standardized"],
                        "g6" => &rel["lambda6"],
                        "average_r" => &rel["average_r"],
                        "mean" => &s["mean"],
                        "sd" => &s["sd"],
                        _ => unreachable!("{k}"),
                    }
                    .as_f64()
                    .unwrap()
                }
                ("item", "std_r") => continue, // psych's std.r is not reported by analyze
                ("item", k) => {
                    let field = match k {
                        "alpha_drop" => "alpha_if_deleted",
                        "std_alpha_drop" => "alpha_standardized_if_deleted",
                        "g6_drop" => "lambda6_if_deleted",
                        "average_r_drop" => "average_r_if_deleted",
                        other => other,
                    };
                    item(&id).0[field].as_f64().unwrap()
                }
                ("freq", k) => {
                    let f = item(&id).1;
                    match k.parse::<usize>().unwrap() {
                        5 => f["missing"].as_f64().unwrap(),
                        v => f["shares"][v].as_f64().unwrap(),
                    }
                }
                // scoreItems repeats alpha and the scale mean and sd: the same numbers as alpha()'s.
                ("scoreItems", "alpha") => scale(&id)["reliability"]["alpha"].as_f64().unwrap(),
                ("scoreItems", "scores_mean") => scale(&id)["mean"].as_f64().unwrap(),
                ("scoreItems", "scores_sd") => scale(&id)["sd"].as_f64().unwrap(),
                other => panic!("unexpected {other:?}"),
            };
            close(&format!("{kind} {id} {key}"), ours, r);
            checked += 1;
        }
    }
    // 2 scales × 6 + 10 items × 9 (less std_r) + 10 items × 6 frequencies + 2 × 3 scoreItems.
    assert_eq!(checked, 2 * 6 + 10 * 9 + 10 * 6 + 2 * 3);
}

#[test]
fn analyze_warns_about_a_negative_item_and_lists_rejected_rows() {
    let dir = Workdir::new();
    let mut text = std::fs::read_to_string(fixture("responses.csv")).unwrap();
    text.push_str("E041,north,3,9,3,3,3,3,3,3,3,3,3\n");
    dir.write("r.csv", &text);
    dir.command(&[
        "analyze",
        "r.csv",
        "--questionnaire",
        &fixture("questionnaire.json"),
    ])
    .assert()
    .code(1)
    .stdout(predicates::str::contains("item W6 correlates negatively"))
    .stderr(predicates::str::contains(
        "r.csv: rejected row 42 (E041), column W1: 9 is outside the response scale",
    ))
    .stderr(predicates::str::contains(
        "rows read 41 = analysed 40 + invalid answers left out 0 + rejected 1",
    ));
}

/// The fixture's data rows split into two files, each with the header.
fn halves(dir: &Workdir) {
    let text = std::fs::read_to_string(fixture("responses.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let join = |part: &[&str]| format!("{header}\n{}\n", part.join("\n"));
    dir.write("first.csv", &join(&rows[..17]));
    dir.write("second.csv", &join(&rows[17..]));
    dir.write("whole.csv", &join(&rows));
}

#[test]
fn merged_partials_equal_one_run_over_all_the_data() {
    let dir = Workdir::new();
    halves(&dir);
    let q = fixture("questionnaire.json");
    for group in [None, Some("site")] {
        let mut common = vec!["--questionnaire", q.as_str(), "--name", "fx"];
        if let Some(g) = group {
            common.extend(["--group", g]);
        }
        let run = |args: &[&str]| {
            let mut all: Vec<&str> = args.to_vec();
            all.extend(&common);
            dir.command(&all).assert().success();
        };
        run(&["norms", "build", "whole.csv", "--out", "whole.json"]);
        run(&[
            "norms",
            "build",
            "whole.csv",
            "--partial",
            "--out",
            "whole.partial.json",
        ]);
        run(&[
            "norms",
            "build",
            "first.csv",
            "--partial",
            "--out",
            "a.partial.json",
        ]);
        run(&[
            "norms",
            "build",
            "second.csv",
            "--partial",
            "--out",
            "b.partial.json",
        ]);
        let merge = |inputs: &[&str], out: &str| {
            let mut args = vec!["norms", "merge"];
            args.extend(inputs);
            args.extend(["--name", "fx", "--out", out]);
            dir.command(&args).assert().success();
        };
        merge(&["a.partial.json", "b.partial.json"], "ab.json");
        merge(&["b.partial.json", "a.partial.json"], "ba.json");
        merge(&["whole.partial.json"], "one.json");
        // One partial of the whole file merges into exactly the bytes of a direct build.
        assert_eq!(dir.read("one.json"), dir.read("whole.json"));
        // Merge order does not matter, to the byte.
        assert_eq!(dir.read("ab.json"), dir.read("ba.json"));
        // Two halves give exactly the norms of the whole: every group, n, mean, sd,
        // alpha and percentile, byte for byte; only the provenance names other sources.
        let groups = |name: &str| {
            let v: serde_json::Value = serde_json::from_str(&dir.read(name)).unwrap();
            serde_json::to_string_pretty(&v["groups"]).unwrap()
        };
        assert_eq!(groups("ab.json"), groups("whole.json"));
        assert!(dir
            .read("ab.json")
            .contains("2 response files merged from partials"));
    }
    // Merging the same data twice is refused.
    dir.command(&[
        "norms",
        "merge",
        "a.partial.json",
        "a.partial.json",
        "--name",
        "x",
        "--out",
        "x.json",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains("already merged"));
}

#[test]
fn percentile_ranks_and_norms_by_hand() {
    // Tiny questionnaire, scale a = A1, A2, A3 (A3 reversed, 1..5). Five respondents:
    // keyed a = (1,1,1), (1,2,3), (3,2,1), (3,3,3), (5,5,5): raw 1, 2, 2, 3, 5.
    // PR(1) = 100·(0 + ½)/5 = 10; PR(2) = 100·(1 + 1)/5 = 40; PR(3) = 100·(3 + ½)/5 = 70; PR(5) = 90.
    // mean = 13/5 = 2.6; sd = √((2.56 + 0.36 + 0.36 + 0.16 + 5.76)/4) = √2.3.
    let dir = Workdir::new();
    dir.write(
        "t.csv",
        "candidate_id,A1,A2,A3,B1,B2,B3\nr1,1,1,5,1,2,3\nr2,1,2,3,2,2,2\nr3,3,2,5,3,2,2\nr4,3,3,3,4,4,1\nr5,5,5,1,5,5,1\n",
    );
    dir.command(&[
        "norms",
        "build",
        "t.csv",
        "--questionnaire",
        &repo("tests/fixtures/tiny/questionnaire.json")
            .display()
            .to_string(),
        "--name",
        "t",
        "--out",
        "n.json",
        "--date",
        "2025-01",
    ])
    .assert()
    .success()
    .stderr(predicates::str::contains("only 5 respondents"));
    let norms: serde_json::Value = serde_json::from_str(&dir.read("n.json")).unwrap();
    let a = &norms["groups"][0]["scales"]["a"];
    let table: Vec<(f64, f64)> = a["percentiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["raw"].as_f64().unwrap(),
                p["percentile"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(table, [(1.0, 10.0), (2.0, 40.0), (3.0, 70.0), (5.0, 90.0)]);
    assert_eq!(a["n"], 5);
    assert!((a["mean"].as_f64().unwrap() - 2.6).abs() < 1e-12);
    assert!((a["sd"].as_f64().unwrap() - 2.3f64.sqrt()).abs() < 1e-12);
    assert_eq!(norms["provisional"], false);
    assert_eq!(norms["provenance"]["date"], "2025-01");
    let sha = servicefit::provenance::sha256_hex(dir.read("t.csv").as_bytes());
    assert_eq!(norms["provenance"]["source_sha256"], sha.as_str());
}

fn calibrated(dir: &Workdir) {
    let q = fixture("questionnaire.json");
    dir.command(&[
        "norms",
        "build",
        &fixture("responses.csv"),
        "--questionnaire",
        &q,
        "--name",
        "fx",
        "--out",
        "n.json",
    ])
    .assert()
    .success();
    dir.command(&[
        "profile",
        "calibrate",
        &fixture("responses.csv"),
        "--questionnaire",
        &q,
        "--norms",
        "n.json",
        "--performance",
        "rating",
        "--name",
        "Fixture role",
        "--out",
        "p.json",
        "--format",
        "json",
    ])
    .assert()
    .success();
}

#[test]
fn calibrated_profile_is_an_ordinary_profile_that_score_accepts() {
    let dir = Workdir::new();
    calibrated(&dir);
    let profile: serde_json::Value = serde_json::from_str(&dir.read("p.json")).unwrap();
    assert_eq!(profile["id"], "fixture-role");
    assert_eq!(profile["targets"].as_array().unwrap().len(), 2);
    let q = fixture("questionnaire.json");
    dir.command(&[
        "score",
        &fixture("responses.csv"),
        "--questionnaire",
        &q,
        "--norms",
        "n.json",
        "--role",
        "p.json",
    ])
    .assert()
    .success();
    dir.command(&["check", &q, "n.json", "p.json"])
        .assert()
        .success()
        .stdout(predicates::str::contains("ok: 3 files"));
}

#[test]
fn calibration_report_numbers_by_hand() {
    // Fixture: 40 incumbents, top 25% = the 10 best ratings. Its ratings' 10th best is the cut-off.
    let dir = Workdir::new();
    let q = fixture("questionnaire.json");
    dir.command(&[
        "norms",
        "build",
        &fixture("responses.csv"),
        "--questionnaire",
        &q,
        "--name",
        "fx",
        "--out",
        "n.json",
    ])
    .assert()
    .success();
    let out = dir
        .command(&[
            "profile",
            "calibrate",
            &fixture("responses.csv"),
            "--questionnaire",
            &q,
            "--norms",
            "n.json",
            "--performance",
            "rating",
            "--name",
            "F",
            "--out",
            "p.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(fixture("responses.csv")).unwrap();
    let mut ratings: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    ratings.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(report["top_cutoff"].as_f64().unwrap(), ratings[9]);
    assert_eq!(report["used"], 40);
    // The fixture's ratings were made to rise with warmth (0.6) more than steadiness (0.3).
    let w = &report["attributes"][0];
    assert_eq!(w["scale"], "warmth");
    let r = w["correlation"]["r"].as_f64().unwrap();
    let i = &w["correlation"]["interval"];
    // Fisher z by hand from the reported r: tanh(atanh r ± 1.959964/√37).
    let half = 1.959963984540054 / 37f64.sqrt();
    assert!((i["low"].as_f64().unwrap() - (r.atanh() - half).tanh()).abs() < 1e-12);
    assert!((i["high"].as_f64().unwrap() - (r.atanh() + half).tanh()).abs() < 1e-12);
}

#[test]
fn calibration_refuses_too_small_a_sample() {
    let dir = Workdir::new();
    let text = std::fs::read_to_string(fixture("responses.csv")).unwrap();
    let small: Vec<&str> = text.lines().take(21).collect();
    dir.write("small.csv", &(small.join("\n") + "\n"));
    dir.command(&[
        "norms",
        "build",
        &fixture("responses.csv"),
        "--questionnaire",
        &fixture("questionnaire.json"),
        "--name",
        "fx",
        "--out",
        "n.json",
    ])
    .assert()
    .success();
    dir.command(&[
        "profile",
        "calibrate",
        "small.csv",
        "--questionnaire",
        &fixture("questionnaire.json"),
        "--norms",
        "n.json",
        "--performance",
        "rating",
        "--name",
        "x",
        "--out",
        "p.json",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains(
        "too few incumbents with valid responses and a rating: 20; at least 30",
    ));
    assert!(!dir.dir.path().join("p.json").exists());
}

#[test]
fn ratings_from_a_separate_file_are_joined_by_id() {
    let dir = Workdir::new();
    let text = std::fs::read_to_string(fixture("responses.csv")).unwrap();
    let mut ratings = String::from("candidate_id,score\n");
    for line in text.lines().skip(2) {
        let cells: Vec<&str> = line.split(',').collect();
        ratings.push_str(&format!("{},{}\n", cells[0], cells[2]));
    }
    // Two ratings of people with no row (typos, leavers) are said to be unused.
    ratings.push_str("E999,3\nNOBODY,4\n");
    dir.write("ratings.csv", &ratings);
    dir.command(&[
        "norms",
        "build",
        &fixture("responses.csv"),
        "--questionnaire",
        &fixture("questionnaire.json"),
        "--name",
        "fx",
        "--out",
        "n.json",
    ])
    .assert()
    .success();
    // E001 has no rating in the file: rejected with the reason, the other 39 used.
    dir.command(&[
        "profile",
        "calibrate",
        &fixture("responses.csv"),
        "--questionnaire",
        &fixture("questionnaire.json"),
        "--norms",
        "n.json",
        "--performance",
        "ratings.csv",
        "--name",
        "x",
        "--out",
        "p.json",
    ])
    .assert()
    .code(1)
    .stderr(predicates::str::contains(
        "rejected row 2 (E001): no usable rating for id 'E001'",
    ))
    .stderr(predicates::str::contains(
        "2 id(s) rated in ratings.csv have no row in the staff file; their ratings are not used",
    ))
    .stdout(predicates::str::contains("used: 39"));
}

#[test]
fn validate_criterion_compares_profiles_side_by_side() {
    let dir = Workdir::new();
    calibrated(&dir);
    dir.command(&[
        "validate-criterion",
        &fixture("responses.csv"),
        "--questionnaire",
        &fixture("questionnaire.json"),
        "--norms",
        "n.json",
        "--performance",
        "rating",
        "--role",
        "p.json",
        "--format",
        "markdown",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains("| fixture-role | p.json | 40 |"))
    .stdout(predicates::str::contains("capitalisation on chance"));
}

#[test]
fn example_incumbents_split_half() {
    // The README's worked example: 360 simulated staff; each half has enough incumbents to calibrate.
    let dir = Workdir::new();
    let out = dir
        .command(&[
            "validate-criterion",
            &repo("examples/incumbents.csv").display().to_string(),
            "--performance",
            "rating",
            "--split-half",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1)); // three damaged rows are rejected
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let split = &report["split_half"];
    let n =
        split["odd_to_even"]["n"].as_u64().unwrap() + split["even_to_odd"]["n"].as_u64().unwrap();
    assert_eq!(n + report["excluded_invalid"].as_u64().unwrap(), 357);
    // Empathy drives the simulated rating: its interval lies above zero.
    let empathy = report["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["scale"] == "empathy")
        .unwrap();
    assert!(empathy["correlation"]["interval"]["low"].as_f64().unwrap() > 0.0);
}

#[test]
fn check_prints_every_problem_and_exits_2() {
    let dir = Workdir::new();
    dir.write(
        "p.json",
        r#"{"id":"x","version":"1","name":"X","questionnaire":"sfq","targets":[
            {"scale":"empathy","low":8,"high":4,"weight":-1},
            {"scale":"charm","low":2,"high":4,"weight":1}]}"#,
    );
    dir.write("broken.json", "{\"id\": \"x\",, }");
    dir.command(&["check", "p.json", "broken.json"])
        .assert()
        .code(2)
        .stdout(predicates::str::contains(
            "p.json: targets[0].low/high: found band 8–4; expected a band within 1..10",
        ))
        .stdout(predicates::str::contains(
            "p.json: targets[0].weight: found -1; expected a weight from 0.01 to 100",
        ))
        .stdout(predicates::str::contains(
            "p.json: targets[1].scale: found 'charm', not an attribute scale",
        ))
        .stdout(predicates::str::contains("broken.json: line 1, column"))
        .stderr(predicates::str::contains("4 problem(s) in 2 file(s)"));
}

fn tiny(name: &str) -> String {
    repo(&format!("tests/fixtures/tiny/{name}"))
        .display()
        .to_string()
}

fn stderr_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8_lossy(&out.get_output().stderr).to_string()
}

#[test]
fn own_questionnaire_with_built_in_norms_or_role_says_what_to_pass() {
    let dir = Workdir::new();
    let (q, norms, profile) = (
        tiny("questionnaire.json"),
        tiny("norms.json"),
        tiny("profile.json"),
    );
    let responses = tiny("responses.csv");
    let err = stderr_of(
        &mut dir.command(&[
            "score",
            &responses,
            "--questionnaire",
            &q,
            "--role",
            &profile,
        ]),
        2,
    );
    assert_eq!(
        err,
        "error: the built-in norms (sfq-provisional) are for questionnaire 'sfq' (the built-in SFQ 2.0); \
         pass --norms FILE for 'tiny' (build them with `servicefit norms build`)\n"
    );
    let err = stderr_of(
        &mut dir.command(&[
            "score",
            &responses,
            "--questionnaire",
            &q,
            "--norms",
            &norms,
            "--role",
            "retail",
        ]),
        2,
    );
    assert_eq!(
        err,
        "error: the built-in profile 'retail' is for questionnaire 'sfq' (the built-in SFQ 2.0); \
         pass --role FILE for 'tiny' (calibrate one with `servicefit profile calibrate`)\n"
    );
    // Own norms, but the questionnaire left out: the built-in one is in use.
    let err = stderr_of(
        &mut dir.command(&["score", &responses, "--norms", &norms, "--role", "retail"]),
        2,
    );
    assert_eq!(
        err,
        format!(
            "error: {norms}: the norms 'tiny-norms' are for questionnaire 'tiny', not 'sfq', the questionnaire in use; \
             pass --norms FILE for 'sfq' (build them with `servicefit norms build`), or --questionnaire with the file of 'tiny'\n"
        )
    );
    let err = stderr_of(
        &mut dir.command(&[
            "profile",
            "calibrate",
            &fixture("responses.csv"),
            "--questionnaire",
            &fixture("questionnaire.json"),
            "--performance",
            "rating",
            "--name",
            "x",
            "--out",
            "x.json",
        ]),
        2,
    );
    assert!(
        err.ends_with("error: the built-in norms (sfq-provisional) are for questionnaire 'sfq' (the built-in SFQ 2.0); pass --norms FILE for 'fixture' (build them with `servicefit norms build`)\n"),
        "{err}"
    );
}

#[test]
fn check_of_norms_or_a_profile_alone_asks_for_their_questionnaire() {
    let dir = Workdir::new();
    let (norms, profile) = (tiny("norms.json"), tiny("profile.json"));
    let out = dir.command(&["check", &norms, &profile]).assert().code(2);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(
        stdout,
        format!(
            "{norms}: questionnaire: found 'tiny'; expected the file of questionnaire 'tiny' given too, \
             e.g. `servicefit check QUESTIONNAIRE.json {norms}` (a norms file given alone is checked against the built-in questionnaire 'sfq')\n\
             {profile}: questionnaire: found 'tiny'; expected the file of questionnaire 'tiny' given too, \
             e.g. `servicefit check QUESTIONNAIRE.json {profile}` (a profile file given alone is checked against the built-in questionnaire 'sfq')\n"
        )
    );
    // With another questionnaire given, the message names it.
    let out = dir
        .command(&["check", &fixture("questionnaire.json"), &norms])
        .assert()
        .code(2);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stdout.ends_with(&format!(
            "{norms}: questionnaire: found 'tiny'; expected one of the questionnaires given (fixture), or the file of questionnaire 'tiny' given too\n"
        )),
        "{stdout}"
    );
}

#[test]
fn norms_by_group_leave_out_a_group_too_small_and_write_the_others() {
    let dir = Workdir::new();
    dir.write(
        "t.csv",
        "candidate_id,site,A1,B1,A2,B2,A3,B3\n\
         r1,north,1,1,3,2,5,5\nr2,north,2,2,3,2,3,3\nr3,north,4,4,3,4,2,2\nr4,north,5,5,3,4,2,2\n\
         r5,solo,3,4,2,3,4,2\n",
    );
    let q = tiny("questionnaire.json");
    let out = dir
        .command(&[
            "norms",
            "build",
            "t.csv",
            "--questionnaire",
            &q,
            "--group",
            "site",
            "--name",
            "t",
            "--out",
            "n.json",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(
            "warning: group 'solo' (1 respondent(s)) cannot be normed: scale 'a': 1 respondent(s) with a score; at least 2 needed; \
             this group is left out of the norms and the others are written"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: group 'north' has only 4 respondents"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("rows read 5 = used 4 + in groups left out 1 + rejected 0\n"),
        "{stderr}"
    );
    let norms: serde_json::Value = serde_json::from_str(&dir.read("n.json")).unwrap();
    let groups: Vec<&str> = norms["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["north"]);
    // Item A2 is 3 for everyone in 'north', yet scale a is normed: alpha from the covariances is 0.7.
    let alpha = norms["groups"][0]["scales"]["a"]["reliability"]
        .as_f64()
        .unwrap();
    assert!((alpha - 0.7).abs() < 1e-12, "{alpha}");
}

#[test]
fn calibrated_rationale_names_the_band_rule_of_each_attribute() {
    // The README's example: empathy and focus relate to the rating (interquartile bands),
    // the other four do not (10th–90th percentile bands), as each target's `why` says.
    let dir = Workdir::new();
    let incumbents = repo("examples/incumbents.csv").display().to_string();
    dir.command(&[
        "profile",
        "calibrate",
        &incumbents,
        "--performance",
        "rating",
        "--name",
        "Harbour",
        "--out",
        "p.json",
        "--report",
        "report.txt",
    ])
    .assert()
    .code(1);
    let profile: serde_json::Value = serde_json::from_str(&dir.read("p.json")).unwrap();
    let rule = "the top group's interquartile range where the relation to the rating is shown \
                (Empathy, Focus) and its 10th–90th percentile range where it is not \
                (Trust, Tact, Conformity, Flexibility), rounded outward";
    let rationale = profile["rationale"].as_str().unwrap();
    assert!(rationale.contains(rule), "{rationale}");
    assert!(dir.read("report.txt").contains(&format!(
        "How the rules work: bands, in stens, are {}, rounded outward, at least 3 stens wide",
        rule.trim_end_matches(", rounded outward")
    )));
    let statistics = profile["calibration"]["attributes"].as_array().unwrap();
    for (target, record) in profile["targets"]
        .as_array()
        .unwrap()
        .iter()
        .zip(statistics)
    {
        assert_eq!(target["scale"], record["scale"]);
        let outer = ["empathy", "focus"].contains(&target["scale"].as_str().unwrap());
        // The figures stay in the calibration record; the target's reason says it in words.
        let figures = record["statistics"].as_str().unwrap();
        assert_eq!(
            figures.contains("higher scores go with higher ratings"),
            outer,
            "{figures}"
        );
        let why = target["why"].as_str().unwrap();
        assert_eq!(
            why.contains("higher scores went with better performance ratings"),
            outer,
            "{why}"
        );
        assert!(!why.contains("r = ") && !why.contains("CI"), "{why}");
    }
}

#[test]
fn toolkit_commands_warn_about_ids_on_more_than_one_row() {
    let dir = Workdir::new();
    dir.write(
        "t.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\n\
         r1,1,1,3,2,5,5\nr2,2,2,3,2,3,3\nr3,4,4,3,4,2,2\nr1,1,1,3,2,5,5\nr4,5,5,3,4,2,2\nr1,1,1,3,2,5,5\n",
    );
    let q = tiny("questionnaire.json");
    let warning = "warning: 1 id(s) appear on more than one row (3 rows in all); each row is counted as a respondent: \
                   deduplicate the file (e.g. keep each person's latest row), or give different people different ids\n";
    let out = dir
        .command(&[
            "norms",
            "build",
            "t.csv",
            "--questionnaire",
            &q,
            "--name",
            "t",
            "--out",
            "n.json",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.starts_with(warning), "{stderr}");
    assert!(
        stderr.ends_with("rows read 6 = used 6 + rejected 0\n"),
        "{stderr}"
    );
    let out = dir
        .command(&[
            "analyze",
            "t.csv",
            "--questionnaire",
            &q,
            "--format",
            "json",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.starts_with(warning), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        report["analysis"]["repeated_ids"],
        serde_json::json!({"ids": 1, "rows": 3})
    );
}

#[test]
fn calibration_accounts_for_every_row() {
    // examples/incumbents.csv: 360 rows, 3 rejected (no rating, a word for
    // a rating, an answer off the scale), 12 with invalid responses: the twelve
    // careless staff. A random clicker passes each of the four instructed
    // attention items 1 time in 5, so fails two or more with chance
    // 1 − (0.2⁴ + 4·0.8·0.2³) = 0.973: here all of them do.
    let dir = Workdir::new();
    let staff = crate::support::repo("examples/incumbents.csv");
    let out = dir
        .command(&["profile", "calibrate", staff.to_str().unwrap()])
        .args(["--performance", "rating", "--name", "x", "--out", "x.json"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains("wrote profile x.json (360 rows read = 345 incumbents used + 12 left out as invalid responses + 3 rows rejected)"),
        "{stderr}"
    );
}

#[test]
fn undecodable_bytes_in_a_group_column_reject_the_row() {
    // UTF-8 with "nörth" on two rows, then E003's site holds a Latin-1 ö:
    // the group is read, so the row is rejected (it made a group 's�uth').
    let dir = Workdir::new();
    let text = std::fs::read_to_string(fixture("responses.csv")).unwrap();
    let mut bytes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = match i {
            1 | 2 => line.replacen(",north,", ",nörth,", 1),
            3 => line.replacen(",south,", ",s\u{1}uth,", 1),
            _ => line.to_string(),
        };
        // \u{1} stands for the Latin-1 byte of ö, 0xF6, which is not UTF-8.
        bytes.extend(line.bytes().map(|b| if b == 1 { 0xF6 } else { b }));
        bytes.push(b'\n');
    }
    std::fs::write(dir.dir.path().join("staff.csv"), bytes).unwrap();
    let out = dir
        .command(&["norms", "build", "staff.csv"])
        .args(["--questionnaire", &fixture("questionnaire.json")])
        .args(["--group", "site", "--name", "t", "--out", "n.json"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains(
            "rejected row 4 (E003), column site: the cell holds bytes that are not valid utf-8"
        ),
        "{stderr}"
    );
    assert!(
        !dir.read("n.json").contains("s\u{fffd}uth"),
        "no group of the bad row"
    );
}

#[test]
fn validate_criterion_cross_validates_composites_as_r_does() {
    // R: tests/fixtures/analysis/crossval.R — lm(rating ~ warmth + steadiness) on the 40 staff.
    let dir = Workdir::new();
    calibrated(&dir);
    let out = dir
        .command(&[
            "validate-criterion",
            &fixture("responses.csv"),
            "--questionnaire",
            &fixture("questionnaire.json"),
            "--norms",
            "n.json",
            "--performance",
            "rating",
            "--role",
            "p.json",
            "--cross-validate",
            "LOO",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cv = &report["cross_validation"];
    assert_eq!(cv["folds"]["kind"], "leave_one_out");
    assert_eq!(cv["n"], 40);
    let close = |value: &serde_json::Value, expected: f64| {
        let v = value.as_f64().unwrap();
        assert!((v - expected).abs() < 1e-9, "{v} vs {expected}");
    };
    close(&cv["regression"]["in_sample"]["r"], 0.793178047875177);
    close(&cv["regression"]["cross_validated"]["r"], 0.746782789461017);
    close(&cv["regression_shrunken"], 0.773692154942802);
    // 40 staff cannot be calibrated 39 at a time with 10 top performers each: said, not hidden.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        cv["calibrated_fit"].is_null(),
        stderr.contains("no cross-validated calibrated fit"),
        "{stderr}"
    );
    dir.command(&[
        "validate-criterion",
        &fixture("responses.csv"),
        "--performance",
        "rating",
        "--cross-validate",
        "1",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains("'1' is not a number of folds"));
}

#[test]
fn validate_criterion_compares_two_profiles_with_williams_t2() {
    let dir = Workdir::new();
    let out = dir
        .command(&[
            "validate-criterion",
            &repo("examples/incumbents.csv").display().to_string(),
            "--performance",
            "rating",
            "--role",
            "retail",
            "--role",
            "general",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &report["comparisons"][0];
    assert_eq!(
        (c["first"].as_str(), c["second"].as_str()),
        (Some("retail"), Some("general"))
    );
    // Williams's T2 recomputed here from the three correlations the report gives
    // (the formula itself is checked against psych::r.test in src/analysis/predictive.rs).
    let (n, r12, r13, r23) = (
        c["n"].as_f64().unwrap(),
        c["r_first"].as_f64().unwrap(),
        c["r_second"].as_f64().unwrap(),
        c["r_between"].as_f64().unwrap(),
    );
    let det = 1.0 - r12 * r12 - r13 * r13 - r23 * r23 + 2.0 * r12 * r13 * r23;
    let mean = (r12 + r13) / 2.0;
    let t = (r12 - r13)
        * ((n - 1.0) * (1.0 + r23)
            / (2.0 * det * (n - 1.0) / (n - 3.0) + mean * mean * (1.0 - r23).powi(3)))
        .sqrt();
    assert!((c["test"]["t"].as_f64().unwrap() - t).abs() < 1e-12);
    assert_eq!(c["test"]["df"].as_f64(), Some(n - 3.0));
    // The two fit correlations are those of the side-by-side table.
    assert_eq!(report["profiles"][0]["fit"]["r"].as_f64(), Some(r12));
}

#[test]
fn staff_files_reject_a_short_row_unless_padding_is_asked_for() {
    // examples/incumbents.csv with row 4 (ST0003) cut three fields short;
    // row 304 of the example is rejected either way (IM01 = 7).
    let work = Workdir::new();
    let text = std::fs::read_to_string(repo("examples/incumbents.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let cells: Vec<&str> = lines[3].split(',').collect();
    lines[3] = cells[..cells.len() - 3].join(",");
    work.write("short.csv", &(lines.join("\n") + "\n"));
    let stderr = |extra: &[&str]| {
        let out = work
            .command(&[&["analyze", "short.csv", "--keep-invalid"][..], extra].concat())
            .assert()
            .code(1);
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    let width = lines[0].split(',').count();
    let strict = stderr(&[]);
    assert!(
        strict.contains(&format!(
            "rejected row 4 (ST0003): row 4 has {} fields, the header {width}",
            width - 3
        )) && strict
            .contains("rows read 360 = analysed 358 + invalid answers left out 0 + rejected 2"),
        "{strict}"
    );
    let padded = stderr(&["--pad-short-rows"]);
    assert!(
        padded.contains("rows read 360 = analysed 359 + invalid answers left out 0 + rejected 1"),
        "{padded}"
    );
}

#[test]
fn validate_criterion_tests_differential_prediction_by_group() {
    // The lm/anova arithmetic is checked against R in src/analysis/differential.rs;
    // here: the command reads the group column and reports the step-down test per profile.
    let dir = Workdir::new();
    calibrated(&dir);
    let out = dir
        .command(&[
            "validate-criterion",
            &fixture("responses.csv"),
            "--questionnaire",
            &fixture("questionnaire.json"),
            "--norms",
            "n.json",
            "--performance",
            "rating",
            "--role",
            "p.json",
            "--group",
            "site",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let test = &report["differential"][0]["test"];
    assert_eq!(test["reference"], "north");
    let sizes = &test["group_sizes"];
    assert_eq!(
        sizes["north"].as_u64().unwrap() + sizes["south"].as_u64().unwrap(),
        test["n"].as_u64().unwrap()
    );
    assert_eq!(test["slopes"]["terms"][0]["group"], "south");
    // Two groups: the slope's F is its t squared, on (1, n − 4) degrees of freedom.
    let term = &test["slopes"]["terms"][0];
    let t = term["estimate"].as_f64().unwrap() / term["std_error"].as_f64().unwrap();
    assert!((test["slopes"]["f"].as_f64().unwrap() - t * t).abs() < 1e-9);
    assert_eq!(
        test["slopes"]["df"][1].as_u64(),
        Some(test["n"].as_u64().unwrap() - 4)
    );
    let text = dir
        .command(&[
            "validate-criterion",
            &fixture("responses.csv"),
            "--questionnaire",
            &fixture("questionnaire.json"),
            "--norms",
            "n.json",
            "--performance",
            "rating",
            "--role",
            "p.json",
            "--group",
            "site",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Differential prediction by group"), "{text}");
    assert!(text.contains("slope: south − north"), "{text}");
}

#[test]
fn analyze_reports_omega_total_beside_alpha_as_psych_does() {
    // R: tests/fixtures/analysis/omega.R — psych::omega(nfactors = 1) on the correlations alpha() uses.
    let dir = Workdir::new();
    let out = dir
        .command(&[
            "analyze",
            &fixture("responses.csv"),
            "--questionnaire",
            &fixture("questionnaire.json"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scales = report["analysis"]["scales"].as_array().unwrap();
    // psych's minres stops at optim's tolerance; both solutions agree to better than 1e-6.
    for (scale, omega) in [
        ("warmth", 0.840751108928242),
        ("steadiness", 0.741875402116796),
    ] {
        let s = scales.iter().find(|s| s["scale"] == scale).unwrap();
        let value = s["reliability"]["omega_total"].as_f64().unwrap();
        assert!((value - omega).abs() < 1e-6, "{scale}: {value} vs {omega}");
    }
    // W6 loads negatively on warmth: reversed, as psych does, and said.
    let warmth = scales.iter().find(|s| s["scale"] == "warmth").unwrap();
    assert_eq!(
        warmth["reliability"]["omega_reversed"],
        serde_json::json!(["W6"])
    );
    dir.command(&[
        "analyze",
        &fixture("responses.csv"),
        "--questionnaire",
        &fixture("questionnaire.json"),
    ])
    .assert()
    .stdout(predicates::str::contains("W6 load(s) negatively"))
    .stdout(predicates::str::contains("omega"));
}

#[test]
fn analyze_tests_item_dif_as_mass_polr_does() {
    // R: tests/fixtures/analysis/dif.R — MASS::polr models of each warmth item on the total,
    // + site, + total × site; (item, uniform χ², total χ², ΔR² Nagelkerke). polr's own start
    // fails on W1 and W4 (perfect fits in its starting glm); our Newton steps do not need it.
    const R_DIF: [(&str, f64, f64, f64); 4] = [
        ("W2", 0.005782270484, 3.158637405820, 0.043360957970),
        ("W3", 0.178690452143, 3.622989501309, 0.022380497701),
        ("W5", 0.839453930677, 1.347690825988, 0.018835618502),
        ("W6", 0.126973957267, 0.632630380870, 0.019476352947),
    ];
    let dir = Workdir::new();
    let out = dir
        .command(&[
            "analyze",
            &fixture("responses.csv"),
            "--questionnaire",
            &fixture("questionnaire.json"),
            "--group",
            "site",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warmth = report["analysis"]["scales"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scale"] == "warmth")
        .unwrap();
    let dif = warmth["dif"].as_array().unwrap();
    for (item, uniform, total, delta) in R_DIF {
        let d = dif.iter().find(|d| d["item"] == item).unwrap();
        let close = |v: &serde_json::Value, e: f64| {
            let v = v.as_f64().unwrap();
            assert!((v - e).abs() < 1e-6, "{item}: {v} vs {e}");
        };
        close(&d["uniform"]["chi_square"], uniform);
        close(&d["total"]["chi_square"], total);
        close(&d["delta_r2"], delta);
        assert_eq!(
            (d["uniform"]["df"].as_u64(), d["total"]["df"].as_u64()),
            (Some(1), Some(2))
        );
        assert_eq!(d["n"], 35); // the 35 who answered every warmth item
        assert_eq!(d["level"], "negligible"); // no p below 0.01
    }
    // Without --group there is no DIF block.
    let out = dir
        .command(&[
            "analyze",
            &fixture("responses.csv"),
            "--questionnaire",
            &fixture("questionnaire.json"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["analysis"]["scales"][0].get("dif").is_none());
}

#[test]
fn validate_criterion_corrects_for_criterion_unreliability_and_range_restriction() {
    let dir = Workdir::new();
    let incumbents = repo("examples/incumbents.csv").display().to_string();
    let run = |extra: &[&str]| -> serde_json::Value {
        let args = [
            &[
                "validate-criterion",
                &incumbents,
                "--performance",
                "rating",
                "--format",
                "json",
            ][..],
            extra,
        ]
        .concat();
        serde_json::from_slice(&dir.command(&args).output().unwrap().stdout).unwrap()
    };
    let report = run(&["--criterion-reliability", "0.6", "--range-ratio", "1.3"]);
    let fit = &report["profiles"][0];
    let r = fit["fit"]["r"].as_f64().unwrap();
    // By hand: r₁ = r/√.6; r₂ = 1.3 r₁ / √(1 + r₁²(1.69 − 1)).
    let r1 = r / 0.6_f64.sqrt();
    let expected = 1.3 * r1 / (1.0 + r1 * r1 * 0.69).sqrt();
    assert!((fit["corrected"]["r"].as_f64().unwrap() - expected).abs() < 1e-12);
    assert_eq!(fit["corrected"]["range_ratio"].as_f64(), Some(1.3));
    assert!(run(&[])["profiles"][0].get("corrected").is_none());
    dir.command(&[
        "validate-criterion",
        &incumbents,
        "--performance",
        "rating",
        "--range-ratio",
        "-1",
    ])
    .assert()
    .code(2);
}
