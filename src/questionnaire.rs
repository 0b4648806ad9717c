//! The instrument: response scale, scales, items and their keying.
//!
//! A [`Questionnaire`] is built only through validation ([`Questionnaire::from_json`]),
//! so once one exists its ids are unique, every item belongs to a known scale,
//! every scale has enough items and every label maps to a value on the response
//! scale. Scoring relies on that and never re-checks. Nothing here knows the six
//! attributes of the built-in instrument: scales are data.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{LoadError, Problem, Problems};
use crate::text::normalise;
use crate::text::MISSING_WORDS;
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
            crate::json::from_str(text).map_err(|e| LoadError::json(file, "questionnaire", &e))?;
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
    /// Indices (into [`Self::scales`]) of the attribute scales, in file
    /// order: the scales a profile targets and analyses correlate, without
    /// the impression-management scale.
    pub fn attribute_scales(&self) -> Vec<usize> {
        (self.scales.iter().enumerate())
            .filter(|(_, s)| s.kind == ScaleKind::Attribute)
            .map(|(i, _)| i)
            .collect()
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
    check_not_empty(
        "id",
        &raw.id,
        "an id, e.g. 'sfq' (norms and profiles name their questionnaire by it)",
        &mut problems,
    );
    let usable_scale = check_response_scale(&raw.response_scale, &mut problems);
    check_labels(&raw.response_scale.labels, &mut problems);
    if !(0.0..=1.0).contains(&raw.min_answered_share) {
        problems.push(Problem::new(
            "min_answered_share",
            raw.min_answered_share.to_string(),
            "a share between 0 and 1 (0.75 = three quarters of a scale's items)",
        ));
    }
    check_scales(&raw.scales, &mut problems);
    check_unique(
        raw.items.iter().map(|i| i.id.as_str()),
        "items",
        "id",
        "unique ids",
        &mut problems,
    );
    let items = build_items(&raw, usable_scale, &mut problems);
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

/// Checks the ends of the response scale; `true` when they are usable, so
/// that values can be checked against them (with unusable ends every value
/// would be "out of range", burying the one real problem).
fn check_response_scale(scale: &ResponseScale, problems: &mut Vec<Problem>) -> bool {
    let bounded = |v: i32| (-MAX_RESPONSE_VALUE..=MAX_RESPONSE_VALUE).contains(&v);
    if !bounded(scale.min) || !bounded(scale.max) {
        problems.push(Problem::new(
            "response_scale",
            format!("min {} and max {}", scale.min, scale.max),
            format!("ends from -{MAX_RESPONSE_VALUE} to {MAX_RESPONSE_VALUE}"),
        ));
        return false;
    }
    if scale.min >= scale.max {
        problems.push(Problem::new(
            "response_scale",
            format!("min {} and max {}", scale.min, scale.max),
            "min smaller than max, e.g. 1 and 5",
        ));
        return false;
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
    true
}

/// Checks that every label and synonym, read as a response file's cell is
/// read ([`normalise`]d), names exactly its own value: a text shared by two
/// values, one that is blank after normalising, one read as "no answer" or
/// as another number would score answers silently wrong or never match.
///
/// Labels are registered before synonyms, so a synonym clashing with a
/// label is the one reported.
fn check_labels(labels: &[ResponseLabel], problems: &mut Vec<Problem>) {
    let texts = labels.iter().enumerate().map(|(i, l)| {
        (
            format!("response_scale.labels[{i}].label"),
            &l.label,
            l.value,
        )
    });
    let synonyms = labels.iter().enumerate().flat_map(|(i, l)| {
        l.synonyms.iter().enumerate().map(move |(j, s)| {
            (
                format!("response_scale.labels[{i}].synonyms[{j}]"),
                s,
                l.value,
            )
        })
    });
    let mut seen: HashMap<String, (i32, String)> = HashMap::new();
    for (path, text, value) in texts.chain(synonyms) {
        let key = normalise(text);
        let found = match (unusable_label(text, &key, value), seen.get(&key)) {
            (Some(why), _) => why,
            (None, Some((other, first))) if *other != value => {
                let synonym = if first.ends_with("].label") {
                    String::new()
                } else {
                    format!(" (a synonym at {first})")
                };
                format!("'{text}' also labels value {other}{synonym}")
            }
            (None, Some(_)) => continue,
            (None, None) => {
                seen.insert(key, (value, path));
                continue;
            }
        };
        problems.push(Problem::new(
            path,
            found,
            "each label and synonym to name one value",
        ));
    }
}

/// Why a label or synonym `text` (normalised: `key`) of `value` can never
/// be read as that value, if so.
fn unusable_label(text: &str, key: &str, value: i32) -> Option<String> {
    if key.is_empty() {
        Some(format!("'{text}', which has no letter or digit"))
    } else if MISSING_WORDS.contains(&key) {
        Some(format!(
            "'{text}', which a response file's cell reads as no answer"
        ))
    } else if text
        .trim()
        .parse::<f64>()
        .is_ok_and(|n| n != f64::from(value))
    {
        Some(format!(
            "'{text}', which a response file's cell reads as a number, not as this label"
        ))
    } else {
        None
    }
}

/// Checks the scales: ids present and unique, and at least one attribute
/// (profiles compare candidates on attributes only).
fn check_scales(scales: &[Scale], problems: &mut Vec<Problem>) {
    for (i, scale) in scales.iter().enumerate() {
        check_not_empty(
            &format!("scales[{i}].id"),
            &scale.id,
            "an id, e.g. 'trust' (items and profiles name their scale by it)",
            problems,
        );
    }
    check_unique(
        scales.iter().map(|s| s.id.as_str()),
        "scales",
        "id",
        "unique ids",
        problems,
    );
    if !scales.iter().any(|s| s.kind == ScaleKind::Attribute) {
        let kinds: Vec<&str> = scales
            .iter()
            .map(|s| match s.kind {
                ScaleKind::Attribute => "attribute",
                ScaleKind::Impression => "impression",
            })
            .collect();
        problems.push(Problem::new(
            "scales",
            if kinds.is_empty() {
                "no scales".to_string()
            } else {
                format!("no attribute scale (kinds: {})", kinds.join(", "))
            },
            "at least one scale of kind 'attribute': role profiles and fit are made of attributes",
        ));
    }
}

/// Reports `value` when it is empty or only spaces.
fn check_not_empty(path: &str, value: &str, expected: &str, problems: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        problems.push(Problem::new(path, format!("'{value}' (empty)"), expected));
    }
}

/// Reports every id that occurs more than once in `ids`, the `field` of
/// each element of the list `what`; `expected` says what a valid list holds.
pub(crate) fn check_unique<'a>(
    ids: impl Iterator<Item = &'a str>,
    what: &str,
    field: &str,
    expected: &str,
    problems: &mut Vec<Problem>,
) {
    let mut seen = BTreeMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(first) = seen.get(id) {
            problems.push(Problem::new(
                format!("{what}[{i}].{field}"),
                format!("'{id}' again (first at {what}[{first}])"),
                expected,
            ));
        } else {
            seen.insert(id, i);
        }
    }
}

