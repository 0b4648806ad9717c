//! Terminal: an aligned table, one line per candidate, and a side-by-side
//! comparison, never wider than the width the caller gives (see
//! [`layout`] for what goes first as it shrinks, and `compare.rs`). Colour
//! (ANSI) only when the CLI says so — the library never looks at the
//! terminal or the environment — and never as the only signal: statuses
//! carry a symbol and a word, gaps an arrow.

mod compare;
mod guide;
mod layout;
mod wrap;

use std::io::{self, Write};

use self::layout::TableLayout;
use self::wrap::{cut, pad, pad_left, width};
use super::chart::IdLabels;
use super::text;
use super::{fixed, ReportWriter, Run, Summary};
use crate::assessment::CandidateResult;
use crate::compare::Comparison;
use crate::fit::{FitBand, Side};
use crate::response::Rejection;
use crate::validity::Status;

pub use self::layout::{DEFAULT_WIDTH, MIN_WIDTH};

use crate::text::terminal as sanitise;

/// Columns a candidate's notes are indented by: under the candidate column.
const INDENT: &str = "      ";

/// Widest line of prose, however wide the terminal: longer lines are hard to read.
const PROSE: usize = 100;

/// Terminal table writer.
pub struct TerminalReport<W: Write> {
    out: W,
    colour: bool,
    /// Columns no line may exceed (at least [`MIN_WIDTH`]).
    width: usize,
    /// The columns shown, chosen in `begin` from the width and the attributes.
    layout: TableLayout,
    /// The candidate column's labels, distinct for distinct ids.
    labels: IdLabels,
}

