//! One audit table: the candidates split by one grouping (a column, or the
//! intersection of several), with each group's selection rate, scoring rate,
//! impact ratios against the reference groups, tests and Cohen's d.
//!
//! Definitions and sources are in `docs/METHOD.md` §10, "Fairness audit".

use std::collections::BTreeMap;

/// The name of the row of candidates without a value for the group: in
/// brackets, so that it cannot be read as a group whose value is "unknown".
pub const MISSING: &str = "(missing)";

use serde::Serialize;

use super::flags::{self, FlagRates, Status, StatusCounts};
use super::order::natural_order;
use super::stats::{
    cohens_d, fisher_exact_p, ratio_interval, two_proportion_p, Moments, Proportion,
};

/// The four-fifths threshold of UGESP §1607.4(D), as the fraction 4/5 so the flag is exact.
pub const FOUR_FIFTHS: (u64, u64) = (4, 5);
/// A group with fewer audited candidates than this is too small to judge.
pub const SMALL_GROUP_COUNT: u64 = 5;
/// A group under this share of the audited sample (1/50 = 2%) is too small to judge.
pub const SMALL_GROUP_SHARE: (u64, u64) = (1, 50);

/// What one audited candidate brings to a table.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub fit: f64,
    pub selected: bool,
}

/// Counts per group while reading.
#[derive(Debug, Clone, Default)]
pub(super) struct Tally {
    pub fits: Vec<f64>,
    pub selected: u64,
    pub excluded: u64,
    pub statuses: StatusCounts,
}

impl Tally {
    pub fn add(&mut self, entry: Option<Entry>, status: Option<Status>) {
        self.statuses.add(status);
        match entry {
            Some(e) => {
                self.fits.push(e.fit);
                self.selected += u64::from(e.selected);
            }
            None => self.excluded += 1,
        }
    }
}

/// One group's line of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    /// The group's value (intersections joined with " × "), or [`MISSING`].
    pub group: String,
    /// Whether this is the row of candidates with no group value.
    pub unknown: bool,
    /// Audited candidates (valid or caution, with a fit score).
    pub n: u64,
    /// Their share of all audited candidates.
    pub share: f64,
    /// Of those, selected.
    pub selected: u64,
    /// `selected / n`.
    pub selection_rate: Option<f64>,
    /// Selection rate / the reference group's; `None` when undefined.
    pub impact_ratio: Option<f64>,
    /// Lower end of the impact ratio's confidence interval (Katz's log method).
    pub impact_ratio_low: Option<f64>,
    /// Upper end of the impact ratio's confidence interval.
    pub impact_ratio_high: Option<f64>,
    /// Impact ratio below 4/5.
    pub below_four_fifths: Option<bool>,
    /// Two-proportion z test against the reference group (two-sided p).
    pub z_test_p: Option<f64>,
    /// Fisher's exact test against the reference group (two-sided p).
    pub fisher_p: Option<f64>,
    /// Audited candidates with fit strictly above the whole sample's median.
    pub above_median: u64,
    /// `above_median / n`.
    pub scoring_rate: Option<f64>,
    /// Scoring rate / the highest-scoring-rate group's.
    pub scoring_impact_ratio: Option<f64>,
    /// Scoring impact ratio below 4/5.
    pub scoring_below_four_fifths: Option<bool>,
    /// Mean fit.
    pub mean_fit: Option<f64>,
    /// Sample sd of fit.
    pub sd_fit: Option<f64>,
    /// Cohen's d of fit against the reference group.
    pub cohens_d: Option<f64>,
    /// Candidates of this group left out (invalid responses, no fit, unreadable values).
    pub excluded: u64,
    /// Validity flags (caution, invalid) of every candidate of the group, audited or left out.
    pub validity: FlagRates,
    /// Fewer than 5 audited, or under 2% of the audited sample.
    pub too_small: bool,
    /// Everything a reader must notice, in words.
    pub flags: Vec<String>,
}

/// One grouping's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTable {
    /// The columns, e.g. `["sex"]` or `["sex", "race"]` for the intersection.
    pub columns: Vec<String>,
    /// The group with the highest selection rate (the comparison for ratios, tests and d).
    pub reference: Option<String>,
    /// The group with the highest scoring rate.
    pub scoring_reference: Option<String>,
    /// Known groups in order of their value, then [`MISSING`] if any.
    pub rows: Vec<GroupRow>,
    /// Notes on undefined figures (nobody selected, one group ...).
    pub notes: Vec<String>,
}

