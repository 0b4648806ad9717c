//! The audit as aligned text for a terminal: what was audited, one table per
//! grouping, flags in words, notes, rules, limitations and provenance.
//!
//! Group values, column and file names come from the user: every line goes
//! through [`terminal`], so none can send an escape sequence or reorder text.

use std::io::{self, Write};

use super::{
    cells, counts_line, flag_cells, provenance_lines, title, FLAG_HEADER, LEGEND,
    SHORT_HEADER as HEADER,
};
use crate::audit::table::GroupTable;
use crate::audit::Audit;
use crate::text::terminal;

/// Writes one line of text, made safe for a terminal.
fn say(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out, "{}", terminal(text))
}

/// Writes the terminal text.
pub(super) fn write(audit: &Audit, out: &mut dyn Write) -> io::Result<()> {
    let date = audit
        .date
        .as_deref()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    say(
        out,
        &format!("Fairness audit of {}{date}", audit.results.name),
    )?;
    say(out, &format!("Selected: {}", audit.selection_rule))?;
    say(out, &counts_line(audit))?;
    for table in &audit.tables {
        writeln!(out)?;
        write_table(table, out)?;
    }
    writeln!(out, "\n{LEGEND}")?;
    section(out, "Rules", &audit.rules)?;
    section(out, "Limitations", &audit.limitations)?;
    section(out, "Provenance", &provenance_lines(audit))
}

fn write_table(table: &GroupTable, out: &mut dyn Write) -> io::Result<()> {
    let reference = table.reference.as_deref().unwrap_or("none");
    say(
        out,
        &format!("By {} (reference group: {reference})", title(table)),
    )?;
    let rows: Vec<Vec<String>> = table.rows.iter().map(|r| cells(r, table)).collect();
    aligned(&HEADER, &rows, out)?;
    for row in table.rows.iter().filter(|r| !r.flags.is_empty()) {
        say(out, &format!("  {}: {}", row.group, row.flags.join("; ")))?;
    }
    for note in &table.notes {
        say(out, &format!("  Note: {note}"))?;
    }
    say(out, &format!("Validity flags by {}", title(table)))?;
    let rows: Vec<Vec<String>> = table.rows.iter().map(flag_cells).collect();
    aligned(&FLAG_HEADER, &rows, out)
}

/// Writes `header` and `rows` as columns, the first left-aligned, the others right-aligned.
fn aligned(header: &[&str], rows: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, &w))| {
                let pad = w - cell.chars().count();
                if i == 0 {
                    format!("{cell}{}", " ".repeat(pad))
                } else {
                    format!("{}{cell}", " ".repeat(pad))
                }
            })
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    say(out, &format!("  {}", line(&header)))?;
    for row in rows {
        say(out, &format!("  {}", line(row)))?;
    }
    Ok(())
}

fn section(out: &mut dyn Write, heading: &str, lines: &[String]) -> io::Result<()> {
    writeln!(out, "\n{heading}:")?;
    for line in lines {
        say(out, &format!("  - {line}"))?;
    }
    Ok(())
}
