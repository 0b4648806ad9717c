//! The Markdown comparison: a plain-character chart with one letter per
//! candidate, a table of every pair's differences, the verdicts in words, and
//! the interview guide.

use std::io::{self, Write};

use super::html_candidate::chart_data;
use super::markdown::{escape, fenced, write_notice, write_provenance};
use super::plain_chart;
use super::text;
use super::text_guide::{guide, guide_intro};
use super::Run;
use crate::compare::{pairs, Comparison, Verdict};

/// A blank line to write notes on. A run of underscores at the end of a
/// line is neither emphasis nor a rule in Markdown, so it stays a line.
const NOTES_LINE: &str = "________________________________";

/// Writes the whole comparison document.
pub(crate) fn write_comparison(
    out: &mut dyn Write,
    run: &Run<'_>,
    comparison: &Comparison,
) -> io::Result<()> {
    let n = comparison.candidates.len();
    writeln!(
        out,
        "# Comparing {n} candidates for {}\n",
        escape(&run.assessment.profile().name)
    )?;
    write_notice(out, run)?;
    writeln!(
        out,
        "**Bottom line.** {}\n",
        escape(&text::comparison_bottom_line(comparison))
    )?;
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for candidate in &comparison.candidates {
        let (r, s) = chart_data(&text::attributes(run, candidate), &candidate.id);
        rows = r;
        series.push(s);
    }
    writeln!(
        out,
        "```text\n{}\n```\n",
        fenced(&plain_chart::render(&rows, &series, comparison.confidence))
    )?;
    writeln!(
        out,
        "{}\n",
        escape(&text::sten_explained(comparison.confidence))
    )?;
    let header: Vec<String> = comparison
        .candidates
        .iter()
        .map(|c| escape(&c.shown()))
        .collect();
    writeln!(
        out,
        "| Pair | Fit | {} |",
        comparison
            .attributes
            .iter()
            .map(|a| escape(&scale_name(run, &a.scale)))
            .collect::<Vec<_>>()
            .join(" | ")
    )?;
    writeln!(
        out,
        "|---|---|{}",
        "---|".repeat(comparison.attributes.len())
    )?;
    let decimals = text::sten_decimals(comparison);
    for (p, &(i, j)) in pairs(n).iter().enumerate() {
        let cell = |d: Option<&crate::compare::PairDifference>, decimals: usize| match d {
            Some(d) if d.verdict == Verdict::Real => {
                format!("**≠ {}**", text::difference_text(d, decimals))
            }
            Some(d) if d.verdict == Verdict::WithinError => {
                format!("≈ {}", text::difference_text(d, decimals))
            }
            Some(d) if d.verdict == Verdict::Untrusted => "invalid answers".to_string(),
            Some(_) => "–".to_string(),
            None => String::new(),
        };
        let attributes: Vec<String> = comparison
            .attributes
            .iter()
            .map(|a| cell(a.pairs.get(p), decimals))
            .collect();
        writeln!(
            out,
            "| {} vs {} | {} | {} |",
            header[i],
            header[j],
            cell(comparison.fit.get(p), 0),
            attributes.join(" | ")
        )?;
    }
    writeln!(
        out,
        "\n≠ real difference (first minus second); ≈ within measurement error. {}\n",
        escape(&text::thresholds_sentence(run, comparison, decimals))
    )?;
    for (p, &(i, j)) in pairs(n).iter().enumerate() {
        let fit = comparison
            .fit
            .get(p)
            .map(|f| text::fit_pair_sentence(comparison, f))
            .unwrap_or_default();
        let attributes = text::attribute_pair_sentence(run, comparison, i, j);
        writeln!(out, "- {} {}", escape(&fit), escape(&attributes))?;
    }
    writeln!(out)?;
    write_guide(out, run, comparison)?;
    write_provenance(out, run)
}

/// The interview guide: a block per candidate with the questions about
/// their own gaps and a line for notes under each gap.
fn write_guide(out: &mut dyn Write, run: &Run<'_>, comparison: &Comparison) -> io::Result<()> {
    writeln!(
        out,
        "## Interview guide — {}\n\n{}\n",
        escape(&run.assessment.profile().name),
        escape(&guide_intro())
    )?;
    for column in guide(run, comparison) {
        writeln!(
            out,
            "### {} — {}\n",
            escape(&column.title),
            text::status_words(column.status)
        )?;
        if let Some(advice) = column.advice {
            writeln!(out, "{}\n", escape(advice))?;
        }
        for check in &column.checks {
            writeln!(out, "- {}", escape(check))?;
        }
        if !column.checks.is_empty() {
            writeln!(out)?;
        }
        for topic in &column.topics {
            writeln!(out, "**{}**\n", escape(&topic.heading))?;
            for (i, question) in topic.questions.iter().enumerate() {
                writeln!(out, "{}. {}", i + 1, escape(question))?;
            }
            writeln!(out, "\nNotes: {NOTES_LINE}\n")?;
        }
        writeln!(out, "Overall: {NOTES_LINE}\n")?;
    }
    Ok(())
}

/// The display name of scale `id`, or the id when the questionnaire has no such scale.
fn scale_name(run: &Run<'_>, id: &str) -> String {
    let q = run.assessment.questionnaire();
    q.scale_index(id)
        .map_or_else(|| id.to_string(), |i| q.scales()[i].name.clone())
}
