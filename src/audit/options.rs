//! The audit's options, validated once: group columns, the selection
//! definition, and the date to print.

use std::collections::BTreeSet;

use super::error::AuditError;
use super::selection::Selection;

/// What to audit and how.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditOptions {
    groups: Vec<String>,
    selection: Selection,
    date: Option<String>,
    confidence: f64,
    critical: f64,
}

/// The confidence level of the impact ratios' intervals unless the user asks for another.
pub const DEFAULT_AUDIT_CONFIDENCE: f64 = 0.95;

impl AuditOptions {
    /// Options for `groups` (one table per column, plus their intersection
    /// when there are several), `selection`, and the audit `date` to print.
    ///
    /// # Errors
    /// [`AuditError::Option`] when no group column is given, one is given
    /// twice, or the date is not a calendar date written YYYY-MM-DD.
    pub fn new(
        groups: Vec<String>,
        selection: Selection,
        date: Option<&str>,
    ) -> Result<AuditOptions, AuditError> {
        let distinct: BTreeSet<&String> = groups.iter().collect();
        if groups.is_empty() || distinct.len() != groups.len() {
            return Err(AuditError::Option {
                option: "--group",
                value: groups.join(", "),
                expected: "one or more different group columns".into(),
            });
        }
        if let Some(date) = date.filter(|d| !is_date(d)) {
            return Err(AuditError::Option {
                option: "--date",
                value: date.into(),
                expected: "a date written YYYY-MM-DD, e.g. 2025-03-31".into(),
            });
        }
        Ok(AuditOptions {
            groups,
            selection,
            date: date.map(String::from),
            confidence: DEFAULT_AUDIT_CONFIDENCE,
            critical: crate::norms::critical_value(DEFAULT_AUDIT_CONFIDENCE).unwrap_or(1.96),
        })
    }

    /// The same options with the impact ratios' intervals at `level`.
    ///
    /// # Errors
    /// [`AuditError::Option`] unless `0 < level < 1`.
    pub fn with_confidence(mut self, level: f64) -> Result<AuditOptions, AuditError> {
        self.critical = crate::norms::critical_value(level).ok_or_else(|| AuditError::Option {
            option: "--confidence",
            value: level.to_string(),
            expected: "a level between 0 and 1, e.g. 0.95 or 95%".into(),
        })?;
        self.confidence = level;
        Ok(self)
    }

    /// The confidence level of the impact ratios' intervals.
    pub fn confidence(&self) -> f64 {
        self.confidence
    }

    /// Its two-sided critical value (1.96 at 95%).
    pub fn critical_value(&self) -> f64 {
        self.critical
    }

    /// The group columns, in the order given.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// The selection definition.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// The audit date to print, if given.
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }

    /// The fields the results must be read with: the group columns, then the selection's field.
    pub fn wanted_fields(&self) -> Vec<String> {
        let mut fields = self.groups.clone();
        fields.extend(self.selection.field().map(String::from));
        fields
    }
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let [y, m, d] = parts[..] else { return false };
    let (Some(year), Some(month), Some(day)) = (number(y, 4), number(m, 2), number(d, 2)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    (1..=days).contains(&day)
}
