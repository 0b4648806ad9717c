//! `servicefit score` end to end: the hand-checked tiny instrument, the
//! built-in defaults on the example file, stdin, `--out`, bad rows, and a
//! second instrument on another response scale.

use serde_json::Value;

use crate::support::{repo, Workdir};

/// The candidate records of a JSON Lines output, by id.
fn candidates(jsonl: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(jsonl)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("valid JSON line"))
        .filter(|record| record["record"] == "candidate")
        .collect()
}

fn close(value: &Value, expected: f64) {
    let got = value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"));
    assert!(
        (got - expected).abs() < 1e-9,
        "got {got}, expected {expected}"
    );
}

pub fn tiny_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "score",
        "responses.csv",
        "--questionnaire",
        "q.json",
        "--norms",
        "n.json",
        "--role",
        "p.json",
    ];
    args.extend_from_slice(extra);
    args
}

pub fn tiny_workdir() -> Workdir {
    let wd = Workdir::new();
    for (from, to) in [
        ("questionnaire.json", "q.json"),
        ("norms.json", "n.json"),
        ("profile.json", "p.json"),
        ("responses.csv", "responses.csv"),
    ] {
        let text =
            std::fs::read_to_string(repo(&format!("tests/fixtures/tiny/{from}"))).expect("fixture");
        wd.write(to, &text);
    }
    wd
}

#[test]
fn tiny_instrument_matches_hand_arithmetic() {
    let wd = tiny_workdir();
    let out = wd
        .command(&tiny_args(&["--format", "jsonl"]))
        .assert()
        .success();
    let records = candidates(&out.get_output().stdout);
    // c1 ranks first (fit 100), c2 second (fit 27.6).
    assert_eq!(records[0]["id"], "c1");
    let c1 = &records[0]["scales"];
    // a: A1 4, A2 5, A3 2 reversed → 1+5−2 = 4; raw (4+5+4)/3 = 4.3333.
    close(&c1[0]["raw"], 13.0 / 3.0);
    // z = (4.3333 − 3)/0.5 = 2.6667; T = 76.667; sten_c = 10.833 → reported 10 (clamped).
    close(&c1[0]["normed"]["z"], 8.0 / 3.0);
    close(&c1[0]["normed"]["t"], 50.0 + 80.0 / 3.0);
    assert_eq!(c1[0]["normed"]["sten"], 10);
    // percentile 100·Φ(2.6667) = 99.61696194324102 (R: 100*pnorm(8/3)).
    close(&c1[0]["normed"]["percentile"], 99.61696194324102);
    // SEM = 0.5·√(1 − 0.84) = 0.2; POMP = 100·(4.3333 − 1)/4 = 83.333.
    close(&c1[0]["normed"]["sem_raw"], 0.2);
    close(&c1[0]["pomp"], 250.0 / 3.0);
    // b: B1 3, B2 4, B3 1 reversed → 5; raw 4; z 0.5; sten_c 6.5 → 7; percentile 100·Φ(0.5) = 69.14624612740131.
    close(&c1[1]["raw"], 4.0);
    assert_eq!(c1[1]["normed"]["sten"], 7);
    close(&c1[1]["normed"]["percentile"], 69.14624612740131);
    // Both inside their bands (a's 10.83 clamps to 10, inside 6–10): fit 100, strong.
    close(&records[0]["fit"]["score"], 100.0);
    assert_eq!(records[0]["fit"]["band"], "strong");

    let c2 = &records[1];
    // a: 3, 3, 4 reversed → 2; raw 8/3; z = −0.6667; sten_c 4.1667 (→ 4, below minimum 5).
    // 1.8333 below 6, t = 0.61111, closeness 1 − 3t² + 2t³ = 0.33607681755829866.
    close(
        &c2["fit"]["attributes"][0]["closeness"],
        0.33607681755829866,
    );
    assert_eq!(c2["fit"]["attributes"][0]["below_minimum"], true);
    // b: 5, 5, 1 reversed → 5; raw 5; z 1.5; sten_c 8.5, 1.5 above 7, tolerance 2, t 0.75 → 0.15625.
    close(&c2["fit"]["attributes"][1]["closeness"], 0.15625);
    // fit = 100·(2·0.336077 + 1·0.15625)/3 = 27.613454503886576, weak by score, but
    // a's sten 4 is below the minimum 5, which is the band whatever the fit.
    close(&c2["fit"]["score"], 27.613454503886576);
    assert_eq!(c2["fit"]["band"], "minimum_not_met");
    // The 90% fit range rests on each of the 2 attributes at 1 − 0.10/2 = 95%
    // (Bonferroni), critical 1.959964. a: raw 2.6667 ± 1.959964·0.2 = [2.27468,
    // 3.05866], sten [2.59870, 5.73464]: 3.40 below (closeness 0) to 0.26536
    // below, u = 0.088453, c = 1 − 3u² + 2u³ = 0.977912. b: raw 5 ± 1.959964·0.5
    // is cut at the scale's top, [4.02002, 5], sten [6.54004, 8.5]: meets the
    // band (1), its far end 1.5 above (0.15625).
    // Fit range [100·0.15625/3, 100·(2·0.977912 + 1)/3] = [5.20833, 98.52745].
    close(&c2["fit"]["interval"]["low"], 5.208333333333333);
    assert!((c2["fit"]["interval"]["high"].as_f64().unwrap() - 98.52745292190917).abs() < 1e-9);
    // b's own 90% raw interval, 5 ± 1.644854·0.5, is cut at 5 and says so.
    close(&c2["scales"][1]["normed"]["raw_interval"]["high"], 5.0);
    assert_eq!(c2["scales"][1]["normed"]["cut"], "high");
    close(
        &c2["scales"][1]["normed"]["raw_interval"]["low"],
        5.0 - 1.6448536269514722 * 0.5,
    );
    assert!(c2["flags"][0]
        .as_str()
        .unwrap()
        .contains("Alpha below the role's minimum (sten 4, minimum 5)"));
}

