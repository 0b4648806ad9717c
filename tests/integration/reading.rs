//! Exports that used to give a wrong result without a word, or stop the
//! user cold (issue 16): rows that lost a cell, ids that number responses
//! rather than people, names beside ids, LimeSurvey answer codes, decimal
//! commas, paper-form abbreviations, a retyped quote. Inputs are the tiny
//! questionnaire's exports in tests/fixtures/reading (see its README), so
//! every number is worked by hand.

use serde_json::Value;

use crate::support::{repo, Run, Workdir};

fn fixture(name: &str) -> String {
    repo(&format!("tests/fixtures/reading/{name}"))
        .display()
        .to_string()
}

/// `servicefit score FILE` with the tiny questionnaire, norms and role, and `extra`.
fn score(work: &Workdir, file: &str, extra: &[&str]) -> Run {
    let tiny = |name: &str| {
        repo(&format!("tests/fixtures/tiny/{name}"))
            .display()
            .to_string()
    };
    let (q, n, p) = (
        tiny("questionnaire.json"),
        tiny("norms.json"),
        tiny("profile.json"),
    );
    let mut args = vec![
        "score",
        file,
        "--questionnaire",
        &q,
        "--norms",
        &n,
        "--role",
        &p,
    ];
    args.extend_from_slice(extra);
    work.run(&args)
}

/// The candidates of a JSON Lines output: (id, name, raw score of each scale).
fn candidates(jsonl: &str) -> Vec<(String, String, Vec<f64>)> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json line"))
        .filter(|v| v["record"] == "candidate")
        .map(|v| {
            let raw = v["scales"].as_array().expect("scales").iter();
            (
                v["id"].as_str().unwrap_or("").to_string(),
                v["name"].as_str().unwrap_or("").to_string(),
                raw.map(|s| s["raw"].as_f64().unwrap_or(f64::NAN)).collect(),
            )
        })
        .collect()
}

/// Answers 4, 3, 5, 4, 2, 1 to A1, B1, A2, B2, A3 (reversed: 6 − 2 = 4),
/// B3 (reversed: 6 − 1 = 5): alpha (4 + 5 + 4) / 3, beta (3 + 4 + 5) / 3 = 4.
const FOUR_THREE_FIVE: [f64; 2] = [13.0 / 3.0, 4.0];

fn assert_raw(got: &[f64], expected: [f64; 2]) {
    assert!(
        got.len() == 2 && got.iter().zip(expected).all(|(g, e)| (g - e).abs() < 1e-12),
        "{got:?} vs {expected:?}"
    );
}