impl<W: Write> TerminalReport<W> {
    /// Writes into `sink` in lines of at most `width` columns (below
    /// [`MIN_WIDTH`], laid out for that); `colour` allows ANSI colours (the
    /// caller checks the terminal and `NO_COLOR`).
    pub fn new(sink: W, colour: bool, width: usize) -> Self {
        TerminalReport {
            out: sink,
            colour,
            width: width.max(MIN_WIDTH),
            layout: TableLayout::default(),
            labels: IdLabels::new(0),
        }
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn status(&self, status: Status, width: usize) -> String {
        let code = match status {
            Status::Valid => "32",
            Status::Caution => "33",
            Status::Invalid => "31",
        };
        let words = match status {
            Status::Valid => "✓ valid",
            Status::Caution => "! caution",
            Status::Invalid => "✗ invalid",
        };
        self.paint(&pad(words, width), code)
    }

    /// `text` wrapped to the width (at most [`PROSE`]), each line starting
    /// with `first` then `rest`, and painted with `code` when given.
    fn paragraph(
        &mut self,
        text: &str,
        first: &str,
        rest: &str,
        code: Option<&str>,
    ) -> io::Result<()> {
        for line in wrap::wrap(text, self.width.min(PROSE), first, rest) {
            let line = match code {
                Some(code) => self.paint(&line, code),
                None => line,
            };
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    /// `line` as it is when it fits the width, else wrapped at its spaces
    /// (a legend line holding an id longer than the width).
    fn line_within(&mut self, line: &str) -> io::Result<()> {
        if width(line) <= self.width {
            writeln!(self.out, "{line}")
        } else {
            for part in wrap::wrap(line, self.width, "", "    ") {
                writeln!(self.out, "{part}")?;
            }
            Ok(())
        }
    }

    /// The lines under a candidate: the id in full when its column cut it,
    /// the name when it has no column, and why the answers are flagged —
    /// wrapped at words and indented under the candidate.
    fn notes(
        &mut self,
        result: &CandidateResult,
        id: &str,
        id_cut: bool,
        name: &str,
    ) -> io::Result<()> {
        let name_under = self.layout.name.is_none() && !name.is_empty();
        let who = match (id_cut, name_under) {
            (true, true) => format!("{id} ({name})"),
            (true, false) => id.to_string(),
            (false, true) => name.to_string(),
            (false, false) => String::new(),
        };
        let reasons = sanitise(&result.validity.reasons.join("; "));
        let note = match (who.is_empty(), reasons.is_empty()) {
            (true, true) => return Ok(()),
            (false, true) => who,
            (true, false) => reasons,
            (false, false) => format!("{who}: {reasons}"),
        };
        self.paragraph(&note, INDENT, INDENT, None)
    }

    /// The attribute columns of a candidate's line: each sten right-aligned
    /// with `↓`/`↑` when below/above the role's range ("–" for invalid
    /// answers, which show no scores).
    fn attribute_cells(&self, run: &Run<'_>, result: &CandidateResult) -> String {
        let mut cells = String::new();
        for (view, &w) in text::attributes(run, result)
            .iter()
            .zip(&self.layout.attributes)
        {
            let arrow = match view.shown_side() {
                Some(Side::Below) => "↓",
                Some(Side::Above) => "↑",
                _ => " ",
            };
            cells.push(' ');
            cells.push_str(&pad_left(&view.sten_words(), w - 1));
            cells.push_str(arrow);
        }
        cells
    }

    /// Columns the layout left out, in words, for the note under the table.
    fn left_out(&self, run: &Run<'_>) -> Vec<String> {
        let mut out = Vec::new();
        if !self.layout.interval {
            out.push(format!("the fit's {} range", text::run_level(run)));
        }
        if !self.layout.verdict {
            out.push("the verdict".into());
        }
        if self.layout.attributes.is_empty() {
            out.push("the attributes".into());
        }
        out
    }
}

/// A candidate's fit ("–" when none is recommended), its range and its verdict.
fn fit_words(result: &CandidateResult) -> (String, String, &'static str) {
    let (fit, interval) = match (result.recommendable, result.fit.score, result.fit.interval) {
        (true, Some(f), Some(i)) => (
            fixed(Some(f), 0),
            format!("({}–{})", fixed(Some(i.low), 0), fixed(Some(i.high), 0)),
        ),
        _ => ("–".to_string(), String::new()),
    };
    let verdict = match result.fit.band {
        Some(FitBand::MinimumNotMet) => "min. not met",
        band => band.map_or("none", |b| b.name()),
    };
    (fit, interval, verdict)
}

/// A scale's name as the questionnaire gives it, else its id.
fn scale_name<'a>(run: &Run<'a>, scale: &'a str) -> &'a str {
    let questionnaire = run.assessment.questionnaire();
    questionnaire
        .scale_index(scale)
        .map_or(scale, |i| questionnaire.scales()[i].name.as_str())
}

impl<W: Write> ReportWriter for TerminalReport<W> {
    fn begin(&mut self, run: &Run<'_>) -> io::Result<()> {
        let targets = &run.assessment.profile().targets;
        let names: Vec<String> = targets
            .iter()
            .map(|t| sanitise(scale_name(run, &t.scale)))
            .collect();
        let widths: Vec<usize> = names.iter().map(|n| width(n)).collect();
        self.layout = TableLayout::fit(self.width, &widths);
        self.labels = IdLabels::new(self.layout.id);
        let role = sanitise(&run.assessment.profile().name);
        self.paragraph(&format!("Candidates for {role}"), "", "", None)?;
        let layout = &self.layout;
        let mut header = format!(
            "{:>4}  {}  {}  {:>3}",
            "#",
            pad("candidate", layout.id),
            pad("answers", 10),
            "fit",
        );
        if layout.interval {
            header.push(' ');
            header.push_str(&pad(&format!("({})", text::run_level(run)), 9));
        }
        if layout.verdict {
            header.push_str("  ");
            header.push_str(&pad("verdict", 12));
        }
        for (name, &w) in names.iter().zip(&layout.attributes) {
            header.push(' ');
            header.push_str(&pad_left(name, w));
        }
        let header = self.paint(header.trim_end(), "1");
        writeln!(self.out, "{header}")
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        let (fit, interval, verdict) = fit_words(result);
        let id = sanitise(&result.id);
        let label = pad(&self.labels.label(&id), self.layout.id);
        let id_cut = label.trim_end() != id;
        let mut line = format!(
            "{rank:>4}  {label}  {}  {fit:>3}",
            self.status(result.validity.status, 10)
        );
        if self.layout.interval {
            line.push(' ');
            line.push_str(&pad(&interval, 9));
        }
        if self.layout.verdict {
            line.push_str("  ");
            line.push_str(&pad(verdict, 12));
        }
        line.push_str(&self.attribute_cells(run, result));
        // The name last, where its length moves no column: the id stays the
        // key (names are not unique), the name says who that is.
        let name = sanitise(&result.name);
        if let Some(room) = self.layout.name.filter(|_| !name.is_empty()) {
            line.push_str("  ");
            line.push_str(&cut(&name, room));
        }
        writeln!(self.out, "{}", line.trim_end())?;
        self.notes(result, &id, id_cut, &name)
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        _rejections: &[Rejection],
    ) -> io::Result<()> {
        writeln!(self.out)?;
        let mut key =
            String::from("scores 1–10 (5–6 average); ↓ below / ↑ above the role's range.");
        let left_out = self.left_out(run);
        if !left_out.is_empty() {
            key.push_str(&format!(
                " Left out at {} columns: {} (a wider terminal shows them).",
                self.width,
                left_out.join(", ")
            ));
        }
        key.push_str(&format!(
            " {} rows read: {} scored, {} rejected{}.",
            summary.read,
            summary.scored,
            summary.rejected,
            summary.superseded_clause()
        ));
        self.paragraph(&key, "", "", None)?;
        let evidence = run.assessment.evidence().sentences().join(" ");
        let evidence = format!("What these results rest on: {evidence}");
        self.paragraph(&evidence, "", "", Some("33"))?;
        self.out.flush()
    }

    fn comparison(&mut self, run: &Run<'_>, comparison: &Comparison) -> io::Result<()> {
        compare::write(self, run, comparison)?;
        guide::write(self, run, comparison)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::Options;
    use crate::batch::score_all;
    use crate::report::{write_all, InputRecord};
    use crate::response::{ReadOptions, ResponseReader};

    /// Long, accented and CJK ids and names, flag reasons (issue 20's test file).
    const WIDE: &str = include_str!("../../../tests/fixtures/terminal/wide.csv");

    #[test]
    fn coloured_output_fits_too_as_colour_codes_take_no_column() {
        let assessment = crate::builtin::assessment("retail", Options::default()).unwrap();
        let options = ReadOptions::default();
        let mut reader = ResponseReader::new(
            WIDE.as_bytes(),
            assessment.questionnaire(),
            &options,
            "w.csv",
        )
        .unwrap();
        let batch = score_all(&mut reader, &assessment).unwrap();
        let input = InputRecord {
            name: "w.csv".into(),
            sha256: String::new(),
            bytes: 0,
        };
        let run = Run {
            assessment: &assessment,
            input: &input,
        };
        let picked: Vec<_> = batch.results.iter().take(8).cloned().collect();
        let comparison = crate::compare::compare(&assessment, picked).unwrap();
        for columns in [40, 60, 80, 100, 120, 200] {
            let mut table = Vec::new();
            write_all(
                &mut TerminalReport::new(&mut table, true, columns),
                &run,
                &batch,
            )
            .unwrap();
            let mut side = Vec::new();
            TerminalReport::new(&mut side, true, columns)
                .comparison(&run, &comparison)
                .unwrap();
            for text in [table, side] {
                let text = String::from_utf8(text).unwrap();
                assert!(text.contains("\x1b[1m"), "coloured");
                for line in text.lines() {
                    assert!(width(line) <= columns, "{columns}: {line}");
                }
            }
        }
    }

    #[test]
    fn ids_cannot_steer_the_terminal() {
        // An escape sequence, a line break and a right-to-left override.
        assert_eq!(
            super::sanitise("a\u{1b}[2Jb\nc\u{202e}gpj.exe"),
            "a?[2Jb?c?gpj.exe"
        );
    }
}