#[test]
fn example_file_ranks_and_rejects_the_malformed_row() {
    let wd = Workdir::new();
    let example = repo("examples/applicants.csv");
    let out = wd
        .command(&["score", example.to_str().unwrap(), "--role", "retail"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0]
        .starts_with("rank,candidate_id,name,status,fit,fit_band,fit_low,fit_high,trust_sten"));
    assert_eq!(lines.len(), 1 + 29, "header + 29 scored candidates");
    assert!(lines[1].starts_with("1,APP-"), "{}", lines[1]);
    assert!(
        lines[1].contains(",valid,"),
        "the top candidate is valid: {}",
        lines[1]
    );
    // Valid and caution are ranked together; invalid never comes before either.
    let statuses: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    // The example's name column is carried beside the id.
    assert!(stdout.contains(",APP-1001,Alex Moreno,"), "{stdout}");
    let order = |s: &str| usize::from(s == "invalid");
    assert!(
        statuses.windows(2).all(|w| order(w[0]) <= order(w[1])),
        "{statuses:?}"
    );
    assert!(stderr.contains("PROVISIONAL PLANNING VALUES"), "{stderr}");
    assert!(stderr.contains("applicants.csv: rejected row 20 (APP-1019), column CO02: 7 is outside the response scale; expected 1 to 5"), "{stderr}");
    assert!(
        stderr.contains("rows read 30 = scored 29 + rejected 1"),
        "{stderr}"
    );
}

#[test]
fn stdin_gives_the_same_result_as_a_file() {
    let wd = tiny_workdir();
    let from_file = wd
        .command(&tiny_args(&[]))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = wd.read("responses.csv");
    let mut args = tiny_args(&[]);
    args[1] = "-";
    let from_stdin = wd
        .command(&args)
        .write_stdin(csv)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(from_file, from_stdin);
}

