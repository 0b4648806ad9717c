//! The interview guide of a comparison: for each candidate compared, the
//! questions to ask about their own gaps, so the interviewer takes one sheet
//! into the room.
//!
//! The questions are the ones each candidate's page asks (the probes of the
//! questionnaire file, chosen by [`super::text::gaps`] and
//! [`super::text::AttributeView::probes`]), two per gap so four candidates
//! fit one printed page; the page of each candidate has them all. Made once
//! here, as unescaped text; each format escapes and lays it out.

use super::answers_text;
use super::text::{self, AttributeView};
use super::Run;
use crate::assessment::CandidateResult;
use crate::compare::Comparison;
use crate::validity::Status;

/// Questions per gap in the guide: the first two of the questionnaire's
/// probes, so that four candidates with six gaps each still fit one sheet.
pub(crate) const QUESTIONS_PER_GAP: usize = 2;

/// What the guide says instead of gap questions for answers that cannot be trusted.
const UNTRUSTED: &str = "The answers could not be trusted, so no scores are \
shown: interview on references and past experience, not on gaps.";

/// What the guide says to a caution candidate before their gap questions.
const CAUTION: &str = "Some answers need care. Before trusting any score, ask for a \
specific, recent example behind it, and check what the answers flagged:";

/// What the guide says when a candidate has no gap.
const NO_GAP: &str = "Every score lies in the role's range: ask for examples from \
past work that confirm the picture.";

/// One gap and the questions to ask about it.
pub(crate) struct Topic {
    /// The attribute and the gap in words, e.g. "Tact — 1 below".
    pub heading: String,
    /// Questions from the questionnaire file, at most [`QUESTIONS_PER_GAP`].
    pub questions: Vec<String>,
}

/// One candidate's part of the guide.
pub(crate) struct Column {
    /// The candidate as shown everywhere: id and name.
    pub title: String,
    /// Their answers' status.
    pub status: Status,
    /// What to do first, in words, when there is anything to say before the questions.
    pub advice: Option<&'static str>,
    /// For caution: what the answers flagged, in the plain words of the
    /// candidate's page (the validity reasons name indices, for consultants).
    pub checks: Vec<String>,
    /// The gaps, costliest first; empty when the answers are invalid.
    pub topics: Vec<Topic>,
}

/// The guide's explanation, shown once above the columns.
pub(crate) fn guide_intro() -> String {
    format!(
        "For each candidate, the questions to ask about their own gaps (scores outside the role's \
range), costliest gap first, at most {QUESTIONS_PER_GAP} per gap (each candidate's own page lists \
them all). Note what you hear below each gap."
    )
}

/// One column per candidate compared, in the comparison's order.
pub(crate) fn guide(run: &Run<'_>, comparison: &Comparison) -> Vec<Column> {
    comparison
        .candidates
        .iter()
        .map(|candidate| column(run, candidate))
        .collect()
}

fn column(run: &Run<'_>, candidate: &CandidateResult) -> Column {
    let status = candidate.validity.status;
    let topics = if status == Status::Invalid {
        Vec::new()
    } else {
        topics(&text::attributes(run, candidate))
    };
    let advice = match status {
        Status::Invalid => Some(UNTRUSTED),
        Status::Caution => Some(CAUTION),
        Status::Valid if topics.is_empty() => Some(NO_GAP),
        Status::Valid => None,
    };
    let checks = match status {
        Status::Caution => answers_text::untrusted_reasons(candidate),
        Status::Valid | Status::Invalid => Vec::new(),
    };
    Column {
        title: candidate.shown().into_owned(),
        status,
        advice,
        checks,
        topics,
    }
}

fn topics(views: &[AttributeView<'_>]) -> Vec<Topic> {
    text::gaps(views)
        .into_iter()
        .map(|gap| Topic {
            heading: format!("{} — {}", gap.scale.name, gap.reading()),
            questions: gap
                .probes()
                .iter()
                .take(QUESTIONS_PER_GAP)
                .cloned()
                .collect(),
        })
        .collect()
}
