//! Resolving a response file's header once: decode, find the delimiter, read
//! the header rows, recognise the export format, choose the id column and
//! match columns to items. The result is a [`Layout`], which every row then
//! uses without looking at the header again.
//!
//! Two things the header cannot say are decided from the first data rows,
//! read ahead (at most [`LOOKAHEAD_ROWS`]) and then read again as rows:
//! whether slashed dates are day or month first ([`timestamp::decide`]), and
//! whether a column that identifies the person is filled on every row, to be
//! the id rather than a column that numbers the responses
//! ([`identity::choose_id`]). Deciding before any row is parsed
//! lets rows be parsed on many threads, each reading dates the same way.

use std::collections::VecDeque;
use std::io::Read;

use serde::Serialize;

use super::decode::{self, DecodingReader, EncodingSource, Prefixed};
use super::format::{self, InputFormat};
use super::header_names;
use super::identity::{self, IdSource, MetaColumns, NameColumns};
use super::matching::{self, Matching};
use super::records::Ahead;
use super::sniff;
use super::spreadsheet::{workbook_or_text, Workbook};
use super::timestamp::{self, DateOrder, DateReading, OrderBasis};
use super::validity_items;
use crate::error::ReadError;
use crate::limits::{RecordLimit, MAX_COLUMNS, MAX_RECORD_BYTES};
use crate::questionnaire::Questionnaire;
use crate::response::{ReadOptions, DEFAULT_ID_COLUMN};

/// Header rows read ahead to recognise a format (Qualtrics has three).
const MAX_HEADER_ROWS: usize = 3;

/// Data rows read ahead, at most, to decide the order of dates and a
/// Microsoft Forms export's id column: all of them in a file of the size
/// people score by hand, and in a larger file enough to span the days of a
/// month (a first number above 12 shows day first).
pub const LOOKAHEAD_ROWS: usize = 10_000;

/// Bytes of data rows read ahead, at most (rows can be up to 1 MiB each).
const LOOKAHEAD_BYTES: usize = 8 << 20;

/// Reader of a decoded, size-limited CSV input.
type CsvReader<R> = csv::Reader<RecordLimit<DecodingReader<Prefixed<R>>>>;

/// Which column holds what, resolved from the header rows.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    /// Number of header fields.
    pub fields: usize,
    /// Where the candidate id comes from.
    pub id: IdSource,
    /// The columns of the candidate's name, shown beside the id.
    pub name: Option<NameColumns>,
    /// (column index, item index) for every matched item column.
    pub item_columns: Vec<(usize, usize)>,
    /// Item ids with no column: counted as unanswered.
    pub missing_items: Vec<String>,
    /// Attention and impression-management items with no column (the user
    /// chose to go on without them): the validity checks they make are not possible.
    pub missing_validity_items: Vec<String>,
    /// Header names of columns that are neither the id nor an item.
    pub ignored_columns: Vec<String>,
    /// The full matching report.
    pub matching: Matching,
    /// The export format.
    pub format: InputFormat,
    /// Header rows above the data.
    pub header_rows: usize,
    /// The text encoding, e.g. `utf-8`.
    pub encoding: String,
    /// How the encoding was chosen.
    pub encoding_source: EncodingSource,
    /// The field delimiter.
    pub delimiter: char,
    /// Whether an Excel `sep=` line opened the file (it is not a row).
    pub sep_line: bool,
    /// Metadata columns (submission time, duration, …).
    pub meta: MetaColumns,
    /// How the dates of the submission and start times are read.
    pub dates: Dates,
    /// Whether the ids are e-mail addresses because every row read ahead
    /// held one (a Microsoft Forms export): a later row without one is
    /// rejected, where its `anonymous` would make all such rows one candidate.
    pub address_ids: bool,
    /// Whether rows with fewer fields than the header are padded
    /// ([`ReadOptions::pad_short_rows`]) rather than rejected.
    pub pad_short_rows: bool,
    /// The workbook sheet the rows come from, when the file is a spreadsheet.
    pub workbook: Option<Workbook>,
}

/// How slashed dates are read, decided once for the file from the
/// submission time column (else the start time column).
#[derive(Debug, Clone, Serialize)]
pub struct Dates {
    /// The header of the column the order was decided from.
    pub column: Option<String>,
    /// The order, and why.
    pub reading: DateReading,
    /// The number of rows the order was decided from, when the file has
    /// more: the rest are read in that order too.
    pub first_rows: Option<usize>,
}

