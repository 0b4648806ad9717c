//! The criterion report in words and tables (text or Markdown): each
//! profile's fit validity, the attributes, comparisons between profiles,
//! differential prediction, cross-validation and the split-half check.

use super::blocks::{text, Block};
use super::staff::{heading, num, table, ReportFormat};
use servicefit::analysis::correlation::Correlation;
use servicefit::analysis::criterion::{CriterionReport, GroupPrediction};
use servicefit::analysis::crossval::CrossValidation;

fn cells(c: &Correlation) -> [String; 3] {
    let ci = c.interval;
    [
        c.n.to_string(),
        num(c.r, 2),
        format!(
            "{} to {}",
            num(ci.map(|i| i.low), 2),
            num(ci.map(|i| i.high), 2)
        ),
    ]
}

/// The whole report as text or Markdown.
pub(super) fn render(format: ReportFormat, report: &CriterionReport, input: &str) -> String {
    let mut out = heading(format, 1, &format!("Criterion validity in {input}"));
    out.push_str(&format!(
        "\n{} incumbents with a rating; {} excluded for invalid responses. Pearson r with the rating, 95% interval by Fisher's z.\n\n",
        report.incumbents, report.excluded_invalid
    ));
    out.push_str(&heading(format, 2, "Fit score by profile"));
    out.push('\n');
    let rows: Vec<Vec<String>> = report
        .profiles
        .iter()
        .map(|p| {
            let mut row = vec![p.profile.clone(), p.source.clone()];
            row.extend(cells(&p.fit));
            if let Some(c) = &p.corrected {
                row.push(num(c.r, 2));
            }
            row
        })
        .collect();
    let mut headers = vec!["profile", "source", "n", "r", "95% CI"];
    let corrected = report.profiles.first().and_then(|p| p.corrected);
    if corrected.is_some() {
        headers.push("corrected r");
    }
    out.push_str(&table(format, &headers, &rows));
    if let Some(c) = corrected {
        out.push_str(&format!("\n{}\n", correction_words(&c)));
    }
    out.push('\n');
    out.push_str(&heading(format, 2, "Attributes"));
    out.push('\n');
    let rows: Vec<Vec<String>> = report
        .attributes
        .iter()
        .map(|a| {
            let mut row = vec![a.name.clone()];
            row.extend(cells(&a.correlation));
            row
        })
        .collect();
    out.push_str(&table(format, &["attribute", "n", "r", "95% CI"], &rows));
    if !report.comparisons.is_empty() {
        out.push('\n');
        out.push_str(&comparisons(format, report));
    }
    if !report.differential.is_empty() {
        out.push('\n');
        out.push_str(&text(format, &differential(&report.differential)));
    }
    if let Some(cv) = &report.cross_validation {
        out.push('\n');
        out.push_str(&text(format, &cross_validation(cv, None)));
    }
    if let Some(split) = &report.split_half {
        out.push('\n');
        out.push_str(&heading(format, 2, "Split-half check of a calibration"));
        out.push('\n');
        let rows = vec![
            [
                vec!["odd rows → even rows".to_string()],
                cells(&split.odd_to_even).to_vec(),
            ]
            .concat(),
            [
                vec!["even rows → odd rows".to_string()],
                cells(&split.even_to_odd).to_vec(),
            ]
            .concat(),
        ];
        out.push_str(&table(
            format,
            &["calibrated on → checked on", "n", "r", "95% CI"],
            &rows,
        ));
    }
    out.push_str(
        "\nA profile calibrated on this same sample is fitted to its quirks as well as its signal, so its correlation here \
         is optimistic (capitalisation on chance). The split-half rows (--split-half) show the fit's validity on people the \
         calibration did not see: they are usually lower, and more to be trusted.\n",
    );
    out
}

