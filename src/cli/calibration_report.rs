//! The calibration report of `profile calibrate`, for the consultant and the
//! client: the top group, each attribute's relation to the rating (with
//! Holm's correction), bands and weights and why, how stable each band edge
//! is under resampling, the calibrated fit's validity beside two composites,
//! and differential prediction by group. One list of blocks gives the text,
//! Markdown and HTML versions; JSON carries every figure.

use serde::Serialize;

use super::blocks::{html_page, text, Block};
use super::criterion_text;
use super::staff::{num, ReportFormat};
use servicefit::analysis::calibrate::{
    band_rules, p_words, stability_words, Bootstrap, Calibration, MIN_BAND_WIDTH, OPEN_TOP_FROM,
};
use servicefit::analysis::correlation::Correlation;
use servicefit::analysis::criterion::GroupPrediction;
use servicefit::analysis::crossval::CrossValidation;
use servicefit::text::{markdown, terminal};

/// Makes a user-supplied string (profile name, file name, attribute name) safe in the format.
type Escape = fn(&str) -> String;

/// Format of the calibration report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CalibrationFormat {
    /// Aligned plain-text tables for the terminal.
    Text,
    /// Markdown, to paste into a report for a client.
    Markdown,
    /// A self-contained HTML page for the client.
    Html,
    /// JSON, every figure, for other programs.
    Json,
}

/// Everything the report shows.
#[derive(Debug, Serialize)]
pub struct CalibrationReport<'a> {
    /// The profile's display name.
    pub name: &'a str,
    /// The data, in words.
    pub source: &'a str,
    /// The calibration (its fields at the top level of the JSON).
    #[serde(flatten)]
    pub calibration: &'a Calibration,
    /// Resampled band edges.
    pub bootstrap: &'a Bootstrap,
    /// The calibrated profile's fit against the rating in the sample it was fitted to (optimistic).
    pub fit_in_sample: Correlation,
    /// The calibrated fit and the two composites on held-out people.
    pub cross_validation: &'a CrossValidation,
    /// Cleary's test of the calibrated fit, with `--group`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differential: Option<&'a GroupPrediction>,
}

/// The report in `format`.
pub fn render(format: CalibrationFormat, report: &CalibrationReport) -> serde_json::Result<String> {
    Ok(match format {
        CalibrationFormat::Json => serde_json::to_string_pretty(report)? + "\n",
        // The page escapes every string itself; text and Markdown escape the user's strings here.
        CalibrationFormat::Html => html_page(&blocks(report, str::to_string)),
        CalibrationFormat::Text => text(ReportFormat::Text, &blocks(report, terminal)),
        CalibrationFormat::Markdown => text(ReportFormat::Markdown, &blocks(report, markdown)),
    })
}

fn blocks(r: &CalibrationReport, user: Escape) -> Vec<Block> {
    let c = r.calibration;
    let mut blocks = vec![
        Block::Heading(1, format!("Calibration report: {}", user(r.name))),
        Block::Paragraph(format!(
            "Data: {}.\nIncumbents with answers and a rating: {}; excluded for invalid responses: {}; used: {}.\n\
             Top performers: {}, i.e. rating ≥ {} — {} people.",
            user(r.source),
            c.incumbents,
            c.excluded_invalid,
            c.used,
            c.top_rule.words(),
            c.top_cutoff,
            c.top_n
        )),
        attribute_table(c, user),
        Block::Paragraph(holm_words(c)),
        Block::Heading(2, "Why each band and weight".into()),
        Block::List(
            c.attributes
                .iter()
                .map(|a| format!("{}: {}", user(&a.name), a.why))
                .collect(),
        ),
        Block::Paragraph(rules_words(c)),
    ];
    blocks.extend(stability(c, r.bootstrap, user));
    blocks.extend(validity(r));
    if let Some(d) = r.differential {
        blocks.extend(criterion_text::differential(std::slice::from_ref(d)));
        blocks.push(Block::Paragraph(
            "The fit tested here is the profile calibrated on these same people, so this test shares the in-sample \
             caveat: repeat it on later hires' ratings with `servicefit validate-criterion --group`."
                .into(),
        ));
    }
    blocks.extend(
        c.warnings
            .iter()
            .map(|w| Block::Paragraph(format!("Warning: {w}"))),
    );
    blocks
}

fn attribute_table(c: &Calibration, user: Escape) -> Block {
    let rows = c
        .attributes
        .iter()
        .map(|a| {
            let ci = a.correlation.interval;
            vec![
                user(&a.name),
                a.correlation.n.to_string(),
                num(a.correlation.r, 2),
                format!(
                    "{} to {}",
                    num(ci.map(|i| i.low), 2),
                    num(ci.map(|i| i.high), 2)
                ),
                p_words(a.p),
                p_words(a.p_holm),
                if a.relation.shown() { "yes" } else { "no" }.into(),
                format!(
                    "{:.1}/{:.1}/{:.1}",
                    a.quartiles[0], a.quartiles[1], a.quartiles[2]
                ),
                format!("{}–{}", a.low, a.high),
                format!("{:.2}", a.weight),
            ]
        })
        .collect();
    Block::table(
        &[
            "attribute",
            "n",
            "r",
            "95% CI",
            "p",
            "Holm p",
            "shown",
            "top Q1/Md/Q3",
            "band",
            "weight",
        ],
        rows,
    )
}

