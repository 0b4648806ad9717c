//! The audit as a one-page, self-contained HTML summary for a compliance
//! officer: what was audited and when (the date the user gave), the selection
//! definition and rules, the tables, the flags in words, the limitations and
//! the provenance. Every user-supplied string is escaped; no scripts, no
//! external resources; prints on one or two A4 pages. On a phone the text
//! reflows and each table scrolls sideways inside a labelled region a
//! keyboard can reach; its cells do not wrap, so an interval stays on one line.

use std::io::{self, Write};

use super::{cells, counts_line, flag_cells, provenance_lines, title, FLAG_HEADER, HEADER};
use crate::audit::{Audit, GroupTable};
use crate::report::table_region;
use crate::text::html as escape;

const STYLE: &str = "body{font:13px/1.45 system-ui,sans-serif;max-width:62rem;margin:1.5rem auto;padding:0 .8rem;color:#111}\
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.05rem;margin:1.2rem 0 .3rem}h3{font-size:.95rem;margin:.8rem 0 .2rem}\
.wide{overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.3rem 0}\
th,td{border:1px solid #bbb;padding:.15rem .35rem;text-align:right;white-space:nowrap}\
th:first-child,td:first-child{text-align:left}th{background:#eee}tr.flagged td{background:#fde8e8}\
tr.small td{color:#666;font-style:italic}ul{margin:.2rem 0 .2rem 1.2rem;padding:0}\
.meta{color:#333}footer{margin-top:1.2rem;border-top:1px solid #ccc;font-size:11px;color:#444}\
@media print{body{margin:0;font-size:11px}}";

fn list(out: &mut dyn Write, lines: &[String]) -> io::Result<()> {
    writeln!(out, "<ul>")?;
    for line in lines {
        writeln!(out, "<li>{}</li>", escape(line.trim_start()))?;
    }
    writeln!(out, "</ul>")
}

fn row_class(too_small: bool, flagged: bool) -> &'static str {
    match (too_small, flagged) {
        (true, _) => " class=\"small\"",
        (false, true) => " class=\"flagged\"",
        _ => "",
    }
}

/// Writes a table of `header` and `rows`, each row with its class attribute,
/// in a scroll region named `label` (unique on the page).
fn write_table(
    label: &str,
    header: &[&str],
    rows: &[(&str, Vec<String>)],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}<table><thead><tr>", table_region(label))?;
    for head in header {
        write!(out, "<th scope=\"col\">{}</th>", escape(head))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for (class, cells) in rows {
        write!(out, "<tr{class}>")?;
        for c in cells {
            write!(out, "<td>{}</td>", escape(c))?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")
}

/// Writes the HTML page.
pub(super) fn write(audit: &Audit, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<title>Fairness audit — {}</title><style>{STYLE}</style></head><body><main>",
        escape(&audit.results.name)
    )?;
    writeln!(out, "<h1>Fairness audit: adverse-impact summary</h1>")?;
    let date = audit.date.as_deref().unwrap_or("not given");
    writeln!(
        out,
        "<p class=\"meta\"><b>Audit date:</b> {} &nbsp; <b>Results:</b> {}</p>",
        escape(date),
        escape(&audit.results.name)
    )?;
    writeln!(
        out,
        "<p><b>Selected means:</b> {}</p>",
        escape(&audit.selection_rule)
    )?;
    writeln!(out, "<p>{}</p>", escape(&counts_line(audit)))?;
    for table in &audit.tables {
        write_group(table, out)?;
    }
    writeln!(out, "<p>* impact ratio (or pass ratio) below four-fifths (0.80); ref = the reference group; shaded rows are flagged; grey italic rows are too small to judge.</p>")?;
    writeln!(out, "<h2>Rules used</h2>")?;
    list(out, &audit.rules)?;
    writeln!(out, "<h2>Limitations</h2>")?;
    list(out, &audit.limitations)?;
    writeln!(out, "</main><footer><h2>Provenance</h2>")?;
    list(out, &provenance_lines(audit))?;
    writeln!(out, "</footer></body></html>")
}

/// One grouping: its selection table, the flags in words, its validity table.
fn write_group(table: &GroupTable, out: &mut dyn Write) -> io::Result<()> {
    let by = title(table);
    let reference = table.reference.as_deref().unwrap_or("none");
    writeln!(
        out,
        "<h2>By {} — reference group: {}</h2>",
        escape(&by),
        escape(reference)
    )?;
    let rows: Vec<(&str, Vec<String>)> = table
        .rows
        .iter()
        .map(|row| {
            let flagged =
                row.below_four_fifths == Some(true) || row.scoring_below_four_fifths == Some(true);
            (row_class(row.too_small, flagged), cells(row, table))
        })
        .collect();
    write_table(&format!("Selection by {by}"), &HEADER, &rows, out)?;
    let flags: Vec<String> = table
        .rows
        .iter()
        .filter(|r| !r.flags.is_empty())
        .map(|r| format!("{}: {}", r.group, r.flags.join("; ")))
        .chain(table.notes.iter().map(|n| format!("Note: {n}")))
        .collect();
    list(out, &flags)?;
    writeln!(out, "<h3>Validity flags by {}</h3>", escape(&by))?;
    let rows: Vec<(&str, Vec<String>)> = table
        .rows
        .iter()
        .map(|row| {
            let flagged = row.validity.flagged.below_four_fifths == Some(true)
                || row.validity.invalid.below_four_fifths == Some(true);
            (row_class(row.too_small, flagged), flag_cells(row))
        })
        .collect();
    write_table(&format!("Validity flags by {by}"), &FLAG_HEADER, &rows, out)
}
