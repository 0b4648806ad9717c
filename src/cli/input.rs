//! How `score` and `compare` read and score a response file. One set of
//! options, flattened into both commands, so that the same file with the same
//! options gives the same candidates in both: a reading option added to one
//! command cannot be missing from the other.

use std::path::PathBuf;

use super::io::{input_name, open_input, warn_all};
use super::CliError;
use servicefit::ingest::decode::encoding_for_label;
use servicefit::ingest::duplicate::DuplicatePolicy;
use servicefit::ingest::format::InputFormat;
use servicefit::ingest::matching::ColumnMap;
use servicefit::ingest::timestamp::DateOrder;
use servicefit::limits::{read_to_string_capped, MAX_DATA_FILE_BYTES};
use servicefit::questionnaire::Questionnaire;
use servicefit::response::{Layout, ReadOptions};

/// Options for reading and scoring the rows of a response file.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Name of the column holding candidate ids [default: a column headed as an id (candidate_id,
    /// Employee ID, ...), else one that identifies the person (an e-mail address, custom data, a
    /// token) rather than a tool's response counter; a warning names the column chosen].
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// Field delimiter of the input (one character; `\t` for tab); sniffed when not given.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Text encoding of the input (utf-8, windows-1252, utf-16le, ...); detected when not given.
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Export format; detected from the header when not given.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
    /// Two-column CSV mapping column headers to item ids (column,item).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// What to do when a candidate id appears on several rows [default: latest; keep-all with `score --unsorted`].
    #[arg(long, value_enum)]
    pub duplicates: Option<DuplicatesArg>,
    /// How to read dates such as 05/07/2024 in the submission and start times: dmy (5 July) or
    /// mdy (May 7); decided from the file's dates when not given (docs/FORMATS.md, "Dates").
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,
    /// Sheet to read when the input is a spreadsheet (.xlsx, .xls, .ods); the first when not given.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Minimum share of a scale's items answered for a score (0..1 or a percentage; 0 = one item suffices).
    #[arg(long, value_name = "SHARE", value_parser = share)]
    pub min_answered: Option<f64>,
    /// Read a row with fewer fields than the header as if its last fields were empty, for tools
    /// that drop trailing empty cells (without it such a row is rejected: its answers may have shifted).
    #[arg(long)]
    pub pad_short_rows: bool,
    /// Score even when an attention or impression-management item has no column (refused
    /// otherwise: those items are what the validity checks rest on); every result then says
    /// which checks were not possible.
    #[arg(long)]
    pub without_validity_items: bool,
}

/// The values of `--input-format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum InputFormatArg {
    Generic,
    GoogleForms,
    MicrosoftForms,
    Surveymonkey,
    Qualtrics,
    QualtricsLegacy,
    Limesurvey,
    Typeform,
}

impl From<InputFormatArg> for InputFormat {
    fn from(arg: InputFormatArg) -> InputFormat {
        match arg {
            InputFormatArg::Generic => InputFormat::Generic,
            InputFormatArg::GoogleForms => InputFormat::GoogleForms,
            InputFormatArg::MicrosoftForms => InputFormat::MicrosoftForms,
            InputFormatArg::Surveymonkey => InputFormat::SurveyMonkey,
            InputFormatArg::Qualtrics => InputFormat::Qualtrics,
            InputFormatArg::QualtricsLegacy => InputFormat::QualtricsLegacy,
            InputFormatArg::Limesurvey => InputFormat::LimeSurvey,
            InputFormatArg::Typeform => InputFormat::Typeform,
        }
    }
}

/// The values of `--duplicates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DuplicatesArg {
    KeepAll,
    Latest,
    Reject,
}

impl From<DuplicatesArg> for DuplicatePolicy {
    fn from(arg: DuplicatesArg) -> DuplicatePolicy {
        match arg {
            DuplicatesArg::KeepAll => DuplicatePolicy::KeepAll,
            DuplicatesArg::Latest => DuplicatePolicy::Latest,
            DuplicatesArg::Reject => DuplicatePolicy::Reject,
        }
    }
}