#[test]
fn a_row_that_lost_a_cell_is_rejected_not_shifted() {
    let work = Workdir::new();
    let run = score(&work, &fixture("google_forms_short_row.csv"), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Row 3's e-mail is missing, so its name sits in the e-mail column: rejected, saying why.
    assert!(
        run.stderr.contains(
            "rejected row 3 (Bea Nunes): row 3 has 8 fields, the header 9: answers may have shifted \
             into the wrong columns; expected one field per header column (--pad-short-rows"
        ),
        "{}",
        run.stderr
    );
    // Row 4 is blank (skipped, not counted); rows 2 and 5 are scored.
    assert!(
        run.stderr
            .contains("rows read 3 = scored 2 + rejected 1 + superseded 0"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("Bea"), "{}", run.stdout);
}

#[test]
fn names_are_shown_beside_ids_and_escaped_in_every_report() {
    let work = Workdir::new();
    let file = fixture("google_forms_short_row.csv");
    let run = score(&work, &file, &["--format", "jsonl"]);
    let people = candidates(&run.stdout);
    assert_eq!(
        people
            .iter()
            .map(|(id, name, _)| (id.as_str(), name.as_str()))
            .collect::<Vec<_>>(),
        [
            ("ann@example.com", "Léa <b>Roux</b>"),
            ("cy@example.com", "Cy Ng")
        ]
    );
    let csv = score(&work, &file, &[]).stdout;
    assert!(csv.starts_with("rank,candidate_id,name,status,"), "{csv}");
    assert!(
        csv.contains("\n1,ann@example.com,Léa <b>Roux</b>,valid,"),
        "{csv}"
    );
    score(&work, &file, &["--format", "html", "--out", "html"]);
    let index = work.read("html/index.html");
    assert!(
        index.contains("ann@example.com (Léa &lt;b&gt;Roux&lt;/b&gt;)"),
        "{index}"
    );
    assert!(!index.contains("<b>Roux"), "{index}");
    let pages: Vec<String> = std::fs::read_dir(work.dir.path().join("html/candidates"))
        .expect("pages")
        .map(|entry| std::fs::read_to_string(entry.expect("page").path()).expect("read"))
        .collect();
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(|p| !p.contains("<b>Roux")));
    assert!(pages
        .iter()
        .any(|p| p.contains("<title>ann@example.com (Léa &lt;b&gt;Roux&lt;/b&gt;) — ")));
    score(&work, &file, &["--format", "markdown", "--out", "md"]);
    let index = work.read("md/index.md");
    assert!(index.contains("Léa"), "{index}");
    assert!(!index.contains("<b>Roux"), "{index}");
    // Wide enough for the name's column (at 80 it goes under the candidate).
    let table = score(&work, &file, &["--format", "terminal", "--width", "200"]).stdout;
    let ann = table
        .lines()
        .find(|l| l.contains("ann@example.com"))
        .expect("ann");
    assert!(ann.ends_with("  Léa <b>Roux</b>"), "{table}");
}

#[test]
fn surveymonkey_custom_data_identifies_the_person_so_a_resubmission_is_found() {
    let work = Workdir::new();
    let run = score(
        &work,
        &fixture("surveymonkey_custom_data.csv"),
        &["--format", "jsonl"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: candidate ids are taken from column 'Custom Data 1' \
             (a SurveyMonkey export's 'Respondent ID' numbers the responses, not the people)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "row 3 (cand-001): superseded by row 5: the same candidate id submitted again"
        ),
        "{}",
        run.stderr
    );
    let mut people: Vec<(String, String)> = candidates(&run.stdout)
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    people.sort();
    assert_eq!(
        people,
        [
            ("cand-001".to_string(), "Ann Lee".to_string()),
            ("cand-002".to_string(), "Bob Stone".to_string())
        ]
    );
    // The user's word wins: the counter as id finds no repeat.
    let counted = score(
        &work,
        &fixture("surveymonkey_custom_data.csv"),
        &["--id-column", "Respondent ID"],
    );
    assert!(
        counted
            .stderr
            .contains("scored 3 + rejected 0 + superseded 0"),
        "{}",
        counted.stderr
    );
}

#[test]
fn limesurvey_answer_codes_are_the_options_in_order_unless_a_map_says_otherwise() {
    let work = Workdir::new();
    let file = fixture("limesurvey_codes.csv");
    let run = score(&work, &file, &["--format", "jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: answers such as 'A3' were read as LimeSurvey answer codes, the n-th answer option \
             of the response scale: A1 = 1 (Strongly disagree) … A5 = 5 (Strongly agree)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("column 'token'"), "{}", run.stderr);
    let people = candidates(&run.stdout);
    let ann = people
        .iter()
        .find(|(id, _, _)| id == "tok-ann")
        .expect("tok-ann");
    // A4 A3 A5 A4 A2 A1 are 4 3 5 4 2 1.
    assert_raw(&ann.2, FOUR_THREE_FIVE);
    // A survey that listed "Strongly agree" first: A1 = 5 … A5 = 1, so ann's
    // answers are 2 3 1 2 4 5: alpha (2 + 1 + (6 − 4)) / 3 = 5/3, beta (3 + 2 + 1) / 3 = 2.
    work.write("codes.csv", "code,value\nA1,5\nA2,4\nA3,3\nA4,2\nA5,1\n");
    let mapped = score(&work, &file, &["--format", "jsonl", "--map", "codes.csv"]);
    assert!(
        !mapped.stderr.contains("LimeSurvey answer codes"),
        "{}",
        mapped.stderr
    );
    let people = candidates(&mapped.stdout);
    let ann = people
        .iter()
        .find(|(id, _, _)| id == "tok-ann")
        .expect("tok-ann");
    assert_raw(&ann.2, [5.0 / 3.0, 2.0]);
}

#[test]
fn whole_numbers_with_a_decimal_comma_are_read_and_a_half_is_refused_as_such() {
    let work = Workdir::new();
    let run = score(
        &work,
        &fixture("excel_de_decimal_comma.csv"),
        &["--format", "jsonl"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    // German headers: Zeitstempel (a Google Forms export), E-Mail-Adresse the id, the name beside it.
    assert!(
        run.stderr.contains("column 'E-Mail-Adresse'"),
        "{}",
        run.stderr
    );
    let people = candidates(&run.stdout);
    assert_eq!(
        (people[0].0.as_str(), people[0].1.as_str()),
        ("jurgen@example.de", "Jürgen Müller")
    );
    assert_raw(&people[0].2, FOUR_THREE_FIVE);
    assert!(
        run.stderr.contains(
            "rejected row 3 (zoe@example.de), column First beta statement.: '3,5' is a decimal number; \
             expected a whole number from 1 to 5"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn paper_form_abbreviations_are_read_where_the_scale_makes_them_clear() {
    let work = Workdir::new();
    let run = score(
        &work,
        &fixture("paper_abbreviations.csv"),
        &["--format", "jsonl"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let people = candidates(&run.stdout);
    let ann = people.iter().find(|(id, _, _)| id == "p-01").expect("p-01");
    // A N SA A D SD are 4 3 5 4 2 1.
    assert_raw(&ann.2, FOUR_THREE_FIVE);
    // sa d n sd a sa are 5 2 3 1 4 5: alpha (5 + 3 + (6 − 4)) / 3 = 10/3, beta (2 + 1 + (6 − 5)) / 3 = 4/3.
    let bob = people.iter().find(|(id, _, _)| id == "p-02").expect("p-02");
    assert_raw(&bob.2, [10.0 / 3.0, 4.0 / 3.0]);
}

#[test]
fn a_retyped_quote_gets_the_nearest_item_suggested() {
    let work = Workdir::new();
    let file = fixture("retyped_header.csv");
    let run = score(&work, &file, &[]);
    assert!(
        run.stderr.contains(
            "warning: column 'Frist alpha statment.' matches no item, but is close to item A1; if it is \
             that item, a --map file row 'Frist alpha statment.,A1' maps it"
        ),
        "{}",
        run.stderr
    );
    let dry = score(&work, &file, &["--dry-run"]);
    assert!(
        dry.stdout.contains(
            "  column 2 \"Frist alpha statment.\": no item has this id or text; nearest: A1 \
             \"First alpha statement.\" (a --map file row 'Frist alpha statment.,A1' maps it)"
        ),
        "{}",
        dry.stdout
    );
    // Following the advice matches it.
    work.write("map.csv", "column,item\nFrist alpha statment.,A1\n");
    let mapped = score(&work, &file, &["--map", "map.csv"]);
    assert!(
        !mapped.stderr.contains("matches no item"),
        "{}",
        mapped.stderr
    );
    assert!(mapped.stdout.contains(",c1,,valid,"), "{}", mapped.stdout);
}
