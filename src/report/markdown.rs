//! Markdown: the same content as the HTML report, for wikis, tickets and
//! e-mail. One document ([`MarkdownReport`]) or a folder with `index.md`
//! and a page per candidate ([`MarkdownSite`]). Charts are drawn in plain
//! characters inside fenced blocks; user text goes through [`escape`].

use std::io::{self, Write};

use super::answers_text;
use super::html_candidate::chart_data;
use super::plain_chart;
use super::site::{FileNames, IndexEntry, PageSink, CANDIDATE_FOLDER};
use super::text::{self, band_title, status_words, AttributeView};
use super::{fixed, provenance, ReportWriter, Run, Summary};
use crate::assessment::CandidateResult;
use crate::compare::Comparison;
use crate::response::Rejection;
use crate::validity::Status;

/// User text made inert in Markdown: one escaper for every Markdown writer.
pub(crate) use crate::text::markdown as escape;

/// Text for inside a fenced code block (charts and their legends).
pub(crate) use crate::text::markdown_code as fenced;

/// The provisional-norms notice in the plain words of the evidence status.
pub(crate) fn write_notice(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    match &provenance(run).norms_notice {
        Some(_) => {
            let words = run.assessment.evidence().norms_sentence();
            writeln!(out, "> **⚠ Provisional norms.** {}\n", escape(&words))
        }
        None => Ok(()),
    }
}

/// The evidence status in one short plain block, then the provenance line.
pub(crate) fn write_provenance(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    let sentences = run.assessment.evidence().sentences().map(|s| escape(&s));
    writeln!(
        out,
        "**What these results rest on.** {}\n",
        sentences.join(" ")
    )?;
    let p = provenance(run);
    let file = |f: &crate::provenance::FileRecord| {
        format!(
            "{} {} ({}, sha256 `{}`)",
            escape(&f.id),
            escape(&f.version),
            escape(&f.source),
            fenced(&f.sha256)
        )
    };
    writeln!(
        out,
        "---\n\n*Produced by {} from {} ({} bytes, sha256 `{}`). Questionnaire {}; norms {}, group {}; role profile {}. \
Options: confidence {}, minimum share answered {}.*\n",
        escape(&p.engine),
        escape(&run.input.name),
        run.input.bytes,
        fenced(&run.input.sha256),
        file(&p.questionnaire),
        file(&p.norms),
        escape(&p.norm_group),
        file(&p.profile),
        text::level_words(p.options.confidence),
        fixed(p.options.min_answered_share, 2)
    )
}

fn write_candidate(
    out: &mut dyn Write,
    run: &Run<'_>,
    rank: usize,
    result: &CandidateResult,
    own_page: bool,
) -> io::Result<()> {
    let views = text::attributes(run, result);
    let band = if result.recommendable {
        format!(
            "{} · {}",
            band_title(result.fit.band),
            fixed(result.fit.score, 0)
        )
    } else {
        "No fit given".into()
    };
    writeln!(
        out,
        "## #{rank} {} — {} — {band}\n",
        escape(&result.shown()),
        status_words(result.validity.status)
    )?;
    let (headline, advice) = text::verdict(run, result);
    writeln!(out, "**{}** {}\n", escape(&headline), escape(&advice))?;
    if own_page {
        write_notice(out, run)?;
    }
    if result.validity.status == Status::Invalid {
        write_untrusted(out, result)?;
    } else {
        write_scored(out, run, result, &views, own_page)?;
    }
    if own_page {
        write_provenance(out, run)?;
    }
    Ok(())
}

/// An invalid candidate: no chart, scores or fit, but why the answers
/// cannot be trusted and what to do next.
fn write_untrusted(out: &mut dyn Write, result: &CandidateResult) -> io::Result<()> {
    writeln!(out, "### Why the answers cannot be trusted\n")?;
    for reason in answers_text::untrusted_reasons(result) {
        writeln!(out, "- {}", escape(&reason))?;
    }
    writeln!(out, "\n### What to do next\n")?;
    for (i, step) in answers_text::NEXT_STEPS.iter().enumerate() {
        writeln!(out, "{}. {}", i + 1, escape(step))?;
    }
    writeln!(out)
}