impl Dates {
    /// The order every slashed date of the file is read in.
    pub fn order(&self) -> DateOrder {
        self.reading.order
    }

    /// A warning when the order could not be decided, in words.
    fn note(&self) -> Option<String> {
        let column = self.column.as_deref().unwrap_or("");
        let order = self.reading.order.describe();
        let change = format!(
            "use --date-order {} to change",
            self.reading.order.other().name()
        );
        match &self.reading.basis {
            OrderBasis::Ambiguous { example } => {
                let scope = match self.first_rows {
                    Some(rows) => format!(" (every date of the first {rows} rows could, which decided it)"),
                    None => String::new(),
                };
                Some(format!(
                    "column '{column}': dates such as {example} could be day-first or month-first{scope}; \
                     read as {order} ({change})"
                ))
            }
            OrderBasis::Contradictory {
                day_first,
                month_first,
            } => Some(format!(
                "column '{column}': {day_first} can only be day-first, but {month_first} only month-first; \
                 read as {order}, so dates that cannot be are not read ({change})"
            )),
            OrderBasis::Chosen | OrderBasis::NotNeeded | OrderBasis::Shown { .. } => None,
        }
    }
}

impl Layout {
    /// Rows above the header that the reader did not see: the empty rows
    /// above a sheet's first used one, so that rows keep their spreadsheet numbers.
    pub fn rows_above(&self) -> usize {
        self.workbook.as_ref().map_or(0, |w| w.rows_above as usize)
    }

    /// Index of the id column, if there is one.
    pub fn id_column(&self) -> Option<usize> {
        self.id.column()
    }

    /// Things the user should know before trusting the run, in words.
    pub fn notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = self.workbook.iter().filter_map(Workbook::note).collect();
        match self.encoding_source {
            EncodingSource::Fallback => notes.push(format!(
                "the file is not valid UTF-8; read it as {} (Excel's legacy CSV); use --encoding to choose another",
                self.encoding
            )),
            EncodingSource::ZeroBytes => notes.push(format!(
                "the file has no byte-order mark, but its zero bytes fall as in {} text; read it so (use --encoding to choose another)",
                self.encoding
            )),
            _ => {}
        }
        match &self.id {
            IdSource::RowNumber => notes.push(
                "no id column found; the row number is each candidate's id (name one with --id-column)".into(),
            ),
            IdSource::Guessed {
                header, because, ..
            } if header != DEFAULT_ID_COLUMN || because.is_some() => {
                let because = because.as_deref().map(|b| format!(" ({b})")).unwrap_or_default();
                notes.push(format!("candidate ids are taken from column '{header}'{because}"))
            }
            _ => {}
        }
        notes.extend(self.dates.note());
        for column in &self.matching.ignored {
            if let Some(item) = &column.nearest {
                notes.push(format!(
                    "column '{}' matches no item, but is close to item {item}; if it is that item, \
                     a --map file row '{},{item}' maps it (--dry-run shows every column)",
                    column.header,
                    super::format::csv_cell(&column.header)
                ));
            }
        }
        if !self.missing_validity_items.is_empty() {
            notes.push(format!(
                "scoring without the validity check(s) of {} (no column; --without-validity-items): every result says so",
                self.missing_validity_items.join(", ")
            ));
        }
        if !self.missing_items.is_empty() {
            notes.push(format!(
                "{} item(s) have no column and count as unanswered: {}",
                self.missing_items.len(),
                self.missing_items.join(", ")
            ));
        }
        notes
    }
}

/// A file whose header has been read.
pub struct Opened<R> {
    /// The CSV reader, positioned after the header rows (and any rows read ahead).
    pub csv: CsvReader<R>,
    /// The resolved layout.
    pub layout: Layout,
    /// Each column's header as shown to people.
    pub headers: Vec<String>,
    /// Data rows read ahead while looking for header rows or deciding the
    /// layout, to be read again as rows.
    pub pending: VecDeque<Ahead>,
    /// The reader's line after the last header row (to count blank lines).
    pub header_end_line: u64,
}