/// Whether `hits_g/n_g < 4/5 · hits_r/n_r`, in exact integer arithmetic.
pub(super) fn below_four_fifths(group: Proportion, reference: Proportion) -> bool {
    let (num, den) = FOUR_FIFTHS;
    u128::from(den) * u128::from(group.hits) * u128::from(reference.n)
        < u128::from(num) * u128::from(reference.hits) * u128::from(group.n)
}

/// `(hits_g/n_g) / (hits_r/n_r)` with one rounding; `None` when the reference rate is 0.
pub(super) fn ratio(group: Proportion, reference: Proportion) -> Option<f64> {
    (reference.hits > 0 && group.n > 0).then(|| {
        (group.hits as f64 * reference.n as f64) / (reference.hits as f64 * group.n as f64)
    })
}

/// Whether a group of `n` out of `total` audited is too small to judge.
pub fn too_small(n: u64, total: u64) -> bool {
    let (num, den) = SMALL_GROUP_SHARE;
    n < SMALL_GROUP_COUNT || n * den < total * num
}

/// The sample-wide figures every row of a table is measured against.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sample {
    /// Audited candidates in all groups.
    pub total: u64,
    /// Their median fit (the scoring-rate cut).
    pub median: Option<f64>,
    /// The confidence level of the impact ratios' intervals.
    pub level: f64,
    /// Its two-sided critical value.
    pub critical: f64,
}

/// Builds the table from each group's tally (rows in [`natural_order`](super::order::natural_order)).
pub(super) fn build(
    columns: Vec<String>,
    known: &BTreeMap<String, Tally>,
    unknown: &Tally,
    sample: Sample,
) -> GroupTable {
    let Sample { total, median, .. } = sample;
    let mut known: Vec<(&String, &Tally)> = known.iter().collect();
    known.sort_by(|a, b| natural_order(a.0, b.0));
    let mut rows: Vec<GroupRow> = known
        .iter()
        .map(|(name, tally)| base_row(name, false, tally, total, median))
        .collect();
    let mut notes = Vec::new();
    let small: Vec<bool> = rows.iter().map(|r| r.too_small).collect();
    let pick = |rate: fn(&GroupRow) -> Proportion| {
        reference(&rows.iter().map(rate).collect::<Vec<_>>(), &small)
    };
    let reference = pick(|r| Proportion {
        hits: r.selected,
        n: r.n,
    });
    let scoring_reference = pick(|r| Proportion {
        hits: r.above_median,
        n: r.n,
    });
    if let Some(r) = reference {
        let reference_row = rows[r].clone();
        let reference_fits = &known[r].1.fits;
        for (row, (_, tally)) in rows.iter_mut().zip(&known) {
            compare(row, &reference_row, tally, reference_fits, sample.critical);
        }
        if reference_row.selected == 0 {
            notes.push("nobody was selected in any group: selection impact ratios are undefined (0 ÷ 0) and shown as n/a".into());
        }
    }
    if let Some(r) = scoring_reference {
        let best = Proportion {
            hits: rows[r].above_median,
            n: rows[r].n,
        };
        for row in &mut rows {
            let own = Proportion {
                hits: row.above_median,
                n: row.n,
            };
            row.scoring_impact_ratio = ratio(own, best);
            row.scoring_below_four_fifths = row
                .scoring_impact_ratio
                .map(|_| below_four_fifths(own, best));
        }
        if best.hits == 0 {
            notes.push("nobody scored above the median (every fit score is at or below it): scoring impact ratios are undefined and shown as n/a".into());
        }
    }
    let statuses: Vec<StatusCounts> = known.iter().map(|(_, t)| t.statuses).collect();
    let status_total: u64 = statuses.iter().map(|c| c.n).sum();
    let status_small: Vec<bool> = statuses
        .iter()
        .map(|c| too_small(c.n, status_total))
        .collect();
    for (row, rates) in rows.iter_mut().zip(flags::rates(&statuses, &status_small)) {
        row.validity = rates;
    }
    match rows.iter().filter(|r| r.n > 0).count() {
        0 => notes.push("no group has an audited candidate: nothing to compare".into()),
        1 => notes.push("only one group has audited candidates: its ratio is 1 by definition and there is nothing to compare it with".into()),
        _ => {}
    }
    let names = |i: Option<usize>| i.map(|i| rows[i].group.clone());
    let (reference, scoring_reference) = (names(reference), names(scoring_reference));
    for row in &mut rows {
        row.flags = flags(
            row,
            reference.as_deref(),
            scoring_reference.as_deref(),
            sample,
        );
    }
    if unknown.fits.len() as u64 + unknown.excluded > 0 {
        let mut row = base_row(MISSING, true, unknown, total, median);
        row.validity = flags::uncompared(unknown.statuses);
        row.flags = vec![
            "group value missing: reported with its count, not compared (no ratio, test or d)"
                .into(),
        ];
        rows.push(row);
    }
    GroupTable {
        columns,
        reference,
        scoring_reference,
        rows,
        notes,
    }
}

