//! Plain words shared by the formats people read (HTML, Markdown, terminal):
//! which attributes are strengths and which are gaps, what to ask about each
//! gap, what a fit means and how sure it is, and what a comparison amounts to.
//!
//! Sentences are made once, here, as unescaped text; each format escapes and
//! lays them out. The behavioural words, interview probes and development
//! suggestions come from the questionnaire and profile files, never from code.

use crate::assessment::CandidateResult;
use crate::fit::{AttributeFit, FitBand, Side};
use crate::norms::{Interval, NormedScore};
use crate::profile::{Target, STEN_MAX, STEN_MIN};
use crate::questionnaire::Scale;
use crate::validity::Status;

use super::{fixed, provenance, Run};

pub(crate) use super::text_compare::{
    attribute_pair_sentence, comparison_bottom_line, difference_text, fit_pair_sentence,
    sten_decimals, thresholds_sentence, verdict_words,
};

/// Most strengths named per candidate: the top three say enough.
const STRENGTHS_SHOWN: usize = 3;
/// A continuous sten from which an in-range attribute is described with the
/// scale's "high" words: one sd above the norm mean (5.5 + 2·0.5).
const CLEARLY_HIGH: f64 = 6.5;

/// One attribute of one candidate, with everything a report says about it.
pub(crate) struct AttributeView<'a> {
    /// The questionnaire's scale: name and behavioural words.
    pub scale: &'a Scale,
    /// The profile's target: band, minimum, why.
    pub target: &'a Target,
    /// The normed score, if the scale was scored.
    pub normed: Option<&'a NormedScore>,
    /// How it contributes to fit.
    pub fit: &'a AttributeFit,
    /// The run's confidence level, which the interval's words name.
    pub confidence: f64,
    /// Whether the answers were trusted. Invalid answers have scores, but
    /// every page, table and chart for hiring managers shows none of them
    /// (`normed` is left out), since any number invites reading into it.
    pub trusted: bool,
}

/// The candidate's attributes in profile order.
pub(crate) fn attributes<'a>(run: &Run<'a>, result: &'a CandidateResult) -> Vec<AttributeView<'a>> {
    let q = run.assessment.questionnaire();
    let confidence = provenance(run).options.confidence;
    let trusted = result.validity.status != Status::Invalid;
    run.assessment
        .profile()
        .targets
        .iter()
        .zip(&result.fit.attributes)
        .filter_map(|(target, fit)| {
            // check_against guaranteed every target names a scale; filter_map keeps it panic-free.
            let index = q.scale_index(&target.scale)?;
            Some(AttributeView {
                scale: &q.scales()[index],
                target,
                normed: (result.scales.get(index))
                    .and_then(|s| s.normed.as_ref())
                    .filter(|_| trusted),
                fit,
                confidence,
                trusted,
            })
        })
        .collect()
}

pub(crate) use crate::text::level_words;

/// The run's confidence level as people read it, e.g. "90%".
pub(crate) fn run_level(run: &Run<'_>) -> String {
    level_words(provenance(run).options.confidence)
}

/// An interval clamped to the sten axis.
pub(crate) fn clamp_sten(interval: Interval) -> Interval {
    interval.map(|v| v.clamp(STEN_MIN, STEN_MAX))
}

/// A band in words: "5–8", or "6 or more" when open at the top.
pub(crate) fn band_words(low: f64, high: f64) -> String {
    if high >= STEN_MAX {
        format!("{} or more", number(low))
    } else {
        format!("{}–{}", number(low), number(high))
    }
}

/// A sten bound as written: no decimals when whole.
pub(crate) fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        fixed(Some(value), 0)
    } else {
        fixed(Some(value), 1)
    }
}

