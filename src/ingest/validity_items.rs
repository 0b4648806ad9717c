//! The attention and impression-management items a file must have a column
//! for. They are what makes validity work (METHOD §4.5, §4.6): without one,
//! a careless candidate who failed it passes as attentive, so a file that
//! lacks one is refused unless the user explicitly goes on without it.
//!
//! This module finds the items and the header most like each one, so that
//! the refusal can say which column was probably meant (a header retyped
//! with other quotes or a typo).

use super::matching::Matching;
use super::nearest::closeness;
use crate::questionnaire::{Item, ItemRole, Questionnaire, ScaleKind};

/// Ids of the attention and impression-management items with no column, in questionnaire order.
pub fn unmatched(questionnaire: &Questionnaire, matching: &Matching) -> Vec<String> {
    let scales = questionnaire.scales();
    questionnaire
        .items()
        .iter()
        .filter(|item| match item.role {
            ItemRole::Attention { .. } => true,
            ItemRole::Scored { scale, .. } => {
                scales.get(scale).map(|s| s.kind) == Some(ScaleKind::Impression)
            }
        })
        .filter(|item| matching.missing_items.contains(&item.id))
        .map(|item| item.id.clone())
        .collect()
}

/// The problem of a file without columns for the validity items `missing`
/// (ids): each item with its text and the ignored header nearest to it.
pub fn problem(questionnaire: &Questionnaire, matching: &Matching, missing: &[String]) -> String {
    let each: Vec<String> = missing
        .iter()
        .filter_map(|id| questionnaire.items().iter().find(|i| &i.id == id))
        .map(|item| {
            let nearest = nearest_header(item, matching)
                .map_or_else(String::new, |h| format!(", nearest unmatched header '{h}'"));
            format!("{} (\"{}\"{nearest})", item.id, item.text)
        })
        .collect();
    format!(
        "no column for validity item(s) {}: without them careless answers can pass as valid",
        each.join("; ")
    )
}

/// The ignored column whose header is close enough to the item's text or
/// id to suggest, by the rule ingest uses for every other item
/// ([`closeness`]), if any is.
fn nearest_header<'m>(item: &Item, matching: &'m Matching) -> Option<&'m str> {
    matching
        .ignored
        .iter()
        .map(|c| (closeness(&c.header, item), c.header.as_str()))
        .filter(|&(s, _)| s > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, header)| header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::matching::IgnoredColumn;

    fn questionnaire() -> Questionnaire {
        let text = include_str!("../../tests/fixtures/validity/questionnaire.json");
        Questionnaire::from_json(text, "v").unwrap()
    }

    fn ignored(headers: &[&str]) -> Matching {
        Matching {
            ignored: (headers.iter().enumerate())
                .map(|(column, h)| IgnoredColumn {
                    nearest: None,
                    column,
                    header: (*h).to_string(),
                    reason: String::new(),
                })
                .collect(),
            ..Matching::default()
        }
    }

    #[test]
    fn attention_and_impression_items_without_a_column_are_named_with_the_nearest_header() {
        let q = questionnaire();
        let mut matching = ignored(&["Age", "For this statment, choose Agree", "Notes"]);
        // A1 (attribute), AT1 (attention) and IM1 (impression) have no column.
        matching.missing_items = vec!["A1".into(), "AT1".into(), "IM1".into()];
        let missing = unmatched(&q, &matching);
        assert_eq!(missing, ["IM1", "AT1"]);
        let problem = problem(&q, &matching, &missing[1..]);
        assert!(!problem.contains("'Notes'") && !problem.contains("'Age'"));
        assert_eq!(
            problem,
            "no column for validity item(s) AT1 (\"For this statement, choose 'Agree'.\", nearest unmatched header \
             'For this statment, choose Agree'): without them careless answers can pass as valid"
        );
    }

    #[test]
    fn a_header_far_from_every_validity_item_is_not_suggested() {
        let q = questionnaire();
        let mut matching = ignored(&["Timestamp", "Email Address", "Notes"]);
        matching.missing_items = vec!["AT1".into()];
        let problem = problem(&q, &matching, &["AT1".to_string()]);
        assert!(!problem.contains("nearest"), "{problem}");
    }
}
