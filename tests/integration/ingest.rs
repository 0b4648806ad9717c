//! Survey-tool exports and messy spreadsheets, end to end: for each fixture
//! in tests/fixtures/ingest (built by make_fixtures.py), the exact ids
//! scored, the exact rows rejected with reasons, a summary that adds up, and
//! scores equal to those of the same answers in the plain format.

use serde_json::Value;

use crate::support::{repo, Workdir};

fn fixture(name: &str) -> String {
    repo(&format!("tests/fixtures/ingest/{name}"))
        .display()
        .to_string()
}

/// The outcome of `score FILE --role retail --out out` plus extra arguments.
struct Scored {
    code: i32,
    stderr: String,
    candidates: Vec<Value>,
    rejects: String,
}

fn score(file: &str, extra: &[&str]) -> Scored {
    let work = Workdir::new();
    let mut args = vec!["score", file, "--role", "retail", "--out", "out"];
    args.extend_from_slice(extra);
    let output = work.command(&args).output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let code = output.status.code().unwrap_or(-1);
    assert!((0..=2).contains(&code), "exit {code}: {stderr}");
    let candidates = work
        .read("out/results.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json line"))
        .filter(|v| v["record"] == "candidate")
        .collect();
    Scored {
        code,
        stderr,
        candidates,
        rejects: work.read("out/rejects.csv"),
    }
}

impl Scored {
    fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .candidates
            .iter()
            .map(|c| c["id"].as_str().unwrap_or("").to_string())
            .collect();
        ids.sort();
        ids
    }

    /// The candidate records without what depends on the file's layout:
    /// the row number and the time taken (exports carry it, plain files do not).
    fn comparable(&self) -> Vec<Value> {
        let mut records = self.candidates.clone();
        for record in &mut records {
            let object = record.as_object_mut().expect("object");
            object.remove("row");
            // Plain twins have no name column.
            object.remove("name");
            object["validity"]["indices"]
                .as_object_mut()
                .expect("indices")
                .remove("seconds_per_item");
        }
        records
    }

    /// The summary line's four counts, checked to add up.
    fn summary(&self) -> (u64, u64, u64, u64) {
        let line = self
            .stderr
            .lines()
            .find(|l| l.starts_with("rows read "))
            .unwrap_or_else(|| panic!("no summary line in:\n{}", self.stderr));
        let numbers: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .collect();
        let (read, scored, rejected, superseded) = (numbers[0], numbers[1], numbers[2], numbers[3]);
        assert_eq!(read, scored + rejected + superseded, "{line}");
        (read, scored, rejected, superseded)
    }
}

/// Scores `name` and its plain twin and checks they agree.
fn same_as_plain(name: &str) -> Scored {
    same_as_plain_with(name, &[])
}

/// As [`same_as_plain`], with `extra` options for the export.
fn same_as_plain_with(name: &str, extra: &[&str]) -> Scored {
    let export = score(&fixture(&format!("{name}.csv")), extra);
    let plain = score(&fixture(&format!("{name}.plain.csv")), &[]);
    assert_eq!(export.ids(), plain.ids());
    assert_eq!(export.comparable(), plain.comparable(), "{name}");
    plain.summary();
    export
}

const NO_REJECTS: &str = "row,candidate_id,column,value,reason\n";

#[test]
fn google_forms_with_bom_labels_and_grid_headers() {
    let run = same_as_plain("google_forms_bom");
    assert_eq!(
        run.ids(),
        [
            "ada@example.com",
            "chidi@example.com",
            "grace@example.com",
            "juergen@example.com",
            "mei@example.com"
        ]
    );
    assert_eq!(run.rejects, NO_REJECTS);
    assert_eq!(run.summary(), (5, 5, 0, 0));
    assert_eq!(run.code, 0);
    assert!(run
        .stderr
        .contains("1 item(s) have no column and count as unanswered: FL19"));
    assert!(run
        .stderr
        .contains("candidate ids are taken from column 'Email Address'"));
}

