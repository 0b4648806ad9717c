//! Property tests (proptest) of the invariants the method promises: keying,
//! fit, percentiles, independence from column order, norm merging, and accounting for every
//! input row. Case counts are modest so that CI stays fast; raise them with
//! `PROPTEST_CASES=10000 cargo test properties` when changing these parts.

use proptest::prelude::*;
use servicefit::analysis::normbuild::{NormSample, NormSpec};
use servicefit::assessment::{Assessment, Options, Sourced};
use servicefit::batch::{score_all, Batch};
use servicefit::builtin;
use servicefit::fit::{self, AttributeScore};
use servicefit::norms::NormSet;
use servicefit::norms::{self, Interval, PercentilePoint, ScaleNorm};
use servicefit::profile::{Profile, Target};
use servicefit::provenance::FileRecord;
use servicefit::questionnaire::Questionnaire;
use servicefit::questionnaire::ScaleKind;
use servicefit::response::{ReadOptions, ResponseReader};
use servicefit::scoring::{self, keyed_value};
use servicefit::validity::{self, Status};

use crate::support::repo;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 64;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig::with_cases(cases)
}

fn sourced<T>(value: T) -> Sourced<T> {
    Sourced {
        value,
        record: FileRecord {
            id: "test".into(),
            version: "1".into(),
            source: "test".into(),
            sha256: String::new(),
        },
    }
}

/// The tiny hand-checked instrument: items A1 B1 A2 B2 A3 B3, answers 1..5.
fn tiny() -> Assessment {
    let read = |name: &str| {
        std::fs::read_to_string(repo(&format!("tests/fixtures/tiny/{name}"))).expect("fixture")
    };
    Assessment::new(
        sourced(Questionnaire::from_json(&read("questionnaire.json"), "q").expect("loads")),
        sourced(NormSet::from_json(&read("norms.json"), "n").expect("loads")),
        sourced(Profile::from_json(&read("profile.json"), "p").expect("loads")),
        Options::default(),
    )
    .expect("fits together")
}

fn target(low: f64, width: f64, weight: f64, below: f64, above: f64) -> Target {
    Target {
        scale: "a".into(),
        low,
        high: (low + width).min(10.0),
        weight,
        minimum: None,
        tolerance_below: below,
        tolerance_above: above,
        why: String::new(),
    }
}

fn profile(targets: Vec<Target>) -> Profile {
    let targets = targets
        .into_iter()
        .enumerate()
        .map(|(i, t)| Target {
            scale: format!("s{i}"),
            ..t
        })
        .collect();
    Profile {
        id: "p".into(),
        version: "1".into(),
        name: "P".into(),
        questionnaire: "q".into(),
        summary: String::new(),
        rationale: String::new(),
        max_missing: 0,
        targets,
        calibration: None,
        criterion_study: None,
    }
}

fn score(sten: f64) -> Option<AttributeScore> {
    Some(AttributeScore {
        sten_continuous: sten,
        sten: sten.round().clamp(1.0, 10.0) as u8,
        sten_interval: Interval {
            low: sten - 1.0,
            high: sten + 1.0,
        },
        fit_sten_interval: Interval {
            low: sten - 1.5,
            high: sten + 1.5,
        },
    })
}

fn targets() -> impl Strategy<Value = Vec<Target>> {
    prop::collection::vec(
        (
            1.0..10.0f64,
            0.0..4.0f64,
            0.1..5.0f64,
            0.5..4.0f64,
            0.5..4.0f64,
        )
            .prop_map(|(low, width, weight, below, above)| {
                target(low, width, weight, below, above)
            }),
        1..7,
    )
}

/// Scores the CSV `text` with the tiny instrument.
fn score_text(assessment: &Assessment, text: &str) -> Batch {
    let mut reader = ResponseReader::new(
        text.as_bytes(),
        assessment.questionnaire(),
        &ReadOptions::default(),
        "prop.csv",
    )
    .expect("the header resolves");
    score_all(&mut reader, assessment).expect("in-memory input reads")
}

