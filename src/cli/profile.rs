//! `servicefit profile calibrate`: a role profile from the client's own staff
//! and their performance ratings, with a calibration report.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::io::{prepare_outputs, warn, write_atomic};
use super::staff::{heading, num, report_rejections, table, RatingArgs, ReportFormat, StaffArgs};
use super::{CliError, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::analysis::calibrate::{
    calibrate, Calibration, Settings, TopRule, DEFAULT_TOP_SHARE,
};
use servicefit::analysis::dataset::RepeatedIds;
use servicefit::assessment::{Assessment, Options, Sourced};
use servicefit::data;
use servicefit::profile::{Profile, Target};
use servicefit::provenance::{sha256_hex, FileRecord};
use servicefit::questionnaire::{Questionnaire, ScaleKind};

/// Arguments of `profile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ProfileCommand {
    /// Derive a role profile from incumbents' answers and performance ratings.
    #[command(
        after_help = "Examples:\n  servicefit profile calibrate staff.csv --performance rating \\\n      --name \"Acme front desk\" --out acme.json\n  \
servicefit profile calibrate staff.csv --performance ratings.csv --threshold 4 \\\n      --norms local.json --name acme --out acme.json \\\n      --report calibration.md --format markdown"
    )]
    Calibrate(CalibrateArgs),
}

/// Arguments of `profile calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    staff: StaffArgs,
    #[command(flatten)]
    rating: RatingArgs,
    #[command(flatten)]
    top: TopArgs,
    /// Display name of the profile; its id is the name in lower case with dashes.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Output profile file.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Write the calibration report here instead of stdout.
    #[arg(long, value_name = "PATH")]
    report: Option<PathBuf>,
    /// Format of the calibration report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Date of the data, recorded in the profile (omitted if not given, so outputs stay reproducible).
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
}

/// Who counts as a top performer.
#[derive(Debug, Clone, clap::Args)]
pub struct TopArgs {
    /// Top performers: the best share by rating, e.g. 25% or 0.25.
    #[arg(long, value_name = "SHARE", conflicts_with = "threshold")]
    top: Option<String>,
    /// Top performers: everyone rated at or above this value.
    #[arg(long, value_name = "X", value_parser = super::input::number)]
    threshold: Option<f64>,
}

impl TopArgs {
    /// The rule these arguments give.
    pub fn rule(&self) -> Result<TopRule, CliError> {
        if let Some(x) = self.threshold {
            return Ok(TopRule::Threshold(x));
        }
        let Some(text) = &self.top else {
            return Ok(TopRule::Share(DEFAULT_TOP_SHARE));
        };
        match super::input::share(text) {
            Ok(s) if s > 0.0 && s < 1.0 => Ok(TopRule::Share(s)),
            _ => Err(format!(
                "--top '{text}': expected a share between 0 and 1 or a percentage, e.g. 25%"
            )
            .into()),
        }
    }
}

/// Runs `profile`.
pub fn run(args: Args) -> Result<u8, CliError> {
    match args.command {
        ProfileCommand::Calibrate(args) => run_calibrate(args),
    }
}

fn run_calibrate(args: CalibrateArgs) -> Result<u8, CliError> {
    let mut inputs = args.staff.inputs();
    args.rating.add_inputs(&mut inputs);
    let outputs: Vec<&Path> = [Some(args.out.as_path()), args.report.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    prepare_outputs(&inputs, &outputs)?;
    let staff = args.rating.read(&args.staff, None)?;
    report_rejections(&staff.name, &staff.rejections);
    let mut ids = RepeatedIds::default();
    staff.records.iter().for_each(|r| ids.add(&r.id));
    if let Some(w) = ids.repeats().warning() {
        warn(&w);
    }
    let assessment = scoring_assessment(&staff.questionnaire, &args.rating, staff.min_share)?;
    if let Some(notice) = &assessment.provenance().norms_notice {
        warn(notice);
    }
    let settings = Settings {
        id: slug(&args.name),
        name: args.name.clone(),
        top: args.top.rule()?,
        source: format!(
            "{} (sha256 {}), rating '{}'",
            staff.name, staff.sha256, args.rating.performance
        ),
        date: args.date.clone(),
    };
    let calibration = calibrate(&assessment, &staff.records, &settings)?;
    for w in &calibration.warnings {
        warn(w);
    }
    let text = serde_json::to_string_pretty(&calibration.profile)? + "\n";
    let out = args.out.display().to_string();
    Profile::from_json(&text, &out)?.check_against(&staff.questionnaire.value, &out)?;
    write_atomic(&args.out, |o| o.write_all(text.as_bytes()))?;
    let report = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&calibration)? + "\n",
        format => render(format, &calibration, &settings),
    };
    match args.report.as_deref() {
        Some(path) if path != Path::new("-") => {
            write_atomic(path, |o| o.write_all(report.as_bytes()))?
        }
        _ => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(report.as_bytes())?;
            stdout.flush()?;
        }
    }
    say!(
        "wrote profile {} ({} rows read = {} incumbents used + {} left out as invalid responses + {} rows rejected)",
        args.out.display(),
        calibration.incumbents + staff.rejections.len(),
        calibration.used,
        calibration.excluded_invalid,
        staff.rejections.len()
    );
    Ok(if staff.rejections.is_empty() {
        EXIT_OK
    } else {
        EXIT_REJECTED_ROWS
    })
}