fn comparisons(format: ReportFormat, report: &CriterionReport) -> String {
    let mut out = heading(
        format,
        2,
        "Comparing profiles on the same people (Williams's T2)",
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = report
        .comparisons
        .iter()
        .map(|c| {
            vec![
                format!("{} vs {}", c.first, c.second),
                c.n.to_string(),
                num(c.r_first, 2),
                num(c.r_second, 2),
                num(c.r_between, 2),
                num(c.test.map(|t| t.t), 2),
                num(c.test.map(|t| t.df), 0),
                num(c.test.map(|t| t.p), 4),
            ]
        })
        .collect();
    out.push_str(&table(
        format,
        &[
            "profiles",
            "n",
            "r first",
            "r second",
            "r between fits",
            "t",
            "df",
            "p",
        ],
        &rows,
    ));
    for c in &report.comparisons {
        out.push_str(&format!("\n{}\n", comparison_words(c)));
    }
    out
}

/// A comparison in words a consultant can quote.
fn comparison_words(c: &servicefit::analysis::criterion::ProfileComparison) -> String {
    match (c.r_first, c.r_second, c.test) {
        (Some(a), Some(b), Some(t)) => {
            let (better, worse) = if a >= b {
                (&c.first, &c.second)
            } else {
                (&c.second, &c.first)
            };
            let verdict = if t.p < 0.05 {
                format!("{better} predicts the rating better than {worse}")
            } else {
                format!(
                    "the difference between {better} and {worse} is within what chance produces"
                )
            };
            format!(
                "{}: r = {a:.2} against r = {b:.2} on the same {} people; Williams's t({:.0}) = {:.2}, p = {:.4}: {verdict} (two-sided, 5% level).",
                c.first, c.n, t.df, t.t, t.p
            )
        }
        _ => format!(
            "{} vs {}: not enough data to compare ({} people).",
            c.first, c.second, c.n
        ),
    }
}

/// The cross-validated validities of the calibrated fit and the two
/// composites; `fit_in_sample` is the calibrated fit's r in the whole sample
/// when the caller knows it (`profile calibrate` does).
pub(super) fn cross_validation(cv: &CrossValidation, fit_in_sample: Option<f64>) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(
        2,
        format!(
            "Cross-validated validity ({}, {} people)",
            cv.folds.words(),
            cv.n
        ),
    )];
    let mut rows = Vec::new();
    let fit_name = "calibrated profile's fit".to_string();
    match &cv.calibrated_fit {
        Some(fit) => {
            rows.push([vec![fit_name, num(fit_in_sample, 2)], cells(fit).to_vec()].concat())
        }
        None => rows.push(vec![
            fit_name,
            num(fit_in_sample, 2),
            "–".into(),
            "–".into(),
            "not possible (below)".into(),
        ]),
    }
    for (name, c) in [
        ("regression composite", &cv.regression),
        ("unit-weighted composite", &cv.unit_weighted),
    ] {
        rows.push(
            [
                vec![name.to_string(), num(c.in_sample.r, 2)],
                cells(&c.cross_validated).to_vec(),
            ]
            .concat(),
        );
    }
    blocks.push(Block::table(
        &["predictor", "r in sample", "n", "r held out", "95% CI"],
        rows,
    ));
    if let Some(note) = &cv.calibrated_fit_note {
        blocks.push(Block::Paragraph(format!(
            "Calibrated fit not cross-validated: {note}."
        )));
    }
    blocks.push(Block::Paragraph(format!(
        "Regression composite: {}; Browne's (1975) estimate of its correlation in new samples: {}.\n\
         Unit-weighted composite: {}.\n\
         Each held-out r correlates predictions for people the predictor was not built on; pooled over the folds.",
        cv.regression.description,
        num(cv.regression_shrunken, 2),
        cv.unit_weighted.description
    )));
    blocks
}