#[test]
fn out_folder_gets_results_and_rejects() {
    let wd = tiny_workdir();
    wd.write("responses.csv", "candidate_id,A1,B1,A2,B2,A3,B3\nc1,4,3,5,4,2,1\nc2,3,5,3\n,1,1,1,1,1,1\nc4,4,4,4,4,4,=SUM(A1)\n");
    wd.command(&tiny_args(&["--out", "res", "--pad-short-rows"]))
        .assert()
        .code(1);
    let results = wd.read("res/results.csv");
    // c2's short row is padded, as asked: 3 of 6 items answered, so it is
    // scored with no fit, status caution.
    assert_eq!(results.lines().count(), 3, "header + c1 + c2:\n{results}");
    assert!(results.contains("\n2,c2,,caution,,"), "{results}");
    assert!(
        wd.read("res/results.jsonl").lines().count() == 4,
        "run + c1 + c2 + summary"
    );
    let rejects = wd.read("res/rejects.csv");
    let expected = "row,candidate_id,column,value,reason\n\
4,,candidate_id,,the candidate id is empty; expected an id\n\
5,c4,B3,'=SUM(A1),\"''=SUM(A1)' is not a response label; expected one of Strongly disagree, Disagree, Neutral, Agree, Strongly agree (or a synonym), or 1 to 5\"\n";
    assert_eq!(rejects, expected);
}

#[test]
fn labels_and_whole_number_decimals_are_accepted() {
    let wd = tiny_workdir();
    wd.write(
        "responses.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\nc1,Agree,3,  totally AGREE ,4.0,2,1\n",
    );
    let out = wd
        .command(&tiny_args(&["--format", "jsonl"]))
        .assert()
        .success();
    let records = candidates(&out.get_output().stdout);
    close(&records[0]["scales"][0]["raw"], 13.0 / 3.0);
}

#[test]
fn second_instrument_on_a_six_point_scale() {
    let wd = Workdir::new();
    let dir = repo("tests/fixtures/second");
    let path = |name: &str| dir.join(name).to_string_lossy().to_string();
    let (q, n, p, r) = (
        path("questionnaire.json"),
        path("norms.json"),
        path("profile.json"),
        path("responses.csv"),
    );
    let args = [
        "score",
        &r,
        "--questionnaire",
        &q,
        "--norms",
        &n,
        "--role",
        &p,
        "--id-column",
        "id",
        "--format",
        "jsonl",
    ];
    let out = wd.command(&args).assert().success();
    let records = candidates(&out.get_output().stdout);
    let r1 = &records[0];
    // Every scale: normal items 4, reversed items 3 → 1+6−3 = 4; raw 4; z = (4 − 3.5)/1 = 0.5; sten_c 6.5 → 7.
    for scale in r1["scales"].as_array().unwrap() {
        close(&scale["raw"], 4.0);
        assert_eq!(scale["normed"]["sten"], 7);
    }
    // s2's band is 1–4: 2.5 above, t = 2.5/3, closeness 0.074074; the other four inside.
    // fit = 100·(4 + 0.07407407407407418)/5 = 81.4814814814815.
    close(&r1["fit"]["score"], 81.4814814814815);
    // The instrument's own thresholds: IRV 0.51 is above its irv_caution 0.2, so no flag.
    assert_eq!(r1["validity"]["status"], "valid");
}

