//! The instrument: response scale, scales, items and their keying.
//!
//! A [`Questionnaire`] is built only through validation ([`Questionnaire::from_json`]),
//! so once one exists its ids are unique, every item belongs to a known scale,
//! every scale has enough items and every label maps to a value on the response
//! scale. Scoring relies on that and never re-checks. Nothing here knows the six
//! attributes of the built-in instrument: scales are data.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{LoadError, Problem, Problems};
use crate::validity::ValidityThresholds;

/// Fewest items a scale may have: fewer gives no usable reliability.
pub const MIN_ITEMS_PER_SCALE: usize = 3;

/// Largest magnitude of a response-scale end. Answers are parsed only below
/// a million in magnitude, and it keeps `min + max` (reverse keying) far from
/// overflowing.
pub const MAX_RESPONSE_VALUE: i32 = 999_999;

/// Default missing-data rule: at least 75% of a scale's items answered.
pub const DEFAULT_MIN_ANSWERED_SHARE: f64 = 0.75;

/// The Likert response scale, e.g. 1..5 with a label for each point.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseScale {
    /// Lowest answer value.
    pub min: i32,
    /// Highest answer value.
    pub max: i32,
    /// One label per value (optional; a scale of bare numbers has none).
    #[serde(default)]
    pub labels: Vec<ResponseLabel>,
}

/// The label of one point of the response scale, and other spellings of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseLabel {
    /// The value this label stands for.
    pub value: i32,
    /// The label shown to respondents.
    pub label: String,
    /// Other spellings and languages a form tool may export.
    #[serde(default)]
    pub synonyms: Vec<String>,
}

/// What a scale is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleKind {
    /// A work attribute, compared with role profiles.
    Attribute,
    /// An impression-management (too good to be true) scale, used for response validity.
    Impression,
}

/// Interview questions or development suggestions, for scores below and above a target.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directional {
    /// For a score below the target band.
    #[serde(default)]
    pub low: Vec<String>,
    /// For a score above the target band.
    #[serde(default)]
    pub high: Vec<String>,
}

/// One scale of the questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Stable id, e.g. `trust`.
    pub id: String,
    /// Display name, e.g. `Trust`.
    pub name: String,
    /// Attribute or impression management.
    pub kind: ScaleKind,
    /// What the scale measures, in one sentence.
    #[serde(default)]
    pub description: String,
    /// What a high scorer does at work.
    #[serde(default)]
    pub high: String,
    /// What a low scorer does at work.
    #[serde(default)]
    pub low: String,
    /// Behavioural interview questions.
    #[serde(default)]
    pub probes: Directional,
    /// Development suggestions for a hire.
    #[serde(default)]
    pub development: Directional,
}

/// An attention (infrequency or instructed) check item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttentionCheck {
    /// The answers an attentive respondent gives.
    pub expected: Vec<i32>,
}

/// One item as written in the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    text: String,
    #[serde(default)]
    scale: Option<String>,
    #[serde(default)]
    reverse_keyed: bool,
    #[serde(default)]
    attention: Option<AttentionCheck>,
}

/// What an item contributes to.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemRole {
    /// Scored on the scale with this index; reverse-keyed items score min+max−x.
    Scored {
        /// Index into [`Questionnaire::scales`].
        scale: usize,
        /// Whether agreement means a *lower* standing on the scale.
        reverse_keyed: bool,
    },
    /// An attention check; not scored on any scale.
    Attention {
        /// The answers an attentive respondent gives.
        expected: Vec<i32>,
    },
}

/// One item, validated.
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable id, e.g. `TR01`; also the column name in a plain response CSV.
    pub id: String,
    /// The statement shown to respondents.
    pub text: String,
    /// What the item is scored on.
    pub role: ItemRole,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionnaire {
    id: String,
    version: String,
    title: String,
    #[serde(default)]
    instructions: String,
    response_scale: ResponseScale,
    #[serde(default = "default_share")]
    min_answered_share: f64,
    scales: Vec<Scale>,
    items: Vec<RawItem>,
    #[serde(default)]
    validity: ValidityThresholds,
}

fn default_share() -> f64 {
    DEFAULT_MIN_ANSWERED_SHARE
}

