//! The interview guide below the terminal comparison: a block per candidate
//! with the questions about their own gaps, wrapped to the writer's width.
//! A terminal has no room for columns side by side; the HTML page prints
//! them on one sheet.

use std::io::{self, Write};

use super::TerminalReport;
use crate::compare::Comparison;
use crate::report::text::status_words;
use crate::report::text_guide::{guide, guide_intro};
use crate::report::Run;

/// Writes the guide below a comparison.
pub(super) fn write<W: Write>(
    report: &mut TerminalReport<W>,
    run: &Run<'_>,
    comparison: &Comparison,
) -> io::Result<()> {
    writeln!(report.out)?;
    let title = format!("Interview guide — {}", run.assessment.profile().name);
    report.paragraph(&super::sanitise(&title), "", "", Some("1"))?;
    report.paragraph(&guide_intro(), "", "", None)?;
    for column in guide(run, comparison) {
        writeln!(report.out)?;
        let title = format!("{} — {}", column.title, status_words(column.status));
        report.paragraph(&super::sanitise(&title), "", "  ", None)?;
        if let Some(advice) = column.advice {
            report.paragraph(advice, "  ", "  ", None)?;
        }
        for check in &column.checks {
            report.paragraph(&super::sanitise(check), "  - ", "    ", None)?;
        }
        for topic in &column.topics {
            report.paragraph(&super::sanitise(&topic.heading), "  ", "    ", None)?;
            for (i, question) in topic.questions.iter().enumerate() {
                let number = format!("    {}. ", i + 1);
                report.paragraph(&super::sanitise(question), &number, "       ", None)?;
            }
        }
    }
    Ok(())
}
