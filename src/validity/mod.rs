//! Response validity: indices of careless, random and too-good-to-be-true
//! answering, and the status (`valid`, `caution`, `invalid`) they give.
//!
//! Each index is a pure function of one candidate's answers in presentation
//! order; definitions and references are in `docs/METHOD.md` §4. Thresholds
//! come from the questionnaire file (so another instrument brings its own),
//! with the defaults below, derived in METHOD.md from a simulation.

mod misfit;

use serde::{Deserialize, Serialize};

pub use misfit::{Misfit, MisfitScore};

use crate::error::Problem;
use crate::questionnaire::{ItemRole, Questionnaire, ScaleKind};
use crate::scoring::{Answer, Halves};

/// Thresholds of the validity checks. A value *at* a threshold triggers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ValidityThresholds {
    /// Caution when fewer than this share of scored items is answered.
    pub completeness_caution: f64,
    /// Invalid when fewer than this share is answered.
    pub completeness_invalid: f64,
    /// Caution when the longest run of identical answers is at least this long.
    pub longstring_caution: usize,
    /// Invalid when it is at least this long.
    pub longstring_invalid: usize,
    /// Caution when the sd of a person's answers is at most this.
    pub irv_caution: f64,
    /// Invalid when it is at most this.
    pub irv_invalid: f64,
    /// Caution when even–odd consistency is at most this.
    pub even_odd_caution: f64,
    /// Caution when the misfit z is at least this.
    pub misfit_caution: f64,
    /// Invalid when it is at least this.
    pub misfit_invalid: f64,
    /// Caution when at least this many attention items are failed.
    pub attention_caution: usize,
    /// Invalid when at least this many are failed.
    pub attention_invalid: usize,
    /// Caution when the impression-management sten is at least this.
    pub impression_caution: u8,
    /// Caution when fewer seconds per item than this were taken.
    pub seconds_per_item_caution: f64,
    /// Invalid when fewer than this.
    pub seconds_per_item_invalid: f64,
}

impl Default for ValidityThresholds {
    fn default() -> Self {
        ValidityThresholds {
            completeness_caution: 0.90,
            completeness_invalid: 0.50,
            longstring_caution: 10,
            longstring_invalid: 15,
            irv_caution: 0.60,
            irv_invalid: 0.30,
            even_odd_caution: -0.50,
            misfit_caution: MISFIT_CAUTION,
            misfit_invalid: MISFIT_INVALID,
            attention_caution: 2,
            attention_invalid: 2,
            impression_caution: 10,
            seconds_per_item_caution: 2.0,
            seconds_per_item_invalid: 1.0,
        }
    }
}

/// Default misfit caution, a z: 1 in 740 under the model (P(z ≥ 3) = 0.00135);
/// on the built-in questionnaire a mean square of 1.57, above every one
/// of 20,000 simulated attentive respondents, with head-room for real items
/// being less alike than the model's (METHOD.md §4.9).
pub const MISFIT_CAUTION: f64 = 3.0;
/// Default misfit invalid, a z: about 3 in a million under the model; on the
/// built-in questionnaire a mean square of 1.93, below 99% of random
/// answerers who pass the attention items.
pub const MISFIT_INVALID: f64 = 4.5;

