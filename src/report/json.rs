//! JSON and JSON Lines: everything, including raw, z, T, intervals, each
//! attribute's contribution to fit, validity indices and provenance.

use std::io::{self, Write};

use serde::Serialize;

use super::line::{write_ranked, LineFormat, LineRenderer};
use super::{provenance, InputRecord, ReportWriter, Run, Summary};
use crate::assessment::{CandidateResult, Provenance};
use crate::evidence::Evidence;
use crate::response::Rejection;

#[derive(Serialize)]
struct Header<'a> {
    record: &'static str,
    provenance: &'a Provenance,
    evidence: &'a Evidence,
    input: &'a InputRecord,
}

#[derive(Serialize)]
struct Candidate<'a> {
    record: &'static str,
    rank: usize,
    #[serde(flatten)]
    result: &'a CandidateResult,
}

#[derive(Serialize)]
struct Footer<'a> {
    record: &'static str,
    summary: &'a Summary,
    rejections: &'a [Rejection],
}

/// Keeps the kind of an I/O error inside a serde_json error (a closed pipe must stay a closed pipe).
fn to_io(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    }
}

/// One JSON document: `{"provenance", "evidence", "input", "candidates": [...], "summary", "rejections"}`.
pub struct JsonReport<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> JsonReport<W> {
    /// Writes into `sink`.
    pub fn new(sink: W) -> Self {
        JsonReport {
            out: sink,
            first: true,
        }
    }
}

impl<W: Write> ReportWriter for JsonReport<W> {
    fn begin(&mut self, run: &Run<'_>) -> io::Result<()> {
        write!(self.out, "{{\"provenance\":")?;
        serde_json::to_writer(&mut self.out, provenance(run)).map_err(to_io)?;
        write!(self.out, ",\"evidence\":")?;
        serde_json::to_writer(&mut self.out, run.assessment.evidence()).map_err(to_io)?;
        write!(self.out, ",\"input\":")?;
        serde_json::to_writer(&mut self.out, run.input).map_err(to_io)?;
        write!(self.out, ",\"candidates\":[")
    }

    fn candidate(
        &mut self,
        _run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        if !std::mem::take(&mut self.first) {
            write!(self.out, ",")?;
        }
        writeln!(self.out)?;
        serde_json::to_writer(
            &mut self.out,
            &Candidate {
                record: "candidate",
                rank,
                result,
            },
        )
        .map_err(to_io)
    }

    fn finish(
        &mut self,
        _run: &Run<'_>,
        summary: &Summary,
        rejections: &[Rejection],
    ) -> io::Result<()> {
        write!(self.out, "\n],\"summary\":")?;
        serde_json::to_writer(&mut self.out, summary).map_err(to_io)?;
        write!(self.out, ",\"rejections\":")?;
        serde_json::to_writer(&mut self.out, rejections).map_err(to_io)?;
        writeln!(self.out, "}}")?;
        self.out.flush()
    }
}

/// JSON Lines: a `run` record, one `candidate` record per line, and a closing `summary` record.
pub struct JsonlReport<W: Write> {
    out: io::BufWriter<W>,
    renderer: Option<LineRenderer>,
    line: Vec<u8>,
}

impl<W: Write> JsonlReport<W> {
    /// Writes into `sink`.
    pub fn new(sink: W) -> Self {
        JsonlReport {
            out: io::BufWriter::with_capacity(1 << 16, sink),
            renderer: None,
            line: Vec::new(),
        }
    }
}

/// Writes the `run` record that opens a JSON Lines report.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write_jsonl_header(run: &Run<'_>, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    serde_json::to_writer(
        &mut *out,
        &Header {
            record: "run",
            provenance: provenance(run),
            evidence: run.assessment.evidence(),
            input: run.input,
        },
    )
    .map_err(to_io)?;
    writeln!(out)
}

/// Writes the `summary` record that closes a JSON Lines report.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write_jsonl_footer(
    summary: &Summary,
    rejections: &[Rejection],
    out: &mut (impl Write + ?Sized),
) -> io::Result<()> {
    serde_json::to_writer(
        &mut *out,
        &Footer {
            record: "summary",
            summary,
            rejections,
        },
    )
    .map_err(to_io)?;
    writeln!(out)
}

impl<W: Write> ReportWriter for JsonlReport<W> {
    fn begin(&mut self, run: &Run<'_>) -> io::Result<()> {
        self.renderer = Some(LineRenderer::new(LineFormat::Jsonl, run));
        write_jsonl_header(run, &mut self.out)
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        let renderer = self
            .renderer
            .get_or_insert_with(|| LineRenderer::new(LineFormat::Jsonl, run));
        self.line.clear();
        renderer.render(result, &mut self.line)?;
        write_ranked(LineFormat::Jsonl, rank, &self.line, &mut self.out)
    }

    fn finish(
        &mut self,
        _run: &Run<'_>,
        summary: &Summary,
        rejections: &[Rejection],
    ) -> io::Result<()> {
        write_jsonl_footer(summary, rejections, &mut self.out)?;
        self.out.flush()
    }
}

#[derive(Serialize)]
struct SideFile<'a> {
    provenance: &'a Provenance,
    evidence: &'a Evidence,
    /// The evidence in the words the other people-facing formats use.
    evidence_in_words: [String; 5],
    input: &'a InputRecord,
    summary: &'a Summary,
}

/// The provenance side file of a CSV (`results.provenance.json`): the same
/// `provenance`, `evidence` and `input` as the JSON formats' head, the
/// evidence in words, and the row counts —
/// CSV has no place for them, and a comment line would break CSV readers.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write_provenance<W: Write>(mut sink: W, run: &Run<'_>, summary: &Summary) -> io::Result<()> {
    let record = SideFile {
        provenance: provenance(run),
        evidence: run.assessment.evidence(),
        evidence_in_words: run.assessment.evidence().sentences(),
        input: run.input,
        summary,
    };
    serde_json::to_writer_pretty(&mut sink, &record).map_err(to_io)?;
    writeln!(sink)?;
    sink.flush()
}