/// Results as JSON, the form every report is built from.
fn results_json(batch: &Batch) -> String {
    serde_json::to_string(&batch.results).expect("results serialise")
}

const TINY_ITEMS: [&str; 6] = ["A1", "B1", "A2", "B2", "A3", "B3"];

/// A CSV with the columns in the order `order` (indices into id + items) and
/// `extra` ignored columns interleaved after them.
fn tiny_csv(rows: &[Vec<Option<i32>>], order: &[usize], extra: usize) -> String {
    let columns: Vec<String> = std::iter::once("candidate_id".to_string())
        .chain(TINY_ITEMS.iter().map(|s| s.to_string()))
        .collect();
    let mut header: Vec<String> = order.iter().map(|&i| columns[i].clone()).collect();
    header.extend((0..extra).map(|e| format!("note{e}")));
    let mut text = header.join(",") + "\n";
    for (r, answers) in rows.iter().enumerate() {
        let cells: Vec<String> = std::iter::once(format!("c{r}"))
            .chain(
                answers
                    .iter()
                    .map(|a| a.map_or(String::new(), |v| v.to_string())),
            )
            .collect();
        let mut line: Vec<String> = order.iter().map(|&i| cells[i].clone()).collect();
        line.extend((0..extra).map(|e| format!("x{e}")));
        text += &(line.join(",") + "\n");
    }
    text
}

fn answer_rows() -> impl Strategy<Value = Vec<Vec<Option<i32>>>> {
    prop::collection::vec(
        prop::collection::vec(prop::option::weighted(0.9, 1..=5i32), 6),
        1..20,
    )
}

/// A norm sample of the tiny instrument over `rows`, each in group `g` or `h`.
fn norm_sample(questionnaire: &Questionnaire, rows: &[(bool, Vec<Option<i32>>)]) -> NormSample {
    let mut sample = NormSample::new(questionnaire, 0.5, Some("group".into()));
    for (in_g, answers) in rows {
        sample.add(questionnaire, Some(if *in_g { "g" } else { "h" }), answers);
    }
    sample
}

/// Everything a norm sample holds, and the norms it gives (or why it gives none).
fn norm_outcome(sample: &NormSample) -> (String, String) {
    let partial = serde_json::to_string(&sample.partial()).expect("partial serialises");
    let spec = NormSpec {
        id: "n".into(),
        date: None,
    };
    let norms = match sample.norm_set(&spec) {
        Ok(built) => serde_json::to_string(&built.norm_set).expect("norms serialise"),
        Err(e) => e.to_string(),
    };
    (partial, norms)
}

