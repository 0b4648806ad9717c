//! Any bytes as a questionnaire file: loading must return a value or an
//! error, never panic; a questionnaire that loads must score any answers on
//! its response scale (raw scores and validity indices) without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servicefit::questionnaire::Questionnaire;
use servicefit::{scoring, validity};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(q) = Questionnaire::from_json(text, "fuzz.json") else {
        return;
    };
    let (min, max) = (q.response_scale().min, q.response_scale().max);
    let n = q.items().len();
    // Every answer at the bottom, at the top, alternating, and half missing.
    let patterns: [Vec<Option<i32>>; 4] = [
        vec![Some(min); n],
        vec![Some(max); n],
        (0..n)
            .map(|i| Some(if i % 2 == 0 { min } else { max }))
            .collect(),
        (0..n).map(|i| (i % 2 == 0).then_some(max)).collect(),
    ];
    for answers in &patterns {
        let raw = scoring::raw_scores(&q, answers, q.min_answered_share());
        assert_eq!(raw.len(), q.scales().len());
        let indices = validity::indices(&q, answers, Some(60.0));
        let _ = validity::judge(&q, indices, Some(5), q.validity());
    }
});
