//! The audit as CSV: one row per group and table, numbers unrounded (as
//! computed, so they can be checked to the last digit); the provenance goes
//! into a side file (see [`super::write_provenance`]).

use std::io::{self, Write};

use crate::audit::Audit;
use crate::text::{csv_safe, terminal};

/// A text cell: the audit CSV is a report read by people (and opened in a
/// spreadsheet), never read back, so user text is shown safely
/// ([`terminal`]) and neutralised ([`csv_safe`]).
fn text(value: &str) -> String {
    csv_safe(&terminal(value)).into_owned()
}

const HEADER: [&str; 37] = [
    "table",
    "group",
    "unknown",
    "n",
    "share",
    "selected",
    "selection_rate",
    "impact_ratio",
    "impact_ratio_low",
    "impact_ratio_high",
    "below_four_fifths",
    "z_test_p",
    "fisher_p",
    "above_median",
    "scoring_rate",
    "scoring_impact_ratio",
    "scoring_below_four_fifths",
    "mean_fit",
    "sd_fit",
    "cohens_d",
    "excluded",
    "status_n",
    "caution",
    "invalid",
    "flagged_rate",
    "flagged_pass_ratio",
    "flagged_below_four_fifths",
    "flagged_z_test_p",
    "flagged_fisher_p",
    "invalid_rate",
    "invalid_pass_ratio",
    "invalid_below_four_fifths",
    "invalid_z_test_p",
    "invalid_fisher_p",
    "too_small",
    "reference",
    "flags",
];

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

fn flag(value: Option<bool>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// Writes the CSV.
pub(super) fn write(audit: &Audit, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(HEADER).map_err(io::Error::other)?;
    for table in &audit.tables {
        let name = super::title(table);
        for row in &table.rows {
            csv.write_record([
                text(&name),
                text(&row.group),
                row.unknown.to_string(),
                row.n.to_string(),
                row.share.to_string(),
                row.selected.to_string(),
                number(row.selection_rate),
                number(row.impact_ratio),
                number(row.impact_ratio_low),
                number(row.impact_ratio_high),
                flag(row.below_four_fifths),
                number(row.z_test_p),
                number(row.fisher_p),
                row.above_median.to_string(),
                number(row.scoring_rate),
                number(row.scoring_impact_ratio),
                flag(row.scoring_below_four_fifths),
                number(row.mean_fit),
                number(row.sd_fit),
                number(row.cohens_d),
                row.excluded.to_string(),
                row.validity.n.to_string(),
                (row.validity.flagged.count - row.validity.invalid.count).to_string(),
                row.validity.invalid.count.to_string(),
                number(row.validity.flagged.rate),
                number(row.validity.flagged.pass_ratio),
                flag(row.validity.flagged.below_four_fifths),
                number(row.validity.flagged.z_test_p),
                number(row.validity.flagged.fisher_p),
                number(row.validity.invalid.rate),
                number(row.validity.invalid.pass_ratio),
                flag(row.validity.invalid.below_four_fifths),
                number(row.validity.invalid.z_test_p),
                number(row.validity.invalid.fisher_p),
                row.too_small.to_string(),
                super::is_reference(row, table).to_string(),
                text(&row.flags.join("; ")),
            ])
            .map_err(io::Error::other)?;
        }
    }
    csv.flush()
}
