//! Error types of the library, one enum per domain under a top-level [`Error`].
//!
//! Variants hold structured fields (file, row, column, value, what was
//! expected) so a caller can act on them; their messages never repeat their
//! source, because the CLI prints the whole chain.

pub(crate) mod json;

use std::fmt;
use std::path::PathBuf;

/// Any error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A questionnaire, norm or profile file could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The data files loaded but do not fit together.
    #[error(transparent)]
    Consistency(#[from] ConsistencyError),
    /// The response file could not be read at all.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Candidates could not be compared.
    #[error(transparent)]
    Compare(#[from] crate::compare::CompareError),
    /// A toolkit computation (norms, calibration) could not be done.
    #[error(transparent)]
    Analysis(#[from] crate::analysis::AnalysisError),
    /// A fairness audit could not be computed.
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    /// A report could not be written.
    #[error("cannot write the report")]
    Write(#[from] std::io::Error),
}

/// One thing wrong in a data file: where (a JSON path), what was found, what was expected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// JSON path of the offending value, e.g. `items[3].scale`.
    pub path: String,
    /// What the file holds there.
    pub found: String,
    /// What a valid file holds there.
    pub expected: String,
}

impl Problem {
    /// A problem at `path`: `found`, where `expected` was wanted.
    pub fn new(
        path: impl Into<String>,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            found: found.into(),
            expected: expected.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}; expected {}",
            self.path, self.found, self.expected
        )
    }
}

/// The list of problems of one file, shown one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// A data file (questionnaire, norms, profile) that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The text is not JSON of the expected shape (syntax, unknown or missing field, wrong type).
    #[error("{file}: not a valid {kind} file at line {line}, column {column}: {message}{}", expected.as_ref().map(|e| format!("; expected {e}")).unwrap_or_default())]
    Json {
        /// Name of the file (a path, or `built-in <id>`).
        file: String,
        /// Questionnaire, norms or profile.
        kind: &'static str,
        /// Line of the problem, 1-based.
        line: usize,
        /// Column of the problem, 1-based.
        column: usize,
        /// What the file holds there, in plain words.
        message: String,
        /// What belongs there, when the parser says.
        expected: Option<String>,
    },
    /// The JSON has the right shape but its values break the rules.
    #[error("{file}: {} problem(s) in this {kind} file:\n{problems}", problems.0.len())]
    Invalid {
        /// Name of the file.
        file: String,
        /// Questionnaire, norms or profile.
        kind: &'static str,
        /// Every problem found, not just the first.
        problems: Problems,
    },
    /// A built-in file was asked for by an id that does not exist.
    #[error(
        "no built-in {kind} called '{id}'{}; available: {available}",
        crate::names::did_you_mean(suggestions)
    )]
    UnknownBuiltin {
        /// Questionnaire, norms or profile.
        kind: &'static str,
        /// The id asked for.
        id: String,
        /// The closest ids, best first (possibly none).
        suggestions: Vec<String>,
        /// The ids that exist, comma-separated.
        available: String,
    },
}

impl LoadError {
    /// Wraps a serde_json error for `file`.
    pub(crate) fn json(file: &str, kind: &'static str, err: &serde_json::Error) -> Self {
        let plain = json::plain(err);
        LoadError::Json {
            file: file.to_string(),
            kind,
            line: err.line(),
            column: err.column(),
            message: plain.found,
            expected: plain.expected,
        }
    }
}

impl LoadError {
    /// `Ok(value)` when `problems` is empty, else [`LoadError::Invalid`] listing them.
    pub(crate) fn unless_problems<T>(
        value: T,
        file: &str,
        kind: &'static str,
        problems: Vec<Problem>,
    ) -> Result<T, LoadError> {
        if problems.is_empty() {
            Ok(value)
        } else {
            Err(LoadError::Invalid {
                file: file.to_string(),
                kind,
                problems: Problems(problems),
            })
        }
    }
}

/// A data file that refers to a questionnaire: norms or a role profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// A norm set.
    Norms,
    /// A role profile.
    Profile,
}

