//! Loading the three data files — questionnaire, norms, profile — from a
//! path or the built-in set, each with its provenance record.
//!
//! A user names a role either by a built-in id (`retail`) or by a path to a
//! profile file (anything containing a path separator or ending in `.json`).

use std::path::Path;

use crate::assessment::Sourced;
use crate::builtin;
use crate::error::LoadError;
use crate::limits::{read_to_string_capped, MAX_DATA_FILE_BYTES};
use crate::norms::NormSet;
use crate::profile::Profile;
use crate::provenance::{sha256_hex, FileRecord};
use crate::questionnaire::Questionnaire;

/// The `source` of a built-in file's record (and of its errors).
pub const BUILTIN_SOURCE: &str = "built-in";

/// Reads a data file, refusing one over [`MAX_DATA_FILE_BYTES`] before it fills memory.
fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::File::open(path)
        .and_then(|file| read_to_string_capped(file, MAX_DATA_FILE_BYTES))
        .map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })
}

fn record(id: &str, version: &str, source: &str, text: &str) -> FileRecord {
    FileRecord {
        id: id.into(),
        version: version.into(),
        source: source.into(),
        sha256: sha256_hex(text.as_bytes()),
    }
}

/// The questionnaire at `path`, or the built-in one.
///
/// # Errors
/// [`LoadError`] when the file cannot be read or is invalid.
pub fn questionnaire(path: Option<&Path>) -> Result<Sourced<Questionnaire>, LoadError> {
    let (text, source) = match path {
        Some(path) => (read(path)?, path.display().to_string()),
        None => (
            builtin::QUESTIONNAIRE.to_string(),
            BUILTIN_SOURCE.to_string(),
        ),
    };
    questionnaire_from_text(&text, &source)
}

/// The questionnaire in `text`, read from `source` (a path or [`BUILTIN_SOURCE`]):
/// for a copy kept elsewhere, such as the database of `serve`.
///
/// # Errors
/// [`LoadError`] when the text is not a valid questionnaire.
pub fn questionnaire_from_text(
    text: &str,
    source: &str,
) -> Result<Sourced<Questionnaire>, LoadError> {
    let value = Questionnaire::from_json(text, source)?;
    Ok(Sourced {
        record: record(value.id(), value.version(), source, text),
        value,
    })
}

/// The norm set at `path`, or the built-in one.
///
/// # Errors
/// [`LoadError`] when the file cannot be read or is invalid.
pub fn norms(path: Option<&Path>) -> Result<Sourced<NormSet>, LoadError> {
    let (text, source) = match path {
        Some(path) => (read(path)?, path.display().to_string()),
        None => (builtin::NORMS.to_string(), BUILTIN_SOURCE.to_string()),
    };
    norms_from_text(&text, &source)
}

/// The norm set in `text`, read from `source` (a path or [`BUILTIN_SOURCE`]).
///
/// # Errors
/// [`LoadError`] when the text is not a valid norm set.
pub fn norms_from_text(text: &str, source: &str) -> Result<Sourced<NormSet>, LoadError> {
    let value = NormSet::from_json(text, source)?;
    Ok(Sourced {
        record: record(&value.id, &value.version, source, text),
        value,
    })
}

/// Whether a `--role` value names a file rather than a built-in profile:
/// it has a path separator or `.json`, or it is no built-in id but a file of
/// that name exists (`--role myrole` with `./myrole` present).
pub fn is_path(role: &str) -> bool {
    role.contains(['/', '\\'])
        || role.ends_with(".json")
        || (builtin::profile_text(role).is_err() && Path::new(role).is_file())
}

/// The profile named by `role`: a built-in id or a path.
///
/// # Errors
/// [`LoadError`] for an unknown id, an unreadable or invalid file.
pub fn profile(role: &str) -> Result<Sourced<Profile>, LoadError> {
    let (text, source) = profile_source(role)?;
    profile_from_text(&text, &source)
}

/// The text of the profile `role` names and where it came from (the path,
/// or [`BUILTIN_SOURCE`]), unread: for keeping a copy.
///
/// # Errors
/// [`LoadError`] for an unknown id or an unreadable file.
pub fn profile_source(role: &str) -> Result<(String, String), LoadError> {
    Ok(if is_path(role) {
        (read(Path::new(role))?, role.to_string())
    } else {
        (
            builtin::profile_text(role)?.to_string(),
            BUILTIN_SOURCE.to_string(),
        )
    })
}

/// The profile in `text`, read from `source` (a path or [`BUILTIN_SOURCE`]).
///
/// # Errors
/// [`LoadError`] when the text is not a valid profile.
pub fn profile_from_text(text: &str, source: &str) -> Result<Sourced<Profile>, LoadError> {
    let value = Profile::from_json(text, source)?;
    Ok(Sourced {
        record: record(&value.id, &value.version, source, text),
        value,
    })
}
