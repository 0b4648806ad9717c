//! One candidate as the bytes of its output line, apart from the rank, for
//! the two line formats (CSV and JSON Lines). The ranked writers
//! ([`super::CsvReport`], [`super::JsonlReport`]) and the parallel score path
//! ([`crate::stream`]) both go through here, so their output is the same bytes
//! whichever path wrote it; rendering needs no rank, so it can run on worker
//! threads before the rank is known.

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
    /// Column of each profile target's scale, and of the impression scale.
    targets: Vec<Option<usize>>,
    impression: Option<usize>,
    norms_label: &'static str,
    /// Percentiles of provisional norms are approximate: whole numbers, not tenths.
    whole_percentiles: bool,
}

impl LineRenderer {
    /// A renderer of `format` for the candidates of `run`.
    pub fn new(format: LineFormat, run: &Run<'_>) -> Self {
        let q = run.assessment.questionnaire();
        let provisional = run.assessment.provenance().norms_notice.is_some();
        LineRenderer {
            format,
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
            norms_label: if provisional {
                "provisional"
            } else {
                "from data"
            },
            whole_percentiles: provisional,
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
        text(out, &csv_safe(&result.id));
        text(out, &csv_safe(&result.name));
        text(out, result.validity.status.name());
        // The fit in whole points, as every report people read shows it: its
        // band, rank and ties are decided on this number (METHOD §6).
        whole(out, shown(result.fit.score).map(f64::round));
        text(out, result.fit.band.map_or("", |b| b.name()));
        whole(out, interval.map(|i| i.low.round()));
        whole(out, interval.map(|i| i.high.round()));
        for target in &self.targets {
            let normed = target.and_then(|s| result.scales[s].normed.as_ref());
            sten(out, normed.map(|n| n.sten));
            let percentile = normed.map(|n| n.percentile);
            if self.whole_percentiles {
                whole(out, percentile);
            } else {
                number(out, percentile);
            }
        }
        let impression = self
            .impression
            .and_then(|s| result.scales[s].normed.as_ref());
        sten(out, impression.map(|n| n.sten));
        text(out, &csv_safe(&result.validity.reasons.join("; ")));
        text(out, &csv_safe(&result.flags.join("; ")));
        text(out, self.norms_label);
        // Every field above ended with a comma: the last one ends the line instead.
        if let Some(last) = out.last_mut() {
            *last = b'\n';
        }
        Ok(())
    }
}

/// Appends a text field and a comma, quoted as the csv crate quotes (only
/// when it holds a comma, a quote or a line break; quotes doubled), so that
/// the line formats need no CSV writer per field.
fn text(out: &mut Vec<u8>, field: &str) {
    // Bytes, not chars: the four are ASCII, and a byte search needs no decoding.
    if field
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for piece in field.split_inclusive('"') {
            out.extend_from_slice(piece.as_bytes());
            if piece.ends_with('"') {
                out.push(b'"');
            }
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
    out.push(b',');
}

/// Appends a number with one decimal, as [`super::fixed`] writes it (empty
/// for `None`), and a comma; numbers never need quoting.
fn number(out: &mut Vec<u8>, value: Option<f64>) {
    if let Some(v) = value {
        one_decimal(v, out);
    }
    out.push(b',');
}

/// Appends a percentile rounded to a whole number, as `format!("{v:.0}")`
/// writes it (empty for `None`), and a comma.
fn whole(out: &mut Vec<u8>, value: Option<f64>) {
    if let Some(v) = value {
        let fraction = v - v.floor();
        if (0.0..1e9).contains(&v) && (fraction - 0.5).abs() > 1e-6 {
            // Not near a tie, where the formatter rounds half to even: rounding agrees with it.
            digits(out, v.round() as u64);
        } else {
            // Writing to a Vec cannot fail.
            let _ = write!(out, "{v:.0}");
        }
    }
    out.push(b',');
}

/// Appends a sten (empty for `None`) and a comma.
fn sten(out: &mut Vec<u8>, sten: Option<u8>) {
    if let Some(s) = sten {
        digits(out, u64::from(s));
    }
    out.push(b',');
}

/// Writes `v` with one decimal exactly as `format!("{v:.1}")` does, faster
/// in the common case: a non-negative value under a billion, not within a
/// millionth of a rounding tie. Then `v · 10` is within an ulp of the exact
/// product, so rounding it gives the correctly rounded digit the standard
/// formatter finds; anything else goes to the formatter.
fn one_decimal(v: f64, out: &mut Vec<u8>) {
    if (0.0..1e9).contains(&v) {
        let tenths = v * 10.0;
        // Non-negative and under 10¹⁰: truncation is the floor, and exact.
        let whole = tenths as u64;
        let fraction = tenths - whole as f64;
        if (fraction - 0.5).abs() > 1e-6 {
            let rounded = whole + u64::from(fraction > 0.5);
            digits(out, rounded / 10);
            out.push(b'.');
            out.push(b'0' + (rounded % 10) as u8);
            return;
        }
    }
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{v:.1}");
}

/// Appends the digits of `n`: those under 100 (every sten and percentile)
/// digit by digit, the rest through itoa.
fn digits(out: &mut Vec<u8>, n: u64) {
    match n {
        0..=9 => out.push(b'0' + n as u8),
        10..=99 => out.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]),
        _ => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
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
    fn whole_percentiles_round_as_the_formatter_does() {
        for v in [0.0, 0.4, 2.5, 3.5, 49.49, 49.5000001, 99.96, 100.0] {
            let mut out = Vec::new();
            whole(&mut out, Some(v));
            assert_eq!(String::from_utf8(out).unwrap(), format!("{v:.0},"), "{v}");
        }
        let mut out = Vec::new();
        whole(&mut out, None);
        assert_eq!(out, b",");
    }

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
        let mut out = Vec::new();
        for v in values {
            out.clear();
            one_decimal(v, &mut out);
            assert_eq!(String::from_utf8_lossy(&out), format!("{v:.1}"), "{v:e}");
        }
    }

    #[test]
    fn whole_numbers_are_written_as_itoa_writes_them() {
        for n in (0..=1_000).chain([9_999, 123_456_789, u64::MAX]) {
            let mut out = Vec::new();
            digits(&mut out, n);
            assert_eq!(out, itoa::Buffer::new().format(n).as_bytes(), "{n}");
        }
    }

    #[test]
    fn text_fields_are_quoted_as_the_csv_crate_quotes_them() {
        let fields = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "cr\r",
            "; semi",
            "é,\"ü\"",
        ];
        for field in fields {
            let mut ours = Vec::new();
            text(&mut ours, field);
            ours.extend_from_slice(b"x\n");
            let mut theirs = csv::Writer::from_writer(Vec::new());
            theirs.write_record([field, "x"]).unwrap();
            assert_eq!(ours, theirs.into_inner().unwrap(), "{field:?}");
        }
    }
}
