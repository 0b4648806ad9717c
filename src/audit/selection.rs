//! Who counts as selected: a decision column, a rule on a score, or a fit band.
//!
//! Parsed once from the command line into a [`Selection`]; applied to each
//! audited candidate by [`Selection::decide`], which says *selected*, *not
//! selected*, or that the candidate's value cannot be read (then the
//! candidate is excluded and counted, never guessed).

use serde::Serialize;

use super::error::AuditError;
use crate::fit::FitBand;

/// Values of a decision column that mean "selected" (compared without case or surrounding space).
pub const TRUTHY: [&str; 6] = ["1", "true", "yes", "y", "selected", "hired"];
/// Values that mean "not selected"; an empty cell means not selected too.
pub const FALSY: [&str; 7] = [
    "0",
    "false",
    "no",
    "n",
    "not selected",
    "rejected",
    "not hired",
];

/// A comparison of a number with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparison {
    /// `>=`
    #[serde(rename = ">=")]
    AtLeast,
    /// `>`
    #[serde(rename = ">")]
    Above,
    /// `<=`
    #[serde(rename = "<=")]
    AtMost,
    /// `<`
    #[serde(rename = "<")]
    Below,
}

impl Comparison {
    fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::Above => ">",
            Comparison::AtMost => "<=",
            Comparison::Below => "<",
        }
    }

    fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtLeast => value >= threshold,
            Comparison::Above => value > threshold,
            Comparison::AtMost => value <= threshold,
            Comparison::Below => value < threshold,
        }
    }
}

/// The definition of "selected".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Selection {
    /// A column whose value is one of [`TRUTHY`] (selected) or [`FALSY`]/empty (not).
    Column {
        /// The column.
        column: String,
    },
    /// `field op threshold`, on `fit`, `<scale>_sten` or `<scale>_percentile`.
    Rule {
        /// The field compared.
        field: String,
        /// How.
        comparison: Comparison,
        /// With what.
        threshold: f64,
    },
    /// Fit band at least this good.
    Band {
        /// The lowest band that counts as selected.
        band: FitBand,
    },
}

impl Selection {
    /// Parses a rule such as `fit>=70` or `trust_sten > 6`.
    ///
    /// # Errors
    /// [`AuditError::Option`] unless the text is `FIELD OP NUMBER` with OP one
    /// of `>=`, `>`, `<=`, `<` and FIELD `fit`, `<scale>_sten` or `<scale>_percentile`.
    pub fn rule(text: &str) -> Result<Selection, AuditError> {
        let error = |why: &str| AuditError::Option {
            option: "--rule",
            value: text.to_string(),
            expected: format!(
                "{why}; expected FIELD OP NUMBER, e.g. 'fit>=70', with OP one of >=, >, <=, < \
                 and FIELD fit, <scale>_sten or <scale>_percentile"
            ),
        };
        let (at, symbol) = [">=", "<=", ">", "<"]
            .iter()
            .find_map(|s| text.find(s).map(|at| (at, *s)))
            .ok_or_else(|| error("no comparison"))?;
        let comparison = match symbol {
            ">=" => Comparison::AtLeast,
            "<=" => Comparison::AtMost,
            ">" => Comparison::Above,
            _ => Comparison::Below,
        };
        let field = text[..at].trim();
        // `fit=>70`, `fit!>3`: an operator written the wrong way round, not a field.
        if let Some(extra) = field.chars().last().filter(|c| matches!(c, '=' | '!')) {
            return Err(error(&format!("'{extra}{symbol}' is not a comparison")));
        }
        let threshold: f64 = text[at + symbol.len()..]
            .trim()
            .parse()
            .ok()
            .filter(|t: &f64| t.is_finite())
            .ok_or_else(|| error("the threshold is not a number"))?;
        let numeric = field == "fit" || field.ends_with("_sten") || field.ends_with("_percentile");
        if field.is_empty() || !numeric {
            return Err(error("the field is not a score"));
        }
        Ok(Selection::Rule {
            field: field.to_string(),
            comparison,
            threshold,
        })
    }

    /// Parses a band name: selected means this band or a better one.
    ///
    /// # Errors
    /// [`AuditError::Option`] unless the name is weak, partial, good or strong.
    pub fn band(name: &str) -> Result<Selection, AuditError> {
        band_named(name.trim())
            .map(|band| Selection::Band { band })
            .ok_or_else(|| AuditError::Option {
                option: "--band",
                value: name.to_string(),
                expected:
                    "one of weak, partial, good, strong (that band or better counts as selected)"
                        .into(),
            })
    }

    /// The field whose value [`Selection::decide`] needs, if it is not the fit.
    pub fn field(&self) -> Option<&str> {
        match self {
            Selection::Column { column } => Some(column),
            Selection::Rule { field, .. } if field != "fit" => Some(field),
            Selection::Rule { .. } | Selection::Band { .. } => None,
        }
    }