fn build_items(
    raw: &RawQuestionnaire,
    usable_scale: bool,
    problems: &mut Vec<Problem>,
) -> Vec<Item> {
    let scale = &raw.response_scale;
    let mut items = Vec::with_capacity(raw.items.len());
    // Unknown scale ids with the items naming them: one problem per id, not per item.
    let mut unknown: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, item) in raw.items.iter().enumerate() {
        check_not_empty(
            &format!("items[{i}].id"),
            &item.id,
            "an id, e.g. 'TR01' (it heads the item's column in a response file)",
            problems,
        );
        check_not_empty(
            &format!("items[{i}].text"),
            &item.text,
            "the statement shown to respondents",
            problems,
        );
        let role = match (&item.scale, &item.attention) {
            (Some(scale_id), None) => match raw.scales.iter().position(|s| &s.id == scale_id) {
                Some(index) => ItemRole::Scored {
                    scale: index,
                    reverse_keyed: item.reverse_keyed,
                },
                None => {
                    match unknown.iter_mut().find(|(id, _)| id == scale_id) {
                        Some((_, at)) => at.push(i),
                        None => unknown.push((scale_id, vec![i])),
                    }
                    continue;
                }
            },
            (None, Some(check)) => {
                let off_scale = usable_scale
                    && check
                        .expected
                        .iter()
                        .any(|v| *v < scale.min || *v > scale.max);
                if check.expected.is_empty() || off_scale {
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
    for (scale_id, at) in unknown {
        let also = match &at[1..] {
            [] => String::new(),
            more => format!(
                " (also at {})",
                more.iter()
                    .map(|i| format!("items[{i}]"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        problems.push(Problem::new(
            format!("items[{}].scale", at[0]),
            format!("unknown scale '{scale_id}'{also}"),
            format!("one of the scale ids: {}", scale_ids(&raw.scales)),
        ));
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
        // A repeated id is reported as such; its items all went to the first.
        let repeated = scales[..i].iter().any(|s| s.id == scale.id);
        if group.len() < MIN_ITEMS_PER_SCALE && !repeated {
            problems.push(Problem::new(
                format!("scales[{i}]"),
                format!("scale '{}' has {} item(s)", scale.id, group.len()),
                format!("at least {MIN_ITEMS_PER_SCALE} items per scale"),
            ));
        }
    }
    groups
}

/// The scale ids, each once, in file order.
fn scale_ids(scales: &[Scale]) -> String {
    let mut ids: Vec<&str> = Vec::new();
    for scale in scales {
        if !ids.contains(&scale.id.as_str()) {
            ids.push(&scale.id);
        }
    }
    ids.join(", ")
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
    fn a_label_text_on_two_values_is_refused() {
        // "Disagree" on 2 and on 4: a cell "disagree" would score 4 and fail an attention item expecting 2.
        let labels = r#""labels":[{"value":1,"label":"Strongly disagree","synonyms":["agree"]},
            {"value":2,"label":"Disagree"},{"value":3,"label":"Neutral","synonyms":["  NEUTRAL ","n/a","—"]},
            {"value":4,"label":"DISAGREE!"},{"value":5,"label":"Agree","synonyms":["2"]}]"#;
        let err = problems(&GOOD.replace(r#""max":5}"#, &format!(r#""max":5,{labels}}}"#)));
        let lines: Vec<&str> = err.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "  - response_scale.labels[3].label: 'DISAGREE!' also labels value 2; expected each label and synonym to name one value",
                "  - response_scale.labels[0].synonyms[0]: 'agree' also labels value 5; expected each label and synonym to name one value",
                "  - response_scale.labels[2].synonyms[1]: 'n/a', which a response file's cell reads as no answer; expected each label and synonym to name one value",
                "  - response_scale.labels[2].synonyms[2]: '—', which has no letter or digit; expected each label and synonym to name one value",
                "  - response_scale.labels[4].synonyms[0]: '2', which a response file's cell reads as a number, not as this label; expected each label and synonym to name one value",
            ],
            "{err}"
        );
    }

    #[test]
    fn two_synonyms_of_different_values_are_refused_at_the_second() {
        let labels = r#""labels":[{"value":1,"label":"No","synonyms":["nope"]},
            {"value":2,"label":"Yes","synonyms":["Nope"]}]"#;
        let err = problems(&GOOD.replace(r#""max":5}"#, &format!(r#""max":5,{labels}}}"#)));
        assert!(err.contains("response_scale.labels[1].synonyms[0]: 'Nope' also labels value 1 (a synonym at response_scale.labels[0].synonyms[0]); expected each label and synonym to name one value"), "{err}");
    }

    #[test]
    fn labels_may_be_partial_or_absent_but_never_blank_ids_or_texts() {
        // End-point labels only (as on an 11-point scale), and none at all: both load.
        let anchors = r#""labels":[{"value":1,"label":"Never"},{"value":5,"label":"Always"}]"#;
        Questionnaire::from_json(
            &GOOD.replace(r#""max":5}"#, &format!(r#""max":5,{anchors}}}"#)),
            "q.json",
        )
        .unwrap();
        let text = GOOD
            .replace(r#""id":"q""#, r#""id":" ""#)
            .replace(r#""text":"y""#, r#""text":"""#)
            .replace(r#""id":"I3""#, r#""id":"""#);
        let err = problems(&text);
        let lines: Vec<&str> = err.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "  - id: ' ' (empty); expected an id, e.g. 'sfq' (norms and profiles name their questionnaire by it)",
                "  - items[1].text: '' (empty); expected the statement shown to respondents",
                "  - items[2].id: '' (empty); expected an id, e.g. 'TR01' (it heads the item's column in a response file)",
            ],
            "{err}"
        );
    }

    #[test]
    fn a_questionnaire_needs_an_attribute_scale() {
        let text = GOOD.replace(r#""kind":"attribute""#, r#""kind":"impression""#);
        assert_eq!(
            problems(&text).lines().nth(1),
            Some("  - scales: no attribute scale (kinds: impression); expected at least one scale of kind 'attribute': role profiles and fit are made of attributes")
        );
    }

    #[test]
    fn a_reversed_scale_or_a_repeated_scale_id_is_one_problem_not_a_cascade() {
        let labels =
            r#""labels":[{"value":1,"label":"a"},{"value":2,"label":"b"},{"value":5,"label":"c"}]"#;
        let text = GOOD.replace(
            r#""min":1,"max":5}"#,
            &format!(r#""min":5,"max":1,{labels}}}"#),
        );
        assert_eq!(
            problems(&text).lines().skip(1).collect::<Vec<_>>(),
            ["  - response_scale: min 5 and max 1; expected min smaller than max, e.g. 1 and 5"]
        );
        // A second scale 'a' where 'b' was meant: its items name 'b', which is unknown.
        let text = GOOD
            .replace(
                r#"{"id":"a","name":"A","kind":"attribute"}"#,
                r#"{"id":"a","name":"A","kind":"attribute"},{"id":"a","name":"B","kind":"attribute"}"#,
            )
            .replace(r#""id":"I2","scale":"a""#, r#""id":"I2","scale":"b""#)
            .replace(r#""id":"I3","scale":"a""#, r#""id":"I3","scale":"b""#);
        assert_eq!(
            problems(&text).lines().skip(1).collect::<Vec<_>>(),
            [
                "  - scales[1].id: 'a' again (first at scales[0]); expected unique ids",
                "  - items[1].scale: unknown scale 'b' (also at items[2]); expected one of the scale ids: a",
                "  - scales[0]: scale 'a' has 1 item(s); expected at least 3 items per scale",
            ]
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
