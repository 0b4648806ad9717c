//! Validity flags by group: the response-validity check is itself a screen
//! (an invalid candidate gets no recommendation; a caution one is probed), and
//! its indices can differ between groups for reasons other than care —
//! impression management rises with age and differs between cultures
//! (Dalton & Ortegren 2011; Johnson & van de Vijver 2003). So the audit
//! treats *passing* the check as a favourable outcome and reports it like
//! selection: each group's rate of flags, the impact ratio of its pass rate
//! against the group that passes most often, the four-fifths flag and the
//! same two tests. Definitions: `docs/METHOD.md` §10.

use serde::Serialize;

use super::stats::{fisher_exact_p, two_proportion_p, Proportion};
use super::table::{below_four_fifths, ratio, reference};

/// A candidate's validity status, as `score` wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Answers can be trusted.
    Valid,
    /// Probe at interview.
    Caution,
    /// No recommendation.
    Invalid,
}

impl Status {
    /// The status written in a results file, `None` for anything else.
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim() {
            "valid" => Some(Status::Valid),
            "caution" => Some(Status::Caution),
            "invalid" => Some(Status::Invalid),
            _ => None,
        }
    }
}

/// Counts of each status in one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Candidates with a readable status.
    pub n: u64,
    /// Of them, caution.
    pub caution: u64,
    /// Of them, invalid.
    pub invalid: u64,
}

impl StatusCounts {
    /// Counts one more candidate.
    pub fn add(&mut self, status: Option<Status>) {
        let Some(status) = status else { return };
        self.n += 1;
        self.caution += u64::from(status == Status::Caution);
        self.invalid += u64::from(status == Status::Invalid);
    }

    /// Caution or invalid.
    fn flagged(self) -> u64 {
        self.caution + self.invalid
    }
}

/// One kind of flag in one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FlagFigures {
    /// Candidates of the group with this flag.
    pub count: u64,
    /// `count / n`.
    pub rate: Option<f64>,
    /// The group's pass rate (1 − rate) ÷ the highest pass rate of any group large enough to judge.
    pub pass_ratio: Option<f64>,
    /// That ratio below four-fifths.
    pub below_four_fifths: Option<bool>,
    /// Two-proportion z test of the rate against the reference group's (two-sided p).
    pub z_test_p: Option<f64>,
    /// Fisher's exact test of the same (two-sided p).
    pub fisher_p: Option<f64>,
    /// Whether this group is the one that passes most often (the comparison for the others).
    pub reference: bool,
}

/// The validity flags of one group: any flag (caution or invalid), and invalid alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FlagRates {
    /// Candidates of the group with a validity status (audited or left out).
    pub n: u64,
    /// Caution or invalid.
    pub flagged: FlagFigures,
    /// Invalid.
    pub invalid: FlagFigures,
}

/// Each group's flag rates against the group that passes most often, for
/// `groups` in table order; `small` says which groups are too small to judge.
pub fn rates(groups: &[StatusCounts], small: &[bool]) -> Vec<FlagRates> {
    let flagged = figures(groups, small, StatusCounts::flagged);
    let invalid = figures(groups, small, |c| c.invalid);
    groups
        .iter()
        .zip(flagged.into_iter().zip(invalid))
        .map(|(counts, (flagged, invalid))| FlagRates {
            n: counts.n,
            flagged,
            invalid,
        })
        .collect()
}

/// The rates of a group that is not compared (the candidates without a group value).
pub fn uncompared(counts: StatusCounts) -> FlagRates {
    let figures = |count: u64| FlagFigures {
        count,
        rate: Proportion {
            hits: count,
            n: counts.n,
        }
        .rate(),
        ..FlagFigures::default()
    };
    FlagRates {
        n: counts.n,
        flagged: figures(counts.flagged()),
        invalid: figures(counts.invalid),
    }
}

/// The figures of one kind of flag for every group.
fn figures(
    groups: &[StatusCounts],
    small: &[bool],
    count: fn(StatusCounts) -> u64,
) -> Vec<FlagFigures> {
    let passes: Vec<Proportion> = groups
        .iter()
        .map(|&c| Proportion {
            hits: c.n - count(c),
            n: c.n,
        })
        .collect();
    let best = reference(&passes, small);
    groups
        .iter()
        .zip(&passes)
        .enumerate()
        .map(|(i, (&counts, &pass))| {
            let flags = Proportion {
                hits: count(counts),
                n: counts.n,
            };
            let mut figures = FlagFigures {
                count: flags.hits,
                rate: flags.rate(),
                ..FlagFigures::default()
            };
            if let Some(r) = best {
                figures.reference = i == r;
                figures.pass_ratio = ratio(pass, passes[r]);
                figures.below_four_fifths = figures
                    .pass_ratio
                    .map(|_| below_four_fifths(pass, passes[r]));
                if i != r {
                    let reference_flags = Proportion {
                        hits: passes[r].n - passes[r].hits,
                        n: passes[r].n,
                    };
                    figures.z_test_p = two_proportion_p(flags, reference_flags);
                    figures.fisher_p = fisher_exact_p(flags, reference_flags);
                }
            }
            figures
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(n: u64, caution: u64, invalid: u64) -> StatusCounts {
        StatusCounts {
            n,
            caution,
            invalid,
        }
    }

    #[test]
    fn pass_rates_are_compared_with_the_group_that_passes_most() {
        // a: 40 with 4 caution + 2 invalid (flagged 6/40 = 15%, pass 85%);
        // b: 20 with 6 caution + 4 invalid (flagged 10/20 = 50%, pass 50%).
        // Reference (highest pass rate) is a; b's pass ratio 0.50/0.85 = 0.588 < 0.8.
        let rates = rates(&[counts(40, 4, 2), counts(20, 6, 4)], &[false, false]);
        let (a, b) = (&rates[0], &rates[1]);
        assert_eq!(a.flagged.rate, Some(0.15));
        assert_eq!(a.flagged.pass_ratio, Some(1.0));
        assert_eq!(a.flagged.z_test_p, None); // the reference is not tested against itself
        assert!((b.flagged.pass_ratio.unwrap() - 10.0 * 40.0 / (34.0 * 20.0)).abs() < 1e-15);
        assert_eq!(b.flagged.below_four_fifths, Some(true));
        // Invalid alone: a 2/40 (pass 0.95), b 4/20 (pass 0.80); 0.80/0.95 = 0.842 ≥ 0.8.
        assert_eq!(b.invalid.below_four_fifths, Some(false));
        // The tests are those of selection, on the flag counts: 6/40 vs 10/20 and 4/20 vs 2/40.
        assert_eq!(
            b.flagged.fisher_p,
            fisher_exact_p(
                Proportion { hits: 10, n: 20 },
                Proportion { hits: 6, n: 40 }
            )
        );
        assert_eq!(
            b.invalid.z_test_p,
            two_proportion_p(Proportion { hits: 4, n: 20 }, Proportion { hits: 2, n: 40 })
        );
    }

    #[test]
    fn unreadable_statuses_are_not_counted() {
        let mut c = StatusCounts::default();
        for s in ["valid", "caution", "invalid", "", "maybe"] {
            c.add(Status::parse(s));
        }
        assert_eq!(c, counts(3, 1, 1));
    }
}
