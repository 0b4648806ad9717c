//! Any bytes as a response file: reading, scoring and writing every report
//! format must never panic, every row read must be accounted for, and a file
//! that cannot be read must give an error, not a crash. Runs the built-in
//! questionnaire and norms with the retail profile. The first two bytes choose
//! the reading options, so that every export format (detected or forced),
//! delimiter, encoding and duplicate policy is covered, and the number of
//! workers (one or two) of the streaming path.
//!
//! The same input and options then go through the streaming score path
//! (`servicefit::stream`, what `score` uses for CSV and JSON Lines on stdout):
//! ranked, it must write the very bytes the batch path writes (`score_all`,
//! then the report writer) and reach the same summary and rejections; in
//! input order (`--unsorted`) it must account for every row, and under
//! `keep-all` write the batch's lines in row order. One worker count per input
//! rather than both: JSON Lines output is about 5 KB a candidate, and
//! rendering it dominates the time of an input of many rows.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use servicefit::assessment::{Assessment, Options};
use servicefit::batch::{score_all, Batch};
use servicefit::builtin;
use servicefit::ingest::decode::encoding_for_label;
use servicefit::ingest::duplicate::DuplicatePolicy;
use servicefit::ingest::format::InputFormat;
use servicefit::report::{self, Format, InputRecord, LineFormat, Run};
use servicefit::response::{ReadOptions, ResponseReader};
use servicefit::stream::{score_ranked, score_unsorted, Streamed};

/// The formats the streaming path writes, with the batch writer of each.
const LINE_FORMATS: [(LineFormat, Format); 2] = [
    (LineFormat::Csv, Format::Csv),
    (LineFormat::Jsonl, Format::Jsonl),
];

fn assessment() -> &'static Assessment {
    static ASSESSMENT: OnceLock<Assessment> = OnceLock::new();
    ASSESSMENT.get_or_init(|| {
        builtin::assessment("retail", Options::default()).expect("built-in data loads")
    })
}

/// Workers of the streaming path chosen by the second option byte: one, or
/// two (chunks then finish out of order).
fn workers(b: u8) -> usize {
    1 + usize::from(b / 12) % 2
}

/// Reading options chosen by two bytes.
fn options(a: u8, b: u8) -> ReadOptions {
    let formats = InputFormat::ALL.len() + 1;
    ReadOptions {
        delimiter: [None, Some(b','), Some(b';'), Some(b'\t')][usize::from(a) % 4],
        format: InputFormat::ALL.get(usize::from(a / 4) % formats).copied(),
        encoding: [
            None,
            None,
            encoding_for_label("windows-1252"),
            encoding_for_label("utf-16le"),
        ][usize::from(b) % 4],
        duplicates: [
            DuplicatePolicy::Latest,
            DuplicatePolicy::KeepAll,
            DuplicatePolicy::Reject,
        ][usize::from(b / 4) % 3],
        pad_short_rows: (b / 24) % 2 == 1,
        ..ReadOptions::default()
    }
}

/// The input's record as both paths are given it.
fn record(input: &[u8]) -> InputRecord {
    InputRecord {
        name: "fuzz".into(),
        sha256: String::new(),
        bytes: input.len() as u64,
    }
}

/// What the batch path writes for `batch` in `format`, results in the order given.
fn written(run: &Run<'_>, batch: &Batch, format: Format) -> Vec<u8> {
    let mut sink = Vec::new();
    let mut writer = format.writer(&mut sink);
    report::write_all(writer.as_mut(), run, batch)
    .expect("writing to memory cannot fail");
    drop(writer);
    sink
}

/// The ranked streaming path: the bytes the batch path wrote in each line
/// format (`expected`), and its summary and rejections.
fn check_ranked(
    input: &[u8],
    options: &ReadOptions,
    workers: usize,
    batch: &Batch,
    expected: &[Vec<u8>; 2],
) {
    let assessment = assessment();
    for ((line, _), expected) in LINE_FORMATS.into_iter().zip(expected) {
        let mut reader = ResponseReader::new(input, assessment.questionnaire(), options, "fuzz")
            .expect("the header read once reads again");
        let mut out = Vec::new();
        let streamed = score_ranked(
            &mut reader,
            assessment,
            |_| record(input),
            line,
            workers,
            &mut out,
        )
        .expect("the batch path read every row");
        assert_accounted(&streamed);
        let label = format!("{line:?}, {workers} workers, ranked");
        assert_same(&streamed, batch, &out, expected, &label);
    }
}