    /// The definition in words, for every output.
    pub fn describe(&self) -> String {
        match self {
            Selection::Column { column } => format!(
                "column '{column}' says so ({} = selected; {} or empty = not selected)",
                TRUTHY.join("/"),
                FALSY.join("/")
            ),
            Selection::Rule {
                field,
                comparison,
                threshold,
            } => format!("{field} {} {threshold}", comparison.symbol()),
            Selection::Band { band } => {
                let better: Vec<&str> = BANDS
                    .iter()
                    .filter(|b| *b >= band)
                    .map(|b| b.name())
                    .collect();
                format!("fit band {}", better.join(" or "))
            }
        }
    }

    /// Whether a candidate with this fit, band and field value is selected;
    /// `Err` holds a value that cannot be read as the definition needs.
    ///
    /// A rule on a score the candidate lacks is not met (not selected).
    pub fn decide(
        &self,
        fit: f64,
        band: Option<&str>,
        value: Option<&str>,
    ) -> Result<bool, String> {
        match self {
            Selection::Column { .. } => {
                let value = value.unwrap_or_default().trim().to_lowercase();
                if TRUTHY.contains(&value.as_str()) {
                    Ok(true)
                } else if value.is_empty() || FALSY.contains(&value.as_str()) {
                    Ok(false)
                } else {
                    Err(value)
                }
            }
            Selection::Rule {
                field,
                comparison,
                threshold,
            } => {
                let number = if field == "fit" {
                    Some(fit)
                } else {
                    match value {
                        None => None,
                        Some(text) => {
                            let value = text.trim().parse::<f64>().ok();
                            Some(
                                value
                                    .filter(|v| v.is_finite())
                                    .ok_or_else(|| text.to_string())?,
                            )
                        }
                    }
                };
                Ok(number.is_some_and(|n| comparison.holds(n, *threshold)))
            }
            Selection::Band { band: least } => {
                let band = match band {
                    Some(name) => band_named(name).ok_or_else(|| name.to_string())?,
                    None => FitBand::of(fit),
                };
                Ok(band >= *least)
            }
        }
    }
}

const BANDS: [FitBand; 5] = [
    FitBand::MinimumNotMet,
    FitBand::Weak,
    FitBand::Partial,
    FitBand::Good,
    FitBand::Strong,
];

fn band_named(name: &str) -> Option<FitBand> {
    BANDS.into_iter().find(|b| b.name() == name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_and_decide() {
        let rule = Selection::rule("fit>=70").unwrap();
        assert_eq!(rule.describe(), "fit >= 70");
        assert_eq!(rule.field(), None);
        assert_eq!(rule.decide(70.0, None, None), Ok(true));
        assert_eq!(rule.decide(69.9, None, None), Ok(false));
        let sten = Selection::rule(" trust_sten < 4 ").unwrap();
        assert_eq!(sten.field(), Some("trust_sten"));
        assert_eq!(sten.decide(90.0, None, Some("3")), Ok(true));
        assert_eq!(sten.decide(90.0, None, Some("4")), Ok(false));
        assert_eq!(sten.decide(90.0, None, None), Ok(false)); // no score: rule not met
        assert_eq!(sten.decide(90.0, None, Some("x")), Err("x".into()));
        for bad in ["fit", "fit>=", "fit>=abc", "name>=3", ">=3", "fit>=inf"] {
            assert!(Selection::rule(bad).is_err(), "{bad}");
        }
        let wrong_way = Selection::rule("fit=>70").unwrap_err().to_string();
        assert!(
            wrong_way.contains("'=>' is not a comparison; expected FIELD OP NUMBER"),
            "{wrong_way}"
        );
    }

    #[test]
    fn band_means_that_band_or_better() {
        let good = Selection::band("Good").unwrap();
        assert_eq!(good.describe(), "fit band good or strong");
        assert_eq!(good.decide(0.0, Some("strong"), None), Ok(true));
        // The written band wins.
        assert_eq!(good.decide(99.0, Some("partial"), None), Ok(false));
        // 80 is good (fit::GOOD_FROM); bands go by the fit as shown in whole
        // points: 79.5 shows as 80, 79.4 as 79.
        assert_eq!(good.decide(80.0, None, None), Ok(true));
        assert_eq!(good.decide(79.5, None, None), Ok(true));
        assert_eq!(good.decide(79.4, None, None), Ok(false));
        // A minimum not met is below every band that counts as selected.
        assert_eq!(good.decide(99.0, Some("minimum_not_met"), None), Ok(false));
        assert!(Selection::band("great").is_err());
    }

    #[test]
    fn decision_column_values() {
        let column = Selection::Column {
            column: "hired".into(),
        };
        for yes in ["1", "TRUE", " Yes ", "selected", "Hired"] {
            assert_eq!(column.decide(0.0, None, Some(yes)), Ok(true), "{yes}");
        }
        for no in ["0", "false", "No", "", "rejected"] {
            assert_eq!(column.decide(0.0, None, Some(no)), Ok(false), "{no}");
        }
        assert_eq!(column.decide(0.0, None, None), Ok(false));
        assert_eq!(column.decide(0.0, None, Some("maybe")), Err("maybe".into()));
    }
}
