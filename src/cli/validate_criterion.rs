//! `servicefit validate-criterion`: how well each profile's fit score, and
//! each attribute, predict a performance rating in a sample — side by side,
//! with an optional split-half check of a calibration.
//!
//! A separate command rather than part of `profile calibrate`, because it
//! judges any profile on any rated sample: a calibrated one against the
//! built-in one, or last year's calibration on this year's staff.

use std::io::Write;

use super::io::warn;
use super::profile::{with_profile, TopArgs};
use super::staff::{heading, num, report_rejections, table, RatingArgs, ReportFormat, StaffArgs};
use super::{CliError, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::analysis::calibrate::Settings;
use servicefit::analysis::correlation::Correlation;
use servicefit::analysis::criterion::{split_half, validate, CriterionReport, GroupPrediction};
use servicefit::analysis::crossval::{cross_validate, CrossValidation, Folds};
use servicefit::assessment::Sourced;
use servicefit::data;
use servicefit::provenance::{sha256_hex, FileRecord};

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
fn parse_folds(text: &str) -> Result<Folds, String> {
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
        };
        let build = |profile: servicefit::profile::Profile| {
            let text = serde_json::to_string(&profile).unwrap_or_default();
            let sourced = Sourced {
                record: FileRecord {
                    id: profile.id.clone(),
                    version: profile.version.clone(),
                    source: "calibration on part of the sample".into(),
                    sha256: sha256_hex(text.as_bytes()),
                },
                value: profile,
            };
            with_profile(&staff.questionnaire, &args.rating, staff.min_share, sourced)
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

fn cells(c: &Correlation) -> [String; 3] {
    let ci = c.interval;
    [
        c.n.to_string(),
        num(c.r, 2),
        format!(
            "{} to {}",
            num(ci.map(|i| i.low), 2),
            num(ci.map(|i| i.high), 2)
        ),
    ]
}

fn render(format: ReportFormat, report: &CriterionReport, input: &str) -> String {
    let mut out = heading(format, 1, &format!("Criterion validity in {input}"));
    out.push_str(&format!(
        "\n{} incumbents with a rating; {} excluded for invalid responses. Pearson r with the rating, 95% interval by Fisher's z.\n\n",
        report.incumbents, report.excluded_invalid
    ));
    out.push_str(&heading(format, 2, "Fit score by profile"));
    out.push('\n');
    let rows: Vec<Vec<String>> = report
        .profiles
        .iter()
        .map(|p| {
            let mut row = vec![p.profile.clone(), p.source.clone()];
            row.extend(cells(&p.fit));
            if let Some(c) = &p.corrected {
                row.push(num(c.r, 2));
            }
            row
        })
        .collect();
    let mut headers = vec!["profile", "source", "n", "r", "95% CI"];
    let corrected = report.profiles.first().and_then(|p| p.corrected);
    if corrected.is_some() {
        headers.push("corrected r");
    }
    out.push_str(&table(format, &headers, &rows));
    if let Some(c) = corrected {
        out.push_str(&format!("\n{}\n", correction_words(&c)));
    }
    out.push('\n');
    out.push_str(&heading(format, 2, "Attributes"));
    out.push('\n');
    let rows: Vec<Vec<String>> = report
        .attributes
        .iter()
        .map(|a| {
            let mut row = vec![a.name.clone()];
            row.extend(cells(&a.correlation));
            row
        })
        .collect();
    out.push_str(&table(format, &["attribute", "n", "r", "95% CI"], &rows));
    if !report.comparisons.is_empty() {
        out.push('\n');
        out.push_str(&comparisons(format, report));
    }
    if !report.differential.is_empty() {
        out.push('\n');
        out.push_str(&differential(format, report));
    }
    if let Some(cv) = &report.cross_validation {
        out.push('\n');
        out.push_str(&cross_validation(format, cv));
    }
    if let Some(split) = &report.split_half {
        out.push('\n');
        out.push_str(&heading(format, 2, "Split-half check of a calibration"));
        out.push('\n');
        let rows = vec![
            [
                vec!["odd rows → even rows".to_string()],
                cells(&split.odd_to_even).to_vec(),
            ]
            .concat(),
            [
                vec!["even rows → odd rows".to_string()],
                cells(&split.even_to_odd).to_vec(),
            ]
            .concat(),
        ];
        out.push_str(&table(
            format,
            &["calibrated on → checked on", "n", "r", "95% CI"],
            &rows,
        ));
    }
    out.push_str(
        "\nA profile calibrated on this same sample is fitted to its quirks as well as its signal, so its correlation here \
         is optimistic (capitalisation on chance). The split-half rows (--split-half) show the fit's validity on people the \
         calibration did not see: they are usually lower, and more to be trusted.\n",
    );
    out
}

fn comparisons(format: ReportFormat, report: &CriterionReport) -> String {
    let mut out = heading(
        format,
        2,
        "Comparing profiles on the same people (Williams's T2)",
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = report
        .comparisons
        .iter()
        .map(|c| {
            vec![
                format!("{} vs {}", c.first, c.second),
                c.n.to_string(),
                num(c.r_first, 2),
                num(c.r_second, 2),
                num(c.r_between, 2),
                num(c.test.map(|t| t.t), 2),
                num(c.test.map(|t| t.df), 0),
                num(c.test.map(|t| t.p), 4),
            ]
        })
        .collect();
    out.push_str(&table(
        format,
        &[
            "profiles",
            "n",
            "r first",
            "r second",
            "r between fits",
            "t",
            "df",
            "p",
        ],
        &rows,
    ));
    for c in &report.comparisons {
        out.push_str(&format!("\n{}\n", comparison_words(c)));
    }
    out
}

/// A comparison in words a consultant can quote.
fn comparison_words(c: &servicefit::analysis::criterion::ProfileComparison) -> String {
    match (c.r_first, c.r_second, c.test) {
        (Some(a), Some(b), Some(t)) => {
            let (better, worse) = if a >= b {
                (&c.first, &c.second)
            } else {
                (&c.second, &c.first)
            };
            let verdict = if t.p < 0.05 {
                format!("{better} predicts the rating better than {worse}")
            } else {
                format!(
                    "the difference between {better} and {worse} is within what chance produces"
                )
            };
            format!(
                "{}: r = {a:.2} against r = {b:.2} on the same {} people; Williams's t({:.0}) = {:.2}, p = {:.4}: {verdict} (two-sided, 5% level).",
                c.first, c.n, t.df, t.t, t.p
            )
        }
        _ => format!(
            "{} vs {}: not enough data to compare ({} people).",
            c.first, c.second, c.n
        ),
    }
}

fn cross_validation(format: ReportFormat, cv: &CrossValidation) -> String {
    let mut out = heading(
        format,
        2,
        &format!(
            "Cross-validated validity ({}, {} people)",
            cv.folds.words(),
            cv.n
        ),
    );
    out.push('\n');
    let mut rows = Vec::new();
    match &cv.calibrated_fit {
        Some(fit) => rows.push(
            [
                vec!["calibrated profile's fit".to_string(), "–".into()],
                cells(fit).to_vec(),
            ]
            .concat(),
        ),
        None => rows.push(vec![
            "calibrated profile's fit".into(),
            "–".into(),
            "–".into(),
            "–".into(),
            "not possible (below)".into(),
        ]),
    }
    for (name, c) in [
        ("regression composite", &cv.regression),
        ("unit-weighted composite", &cv.unit_weighted),
    ] {
        rows.push(
            [
                vec![name.to_string(), num(c.in_sample.r, 2)],
                cells(&c.cross_validated).to_vec(),
            ]
            .concat(),
        );
    }
    out.push_str(&table(
        format,
        &["predictor", "r in sample", "n", "r held out", "95% CI"],
        &rows,
    ));
    if let Some(note) = &cv.calibrated_fit_note {
        out.push_str(&format!("\nCalibrated fit not cross-validated: {note}.\n"));
    }
    out.push_str(&format!(
        "\nRegression composite: {}; Browne's (1975) estimate of its correlation in new samples: {}.\n\
         Unit-weighted composite: {}.\n\
         Each held-out r correlates predictions for people the predictor was not built on; pooled over the folds.\n",
        cv.regression.description,
        num(cv.regression_shrunken, 2),
        cv.unit_weighted.description
    ));
    out
}

fn differential(format: ReportFormat, report: &CriterionReport) -> String {
    let mut out = heading(
        format,
        2,
        "Differential prediction by group (Cleary's step-down regression)",
    );
    out.push('\n');
    let mut rows = Vec::new();
    for GroupPrediction { profile, test } in &report.differential {
        let Some(test) = test else {
            rows.push(vec![
                profile.clone(),
                "–".into(),
                "not testable: fewer than two groups, or too few people".into(),
                "–".into(),
                "–".into(),
                "–".into(),
            ]);
            continue;
        };
        for (what, step) in [("slope", &test.slopes), ("intercept", &test.intercepts)] {
            for term in &step.terms {
                rows.push(vec![
                    profile.clone(),
                    test.n.to_string(),
                    format!("{what}: {} − {}", term.group, test.reference),
                    num(Some(term.estimate), 4),
                    num(Some(term.std_error), 4),
                    num(Some(term.p), 4),
                ]);
            }
        }
    }
    out.push_str(&table(
        format,
        &["profile", "n", "difference", "estimate", "SE", "p"],
        &rows,
    ));
    for GroupPrediction { profile, test } in &report.differential {
        if let Some(test) = test {
            out.push_str(&format!("\n{}\n", cleary_words(profile, test)));
        }
    }
    out
}

/// Cleary's step-down result in words a consultant can quote (5% level, two-sided).
fn cleary_words(
    profile: &str,
    test: &servicefit::analysis::differential::DifferentialPrediction,
) -> String {
    let (df1, df2) = test.slopes.df;
    let slopes = format!(
        "{profile} (n = {}): slopes F({df1}, {df2}) = {:.2}, p = {:.4}",
        test.n, test.slopes.f, test.slopes.p
    );
    if test.slopes.p < 0.05 {
        return format!(
            "{slopes}: the fit predicts the rating differently in different groups, so one regression line does not \
             serve them all; by the step-down rule the intercepts are not interpreted."
        );
    }
    let (df1, df2) = test.intercepts.df;
    let mut words = format!(
        "{slopes}: no evidence that the fit predicts differently by group. Intercepts F({df1}, {df2}) = {:.2}, p = {:.4}",
        test.intercepts.f, test.intercepts.p
    );
    if test.intercepts.p < 0.05 {
        let terms: Vec<String> = test
            .intercepts
            .terms
            .iter()
            .map(|t| {
                let direction = if t.estimate < 0.0 { "lower" } else { "higher" };
                format!(
                    "{} are rated {:.2} {direction} than {} at equal fit",
                    t.group,
                    t.estimate.abs(),
                    test.reference
                )
            })
            .collect();
        words.push_str(&format!(
            ": {}; one common line would over-predict the ratings of a group rated lower at equal fit and \
             under-predict the other's.",
            terms.join("; ")
        ));
    } else {
        words.push_str(": no evidence that the fit over- or under-predicts any group's rating.");
    }
    words
}

/// What the corrected r is, and is not, in words.
fn correction_words(c: &servicefit::analysis::criterion::CorrectedValidity) -> String {
    let mut applied = Vec::new();
    if let Some(ryy) = c.criterion_reliability {
        applied.push(format!("the rating's unreliability (reliability {ryy})"));
    }
    if let Some(u) = c.range_ratio {
        applied.push(format!(
            "direct range restriction (applicants' fit SD {u} times these staff's; Thorndike case II)"
        ));
    }
    format!(
        "Corrected r (an estimate, not an observation): r corrected for {}. It estimates the validity in the applicant \
         pool against an error-free rating; the observed r is what the fit achieved here, and the one to quote as a result.",
        applied.join(" and ")
    )
}
