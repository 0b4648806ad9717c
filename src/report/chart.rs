//! The profile chart as inline SVG, written by hand: one row per attribute on
//! the 1..10 score (sten) axis, the role's band shaded, the minimum marked, and each
//! candidate's score as a marker with its confidence interval as a whisker.
//!
//! No script and no external asset, so the file opens offline and prints. The
//! palette is Okabe & Ito's (2008) colour-blind-safe set, every candidate also
//! has its own marker shape, every score is also written as a number beside
//! the axis, and `<title>`/`<desc>` state all the numbers for screen readers.

use std::collections::HashMap;
use std::io::{self, Write};

use super::html::escape;
use super::text::{level_words, number};
use crate::norms::Interval;
use crate::profile::{STEN_MAX, STEN_MIN};

/// Okabe–Ito colours, in the order candidates get them.
pub(crate) const COLOURS: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9", "#7F7F7F",
];
/// Names of the marker shapes, in the order candidates get them (for legends in words).
pub(crate) const SHAPES: [&str; 8] = [
    "circle",
    "square",
    "triangle",
    "diamond",
    "downward triangle",
    "cross",
    "plus",
    "ring",
];

const WIDTH: f64 = 640.0;
const LABEL_RIGHT: f64 = 100.0;
const AXIS_LEFT: f64 = 112.0;
const AXIS_RIGHT: f64 = 452.0;
const NOTE_LEFT: f64 = 462.0;
const TOP: f64 = 28.0;
const LEGEND_HEIGHT: f64 = 46.0;
const MARKER: f64 = 5.5;
/// Longest candidate name that fits in half the legend's width; a legend
/// with a longer one has one name a line, of up to [`LEGEND_NAME_WIDE`].
const LEGEND_NAME: usize = 36;
/// Longest name on a legend line of its own, with its shape's name after it.
const LEGEND_NAME_WIDE: usize = 60;

/// One attribute row: its label and the role's band.
pub(crate) struct Row {
    /// Attribute name.
    pub label: String,
    /// Band, stens.
    pub low: f64,
    /// Band, stens.
    pub high: f64,
    /// Minimum, stens.
    pub minimum: Option<f64>,
}

/// One candidate's score on one row.
pub(crate) struct Point {
    /// Continuous sten.
    pub value: f64,
    /// Reported sten.
    pub sten: u8,
    /// Confidence interval, stens.
    pub interval: Interval,
    /// Short reading, e.g. "in range".
    pub note: String,
}

/// One candidate: a name and a point per row (`None` = not scored).
pub(crate) struct Series {
    /// Candidate id.
    pub name: String,
    /// One per row.
    pub points: Vec<Option<Point>>,
}

fn x(sten: f64) -> f64 {
    let sten = sten.clamp(STEN_MIN, STEN_MAX);
    AXIS_LEFT + (sten - STEN_MIN) / (STEN_MAX - STEN_MIN) * (AXIS_RIGHT - AXIS_LEFT)
}

fn row_height(series: usize) -> f64 {
    if series <= 1 {
        34.0
    } else {
        12.0 + 13.0 * series as f64
    }
}

