//! `servicefit audit`: adverse-impact figures from scored results and group data.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::folder::check_listed;
use super::io::{input_name, open_input, prepare_outputs, warn, write_atomic};
use super::overwrite::Inputs;
use super::{CliError, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::audit::groups::GroupFile;
use servicefit::audit::report::{self, AuditFormat};
use servicefit::audit::results::{Results, ResultsFormat, ResultsProvenance};
use servicefit::audit::selection::Selection;
use servicefit::audit::{self, Audit, AuditOptions, ExclusionReason};
use servicefit::limits::{read_to_string_capped, MAX_DATA_FILE_BYTES};
use servicefit::provenance::sha256_hex;

/// Unreadable rows listed on stderr.
const SHOWN: usize = 20;

/// Arguments of `audit`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("selection").required(true).args(["selected", "rule", "band"]))]
pub struct Args {
    /// Results written by `servicefit score` (CSV, JSON Lines or JSON); `-` reads stdin.
    #[arg(value_name = "RESULTS")]
    results: PathBuf,
    /// Group column (sex, ethnicity, age band ...); give two for their intersection too.
    #[arg(long = "group", value_name = "COLUMN", required = true)]
    groups: Vec<String>,
    /// Selected = this column says 1/true/yes/y/selected/hired (0/false/no/n/rejected/empty = not).
    #[arg(long, value_name = "COLUMN")]
    selected: Option<String>,
    /// Selected = a rule on a score, e.g. 'fit>=70' or 'trust_sten>6' (>=, >, <=, <).
    #[arg(long, value_name = "RULE")]
    rule: Option<String>,
    /// Selected = fit band this good or better (weak, partial, good, strong).
    #[arg(long, value_name = "BAND")]
    band: Option<String>,
    /// CSV of group data (and decisions) kept apart from the responses, joined on --on.
    #[arg(long = "groups", value_name = "FILE")]
    group_file: Option<PathBuf>,
    /// The group file's candidate id column.
    #[arg(
        long,
        value_name = "COLUMN",
        default_value = "candidate_id",
        requires = "group_file"
    )]
    on: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Terminal)]
    format: FormatArg,
    /// Write to FILE (atomically) instead of stdout; a CSV gets FILE's .provenance.json beside it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Audit date to print (YYYY-MM-DD); no clock is read.
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// Confidence level of the impact ratios' intervals (0.95 or 95%).
    #[arg(long, value_name = "LEVEL", value_parser = super::input::share, default_value_t = servicefit::audit::DEFAULT_AUDIT_CONFIDENCE)]
    confidence: f64,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Terminal,
    Csv,
    Json,
    Markdown,
    Html,
}

impl From<FormatArg> for AuditFormat {
    fn from(arg: FormatArg) -> AuditFormat {
        match arg {
            FormatArg::Terminal => AuditFormat::Terminal,
            FormatArg::Csv => AuditFormat::Csv,
            FormatArg::Json => AuditFormat::Json,
            FormatArg::Markdown => AuditFormat::Markdown,
            FormatArg::Html => AuditFormat::Html,
        }
    }
}

fn selection(args: &Args) -> Result<Selection, CliError> {
    Ok(match (&args.selected, &args.rule, &args.band) {
        (Some(column), _, _) => Selection::Column {
            column: column.clone(),
        },
        (_, Some(rule), _) => Selection::rule(rule)?,
        (_, _, Some(band)) => Selection::band(band)?,
        // clap's required "selection" group guarantees one of the three.
        _ => return Err("give one of --selected, --rule or --band".into()),
    })
}

/// The side file `score --out` writes beside results.csv: `results.provenance.json`.
pub fn side_file(results: &Path) -> PathBuf {
    results.with_extension("provenance.json")
}

/// Runs `audit`.
pub fn run(args: Args) -> Result<u8, CliError> {
    if let Some(out) = &args.out {
        let mut inputs = Inputs::new([args.results.as_path(), &side_file(&args.results)]);
        if let Some(groups) = &args.group_file {
            inputs.add(groups);
        }
        prepare_outputs(&inputs, &[out, &side_file(out)])?;
    }
    let options = AuditOptions::new(args.groups.clone(), selection(&args)?, args.date.as_deref())?
        .with_confidence(args.confidence)?;
    let name = input_name(&args.results);
    let mut results = Results::read(open_input(&args.results)?, &name, &options.wanted_fields())?;
    if args.results != Path::new("-") {
        check_listed(&args.results, &results.sha256)?;
    }
    if results.format == ResultsFormat::Csv {
        if args.results == Path::new("-") {
            warn("results CSV read from stdin: no provenance side file to read, the audit cannot say what scored them");
        } else {
            results.provenance = read_side_file(&side_file(&args.results))?;
        }
    }
    let group_file = match &args.group_file {
        Some(path) => Some(GroupFile::read(
            open_input(path)?,
            &input_name(path),
            &args.on,
        )?),
        None => None,
    };
    let audit = audit::audit(&results, group_file.as_ref(), &options)?;
    if audit.counts.audited == 0 && audit.counts.unreadable_selection > 0 {
        tell(&audit);
        return Err(format!(
            "{name}: no candidate's selection value was recognised, so there is nothing to audit; expected: {}",
            audit.selection_rule
        )
        .into());
    }
    let format = AuditFormat::from(args.format);
    match &args.out {
        Some(path) => {
            write_atomic(path, |out| report::write(&audit, format, out))?;
            if format == AuditFormat::Csv {
                write_atomic(&side_file(path), |out| {
                    report::write_provenance(&audit, out)
                })?;
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            report::write(&audit, format, &mut stdout)?;
            stdout.flush()?;
        }
    }
    Ok(tell(&audit))
}

fn read_side_file(path: &Path) -> Result<Option<ResultsProvenance>, CliError> {
    if !path.is_file() {
        warn(&format!(
            "no provenance beside the results ({} not found): the audit cannot say what scored them",
            path.display()
        ));
        return Ok(None);
    }
    let text = std::fs::File::open(path)
        .and_then(|file| read_to_string_capped(file, MAX_DATA_FILE_BYTES))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    check_listed(path, &sha256_hex(text.as_bytes()))?;
    let value: serde_json::Value = servicefit::json::from_str(&text)
        .map_err(|e| format!("{}: not valid JSON: {e}", path.display()))?;
    Ok(Some(ResultsProvenance::from_value(
        &value,
        &format!("side file {}", path.display()),
    )))
}

/// Reports unreadable rows on stderr and returns the exit code.
fn tell(audit: &Audit) -> u8 {
    let unreadable: Vec<_> = audit
        .exclusions
        .iter()
        .filter(|e| {
            matches!(
                e.reason,
                ExclusionReason::UnreadableFit | ExclusionReason::UnreadableSelection
            )
        })
        .collect();
    for e in unreadable.iter().take(SHOWN) {
        let what = match e.reason {
            ExclusionReason::UnreadableFit => "fit is not a number",
            _ => "selection value not recognised",
        };
        // The id and value come from the results file.
        let line = format!(
            "left out line {} ({}): {what}: '{}'",
            e.line,
            e.id,
            e.value.as_deref().unwrap_or("")
        );
        say!("{}", servicefit::text::terminal(&line));
    }
    if unreadable.len() > SHOWN {
        say!("... and {} more", unreadable.len() - SHOWN);
    }
    say!("{}", report::counts_line(audit));
    if unreadable.is_empty() {
        EXIT_OK
    } else {
        EXIT_REJECTED_ROWS
    }
}
