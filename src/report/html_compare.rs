//! The HTML comparison page: the candidates' profiles overlaid on one chart,
//! their scores side by side, and for every pair which differences are real;
//! then the interview guide, on a printed sheet of its own.

use std::io::{self, Write};

use super::chart::{self, Series, SHAPES};
use super::html::{escape, table_region, write_head, write_notice, write_provenance};
use super::html_candidate::chart_data;
use super::html_guide::write_guide;
use super::text::{self, status_words};
use super::{fixed, Run};
use crate::compare::{pairs, Comparison, PairDifference, Verdict};

/// A verdict as a symbol and words, never colour alone. A pair not compared
/// for invalid answers reads "invalid answers", as in Markdown: the longer
/// words take two lines a cell and push a comparison of four off its page.
fn cell(pair: &PairDifference, decimals: usize) -> String {
    let difference = text::difference_text(pair, decimals);
    match pair.verdict {
        Verdict::Real => format!("<span class=\"real\">≠ real {difference}</span>"),
        Verdict::WithinError => format!("<span class=\"muted\">≈ {difference}</span>"),
        Verdict::Untrusted => "<span class=\"muted\">invalid answers</span>".into(),
        Verdict::Missing => format!(
            "<span class=\"muted\">{}</span>",
            text::verdict_words(Verdict::Missing)
        ),
    }
}

/// Writes the whole comparison page.
pub(crate) fn write_comparison(
    out: &mut dyn Write,
    run: &Run<'_>,
    comparison: &Comparison,
) -> io::Result<()> {
    let role = &run.assessment.profile().name;
    let n = comparison.candidates.len();
    let title = format!("Comparing {n} candidates for {role}");
    write_head(out, &format!("{title} — servicefit"))?;
    writeln!(
        out,
        "<main class=\"comparison\">\n<h1>{}</h1>",
        escape(&title)
    )?;
    write_notice(out, run)?;
    writeln!(
        out,
        "<p class=\"verdict\"><strong>Bottom line.</strong> {}</p>",
        escape(&text::comparison_bottom_line(comparison))
    )?;
    write_chart(out, run, comparison)?;
    write_side_by_side(out, run, comparison)?;
    write_pairs(out, run, comparison)?;
    write_provenance(out, run)?;
    write_guide(out, run, comparison)?;
    writeln!(out, "</main>\n</body>\n</html>")
}

fn write_chart(out: &mut dyn Write, run: &Run<'_>, comparison: &Comparison) -> io::Result<()> {
    let mut rows = Vec::new();
    let mut series: Vec<Series> = Vec::new();
    for candidate in &comparison.candidates {
        let views = text::attributes(run, candidate);
        let (candidate_rows, candidate_series) = chart_data(&views, &candidate.id);
        rows = candidate_rows;
        series.push(candidate_series);
    }
    writeln!(out, "<div class=\"cols\"><div>")?;
    chart::write_svg(
        out,
        "compare-chart",
        &format!(
            "Profiles of {} candidates against {}",
            comparison.candidates.len(),
            run.assessment.profile().name
        ),
        &rows,
        &series,
        comparison.confidence,
    )?;
    writeln!(
        out,
        "</div><div><h2>How to read this</h2><p>{}</p><p>A difference between two candidates is <strong>real</strong> \
when it is larger than measurement error at {} confidence. {}</p></div></div>",
        escape(&text::sten_explained(comparison.confidence)),
        text::level_words(comparison.confidence),
        escape(&text::thresholds_sentence(
            run,
            comparison,
            text::sten_decimals(comparison)
        ))
    )
}