impl ValidityThresholds {
    /// Adds a problem for each threshold that cannot be right.
    pub(crate) fn check(&self, problems: &mut Vec<Problem>) {
        let mut need = |ok: bool, path: &str, found: String, expected: &str| {
            if !ok {
                problems.push(Problem::new(format!("validity.{path}"), found, expected));
            }
        };
        let share = |v: f64| (0.0..=1.0).contains(&v);
        need(
            share(self.completeness_invalid)
                && share(self.completeness_caution)
                && self.completeness_invalid <= self.completeness_caution,
            "completeness_invalid/caution",
            format!(
                "{} and {}",
                self.completeness_invalid, self.completeness_caution
            ),
            "shares from 0 to 1, invalid ≤ caution",
        );
        need(
            self.longstring_caution >= 2 && self.longstring_caution <= self.longstring_invalid,
            "longstring_caution/invalid",
            format!(
                "{} and {}",
                self.longstring_caution, self.longstring_invalid
            ),
            "runs of at least 2, caution ≤ invalid",
        );
        need(
            self.irv_invalid >= 0.0 && self.irv_invalid <= self.irv_caution,
            "irv_invalid/caution",
            format!("{} and {}", self.irv_invalid, self.irv_caution),
            "standard deviations ≥ 0, invalid ≤ caution",
        );
        need(
            (-1.0..=1.0).contains(&self.even_odd_caution),
            "even_odd_caution",
            self.even_odd_caution.to_string(),
            "a correlation from −1 to 1",
        );
        need(
            self.misfit_caution.is_finite()
                && self.misfit_invalid.is_finite()
                && self.misfit_caution <= self.misfit_invalid,
            "misfit_caution/invalid",
            format!("{} and {}", self.misfit_caution, self.misfit_invalid),
            "z values with caution ≤ invalid, e.g. 3 and 4.5",
        );
        need(
            self.attention_caution >= 1 && self.attention_caution <= self.attention_invalid,
            "attention_caution/invalid",
            format!("{} and {}", self.attention_caution, self.attention_invalid),
            "counts of at least 1, caution ≤ invalid",
        );
        need(
            (1..=10).contains(&self.impression_caution),
            "impression_caution",
            self.impression_caution.to_string(),
            "a sten from 1 to 10",
        );
        need(
            self.seconds_per_item_invalid >= 0.0
                && self.seconds_per_item_invalid <= self.seconds_per_item_caution,
            "seconds_per_item_invalid/caution",
            format!(
                "{} and {}",
                self.seconds_per_item_invalid, self.seconds_per_item_caution
            ),
            "seconds ≥ 0, invalid ≤ caution",
        );
    }
}

/// The verdict on a candidate's responses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No check triggered.
    #[default]
    Valid,
    /// Something looks off: read the scores with care.
    Caution,
    /// The responses cannot be trusted: no fit band, no recommendation.
    Invalid,
}

impl Status {
    /// Lower-case name, as in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Caution => "caution",
            Status::Invalid => "invalid",
        }
    }
}

/// The indices of one candidate's responses.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Indices {
    /// Share of scored items answered.
    pub completeness: f64,
    /// Items answered / items, per scale, in the questionnaire's scale order.
    pub scale_completeness: Vec<f64>,
    /// Longest run of identical consecutive answers.
    pub longstring: usize,
    /// The answer repeated in that run.
    pub longstring_value: Option<i32>,
    /// Mean length of the runs of identical answers.
    pub mean_run: f64,
    /// Intra-individual response variability: the sd (n − 1) of the answers.
    pub irv: Option<f64>,
    /// Even–odd consistency, Spearman–Brown corrected.
    pub even_odd: Option<f64>,
    /// Misfit mean square: spread within scales against the norms' item model
    /// (about 1 for careful answers); `None` without norms or answers to compare.
    pub misfit: Option<f64>,
    /// Its z (Wilson–Hilferty): about 0 for careful answers, whatever the length.
    pub misfit_z: Option<f64>,
    /// Attention items failed (answered, but not as expected).
    pub attention_failed: usize,
    /// Attention items answered.
    pub attention_answered: usize,
    /// Seconds per item, when a duration was given.
    pub seconds_per_item: Option<f64>,
}

/// A validity check that can flag a candidate's answers: which one, so
/// that reports for hiring managers can say in their own words what it
/// means and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Too few items answered.
    Completeness,
    /// A long run of the same answer.
    SameAnswerRun,
    /// Too little variation across all answers.
    LittleVariation,
    /// Halves of the same scales disagree (even–odd consistency).
    HalvesDisagree,
    /// Answers within scales spread far more than careful answers (misfit).
    Misfit,
    /// Attention items failed.
    Attention,
    /// An unusually flawless self-description (impression management).
    Impression,
    /// Too fast to have read the items.
    Speed,
}

/// Indices plus verdict.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Validity {
    /// The worst status any check gave.
    pub status: Status,
    /// Each triggered check, in plain words.
    pub reasons: Vec<String>,
    /// Each triggered check, in the order of `reasons`.
    #[serde(skip)]
    pub checks: Vec<Check>,
    /// The numbers behind it.
    pub indices: Indices,
}

/// Computes the indices of `answers` (one per item, presentation order);
/// misfit only with the `misfit` model of the norms in use.
pub fn indices(
    questionnaire: &Questionnaire,
    answers: &[Answer],
    seconds: Option<f64>,
    misfit: Option<&Misfit>,
) -> Indices {
    let mut out = Indices::default();
    Halves::of_every_scale(questionnaire, answers, |halves| {
        indices_from(questionnaire, answers, halves, seconds, misfit, &mut out);
    });
    out
}

