//! The ranges a number in a data file may take, stated once so that loading,
//! `check` and docs/FORMATS.md agree.
//!
//! serde accepts any finite double, but arithmetic on extremes goes wrong
//! without a word: weights of 1e308 add up to infinity and give a fit of
//! NaN; a weight of 5e-324 rounds every share to 0. Each range below is wide
//! enough for any real file and narrow enough that every sum, ratio and
//! product the engine forms stays finite and exact to many digits.

use crate::error::Problem;
use crate::questionnaire::MAX_RESPONSE_VALUE;
use crate::text::number;

/// A closed range of allowed values, with the words for what the number is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// What the number is, e.g. "a weight".
    pub what: &'static str,
}

/// A target's importance weight. Shares are weight / total: a ratio of at
/// most 10⁴ between weights, and at most a few hundred targets, keep every
/// share well inside double precision.
pub const WEIGHT: Bounds = Bounds {
    min: 0.01,
    max: 100.0,
    what: "a weight",
};

/// Stens outside the band at which an attribute's fit reaches 0. The sten
/// axis is 9 stens wide; 100 is "hardly falls at all", 0.1 "a cliff".
pub const TOLERANCE: Bounds = Bounds {
    min: 0.1,
    max: 100.0,
    what: "a number of stens",
};

/// A norm's mean raw score: raw scores are means of answers, and answers
/// lie within ±[`MAX_RESPONSE_VALUE`].
pub const NORM_MEAN: Bounds = Bounds {
    min: -(MAX_RESPONSE_VALUE as f64),
    max: MAX_RESPONSE_VALUE as f64,
    what: "a mean raw score",
};

/// A norm's standard deviation. Below a thousandth of a raw point every
/// candidate is at an extreme sten; above twice the largest answer no
/// response scale can spread scores.
pub const NORM_SD: Bounds = Bounds {
    min: 0.001,
    max: 2.0 * MAX_RESPONSE_VALUE as f64,
    what: "a standard deviation",
};

/// A raw score in a percentile table.
pub const RAW_SCORE: Bounds = Bounds {
    what: "a raw score",
    ..NORM_MEAN
};

/// A performance rating. Pearson's r sums squares and products of the
/// ratings: within ±10⁹ those sums stay finite for any sample size the
/// limits allow, where ±1e308 made r NaN.
pub const RATING: Bounds = Bounds {
    min: -1e9,
    max: 1e9,
    what: "a rating",
};

/// Largest norm sample size or count of respondents: a trillion, far
/// beyond any sample, and small enough that sums of counts, answers and
/// their squares cannot overflow.
pub const MAX_COUNT: u64 = 1_000_000_000_000;

/// The smallest norm sample: an sd needs at least two respondents.
pub const MIN_NORM_N: u64 = 2;

impl Bounds {
    /// Whether `value` is in the range (never for NaN).
    pub fn contains(&self, value: f64) -> bool {
        (self.min..=self.max).contains(&value)
    }

    /// The range in words: "a weight from 0.01 to 100".
    pub fn words(&self) -> String {
        format!(
            "{} from {} to {}",
            self.what,
            number(self.min),
            number(self.max)
        )
    }

    /// A problem at `path` when `value` is outside the range.
    pub fn check(&self, path: &str, value: f64, problems: &mut Vec<Problem>) {
        if !self.contains(value) {
            problems.push(Problem::new(path, number(value), self.words()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extremes_and_nan_are_outside_and_the_message_gives_the_range() {
        let mut problems = Vec::new();
        for value in [1e308, 5e-324, f64::NAN, -1.0, 0.0] {
            WEIGHT.check("targets[0].weight", value, &mut problems);
        }
        WEIGHT.check("targets[1].weight", 2.5, &mut problems);
        assert_eq!(problems.len(), 5);
        assert_eq!(
            problems[0].to_string(),
            "targets[0].weight: 1e308; expected a weight from 0.01 to 100"
        );
    }
}