#[test]
fn microsoft_forms_with_letter_prefixed_labels() {
    let run = same_as_plain("microsoft_forms");
    assert_eq!(run.ids(), ["1", "2", "3", "4", "5"]);
    assert_eq!(run.rejects, NO_REJECTS);
    assert_eq!(run.summary(), (5, 5, 0, 0));
    // Start to completion took 16 min 11 s = 971 s for 84 items: 971 / 84 = 11.559…
    let seconds = run.candidates[0]["validity"]["indices"]["seconds_per_item"]
        .as_f64()
        .unwrap();
    assert!((seconds - 971.0 / 84.0).abs() < 1e-9, "{seconds}");
}

#[test]
fn surveymonkey_double_header() {
    let run = same_as_plain("surveymonkey");
    // Respondent ID numbers the responses; Email Address, filled on every row, is the id.
    assert_eq!(
        run.ids(),
        [
            "ada@example.com",
            "chidi@example.com",
            "grace@example.com",
            "juergen@example.com",
            "mei@example.com"
        ]
    );
    assert!(
        run.stderr.contains(
            "warning: candidate ids are taken from column 'Email Address' \
             (a SurveyMonkey export's 'Respondent ID' numbers the responses, not the people)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.rejects, NO_REJECTS);
    assert_eq!(run.summary(), (5, 5, 0, 0));
}

#[test]
fn qualtrics_triple_header_with_numeric_recodes() {
    let run = same_as_plain("qualtrics_numeric");
    assert_eq!(
        run.ids(),
        [
            "R_Ada00aB2cD3",
            "R_Chidi03aB2cD3",
            "R_Grace01aB2cD3",
            "R_Juergen02aB2cD3",
            "R_Mei04aB2cD3"
        ]
    );
    // Three header rows, so the first data row is spreadsheet row 4.
    assert_eq!(
        run.rejects,
        "row,candidate_id,column,value,reason\n\
         4,R_Preview01,Status,1,\"a Qualtrics survey preview, not a candidate's response\"\n"
    );
    assert_eq!(run.summary(), (6, 5, 1, 0));
    assert_eq!(run.code, 1);
}

#[test]
fn excel_semicolon_export_in_windows_1252() {
    let run = same_as_plain("excel_semicolon_1252");
    assert_eq!(
        run.ids(),
        ["ada", "chidi", "grace", "jürgen.müller", "zoë.ångström"]
    );
    assert_eq!(run.rejects, NO_REJECTS);
    assert_eq!(run.summary(), (5, 5, 0, 0));
    assert!(run
        .stderr
        .contains("not valid UTF-8; read it as windows-1252"));
}

#[test]
fn the_wrong_encoding_rejects_rows_instead_of_mangling_them() {
    let run = score(
        &fixture("excel_semicolon_1252.csv"),
        &["--encoding", "utf-8"],
    );
    // The three rows with ü, ë or Å in their id or labels are rejected, and
    // ada's and grace's too, for "Stimme überhaupt nicht zu": no row is
    // scored, an error (exit 2), though rejects.csv is written.
    assert!(
        run.rejects.contains("bytes that are not valid utf-8"),
        "{}",
        run.rejects
    );
    assert_eq!(run.summary(), (5, 0, 5, 0), "{}", run.rejects);
    assert_eq!(run.code, 2);
}

const MESSY_REJECTS: &str = "row,candidate_id,column,value,reason
2,ada,,,superseded by row 7: the same candidate id submitted again (duplicates policy latest)
5,chidi,CO01,7,7 is outside the response scale; expected 1 to 5
6,mei,CO02,Sometimes,\"''Sometimes' is not a response label; expected one of Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree (or a synonym), or 1 to 5\"
8,ada,,,superseded by row 7: the same candidate id submitted again (duplicates policy latest)
9,,candidate_id,,the candidate id is empty; expected an id
10,zoe,TR01,'=cmd|' /C calc'!A0,\"''=cmd|' /C calc'!A0' is not a response label; expected one of Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree (or a synonym), or 1 to 5\"
11,yusuf,,,\"row 11 has 89 fields, the header 87: answers may have shifted into the wrong columns; expected one field per header column\"
";

#[test]
fn messy_file_accounts_for_every_row() {
    // Row 4 (juergen) lacks its last three fields: scored only when asked to pad.
    let run = same_as_plain_with("messy", &["--pad-short-rows"]);
    // Row 7 is ada's latest submission (11:00) though row 8 comes later in the file (10:00).
    assert_eq!(run.ids(), ["ada", "grace", "juergen"]);
    let ada = run.candidates.iter().find(|c| c["id"] == "ada").unwrap();
    assert_eq!(ada["row"], 7);
    assert_eq!(run.rejects, MESSY_REJECTS);
    assert_eq!(run.summary(), (10, 3, 5, 2));
    assert_eq!(run.code, 1);
    // Without --pad-short-rows, row 4 is rejected, saying why: 10 = 2 + 6 + 2.
    let strict = score(&fixture("messy.csv"), &[]);
    assert_eq!(strict.ids(), ["ada", "grace"]);
    assert_eq!(strict.summary(), (10, 2, 6, 2));
    assert!(strict.rejects.contains(
        "4,juergen,,,\"row 4 has 84 fields, the header 87: answers may have shifted into the wrong columns; \
         expected one field per header column (--pad-short-rows reads a short row as if its last fields were \
         empty, for tools that drop them)\"\n"
    ), "{}", strict.rejects);
}

#[test]
fn formula_values_come_out_neutralised() {
    let run = score(&fixture("messy.csv"), &[]);
    let mut reader = csv::Reader::from_reader(run.rejects.as_bytes());
    let zoe = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[1] == "zoe")
        .unwrap();
    assert_eq!(&zoe[3], "'=cmd|' /C calc'!A0");
    for record in csv::Reader::from_reader(run.rejects.as_bytes()).records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
    }
}