/// Data files that loaded but contradict each other.
#[derive(Debug, thiserror::Error)]
pub enum ConsistencyError {
    /// Norms or a profile made for another questionnaire: one mismatch that
    /// makes every scale-by-scale comparison moot, so it is reported alone.
    #[error("{}", other_questionnaire_message(*kind, file, id, made_for, questionnaire))]
    OtherQuestionnaire {
        /// Norms or profile.
        kind: DataKind,
        /// Where the file came from: a path, or [`crate::data::BUILTIN_SOURCE`].
        file: String,
        /// The norm set's or profile's id.
        id: String,
        /// The questionnaire id the file names.
        made_for: String,
        /// The id of the questionnaire in use.
        questionnaire: String,
    },
    /// Norms made for another version of the questionnaire in use: its items
    /// differ, so raw scores of the two versions are not on one scale.
    #[error(
        "{}",
        other_version_message(file, id, questionnaire, made_for, version)
    )]
    OtherVersion {
        /// Where the norms came from: a path, or [`crate::data::BUILTIN_SOURCE`].
        file: String,
        /// The norm set's id.
        id: String,
        /// The questionnaire's id (the same in both).
        questionnaire: String,
        /// The questionnaire version the norms name.
        made_for: String,
        /// The version of the questionnaire in use.
        version: String,
    },
    /// Every mismatch found between a file (or the options) and the questionnaire.
    #[error("{}", mismatch_message(file, questionnaire, problems))]
    Mismatch {
        /// The file that does not fit (norms or profile), or [`crate::assessment::OPTIONS`].
        file: String,
        /// The questionnaire id it was checked against.
        questionnaire: String,
        /// Every mismatch found.
        problems: Problems,
    },
}

/// Says what to pass instead: the usual slip is a questionnaire of one's own
/// given while the norms or the role are still the built-in ones, made for
/// the built-in questionnaire.
fn other_questionnaire_message(
    kind: DataKind,
    file: &str,
    id: &str,
    made_for: &str,
    questionnaire: &str,
) -> String {
    let builtin = file == crate::data::BUILTIN_SOURCE;
    let (what, option, make) = match kind {
        DataKind::Norms => (
            if builtin {
                format!("the built-in norms ({id}) are")
            } else {
                format!("{file}: the norms '{id}' are")
            },
            "--norms",
            "build them with `servicefit norms build`",
        ),
        DataKind::Profile => (
            if builtin {
                format!("the built-in profile '{id}' is")
            } else {
                format!("{file}: the profile '{id}' is")
            },
            "--role",
            "calibrate one with `servicefit profile calibrate`",
        ),
    };
    if builtin {
        format!(
            "{what} for questionnaire '{made_for}' (the built-in {}); pass {option} FILE for '{questionnaire}' ({make})",
            crate::builtin::QUESTIONNAIRE_NAME
        )
    } else {
        format!(
            "{what} for questionnaire '{made_for}', not '{questionnaire}', the questionnaire in use; \
             pass {option} FILE for '{questionnaire}' ({make}), or --questionnaire with the file of '{made_for}'"
        )
    }
}

/// Says which norms would fit: the built-in ones are for the built-in
/// version, and the archived versions' planning values ship beside them.
fn other_version_message(
    file: &str,
    id: &str,
    questionnaire: &str,
    made_for: &str,
    version: &str,
) -> String {
    let what = if file == crate::data::BUILTIN_SOURCE {
        format!("the built-in norms ({id}) are")
    } else {
        format!("{file}: the norms '{id}' are")
    };
    format!(
        "{what} for version {made_for} of questionnaire '{questionnaire}', not version {version}, \
         the version in use (their items differ, so their scores are not comparable); \
         pass --norms FILE made for version {version} (build them with `servicefit norms build`; \
         norms/archive/ holds the planning values of earlier built-in versions), \
         or --questionnaire with the file of version {made_for}"
    )
}

fn mismatch_message(file: &str, questionnaire: &str, problems: &Problems) -> String {
    if file == crate::assessment::OPTIONS {
        format!("an option is out of range:\n{problems}")
    } else {
        format!("{file} does not fit questionnaire '{questionnaire}':\n{problems}")
    }
}

