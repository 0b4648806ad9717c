//! The JSON side of reading results back: JSON Lines (`run`, `candidate`...,
//! `summary` records) and the single JSON document, mapped onto the CSV's
//! field names so options mean the same in every format.

use std::collections::BTreeSet;
use std::io::BufRead;

use serde_json::Value;

use crate::limits::{
    read_line_capped, read_to_string_capped, MAX_JSON_DOCUMENT_BYTES, MAX_JSON_LINE_BYTES,
};

use super::error::AuditError;
use super::results::{text, Results, ResultsFormat, ResultsProvenance, ScoredRecord};

/// Reads JSON Lines or a JSON document (the caller saw a `{` first).
pub(super) fn read<R: BufRead>(
    input: &mut R,
    name: &str,
    wanted: &[String],
) -> Result<Results, AuditError> {
    let io = |source| AuditError::Io {
        file: name.to_string(),
        source,
    };
    let mut results = Results {
        name: name.into(),
        sha256: String::new(),
        bytes: 0,
        format: ResultsFormat::JsonLines,
        records: Vec::new(),
        fields: BTreeSet::new(),
        provenance: None,
    };
    let mut line = String::new();
    let mut number = 0;
    let mut run: Option<Value> = None;
    loop {
        line.clear();
        number += 1;
        if read_line_capped(input, &mut line, MAX_JSON_LINE_BYTES, number).map_err(io)? == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = match crate::json::from_str(&line) {
            Ok(value) => value,
            Err(_) if number == 1 => return read_document(input, line, name, wanted),
            Err(e) => return Err(json_error(name, number, &e)),
        };
        match value["record"].as_str() {
            Some("run") => run = Some(value),
            Some("candidate") => add(&mut results, &value, number, wanted),
            Some("summary") => {
                if let Some(run) = run.as_mut() {
                    run["summary"] = value["summary"].clone();
                }
            }
            _ => {
                return Err(AuditError::Shape {
                    file: name.into(),
                    problem: format!(
                        "line {number} has no \"record\": \"run\", \"candidate\" or \"summary\""
                    ),
                    expected: "the JSON Lines written by `servicefit score --format jsonl`".into(),
                })
            }
        }
    }
    results.provenance = run.map(|r| ResultsProvenance::from_value(&r, "run record"));
    Ok(results)
}

fn json_error(name: &str, line: u64, error: &serde_json::Error) -> AuditError {
    AuditError::Json {
        file: name.into(),
        line: line + error.line() as u64 - 1,
        message: error.to_string(),
    }
}

/// The whole-document format of `score --format json`.
fn read_document<R: BufRead>(
    input: &mut R,
    first: String,
    name: &str,
    wanted: &[String],
) -> Result<Results, AuditError> {
    let rest = MAX_JSON_DOCUMENT_BYTES.saturating_sub(first.len() as u64);
    let text = read_to_string_capped(input, rest)
        .map(|rest| first + &rest)
        .map_err(|source| AuditError::Io {
            file: name.into(),
            source,
        })?;
    let mut document: Value = crate::json::from_str(&text).map_err(|e| json_error(name, 1, &e))?;
    let Some(Value::Array(candidates)) = document.get_mut("candidates").map(Value::take) else {
        return Err(AuditError::Shape {
            file: name.into(),
            problem: "the JSON document has no \"candidates\" list".into(),
            expected: "the JSON written by `servicefit score --format json`".into(),
        });
    };
    let mut results = Results {
        name: name.into(),
        sha256: String::new(),
        bytes: 0,
        format: ResultsFormat::Json,
        records: Vec::new(),
        fields: BTreeSet::new(),
        provenance: Some(ResultsProvenance::from_value(&document, "document head")),
    };
    // score writes one candidate per line, after the head on line 1.
    for (i, candidate) in candidates.iter().enumerate() {
        add(&mut results, candidate, i as u64 + 2, wanted);
    }
    Ok(results)
}

fn add(results: &mut Results, candidate: &Value, line: u64, wanted: &[String]) {
    if results.records.is_empty() {
        results.fields = field_names(candidate);
    }
    let status = text(&candidate["validity"]["status"]).unwrap_or_default();
    let fit = candidate["fit"]["score"].as_f64();
    results.records.push(ScoredRecord {
        line,
        id: text(&candidate["id"]).unwrap_or_default(),
        recommendable: candidate["recommendable"]
            .as_bool()
            .unwrap_or(status != "invalid" && fit.is_some()),
        status,
        fit: Ok(fit),
        band: text(&candidate["fit"]["band"]),
        values: wanted.iter().map(|w| field(candidate, w)).collect(),
    });
}

