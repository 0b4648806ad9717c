//! The audit as Markdown, for a report or a wiki page.

use std::io::{self, Write};

use super::{cells, counts_line, flag_cells, provenance_lines, title, FLAG_HEADER, HEADER};
use crate::audit::Audit;

/// User text (group values, column and file names) made inert in Markdown:
/// the escaper of every Markdown writer.
use crate::text::markdown as cell;

/// Writes a table: a head, an alignment row (the first column left), the rows, a blank line.
fn write_table(header: &[&str], rows: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "| {} |", header.join(" | "))?;
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i == 0 { "---" } else { "---:" })
        .collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    writeln!(out)
}

/// Writes the Markdown.
pub(super) fn write(audit: &Audit, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Fairness audit\n")?;
    if let Some(date) = &audit.date {
        writeln!(out, "- **Date:** {date}")?;
    }
    writeln!(out, "- **Results:** {}", cell(&audit.results.name))?;
    writeln!(out, "- **Selected:** {}", cell(&audit.selection_rule))?;
    writeln!(out, "- **Candidates:** {}", cell(&counts_line(audit)))?;
    for table in &audit.tables {
        let reference = table.reference.as_deref().unwrap_or("none");
        writeln!(
            out,
            "\n## By {} (reference group: {})\n",
            cell(&title(table)),
            cell(reference)
        )?;
        let rows: Vec<Vec<String>> = table.rows.iter().map(|r| cells(r, table)).collect();
        write_table(&HEADER, &rows, out)?;
        for row in table.rows.iter().filter(|r| !r.flags.is_empty()) {
            writeln!(
                out,
                "- **{}:** {}",
                cell(&row.group),
                cell(&row.flags.join("; "))
            )?;
        }
        for note in &table.notes {
            writeln!(out, "- *Note:* {}", cell(note))?;
        }
        writeln!(out, "\n### Validity flags by {}\n", cell(&title(table)))?;
        let rows: Vec<Vec<String>> = table.rows.iter().map(flag_cells).collect();
        write_table(&FLAG_HEADER, &rows, out)?;
    }
    writeln!(
        out,
        "\n\\* impact ratio (or pass ratio) below four-fifths (0.80); ref = the reference group."
    )?;
    for (heading, lines) in [
        ("Rules", &audit.rules),
        ("Limitations", &audit.limitations),
        ("Provenance", &provenance_lines(audit)),
    ] {
        writeln!(out, "\n## {heading}\n")?;
        for line in lines {
            writeln!(out, "- {}", cell(line.trim_start()))?;
        }
    }
    Ok(())
}
