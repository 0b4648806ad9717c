//! Survey exports as users' own forms write them, end to end through the
//! CLI, in both paths (`--out`, the batch path; stdout, the streamed path):
//! day-first dates, other tools' stock labels, ids that differ only in case,
//! Microsoft Forms' response counter, undecodable bytes in a column nobody
//! scores. Inputs are in tests/fixtures/exports or made here.

use crate::support::{repo, Run, Workdir};

fn fixture(name: &str) -> String {
    repo(&format!("tests/fixtures/exports/{name}"))
        .display()
        .to_string()
}

/// The header of a plain file with every item of the built-in questionnaire.
fn item_header() -> String {
    let q = servicefit::builtin::questionnaire().expect("built-in");
    let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
    ids.join(",")
}

/// The candidate ids of a results CSV (its second column), in rank order.
fn ranked_ids(csv: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv")[1].to_string())
        .collect()
}

#[test]
fn undecodable_bytes_in_a_column_not_scored_keep_the_candidate() {
    // 600 plain rows (over the 64 KiB the encoding is detected from, so
    // UTF-8 is chosen), then row 602 with a Windows-1252 "José Müller" in
    // the Name column, which is not scored.
    let work = Workdir::new();
    let answers = vec!["3"; 84].join(",");
    let mut text = format!("candidate_id,Name,{}\n", item_header()).into_bytes();
    for n in 0..600 {
        text.extend(format!("c{n},Ann Lee,{answers}\n").bytes());
    }
    text.extend(b"jose,Jos\xe9 M\xfcller,");
    text.extend(format!("{answers}\n").bytes());
    std::fs::write(work.dir.path().join("late.csv"), text).expect("write");
    let warning = "warning: 1 row(s) hold bytes that are not valid utf-8 in columns that are not scored \
                   (the first: 'Name'); the rows were scored all the same (--encoding chooses another encoding)";
    for args in [
        &["score", "late.csv", "--role", "retail", "--out", "out"][..],
        &["score", "late.csv", "--role", "retail"],
        &["score", "late.csv", "--role", "retail", "--unsorted"],
    ] {
        let run = work.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("rows read 601 = scored 601 + rejected 0"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(warning), "{args:?}: {}", run.stderr);
    }
    assert!(ranked_ids(&work.read("out/results.csv")).contains(&"jose".to_string()));
    // compare reads as score does, and says so as score does.
    let compare = work.run(&[
        "compare", "late.csv", "--role", "retail", "--ids", "jose,c1",
    ]);
    assert_eq!(compare.code, 0, "{}", compare.stderr);
    assert!(compare.stderr.contains(warning), "{}", compare.stderr);
}

