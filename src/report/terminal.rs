//! Terminal: an aligned table, one line per candidate, and a side-by-side
//! comparison. Colour (ANSI) only when the CLI says so — the library never
//! looks at the terminal or the environment — and never as the only signal:
//! statuses carry a symbol and a word, gaps an arrow.

use std::io::{self, Write};

use super::chart::{shorten, IdLabels};
use super::html_candidate::chart_data;
use super::plain_chart;
use super::text;
use super::{fixed, ReportWriter, Run, Summary};
use crate::assessment::CandidateResult;
use crate::compare::{pairs, Comparison, Verdict};
use crate::fit::{FitBand, Side};
use crate::response::Rejection;
use crate::validity::Status;

/// Width of the candidate column.
const ID_WIDTH: usize = 18;
/// Most characters of a name shown at the end of a table line.
const NAME_WIDTH: usize = 30;
/// Width of a candidate's column in a comparison.
const COLUMN: usize = 15;

use crate::text::terminal as sanitise;

/// `text` padded with spaces to `width` characters (cut with `…` when longer).
fn pad(text: &str, width: usize) -> String {
    let text = shorten(&sanitise(text), width);
    let fill = width.saturating_sub(text.chars().count());
    format!("{text}{}", " ".repeat(fill))
}

/// Width of an attribute's column: its name, at least 4.
fn column_width(name: &str) -> usize {
    name.chars().count().max(4)
}

/// Terminal table writer.
pub struct TerminalReport<W: Write> {
    out: W,
    colour: bool,
    /// The candidate column's labels, distinct for distinct ids.
    labels: IdLabels,
}