/// The field `name` of a candidate record, by the CSV's column names.
fn field(candidate: &Value, name: &str) -> Option<String> {
    match name {
        "candidate_id" => return text(&candidate["id"]),
        "status" => return text(&candidate["validity"]["status"]),
        "fit" => return text(&candidate["fit"]["score"]),
        "fit_band" => return text(&candidate["fit"]["band"]),
        _ => {}
    }
    if let Some(value) = candidate.get(name).and_then(text) {
        return Some(value);
    }
    let (scale, key) = name
        .strip_suffix("_sten")
        .map(|s| (s, "sten"))
        .or_else(|| name.strip_suffix("_percentile").map(|s| (s, "percentile")))?;
    candidate["scales"]
        .as_array()?
        .iter()
        .find(|s| s["scale"].as_str() == Some(scale))
        .and_then(|s| text(&s["normed"][key]))
}

fn field_names(candidate: &Value) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = ["candidate_id", "status", "fit", "fit_band"]
        .map(String::from)
        .into_iter()
        .collect();
    if let Some(object) = candidate.as_object() {
        names.extend(
            object
                .iter()
                .filter(|(_, v)| text(v).is_some())
                .map(|(k, _)| k.clone()),
        );
    }
    for scale in candidate["scales"].as_array().into_iter().flatten() {
        if let Some(id) = scale["scale"].as_str() {
            names.insert(format!("{id}_sten"));
            names.insert(format!("{id}_percentile"));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::super::results::Results;
    use super::*;

    const RUN: &str = r#"{"record":"run","provenance":{"engine":"servicefit 0.1.0","questionnaire":{"id":"sfq","version":"1.0.0","source":"built-in","sha256":"aa"},"norms":{"id":"sfq-provisional","version":"0.1.0","source":"built-in","sha256":"bb"},"norm_group":"applicants","profile":{"id":"retail","version":"1.0.0","source":"built-in","sha256":"cc"},"options":{"confidence":0.9},"norms_notice":"PROVISIONAL"},"input":{"name":"a.csv","sha256":"dd","bytes":10}}"#;
    const ANN: &str = r#"{"record":"candidate","rank":1,"id":"ann","row":2,"validity":{"status":"valid"},"scales":[{"scale":"trust","normed":{"sten":7,"percentile":80.1}}],"fit":{"score":81.25,"band":"good"},"recommendable":true,"site":"north"}"#;
    const BOB: &str = r#"{"record":"candidate","rank":2,"id":"bob","row":3,"validity":{"status":"invalid"},"scales":[],"fit":{"score":40.0,"band":null},"recommendable":false}"#;
    const SUMMARY: &str =
        r#"{"record":"summary","summary":{"read":3,"scored":2,"rejected":1},"rejections":[]}"#;

    fn wanted() -> Vec<String> {
        vec!["trust_sten".into(), "site".into()]
    }

    #[test]
    fn json_lines_with_provenance() {
        let text = format!("{RUN}\n{ANN}\n{BOB}\n{SUMMARY}\n");
        let results = Results::read(text.as_bytes(), "r.jsonl", &wanted()).unwrap();
        assert_eq!(results.format, ResultsFormat::JsonLines);
        let provenance = results.provenance.unwrap();
        assert_eq!(provenance.engine.as_deref(), Some("servicefit 0.1.0"));
        assert_eq!(provenance.data_files.len(), 3);
        assert_eq!(provenance.data_files[2].id, "retail");
        assert!(provenance.provisional_norms);
        assert_eq!(provenance.summary.unwrap()["rejected"], 1);
        let ann = &results.records[0];
        assert_eq!((ann.line, ann.fit.clone()), (2, Ok(Some(81.25))));
        assert_eq!(ann.values, vec![Some("7".into()), Some("north".into())]);
        assert!(!results.records[1].recommendable);
        assert!(results.fields.contains("trust_percentile") && results.fields.contains("site"));
    }

    #[test]
    fn json_document() {
        let text = format!(
            "{{\"provenance\":{{\"engine\":\"servicefit 0.1.0\"}},\"input\":{{\"name\":\"a.csv\"}},\"candidates\":[\n{ANN},\n{BOB}\n],\"summary\":{{\"read\":2}},\"rejections\":[]}}\n"
        );
        let results = Results::read(text.as_bytes(), "r.json", &wanted()).unwrap();
        assert_eq!(results.format, ResultsFormat::Json);
        assert_eq!(results.records.len(), 2);
        assert_eq!(results.records[1].line, 3);
        assert_eq!(results.provenance.unwrap().summary.unwrap()["read"], 2);
    }

    #[test]
    fn broken_json_line_names_its_line() {
        let text = format!("{RUN}\n{ANN}\n{{\"record\": oops}}\n");
        let err = Results::read(text.as_bytes(), "r.jsonl", &[]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("r.jsonl: line 3: not valid JSON"),
            "{err}"
        );
    }
}
