//! Writing an [`Audit`]: one file per format, chosen by [`AuditFormat`]; the
//! rules and limitations in words, and the number formats, live here once.
//!
//! Every format states the selection definition, the rules, the counts, the
//! flags in words, the limitations and the provenance (CSV through its side
//! file, see [`AuditProvenance`]). No format contains a candidate id.

mod csv;
mod html;
mod markdown;
mod terminal;

use std::io::{self, Write};

use serde::Serialize;

use super::results::ResultsProvenance;
use super::selection::Selection;
use super::table::{GroupRow, GroupTable};
use super::{Audit, SourceFile};

/// The output formats of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFormat {
    /// Aligned text for a terminal.
    Terminal,
    /// One row per group and table.
    Csv,
    /// The whole audit as one JSON document.
    Json,
    /// A Markdown document.
    Markdown,
    /// A self-contained one-page HTML summary.
    Html,
}

/// Writes `audit` in `format` into `sink`.
///
/// # Errors
/// Any I/O error of the sink.
pub fn write(audit: &Audit, format: AuditFormat, sink: &mut dyn Write) -> io::Result<()> {
    match format {
        AuditFormat::Terminal => terminal::write(audit, sink),
        AuditFormat::Csv => csv::write(audit, sink),
        AuditFormat::Json => {
            serde_json::to_writer_pretty(&mut *sink, audit).map_err(io::Error::other)?;
            writeln!(sink)
        }
        AuditFormat::Markdown => markdown::write(audit, sink),
        AuditFormat::Html => html::write(audit, sink),
    }
}

/// What produced an audit: the side file of a CSV audit, and part of every other format.
#[derive(Debug, Serialize)]
pub struct AuditProvenance<'a> {
    /// Engine of the audit.
    pub engine: &'a str,
    /// The date the user gave.
    pub date: Option<&'a str>,
    /// The results audited, with their SHA-256.
    pub results: &'a SourceFile,
    /// What produced the results.
    pub results_provenance: Option<&'a ResultsProvenance>,
    /// The group file joined, with its SHA-256.
    pub group_file: Option<&'a SourceFile>,
    /// The group columns.
    pub groups: &'a [String],
    /// The selection definition.
    pub selection: &'a Selection,
}

impl Audit {
    /// The provenance record of this audit.
    pub fn provenance(&self) -> AuditProvenance<'_> {
        AuditProvenance {
            engine: &self.engine,
            date: self.date.as_deref(),
            results: &self.results,
            results_provenance: self.results_provenance.as_ref(),
            group_file: self.group_file.as_ref(),
            groups: &self.groups,
            selection: &self.selection,
        }
    }
}

/// Writes the provenance record as JSON (the side file beside a CSV audit).
///
/// # Errors
/// Any I/O error of the sink.
pub fn write_provenance(audit: &Audit, sink: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *sink, &audit.provenance()).map_err(io::Error::other)?;
    writeln!(sink)
}