#[test]
fn email_ids_differing_only_in_case_are_one_candidate() {
    // Rows 2 and 3 are one applicant who typed their address twice (the
    // later submission, row 3, is kept as it wrote the id); `bob` and `BOB`
    // are not addresses, so they are two candidates.
    let work = Workdir::new();
    let answers = vec!["3"; 84].join(",");
    let rows = [
        ("ann@example.com", "2024-06-02 09:00:00"),
        (" ANN@Example.com ", "2024-06-09 10:00:00"),
        ("bob", "2024-06-03 09:00:00"),
        ("BOB", "2024-06-04 09:00:00"),
    ];
    let mut text = format!("candidate_id,Timestamp,{}\n", item_header());
    for (id, time) in rows {
        text.push_str(&format!("{id},{time},{answers}\n"));
    }
    work.write("case.csv", &text);
    let superseded = "row 2 (ann@example.com): superseded by row 3";
    let batch = work.run(&["score", "case.csv", "--role", "retail", "--out", "out"]);
    assert_eq!(batch.code, 0, "{}", batch.stderr);
    assert!(batch.stderr.contains(superseded), "{}", batch.stderr);
    assert!(batch
        .stderr
        .contains("rows read 4 = scored 3 + rejected 0 + superseded 1"));
    let mut ids = ranked_ids(&work.read("out/results.csv"));
    ids.sort();
    assert_eq!(ids, ["ANN@Example.com", "BOB", "bob"]);
    assert!(work.read("out/rejects.csv").contains(
        "2,ann@example.com,,,superseded by row 3: the same candidate id submitted again (duplicates policy latest)\n"
    ));
    let streamed = work.run(&["score", "case.csv", "--role", "retail"]);
    assert!(streamed.stderr.contains(superseded), "{}", streamed.stderr);
    assert_eq!(streamed.stdout, work.read("out/results.csv"));
    let reject = work.run(&[
        "score",
        "case.csv",
        "--role",
        "retail",
        "--duplicates",
        "reject",
    ]);
    assert!(reject.stderr.contains(
        "row 3 (ANN@Example.com): the candidate id appears on rows 2, 3; duplicates policy reject scores none of them"
    ), "{}", reject.stderr);
    let explained = work.run(&[
        "score",
        "case.csv",
        "--role",
        "retail",
        "--explain",
        "Ann@example.COM",
    ]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(explained.stdout.contains("row 3"), "{}", explained.stdout);
}

/// A Qualtrics export's answers as numbers: each label cell becomes its value
/// on the stock 5-point agreement scale.
fn as_numbers(text: &str) -> String {
    let labels = [
        ("Strongly disagree", "1"),
        ("Somewhat disagree", "2"),
        ("Neither agree nor disagree", "3"),
        ("Somewhat agree", "4"),
        ("Strongly agree", "5"),
    ];
    let mut lines = text.lines();
    let mut out: Vec<String> = lines.by_ref().take(3).map(str::to_string).collect();
    for line in lines {
        let cells = line.split(',').map(|cell| {
            labels
                .iter()
                .find(|(label, _)| *label == cell)
                .map_or(cell, |(_, value)| value)
        });
        out.push(cells.collect::<Vec<_>>().join(","));
    }
    out.join("\n") + "\n"
}

#[test]
fn qualtrics_stock_agreement_labels_score_as_their_numbers() {
    let work = Workdir::new();
    let labels = std::fs::read_to_string(fixture("qualtrics_labels.csv")).expect("fixture");
    let numbers = as_numbers(&labels);
    assert!(!numbers.contains("Somewhat") && numbers.contains(",4,2,"));
    work.write("labels.csv", &labels);
    work.write("numbers.csv", &numbers);
    let by_label = work.run(&["score", "labels.csv", "--role", "retail"]);
    assert_eq!(by_label.code, 0, "{}", by_label.stderr);
    assert!(by_label
        .stderr
        .contains("rows read 3 = scored 3 + rejected 0"));
    let by_number = work.run(&["score", "numbers.csv", "--role", "retail"]);
    assert_eq!(by_label.stdout, by_number.stdout);
    // ResponseId numbers the responses; RecipientEmail, filled, is the id.
    assert_eq!(
        ranked_ids(&by_label.stdout),
        ["a1@x.com", "a0@x.com", "a2@x.com"]
    );
    assert!(
        by_label.stderr.contains(
            "candidate ids are taken from column 'RecipientEmail' \
             (a Qualtrics export's 'ResponseId' numbers the responses, not the people)"
        ),
        "{}",
        by_label.stderr
    );
}

#[test]
fn one_unknown_label_in_every_row_is_listed_a_few_times_then_counted() {
    // The same export with labels no tool writes: every row is rejected,
    // for each of its 'Kinda' cells (counted from the file).
    let work = Workdir::new();
    let labels = std::fs::read_to_string(fixture("qualtrics_labels.csv")).expect("fixture");
    let kinda = labels.replace("Somewhat", "Kinda");
    work.write("kinda.csv", &kinda);
    let data = || kinda.lines().skip(3);
    let count = |label: &str| {
        data()
            .map(|l| l.split(',').filter(|c| *c == label).count())
            .sum::<usize>()
    };
    let (agree, disagree) = (count("Kinda agree"), count("Kinda disagree"));
    let expected =
        "expected one of Strongly disagree, Disagree, Neither agree nor disagree, Agree, \
                    Strongly agree (or a synonym), or 1 to 5";
    for (args, more) in [
        (
            &["score", "kinda.csv", "--role", "retail", "--out", "out"][..],
            "see rejects.csv",
        ),
        (
            &["score", "kinda.csv", "--role", "retail"],
            "use --out DIR to get rejects.csv",
        ),
    ] {
        let run = work.run(args);
        assert_eq!(run.code, 2, "{}", run.stderr);
        let listed: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("kinda.csv: "))
            .collect();
        // Three lines per label, then one line counting the rest of each.
        assert_eq!(listed.len(), 8, "{}", run.stderr);
        assert!(listed[0].starts_with(
            "kinda.csv: rejected row 4 (a0@x.com), column Q1_3: 'Kinda agree' is not"
        ));
        assert_eq!(
            listed[6],
            format!("kinda.csv: ... and the same problem {} more time(s), in 3 row(s): 'Kinda agree' is not a response label; {expected}", agree - 3)
        );
        assert_eq!(
            listed[7],
            format!("kinda.csv: ... and the same problem {} more time(s), in 3 row(s): 'Kinda disagree' is not a response label; {expected} ({more})", disagree - 3)
        );
        assert!(run
            .stderr
            .contains("rows read 3 = scored 0 + rejected 3 + superseded 0"));
        assert!(run.stderr.contains(
            "error: no row of kinda.csv could be scored (3 rejected); there is nothing to rank"
        ));
    }
    // rejects.csv still has a line per cell.
    assert_eq!(
        work.read("out/rejects.csv").lines().count(),
        1 + agree + disagree
    );
}