/// Decodes `input`, reads its header rows and resolves the [`Layout`].
///
/// # Errors
/// [`ReadError::Empty`] with no header, [`ReadError::Header`] when the
/// named id column is missing, header rows are missing or a whole scale
/// has no item columns, [`ReadError::Csv`]/[`ReadError::Io`] when the
/// header cannot be read.
pub fn open<R: Read>(
    input: R,
    questionnaire: &Questionnaire,
    options: &ReadOptions,
    file: &str,
) -> Result<Opened<R>, ReadError> {
    let (start, input, workbook) = workbook_or_text(input, options, file)?;
    let (encoding, chosen_delimiter) = match workbook {
        Some(_) => (Some(encoding_rs::UTF_8), Some(b',')),
        None => (options.encoding, options.delimiter),
    };
    let (decoded, detected, prefix) = decode::open_prefixed(start, input, encoding);
    let hint = sniff::sep_hint(&prefix).filter(|_| workbook.is_none());
    let delimiter = chosen_delimiter
        .or(hint)
        .unwrap_or_else(|| sniff::delimiter(&prefix));
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(RecordLimit::new(decoded, delimiter, MAX_RECORD_BYTES));
    let mut record = csv::StringRecord::new();
    if hint.is_some() {
        read(&mut csv, &mut record, file, 0)?;
    }
    let mut first = Vec::new();
    let mut ends = Vec::new();
    while first.len() < MAX_HEADER_ROWS
        && read(&mut csv, &mut record, file, first.len() as u64 + 1)?
    {
        if record.len() > MAX_COLUMNS {
            return Err(ReadError::Header {
                file: file.to_string(),
                problem: format!("{} columns", record.len()),
                expected: format!("at most {MAX_COLUMNS} columns"),
            });
        }
        first.push(record.clone());
        ends.push((csv.position().line(), replaced(&csv)));
    }
    let rows: Vec<Vec<String>> = first
        .iter()
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    if rows.is_empty() {
        return Err(ReadError::Empty {
            file: file.to_string(),
        });
    }
    let format = options.format.unwrap_or_else(|| format::detect(&rows));
    let header_rows = format.header_rows(&rows);
    let header_error = |problem: String, expected: String| ReadError::Header {
        file: file.to_string(),
        problem,
        expected,
    };
    if rows.len() < header_rows {
        return Err(header_error(
            format!("{} row(s) in all", rows.len()),
            format!(
                "{header_rows} header rows, as a {} export has",
                format.name()
            ),
        ));
    }
    // A forced multi-row format on a file without its signature would take
    // data rows for header rows: refuse rather than lose candidates.
    let signature = format::detect(&rows);
    if options.format.is_some() && header_rows > 1 && signature != format {
        return Err(header_error(
            format!(
                "--input-format {} was given, but the first rows do not carry that export's header rows (they look like {})",
                format.name(),
                signature.name()
            ),
            format!("the {header_rows} header rows of a {} export, or no --input-format", format.name()),
        ));
    }
    let headers = format::column_headers(format, &rows[..header_rows]);
    let meta = identity::meta_columns(&headers, format);
    let mut pending: VecDeque<Ahead> = (first.split_off(header_rows).into_iter())
        .zip(ends.split_off(header_rows))
        .map(|(record, (end_line, replaced))| Ahead::Record {
            record,
            end_line,
            replaced,
        })
        .collect();
    let header_end_line = ends.last().map_or(0, |&(line, _)| line);
    let hidden = hidden_fields(&headers, format, questionnaire, options);
    let (id, dates) = from_rows_ahead(
        &mut csv,
        &mut pending,
        (&headers, &hidden),
        &meta,
        format,
        options,
    )
    .map_err(|problem| {
        header_error(
            problem,
            "a column with that header, or no --id-column to find one".into(),
        )
    })?;
    let address_ids = options.id_column.is_none() && identity::address_ids(&headers, &id);
    let skip: Vec<usize> = id.column().into_iter().collect();
    let matching = matching::match_columns(&headers, questionnaire, options.map.as_ref(), &skip);
    check_scales(questionnaire, &matching).map_err(|problem| {
        let other_sheet = workbook.as_ref().and_then(Workbook::note);
        header_error(
            problem,
            format!(
                "one column per item, headed by the item id (e.g. {}) or its text, or a --map file{}",
                questionnaire.items().first().map_or("", |i| i.id.as_str()),
                other_sheet.map(|n| format!(" ({n})")).unwrap_or_default()
            ),
        )
    })?;
    let missing_validity = validity_items::unmatched(questionnaire, &matching);
    if !missing_validity.is_empty() && !options.without_validity_items {
        return Err(header_error(
            validity_items::problem(questionnaire, &matching, &missing_validity),
            "a column for every attention and impression-management item (rename the column, or name it in a --map file), \
             or --without-validity-items to score with those checks left out"
                .into(),
        ));
    }
    let layout = Layout {
        fields: headers.len(),
        item_columns: matching
            .matched
            .iter()
            .map(|m| (m.column, m.item))
            .collect(),
        missing_items: matching.missing_items.clone(),
        missing_validity_items: missing_validity,
        ignored_columns: matching.ignored.iter().map(|i| i.header.clone()).collect(),
        meta,
        dates,
        address_ids,
        pad_short_rows: options.pad_short_rows,
        name: identity::name_columns(&headers, id.column()),
        id,
        matching,
        format,
        header_rows,
        encoding: detected.name(),
        encoding_source: detected.source,
        delimiter: char::from(delimiter),
        sep_line: hint.is_some(),
        workbook,
    };
    Ok(Opened {
        csv,
        headers: headers.iter().map(|h| h.display.clone()).collect(),
        pending,
        header_end_line,
        layout,
    })
}

