//! `servicefit audit` and the audit trail end to end. Expected values come
//! from R (tests/fixtures/audit/reference.R, output in its README) or by hand.

// Reference values are R's 17 significant digits, copied verbatim.
#![allow(clippy::excessive_precision)]

use serde_json::Value;

use crate::support::{repo, Workdir};

fn fixture(name: &str) -> String {
    repo(&format!("tests/fixtures/audit/{name}"))
        .display()
        .to_string()
}

/// Runs audit with `args` and returns the parsed JSON output.
fn audit_json(args: &[&str]) -> Value {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = Workdir::new().command(&all).assert().success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON output")
}

fn row<'a>(audit: &'a Value, table: usize, group: &str) -> &'a Value {
    audit["tables"][table]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["group"] == group)
        .unwrap_or_else(|| panic!("no row {group}"))
}

fn near(value: &Value, expected: f64, tolerance: f64) {
    let actual = value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"));
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} vs {expected}"
    );
}

#[test]
fn published_scoring_rate_example_is_reproduced() {
    let audit = audit_json(&[
        &fixture("nyc-example.csv"),
        "--group",
        "sex",
        "--group",
        "race",
        "--band",
        "good",
    ]);
    // The rules' example: male 92 applicants scoring rate 54.3%, female 76 at 44.7%, ratio 0.82.
    let (female, male) = (row(&audit, 0, "Female"), row(&audit, 0, "Male"));
    assert_eq!(
        (female["n"].as_u64(), male["n"].as_u64()),
        (Some(76), Some(92))
    );
    near(&female["scoring_rate"], 34.0 / 76.0, 1e-12); // 44.7%
    near(&male["scoring_rate"], 50.0 / 92.0, 1e-12); // 54.3%
    near(&female["scoring_impact_ratio"], 0.8231578947368422, 1e-9); // R; rounds to 0.82
    assert_eq!(female["scoring_below_four_fifths"], false);
    assert_eq!(audit["median_fit"], 60.0);
    // Race, against Hispanic or Latino (18/28): R values.
    for (group, ratio) in [
        ("White", 0.58333333333333326),
        ("Black or African American", 0.77777777777777768),
        ("Native Hawaiian or Pacific Islander", 0.9722222222222221),
        ("Asian", 0.64814814814814814),
    ] {
        near(&row(&audit, 1, group)["scoring_impact_ratio"], ratio, 1e-9);
    }
    let white = row(&audit, 1, "White");
    near(&white["z_test_p"], 0.029623944593736944, 1e-6);
    near(&white["fisher_p"], 0.047933755158343756, 1e-6);
    near(&white["cohens_d"], -0.54739090591102479, 1e-9);
    // 36 without a race are reported, not compared, not folded in.
    let unknown = row(&audit, 1, "(missing)");
    assert_eq!(
        (unknown["n"].as_u64(), unknown["impact_ratio"].is_null()),
        (Some(36), true)
    );
    assert_eq!(
        audit["tables"][2]["columns"],
        serde_json::json!(["sex", "race"])
    );
    assert_eq!(audit["counts"]["invalid_responses"], 2);
}

#[test]
fn hand_table_with_a_group_file_matches_r() {
    let audit = audit_json(&[
        &fixture("hand-results.csv"),
        "--groups",
        &fixture("hand-groups.csv"),
        "--group",
        "group",
        "--selected",
        "hired",
    ]);
    let b = row(&audit, 0, "B");
    near(&b["selection_rate"], 0.3, 1e-12);
    near(&b["impact_ratio"], 0.5, 1e-9); // 0.30 / 0.60
    assert_eq!(b["below_four_fifths"], true);
    near(&b["z_test_p"], 0.0019457736937391517, 1e-6);
    near(&b["fisher_p"], 0.0034092217678491866, 1e-6);
    near(&b["cohens_d"], -0.10126171308558876, 1e-9);
    near(&b["scoring_impact_ratio"], 0.94999999999999996, 1e-9);
    let c = row(&audit, 0, "C");
    assert_eq!(c["too_small"], true); // 3 < 5: marked, not dropped
    near(&c["fisher_p"], 0.5648284193685309, 1e-6);
    assert_eq!(row(&audit, 0, "(missing)")["n"], 2);
    assert_eq!(audit["counts"]["group_records_without_result"], 1);
    assert_eq!(audit["counts"]["invalid_responses"], 1);
    assert_eq!(audit["median_fit"], 67.0);
}