/// The rules applied, in words, for every output.
pub(super) fn rules(
    selection: &str,
    median: Option<f64>,
    audited: u64,
    confidence: f64,
) -> Vec<String> {
    let median = median.map_or_else(|| "none".into(), |m| format!("{m:.1}"));
    let level = crate::text::level_words(confidence);
    vec![
        format!("Selected: {selection}."),
        "Selection rate = selected ÷ audited candidates of the group. Impact ratio = the group's selection rate ÷ \
         the reference group's; the reference group has the highest selection rate among the groups large enough \
         to judge (among all groups when none is). A ratio below four-fifths (0.80) is flagged: the four-fifths \
         rule of the US Uniform Guidelines on Employee Selection Procedures, 29 CFR 1607.4(D).".into(),
        format!(
            "Scoring rate = share of the group's audited candidates whose fit is strictly above the median fit of \
             all {audited} audited candidates (median {median}); its impact ratio is against the group with the \
             highest scoring rate (New York City bias-audit rules, 6 RCNY §5-300 and §5-301)."
        ),
        "Too small to judge: fewer than 5 audited candidates, or under 2% of the audited sample (the New York City \
         rules let an auditor leave categories under 2% out of impact ratios; with fewer than 5 a single candidate \
         moves the rate by 20 points or more). Such groups are reported and marked, never dropped.".into(),
        "Left out of the rates: candidates with invalid responses or no fit score (score gives them no \
         recommendation) and any whose fit or selection value cannot be read; each group's count is under \
         'excluded'. Candidates with no group value are reported as '(missing)' with their count, not compared.".into(),
        "Tests, each group against the reference group, two-sided: the two-proportion z test (pooled, no continuity \
         correction) and Fisher's exact test. Cohen's d = (group's mean fit − reference group's mean fit) ÷ pooled \
         standard deviation; negative means the group scores lower.".into(),
        format!(
            "Each impact ratio has a {level} confidence interval by Katz's log method (Morris & Lobsenz 2000); when \
             nobody or everybody of a group is selected, every cell gets ½ (Haldane). A ratio below 0.80 whose interval lies wholly \
             below 0.80 is distinguishable from 0.80; one whose interval reaches 0.80 is not, with these numbers."
        ),
        "Validity flags by group: every candidate with a validity status counts, audited or left out. Passing the \
         response-validity check is treated as a favourable outcome: each group's rate of flags (caution or \
         invalid; invalid alone), the ratio of its pass rate to the pass rate of the group that passes most \
         often (flagged below four-fifths), and the same two tests of its flag rate against that group's."
            .into(),
    ]
}

/// What the figures cannot tell, for every output.
pub(super) fn limitations(
    tables: &[GroupTable],
    provenance: Option<&ResultsProvenance>,
) -> Vec<String> {
    let mut list = vec![
        "The four-fifths rule is a rule of thumb, not a legal test: a ratio below 0.80 is evidence to examine \
         (is the difference job-related? is there a fairer alternative?), and a ratio above it does not prove \
         the selection fair. New York City's Local Law 144 sets no threshold at all."
            .to_string(),
    ];
    let small = tables
        .iter()
        .flat_map(|t| &t.rows)
        .filter(|r| r.too_small && !r.unknown)
        .count();
    if small > 0 {
        list.push(format!(
            "{small} group row(s) are too small to judge: one candidate more or less can move their rates and \
             ratios a long way, and their tests have little power."
        ));
    }
    let comparisons = tables
        .iter()
        .flat_map(|t| t.rows.iter().filter(|r| !r.unknown && r.fisher_p.is_some()))
        .count();
    if comparisons > 1 {
        let chance = 1.0 - 0.95_f64.powi(i32::try_from(comparisons).unwrap_or(i32::MAX));
        list.push(format!(
            "Multiple comparisons: this audit tests {comparisons} groups against their reference groups; at the 5% \
             level the chance that at least one looks significant by chance alone is up to {:.0}% \
             (1 − 0.95^{comparisons}). A Bonferroni-corrected threshold would be 0.05 ÷ {comparisons} = {:.4}.",
            100.0 * chance,
            0.05 / comparisons as f64
        ));
    }
    list.push(
        "The z test is approximate when groups are small; prefer Fisher's exact test there. Intersectional groups \
         are smaller than their parts, so their figures are less certain."
            .into(),
    );
    list.push(
        "Candidates left out (invalid responses, no fit) are not in the rates: if one group has many more of \
         them, that is a difference too — see 'excluded'. The figures describe these candidates under this \
         selection definition only; they do not say why rates differ."
            .into(),
    );
    match provenance {
        None => list.push(
            "The results carry no provenance (a CSV without its .provenance.json side file): the engine and data \
             files that produced them cannot be confirmed from the file alone."
                .into(),
        ),
        Some(p) if p.provisional_norms => list.push(
            "The results were scored with PROVISIONAL planning norms, not norms from respondent data.".into(),
        ),
        Some(_) => {}
    }
    list
}

