//! `servicefit norms build` and `servicefit norms merge`: local norms from
//! staff or applicant data, in one run or split into partials and merged.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::io::{input_name, prepare_outputs, warn, warn_all, write_atomic};
use super::overwrite::Inputs;
use super::staff::{report_rejections, StaffArgs};
use super::{CliError, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::analysis::dataset::{Columns, RepeatedIds};
use servicefit::analysis::normbuild::{NormSample, NormSpec, Partial, Source};
use servicefit::limits::{read_to_string_capped, MAX_DATA_FILE_BYTES};
use servicefit::norms::NormSet;
use servicefit::provenance::InputDigest;

/// Arguments of `norms`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: NormsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum NormsCommand {
    /// Build a norm file (or a partial) from a response file.
    #[command(
        after_help = "Examples:\n  servicefit norms build staff.csv --name acme-2025 --out acme-norms.json\n  \
servicefit norms build staff.csv --group site --name acme-sites --out sites.json --date 2025-03\n  \
servicefit norms build part1.csv --name acme --partial --out part1.partial.json"
    )]
    Build(BuildArgs),
    /// Merge partials into the norms one run over all their data gives.
    #[command(
        after_help = "Example:\n  servicefit norms merge part1.partial.json part2.partial.json --name acme --out acme-norms.json"
    )]
    Merge(MergeArgs),
}

/// Arguments of `norms build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    staff: StaffArgs,
    /// Column naming each respondent's norm group (e.g. site or sector); one norm group per value.
    #[arg(long, value_name = "COLUMN")]
    group: Option<String>,
    /// Keep respondents whose answers `score` calls invalid (left out by default).
    #[arg(long)]
    keep_invalid: bool,
    #[command(flatten)]
    output: OutputArgs,
}

/// Arguments of `norms merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Partial files written by `norms build --partial`.
    #[arg(value_name = "PARTIAL", required = true)]
    partials: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, clap::Args)]
struct OutputArgs {
    /// Id of the norm set (pass it to `score --norms`; shown in every report).
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Output file.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Write sufficient statistics to merge later instead of norms.
    #[arg(long)]
    partial: bool,
    /// Date of the data, recorded in the provenance (omitted if not given, so outputs stay reproducible).
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
}

/// Runs `norms`.
pub fn run(args: Args) -> Result<u8, CliError> {
    match args.command {
        NormsCommand::Build(args) => build(args),
        NormsCommand::Merge(args) => merge(args),
    }
}

fn build(args: BuildArgs) -> Result<u8, CliError> {
    prepare_outputs(&args.staff.inputs(), &[&args.output.out])?;
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
    let mut sample = NormSample::new(q, min_share, args.group.clone());
    let (mut read, mut rejections) = (0u64, Vec::new());
    let mut ids = RepeatedIds::default();
    while let Some(row) = reader.next_record()? {
        read += 1;
        match row {
            Ok(record) => {
                ids.add(&record.id);
                sample.add(q, record.group.as_deref(), &record.answers);
            }
            Err(rejection) => rejections.push(rejection),
        }
    }
    let (sha256, _) = reader.input().digest();
    warn_all(&reader.notes());
    let invalid = reader.left_out_invalid();
    read += invalid;
    sample.add_source(Source {
        sha256,
        rows_read: read,
        rows_rejected: rejections.len() as u64,
        rows_invalid: invalid,
    });
    let name = input_name(&args.staff.input);
    report_rejections(&name, &rejections);
    if let Some(w) = ids.repeats().warning() {
        warn(&w);
    }
    if read == rejections.len() as u64 + invalid && !args.output.partial {
        return Err(format!(
            "{name}: no usable rows ({read} read, {} rejected); expected respondents' answers to build norms from",
            rejections.len()
        )
        .into());
    }
    let left_out = write_output(&sample, &args.output, Some(q))?;
    let rejected = rejections.len() as u64;
    let used = read - rejected - left_out - invalid;
    let invalid = match invalid {
        0 => String::new(),
        n => format!(" + invalid answers left out {n}"),
    };
    if left_out > 0 {
        say!("rows read {read} = used {used} + in groups left out {left_out}{invalid} + rejected {rejected}");
    } else {
        say!("rows read {read} = used {used}{invalid} + rejected {rejected}");
    }
    Ok(if rejections.is_empty() {
        EXIT_OK
    } else {
        EXIT_REJECTED_ROWS
    })
}

fn merge(args: MergeArgs) -> Result<u8, CliError> {
    let inputs = Inputs::new(args.partials.iter().map(PathBuf::as_path));
    prepare_outputs(&inputs, &[&args.output.out])?;
    let mut merged: Option<NormSample> = None;
    for path in &args.partials {
        let name = input_name(path);
        let text = std::fs::File::open(path)
            .and_then(|file| read_to_string_capped(file, MAX_DATA_FILE_BYTES))
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        let partial: Partial = servicefit::json::from_str(&text).map_err(|e| {
            format!("{name}: not a partial norm file at line {}, column {}: {e}; expected the output of `norms build --partial`", e.line(), e.column())
        })?;
        let sample = NormSample::from_partial(&partial, &name)?;
        match merged.as_mut() {
            None => merged = Some(sample),
            Some(m) => m.merge(&sample, &name)?,
        }
    }
    let merged = merged.ok_or("no partial files given")?;
    write_output(&merged, &args.output, None)?;
    Ok(EXIT_OK)
}

/// Writes the norms (or the partial); returns the respondents in groups left out of the norms.
fn write_output(
    sample: &NormSample,
    output: &OutputArgs,
    questionnaire: Option<&servicefit::questionnaire::Questionnaire>,
) -> Result<u64, CliError> {
    if output.name.trim().is_empty() {
        return Err("--name: expected a non-empty id for the norm set".into());
    }
    let mut left_out = 0;
    let text = if output.partial {
        serde_json::to_string_pretty(&sample.partial())? + "\n"
    } else {
        let built = sample.norm_set(&NormSpec {
            id: output.name.clone(),
            date: output.date.clone(),
        })?;
        for w in &built.warnings {
            warn(w);
        }
        left_out = built.left_out.iter().map(|g| g.respondents).sum();
        let text = serde_json::to_string_pretty(&built.norm_set)? + "\n";
        // The file must load as any user norm file would.
        let check = NormSet::from_json(&text, &output.out.display().to_string())?;
        if let Some(q) = questionnaire {
            check.check_against(q, &output.out.display().to_string())?;
        }
        text
    };
    write_out(&output.out, &text)?;
    say!(
        "wrote {} {}",
        if output.partial { "partial" } else { "norms" },
        output.out.display()
    );
    Ok(left_out)
}

fn write_out(path: &Path, text: &str) -> Result<(), CliError> {
    if path == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        return Ok(stdout.flush()?);
    }
    write_atomic(path, |out| out.write_all(text.as_bytes()))
}