impl AttributeView<'_> {
    /// The role's range in words.
    pub fn range(&self) -> String {
        band_words(self.target.low, self.target.high)
    }

    /// Where the sten lies relative to the band: the side fit found from
    /// the continuous sten (METHOD §5.1), so that the words, arrows, probes
    /// and chart say what the fit counted — an attribute that costs points
    /// is never "in range", even when its sten rounds to the band's edge.
    pub fn shown_side(&self) -> Option<Side> {
        self.normed?;
        self.fit.side
    }

    /// The score's confidence interval on the axis.
    pub fn interval(&self) -> Option<Interval> {
        self.normed.map(|n| clamp_sten(n.sten_interval))
    }

    /// The interval in words, e.g. "5.9–8.1".
    pub fn interval_words(&self) -> String {
        self.interval().map_or_else(String::new, |i| {
            format!("{}–{}", fixed(Some(i.low), 1), fixed(Some(i.high), 1))
        })
    }

    /// The interval in brackets after a sten, " (6.2–8.0)"; nothing when not scored.
    pub fn bracketed_interval(&self) -> String {
        self.interval()
            .map_or_else(String::new, |_| format!(" ({})", self.interval_words()))
    }

    /// Short reading: "in range", "2 below", "just above", "not scored";
    /// the chart's note, the tables and the gap sentences all use it.
    pub fn reading(&self) -> String {
        if !self.trusted {
            return "answers not trusted".into();
        }
        reading(
            self.shown_side(),
            self.normed.map(|n| n.sten),
            self.target.low,
            self.target.high,
        )
    }

    /// Whether the score lies outside the band.
    pub fn is_gap(&self) -> bool {
        matches!(self.shown_side(), Some(Side::Below | Side::Above))
    }

    /// Whether the interval reaches the band, so the gap may be measurement error.
    fn gap_uncertain(&self) -> bool {
        self.interval()
            .is_some_and(|i| i.low <= self.target.high && i.high >= self.target.low)
    }

    /// Interview questions for a gap, in its direction.
    pub fn probes(&self) -> &[String] {
        match self.shown_side() {
            Some(Side::Below) => &self.scale.probes.low,
            Some(Side::Above) => &self.scale.probes.high,
            _ => &[],
        }
    }

    /// Development suggestions for a hire: a gap's direction, or building on
    /// a strength ("high") when the attribute is in range.
    pub fn development(&self) -> &[String] {
        match self.shown_side() {
            Some(Side::Below) => &self.scale.development.low,
            Some(Side::Above | Side::Inside) => &self.scale.development.high,
            None => &[],
        }
    }

    /// The sten as written: "7", or "–" when not scored.
    pub fn sten_words(&self) -> String {
        self.normed
            .map_or_else(|| "–".into(), |n| n.sten.to_string())
    }

    /// One paragraph on a strength.
    pub fn strength_sentence(&self) -> String {
        let behaviour = match self.normed {
            Some(n) if n.sten_continuous >= CLEARLY_HIGH => self.scale.high.as_str(),
            _ => "At the level the role asks for.",
        };
        join_sentences(&[
            &format!(
                "Score {}, within the role's range of {}.",
                self.sten_words(),
                self.range()
            ),
            behaviour,
        ])
    }

    /// One paragraph on a gap: where, what it looks like at work, why it matters, how sure.
    pub fn gap_sentence(&self) -> String {
        let behaviour = match self.shown_side() {
            Some(Side::Above) => self.scale.high.as_str(),
            _ => self.scale.low.as_str(),
        };
        let position = format!(
            "Score {}, {} the role's range ({}).",
            self.sten_words(),
            self.reading(),
            self.range()
        );
        let minimum = match (self.fit.below_minimum, self.target.minimum) {
            (true, Some(m)) => format!("Below the role's minimum of {}.", number(m)),
            _ => String::new(),
        };
        let certainty = if self.gap_uncertain() {
            format!(
                "Not certain: the {} range {} reaches the role's range, so let the interview decide.",
                level_words(self.confidence),
                self.interval_words()
            )
        } else {
            "Larger than measurement error.".into()
        };
        let behaviour = format!("At work: {behaviour}");
        let why = format!("Why it matters here: {}", self.target.why);
        join_sentences(&[&position, &minimum, &certainty, &behaviour, &why])
    }
}

