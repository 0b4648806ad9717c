//! `servicefit analyze`: reliability and item statistics of every scale, the
//! numbers a test manual reports.

use std::io::Write;
use std::path::PathBuf;

use super::io::{input_name, prepare_outputs, warn, warn_all, write_atomic};
use super::staff::{heading, num, report_rejections, table, ReportFormat, StaffArgs};
use super::{CliError, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::analysis::dataset::Columns;
use servicefit::analysis::{self, Analysis, ScaleAnalysis, DEFAULT_MIN_ALPHA};
use servicefit::provenance::{InputDigest, ENGINE};

/// Arguments of `analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    staff: StaffArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Warn for scales whose alpha is below this.
    #[arg(long, value_name = "ALPHA", value_parser = super::input::number, default_value_t = DEFAULT_MIN_ALPHA)]
    min_alpha: f64,
    /// Write the report to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Test every item for differential functioning between the groups of this column
    /// (ordinal logistic regression; keeps each scale's complete answers in memory).
    #[arg(long, value_name = "COLUMN")]
    group: Option<String>,
    /// Keep respondents whose answers `score` calls invalid (left out by default).
    #[arg(long)]
    keep_invalid: bool,
}

/// Runs `analyze`.
pub fn run(args: Args) -> Result<u8, CliError> {
    if let Some(out) = &args.out {
        prepare_outputs(&args.staff.inputs(), &[out])?;
    }
    let (questionnaire, min_share) = args.staff.questionnaire()?;
    let q = &questionnaire.value;
    let columns = Columns {
        group: args.group.clone(),
        performance: None,
    };
    let mut reader = args.staff.open(q, &columns)?;
    if !args.keep_invalid {
        reader.leave_out_invalid();
    }
    let analysis = analysis::analyze(&mut reader, q, min_share, args.min_alpha)?;
    let (sha256, _) = reader.input().digest();
    warn_all(&reader.notes());
    report_rejections(&input_name(&args.staff.input), &analysis.rejections);
    if let Some(w) = analysis.repeated_ids.warning() {
        warn(&w);
    }
    for scale in &analysis.scales {
        for w in &scale.warnings {
            warn(&format!("{}: {w}", scale.name));
        }
        if let Some(reason) = &scale.unavailable {
            warn(&format!("{}: no reliability: {reason}", scale.name));
        }
    }
    let text = match args.format {
        ReportFormat::Json => {
            let value = serde_json::json!({
                "engine": ENGINE,
                "input": { "name": super::io::input_name(&args.staff.input), "sha256": sha256 },
                "questionnaire": questionnaire.record,
                "min_answered_share": min_share,
                "missing_data": "pairwise-complete covariances, as R psych alpha(use = \"pairwise\")",
                "analysis": analysis,
            });
            serde_json::to_string_pretty(&value)? + "\n"
        }
        format => render(
            format,
            &analysis,
            &super::io::input_name(&args.staff.input),
            min_share,
        ),
    };
    match args.out.as_deref() {
        Some(path) if path != std::path::Path::new("-") => {
            write_atomic(path, |out| out.write_all(text.as_bytes()))?
        }
        _ => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
    }
    say!(
        "rows read {} = analysed {} + invalid answers left out {} + rejected {}",
        analysis.rows_read,
        analysis.rows_used,
        analysis.rows_invalid,
        analysis.rejections.len()
    );
    Ok(if analysis.rejections.is_empty() {
        EXIT_OK
    } else {
        EXIT_REJECTED_ROWS
    })
}

