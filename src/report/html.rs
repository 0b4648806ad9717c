//! HTML: self-contained pages (inline CSS and SVG, no script) that a person
//! reads or prints. Two shapes: one document with every candidate
//! ([`HtmlReport`], for stdout) or a folder with an index and a page per
//! candidate ([`HtmlSite`], through a [`PageSink`]).
//!
//! Every piece of text that did not come from this file goes through
//! [`escape`]: ids, file names, and the words of the data files.

use std::io::{self, Write};

use super::html_candidate::write_candidate;
use super::html_style::CSS;
use super::site::{FileNames, IndexEntry, PageSink, CANDIDATE_FOLDER};
use super::text::{self, band_title, status_words};
use super::{fixed, provenance, ReportWriter, Run, Summary};
use crate::assessment::CandidateResult;
use crate::compare::Comparison;
use crate::response::Rejection;

/// Rejected rows listed on the summary page; the rest are in rejects.csv.
const REJECTS_LISTED: usize = 50;

/// User text made safe for HTML: one escaper for every HTML writer.
pub(crate) use crate::text::html as escape;

/// Opens the box a table sits in, closed by `</div>`: on a narrow screen the
/// table scrolls sideways inside it instead of the whole page, and the box is
/// a named region a keyboard can reach and scroll (axe-core's
/// scrollable-region-focusable). Regions are landmarks, so `label` must
/// differ from every other region's on the page.
pub(crate) fn table_region(label: &str) -> String {
    format!(
        "<div class=\"wide\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
        escape(label)
    )
}

/// Opens a page: doctype, head with the style sheet, and `<body>`.
pub(crate) fn write_head(out: &mut dyn Write, title: &str) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>",
        crate::provenance::ENGINE,
        escape(title)
    )
}

/// The provisional-norms notice, when it applies, in the plain words of the
/// evidence status (what to run about it is the consultant's business: stderr and JSON).
pub(crate) fn write_notice(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    match &provenance(run).norms_notice {
        Some(_) => writeln!(
            out,
            "<aside class=\"notice\" role=\"note\"><strong>⚠ Provisional norms.</strong> {}</aside>",
            escape(&run.assessment.evidence().norms_sentence())
        ),
        None => Ok(()),
    }
}

/// The evidence status in one short plain block.
fn write_evidence(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    let sentences = run.assessment.evidence().sentences().map(|s| escape(&s));
    writeln!(
        out,
        "<section class=\"evidence\"><h2>What these results rest on</h2><p>{}</p></section>",
        sentences.join(" ")
    )
}

/// The evidence status, then the provenance footer: engine, data files with hashes, options, input.
pub(crate) fn write_provenance(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    write_evidence(out, run)?;
    let p = provenance(run);
    let file = |kind: &str, f: &crate::provenance::FileRecord| {
        format!(
            "{kind} <strong>{}</strong> {} ({}, sha256 <code>{}</code>)",
            escape(&f.id),
            escape(&f.version),
            escape(&f.source),
            escape(&f.sha256)
        )
    };
    let share = fixed(p.options.min_answered_share, 2);
    writeln!(
        out,
        "<footer class=\"provenance\"><p>Produced by {} from <strong>{}</strong> ({} bytes, sha256 <code>{}</code>).</p>\n\
<p>{}; {}, norm group {}; {}.</p>\n<p>Options: confidence {}, minimum share of a scale's items answered {share}.{}</p></footer>",
        escape(&p.engine),
        escape(&run.input.name),
        run.input.bytes,
        escape(&run.input.sha256),
        file("Questionnaire", &p.questionnaire),
        file("norms", &p.norms),
        escape(&p.norm_group),
        file("role profile", &p.profile),
        text::level_words(p.options.confidence),
        if p.norms_notice.is_some() {
            " Norms: provisional planning values."
        } else {
            " Norms: built from data."
        }
    )
}