/// `score FILE --role retail` with `extra`, through the batch path (`--out`)
/// and the streamed one (stdout), checked to rank the same candidates.
fn both_paths(work: &Workdir, file: &str, extra: &[&str]) -> Run {
    let mut args = vec!["score", file, "--role", "retail"];
    args.extend_from_slice(extra);
    let streamed = work.run(&args);
    args.extend(["--out", "out"]);
    let batch = work.run(&args);
    assert_eq!(
        streamed.stdout,
        work.read("out/results.csv"),
        "{}",
        streamed.stderr
    );
    assert_eq!(batch.code, streamed.code);
    batch
}

#[test]
fn day_first_dates_keep_the_later_submission() {
    // 13/06/2024 shows the column is day first: 05/07/2024 (row 3) is 5 July,
    // the later submission.
    let work = Workdir::new();
    let file = fixture("google_day_first.csv");
    let scored = both_paths(&work, &file, &[]);
    assert!(
        scored
            .stderr
            .contains("row 2 (cand0@example.com): superseded by row 3"),
        "{}",
        scored.stderr
    );
    assert!(!scored.stderr.contains("--date-order"), "{}", scored.stderr);
    assert!(work.read("out/rejects.csv").contains(
        "2,cand0@example.com,,,superseded by row 3: the same candidate id submitted again (duplicates policy latest)\n"
    ));
    // With 10/06/2024 instead, every date reads either way: month first
    // (10 October, the later), with a warning naming the option.
    let text = std::fs::read_to_string(&file)
        .expect("fixture")
        .replace("13/06/2024", "10/06/2024");
    work.write("ambiguous.csv", &text);
    let month_first = both_paths(&work, "ambiguous.csv", &[]);
    assert!(month_first.stderr.contains(
        "warning: column 'Timestamp': dates such as 10/06/2024 could be day-first or month-first; \
         read as month-first (use --date-order dmy to change)\n"
    ), "{}", month_first.stderr);
    assert!(
        month_first
            .stderr
            .contains("row 3 (cand0@example.com): superseded by row 2"),
        "{}",
        month_first.stderr
    );
    let day_first = both_paths(&work, "ambiguous.csv", &["--date-order", "dmy"]);
    assert!(
        day_first
            .stderr
            .contains("row 2 (cand0@example.com): superseded by row 3"),
        "{}",
        day_first.stderr
    );
    assert!(
        !day_first.stderr.contains("could be day-first"),
        "{}",
        day_first.stderr
    );
    let dry = run_dry(&work, "ambiguous.csv", &["--date-order", "dmy"]);
    assert!(
        dry.contains("dates in column 'Timestamp': day-first (--date-order)\n"),
        "{dry}"
    );
}