/// Where a score lies against a band in words a reader can square with the
/// score shown. The side is the one fit found from the continuous sten
/// (`fit::band_gap`), so the words never contradict what fit counted or
/// where the chart draws the marker; the distance is from the shown `sten`
/// to the band's edge ("2 below" for a 3 under a band from 5), or "just"
/// when the shown sten sits on the edge though the continuous one is past it.
pub(crate) fn reading(side: Option<Side>, sten: Option<u8>, low: f64, high: f64) -> String {
    let (Some(side), Some(sten)) = (side, sten.map(f64::from)) else {
        return "not scored".into();
    };
    let (distance, direction) = match side {
        Side::Inside => return "in range".into(),
        Side::Below => (low - sten, "below"),
        Side::Above => (sten - high, "above"),
    };
    if distance > 0.0 {
        format!("{} {direction}", number(distance))
    } else {
        format!("just {direction}")
    }
}

/// A serious gap in words that name its direction: below the minimum, or
/// far below / far above the role's range.
fn serious_gap_words(view: &AttributeView<'_>) -> String {
    let name = &view.scale.name;
    match view.shown_side() {
        _ if view.fit.below_minimum => format!("{name} is below the role's minimum"),
        Some(Side::Above) => format!("{name} is far above the role's range"),
        Some(Side::Below) => format!("{name} is far below the role's range"),
        // serious_gaps keeps only attributes outside the band or below the minimum.
        Some(Side::Inside) | None => format!("{name} is outside the role's range"),
    }
}

fn join_sentences(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty() && !p.ends_with(':'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Strengths: attributes in range, highest sten first, at most three.
pub(crate) fn strengths<'v, 'a>(views: &'v [AttributeView<'a>]) -> Vec<&'v AttributeView<'a>> {
    let mut inside: Vec<&AttributeView> = views
        .iter()
        .filter(|v| v.shown_side() == Some(Side::Inside))
        .collect();
    let sten = |v: &AttributeView| v.normed.map_or(f64::NEG_INFINITY, |n| n.sten_continuous);
    inside.sort_by(|a, b| sten(b).total_cmp(&sten(a)));
    inside.truncate(STRENGTHS_SHOWN);
    inside
}

/// Gaps: attributes outside their band, the costliest first.
pub(crate) fn gaps<'v, 'a>(views: &'v [AttributeView<'a>]) -> Vec<&'v AttributeView<'a>> {
    let mut gaps: Vec<&AttributeView> = views.iter().filter(|v| v.is_gap()).collect();
    gaps.sort_by(|a, b| b.fit.points_lost.total_cmp(&a.fit.points_lost));
    gaps
}

/// Gaps a summary lists beside a candidate: none for answers that cannot be
/// trusted, whose scores say nothing about the candidate.
pub(crate) fn shown_gaps<'v, 'a>(
    result: &CandidateResult,
    views: &'v [AttributeView<'a>],
) -> Vec<&'v AttributeView<'a>> {
    if result.validity.status == Status::Invalid {
        Vec::new()
    } else {
        gaps(views)
    }
}

/// The status of the answers in a few words, with a symbol that does not rely on colour.
pub(crate) fn status_words(status: Status) -> &'static str {
    match status {
        Status::Valid => "✓ answers valid",
        Status::Caution => "! answers need care",
        Status::Invalid => "✗ answers invalid",
    }
}

/// A fit band with a capital, e.g. "Good fit".
pub(crate) fn band_title(band: Option<FitBand>) -> &'static str {
    match band {
        Some(FitBand::Strong) => "Strong fit",
        Some(FitBand::Good) => "Good fit",
        Some(FitBand::Partial) => "Partial fit",
        Some(FitBand::Weak) => "Weak fit",
        Some(FitBand::MinimumNotMet) => "Minimum not met",
        None => "No fit given",
    }
}

