//! `servicefit compare`: two to eight candidates side by side, saying which
//! differences are larger than measurement error.

use std::io::Write;
use std::path::PathBuf;

use super::input::parse_delimiter;
use super::io::{input_name, open_input, stdout_colour, warn};
use super::score::assessment;
use super::{CliError, DataArgs, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::assessment::{CandidateResult, Options};
use servicefit::batch::{score_all, Batch};
use servicefit::compare::{self, MAX_CANDIDATES, MIN_CANDIDATES};
use servicefit::ingest::duplicate::DuplicatePolicy;
use servicefit::provenance::{HashingReader, InputDigest};
use servicefit::report::{Format, InputRecord, Run};
use servicefit::response::{ReadOptions, ResponseReader};

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Response CSV (as for `score`); `-` reads stdin.
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// Role profile: a built-in id (see `servicefit roles`) or a profile file.
    #[arg(long, value_name = "ID|PATH")]
    role: String,
    /// Candidates to compare, in the order to show them (2 to 8 ids, comma-separated).
    /// Default: the file's candidates in rank order, at most the top 8.
    #[arg(long, value_name = "A,B,...", value_delimiter = ',', value_parser = trimmed)]
    ids: Vec<String>,
    /// Output: an aligned table, a self-contained HTML page, or Markdown.
    #[arg(long, value_enum, default_value_t = CompareFormat::Terminal)]
    format: CompareFormat,
    /// Name of the column holding candidate ids.
    #[arg(long, value_name = "NAME")]
    id_column: Option<String>,
    /// Field delimiter of the input (one character; `\t` for tab).
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// Confidence level of intervals and of "real difference".
    #[arg(long, value_name = "LEVEL", default_value_t = servicefit::assessment::DEFAULT_CONFIDENCE)]
    confidence: f64,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CompareFormat {
    Terminal,
    Html,
    Markdown,
}

/// Runs `compare`.
pub fn run(args: Args) -> Result<u8, CliError> {
    let options = Options {
        norm_group: args.data.norm_group.clone(),
        min_answered_share: None,
        confidence: args.confidence,
    };
    let assessment = assessment(&args.data, &args.role, options)?;
    let read_options = ReadOptions {
        id_column: args.id_column.clone(),
        delimiter: parse_delimiter(args.delimiter.as_deref())?,
        // Every row reaches `choose`, which refuses an id on several rows as ambiguous.
        duplicates: DuplicatePolicy::KeepAll,
        ..ReadOptions::default()
    };
    let name = input_name(&args.input);
    let mut reader = ResponseReader::new(
        HashingReader::new(open_input(&args.input)?),
        assessment.questionnaire(),
        &read_options,
        &name,
    )?;
    let batch = score_all(&mut reader, &assessment)?;
    let (sha256, bytes) = reader.input().digest();
    let input = InputRecord {
        name: name.clone(),
        sha256,
        bytes,
    };
    if !batch.rejections.is_empty() {
        warn(&format!(
            "{} row(s) of {name} could not be scored (see `servicefit score {name} --out DIR`)",
            batch.rejections.len()
        ));
    }
    let chosen = choose(&batch, &args.ids, &name)?;
    let comparison = compare::compare(&assessment, chosen)?;
    let run = Run {
        assessment: &assessment,
        input: &input,
    };
    let format = match args.format {
        CompareFormat::Terminal => Format::Terminal {
            colour: stdout_colour(),
        },
        CompareFormat::Html => Format::Html,
        CompareFormat::Markdown => Format::Markdown,
    };
    let mut stdout = std::io::stdout().lock();
    let mut writer = format.writer(&mut stdout);
    writer.comparison(&run, &comparison)?;
    drop(writer);
    stdout.flush()?;
    Ok(if batch.rejections.is_empty() {
        EXIT_OK
    } else {
        EXIT_REJECTED_ROWS
    })
}

/// An id as typed in a list, without the spaces around it (`--ids "ann, bob"`).
fn trimmed(id: &str) -> Result<String, String> {
    Ok(id.trim().to_string())
}

/// The candidates named by `ids` in that order, or the top of the ranking.
fn choose(batch: &Batch, ids: &[String], input: &str) -> Result<Vec<CandidateResult>, CliError> {
    if ids.is_empty() {
        if batch.results.len() < MIN_CANDIDATES {
            return Err(format!(
                "{input} has {} scored candidate(s); compare needs at least {MIN_CANDIDATES}",
                batch.results.len()
            )
            .into());
        }
        if batch.results.len() > MAX_CANDIDATES {
            warn(&format!(
                "comparing the top {MAX_CANDIDATES} of {} candidates by rank; name others with --ids",
                batch.results.len()
            ));
        }
        return Ok(batch.results.iter().take(MAX_CANDIDATES).cloned().collect());
    }
    if !(MIN_CANDIDATES..=MAX_CANDIDATES).contains(&ids.len()) {
        return Err(format!(
            "--ids names {} candidate(s); expected {MIN_CANDIDATES} to {MAX_CANDIDATES}, e.g. --ids ann,bob",
            ids.len()
        )
        .into());
    }
    let mut chosen = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(format!("--ids names '{id}' twice").into());
        }
        chosen.push(find(batch, id, input)?);
    }
    Ok(chosen)
}

fn find(batch: &Batch, id: &str, input: &str) -> Result<CandidateResult, CliError> {
    let found: Vec<&CandidateResult> = batch.results.iter().filter(|r| r.id == id).collect();
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let rejected = batch
                .rejections
                .iter()
                .find(|r| r.id.as_deref() == Some(id))
                .map(|r| format!(" (row {} was rejected: {})", r.row, reasons(r)))
                .unwrap_or_default();
            Err(
                format!("candidate '{id}' not found among the scored rows of {input}{rejected}")
                    .into(),
            )
        }
        many => {
            let rows: Vec<String> = many.iter().map(|r| r.row.to_string()).collect();
            Err(format!(
                "candidate id '{id}' appears on rows {} of {input}; ids must be unique to compare",
                rows.join(", ")
            )
            .into())
        }
    }
}

fn reasons(rejection: &servicefit::response::Rejection) -> String {
    rejection
        .problems
        .iter()
        .map(|p| p.reason.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