#[test]
fn compare_reads_the_dates_as_score_does() {
    // The day-first export with a second applicant (a copy of row 3 under
    // another address, row 4): compare keeps cand0's row 3 (5 July), as
    // score does. The export's lines end in CRLF, as the new one does.
    let work = Workdir::new();
    let text = std::fs::read_to_string(fixture("google_day_first.csv")).expect("fixture");
    let last = text.lines().last().expect("a row");
    let other = last.replace("cand0@example.com", "cand1@example.com");
    work.write("two.csv", &format!("{text}{other}\r\n"));
    let compared = work.run(&["compare", "two.csv", "--role", "retail"]);
    assert_eq!(compared.code, 0, "{}", compared.stderr);
    assert!(
        compared
            .stderr
            .contains("row 2 (cand0@example.com): superseded by row 3"),
        "{}",
        compared.stderr
    );
}

fn run_dry(work: &Workdir, file: &str, extra: &[&str]) -> String {
    let mut args = vec!["score", file, "--role", "retail", "--dry-run"];
    args.extend_from_slice(extra);
    work.run(&args).stdout
}

/// The seconds per item of candidate `id` in JSON Lines `text`.
fn seconds_per_item(text: &str, id: &str) -> serde_json::Value {
    text.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json line"))
        .find(|v| v["id"] == id)
        .map(|v| v["validity"]["indices"]["seconds_per_item"].clone())
        .unwrap_or_else(|| panic!("no {id} in {text}"))
}

#[test]
fn times_taken_are_read_one_way_on_every_path() {
    // c1's times are rewritten day first across midnight: 10 minutes, read
    // as such on every path (cell by cell, 12/06 read month first would be
    // 6 December, after 13 June, and no time at all).
    let work = Workdir::new();
    let text = std::fs::read_to_string(fixture("microsoft_forms_dup.csv"))
        .expect("fixture")
        .replace(
            "6/10/2024 7:01:07,6/10/2024 7:11:07",
            "12/06/2024 23:58:07,13/06/2024 00:08:07",
        );
    work.write("ms.csv", &text);
    let email = ["--id-column", "Email"];
    both_paths(&work, "ms.csv", &email);
    // 600 seconds for 84 items.
    let expected = serde_json::json!(600.0 / 84.0);
    assert_eq!(
        seconds_per_item(&work.read("out/results.jsonl"), "c1@x.com"),
        expected
    );
    for extra in [
        &["--format", "jsonl"][..],
        &["--format", "jsonl", "--unsorted"],
    ] {
        let mut args = vec!["score", "ms.csv", "--role", "retail"];
        args.extend_from_slice(&email);
        args.extend_from_slice(extra);
        let streamed = work.run(&args);
        assert_eq!(
            seconds_per_item(&streamed.stdout, "c1@x.com"),
            expected,
            "{extra:?}"
        );
    }
}

#[test]
fn microsoft_forms_ids_are_email_addresses() {
    // c0@x.com submitted twice (responses 1 and 21): found as one candidate.
    let work = Workdir::new();
    let scored = both_paths(&work, &fixture("microsoft_forms_dup.csv"), &[]);
    assert!(
        scored.stderr.contains(
            "warning: candidate ids are taken from column 'Email' \
             (a Microsoft Forms export's 'ID' numbers the responses, not the people)\n"
        ),
        "{}",
        scored.stderr
    );
    assert!(
        scored
            .stderr
            .contains("row 2 (c0@x.com): superseded by row 7"),
        "{}",
        scored.stderr
    );
    assert!(
        scored
            .stderr
            .contains("rows read 6 = scored 5 + rejected 0 + superseded 1"),
        "{}",
        scored.stderr
    );
    let mut ids = ranked_ids(&work.read("out/results.csv"));
    ids.sort();
    assert_eq!(
        ids,
        ["c0@x.com", "c1@x.com", "c2@x.com", "c3@x.com", "c4@x.com"]
    );
}