/// A candidate whose answers can be read: chart, how sure, answers, scores, advice.
fn write_scored(
    out: &mut dyn Write,
    run: &Run<'_>,
    result: &CandidateResult,
    views: &[AttributeView<'_>],
    own_page: bool,
) -> io::Result<()> {
    let confidence = provenance(run).options.confidence;
    if own_page {
        writeln!(out, "*{}*\n", escape(&text::sten_explained(confidence)))?;
    }
    let (rows, series) = chart_data(views, &result.id);
    writeln!(
        out,
        "```text\n{}\n```\n",
        fenced(&plain_chart::render(&rows, &[series], confidence))
    )?;
    writeln!(
        out,
        "**How sure are we?** {}\n",
        escape(&text::certainty(result, confidence))
    )?;
    let reasons = answers_text::untrusted_reasons(result);
    let words = if reasons.is_empty() {
        "no sign of careless, random or too-good-to-be-true answering.".to_string()
    } else {
        escape(&reasons.join(" "))
    };
    writeln!(
        out,
        "**The answers:** {}: {words}\n",
        status_words(result.validity.status)
    )?;
    if !reasons.is_empty() {
        writeln!(out, "**What to probe about the answers:**\n")?;
        for probe in answers_text::caution_probes(result) {
            writeln!(out, "- {}", escape(probe))?;
        }
        writeln!(out)?;
    }
    let flags = text::page_flags(run, result);
    for flag in &flags {
        writeln!(out, "- ⚑ {}", escape(flag))?;
    }
    if !flags.is_empty() {
        writeln!(out)?;
    }
    write_scores(out, run, views)?;
    write_advice(out, views)
}

fn write_scores(out: &mut dyn Write, run: &Run<'_>, views: &[AttributeView<'_>]) -> io::Result<()> {
    writeln!(
        out,
        "| Attribute | Score | {} range | Role's range | Reading | Fit points lost |\n|---|--:|--:|--:|---|--:|",
        text::run_level(run)
    )?;
    for v in views {
        writeln!(
            out,
            "| {} | {} | {} | {} | {}{} | {} |",
            escape(&v.scale.name),
            v.sten_words(),
            v.interval_words(),
            escape(&v.range()),
            escape(&v.reading()),
            if v.fit.below_minimum {
                ", below minimum"
            } else {
                ""
            },
            fixed(Some(v.fit.points_lost), 1)
        )?;
    }
    writeln!(out)
}

