//! Turning results into text: one file per format behind one trait.
//!
//! A writer is streaming: [`ReportWriter::begin`] once, [`ReportWriter::candidate`]
//! per result in rank order, [`ReportWriter::finish`] once with the summary.
//!
//! Adding a format: (1) a variant in [`Format`]; (2) a file here with a type
//! implementing [`ReportWriter`]; (3) its arm in [`Format::writer`] (and
//! [`Format::site_writer`] if it makes a folder of pages); (4) a snapshot test
//! in `tests/integration/`; (5) a line in the README's formats table. Number
//! formatting lives in [`fixed`], once, and the escaping of user text per
//! format in [`crate::text`]; the plain-words
//! prose of the formats people read lives in `text.rs`, once.

mod answers_text;
mod chart;
mod csv;
mod html;
mod html_candidate;
mod html_compare;
mod html_guide;
mod html_style;
mod json;
mod line;
mod markdown;
mod markdown_compare;
mod plain_chart;
mod site;
mod terminal;
mod text;
mod text_compare;
mod text_guide;
mod xlsx;

pub(crate) use crate::text::csv_safe;
pub(crate) use text::clamp_sten;

use std::io::{self, Write};

use serde::Serialize;

use crate::assessment::{Assessment, CandidateResult, Provenance};
use crate::batch::Batch;
use crate::compare::Comparison;
use crate::ranking::{tie_key, SharedRanks};
use crate::response::Rejection;

pub use self::csv::{write_header as write_csv_header, write_rejects, CsvReport};
pub(crate) use self::html::table_region;
pub use self::html::{HtmlReport, HtmlSite};
pub use self::json::{
    write_jsonl_footer, write_jsonl_header, write_provenance, JsonReport, JsonlReport,
};
pub use self::line::{write_ranked, LineFormat, LineRenderer};
pub use self::markdown::{MarkdownReport, MarkdownSite};
pub use self::site::{page_char, FileNames, PageSink, CANDIDATE_FOLDER};
pub use self::terminal::{
    TerminalReport, DEFAULT_WIDTH as TERMINAL_WIDTH, MIN_WIDTH as TERMINAL_MIN_WIDTH,
};
pub use self::xlsx::{too_many_rows, XlsxReport, MAX_SHEET_ROWS};

/// The input a run read, for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputRecord {
    /// File name, or `-` for stdin.
    pub name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Bytes read.
    pub bytes: u64,
}

/// What every writer knows about the run.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The pipeline that produced the results.
    pub assessment: &'a Assessment,
    /// The input.
    pub input: &'a InputRecord,
}

/// How every input row ended up. `read == scored + rejected + superseded` always.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Data rows read (blank lines are not rows).
    pub read: u64,
    /// Rows scored.
    pub scored: u64,
    /// Of those, with status valid.
    pub valid: u64,
    /// Of those, with status caution.
    pub caution: u64,
    /// Of those, with status invalid.
    pub invalid: u64,
    /// Rows rejected with a reason.
    pub rejected: u64,
    /// Rows superseded by a later submission of the same candidate.
    pub superseded: u64,
}

impl Summary {
    /// Counts one scored result.
    pub fn add_scored(&mut self, result: &CandidateResult) {
        self.add_status(result.validity.status);
    }

    /// Counts one scored row whose status is `status`.
    pub fn add_status(&mut self, status: crate::validity::Status) {
        use crate::validity::Status;
        self.read += 1;
        self.scored += 1;
        match status {
            Status::Valid => self.valid += 1,
            Status::Caution => self.caution += 1,
            Status::Invalid => self.invalid += 1,
        }
    }

    /// Counts one rejected row.
    pub fn add_rejected(&mut self) {
        self.read += 1;
        self.rejected += 1;
    }

    /// `, N superseded by a later submission` when rows were superseded, else
    /// nothing: appended to the summary sentences so they still add up.
    pub fn superseded_clause(&self) -> String {
        if self.superseded == 0 {
            String::new()
        } else {
            format!(
                ", {} superseded by a later submission of the same candidate",
                self.superseded
            )
        }
    }

