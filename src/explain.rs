//! The step-by-step account of one candidate's result, from answers to fit,
//! with every number — so a decision can be explained to the candidate or a
//! regulator.
//!
//! [`explain`] gathers the steps as data (serialisable); its `Display` is the
//! text `servicefit score --explain ID` prints. Nothing is recomputed
//! differently here: the numbers are the assessment's own, and the keyed
//! values are [`crate::scoring::keyed_value`], the function scoring uses.

use std::fmt;

use serde::Serialize;

use crate::assessment::{Assessment, CandidateResult, Provenance, ScaleResult};
use crate::fit::{AttributeFit, Fit};
use crate::norms::ScaleNorm;
use crate::profile::Target;
use crate::questionnaire::ItemRole;
use crate::scoring::{keyed_value, Answer};
use crate::validity::Validity;

/// One item's step: the answer and the value it scores.
#[derive(Debug, Clone, Serialize)]
pub struct ItemStep {
    /// Item id.
    pub id: String,
    /// The answer on the response scale, if given.
    pub answer: Answer,
    /// Whether the item is reverse-keyed.
    pub reverse_keyed: bool,
    /// The value scored: the answer, or `min + max − answer` when reverse-keyed.
    pub keyed: Option<i32>,
}

/// One scale's steps: items, raw score, norm, normed score.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleSteps {
    /// Scale id.
    pub scale: String,
    /// Scale name.
    pub name: String,
    /// Its items in presentation order.
    pub items: Vec<ItemStep>,
    /// Raw, POMP and normed score as the assessment computed them.
    pub result: ScaleResult,
    /// The norm used: mean, sd, reliability.
    pub norm: ScaleNorm,
}

/// One attribute's contribution to fit, with the profile's target beside it.
#[derive(Debug, Clone, Serialize)]
pub struct AttributeSteps {
    /// The target: band, weight, tolerances, minimum.
    pub target: Target,
    /// Continuous sten used for fit, if the scale has a score.
    pub sten_continuous: Option<f64>,
    /// Distance, closeness, weight share and points.
    pub fit: AttributeFit,
}

/// Everything behind one candidate's result.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The candidate's id.
    pub id: String,
    /// Input row.
    pub row: u64,
    /// What produced the result.
    pub provenance: Provenance,
    /// Response scale ends, for the reverse-keying formula.
    pub response_min: i32,
    /// Upper end.
    pub response_max: i32,
    /// Every scale in questionnaire order.
    pub scales: Vec<ScaleSteps>,
    /// Attention items: id, answer, the answers expected.
    pub attention: Vec<(String, Answer, Vec<i32>)>,
    /// Validity indices, status and reasons.
    pub validity: Validity,
    /// Each target's contribution, in profile order.
    pub attributes: Vec<AttributeSteps>,
    /// Overall fit.
    pub fit: Fit,
    /// Whether a recommendation may be made.
    pub recommendable: bool,
    /// Flags the result carries.
    pub flags: Vec<String>,
}

/// The steps behind `result`, which `assessment` produced from `answers`.
pub fn explain(
    assessment: &Assessment,
    answers: &[Answer],
    result: &CandidateResult,
) -> Explanation {
    let q = assessment.questionnaire();
    let (min, max) = (q.response_scale().min, q.response_scale().max);
    let scales = q
        .scales()
        .iter()
        .enumerate()
        .zip(&result.scales)
        .map(|((index, scale), scale_result)| ScaleSteps {
            scale: scale.id.clone(),
            name: scale.name.clone(),
            items: q
                .scale_items(index)
                .iter()
                .map(|&i| {
                    let reverse_keyed = matches!(
                        q.items()[i].role,
                        ItemRole::Scored {
                            reverse_keyed: true,
                            ..
                        }
                    );
                    let answer = answers.get(i).copied().flatten();
                    ItemStep {
                        id: q.items()[i].id.clone(),
                        answer,
                        reverse_keyed,
                        keyed: answer.map(|a| keyed_value(a, reverse_keyed, min, max)),
                    }
                })
                .collect(),
            result: scale_result.clone(),
            norm: assessment.norm(index).clone(),
        })
        .collect();
    let attention = q
        .items()
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match &item.role {
            ItemRole::Attention { expected } => Some((
                item.id.clone(),
                answers.get(i).copied().flatten(),
                expected.clone(),
            )),
            ItemRole::Scored { .. } => None,
        })
        .collect();
    let attributes = assessment
        .profile()
        .targets
        .iter()
        .zip(&result.fit.attributes)
        .map(|(target, fit)| AttributeSteps {
            target: target.clone(),
            sten_continuous: q
                .scale_index(&target.scale)
                .and_then(|i| result.scales[i].normed)
                .map(|n| n.sten_continuous),
            fit: fit.clone(),
        })
        .collect();
    Explanation {
        id: result.id.clone(),
        row: result.row,
        provenance: assessment.provenance().clone(),
        response_min: min,
        response_max: max,
        scales,
        attention,
        validity: result.validity.clone(),
        attributes,
        fit: result.fit.clone(),
        recommendable: result.recommendable,
        flags: result.flags.clone(),
    }
}