fn base_row(name: &str, unknown: bool, tally: &Tally, total: u64, median: Option<f64>) -> GroupRow {
    let n = tally.fits.len() as u64;
    let above = median.map_or(0, |m| tally.fits.iter().filter(|&&f| f > m).count() as u64);
    let moments = Moments::of(&tally.fits);
    GroupRow {
        group: name.to_string(),
        unknown,
        n,
        share: if total == 0 {
            0.0
        } else {
            n as f64 / total as f64
        },
        selected: tally.selected,
        selection_rate: Proportion {
            hits: tally.selected,
            n,
        }
        .rate(),
        impact_ratio: None,
        impact_ratio_low: None,
        impact_ratio_high: None,
        below_four_fifths: None,
        z_test_p: None,
        fisher_p: None,
        above_median: above,
        scoring_rate: Proportion { hits: above, n }.rate(),
        scoring_impact_ratio: None,
        scoring_below_four_fifths: None,
        mean_fit: moments.mean,
        sd_fit: moments.std_dev,
        cohens_d: None,
        excluded: tally.excluded,
        validity: FlagRates {
            n: tally.statuses.n,
            ..FlagRates::default()
        },
        too_small: too_small(n, total),
        flags: Vec::new(),
    }
}

/// The group with the highest rate among groups large enough to judge (or,
/// if none is, among all non-empty groups); ties go to the first in order.
pub(super) fn reference(rates: &[Proportion], small: &[bool]) -> Option<usize> {
    let candidates: Vec<usize> = (0..rates.len()).filter(|&i| rates[i].n > 0).collect();
    let judged: Vec<usize> = candidates.iter().copied().filter(|&i| !small[i]).collect();
    let pool = if judged.is_empty() {
        candidates
    } else {
        judged
    };
    pool.into_iter().reduce(|best, i| {
        let (a, b) = (rates[i], rates[best]);
        // a > b ⇔ a.hits·b.n > b.hits·a.n, exactly.
        if u128::from(a.hits) * u128::from(b.n) > u128::from(b.hits) * u128::from(a.n) {
            i
        } else {
            best
        }
    })
}

fn compare(
    row: &mut GroupRow,
    reference: &GroupRow,
    tally: &Tally,
    reference_fits: &[f64],
    critical: f64,
) {
    let own = Proportion {
        hits: row.selected,
        n: row.n,
    };
    let best = Proportion {
        hits: reference.selected,
        n: reference.n,
    };
    row.impact_ratio = ratio(own, best);
    row.below_four_fifths = row.impact_ratio.map(|_| below_four_fifths(own, best));
    if row.group != reference.group {
        if let Some((low, high)) = ratio_interval(own, best, critical) {
            (row.impact_ratio_low, row.impact_ratio_high) = (Some(low), Some(high));
        }
        row.z_test_p = two_proportion_p(own, best);
        row.fisher_p = fisher_exact_p(own, best);
        row.cohens_d = cohens_d(&Moments::of(&tally.fits), &Moments::of(reference_fits));
    }
}