#[test]
fn roles_lists_builtin_profiles() {
    let out = Workdir::new().command(&["roles"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for id in [
        "general",
        "retail",
        "hospitality",
        "healthcare",
        "financial-services",
        "travel",
        "contact-centre",
    ] {
        assert!(text.contains(id), "{id} missing from:\n{text}");
    }
}

#[test]
fn questionnaire_prints_every_item_in_order() {
    let out = Workdir::new()
        .command(&["questionnaire", "--format", "csv"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(text.lines().count(), 1 + 84);
    assert!(text.lines().nth(1).unwrap().starts_with("TR01,"));
}

#[test]
fn seeded_careless_styles_get_their_flags() {
    use servicefit::assessment::Options;
    use servicefit::simulate::{Plan, Simulator, Style};
    use servicefit::validity::Status;
    let assessment = servicefit::builtin::assessment("general", Options::default()).unwrap();
    let mut simulator = Simulator::new(
        &assessment,
        Plan {
            seed: 42,
            careless: 0.0,
            fitting: 0.0,
        },
    );
    let mut judge = |style: Style| -> Vec<(Status, Vec<String>)> {
        (0..20)
            .map(|i| {
                let result = assessment.assess(&i.to_string(), 2, &simulator.answers(style), None);
                (result.validity.status, result.validity.reasons)
            })
            .collect()
    };
    // Straight-lining: 84 identical answers, IRV 0 → invalid with both reasons, every time.
    for (status, reasons) in judge(Style::Straightline) {
        assert_eq!(status, Status::Invalid);
        assert!(
            reasons.iter().any(|r| r.ends_with("to 84 items in a row")),
            "{reasons:?}"
        );
    }
    // Only 4s and 5s: IRV about 0.5 ≤ 0.6, and at least two attention items fail
    // (AT01 wants 2, AT02 wants 1 or 2), so invalid every time.
    for (status, reasons) in judge(Style::Acquiescent) {
        assert_eq!(status, Status::Invalid);
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("gave almost the same answer")),
            "{reasons:?}"
        );
    }
    // The zig-zag 1-2-3-4-5-4-… has period 8 and the attention items sit 20 and 40 items
    // apart, so AT01 and AT03 get the same answer (wanted: 2, and 4 or 5), as do AT02 and
    // AT04 (1 or 2, and 5): two failures at least, whatever the start.
    for (status, reasons) in judge(Style::Alternating) {
        assert_eq!(status, Status::Invalid);
        assert!(
            reasons.iter().any(|r| r.starts_with("failed")),
            "{reasons:?}"
        );
    }
    // Attentive respondents: nobody invalid in this seeded set.
    assert!(judge(Style::Attentive)
        .iter()
        .all(|(status, _)| *status != Status::Invalid));
}

#[test]
fn an_unclosed_quote_is_reported_not_swallowed_silently() {
    let wd = tiny_workdir();
    // Row 3 opens a quote that is never closed: rows 4 and 5 become part of its id cell.
    wd.write("responses.csv", "candidate_id,A1,B1,A2,B2,A3,B3\nc1,4,3,5,4,2,1\n\"c2,3,5,3,5,4,1\nc3,1,1,1,1,1,1\nc4,2,2,2,2,2,2\n");
    let out = wd.command(&tiny_args(&[])).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("rejected row 3"), "{stderr}");
    assert!(stderr.contains("column candidate_id: a quote in this row is never closed, so the next 3 line(s) of the file were read into this cell"), "{stderr}");
}

#[test]
fn control_characters_in_ids_never_reach_the_terminal() {
    let wd = tiny_workdir();
    wd.write(
        "responses.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\n\u{1b}[2Jevil,4,3,5,4,2,9\nc1,4,3,5,4,2,1\n",
    );
    let out = wd.command(&tiny_args(&[])).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(
        stderr.contains("rejected row 2 (?[2Jevil), column B3"),
        "{stderr}"
    );
}

#[test]
fn a_reused_out_folder_keeps_no_pages_of_an_earlier_run() {
    let wd = tiny_workdir();
    wd.command(&tiny_args(&["--out", "res", "--format", "html"]))
        .assert()
        .success();
    assert!(wd.dir.path().join("res/candidates/c2.html").exists());
    // The user's own files beside the pages are not the tool's to remove.
    wd.write("res/candidates/c2-interview-notes.html", "<p>notes</p>");
    wd.write("res/notes.md", "notes");
    wd.write(
        "responses.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\nc1,4,3,5,4,2,1\n",
    );
    let out = wd
        .command(&tiny_args(&["--out", "res", "--format", "html"]))
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stderr)
        .contains("removed 1 report page(s) of an earlier run"));
    assert!(!wd.dir.path().join("res/candidates/c2.html").exists());
    // A CSV-only run leaves no index or pages that describe other results.
    wd.command(&tiny_args(&["--out", "res"])).assert().success();
    assert!(!wd.dir.path().join("res/index.html").exists());
    assert!(!wd.dir.path().join("res/candidates/c1.html").exists());
    assert_eq!(
        wd.read("res/candidates/c2-interview-notes.html"),
        "<p>notes</p>"
    );
    assert_eq!(wd.read("res/notes.md"), "notes");
    // A folder without the list (an older version wrote it): nothing is
    // removed, and the pages this run did not write are pointed out.
    std::fs::remove_file(wd.dir.path().join("res/results.sha256")).unwrap();
    let out = wd
        .command(&tiny_args(&["--out", "res", "--format", "html"]))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(
            "holds 1 page(s) this run did not write, and no list of an earlier run's files"
        ),
        "{stderr}"
    );
    assert!(wd
        .dir
        .path()
        .join("res/candidates/c2-interview-notes.html")
        .exists());
}

