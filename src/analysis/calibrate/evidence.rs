//! Which attributes relate to the rating: each correlation's test of r = 0
//! and Holm's (1979) correction over the attributes tested, because several
//! tests decide the weights and the open-ended bands, and at 5% each, one of
//! six unrelated attributes would pass by chance one time in four.

use serde::Serialize;

use crate::analysis::correlation::Correlation;
use crate::analysis::predictive::two_sided_t;

/// The familywise error rate of the decisions: Holm-adjusted p below this counts as shown.
pub const ALPHA: f64 = 0.05;

/// How an attribute relates to the rating, as decided by its Holm-adjusted p.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Higher scores go with higher ratings.
    Rising,
    /// Higher scores go with lower ratings.
    Falling,
    /// Not shown: adjusted p at or above [`ALPHA`], or no correlation.
    NotShown,
}

impl Relation {
    /// The decision from r's sign and its Holm-adjusted p.
    pub fn decide(r: Option<f64>, p_holm: Option<f64>) -> Relation {
        match (r, p_holm) {
            (Some(r), Some(p)) if p < ALPHA && r > 0.0 => Relation::Rising,
            (Some(r), Some(p)) if p < ALPHA && r < 0.0 => Relation::Falling,
            _ => Relation::NotShown,
        }
    }

    /// Whether the relation is shown (either direction).
    pub fn shown(self) -> bool {
        self != Relation::NotShown
    }
}

/// Two-sided p of r = 0: `t = r·√((n − 2)/(1 − r²))` on n − 2 degrees of
/// freedom, as R's `cor.test`. `None` without r or with fewer than 3 pairs.
pub fn correlation_p(c: &Correlation) -> Option<f64> {
    let r = c.r?;
    let df = c.n.checked_sub(2).filter(|&df| df > 0)? as f64;
    if r.abs() >= 1.0 {
        return Some(0.0);
    }
    two_sided_t(r * (df / (1.0 - r * r)).sqrt(), df)
}

/// Holm's step-down adjustment, as R's `p.adjust(p, "holm")`: the family is
/// the p values present (`None` stays `None`); sorted ascending, the j-th
/// smallest (from 0) is multiplied by m − j, made non-decreasing, capped at 1.
pub fn holm(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_some()).collect();
    order.sort_by(|&a, &b| p[a].unwrap_or(1.0).total_cmp(&p[b].unwrap_or(1.0)));
    let m = order.len();
    let mut adjusted = vec![None; p.len()];
    let mut running: f64 = 0.0;
    for (j, &i) in order.iter().enumerate() {
        let scaled = ((m - j) as f64 * p[i].unwrap_or(1.0)).min(1.0);
        running = running.max(scaled);
        adjusted[i] = Some(running);
    }
    adjusted
}

#[cfg(test)]
// Reference values are R's 17 significant digits, copied verbatim.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    /// tests/fixtures/calibration/holm.csv: y and six scores a..f of 40 people.
    fn columns() -> Vec<Vec<f64>> {
        let text = include_str!("../../../tests/fixtures/calibration/holm.csv");
        let mut columns = vec![Vec::new(); 7];
        for line in text.lines().skip(1) {
            for (c, v) in line.split(',').enumerate() {
                columns[c].push(v.parse::<f64>().unwrap());
            }
        }
        columns
    }

    /// tests/fixtures/calibration/holm.txt (holm.R): cor.test's p and p.adjust(p, "holm").
    const R_P: [f64; 6] = [
        1.0028547110136147e-06,
        1.0323804666681959e-03,
        1.3906305094330742e-02,
        7.5558807089491886e-01,
        3.3182110660615816e-01,
        9.1477234821804809e-01,
    ];
    const R_HOLM: [f64; 6] = [
        6.0171282660816881e-06,
        5.1619023333409793e-03,
        5.5625220377322968e-02,
        1.0,
        9.9546331981847447e-01,
        1.0,
    ];

    #[test]
    fn holm_matches_r() {
        let columns = columns();
        let p: Vec<Option<f64>> = columns[1..]
            .iter()
            .map(|x| {
                let pairs: Vec<(f64, f64)> = x.iter().copied().zip(columns[0].clone()).collect();
                correlation_p(&Correlation::of(&pairs))
            })
            .collect();
        for (p, r) in p.iter().zip(R_P) {
            assert!((p.unwrap() - r).abs() < 1e-9 * r.max(1e-3), "{p:?} vs {r}");
        }
        let adjusted = holm(&p);
        for (a, r) in adjusted.iter().zip(R_HOLM) {
            assert!((a.unwrap() - r).abs() < 1e-9, "{a:?} vs {r}");
        }
        // c: p = 0.0139 alone would pass at 5%, but not after Holm's correction (0.0556).
        assert!(p[2].unwrap() < ALPHA && adjusted[2].unwrap() >= ALPHA);
    }

    #[test]
    fn holm_by_hand_with_a_missing_p() {
        // m = 3: 0.01·3 = 0.03; 0.04·2 = 0.08; 0.03 is second smallest → 0.03·2 = 0.06;
        // sorted 0.01, 0.03, 0.04 → 0.03, 0.06, max(0.06, 0.04·1) = 0.06.
        let adjusted = holm(&[Some(0.04), None, Some(0.01), Some(0.03)]);
        let want: [Option<f64>; 4] = [Some(0.06), None, Some(0.03), Some(0.06)];
        for (a, w) in adjusted.iter().zip(want) {
            assert_eq!(a.map(|a| (a * 1e12).round()), w.map(|w| (w * 1e12).round()));
        }
    }

    #[test]
    fn decisions() {
        assert_eq!(Relation::decide(Some(0.3), Some(0.01)), Relation::Rising);
        assert_eq!(Relation::decide(Some(-0.3), Some(0.049)), Relation::Falling);
        assert_eq!(Relation::decide(Some(0.3), Some(0.05)), Relation::NotShown);
        assert_eq!(Relation::decide(None, None), Relation::NotShown);
    }
}
