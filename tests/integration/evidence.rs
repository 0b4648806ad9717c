//! The evidence status in every output, and pages for hiring managers in
//! plain words: no command lines, no calibration statistics.

use serde_json::Value;

use crate::support::{repo, Workdir};

fn path(name: &str) -> String {
    repo(name).to_string_lossy().into_owned()
}

/// A workdir with local norms (`n.json`, dated 2026-10) and a profile
/// calibrated on the analysis fixture's 40 rated respondents (`p.json`, dated
/// 2026-11), for its questionnaire.
fn calibrated() -> Workdir {
    let dir = Workdir::new();
    let (q, responses) = (
        path("tests/fixtures/analysis/questionnaire.json"),
        path("tests/fixtures/analysis/responses.csv"),
    );
    dir.command(&["norms", "build", &responses, "--questionnaire", &q])
        .args(["--name", "fx", "--out", "n.json", "--date", "2026-10"])
        .assert()
        .success();
    dir.command(&["profile", "calibrate", &responses, "--questionnaire", &q])
        .args([
            "--norms",
            "n.json",
            "--performance",
            "rating",
            "--name",
            "F",
        ])
        .args(["--out", "p.json", "--date", "2026-11"])
        .assert()
        .code(0);
    dir
}

/// `score` or `compare` of the calibrated workdir's fixture with its own files.
fn local_args<'a>(command: &'a str, rest: &[&'a str]) -> Vec<String> {
    let mut args: Vec<String> = [
        command,
        "RESPONSES",
        "--questionnaire",
        "Q",
        "--norms",
        "n.json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args[1] = path("tests/fixtures/analysis/responses.csv");
    args[3] = path("tests/fixtures/analysis/questionnaire.json");
    args.extend(
        ["--role", "p.json"]
            .iter()
            .chain(rest)
            .map(|s| s.to_string()),
    );
    args
}

fn run(dir: &Workdir, args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = dir.command(&args).output().expect("runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {out:?}"
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Fails if a page a hiring manager reads holds a command line or a calibration statistic.
fn assert_plain(name: &str, page: &str) {
    // "servicefit" and a word is a command; the generator tag has a version number.
    let command = page
        .match_indices("servicefit ")
        .any(|(i, _)| page[i + 11..].starts_with(|c: char| c.is_ascii_lowercase()));
    assert!(!command, "{name} holds a command line");
    for bad in [
        "r = ",
        "CI ",
        "distinguishable",
        "|r|",
        "interquartile",
        "Q1",
    ] {
        assert!(!page.contains(bad), "{name} holds '{bad}'");
    }
    let option = page
        .match_indices(" --")
        .any(|(i, _)| page[i + 3..].starts_with(|c: char| c.is_ascii_lowercase()));
    assert!(!option, "{name} holds a command-line option");
}

fn pages_of(dir: &Workdir, folder: &str) -> Vec<(String, String)> {
    let mut pages = vec![];
    for sub in ["", "candidates"] {
        let entries = std::fs::read_dir(dir.dir.path().join(folder).join(sub)).unwrap();
        for entry in entries.flatten().filter(|e| e.path().is_file()) {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            pages.push((entry.path().display().to_string(), text));
        }
    }
    pages
}

#[test]
fn hiring_managers_pages_hold_no_command_line_or_calibration_statistics() {
    let dir = calibrated();
    let profile = dir.read("p.json");
    // The statistics are in the profile's record, for the consultant.
    assert!(profile.contains("r = "), "{profile}");
    for format in ["html", "markdown"] {
        run(
            &dir,
            &local_args("score", &["--format", format, "--out", format]),
        );
        let pages = pages_of(&dir, format);
        assert!(pages.len() > 40, "{format}: {} pages", pages.len());
        pages
            .iter()
            .for_each(|(name, page)| assert_plain(name, page));
        let compare = run(&dir, &local_args("compare", &["--format", format]));
        assert_plain(&format!("compare {format}"), &compare);
    }
    // The built-in provisional norms' banner tells no one to run a command.
    dir.write(
        "a.csv",
        &std::fs::read_to_string(repo("tests/fixtures/report-applicants.csv")).unwrap(),
    );
    for format in ["html", "markdown"] {
        let args = ["score", "a.csv", "--role", "retail", "--format", format];
        let page = run(&dir, &args.map(String::from));
        assert!(page.contains("Provisional norms."), "{page}");
        assert_plain(&format!("built-in {format}"), &page);
    }
}

#[test]
fn the_evidence_block_of_built_in_norms_and_an_expert_profile() {
    let dir = Workdir::new();
    dir.write(
        "a.csv",
        &std::fs::read_to_string(repo("tests/fixtures/report-applicants.csv")).unwrap(),
    );
    let json = run(
        &dir,
        &["score", "a.csv", "--role", "retail", "--format", "json"].map(String::from),
    );
    let evidence = &serde_json::from_str::<Value>(&json).unwrap()["evidence"];
    assert_eq!(
        evidence["norms"],
        serde_json::json!({"kind": "provisional", "n": null, "date": null})
    );
    assert_eq!(evidence["reliability"]["kind"], "assumed");
    assert_eq!(evidence["validity"]["kind"], "none");
    assert_eq!(
        evidence["profile"],
        serde_json::json!({"origin": "expert_judgement", "n": null, "date": null})
    );
    assert_eq!(evidence["bands"], "conventions, not validated cut-offs");
    // The JSON Lines run record and the CSV's provenance side file carry the same block.
    let jsonl = run(
        &dir,
        &["score", "a.csv", "--role", "retail", "--format", "jsonl"].map(String::from),
    );
    let first: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(&first["evidence"], evidence);
    run(
        &dir,
        &["score", "a.csv", "--role", "retail", "--out", "res"].map(String::from),
    );
    // Provisional norms' percentiles are whole numbers in the CSV.
    let csv = dir.read("res/results.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let columns: Vec<usize> = (0..header.len())
        .filter(|&i| header[i].ends_with("_percentile"))
        .collect();
    assert_eq!(columns.len(), 6, "{header:?}");
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        for &i in &columns {
            assert!(
                cells[i].parse::<u8>().is_ok() || cells[i].is_empty(),
                "{line}"
            );
        }
    }
    let side: Value = serde_json::from_str(&dir.read("res/results.provenance.json")).unwrap();
    assert_eq!(&side["evidence"], evidence);
    let words = side["evidence_in_words"].as_array().unwrap();
    assert!(words[0]
        .as_str()
        .unwrap()
        .starts_with("Scores are compared with provisional planning values"));
    assert!(words[2]
        .as_str()
        .unwrap()
        .starts_with("No study has yet shown"));
}

#[test]
fn the_evidence_block_of_local_norms_and_a_calibrated_profile() {
    let dir = calibrated();
    let json = run(&dir, &local_args("score", &["--format", "json"]));
    let evidence = &serde_json::from_str::<Value>(&json).unwrap()["evidence"];
    // 40 respondents, every one with a score on both scales (min_answered_share 0).
    assert_eq!(
        evidence["norms"],
        serde_json::json!({"kind": "local", "n": 40, "date": "2026-10"})
    );
    assert_eq!(evidence["reliability"]["kind"], "measured");
    assert_eq!(
        evidence["reliability"]["source"],
        "Cronbach's alpha in the norm sample (n = 40), norm file fx 1"
    );
    let profile: Value = serde_json::from_str(&dir.read("p.json")).unwrap();
    let used = &profile["calibration"]["incumbents"];
    assert_eq!(used, 40);
    assert_eq!(
        evidence["profile"],
        serde_json::json!({"origin": "calibrated", "n": 40, "date": "2026-11"})
    );
    assert_eq!(evidence["validity"]["kind"], "none");
    // A criterion study recorded in the profile shows, with r and its interval.
    let mut profile = profile;
    profile["criterion_study"] =
        serde_json::json!({"n": 120, "r": 0.25, "interval": [0.07, 0.41], "date": "2027-06"});
    dir.write("p.json", &profile.to_string());
    let json = run(&dir, &local_args("score", &["--format", "json"]));
    let validity = &serde_json::from_str::<Value>(&json).unwrap()["evidence"]["validity"];
    assert_eq!(
        validity,
        &serde_json::json!({"kind": "local_criterion_study", "n": 120, "r": 0.25, "interval": [0.07, 0.41], "date": "2027-06"})
    );
    let markdown = run(&dir, &local_args("score", &["--format", "markdown"]));
    assert!(markdown.contains(
        "In a local study of 120 people (2027-06), higher fit went with better performance."
    ));
    assert!(markdown.contains("The role profile was set from 40 of your own staff (2026-11)."));
}