#[test]
fn json_lines_results_with_their_provenance() {
    let audit = audit_json(&[
        &fixture("small.jsonl"),
        "--groups",
        &fixture("small-groups.csv"),
        "--on",
        "id",
        "--group",
        "site",
        "--rule",
        "fit>=70",
        "--date",
        "2025-03-31",
    ]);
    let y = row(&audit, 0, "Y");
    near(&y["impact_ratio"], 0.26666666666666666, 1e-9); // (1/15) / (5/20)
    near(&y["z_test_p"], 0.15439762091728401, 1e-6);
    near(&y["fisher_p"], 0.20724081421424873, 1e-6);
    near(&y["cohens_d"], -0.6548750233320334, 1e-9);
    let provenance = &audit["results_provenance"];
    assert_eq!(provenance["engine"], "servicefit 0.1.0");
    assert_eq!(provenance["data_files"][2]["id"], "retail");
    assert_eq!(provenance["summary"]["rejected"], 1);
    assert_eq!(audit["date"], "2025-03-31");
    assert_eq!(audit["results"]["format"], "json_lines");
}

#[test]
fn every_format_is_deterministic_and_says_what_it_did() {
    let work = Workdir::new();
    let results = fixture("hand-results.csv");
    let groups = fixture("hand-groups.csv");
    let base = [
        "audit",
        &results,
        "--groups",
        &groups,
        "--group",
        "group",
        "--selected",
        "hired",
    ];
    for format in ["terminal", "markdown", "html", "csv", "json"] {
        let run = || {
            let mut args = base.to_vec();
            args.extend(["--format", format, "--date", "2025-03-31"]);
            work.command(&args)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone()
        };
        let first = run();
        assert_eq!(first, run(), "{format} output differs between runs");
        let text = String::from_utf8(first).expect("UTF-8");
        if format != "csv" {
            assert!(text.contains("2025-03-31"), "{format} lacks the date");
            assert!(text.contains("four-fifths"), "{format} lacks the rule");
            assert!(
                text.contains("Multiple comparisons"),
                "{format} lacks the limitations"
            );
            let sha =
                servicefit::provenance::sha256_hex(&std::fs::read(&results).expect("fixture"));
            assert!(text.contains(&sha), "{format} lacks the results' SHA-256");
        }
        assert!(!text.contains("h001"), "{format} contains a candidate id");
    }
}

#[test]
fn csv_goes_to_a_file_with_its_provenance_beside_it() {
    let work = Workdir::new();
    let results = fixture("hand-results.csv");
    let groups = fixture("hand-groups.csv");
    work.command(&[
        "audit",
        &results,
        "--groups",
        &groups,
        "--group",
        "group",
        "--selected",
        "hired",
        "--format",
        "csv",
        "--out",
        "audit.csv",
    ])
    .assert()
    .success();
    let csv = work.read("audit.csv");
    assert!(csv.starts_with(
        "table,group,unknown,n,share,selected,selection_rate,impact_ratio,impact_ratio_low,impact_ratio_high,below_four_fifths"
    ));
    // Share 40/125; the ratio's 95% interval 0.301–0.829 (Katz, R: tests/fixtures/audit/katz.R).
    assert!(
        csv.contains("\ngroup,B,false,40,0.32,12,0.3,0.5,0.3014329410455"),
        "{csv}"
    );
    assert!(csv.contains(",0.829371863382"), "{csv}");
    let side: Value = serde_json::from_str(&work.read("audit.provenance.json")).expect("JSON");
    assert_eq!(side["groups"], serde_json::json!(["group"]));
    assert_eq!(side["group_file"]["on"], "candidate_id");
    assert_eq!(side["selection"]["column"], "hired");
}

#[test]
fn html_escapes_group_values() {
    let work = Workdir::new();
    work.write(
        "r.csv",
        "rank,candidate_id,status,fit,fit_band,g\n1,a,valid,80,good,<script>x</script>\n2,b,valid,40,weak,B&B\n",
    );
    let out = work
        .command(&[
            "audit", "r.csv", "--group", "g", "--band", "good", "--format", "html",
        ])
        .assert()
        .success();
    let html = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && html.contains("B&amp;B"));
    assert!(html.contains("results carry no provenance"));
}