/// The id column and the order of dates: from the options and the header
/// where they say, else from the first data rows, read ahead into `pending`
/// only when needed.
///
/// # Errors
/// The problem text when `--id-column` names no column.
fn from_rows_ahead<R: Read>(
    csv: &mut CsvReader<R>,
    pending: &mut VecDeque<Ahead>,
    (headers, hidden): (&[format::ColumnHeader], &[usize]),
    meta: &MetaColumns,
    format: InputFormat,
    options: &ReadOptions,
) -> Result<(IdSource, Dates), String> {
    let dated = meta.submitted.or(meta.started);
    let id_needs_rows =
        options.id_column.is_none() && identity::needs_rows(headers, format, hidden);
    let whole = if (dated.is_some() && options.date_order.is_none()) || id_needs_rows {
        read_ahead(csv, pending)
    } else {
        true
    };
    let ahead = || pending.iter().filter_map(Ahead::record);
    let id = match options.id_column.as_deref() {
        Some(chosen) => identity::named_id(headers, chosen)?,
        None => identity::choose_id(headers, format, hidden, ahead()),
    };
    let dates = Dates {
        column: dated.map(|c| headers[c].display.clone()),
        reading: match (options.date_order, dated) {
            (Some(order), _) => DateReading::chosen(order),
            (None, Some(c)) => timestamp::decide(ahead().map(|r| r.get(c).unwrap_or(""))),
            (None, None) => timestamp::decide([]),
        },
        first_rows: (!whole).then_some(pending.len()),
    };
    Ok((id, dates))
}

/// Typeform's hidden fields (a link's `?candidate=…`): the columns after the
/// last item column and before the first metadata column (`Response Type`,
/// the dates, `Network ID`), which match no item. Empty for other formats.
fn hidden_fields(
    headers: &[format::ColumnHeader],
    format: InputFormat,
    questionnaire: &Questionnaire,
    options: &ReadOptions,
) -> Vec<usize> {
    if format != InputFormat::Typeform {
        return Vec::new();
    }
    let matching = matching::match_columns(headers, questionnaire, options.map.as_ref(), &[]);
    let Some(last_item) = matching.matched.iter().map(|m| m.column).max() else {
        return Vec::new();
    };
    let metadata = [
        "responsetype",
        "startdateutc",
        "stagedateutc",
        "submitdateutc",
        "networkid",
        "tags",
    ];
    (last_item + 1..headers.len())
        .take_while(|&c| !metadata.contains(&header_names::key(&headers[c].display).as_str()))
        .collect()
}

/// Whether the decoder under `csv` has replaced invalid bytes so far.
fn replaced<R: Read>(csv: &CsvReader<R>) -> bool {
    csv.get_ref().get_ref().replaced_any()
}

/// Reads data rows into `pending` until it holds [`LOOKAHEAD_ROWS`] rows or
/// [`LOOKAHEAD_BYTES`], or the input ends (`true`). A record the parser
/// refuses ends the reading ahead too, and is kept for its turn.
fn read_ahead<R: Read>(csv: &mut CsvReader<R>, pending: &mut VecDeque<Ahead>) -> bool {
    let mut bytes: usize = (pending.iter().filter_map(Ahead::record))
        .map(|r| r.as_slice().len())
        .sum();
    while pending.len() < LOOKAHEAD_ROWS && bytes < LOOKAHEAD_BYTES {
        let mut record = csv::StringRecord::new();
        match csv.read_record(&mut record) {
            Ok(false) => return true,
            Ok(true) => {
                bytes += record.as_slice().len();
                pending.push_back(Ahead::Record {
                    record,
                    end_line: csv.position().line(),
                    replaced: replaced(csv),
                });
            }
            Err(e) => {
                pending.push_back(Ahead::Refused(e));
                return false;
            }
        }
    }
    false
}

