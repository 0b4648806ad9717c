//! One candidate's HTML section: verdict, profile chart, how sure, answers,
//! scores table, gaps with interview questions, strengths, development.
//! Sized to print on one A4 page.

use std::io::{self, Write};

use super::answers_text;
use super::chart::{self, Point, Row, Series};
use super::html::{escape, table_region, write_notice, write_provenance, CandidatePage};
use super::text::{self, status_words, AttributeView};
use super::{fixed, provenance, Run};
use crate::assessment::CandidateResult;
use crate::validity::Status;

/// Chart rows and the candidate's series.
pub(crate) fn chart_data(views: &[AttributeView<'_>], name: &str) -> (Vec<Row>, Series) {
    let rows = views
        .iter()
        .map(|v| Row {
            label: v.scale.name.clone(),
            low: v.target.low,
            high: v.target.high,
            minimum: v.target.minimum,
        })
        .collect();
    let points = views
        .iter()
        .map(|v| {
            v.normed.map(|n| Point {
                value: n.sten_continuous,
                sten: n.sten,
                interval: text::clamp_sten(n.sten_interval),
                note: v.reading(),
            })
        })
        .collect();
    // A legend entry with no marks must say why, or it reads as a lost candidate.
    let name = match views.first() {
        Some(v) if !v.trusted => format!("{name} (not shown: answers not trusted)"),
        _ => name.to_string(),
    };
    (rows, Series { name, points })
}

/// Writes one candidate's section.
pub(crate) fn write_candidate(
    out: &mut dyn Write,
    run: &Run<'_>,
    rank: usize,
    result: &CandidateResult,
    page: &CandidatePage<'_>,
) -> io::Result<()> {
    let views = text::attributes(run, result);
    let status = result.validity.status;
    writeln!(
        out,
        "<section class=\"candidate\" id=\"{}\">",
        escape(page.anchor)
    )?;
    if let Some(back) = page.back {
        writeln!(
            out,
            "<p class=\"back screen-only\"><a href=\"{}\">← all candidates</a></p>",
            escape(back)
        )?;
    }
    let band = if result.recommendable {
        format!(
            "<span class=\"band\">{} · {}</span>",
            text::band_title(result.fit.band),
            fixed(result.fit.score, 0)
        )
    } else {
        "<span class=\"band\">No fit given</span>".into()
    };
    writeln!(
        out,
        "<div class=\"cand-head\"><h2>#{rank} {}</h2><span class=\"status {}\">{}</span>{band}</div>",
        escape(&result.shown()),
        status.name(),
        status_words(status)
    )?;
    let (headline, advice) = text::verdict(run, result);
    writeln!(
        out,
        "<p class=\"verdict{}\"><strong>{}</strong> {}</p>",
        if result.recommendable { "" } else { " invalid" },
        escape(&headline),
        escape(&advice)
    )?;
    if page.footer {
        write_notice(out, run)?;
    }
    if status == Status::Invalid {
        write_untrusted(out, result)?;
    } else {
        write_overview(out, run, result, &views, page.footer)?;
        write_advice(out, &views)?;
    }
    if page.footer {
        write_provenance(out, run)?;
    }
    writeln!(out, "</section>")
}

fn write_overview(
    out: &mut dyn Write,
    run: &Run<'_>,
    result: &CandidateResult,
    views: &[AttributeView<'_>],
    own_page: bool,
) -> io::Result<()> {
    let role = &run.assessment.profile().name;
    let confidence = provenance(run).options.confidence;
    let (rows, series) = chart_data(views, &result.id);
    writeln!(out, "<div class=\"cols\"><div>")?;
    chart::write_svg(
        out,
        &format!("{}-chart", page_token(result.row)),
        &format!("Profile of {} against {role}", result.shown()),
        &rows,
        &[series],
        confidence,
    )?;
    writeln!(out, "</div><div>")?;
    if own_page {
        // Its reader may not have seen the summary's explanation; beside
        // the chart, where it takes no extra height on the printed page.
        writeln!(out, "<p class=\"muted\">{}</p>", text::SCALE_EXPLAINED)?;
    }
    writeln!(
        out,
        "<h3>How sure are we?</h3><p>{}</p>",
        escape(&text::certainty(result, confidence))
    )?;
    writeln!(out, "<h3>The answers</h3>")?;
    let reasons = answers_text::untrusted_reasons(result);
    if reasons.is_empty() {
        writeln!(
            out,
            "<p>{}: no sign of careless, random or too-good-to-be-true answering.</p>",
            status_words(result.validity.status)
        )?;
    } else {
        writeln!(out, "<p>{}:</p>", status_words(result.validity.status))?;
        write_list(out, "ul", &reasons)?;
        writeln!(out, "<h4>What to probe about the answers</h4>")?;
        write_list(out, "ul", &answers_text::caution_probes(result))?;
    }
    let flags = text::page_flags(run, result);
    if !flags.is_empty() {
        writeln!(out, "<h3>Flags</h3><ul>")?;
        for flag in &flags {
            writeln!(out, "<li>⚑ {}</li>", escape(flag))?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</div></div>")?;
    write_scores(out, run, &result.shown(), views)
}

/// An invalid candidate's page: no chart, scores or fit, but why the
/// answers cannot be trusted and what to do next.
fn write_untrusted(out: &mut dyn Write, result: &CandidateResult) -> io::Result<()> {
    writeln!(out, "<h3>Why the answers cannot be trusted</h3>")?;
    write_list(out, "ul", &answers_text::untrusted_reasons(result))?;
    writeln!(out, "<h3>What to do next</h3>")?;
    write_list(out, "ol", &answers_text::NEXT_STEPS)
}

/// A list (`ul` or `ol`) of plain sentences, escaped.
fn write_list<S: AsRef<str>>(out: &mut dyn Write, tag: &str, items: &[S]) -> io::Result<()> {
    writeln!(out, "<{tag}>")?;
    for item in items {
        writeln!(out, "<li>{}</li>", escape(item.as_ref()))?;
    }
    writeln!(out, "</{tag}>")
}

/// A token for element ids made from the input row, never from user text.
fn page_token(row: u64) -> String {
    format!("r{row}")
}

fn write_scores(
    out: &mut dyn Write,
    run: &Run<'_>,
    name: &str,
    views: &[AttributeView<'_>],
) -> io::Result<()> {
    writeln!(
        out,
        "{}<table class=\"scores screen-only\"><thead><tr><th>Attribute</th><th class=\"num\">Score</th><th class=\"num\">{} range</th>\
<th class=\"num\">Role's range</th><th>Reading</th><th class=\"num\">Fit points lost</th></tr></thead><tbody>",
        table_region(&format!("Scores of {name}")),
        text::run_level(run)
    )?;
    for v in views {
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\"><strong>{}</strong></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}{}</td><td class=\"num\">{}</td></tr>",
            escape(&v.scale.name),
            v.sten_words(),
            v.interval_words(),
            escape(&v.range()),
            escape(&v.reading()),
            if v.fit.below_minimum { " — below minimum" } else { "" },
            fixed(Some(v.fit.points_lost), 1)
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

fn write_advice(out: &mut dyn Write, views: &[AttributeView<'_>]) -> io::Result<()> {
    let gaps = text::gaps(views);
    let strengths = text::strengths(views);
    writeln!(out, "<h3>Gaps — what to ask at interview</h3>")?;
    if gaps.is_empty() {
        writeln!(
            out,
            "<p>Every attribute lies in the role's range. Use the interview to confirm the picture with examples from past work.</p>"
        )?;
    }
    writeln!(out, "<div class=\"gaps\">")?;
    for gap in &gaps {
        writeln!(
            out,
            "<div class=\"gap\"><h4>{} — {}</h4><p>{}</p><ol class=\"probes\">",
            escape(&gap.scale.name),
            escape(&gap.reading()),
            escape(&gap.gap_sentence())
        )?;
        for probe in gap.probes() {
            writeln!(out, "<li>{}</li>", escape(probe))?;
        }
        writeln!(out, "</ol></div>")?;
    }
    writeln!(
        out,
        "</div>\n<div class=\"cols even\"><div><h3>Strengths</h3>"
    )?;
    if strengths.is_empty() {
        writeln!(out, "<p>No attribute lies in the role's range.</p>")?;
    } else {
        writeln!(out, "<ul>")?;
        for strength in &strengths {
            writeln!(
                out,
                "<li><strong>{}</strong>: {}</li>",
                escape(&strength.scale.name),
                escape(&strength.strength_sentence())
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</div><div><h3>If hired: development</h3><ul>")?;
    for view in gaps.iter().chain(strengths.iter()) {
        if let Some(suggestion) = view.development().first() {
            writeln!(
                out,
                "<li><strong>{}</strong>: {}</li>",
                escape(&view.scale.name),
                escape(suggestion)
            )?;
        }
    }
    writeln!(out, "</ul></div></div>")
}