impl ConsistencyError {
    /// `Ok(())` when `problems` is empty, else the error listing them.
    pub(crate) fn unless_problems(
        file: &str,
        questionnaire: &str,
        problems: Vec<Problem>,
    ) -> Result<(), Self> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConsistencyError::Mismatch {
                file: file.into(),
                questionnaire: questionnaire.into(),
                problems: Problems(problems),
            })
        }
    }

    /// `Ok` when a file of `kind` (id `id`, from `file`) was made for the
    /// questionnaire in use, else [`ConsistencyError::OtherQuestionnaire`]:
    /// the one check that norms and profiles make alike before their own.
    pub fn made_for(
        kind: DataKind,
        file: &str,
        id: &str,
        made_for: &str,
        questionnaire: &str,
    ) -> Result<(), ConsistencyError> {
        if made_for == questionnaire {
            return Ok(());
        }
        Err(ConsistencyError::OtherQuestionnaire {
            kind,
            file: file.to_string(),
            id: id.to_string(),
            made_for: made_for.to_string(),
            questionnaire: questionnaire.to_string(),
        })
    }

    /// `Ok` when norms (id `id`, from `file`) made for version `made_for` of
    /// questionnaire `questionnaire` fit the `version` in use, else
    /// [`ConsistencyError::OtherVersion`].
    pub fn made_for_version(
        file: &str,
        id: &str,
        questionnaire: &str,
        made_for: &str,
        version: &str,
    ) -> Result<(), ConsistencyError> {
        if made_for == version {
            return Ok(());
        }
        Err(ConsistencyError::OtherVersion {
            file: file.to_string(),
            id: id.to_string(),
            questionnaire: questionnaire.to_string(),
            made_for: made_for.to_string(),
            version: version.to_string(),
        })
    }

    /// The error as problems at JSON paths of the file, for `check`.
    pub fn into_problems(self) -> Vec<Problem> {
        match self {
            ConsistencyError::OtherQuestionnaire {
                made_for,
                questionnaire,
                ..
            } => vec![Problem::new(
                "questionnaire",
                format!("'{made_for}'"),
                format!("'{questionnaire}', the questionnaire in use"),
            )],
            ConsistencyError::OtherVersion {
                made_for, version, ..
            } => vec![Problem::new(
                "questionnaire_version",
                format!("'{made_for}'"),
                format!("'{version}', the version of the questionnaire in use"),
            )],
            ConsistencyError::Mismatch { problems, .. } => problems.0,
        }
    }
}

/// The response file as a whole could not be read (a bad row is not this: see [`crate::response::Rejection`]).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The input could not be read.
    #[error("cannot read {file}")]
    Io {
        /// The input's name.
        file: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The CSV could not be parsed at a record.
    #[error("{file}: cannot parse CSV at record {record}")]
    Csv {
        /// The input's name.
        file: String,
        /// The 1-based record number.
        record: u64,
        /// Why.
        #[source]
        source: csv::Error,
    },
    /// The file is empty: no header row.
    #[error("{file}: the file is empty; expected a header row naming the id column and the items")]
    Empty {
        /// The input's name.
        file: String,
    },
    /// A column mapping file (`--map`) is malformed.
    #[error("{file}: line {line}: {problem}")]
    Map {
        /// The mapping file's name.
        file: String,
        /// The 1-based line (record) number.
        line: u64,
        /// What is wrong and what was expected.
        problem: String,
    },
    /// The file is, or is named as, a spreadsheet workbook that cannot be read.
    #[error("{file}: {problem}")]
    Workbook {
        /// The input's name.
        file: String,
        /// Why (shown inline, not as a cause: one line says it all).
        problem: crate::ingest::spreadsheet::WorkbookError,
    },
    /// The header lacks something scoring cannot do without.
    #[error("{file}: header row: {problem}; expected {expected}")]
    Header {
        /// The input's name.
        file: String,
        /// What is wrong.
        problem: String,
        /// What a usable header holds.
        expected: String,
    },
}
