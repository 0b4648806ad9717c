//! CSV: one row per candidate in rank order, status first; and the rejects file.

use std::io::{self, Write};

use super::line::{csv_io, write_ranked, LineFormat, LineRenderer};
use super::{csv_safe, ReportWriter, Run, Summary};
use crate::assessment::CandidateResult;
use crate::response::Rejection;

/// CSV report writer.
pub struct CsvReport<W: Write> {
    out: io::BufWriter<W>,
    renderer: Option<LineRenderer>,
    line: Vec<u8>,
}

impl<W: Write> CsvReport<W> {
    /// Writes into `sink`.
    pub fn new(sink: W) -> Self {
        CsvReport {
            out: io::BufWriter::with_capacity(1 << 16, sink),
            renderer: None,
            line: Vec::new(),
        }
    }
}

/// The header row of the results CSV.
pub fn header(run: &Run<'_>) -> Vec<String> {
    let mut header: Vec<String> = [
        "rank",
        "candidate_id",
        "name",
        "status",
        "fit",
        "fit_band",
        "fit_low",
        "fit_high",
    ]
    .map(String::from)
    .to_vec();
    for target in &run.assessment.profile().targets {
        header.push(format!("{}_sten", target.scale));
        header.push(format!("{}_percentile", target.scale));
    }
    header.extend(["impression_sten", "validity_reasons", "flags", "norms"].map(String::from));
    header
}

/// Writes the header row of the results CSV.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write_header(run: &Run<'_>, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(header(run)).map_err(csv_io)?;
    csv.flush()
}

impl<W: Write> ReportWriter for CsvReport<W> {
    fn begin(&mut self, run: &Run<'_>) -> io::Result<()> {
        self.renderer = Some(LineRenderer::new(LineFormat::Csv, run));
        write_header(run, &mut self.out)
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        let renderer = self
            .renderer
            .get_or_insert_with(|| LineRenderer::new(LineFormat::Csv, run));
        self.line.clear();
        renderer.render(result, &mut self.line)?;
        write_ranked(LineFormat::Csv, rank, &self.line, &mut self.out)
    }

    fn finish(
        &mut self,
        _run: &Run<'_>,
        _summary: &Summary,
        _rejections: &[Rejection],
    ) -> io::Result<()> {
        self.out.flush()
    }
}

/// Longest cell value copied into rejects.csv: enough to find the cell, not a whole swallowed file.
const VALUE_CHARS: usize = 200;

/// Writes the rejected rows: one line per problem, with row, id, column, value and reason.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write_rejects<W: Write>(sink: W, rejections: &[Rejection]) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(sink);
    out.write_record(["row", "candidate_id", "column", "value", "reason"])
        .map_err(csv_io)?;
    for rejection in rejections {
        for problem in &rejection.problems {
            out.write_record([
                rejection.row.to_string().as_str(),
                &csv_safe(rejection.id.as_deref().unwrap_or("")),
                &csv_safe(problem.column.as_deref().unwrap_or("")),
                &csv_safe(&crate::text::printable(
                    problem.value.as_deref().unwrap_or(""),
                    VALUE_CHARS,
                )),
                &csv_safe(&problem.reason),
            ])
            .map_err(csv_io)?;
        }
    }
    out.flush()
}