/// [`indices`] into `out`, reusing its buffer (for assessing many
/// candidates), from the [`Halves`] of every scale, which the caller has
/// summed already for the raw scores.
pub fn indices_from(
    questionnaire: &Questionnaire,
    answers: &[Answer],
    halves: &[Halves],
    seconds: Option<f64>,
    misfit: Option<&Misfit>,
    out: &mut Indices,
) {
    let items = questionnaire.items();
    let (mut attention_failed, mut attention_answered) = (0, 0);
    for &i in questionnaire.attention_items() {
        if let (ItemRole::Attention { expected }, Some(Some(value))) =
            (&items[i].role, answers.get(i))
        {
            attention_answered += 1;
            attention_failed += usize::from(!expected.contains(value));
        }
    }
    // Every item is scored or an attention item.
    let scored = items.len() - questionnaire.attention_items().len();
    let sequence = Sequence::of(answers);
    let answered = sequence.moments.count.saturating_sub(attention_answered);
    let (longstring, longstring_value, mean_run) = sequence.runs();
    out.completeness = ratio(answered, scored);
    out.scale_completeness.clear();
    out.scale_completeness.extend(
        (halves.iter().enumerate())
            .map(|(s, h)| ratio(h.answered(), questionnaire.scale_keys(s).len())),
    );
    out.longstring = longstring;
    out.longstring_value = longstring_value;
    out.mean_run = mean_run;
    out.irv = sequence.moments.sd();
    out.even_odd = even_odd_of(questionnaire, halves);
    let score = misfit.and_then(|m| m.of(halves));
    out.misfit = score.map(|s| s.mean_square);
    out.misfit_z = score.map(|s| s.z);
    out.attention_failed = attention_failed;
    out.attention_answered = attention_answered;
    out.seconds_per_item = seconds.map(|s| s / items.len() as f64);
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// Longest run, its value, and mean run length over the answers in order.
///
/// An unanswered item ends a run and starts none (Johnson 2005's longstring,
/// as in R careless `longstring()` on complete data).
pub fn runs(answers: &[Answer]) -> (usize, Option<i32>, f64) {
    Sequence::of(answers).runs()
}

/// Sample sd (n − 1) of the answered values (Dunn, Heggestad, Shanock & Theilgard 2018).
pub fn irv(answers: &[Answer]) -> Option<f64> {
    Sequence::of(answers).moments.sd()
}

/// What one pass over the answers in presentation order gives: the runs of
/// identical answers and the moments of the values.
struct Sequence {
    longest: usize,
    longest_value: Option<i32>,
    /// Runs started (answers that do not continue the previous one).
    starts: usize,
    moments: Moments,
}

impl Sequence {
    fn of(answers: &[Answer]) -> Sequence {
        // Written without branches on the answers, which careless responders make unpredictable.
        let mut sequence = Sequence {
            longest: 0,
            longest_value: None,
            starts: 0,
            moments: Moments::default(),
        };
        let (mut current, mut previous) = (0usize, None);
        for &answer in answers {
            let continues = answer.is_some() && answer == previous;
            current = if continues {
                current + 1
            } else {
                usize::from(answer.is_some())
            };
            sequence.starts += usize::from(answer.is_some() && !continues);
            // Strictly longer: of equally long runs the first wins.
            if current > sequence.longest {
                (sequence.longest, sequence.longest_value) = (current, answer);
            }
            previous = answer;
            sequence.moments.add(answer);
        }
        sequence
    }

    /// Longest run, its value, and mean run length.
    fn runs(&self) -> (usize, Option<i32>, f64) {
        let mean = if self.starts == 0 {
            0.0
        } else {
            self.moments.count as f64 / self.starts as f64
        };
        (self.longest, self.longest_value, mean)
    }
}

/// Count, sum and sum of squares of the answered values, exact in integers.
#[derive(Default)]
struct Moments {
    count: usize,
    sum: i128,
    squares: i128,
}

impl Moments {
    fn add(&mut self, answer: Answer) {
        // |v| < 2³¹, so v² fits in an i64; the sums are kept in i128.
        let v = i64::from(answer.unwrap_or(0));
        self.count += usize::from(answer.is_some());
        self.sum += i128::from(v);
        self.squares += i128::from(v * v);
    }

    /// Sample sd: `Σ(x − x̄)² = (n·Σx² − (Σx)²) / n`, whose numerator is an
    /// exact integer, so the one rounding is in the division (a two-pass sum
    /// in floating point rounds at every step).
    fn sd(&self) -> Option<f64> {
        if self.count < 2 {
            return None;
        }
        let n = self.count as i128;
        let numerator = n * self.squares - self.sum * self.sum;
        Some((numerator as f64 / (n * (n - 1)) as f64).sqrt())
    }
}

/// Even–odd consistency: per attribute scale, the means of its odd- and
/// even-numbered keyed items; the correlation of the two across scales,
/// Spearman–Brown corrected `2r / (1 + r)` and floored at −1 (Johnson 2005;
/// Meade & Craig 2012), as R careless `evenodd()` computes it before negating
/// it (careless ≥ 1.2 reports `−value`, so that high means careless; here high
/// means consistent, as in the literature).
///
/// `None` when fewer than three scales have both halves, or a half has no variance.
pub fn even_odd(questionnaire: &Questionnaire, answers: &[Answer]) -> Option<f64> {
    Halves::of_every_scale(questionnaire, answers, |halves| {
        even_odd_of(questionnaire, halves)
    })
}

/// [`even_odd`] from the [`Halves`] of every scale.
pub fn even_odd_of(questionnaire: &Questionnaire, halves: &[Halves]) -> Option<f64> {
    let means = (halves.iter().zip(questionnaire.scales()))
        .filter(|(_, scale)| scale.kind == ScaleKind::Attribute)
        .filter_map(|(h, _)| h.means());
    // On the stack for any ordinary questionnaire: assessing a candidate allocates nothing.
    let mut inline = [(0.0, 0.0); 16];
    let mut heap = Vec::new();
    let mut count = 0;
    for pair in means {
        match inline.get_mut(count) {
            Some(slot) => *slot = pair,
            None => heap.push(pair),
        }
        count += 1;
    }
    if count < 3 {
        return None;
    }
    let pairs = inline[..count.min(inline.len())]
        .iter()
        .chain(&heap)
        .copied();
    let r = correlation(pairs)?;
    // r = −1 would divide by zero; the floor at −1 covers it and every r < −1/3.
    Some(if r <= -1.0 / 3.0 {
        -1.0
    } else {
        2.0 * r / (1.0 + r)
    })
}

/// Pearson correlation; `None` when either variable has no variance.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    correlation(x.iter().copied().zip(y.iter().copied()))
}

