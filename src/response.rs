//! Reading candidates' answers from a response CSV.
//!
//! The header is resolved once into a [`Layout`] (which column holds the id,
//! which columns hold which items); then each row becomes either a
//! [`Response`] or a [`Rejection`] that says which cell was wrong and why. A
//! bad row never stops the reading; only an unreadable file does.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use crate::error::ReadError;
use crate::questionnaire::Questionnaire;
use crate::scoring::Answer;

/// Id column used when none is named.
pub const DEFAULT_ID_COLUMN: &str = "candidate_id";

/// How a response file is to be read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Name of the id column; `None` takes [`DEFAULT_ID_COLUMN`].
    pub id_column: Option<String>,
    /// Field delimiter; `None` means comma.
    pub delimiter: Option<u8>,
}

/// Which column holds what, resolved from the header.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    /// Number of header fields.
    pub fields: usize,
    /// Index of the id column.
    pub id_column: usize,
    /// (column index, item index) for every matched item column.
    pub item_columns: Vec<(usize, usize)>,
    /// Item ids with no column: counted as unanswered.
    pub missing_items: Vec<String>,
    /// Header names of columns that are neither the id nor an item.
    pub ignored_columns: Vec<String>,
}

/// One candidate's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The candidate's id.
    pub id: String,
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: u64,
    /// One answer per item, presentation order.
    pub answers: Vec<Answer>,
}

/// One problem in a rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellProblem {
    /// Column header, if the problem is in one cell.
    pub column: Option<String>,
    /// The cell's content.
    pub value: Option<String>,
    /// What is wrong and what was expected.
    pub reason: String,
}

/// A row that could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Row number as a spreadsheet shows it.
    pub row: u64,
    /// The candidate's id, if the row had one.
    pub id: Option<String>,
    /// Every problem found in the row.
    pub problems: Vec<CellProblem>,
}

/// Reads a response CSV row by row.
pub struct ResponseReader<'q, R: Read> {
    csv: csv::Reader<R>,
    questionnaire: &'q Questionnaire,
    layout: Layout,
    headers: Vec<String>,
    labels: HashMap<String, i32>,
    record: csv::StringRecord,
    file: String,
    row: u64,
}

impl<'q, R: Read> ResponseReader<'q, R> {
    /// Reads the header of `input` and matches its columns to `questionnaire`'s items.
    ///
    /// # Errors
    /// [`ReadError::Empty`] with no header, [`ReadError::Header`] when the id
    /// column is missing or a whole scale has no item columns, [`ReadError::Csv`]
    /// when the header cannot be parsed.
    pub fn new(
        input: R,
        questionnaire: &'q Questionnaire,
        options: &ReadOptions,
        file: &str,
    ) -> Result<Self, ReadError> {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .delimiter(options.delimiter.unwrap_or(b','))
            .from_reader(input);
        let mut record = csv::StringRecord::new();
        let read = csv
            .read_record(&mut record)
            .map_err(|source| csv_error(file, 1, source))?;
        if !read {
            return Err(ReadError::Empty {
                file: file.to_string(),
            });
        }
        let headers: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, h)| {
                if i == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    h
                }
                .trim()
                .to_string()
            })
            .collect();
        let layout = resolve(&headers, questionnaire, options, file)?;
        Ok(ResponseReader {
            csv,
            questionnaire,
            layout,
            headers,
            labels: label_table(questionnaire),
            record,
            file: file.to_string(),
            row: 1,
        })
    }

    /// The underlying input (e.g. to read a hash it computed).
    pub fn input(&self) -> &R {
        self.csv.get_ref()
    }

    /// The resolved layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The next row: `Ok(None)` at the end, `Ok(Some(Err(_)))` for a rejected row.
    ///
    /// # Errors
    /// [`ReadError`] only when the file itself cannot be read further (I/O).
    pub fn next_row(&mut self) -> Result<Option<Result<Response, Rejection>>, ReadError> {
        loop {
            self.row += 1;
            match self.csv.read_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) if self.record.iter().all(|f| f.trim().is_empty()) => continue,
                Ok(true) => return Ok(Some(self.parse_row())),
                Err(e) if e.is_io_error() => return Err(csv_error(&self.file, self.row, e)),
                Err(e) => {
                    let reason = format!("cannot parse the row: {e}");
                    return Ok(Some(Err(Rejection {
                        row: self.row,
                        id: None,
                        problems: vec![CellProblem {
                            column: None,
                            value: None,
                            reason,
                        }],
                    })));
                }
            }
        }
    }

    fn parse_row(&self) -> Result<Response, Rejection> {
        let record = &self.record;
        let mut problems = Vec::new();
        if record.len() != self.layout.fields {
            problems.push(CellProblem {
                column: None,
                value: None,
                reason: format!(
                    "the row has {} fields; expected {} as in the header",
                    record.len(),
                    self.layout.fields
                ),
            });
        }
        let id = record
            .get(self.layout.id_column)
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if id.is_none() {
            problems.push(CellProblem {
                column: Some(self.headers[self.layout.id_column].clone()),
                value: None,
                reason: "the candidate id is empty; expected an id".into(),
            });
        }
        let mut answers = vec![None; self.questionnaire.items().len()];
        for &(column, item) in &self.layout.item_columns {
            match self.parse_cell(record.get(column).unwrap_or("")) {
                Ok(answer) => answers[item] = answer,
                Err(reason) => problems.push(CellProblem {
                    column: Some(self.headers[column].clone()),
                    value: record.get(column).map(str::to_string),
                    reason,
                }),
            }
        }
        match (id, problems.is_empty()) {
            (Some(id), true) => Ok(Response {
                id: id.to_string(),
                row: self.row,
                answers,
            }),
            _ => Err(Rejection {
                row: self.row,
                id: id.map(str::to_string),
                problems,
            }),
        }
    }

    fn parse_cell(&self, cell: &str) -> Result<Answer, String> {
        parse_answer(cell, self.questionnaire, &self.labels)
    }
}

