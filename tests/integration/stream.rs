//! The parallel score path writes the same bytes as the ranked batch path
//! (score_all, then the report writers), in both line formats, with rejected
//! and duplicated rows, under every duplicate policy; `--unsorted` writes the
//! same lines in input order.

use servicefit::assessment::{rank_order, Assessment, Options};
use servicefit::batch::{score_all, Batch};
use servicefit::builtin;
use servicefit::ingest::duplicate::DuplicatePolicy;
use servicefit::report::{self, Format, InputRecord, LineFormat, Run};
use servicefit::response::{ReadOptions, ResponseReader};
use servicefit::stream::{score_ranked, score_unsorted, Streamed};

use crate::support::{repo, Workdir};

fn assessment() -> Assessment {
    builtin::assessment("retail", Options::default()).expect("built-in data loads")
}

/// The example applicants, plus a repeat of APP-1001 (later, so it supersedes
/// under `latest`) and the header's blank and malformed rows already in the file.
fn input() -> Vec<u8> {
    let text = std::fs::read_to_string(repo("examples/applicants.csv")).expect("example");
    let again = text
        .lines()
        .find(|l| l.starts_with("APP-1001,"))
        .expect("APP-1001 is in the example")
        .replace(",4,", ",2,");
    format!("{text}{again}\n").into_bytes()
}

fn record() -> InputRecord {
    InputRecord {
        name: "applicants.csv".into(),
        sha256: "abc".into(),
        bytes: 42,
    }
}

fn options(duplicates: DuplicatePolicy) -> ReadOptions {
    ReadOptions {
        duplicates,
        ..ReadOptions::default()
    }
}

/// What score_all and the ranked writer of `format` produce.
fn batch_bytes(assessment: &Assessment, format: Format, duplicates: DuplicatePolicy) -> Vec<u8> {
    let input = input();
    let q = assessment.questionnaire();
    let mut reader = ResponseReader::new(&input[..], q, &options(duplicates), "a").expect("header");
    let batch = score_all(&mut reader, assessment).expect("reads");
    let record = record();
    let run = Run {
        assessment,
        input: &record,
    };
    written(&run, format, &batch)
}

/// What the ranked stream writes of `input`, and its summary.
fn ranked(
    assessment: &Assessment,
    input: &[u8],
    duplicates: DuplicatePolicy,
    format: LineFormat,
    workers: usize,
) -> (Vec<u8>, Streamed) {
    let q = assessment.questionnaire();
    let mut reader = ResponseReader::new(input, q, &options(duplicates), "a").expect("header");
    let mut out = Vec::new();
    let streamed = score_ranked(
        &mut reader,
        assessment,
        |_| record(),
        format,
        workers,
        &mut out,
    )
    .expect("streams");
    (out, streamed)
}

/// What the ranked writer of `format` makes of `batch`.
fn written(run: &Run<'_>, format: Format, batch: &Batch) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = format.writer(&mut out);
    report::write_all(writer.as_mut(), run, batch).expect("in memory");
    drop(writer);
    out
}

/// As [`written`], but with `rank` counting the lines, as `--unsorted`
/// writes it (there is no ranking to share ranks in).
fn written_counting(run: &Run<'_>, format: Format, batch: &Batch) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = format.writer(&mut out);
    writer.begin(run).expect("in memory");
    for (i, result) in batch.results.iter().enumerate() {
        writer.candidate(run, i + 1, result).expect("in memory");
    }
    writer
        .finish(run, &batch.summary, &batch.rejections)
        .expect("in memory");
    drop(writer);
    out
}

#[test]
fn ranked_stream_matches_the_batch_path_byte_for_byte() {
    let assessment = assessment();
    for duplicates in [
        DuplicatePolicy::Latest,
        DuplicatePolicy::KeepAll,
        DuplicatePolicy::Reject,
    ] {
        for (format, line) in [
            (Format::Csv, LineFormat::Csv),
            (Format::Jsonl, LineFormat::Jsonl),
        ] {
            let expected = batch_bytes(&assessment, format, duplicates);
            let input = input();
            let q = assessment.questionnaire();
            let mut reader =
                ResponseReader::new(&input[..], q, &options(duplicates), "a").expect("header");
            for workers in [1, 3] {
                let (out, streamed) = ranked(&assessment, &input, duplicates, line, workers);
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&expected),
                    "{format:?} {duplicates:?} {workers} workers"
                );
                // 30 data rows + the repeat: 29 scored, 1 malformed, and the repeat per policy.
                assert_eq!(streamed.summary.read, 31);
            }
            // The batch's own summary agrees.
            let batch = score_all(&mut reader, &assessment).expect("reads");
            assert_eq!(batch.summary.read, 31);
        }
    }
}

