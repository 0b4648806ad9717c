//! The item a column that matched none was probably meant to be: a quote
//! retyped with a typo, a word changed, an id mistyped (`TR1` for `TR01`).
//! Only a close match is suggested — a metadata column such as `Timestamp`
//! is near no item and gets no suggestion — and it is only ever suggested:
//! the column stays unmatched until the user maps it.

use strsim::normalized_levenshtein;

use crate::questionnaire::{Item, Questionnaire};
use crate::text::normalise;

/// Least similarity (1 − edit distance / longer length) of a header to an
/// item text for a suggestion: a few typing slips in a sentence, not a
/// different sentence. 0.8 lets 8 edits through in a 40-character quote.
const MIN_TEXT_SIMILARITY: f64 = 0.8;

/// Shortest header compared with item texts: short headers (`Name`, `Q3`)
/// are near too many things to mean one of them.
const MIN_TEXT_CHARS: usize = 12;

/// The item (index) whose text or id is nearest to one of `keys`, when
/// close enough to suggest.
pub fn nearest_item(questionnaire: &Questionnaire, keys: &[String]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for key in keys {
        for (index, item) in questionnaire.items().iter().enumerate() {
            let score = closeness(key, item);
            if score > best.map_or(0.0, |(_, s)| s) {
                best = Some((index, score));
            }
        }
    }
    best.map(|(index, _)| index)
}

/// How near a column header is to `item`: above 0 only when close enough
/// to suggest (see [`similarity`]). One rule for every "did you mean" about
/// items, so a metadata column is never offered as an item's column.
pub fn closeness(header: &str, item: &Item) -> f64 {
    similarity(&normalise(header), &normalise(&item.text), &item.id)
}

/// How near `header` (normalised) is to an item of text `text` (normalised)
/// and id `id`: the text's similarity when at least [`MIN_TEXT_SIMILARITY`],
/// else 0.8 for an id one edit away, else 0.
fn similarity(header: &str, text: &str, id: &str) -> f64 {
    let chars = header.chars().count();
    if chars >= MIN_TEXT_CHARS {
        // The edit distance is at least the difference in length: skip what cannot pass.
        let longer = chars.max(text.chars().count()) as f64;
        let gap = chars.abs_diff(text.chars().count()) as f64;
        if 1.0 - gap / longer >= MIN_TEXT_SIMILARITY {
            let score = normalized_levenshtein(header, text);
            if score >= MIN_TEXT_SIMILARITY {
                return score;
            }
        }
        return 0.0;
    }
    let id = id.to_lowercase();
    let one_edit = chars >= 3 && strsim::levenshtein(header, &id) == 1;
    if one_edit {
        MIN_TEXT_SIMILARITY
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    #[test]
    fn close_texts_and_ids_are_suggested_and_nothing_else() {
        let q = builtin::questionnaire().unwrap();
        let id_of = |keys: &[&str]| {
            let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            nearest_item(&q, &keys).map(|i| q.items()[i].id.clone())
        };
        // TA02 is "I correct people in front of others if that is quicker.": two slips.
        assert_eq!(
            id_of(&["I corect people in front of others if it is quicker."]),
            Some("TA02".into())
        );
        assert_eq!(id_of(&["TR1"]), Some("TR01".into()));
        for far in [
            "Timestamp",
            "Email Address",
            "Full name",
            "Q1",
            "How did you hear about us?",
        ] {
            assert_eq!(id_of(&[far]), None, "{far}");
        }
    }
}