/// The streamed summary, rejections and bytes are the batch path's.
fn assert_same(streamed: &Streamed, batch: &Batch, out: &[u8], expected: &[u8], label: &str) {
    assert_eq!(streamed.summary, batch.summary, "{label}");
    assert_eq!(streamed.rejections, batch.rejections, "{label}");
    assert!(
        out == expected,
        "{label}: the stream wrote\n{}\nthe batch path\n{}",
        String::from_utf8_lossy(out),
        String::from_utf8_lossy(expected)
    );
}

/// The streaming path in input order: every row accounted for, every row
/// scored whatever the policy; under `keep-all`, the batch's lines in row order.
fn check_unsorted(
    input: &[u8],
    options: &ReadOptions,
    workers: usize,
    batch: &Batch,
    run: &Run<'_>,
) {
    let questionnaire = run.assessment.questionnaire();
    let keep_all = options.duplicates == DuplicatePolicy::KeepAll;
    let in_row_order = keep_all.then(|| {
        let mut batch = batch.clone();
        batch.results.sort_by_key(|r| r.row);
        batch
    });
    for (line, format) in LINE_FORMATS {
        let mut reader = ResponseReader::new(input, questionnaire, options, "fuzz")
            .expect("the header read once reads again");
        let mut out = Vec::new();
        let streamed = score_unsorted(&mut reader, run, line, workers, &mut out)
            .expect("the batch path read every row");
        assert_accounted(&streamed);
        assert_eq!(streamed.summary.superseded, 0);
        assert_eq!(streamed.summary.read, batch.summary.read);
        if let Some(in_row_order) = &in_row_order {
            let expected = written(run, in_row_order, format);
            let label = format!("{line:?}, {workers} workers, unsorted");
            assert_same(&streamed, batch, &out, &expected, &label);
        }
    }
}

/// An input the batch path could not read to the end: the streaming path
/// must fail too, in both orders, and not panic.
fn check_unreadable(input: &[u8], options: &ReadOptions, workers: usize) {
    let assessment = assessment();
    let record = record(input);
    let run = Run {
        assessment,
        input: &record,
    };
    let reader = || {
        ResponseReader::new(input, assessment.questionnaire(), options, "fuzz")
            .expect("the header read once reads again")
    };
    for (line, _) in LINE_FORMATS {
        let ranked = score_ranked(
            &mut reader(),
            assessment,
            |_| record.clone(),
            line,
            workers,
            Vec::new(),
        );
        assert!(ranked.is_err(), "{line:?} {workers} workers: ranked");
        let unsorted = score_unsorted(&mut reader(), &run, line, workers, Vec::new());
        assert!(unsorted.is_err(), "{line:?} {workers} workers: unsorted");
    }
}

fn assert_accounted(streamed: &Streamed) {
    let s = &streamed.summary;
    assert_eq!(s.read, s.scored + s.rejected + s.superseded);
}

fuzz_target!(|data: &[u8]| {
    let [a, b, input @ ..] = data else {
        return;
    };
    let (options, workers) = (options(*a, *b), workers(*b));
    let assessment = assessment();
    let Ok(mut reader) = ResponseReader::new(input, assessment.questionnaire(), &options, "fuzz")
    else {
        return;
    };
    let Ok(batch) = score_all(&mut reader, assessment) else {
        check_unreadable(input, &options, workers);
        return;
    };
    let s = batch.summary;
    assert_eq!(s.read, s.scored + s.rejected + s.superseded);
    assert_eq!(batch.results.len() as u64, s.scored);
    let record = record(input);
    let run = Run {
        assessment,
        input: &record,
    };
    written(&run, &batch, Format::Json);
    let lines = LINE_FORMATS.map(|(_, format)| written(&run, &batch, format));
    report::write_rejects(Vec::new(), &batch.rejections).expect("writing to memory cannot fail");
    check_ranked(input, &options, workers, &batch, &lines);
    check_unsorted(input, &options, workers, &batch, &run);
});
