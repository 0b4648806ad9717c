//! A calibration in words: why each band and weight (every figure, for the
//! consultant), the reason hiring managers read (no figures), which band rule
//! each attribute followed, and how stable a band edge is under resampling.

use super::evidence::{Relation, ALPHA};
use super::{AttributeCalibration, EdgeInterval, STEN_MAX};

/// A p value as reports print it: 4 decimals, or `< 0.0001`.
pub fn p_words(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.0001 => "< 0.0001".into(),
        Some(p) => format!("{p:.4}"),
        None => "–".into(),
    }
}

/// A p value after "p": `= 0.0123` or `< 0.0001`.
fn p_phrase(p: Option<f64>) -> String {
    match p_words(p) {
        w if w.starts_with('<') => w,
        w => format!("= {w}"),
    }
}

/// Which rule of [`band`](super::band) each attribute's band followed, in
/// words naming the attributes: a summary must not call every band
/// interquartile when some are 10th–90th percentile ranges.
pub fn band_rules(attributes: &[AttributeCalibration]) -> String {
    let (shown, not_shown): (Vec<&AttributeCalibration>, Vec<&AttributeCalibration>) =
        attributes.iter().partition(|a| a.relation.shown());
    let names = |list: &[&AttributeCalibration]| {
        list.iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (shown.is_empty(), not_shown.is_empty()) {
        (false, false) => format!(
            "the top group's interquartile range where the relation to the rating is shown ({}) \
             and its 10th–90th percentile range where it is not ({})",
            names(&shown),
            names(&not_shown)
        ),
        (false, true) => {
            "the top group's interquartile range (every attribute's relation to the rating is shown)".into()
        }
        (true, _) => {
            "the top group's 10th–90th percentile range (no attribute's relation to the rating is shown)".into()
        }
    }
}

/// A calibrated band's reason for hiring managers: what the band is and
/// whether the attribute went with the rating, in words and without figures.
pub(super) fn plain_reason(a: &AttributeCalibration) -> String {
    let relation = match a.relation {
        Relation::Rising => "among your staff, higher scores went with better performance ratings",
        Relation::Falling => "among your staff, higher scores went with lower performance ratings",
        Relation::NotShown => {
            "among your staff it did not clearly go with better or worse ratings, so it counts for less"
        }
    };
    format!("The range is where most of your best performers scored; {relation}.")
}

/// Why the band and weight, with every figure.
pub(super) fn why(a: &AttributeCalibration, tests: usize) -> String {
    let c = &a.correlation;
    let relation = match (c.r, c.interval) {
        (Some(r), Some(i)) => format!(
            "r = {r:.2} with the rating (95% CI {:.2} to {:.2}, n = {}; p {}, Holm-adjusted over {tests} attributes p {})",
            i.low,
            i.high,
            c.n,
            p_phrase(a.p),
            p_phrase(a.p_holm)
        ),
        _ => format!(
            "no correlation with the rating could be computed (n = {})",
            c.n
        ),
    };
    let direction = match a.relation {
        Relation::Rising => "shown (adjusted p below 0.05): higher scores go with higher ratings, so the band is open at the top",
        Relation::Falling => "shown (adjusted p below 0.05): higher scores go with lower ratings, so the band is open at the bottom",
        Relation::NotShown if a.high >= STEN_MAX => "not shown (adjusted p 0.05 or more); the top group reaches the top stens, so the band is open at the top",
        Relation::NotShown => "not shown (adjusted p 0.05 or more), so the band is the top group's 10th–90th percentile range, closed at both ends",
    };
    let weight = if a.relation.shown() {
        format!("weight {:.2} = 1 + 2·|r|/max|r|", a.weight)
    } else {
        "weight 1, the lowest, because the relation is not shown".to_string()
    };
    debug_assert!((ALPHA - 0.05).abs() < 1e-12, "the words say 0.05");
    format!(
        "{relation}; {direction}. Top performers (n = {}) have stens Q1 {:.2}, median {:.2}, Q3 {:.2}; band {}–{}; {weight}.",
        a.top_n, a.quartiles[0], a.quartiles[1], a.quartiles[2], a.low, a.high
    )
}

/// How stable an edge is under resampling, in plain words: how often
/// resamples of the staff put it where the calibration did, and the interval.
pub fn stability_words(which: &str, edge: &EdgeInterval, confidence: f64) -> String {
    let (Some([low, high]), Some(agreement)) = (edge.interval, edge.agreement) else {
        return format!("the {which} edge {} could not be resampled", edge.point);
    };
    let verdict = if low == high {
        "stable: the interval is this one value"
    } else if agreement >= 0.8 {
        "fairly stable"
    } else if agreement >= 0.5 {
        "uncertain: another sample of staff could well move it by a sten"
    } else {
        "unstable: another sample of staff would probably move it"
    };
    let level = crate::text::level_words(confidence);
    format!(
        "the {which} edge {} came out the same in {:.0}% of resamples ({level} interval {low}–{high}): {verdict}",
        edge.point,
        agreement * 100.0
    )
}
