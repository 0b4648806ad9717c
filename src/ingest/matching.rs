//! Matching a file's columns to the questionnaire's items, and saying how:
//! a mapping file first (the user's explicit word), then the item id
//! (ignoring case), then the exact item text, then the normalised text
//! ([`crate::text::normalise`]). Each key of a column is tried in turn, so a
//! grid header `Question [item text]` matches by the bracketed part.
//!
//! The result is a [`Matching`]: matched columns, items without a column and
//! columns ignored, each with the reason — what `score --dry-run` prints.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use super::format::ColumnHeader;
use super::nearest::nearest_item;
use crate::error::ReadError;
use crate::questionnaire::Questionnaire;
use crate::text::normalise;

/// How a column was matched to its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Named in the mapping file.
    MapFile,
    /// The header is the item id.
    ItemId,
    /// The header is the item text, exactly.
    ItemText,
    /// The header is the item text after normalising case, spacing, quotes and punctuation.
    NormalisedText,
}

impl MatchKind {
    /// Words for the matching report.
    pub fn describe(self) -> &'static str {
        match self {
            MatchKind::MapFile => "map file",
            MatchKind::ItemId => "item id",
            MatchKind::ItemText => "item text",
            MatchKind::NormalisedText => "normalised item text",
        }
    }
}

/// One column matched to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnMatch {
    /// 0-based column index.
    pub column: usize,
    /// The column's header.
    pub header: String,
    /// Index of the item in the questionnaire.
    pub item: usize,
    /// The item's id.
    pub item_id: String,
    /// How the match was made.
    pub how: MatchKind,
    /// The part of the header that matched, when not the whole header.
    pub by_part: Option<String>,
}

/// A column that holds no item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoredColumn {
    /// 0-based column index.
    pub column: usize,
    /// The column's header.
    pub header: String,
    /// Why it is not used, e.g. `no item has this id or text`.
    pub reason: String,
    /// The id of the item whose text or id is close to the header, when it
    /// matched none: probably the item meant (a retyped quote).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest: Option<String>,
}

/// Every column and item accounted for.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Matching {
    /// Columns holding items, in column order.
    pub matched: Vec<ColumnMatch>,
    /// Ids of items with no column (they count as unanswered).
    pub missing_items: Vec<String>,
    /// Columns not used for items (metadata, other questions, duplicates).
    pub ignored: Vec<IgnoredColumn>,
}

/// A user's mapping file: column header → item id, and answer code → value.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    entries: Vec<(String, String)>,
    codes: Vec<(String, i32)>,
}

impl ColumnMap {
    /// Reads a two-column CSV (`column`, `item`); a first row whose second
    /// cell is not an item id is taken as a header and skipped. A row whose
    /// second cell is a whole number on the response scale says what an
    /// answer code means instead (`A1,5`: cells `A1` are 5), for exports
    /// that write codes rather than labels (LimeSurvey).
    ///
    /// # Errors
    /// [`ReadError::Map`] naming the line when a row has not two cells, or
    /// names neither an item nor a value on the response scale.
    pub fn from_reader(
        input: impl Read,
        questionnaire: &Questionnaire,
        file: &str,
    ) -> Result<ColumnMap, ReadError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let (mut entries, mut codes) = (Vec::new(), Vec::new());
        for (i, record) in csv.records().enumerate() {
            let line = i as u64 + 1;
            let record = record.map_err(|e| map_error(file, line, e.to_string()))?;
            let cells: Vec<&str> = record.iter().map(str::trim).collect();
            let [column, item] = cells[..] else {
                return Err(map_error(
                    file,
                    line,
                    format!(
                        "{} cell(s); expected 2: column header, item id",
                        cells.len()
                    ),
                ));
            };
            let known = questionnaire
                .items()
                .iter()
                .find(|it| it.id.eq_ignore_ascii_case(item));
            let scale = questionnaire.response_scale();
            let value = item.parse::<i32>().ok();
            match known {
                Some(it) => entries.push((column.to_string(), it.id.clone())),
                None if value.is_some_and(|v| (scale.min..=scale.max).contains(&v)) => {
                    codes.push((column.to_string(), value.unwrap_or_default()));
                }
                None if line == 1 => {}
                None => {
                    return Err(map_error(
                        file,
                        line,
                        format!(
                            "'{item}' is not an item id of questionnaire '{}', nor a value from {} to {}",
                            questionnaire.id(),
                            scale.min,
                            scale.max
                        ),
                    ));
                }
            }
        }
        Ok(ColumnMap { entries, codes })
    }

    /// The answer codes the file defines, and the value of each.
    pub fn answer_codes(&self) -> &[(String, i32)] {
        &self.codes
    }

    /// The item id mapped to a header, matched exactly or after normalising.
    fn item_for(&self, header: &str) -> Option<&str> {
        let exact = self.entries.iter().find(|(c, _)| c == header);
        let wanted = normalise(header);
        exact
            .or_else(|| self.entries.iter().find(|(c, _)| normalise(c) == wanted))
            .map(|(_, item)| item.as_str())
    }
}