#[test]
fn usage_and_data_errors_exit_2_and_unreadable_rows_exit_1() {
    let work = Workdir::new();
    let results = fixture("hand-results.csv");
    let err = |args: &[&str]| {
        let out = work.command(args).assert().code(2);
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    assert!(
        err(&["audit", &results, "--group", "sex", "--band", "good"])
            .contains("group column 'sex' is not in")
    );
    assert!(
        err(&["audit", &results, "--group", "x", "--rule", "fit=70"]).contains("--rule 'fit=70'")
    );
    assert!(err(&["audit", &results, "--group", "x"]).contains("--selected"));
    assert!(err(&[
        "audit",
        &results,
        "--group",
        "x",
        "--band",
        "good",
        "--date",
        "31/03/2025"
    ])
    .contains("YYYY-MM-DD"));
    work.write("dup.csv", "candidate_id,group\nh001,A\nh001,B\n");
    assert!(
        err(&["audit", &results, "--groups", "dup.csv", "--group", "group", "--band", "good"])
            .contains("id 'h001' appears on rows 2 and 3")
    );
    work.write(
        "r.csv",
        "rank,candidate_id,status,fit,hired,g\n1,a,valid,80,yes,X\n2,b,valid,40,maybe,X\n",
    );
    let out = work
        .command(&["audit", "r.csv", "--group", "g", "--selected", "hired"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("left out line 3 (b): selection value not recognised: 'maybe'"),
        "{stderr}"
    );
}

#[test]
fn score_then_audit_end_to_end() {
    let work = Workdir::new();
    let responses = fixture("responses.csv");
    work.command(&["score", &responses, "--role", "retail", "--out", "out"])
        .assert()
        .success();
    // The CSV's side file records what produced it, including the input's hash.
    let side: Value =
        serde_json::from_str(&work.read("out/results.provenance.json")).expect("JSON");
    let input_sha =
        servicefit::provenance::sha256_hex(&std::fs::read(&responses).expect("fixture"));
    assert_eq!(side["input"]["sha256"], input_sha.as_str());
    assert_eq!(side["provenance"]["profile"]["id"], "retail");
    assert_eq!(side["summary"]["scored"], 12);
    let groups = fixture("responses-groups.csv");
    let audit_of = |file: &str| {
        let out = work
            .command(&[
                "audit", file, "--groups", &groups, "--group", "sex", "--band", "good", "--format",
                "json",
            ])
            .assert()
            .success();
        serde_json::from_slice::<Value>(&out.get_output().stdout).expect("JSON")
    };
    let from_csv = audit_of("out/results.csv");
    let from_jsonl = audit_of("out/results.jsonl");
    let csv_sha = servicefit::provenance::sha256_hex(work.read("out/results.csv").as_bytes());
    assert_eq!(from_csv["results"]["sha256"], csv_sha.as_str());
    assert_eq!(
        from_csv["results_provenance"]["scored_input"]["sha256"],
        input_sha.as_str()
    );
    assert_eq!(from_jsonl["results_provenance"]["found_in"], "run record");
    // The same candidates are selected whichever file is audited.
    for sex in ["F", "M"] {
        assert_eq!(
            row(&from_csv, 0, sex)["selected"],
            row(&from_jsonl, 0, sex)["selected"]
        );
        assert_eq!(row(&from_csv, 0, sex)["n"], 6);
    }
}

#[test]
fn explain_prints_every_step_for_one_candidate() {
    let work = Workdir::new();
    let responses = fixture("responses.csv");
    let scored = work
        .command(&["score", &responses, "--role", "retail"])
        .assert()
        .success();
    let csv = String::from_utf8_lossy(&scored.get_output().stdout).to_string();
    let fit = csv
        .lines()
        .find_map(|l| {
            l.split(',')
                .nth(1)
                .filter(|id| *id == "p04")
                .map(|_| l.split(',').nth(4).unwrap_or("").to_string())
        })
        .expect("p04 in the results");
    let out = work
        .command(&["score", &responses, "--role", "retail", "--explain", "p04"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for step in [
        "1. Answers",
        "2. Norms",
        "3. Response validity",
        "4. Fit per attribute",
    ] {
        assert!(text.contains(step), "missing {step}:\n{text}");
    }
    // The explanation gives the fit to one decimal; the CSV the same fit in whole points.
    let explained: f64 = text
        .split("5. Fit = sum of the points = ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no fit in:\n{text}"));
    assert_eq!(explained.round().to_string(), fit, "{text}");
    work.command(&[
        "score",
        &responses,
        "--role",
        "retail",
        "--explain",
        "nobody",
    ])
    .assert()
    .code(2);
}

#[test]
fn audit_help_shows_examples_and_keeps_group_data_apart() {
    let out = Workdir::new()
        .command(&["audit", "--help"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("Examples:") && text.contains("score` never reads them"),
        "{text}"
    );
}

#[test]
fn snapshots_of_every_format() {
    let work = Workdir::new();
    for name in ["hand-results.csv", "hand-groups.csv"] {
        work.write(
            name,
            &std::fs::read_to_string(fixture(name)).expect("fixture"),
        );
    }
    for format in ["terminal", "markdown", "html", "csv", "json"] {
        let out = work
            .command(&[
                "audit",
                "hand-results.csv",
                "--groups",
                "hand-groups.csv",
                "--group",
                "group",
                "--selected",
                "hired",
                "--date",
                "2025-03-31",
                "--format",
                format,
            ])
            .assert()
            .success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        insta::assert_snapshot!(format!("audit_{format}"), text);
    }
}

#[test]
fn explain_keeps_sten_intervals_on_the_sten_scale() {
    // APP-1027's trust interval reaches below z = −2.25, where 2z + 5.5 < 1:
    // shown as the reports show it, from 1.
    let work = Workdir::new();
    let applicants = crate::support::repo("examples/applicants.csv");
    let args = ["score", applicants.to_str().unwrap(), "--role", "retail"];
    let out = work
        .command(&args)
        .args(["--explain", "APP-1027"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("= sten 1.00–"), "{text}");
    assert!(!text.contains("sten -"), "{text}");
}

#[test]
fn explain_follows_the_duplicates_policy() {
    let work = Workdir::new();
    let responses = std::fs::read_to_string(fixture("responses.csv")).expect("fixture");
    let mut lines = responses.lines();
    let header = lines.next().expect("header");
    let first = lines.next().expect("p01");
    let second = lines.next().expect("p02").replacen("p02", "p01", 1);
    work.write("dup.csv", &format!("{header}\n{first}\n{second}\n"));
    let explain = |extra: &[&str]| {
        let mut args = vec!["score", "dup.csv", "--role", "retail", "--explain", "p01"];
        args.extend_from_slice(extra);
        work.command(&args)
    };
    // latest (the default): row 3 supersedes row 2, as in `score`.
    let out = explain(&[]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.starts_with("Explanation of candidate p01 (input row 3)"),
        "{text}"
    );
    assert_eq!(text.matches("Explanation of candidate").count(), 1);
    let out = explain(&["--duplicates", "keep-all"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(text.matches("Explanation of candidate p01").count(), 2);
    let out = explain(&["--duplicates", "reject"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("appears on rows 2, 3"), "{stderr}");
}

#[test]
fn a_selection_column_with_no_recognised_value_is_an_error() {
    let wd = crate::support::Workdir::new();
    let example = crate::support::repo("examples/applicants.csv");
    wd.command(&[
        "score",
        example.to_str().unwrap(),
        "--role",
        "retail",
        "--out",
        "res",
    ])
    .assert()
    .code(1);
    let groups = crate::support::repo("examples/applicants-groups.csv");
    let out = wd
        .command(&[
            "audit",
            "res/results.csv",
            "--groups",
            groups.to_str().unwrap(),
            "--group",
            "sex",
            "--selected",
            "status",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(
            "no candidate's selection value was recognised, so there is nothing to audit"
        ),
        "{stderr}"
    );
}

#[test]
fn confidence_level_and_ordered_groups_from_the_command_line() {
    let work = Workdir::new();
    work.write(
        "hand-results.csv",
        &std::fs::read_to_string(fixture("hand-results.csv")).expect("fixture"),
    );
    // Every hand-groups id gets an age band, given out of order in the file.
    let groups = std::fs::read_to_string(fixture("hand-groups.csv")).expect("fixture");
    let mut lines = groups.lines();
    let mut banded = format!("{},age\n", lines.next().expect("header"));
    for (i, line) in lines.enumerate() {
        banded.push_str(&format!("{line},{}\n", ["40+", "<25", "25-39"][i % 3]));
    }
    work.write("groups.csv", &banded);
    let args = [
        "audit",
        "hand-results.csv",
        "--groups",
        "groups.csv",
        "--group",
        "age",
        "--group",
        "group",
        "--selected",
        "hired",
    ];
    let out = work
        .command(&[&args[..], &["--confidence", "90%"]].concat())
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // B against A, 12/40 vs 48/80 at 90% (z = 1.6449): 0.5·exp(∓1.6449·0.25820) = 0.33–0.76.
    assert!(
        text.contains("its 90% interval 0.33–0.76 lies below 0.80"),
        "{text}"
    );
    let order: Vec<usize> = ["\n  <25 ", "\n  25-39 ", "\n  40+ "]
        .iter()
        .map(|g| text.find(g).unwrap_or_else(|| panic!("{g} in {text}")))
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{text}");
    work.command(&[&args[..], &["--confidence", "1.2"]].concat())
        .assert()
        .code(2);
}