/// Attributes a reader must not miss behind a good overall fit: below the
/// role's minimum, or so far outside the band that they earn nothing
/// (closeness 0, a full tolerance away).
pub(crate) fn serious_gaps<'a>(
    run: &Run<'a>,
    result: &'a CandidateResult,
) -> Vec<AttributeView<'a>> {
    attributes(run, result)
        .into_iter()
        .filter(|v| v.fit.below_minimum || v.fit.closeness == Some(0.0))
        .collect()
}

/// The result's flags as hiring-manager pages show them: a minimum not met
/// in plain words ("score", where the flag says "sten" for consultants).
pub(crate) fn page_flags(run: &Run<'_>, result: &CandidateResult) -> Vec<String> {
    let views = attributes(run, result);
    result
        .flags
        .iter()
        .map(|flag| {
            views
                .iter()
                .filter(|v| v.fit.below_minimum)
                .find(|v| flag.starts_with(&format!("{} below the role's minimum (", v.scale.name)))
                .map_or_else(
                    || flag.clone(),
                    |v| {
                        let minimum = v.target.minimum.map_or_else(String::new, number);
                        format!(
                            "{} below the role's minimum: score {}, minimum {minimum}",
                            v.scale.name,
                            v.sten_words()
                        )
                    },
                )
        })
        .collect()
}

/// The verdict in one line, and what to do about it.
pub(crate) fn verdict(run: &Run<'_>, result: &CandidateResult) -> (String, String) {
    let role = &run.assessment.profile().name;
    if result.validity.status == Status::Invalid {
        return (
            "No recommendation: the answers cannot be trusted.".into(),
            "No fit is given: see below why, and what to do next.".into(),
        );
    }
    let Some(band) = result.fit.band else {
        return (
            "No fit: too many attributes could not be scored.".into(),
            "Ask the candidate to complete the questionnaire again, or decide on a structured interview.".into(),
        );
    };
    let headline = if band == FitBand::MinimumNotMet {
        let below: Vec<String> = attributes(run, result)
            .iter()
            .filter(|v| v.fit.below_minimum)
            .map(|v| {
                let minimum = v.target.minimum.map_or_else(String::new, number);
                format!(
                    "{} score {}, minimum {minimum}",
                    v.scale.name,
                    v.sten_words()
                )
            })
            .collect();
        format!("Minimum not met for {role} ({}).", below.join("; "))
    } else {
        format!("{} for {role}.", band_title(Some(band)))
    };
    let mut advice = match band {
        FitBand::Strong | FitBand::Good => {
            "Worth interviewing: use the questions below to check any gaps."
        }
        FitBand::Partial => "Interview if the gaps below can be managed or trained.",
        FitBand::Weak => "Far from what the role asks: interview only for other strong reasons.",
        FitBand::MinimumNotMet => {
            "Below a minimum the role sets: not a candidate for it unless the interview shows the score is wrong."
        }
    }
    .to_string();
    let serious: Vec<String> = serious_gaps(run, result)
        .iter()
        .map(serious_gap_words)
        .collect();
    if !serious.is_empty() {
        advice.push_str(&format!(
            " But {}: probe {} first, because one serious gap can matter more than the overall fit.",
            serious.join(" and "),
            if serious.len() == 1 { "it" } else { "them" }
        ));
    }
    if result.validity.status == Status::Caution {
        advice.push_str(" Some answers need care: read the scores with care and use the questions about the answers below at interview.");
    }
    (headline, advice)
}

/// How sure the fit is, in words.
pub(crate) fn certainty(result: &CandidateResult, confidence: f64) -> String {
    let (Some(score), Some(interval), true) =
        (result.fit.score, result.fit.interval, result.recommendable)
    else {
        return "No fit score is given, so there is nothing to be sure about.".into();
    };
    let (low, high) = (FitBand::of(interval.low), FitBand::of(interval.high));
    let spread = if low == high {
        format!("{} either way.", band_title(Some(low)))
    } else {
        format!(
            "anything from {} to {}; the interview must settle it.",
            band_title(Some(low)).to_lowercase(),
            band_title(Some(high)).to_lowercase()
        )
    };
    format!(
        "Fit {} of 100. Allowing for measurement error ({} range) it lies between {} and {}: {spread}",
        fixed(Some(score), 0),
        level_words(confidence),
        fixed(Some(interval.low), 0),
        fixed(Some(interval.high), 0)
    )
}