fn holm_words(c: &Calibration) -> String {
    format!(
        "Which relations count: {} attributes are tested at once, so each p (r = 0, two-sided t test) is adjusted by \
         Holm's (1979) method over the {}; a relation is shown, and decides an open-ended band and a weight above 1, \
         when its Holm-adjusted p is below {}. The 95% intervals are each attribute's own, unadjusted: they show the \
         size of r and its precision, and the Holm p decides.",
        c.tests, c.tests, c.alpha
    )
}

fn rules_words(c: &Calibration) -> String {
    format!(
        "How the rules work: bands, in stens, are {}, rounded outward, at least {} stens wide; open at the top where \
         the rating rises with the attribute (or the top group's Q3 reaches sten {}), at the bottom where it falls; \
         weights are 1 + 2·|r|/max|r| where the relation is shown, else 1. These correlations are measured in the same \
         sample the profile was fitted to, so they overstate how well it will predict for new hires: the held-out \
         figures below are the ones to expect.",
        band_rules(&c.attributes),
        MIN_BAND_WIDTH + 1.0,
        OPEN_TOP_FROM
    )
}

fn stability(c: &Calibration, b: &Bootstrap, user: Escape) -> Vec<Block> {
    let level = servicefit::text::level_words(b.settings.confidence);
    let interval = |e: &servicefit::analysis::calibrate::EdgeInterval| match e.interval {
        Some([low, high]) => format!("{low}–{high}"),
        None => "–".into(),
    };
    let share = |e: &servicefit::analysis::calibrate::EdgeInterval| {
        e.agreement
            .map_or("–".into(), |a| format!("{:.0}%", a * 100.0))
    };
    let rows = b
        .attributes
        .iter()
        .map(|a| {
            vec![
                user(&a.name),
                format!("{}–{}", a.low.point, a.high.point),
                interval(&a.low),
                share(&a.low),
                interval(&a.high),
                share(&a.high),
            ]
        })
        .collect();
    vec![
        Block::Heading(2, "How stable each band edge is".into()),
        Block::Paragraph(format!(
            "{} resamples of the {} incumbents, drawn with replacement (seed {}), were each calibrated by the same rules; \
             {} of them could be ({} could not: too few top performers, or no top group distinct from the rest). For each edge: its {level} percentile interval \
             (Efron & Tibshirani 1993) and how often a resample put it where this calibration did.",
            b.settings.replicates,
            c.used,
            b.settings.seed,
            b.calibrated,
            b.settings.replicates - b.calibrated
        )),
        Block::table(
            &[
                "attribute",
                "band",
                &format!("low edge {level}"),
                "low same",
                &format!("high edge {level}"),
                "high same",
            ],
            rows,
        ),
        Block::List(
            b.attributes
                .iter()
                .map(|a| {
                    format!(
                        "{}: {}; {}.",
                        user(&a.name),
                        stability_words("low", &a.low, b.settings.confidence),
                        stability_words("high", &a.high, b.settings.confidence)
                    )
                })
                .collect(),
        ),
    ]
}

fn validity(r: &CalibrationReport) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(
        2,
        "The calibrated fit beside two simpler composites".into(),
    )];
    let mut cv = criterion_text::cross_validation(r.cross_validation, r.fit_in_sample.r);
    cv.remove(0);
    blocks.extend(cv);
    blocks.push(Block::Paragraph(alternative_words(r)));
    blocks
}

/// The UGESP 1607.3(B) choice in words: the held-out validities side by side.
fn alternative_words(r: &CalibrationReport) -> String {
    let cv = r.cross_validation;
    let fit = cv.calibrated_fit.and_then(|c| c.r);
    let unit = cv.unit_weighted.cross_validated.r;
    let regression = cv.regression.cross_validated.r;
    let best = [
        ("the unit-weighted composite", unit),
        ("the regression composite", regression),
    ]
    .into_iter()
    .filter_map(|(name, r)| Some((name, r?)))
    .max_by(|a, b| a.1.total_cmp(&b.1));
    let verdict = match (fit, best) {
        (Some(f), Some((name, b))) if b >= f => format!(
            "On people they were not built on, {name} (r = {b:.2}) predicts the rating at least as well as the \
             calibrated fit (r = {f:.2}): an equally valid alternative to put to the client."
        ),
        (Some(f), Some((name, b))) => format!(
            "On people they were not built on, the calibrated fit (r = {f:.2}) predicts the rating better than {name} \
             (r = {b:.2}) by {:.2}; whether that is worth more adverse impact, if it has more, is the client's choice.",
            f - b
        ),
        _ => "The held-out validities cannot all be computed on these data, so the comparison is open.".into(),
    };
    format!(
        "In-sample caveat: the calibrated fit's r of {} is measured on the people the profile was fitted to, and is \
         optimistic; its held-out r is the estimate for new hires. {verdict} Where procedures are substantially \
         equally valid, UGESP (29 CFR 1607.3(B)) asks the user to adopt the one with less adverse impact: compare \
         their selection rates by group (`servicefit audit`) before choosing.",
        num(r.fit_in_sample.r, 2)
    )
}