/// The values of `--date-order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DateOrderArg {
    /// Day first: 05/07/2024 is 5 July.
    Dmy,
    /// Month first: 05/07/2024 is May 7.
    Mdy,
}

impl From<DateOrderArg> for DateOrder {
    fn from(arg: DateOrderArg) -> DateOrder {
        match arg {
            DateOrderArg::Dmy => DateOrder::DayFirst,
            DateOrderArg::Mdy => DateOrder::MonthFirst,
        }
    }
}

impl InputArgs {
    /// The reader's options; `unsorted` is `score --unsorted`, which writes
    /// each candidate as soon as it is scored and so cannot wait for a later
    /// submission of the same id.
    pub fn read_options(
        &self,
        questionnaire: &Questionnaire,
        unsorted: bool,
    ) -> Result<ReadOptions, CliError> {
        let encoding = match self.encoding.as_deref() {
            None => None,
            Some(label) => Some(encoding_for_label(label).ok_or_else(|| {
                format!("--encoding '{label}': unknown encoding; expected e.g. utf-8, windows-1252, utf-16le")
            })?),
        };
        let map = match &self.map {
            None => None,
            Some(path) => Some(ColumnMap::from_reader(
                read_to_string_capped(open_input(path)?, MAX_DATA_FILE_BYTES)
                    .map_err(|e| format!("cannot read {}: {e}", input_name(path)))?
                    .as_bytes(),
                questionnaire,
                &input_name(path),
            )?),
        };
        Ok(ReadOptions {
            id_column: self.id_column.clone(),
            delimiter: parse_delimiter(self.delimiter.as_deref())?,
            encoding,
            format: self.input_format.map(InputFormat::from),
            map,
            duplicates: self.duplicates(unsorted)?,
            date_order: self.date_order.map(DateOrder::from),
            pad_short_rows: self.pad_short_rows,
            sheet: self.sheet.clone(),
            without_validity_items: self.without_validity_items,
        })
    }

    /// The duplicate policy: as asked, else latest, or keep-all when streaming unsorted.
    fn duplicates(&self, unsorted: bool) -> Result<DuplicatePolicy, CliError> {
        match (self.duplicates, unsorted) {
            (None, false) => Ok(DuplicatePolicy::Latest),
            (None, true) | (Some(DuplicatesArg::KeepAll), _) => Ok(DuplicatePolicy::KeepAll),
            (Some(policy), false) => Ok(policy.into()),
            (Some(_), true) => Err("--unsorted writes each candidate as soon as it is scored, so it cannot wait for a later row of the same id: use --duplicates keep-all (the default with --unsorted), or rank without --unsorted".into()),
        }
    }
}

/// Warns about what the reader guessed from the header and the first rows
/// (encoding, id column, order of dates, missing items), so the user can
/// correct it before trusting the run.
pub fn warn_layout(layout: &Layout) {
    warn_all(&layout.notes());
}

pub(super) fn parse_delimiter(text: Option<&str>) -> Result<Option<u8>, CliError> {
    match text {
        None => Ok(None),
        Some("\\t" | "tab") => Ok(Some(b'\t')),
        Some(s) if s.len() == 1 && s.is_ascii() => Ok(Some(s.as_bytes()[0])),
        Some(s) => Err(format!(
            "--delimiter '{s}': expected one ASCII character, e.g. ';' or '\\t'"
        )
        .into()),
    }
}

/// A finite number: the value parser of every option that takes a number,
/// directly or through [`share`]. Rust reads `nan`, `inf` and `1e400` (as
/// infinity) as numbers, and NaN passes every range check written as
/// `x < low || x > high`, so they are refused here, once.
pub fn number(text: &str) -> Result<f64, String> {
    let text = text.trim();
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("'{text}': expected a finite number, e.g. 0.7"))
}

/// A share given as a fraction (`0.8`) or a percentage (`80%`): the value
/// parser of every option that takes a share or a level, so that each reads
/// both ways. Whether the share is in range is for the option to say.
pub fn share(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let value = match text.strip_suffix('%') {
        Some(percent) => number(percent).map(|p| p / 100.0),
        None => number(text),
    };
    value.map_err(|_| format!("'{text}': expected a share such as 0.8 or a percentage such as 80%"))
}