/// A validated questionnaire.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    id: String,
    version: String,
    title: String,
    instructions: String,
    response_scale: ResponseScale,
    min_answered_share: f64,
    scales: Vec<Scale>,
    items: Vec<Item>,
    /// For each scale, the indices of its items in presentation order.
    scale_items: Vec<Vec<usize>>,
    /// For each scale, its items with their keying, in the same order: what
    /// scoring reads for every candidate, kept compact and apart from the
    /// items' texts.
    scale_keys: Vec<Vec<KeyedItem>>,
    /// Indices of the attention items, in presentation order.
    attention_items: Vec<usize>,
    validity: ValidityThresholds,
}

/// An item of a scale and how it is keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyedItem {
    /// Index into [`Questionnaire::items`].
    pub item: usize,
    /// Whether agreement means a *lower* standing on the scale.
    pub reverse_keyed: bool,
}

impl Questionnaire {
    /// Parses and validates a questionnaire from JSON text; `file` names it in errors.
    ///
    /// # Errors
    /// [`LoadError::Json`] for malformed JSON or unknown fields, [`LoadError::Invalid`]
    /// listing every rule broken (duplicate ids, unknown scales, too few items, …).
    pub fn from_json(text: &str, file: &str) -> Result<Self, LoadError> {
        let raw: RawQuestionnaire =
            serde_json::from_str(text).map_err(|e| LoadError::json(file, "questionnaire", &e))?;
        build(raw).map_err(|problems| LoadError::Invalid {
            file: file.to_string(),
            kind: "questionnaire",
            problems: Problems(problems),
        })
    }

    /// Stable id of the instrument.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Version of the instrument.
    pub fn version(&self) -> &str {
        &self.version
    }
    /// Title shown to people.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Instructions for respondents.
    pub fn instructions(&self) -> &str {
        &self.instructions
    }
    /// The response scale.
    pub fn response_scale(&self) -> &ResponseScale {
        &self.response_scale
    }
    /// Default minimum share of a scale's items that must be answered.
    pub fn min_answered_share(&self) -> f64 {
        self.min_answered_share
    }
    /// Scales in file order.
    pub fn scales(&self) -> &[Scale] {
        &self.scales
    }
    /// Items in presentation order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }
    /// Indices (into [`Self::items`]) of the items of scale `scale`.
    pub fn scale_items(&self, scale: usize) -> &[usize] {
        &self.scale_items[scale]
    }
    /// The items of scale `scale` with their keying, in presentation order.
    pub fn scale_keys(&self, scale: usize) -> &[KeyedItem] {
        &self.scale_keys[scale]
    }
    /// Indices (into [`Self::items`]) of the attention items; every other item is scored.
    pub fn attention_items(&self) -> &[usize] {
        &self.attention_items
    }
    /// Index of the scale with this id.
    pub fn scale_index(&self, id: &str) -> Option<usize> {
        self.scales.iter().position(|s| s.id == id)
    }
    /// Response-validity thresholds of this instrument.
    pub fn validity(&self) -> &ValidityThresholds {
        &self.validity
    }
}

fn build(raw: RawQuestionnaire) -> Result<Questionnaire, Vec<Problem>> {
    let mut problems = Vec::new();
    check_response_scale(&raw.response_scale, &mut problems);
    if !(0.0..=1.0).contains(&raw.min_answered_share) {
        problems.push(Problem::new(
            "min_answered_share",
            raw.min_answered_share.to_string(),
            "a share between 0 and 1 (0.75 = three quarters of a scale's items)",
        ));
    }
    check_unique(
        raw.scales.iter().map(|s| s.id.as_str()),
        "scales",
        &mut problems,
    );
    check_unique(
        raw.items.iter().map(|i| i.id.as_str()),
        "items",
        &mut problems,
    );
    let items = build_items(&raw, &mut problems);
    let scale_items = group_items(&raw.scales, &items, &mut problems);
    let scale_keys = scale_items
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|&item| KeyedItem {
                    item,
                    reverse_keyed: matches!(
                        items[item].role,
                        ItemRole::Scored {
                            reverse_keyed: true,
                            ..
                        }
                    ),
                })
                .collect()
        })
        .collect();
    let attention_items = (0..items.len())
        .filter(|&i| matches!(items[i].role, ItemRole::Attention { .. }))
        .collect();
    raw.validity.check(&mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Questionnaire {
        id: raw.id,
        version: raw.version,
        title: raw.title,
        instructions: raw.instructions,
        response_scale: raw.response_scale,
        min_answered_share: raw.min_answered_share,
        scales: raw.scales,
        items,
        scale_items,
        scale_keys,
        attention_items,
        validity: raw.validity,
    })
}

