//! `compare` reads a file as `score` does, and its pages add up.
//!
//! tests/fixtures/compare/ holds input files of the HR review: google_messy.csv
//! (cand0@example.com submitted on rows 2 and 8), three_by_name.csv (no id
//! column) and google_emails.csv (long e-mail ids that share a start).

use std::process::Output;

use crate::support::{repo, Workdir};

fn fixture(name: &str) -> String {
    repo(&format!("tests/fixtures/compare/{name}"))
        .to_string_lossy()
        .into_owned()
}

/// The six made-up applicants of tests/fixtures/report-applicants.csv.
fn applicants() -> String {
    std::fs::read_to_string(repo("tests/fixtures/report-applicants.csv")).expect("fixture")
}

fn run(work: &Workdir, args: &[&str], code: i32) -> (String, String) {
    let out: Output = work.command(args).assert().code(code).get_output().clone();
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// `score`'s candidates in rank order, each with its fit as compare prints it,
/// "fit (low–high)", or "none": from the JSON Lines' exact values, since
/// rounding the CSV's one decimal again to none can differ (23.46 → 23.5 → 24).
fn scored(work: &Workdir, file: &str) -> Vec<(String, String)> {
    let (jsonl, _) = run(
        work,
        &["score", file, "--role", "retail", "--format", "jsonl"],
        1,
    );
    jsonl
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|record| record["record"] == "candidate")
        .map(|c| {
            let number = |v: &serde_json::Value| v.as_f64().map(|v| format!("{v:.0}"));
            let fit = &c["fit"];
            let shown = c["recommendable"] == true;
            let fit = match (
                number(&fit["score"]),
                number(&fit["interval"]["low"]),
                number(&fit["interval"]["high"]),
            ) {
                (Some(fit), Some(low), Some(high)) if shown => format!("{fit} ({low}–{high})"),
                _ => "none".into(),
            };
            (c["id"].as_str().unwrap_or_default().to_string(), fit)
        })
        .collect()
}

#[test]
fn compare_keeps_the_latest_submission_as_score_does() {
    let work = Workdir::new();
    let messy = fixture("google_messy.csv");
    let results = scored(&work, &messy);
    let ids: Vec<&str> = results.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids.iter().filter(|id| **id == "cand0@example.com").count(),
        1
    );
    // cand1@example.com (row 3) and CAND1@example.com (row 13) are one
    // applicant too (addresses compare without case); row 11 stops after 33
    // of 87 fields (rejected: its answers may have shifted): 7 candidates.
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert!(!ids.contains(&"short@example.com"), "{ids:?}");
    // Rows 11 and 14 (no id) are rejected, so the exit code is 1 for both commands.
    let (text, stderr) = run(&work, &["compare", &messy, "--role", "retail"], 1);
    assert!(!stderr.contains("comparing the top"), "{stderr}");
    assert!(stderr.contains("row 2 (cand0@example.com): superseded by row 8"));
    assert!(stderr.contains("row 3 (cand1@example.com): superseded by row 13"));
    assert!(
        stderr.contains("row 11 (short@example.com): row 11 has 33 fields, the header 87"),
        "{stderr}"
    );
    // Score's ranking, in that order, cand0 once.
    for (id, letter) in ids.iter().zip('A'..) {
        assert!(
            text.contains(&format!("{letter} = {id}")),
            "{letter} = {id}: {text}"
        );
    }
    // Once in the key above the table, once in the chart's legend.
    assert_eq!(text.matches("= cand0@example.com").count(), 2);
    // --ids with a resubmitted id takes the later row, with score's fit.
    let args = [
        "compare",
        &messy,
        "--role",
        "retail",
        "--ids",
        "cand0@example.com,cand2@example.com",
    ];
    let (text, _) = run(&work, &args, 1);
    let fit = |id: &str| &results.iter().find(|(i, _)| i == id).expect(id).1;
    let fit_line = text
        .lines()
        .find(|l| l.starts_with("fit (90%)"))
        .expect("fit line");
    let at = |id: &str| fit_line.find(fit(id).as_str()).expect(id);
    assert!(
        at("cand0@example.com") < at("cand2@example.com"),
        "{fit_line}"
    );
    // The other policies, as for score.
    let (_, stderr) = run(
        &work,
        &[&args[..], &["--duplicates", "keep-all"]].concat(),
        2,
    );
    assert!(
        stderr.contains("candidate id 'cand0@example.com' appears on rows 2, 8"),
        "{stderr}"
    );
    let (_, stderr) = run(&work, &[&args[..], &["--duplicates", "reject"]].concat(), 2);
    assert!(
        stderr.contains("candidate 'cand0@example.com' not found among the scored rows"),
        "{stderr}"
    );
}