#[test]
fn duplicate_policies_keep_all_and_reject() {
    let all = score(
        &fixture("messy.csv"),
        &["--duplicates", "keep-all", "--pad-short-rows"],
    );
    assert_eq!(all.ids(), ["ada", "ada", "ada", "grace", "juergen"]);
    assert_eq!(all.summary(), (10, 5, 5, 0));
    let reject = score(
        &fixture("messy.csv"),
        &["--duplicates", "reject", "--pad-short-rows"],
    );
    assert_eq!(reject.ids(), ["grace", "juergen"]);
    assert_eq!(reject.summary(), (10, 2, 8, 0));
    assert!(reject.rejects.contains(
        "2,ada,,,\"the candidate id appears on rows 2, 7, 8; duplicates policy reject scores none of them\"\n"
    ));
}

#[test]
fn dry_run_prints_the_matching_report_and_stops() {
    let work = Workdir::new();
    let out = work
        .command(&[
            "score",
            &fixture("google_forms_bom.csv"),
            "--role",
            "retail",
            "--dry-run",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for line in [
        "format: google-forms (1 header row(s)); encoding: utf-8 (ByteOrderMark); delimiter: ','",
        "candidate id: column 'Email Address' (first likely id column)",
        "candidate name: column 'Full name'",
        "matched 83 column(s) to items:",
        "  column 4 \"When someone complains to me, I assume they have a real problem.\" -> TR01 (by item text)",
        "  column 5 \"Rate each statement [I correct people in front of others if that is quicker.]\" -> TA02 (by item text via \"I correct people in front of others if that is quicker.\")",
        "items missing (counted as unanswered): 1\n  FL19",
        "columns ignored: 2\n  column 1 \"Timestamp\": no item has this id or text\n  column 3 \"Full name\": no item has this id or text",
    ] {
        assert!(text.contains(line), "{line}\nnot in:\n{text}");
    }
    assert!(!work.dir.path().join("out").exists());
}

#[test]
fn map_file_and_sep_line() {
    let work = Workdir::new();
    let items = servicefit::builtin::questionnaire().unwrap();
    let ids: Vec<&str> = items.items().iter().map(|i| i.id.as_str()).collect();
    // Columns named Q1..Q84 (no id or text), a sep= line and semicolons.
    let header: Vec<String> = (1..=ids.len()).map(|n| format!("Q{n}")).collect();
    let answers: Vec<&str> = (0..ids.len())
        .map(|n| ["2", "4", "3", "5", "1"][n % 5])
        .collect();
    work.write(
        "answers.csv",
        &format!(
            "sep=;\nperson;{}\nann;{}\n",
            header.join(";"),
            answers.join(";")
        ),
    );
    let map: String = header
        .iter()
        .zip(&ids)
        .map(|(h, id)| format!("{h},{id}\n"))
        .collect();
    work.write("map.csv", &format!("column,item\n{map}"));
    let out = work
        .command(&[
            "score",
            "answers.csv",
            "--role",
            "retail",
            "--map",
            "map.csv",
            "--id-column",
            "person",
            "--dry-run",
        ])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("delimiter: ';' (from the sep= line)"),
        "{text}"
    );
    assert!(text.contains("matched 84 column(s)"), "{text}");
    assert!(
        text.contains("column 2 \"Q1\" -> TR01 (by map file)"),
        "{text}"
    );
    work.command(&[
        "score",
        "answers.csv",
        "--role",
        "retail",
        "--map",
        "map.csv",
        "--id-column",
        "person",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains(",ann,"));
}

#[test]
fn bad_map_and_encoding_are_usage_errors() {
    let work = Workdir::new();
    work.write("answers.csv", "candidate_id,TR01\nann,4\n");
    work.write("map.csv", "column,item\nQ1,NOPE\n");
    work.command(&[
        "score",
        "answers.csv",
        "--role",
        "retail",
        "--map",
        "map.csv",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains(
        "map.csv: line 2: 'NOPE' is not an item id of questionnaire 'sfq'",
    ));
    work.command(&[
        "score",
        "answers.csv",
        "--role",
        "retail",
        "--encoding",
        "klingon",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains(
        "--encoding 'klingon': unknown encoding",
    ));
    work.write("header-only.csv", "candidate_id,TR01\n");
    work.command(&[
        "score",
        "header-only.csv",
        "--role",
        "retail",
        "--input-format",
        "surveymonkey",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains(
        "expected 2 header rows, as a surveymonkey export has",
    ));
}

#[test]
fn template_formats() {
    let work = Workdir::new();
    let csv = work
        .command(&["template", "--format", "csv"])
        .assert()
        .success();
    let header = String::from_utf8_lossy(&csv.get_output().stdout).to_string();
    assert!(header.starts_with("candidate_id,TR01,TA02,"));
    // The blank template, filled with one row, scores as a plain file.
    let cells = header.trim_end().split(',').count() - 1;
    let answers: Vec<&str> = (0..cells)
        .map(|n| ["2", "4", "3", "5", "1"][n % 5])
        .collect();
    work.write(
        "filled.csv",
        &format!("{header}ann,{}\n", answers.join(",")),
    );
    work.command(&["score", "filled.csv", "--role", "retail"])
        .assert()
        .code(0);
    let html = work
        .command(&["template", "--format", "html"])
        .assert()
        .success();
    let page = String::from_utf8_lossy(&html.get_output().stdout).to_string();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("the other person&#39;s side"));
    let text = work
        .command(&["template", "--format", "markdown"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&text.get_output().stdout).contains("1. **TR01** "));
}

#[test]
fn reports_people_read_count_superseded_rows() {
    let work = Workdir::new();
    let file = fixture("messy.csv");
    let out = work
        .command(&[
            "score",
            &file,
            "--role",
            "retail",
            "--format",
            "terminal",
            "--pad-short-rows",
        ])
        .assert()
        .code(1);
    // The terminal wraps its prose at 80 columns: read it as one line.
    let text = String::from_utf8_lossy(&out.get_output().stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // 10 = 3 scored + 5 rejected + 2 superseded.
    assert!(
        text.contains("10 rows read: 3 scored, 5 rejected, 2 superseded by a later submission"),
        "{text}"
    );
}
