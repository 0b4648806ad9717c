//! Plain words about a candidate's answers for hiring managers: why answers
//! that failed the validity checks cannot be trusted, what to do next, and
//! what to probe at interview when they only need care.
//!
//! The validity module's reasons name the indices and their values for
//! consultants (JSON, CSV); these sentences say the same in everyday words,
//! one per [`Check`] that fired, so the two never disagree about which
//! checks fired.

use crate::assessment::CandidateResult;
use crate::validity::Check;

/// Why the answers cannot be trusted: one sentence per check that fired.
pub(crate) fn untrusted_reasons(result: &CandidateResult) -> Vec<String> {
    let indices = &result.validity.indices;
    result
        .validity
        .checks
        .iter()
        .map(|check| match check {
            Check::Completeness => format!(
                "They answered only {:.0}% of the questions: too few to score them fairly.",
                100.0 * indices.completeness
            ),
            Check::SameAnswerRun => format!(
                "They gave the same answer to {} questions in a row, which someone reading each statement rarely does.",
                indices.longstring
            ),
            Check::LittleVariation => "Their answers hardly changed from one question to the next, whatever the question said.".into(),
            Check::HalvesDisagree => "They answered questions about the same quality in opposite ways.".into(),
            Check::Misfit => "Their answers about the same quality contradict each other far more than careful answers do, as happens when answers are picked at random.".into(),
            Check::Attention => format!(
                "They missed {} of {} check questions that simply ask for a given answer.",
                indices.attention_failed, indices.attention_answered
            ),
            Check::Impression => "They described themselves as flawless beyond what almost anyone can honestly claim, so their scores may be inflated.".into(),
            Check::Speed => indices.seconds_per_item.map_or_else(
                || "They answered too fast to have read the questions.".into(),
                |s| format!("They took {s:.1} seconds per question: too fast to have read them."),
            ),
        })
        .collect()
}

/// What to do when the answers cannot be trusted.
pub(crate) const NEXT_STEPS: [&str; 3] = [
    "Invite the candidate to answer the questionnaire again, ideally supervised (in person or on a video call), and use the new answers.",
    "Or decide on a structured interview and references alone.",
    "Do not read anything into these answers' scores: they are not shown here, and no fit is given.",
];

/// What to probe at interview when the answers need care: one suggestion
/// per kind of concern, in the order the checks fired.
pub(crate) fn caution_probes(result: &CandidateResult) -> Vec<&'static str> {
    let mut probes: Vec<&'static str> = Vec::new();
    for check in &result.validity.checks {
        let probe = match check {
            Check::Completeness => "Some questions were left unanswered: ask why, and cover any attribute that could not be scored with questions about past work.",
            Check::SameAnswerRun | Check::LittleVariation | Check::Speed => "Some answers look hurried: do not rely on the scores alone; check the attributes that matter most for the role with examples from past work.",
            Check::HalvesDisagree | Check::Misfit => "Some answers look inattentive or contradictory: ask for concrete examples behind the highest and the lowest scores.",
            Check::Attention => "Some check questions were missed: ask whether anything got in the way (language, device, interruptions), and confirm the key attributes at interview.",
            Check::Impression => "The self-description is very favourable: ask for concrete examples, including a time something went wrong and what they did, and check references.",
        };
        if !probes.contains(&probe) {
            probes.push(probe);
        }
    }
    probes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validity::{Indices, Status, Validity};

    fn with_checks(checks: Vec<Check>, indices: Indices) -> CandidateResult {
        CandidateResult {
            validity: Validity {
                status: Status::Invalid,
                reasons: vec![String::new(); checks.len()],
                checks,
                indices,
            },
            ..CandidateResult::default()
        }
    }

    #[test]
    fn one_plain_reason_per_check_with_its_numbers() {
        let indices = Indices {
            completeness: 0.48,
            attention_failed: 3,
            attention_answered: 4,
            ..Indices::default()
        };
        let result = with_checks(vec![Check::Completeness, Check::Attention], indices);
        assert_eq!(
            untrusted_reasons(&result),
            [
                "They answered only 48% of the questions: too few to score them fairly.",
                "They missed 3 of 4 check questions that simply ask for a given answer."
            ]
        );
    }

    #[test]
    fn probes_name_each_concern_once() {
        let result = with_checks(
            vec![
                Check::SameAnswerRun,
                Check::LittleVariation,
                Check::Impression,
            ],
            Indices::default(),
        );
        let probes = caution_probes(&result);
        assert_eq!(probes.len(), 2, "{probes:?}");
        assert!(probes[0].starts_with("Some answers look hurried"));
        assert!(probes[1].contains("concrete examples") && probes[1].contains("references"));
    }
}
