//! Any bytes as a role profile: loading must return a value or an error,
//! never panic; a profile that loads must give a fit for any stens, with
//! attributes present or missing, and that fit must lie in 0..100.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servicefit::fit::{self, AttributeScore};
use servicefit::norms::Interval;
use servicefit::profile::Profile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(profile) = Profile::from_json(text, "fuzz.json") else {
        return;
    };
    let n = profile.targets.len();
    for sten in [-5.0, 1.0, 5.5, 10.0, 15.0] {
        let score = AttributeScore {
            sten_continuous: sten,
            sten: 5,
            sten_interval: Interval {
                low: sten - 1.5,
                high: sten + 1.5,
            },
        };
        let all: Vec<_> = vec![Some(score); n];
        let first_missing: Vec<_> = (0..n).map(|i| (i > 0).then_some(score)).collect();
        for scores in [all, first_missing] {
            if let Some(value) = fit::fit(&profile, &scores).score {
                assert!((0.0..=100.0 + 1e-9).contains(&value), "fit {value}");
            }
        }
    }
});
