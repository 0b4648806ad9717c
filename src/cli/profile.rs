//! `servicefit profile calibrate`: a role profile from the client's own staff
//! and their performance ratings, with a calibration report.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::calibration_report::{render, CalibrationFormat, CalibrationReport};
use super::io::{prepare_outputs, warn, write_atomic};
use super::staff::{report_rejections, RatingArgs, StaffArgs};
use super::validate_criterion::parse_folds;
use super::{CliError, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::analysis::calibrate::{
    bootstrap, calibrate_sample, BootstrapSettings, Calibration, Sample, Settings, TopRule,
    DEFAULT_REPLICATES, DEFAULT_SEED, DEFAULT_TOP_SHARE,
};
use servicefit::analysis::criterion::validate;
use servicefit::analysis::crossval::{cross_validate, CrossValidation, Folds};
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
servicefit profile calibrate staff.csv --performance ratings.csv --threshold 4 \\\n      --norms local.json --name acme --out acme.json \\\n      --report calibration.md --format markdown\n  \
servicefit profile calibrate staff.csv --performance rating --group site \\\n      --bootstrap 5000 --seed 7 --name acme --out acme.json \\\n      --report calibration.html --format html"
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
    #[arg(long, value_enum, default_value_t = CalibrationFormat::Text)]
    format: CalibrationFormat,
    /// Resamples for the band edges' bootstrap intervals.
    #[arg(long = "bootstrap", value_name = "N", default_value_t = DEFAULT_REPLICATES, value_parser = replicates)]
    replicates: usize,
    /// Seed of the resampling (fixed by default, so reports are reproducible).
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Level of the bootstrap intervals (e.g. 0.9 or 90%).
    #[arg(long, value_name = "LEVEL", default_value = "0.95", value_parser = level)]
    confidence: f64,
    /// Test differential prediction of the calibrated fit between the groups of this column (Cleary's step-down regression).
    #[arg(long, value_name = "COLUMN")]
    group: Option<String>,
    /// Folds for the held-out validities of the calibrated fit and the two composites: K or `loo`.
    #[arg(long, value_name = "K|loo", default_value = "10", value_parser = parse_folds)]
    cross_validate: Folds,
    /// Date of the data, recorded in the profile (omitted if not given, so outputs stay reproducible).
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
}

/// A number of resamples from 100 (fewer cannot place a 95% interval's ends).
fn replicates(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(b) if (100..=1_000_000).contains(&b) => Ok(b),
        _ => Err(format!(
            "'{text}': expected a whole number of resamples from 100 to 1000000, e.g. 2000"
        )),
    }
}

/// A confidence level strictly between 0 and 1.
fn level(text: &str) -> Result<f64, String> {
    match super::input::share(text) {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "'{text}': expected a level between 0 and 1 or a percentage, e.g. 0.95 or 95%"
        )),
    }
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
    let staff = args.rating.read(&args.staff, args.group.as_deref())?;
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
    let sample = Sample::of(&assessment, &staff.records);
    let calibration = calibrate_sample(&assessment, &sample, &settings)?;
    for w in &calibration.warnings {
        warn(w);
    }
    let text = serde_json::to_string_pretty(&calibration.profile)? + "\n";
    let out = args.out.display().to_string();
    Profile::from_json(&text, &out)?.check_against(&staff.questionnaire.value, &out)?;
    write_atomic(&args.out, |o| o.write_all(text.as_bytes()))?;
    let resampling = BootstrapSettings {
        replicates: args.replicates,
        seed: args.seed,
        confidence: args.confidence,
    };
    let resampled = bootstrap(&sample, &calibration.attributes, settings.top, resampling);
    let evidence = Evidence::of(&args, &staff, &assessment, &calibration, &settings)?;
    let report = render(
        args.format,
        &CalibrationReport {
            name: &settings.name,
            source: &settings.source,
            calibration: &calibration,
            bootstrap: &resampled,
            fit_in_sample: evidence.fit,
            cross_validation: &evidence.cross_validation,
            differential: evidence.differential.as_ref(),
        },
    )?;
    write_report(args.report.as_deref(), &report)?;
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

/// Writes the report to `path` (atomically), or to stdout when none or `-`.
fn write_report(path: Option<&Path>, report: &str) -> Result<(), CliError> {
    match path {
        Some(path) if path != Path::new("-") => {
            write_atomic(path, |o| o.write_all(report.as_bytes()))?
        }
        _ => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(report.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(())
}

/// The calibrated profile judged on the staff: its fit's validity in the
/// sample, held out beside the two composites, and Cleary's test by group.
struct Evidence {
    fit: servicefit::analysis::correlation::Correlation,
    cross_validation: CrossValidation,
    differential: Option<servicefit::analysis::criterion::GroupPrediction>,
}

impl Evidence {
    fn of(
        args: &CalibrateArgs,
        staff: &super::staff::Staff,
        base: &Assessment,
        calibration: &Calibration,
        settings: &Settings,
    ) -> Result<Evidence, CliError> {
        let out = args.out.display().to_string();
        let build = |profile: Profile| {
            with_calibrated(
                &staff.questionnaire,
                &args.rating,
                staff.min_share,
                profile,
                &out,
            )
        };
        let calibrated = build(calibration.profile.clone()).map_err(|e| e.to_string())?;
        let mut criterion = validate(&[&calibrated], &staff.records);
        let cross_validation =
            cross_validate(base, &staff.records, settings, &build, args.cross_validate);
        if let Some(note) = &cross_validation.calibrated_fit_note {
            warn(&format!("no cross-validated calibrated fit: {note}"));
        }
        Ok(Evidence {
            fit: criterion.profiles[0].fit,
            cross_validation,
            differential: criterion.differential.pop(),
        })
    }
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

/// An assessment with a profile calibrated here (not read from a file), its
/// provenance naming `source` and hashing the profile's JSON.
pub fn with_calibrated(
    questionnaire: &Sourced<Questionnaire>,
    rating: &RatingArgs,
    min_share: f64,
    profile: Profile,
    source: &str,
) -> Result<Assessment, CliError> {
    let text = serde_json::to_string(&profile)?;
    let sourced = Sourced {
        record: FileRecord {
            id: profile.id.clone(),
            version: profile.version.clone(),
            source: source.to_string(),
            sha256: sha256_hex(text.as_bytes()),
        },
        value: profile,
    };
    with_profile(questionnaire, rating, min_share, sourced)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Acme Front Desk 2025"), "acme-front-desk-2025");
        assert_eq!(slug("  a/b  "), "a-b");
    }
}
