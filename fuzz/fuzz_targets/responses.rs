//! Any bytes as a response file: reading, scoring and writing every report
//! format must never panic, every row read must be accounted for, and a file
//! that cannot be read must give an error, not a crash. Runs the built-in
//! questionnaire and norms with the retail profile. The first two bytes choose
//! the reading options, so that every export format (detected or forced),
//! delimiter, encoding and duplicate policy is covered.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use servicefit::assessment::{Assessment, Options};
use servicefit::batch::score_all;
use servicefit::builtin;
use servicefit::ingest::decode::encoding_for_label;
use servicefit::ingest::duplicate::DuplicatePolicy;
use servicefit::ingest::format::InputFormat;
use servicefit::report::{self, Format, InputRecord, Run};
use servicefit::response::{ReadOptions, ResponseReader};

fn assessment() -> &'static Assessment {
    static ASSESSMENT: OnceLock<Assessment> = OnceLock::new();
    ASSESSMENT.get_or_init(|| {
        builtin::assessment("retail", Options::default()).expect("built-in data loads")
    })
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
        ..ReadOptions::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let [a, b, input @ ..] = data else {
        return;
    };
    let options = options(*a, *b);
    let assessment = assessment();
    let Ok(mut reader) = ResponseReader::new(input, assessment.questionnaire(), &options, "fuzz")
    else {
        return;
    };
    let Ok(batch) = score_all(&mut reader, assessment) else {
        return;
    };
    let s = batch.summary;
    assert_eq!(s.read, s.scored + s.rejected + s.superseded);
    assert_eq!(batch.results.len() as u64, s.scored);
    let record = InputRecord {
        name: "fuzz".into(),
        sha256: String::new(),
        bytes: input.len() as u64,
    };
    let run = Run {
        assessment,
        input: &record,
    };
    for format in [Format::Csv, Format::Json, Format::Jsonl] {
        let mut sink = Vec::new();
        let mut writer = format.writer(&mut sink);
        report::write_all(
            writer.as_mut(),
            &run,
            &batch.results,
            &batch.summary,
            &batch.rejections,
        )
        .expect("writing to memory cannot fail");
    }
    report::write_rejects(Vec::new(), &batch.rejections).expect("writing to memory cannot fail");
});