fn write_advice(out: &mut dyn Write, views: &[AttributeView<'_>]) -> io::Result<()> {
    let gaps = text::gaps(views);
    writeln!(out, "### Gaps — what to ask at interview\n")?;
    if gaps.is_empty() {
        writeln!(out, "Every attribute lies in the role's range.\n")?;
    }
    for gap in &gaps {
        writeln!(
            out,
            "#### {} — {}\n\n{}\n",
            escape(&gap.scale.name),
            escape(&gap.reading()),
            escape(&gap.gap_sentence())
        )?;
        for (i, probe) in gap.probes().iter().enumerate() {
            writeln!(out, "{}. {}", i + 1, escape(probe))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "### Strengths\n")?;
    for strength in text::strengths(views) {
        writeln!(
            out,
            "- **{}**: {}",
            escape(&strength.scale.name),
            escape(&strength.strength_sentence())
        )?;
    }
    writeln!(out, "\n### If hired: development\n")?;
    for view in gaps.iter().chain(text::strengths(views).iter()) {
        if let Some(suggestion) = view.development().first() {
            writeln!(
                out,
                "- **{}**: {}",
                escape(&view.scale.name),
                escape(suggestion)
            )?;
        }
    }
    writeln!(out)
}

fn index_entry(run: &Run<'_>, rank: usize, result: &CandidateResult, link: String) -> IndexEntry {
    let views = text::attributes(run, result);
    IndexEntry {
        rank,
        id: result.shown().into_owned(),
        status: result.validity.status,
        fit: result.recommendable.then_some(result.fit.score).flatten(),
        interval: result
            .recommendable
            .then_some(result.fit.interval)
            .flatten(),
        band: result.fit.band,
        gaps: text::shown_gaps(result, &views)
            .iter()
            .map(|g| g.scale.name.clone())
            .collect(),
        link,
    }
}

fn write_summary(
    out: &mut dyn Write,
    run: &Run<'_>,
    entries: &[IndexEntry],
    summary: &Summary,
    rejections: &[Rejection],
) -> io::Result<()> {
    let profile = run.assessment.profile();
    let confidence = provenance(run).options.confidence;
    let level = text::level_words(confidence);
    writeln!(
        out,
        "# Candidates for {}\n\n{}\n",
        escape(&profile.name),
        escape(&profile.summary)
    )?;
    write_notice(out, run)?;
    writeln!(
        out,
        "{} rows read: {} scored ({} valid, {} caution, {} invalid) and {} rejected{}. Best fit first, answers \
needing care ranked with valid ones (probe them at interview); below a role minimum after, invalid last; equal fits share a rank. Fit runs from 0 to 100 (100: every attribute in the role's range); \
when two candidates' {level} ranges overlap, the questionnaire cannot say which fits better. {}\n",
        summary.read, summary.scored, summary.valid, summary.caution, summary.invalid, summary.rejected,
        summary.superseded_clause(),
        escape(&text::sten_explained(confidence))
    )?;
    writeln!(out, "| # | Candidate | Answers | Fit ({level} range) | Verdict | Outside the role's range |\n|--:|---|---|---|---|---|")?;
    for e in entries {
        let fit = match (e.fit, e.interval) {
            (Some(f), Some(i)) => format!(
                "{} ({}–{})",
                fixed(Some(f), 0),
                fixed(Some(i.low), 0),
                fixed(Some(i.high), 0)
            ),
            _ => "none".into(),
        };
        writeln!(
            out,
            "| {} | [{}]({}) | {} | {fit} | {} | {} |",
            e.rank,
            escape(&e.id),
            e.link,
            status_words(e.status),
            band_title(e.band),
            escape(&e.gaps.join(", "))
        )?;
    }
    writeln!(out)?;
    for rejection in rejections {
        let reasons: Vec<&str> = rejection
            .problems
            .iter()
            .map(|p| p.reason.as_str())
            .collect();
        writeln!(
            out,
            "- Row {} not scored ({}): {}",
            rejection.row,
            escape(rejection.id.as_deref().unwrap_or("no id")),
            escape(&reasons.join("; "))
        )?;
    }
    write_provenance(out, run)
}

/// One Markdown document: the summary, then every candidate.
pub struct MarkdownReport<W: Write> {
    out: W,
    names: FileNames,
    entries: Vec<IndexEntry>,
    sections: Vec<u8>,
}

impl<W: Write> MarkdownReport<W> {
    /// Writes into `sink`.
    pub fn new(sink: W) -> Self {
        MarkdownReport {
            out: sink,
            names: FileNames::default(),
            entries: Vec::new(),
            sections: Vec::new(),
        }
    }
}

impl<W: Write> ReportWriter for MarkdownReport<W> {
    fn begin(&mut self, _run: &Run<'_>) -> io::Result<()> {
        Ok(())
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        let anchor = format!("#c-{}", self.names.stem(&result.id, result.row));
        self.entries
            .push(index_entry(run, rank, result, anchor.clone()));
        writeln!(self.sections, "<a id=\"{}\"></a>\n", &anchor[1..])?;
        write_candidate(&mut self.sections, run, rank, result, false)
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        rejections: &[Rejection],
    ) -> io::Result<()> {
        write_summary(&mut self.out, run, &self.entries, summary, rejections)?;
        self.out.write_all(&self.sections)?;
        self.out.flush()
    }

    fn comparison(&mut self, run: &Run<'_>, comparison: &Comparison) -> io::Result<()> {
        super::markdown_compare::write_comparison(&mut self.out, run, comparison)?;
        self.out.flush()
    }
}

/// A folder: `index.md` and `candidates/<stem>.md` per candidate.
pub struct MarkdownSite<'s> {
    sink: &'s mut dyn PageSink,
    names: FileNames,
    entries: Vec<IndexEntry>,
}

impl<'s> MarkdownSite<'s> {
    /// Writes pages into `sink`.
    pub fn new(sink: &'s mut dyn PageSink) -> Self {
        MarkdownSite {
            sink,
            names: FileNames::default(),
            entries: Vec::new(),
        }
    }
}

impl ReportWriter for MarkdownSite<'_> {
    fn begin(&mut self, _run: &Run<'_>) -> io::Result<()> {
        Ok(())
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        let name = format!(
            "{CANDIDATE_FOLDER}/{}.md",
            self.names.stem(&result.id, result.row)
        );
        self.entries
            .push(index_entry(run, rank, result, name.clone()));
        self.sink.page(&name, &mut |out| {
            writeln!(out, "[← all candidates](../index.md)\n")?;
            write_candidate(out, run, rank, result, true)
        })
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        rejections: &[Rejection],
    ) -> io::Result<()> {
        let entries = &self.entries;
        self.sink.page("index.md", &mut |out| {
            write_summary(out, run, entries, summary, rejections)
        })
    }
}
