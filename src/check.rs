//! Checking user-authored data files — questionnaires, norms, profiles — and
//! their consistency with each other, collecting every problem with the file,
//! the JSON path, what was found and what was expected.
//!
//! The rules live in the loaders ([`Questionnaire::from_json`],
//! [`NormSet::from_json`], [`Profile::from_json`] and their `check_against`);
//! this module only detects each file's kind, runs them, and gathers what they
//! report. A JSON syntax or shape error (unknown field, wrong type) stops
//! serde at the first one, so such a file reports one problem at a time.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{LoadError, Problem};
use crate::norms::NormSet;
use crate::profile::Profile;
use crate::questionnaire::Questionnaire;

/// What a data file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Items and scales.
    Questionnaire,
    /// Norm groups.
    Norms,
    /// A role profile's targets.
    Profile,
}

impl FileKind {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Questionnaire => "questionnaire",
            FileKind::Norms => "norms",
            FileKind::Profile => "profile",
        }
    }

    /// The kind a JSON object's top-level fields show, if any.
    pub fn detect(value: &serde_json::Value) -> Option<FileKind> {
        let object = value.as_object()?;
        if object.contains_key("items") || object.contains_key("response_scale") {
            Some(FileKind::Questionnaire)
        } else if object.contains_key("groups") {
            Some(FileKind::Norms)
        } else if object.contains_key("targets") {
            Some(FileKind::Profile)
        } else {
            None
        }
    }
}

/// One problem of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// The file's name.
    pub file: String,
    /// Where, what was found, what was expected.
    #[serde(flatten)]
    pub problem: Problem,
}

/// Every file's kind and every problem found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// Each file and its kind (`None` when it could not be told).
    pub files: Vec<(String, Option<FileKind>)>,
    /// Every problem, file by file.
    pub problems: Vec<FileProblem>,
}

enum Loaded {
    Questionnaire(Questionnaire),
    Norms(NormSet),
    Profile(Profile),
}

/// Checks `files` (name, text); norms and profiles are checked against the
/// questionnaire among the files with their `questionnaire` id, or, when no
/// questionnaire is given, against `fallback` (the built-in one) if they
/// name it; a file naming any other questionnaire gets one problem asking
/// for that questionnaire's file.
pub fn check_files(files: &[(String, String)], fallback: &Questionnaire) -> CheckReport {
    let mut report = CheckReport::default();
    let mut loaded = Vec::new();
    for (name, text) in files {
        let (kind, problems, value) = load(name, text);
        report.files.push((name.clone(), kind));
        report
            .problems
            .extend(problems.into_iter().map(|problem| FileProblem {
                file: name.clone(),
                problem,
            }));
        if let Some(value) = value {
            loaded.push((name.clone(), value));
        }
    }
    let questionnaires: BTreeMap<&str, &Questionnaire> = loaded
        .iter()
        .filter_map(|(_, l)| match l {
            Loaded::Questionnaire(q) => Some((q.id(), q)),
            _ => None,
        })
        .collect();
    for (name, value) in &loaded {
        let (wanted, kind) = match value {
            Loaded::Questionnaire(_) => continue,
            Loaded::Norms(n) => (&n.questionnaire, FileKind::Norms),
            Loaded::Profile(p) => (&p.questionnaire, FileKind::Profile),
        };
        let problems = match pick(&questionnaires, wanted, fallback, kind, name) {
            Err(problem) => vec![problem],
            Ok(q) => {
                let result = match value {
                    Loaded::Norms(n) => n.check_against(q, name),
                    Loaded::Profile(p) => p.check_against(q, name),
                    Loaded::Questionnaire(_) => Ok(()),
                };
                result.err().map(|e| e.into_problems()).unwrap_or_default()
            }
        };
        report
            .problems
            .extend(problems.into_iter().map(|problem| FileProblem {
                file: name.clone(),
                problem,
            }));
    }
    report
}

/// The questionnaire a norms or profile file `name` is checked against: the
/// one given with its id, or the built-in one when none is given and the
/// file names it. Otherwise one problem saying which file to give too —
/// checking against another questionnaire would only list every scale as a
/// mismatch.
fn pick<'a>(
    given: &BTreeMap<&str, &'a Questionnaire>,
    id: &str,
    fallback: &'a Questionnaire,
    kind: FileKind,
    name: &str,
) -> Result<&'a Questionnaire, Problem> {
    if let Some(q) = given.get(id) {
        return Ok(q);
    }
    if given.is_empty() && fallback.id() == id {
        return Ok(fallback);
    }
    let expected = if given.is_empty() {
        format!(
            "the file of questionnaire '{id}' given too, e.g. `servicefit check QUESTIONNAIRE.json {name}` \
             (a {} file given alone is checked against the built-in questionnaire '{}')",
            kind.name(),
            fallback.id()
        )
    } else {
        format!(
            "one of the questionnaires given ({}), or the file of questionnaire '{id}' given too",
            given.keys().copied().collect::<Vec<_>>().join(", ")
        )
    };
    Err(Problem::new("questionnaire", format!("'{id}'"), expected))
}