/// The applicants with every item column renamed `Q<n>`, and the map back.
fn renamed_with_map() -> (String, String) {
    let text = applicants();
    let header = text.lines().next().expect("header");
    let items: Vec<&str> = header.split(',').skip(1).collect();
    let renamed: Vec<String> = (1..=items.len()).map(|n| format!("Q{n}")).collect();
    let map: String = items
        .iter()
        .zip(&renamed)
        .map(|(item, q)| format!("{q},{item}\n"))
        .collect();
    let body = text.replacen(header, &format!("candidate_id,{}", renamed.join(",")), 1);
    (body, format!("column,item\n{map}"))
}

#[test]
fn compare_takes_every_reading_option_of_score() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let ids = ["--ids", "ann-lee,bob-stone"];
    let plain = run(
        &work,
        &[&["compare", "a.csv", "--role", "retail"][..], &ids].concat(),
        0,
    )
    .0;
    // Fit ranges at 90% overall: each attribute at 98.33% (Bonferroni over six).
    assert!(plain.contains("100 (77–100)   62 (33–96)"), "{plain}");
    // UTF-16 without a byte-order mark is only read with --encoding.
    let utf16: Vec<u8> = applicants()
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(work.dir.path().join("a16.txt"), utf16).expect("write");
    let args = [
        "compare",
        "a16.txt",
        "--role",
        "retail",
        "--encoding",
        "utf-16le",
    ];
    assert_eq!(run(&work, &[&args[..], &ids].concat(), 0).0, plain);
    // Columns that need --map, with the rest of the reading options.
    let (body, map) = renamed_with_map();
    work.write("q.csv", &body.replace(',', ";"));
    work.write("map.csv", &map);
    let args = [
        "compare",
        "q.csv",
        "--role",
        "retail",
        "--map",
        "map.csv",
        "--delimiter",
        ";",
        "--input-format",
        "generic",
        "--id-column",
        "candidate_id",
        "--duplicates",
        "reject",
        "--min-answered",
        "0.75",
    ];
    let mapped = run(&work, &[&args[..], &ids].concat(), 0).0;
    assert_eq!(
        mapped.replace("q.csv", "a.csv"),
        plain.replace("a16.txt", "a.csv")
    );
    // --min-answered 1 leaves no scale of a candidate with one unanswered item scored.
    let mut gappy = applicants();
    let bob = gappy.find("\nbob-stone,").expect("bob") + "\nbob-stone,".len();
    gappy.replace_range(bob..bob + 1, "");
    work.write("gap.csv", &gappy);
    let args = ["compare", "gap.csv", "--role", "retail"];
    let text = run(&work, &[&args[..], &ids].concat(), 0).0;
    assert!(!text.contains("not scored"), "{text}");
    let args = [&args[..], &["--min-answered", "1"], &ids].concat();
    let text = run(&work, &args, 0).0;
    let trust = text
        .lines()
        .find(|l| l.starts_with("Trust "))
        .expect("trust");
    assert!(trust.ends_with("6 (4.2–7.2)    –"), "{trust}");
}

