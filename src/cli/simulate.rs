//! `servicefit simulate`: synthetic response CSVs for demos, power planning and benchmarks.

use std::io::Write;
use std::path::PathBuf;

use super::io::{prepare_outputs, write_atomic};
use super::overwrite::Inputs;
use super::score::assessment;
use super::{CliError, DataArgs, EXIT_OK};
use servicefit::assessment::Options;
use servicefit::questionnaire::ScaleKind;
use servicefit::simulate::{true_fit, Plan, Simulator, Style};

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
    /// Also write each respondent's true (error-free) continuous sten per attribute and true fit
    /// to the role, as CSV (candidate_id, <scale>_true_sten…, true_fit; empty for careless styles).
    #[arg(long, value_name = "FILE")]
    truth: Option<PathBuf>,
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
    let q = assessment.questionnaire();
    let attributes: Vec<usize> = (0..q.scales().len())
        .filter(|&s| q.scales()[s].kind == ScaleKind::Attribute)
        .collect();
    let mut truth_rows: Vec<Vec<String>> = Vec::new();
    let mut write = |out: &mut dyn Write| -> std::io::Result<()> {
        let mut simulator = Simulator::new(&assessment, plan.clone());
        let mut csv = csv::Writer::from_writer(out);
        let mut header = vec!["candidate_id", "style"];
        header.extend(q.items().iter().map(|i| i.id.as_str()));
        csv.write_record(&header)?;
        let mut record = Vec::with_capacity(header.len());
        for n in 1..=args.n {
            let (style, levels, answers) = match args.style {
                Some(style) => {
                    let (levels, answers) = simulator.answers_with_levels(style);
                    (style, levels, answers)
                }
                None => simulator.next_respondent_with_levels(),
            };
            let id = format!("S{n:07}");
            if args.truth.is_some() {
                truth_rows.push(truth_row(&simulator, &id, levels.as_deref(), &attributes));
            }
            record.clear();
            record.push(id);
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
    if let Some(path) = &args.truth {
        write_atomic(path, |out| {
            let mut csv = csv::Writer::from_writer(out);
            let mut header = vec!["candidate_id".to_string()];
            header.extend(
                attributes
                    .iter()
                    .map(|&s| format!("{}_true_sten", q.scales()[s].id)),
            );
            header.push("true_fit".into());
            csv.write_record(&header)?;
            for row in &truth_rows {
                csv.write_record(row)?;
            }
            csv.flush()
        })?;
    }
    Ok(EXIT_OK)
}

/// One row of the truth file: the id, each attribute's true sten and the
/// true fit, to six decimals; empty cells for a careless respondent.
fn truth_row(
    simulator: &Simulator<'_>,
    id: &str,
    levels: Option<&[f64]>,
    attributes: &[usize],
) -> Vec<String> {
    let stens = levels.map(|l| simulator.true_stens(l));
    let fit = stens.as_deref().and_then(|s| true_fit(simulator, s));
    let mut row = vec![id.to_string()];
    row.extend(attributes.iter().map(|&a| {
        stens
            .as_ref()
            .map_or_else(String::new, |s| format!("{:.6}", s[a]))
    }));
    row.push(fit.map_or_else(String::new, |f| format!("{f:.6}")));
    row
}