fn map_error(file: &str, line: u64, problem: String) -> ReadError {
    ReadError::Map {
        file: file.to_string(),
        line,
        problem,
    }
}

/// Lookup tables from id and text to item index, built once.
struct Index {
    ids: HashMap<String, usize>,
    texts: HashMap<String, usize>,
    normalised: HashMap<String, usize>,
}

impl Index {
    fn new(questionnaire: &Questionnaire) -> Index {
        let items = questionnaire.items().iter().enumerate();
        Index {
            ids: items
                .clone()
                .map(|(i, it)| (it.id.to_lowercase(), i))
                .collect(),
            texts: items
                .clone()
                .map(|(i, it)| (it.text.trim().to_string(), i))
                .collect(),
            normalised: items.map(|(i, it)| (normalise(&it.text), i)).collect(),
        }
    }

    /// The item a key names under one rule.
    fn lookup(&self, kind: MatchKind, key: &str) -> Option<usize> {
        match kind {
            MatchKind::ItemId => self.ids.get(&key.to_lowercase()).copied(),
            MatchKind::ItemText => self.texts.get(key).copied(),
            MatchKind::NormalisedText => self.normalised.get(&normalise(key)).copied(),
            MatchKind::MapFile => None,
        }
    }

    /// The first (kind, item, key index) found trying every key with one rule, then the next rule.
    fn find(&self, keys: &[String]) -> Option<(MatchKind, usize, usize)> {
        [
            MatchKind::ItemId,
            MatchKind::ItemText,
            MatchKind::NormalisedText,
        ]
        .into_iter()
        .find_map(|kind| {
            keys.iter()
                .enumerate()
                .find_map(|(k, key)| self.lookup(kind, key).map(|item| (kind, item, k)))
        })
    }
}

/// Matches `headers` to the items of `questionnaire`; columns in `skip`
/// (the id column) are left out of matching.
pub fn match_columns(
    headers: &[ColumnHeader],
    questionnaire: &Questionnaire,
    map: Option<&ColumnMap>,
    skip: &[usize],
) -> Matching {
    let index = Index::new(questionnaire);
    let mut matching = Matching::default();
    let mut taken: Vec<Option<usize>> = vec![None; questionnaire.items().len()];
    for (column, header) in headers.iter().enumerate() {
        if skip.contains(&column) {
            continue;
        }
        let mapped = map
            .and_then(|m| m.item_for(&header.display))
            .and_then(|id| questionnaire.items().iter().position(|it| it.id == id))
            .map(|item| (MatchKind::MapFile, item, 0));
        let ignored = |reason: String| IgnoredColumn {
            column,
            header: header.display.clone(),
            reason,
            nearest: None,
        };
        match mapped.or_else(|| index.find(&header.keys)) {
            Some((_, item, _)) if taken[item].is_some() => {
                let first = taken[item].map_or(0, |c| c + 1);
                matching.ignored.push(ignored(format!(
                    "a second column for item {} (column {first} holds it)",
                    questionnaire.items()[item].id
                )));
            }
            Some((how, item, key)) => {
                taken[item] = Some(column);
                matching.matched.push(ColumnMatch {
                    column,
                    header: header.display.clone(),
                    item,
                    item_id: questionnaire.items()[item].id.clone(),
                    how,
                    by_part: (key > 0).then(|| header.keys[key].clone()),
                });
            }
            None => matching
                .ignored
                .push(unmatched(questionnaire, header, column)),
        }
    }
    matching.missing_items = taken
        .iter()
        .enumerate()
        .filter(|(_, column)| column.is_none())
        .map(|(i, _)| questionnaire.items()[i].id.clone())
        .collect();
    matching
}

