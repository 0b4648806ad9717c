//! Power of a predictive validity study of the SFQ 2.0 fit score, by
//! simulation (docs/TECHNICAL-MANUAL.md §6.6): how many hires must be
//! followed up to show, at the 5% level (two-sided), that the fit against the
//! general profile predicts a later performance rating.
//!
//! Run: `cargo run --release --example power_study [REPLICATES] [SEED]`
//! (defaults 500 and 2026).
//!
//! Model: attentive respondents drawn by the library's simulator from the
//! built-in questionnaire and provisional norms (METHOD.md §7); a rating that
//! rises with a composite of latent empathy, focus and tact (weights .45, .35,
//! .20, as in `make_incumbents`), scaled so that the composite correlates `R`
//! with the rating, plus noise `√(1 − R²)`. The observed validity of the fit
//! is lower than `R`: the scales are measured with error and the fit is a
//! banded, non-linear function of the scores. A replicate is a success when
//! the 95% Fisher-z interval of r(fit, rating) lies above zero.

use servicefit::analysis::correlation::Correlation;
use servicefit::assessment::{Assessment, Options};
use servicefit::builtin;
use servicefit::simulate::{Plan, RatingModel, Simulator};

const SAMPLE_SIZES: [usize; 5] = [100, 200, 300, 500, 800];
const LATENT_VALIDITIES: [f64; 3] = [0.2, 0.3, 0.4];
/// Composite weights of empathy, focus and tact before scaling to length 1.
const WEIGHTS: [(&str, f64); 3] = [("empathy", 0.45), ("focus", 0.35), ("tact", 0.20)];

fn model(validity: f64) -> RatingModel {
    let length = WEIGHTS.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    RatingModel {
        linear: WEIGHTS
            .iter()
            .map(|(id, w)| ((*id).to_string(), validity * w / length))
            .collect(),
        peaked: Vec::new(),
        noise: (1.0 - validity * validity).sqrt(),
        mean: 3.3,
        sd: 0.75,
        range: (1.0, 5.0),
    }
}

/// (fit, rating) of `n` simulated hires with a fit score.
fn sample(
    assessment: &Assessment,
    simulator: &mut Simulator,
    model: &RatingModel,
    n: usize,
) -> Vec<(f64, f64)> {
    let mut pairs = Vec::with_capacity(n);
    while pairs.len() < n {
        let (levels, answers) = simulator.attentive_with_levels();
        let rating = simulator.rating(&levels, model);
        if let Some(fit) = assessment.assess("x", 2, &answers, None).fit.score {
            pairs.push((fit, rating));
        }
    }
    pairs
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let replicates: usize = args.next().map_or(Ok(500), |a| a.parse())?;
    let seed: u64 = args.next().map_or(Ok(2026), |a| a.parse())?;
    let assessment = builtin::assessment("general", Options::default())?;
    let plan = Plan {
        seed,
        careless: 0.0,
        fitting: 0.0,
    };
    let mut simulator = Simulator::new(&assessment, plan);
    println!(
        "{replicates} replicates per cell, seed {seed}, fit against the built-in general profile"
    );
    println!(
        "| latent R | mean observed r | {} |",
        SAMPLE_SIZES.map(|n| format!("power n={n}")).join(" | ")
    );
    println!("|---|---|{}", "---|".repeat(SAMPLE_SIZES.len()));
    for validity in LATENT_VALIDITIES {
        let model = model(validity);
        let (mut rs, mut powers) = (Vec::new(), Vec::new());
        for n in SAMPLE_SIZES {
            let mut significant = 0;
            for _ in 0..replicates {
                let correlation = Correlation::of(&sample(&assessment, &mut simulator, &model, n));
                rs.extend(correlation.r);
                if correlation.excludes_zero() && correlation.r.is_some_and(|r| r > 0.0) {
                    significant += 1;
                }
            }
            powers.push(format!(
                "{:.0}%",
                100.0 * significant as f64 / replicates as f64
            ));
        }
        let mean_r = rs.iter().sum::<f64>() / rs.len() as f64;
        println!("| {validity:.1} | {mean_r:.3} | {} |", powers.join(" | "));
    }
    Ok(())
}