/// Writes the chart; `id` must be a token unique in the document (no user text);
/// `confidence` is the run's level, which the intervals' labels name.
pub(crate) fn write_svg(
    out: &mut dyn Write,
    id: &str,
    title: &str,
    rows: &[Row],
    series: &[Series],
    confidence: f64,
) -> io::Result<()> {
    let level = level_words(confidence);
    let h = row_height(series.len());
    let height = TOP + h * rows.len() as f64 + LEGEND_HEIGHT + 13.0 * legend_lines(series) as f64;
    writeln!(
        out,
        r#"<svg class="profile" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-t {id}-d" font-family="sans-serif" font-size="13">"#
    )?;
    writeln!(out, r#"<title id="{id}-t">{}</title>"#, escape(title))?;
    writeln!(
        out,
        r#"<desc id="{id}-d">{}</desc>"#,
        escape(&description(rows, series, &level))
    )?;
    write_axis(out, rows.len() as f64 * h, &level)?;
    for (r, row) in rows.iter().enumerate() {
        let y = TOP + r as f64 * h;
        write_row(out, row, y, h)?;
        for (s, candidate) in series.iter().enumerate() {
            if let Some(Some(point)) = candidate.points.get(r) {
                let cy = y + point_offset(s, series.len(), h);
                write_point(out, point, s, cy, series.len() == 1)?;
            }
        }
    }
    write_legend(out, TOP + h * rows.len() as f64 + 8.0, series, &level)?;
    writeln!(out, "</svg>")
}

fn point_offset(index: usize, count: usize, h: f64) -> f64 {
    if count <= 1 {
        h / 2.0
    } else {
        12.0 + 13.0 * index as f64
    }
}

/// Lines of the candidates' legend: two names a line, or one when a name
/// is too long for half the width.
fn legend_lines(series: &[Series]) -> usize {
    match (series.len(), legend_columns(series)) {
        (0 | 1, _) => 0,
        (n, columns) => n.div_ceil(columns),
    }
}

fn legend_columns(series: &[Series]) -> usize {
    if series.iter().all(|s| s.name.chars().count() <= LEGEND_NAME) {
        2
    } else {
        1
    }
}

fn write_axis(out: &mut dyn Write, plot_height: f64, level: &str) -> io::Result<()> {
    for sten in 1..=10 {
        let gx = x(f64::from(sten));
        writeln!(
            out,
            r##"<line x1="{gx:.1}" y1="{:.1}" x2="{gx:.1}" y2="{:.1}" stroke="#c8c8c8" stroke-width="1"/><text x="{gx:.1}" y="{:.1}" text-anchor="middle" fill="#333">{sten}</text>"##,
            TOP - 4.0,
            TOP + plot_height,
            TOP - 9.0
        )?;
    }
    writeln!(
        out,
        r##"<text x="{:.1}" y="{:.1}" fill="#333">score</text><text x="{:.1}" y="{:.1}" fill="#333">score ({level} range)</text>"##,
        AXIS_LEFT - 40.0,
        TOP - 9.0,
        NOTE_LEFT + 12.0,
        TOP - 9.0
    )
}

fn write_row(out: &mut dyn Write, row: &Row, y: f64, h: f64) -> io::Result<()> {
    let (bx, bw) = (x(row.low), x(row.high) - x(row.low));
    writeln!(
        out,
        r##"<text x="{LABEL_RIGHT}" y="{:.1}" text-anchor="end" fill="#000" font-weight="bold">{}</text>"##,
        y + h / 2.0 + 4.0,
        escape(&row.label)
    )?;
    writeln!(
        out,
        r##"<rect x="{bx:.1}" y="{:.1}" width="{bw:.1}" height="{:.1}" fill="#56B4E9" fill-opacity="0.3" stroke="#0072B2" stroke-opacity="0.5"/>"##,
        y + 3.0,
        h - 6.0
    )?;
    if let Some(minimum) = row.minimum {
        let mx = x(minimum);
        writeln!(
            out,
            r##"<line x1="{mx:.1}" y1="{:.1}" x2="{mx:.1}" y2="{:.1}" stroke="#D55E00" stroke-width="2.5" stroke-dasharray="4 2"/>"##,
            y + 1.0,
            y + h - 1.0
        )?;
    }
    writeln!(
        out,
        r##"<line x1="{AXIS_LEFT}" y1="{:.1}" x2="{AXIS_RIGHT}" y2="{:.1}" stroke="#e4e4e4"/>"##,
        y + h,
        y + h
    )
}

fn write_point(
    out: &mut dyn Write,
    point: &Point,
    series: usize,
    cy: f64,
    with_note: bool,
) -> io::Result<()> {
    let (lo, hi) = (x(point.interval.low), x(point.interval.high));
    writeln!(
        out,
        r##"<path d="M{lo:.1} {:.1}V{:.1}M{lo:.1} {cy:.1}H{hi:.1}M{hi:.1} {:.1}V{:.1}" stroke="#222" stroke-width="1.5" fill="none"/>"##,
        cy - 4.0,
        cy + 4.0,
        cy - 4.0,
        cy + 4.0
    )?;
    write_marker(out, series, x(point.value), cy)?;
    if with_note {
        writeln!(
            out,
            r##"<text x="{NOTE_LEFT}" y="{:.1}" fill="#000"><tspan font-weight="bold">{}</tspan> ({:.1}–{:.1}) {}</text>"##,
            cy + 4.0,
            point.sten,
            point.interval.low,
            point.interval.high,
            escape(&point.note)
        )?;
    }
    Ok(())
}

/// A marker of `series`'s shape and colour centred on (`cx`, `cy`).
pub(crate) fn write_marker(out: &mut dyn Write, series: usize, cx: f64, cy: f64) -> io::Result<()> {
    let colour = COLOURS[series % COLOURS.len()];
    let r = MARKER;
    let filled = format!(r##"fill="{colour}" stroke="#fff" stroke-width="1""##);
    let stroked = format!(r##"fill="none" stroke="{colour}" stroke-width="2.5""##);
    match series % SHAPES.len() {
        0 => writeln!(
            out,
            r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r}" {filled}/>"#
        ),
        1 => writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" {filled}/>"#,
            cx - r,
            cy - r,
            2.0 * r,
            2.0 * r
        ),
        2 => polygon(
            out,
            &[
                (cx, cy - r - 1.0),
                (cx + r + 1.0, cy + r),
                (cx - r - 1.0, cy + r),
            ],
            &filled,
        ),
        3 => polygon(
            out,
            &[
                (cx, cy - r - 1.5),
                (cx + r + 1.5, cy),
                (cx, cy + r + 1.5),
                (cx - r - 1.5, cy),
            ],
            &filled,
        ),
        4 => polygon(
            out,
            &[
                (cx - r - 1.0, cy - r),
                (cx + r + 1.0, cy - r),
                (cx, cy + r + 1.0),
            ],
            &filled,
        ),
        5 => writeln!(
            out,
            r#"<path d="M{:.1} {:.1}L{:.1} {:.1}M{:.1} {:.1}L{:.1} {:.1}" {stroked}/>"#,
            cx - r,
            cy - r,
            cx + r,
            cy + r,
            cx - r,
            cy + r,
            cx + r,
            cy - r
        ),
        6 => writeln!(
            out,
            r#"<path d="M{:.1} {cy:.1}H{:.1}M{cx:.1} {:.1}V{:.1}" {stroked}/>"#,
            cx - r - 1.0,
            cx + r + 1.0,
            cy - r - 1.0,
            cy + r + 1.0
        ),
        _ => writeln!(
            out,
            r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r}" {stroked}/>"#
        ),
    }
}

