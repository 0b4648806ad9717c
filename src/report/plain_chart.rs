//! The profile chart in plain characters, for Markdown and the terminal: one
//! line per attribute, ten cells for stens 1..10, the role's band as `▒`,
//! the minimum as `|`, each candidate's score as a symbol and (for a single
//! candidate) its confidence interval as `─`.

use super::chart::{shorten, Row, Series};
use super::text::level_words;

/// Widest attribute label.
const LABEL: usize = 14;

/// Columns of the ten sten cells and the space before them.
const CELLS: usize = 1 + 10 * 3;

/// Longest legend line that holds several candidates, where no width is given.
const LEGEND_LINE: usize = 80;

/// Symbols for candidates in a multi-candidate chart.
pub(crate) const LETTERS: [char; 8] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

fn cell(row: &Row, series: &[Series], r: usize, sten: u8) -> String {
    let s = f64::from(sten);
    let in_band = s >= row.low && s <= row.high;
    let side = if in_band { '▒' } else { ' ' };
    let markers: String = series
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.points.get(r), Some(Some(p)) if p.sten == sten))
        .map(|(i, _)| {
            if series.len() == 1 {
                '●'
            } else {
                LETTERS[i % LETTERS.len()]
            }
        })
        .collect();
    let left = if row.minimum.is_some_and(|m| (m - s).abs() < 0.5) {
        '|'
    } else {
        side
    };
    match markers.chars().count() {
        0 => {
            let covered = series.len() == 1
                && matches!(series[0].points.get(r), Some(Some(p)) if s >= p.interval.low.round() && s <= p.interval.high.round());
            let middle = if covered {
                '─'
            } else if in_band {
                '▒'
            } else {
                '·'
            };
            format!("{left}{middle}{side}")
        }
        1 => format!("{left}{markers}{side}"),
        2 => format!("{left}{markers}"),
        3 => markers,
        _ => format!("{}+", markers.chars().take(2).collect::<String>()),
    }
}

/// The chart as lines of text (no trailing newline on the last); `confidence`
/// is the run's level, which the legend of a single candidate's interval names.
pub(crate) fn render(rows: &[Row], series: &[Series], confidence: f64) -> String {
    render_within(rows, series, confidence, LEGEND_LINE)
}

/// [`render`] for lines of about `width` characters: the labels shortened so
/// that a row of several candidates fits (down to 9 at 40), the legend of
/// candidates wrapped at `width`. A single candidate's note and an id longer
/// than `width` can still go past it.
pub(crate) fn render_within(
    rows: &[Row],
    series: &[Series],
    confidence: f64,
    width: usize,
) -> String {
    let label_width = width.saturating_sub(CELLS).clamp(4, LABEL);
    let mut lines = Vec::new();
    let axis: String = (1..=10).map(|s| format!("{s:^3}")).collect();
    lines.push(format!("{:label_width$} {axis}", "score"));
    for (r, row) in rows.iter().enumerate() {
        let cells: String = (1..=10).map(|s| cell(row, series, r, s)).collect();
        let note = match (series.len(), series.first().and_then(|c| c.points.get(r))) {
            (1, Some(Some(p))) => format!(
                "  {} ({:.1}–{:.1}) {}",
                p.sten, p.interval.low, p.interval.high, p.note
            ),
            (1, _) => "  not scored".into(),
            _ => String::new(),
        };
        let label = shorten(&row.label, label_width);
        lines.push(format!("{label:label_width$} {cells}{note}"));
    }
    if series.len() == 1 {
        lines.push(format!(
            "▒ role's range   | minimum   ● score   ─ its {} range",
            level_words(confidence)
        ));
    } else {
        lines.push(if series.len() > 3 {
            "▒ role's range   | minimum   AB+ A, B and others on that score".into()
        } else {
            "▒ role's range   | minimum".into()
        });
        let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
        lines.extend(legend(&names, width));
    }
    lines.join("\n")
}

/// Which letter is which candidate, ids in full, as many to a line as fit in
/// `width` characters (a longer id has a line of its own).
pub(crate) fn legend<S: AsRef<str>>(ids: &[S], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (id, letter) in ids.iter().zip(LETTERS.iter().cycle()) {
        let name = format!("{letter} = {}", id.as_ref());
        match lines.last_mut() {
            Some(line) if line.chars().count() + 3 + name.chars().count() <= width => {
                line.push_str("   ");
                line.push_str(&name);
            }
            _ => lines.push(name),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::super::chart::Point;
    use super::*;
    use crate::norms::Interval;

    #[test]
    fn legend_keeps_ids_whole_and_wraps_at_80() {
        let ids = ["a".repeat(30), "b".repeat(30), "c".repeat(90), "d".into()];
        let lines = legend(&ids, 80);
        assert_eq!(
            lines,
            [
                format!("A = {}   B = {}", ids[0], ids[1]),
                format!("C = {}", ids[2]),
                "D = d".to_string()
            ]
        );
    }

    #[test]
    fn one_candidate_in_band_with_whisker() {
        let rows = [Row {
            label: "Trust".into(),
            low: 5.0,
            high: 8.0,
            minimum: Some(3.0),
        }];
        let series = [Series {
            name: "ann".into(),
            points: vec![Some(Point {
                value: 6.8,
                sten: 7,
                interval: Interval {
                    low: 5.3,
                    high: 8.3,
                },
                note: "in range".into(),
            })],
        }];
        let text = render(&rows, &series, 0.95);
        let line = text.lines().nth(1).unwrap();
        // cells 1,2: " · "; 3: minimum "|· "; 4: " · "; 5: band+interval "▒─▒"; 6 "▒─▒"; 7 marker "▒●▒";
        // 8 "▒─▒" (8.3 rounds to 8); 9, 10 " · ".
        assert_eq!(
            line,
            "Trust           ·  · |·  · ▒─▒▒─▒▒●▒▒─▒ ·  ·   7 (5.3–8.3) in range"
        );
        assert_eq!(
            text.lines().last(),
            Some("▒ role's range   | minimum   ● score   ─ its 95% range")
        );
    }
}