fn write_side_by_side(
    out: &mut dyn Write,
    run: &Run<'_>,
    comparison: &Comparison,
) -> io::Result<()> {
    writeln!(
        out,
        "<h2>Scores side by side</h2>\n{}<table><thead><tr><th>Measure</th><th>Role's range</th>",
        table_region("Scores side by side")
    )?;
    for (i, candidate) in comparison.candidates.iter().enumerate() {
        write!(
            out,
            "<th>{}<br><span class=\"muted\">({})</span></th>",
            escape(&candidate.shown()),
            SHAPES[i % SHAPES.len()]
        )?;
    }
    writeln!(out, "</tr></thead><tbody>\n<tr><td>Answers</td><td></td>")?;
    for candidate in &comparison.candidates {
        let status = candidate.validity.status;
        write!(
            out,
            "<td><span class=\"status {}\">{}</span></td>",
            status.name(),
            status_words(status)
        )?;
    }
    writeln!(
        out,
        "</tr>\n<tr><td><strong>Fit</strong> ({} range)</td><td>0–100</td>",
        text::level_words(comparison.confidence)
    )?;
    for candidate in &comparison.candidates {
        let fit = match (
            candidate.recommendable,
            candidate.fit.score,
            candidate.fit.interval,
        ) {
            (true, Some(score), Some(i)) => format!(
                "<strong>{}</strong> ({}–{}) {}",
                fixed(Some(score), 0),
                fixed(Some(i.low), 0),
                fixed(Some(i.high), 0),
                text::band_title(candidate.fit.band).to_lowercase()
            ),
            _ => "none".into(),
        };
        write!(out, "<td>{fit}</td>")?;
    }
    writeln!(out, "</tr>")?;
    let views: Vec<_> = comparison
        .candidates
        .iter()
        .map(|c| text::attributes(run, c))
        .collect();
    let attributes = views.first().map_or(0, Vec::len);
    for a in 0..attributes {
        let first = &views[0][a];
        write!(
            out,
            "<tr><td>{}</td><td>{}</td>",
            escape(&first.scale.name),
            escape(&first.range())
        )?;
        for candidate in &views {
            let v = &candidate[a];
            write!(
                out,
                "<td><strong>{}</strong>{} {}</td>",
                v.sten_words(),
                v.bracketed_interval(),
                escape(&v.reading())
            )?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")
}

fn write_pairs(out: &mut dyn Write, run: &Run<'_>, comparison: &Comparison) -> io::Result<()> {
    let q = run.assessment.questionnaire();
    writeln!(
        out,
        "<h2>Which differences are real?</h2>\n<p class=\"muted\">≠ real: larger than measurement error (first minus second). \
≈ within measurement error: do not read anything into it.</p>\n{}<table class=\"pairs\"><thead><tr><th>Pair</th><th>Fit</th>",
        table_region("Which differences are real")
    )?;
    for attribute in &comparison.attributes {
        let name = q
            .scale_index(&attribute.scale)
            .map_or(attribute.scale.as_str(), |i| q.scales()[i].name.as_str());
        write!(out, "<th>{}</th>", escape(name))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    let decimals = text::sten_decimals(comparison);
    for (p, &(i, j)) in pairs(comparison.candidates.len()).iter().enumerate() {
        write!(
            out,
            "<tr><td>{} vs {}</td><td>{}</td>",
            escape(&comparison.candidates[i].id),
            escape(&comparison.candidates[j].id),
            comparison
                .fit
                .get(p)
                .map_or_else(String::new, |f| cell(f, 0))
        )?;
        for attribute in &comparison.attributes {
            let text = attribute
                .pairs
                .get(p)
                .map_or_else(String::new, |d| cell(d, decimals));
            write!(out, "<td>{text}</td>")?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>\n<h2>In words</h2><ul>")?;
    for (p, &(i, j)) in pairs(comparison.candidates.len()).iter().enumerate() {
        let fit = comparison
            .fit
            .get(p)
            .map(|f| text::fit_pair_sentence(comparison, f))
            .unwrap_or_default();
        let attributes = text::attribute_pair_sentence(run, comparison, i, j);
        writeln!(out, "<li>{} {}</li>", escape(&fit), escape(&attributes))?;
    }
    writeln!(out, "</ul>")
}