fn flags(
    row: &GroupRow,
    reference: Option<&str>,
    scoring_reference: Option<&str>,
    sample: Sample,
) -> Vec<String> {
    let total = sample.total;
    let mut flags = Vec::new();
    let judged = if row.too_small {
        " (but the group is too small to judge)"
    } else {
        ""
    };
    if reference == Some(row.group.as_str()) {
        flags.push("reference group: highest selection rate".into());
    }
    if scoring_reference == Some(row.group.as_str()) {
        flags.push("highest scoring rate".into());
    }
    if let (Some(true), Some(r)) = (row.below_four_fifths, row.impact_ratio) {
        flags.push(format!(
            "selection impact ratio {r:.2} is below four-fifths (0.80){judged}{}",
            distinguishable(row, sample.level)
        ));
    }
    if let (Some(true), Some(r)) = (row.scoring_below_four_fifths, row.scoring_impact_ratio) {
        flags.push(format!(
            "scoring-rate impact ratio {r:.2} is below four-fifths (0.80){judged}"
        ));
    }
    if let (Some(true), Some(r)) = (
        row.validity.flagged.below_four_fifths,
        row.validity.flagged.pass_ratio,
    ) {
        flags.push(format!(
            "passes the response-validity check less often: pass-rate ratio {r:.2} is below four-fifths (0.80){judged}"
        ));
    }
    if row.too_small {
        flags.push(format!(
            "too small to judge: {} of {total} audited (fewer than {SMALL_GROUP_COUNT}, or under 2%)",
            row.n
        ));
    }
    flags
}

/// Whether a ratio below 0.80 is distinguishable from 0.80 at `level`: its
/// interval lies wholly below 0.80, or reaches it (sampling error alone could
/// explain the shortfall).
fn distinguishable(row: &GroupRow, level: f64) -> String {
    let (Some(low), Some(high)) = (row.impact_ratio_low, row.impact_ratio_high) else {
        return String::new();
    };
    let level = crate::text::level_words(level);
    if high < 0.8 {
        format!("; its {level} interval {low:.2}–{high:.2} lies below 0.80: the shortfall is larger than chance would explain")
    } else {
        format!("; its {level} interval {low:.2}–{high:.2} reaches 0.80: not distinguishable from 0.80 with these numbers")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(total: u64, median: Option<f64>) -> Sample {
        Sample {
            total,
            median,
            level: 0.95,
            critical: 1.959963984540054,
        }
    }

    fn tally(selected_fits: &[f64], other_fits: &[f64]) -> Tally {
        let mut t = Tally::default();
        for &fit in selected_fits {
            t.add(
                Some(Entry {
                    fit,
                    selected: true,
                }),
                Some(Status::Valid),
            );
        }
        for &fit in other_fits {
            t.add(
                Some(Entry {
                    fit,
                    selected: false,
                }),
                Some(Status::Valid),
            );
        }
        t
    }

    #[test]
    fn four_fifths_is_exact_at_the_boundary() {
        // 0.48/0.60 is 0.7999999999999999 in floating point, but exactly 4/5: not flagged.
        let group = Proportion { hits: 48, n: 100 };
        let reference = Proportion { hits: 60, n: 100 };
        assert!(!below_four_fifths(group, reference));
        assert!(below_four_fifths(
            Proportion { hits: 47, n: 100 },
            reference
        ));
        assert_eq!(ratio(group, reference), Some(0.8));
    }

    #[test]
    fn small_group_rule() {
        assert!(too_small(4, 100)); // fewer than 5
        assert!(!too_small(5, 100)); // 5 and 5% of 100
        assert!(too_small(5, 251)); // 5/251 = 1.99% < 2%
        assert!(!too_small(5, 250)); // exactly 2%: not under
    }

    #[test]
    fn a_tiny_group_is_not_the_reference() {
        // "a": 1 of 1 selected (rate 1, too small); "b": 6/10; "c": 3/10.
        let mut known = BTreeMap::new();
        known.insert("a".to_string(), tally(&[50.0], &[]));
        known.insert("b".to_string(), tally(&[60.0; 6], &[40.0; 4]));
        known.insert("c".to_string(), tally(&[60.0; 3], &[40.0; 7]));
        let table = build(
            vec!["g".into()],
            &known,
            &Tally::default(),
            sample(21, Some(50.0)),
        );
        assert_eq!(table.reference.as_deref(), Some("b"));
        let a = &table.rows[0];
        assert!(a.too_small);
        assert_eq!(a.impact_ratio, Some(10.0 / 6.0)); // (1·10)/(6·1) = 1.6667, above the reference
        assert_eq!(table.rows[2].impact_ratio, Some(0.5)); // 0.3 / 0.6
        assert_eq!(table.rows[2].below_four_fifths, Some(true));
    }
}
