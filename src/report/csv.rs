//! CSV: one row per candidate in rank order, status first; and the rejects file.

use std::io::{self, Write};

use super::{csv_safe, fixed, ReportWriter, Run, Summary};
use crate::assessment::CandidateResult;
use crate::response::Rejection;

/// CSV report writer.
pub struct CsvReport<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvReport<W> {
    /// Writes into `sink`.
    pub fn new(sink: W) -> Self {
        CsvReport {
            out: csv::Writer::from_writer(sink),
        }
    }
}

fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> ReportWriter for CsvReport<W> {
    fn begin(&mut self, run: &Run<'_>) -> io::Result<()> {
        let mut header: Vec<String> = [
            "rank",
            "candidate_id",
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
        self.out.write_record(&header).map_err(io_error)
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        let shown_fit = result.recommendable.then_some(result.fit.score).flatten();
        let interval = result
            .recommendable
            .then_some(result.fit.interval)
            .flatten();
        let mut row = vec![
            rank.to_string(),
            csv_safe(&result.id).into_owned(),
            result.validity.status.name().to_string(),
            fixed(shown_fit, 1),
            result.fit.band.map_or("", |b| b.name()).to_string(),
            fixed(interval.map(|i| i.low), 1),
            fixed(interval.map(|i| i.high), 1),
        ];
        let q = run.assessment.questionnaire();
        for target in &run.assessment.profile().targets {
            let normed = q
                .scale_index(&target.scale)
                .and_then(|i| result.scales[i].normed);
            row.push(normed.map_or_else(String::new, |n| n.sten.to_string()));
            row.push(fixed(normed.map(|n| n.percentile), 1));
        }
        let impression = q
            .scales()
            .iter()
            .position(|s| s.kind == crate::questionnaire::ScaleKind::Impression)
            .and_then(|i| result.scales[i].normed);
        row.push(impression.map_or_else(String::new, |n| n.sten.to_string()));
        row.push(csv_safe(&result.validity.reasons.join("; ")).into_owned());
        row.push(csv_safe(&result.flags.join("; ")).into_owned());
        row.push(norms_label(run).to_string());
        self.out.write_record(&row).map_err(io_error)
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

fn norms_label(run: &Run<'_>) -> &'static str {
    if run.assessment.provenance().norms_notice.is_some() {
        "provisional"
    } else {
        "from data"
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
        .map_err(io_error)?;
    for rejection in rejections {
        for problem in &rejection.problems {
            out.write_record([
                rejection.row.to_string().as_str(),
                &csv_safe(rejection.id.as_deref().unwrap_or("")),
                &csv_safe(problem.column.as_deref().unwrap_or("")),
                &csv_safe(&super::printable(
                    problem.value.as_deref().unwrap_or(""),
                    VALUE_CHARS,
                )),
                &csv_safe(&problem.reason),
            ])
            .map_err(io_error)?;
        }
    }
    out.flush()
}
