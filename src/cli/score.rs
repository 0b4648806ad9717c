//! `servicefit score`: rank the candidates of a response file for a role.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::folder::OutputFolder;
use super::input::{warn_layout, InputArgs};
use super::io::{error, input_name, open_input, print_rejections, stdout_colour, warn, warn_all};
use super::overwrite::Inputs;
use super::pages::write_pages;
use super::score_stream;
use super::width::WidthArgs;
use super::{CliError, DataArgs, EXIT_ERROR, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::assessment::{Assessment, Options};
use servicefit::data;
use servicefit::ingest::identity::{IdSource, NameColumns};
use servicefit::ingest::timestamp::OrderBasis;
use servicefit::provenance::{HashingReader, InputDigest};
use servicefit::ranking::Top;
use servicefit::report::{self, Format, InputRecord, LineFormat, Run, Summary, XlsxReport};
use servicefit::response::{Layout, ResponseReader};
use servicefit::stream::RankedRun;

/// Arguments of `score`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Response file: a plain CSV (candidate_id + item ids), a survey-tool export
    /// (Google Forms, Microsoft Forms, SurveyMonkey, Qualtrics, LimeSurvey, Typeform) or a
    /// spreadsheet (.xlsx, .xls, .ods; --sheet NAME); `-` reads stdin.
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// Role profile: a built-in id (see `servicefit roles`) or a profile file.
    #[arg(long, value_name = "ID|PATH")]
    role: String,
    /// Output format on stdout (with --out, results.csv and results.jsonl are always written;
    /// json adds results.json, html and markdown add index.html|md and a page per candidate in
    /// candidates/, and terminal still prints its table).
    #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
    format: FormatArg,
    /// Folder to write results.csv (+ results.provenance.json), results.xlsx, results.jsonl, rejects.csv (and the pages) into,
    /// instead of stdout.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    read: InputArgs,
    /// Write candidates in input order as they are scored, instead of ranked: memory stays
    /// constant however large the file (csv and jsonl on stdout; every row is kept, as keep-all).
    #[arg(long)]
    unsorted: bool,
    /// Print how columns were matched to items (stdout), then stop without scoring.
    #[arg(long)]
    dry_run: bool,
    /// Confidence level of every interval (0.9 or 90%).
    #[arg(long, value_name = "LEVEL", value_parser = super::input::share, default_value_t = servicefit::assessment::DEFAULT_CONFIDENCE)]
    confidence: f64,
    /// Keep only the best N candidates (or a percentage, e.g. 10%) with a fit shown: valid or
    /// caution, ranked by fit; candidates tied with the last one are kept too.
    #[arg(long, value_name = "N|P%", value_parser = top)]
    top: Option<Top>,
    /// Print every step from answers to fit for this candidate id, instead of the results.
    #[arg(long, value_name = "ID")]
    explain: Option<String>,
    #[command(flatten)]
    width: WidthArgs,
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

impl FormatArg {
    /// The format asked for; the terminal's colour and `width` decided here.
    fn format(self, width: &WidthArgs) -> Format {
        match self {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Html => Format::Html,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Terminal => Format::Terminal {
                colour: stdout_colour(),
                width: width.columns(),
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
    if data_args.norm_group.is_none() && norms.value.groups.len() > 1 {
        let ids = norms.value.group_ids();
        warn(&format!(
            "the norms have {} groups ({}); using the first, '{}': choose one with --norm-group",
            ids.len(),
            ids.join(", "),
            ids[0]
        ));
    }
    let profile = data::profile(role)?;
    Ok(Assessment::new(questionnaire, norms, profile, options)?)
}

/// Runs `score`.
pub fn run(args: Args) -> Result<u8, CliError> {
    let options = Options {
        norm_group: args.data.norm_group.clone(),
        min_answered_share: args.read.min_answered,
        confidence: args.confidence,
    };
    let assessment = assessment(&args.data, &args.role, options)?;
    let read_options = args
        .read
        .read_options(assessment.questionnaire(), args.unsorted)?;
    if let Some(format) = line_format(&args)? {
        // A file that cannot be opened is the one thing to say, not after the norms notice.
        if args.input != Path::new("-") {
            open_input(&args.input)?;
        }
        if let Some(notice) = &assessment.provenance().norms_notice {
            warn(notice);
        }
        let streamed = score_stream::run(
            &args.input,
            &assessment,
            &read_options,
            format,
            args.unsorted,
        )?;
        let name = input_name(&args.input);
        print_rejections(
            &name,
            &streamed.rejections,
            "use --out DIR to get rejects.csv",
        );
        return Ok(report_summary(&name, &streamed.summary));
    }
    // Locked and checked before the input is read: a second run waits here,
    // and a run that would replace its input stops before any work.
    let folder = match &args.out {
        Some(dir) if !args.dry_run && args.explain.is_none() => {
            Some(OutputFolder::open(dir, &inputs(&args))?)
        }
        _ => None,
    };
    let name = input_name(&args.input);
    let mut reader = ResponseReader::new(
        HashingReader::new(open_input(&args.input)?),
        assessment.questionnaire(),
        &read_options,
        &name,
    )?;
    if args.dry_run {
        let mut report = Vec::new();
        print_matching(&mut report, &name, reader.layout())?;
        // The headers, notes and file name quoted come from the user's file.
        let report = servicefit::text::terminal_lines(&String::from_utf8_lossy(&report));
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(report.as_bytes())?;
        stdout.flush()?;
        return Ok(EXIT_OK);
    }
    warn_layout(reader.layout());
    assessment.note_missing_validity_items(&reader.layout().missing_validity_items);
    if let Some(id) = &args.explain {
        return super::explain::run(&mut reader, &assessment, id);
    }
    let mut ranked = RankedRun::new(&mut reader, &assessment, score_stream::workers())?;
    warn_all(&reader.notes());
    if let Some(top) = args.top {
        let (kept, scored) = ranked.keep_top(top);
        warn(&format!(
            "--top: {kept} of {scored} candidates kept (valid or caution with a fit, best first; ties at the cut kept)"
        ));
    }
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
    let streamed = ranked.streamed();
    let more = if args.out.is_some() {
        "see rejects.csv"
    } else {
        "use --out DIR to get rejects.csv"
    };
    print_rejections(&input.name, &streamed.rejections, more);
    match folder {
        Some(folder) => {
            let format = args.format.format(&args.width);
            write_folder(folder, &run, &ranked, format)?;
            // The folder holds no table: one asked for is shown as well.
            if matches!(format, Format::Terminal { .. }) {
                write_stdout(format, &run, &ranked)?;
            }
        }
        None => write_stdout(args.format.format(&args.width), &run, &ranked)?,
    }
    Ok(report_summary(&input.name, &streamed.summary))
}

/// Writes the report in `format` to stdout.
fn write_stdout(format: Format, run: &Run<'_>, ranked: &RankedRun) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    let mut writer = format.writer(&mut stdout);
    ranked.write_report(writer.as_mut(), run)?;
    drop(writer);
    stdout.flush()?;
    Ok(())
}

/// Prints how every row ended up; the exit code says whether any was
/// rejected, or all were: no row scored — all rejected, or none there but
/// the header — leaves no result to trust, an error (the files under --out
/// are written all the same, for rejects.csv).
fn report_summary(name: &str, s: &Summary) -> u8 {
    say!(
        "rows read {} = scored {} + rejected {} + superseded {}; flagged {} of the scored ({} caution, {} invalid)",
        s.read,
        s.scored,
        s.rejected,
        s.superseded,
        s.caution + s.invalid,
        s.caution,
        s.invalid
    );
    if s.read == 0 {
        error(&format!(
            "{name}: the file has a header but no data rows; nothing to score"
        ));
        EXIT_ERROR
    } else if s.scored == 0 {
        error(&format!(
            "no row of {name} could be scored ({} rejected); there is nothing to rank",
            s.rejected
        ));
        EXIT_ERROR
    } else if s.rejected > 0 {
        EXIT_REJECTED_ROWS
    } else {
        EXIT_OK
    }
}

/// Writes results.csv and results.jsonl (results.json too for `--format
/// json`), the rejects, the provenance and, for html and markdown, the pages;
/// then the folder's manifest.
fn write_folder(
    mut folder: OutputFolder,
    run: &Run<'_>,
    ranked: &RankedRun,
    format: Format,
) -> Result<(), CliError> {
    let workers = score_stream::workers();
    for (name, line) in [
        ("results.csv", LineFormat::Csv),
        ("results.jsonl", LineFormat::Jsonl),
    ] {
        folder.write(name, |out| ranked.write_lines(run, line, workers, out))?;
    }
    let xlsx = write_workbook(&mut folder, run, ranked)?;
    let json = (format == Format::Json).then_some(Format::Json);
    if let Some(json) = json {
        folder.write("results.json", |out| {
            ranked.write_report(json.writer(out).as_mut(), run)
        })?;
    }
    let streamed = ranked.streamed();
    folder.write("rejects.csv", |out| {
        report::write_rejects(out, &streamed.rejections)
    })?;
    folder.write("results.provenance.json", |out| {
        report::write_provenance(out, run, &streamed.summary)
    })?;
    say!(
        "wrote results.csv (provenance in results.provenance.json){}, results.jsonl{} and rejects.csv to {}",
        if xlsx { ", results.xlsx" } else { "" },
        if json.is_some() { ", results.json" } else { "" },
        folder.dir().display()
    );
    write_pages(&mut folder, run, ranked, format)?;
    folder.finish()
}

/// Writes results.xlsx, the results CSV for Excel users, unless it would
/// not fit in a worksheet (then says why only the CSV was written).
fn write_workbook(
    folder: &mut OutputFolder,
    run: &Run<'_>,
    ranked: &RankedRun,
) -> Result<bool, CliError> {
    let scored = usize::try_from(ranked.streamed().summary.scored).unwrap_or(usize::MAX);
    if let Some(why) = report::too_many_rows(scored) {
        warn(&format!(
            "results.xlsx not written: {why}; results.csv has them all"
        ));
        return Ok(false);
    }
    // The worksheet's rows wait in a temporary file beside the results.
    let temp_dir = folder.dir().to_path_buf();
    folder.write("results.xlsx", |out| {
        let mut writer = XlsxReport::new(out, &temp_dir)?;
        ranked.write_report(&mut writer, run)
    })?;
    Ok(true)
}

/// The files `score` reads: the responses, the data files and the column map.
fn inputs(args: &Args) -> Inputs {
    let data = [&args.data.questionnaire, &args.data.norms, &args.read.map];
    let mut inputs = Inputs::new(data.into_iter().flatten().map(PathBuf::as_path));
    inputs.add(&args.input);
    inputs.add(Path::new(&args.role));
    inputs
}

/// The line format of the fast path, when the output is CSV or JSON Lines on stdout.
fn line_format(args: &Args) -> Result<Option<LineFormat>, CliError> {
    let format = match args.format {
        _ if args.out.is_some() || args.explain.is_some() || args.dry_run || args.top.is_some() => {
            None
        }
        FormatArg::Csv => Some(LineFormat::Csv),
        FormatArg::Jsonl => Some(LineFormat::Jsonl),
        _ => None,
    };
    if args.unsorted && format.is_none() {
        return Err("--unsorted streams csv or jsonl to stdout: use it with --format csv or jsonl, without --out, --explain, --dry-run or --top".into());
    }
    Ok(format)
}

/// `--top`: a count (`10`) or a percentage (`10%`).
fn top(text: &str) -> Result<Top, String> {
    let text = text.trim();
    match text.strip_suffix('%') {
        Some(percent) => match percent.trim().parse::<f64>() {
            Ok(p) if (0.0..=100.0).contains(&p) => Ok(Top::Share(p / 100.0)),
            _ => Err(format!("'{text}': expected a percentage from 0% to 100%")),
        },
        None => text.parse::<usize>().map(Top::Count).map_err(|_| {
            format!(
                "'{text}': expected a number of candidates such as 10, or a percentage such as 10%"
            )
        }),
    }
}

/// How the dates are read, for `--dry-run`, when the file has dates that need an order.
fn dates(layout: &Layout) -> Option<String> {
    let dates = &layout.dates;
    let column = dates.column.as_deref()?;
    let why = match &dates.reading.basis {
        OrderBasis::NotNeeded => return None,
        OrderBasis::Chosen => "--date-order".to_string(),
        OrderBasis::Shown { example } => format!("{example} can be read only so"),
        OrderBasis::Ambiguous { example } => format!("undecided: {example} could be either"),
        OrderBasis::Contradictory { .. } => "undecided: the dates contradict each other".into(),
    };
    Some(format!(
        "dates in column '{column}': {} ({why})",
        dates.order().describe()
    ))
}

/// The matching report of `--dry-run`.
fn print_matching(out: &mut dyn Write, name: &str, layout: &Layout) -> std::io::Result<()> {
    let delimiter = match layout.delimiter {
        '\t' => "tab".to_string(),
        c => format!("'{c}'"),
    };
    writeln!(out, "input: {name}")?;
    if let Some(book) = &layout.workbook {
        writeln!(
            out,
            "workbook: {}, sheet '{}' ({} of {} sheets: {})",
            book.kind.extension(),
            book.sheet,
            book.sheets
                .iter()
                .position(|s| *s == book.sheet)
                .map_or(1, |i| i + 1),
            book.sheets.len(),
            book.sheets.join(", ")
        )?;
    }
    writeln!(
        out,
        "format: {} ({} header row(s)); encoding: {} ({:?}); delimiter: {delimiter}{}",
        layout.format.name(),
        layout.header_rows,
        layout.encoding,
        layout.encoding_source,
        if layout.sep_line {
            " (from the sep= line)"
        } else {
            ""
        }
    )?;
    let id = match &layout.id {
        IdSource::Named { header, .. } => format!("column '{header}' (--id-column)"),
        IdSource::Guessed {
            header,
            because: None,
            ..
        } => format!("column '{header}' (first likely id column)"),
        IdSource::Guessed {
            header,
            because: Some(because),
            ..
        } => format!("column '{header}' ({because})"),
        IdSource::RowNumber => "the row number (no id column found)".into(),
    };
    writeln!(out, "candidate id: {id}")?;
    match &layout.name {
        Some(NameColumns::Whole { header, .. }) => {
            writeln!(out, "candidate name: column '{header}'")?;
        }
        Some(NameColumns::FirstLast { headers, .. }) => writeln!(
            out,
            "candidate name: columns '{}' and '{}'",
            headers[0], headers[1]
        )?,
        None => writeln!(out, "candidate name: none (no name column found)")?,
    }
    if let Some(dates) = dates(layout) {
        writeln!(out, "{dates}")?;
    }
    let m = &layout.matching;
    writeln!(out, "matched {} column(s) to items:", m.matched.len())?;
    for c in &m.matched {
        let part = c
            .by_part
            .as_deref()
            .map(|p| format!(" via \"{p}\""))
            .unwrap_or_default();
        writeln!(
            out,
            "  column {} \"{}\" -> {} (by {}{part})",
            c.column + 1,
            c.header,
            c.item_id,
            c.how.describe()
        )?;
    }
    writeln!(
        out,
        "items missing (counted as unanswered): {}",
        m.missing_items.len()
    )?;
    for item in &m.missing_items {
        writeln!(out, "  {item}")?;
    }
    writeln!(out, "columns ignored: {}", m.ignored.len())?;
    for c in &m.ignored {
        writeln!(
            out,
            "  column {} \"{}\": {}",
            c.column + 1,
            c.header,
            c.reason
        )?;
    }
    for note in layout.notes() {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}
