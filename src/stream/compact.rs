//! What the ranked path keeps per candidate while the file is read: the rank
//! key and a payload, never the full result. For CSV the payload is the
//! rendered line (about 150 bytes), for JSON Lines — whose lines are about
//! 5 KB — the answers packed one byte each, from which the candidate is
//! assessed again at write time (assessment is pure, so the result is the
//! same). With the record itself (96 bytes) and the id, that is about 300
//! bytes per candidate for CSV and 200 for JSON Lines with the 72-item
//! questionnaire.

use std::cmp::Ordering;

use crate::assessment::{Assessment, CandidateResult};
use crate::response::Response;
use crate::scoring::Answer;
use crate::validity::Status;

/// One candidate, compactly.
#[derive(Debug, Clone)]
pub struct Compact {
    status: Status,
    /// Fit score, `-∞` when there is none (it ranks last).
    fit: f64,
    /// Low end of the fit interval, `-∞` when there is none.
    fit_low: f64,
    row: u64,
    seconds: Option<f64>,
    id: Box<str>,
    payload: Payload,
}

/// What a candidate's output line is made from.
#[derive(Debug, Clone)]
pub enum Payload {
    /// The line, already rendered.
    Line(Box<[u8]>),
    /// The answers, to assess and render again.
    Answers(Packed),
}

/// Answers in as few bytes as the response scale allows.
#[derive(Debug, Clone)]
pub enum Packed {
    /// `0` for no answer, else `answer − min + 1`: scales spanning under 255 points.
    Bytes(Box<[u8]>),
    /// Wider scales keep the answers as they are.
    Wide(Box<[Answer]>),
}

impl Compact {
    /// The compact record of `response`, whose assessment is `result`.
    pub fn new(response: Response, result: &CandidateResult, payload: Payload) -> Self {
        Compact {
            status: result.validity.status,
            fit: result.fit.score.unwrap_or(f64::NEG_INFINITY),
            fit_low: result.fit.interval.map_or(f64::NEG_INFINITY, |i| i.low),
            row: response.row,
            seconds: response.seconds,
            payload,
            id: response.id.into_boxed_str(),
        }
    }

    /// The candidate's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The candidate's row.
    pub fn row(&self) -> u64 {
        self.row
    }

    /// The candidate's status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Appends the rendered line to `out`; or, for a JSON Lines payload,
    /// returns the full result assessed again, for the caller to render.
    pub fn line_or_result(
        &self,
        assessment: &Assessment,
        answers: &mut Vec<Answer>,
        out: &mut Vec<u8>,
    ) -> Option<CandidateResult> {
        match &self.payload {
            Payload::Line(line) => {
                out.extend_from_slice(line);
                None
            }
            Payload::Answers(packed) => {
                let scale = assessment.questionnaire().response_scale();
                unpack(packed, scale.min, answers);
                Some(assessment.assess(&self.id, self.row, answers, self.seconds))
            }
        }
    }

    /// The ranking of [`crate::assessment::rank_order`], on compact records.
    pub fn rank_order(&self, other: &Compact) -> Ordering {
        self.status
            .cmp(&other.status)
            .then_with(|| other.fit.total_cmp(&self.fit))
            .then_with(|| other.fit_low.total_cmp(&self.fit_low))
            .then_with(|| self.id.cmp(&other.id))
            .then_with(|| self.row.cmp(&other.row))
    }
}

/// Packs `answers` on a response scale from `min` to `max`.
pub fn pack(answers: &[Answer], min: i32, max: i32) -> Packed {
    if i64::from(max) - i64::from(min) < 255 {
        let byte = |a: &Answer| a.map_or(0, |v| (v - min + 1) as u8);
        Packed::Bytes(answers.iter().map(byte).collect())
    } else {
        Packed::Wide(answers.into())
    }
}

fn unpack(packed: &Packed, min: i32, into: &mut Vec<Answer>) {
    into.clear();
    match packed {
        Packed::Bytes(bytes) => into.extend(
            bytes
                .iter()
                .map(|&b| (b > 0).then(|| min + i32::from(b) - 1)),
        ),
        Packed::Wide(answers) => into.extend_from_slice(answers),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_pack_into_bytes_and_back() {
        // On 1..5: None → 0, 1 → 1, 5 → 5; on 0..6, 0 → 1 and 6 → 7.
        let answers = [None, Some(1), Some(5), Some(3)];
        let packed = pack(&answers, 1, 5);
        assert!(matches!(&packed, Packed::Bytes(b) if b[..] == [0, 1, 5, 3]));
        let mut back = Vec::new();
        unpack(&packed, 1, &mut back);
        assert_eq!(back, answers);
        let packed = pack(&[Some(0), Some(6)], 0, 6);
        assert!(matches!(&packed, Packed::Bytes(b) if b[..] == [1, 7]));
        // A scale of 0..1000 does not fit in a byte and is kept as it is.
        let wide = pack(&[Some(1000), None], 0, 1000);
        unpack(&wide, 0, &mut back);
        assert_eq!(back, [Some(1000), None]);
    }
}