/// A rate as a percentage with one decimal, or `n/a`.
pub(crate) fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".into(), |v| format!("{:.1}%", 100.0 * v))
}

/// A ratio or effect size with two decimals, or `n/a`.
pub(crate) fn two(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".into(), |v| format!("{v:.2}"))
}

/// A p value with four decimals (`<0.0001` below), `ref` for the reference row, or `n/a`.
pub(crate) fn p_value(value: Option<f64>, row: &GroupRow, table: &GroupTable) -> String {
    if is_reference(row, table) {
        return "ref".into();
    }
    match value {
        Some(p) if p < 0.0001 => "<0.0001".into(),
        Some(p) => format!("{p:.4}"),
        None => "n/a".into(),
    }
}

/// Whether `row` is its table's reference group (never the unknown row).
pub(crate) fn is_reference(row: &GroupRow, table: &GroupTable) -> bool {
    !row.unknown && table.reference.as_deref() == Some(row.group.as_str())
}

/// A table's title: `sex`, or `sex × race` for an intersection.
pub(crate) fn title(table: &GroupTable) -> String {
    table.columns.join(super::INTERSECTION)
}

/// The counts line, in words.
pub fn counts_line(audit: &Audit) -> String {
    let c = &audit.counts;
    let mut line = format!(
        "{} candidates in the results: {} audited; left out: {} with invalid responses, {} without a fit score",
        c.records, c.audited, c.invalid_responses, c.no_fit_score
    );
    if c.unreadable_fit + c.unreadable_selection > 0 {
        line.push_str(&format!(
            ", {} with an unreadable fit, {} with an unreadable selection value",
            c.unreadable_fit, c.unreadable_selection
        ));
    }
    if let (Some(without), Some(extra)) = (c.without_group_record, c.group_records_without_result) {
        line.push_str(&format!(
            ". {without} candidate(s) have no row in the group file (counted as missing); {extra} group-file row(s) match no candidate"
        ));
    }
    line.push('.');
    line
}

/// The provenance in lines of text, for the human-readable formats.
pub(crate) fn provenance_lines(audit: &Audit) -> Vec<String> {
    let mut lines = vec![format!(
        "Results file: {} ({}), SHA-256 {}",
        audit.results.name,
        audit.results.format.map_or("", format_name),
        audit.results.sha256
    )];
    match &audit.results_provenance {
        Some(p) => {
            lines.push(format!(
                "Scored by: {} (provenance from the {})",
                p.engine.as_deref().unwrap_or("engine not recorded"),
                p.found_in
            ));
            for f in &p.data_files {
                lines.push(format!(
                    "  {} {} version {}, SHA-256 {}",
                    f.kind, f.id, f.version, f.sha256
                ));
            }
            if let Some(input) = &p.scored_input {
                let field = |k: &str| input[k].as_str().unwrap_or("?").to_string();
                lines.push(format!(
                    "  scored responses: {}, SHA-256 {}",
                    field("name"),
                    field("sha256")
                ));
            }
        }
        None => lines.push("Scored by: not recorded in the results file".into()),
    }
    if let Some(g) = &audit.group_file {
        lines.push(format!(
            "Group file: {} (joined on {}), SHA-256 {}",
            g.name,
            g.on.as_deref().unwrap_or("?"),
            g.sha256
        ));
    }
    lines.push(format!(
        "Audit: {}; groups {}; selected: {}",
        audit.engine,
        audit.groups.join(", "),
        audit.selection_rule
    ));
    lines
}

fn format_name(format: super::results::ResultsFormat) -> &'static str {
    match format {
        super::results::ResultsFormat::Csv => "CSV",
        super::results::ResultsFormat::JsonLines => "JSON Lines",
        super::results::ResultsFormat::Json => "JSON",
    }
}

