//! Reading back the results `servicefit score` wrote — CSV, JSON Lines or one
//! JSON document — keeping only what an audit needs of each candidate, and
//! the provenance the file carries.
//!
//! The format is recognised from the content, not the name: a file whose
//! first non-blank character is `{` is JSON (Lines when its first line is a
//! whole `{"record": ...}` object), anything else is CSV. Field names are the
//! CSV's column names in every format (`candidate_id`, `status`, `fit`,
//! `fit_band`, `<scale>_sten`, `<scale>_percentile`), so an option means the
//! same thing whatever file it is applied to.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};

use serde::Serialize;
use serde_json::Value;

use super::error::AuditError;
use crate::limits::{RecordLimit, MAX_RECORD_BYTES};
use crate::provenance::{HashingReader, InputDigest};
use crate::text::csv_unescape;

/// The formats `score` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultsFormat {
    /// One row per candidate.
    Csv,
    /// A `run` record, `candidate` records, a `summary` record.
    JsonLines,
    /// One document with `provenance`, `input`, `candidates`, `summary`.
    Json,
}

/// What the audit keeps of one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredRecord {
    /// Line of the file (CSV: the record's line; JSON: the line it starts on).
    pub line: u64,
    /// Candidate id, with the CSV's formula-neutralising `'` removed.
    pub id: String,
    /// Validity status as written: `valid`, `caution` or `invalid`.
    pub status: String,
    /// Whether `score` gave the candidate a recommendation (valid responses and a fit).
    pub recommendable: bool,
    /// The fit score; `Err` holds a cell that is not a number.
    pub fit: Result<Option<f64>, String>,
    /// The fit band as written, if any.
    pub band: Option<String>,
    /// The values of the requested fields, in the order asked; `None` when absent.
    pub values: Vec<Option<String>>,
}

/// One data file named in the results' provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataFile {
    /// `questionnaire`, `norms` or `profile`.
    pub kind: String,
    /// Id inside the file.
    pub id: String,
    /// Version inside the file.
    pub version: String,
    /// SHA-256 of its content.
    pub sha256: String,
}

/// What the results say produced them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResultsProvenance {
    /// Where it was found: the run record, or a side file.
    pub found_in: String,
    /// Engine name and version that scored.
    pub engine: Option<String>,
    /// Questionnaire, norms and profile with ids, versions and hashes.
    pub data_files: Vec<DataFile>,
    /// Norm group used.
    pub norm_group: Option<String>,
    /// Scoring options, as recorded.
    pub options: Option<Value>,
    /// Whether the norms were provisional planning values.
    pub provisional_norms: bool,
    /// The response file that was scored: name and SHA-256.
    pub scored_input: Option<Value>,
    /// `score`'s row counts (read, scored, rejected ...).
    pub summary: Option<Value>,
}

impl ResultsProvenance {
    /// Reads a `run` record, a JSON document's head or a `.provenance.json` side file.
    pub fn from_value(value: &Value, found_in: &str) -> ResultsProvenance {
        let provenance = &value["provenance"];
        let data_files = ["questionnaire", "norms", "profile"]
            .iter()
            .filter_map(|kind| {
                let file = provenance.get(*kind)?;
                Some(DataFile {
                    kind: (*kind).to_string(),
                    id: text(&file["id"])?,
                    version: text(&file["version"]).unwrap_or_default(),
                    sha256: text(&file["sha256"]).unwrap_or_default(),
                })
            })
            .collect();
        ResultsProvenance {
            found_in: found_in.to_string(),
            engine: text(&provenance["engine"]),
            data_files,
            norm_group: text(&provenance["norm_group"]),
            options: provenance.get("options").cloned(),
            provisional_norms: provenance.get("norms_notice").is_some_and(|n| !n.is_null()),
            scored_input: value.get("input").cloned(),
            summary: value.get("summary").cloned(),
        }
    }
}

/// The results as the audit needs them.
#[derive(Debug, Clone)]
pub struct Results {
    /// The file's name as given.
    pub name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Bytes read.
    pub bytes: u64,
    /// Which format it was.
    pub format: ResultsFormat,
    /// Every candidate, in file order.
    pub records: Vec<ScoredRecord>,
    /// Field names the file offers (CSV header; JSON: those of the first candidate).
    pub fields: BTreeSet<String>,
    /// The provenance inside the file (JSON formats); `None` for CSV.
    pub provenance: Option<ResultsProvenance>,
}