fn grouped_rows() -> impl Strategy<Value = Vec<(bool, Vec<Option<i32>>)>> {
    prop::collection::vec(
        (
            any::<bool>(),
            prop::collection::vec(prop::option::weighted(0.9, 1..=5i32), 6),
        ),
        0..15,
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn norm_merge_is_associative_and_equals_one_pass(
        a in grouped_rows(),
        b in grouped_rows(),
        c in grouped_rows(),
    ) {
        let q = tiny().questionnaire().clone();
        let (sa, sb, sc) = (norm_sample(&q, &a), norm_sample(&q, &b), norm_sample(&q, &c));
        let mut left = sa.clone();
        left.merge(&sb, "b").expect("same questionnaire and rule");
        left.merge(&sc, "c").expect("same questionnaire and rule");
        let mut right = sb.clone();
        right.merge(&sc, "c").expect("same questionnaire and rule");
        let mut right_total = sa.clone();
        right_total.merge(&right, "bc").expect("same questionnaire and rule");
        let all: Vec<_> = a.iter().chain(&b).chain(&c).cloned().collect();
        let single = norm_sample(&q, &all);
        prop_assert_eq!(norm_outcome(&left), norm_outcome(&right_total));
        prop_assert_eq!(norm_outcome(&left), norm_outcome(&single));
    }

    #[test]
    fn reverse_keying_twice_is_identity(
        (min, max, value) in (-1000..1000i32, 1..1000i32)
            .prop_flat_map(|(min, span)| (Just(min), Just(min + span), min..=min + span))
    ) {
        let once = keyed_value(value, true, min, max);
        prop_assert!((min..=max).contains(&once));
        prop_assert_eq!(keyed_value(once, true, min, max), value);
    }

    #[test]
    fn fit_is_100_inside_every_band(targets in targets(), position in 0.0..=1.0f64) {
        let scores: Vec<_> = targets
            .iter()
            .map(|t| score(t.low + position * (t.high - t.low)))
            .collect();
        let fit = fit::fit(&profile(targets), &scores);
        prop_assert_eq!(fit.score, Some(100.0));
    }

    #[test]
    fn fit_never_rises_moving_away_from_a_band(
        targets in targets(),
        stens in prop::collection::vec(1.0..10.0f64, 7),
        which in 0..7usize,
        step in 0.0..5.0f64,
        upward in any::<bool>(),
    ) {
        let which = which % targets.len();
        let mut scores: Vec<_> = targets.iter().zip(&stens).map(|(_, &s)| score(s)).collect();
        let t = &targets[which];
        // Start outside (or at the edge of) the band on one side, then step further out.
        let start = if upward { t.high.max(stens[which]) } else { t.low.min(stens[which]) };
        let further = if upward { start + step } else { start - step };
        let profile = profile(targets.clone());
        scores[which] = score(start);
        let before = fit::fit(&profile, &scores).score.expect("nothing missing");
        scores[which] = score(further);
        let after = fit::fit(&profile, &scores).score.expect("nothing missing");
        prop_assert!(after <= before + 1e-9, "{before} → {after}");
    }

    #[test]
    fn percentile_is_monotone_in_raw_score(
        mean in 1.0..5.0f64,
        sd in 0.05..2.0f64,
        steps in prop::collection::vec((0.01..1.0f64, 0.0..20.0f64), 1..10),
        a in 0.0..6.0f64,
        b in 0.0..6.0f64,
    ) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let normal = ScaleNorm { n: None, mean, sd, reliability: 0.8, percentiles: None };
        prop_assert!(normal.percentile(low) <= normal.percentile(high));
        // An empirical table: raw ascending, percentiles not decreasing, capped at 100.
        let mut table = Vec::new();
        let (mut raw, mut pct) = (1.0, 0.0);
        for (dr, dp) in steps {
            raw += dr;
            pct = (pct + dp).min(100.0);
            table.push(PercentilePoint { raw, percentile: pct });
        }
        let empirical = ScaleNorm { percentiles: Some(table), ..normal };
        prop_assert!(empirical.percentile(low) <= empirical.percentile(high));
        let measure = norms::Measure { critical: 1.645, fit_critical: 2.4, items: 3, min: 1.0, max: 5.0 };
        prop_assert!(norms::normed(&empirical, low, 3, &measure).percentile
            <= norms::normed(&empirical, high, 3, &measure).percentile);
    }

    #[test]
    fn scores_ignore_column_order_and_extra_columns(
        rows in answer_rows(),
        order in Just((0..7).collect::<Vec<usize>>()).prop_shuffle(),
        extra in 0..4usize,
    ) {
        let assessment = tiny();
        let plain = score_text(&assessment, &tiny_csv(&rows, &(0..7).collect::<Vec<_>>(), 0));
        let shuffled = score_text(&assessment, &tiny_csv(&rows, &order, extra));
        prop_assert_eq!(results_json(&plain), results_json(&shuffled));
        prop_assert_eq!(plain.summary, shuffled.summary);
    }

    #[test]
    fn every_input_row_is_accounted_for(
        rows in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    4 => (1..=5i32).prop_map(|v| v.to_string()),
                    1 => Just(String::new()),
                    1 => Just("9".to_string()),
                    1 => Just("Agree".to_string()),
                    1 => Just("maybe".to_string()),
                ],
                5..9,
            ),
            0..30,
        ),
        blank_id in prop::collection::vec(any::<bool>(), 30),
    ) {
        let assessment = tiny();
        let mut text = format!("candidate_id,{}\n", TINY_ITEMS.join(","));
        // Rows whose every cell is blank are blank lines, not rows; the rest must all be counted.
        let mut expected = Vec::new();
        for (r, cells) in rows.iter().enumerate() {
            let id = if blank_id[r] { String::new() } else { format!("c{r}") };
            if !id.is_empty() || cells.iter().any(|c| !c.is_empty()) {
                expected.push(r as u64 + 2);
            }
            text += &format!("{id},{}\n", cells.join(","));
        }
        let batch = score_text(&assessment, &text);
        let s = batch.summary;
        prop_assert_eq!(s.read, expected.len() as u64);
        prop_assert_eq!(s.read, s.scored + s.rejected);
        prop_assert_eq!(s.scored, s.valid + s.caution + s.invalid);
        prop_assert_eq!(batch.results.len() as u64, s.scored);
        prop_assert_eq!(batch.rejections.len() as u64, s.rejected);
        let mut seen: Vec<u64> = batch.results.iter().map(|r| r.row)
            .chain(batch.rejections.iter().map(|r| r.row))
            .collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, expected);
    }
}

