//! Which columns of the candidate table a terminal of a given width shows.
//!
//! The table never grows wider than the width it is given (from
//! [`MIN_WIDTH`] up). As the width shrinks, in this order:
//! 1. the name (last column) is shortened, down to [`NAME_SHORTEST`] columns;
//! 2. the attributes' headings are shortened to [`ATTRIBUTE_SHORT`] columns;
//! 3. the fit's range column is dropped;
//! 4. the name moves to the line under the candidate;
//! 5. the verdict column is dropped (the fit number stays);
//! 6. the attribute columns are dropped;
//! 7. the candidate column narrows.
//!
//! Before 5 and before 6, the candidate column narrows from 18 to as few as
//! [`ID_NARROW`] columns when that is enough to keep the verdict or the
//! attributes. An id cut in its column is written in full under the
//! candidate. Rank, candidate id, answers (validity) and fit are never dropped.

/// Narrowest width laid out: below it the table is laid out for this width
/// (rank, id, status and fit need about 40 columns to be read at all).
pub const MIN_WIDTH: usize = 40;

/// Width assumed when none is known (not a terminal, no `COLUMNS`).
pub const DEFAULT_WIDTH: usize = 80;

/// Widest candidate column.
const ID_WIDEST: usize = 18;
/// Candidate column narrowed to keep the verdict or the attributes: room for
/// a typical applicant number, or the start and end of an e-mail address.
const ID_NARROW: usize = 12;
/// Widest name shown at the end of a line.
const NAME_WIDEST: usize = 30;
/// Narrowest name worth a column: shorter, and it goes under the candidate.
const NAME_SHORTEST: usize = 10;
/// An attribute's column when headings are shortened ("Empa…").
const ATTRIBUTE_SHORT: usize = 5;
/// Rank (4), two spaces, the id, two spaces, answers (10), two spaces, fit (3).
const FIXED: usize = 4 + 2 + 2 + 10 + 2 + 3;
/// A space and the fit's range ("(100–100)").
const INTERVAL: usize = 1 + 9;
/// Two spaces and the verdict ("min. not met").
const VERDICT: usize = 2 + 12;

/// The columns shown, and how wide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TableLayout {
    /// Candidate column.
    pub id: usize,
    /// Whether the fit's range column is shown.
    pub interval: bool,
    /// Whether the verdict column is shown.
    pub verdict: bool,
    /// Each attribute's column width; empty when the attributes are dropped.
    pub attributes: Vec<usize>,
    /// Name column; `None` puts the name under the candidate.
    pub name: Option<usize>,
}

impl TableLayout {
    /// The fullest layout within `width` columns (at least [`MIN_WIDTH`])
    /// for attributes whose names are `names` columns wide: the first of the
    /// steps in the module's order that fits.
    pub(crate) fn fit(width: usize, names: &[usize]) -> TableLayout {
        let width = width.max(MIN_WIDTH);
        let full: Vec<usize> = names.iter().map(|&n| n.max(4)).collect();
        let short: Vec<usize> = full.iter().map(|&n| n.min(ATTRIBUTE_SHORT)).collect();
        // (range shown, verdict shown, attribute columns, name in a column)
        let steps = [
            (true, true, &full[..], true),
            (true, true, &short[..], true),
            (false, true, &short[..], true),
            (false, true, &short[..], false),
            (false, false, &short[..], false),
            (false, false, &[][..], false),
        ];
        let mut layout = TableLayout::default();
        for (interval, verdict, attributes, named) in steps {
            layout = TableLayout {
                id: ID_WIDEST,
                interval,
                verdict,
                attributes: attributes.to_vec(),
                name: None,
            };
            let room = width.saturating_sub(layout.width());
            if named && room >= 2 + NAME_SHORTEST {
                layout.name = Some((room - 2).min(NAME_WIDEST));
                return layout;
            }
            // Steps 4 to 6 may take up to 6 columns from the id.
            let over = layout.width().saturating_sub(width);
            if !named && over <= ID_WIDEST - ID_NARROW {
                layout.id -= over;
                return layout;
            }
        }
        // Rank, a short id, answers and fit: 33 columns with an id of 10.
        layout.id = width.saturating_sub(FIXED).clamp(1, ID_WIDEST);
        layout
    }

    /// Columns a line takes without its name.
    pub(crate) fn width(&self) -> usize {
        FIXED
            + self.id
            + if self.interval { INTERVAL } else { 0 }
            + if self.verdict { VERDICT } else { 0 }
            + self.attributes.iter().map(|w| w + 1).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trust, Tact, Empathy, Conformity, Focus, Flexibility.
    const NAMES: [usize; 6] = [5, 4, 7, 10, 5, 11];

    #[test]
    fn columns_go_in_the_documented_order() {
        // Full attribute columns: 5+4+7+10+5+11 + 6 spaces = 48; line without
        // name 23 + 18 + 10 + 14 + 48 = 113; with a 30-column name 145.
        let wide = TableLayout::fit(200, &NAMES);
        assert_eq!((wide.width(), wide.name), (113, Some(30)));
        // Shortened headings 5+4+5+5+5+5 + 6 = 35: 100, leaving 120-100-2 = 18 for the name.
        let at_120 = TableLayout::fit(120, &NAMES);
        assert_eq!((at_120.width(), at_120.name), (100, Some(18)));
        assert!(at_120.interval && at_120.verdict);
        // 100 - 10 (range) = 90 leaves 10 - 2 = 8 < 10 for the name: it goes under.
        let at_100 = TableLayout::fit(100, &NAMES);
        assert_eq!(
            (at_100.width(), at_100.name, at_100.verdict),
            (90, None, true)
        );
        // 86 is 90 with an id of 18 - 4 = 14.
        let at_86 = TableLayout::fit(86, &NAMES);
        assert_eq!((at_86.width(), at_86.id, at_86.verdict), (86, 14, true));
        // 70 is 76 with an id of 12, the narrowest that keeps the attributes.
        let at_70 = TableLayout::fit(70, &NAMES);
        assert_eq!((at_70.id, at_70.attributes.len()), (12, 6));
        assert!(TableLayout::fit(69, &NAMES).attributes.is_empty());
        // 90 - 14 (verdict) = 76.
        let at_80 = TableLayout::fit(80, &NAMES);
        assert_eq!(
            (at_80.width(), at_80.verdict, at_80.attributes.len()),
            (76, false, 6)
        );
        // 76 - 35 (attributes) = 41.
        let at_60 = TableLayout::fit(60, &NAMES);
        assert_eq!((at_60.width(), at_60.id), (41, 18));
        // 40 - 23 leaves 17 for the id; 30 is laid out as 40.
        assert_eq!(TableLayout::fit(40, &NAMES).id, 17);
        assert_eq!(TableLayout::fit(30, &NAMES), TableLayout::fit(40, &NAMES));
    }

    proptest::proptest! {
        #[test]
        fn a_line_never_exceeds_the_width(
            width in 40usize..300,
            names in proptest::collection::vec(1usize..40, 0..12),
        ) {
            let layout = TableLayout::fit(width, &names);
            let name = layout.name.map_or(0, |n| n + 2);
            proptest::prop_assert!(layout.width() + name <= width);
        }
    }
}
