//! The side-by-side comparison on a terminal, within the writer's width:
//! the candidates' columns in blocks of as many as fit (narrower columns
//! first, then several blocks one under the other), the differences table's
//! attribute columns likewise, prose wrapped at words.

use std::io::{self, Write};

use super::wrap::{pad, pad_left, width};
use super::{sanitise, TerminalReport};
use crate::compare::{pairs, Comparison, PairDifference, Verdict};
use crate::report::html_candidate::chart_data;
use crate::report::plain_chart;
use crate::report::text::{self, AttributeView};
use crate::report::{fixed, Run};

/// Label, range and candidate columns when every candidate fits in one block.
const WIDE: Geometry = Geometry {
    label: 14,
    range: 13,
    range_head: "role's range",
    column: 15,
};
/// The same, narrower, when they do not: "Flexibility", "6 or more" and a
/// cell's text ("10 (8.5–10.0)") still fit.
const NARROW: Geometry = Geometry {
    label: 11,
    range: 10,
    range_head: "range",
    column: 14,
};

/// Column widths of the comparison table (each column's width includes the
/// space after it).
#[derive(Debug, Clone, Copy)]
struct Geometry {
    label: usize,
    range: usize,
    range_head: &'static str,
    column: usize,
}

impl Geometry {
    /// Columns before the first candidate.
    fn lead(self) -> usize {
        self.label + 1 + self.range
    }

    /// The geometry and candidates per block for `count` candidates in `width` columns.
    fn choose(count: usize, width: usize) -> (Geometry, usize) {
        if WIDE.lead() + WIDE.column * count <= width {
            return (WIDE, count);
        }
        let per_block = (width.saturating_sub(NARROW.lead()) / NARROW.column).max(1);
        (NARROW, per_block.min(count))
    }
}

/// Writes `comparison` with `report`.
pub(super) fn write<W: Write>(
    report: &mut TerminalReport<W>,
    run: &Run<'_>,
    comparison: &Comparison,
) -> io::Result<()> {
    let title = format!(
        "Comparing {} candidates for {} ({} confidence)",
        comparison.candidates.len(),
        sanitise(&run.assessment.profile().name),
        text::level_words(comparison.confidence)
    );
    report.paragraph(&title, "", "", Some("1"))?;
    writeln!(report.out)?;
    let ids: Vec<String> = comparison
        .candidates
        .iter()
        .map(|c| sanitise(&c.shown()))
        .collect();
    let (geometry, per_block) = Geometry::choose(ids.len(), report.width);
    // The header holds "A id" when every id fits; else the letters, with the ids in full above.
    let fits = ids.iter().all(|id| width(id) + 2 < geometry.column);
    if !fits {
        for line in plain_chart::legend(&ids, report.width) {
            report.line_within(&line)?;
        }
        writeln!(report.out)?;
    }
    let views: Vec<_> = comparison
        .candidates
        .iter()
        .map(|c| text::attributes(run, c))
        .collect();
    let letters: Vec<usize> = (0..ids.len()).collect();
    for (b, block) in letters.chunks(per_block).enumerate() {
        if b > 0 {
            writeln!(report.out)?;
        }
        write_block(report, comparison, &views, &ids, block, geometry, fits)?;
    }
    write_chart(report, comparison, &views)?;
    write_differences(report, run, comparison)
}

