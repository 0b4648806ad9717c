//! What can stop an audit: an unreadable results or group file, a field that
//! is not there, an option that does not parse. A single odd row is not an
//! error: it is excluded and counted (see [`super::Exclusion`]).

/// An audit that cannot be computed.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// A file could not be read.
    #[error("cannot read {file}")]
    Io {
        /// The file's name.
        file: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A CSV file could not be parsed at a record.
    #[error("{file}: cannot parse CSV at record {record}")]
    Csv {
        /// The file's name.
        file: String,
        /// The 1-based record number (the header is record 1).
        record: u64,
        /// Why.
        #[source]
        source: csv::Error,
    },
    /// A JSON or JSON Lines file could not be parsed.
    #[error("{file}: line {line}: not valid JSON: {message}; expected the JSON or JSON Lines results written by `servicefit score`")]
    Json {
        /// The file's name.
        file: String,
        /// The 1-based line.
        line: u64,
        /// What serde found wrong.
        message: String,
    },
    /// The file is not results written by `score` (or a group file lacks its id column).
    #[error("{file}: {problem}; expected {expected}")]
    Shape {
        /// The file's name.
        file: String,
        /// What is wrong.
        problem: String,
        /// What a usable file holds.
        expected: String,
    },
    /// A column named on the command line is in neither the results nor the group file.
    #[error("{role} '{field}' is not in {searched}; available: {available}")]
    UnknownField {
        /// What the field was wanted for (group column, selection column, rule field).
        role: &'static str,
        /// The name given.
        field: String,
        /// The files searched.
        searched: String,
        /// The names that exist.
        available: String,
    },
    /// An option's value does not parse.
    #[error("{option} '{value}': {expected}")]
    Option {
        /// The option, e.g. `--rule`.
        option: &'static str,
        /// The value given.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// The group file has the same id twice, so the join would be ambiguous.
    #[error(
        "{file}: id '{id}' appears on rows {first_row} and {row}; expected each candidate once"
    )]
    DuplicateId {
        /// The group file's name.
        file: String,
        /// The id.
        id: String,
        /// Row of the first occurrence (the header is row 1).
        first_row: u64,
        /// Row of the second.
        row: u64,
    },
    /// The results hold no candidate at all.
    #[error("{file}: no candidates; expected results written by `servicefit score`")]
    NoCandidates {
        /// The file's name.
        file: String,
    },
}
