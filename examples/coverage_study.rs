//! Do the fit ranges keep their promise? For every built-in role, simulated
//! respondents with known true scores (docs/METHOD.md §5.5, the model of §7):
//!
//! * ordinary applicants (latent levels N(0, 1), as `simulate` without
//!   `--fitting`): how often the 90% fit range holds the true fit, how often
//!   each attribute's 90% sten interval holds its true sten, and the share of
//!   each fit band;
//! * the worst case: every attribute's true sten exactly at an edge of its
//!   band (true fit 100), where each attribute can miss on one side only.
//!
//! Run: `cargo run --release --example coverage_study [N] [SEED]`
//! (defaults 4000 per role and case, seed 2026). Prints Markdown tables.
//! The same can be measured from the command line with `servicefit simulate
//! --truth` and `servicefit score --format jsonl`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servicefit::assessment::{Assessment, Options};
use servicefit::builtin;
use servicefit::fit::FitBand;
use servicefit::simulate::{true_fit, Plan, Simulator, Style};

/// A fit range "holds" a true fit within this much (floating-point slack).
const SLACK: f64 = 1e-9;

fn main() -> Result<(), servicefit::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    println!("| role | fit range holds true fit (ordinary) | worst case: true fit 100 at band edges | attribute 90% intervals hold true sten (mean, lowest) | strong | good | partial | weak | minimum not met | no band |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &(role, _) in builtin::PROFILES {
        let assessment = builtin::assessment(role, Options::default())?;
        let ordinary = ordinary(&assessment, n, seed);
        let worst = worst_case(&assessment, n, seed + 1);
        let pct = |c: usize| format!("{:.1}%", 100.0 * c as f64 / n as f64);
        let lowest = ordinary.attribute_held.iter().copied().min().unwrap_or(0);
        let held = &ordinary.attribute_held;
        let mean = held.iter().sum::<usize>() / held.len().max(1);
        let bands: Vec<String> = ordinary.bands.iter().map(|&c| pct(c)).collect();
        println!(
            "| {role} | {} | {} | {}, {} | {} |",
            pct(ordinary.held),
            pct(worst),
            pct(mean),
            pct(lowest),
            bands.join(" | ")
        );
    }
    Ok(())
}

/// What the ordinary applicants showed.
struct Ordinary {
    /// Respondents whose fit range held their true fit.
    held: usize,
    /// Per scale, respondents whose 90% sten interval held the true sten.
    attribute_held: Vec<usize>,
    /// Strong, good, partial, weak, minimum not met, no band.
    bands: [usize; 6],
}

fn simulator(assessment: &Assessment, seed: u64) -> Simulator<'_> {
    let plan = Plan {
        seed,
        careless: 0.0,
        fitting: 0.0,
    };
    Simulator::new(assessment, plan)
}

fn ordinary(assessment: &Assessment, n: usize, seed: u64) -> Ordinary {
    let mut simulator = simulator(assessment, seed);
    let scales = assessment.questionnaire().scales().len();
    let mut out = Ordinary {
        held: 0,
        attribute_held: vec![0; scales],
        bands: [0; 6],
    };
    for i in 0..n {
        let (levels, answers) = simulator.answers_with_levels(Style::Attentive);
        let levels = levels.unwrap_or_default();
        let stens = simulator.true_stens(&levels);
        let result = assessment.assess(&i.to_string(), 0, &answers, None);
        let truth = true_fit(&simulator, &stens);
        if let (Some(t), Some(range)) = (truth, result.fit.interval) {
            out.held += usize::from(range.low - SLACK <= t && t <= range.high + SLACK);
        }
        for (s, scale) in result.scales.iter().enumerate() {
            let inside = scale.normed.is_some_and(|n| {
                n.sten_interval.low - SLACK <= stens[s] && stens[s] <= n.sten_interval.high + SLACK
            });
            out.attribute_held[s] += usize::from(inside);
        }
        let band = match result.fit.band {
            Some(FitBand::Strong) => 0,
            Some(FitBand::Good) => 1,
            Some(FitBand::Partial) => 2,
            Some(FitBand::Weak) => 3,
            Some(FitBand::MinimumNotMet) => 4,
            None => 5,
        };
        out.bands[band] += 1;
    }
    // Only attributes count: the impression scale is not in the fit.
    let q = assessment.questionnaire();
    let targeted: Vec<usize> = (0..scales)
        .filter(|&s| {
            assessment
                .profile()
                .targets
                .iter()
                .any(|t| t.scale == q.scales()[s].id)
        })
        .map(|s| out.attribute_held[s])
        .collect();
    out.attribute_held = targeted;
    out
}

/// Respondents whose true sten on every attribute sits at an edge of its
/// band (chosen at random where both edges are inside 1..10): true fit 100.
/// Returns how many fit ranges reached 100.
fn worst_case(assessment: &Assessment, n: usize, seed: u64) -> usize {
    let mut simulator = simulator(assessment, seed);
    let mut edges = ChaCha8Rng::seed_from_u64(seed);
    let q = assessment.questionnaire();
    let mut held = 0;
    for i in 0..n {
        let mut levels = vec![0.0; q.scales().len()];
        for target in &assessment.profile().targets {
            let Some(s) = q.scale_index(&target.scale) else {
                continue;
            };
            let edge = match (target.low > 1.0, target.high < 10.0) {
                (true, true) if edges.random::<bool>() => target.low,
                (true, true) => target.high,
                (true, false) => target.low,
                _ => target.high,
            };
            levels[s] = simulator.level_for_sten(s, edge);
        }
        let stens = simulator.true_stens(&levels);
        debug_assert!(true_fit(&simulator, &stens).is_some_and(|f| f > 100.0 - 1e-6));
        let answers = simulator.attentive_at(&levels);
        let result = assessment.assess(&i.to_string(), 0, &answers, None);
        held += usize::from(result.fit.interval.is_some_and(|r| r.high >= 100.0 - 1e-6));
    }
    held
}