/// The table rows for the candidates numbered in `block`.
fn write_block<W: Write>(
    report: &mut TerminalReport<W>,
    comparison: &Comparison,
    views: &[Vec<AttributeView<'_>>],
    ids: &[String],
    block: &[usize],
    g: Geometry,
    fits: bool,
) -> io::Result<()> {
    let row = |label: &str, range: &str| format!("{} {}", pad(label, g.label), pad(range, g.range));
    let mut head = row("", g.range_head);
    for &c in block {
        let letter = plain_chart::LETTERS[c % plain_chart::LETTERS.len()];
        let text = if fits {
            format!("{letter} {}", ids[c])
        } else {
            letter.to_string()
        };
        head.push_str(&pad(&text, g.column));
    }
    let mut answers = row("answers", "");
    for &c in block {
        answers.push_str(&report.status(comparison.candidates[c].validity.status, g.column));
    }
    let fit_label = format!("fit ({})", text::level_words(comparison.confidence));
    let mut fit = row(&fit_label, "0–100");
    for &c in block {
        let c = &comparison.candidates[c];
        let text = match (c.recommendable, c.fit.score, c.fit.interval) {
            (true, Some(s), Some(i)) => format!(
                "{} ({}–{})",
                fixed(Some(s), 0),
                fixed(Some(i.low), 0),
                fixed(Some(i.high), 0)
            ),
            _ => "none".into(),
        };
        fit.push_str(&pad(&text, g.column));
    }
    let mut lines = vec![head, answers, fit];
    for (a, first) in views.first().into_iter().flatten().enumerate() {
        let mut line = row(&first.scale.name, &first.range());
        for &c in block {
            let v = &views[c][a];
            let cell = format!("{}{}", v.sten_words(), v.bracketed_interval());
            line.push_str(&pad(&cell, g.column));
        }
        lines.push(line);
    }
    for line in lines {
        writeln!(report.out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The plain-character profile chart, fitted to the width.
fn write_chart<W: Write>(
    report: &mut TerminalReport<W>,
    comparison: &Comparison,
    views: &[Vec<AttributeView<'_>>],
) -> io::Result<()> {
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for (c, v) in comparison.candidates.iter().zip(views) {
        let (r, s) = chart_data(v, &sanitise(&c.id));
        rows = r;
        series.push(s);
    }
    writeln!(report.out)?;
    let chart = plain_chart::render_within(&rows, &series, comparison.confidence, report.width);
    for line in chart.lines() {
        report.line_within(line)?;
    }
    writeln!(report.out)
}

/// One column of the differences table: its heading, width and a cell per pair.
struct DifferenceColumn {
    head: String,
    width: usize,
    cells: Vec<String>,
}

/// A cell of the differences table: "≠+2.1" (real), "≈-0.3" (within
/// error), "invalid", or "–"; bold when real.
fn difference_cell<W: Write>(
    report: &TerminalReport<W>,
    d: Option<&PairDifference>,
    decimals: usize,
    width: usize,
) -> String {
    let text = match d {
        Some(d) if matches!(d.verdict, Verdict::Real | Verdict::WithinError) => {
            let mark = if d.verdict == Verdict::Real {
                "≠"
            } else {
                "≈"
            };
            format!("{mark}{}", text::difference_text(d, decimals))
        }
        Some(d) if d.verdict == Verdict::Untrusted => "invalid".into(),
        _ => "–".into(),
    };
    let padded = pad_left(&text, width);
    if d.is_some_and(|d| d.verdict == Verdict::Real) {
        report.paint(&padded, "1")
    } else {
        padded
    }
}

fn write_differences<W: Write>(
    report: &mut TerminalReport<W>,
    run: &Run<'_>,
    comparison: &Comparison,
) -> io::Result<()> {
    let decimals = text::sten_decimals(comparison);
    report.paragraph(
        "Which differences are real? (≠ real, first minus second; ≈ within measurement error)",
        "",
        "",
        None,
    )?;
    report.paragraph(
        &text::thresholds_sentence(run, comparison, decimals),
        "",
        "",
        None,
    )?;
    let pairs = pairs(comparison.candidates.len());
    // "≠+2.1": a mark, a sign, a digit, the point and the decimals; "invalid" is 7.
    let cell_width = (decimals + 4).max(7);
    let mut columns = vec![DifferenceColumn {
        head: "fit".into(),
        width: 7,
        cells: (0..pairs.len())
            .map(|p| difference_cell(report, comparison.fit.get(p), 0, 7))
            .collect(),
    }];
    for a in &comparison.attributes {
        columns.push(DifferenceColumn {
            head: sanitise(&a.scale),
            width: cell_width,
            cells: (0..pairs.len())
                .map(|p| difference_cell(report, a.pairs.get(p), decimals, cell_width))
                .collect(),
        });
    }
    let labels: Vec<String> = pairs
        .iter()
        .map(|&(i, j)| {
            let letter = |k: usize| plain_chart::LETTERS[k % plain_chart::LETTERS.len()];
            format!("{} vs {}", letter(i), letter(j))
        })
        .collect();
    let full = 14 + columns.iter().map(|c| c.width + 1).sum::<usize>();
    let label_width = if full <= report.width { 14 } else { 6 };
    for block in difference_blocks(&columns, report.width - label_width) {
        let mut head = pad("pair", label_width);
        for c in block {
            head.push(' ');
            head.push_str(&pad_left(&c.head, c.width));
        }
        writeln!(report.out, "{head}")?;
        for (p, label) in labels.iter().enumerate() {
            let mut line = pad(label, label_width);
            for c in block {
                line.push(' ');
                line.push_str(&c.cells[p]);
            }
            writeln!(report.out, "{line}")?;
        }
        writeln!(report.out)?;
    }
    for (p, &(i, j)) in pairs.iter().enumerate() {
        let fit = comparison
            .fit
            .get(p)
            .map(|f| text::fit_pair_sentence(comparison, f))
            .unwrap_or_default();
        let attributes = text::attribute_pair_sentence(run, comparison, i, j);
        let sentence = format!("{} {}", sanitise(&fit), sanitise(&attributes));
        report.paragraph(&sentence, "- ", "  ", None)?;
    }
    writeln!(report.out)?;
    let bottom = format!("Bottom line: {}", text::comparison_bottom_line(comparison));
    let bold = report.paint("Bottom line:", "1");
    for (n, line) in super::wrap::wrap(&bottom, report.width.min(super::PROSE), "", "")
        .into_iter()
        .enumerate()
    {
        let line = if n == 0 {
            line.replacen("Bottom line:", &bold, 1)
        } else {
            line
        };
        writeln!(report.out, "{line}")?;
    }
    let evidence = run.assessment.evidence().sentences().join(" ");
    writeln!(report.out)?;
    report.paragraph(
        &format!("What these results rest on: {evidence}"),
        "",
        "",
        None,
    )
}

/// `columns` in groups that fit in `room` columns each (a space before every
/// column); a column wider than `room` alone.
fn difference_blocks(columns: &[DifferenceColumn], room: usize) -> Vec<&[DifferenceColumn]> {
    let mut blocks = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, c) in columns.iter().enumerate() {
        if i > start && used + c.width + 1 > room {
            blocks.push(&columns[start..i]);
            (start, used) = (i, 0);
        }
        used += c.width + 1;
    }
    blocks.push(&columns[start..]);
    blocks
}