#[test]
fn compare_help_lists_the_reading_options_of_score() {
    let work = Workdir::new();
    let help = |command: &str| run(&work, &[command, "--help"], 0).0;
    let (score, compare) = (help("score"), help("compare"));
    for option in [
        "--id-column",
        "--delimiter",
        "--encoding",
        "--input-format",
        "--map",
        "--duplicates",
        "--min-answered",
        "--confidence",
        "--questionnaire",
        "--norms",
        "--norm-group",
    ] {
        assert!(score.contains(option), "score {option}");
        assert!(compare.contains(option), "compare {option}");
    }
}

#[test]
fn compare_without_an_id_column_says_ids_are_row_numbers() {
    let work = Workdir::new();
    let names = fixture("three_by_name.csv");
    let (text, stderr) = run(&work, &["compare", &names, "--role", "retail"], 0);
    assert!(
        stderr.contains("no id column found; the row number is each candidate's id"),
        "{stderr}"
    );
    assert!(text.contains("A = 3   B = 2   C = 4"), "{text}");
    // The ids are row numbers, but the names are beside them: --ids takes either.
    let (text, _) = run(
        &work,
        &["compare", &names, "--role", "retail", "--ids", "Anna,3"],
        0,
    );
    assert!(text.contains("A 2 (Anna)     B 3 (Ben)"), "{text}");
    let (_, stderr) = run(
        &work,
        &["compare", &names, "--role", "retail", "--ids", "Zed,Ben"],
        2,
    );
    assert!(stderr.contains("candidate 'Zed' not found among the scored rows"));
    assert!(
        stderr.contains(
            ": the file has no id column, so each candidate's id is their row number \
             (e.g. --ids 3,2); name the id column with --id-column"
        ),
        "{stderr}"
    );
    let args = ["compare", &names, "--role", "retail", "--id-column", "Name"];
    let (text, _) = run(&work, &[&args[..], &["--ids", "Anna,Ben"]].concat(), 0);
    assert!(text.contains("A = Anna   B = Ben"), "{text}");
}

#[test]
fn compare_points_to_a_runnable_score_command_for_the_rejected_rows() {
    // 21 rows with an answer of 9 on a 1..5 scale: one problem, listed 3 times, then counted.
    let mut text = applicants();
    let items = text.lines().next().expect("header").split(',').count() - 1;
    for n in 0..21 {
        text.push_str(&format!("bad-{n},9{}\n", ",3".repeat(items - 1)));
    }
    let work = Workdir::new();
    work.write("my answers.csv", &text);
    let args = ["compare", "my answers.csv", "--role", "retail", "--ids"];
    let (_, stderr) = run(&work, &[&args[..], &["ann-lee,cy-ng"]].concat(), 1);
    assert!(
        stderr.contains(
            "... and the same problem 18 more time(s), in 18 row(s): 9 is outside the response scale; \
             expected 1 to 5 (`servicefit score 'my answers.csv' --role retail --out DIR` \
             writes them all to DIR/rejects.csv)"
        ),
        "{stderr}"
    );
    let stdin = work
        .command(&[
            "compare",
            "-",
            "--format=html",
            "--role",
            "retail",
            "--ids=ann-lee,cy-ng",
            "--confidence",
            "0.95",
        ])
        .write_stdin(text)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&stdin.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "(pipe the same input into `servicefit score - --role retail --confidence 0.95 --out DIR` \
             to get them all in DIR/rejects.csv)"
        ),
        "{stderr}"
    );
}

