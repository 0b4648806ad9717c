//! `servicefit compare`: two to eight candidates side by side, saying which
//! differences are larger than measurement error.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::input::{warn_layout, InputArgs};
use super::io::{input_name, open_input, print_rejections, stdout_colour, warn, warn_all};
use super::score::assessment;
use super::width::WidthArgs;
use super::{CliError, DataArgs, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::assessment::{CandidateResult, Options};
use servicefit::batch::{score_all, Batch};
use servicefit::compare::{self, MAX_CANDIDATES, MIN_CANDIDATES};
use servicefit::ingest::duplicate::key;
use servicefit::ingest::identity::IdSource;
use servicefit::provenance::{HashingReader, InputDigest};
use servicefit::report::{Format, InputRecord, Run};
use servicefit::response::ResponseReader;

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Response file, read as by `score` (a plain CSV, a survey-tool export or a spreadsheet); `-` reads stdin.
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// Role profile: a built-in id (see `servicefit roles`) or a profile file.
    #[arg(long, value_name = "ID|PATH")]
    role: String,
    /// Candidates to compare, in the order to show them (2 to 8 ids or names, comma-separated).
    /// Default: the file's candidates in rank order, at most the top 8.
    #[arg(long, value_name = "A,B,...", value_delimiter = ',', value_parser = trimmed)]
    ids: Vec<String>,
    /// Output: an aligned table, a self-contained HTML page, or Markdown.
    #[arg(long, value_enum, default_value_t = CompareFormat::Terminal)]
    format: CompareFormat,
    #[command(flatten)]
    read: InputArgs,
    /// Confidence level of intervals and of "real difference" (0.9 or 90%).
    #[arg(long, value_name = "LEVEL", value_parser = super::input::share, default_value_t = servicefit::assessment::DEFAULT_CONFIDENCE)]
    confidence: f64,
    #[command(flatten)]
    width: WidthArgs,
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
        min_answered_share: args.read.min_answered,
        confidence: args.confidence,
    };
    let assessment = assessment(&args.data, &args.role, options)?;
    // Read exactly as `score` does (no --unsorted here), so both see the same candidates.
    let read_options = args.read.read_options(assessment.questionnaire(), false)?;
    let name = input_name(&args.input);
    let mut reader = ResponseReader::new(
        HashingReader::new(open_input(&args.input)?),
        assessment.questionnaire(),
        &read_options,
        &name,
    )?;
    warn_layout(reader.layout());
    assessment.note_missing_validity_items(&reader.layout().missing_validity_items);
    let row_ids = reader.layout().id == IdSource::RowNumber;
    let batch = score_all(&mut reader, &assessment)?;
    warn_all(&reader.notes());
    let (sha256, bytes) = reader.input().digest();
    let input = InputRecord {
        name: name.clone(),
        sha256,
        bytes,
    };
    print_rejections(&name, &batch.rejections, &score_hint(&args.input));
    let chosen = choose(&batch, &args.ids, &name, row_ids)?;
    let comparison = compare::compare(&assessment, chosen)?;
    let run = Run {
        assessment: &assessment,
        input: &input,
    };
    let format = match args.format {
        CompareFormat::Terminal => Format::Terminal {
            colour: stdout_colour(),
            width: args.width.columns(),
        },
        CompareFormat::Html => Format::Html,
        CompareFormat::Markdown => Format::Markdown,
    };
    let mut stdout = std::io::stdout().lock();
    let mut writer = format.writer(&mut stdout);
    writer.comparison(&run, &comparison)?;
    drop(writer);
    stdout.flush()?;
    Ok(if batch.summary.rejected == 0 {
        EXIT_OK
    } else {
        EXIT_REJECTED_ROWS
    })
}

/// Where to see every row that was not scored: a runnable `score` command
/// that reads the input as this `compare` did and writes rejects.csv.
fn score_hint(input: &Path) -> String {
    // `args_os`: `args` panics on an argument that is not UTF-8, such as a file name.
    let args = std::env::args_os().skip(1);
    let command = score_command(args.map(|a| a.to_string_lossy().into_owned()));
    if input == Path::new("-") {
        format!("pipe the same input into `{command}` to get them all in DIR/rejects.csv")
    } else {
        format!("`{command}` writes them all to DIR/rejects.csv")
    }
}