/// The first 12 characters of a hash, enough to tell files apart in text.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

fn or_dash(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "—".into(), |v| format!("{v:.decimals$}"))
}

impl Explanation {
    fn write_header(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.provenance;
        writeln!(
            f,
            "Explanation of candidate {} (input row {})",
            crate::text::printable(&self.id, 200),
            self.row
        )?;
        writeln!(
            f,
            "Produced by {}; questionnaire {} {} ({}); norms {} {} group {} ({}); profile {} {} ({}); confidence {}.",
            p.engine, p.questionnaire.id, p.questionnaire.version, short(&p.questionnaire.sha256),
            p.norms.id, p.norms.version, p.norm_group, short(&p.norms.sha256),
            p.profile.id, p.profile.version, short(&p.profile.sha256),
            crate::text::level_words(p.options.confidence)
        )?;
        if let Some(notice) = &p.norms_notice {
            writeln!(f, "{notice}")?;
        }
        Ok(())
    }

    fn write_scales(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let share = self
            .provenance
            .options
            .min_answered_share
            .unwrap_or_default();
        writeln!(
            f,
            "\n1. Answers → keyed values → raw score (mean of the answered keyed values; a reverse-keyed (R) item scores {} + {} − answer; at least {:.0}% of a scale's items must be answered)",
            self.response_min, self.response_max, 100.0 * share
        )?;
        for s in &self.scales {
            let items: Vec<String> = s
                .items
                .iter()
                .map(|i| match (i.answer, i.keyed) {
                    (Some(a), Some(k)) if i.reverse_keyed => format!("{} {a}R→{k}", i.id),
                    (Some(a), _) => format!("{} {a}", i.id),
                    _ => format!("{} —", i.id),
                })
                .collect();
            let sum: i32 = s.items.iter().filter_map(|i| i.keyed).sum();
            writeln!(f, "  {} ({}): {}", s.name, s.scale, items.join(", "))?;
            writeln!(
                f,
                "    {} of {} answered; raw = {sum} / {} = {}",
                s.result.answered,
                s.result.items,
                s.result.answered,
                or_dash(s.result.raw, 3)
            )?;
        }
        writeln!(f, "\n2. Norms: z = (raw − mean) / sd; T = 50 + 10z; sten = 2z + 5.5 (reported rounded, 1–10); percentile; SEM of k of K items answered = sd·√(1 − reliability)·√(K/k); interval = raw ± critical·SEM, cut to the answer scale, its sten ends clamped to 1–10")?;
        for s in &self.scales {
            let (Some(raw), Some(n)) = (s.result.raw, s.result.normed) else {
                writeln!(f, "  {}: not scored (too few items answered)", s.scale)?;
                continue;
            };
            let m = &s.norm;
            let sten = crate::report::clamp_sten(n.sten_interval);
            let cut = match n.cut.words() {
                "" => String::new(),
                words => format!(" ({words})"),
            };
            writeln!(
                f,
                "  {}: z = ({raw:.3} − {:.3}) / {:.3} = {:.3}; T {:.1}; sten {:.2} → {}; percentile {:.1}; SEM = {:.3}·√(1 − {:.2})·√({}/{}) = {:.3} (k = {} items answered); interval raw {:.3}–{:.3}{cut} = sten {:.2}–{:.2} = percentile {:.1}–{:.1}",
                s.scale, m.mean, m.sd, n.z, n.t, n.sten_continuous, n.sten, n.percentile, m.sd, m.reliability,
                s.result.items, n.answered, n.sem_raw, n.answered,
                n.raw_interval.low, n.raw_interval.high, sten.low, sten.high,
                n.percentile_interval.low, n.percentile_interval.high
            )?;
        }
        Ok(())
    }

    fn write_validity(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.validity;
        let i = &v.indices;
        writeln!(f, "\n3. Response validity: {}", v.status.name())?;
        writeln!(
            f,
            "  completeness {:.0}%; longest run of one answer {}; spread (IRV) {}; even–odd consistency {}; attention items failed {} of {} answered",
            100.0 * i.completeness, i.longstring, or_dash(i.irv, 2), or_dash(i.even_odd, 2), i.attention_failed, i.attention_answered
        )?;
        for (id, answer, expected) in &self.attention {
            let expected: Vec<String> = expected.iter().map(ToString::to_string).collect();
            let answer = answer.map_or_else(|| "—".into(), |a| a.to_string());
            writeln!(
                f,
                "  attention item {id}: answered {answer}, expected {}",
                expected.join(" or ")
            )?;
        }
        for reason in &v.reasons {
            writeln!(f, "  reason: {reason}")?;
        }
        Ok(())
    }