/// Column heads of the human-readable tables.
pub(crate) const HEADER: [&str; 14] = [
    "group",
    "n",
    "selected",
    "rate",
    "impact ratio",
    "interval",
    "z test p",
    "Fisher p",
    "above median",
    "scoring rate",
    "scoring ratio",
    "mean fit",
    "Cohen's d",
    "excluded",
];

/// Short column heads for the terminal, explained by [`LEGEND`].
pub(crate) const SHORT_HEADER: [&str; 14] = [
    "group", "n", "sel", "rate", "IR", "IR CI", "z p", "Fisher p", ">med", "ScR", "ScIR", "mean",
    "d", "excl",
];

/// What the short heads mean.
pub(crate) const LEGEND: &str = "sel = selected; IR = impact ratio (* below 0.80); IR CI = its confidence interval; z p, Fisher p = tests against \
the reference group (ref); >med = fit above the sample median; ScR = scoring rate; ScIR = scoring-rate impact \
ratio; mean = mean fit; d = Cohen's d; excl = left out (invalid responses, no fit).";

/// One row's cells for the human-readable tables; a ratio below 0.80 carries a `*`.
pub(crate) fn cells(row: &GroupRow, table: &GroupTable) -> Vec<String> {
    let marked = |value: Option<f64>, below: Option<bool>| {
        let mark = if below == Some(true) { "*" } else { "" };
        format!("{}{mark}", two(value))
    };
    let group = if row.too_small && !row.unknown {
        format!("{} (too small)", row.group)
    } else {
        row.group.clone()
    };
    vec![
        group,
        row.n.to_string(),
        row.selected.to_string(),
        percent(row.selection_rate),
        marked(row.impact_ratio, row.below_four_fifths),
        if is_reference(row, table) {
            "ref".into()
        } else {
            interval(row.impact_ratio_low, row.impact_ratio_high)
        },
        p_value(row.z_test_p, row, table),
        p_value(row.fisher_p, row, table),
        row.above_median.to_string(),
        percent(row.scoring_rate),
        marked(row.scoring_impact_ratio, row.scoring_below_four_fifths),
        row.mean_fit
            .map_or_else(|| "n/a".into(), |m| format!("{m:.1}")),
        if is_reference(row, table) {
            "ref".into()
        } else {
            two(row.cohens_d)
        },
        row.excluded.to_string(),
    ]
}

/// An interval as `low–high` with two decimals, or `n/a`.
pub(crate) fn interval(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(low), Some(high)) => format!("{low:.2}–{high:.2}"),
        _ => "n/a".into(),
    }
}

/// Column heads of the validity-flag tables.
pub(crate) const FLAG_HEADER: [&str; 9] = [
    "group",
    "n",
    "caution",
    "invalid",
    "flagged rate",
    "pass ratio",
    "Fisher p",
    "invalid rate",
    "pass ratio (invalid)",
];

/// One row's cells of the validity-flag table; a pass ratio below 0.80 carries a `*`.
pub(crate) fn flag_cells(row: &GroupRow) -> Vec<String> {
    let v = &row.validity;
    let marked = |value: Option<f64>, below: Option<bool>| {
        let mark = if below == Some(true) { "*" } else { "" };
        format!("{}{mark}", two(value))
    };
    let p = |figures: &super::flags::FlagFigures| match figures.fisher_p {
        _ if figures.reference => "ref".to_string(),
        Some(p) if p < 0.0001 => "<0.0001".into(),
        Some(p) => format!("{p:.4}"),
        None => "n/a".into(),
    };
    vec![
        row.group.clone(),
        v.n.to_string(),
        (v.flagged.count - v.invalid.count).to_string(),
        v.invalid.count.to_string(),
        percent(v.flagged.rate),
        marked(v.flagged.pass_ratio, v.flagged.below_four_fifths),
        p(&v.flagged),
        percent(v.invalid.rate),
        marked(v.invalid.pass_ratio, v.invalid.below_four_fifths),
    ]
}