/// Cleary's step-down test per profile: a table of the terms and a sentence per profile.
pub(super) fn differential(predictions: &[GroupPrediction]) -> Vec<Block> {
    let mut rows = Vec::new();
    for GroupPrediction { profile, test } in predictions {
        let Some(test) = test else {
            rows.push(vec![
                profile.clone(),
                "–".into(),
                "not testable: fewer than two groups, or too few people".into(),
                "–".into(),
                "–".into(),
                "–".into(),
            ]);
            continue;
        };
        for (what, step) in [("slope", &test.slopes), ("intercept", &test.intercepts)] {
            for term in &step.terms {
                rows.push(vec![
                    profile.clone(),
                    test.n.to_string(),
                    format!("{what}: {} − {}", term.group, test.reference),
                    num(Some(term.estimate), 4),
                    num(Some(term.std_error), 4),
                    num(Some(term.p), 4),
                ]);
            }
        }
    }
    let mut blocks = vec![
        Block::Heading(
            2,
            "Differential prediction by group (Cleary's step-down regression)".into(),
        ),
        Block::table(&["profile", "n", "difference", "estimate", "SE", "p"], rows),
    ];
    for GroupPrediction { profile, test } in predictions {
        if let Some(test) = test {
            blocks.push(Block::Paragraph(cleary_words(profile, test)));
        }
    }
    blocks
}

/// Cleary's step-down result in words a consultant can quote (5% level, two-sided).
fn cleary_words(
    profile: &str,
    test: &servicefit::analysis::differential::DifferentialPrediction,
) -> String {
    let (df1, df2) = test.slopes.df;
    let slopes = format!(
        "{profile} (n = {}): slopes F({df1}, {df2}) = {:.2}, p = {:.4}",
        test.n, test.slopes.f, test.slopes.p
    );
    if test.slopes.p < 0.05 {
        return format!(
            "{slopes}: the fit predicts the rating differently in different groups, so one regression line does not \
             serve them all; by the step-down rule the intercepts are not interpreted."
        );
    }
    let (df1, df2) = test.intercepts.df;
    let mut words = format!(
        "{slopes}: no evidence that the fit predicts differently by group. Intercepts F({df1}, {df2}) = {:.2}, p = {:.4}",
        test.intercepts.f, test.intercepts.p
    );
    if test.intercepts.p < 0.05 {
        let terms: Vec<String> = test
            .intercepts
            .terms
            .iter()
            .map(|t| {
                let direction = if t.estimate < 0.0 { "lower" } else { "higher" };
                format!(
                    "{} are rated {:.2} {direction} than {} at equal fit",
                    t.group,
                    t.estimate.abs(),
                    test.reference
                )
            })
            .collect();
        words.push_str(&format!(
            ": {}; one common line would over-predict the ratings of a group rated lower at equal fit and \
             under-predict the other's.",
            terms.join("; ")
        ));
    } else {
        words.push_str(": no evidence that the fit over- or under-predicts any group's rating.");
    }
    if !test.left_out.is_empty() {
        let groups: Vec<String> = (test.left_out.iter())
            .map(|(group, n)| format!("'{group}' ({n})"))
            .collect();
        words.push_str(&format!(
            " Left out, with fewer than {} people each: {}; check the group column for typos.",
            servicefit::analysis::differential::MIN_GROUP,
            groups.join(", ")
        ));
    }
    words
}

/// What the corrected r is, and is not, in words.
fn correction_words(c: &servicefit::analysis::criterion::CorrectedValidity) -> String {
    let mut applied = Vec::new();
    if let Some(ryy) = c.criterion_reliability {
        applied.push(format!("the rating's unreliability (reliability {ryy})"));
    }
    if let Some(u) = c.range_ratio {
        applied.push(format!(
            "direct range restriction (applicants' fit SD {u} times these staff's; Thorndike case II)"
        ));
    }
    format!(
        "Corrected r (an estimate, not an observation): r corrected for {}. It estimates the validity in the applicant \
         pool against an error-free rating; the observed r is what the fit achieved here, and the one to quote as a result.",
        applied.join(" and ")
    )
}