/// Pearson correlation of the pairs, which are iterated three times (means,
/// then deviations); `None` when either variable has no variance.
fn correlation(pairs: impl Iterator<Item = (f64, f64)> + Clone) -> Option<f64> {
    let n = pairs.clone().count() as f64;
    let (sx, sy) = pairs
        .clone()
        .fold((0.0, 0.0), |(sx, sy), (a, b)| (sx + a, sy + b));
    let (mx, my) = (sx / n, sy / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in pairs {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// The status and reasons `indices` give under `thresholds`, with the impression-management sten.
pub fn judge(
    questionnaire: &Questionnaire,
    indices: Indices,
    impression_sten: Option<u8>,
    thresholds: &ValidityThresholds,
) -> Validity {
    let mut validity = Validity {
        status: Status::Valid,
        reasons: Vec::new(),
        checks: Vec::new(),
        indices,
    };
    judge_into(questionnaire, impression_sten, thresholds, &mut validity);
    validity
}

/// [`judge`] of `validity.indices`, setting `validity`'s status and reasons
/// and reusing its buffer (for assessing many candidates).
pub fn judge_into(
    questionnaire: &Questionnaire,
    impression_sten: Option<u8>,
    thresholds: &ValidityThresholds,
    validity: &mut Validity,
) {
    let Validity {
        status,
        reasons,
        checks,
        indices,
    } = validity;
    *status = Status::Valid;
    reasons.clear();
    checks.clear();
    let mut flag = |level: Status, check: Check, reason: String| {
        *status = (*status).max(level);
        checks.push(check);
        reasons.push(reason);
    };
    let t = thresholds;
    let pct = |v: f64| format!("{:.0}%", 100.0 * v);
    if indices.completeness < t.completeness_invalid {
        flag(
            Status::Invalid,
            Check::Completeness,
            format!("answered only {} of the items", pct(indices.completeness)),
        );
    } else if indices.completeness < t.completeness_caution {
        flag(
            Status::Caution,
            Check::Completeness,
            format!("answered {} of the items", pct(indices.completeness)),
        );
    }
    if indices.longstring >= t.longstring_caution {
        let level = if indices.longstring >= t.longstring_invalid {
            Status::Invalid
        } else {
            Status::Caution
        };
        let label = indices
            .longstring_value
            .map(|v| answer_label(questionnaire, v))
            .unwrap_or_default();
        flag(
            level,
            Check::SameAnswerRun,
            format!("answered {label} to {} items in a row", indices.longstring),
        );
    }
    if let Some(irv) = indices.irv.filter(|&v| v <= t.irv_caution) {
        let level = if irv <= t.irv_invalid {
            Status::Invalid
        } else {
            Status::Caution
        };
        flag(
            level,
            Check::LittleVariation,
            format!(
                "gave almost the same answer throughout (spread {irv:.2} on the response scale)"
            ),
        );
    }
    if let Some(eo) = indices.even_odd.filter(|&v| v <= t.even_odd_caution) {
        flag(
            Status::Caution,
            Check::HalvesDisagree,
            format!(
                "answers to items of the same scale do not agree (even–odd consistency {eo:.2})"
            ),
        );
    }
    if let Some(z) = indices.misfit_z.filter(|&v| v >= t.misfit_caution) {
        let level = if z >= t.misfit_invalid {
            Status::Invalid
        } else {
            Status::Caution
        };
        flag(
            level,
            Check::Misfit,
            format!(
                "answers to statements about the same quality disagree far more than careful answers do (misfit {:.2} times the expected spread)",
                indices.misfit.unwrap_or_default()
            ),
        );
    }
    if indices.attention_failed >= t.attention_caution {
        let level = if indices.attention_failed >= t.attention_invalid {
            Status::Invalid
        } else {
            Status::Caution
        };
        flag(
            level,
            Check::Attention,
            format!(
                "failed {} of {} attention items",
                indices.attention_failed, indices.attention_answered
            ),
        );
    }
    if let Some(sten) = impression_sten.filter(|&s| s >= t.impression_caution) {
        flag(Status::Caution,Check::Impression, format!("described themselves as unusually flawless (impression management sten {sten}); scores may be inflated"));
    }
    if let Some(spi) = indices
        .seconds_per_item
        .filter(|&v| v < t.seconds_per_item_caution)
    {
        let level = if spi < t.seconds_per_item_invalid {
            Status::Invalid
        } else {
            Status::Caution
        };
        flag(
            level,
            Check::Speed,
            format!("took {spi:.1} seconds per item, too fast to read them"),
        );
    }
}

fn answer_label(questionnaire: &Questionnaire, value: i32) -> String {
    questionnaire
        .response_scale()
        .labels
        .iter()
        .find(|l| l.value == value)
        .map_or_else(|| format!("{value}"), |l| format!("'{}'", l.label))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three scales of four items each, listed scale by scale, plus one attention item.
    fn three_scales() -> Questionnaire {
        let mut items = Vec::new();
        for scale in ["a", "b", "c"] {
            for k in 1..=4 {
                items.push(format!(
                    r#"{{"id":"{scale}{k}","scale":"{scale}","text":"t"}}"#
                ));
            }
        }
        items.push(r#"{"id":"AT","text":"choose 2","attention":{"expected":[2]}}"#.into());
        let scales: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|s| format!(r#"{{"id":"{s}","name":"{s}","kind":"attribute"}}"#))
            .collect();
        let text = format!(
            r#"{{"id":"q","version":"1","title":"t","response_scale":{{"min":1,"max":5,
            "labels":[{{"value":3,"label":"Neutral"}}]}},"scales":[{}],"items":[{}]}}"#,
            scales.join(","),
            items.join(",")
        );
        Questionnaire::from_json(&text, "three").unwrap()
    }

    #[test]
    fn runs_by_hand() {
        // 3 3 3 | (blank) | 5 5 | 1 → runs of 3, 2, 1: longest 3 of '3', mean (3+2+1)/3 = 2.
        let answers = [Some(3), Some(3), Some(3), None, Some(5), Some(5), Some(1)];
        assert_eq!(runs(&answers), (3, Some(3), 2.0));
        assert_eq!(runs(&[None, None]), (0, None, 0.0));
        // 2 2 | (blank) | 2 2 | 4 4: a blank splits equal answers; of three runs of 2 the first wins.
        let tied = [Some(2), Some(2), None, Some(2), Some(2), Some(4), Some(4)];
        assert_eq!(runs(&tied), (2, Some(2), 2.0));
        // 1 1 | 4 4 4 4 | 1: the longer later run wins; mean (2+4+1)/3.
        let later = [
            Some(1),
            Some(1),
            Some(4),
            Some(4),
            Some(4),
            Some(4),
            Some(1),
        ];
        assert_eq!(runs(&later), (4, Some(4), 7.0 / 3.0));
    }

    #[test]
    fn irv_by_hand() {
        // 3 3 3 5 5 1: mean 3.3333, squared deviations 0.1111·3 + 2.7778·2 + 5.4444 = 11.3333;
        // /5 = 2.26667; √ = 1.505545305418162 (R: sd(c(3,3,3,5,5,1))).
        let answers = [Some(3), Some(3), Some(3), None, Some(5), Some(5), Some(1)];
        assert!((irv(&answers).unwrap() - 1.505545305418162).abs() < 1e-12);
        assert_eq!(irv(&[Some(4)]), None);
    }

    #[test]
    fn halves_by_hand() {
        let q = three_scales();
        // a: 5 4 (blank) 4 → odd half 5 (one answered), even half 4 + 4 (two).
        let mut answers: Vec<Answer> = vec![Some(3); 13];
        answers[..4].copy_from_slice(&[Some(5), Some(4), None, Some(4)]);
        let halves = Halves::of(&q, 0, &answers);
        assert_eq!((halves.sums, halves.answered), ([5, 8], [1, 2]));
        assert_eq!(halves.means(), Some((5.0, 4.0)));
        // 3 of 4 answered meets 0.75: the raw score is 13 / 3.
        let raw = halves.raw_score(4, 0.75);
        assert_eq!((raw.answered, raw.sum, raw.raw), (3, 13, Some(13.0 / 3.0)));
        assert_eq!(halves.raw_score(4, 0.8).raw, None);
    }

    #[test]
    fn even_odd_by_hand() {
        let q = three_scales();
        // a 5 4 5 4 → odd-numbered items' mean 5, even 4; b 3 3 2 2 → 2.5, 2.5; c 1 2 1 2 → 1, 2.
        // r((5, 2.5, 1), (4, 2.5, 2)) = 4.1667/√(8.1667·2.1667) = 0.9905360646879089;
        // Spearman–Brown 2r/(1+r) = 0.9952455343663542.
        let answers: Vec<Answer> = [5, 4, 5, 4, 3, 3, 2, 2, 1, 2, 1, 2, 2]
            .into_iter()
            .map(Some)
            .collect();
        assert!((even_odd(&q, &answers).unwrap() - 0.9952455343663542).abs() < 1e-12);
        // Halves that disagree: a 5 1 5 1, b 3 3 3 3, c 1 5 1 5 → (5, 3, 1) vs (1, 3, 5): r = −1, floored at −1.
        let answers: Vec<Answer> = [5, 1, 5, 1, 3, 3, 3, 3, 1, 5, 1, 5, 2]
            .into_iter()
            .map(Some)
            .collect();
        assert_eq!(even_odd(&q, &answers), Some(-1.0));
    }

    #[test]
    fn straight_lining_is_invalid_with_reasons_in_words() {
        let q = three_scales();
        let answers = vec![Some(3); 13];
        let validity = judge(
            &q,
            indices(&q, &answers, None, None),
            None,
            &ValidityThresholds::default(),
        );
        assert_eq!(validity.status, Status::Invalid);
        assert_eq!(validity.indices.longstring, 13);
        assert!(
            validity
                .reasons
                .contains(&"answered 'Neutral' to 13 items in a row".to_string()),
            "{:?}",
            validity.reasons
        );
        assert!(validity
            .reasons
            .iter()
            .any(|r| r.starts_with("gave almost the same answer throughout (spread 0.00")));
        // One check per reason, in the same order, for the reports' plain words.
        assert_eq!(validity.checks.len(), validity.reasons.len());
        assert_eq!(
            validity.checks[..2],
            [Check::SameAnswerRun, Check::LittleVariation]
        );
    }

    #[test]
    fn misfit_gives_caution_and_invalid_with_reasons() {
        use crate::item_model::ItemModel;
        let q = three_scales();
        // r̄ = 0.25, σ = 1: expected within-person variance 0.75 + 1/12 = 5/6 for every scale.
        let model = ItemModel {
            mean_r: 0.25,
            item_sd: 1.0,
        };
        let misfit = Misfit::new([model; 3]);
        let judged = |values: [i32; 12]| {
            let mut answers: Vec<Answer> = values.into_iter().map(Some).collect();
            answers.push(Some(2));
            let indices = indices(&q, &answers, None, Some(&misfit));
            judge(&q, indices, None, &ValidityThresholds::default())
        };
        // a 1 5 1 5 and b 1 5 1 5: SS = 52 − 12²/4 = 16 each; c 3 4 3 4: SS = 50 − 14²/4 = 1.
        // χ² = 33·(6/5) = 39.6 on 9 df: mean square 4.4; z = (4.4^⅓ − (1 − 2/81)) / √(2/81) = 4.2214
        // → caution (3 ≤ z < 4.5).
        let v = judged([1, 5, 1, 5, 1, 5, 1, 5, 3, 4, 3, 4]);
        assert!((v.indices.misfit.unwrap() - 4.4).abs() < 1e-12);
        assert!((v.indices.misfit_z.unwrap() - 4.221431).abs() < 1e-6);
        assert_eq!(v.status, Status::Caution, "{:?}", v.reasons);
        assert!(v.reasons.contains(&"answers to statements about the same quality disagree far more than careful answers do (misfit 4.40 times the expected spread)".to_string()), "{:?}", v.reasons);
        // 1 5 1 5 in every scale: χ² = 48·(6/5) = 57.6, mean square 6.4, z = 5.6087 → invalid.
        let v = judged([1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5]);
        assert!((v.indices.misfit_z.unwrap() - 5.608730).abs() < 1e-6);
        assert_eq!(v.status, Status::Invalid);
        // a 2 3 2 3, b 3 4 3 4, c 4 5 4 5: SS = 1 each; mean square 3·(6/5) / 9 = 0.4 → valid.
        let v = judged([2, 3, 2, 3, 3, 4, 3, 4, 4, 5, 4, 5]);
        assert!((v.indices.misfit.unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(v.status, Status::Valid);
    }

    #[test]
    fn misfit_thresholds_are_checked() {
        let mut problems = Vec::new();
        let t = ValidityThresholds {
            misfit_caution: 5.0,
            misfit_invalid: 4.5,
            ..ValidityThresholds::default()
        };
        t.check(&mut problems);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "validity.misfit_caution/invalid");
    }

    #[test]
    fn attention_speed_impression_and_completeness() {
        let q = three_scales();
        let t = ValidityThresholds {
            attention_caution: 1,
            ..ValidityThresholds::default()
        };
        // Varied answers, attention item answered 4 instead of 2; 13 items in 20 s = 1.54 s per item.
        let mut answers: Vec<Answer> = [5, 4, 5, 4, 3, 3, 2, 2, 1, 2, 1, 2, 4]
            .into_iter()
            .map(Some)
            .collect();
        let v = judge(&q, indices(&q, &answers, Some(20.0), None), Some(10), &t);
        assert_eq!(v.status, Status::Caution);
        assert_eq!(v.indices.attention_failed, 1);
        assert!(v
            .reasons
            .contains(&"failed 1 of 1 attention items".to_string()));
        assert!(v
            .reasons
            .iter()
            .any(|r| r.contains("impression management sten 10")));
        assert!(v
            .reasons
            .contains(&"took 1.5 seconds per item, too fast to read them".to_string()));
        // Blank 7 of the 12 scored items: completeness 5/12 = 0.4167 < 0.5 → invalid.
        answers.iter_mut().take(7).for_each(|a| *a = None);
        let v = judge(&q, indices(&q, &answers, None, None), None, &t);
        assert_eq!(v.status, Status::Invalid);
        assert!((v.indices.completeness - 5.0 / 12.0).abs() < 1e-12);
        assert_eq!(v.indices.scale_completeness, vec![0.0, 0.25, 1.0]);
    }
}