fn polygon(out: &mut dyn Write, points: &[(f64, f64)], style: &str) -> io::Result<()> {
    let points: Vec<String> = points
        .iter()
        .map(|(px, py)| format!("{px:.1},{py:.1}"))
        .collect();
    writeln!(out, r#"<polygon points="{}" {style}/>"#, points.join(" "))
}

fn write_legend(out: &mut dyn Write, y: f64, series: &[Series], level: &str) -> io::Result<()> {
    writeln!(
        out,
        r##"<rect x="{AXIS_LEFT}" y="{:.1}" width="26" height="12" fill="#56B4E9" fill-opacity="0.3" stroke="#0072B2" stroke-opacity="0.5"/><text x="{:.1}" y="{:.1}">role's target range</text>"##,
        y + 2.0,
        AXIS_LEFT + 32.0,
        y + 12.0
    )?;
    writeln!(
        out,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#D55E00" stroke-width="2.5" stroke-dasharray="4 2"/><text x="{:.1}" y="{:.1}">minimum</text>"##,
        AXIS_LEFT + 160.0,
        y,
        AXIS_LEFT + 160.0,
        y + 15.0,
        AXIS_LEFT + 168.0,
        y + 12.0
    )?;
    let wy = y + 8.0;
    let (wl, wr) = (AXIS_LEFT + 240.0, AXIS_LEFT + 270.0);
    writeln!(
        out,
        r##"<path d="M{wl:.1} {:.1}V{:.1}M{wl:.1} {wy:.1}H{wr:.1}M{wr:.1} {:.1}V{:.1}" stroke="#222" stroke-width="1.5" fill="none"/><text x="{:.1}" y="{:.1}">score with {level} range</text>"##,
        wy - 4.0,
        wy + 4.0,
        wy - 4.0,
        wy + 4.0,
        wr + 8.0,
        y + 12.0
    )?;
    if series.len() <= 1 {
        return write_marker(out, 0, (wl + wr) / 2.0, wy);
    }
    let columns = legend_columns(series);
    let mut labels = IdLabels::new(LEGEND_NAME_WIDE);
    for (s, candidate) in series.iter().enumerate() {
        let lx = 20.0 + (s % columns) as f64 * 310.0;
        let ly = y + 32.0 + (s / columns) as f64 * 13.0;
        write_marker(out, s, lx, ly - 4.0)?;
        writeln!(
            out,
            r##"<text x="{:.1}" y="{ly:.1}">{} ({})</text>"##,
            lx + 12.0,
            escape(&labels.label(&candidate.name)),
            SHAPES[s % SHAPES.len()]
        )?;
    }
    Ok(())
}

/// At most `max` characters, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// `text` in at most `max` characters: its start and its end around `…`.
fn cut_middle(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let kept = max.saturating_sub(1);
    let tail = kept / 3;
    let head: String = text.chars().take(kept - tail).collect();
    let end: String = text.chars().skip(count - tail).collect();
    format!("{head}…{end}")
}

/// Candidate ids shortened for a column `width` characters wide, so that two
/// different ids never look the same.
///
/// A longer id keeps its start and its end around `…` (`jennifer.smi…l.com`),
/// because e-mail addresses and numbered ids tend to differ at one end or the
/// other. When that label was already given to another id, the id is shown
/// whole, wider than the column: a row out of line is better than two
/// candidates who look like one. Ids come one at a time, so a table can be
/// written as it goes; only shortened labels are remembered.
pub(crate) struct IdLabels {
    width: usize,
    /// Each shortened label (and each id that looks like one) with the id it stands for.
    given: HashMap<String, String>,
}

impl IdLabels {
    /// Labels at most `width` characters wide, except to stay distinct.
    pub(crate) fn new(width: usize) -> Self {
        IdLabels {
            width,
            given: HashMap::new(),
        }
    }

    /// The label of `id`: the same for the same id, different for different ids.
    pub(crate) fn label(&mut self, id: &str) -> String {
        let label = cut_middle(id, self.width);
        if label == id && !id.contains('…') {
            return label;
        }
        match self.given.get(&label) {
            Some(owner) if owner != id => id.to_string(),
            Some(_) => label,
            None => {
                self.given.insert(label.clone(), id.to_string());
                label
            }
        }
    }
}

/// Every number of the chart in words, for `<desc>`.
fn description(rows: &[Row], series: &[Series], level: &str) -> String {
    let mut parts = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let minimum = row
            .minimum
            .map(|m| format!(", minimum {}", number(m)))
            .unwrap_or_default();
        let scores: Vec<String> = series
            .iter()
            .map(|s| match s.points.get(r) {
                Some(Some(p)) => format!(
                    "{} score {} ({level} range {:.1} to {:.1}, {})",
                    s.name, p.sten, p.interval.low, p.interval.high, p.note
                ),
                _ => format!("{} not scored", s.name),
            })
            .collect();
        parts.push(format!(
            "{}: role's range {} to {}{minimum}; {}.",
            row.label,
            number(row.low),
            number(row.high),
            scores.join("; ")
        ));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maps_one_to_ten_and_clamps() {
        // 1 → left edge 112; 10 → right edge 452; 5.5 → 112 + 4.5/9·340 = 282.
        assert_eq!(x(1.0), 112.0);
        assert_eq!(x(10.0), 452.0);
        assert_eq!(x(5.5), 282.0);
        assert_eq!(x(-2.0), 112.0);
        assert_eq!(x(12.0), 452.0);
    }

    #[test]
    fn id_labels_stay_distinct() {
        let mut labels = IdLabels::new(18);
        // 17 characters kept: the first 12 and the last 5.
        assert_eq!(
            labels.label("jennifer.smith@gmail.com"),
            "jennifer.smi…l.com"
        );
        assert_eq!(labels.label("jennifer.smith@gmx.de"), "jennifer.smi…mx.de");
        // Same start and end as the first: shown whole.
        assert_eq!(
            labels.label("jennifer.smithson@gmail.com"),
            "jennifer.smithson@gmail.com"
        );
        // The same id keeps its label; short ids are untouched.
        assert_eq!(
            labels.label("jennifer.smith@gmail.com"),
            "jennifer.smi…l.com"
        );
        assert_eq!(labels.label("ann-lee"), "ann-lee");
        // A label that an earlier id already looks like is not given.
        let mut labels = IdLabels::new(5);
        assert_eq!(labels.label("abc…e"), "abc…e");
        assert_eq!(labels.label("abcdefe"), "abcdefe");
        assert_eq!(labels.label("abcdxe"), "abcdxe");
        assert_eq!(IdLabels::new(1).label("abc"), "…");
        assert_eq!(IdLabels::new(0).label("abc"), "…");
    }

    #[test]
    fn shortens_by_characters() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("äbc", 3), "äbc");
    }
}
