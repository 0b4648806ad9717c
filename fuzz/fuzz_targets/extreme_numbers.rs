//! Profile and norms files full of extreme numbers: the input chooses every
//! weight, tolerance, mean, sd and reliability of the tiny instrument's
//! profile and norms — often from the edge values (1e308, 5e-324, the ends of
//! the allowed ranges), otherwise any double. Whatever loads must give finite
//! stens and intervals, and a fit from 0 to 100 that is the weighted mean of
//! the closenesses (METHOD §5): weights of 1e308 once gave NaN, 5e-324 gave 0
//! instead of 24.6, and random bytes seldom spell such numbers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servicefit::fit::{self, AttributeScore};
use servicefit::norms::{self, Interval, NormSet};
use servicefit::profile::Profile;

/// Numbers at the edges of the allowed ranges and beyond.
const EDGES: [f64; 14] = [
    1e308,
    5e-324,
    1e-300,
    0.0,
    -1.0,
    0.001,
    0.01,
    0.1,
    1.0,
    2.0,
    100.0,
    999_999.0,
    0.999_999_9,
    1e12,
];

/// One number from up to nine bytes: a first byte below 128 picks an edge
/// value, otherwise the next eight bytes are the double's bits.
fn number(chunk: &[u8]) -> f64 {
    match chunk.split_first() {
        Some((&pick, _)) if pick < 128 => EDGES[usize::from(pick) % EDGES.len()],
        Some((_, rest)) => {
            let mut bits = [0u8; 8];
            bits[..rest.len().min(8)].copy_from_slice(&rest[..rest.len().min(8)]);
            f64::from_le_bytes(bits)
        }
        None => 1.0,
    }
}

fn profile_text(n: &[f64]) -> String {
    format!(
        r#"{{"id":"p","version":"1","name":"P","questionnaire":"tiny","targets":[
        {{"scale":"a","low":6,"high":10,"weight":{:e},"tolerance_below":{:e},"tolerance_above":{:e}}},
        {{"scale":"b","low":4,"high":7,"weight":{:e},"tolerance_below":{:e},"tolerance_above":{:e}}}]}}"#,
        n[0], n[1], n[2], n[3], n[4], n[5]
    )
}

fn norms_text(n: &[f64]) -> String {
    format!(
        r#"{{"id":"n","version":"1","questionnaire":"tiny","provenance":{{"description":"fuzz"}},
        "groups":[{{"id":"g","name":"G","scales":{{
        "a":{{"n":{},"mean":{:e},"sd":{:e},"reliability":{:e}}},
        "b":{{"mean":{:e},"sd":{:e},"reliability":{:e}}}}}}}]}}"#,
        n[6].abs().min(1e15) as u64,
        n[7],
        n[8],
        n[9],
        n[10],
        n[11],
        n[12]
    )
}

fuzz_target!(|data: &[u8]| {
    let mut n: Vec<f64> = data.chunks(9).map(number).collect();
    n.resize(13, 1.0);
    // JSON has no NaN or infinity: such a number is simply not a file.
    if n.iter().any(|v| !v.is_finite()) {
        return;
    }
    let critical = norms::critical_value(0.9).expect("0.9 is a valid level");
    let mut stens = vec![-3.0, 1.0, 4.5, 5.5, 8.0, 10.0, 14.0];
    if let Ok(set) = NormSet::from_json(&norms_text(&n), "fuzz.json") {
        for norm in set.groups[0].scales.values() {
            for raw in [1.0, 2.5, 3.0, 4.2, 5.0] {
                let score = norms::normed(norm, raw, critical);
                assert!(score.sten_continuous.is_finite(), "{score:?}");
                let i = score.sten_interval;
                assert!(i.low.is_finite() && i.high.is_finite(), "{score:?}");
                stens.push(score.sten_continuous);
            }
        }
    }
    let Ok(profile) = Profile::from_json(&profile_text(&n), "fuzz.json") else {
        return;
    };
    let largest = profile.targets.iter().map(|t| t.weight).fold(0.0, f64::max);
    for pair in stens.windows(2) {
        let scores: Vec<_> = pair
            .iter()
            .map(|&sten| {
                Some(AttributeScore {
                    sten_continuous: sten,
                    sten: sten.round().clamp(1.0, 10.0) as u8,
                    sten_interval: Interval {
                        low: sten - 1.5,
                        high: sten + 1.5,
                    },
                })
            })
            .collect();
        let result = fit::fit(&profile, &scores);
        let value = result.score.expect("nothing missing");
        assert!((0.0..=100.0).contains(&value), "fit {value} for {n:?}");
        // The weighted mean, weights scaled to the largest first (exactly the same mean).
        let (mut earned, mut total) = (0.0, 0.0);
        for (target, &sten) in profile.targets.iter().zip(pair) {
            earned += target.weight / largest * fit::attribute_closeness(sten, target);
            total += target.weight / largest;
        }
        let expected = 100.0 * earned / total;
        assert!(
            (value - expected).abs() < 1e-9,
            "fit {value}, expected {expected}, for {n:?}"
        );
    }
});
