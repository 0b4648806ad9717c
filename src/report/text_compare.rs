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
                better.shown(),
                worse.shown(),
                score(better),
                score(worse)
            )
        }
        Verdict::WithinError => format!(
            "{} and {} cannot be told apart on overall fit ({} vs {}): the difference is within measurement error.",
            a.shown(),
            b.shown(),
            score(a),
            score(b)
        ),
        Verdict::Missing | Verdict::Untrusted => format!(
            "{} and {}: overall fit {}.",
            a.shown(),
            b.shown(),
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
                comparison.candidates[higher].shown(),
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

/// Most decimals a sten difference is printed with.
const MAX_DECIMALS: usize = 4;

/// A number as it reads with `decimals` decimals.
fn printed(x: f64, decimals: usize) -> f64 {
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// Decimals for the sten thresholds of `comparison`: the fewest, at least
/// one, at which every real difference can be printed larger than its
/// threshold. The verdicts are made on unrounded values, so at one decimal a
/// real 2.09 against a threshold of 2.08 would read "+2.1" beside "more than
/// 2.1 to count".
pub(crate) fn sten_decimals(comparison: &Comparison) -> usize {
    let shown_real = |pair: &PairDifference, decimals: usize| match (
        pair.verdict,
        pair.difference,
        pair.threshold,
    ) {
        (Verdict::Real, Some(d), Some(t)) => printed(d.abs(), decimals) > printed(t, decimals),
        _ => true,
    };
    (1..=MAX_DECIMALS)
        .find(|&decimals| {
            comparison
                .attributes
                .iter()
                .flat_map(|a| &a.pairs)
                .all(|pair| shown_real(pair, decimals))
        })
        .unwrap_or(MAX_DECIMALS)
}

/// A pair's difference as printed. A sten difference has one decimal, or
/// more (up to `decimals`, its threshold's) when one would put it on the
/// wrong side of the threshold as printed: "≈ +2.06" beside "more than
/// 2.08", not "≈ +2.1". Rounding never moves a smaller number above a
/// larger one, so at `decimals` every difference is on its verdict's side.
/// A fit difference (no threshold) has `decimals`.
pub(crate) fn difference_text(pair: &PairDifference, decimals: usize) -> String {
    let (Some(d), Some(t)) = (pair.difference, pair.threshold) else {
        return pair
            .difference
            .map(|d| signed(d, decimals))
            .unwrap_or_default();
    };
    let threshold = printed(t, decimals);
    let real = pair.verdict == Verdict::Real;
    let shown = (1..decimals)
        .find(|&k| (printed(d.abs(), k) > threshold) == real)
        .unwrap_or(decimals);
    signed(d, shown)
}

/// A difference with its sign, e.g. "+2.1" or "-0.3"; one that rounds to
/// zero is "0.0" (or "0"), never "-0.0".
pub(crate) fn signed(difference: f64, decimals: usize) -> String {
    let text = format!("{difference:+.decimals$}");
    if text[1..].bytes().all(|b| b == b'0' || b == b'.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// How big a difference must be to count, in words: the sten threshold (one
/// number, or one per attribute when the norms' reliabilities differ) and
/// the rule for overall fit.
pub(crate) fn thresholds_sentence(
    run: &Run<'_>,
    comparison: &Comparison,
    decimals: usize,
) -> String {
    let q = run.assessment.questionnaire();
    let thresholds: Vec<(String, String)> = comparison
        .attributes
        .iter()
        .filter_map(|a| {
            let threshold = a.pairs.iter().find_map(|p| p.threshold)?;
            let name = q
                .scale_index(&a.scale)
                .map_or_else(|| a.scale.clone(), |i| q.scales()[i].name.clone());
            Some((name, format!("{threshold:.decimals$}")))
        })
        .collect();
    let stens = match thresholds.as_slice() {
        [] => String::new(),
        [(_, first), rest @ ..] if rest.iter().all(|(_, t)| t == first) => {
            format!("Two scores must differ by more than {first} to count. ")
        }
        all => {
            let each: Vec<String> = all.iter().map(|(name, t)| format!("{name} {t}")).collect();
            format!("Two scores must differ by more than: {}. ", each.join(", "))
        }
    };
    format!("{stens}Overall fit differs only when the two fit ranges do not overlap.")
}

/// How many of `pairs` could be compared, and how many of those differ for real.
fn counts<'a>(pairs: impl Iterator<Item = &'a PairDifference>) -> (usize, usize, usize) {
    let (mut real, mut possible, mut total) = (0, 0, 0);
    for pair in pairs {
        total += 1;
        match pair.verdict {
            Verdict::Real => {
                real += 1;
                possible += 1;
            }
            Verdict::WithinError => possible += 1,
            Verdict::Missing | Verdict::Untrusted => {}
        }
    }
    (real, possible, total)
}

/// `n` and the singular or plural word: "1 pair", "3 pairs".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a business owner should take from the comparison, in a few sentences.
pub(crate) fn comparison_bottom_line(comparison: &Comparison) -> String {
    format!(
        "{} {} A difference marked \"within measurement error\" is not evidence that one candidate is higher than the other.",
        fit_bottom_line(comparison),
        attribute_bottom_line(comparison)
    )
}

fn fit_bottom_line(comparison: &Comparison) -> String {
    let (real, possible, total) = counts(comparison.fit.iter());
    let verdict = match (real, possible) {
        (_, 0) => return "No pair could be compared on overall fit.".into(),
        (0, 1) => "The difference in overall fit is within measurement error: the questionnaire cannot rank \
these candidates, so choose between them at interview."
            .to_string(),
        (0, _) => "None of the differences in overall fit is larger than measurement error: the questionnaire cannot rank \
these candidates, so choose between them at interview."
            .to_string(),
        (1, 1) => "The difference in overall fit is real.".to_string(),
        (r, n) if r == n => format!("All {n} differences in overall fit are real (see the pairs)."),
        (1, n) => format!("1 of {n} differences in overall fit is real (see the pairs); treat the others as ties."),
        (r, n) => format!("{r} of {n} differences in overall fit are real (see the pairs); treat the others as ties."),
    };
    if possible < total {
        let pairs = count(total - possible, "pair", "pairs");
        format!(
            "{verdict} {pairs} could not be compared on fit (no fit given, or invalid answers)."
        )
    } else {
        verdict
    }
}

fn attribute_bottom_line(comparison: &Comparison) -> String {
    let (real, possible, total) = counts(comparison.attributes.iter().flat_map(|a| &a.pairs));
    if possible == 0 {
        return "No attribute comparison could be made.".into();
    }
    let real = if real == 1 {
        "1 is a real difference".to_string()
    } else {
        format!("{real} are real differences")
    };
    let made = count(possible, "attribute comparison", "attribute comparisons");
    if possible < total {
        format!(
            "Of {made} that could be made ({} of {total} could not: a score missing or answers invalid), {real}.",
            total - possible
        )
    } else {
        format!("Of {made}, {real}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::AttributeComparison;

    /// The built-in norms' threshold at 90%: 1.644854 · 0.894427 · √2.
    const THRESHOLD: f64 = 2.080594;

    fn pair(verdict: Verdict, difference: f64, threshold: Option<f64>) -> PairDifference {
        PairDifference {
            first: 0,
            second: 1,
            difference: Some(difference),
            threshold,
            verdict,
        }
    }

    fn comparison(fit: Vec<PairDifference>, attributes: Vec<Vec<PairDifference>>) -> Comparison {
        Comparison {
            candidates: Vec::new(),
            confidence: 0.9,
            critical: 1.6448536269514722,
            attributes: attributes
                .into_iter()
                .map(|pairs| AttributeComparison {
                    scale: "trust".into(),
                    pairs,
                })
                .collect(),
            fit,
        }
    }

    #[test]
    fn differences_print_on_their_side_of_the_threshold() {
        let (real, within) = (Verdict::Real, Verdict::WithinError);
        let t = Some(THRESHOLD);
        // Far from 2.08 both ways: one decimal, and "more than 2.1".
        let far = comparison(
            Vec::new(),
            vec![vec![pair(real, 2.4, t), pair(within, 2.06, t)]],
        );
        assert_eq!(sten_decimals(&far), 1);
        assert_eq!(difference_text(&far.attributes[0].pairs[0], 1), "+2.4");
        // 2.06 reads "2.1", which is not more than "2.1".
        assert_eq!(difference_text(&far.attributes[0].pairs[1], 1), "+2.1");
        // A real 2.09 reads "2.1" too: the threshold needs two decimals, 2.08.
        // Then 2.09 and 2.4 keep one ("2.1" is more than "2.08"), while 2.06 needs two.
        let near = comparison(
            Vec::new(),
            vec![vec![
                pair(real, 2.09, t),
                pair(within, -2.06, t),
                pair(real, 2.4, t),
            ]],
        );
        assert_eq!(sten_decimals(&near), 2);
        let texts: Vec<String> = near.attributes[0]
            .pairs
            .iter()
            .map(|p| difference_text(p, 2))
            .collect();
        assert_eq!(texts, ["+2.1", "-2.06", "+2.4"]);
        // A real 2.083: 2.08 is not more than 2.08, so three decimals (2.081).
        let nearer = comparison(Vec::new(), vec![vec![pair(real, 2.083, t)]]);
        assert_eq!(sten_decimals(&nearer), 3);
        assert_eq!(difference_text(&nearer.attributes[0].pairs[0], 3), "+2.1");
        // No "-0": a fit difference of -0.3 points, a sten difference of -0.04.
        assert_eq!(difference_text(&pair(within, -0.3, None), 0), "0");
        assert_eq!(difference_text(&pair(within, -0.04, t), 1), "0.0");
        assert_eq!(signed(-0.5, 0), "0");
        assert_eq!(signed(-0.51, 0), "-1");
    }

    #[test]
    fn bottom_line_counts_only_the_comparisons_made() {
        let (real, within, missing) = (Verdict::Real, Verdict::WithinError, Verdict::Missing);
        let t = Some(THRESHOLD);
        // Two candidates: one fit pair, real.
        let two = comparison(
            vec![pair(real, 30.0, None)],
            vec![vec![pair(real, 3.0, t)], vec![pair(within, 1.0, t)]],
        );
        assert!(comparison_bottom_line(&two).starts_with(
            "The difference in overall fit is real. Of 2 attribute comparisons, 1 is a real difference. "
        ));
        // Three candidates, one fit pair comparable; 2 of 6 attribute pairs.
        let gaps =
            |a: Verdict, b: Verdict| vec![pair(a, 3.0, t), pair(b, 1.0, t), pair(missing, 0.0, t)];
        let three = comparison(
            vec![
                pair(within, 5.0, None),
                pair(missing, 0.0, None),
                pair(missing, 0.0, None),
            ],
            vec![gaps(real, within), gaps(missing, missing)],
        );
        assert!(comparison_bottom_line(&three).starts_with(
            "The difference in overall fit is within measurement error: the questionnaire cannot rank these \
candidates, so choose between them at interview. 2 pairs could not be compared on fit (no fit \
given, or invalid answers). \
Of 2 attribute comparisons that could be made (4 of 6 could not: a score missing or answers invalid), \
1 is a real difference. "
        ));
        let fits = comparison(
            vec![
                pair(real, 30.0, None),
                pair(within, 5.0, None),
                pair(within, 2.0, None),
            ],
            vec![vec![pair(missing, 0.0, t)]],
        );
        assert!(comparison_bottom_line(&fits).starts_with(
            "1 of 3 differences in overall fit is real (see the pairs); treat the others as ties. \
No attribute comparison could be made. "
        ));
    }
}