    /// Counts one superseded row.
    pub fn add_superseded(&mut self) {
        self.read += 1;
        self.superseded += 1;
    }
}

/// A streaming report writer.
pub trait ReportWriter {
    /// Writes whatever comes before the first candidate.
    ///
    /// # Errors
    /// Any I/O error of the sink.
    fn begin(&mut self, run: &Run<'_>) -> io::Result<()>;
    /// Writes one candidate; `rank` is 1-based.
    ///
    /// # Errors
    /// Any I/O error of the sink.
    fn candidate(&mut self, run: &Run<'_>, rank: usize, result: &CandidateResult)
        -> io::Result<()>;
    /// Writes whatever comes after the last candidate, and flushes.
    ///
    /// # Errors
    /// Any I/O error of the sink.
    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        rejections: &[Rejection],
    ) -> io::Result<()>;

    /// Writes a side-by-side comparison instead of a batch (the formats
    /// people read implement it; the others say they cannot).
    ///
    /// # Errors
    /// Any I/O error of the sink; [`io::ErrorKind::Unsupported`] by default.
    fn comparison(&mut self, _run: &Run<'_>, _comparison: &Comparison) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this format cannot show a comparison",
        ))
    }
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One row per candidate.
    Csv,
    /// One JSON document with everything.
    Json,
    /// One JSON object per line: a run record, then one per candidate.
    Jsonl,
    /// Self-contained HTML with inline SVG charts; one document or a folder of pages.
    Html,
    /// Markdown with plain-character charts; one document or a folder of pages.
    Markdown,
    /// An aligned table for a terminal; `colour` allows ANSI colours.
    Terminal {
        /// Whether to colour (the caller checks the terminal and `NO_COLOR`).
        colour: bool,
        /// Columns no line may exceed (laid out for [`TERMINAL_MIN_WIDTH`]
        /// when narrower); the caller finds it ([`TERMINAL_WIDTH`]
        /// when it cannot).
        width: usize,
    },
}

impl Format {
    /// A writer of this format into `sink`.
    pub fn writer<'w, W: Write + 'w>(self, sink: W) -> Box<dyn ReportWriter + 'w> {
        match self {
            Format::Csv => Box::new(CsvReport::new(sink)),
            Format::Json => Box::new(JsonReport::new(sink)),
            Format::Jsonl => Box::new(JsonlReport::new(sink)),
            Format::Html => Box::new(HtmlReport::new(sink)),
            Format::Markdown => Box::new(MarkdownReport::new(sink)),
            Format::Terminal { colour, width } => {
                Box::new(TerminalReport::new(sink, colour, width))
            }
        }
    }

    /// A writer of an index and one page per candidate into `sink`, for the
    /// formats that make pages (HTML, Markdown); `None` for the others.
    pub fn site_writer<'s>(self, sink: &'s mut dyn PageSink) -> Option<Box<dyn ReportWriter + 's>> {
        match self {
            Format::Html => Some(Box::new(HtmlSite::new(sink))),
            Format::Markdown => Some(Box::new(MarkdownSite::new(sink))),
            Format::Csv | Format::Json | Format::Jsonl | Format::Terminal { .. } => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Terminal { .. } => "txt",
        }
    }
}

/// Writes `batch` (its results in the order they are in, rank order unless
/// the caller reordered them), its summary and its rejections with `writer`.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write_all(writer: &mut dyn ReportWriter, run: &Run<'_>, batch: &Batch) -> io::Result<()> {
    writer.begin(run)?;
    let mut ranks = SharedRanks::default();
    for result in &batch.results {
        writer.candidate(run, ranks.next(tie_key(result)), result)?;
    }
    writer.finish(run, &batch.summary, &batch.rejections)
}

/// A number with `decimals` decimals; empty for `None`.
pub fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

/// The provenance every format records.
pub fn provenance<'a>(run: &Run<'a>) -> &'a Provenance {
    run.assessment.provenance()
}