#[test]
fn ids_that_share_a_start_stay_distinct() {
    let work = Workdir::new();
    let emails = fixture("google_emails.csv");
    let (text, _) = run(&work, &["compare", &emails, "--role", "retail"], 0);
    // Ids too long for a column: letters in the header, the ids in full
    // above it, each with the name the form asked for.
    let key = "A = j.smith@example.org (Bob Smith)   B = jennifer.smith@gmx.de (Zoë O’Brien)\n\
               C = jennifer.smith@gmail.com (José Müller)\n\
               D = jennifer.smithson@gmail.com (Ann Lee)\n";
    assert!(
        text.contains(&format!(
            "\n\n{key}\n            range     A             B             C             D\n"
        )),
        "{text}"
    );
    // The chart's legend: the same ids in full, and what `+` means.
    let ids = "A = j.smith@example.org   B = jennifer.smith@gmx.de\n\
               C = jennifer.smith@gmail.com   D = jennifer.smithson@gmail.com\n";
    assert!(
        text.contains(&format!(
            "▒ role's range   | minimum   AB+ A, B and others on that score\n{ids}"
        )),
        "{text}"
    );
    assert!(
        text.contains("Tact            ·  ·  ·  · ▒▒▒AB+▒▒"),
        "{text}"
    );
    assert!(!text.contains("@gm…") && !text.contains("smi…"), "{text}");
    // score's table cuts long ids in the middle; one that would look like
    // another is cut at the column's end instead; each cut id is written whole
    // on the line under it (the lines indented under the candidate).
    let args = ["score", &emails, "--role", "retail", "--format", "terminal"];
    let (table, _) = run(&work, &args, 0);
    let ids: Vec<&str> = table
        .lines()
        .skip(2)
        .filter(|l| !l.starts_with("      "))
        .take(4)
        .map(|l| l.split_whitespace().nth(1).expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "j.smith@exam…e.org",
            "jennifer.smi…mx.de",
            "jennifer.smi…l.com",
            "jennifer.smithson…"
        ]
    );
    assert!(table.contains("\n      jennifer.smithson@gmail.com (Ann Lee)\n"));
}

#[test]
fn html_chart_legend_shows_long_ids_whole() {
    let long = "annabelle.leonora.lee-whitfield@example.org";
    let work = Workdir::new();
    work.write(
        "a.csv",
        &applicants().replacen("\nann-lee,", &format!("\n{long},"), 1),
    );
    let args = ["compare", "a.csv", "--role", "retail", "--format", "html"];
    let (html, _) = run(
        &work,
        &[&args[..], &["--ids", &format!("{long},bob-stone")]].concat(),
        0,
    );
    assert!(html.contains(&format!(">{long} (circle)</text>")), "{html}");
    assert!(html.contains(">bob-stone (square)</text>"));
}

