//! Plain words on a comparison: each pair's fit and attribute differences,
//! and the bottom line a business owner should take from it.

use super::{fixed, Run};
use crate::assessment::CandidateResult;
use crate::compare::{Comparison, PairDifference, Verdict};
use crate::validity::Status;

/// A verdict in a few words.
pub(crate) fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Real => "real difference",
        Verdict::WithinError => "within measurement error",
        Verdict::Missing => "not scored",
        Verdict::Untrusted => "not compared (invalid answers)",
    }
}

/// One sentence on the fit of a pair.
pub(crate) fn fit_pair_sentence(comparison: &Comparison, pair: &PairDifference) -> String {
    let (a, b) = (
        &comparison.candidates[pair.first],
        &comparison.candidates[pair.second],
    );
    let score = |c: &CandidateResult| fixed(c.fit.score, 0);
    match pair.verdict {
        Verdict::Real => {
            let (better, worse) = if pair.difference.unwrap_or(0.0) >= 0.0 {
                (a, b)
            } else {
                (b, a)
            };
            format!(
                "{} fits the role better than {} ({} vs {}): a real difference.",
                better.id,
                worse.id,
                score(better),
                score(worse)
            )
        }
        Verdict::WithinError => format!(
            "{} and {} cannot be told apart on overall fit ({} vs {}): the difference is within measurement error.",
            a.id,
            b.id,
            score(a),
            score(b)
        ),
        Verdict::Missing | Verdict::Untrusted => format!(
            "{} and {}: overall fit {}.",
            a.id,
            b.id,
            verdict_words(pair.verdict)
        ),
    }
}

/// The real attribute differences of a pair, e.g. "Empathy: A higher (8 vs 4)".
pub(crate) fn real_attribute_differences(
    run: &Run<'_>,
    comparison: &Comparison,
    first: usize,
    second: usize,
) -> Vec<String> {
    let q = run.assessment.questionnaire();
    comparison
        .attributes
        .iter()
        .filter_map(|attribute| {
            let pair = attribute
                .pairs
                .iter()
                .find(|p| p.first == first && p.second == second)?;
            if pair.verdict != Verdict::Real {
                return None;
            }
            let index = q.scale_index(&attribute.scale)?;
            let sten = |c: usize| {
                comparison.candidates[c].scales[index]
                    .normed
                    .map_or_else(String::new, |n| n.sten.to_string())
            };
            let (higher, lower) = if pair.difference.unwrap_or(0.0) >= 0.0 {
                (first, second)
            } else {
                (second, first)
            };
            Some(format!(
                "{}: {} higher ({} vs {})",
                q.scales()[index].name,
                comparison.candidates[higher].id,
                sten(higher),
                sten(lower)
            ))
        })
        .collect()
}

/// The attribute half of a pair's sentence: the real differences, or that there are none.
pub(crate) fn attribute_pair_sentence(
    run: &Run<'_>,
    comparison: &Comparison,
    first: usize,
    second: usize,
) -> String {
    let untrusted = [first, second]
        .iter()
        .any(|&c| comparison.candidates[c].validity.status == Status::Invalid);
    if untrusted {
        return "Attributes not compared: invalid answers.".into();
    }
    let real = real_attribute_differences(run, comparison, first, second);
    if real.is_empty() {
        "No attribute differs by more than measurement error.".into()
    } else {
        format!("Real differences: {}.", real.join("; "))
    }
}

/// What a business owner should take from the comparison, in a few sentences.
pub(crate) fn comparison_bottom_line(comparison: &Comparison) -> String {
    let real_fit = comparison
        .fit
        .iter()
        .filter(|p| p.verdict == Verdict::Real)
        .count();
    let comparable = comparison
        .fit
        .iter()
        .filter(|p| matches!(p.verdict, Verdict::Real | Verdict::WithinError))
        .count();
    let attribute_total: usize = comparison.attributes.iter().map(|a| a.pairs.len()).sum();
    let attribute_real: usize = comparison
        .attributes
        .iter()
        .flat_map(|a| &a.pairs)
        .filter(|p| p.verdict == Verdict::Real)
        .count();
    let fit = if comparable == 0 {
        "No pair could be compared on overall fit.".to_string()
    } else if real_fit == 0 {
        "None of the differences in overall fit is larger than measurement error: the questionnaire cannot rank \
these candidates, so choose between them at interview."
            .to_string()
    } else {
        format!(
            "{real_fit} of {comparable} differences in overall fit are real (see the pairs); treat the rest as ties."
        )
    };
    format!(
        "{fit} Of {attribute_total} attribute comparisons, {attribute_real} are real differences; \
a difference marked \"within measurement error\" is not evidence that one candidate is higher than the other."
    )
}
