//! One candidate as the bytes of its output line, apart from the rank, for
//! the two line formats (CSV and JSON Lines). The ranked writers
//! ([`super::CsvReport`], [`super::JsonlReport`]) and the parallel score path
//! ([`crate::stream`]) both go through here, so their output is the same bytes
//! whichever path wrote it; rendering needs no rank, so it can run on worker
//! threads before the rank is known.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{csv_safe, Run};
use crate::assessment::CandidateResult;
use crate::questionnaire::ScaleKind;

/// A format with one line per candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFormat {
    /// CSV, as [`super::CsvReport`] writes it.
    Csv,
    /// JSON Lines, as [`super::JsonlReport`] writes it.
    Jsonl,
}

/// Renders candidates of one run into reusable buffers.
pub struct LineRenderer {
    format: LineFormat,
    csv: csv::Writer<Buffer>,
    number: String,
    /// Column of each profile target's scale, and of the impression scale.
    targets: Vec<Option<usize>>,
    impression: Option<usize>,
    norms_label: &'static str,
}

impl LineRenderer {
    /// A renderer of `format` for the candidates of `run`.
    pub fn new(format: LineFormat, run: &Run<'_>) -> Self {
        let q = run.assessment.questionnaire();
        LineRenderer {
            format,
            csv: csv::Writer::from_writer(Buffer::default()),
            number: String::new(),
            targets: run
                .assessment
                .profile()
                .targets
                .iter()
                .map(|t| q.scale_index(&t.scale))
                .collect(),
            impression: q
                .scales()
                .iter()
                .position(|s| s.kind == ScaleKind::Impression),
            norms_label: if run.assessment.provenance().norms_notice.is_some() {
                "provisional"
            } else {
                "from data"
            },
        }
    }

    /// The format rendered.
    pub fn format(&self) -> LineFormat {
        self.format
    }

    /// Appends `result`'s line without the rank (see [`write_ranked`]) to `out`.
    ///
    /// # Errors
    /// Only if serialisation fails, which plain data cannot make it do.
    pub fn render(&mut self, result: &CandidateResult, out: &mut Vec<u8>) -> io::Result<()> {
        match self.format {
            LineFormat::Csv => self.render_csv(result, out),
            LineFormat::Jsonl => {
                // `{"id":…}` without its opening brace: the rank's prefix supplies it.
                let start = out.len();
                serde_json::to_writer(&mut *out, result).map_err(io::Error::other)?;
                out.remove(start);
                out.push(b'\n');
                Ok(())
            }
        }
    }

    fn render_csv(&mut self, result: &CandidateResult, out: &mut Vec<u8>) -> io::Result<()> {
        // An unrecommendable result shows no fit (the CSV is read by people ranking candidates).
        let shown = |v: Option<f64>| if result.recommendable { v } else { None };
        let interval = if result.recommendable {
            result.fit.interval
        } else {
            None
        };
        self.field(csv_safe(&result.id).as_bytes())?;
        self.field(result.validity.status.name().as_bytes())?;
        self.number(shown(result.fit.score), 1)?;
        self.field(result.fit.band.map_or("", |b| b.name()).as_bytes())?;
        self.number(interval.map(|i| i.low), 1)?;
        self.number(interval.map(|i| i.high), 1)?;
        for i in 0..self.targets.len() {
            let normed = self.targets[i].and_then(|s| result.scales[s].normed);
            self.sten(normed.map(|n| n.sten))?;
            self.number(normed.map(|n| n.percentile), 1)?;
        }
        let impression = self.impression.and_then(|s| result.scales[s].normed);
        self.sten(impression.map(|n| n.sten))?;
        self.field(csv_safe(&result.validity.reasons.join("; ")).as_bytes())?;
        self.field(csv_safe(&result.flags.join("; ")).as_bytes())?;
        self.field(self.norms_label.as_bytes())?;
        self.csv.write_record(None::<&[u8]>).map_err(csv_io)?;
        self.csv.flush()?;
        let mut bytes = self.csv.get_ref().0.take();
        out.extend_from_slice(&bytes);
        bytes.clear();
        self.csv.get_ref().0.set(bytes);
        Ok(())
    }

    fn field(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.csv.write_field(bytes).map_err(csv_io)
    }

    /// A number with `decimals` decimals, as [`super::fixed`] writes it; empty for `None`.
    fn number(&mut self, value: Option<f64>, decimals: usize) -> io::Result<()> {
        self.number.clear();
        if let Some(v) = value {
            one_decimal(v, decimals, &mut self.number);
        }
        self.csv.write_field(self.number.as_bytes()).map_err(csv_io)
    }

    fn sten(&mut self, sten: Option<u8>) -> io::Result<()> {
        let mut digits = itoa::Buffer::new();
        let text = sten.map_or("", |s| digits.format(s));
        self.csv.write_field(text.as_bytes()).map_err(csv_io)
    }
}

/// Writes `v` with `decimals` decimals exactly as `format!("{v:.decimals$}")`
/// does, faster in the common case: one decimal, a non-negative value under a
/// billion, not within a millionth of a rounding tie. Then `v · 10` is within
/// an ulp of the exact product, so rounding it gives the correctly rounded
/// digit the standard formatter finds; anything else goes to the formatter.
fn one_decimal(v: f64, decimals: usize, out: &mut String) {
    let tenths = v * 10.0;
    let fraction = tenths - tenths.floor();
    if decimals == 1 && (0.0..1e9).contains(&v) && (fraction - 0.5).abs() > 1e-6 {
        // Non-negative and under 10¹⁰: the cast is exact.
        let rounded = tenths.round() as u64;
        out.push_str(itoa::Buffer::new().format(rounded / 10));
        out.push('.');
        out.push(char::from(b'0' + (rounded % 10) as u8));
    } else {
        // Writing to a String cannot fail.
        let _ = write!(out, "{v:.decimals$}");
    }
}

/// The CSV writer's sink: a buffer that can be emptied through the shared
/// reference `csv::Writer::get_ref` gives, so one allocation serves every row.
#[derive(Default)]
struct Buffer(std::cell::Cell<Vec<u8>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.get_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes a line rendered by [`LineRenderer::render`] with its `rank` in front.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write_ranked(
    format: LineFormat,
    rank: usize,
    line: &[u8],
    out: &mut (impl Write + ?Sized),
) -> io::Result<()> {
    if format == LineFormat::Jsonl {
        out.write_all(b"{\"record\":\"candidate\",\"rank\":")?;
    }
    out.write_all(itoa::Buffer::new().format(rank).as_bytes())?;
    out.write_all(b",")?;
    out.write_all(line)
}

pub(super) fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_one_decimal_matches_the_standard_formatter() {
        // Ties and near-ties (0.25, 0.35, 2.675), integers, tiny and large values,
        // and a dense sweep of fits and percentiles from 0 to 100.
        let mut values = vec![
            0.0, 0.05, 0.15, 0.25, 0.35, 2.675, 99.95, 100.0, 1e-12, 5e8, 1e9, -0.04, -3.25,
        ];
        let mut x: f64 = 0.0;
        while x <= 100.0 {
            values.push(x);
            x += 0.000_37;
        }
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push((state >> 11) as f64 / (1u64 << 53) as f64 * 100.0);
        }
        let mut out = String::new();
        for v in values {
            out.clear();
            one_decimal(v, 1, &mut out);
            assert_eq!(out, format!("{v:.1}"), "{v:e}");
        }
    }
}