/// The assessment that scores incumbents: the questionnaire, the norms asked
/// for, and a neutral profile (every attribute 1–10, weight 1) — the profile
/// plays no part in stens or validity, and a neutral one fits any questionnaire.
pub fn scoring_assessment(
    questionnaire: &Sourced<Questionnaire>,
    rating: &RatingArgs,
    min_share: f64,
) -> Result<Assessment, CliError> {
    let neutral = neutral_profile(&questionnaire.value);
    let text = serde_json::to_string(&neutral)?;
    let profile = Sourced {
        record: FileRecord {
            id: neutral.id.clone(),
            version: neutral.version.clone(),
            source: "neutral (scoring only)".into(),
            sha256: sha256_hex(text.as_bytes()),
        },
        value: neutral,
    };
    with_profile(questionnaire, rating, min_share, profile)
}

/// An assessment with the staff's questionnaire, the rating's norms and `profile`.
pub fn with_profile(
    questionnaire: &Sourced<Questionnaire>,
    rating: &RatingArgs,
    min_share: f64,
    profile: Sourced<Profile>,
) -> Result<Assessment, CliError> {
    let options = Options {
        norm_group: rating.norm_group.clone(),
        min_answered_share: Some(min_share),
        ..Options::default()
    };
    let norms = data::norms(rating.norms.as_deref())?;
    Ok(Assessment::new(
        questionnaire.clone(),
        norms,
        profile,
        options,
    )?)
}

fn neutral_profile(q: &Questionnaire) -> Profile {
    let targets: Vec<Target> = q
        .scales()
        .iter()
        .filter(|s| s.kind == ScaleKind::Attribute)
        .map(|s| Target {
            scale: s.id.clone(),
            low: 1.0,
            high: 10.0,
            weight: 1.0,
            minimum: None,
            tolerance_below: servicefit::profile::DEFAULT_TOLERANCE,
            tolerance_above: servicefit::profile::DEFAULT_TOLERANCE,
            why: String::new(),
        })
        .collect();
    Profile {
        id: "neutral".into(),
        version: "1".into(),
        name: "Neutral (scoring only)".into(),
        questionnaire: q.id().into(),
        summary: String::new(),
        rationale: String::new(),
        // The most a valid profile allows; the fit plays no part here.
        max_missing: targets.len().saturating_sub(1),
        targets,
        calibration: None,
        criterion_study: None,
    }
}

/// Lower case, letters and digits kept, everything else one dash.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn render(format: ReportFormat, c: &Calibration, settings: &Settings) -> String {
    let mut out = heading(format, 1, &format!("Calibration report: {}", settings.name));
    let rule = c.top_rule.words();
    out.push_str(&format!(
        "\nData: {}.\nIncumbents with answers and a rating: {}; excluded for invalid responses: {}; used: {}.\n\
         Top performers: {rule}, i.e. rating ≥ {} — {} people.\n\n",
        settings.source, c.incumbents, c.excluded_invalid, c.used, c.top_cutoff, c.top_n
    ));
    let rows: Vec<Vec<String>> = c
        .attributes
        .iter()
        .map(|a| {
            let ci = a.correlation.interval;
            vec![
                a.name.clone(),
                a.correlation.n.to_string(),
                num(a.correlation.r, 2),
                format!(
                    "{} to {}",
                    num(ci.map(|i| i.low), 2),
                    num(ci.map(|i| i.high), 2)
                ),
                format!(
                    "{:.1}/{:.1}/{:.1}",
                    a.quartiles[0], a.quartiles[1], a.quartiles[2]
                ),
                format!("{}–{}", a.low, a.high),
                format!("{:.2}", a.weight),
            ]
        })
        .collect();
    out.push_str(&table(
        format,
        &[
            "attribute",
            "n",
            "r",
            "95% CI",
            "top Q1/Md/Q3",
            "band",
            "weight",
        ],
        &rows,
    ));
    out.push('\n');
    out.push_str(&heading(format, 2, "Why each band and weight"));
    out.push('\n');
    for a in &c.attributes {
        out.push_str(&format!("- {}: {}\n", a.name, a.why));
    }
    out.push_str(&format!(
        "\nHow the rules work: bands, in stens, are {}, rounded outward, at least {} stens wide; \
         open at the top where the rating rises with the attribute (or the top group's Q3 reaches sten {}), at the \
         bottom where it falls; weights are 1 + 2·|r|/max|r| where the 95% interval of r excludes zero, else 1. \
         These correlations are measured in the same sample the profile was fitted to, so they overstate how well \
         it will predict for new hires: check it on other data, or with `servicefit validate-criterion --split-half`.\n",
        servicefit::analysis::calibrate::band_rules(&c.attributes),
        servicefit::analysis::calibrate::MIN_BAND_WIDTH + 1.0,
        servicefit::analysis::calibrate::OPEN_TOP_FROM
    ));
    for w in &c.warnings {
        out.push_str(&format!("\nWarning: {w}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Acme Front Desk 2025"), "acme-front-desk-2025");
        assert_eq!(slug("  a/b  "), "a-b");
    }
}
