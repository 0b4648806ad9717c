//! The library in a few lines: score one candidate against a built-in role.
//!
//! Run: `cargo run --example score_one`

use servicefit::assessment::Options;
use servicefit::builtin;
use servicefit::simulate::{Plan, Simulator, Style};

fn main() -> Result<(), servicefit::Error> {
    let assessment = builtin::assessment("hospitality", Options::default())?;
    // Answers in presentation order; here from the simulator, in practice from a form.
    let mut simulator = Simulator::new(
        &assessment,
        Plan {
            seed: 5,
            careless: 0.0,
            fitting: 1.0,
        },
    );
    let answers = simulator.answers(Style::Attentive);

    let result = assessment.assess("demo-1", 2, &answers, None);
    println!(
        "status: {} {:?}",
        result.validity.status.name(),
        result.validity.reasons
    );
    for fit in &result.fit.attributes {
        let scale = result.scales.iter().find(|s| s.scale == fit.scale);
        if let Some(normed) = scale.and_then(|s| s.normed) {
            println!(
                "{:<12} sten {:>2} (90% {:.1}–{:.1})  closeness {:.2}",
                fit.scale,
                normed.sten,
                normed.sten_interval.low,
                normed.sten_interval.high,
                fit.closeness.unwrap_or(0.0)
            );
        }
    }
    if let (Some(score), Some(interval)) = (result.fit.score, result.fit.interval) {
        println!("fit {score:.1} ({:.1}–{:.1})", interval.low, interval.high);
    }
    Ok(())
}