/// Answers to the built-in questionnaire: mostly on 1..5, some blank, and a
/// share of whole scales left nearly empty so that some scales go unscored.
fn builtin_answers(q: &Questionnaire) -> impl Strategy<Value = Vec<Option<i32>>> {
    let scales: Vec<Vec<usize>> = (0..q.scales().len())
        .map(|s| q.scale_items(s).to_vec())
        .collect();
    (
        prop::collection::vec(prop::option::weighted(0.9, 1..=5i32), q.items().len()),
        prop::collection::vec(prop::bool::weighted(0.15), scales.len()),
    )
        .prop_map(move |(mut answers, emptied)| {
            for (items, _) in scales.iter().zip(emptied).filter(|(_, e)| *e) {
                items.iter().skip(1).for_each(|&i| answers[i] = None);
            }
            answers
        })
}

/// The even–odd index computed directly from its definition: per attribute
/// scale, the means of its odd- and even-positioned keyed items, their
/// Pearson correlation, Spearman–Brown corrected and floored at −1.
fn even_odd_directly(q: &Questionnaire, answers: &[Option<i32>]) -> Option<f64> {
    let (min, max) = (q.response_scale().min, q.response_scale().max);
    let (mut odd, mut even) = (Vec::new(), Vec::new());
    for s in 0..q.scales().len() {
        if q.scales()[s].kind != ScaleKind::Attribute {
            continue;
        }
        let keyed = |position: usize| -> Vec<f64> {
            let keys = q.scale_keys(s).iter().skip(position).step_by(2);
            keys.filter_map(|k| answers[k.item].map(|v| keyed_value(v, k.reverse_keyed, min, max)))
                .map(f64::from)
                .collect()
        };
        let (o, e) = (keyed(0), keyed(1));
        if !o.is_empty() && !e.is_empty() {
            odd.push(o.iter().sum::<f64>() / o.len() as f64);
            even.push(e.iter().sum::<f64>() / e.len() as f64);
        }
    }
    if odd.len() < 3 {
        return None;
    }
    let r = validity::pearson(&odd, &even)?;
    Some((2.0 * r / (1.0 + r)).max(-1.0))
}

