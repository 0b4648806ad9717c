//! How the questionnaire is cut into pages: short enough for a phone, long
//! enough not to tire with clicks — 6 to 12 statements, about 10.

use std::ops::Range;

/// Statements per page aimed at.
const PER_PAGE: usize = 10;

/// Most statements on a page.
const MAX_PER_PAGE: usize = 12;

/// The item ranges of each page, in order, for `n` items: p = max(⌈n/12⌉,
/// round(n/10)) pages (at least one), sizes as even as possible (page `i`
/// holds items `i·n/p .. (i+1)·n/p`). Every page of a questionnaire of 6
/// items or more holds 6 to 12: p ≥ ⌈n/12⌉ keeps n/p ≤ 12; and n/p ≥ 6,
/// because p = ⌈n/12⌉ > 1 gives n/p > 12(p−1)/p ≥ 6, and p = round(n/10)
/// ≤ n/10 + ½ gives n/p ≥ 10n/(n+5) ≥ 6 for n ≥ 8 (below, p = 1).
pub fn pages(n: usize) -> Vec<Range<usize>> {
    let count = n
        .div_ceil(MAX_PER_PAGE)
        .max((n + PER_PAGE / 2) / PER_PAGE)
        .max(1);
    (0..count)
        .map(|i| i * n / count..(i + 1) * n / count)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_stay_between_6_and_12() {
        let sizes = |n| pages(n).iter().map(Range::len).collect::<Vec<_>>();
        // 72 items: max(⌈6⌉, round 7.2) = 7 pages; boundaries 72·i/7 = 0, 10, 20, 30, 41, 51, 61, 72.
        assert_eq!(sizes(72), [10, 10, 10, 11, 10, 10, 11]);
        // 84 items: max(7, round 8.4) = 8 pages of 10.5: boundaries 0, 10, 21, 31, 42, 52, 63, 73, 84.
        assert_eq!(sizes(84), [10, 11, 10, 11, 10, 11, 10, 11]);
        // 11 items: max(1, round 1.1) = 1 page (two would hold 5 and 6).
        assert_eq!(sizes(11), [11]);
        for n in 6..500 {
            let p = pages(n);
            assert_eq!(p.last().map(|r| r.end), Some(n));
            assert!(p.iter().all(|r| (6..=12).contains(&r.len())), "{n}: {p:?}");
        }
        assert_eq!(sizes(3), [3]);
        assert_eq!(sizes(0), [0]);
    }
}
