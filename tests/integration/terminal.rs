//! The terminal format fits the width it is given (issue 20): `--width`,
//! `COLUMNS`, or 80 when output is not a terminal; no line wider, measured in
//! displayed columns; every id and every flag reason still there.

use std::collections::BTreeSet;

use unicode_width::UnicodeWidthStr;

use crate::support::{repo, Workdir};

const WIDTHS: [usize; 6] = [40, 60, 80, 100, 120, 200];

/// tests/fixtures/terminal/wide.csv: examples/applicants.csv with a 72-character
/// e-mail id, a 69-character id on an invalid row, CJK ids and names, an emoji,
/// accented names and a name of 69 characters.
fn wide() -> Workdir {
    let work = Workdir::new();
    let text = std::fs::read_to_string(repo("tests/fixtures/terminal/wide.csv")).expect("fixture");
    work.write("wide.csv", &text);
    work
}

/// Stdout of `servicefit ARGS` with `COLUMNS` as given (removed for `None`); piped, so not a terminal.
fn output(work: &Workdir, args: &[&str], columns: Option<&str>) -> String {
    let mut command = work.command(args);
    match columns {
        Some(c) => command.env("COLUMNS", c),
        None => command.env_remove("COLUMNS"),
    };
    let out = command.output().expect("run");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The widest line, in displayed columns.
fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The candidates' ids and flag reasons, from the JSON report of the same file.
fn ids_and_reasons(work: &Workdir) -> (Vec<String>, Vec<String>) {
    let json = output(
        work,
        &["score", "wide.csv", "--role", "retail", "--format", "json"],
        None,
    );
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let candidates = json["candidates"].as_array().expect("candidates");
    let ids = candidates
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let reasons = candidates
        .iter()
        .flat_map(|c| c["validity"]["reasons"].as_array().unwrap().clone())
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    (ids, reasons)
}

#[test]
fn score_table_fits_every_width_and_loses_nothing() {
    let work = wide();
    let (ids, reasons) = ids_and_reasons(&work);
    assert_eq!(ids.len(), 29);
    assert!(reasons.len() >= 10, "{reasons:?}");
    for width in WIDTHS {
        let flag = width.to_string();
        let args = [
            "score", "wide.csv", "--role", "retail", "--format", "terminal", "--width", &flag,
        ];
        let table = output(&work, &args, Some("300"));
        assert!(widest(&table) <= width, "{width}:\n{table}");
        // An id longer than a line is broken across lines: compare without the breaks.
        let joined: String = table.split_whitespace().collect();
        for id in &ids {
            assert!(joined.contains(id.as_str()), "{width}: {id} missing");
        }
        // Reasons are joined by "; ".
        let words: BTreeSet<&str> = table
            .split_whitespace()
            .map(|w| w.trim_end_matches(';'))
            .collect();
        for reason in &reasons {
            for word in reason.split_whitespace().map(|w| w.trim_end_matches(';')) {
                assert!(
                    words.contains(word),
                    "{width}: '{word}' of '{reason}' missing"
                );
            }
        }
    }
}

#[test]
fn the_table_drops_columns_in_the_documented_order() {
    let work = wide();
    let table = |width: usize| {
        let flag = width.to_string();
        output(
            &work,
            &[
                "score", "wide.csv", "--role", "retail", "--format", "terminal", "--width", &flag,
            ],
            None,
        )
    };
    let header = |text: &str| text.lines().nth(1).unwrap_or_default().to_string();
    // 200: everything, full attribute names, names at the end of the line.
    let wide = table(200);
    assert!(header(&wide).ends_with("verdict      Trust Tact Empathy Conformity Focus Flexibility"));
    // The 33-character name in 30: 29 and "…".
    assert!(wide.contains("   Inês Conceição Carvalho-Gonça…\n"));
    // 120: headings shortened (line without name 100, name in 18: "Inês Conceição Ca…").
    assert!(header(&table(120)).ends_with("verdict      Trust Tact Empa… Conf… Focus Flex…"));
    assert!(table(120).contains("Inês Conceição Ca…\n"));
    // 80: no range, no verdict, the name under the candidate.
    let at_80 = table(80);
    assert!(header(&at_80).ends_with("answers     fit Trust Tact Empa… Conf… Focus Flex…"));
    assert!(at_80.contains("\n      Inês Conceição Carvalho-Gonçalves\n"));
    let note: Vec<&str> = at_80.split_whitespace().collect();
    assert!(note
        .join(" ")
        .contains("Left out at 80 columns: the fit's 90% range, the verdict ("));
    // 60: rank, candidate, answers and fit only.
    assert_eq!(
        header(&table(60)),
        "   #  candidate           answers     fit"
    );
}

#[test]
fn columns_sets_the_width_when_piped_and_80_otherwise() {
    let work = Workdir::new();
    let args = [
        "score",
        &repo("examples/applicants.csv").display().to_string(),
        "--role",
        "retail",
        "--format",
        "terminal",
    ]
    .map(String::from);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let at_60 = output(&work, &args, Some("60"));
    assert!(widest(&at_60) <= 60 && widest(&at_60) > 50, "{at_60}");
    let unset = output(&work, &args, None);
    assert!(widest(&unset) <= 80 && widest(&unset) > 70, "{unset}");
    // Not a positive integer: ignored, as if unset.
    assert_eq!(output(&work, &args, Some("wide")), unset);
    // --width wins over COLUMNS; below 40 the layout is that of 40.
    let mut flagged = args.clone();
    flagged.extend(["--width", "20"]);
    assert_eq!(
        output(&work, &flagged, Some("60")),
        output(&work, &[&args[..], &["--width", "40"]].concat(), None)
    );
}

#[test]
fn compare_fits_every_width() {
    let work = wide();
    let ids = "applicant-0017-from-the-spring-campaign-with-a-very-long-id@example.com,佐藤花子-1008,APP-1009,王文-1023,APP-1002,APP-1004,APP-1012,APP-1024";
    for width in WIDTHS {
        let flag = width.to_string();
        let args = [
            "compare", "wide.csv", "--role", "retail", "--ids", ids, "--width", &flag,
        ];
        let text = output(&work, &args, None);
        assert!(widest(&text) <= width, "{width}:\n{text}");
        let joined: String = text.split_whitespace().collect();
        for id in ids.split(',') {
            assert!(joined.contains(id), "{width}: {id} missing");
        }
        // Every candidate's fit row: eight cells in however many blocks.
        let cells: usize = text
            .lines()
            .filter(|l| l.starts_with("fit (90%)"))
            .map(|l| l.matches('(').count() - 1 + l.matches("none").count())
            .sum();
        assert_eq!(cells, 8, "{width}:\n{text}");
    }
}

#[test]
fn compare_reads_columns_too() {
    let work = wide();
    let args = ["compare", "wide.csv", "--role", "retail"];
    let at_60 = output(&work, &args, Some("60"));
    assert!(widest(&at_60) <= 60 && widest(&at_60) > 50, "{at_60}");
    let unset = output(&work, &args, None);
    assert!(widest(&unset) <= 80 && widest(&unset) > 70, "{unset}");
}

#[test]
fn invalid_rows_show_no_scores_and_valid_rows_do() {
    let work = wide();
    let args = [
        "score", "wide.csv", "--role", "retail", "--format", "terminal", "--width", "200",
    ];
    let table = output(&work, &args, None);
    let rows = |status: &str| -> Vec<String> {
        table
            .lines()
            .filter(|l| l.contains(status))
            .map(String::from)
            .collect()
    };
    let invalid = rows("✗ invalid");
    assert!(!invalid.is_empty(), "{table}");
    for line in &invalid {
        // Rank, then nothing but the fit's and the six attributes' dashes.
        let after_status = line.split("✗ invalid").nth(1).unwrap();
        assert_eq!(after_status.matches('–').count(), 7, "{line}");
        assert!(!after_status.contains(['↓', '↑']), "{line}");
        assert!(!after_status.chars().any(|c| c.is_ascii_digit()), "{line}");
    }
    for line in rows("✓ valid") {
        let after_status = line.split("✓ valid").nth(1).unwrap();
        assert!(after_status.chars().any(|c| c.is_ascii_digit()), "{line}");
    }
}
