//! How well the default response-validity thresholds separate attentive from
//! careless respondents, on simulated data (docs/METHOD.md §4.3).
//!
//! Run: `cargo run --release --example validity_study [N] [SEED]`
//! (defaults 5000 per style, seed 2026). Prints a Markdown table.

use servicefit::assessment::Options;
use servicefit::builtin;
use servicefit::simulate::{Plan, Simulator, Style};
use servicefit::validity::Status;

fn main() -> Result<(), servicefit::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let assessment = builtin::assessment("general", Options::default())?;
    let mut simulator = Simulator::new(
        &assessment,
        Plan {
            seed,
            careless: 0.0,
            fitting: 0.0,
        },
    );
    println!("| style | n | valid | caution | invalid | flagged (caution or invalid) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for style in Style::ALL {
        let mut counts = [0usize; 3];
        for i in 0..n {
            let answers = simulator.answers(style);
            let result = assessment.assess(&i.to_string(), 0, &answers, None);
            counts[result.validity.status as usize] += 1;
        }
        let pct = |c: usize| 100.0 * c as f64 / n as f64;
        println!(
            "| {} | {n} | {:.1}% | {:.1}% | {:.1}% | {:.1}% |",
            style.name(),
            pct(counts[Status::Valid as usize]),
            pct(counts[Status::Caution as usize]),
            pct(counts[Status::Invalid as usize]),
            pct(counts[1] + counts[2]),
        );
    }
    Ok(())
}