/// A fit bar (score as a bar, interval as a whisker) and the numbers.
pub(crate) fn fit_cell(entry: &IndexEntry) -> String {
    match (entry.fit, entry.interval) {
        (Some(fit), Some(interval)) => format!(
            "<svg class=\"fitbar\" width=\"120\" height=\"14\" viewBox=\"0 0 100 14\" aria-hidden=\"true\">\
<rect x=\"0\" y=\"3\" width=\"100\" height=\"8\" fill=\"#e6e6e6\"/><rect x=\"0\" y=\"3\" width=\"{:.1}\" height=\"8\" fill=\"#0072B2\"/>\
<path d=\"M{lo:.1} 1V13M{lo:.1} 7H{hi:.1}M{hi:.1} 1V13\" stroke=\"#000\" stroke-width=\"1.2\" fill=\"none\"/></svg>\
<strong>{}</strong> <span class=\"muted\">({}–{})</span>",
            fit.clamp(0.0, 100.0),
            fixed(Some(fit), 0),
            fixed(Some(interval.low), 0),
            fixed(Some(interval.high), 0),
            lo = interval.low.clamp(0.0, 100.0),
            hi = interval.high.clamp(0.0, 100.0),
        ),
        _ => "<span class=\"muted\">none</span>".into(),
    }
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
            .map(|g| format!("{} ({})", g.scale.name, g.reading()))
            .collect(),
        link,
    }
}

/// The summary page: heading, notice, counts, how to read, ranking, rejections, provenance.
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
        "<div class=\"summary-page\">\n<h1>Candidates for {}</h1>\n<p class=\"muted\">{}</p>",
        escape(&profile.name),
        escape(&profile.summary)
    )?;
    write_notice(out, run)?;
    writeln!(
        out,
        "<p>{} rows read: {} scored ({} with valid answers, {} needing care, {} invalid) and {} rejected{}.</p>",
        summary.read, summary.scored, summary.valid, summary.caution, summary.invalid, summary.rejected,
        escape(&summary.superseded_clause())
    )?;
    writeln!(
        out,
        "<p><strong>How to read this.</strong> Candidates with valid answers come first, then those whose answers need care, \
then those whose answers cannot be trusted; within each group, the best fit first. Fit runs from 0 to 100: 100 means every \
attribute lies in the range the role asks for. The bar shows the fit, the thin line its {level} range: when two candidates' \
ranges overlap, the questionnaire cannot say which fits better (a side-by-side comparison of the two shows which differences are real). {}</p>",
        escape(&text::sten_explained(confidence))
    )?;
    writeln!(
        out,
        "{}<table class=\"ranking\">\n<thead><tr><th class=\"num\">#</th><th>Candidate</th><th>Answers</th>\
<th>Fit ({level} range)</th><th>Verdict</th><th>Outside the role's range</th></tr></thead>\n<tbody>",
        table_region("Ranking of the candidates")
    )?;
    for entry in entries {
        writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td><a href=\"{}\">{}</a></td><td><span class=\"status {}\">{}</span></td><td>{}</td><td class=\"band\">{}</td><td>{}</td></tr>",
            entry.rank,
            escape(&entry.link),
            escape(&entry.id),
            entry.status.name(),
            status_words(entry.status),
            fit_cell(entry),
            band_title(entry.band),
            escape(&entry.gaps.join(", "))
        )?;
    }
    writeln!(out, "</tbody></table></div>")?;
    write_rejections(out, rejections)?;
    write_provenance(out, run)?;
    writeln!(out, "</div>")
}

fn write_rejections(out: &mut dyn Write, rejections: &[Rejection]) -> io::Result<()> {
    if rejections.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<h2>Rows not scored</h2>\n{}<table><thead><tr><th class=\"num\">Row</th><th>Candidate</th><th>Reason</th></tr></thead><tbody>",
        table_region("Rows not scored")
    )?;
    for rejection in rejections.iter().take(REJECTS_LISTED) {
        let reasons: Vec<String> = rejection
            .problems
            .iter()
            .map(|p| match &p.column {
                Some(column) => format!("{column}: {}", p.reason),
                None => p.reason.clone(),
            })
            .collect();
        writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            rejection.row,
            escape(rejection.id.as_deref().unwrap_or("")),
            escape(&reasons.join("; "))
        )?;
    }
    writeln!(out, "</tbody></table></div>")?;
    if rejections.len() > REJECTS_LISTED {
        writeln!(
            out,
            "<p>… and {} more: see rejects.csv.</p>",
            rejections.len() - REJECTS_LISTED
        )?;
    }
    Ok(())
}

fn page_title(run: &Run<'_>) -> String {
    format!(
        "Candidates for {} — servicefit",
        run.assessment.profile().name
    )
}

/// One HTML document with the summary and every candidate (anchors link them).
///
/// Candidate sections are kept in memory until the summary, which comes
/// first, is complete; for thousands of candidates use [`HtmlSite`].
pub struct HtmlReport<W: Write> {
    out: W,
    names: FileNames,
    entries: Vec<IndexEntry>,
    sections: Vec<u8>,
}