/// What a score is, for readers who have never met a sten (the word stays
/// in consultants' outputs), and how sure the range shown is at the run's
/// `confidence` level.
pub(crate) fn sten_explained(confidence: f64) -> String {
    format!(
        "{SCALE_EXPLAINED} A score is never exact: the range shown is where the \
true score lies with {} confidence.",
        level_words(confidence)
    )
}

/// The score scale in one sentence, for a candidate's own page, whose
/// "How sure are we?" already speaks of ranges.
pub(crate) const SCALE_EXPLAINED: &str = "Each score is on a 1–10 scale where 5–6 is average, \
compared with other applicants: about two in three people score 4–7, and 8 or more is high.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_numbers_in_words() {
        assert_eq!(band_words(5.0, 8.0), "5–8");
        assert_eq!(band_words(6.0, 10.0), "6 or more");
        assert_eq!(band_words(4.5, 7.0), "4.5–7");
    }

    #[test]
    fn levels_read_as_percentages_without_a_trailing_zero() {
        assert_eq!(level_words(0.9), "90%");
        assert_eq!(level_words(0.95), "95%");
        assert_eq!(level_words(0.975), "97.5%");
        assert_eq!(level_words(0.999), "99.9%");
        // 0.57 · 100 is 56.99999999999999 in binary.
        assert_eq!(level_words(0.57), "57%");
    }

    #[test]
    fn sentences_skip_empty_parts() {
        assert_eq!(join_sentences(&["A.", "", "B.", "Why: "]), "A. B.");
    }

    fn target(low: f64, high: f64) -> Target {
        Target {
            scale: "s".into(),
            low,
            high,
            weight: 1.0,
            minimum: None,
            tolerance_below: 3.0,
            tolerance_above: 3.0,
            why: String::new(),
        }
    }

    #[test]
    fn readings_name_the_side_fit_found() {
        // Band 5–8: sten 3 is 5 − 3 = 2 below; 9.6 shows as 10, 10 − 8 = 2 above.
        assert_eq!(reading(Some(Side::Below), Some(3), 5.0, 8.0), "2 below");
        assert_eq!(reading(Some(Side::Above), Some(10), 5.0, 8.0), "2 above");
        // Continuous 8.3 is past the band but shows as 8, on its edge.
        assert_eq!(reading(Some(Side::Above), Some(8), 5.0, 8.0), "just above");
        assert_eq!(reading(Some(Side::Inside), Some(6), 5.0, 8.0), "in range");
        assert_eq!(reading(None, None, 5.0, 8.0), "not scored");
    }

    proptest::proptest! {
        /// Over any continuous sten and band, the words say the side that
        /// fit's one side function found: "above" never for a score below
        /// the band, "below" never for one above it.
        #[test]
        fn readings_never_contradict_the_side(
            sten in 1.0f64..=10.0,
            low in 1u8..=10,
            width in 0u8..=9,
        ) {
            let (low, high) = (f64::from(low), f64::from(low.saturating_add(width).min(10)));
            let (side, _) = crate::fit::band_gap(sten, &target(low, high));
            let shown = crate::norms::sten_reported((sten - 5.5) / 2.0);
            let words = reading(Some(side), Some(shown), low, high);
            proptest::prop_assert_eq!(words.contains("above"), side == Side::Above, "{}", words);
            proptest::prop_assert_eq!(words.contains("below"), side == Side::Below, "{}", words);
            proptest::prop_assert_eq!(words == "in range", side == Side::Inside, "{}", words);
        }
    }

    #[test]
    fn clamps_to_the_axis() {
        let i = clamp_sten(Interval {
            low: 0.2,
            high: 11.3,
        });
        assert_eq!((i.low, i.high), (1.0, 10.0));
    }
}
