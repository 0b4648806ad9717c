//! The group file: a CSV with a candidate id column and group columns (sex,
//! ethnicity, age band, a hiring decision ...), kept apart from the responses
//! so that scoring never sees it, and joined to the results only to audit.

use std::collections::HashMap;
use std::io::Read;

use super::error::AuditError;
use crate::ingest::decode;
use crate::ingest::duplicate::key;
use crate::ingest::sniff;
use crate::limits::{RecordLimit, MAX_RECORD_BYTES};
use crate::provenance::{HashingReader, InputDigest};
use crate::text::normalise;

/// A group file, indexed by candidate id.
#[derive(Debug, Clone)]
pub struct GroupFile {
    /// The file's name as given.
    pub name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The id column's name.
    pub on: String,
    /// Header names.
    pub columns: Vec<String>,
    rows: HashMap<String, Vec<String>>,
}

impl GroupFile {
    /// Reads a group file whose column `on` holds candidate ids (trimmed).
    ///
    /// # Errors
    /// [`AuditError`] when it cannot be read or parsed, has no column `on`,
    /// or names the same id twice (the join would be ambiguous).
    pub fn read<R: Read>(input: R, name: &str, on: &str) -> Result<GroupFile, AuditError> {
        let csv_error = |record, source| AuditError::Csv {
            file: name.to_string(),
            record,
            source,
        };
        // Decoded, and its delimiter told from the start, as response files are.
        let (decoded, _, start) =
            decode::open(HashingReader::new(input), None).map_err(|e| csv_error(1, e.into()))?;
        let start = start.trim_start_matches('\u{feff}');
        // An Excel `sep=;` line is not the header; rows keep the file's numbers.
        let (delimiter, skipped) = match sniff::sep_hint(start) {
            Some(delimiter) => (delimiter, 1),
            None => (sniff::delimiter(start), 0),
        };
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(RecordLimit::new(decoded, delimiter, MAX_RECORD_BYTES));
        let mut record = csv::StringRecord::new();
        for number in 0..=skipped {
            csv.read_record(&mut record)
                .map_err(|e| csv_error(1 + number, e))?;
        }
        let columns: Vec<String> = record
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let Some(id_column) = position(&columns, on) else {
            return Err(AuditError::Shape {
                file: name.into(),
                problem: format!("no id column '{on}' among: {}", columns.join(", ")),
                expected: "a header row with the column named by --on".into(),
            });
        };
        let mut rows: HashMap<String, Vec<String>> = HashMap::new();
        let mut first_rows: HashMap<String, u64> = HashMap::new();
        let mut row = 1 + skipped;
        while csv
            .read_record(&mut record)
            .map_err(|e| csv_error(row + 1, e))?
        {
            row += 1;
            let id = key(record.get(id_column).unwrap_or_default()).into_owned();
            if id.is_empty() {
                continue;
            }
            if let Some(&first_row) = first_rows.get(&id) {
                return Err(AuditError::DuplicateId {
                    file: name.into(),
                    id,
                    first_row,
                    row,
                });
            }
            first_rows.insert(id.clone(), row);
            rows.insert(id, record.iter().map(|c| c.trim().to_string()).collect());
        }
        Ok(GroupFile {
            name: name.into(),
            sha256: csv.get_ref().get_ref().get_ref().get_ref().1.digest().0,
            on: on.into(),
            columns,
            rows,
        })
    }

    /// Index of `column`, if the file has it (see [`position`]).
    pub fn column(&self, column: &str) -> Option<usize> {
        position(&self.columns, column)
    }

    /// Whether the file has a row for candidate `id`.
    pub fn has(&self, id: &str) -> bool {
        self.rows.contains_key(key(id).as_ref())
    }

    /// The non-empty value of column `index` for candidate `id`.
    pub fn value(&self, id: &str, index: usize) -> Option<&str> {
        self.rows
            .get(key(id).as_ref())
            .and_then(|row| row.get(index))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Ids in the file (for counting those without a result).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rows.keys().map(String::as_str)
    }
}

/// Where column `name` is among `columns`: the column of that name, or else
/// the one whose name differs only in case, spacing, `_` and `-`
/// (`Candidate ID` for `candidate_id`), as spreadsheets retitle columns.
fn position(columns: &[String], name: &str) -> Option<usize> {
    let key = |h: &str| normalise(&h.replace(['_', '-'], " "));
    (columns.iter().position(|c| c == name))
        .or_else(|| columns.iter().position(|c| key(c) == key(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_by_trimmed_id() {
        let text = "id,sex,hired\n ann ,F,yes\nbob,,no\n,M,no\n";
        let groups = GroupFile::read(text.as_bytes(), "g.csv", "id").unwrap();
        let sex = groups.column("sex").unwrap();
        assert_eq!(groups.value("ann", sex), Some("F"));
        assert_eq!(groups.value("bob", sex), None); // empty is missing
        assert!(groups.has("bob") && !groups.has("cy"));
        assert_eq!(groups.ids().count(), 2); // the row without id is skipped
                                             // An address in another case is the same person, as for duplicates.
        let mails = GroupFile::read("id,sex\nAnn@X.com,F\n".as_bytes(), "g.csv", "id").unwrap();
        assert_eq!(mails.value(" ann@x.com", 1), Some("F"));
    }

    #[test]
    fn duplicate_ids_and_missing_id_column_are_errors() {
        let err = GroupFile::read("id,sex\na,F\nb,M\na,M\n".as_bytes(), "g.csv", "id").unwrap_err();
        assert_eq!(
            err.to_string(),
            "g.csv: id 'a' appears on rows 2 and 4; expected each candidate once"
        );
        let err = GroupFile::read("cid,sex\n".as_bytes(), "g.csv", "id").unwrap_err();
        assert!(err
            .to_string()
            .contains("no id column 'id' among: cid, sex"));
        let err =
            GroupFile::read("sep=;\nid;sex\na;F\na;M\n".as_bytes(), "g.csv", "id").unwrap_err();
        assert_eq!(
            err.to_string(),
            "g.csv: id 'a' appears on rows 3 and 4; expected each candidate once"
        );
    }

    #[test]
    fn reads_a_spreadsheet_export_as_the_response_files_are_read() {
        // Excel in many locales: a BOM, semicolons, retitled columns, CRLF.
        let text = "\u{feff}Candidate ID;Sex;Age band\r\nann;F;40 and over\r\nbob;M;under 40\r\n";
        let groups = GroupFile::read(text.as_bytes(), "g.csv", "candidate_id").unwrap();
        let age = groups.column("age_band").unwrap();
        assert_eq!(groups.value("bob", age), Some("under 40"));
        assert_eq!(
            groups.value("ann", groups.column("sex").unwrap()),
            Some("F")
        );
        // The exact name wins over a near one.
        let both = GroupFile::read("Sex,sex\na,x,y\n".as_bytes(), "g.csv", "Sex").unwrap();
        assert_eq!(both.column("sex"), Some(1));
        // Excel's legacy CSV: Windows-1252, where é is one byte, 0xE9.
        let legacy = GroupFile::read(&b"id;origin\nann;Panam\xe9\n"[..], "g.csv", "id").unwrap();
        assert_eq!(legacy.value("ann", 1), Some("Panamé"));
    }
}
