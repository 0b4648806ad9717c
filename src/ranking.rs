//! The order of candidates and the ranks shown beside them (METHOD §6).
//!
//! Candidates come in tiers: those with a fit who meet every minimum, then
//! those below a minimum, then those with no fit, then those whose answers
//! are invalid. `valid` and `caution` share a tier: caution means "probe at
//! interview", not a penalty (§4.6), and is shown as a flag beside the rank.
//! Within a tier candidates go by their fit *as shown* (whole points): fits
//! that read the same share a rank, and are listed by the lower end of their
//! fit range (the surer first), then by id and row — a total order, so
//! output is deterministic.

use std::cmp::Ordering;

use crate::assessment::CandidateResult;
use crate::fit::FitBand;
use crate::validity::Status;

/// A group of candidates ranked apart, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// A fit, every minimum met, answers valid or caution.
    Fits = 0,
    /// A fit, but some attribute below the role's minimum.
    BelowMinimum = 1,
    /// No fit: too many attributes missing.
    NoFit = 2,
    /// Answers invalid: no fit is shown, whatever was computed.
    Invalid = 3,
}

impl Tier {
    /// The tier of `result`.
    pub fn of(result: &CandidateResult) -> Tier {
        if result.validity.status == Status::Invalid {
            Tier::Invalid
        } else if !result.recommendable {
            Tier::NoFit
        } else if result.fit.band == Some(FitBand::MinimumNotMet) {
            Tier::BelowMinimum
        } else {
            Tier::Fits
        }
    }

    /// The tier with this number (see the discriminants), the last for any other.
    pub fn from_number(n: u64) -> Tier {
        match n {
            0 => Tier::Fits,
            1 => Tier::BelowMinimum,
            2 => Tier::NoFit,
            _ => Tier::Invalid,
        }
    }
}

/// The fit as the reports people read show it, in whole points; `None`
/// when no fit is shown (invalid answers, or no fit).
pub fn shown_fit(result: &CandidateResult) -> Option<f64> {
    result
        .recommendable
        .then_some(result.fit.score)
        .flatten()
        .map(f64::round)
}

/// The lower end of the fit range where a fit is shown, for ordering a shared rank.
pub fn shown_low(result: &CandidateResult) -> Option<f64> {
    result
        .recommendable
        .then_some(result.fit.interval)
        .flatten()
        .map(|i| i.low)
}

/// Ranking order: tier, fit as shown from high to low (none last), the
/// lower end of the fit range from high to low, then id and row.
pub fn rank_order(a: &CandidateResult, b: &CandidateResult) -> Ordering {
    let fit = |r: &CandidateResult| shown_fit(r).unwrap_or(f64::NEG_INFINITY);
    let low = |r: &CandidateResult| shown_low(r).unwrap_or(f64::NEG_INFINITY);
    Tier::of(a)
        .cmp(&Tier::of(b))
        .then_with(|| fit(b).total_cmp(&fit(a)))
        .then_with(|| low(b).total_cmp(&low(a)))
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.row.cmp(&b.row))
}

/// Rank numbers for candidates given in rank order: candidates whose tier
/// and shown fit are equal share the rank of the first of them, and the
/// next rank counts everyone before it ("1, 2, 2, 4"; standard competition
/// ranking).
#[derive(Debug, Clone)]
pub struct SharedRanks<K> {
    position: usize,
    rank: usize,
    last: Option<K>,
}

impl<K> Default for SharedRanks<K> {
    fn default() -> Self {
        SharedRanks {
            position: 0,
            rank: 0,
            last: None,
        }
    }
}

impl<K: PartialEq> SharedRanks<K> {
    /// The rank of the next candidate, whose tie key is `key`.
    pub fn next(&mut self, key: K) -> usize {
        self.position += 1;
        if self.last.as_ref() != Some(&key) {
            self.rank = self.position;
            self.last = Some(key);
        }
        self.rank
    }
}

/// What candidates share when they share a rank: tier and shown fit (as bits,
/// so that the key is `Eq`).
pub fn tie_key(result: &CandidateResult) -> (Tier, Option<u64>) {
    (Tier::of(result), shown_fit(result).map(f64::to_bits))
}