#[test]
fn with_out_a_json_or_terminal_format_is_not_dropped() {
    let wd = tiny_workdir();
    let stdout = |extra: &[&str]| {
        let out = wd.command(&tiny_args(extra)).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    // --format json adds results.json, the document stdout would have had.
    let document = stdout(&["--format", "json"]);
    assert!(stdout(&["--format", "json", "--out", "res"]).is_empty());
    assert_eq!(wd.read("res/results.json"), document);
    // The table has no file: it is still printed.
    let table = stdout(&["--format", "terminal"]);
    assert!(table.contains("c1"), "{table}");
    assert_eq!(stdout(&["--format", "terminal", "--out", "res"]), table);
    // That run wrote no results.json: the earlier one's is gone.
    assert!(!wd.dir.path().join("res/results.json").exists());
}

#[test]
fn a_header_without_rows_says_so() {
    let wd = tiny_workdir();
    wd.write("responses.csv", "candidate_id,A1,B1,A2,B2,A3,B3\n");
    // No row scored: an error (exit 2), on the streamed path and the batch path alike.
    for extra in [&[][..], &["--out", "res"]] {
        let out = wd.command(&tiny_args(extra)).assert().code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            stderr.contains(
                "error: responses.csv: the file has a header but no data rows; nothing to score"
            ),
            "{stderr}"
        );
    }
}

#[test]
fn a_forced_multi_row_format_without_its_header_rows_is_refused() {
    let wd = Workdir::new();
    let example = repo("examples/applicants.csv");
    let out = wd
        .command(&[
            "score",
            example.to_str().unwrap(),
            "--role",
            "retail",
            "--input-format",
            "qualtrics",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("--input-format qualtrics was given, but the first rows do not carry that export's header rows"), "{stderr}");
}

#[test]
fn a_cut_off_resubmission_does_not_supersede_a_complete_one() {
    let wd = tiny_workdir();
    // c1 submits in full (row 2), then a line cut off after three cells (row 3).
    wd.write(
        "responses.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\nc1,4,3,5,4,2,1\nc1,4,3\n",
    );
    let out = wd
        .command(&tiny_args(&["--out", "res", "--pad-short-rows"]))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(": row 3 (c1): superseded by row 2"),
        "{stderr}"
    );
    assert!(wd
        .read("res/rejects.csv")
        .contains("3,c1,,,superseded by row 2"));
}

#[test]
fn norms_of_several_groups_say_which_group_is_used() {
    let wd = Workdir::new();
    let staff = repo("examples/incumbents.csv");
    let staff = staff.to_str().unwrap();
    wd.command(&[
        "norms", "build", staff, "--group", "site", "--name", "sites",
    ])
    .args(["--out", "sites.json"])
    .assert()
    .code(1); // a row of the example is rejected
    let applicants = repo("examples/applicants.csv");
    let score = |extra: &[&str]| {
        let mut args = vec!["score", applicants.to_str().unwrap(), "--role", "retail"];
        args.extend_from_slice(&["--norms", "sites.json"]);
        args.extend_from_slice(extra);
        let out = wd.command(&args).assert().code(1);
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    let note = "the norms have 3 groups (harbour, market, station); using the first, 'harbour': choose one with --norm-group";
    assert!(score(&[]).contains(note));
    assert!(!score(&["--norm-group", "market"]).contains("groups"));
}
