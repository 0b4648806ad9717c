//! `servicefit simulate`: synthetic response CSVs for demos, power planning and benchmarks.

use std::io::Write;
use std::path::PathBuf;

use super::io::{prepare_outputs, write_atomic};
use super::overwrite::Inputs;
use super::score::assessment;
use super::{CliError, DataArgs, EXIT_OK};
use servicefit::assessment::Options;
use servicefit::simulate::{Plan, Simulator, Style};

/// Arguments of `simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of respondents.
    #[arg(long, value_name = "N")]
    n: u64,
    /// Role whose bands "fitting" respondents centre on (built-in id or profile file).
    #[arg(long, value_name = "ID|PATH", default_value = "general")]
    role: String,
    /// Seed of the random stream: the same seed gives the same file.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Share of careless respondents (random, straight-lining, alternating, acquiescent, faking good).
    #[arg(long, value_name = "SHARE", value_parser = super::input::share, default_value_t = 0.0)]
    careless: f64,
    /// Share of attentive respondents whose levels centre on the role's bands.
    #[arg(long, value_name = "SHARE", value_parser = super::input::share, default_value_t = 0.0)]
    fitting: f64,
    /// Make every respondent answer in this style instead.
    #[arg(long, value_parser = parse_style, value_name = "STYLE")]
    style: Option<Style>,
    /// Output file; `-` or none writes stdout.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    data: DataArgs,
}

fn parse_style(name: &str) -> Result<Style, String> {
    Style::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Style::ALL.iter().map(|s| s.name()).collect();
        format!(
            "unknown style '{name}'; expected one of {}",
            names.join(", ")
        )
    })
}

/// Runs `simulate`.
pub fn run(args: Args) -> Result<u8, CliError> {
    for (name, share) in [("--careless", args.careless), ("--fitting", args.fitting)] {
        if !(0.0..=1.0).contains(&share) {
            return Err(format!("{name} {share}: expected a share from 0 to 1").into());
        }
    }
    let options = Options {
        norm_group: args.data.norm_group.clone(),
        ..Options::default()
    };
    if let Some(out) = &args.out {
        let data = [&args.data.questionnaire, &args.data.norms];
        let mut inputs = Inputs::new(data.into_iter().flatten().map(PathBuf::as_path));
        inputs.add(std::path::Path::new(&args.role));
        prepare_outputs(&inputs, &[out])?;
    }
    let assessment = assessment(&args.data, &args.role, options)?;
    let plan = Plan {
        seed: args.seed,
        careless: args.careless,
        fitting: args.fitting,
    };
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        let mut simulator = Simulator::new(&assessment, plan.clone());
        let mut csv = csv::Writer::from_writer(out);
        let mut header = vec!["candidate_id", "style"];
        header.extend(
            assessment
                .questionnaire()
                .items()
                .iter()
                .map(|i| i.id.as_str()),
        );
        csv.write_record(&header)?;
        let mut record = Vec::with_capacity(header.len());
        for n in 1..=args.n {
            let (style, answers) = match args.style {
                Some(style) => (style, simulator.answers(style)),
                None => simulator.next_respondent(),
            };
            record.clear();
            record.push(format!("S{n:07}"));
            record.push(style.name().to_string());
            record.extend(
                answers
                    .iter()
                    .map(|a| a.map_or_else(String::new, |v| v.to_string())),
            );
            csv.write_record(&record)?;
        }
        csv.flush()
    };
    match args.out.as_deref() {
        Some(path) if path != std::path::Path::new("-") => write_atomic(path, |out| write(out))?,
        _ => write(&mut std::io::stdout().lock())?,
    }
    Ok(EXIT_OK)
}
