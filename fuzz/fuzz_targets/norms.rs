//! Any bytes as a norms file: loading must return a value or an error,
//! never panic; a norm set that loads must convert any raw score (including
//! extremes) into z, T, sten and percentile without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servicefit::norms::{self, NormSet};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(set) = NormSet::from_json(text, "fuzz.json") else {
        return;
    };
    let critical = norms::critical_value(0.9).expect("0.9 is a valid level");
    for group in &set.groups {
        for norm in group.scales.values() {
            // Raw scores are means of answers, so finite; extremes stand in for any scale.
            for raw in [-1e300, -1.0, 0.0, 1.0, 3.0, 5.0, 1e300] {
                let score = norms::normed(norm, raw, critical);
                assert!(score.sten >= 1 && score.sten <= 10);
            }
        }
    }
});