impl<W: Write> HtmlReport<W> {
    /// Writes into `sink`.
    pub fn new(sink: W) -> Self {
        HtmlReport {
            out: sink,
            names: FileNames::default(),
            entries: Vec::new(),
            sections: Vec::new(),
        }
    }
}

impl<W: Write> ReportWriter for HtmlReport<W> {
    fn begin(&mut self, _run: &Run<'_>) -> io::Result<()> {
        Ok(())
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        let anchor = format!("c-{}", self.names.stem(&result.id, result.row));
        self.entries
            .push(index_entry(run, rank, result, format!("#{anchor}")));
        let page = CandidatePage {
            anchor: &anchor,
            back: Some("#top"),
            footer: false,
        };
        write_candidate(&mut self.sections, run, rank, result, &page)
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        rejections: &[Rejection],
    ) -> io::Result<()> {
        write_head(&mut self.out, &page_title(run))?;
        writeln!(self.out, "<main id=\"top\">")?;
        write_summary(&mut self.out, run, &self.entries, summary, rejections)?;
        self.out.write_all(&self.sections)?;
        writeln!(self.out, "</main>\n</body>\n</html>")?;
        self.out.flush()
    }

    fn comparison(&mut self, run: &Run<'_>, comparison: &Comparison) -> io::Result<()> {
        super::html_compare::write_comparison(&mut self.out, run, comparison)?;
        self.out.flush()
    }
}

/// Where a candidate section lives and what surrounds it.
pub(crate) struct CandidatePage<'a> {
    /// The section's id (no user text beyond a sanitised stem).
    pub anchor: &'a str,
    /// A link back to the summary, if any.
    pub back: Option<&'a str>,
    /// Whether the section carries its own provenance footer (a page of its own).
    pub footer: bool,
}

/// A folder: `index.html` and `candidates/<stem>.html` per candidate, through a [`PageSink`].
pub struct HtmlSite<'s> {
    sink: &'s mut dyn PageSink,
    names: FileNames,
    entries: Vec<IndexEntry>,
}

impl<'s> HtmlSite<'s> {
    /// Writes pages into `sink`.
    pub fn new(sink: &'s mut dyn PageSink) -> Self {
        HtmlSite {
            sink,
            names: FileNames::default(),
            entries: Vec::new(),
        }
    }
}

impl ReportWriter for HtmlSite<'_> {
    fn begin(&mut self, _run: &Run<'_>) -> io::Result<()> {
        Ok(())
    }

    fn candidate(
        &mut self,
        run: &Run<'_>,
        rank: usize,
        result: &CandidateResult,
    ) -> io::Result<()> {
        let stem = self.names.stem(&result.id, result.row);
        let name = format!("{CANDIDATE_FOLDER}/{stem}.html");
        self.entries
            .push(index_entry(run, rank, result, name.clone()));
        self.sink.page(&name, &mut |out| {
            let title = format!("{} — {}", result.shown(), page_title(run));
            write_head(out, &title)?;
            let page = CandidatePage {
                anchor: "candidate",
                back: Some("../index.html"),
                footer: true,
            };
            // The page's one level-one heading; the candidate's own is h2, as in the document.
            writeln!(
                out,
                "<main>\n<h1 class=\"page-title\">{}</h1>",
                escape(&title)
            )?;
            write_candidate(out, run, rank, result, &page)?;
            writeln!(out, "</main>\n</body>\n</html>")
        })
    }

    fn finish(
        &mut self,
        run: &Run<'_>,
        summary: &Summary,
        rejections: &[Rejection],
    ) -> io::Result<()> {
        let entries = &self.entries;
        self.sink.page("index.html", &mut |out| {
            write_head(out, &page_title(run))?;
            writeln!(out, "<main id=\"top\">")?;
            write_summary(out, run, entries, summary, rejections)?;
            writeln!(out, "</main>\n</body>\n</html>")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            escape(r#""><img src=x onerror=alert(1)>"#),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(escape("O'Brien & co"), "O&#39;Brien &amp; co");
    }

    #[test]
    fn a_table_region_is_named_focusable_and_escaped() {
        assert_eq!(
            table_region("Scores of <b>\"x\""),
            "<div class=\"wide\" role=\"region\" tabindex=\"0\" aria-label=\"Scores of &lt;b&gt;&quot;x&quot;\">"
        );
    }
}