/// How many candidates a shortlist keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Top {
    /// The best `n`.
    Count(usize),
    /// The best share (0..1) of the candidates with a fit shown, rounded up.
    Share(f64),
}

/// Keeps, of `results` in rank order, the best candidates with a fit shown
/// (valid or caution; never invalid ones or those without a fit) whose
/// shared rank is within the top: candidates tied with the last one kept
/// are kept too, since nothing the reader sees tells them apart.
pub fn shortlist(results: &mut Vec<CandidateResult>, top: Top) {
    let candidates = results.iter().filter(|r| shown_fit(r).is_some()).count();
    let n = match top {
        Top::Count(n) => n,
        Top::Share(share) => (share.clamp(0.0, 1.0) * candidates as f64).ceil() as usize,
    };
    let mut ranks = SharedRanks::default();
    results.retain(|r| shown_fit(r).is_some() && ranks.next(tie_key(r)) <= n);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norms::Interval;

    fn result(id: &str, status: Status, fit: Option<f64>, low: f64) -> CandidateResult {
        let mut r = CandidateResult {
            id: id.into(),
            ..CandidateResult::default()
        };
        r.validity.status = status;
        r.fit.score = fit;
        r.fit.band = fit.map(FitBand::of);
        r.fit.interval = fit.map(|_| Interval { low, high: 100.0 });
        r.recommendable = status != Status::Invalid && fit.is_some();
        r
    }

    #[test]
    fn caution_ranks_with_valid_by_fit_and_invalid_comes_last() {
        let mut results = vec![
            result("valid-60", Status::Valid, Some(60.0), 40.0),
            result("caution-93", Status::Caution, Some(93.0), 70.0),
            result("invalid-99", Status::Invalid, Some(99.0), 90.0),
            result("valid-no-fit", Status::Valid, None, 0.0),
        ];
        let mut below = result("below-95", Status::Valid, Some(95.0), 80.0);
        below.fit.band = Some(FitBand::MinimumNotMet);
        results.push(below);
        results.sort_by(rank_order);
        let ids: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "caution-93",
                "valid-60",
                "below-95",
                "valid-no-fit",
                "invalid-99"
            ]
        );
    }

    #[test]
    fn a_shortlist_keeps_the_best_with_a_fit_and_their_ties() {
        let mut results = vec![
            result("a", Status::Valid, Some(90.2), 60.0),
            result("b", Status::Caution, Some(89.6), 70.0),
            result("c", Status::Valid, Some(70.0), 50.0),
            result("d", Status::Invalid, Some(99.0), 90.0),
            result("e", Status::Valid, None, 0.0),
        ];
        results.sort_by(rank_order);
        // a and b both read 90 (rank 1): a top 1 keeps both.
        let mut one = results.clone();
        shortlist(&mut one, Top::Count(1));
        assert_eq!(
            one.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        // 3 candidates with a fit shown; 50% of 3 = 1.5 → 2: a and b; 100%: all three, never d or e.
        let mut half = results.clone();
        shortlist(&mut half, Top::Share(0.5));
        assert_eq!(half.len(), 2);
        shortlist(&mut results, Top::Share(1.0));
        assert_eq!(
            results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["b", "a", "c"]
        );
    }

    #[test]
    fn fits_that_read_the_same_share_a_rank_and_the_surer_goes_first() {
        // 81.4, 81.3 and 80.6 all read 81: they share rank 3 and go by the
        // lower ends of their ranges, 75 > 70 > 60, whatever the hidden
        // decimals. 100.0 and 99.6 both read 100, with equal lower ends: by id.
        let mut results = [
            result("a", Status::Valid, Some(81.4), 60.0),
            result("b", Status::Valid, Some(81.3), 70.0),
            result("c", Status::Valid, Some(99.6), 90.0),
            result("d", Status::Caution, Some(100.0), 90.0),
            result("e", Status::Valid, Some(80.6), 75.0),
        ];
        results.sort_by(rank_order);
        let mut ranks = SharedRanks::default();
        let shown: Vec<(&str, usize)> = results
            .iter()
            .map(|r| (r.id.as_str(), ranks.next(tie_key(r))))
            .collect();
        assert_eq!(shown, [("c", 1), ("d", 1), ("e", 3), ("b", 3), ("a", 3)]);
    }
}
