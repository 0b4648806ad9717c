//! The interview guide on the HTML comparison page: one column per
//! candidate with the questions about their own gaps and room for notes.
//! On paper it takes a sheet of its own, so the interviewer can take just
//! that sheet into the room.

use std::io::{self, Write};

use super::html::escape;
use super::text::status_words;
use super::text_guide::{guide, guide_intro, Column};
use super::Run;
use crate::compare::Comparison;

/// Writes the guide section.
pub(crate) fn write_guide(
    out: &mut dyn Write,
    run: &Run<'_>,
    comparison: &Comparison,
) -> io::Result<()> {
    writeln!(
        out,
        "<section class=\"guide\" aria-labelledby=\"guide-title\">\n<h2 id=\"guide-title\">Interview guide — {}</h2>\n<p class=\"muted\">{}</p>\n<div class=\"guide-cols\">",
        escape(&run.assessment.profile().name),
        escape(&guide_intro())
    )?;
    for column in guide(run, comparison) {
        write_column(out, &column)?;
    }
    writeln!(out, "</div>\n</section>")
}

fn write_column(out: &mut dyn Write, column: &Column) -> io::Result<()> {
    writeln!(
        out,
        "<div class=\"guide-col\"><h3>{}</h3><p><span class=\"status {}\">{}</span></p>",
        escape(&column.title),
        column.status.name(),
        status_words(column.status)
    )?;
    if let Some(advice) = column.advice {
        writeln!(out, "<p>{}</p>", escape(advice))?;
    }
    if !column.checks.is_empty() {
        writeln!(out, "<ul class=\"checks\">")?;
        for check in &column.checks {
            writeln!(out, "<li>{}</li>", escape(check))?;
        }
        writeln!(out, "</ul>")?;
    }
    for topic in &column.topics {
        writeln!(
            out,
            "<div class=\"topic\"><h4>{}</h4><ol class=\"questions\">",
            escape(&topic.heading)
        )?;
        for question in &topic.questions {
            writeln!(out, "<li>{}</li>", escape(question))?;
        }
        writeln!(out, "</ol><div class=\"notes\"></div></div>")?;
    }
    writeln!(
        out,
        "<p class=\"notes-label\">Notes</p><div class=\"notes last\"></div></div>"
    )
}
