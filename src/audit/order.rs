//! The order in which an audit lists groups: ordered groups (age bands,
//! grades) in their order, other values alphabetically.

/// The order of group values: numbers compared as numbers, so that ordered
/// groups read in order (`<25`, `25-39`, `40+`; `age 9` before `age 10`),
/// with a leading `<` (or "under", "below") just before the number it bounds;
/// text otherwise, without case; intersections part by part.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &'_ str| {
        s.split(super::INTERSECTION)
            .map(order_key)
            .collect::<Vec<_>>()
    };
    parts(a)
        .partial_cmp(&parts(b))
        .unwrap_or(std::cmp::Ordering::Equal)
        .then_with(|| a.cmp(b))
}

/// One value's sort key: (has no number, first number, bound, text without case).
fn order_key(value: &str) -> (bool, f64, i8, String) {
    let lower = value.trim().to_lowercase();
    let start = lower.find(|c: char| c.is_ascii_digit());
    let number = start.and_then(|i| {
        let digits: String = lower[i..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        digits.parse::<f64>().ok()
    });
    let before = &lower[..start.unwrap_or(0)];
    let bound = if before.contains('<') || before.contains("under") || before.contains("below") {
        -1
    } else {
        0
    };
    (number.is_none(), number.unwrap_or(0.0), bound, lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_groups_sort_naturally() {
        let mut groups = vec!["40+", "<25", "25-39", "Male", "female", "age 10", "age 9"];
        groups.sort_by(|a, b| natural_order(a, b));
        assert_eq!(
            groups,
            vec!["age 9", "age 10", "<25", "25-39", "40+", "female", "Male"]
        );
        let mut crossed = vec!["F × 40+", "M × <25", "F × <25"];
        crossed.sort_by(|a, b| natural_order(a, b));
        assert_eq!(crossed, vec!["F × <25", "F × 40+", "M × <25"]);
    }
}
