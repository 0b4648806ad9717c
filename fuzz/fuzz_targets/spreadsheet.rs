//! Any bytes as a spreadsheet workbook: turning a sheet into CSV text must
//! never panic and never exceed its limits, and the text it makes must read
//! and score like any response file, every row accounted for. The first byte
//! chooses the kind the bytes are read as (`.xlsx`, `.xls`, `.ods`) and
//! whether a sheet is named; the seeds are small real workbooks of each kind.
//!
//! calamine panics on many malformed files, and the reader catches those
//! panics and reports the workbook as malformed; libFuzzer's panic hook would
//! abort at the first one, even caught. So the target replaces the hook with
//! one that only prints: a caught panic is then no finding, and any panic
//! that escapes still aborts (libfuzzer-sys catches it around the target).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use servicefit::assessment::{Assessment, Options};
use servicefit::batch::score_all;
use servicefit::builtin;
use servicefit::ingest::spreadsheet::{read_sheet, WorkbookKind, MAX_SHEET_TEXT_BYTES};
use servicefit::response::{ReadOptions, ResponseReader};

const KINDS: [WorkbookKind; 3] = [WorkbookKind::Xlsx, WorkbookKind::Xls, WorkbookKind::Ods];

fn assessment() -> &'static Assessment {
    static ASSESSMENT: OnceLock<Assessment> = OnceLock::new();
    ASSESSMENT.get_or_init(|| {
        builtin::assessment("retail", Options::default()).expect("built-in data loads")
    })
}

fuzz_target!(|data: &[u8]| {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| std::panic::set_hook(Box::new(|info| eprintln!("caught? {info}"))));
    let [choice, workbook @ ..] = data else {
        return;
    };
    let kind = KINDS[usize::from(*choice) % 3];
    let sheet = (choice / 3 % 2 == 1).then_some("Form1");
    let Ok(sheet) = read_sheet(workbook.to_vec(), &[][..], kind, sheet) else {
        return;
    };
    assert!(sheet.csv.len() <= MAX_SHEET_TEXT_BYTES);
    assert!(std::str::from_utf8(&sheet.csv).is_ok(), "the sheet's text is UTF-8");
    // The whole file as the CLI would give it, through the reader that sniffs it.
    let assessment = assessment();
    let Ok(mut reader) = ResponseReader::new(
        workbook,
        assessment.questionnaire(),
        &ReadOptions::default(),
        ["fuzz.xlsx", "fuzz.xls", "fuzz.ods"][usize::from(*choice) % 3],
    ) else {
        return;
    };
    if let Ok(batch) = score_all(&mut reader, assessment) {
        let s = batch.summary;
        assert_eq!(s.read, s.scored + s.rejected + s.superseded);
    }
});