/// Blank lines skipped before a record that ended on reader line `end`, when
/// the previous one ended on `previous_end`. The CSV parser skips blank lines
/// silently, but a spreadsheet shows them as rows. Reader lines are counted
/// after each record, so the record began `1 + its inner line breaks` earlier
/// (the decoder has turned CRLF into LF, so the count never lags).
pub fn blank_lines_before(record: &csv::StringRecord, end: u64, previous_end: u64) -> u64 {
    // A record on the line after the previous one (most are) leaves no room
    // for a blank line, whatever it holds: no need to count its line breaks.
    if end <= previous_end + 1 {
        return 0;
    }
    let inside = memchr::memchr_iter(b'\n', record.as_slice().as_bytes()).count();
    end.saturating_sub(inside as u64 + 1)
        .saturating_sub(previous_end)
}

/// Reads one record of the header; `false` at the end of the input.
fn read<R: Read>(
    csv: &mut csv::Reader<R>,
    record: &mut csv::StringRecord,
    file: &str,
    number: u64,
) -> Result<bool, ReadError> {
    csv.read_record(record)
        .map_err(|e| csv_error(file, number, e))
}

/// The scales that have no item column at all, as a problem text.
fn check_scales(questionnaire: &Questionnaire, matching: &Matching) -> Result<(), String> {
    let matched = |item: usize| matching.matched.iter().any(|m| m.item == item);
    let empty: Vec<&str> = (0..questionnaire.scales().len())
        .filter(|&s| !questionnaire.scale_items(s).iter().any(|&i| matched(i)))
        .map(|s| questionnaire.scales()[s].id.as_str())
        .collect();
    if empty.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "no column for any item of scale(s) {}",
            empty.join(", ")
        ))
    }
}

/// The error of a record that cannot be read, as both header and data reading report it.
pub(crate) fn csv_error(file: &str, record: u64, source: csv::Error) -> ReadError {
    ReadError::Csv {
        file: file.to_string(),
        record,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(cells: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(cells.to_vec())
    }

    #[test]
    fn a_typeform_hidden_field_is_the_id_over_the_response_token() {
        // '#' is Typeform's response token; 'applicant' (a hidden field of
        // the form's link) sits after the last item and before the metadata.
        let q = crate::builtin::questionnaire().unwrap();
        let texts: Vec<String> = (q.items().iter())
            .map(|i| format!("\"{}\"", i.text))
            .collect();
        let header = format!(
            "#,{},applicant,Response Type,Start Date (UTC),Submit Date (UTC),Network ID\n",
            texts.join(",")
        );
        let answers = vec!["3"; texts.len()].join(",");
        let rows = format!(
            "tok1,{answers},cand-9,completed,2024-06-10 07:48:07,2024-06-10 08:09:25,653e97acae\n"
        );
        let input = format!("{header}{rows}");
        let opened = open(input.as_bytes(), &q, &ReadOptions::default(), "t.csv").unwrap();
        let layout = opened.layout;
        assert_eq!(layout.format, InputFormat::Typeform);
        assert_eq!(
            layout.id,
            IdSource::Guessed {
                column: texts.len() + 1,
                header: "applicant".into(),
                because: Some(
                    "a Typeform export's '#' numbers the responses, not the people".into()
                ),
            }
        );
    }

    #[test]
    fn blank_lines_are_the_gap_before_a_records_first_line() {
        // Ends on line 5, the previous on line 4: no gap, line breaks or not.
        assert_eq!(blank_lines_before(&record(&["a"]), 5, 4), 0);
        assert_eq!(blank_lines_before(&record(&["x\ny"]), 5, 4), 0);
        // Ends on line 7 after two lines of its own (6 and 7), the previous on 3: lines 4 and 5 blank.
        assert_eq!(blank_lines_before(&record(&["x\ny", "z"]), 7, 3), 2);
        assert_eq!(blank_lines_before(&record(&["a"]), 7, 3), 3);
    }
}
