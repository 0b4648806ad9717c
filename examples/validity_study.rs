//! How well the response-validity checks separate attentive from careless
//! respondents, on simulated data (docs/METHOD.md §4.8).
//!
//! Run: `cargo run --release --example validity_study [N] [SEED]`
//! (defaults 1000 per style, seed 2026). Prints three Markdown tables: the
//! status each style gets under the default thresholds; per index, the area
//! under the ROC curve against attentive respondents; per index, the share
//! of each style at or beyond the index's caution threshold.

use servicefit::assessment::{CandidateResult, Options};
use servicefit::builtin;
use servicefit::questionnaire::ScaleKind;
use servicefit::simulate::{Plan, Simulator, Style};
use servicefit::validity::{Status, ValidityThresholds};

/// An index, as a number where higher means more suspect, and whether it
/// reaches its caution threshold (`None`: an index shown for comparison, not used).
struct Index {
    name: &'static str,
    /// From a result and the index of the impression-management scale.
    suspicion: fn(&CandidateResult, Option<usize>) -> Option<f64>,
    caution: Option<fn(f64, &ValidityThresholds) -> bool>,
}

const INDICES: [Index; 7] = [
    Index {
        name: "longstring",
        suspicion: |r, _| Some(r.validity.indices.longstring as f64),
        caution: Some(|v, t| v >= t.longstring_caution as f64),
    },
    Index {
        name: "IRV (low)",
        suspicion: |r, _| r.validity.indices.irv.map(|v| -v),
        caution: Some(|v, t| -v <= t.irv_caution),
    },
    Index {
        name: "even–odd (low)",
        suspicion: |r, _| r.validity.indices.even_odd.map(|v| -v),
        caution: Some(|v, t| -v <= t.even_odd_caution),
    },
    Index {
        name: "misfit z",
        suspicion: |r, _| r.validity.indices.misfit_z,
        caution: Some(|v, t| v >= t.misfit_caution),
    },
    Index {
        name: "attention failed",
        suspicion: |r, _| Some(r.validity.indices.attention_failed as f64),
        caution: Some(|v, t| v >= t.attention_caution as f64),
    },
    Index {
        name: "impression sten",
        suspicion: |r, im| Some(f64::from(r.scales[im?].normed?.sten)),
        caution: Some(|v, t| v >= f64::from(t.impression_caution)),
    },
    Index {
        name: "profile distance Σz²",
        suspicion: |r, _| {
            Some(
                r.scales
                    .iter()
                    .filter_map(|s| s.normed.map(|n| n.z * n.z))
                    .sum(),
            )
        },
        caution: None,
    },
];

fn main() -> Result<(), servicefit::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let assessment = builtin::assessment("general", Options::default())?;
    let q = assessment.questionnaire();
    let thresholds = q.validity().clone();
    let impression = q
        .scales()
        .iter()
        .position(|s| s.kind == ScaleKind::Impression);
    let mut simulator = Simulator::new(
        &assessment,
        Plan {
            seed,
            careless: 0.0,
            fitting: 0.0,
        },
    );
    let results: Vec<(Style, Vec<CandidateResult>)> = Style::ALL
        .into_iter()
        .map(|style| {
            let sample = (0..n)
                .map(|i| assessment.assess(&i.to_string(), 0, &simulator.answers(style), None))
                .collect();
            (style, sample)
        })
        .collect();
    println!(
        "Seed {seed}, {n} respondents per style, questionnaire {} {}.\n",
        assessment.questionnaire().id(),
        assessment.questionnaire().version()
    );
    status_table(&results);
    auc_table(&results, impression);
    caution_table(&results, &thresholds, impression);
    Ok(())
}

fn status_table(results: &[(Style, Vec<CandidateResult>)]) {
    println!("| style | valid | caution | invalid | flagged (caution or invalid) |");
    println!("|---|---:|---:|---:|---:|");
    for (style, sample) in results {
        let share = |status: Status| percent(sample, |r| r.validity.status == status);
        println!(
            "| {} | {} | {} | {} | {} |",
            style.name(),
            share(Status::Valid),
            share(Status::Caution),
            share(Status::Invalid),
            percent(sample, |r| r.validity.status != Status::Valid),
        );
    }
    println!();
}

fn auc_table(results: &[(Style, Vec<CandidateResult>)], impression: Option<usize>) {
    let attentive = &results[0].1;
    header("AUC against attentive");
    for (style, sample) in &results[1..] {
        let cells: Vec<String> = INDICES
            .iter()
            .map(|index| format!("{:.3}", auc(index, impression, attentive, sample)))
            .collect();
        println!("| {} | {} |", style.name(), cells.join(" | "));
    }
    println!();
}

fn caution_table(
    results: &[(Style, Vec<CandidateResult>)],
    thresholds: &ValidityThresholds,
    impression: Option<usize>,
) {
    header("at or beyond caution");
    for (style, sample) in results {
        let cells: Vec<String> = INDICES
            .iter()
            .map(|index| match index.caution {
                Some(caution) => percent(sample, |r| {
                    (index.suspicion)(r, impression).is_some_and(|v| caution(v, thresholds))
                }),
                None => "—".to_string(),
            })
            .collect();
        println!("| {} | {} |", style.name(), cells.join(" | "));
    }
    println!();
}

fn header(what: &str) {
    let names: Vec<&str> = INDICES.iter().map(|i| i.name).collect();
    println!("| {what} | {} |", names.join(" | "));
    println!("|---|{}", "---:|".repeat(names.len()));
}

fn percent(sample: &[CandidateResult], hit: impl Fn(&CandidateResult) -> bool) -> String {
    let count = sample.iter().filter(|r| hit(r)).count();
    format!("{:.1}%", 100.0 * count as f64 / sample.len() as f64)
}

/// Area under the ROC curve: the chance that a careless respondent is more
/// suspect on `index` than an attentive one, ties counting half (the
/// Mann–Whitney U over n₁·n₂). A missing value counts as least suspect.
fn auc(
    index: &Index,
    impression: Option<usize>,
    attentive: &[CandidateResult],
    careless: &[CandidateResult],
) -> f64 {
    let value = |r: &CandidateResult| (index.suspicion)(r, impression).unwrap_or(f64::NEG_INFINITY);
    let mut negatives: Vec<f64> = attentive.iter().map(value).collect();
    negatives.sort_by(f64::total_cmp);
    let wins: f64 = careless
        .iter()
        .map(|r| {
            let v = value(r);
            let below = negatives.partition_point(|&a| a < v);
            let equal = negatives[below..].partition_point(|&a| a <= v);
            below as f64 + 0.5 * equal as f64
        })
        .sum();
    wins / (negatives.len() * careless.len()) as f64
}