/// This command line as `score`: `compare` becomes `score`, `--ids` and
/// `--format` (compare's own) are left out, and `--out DIR` is added.
fn score_command(args: impl Iterator<Item = String>) -> String {
    let mut words = vec!["servicefit".to_string()];
    let mut args = args.peekable();
    if args.next_if(|a| a == "compare").is_some() {
        words.push("score".into());
    }
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--ids" | "--format" => {
                args.next();
            }
            a if a.starts_with("--ids=") || a.starts_with("--format=") => {}
            a => words.push(shell_word(a)),
        }
    }
    words.push("--out DIR".into());
    words.join(" ")
}

/// `word` as a POSIX shell reads it back: bare when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// An id as typed in a list, without the spaces around it (`--ids "ann, bob"`).
fn trimmed(id: &str) -> Result<String, String> {
    Ok(id.trim().to_string())
}

/// The candidates named by `ids` in that order, or the top of the ranking.
/// `row_ids` says the file has no id column, so ids are row numbers.
fn choose(
    batch: &Batch,
    ids: &[String],
    input: &str,
    row_ids: bool,
) -> Result<Vec<CandidateResult>, CliError> {
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
        if ids[..i].iter().any(|other| key(other) == key(id)) {
            return Err(format!("--ids names '{id}' twice").into());
        }
        chosen.push(find(batch, id, input, row_ids)?);
    }
    Ok(chosen)
}

/// The candidate `id` names, its id compared as the duplicates rule compares
/// ids (`Ann@X.com` is `ann@x.com`), so that what `score` counts as one person
/// compare finds by either spelling; else the one candidate of that name
/// (ignoring case), when the file has names.
fn find(batch: &Batch, id: &str, input: &str, row_ids: bool) -> Result<CandidateResult, CliError> {
    let wanted = key(id);
    let mut found: Vec<&CandidateResult> = (batch.results.iter())
        .filter(|r| key(&r.id) == wanted)
        .collect();
    if found.is_empty() {
        found = (batch.results.iter())
            .filter(|r| {
                !r.name.is_empty() && r.name.trim().to_lowercase() == id.trim().to_lowercase()
            })
            .collect();
        if found.len() > 1 {
            let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
            return Err(format!(
                "the name '{id}' is shared by candidates {} of {input}; name one by its id",
                ids.join(", ")
            )
            .into());
        }
    }
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let rejected = batch
                .rejections
                .iter()
                .find(|r| r.id.as_deref().map(key) == Some(wanted.clone()))
                .map(|r| format!(" (row {} was rejected: {})", r.row, reasons(r)))
                .unwrap_or_default();
            let hint = if row_ids {
                let rows: Vec<&str> = batch
                    .results
                    .iter()
                    .take(2)
                    .map(|r| r.id.as_str())
                    .collect();
                format!(
                    ": the file has no id column, so each candidate's id is their row number \
(e.g. --ids {}); name the id column with --id-column",
                    rows.join(",")
                )
            } else {
                known_ids(batch)
            };
            Err(format!(
                "candidate '{id}' not found among the scored rows of {input}{rejected}{hint}"
            )
            .into())
        }
        many => {
            let mut rows: Vec<u64> = many.iter().map(|r| r.row).collect();
            rows.sort_unstable();
            let rows: Vec<String> = rows.iter().map(u64::to_string).collect();
            Err(format!(
                "candidate id '{id}' appears on rows {} of {input}; ids must be unique to compare \
(--duplicates latest, the default, keeps each candidate's last submission)",
                rows.join(", ")
            )
            .into())
        }
    }
}

/// The ids the file has, as a hint after "not found": all of them when few,
/// else the first few by rank and the count.
fn known_ids(batch: &Batch) -> String {
    const SHOWN: usize = 10;
    let shown: Vec<String> = (batch.results.iter().take(SHOWN))
        .map(|r| r.shown().into_owned())
        .collect();
    let more = match batch.results.len() {
        n if n > SHOWN => format!(", … ({n} in all)"),
        _ => String::new(),
    };
    format!("; the ids it has: {}{more}", shown.join(", "))
}

fn reasons(rejection: &servicefit::response::Rejection) -> String {
    rejection
        .problems
        .iter()
        .map(|p| p.reason.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