/// 2,600 rows over three chunks: ids repeated up to five times, rows
/// unfinished or with submission times in any order, and the three rows of
/// `cyc` whose `latest` verdicts depend on the order they are offered in
/// (the first beats the third by time, the third the second and the second
/// the first by row, having no time).
fn duplicated(assessment: &Assessment) -> Vec<u8> {
    let items = assessment.questionnaire().items();
    let mut text = String::from("candidate_id,submitted_at,finished");
    items
        .iter()
        .for_each(|item| text.push_str(&format!(",{}", item.id)));
    text.push('\n');
    let mut row = |id: &str, submitted: &str, finished: &str, seed: usize| {
        text.push_str(&format!("{id},{submitted},{finished}"));
        for j in 0..items.len() {
            // Every seventh row answers 3 throughout (invalid, no fit: ties).
            let answer = if seed % 7 == 0 {
                3
            } else {
                (seed * 7 + j * j * 3) % 5 + 1
            };
            text.push_str(&format!(",{answer}"));
        }
        text.push('\n');
    };
    for i in 0..2600 {
        let submitted = match i % 4 {
            0 => String::new(),
            day => format!("2024-06-{:02} 10:00:00", 1 + (i * day) % 28),
        };
        let finished = if i % 9 == 4 { "False" } else { "True" };
        row(&format!("c{}", (i * 37) % 640), &submitted, finished, i);
    }
    row("cyc", "2024-06-10 00:00:00", "True", 1);
    row("cyc", "", "True", 2);
    row("cyc", "2024-06-05 00:00:00", "True", 3);
    text.into_bytes()
}

#[test]
fn ranked_stream_matches_the_batch_path_with_many_duplicates() {
    let assessment = assessment();
    let input = duplicated(&assessment);
    let q = assessment.questionnaire();
    let record = record();
    let run = Run {
        assessment: &assessment,
        input: &record,
    };
    for duplicates in [DuplicatePolicy::Latest, DuplicatePolicy::Reject] {
        let mut reader =
            ResponseReader::new(&input[..], q, &options(duplicates), "a").expect("header");
        let batch = score_all(&mut reader, &assessment).expect("reads");
        // Many rows are superseded (latest) or rejected (reject).
        assert!(
            batch.summary.superseded + batch.summary.rejected > 1900,
            "{:?}",
            batch.summary
        );
        let expected = written(&run, Format::Csv, &batch);
        for workers in [1, 3] {
            let (out, streamed) = ranked(&assessment, &input, duplicates, LineFormat::Csv, workers);
            assert_eq!(
                streamed.summary, batch.summary,
                "{duplicates:?} {workers} workers"
            );
            assert_eq!(
                streamed.rejections, batch.rejections,
                "{duplicates:?} {workers} workers"
            );
            assert!(out == expected, "{duplicates:?} {workers} workers");
        }
    }
}

#[test]
fn unsorted_stream_writes_the_same_lines_in_input_order() {
    let assessment = assessment();
    let input = input();
    let q = assessment.questionnaire();
    let keep_all = options(DuplicatePolicy::KeepAll);
    let mut reader = ResponseReader::new(&input[..], q, &keep_all, "a").expect("header");
    let mut batch = score_all(&mut reader, &assessment).expect("reads");
    // Input order, as --unsorted writes it.
    batch.results.sort_by_key(|r| r.row);
    let record = record();
    let run = Run {
        assessment: &assessment,
        input: &record,
    };
    for (format, line) in [
        (Format::Csv, LineFormat::Csv),
        (Format::Jsonl, LineFormat::Jsonl),
    ] {
        let expected = written_counting(&run, format, &batch);
        let mut reader = ResponseReader::new(&input[..], q, &keep_all, "a").expect("header");
        let mut out = Vec::new();
        let streamed = score_unsorted(&mut reader, &run, line, 2, &mut out).expect("streams");
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&expected)
        );
        assert_eq!(streamed.summary, batch.summary);
    }
    // Sanity: ranked order differs from input order in this file.
    let mut ranked = batch.results.clone();
    ranked.sort_by(rank_order);
    assert_ne!(ranked[0].row, batch.results[0].row);
}

#[test]
fn cli_unsorted_keeps_every_row_and_refuses_other_duplicate_policies() {
    let wd = Workdir::new();
    wd.write("a.csv", &String::from_utf8(input()).expect("utf-8"));
    let out = wd
        .command(&["score", "a.csv", "--role", "retail", "--unsorted"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // 29 + the repeat = 30 candidates and the header; the first is the first row of the file.
    assert_eq!(stdout.lines().count(), 31);
    assert!(
        stdout.lines().nth(1).unwrap().starts_with("1,APP-1001,"),
        "{stdout}"
    );
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("rows read 31 = scored 30 + rejected 1 + superseded 0"),
        "{err}"
    );
    let out = wd
        .command(&[
            "score",
            "a.csv",
            "--role",
            "retail",
            "--unsorted",
            "--duplicates",
            "latest",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("--unsorted writes each candidate as soon as it is scored"),
        "{err}"
    );
    let out = wd
        .command(&[
            "score",
            "a.csv",
            "--role",
            "retail",
            "--unsorted",
            "--format",
            "json",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("--unsorted streams csv or jsonl to stdout"),
        "{err}"
    );
}

#[test]
fn cli_unsorted_jsonl_records_the_hash_of_a_file() {
    let wd = Workdir::new();
    wd.write("a.csv", &String::from_utf8(input()).expect("utf-8"));
    let sorted = wd
        .command(&["score", "a.csv", "--role", "retail", "--format", "jsonl"])
        .assert()
        .code(1);
    let unsorted = wd
        .command(&[
            "score",
            "a.csv",
            "--role",
            "retail",
            "--format",
            "jsonl",
            "--unsorted",
            "--duplicates",
            "keep-all",
        ])
        .assert()
        .code(1);
    let first = |out: &[u8]| {
        String::from_utf8_lossy(out)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    };
    let a = first(&sorted.get_output().stdout);
    assert!(a.contains("\"sha256\":\""), "{a}");
    assert_eq!(a, first(&unsorted.get_output().stdout));
}