fn check_response_scale(scale: &ResponseScale, problems: &mut Vec<Problem>) {
    let bounded = |v: i32| (-MAX_RESPONSE_VALUE..=MAX_RESPONSE_VALUE).contains(&v);
    if !bounded(scale.min) || !bounded(scale.max) {
        problems.push(Problem::new(
            "response_scale",
            format!("min {} and max {}", scale.min, scale.max),
            format!("ends from -{MAX_RESPONSE_VALUE} to {MAX_RESPONSE_VALUE}"),
        ));
    } else if scale.min >= scale.max {
        problems.push(Problem::new(
            "response_scale",
            format!("min {} and max {}", scale.min, scale.max),
            "min smaller than max, e.g. 1 and 5",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, label) in scale.labels.iter().enumerate() {
        if label.value < scale.min || label.value > scale.max {
            problems.push(Problem::new(
                format!("response_scale.labels[{i}].value"),
                label.value.to_string(),
                format!("a value from {} to {}", scale.min, scale.max),
            ));
        }
        if !seen.insert(label.value) {
            problems.push(Problem::new(
                format!("response_scale.labels[{i}].value"),
                format!("{} labelled twice", label.value),
                "one label per value",
            ));
        }
    }
}

/// Reports every id that occurs more than once in `ids`.
pub(crate) fn check_unique<'a>(
    ids: impl Iterator<Item = &'a str>,
    what: &str,
    problems: &mut Vec<Problem>,
) {
    let mut seen = BTreeMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(first) = seen.insert(id, i) {
            problems.push(Problem::new(
                format!("{what}[{i}].id"),
                format!("'{id}' again (first at {what}[{first}])"),
                "unique ids",
            ));
        }
    }
}

fn build_items(raw: &RawQuestionnaire, problems: &mut Vec<Problem>) -> Vec<Item> {
    let scale = &raw.response_scale;
    let mut items = Vec::with_capacity(raw.items.len());
    for (i, item) in raw.items.iter().enumerate() {
        let role = match (&item.scale, &item.attention) {
            (Some(scale_id), None) => match raw.scales.iter().position(|s| &s.id == scale_id) {
                Some(index) => ItemRole::Scored {
                    scale: index,
                    reverse_keyed: item.reverse_keyed,
                },
                None => {
                    problems.push(Problem::new(
                        format!("items[{i}].scale"),
                        format!("unknown scale '{scale_id}'"),
                        format!("one of the scale ids: {}", scale_ids(&raw.scales)),
                    ));
                    continue;
                }
            },
            (None, Some(check)) => {
                if check.expected.is_empty()
                    || check
                        .expected
                        .iter()
                        .any(|v| *v < scale.min || *v > scale.max)
                {
                    problems.push(Problem::new(
                        format!("items[{i}].attention.expected"),
                        format!("{:?}", check.expected),
                        format!("one or more answers from {} to {}", scale.min, scale.max),
                    ));
                }
                ItemRole::Attention {
                    expected: check.expected.clone(),
                }
            }
            _ => {
                problems.push(Problem::new(
                    format!("items[{i}]"),
                    format!(
                        "item '{}' with neither or both of 'scale' and 'attention'",
                        item.id
                    ),
                    "exactly one: 'scale' for a scored item, 'attention' for a check item",
                ));
                continue;
            }
        };
        items.push(Item {
            id: item.id.clone(),
            text: item.text.clone(),
            role,
        });
    }
    items
}

fn group_items(scales: &[Scale], items: &[Item], problems: &mut Vec<Problem>) -> Vec<Vec<usize>> {
    let mut groups = vec![Vec::new(); scales.len()];
    for (index, item) in items.iter().enumerate() {
        if let ItemRole::Scored { scale, .. } = item.role {
            groups[scale].push(index);
        }
    }
    for (i, (scale, group)) in scales.iter().zip(&groups).enumerate() {
        if group.len() < MIN_ITEMS_PER_SCALE {
            problems.push(Problem::new(
                format!("scales[{i}]"),
                format!("scale '{}' has {} item(s)", scale.id, group.len()),
                format!("at least {MIN_ITEMS_PER_SCALE} items per scale"),
            ));
        }
    }
    groups
}