impl<W: Write> TerminalReport<W> {
    /// Writes into `sink`; `colour` allows ANSI colours (the caller checks the terminal and `NO_COLOR`).
    pub fn new(sink: W, colour: bool) -> Self {
        TerminalReport {
            out: sink,
            colour,
            labels: IdLabels::new(ID_WIDTH),
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
}

impl<W: Write> ReportWriter for TerminalReport<W> {
    fn begin(&mut self, run: &Run<'_>) -> io::Result<()> {
        writeln!(
            self.out,
            "Candidates for {}",
            sanitise(&run.assessment.profile().name)
        )?;
        let mut header = format!(
            "{:>4}  {}  {}  {:>3} {:9}  {:12}",
            "#",
            pad("candidate", ID_WIDTH),
            pad("answers", 10),
            "fit",
            format!("({})", text::run_level(run)),
            "verdict"
        );
        for target in &run.assessment.profile().targets {
            let name = run
                .assessment
                .questionnaire()
                .scale_index(&target.scale)
                .map_or(target.scale.as_str(), |i| {
                    run.assessment.questionnaire().scales()[i].name.as_str()
                });
            header.push_str(&format!(" {:>w$}", sanitise(name), w = column_width(name)));
        }
        let header = self.paint(&header, "1");
        writeln!(self.out, "{header}")
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
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
        let id = self.labels.label(&sanitise(&result.id));
        let mut line = format!(
            "{rank:>4}  {id:ID_WIDTH$}  {}  {fit:>3} {interval:9}  {:12}",
            self.status(result.validity.status, 10),
            verdict
        );
        for view in text::attributes(run, result) {
            let width = column_width(&view.scale.name) - 1;
            let arrow = match view.shown_side() {
                Some(Side::Below) => "↓",
                Some(Side::Above) => "↑",
                _ => " ",
            };
            line.push_str(&format!(" {:>width$}{arrow}", view.sten_words()));
        }
        // The name last, where its length moves no column: the id stays the
        // key (names are not unique), the name says who that is.
        if !result.name.is_empty() {
            line.push_str(&format!(
                "  {}",
                shorten(&sanitise(&result.name), NAME_WIDTH)
            ));
        }
        writeln!(self.out, "{line}")
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        _rejections: &[Rejection],
    ) -> io::Result<()> {
        writeln!(
            self.out,
            "\nstens 1–10; ↓ below / ↑ above the role's range. {} rows read: {} scored, {} rejected{}.",
            summary.read,
            summary.scored,
            summary.rejected,
            summary.superseded_clause()
        )?;
        let evidence = run.assessment.evidence().sentences().join(" ");
        let evidence = self.paint(&format!("What these results rest on: {evidence}"), "33");
        writeln!(self.out, "{evidence}")?;
        self.out.flush()
    }

    fn comparison(&mut self, run: &Run<'_>, comparison: &Comparison) -> io::Result<()> {
        write_comparison(self, run, comparison)?;
        self.out.flush()
    }
}

fn write_comparison<W: Write>(
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
    let title = report.paint(&title, "1");
    writeln!(report.out, "{title}\n")?;
    // The header holds "A id" when every id fits; else the letters, with the ids in full above.
    let ids: Vec<String> = comparison
        .candidates
        .iter()
        .map(|c| sanitise(&c.shown()))
        .collect();
    let fits = ids.iter().all(|id| id.chars().count() <= COLUMN - 3);
    if !fits {
        writeln!(report.out, "{}\n", plain_chart::legend(&ids).join("\n"))?;
    }
    let mut line = format!("{} {}", pad("", 14), pad("role's range", 13));
    for (id, letter) in ids.iter().zip(plain_chart::LETTERS.iter().cycle()) {
        let head = if fits {
            format!("{letter} {id}")
        } else {
            letter.to_string()
        };
        line.push_str(&pad(&head, COLUMN));
    }
    writeln!(report.out, "{}", line.trim_end())?;
    let mut answers = format!("{} {}", pad("answers", 14), pad("", 13));
    for c in &comparison.candidates {
        answers.push_str(&report.status(c.validity.status, COLUMN));
    }
    writeln!(report.out, "{}", answers.trim_end())?;
    let fit_label = format!("fit ({})", text::level_words(comparison.confidence));
    let mut fit = format!("{} {}", pad(&fit_label, 14), pad("0–100", 13));
    for c in &comparison.candidates {
        let text = match (c.recommendable, c.fit.score, c.fit.interval) {
            (true, Some(s), Some(i)) => format!(
                "{} ({}–{})",
                fixed(Some(s), 0),
                fixed(Some(i.low), 0),
                fixed(Some(i.high), 0)
            ),
            _ => "none".into(),
        };
        fit.push_str(&pad(&text, COLUMN));
    }
    writeln!(report.out, "{}", fit.trim_end())?;
    let views: Vec<_> = comparison
        .candidates
        .iter()
        .map(|c| text::attributes(run, c))
        .collect();
    for a in 0..views.first().map_or(0, Vec::len) {
        let mut line = format!(
            "{} {}",
            pad(&views[0][a].scale.name, 14),
            pad(&views[0][a].range(), 13)
        );
        for v in &views {
            let v = &v[a];
            line.push_str(&pad(
                &format!("{}{}", v.sten_words(), v.bracketed_interval()),
                COLUMN,
            ));
        }
        writeln!(report.out, "{}", line.trim_end())?;
    }
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for (c, v) in comparison.candidates.iter().zip(&views) {
        let (r, s) = chart_data(v, &sanitise(&c.id));
        rows = r;
        series.push(s);
    }
    writeln!(
        report.out,
        "\n{}\n",
        plain_chart::render(&rows, &series, comparison.confidence)
    )?;
    write_differences(report, run, comparison)
}

fn write_differences<W: Write>(
    report: &mut TerminalReport<W>,
    run: &Run<'_>,
    comparison: &Comparison,
) -> io::Result<()> {
    let decimals = text::sten_decimals(comparison);
    writeln!(
        report.out,
        "Which differences are real? (≠ real, first minus second; ≈ within measurement error)\n{}",
        text::thresholds_sentence(run, comparison, decimals)
    )?;
    // "≠+2.1": a mark, a sign, a digit, the point and the decimals.
    let width = (decimals + 4).max(7);
    let mut head = format!("{} {:>6}", pad("pair", 14), "fit");
    for a in &comparison.attributes {
        head.push_str(&format!(" {:>width$}", shorten(&sanitise(&a.scale), width)));
    }
    writeln!(report.out, "{head}")?;
    for (p, &(i, j)) in pairs(comparison.candidates.len()).iter().enumerate() {
        let label = format!(
            "{} vs {}",
            plain_chart::LETTERS[i % 8],
            plain_chart::LETTERS[j % 8]
        );
        let cell =
            |d: Option<&crate::compare::PairDifference>, decimals: usize, width: usize| -> String {
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
                let padded = format!("{text:>width$}");
                if d.is_some_and(|d| d.verdict == Verdict::Real) {
                    report.paint(&padded, "1")
                } else {
                    padded
                }
            };
        let mut line = format!("{} {}", pad(&label, 14), cell(comparison.fit.get(p), 0, 6));
        for a in &comparison.attributes {
            line.push(' ');
            line.push_str(&cell(a.pairs.get(p), decimals, width));
        }
        writeln!(report.out, "{line}")?;
    }
    writeln!(report.out)?;
    for (p, &(i, j)) in pairs(comparison.candidates.len()).iter().enumerate() {
        let fit = comparison
            .fit
            .get(p)
            .map(|f| text::fit_pair_sentence(comparison, f))
            .unwrap_or_default();
        let attributes = text::attribute_pair_sentence(run, comparison, i, j);
        writeln!(report.out, "- {} {}", sanitise(&fit), sanitise(&attributes))?;
    }
    let bottom = report.paint("Bottom line:", "1");
    writeln!(
        report.out,
        "\n{bottom} {}",
        text::comparison_bottom_line(comparison)
    )?;
    let evidence = run.assessment.evidence().sentences().join(" ");
    writeln!(report.out, "\nWhat these results rest on: {evidence}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_cannot_steer_the_terminal() {
        // An escape sequence, a line break and a right-to-left override.
        assert_eq!(
            super::sanitise("a\u{1b}[2Jb\nc\u{202e}gpj.exe"),
            "a?[2Jb?c?gpj.exe"
        );
    }
}
