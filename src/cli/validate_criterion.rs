//! `servicefit validate-criterion`: how well each profile's fit score, and
//! each attribute, predict a performance rating in a sample — side by side,
//! with an optional split-half check of a calibration.
//!
//! A separate command rather than part of `profile calibrate`, because it
//! judges any profile on any rated sample: a calibrated one against the
//! built-in one, or last year's calibration on this year's staff.

use std::io::Write;

use super::criterion_text::render;
use super::io::warn;
use super::profile::{with_calibrated, with_profile, TopArgs};
use super::staff::{report_rejections, RatingArgs, ReportFormat, StaffArgs};
use super::{CliError, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::analysis::calibrate::Settings;
use servicefit::analysis::criterion::{split_half, validate};
use servicefit::analysis::crossval::{cross_validate, Folds};
use servicefit::data;

/// Arguments of `validate-criterion`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    staff: StaffArgs,
    #[command(flatten)]
    rating: RatingArgs,
    /// Profiles to compare (built-in ids or files); repeat the option for each.
    #[arg(long = "role", value_name = "ID|PATH", default_values_t = vec!["general".to_string()])]
    roles: Vec<String>,
    /// Also calibrate on each half of the sample and check the fit on the other half.
    #[arg(long)]
    split_half: bool,
    /// Also show each fit's r corrected for the rating's unreliability (its reliability, e.g. 0.52 for one supervisor's rating).
    #[arg(long, value_name = "RYY", value_parser = super::input::share)]
    criterion_reliability: Option<f64>,
    /// Also correct for direct range restriction: the fit's SD among applicants ÷ its SD among these staff (Thorndike case II).
    #[arg(long, value_name = "U", value_parser = positive)]
    range_ratio: Option<f64>,
    /// Test differential prediction between the groups of this column (Cleary's step-down regression).
    #[arg(long, value_name = "COLUMN")]
    group: Option<String>,
    /// Cross-validate the calibrated fit and two composites: K folds (e.g. 5 or 10) or `loo` (leave-one-out).
    #[arg(long, value_name = "K|loo", value_parser = parse_folds)]
    cross_validate: Option<Folds>,
    #[command(flatten)]
    top: TopArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// A positive finite number.
fn positive(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "'{text}' is not a positive number; expected e.g. 1.4"
        )),
    }
}

/// `loo` (any case) or a whole number of folds from 2.
pub(super) fn parse_folds(text: &str) -> Result<Folds, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("loo") || text.eq_ignore_ascii_case("leave-one-out") {
        return Ok(Folds::LeaveOneOut);
    }
    match text.parse::<usize>() {
        Ok(k) if k >= 2 => Ok(Folds::K(k)),
        _ => Err(format!(
            "'{text}' is not a number of folds; expected a whole number from 2 (e.g. 5 or 10) or 'loo'"
        )),
    }
}

/// Runs `validate-criterion`.
pub fn run(args: Args) -> Result<u8, CliError> {
    let staff = args.rating.read(&args.staff, args.group.as_deref())?;
    report_rejections(&staff.name, &staff.rejections);
    let mut assessments = Vec::new();
    for role in &args.roles {
        let profile = data::profile(role)?;
        assessments.push(with_profile(
            &staff.questionnaire,
            &args.rating,
            staff.min_share,
            profile,
        )?);
    }
    if let Some(notice) = assessments
        .first()
        .and_then(|a| a.provenance().norms_notice.clone())
    {
        warn(&notice);
    }
    let refs: Vec<_> = assessments.iter().collect();
    let mut report = validate(&refs, &staff.records);
    if args.criterion_reliability.is_some() || args.range_ratio.is_some() {
        if args.criterion_reliability == Some(0.0) {
            return Err(
                "--criterion-reliability 0: expected a reliability above 0 and at most 1".into(),
            );
        }
        report.correct(args.criterion_reliability, args.range_ratio);
    }
    let n = staff.records.len();
    if n < servicefit::analysis::calibrate::WARN_INCUMBENTS {
        warn(&format!(
            "only {n} rated people: correlations from so small a sample have wide intervals \
             (at n = 30, r = 0.30 has the 95% interval −0.07 to 0.60); aim for at least {}",
            servicefit::analysis::calibrate::WARN_INCUMBENTS
        ));
    }
    if args.split_half || args.cross_validate.is_some() {
        let base = super::profile::scoring_assessment(
            &staff.questionnaire,
            &args.rating,
            staff.min_share,
        )?;
        let settings = Settings {
            id: "held-out".into(),
            name: "held-out".into(),
            top: args.top.rule()?,
            source: staff.name.clone(),
            date: None,
        };
        let build = |profile: servicefit::profile::Profile| {
            with_calibrated(
                &staff.questionnaire,
                &args.rating,
                staff.min_share,
                profile,
                "calibration on part of the sample",
            )
        };
        if args.split_half {
            // Too few people to calibrate on each half is a note on the report, not a failed report.
            match split_half(&base, &staff.records, &settings, &build) {
                Ok(split) => report.split_half = Some(split),
                Err(e) => warn(&format!("no split-half check: {e}")),
            }
        }
        if let Some(folds) = args.cross_validate {
            let cv = cross_validate(&base, &staff.records, &settings, &build, folds);
            if let Some(note) = &cv.calibrated_fit_note {
                warn(&format!("no cross-validated calibrated fit: {note}"));
            }
            report.cross_validation = Some(cv);
        }
    }
    let text = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        format => render(format, &report, &staff.name),
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(if staff.rejections.is_empty() {
        EXIT_OK
    } else {
        EXIT_REJECTED_ROWS
    })
}