/// Parses one answer: empty → not answered; an integer (or `4.0`) on the
/// response scale; or a response label or synonym, ignoring case and spacing.
///
/// # Errors
/// A sentence saying what the cell holds and what was expected.
pub fn parse_answer(
    cell: &str,
    questionnaire: &Questionnaire,
    labels: &HashMap<String, i32>,
) -> Result<Answer, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    let scale = questionnaire.response_scale();
    let value = match cell.parse::<f64>() {
        Ok(v) if v.fract() == 0.0 && v.abs() < 1e6 => v as i32,
        Ok(_) => {
            return Err(format!(
                "'{cell}' is not a whole number; expected {} to {}",
                scale.min, scale.max
            ))
        }
        Err(_) => *labels.get(&normalise_label(cell)).ok_or_else(|| {
            format!(
                "'{cell}' is not a number or a response label; expected {} to {} or a label",
                scale.min, scale.max
            )
        })?,
    };
    if value < scale.min || value > scale.max {
        return Err(format!(
            "{value} is outside the response scale; expected {} to {}",
            scale.min, scale.max
        ));
    }
    Ok(Some(value))
}

/// Lower case, single spaces, no surrounding punctuation.
pub fn normalise_label(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Every label and synonym of the response scale, normalised, to its value.
pub fn label_table(questionnaire: &Questionnaire) -> HashMap<String, i32> {
    let mut table = HashMap::new();
    for label in &questionnaire.response_scale().labels {
        for text in std::iter::once(&label.label).chain(&label.synonyms) {
            table.insert(normalise_label(text), label.value);
        }
    }
    table
}

fn resolve(
    headers: &[String],
    questionnaire: &Questionnaire,
    options: &ReadOptions,
    file: &str,
) -> Result<Layout, ReadError> {
    let wanted = options.id_column.as_deref().unwrap_or(DEFAULT_ID_COLUMN);
    let id_column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| ReadError::Header {
            file: file.to_string(),
            problem: format!("no id column '{wanted}' among {} columns", headers.len()),
            expected: "a column named candidate_id, or name the id column with --id-column".into(),
        })?;
    let mut item_columns = Vec::new();
    let mut ignored_columns = Vec::new();
    for (column, header) in headers.iter().enumerate() {
        if column == id_column {
            continue;
        }
        match questionnaire
            .items()
            .iter()
            .position(|item| item.id.eq_ignore_ascii_case(header))
        {
            Some(item) if !item_columns.iter().any(|&(_, i)| i == item) => {
                item_columns.push((column, item))
            }
            _ => ignored_columns.push(header.clone()),
        }
    }
    let matched = |item: usize| item_columns.iter().any(|&(_, i)| i == item);
    let missing_items: Vec<String> = (0..questionnaire.items().len())
        .filter(|&i| !matched(i))
        .map(|i| questionnaire.items()[i].id.clone())
        .collect();
    let empty_scales: Vec<&str> = (0..questionnaire.scales().len())
        .filter(|&s| !questionnaire.scale_items(s).iter().any(|&i| matched(i)))
        .map(|s| questionnaire.scales()[s].id.as_str())
        .collect();
    if !empty_scales.is_empty() {
        return Err(ReadError::Header {
            file: file.to_string(),
            problem: format!(
                "no column for any item of scale(s) {}",
                empty_scales.join(", ")
            ),
            expected: format!(
                "one column per item, named by item id (e.g. {})",
                questionnaire.items()[0].id
            ),
        });
    }
    Ok(Layout {
        fields: headers.len(),
        id_column,
        item_columns,
        missing_items,
        ignored_columns,
    })
}

fn csv_error(file: &str, record: u64, source: csv::Error) -> ReadError {
    ReadError::Csv {
        file: file.to_string(),
        record,
        source,
    }
}