fn render(format: ReportFormat, analysis: &Analysis, input: &str, min_share: f64) -> String {
    let mut out = heading(format, 1, &format!("Reliability analysis of {input}"));
    out.push_str(&format!(
        "\n{} respondents analysed ({} rows read, {} left out because their answers are invalid, {} rejected). Scale scores need {:.0}% of a scale's items answered. \
         Missing answers are handled pairwise, as R psych's alpha() does: each covariance uses everyone who answered both items. \
         Item means and frequencies are on the keyed answers (reverse-keyed items mirrored) and the raw answers respectively.\n\n",
        analysis.rows_used,
        analysis.rows_read,
        analysis.rows_invalid,
        analysis.rejections.len(),
        min_share * 100.0
    ));
    let summary: Vec<Vec<String>> = analysis
        .scales
        .iter()
        .map(|s| {
            let rel = s.reliability.as_ref();
            vec![
                s.name.clone(),
                s.items.to_string(),
                s.n.to_string(),
                num(s.mean, 2),
                num(s.sd, 2),
                num(rel.map(|r| r.alpha), 3),
                num(rel.and_then(|r| r.omega_total), 3),
                num(rel.map(|r| r.alpha_standardized), 3),
                num(rel.and_then(|r| r.lambda6), 3),
                num(rel.map(|r| r.average_r), 3),
            ]
        })
        .collect();
    out.push_str(&table(
        format,
        &[
            "scale",
            "items",
            "n",
            "mean",
            "sd",
            "alpha",
            "omega",
            "std alpha",
            "lambda-6",
            "mean r",
        ],
        &summary,
    ));
    for scale in &analysis.scales {
        out.push('\n');
        out.push_str(&scale_section(format, analysis, scale));
    }
    out
}

fn scale_section(format: ReportFormat, analysis: &Analysis, scale: &ScaleAnalysis) -> String {
    let mut out = heading(format, 2, &format!("{} ({})", scale.name, scale.scale));
    out.push('\n');
    let mut headers = vec![
        "item",
        "n",
        "mean",
        "sd",
        "r.drop",
        "r.cor",
        "alpha if deleted",
    ];
    let values: Vec<String> = analysis.values.iter().map(i32::to_string).collect();
    headers.extend(values.iter().map(String::as_str));
    headers.push("missing");
    let rows: Vec<Vec<String>> = scale
        .frequencies
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let item = scale.reliability.as_ref().map(|r| &r.items[i]);
            let mut row = vec![
                f.id.clone(),
                item.map_or("–".into(), |s| s.n.to_string()),
                num(item.map(|s| s.mean), 2),
                num(item.map(|s| s.sd), 2),
                num(item.map(|s| s.r_drop), 3),
                num(item.map(|s| s.r_cor), 3),
                num(item.map(|s| s.alpha_if_deleted), 3),
            ];
            row.extend(f.shares.iter().map(|s| num(Some(*s), 2)));
            row.push(num(Some(f.missing), 2));
            row
        })
        .collect();
    out.push_str(&table(format, &headers, &rows));
    if let Some(rel) = scale
        .reliability
        .as_ref()
        .filter(|r| !r.omega_reversed.is_empty())
    {
        out.push_str(&format!(
            "\nWarning: {} load(s) negatively on the scale's factor: check the keying; omega counts them reversed, as psych's omega does\n",
            rel.omega_reversed.join(", ")
        ));
    }
    if let Some(dif) = &scale.dif {
        out.push('\n');
        out.push_str(&dif_section(format, dif));
    }
    for w in &scale.warnings {
        out.push_str(&format!("\nWarning: {w}\n"));
    }
    if let Some(reason) = &scale.unavailable {
        out.push_str(&format!("\nNo reliability: {reason}\n"));
    }
    out
}

fn dif_section(format: ReportFormat, dif: &[servicefit::analysis::dif::ItemDif]) -> String {
    let mut out = heading(
        format,
        3,
        "Differential item functioning (ordinal logistic regression)",
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = dif
        .iter()
        .map(|d| {
            vec![
                d.item.clone(),
                d.n.to_string(),
                format!("{:.2} ({})", d.uniform.chi_square, d.uniform.df),
                num(Some(d.uniform.p), 4),
                format!("{:.2} ({})", d.total.chi_square, d.total.df),
                num(Some(d.total.p), 4),
                num(Some(d.delta_r2), 3),
                d.level.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        format,
        &[
            "item",
            "n",
            "uniform χ² (df)",
            "p",
            "total χ² (df)",
            "p",
            "ΔR²",
            "DIF",
        ],
        &rows,
    ));
    let flagged: Vec<&str> = dif
        .iter()
        .filter(|d| d.level != "negligible")
        .map(|d| d.item.as_str())
        .collect();
    out.push_str(&if flagged.is_empty() {
        "\nNo item is flagged (flagged: total DIF p < 0.01 and ΔR² ≥ 0.035).\n".to_string()
    } else {
        format!(
            "\nFlagged for review, not removed: {} (total DIF p < 0.01 and ΔR² ≥ 0.035; large from 0.070).\n",
            flagged.join(", ")
        )
    });
    out
}