impl Results {
    /// Reads results from `input`, keeping the values of `wanted` fields.
    ///
    /// # Errors
    /// [`AuditError`] when the input cannot be read or parsed, lacks the
    /// columns every results file has, or holds no candidate.
    pub fn read<R: Read>(input: R, name: &str, wanted: &[String]) -> Result<Results, AuditError> {
        let mut reader = BufReader::new(HashingReader::new(input));
        let io = |source| AuditError::Io {
            file: name.to_string(),
            source,
        };
        let starts_json = loop {
            let buffer = reader.fill_buf().map_err(io)?;
            let skip = buffer
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            if skip < buffer.len() || buffer.is_empty() {
                let rest = &buffer[skip..];
                break rest.first() == Some(&b'{');
            }
            reader.consume(skip);
        };
        let mut results = if starts_json {
            super::results_json::read(&mut reader, name, wanted)?
        } else {
            read_csv(&mut reader, name, wanted)?
        };
        if results.records.is_empty() {
            return Err(AuditError::NoCandidates { file: name.into() });
        }
        let (sha256, bytes) = reader.get_ref().digest();
        results.sha256 = sha256;
        results.bytes = bytes;
        Ok(results)
    }
}

/// A JSON scalar as text; `None` for null, arrays and objects.
pub(super) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn read_csv<R: BufRead>(input: R, name: &str, wanted: &[String]) -> Result<Results, AuditError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(RecordLimit::new(input, b',', MAX_RECORD_BYTES));
    let csv_error = |record, source| AuditError::Csv {
        file: name.to_string(),
        record,
        source,
    };
    let mut record = csv::StringRecord::new();
    if !csv.read_record(&mut record).map_err(|e| csv_error(1, e))? {
        return Err(AuditError::NoCandidates { file: name.into() });
    }
    let header: Vec<String> = record
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let [id, status, fit] = ["candidate_id", "status", "fit"].map(column);
    let (Some(id), Some(status), Some(fit)) = (id, status, fit) else {
        return Err(AuditError::Shape {
            file: name.into(),
            problem: format!(
                "header has no candidate_id, status or fit column ({})",
                header.join(",")
            ),
            expected: "the results CSV written by `servicefit score`, or its JSON Lines".into(),
        });
    };
    let band = column("fit_band");
    let wanted_columns: Vec<Option<usize>> = wanted.iter().map(|w| column(w)).collect();
    let mut records = Vec::new();
    let mut number = 1;
    while csv
        .read_record(&mut record)
        .map_err(|e| csv_error(number + 1, e))?
    {
        number += 1;
        // Text cells as they were before `csv_safe` neutralised them.
        let cell = |i: usize| {
            let text = record.get(i).map(str::trim).filter(|c| !c.is_empty());
            text.map(csv_unescape).filter(|c| !c.is_empty())
        };
        let status = cell(status).unwrap_or_default().to_string();
        let fit = match cell(fit) {
            None => Ok(None),
            // "NaN" and "inf" parse as numbers but are no fit.
            Some(text) => (text.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .map(Some)
                .ok_or_else(|| text.to_string()),
        };
        records.push(ScoredRecord {
            line: record.position().map_or(number, |p| p.line()),
            id: csv_unescape(record.get(id).unwrap_or_default().trim()).to_string(),
            recommendable: status != "invalid" && matches!(fit, Ok(Some(_))),
            status,
            fit,
            band: band.and_then(cell).map(String::from),
            values: wanted_columns
                .iter()
                .map(|c| c.and_then(cell).map(String::from))
                .collect(),
        });
    }
    Ok(Results {
        name: name.into(),
        sha256: String::new(),
        bytes: 0,
        format: ResultsFormat::Csv,
        records,
        fields: header.into_iter().collect(),
        provenance: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn csv_results_keep_what_the_audit_needs() {
        let text = "rank,candidate_id,status,fit,fit_band,trust_sten,sex\n\
                    1,'=ann,valid,81.5,good,7,'-F\n\
                    2,bob,invalid,,,4,\n\
                    3,''=cy,caution,abc,,5,M\n";
        let results = Results::read(text.as_bytes(), "r.csv", &wanted(&["sex", "age"])).unwrap();
        assert_eq!(results.format, ResultsFormat::Csv);
        assert_eq!(
            results.sha256,
            crate::provenance::sha256_hex(text.as_bytes())
        );
        let [ann, bob, cy] = &results.records[..] else {
            panic!("three records")
        };
        // One neutralising quote is removed, so '=x and =x stay two ids.
        assert_eq!(ann.id, "=ann");
        assert_eq!(cy.id, "'=cy");
        assert_eq!(ann.fit, Ok(Some(81.5)));
        assert_eq!(ann.band.as_deref(), Some("good"));
        assert_eq!(ann.values, vec![Some("-F".to_string()), None]);
        assert!(!bob.recommendable);
        assert_eq!(bob.values[0], None);
        assert_eq!(cy.fit, Err("abc".to_string()));
        assert_eq!(cy.line, 4);
        assert!(results.fields.contains("trust_sten"));
    }

    #[test]
    fn a_file_that_is_not_results_says_so() {
        let err = Results::read("a,b\n1,2\n".as_bytes(), "x.csv", &[]).unwrap_err();
        assert!(
            err.to_string().contains("no candidate_id, status or fit"),
            "{err}"
        );
        let err =
            Results::read("rank,candidate_id,status,fit\n".as_bytes(), "x.csv", &[]).unwrap_err();
        assert!(matches!(err, AuditError::NoCandidates { .. }));
    }
}