#[test]
fn utf16_without_a_byte_order_mark_reads_as_with_one() {
    let work = Workdir::new();
    let answers = vec!["4"; 84].join("\t");
    let text = format!(
        "candidate_id\t{}\nann\t{answers}\n",
        item_header().replace(',', "\t")
    );
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let with_mark = [&[0xFF, 0xFE][..], &utf16].concat();
    std::fs::write(work.dir.path().join("marked.txt"), with_mark).expect("write");
    std::fs::write(work.dir.path().join("bare.txt"), utf16).expect("write");
    let marked = work.run(&["score", "marked.txt", "--role", "retail"]);
    let bare = work.run(&["score", "bare.txt", "--role", "retail"]);
    assert_eq!(bare.code, marked.code, "{}", bare.stderr);
    assert_eq!(bare.stdout, marked.stdout);
    assert!(bare.stdout.contains(",ann,"), "{}", bare.stdout);
    assert!(
        bare.stderr
            .contains("no byte-order mark, but its zero bytes fall as in utf-16le text"),
        "{}",
        bare.stderr
    );
}

#[test]
fn rows_keep_their_numbers_when_line_ends_change_from_crlf_to_lf() {
    // Rows appended in another editor: CRLF, then LF. b (row 3) and d (row 5)
    // answer 9; a phantom blank line used to make them rows 4 and 6.
    let work = Workdir::new();
    let good = vec!["3"; 84].join(",");
    let bad = format!("{},9", vec!["3"; 83].join(","));
    let text = format!(
        "candidate_id,{}\r\na,{good}\r\nb,{bad}\nc,{good}\nd,{bad}\n",
        item_header()
    );
    std::fs::write(work.dir.path().join("mixed.csv"), text).expect("write");
    for args in [
        &["score", "mixed.csv", "--role", "retail"][..],
        &["score", "mixed.csv", "--role", "retail", "--out", "out"],
    ] {
        let run = work.run(args);
        assert!(
            run.stderr.contains("rejected row 3 (b), column FL20"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("rejected row 5 (d), column FL20"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_microsoft_forms_row_without_an_address_after_the_rows_read_ahead_is_rejected() {
    // 10,000 rows with addresses make Email the id; two later 'anonymous'
    // rows would be one candidate, the first superseded by the second: each
    // is rejected instead, and every other row is scored.
    let work = Workdir::new();
    let text = std::fs::read_to_string(fixture("microsoft_forms_dup.csv")).expect("fixture");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let row = lines.next().expect("a row");
    let rest = row
        .split_once(",c0@x.com,")
        .expect("the first row's address")
        .1;
    let mut file = format!("{header}\n");
    for n in 1..=10_002 {
        let email = if n > 10_000 {
            "anonymous".to_string()
        } else {
            format!("c{n}@x.com")
        };
        file.push_str(&format!(
            "{n},6/10/2024 7:00:07,6/10/2024 7:10:07,{email},{rest}\n"
        ));
    }
    work.write("long.csv", &file);
    let scored = both_paths(&work, "long.csv", &[]);
    assert!(
        scored
            .stderr
            .contains("rows read 10002 = scored 10000 + rejected 2 + superseded 0"),
        "{}",
        scored.stderr
    );
    assert!(
        scored.stderr.contains(
            "rejected row 10002 (anonymous), column Email: not an e-mail address, though the rows read first all held one"
        ),
        "{}",
        scored.stderr
    );
}