    fn write_fit(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\n4. Fit per attribute: distance of the continuous sten (clamped 1–10) from the target band; t = distance / tolerance (capped at 1); closeness = 1 − 3t² + 2t³; points = 100 · weight share · closeness")?;
        for a in &self.attributes {
            let t = &a.target;
            let minimum = t
                .minimum
                .map(|m| format!(", minimum {m}"))
                .unwrap_or_default();
            let Some(sten) = a.sten_continuous else {
                writeln!(f, "  {}: missing — its weight goes to the others", t.scale)?;
                continue;
            };
            writeln!(
                f,
                "  {}: band {}–{}, weight {}{minimum}; sten {sten:.2}, {}; closeness {}; weight share {:.3} → {:.1} points ({:.1} lost){}",
                t.scale, t.low, t.high, t.weight,
                place(a.fit.side, a.fit.distance), or_dash(a.fit.closeness, 3),
                a.fit.weight_share, a.fit.points, a.fit.points_lost,
                if a.fit.below_minimum { "; BELOW THE MINIMUM" } else { "" }
            )?;
        }
        let band = self.fit.band.map_or("withheld", |b| b.name());
        let confidence = self.provenance.options.confidence;
        let level = crate::text::level_words(confidence);
        let attribute_level = crate::text::level_words(crate::fit::attribute_level(
            confidence,
            self.fit.attributes.len(),
        ));
        let interval = self
            .fit
            .interval
            .map(|i| {
                format!(
                    "; {} range {:.1}–{:.1} (every attribute at the ends of its sten interval at {} each, so that all {} cover together at least {}: Bonferroni)",
                    level, i.low, i.high, attribute_level, self.fit.attributes.len(), level
                )
            })
            .unwrap_or_default();
        writeln!(
            f,
            "\n5. Fit = sum of the points = {} (band {band}){interval}",
            or_dash(self.fit.score, 1)
        )?;
        if !self.recommendable {
            writeln!(
                f,
                "  No recommendation: the responses are invalid or there is no fit score."
            )?;
        }
        for flag in &self.flags {
            writeln!(f, "  flag: {flag}")?;
        }
        writeln!(f, "\nA fit score is decision support, not a decision: review it with the validity reasons and the interval.")
    }
}

fn place(side: Option<crate::fit::Side>, distance: Option<f64>) -> String {
    let distance = or_dash(distance, 2);
    match side {
        Some(crate::fit::Side::Below) => format!("{distance} below the band"),
        Some(crate::fit::Side::Above) => format!("{distance} above the band"),
        Some(crate::fit::Side::Inside) => "inside the band".into(),
        None => "missing".into(),
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_header(f)?;
        self.write_scales(f)?;
        self.write_validity(f)?;
        self.write_fit(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::Options;
    use crate::builtin;

    #[test]
    fn steps_reproduce_the_result() {
        let assessment = builtin::assessment("retail", Options::default()).unwrap();
        let q = assessment.questionnaire();
        // Alternate 2 and 4 so the answers vary; attention items get what they expect.
        let answers: Vec<Answer> = q
            .items()
            .iter()
            .enumerate()
            .map(|(i, item)| match &item.role {
                ItemRole::Attention { expected } => Some(expected[0]),
                ItemRole::Scored { .. } => Some(if i % 2 == 0 { 4 } else { 2 }),
            })
            .collect();
        let result = assessment.assess("ann", 2, &answers, None);
        let explanation = explain(&assessment, &answers, &result);
        for steps in &explanation.scales {
            // raw = mean of keyed values, recomputed from the steps shown.
            let keyed: Vec<f64> = steps
                .items
                .iter()
                .filter_map(|i| i.keyed)
                .map(f64::from)
                .collect();
            let mean = keyed.iter().sum::<f64>() / keyed.len() as f64;
            assert!((steps.result.raw.unwrap() - mean).abs() < 1e-12);
            for item in &steps.items {
                // 1..5 scale: a reverse-keyed 4 scores 1 + 5 − 4 = 2.
                let expected = if item.reverse_keyed {
                    6 - item.answer.unwrap()
                } else {
                    item.answer.unwrap()
                };
                assert_eq!(item.keyed, Some(expected));
            }
        }
        // The points add up to the fit score.
        let points: f64 = explanation.attributes.iter().map(|a| a.fit.points).sum();
        assert!((points - result.fit.score.unwrap()).abs() < 1e-9);
        let text = explanation.to_string();
        assert!(text.starts_with("Explanation of candidate ann (input row 2)"));
        assert!(text.contains("5. Fit = sum of the points"));
        assert!(text.contains("attention item AT01: answered 2, expected 2"));
    }
}