#[test]
fn verdicts_and_counts_add_up() {
    let work = Workdir::new();
    let file = repo("examples/applicants.csv")
        .to_string_lossy()
        .into_owned();
    let compare = |ids: &str, format: &str| {
        let args = [
            "compare", &file, "--role", "retail", "--ids", ids, "--format", format,
        ];
        run(&work, &args, 1).0
    };
    let four = "APP-1017,APP-1015,APP-1005,APP-1013";
    let html = compare(four, "html");
    // Tact APP-1017 vs APP-1013 is 2.083 against a threshold of 2.0806: real,
    // and printed so that it is more than the threshold as printed.
    assert!(html.contains("Two scores must differ by more than 2.081 to count."));
    let row = |pair: &str| {
        let start = html.find(&format!("<tr><td>{pair}</td>")).expect(pair);
        html[start..].lines().next().expect("row").to_string()
    };
    let cells = |pair: &str| -> Vec<String> {
        row(pair)
            .split("<td>")
            .skip(3)
            .map(|c| {
                c.split('>')
                    .nth(1)
                    .unwrap_or("")
                    .split('<')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    // Trust, Tact, Empathy, Conformity, Focus, Flexibility.
    assert_eq!(
        cells("APP-1017 vs APP-1013"),
        [
            "≈ -1.7",
            "≠ real +2.1",
            "≠ real +4.3",
            "≈ -1.9",
            "≠ real +3.0",
            "≠ real +5.1"
        ]
    );
    // Focus APP-1015 vs APP-1005 is 2.061: within error, and its threshold
    // (from each one's SEM of the items they answered) is above 2.1 as printed,
    // so one decimal does not put it on the wrong side.
    assert_eq!(
        cells("APP-1015 vs APP-1005"),
        [
            "≠ real +6.0",
            "≠ real -3.1",
            "≈ -2.0",
            "≈ +1.5",
            "≈ +2.1",
            "≠ real +2.9"
        ]
    );
    // Fit 81.4 vs 81.4, a fraction of a point lower: "≈ 0", not "≈ -0".
    assert!(row("APP-1015 vs APP-1005").contains("<td><span class=\"muted\">≈ 0</span></td>"));
    assert!(!html.contains("-0<") && !html.contains("-0.0<"));
    let terminal = compare(four, "terminal");
    assert!(
        terminal.contains("B vs C              ≈0   ≠+6.0   ≠-3.1   ≈-2.0   ≈+1.5   ≈+2.1   ≠+2.9"),
        "{terminal}"
    );
    // APP-1007's answers are invalid and APP-1016 has two attributes: 2 of 18 comparisons.
    // The terminal wraps its prose at 80 columns: read it as one line.
    let three = compare("APP-1017,APP-1007,APP-1016", "terminal")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(three.contains(
        "Bottom line: No pair could be compared on overall fit. Of 2 attribute comparisons that could be \
         made (16 of 18 could not: a score missing or answers invalid), 1 is a real difference."
    ));
    // Fit 100 [83,100] vs 81: the 90% fit ranges overlap (the real-difference
    // sentence is tested in compare.rs on ranges that do not).
    let two = compare("APP-1017,APP-1015", "markdown");
    assert!(two.contains(
        "**Bottom line.** The difference in overall fit is within measurement error: the questionnaire cannot rank \
         these candidates, so choose between them at interview. Of 6 attribute comparisons, 2 are real differences."
    ));
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read_as_score_reads_it() {
    // "résumé.csv" in Latin-1: clap takes it as a path; compare used to
    // panic (exit 101) reading its own arguments back as UTF-8.
    use std::os::unix::ffi::OsStrExt;
    let work = Workdir::new();
    let name = std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9.csv");
    std::fs::copy(fixture("three_by_name.csv"), work.dir.path().join(name)).expect("copy");
    let out = work
        .command(&["compare"])
        .arg(name)
        .args(["--role", "retail", "--id-column", "Name"])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(text.contains("A Ben") && text.contains("B Anna"), "{text}");
}

#[test]
fn ids_are_found_as_the_duplicates_rule_compares_them() {
    // An e-mail id is one person whatever its case, in --ids as in score.
    let work = Workdir::new();
    let text = applicants().replacen("ann-lee,", "Anna@X.com,", 1);
    std::fs::write(work.dir.path().join("mails.csv"), text).unwrap();
    let args = ["compare", "mails.csv", "--role", "retail", "--ids"];
    let (text, _) = run(&work, &[&args[..], &["anna@x.com,bob-stone"]].concat(), 0);
    assert!(text.contains("A Anna@X.com"), "{text}");
    let (_, stderr) = run(&work, &[&args[..], &["anna@x.com,ANNA@x.com"]].concat(), 2);
    assert!(
        stderr.contains("--ids names 'ANNA@x.com' twice"),
        "{stderr}"
    );
}

#[test]
fn ids_takes_names_too_and_lists_the_ids_when_one_is_not_found() {
    let work = Workdir::new();
    let emails = fixture("google_emails.csv");
    let args = ["compare", &emails, "--role", "retail", "--ids"];
    // "bob smith" is the name of j.smith@example.org (case ignored).
    let (text, _) = run(
        &work,
        &[&args[..], &["bob smith,jennifer.smith@gmx.de"]].concat(),
        0,
    );
    assert!(
        text.contains(
            "A = j.smith@example.org (Bob Smith)   B = jennifer.smith@gmx.de (Zoë O’Brien)"
        ),
        "{text}"
    );
    let (_, stderr) = run(&work, &[&args[..], &["Nobody,Bob Smith"]].concat(), 2);
    assert!(
        stderr.contains("error: candidate 'Nobody' not found among the scored rows of ")
            && stderr.contains("google_emails.csv; the ids it has: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("j.smith@example.org (Bob Smith)")
            && stderr.contains("jennifer.smithson@gmail.com (Ann Lee)"),
        "{stderr}"
    );
}