/// Loads one file: its kind, its problems, and its content when it parsed
/// (norms and profiles with rule problems are kept, so their consistency is
/// checked too and every problem shows at once).
fn load(name: &str, text: &str) -> (Option<FileKind>, Vec<Problem>, Option<Loaded>) {
    let value: serde_json::Value = match crate::json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let plain = crate::error::json::plain(&e);
            let problem = Problem::new(
                format!("line {}, column {}", e.line(), e.column()),
                plain.found,
                plain
                    .expected
                    .unwrap_or_else(|| "JSON text (check commas, quotes and brackets)".into()),
            );
            return (None, vec![problem], None);
        }
    };
    let Some(kind) = FileKind::detect(&value) else {
        let found = match &value {
            serde_json::Value::Object(o) => format!(
                "an object with the fields: {}",
                o.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
            serde_json::Value::Array(_) => "a list".into(),
            other => format!("the value {other}"),
        };
        let problem = Problem::new(
            "(top level)",
            found,
            "a questionnaire (with items), norms (with groups) or a profile (with targets)",
        );
        return (None, vec![problem], None);
    };
    let (result, parsed) = match kind {
        FileKind::Questionnaire => (
            Questionnaire::from_json(text, name).map(Loaded::Questionnaire),
            None,
        ),
        FileKind::Norms => (
            NormSet::from_json(text, name).map(Loaded::Norms),
            crate::json::from_str(text).ok().map(Loaded::Norms),
        ),
        FileKind::Profile => (
            Profile::from_json(text, name).map(Loaded::Profile),
            crate::json::from_str(text).ok().map(Loaded::Profile),
        ),
    };
    match result {
        Ok(value) => (Some(kind), Vec::new(), Some(value)),
        Err(e) => (Some(kind), problems_of(e, kind), parsed),
    }
}

fn problems_of(error: LoadError, kind: FileKind) -> Vec<Problem> {
    match error {
        LoadError::Invalid { problems, .. } => problems.0,
        LoadError::Json {
            line,
            column,
            message,
            expected,
            ..
        } => vec![Problem::new(
            format!("line {line}, column {column}"),
            message,
            expected.unwrap_or_else(|| {
                format!(
                    "the fields and types of a {} file (docs/FORMATS.md)",
                    kind.name()
                )
            }),
        )],
        other => vec![Problem::new("(file)", other.to_string(), "a readable file")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> (String, String) {
        (
            "q.json".into(),
            include_str!("../tests/fixtures/tiny/questionnaire.json").into(),
        )
    }

    #[test]
    fn good_files_have_no_problems() {
        let files = vec![
            tiny(),
            (
                "n.json".into(),
                include_str!("../tests/fixtures/tiny/norms.json").into(),
            ),
            (
                "p.json".into(),
                include_str!("../tests/fixtures/tiny/profile.json").into(),
            ),
        ];
        let fallback = crate::builtin::questionnaire().unwrap();
        let report = check_files(&files, &fallback);
        assert_eq!(report.problems, vec![]);
        let kinds: Vec<_> = report.files.iter().map(|(_, k)| *k).collect();
        assert_eq!(
            kinds,
            [
                Some(FileKind::Questionnaire),
                Some(FileKind::Norms),
                Some(FileKind::Profile)
            ]
        );
    }

    #[test]
    fn json_errors_are_in_plain_words_with_the_position_once() {
        let files: Vec<(String, String)> = [
            ("a.json", "{\"id\": \"x\",, }"),
            ("b.json", "[1]"),
            ("c.json", ""),
            (
                "p.json",
                r#"{"id":"x","version":"1","name":"X","questionnaire":"sfq","max_missing":-1,"targets":[]}"#,
            ),
        ]
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
        let fallback = crate::builtin::questionnaire().unwrap();
        let lines: Vec<String> = check_files(&files, &fallback)
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.file, p.problem))
            .collect();
        assert_eq!(
            lines,
            [
                "a.json: line 1, column 12: a key that is not a \"quoted\" text; expected keys in double quotes",
                "b.json: (top level): a list; expected a questionnaire (with items), norms (with groups) or a profile (with targets)",
                "c.json: line 1, column 0: the end of the file; expected a value",
                "p.json: line 1, column 73: -1; expected a non-negative whole number",
            ]
        );
    }

    #[test]
    fn every_problem_is_collected() {
        let profile = r#"{"id":"x","version":"1","name":"X","questionnaire":"tiny","targets":[
            {"scale":"a","low":7,"high":5,"weight":0},
            {"scale":"zzz","low":2,"high":4,"weight":1}]}"#;
        let files = vec![
            tiny(),
            ("p.json".into(), profile.into()),
            ("odd.json".into(), "{\"a\": 1}".into()),
        ];
        let fallback = crate::builtin::questionnaire().unwrap();
        let report = check_files(&files, &fallback);
        let paths: Vec<(&str, &str)> = report
            .problems
            .iter()
            .map(|p| (p.file.as_str(), p.problem.path.as_str()))
            .collect();
        // Band reversed and weight 0 (load), then 'zzz' unknown (consistency) — never just the first.
        assert_eq!(
            paths,
            [
                ("p.json", "targets[0].low/high"),
                ("p.json", "targets[0].weight"),
                ("odd.json", "(top level)"),
                ("p.json", "targets[1].scale"),
            ]
        );
    }
}
