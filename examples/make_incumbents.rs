//! Writes `examples/incumbents.csv`: 360 invented front-line staff of one
//! client, at three sites, with a supervisor's performance rating (1.0–5.0),
//! for the README's consultant walk-through. Made with the library's
//! simulator and a fixed seed, so the file is the same on every run.
//!
//! Run: `cargo run --example make_incumbents > examples/incumbents.csv`
//!
//! The rating model (known here, to be rediscovered by `profile calibrate`):
//! it rises with empathy (0.45), focus (0.35) and tact (0.20), falls with
//! distance from average conformity (an inverted U: rigid and careless staff
//! both rate lower), and ignores trust and flexibility; noise 0.8. Twelve
//! staff answer carelessly, and three rows are damaged (a missing rating, a
//! rating that is not a number, an answer off the scale) — rows the tools
//! must reject with a reason.

use servicefit::assessment::Options;
use servicefit::builtin;
use servicefit::simulate::{Plan, RatingModel, Simulator, Style};

const STAFF: usize = 360;
const SITES: [&str; 3] = ["harbour", "market", "station"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let assessment = builtin::assessment("general", Options::default())?;
    let mut simulator = Simulator::new(
        &assessment,
        Plan {
            seed: 2025,
            careless: 0.0,
            fitting: 0.0,
        },
    );
    let model = RatingModel {
        linear: vec![
            ("empathy".into(), 0.45),
            ("focus".into(), 0.35),
            ("tact".into(), 0.20),
        ],
        peaked: vec![("conformity".into(), 0.0, 0.15)],
        noise: 0.8,
        mean: 3.3,
        sd: 0.75,
        range: (1.0, 5.0),
    };
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let mut header = vec!["candidate_id", "site", "rating"];
    header.extend(
        assessment
            .questionnaire()
            .items()
            .iter()
            .map(|i| i.id.as_str()),
    );
    out.write_record(&header)?;
    for n in 1..=STAFF {
        let (levels, answers) = simulator.attentive_with_levels();
        let mut rating = format!("{:.1}", simulator.rating(&levels, &model));
        let answers = if n % 30 == 7 {
            // A careless responder: straight-lining or random clicking.
            let style = if n % 60 == 7 {
                Style::Straightline
            } else {
                Style::Random
            };
            simulator.answers(style)
        } else {
            answers
        };
        let mut cells: Vec<String> = answers
            .iter()
            .map(|a| a.map_or_else(String::new, |v| v.to_string()))
            .collect();
        match n {
            101 => rating.clear(),
            202 => rating = "excellent".into(),
            303 => cells[5] = "7".into(),
            _ => {}
        }
        let mut record = vec![format!("ST{n:04}"), SITES[n % 3].to_string(), rating];
        record.extend(cells);
        out.write_record(&record)?;
    }
    out.flush()?;
    Ok(())
}