/// A column that matches no item, with the nearest item when one is close
/// ([`super::nearest`]), named in the reason.
fn unmatched(questionnaire: &Questionnaire, header: &ColumnHeader, column: usize) -> IgnoredColumn {
    let nearest = nearest_item(questionnaire, &header.keys).map(|i| &questionnaire.items()[i]);
    let reason = match nearest {
        Some(item) => format!(
            "no item has this id or text; nearest: {} \"{}\" (a --map file row '{},{}' maps it)",
            item.id,
            item.text,
            super::format::csv_cell(&header.display),
            item.id
        ),
        None => "no item has this id or text".into(),
    };
    IgnoredColumn {
        column,
        header: header.display.clone(),
        reason,
        nearest: nearest.map(|item| item.id.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use crate::ingest::format::{column_headers, InputFormat};

    fn headers(names: &[&str]) -> Vec<ColumnHeader> {
        column_headers(
            InputFormat::Generic,
            &[names.iter().map(|n| n.to_string()).collect()],
        )
    }

    #[test]
    fn every_rule_in_order() {
        let q = builtin::questionnaire().unwrap();
        // TR01's text: "When someone complains to me, I assume they have a real problem."
        let h = headers(&[
            "id",
            "tr01",
            "I correct people in front of others if that is quicker.",
            "  i TELL upset people that I understand why they feel that way ",
            "Rate [I skip steps in a procedure when I think they are pointless.]",
            "TR01",
            "Favourite colour",
        ]);
        let m = match_columns(&h, &q, None, &[0]);
        let got: Vec<(usize, &str, MatchKind)> = m
            .matched
            .iter()
            .map(|c| (c.column, c.item_id.as_str(), c.how))
            .collect();
        assert_eq!(
            got,
            [
                (1, "TR01", MatchKind::ItemId),
                (2, "TA02", MatchKind::ItemText),
                (3, "EM03", MatchKind::NormalisedText),
                (4, "CO02", MatchKind::ItemText),
            ]
        );
        assert_eq!(
            m.matched[3].by_part.as_deref(),
            Some("I skip steps in a procedure when I think they are pointless.")
        );
        let ignored: Vec<&str> = m.ignored.iter().map(|i| i.reason.as_str()).collect();
        assert_eq!(
            ignored,
            [
                "a second column for item TR01 (column 2 holds it)",
                "no item has this id or text"
            ]
        );
        // 84 items, 4 matched.
        assert_eq!(m.missing_items.len(), 80);
    }

    #[test]
    fn map_file_wins_and_is_checked() {
        let q = builtin::questionnaire().unwrap();
        let map = ColumnMap::from_reader(&b"column,item\nQ 1,ta02\n"[..], &q, "map.csv").unwrap();
        let m = match_columns(&headers(&["q 1", "TA02"]), &q, Some(&map), &[]);
        assert_eq!(
            (m.matched[0].item_id.as_str(), m.matched[0].how),
            ("TA02", MatchKind::MapFile)
        );
        assert_eq!(
            m.ignored[0].reason,
            "a second column for item TA02 (column 1 holds it)"
        );
        let codes =
            ColumnMap::from_reader(&b"column,item\nA1,5\nA5,1\n"[..], &q, "map.csv").unwrap();
        assert_eq!(
            codes.answer_codes(),
            [("A1".to_string(), 5), ("A5".to_string(), 1)]
        );
        let off = ColumnMap::from_reader(&b"column,item\nA6,6\n"[..], &q, "map.csv").unwrap_err();
        assert_eq!(
            off.to_string(),
            "map.csv: line 2: '6' is not an item id of questionnaire 'sfq', nor a value from 1 to 5"
        );
        let bad = ColumnMap::from_reader(&b"Q1,TR01,x\n"[..], &q, "map.csv").unwrap_err();
        assert_eq!(
            bad.to_string(),
            "map.csv: line 1: 3 cell(s); expected 2: column header, item id"
        );
    }
}