fn scale_ids(scales: &[Scale]) -> String {
    scales
        .iter()
        .map(|s| s.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"id":"q","version":"1","title":"T",
        "response_scale":{"min":1,"max":5},
        "scales":[{"id":"a","name":"A","kind":"attribute"}],
        "items":[{"id":"I1","scale":"a","text":"x"},{"id":"I2","scale":"a","text":"y"},
                 {"id":"I3","scale":"a","text":"z","reverse_keyed":true},
                 {"id":"C1","text":"check","attention":{"expected":[1]}}]}"#;

    fn problems(text: &str) -> String {
        Questionnaire::from_json(text, "q.json")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_valid_file_loads() {
        let q = Questionnaire::from_json(GOOD, "q.json").unwrap();
        assert_eq!(q.scale_items(0), &[0, 1, 2]);
        assert_eq!(q.items()[3].role, ItemRole::Attention { expected: vec![1] });
        assert_eq!(q.min_answered_share(), 0.75);
    }

    #[test]
    fn unknown_field_is_named_with_its_position() {
        let text = GOOD.replace(r#""title":"T""#, r#""title":"T","colour":"red""#);
        let err = problems(&text);
        assert!(
            err.contains("q.json: not a valid questionnaire file at line 1"),
            "{err}"
        );
        assert!(err.contains("unknown field `colour`"), "{err}");
    }

    #[test]
    fn every_problem_is_listed_not_just_the_first() {
        let text = GOOD
            .replace(r#""id":"I2","scale":"a""#, r#""id":"I1","scale":"a""#)
            .replace(r#""id":"I3","scale":"a""#, r#""id":"I3","scale":"nope""#)
            .replace(r#""max":5"#, r#""max":1"#);
        let err = problems(&text);
        assert!(
            err.contains("3 problem(s)") || err.contains("4 problem(s)"),
            "{err}"
        );
        assert!(
            err.contains("items[1].id: 'I1' again (first at items[0]); expected unique ids"),
            "{err}"
        );
        assert!(
            err.contains("items[2].scale: unknown scale 'nope'; expected one of the scale ids: a"),
            "{err}"
        );
        assert!(
            err.contains("response_scale: min 1 and max 1; expected min smaller than max"),
            "{err}"
        );
        assert!(
            err.contains("scale 'a' has 2 item(s); expected at least 3 items per scale"),
            "{err}"
        );
    }

    #[test]
    fn response_scale_ends_are_bounded() {
        // min + max would overflow i32 in reverse keying without the bound.
        let err = problems(&GOOD.replace(r#""max":5"#, r#""max":2147483647"#));
        assert!(
            err.contains(
                "response_scale: min 1 and max 2147483647; expected ends from -999999 to 999999"
            ),
            "{err}"
        );
    }

    #[test]
    fn attention_item_needs_answers_on_the_scale() {
        let err = problems(&GOOD.replace(r#""expected":[1]"#, r#""expected":[9]"#));
        assert!(
            err.contains(
                "items[3].attention.expected: [9]; expected one or more answers from 1 to 5"
            ),
            "{err}"
        );
    }

    #[test]
    fn an_item_needs_exactly_one_role() {
        let err = problems(&GOOD.replace(r#""text":"check","#, r#""text":"check","scale":"a","#));
        assert!(
            err.contains("item 'C1' with neither or both of 'scale' and 'attention'"),
            "{err}"
        );
    }

    #[test]
    fn bad_missing_rule_and_thresholds_are_caught() {
        let text = GOOD.replace(
            r#""title":"T""#,
            r#""title":"T","min_answered_share":1.5,"validity":{"longstring_caution":20,"longstring_invalid":10}"#,
        );
        let err = problems(&text);
        assert!(err.contains("min_answered_share: 1.5"), "{err}");
        assert!(err.contains("validity.longstring_caution/invalid: 20 and 10; expected runs of at least 2, caution ≤ invalid"), "{err}");
    }
}
