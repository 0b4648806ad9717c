//! `servicefit score`: rank the candidates of a response file for a role.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::io::{ensure_dir, input_name, open_input, stdout_colour, warn, write_atomic};
use super::pages::write_pages;
use super::{CliError, DataArgs, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::assessment::{Assessment, Options};
use servicefit::batch::{score_all, Batch};
use servicefit::data;
use servicefit::provenance::{HashingReader, InputDigest};
use servicefit::report::{self, Format, InputRecord, Run};
use servicefit::response::{Layout, ReadOptions, Rejection, ResponseReader};

/// Rejected rows listed on stderr before the rest are left to rejects.csv.
const REJECTS_SHOWN: usize = 20;

/// Arguments of `score`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Response CSV: a header row, an id column, one column per item id; `-` reads stdin.
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// Role profile: a built-in id (see `servicefit roles`) or a profile file.
    #[arg(long, value_name = "ID|PATH")]
    role: String,
    /// Output format on stdout (with --out, results.csv and results.jsonl are always written;
    /// html and markdown add index.html|md and a page per candidate in candidates/).
    #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
    format: FormatArg,
    /// Folder to write results.csv, results.jsonl, rejects.csv (and the pages) into, instead of stdout.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Name of the column holding candidate ids.
    #[arg(long, value_name = "NAME")]
    id_column: Option<String>,
    /// Field delimiter of the input (one character; `\t` for tab).
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// Minimum share of a scale's items answered for a score (0..1; 0 = one item suffices).
    #[arg(long, value_name = "SHARE")]
    min_answered: Option<f64>,
    /// Confidence level of every interval.
    #[arg(long, value_name = "LEVEL", default_value_t = servicefit::assessment::DEFAULT_CONFIDENCE)]
    confidence: f64,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Json,
    Jsonl,
    Html,
    Markdown,
    Terminal,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Html => Format::Html,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Terminal => Format::Terminal {
                colour: stdout_colour(),
            },
        }
    }
}

/// Builds the assessment the data arguments and `role` describe.
pub fn assessment(
    data_args: &DataArgs,
    role: &str,
    options: Options,
) -> Result<Assessment, CliError> {
    let questionnaire = data::questionnaire(data_args.questionnaire.as_deref())?;
    let norms = data::norms(data_args.norms.as_deref())?;
    let profile = data::profile(role)?;
    Ok(Assessment::new(questionnaire, norms, profile, options)?)
}

pub(super) fn parse_delimiter(text: Option<&str>) -> Result<Option<u8>, CliError> {
    match text {
        None => Ok(None),
        Some("\\t" | "tab") => Ok(Some(b'\t')),
        Some(s) if s.len() == 1 && s.is_ascii() => Ok(Some(s.as_bytes()[0])),
        Some(s) => Err(format!(
            "--delimiter '{s}': expected one ASCII character, e.g. ';' or '\\t'"
        )
        .into()),
    }
}

/// Runs `score`.
pub fn run(args: Args) -> Result<u8, CliError> {
    let options = Options {
        norm_group: args.data.norm_group.clone(),
        min_answered_share: args.min_answered,
        confidence: args.confidence,
    };
    let assessment = assessment(&args.data, &args.role, options)?;
    let read_options = ReadOptions {
        id_column: args.id_column.clone(),
        delimiter: parse_delimiter(args.delimiter.as_deref())?,
    };
    let name = input_name(&args.input);
    let mut reader = ResponseReader::new(
        HashingReader::new(open_input(&args.input)?),
        assessment.questionnaire(),
        &read_options,
        &name,
    )?;
    report_layout(reader.layout());
    let batch = score_all(&mut reader, &assessment)?;
    let (sha256, bytes) = reader.input().digest();
    let input = InputRecord {
        name,
        sha256,
        bytes,
    };
    let run = Run {
        assessment: &assessment,
        input: &input,
    };
    if let Some(notice) = &assessment.provenance().norms_notice {
        warn(notice);
    }
    report_rejections(&batch.rejections, args.out.as_deref());
    match &args.out {
        Some(dir) => write_folder(dir, &run, &batch, args.format.into())?,
        None => {
            let mut stdout = std::io::stdout().lock();
            let mut writer = Format::from(args.format).writer(&mut stdout);
            report::write_all(
                writer.as_mut(),
                &run,
                &batch.results,
                &batch.summary,
                &batch.rejections,
            )?;
            drop(writer);
            stdout.flush()?;
        }
    }
    let s = batch.summary;
    eprintln!(
        "rows read {} = scored {} + rejected {}; of the scored: {} valid, {} caution, {} invalid",
        s.read, s.scored, s.rejected, s.valid, s.caution, s.invalid
    );
    Ok(if s.rejected > 0 {
        EXIT_REJECTED_ROWS
    } else {
        EXIT_OK
    })
}

fn write_folder(dir: &Path, run: &Run<'_>, batch: &Batch, pages: Format) -> Result<(), CliError> {
    let dir = ensure_dir(dir)?;
    for format in [Format::Csv, Format::Jsonl] {
        write_atomic(
            &dir.join(format!("results.{}", format.extension())),
            |out| {
                let mut writer = format.writer(out);
                report::write_all(
                    writer.as_mut(),
                    run,
                    &batch.results,
                    &batch.summary,
                    &batch.rejections,
                )
            },
        )?;
    }
    write_atomic(&dir.join("rejects.csv"), |out| {
        report::write_rejects(out, &batch.rejections)
    })?;
    eprintln!(
        "wrote results.csv, results.jsonl and rejects.csv to {}",
        dir.display()
    );
    write_pages(&dir, run, batch, pages)
}

fn report_layout(layout: &Layout) {
    if !layout.missing_items.is_empty() {
        warn(&format!(
            "{} item(s) have no column and count as unanswered: {}",
            layout.missing_items.len(),
            layout.missing_items.join(", ")
        ));
    }
}

fn report_rejections(rejections: &[Rejection], out: Option<&Path>) {
    for rejection in rejections.iter().take(REJECTS_SHOWN) {
        for problem in &rejection.problems {
            let column = problem
                .column
                .as_deref()
                .map(|c| format!(", column {c}"))
                .unwrap_or_default();
            let id = rejection
                .id
                .as_deref()
                .map(|i| format!(" ({i})"))
                .unwrap_or_default();
            eprintln!(
                "rejected row {}{id}{column}: {}",
                rejection.row, problem.reason
            );
        }
    }
    if rejections.len() > REJECTS_SHOWN {
        let place = if out.is_some() {
            "see rejects.csv"
        } else {
            "use --out DIR to get rejects.csv"
        };
        eprintln!(
            "... and {} more rejected rows ({place})",
            rejections.len() - REJECTS_SHOWN
        );
    }
}