proptest! {
    #![proptest_config(config())]

    /// The assessment's short cuts (norm tables, placements looked up per
    /// table entry, one pass of half sums) give what the formulas give
    /// computed afresh.
    #[test]
    fn assessing_equals_the_formulas_computed_directly(
        answers in builtin_answers(&builtin::questionnaire().expect("built in"))
    ) {
        let assessment = builtin::assessment("retail", Options::default()).expect("built in");
        let q = assessment.questionnaire();
        let result = assessment.assess("x", 2, &answers, None);
        let critical = norms::critical_value(0.90).expect("a level");
        // The fit range's per-attribute level, Bonferroni over the profile's targets.
        let targets = assessment.profile().targets.len() as f64;
        let fit_critical = norms::critical_value(1.0 - 0.10 / targets).expect("a level");
        for (s, scale) in result.scales.iter().enumerate() {
            let raw = scoring::raw_score(q, s, &answers, q.min_answered_share());
            prop_assert_eq!(scale.raw, raw.raw);
            let measure = norms::Measure {
                critical,
                fit_critical,
                items: q.scale_items(s).len(),
                min: f64::from(q.response_scale().min),
                max: f64::from(q.response_scale().max),
            };
            let normed = raw.raw.map(|r| norms::normed(assessment.norm(s), r, raw.answered, &measure));
            prop_assert_eq!(scale.normed, normed);
        }
        let scores: Vec<Option<AttributeScore>> = assessment
            .profile()
            .targets
            .iter()
            .map(|t| {
                let s = q.scale_index(&t.scale).expect("checked");
                result.scales[s].normed.map(|n| AttributeScore {
                    sten_continuous: n.sten_continuous,
                    sten: n.sten,
                    sten_interval: n.sten_interval,
                    fit_sten_interval: n.fit_sten_interval,
                })
            })
            .collect();
        let mut expected = fit::fit(assessment.profile(), &scores);
        if result.validity.status == Status::Invalid {
            expected.band = None;
        }
        prop_assert_eq!(&result.fit, &expected);
        prop_assert_eq!(result.validity.indices.even_odd, even_odd_directly(q, &answers));
    }
}

/// Numbers a profile file may hold, extremes included: everyday values,
/// the edges of the allowed ranges, and the probe's 1e308 and 5e-324.
fn file_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0..20.0f64,
        prop::num::f64::POSITIVE
            | prop::num::f64::NEGATIVE
            | prop::num::f64::ZERO
            | prop::num::f64::SUBNORMAL,
        prop::sample::select(vec![1e308, 5e-324, 0.01, 100.0, 0.1, 1e-300, 99.999]),
    ]
}

/// A profile's JSON text with two targets of arbitrary weights and tolerances.
fn profile_text(numbers: &[f64; 6]) -> String {
    let [w0, w1, below0, above0, below1, above1] = numbers.map(|n| format!("{n:e}"));
    format!(
        r#"{{"id":"p","version":"1","name":"P","questionnaire":"tiny","targets":[
        {{"scale":"a","low":6,"high":10,"weight":{w0},"tolerance_below":{below0},"tolerance_above":{above0}}},
        {{"scale":"b","low":4,"high":7,"weight":{w1},"tolerance_below":{below1},"tolerance_above":{above1}}}]}}"#
    )
}

proptest! {
    #![proptest_config(config())]

    /// Every profile that loads gives a finite fit from 0 to 100 that is the
    /// weighted mean of the closenesses (METHOD §5) — with weights of 1e308
    /// it was NaN, with 5e-324 it was 0 instead of 24.6.
    #[test]
    fn fit_is_finite_and_the_weighted_mean_for_every_loadable_profile(
        numbers in prop::array::uniform6(file_number()),
        stens in prop::array::uniform2(-1e6..1e6f64),
    ) {
        let Ok(profile) = Profile::from_json(&profile_text(&numbers), "p.json") else {
            return Ok(());
        };
        let scores: Vec<_> = stens.iter().map(|&s| score(s)).collect();
        let fit = fit::fit(&profile, &scores);
        let value = fit.score.expect("nothing missing");
        prop_assert!((0.0..=100.0).contains(&value), "fit {value}");
        let interval = fit.interval.expect("nothing missing");
        prop_assert!(interval.low.is_finite() && interval.high.is_finite(), "{interval:?}");
        // The weighted mean with the weights scaled to the largest first,
        // which changes nothing in exact arithmetic and keeps every term in range.
        let largest = profile.targets.iter().map(|t| t.weight).fold(0.0, f64::max);
        let (mut earned, mut total) = (0.0, 0.0);
        for (target, &sten) in profile.targets.iter().zip(&stens) {
            let weight = target.weight / largest;
            earned += weight * fit::attribute_closeness(sten, target);
            total += weight;
        }
        prop_assert!((value - 100.0 * earned / total).abs() < 1e-9, "{value} vs {}", 100.0 * earned / total);
    }
}
