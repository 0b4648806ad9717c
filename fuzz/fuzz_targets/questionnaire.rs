//! Any bytes as a questionnaire file: loading must return a value or an
//! error, never panic; a questionnaire that loads must score any answers on
//! its response scale (raw scores and validity indices) without panicking,
//! and the tables it precomputes for scoring (each scale's keyed items, the
//! attention items) must say what its items say.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servicefit::questionnaire::{ItemRole, KeyedItem, Questionnaire};
use servicefit::{scoring, validity};

/// The precomputed tables against the items they are computed from.
fn check_tables(q: &Questionnaire) {
    for s in 0..q.scales().len() {
        let keys: Vec<KeyedItem> = (q.items().iter().enumerate())
            .filter_map(|(item, i)| match i.role {
                ItemRole::Scored {
                    scale,
                    reverse_keyed,
                } if scale == s => Some(KeyedItem {
                    item,
                    reverse_keyed,
                }),
                _ => None,
            })
            .collect();
        assert_eq!(q.scale_keys(s), keys);
        let items: Vec<usize> = keys.iter().map(|k| k.item).collect();
        assert_eq!(q.scale_items(s), items);
    }
    let attention: Vec<usize> = (q.items().iter().enumerate())
        .filter(|(_, i)| matches!(i.role, ItemRole::Attention { .. }))
        .map(|(index, _)| index)
        .collect();
    assert_eq!(q.attention_items(), attention);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(q) = Questionnaire::from_json(text, "fuzz.json") else {
        return;
    };
    check_tables(&q);
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
        let indices = validity::indices(&q, answers, Some(60.0), None);
        let _ = validity::judge(&q, indices, Some(5), q.validity());
    }
});
