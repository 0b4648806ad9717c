//! Shared by the toolkit's subcommands (analyze, norms, profile calibrate,
//! validate-criterion): the arguments naming a staff data file, opening it
//! for the two in-step readers, listing rejected rows, and report tables.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::io::{input_name, open_input, warn, warn_all};
use super::overwrite::Inputs;
use super::CliError;
use servicefit::analysis::dataset::{Columns, Record, StaffReader};
use servicefit::assessment::Sourced;
use servicefit::bounds::RATING;
use servicefit::data;
use servicefit::ingest::duplicate::key;
use servicefit::limits::{RecordLimit, MAX_RECORD_BYTES};
use servicefit::provenance::{HashingReader, InputDigest};
use servicefit::questionnaire::Questionnaire;
use servicefit::response::{ReadOptions, Rejection};
use servicefit::text::terminal;

/// A staff file, hashed as it is read.
pub type Reader<'q> = StaffReader<'q, HashingReader<Box<dyn Read + Send>>>;

/// The staff data file and how to read it.
#[derive(Debug, clap::Args)]
pub struct StaffArgs {
    /// Response CSV (or .xlsx/.xls/.ods) of staff: an id column, one column per item id (plus any group or rating columns); `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
    /// Questionnaire file (JSON) instead of the built-in SFQ 2.0.
    #[arg(long, value_name = "PATH")]
    pub questionnaire: Option<PathBuf>,
    /// Name of the column holding respondent ids.
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// Field delimiter of the input (one character; `\t` for tab).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Sheet to read when the input is a spreadsheet (.xlsx, .xls, .ods); the first when not given.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Minimum share of a scale's items answered for a scale score (0..1 or a percentage; default: the questionnaire's).
    #[arg(long, value_name = "SHARE", value_parser = super::input::share)]
    pub min_answered: Option<f64>,
    /// Read a row with fewer fields than the header as if its last fields were empty (as `score`).
    #[arg(long)]
    pub pad_short_rows: bool,
}

/// A report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned plain-text tables for the terminal.
    Text,
    /// Markdown, to paste into a report for a client.
    Markdown,
    /// JSON, for other programs.
    Json,
}

/// Everything read from a staff file.
pub struct Staff {
    /// The questionnaire in use.
    pub questionnaire: Sourced<Questionnaire>,
    /// Usable rows.
    pub records: Vec<Record>,
    /// Rejected rows.
    pub rejections: Vec<Rejection>,
    /// The input's name in messages.
    pub name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The missing-data rule in force.
    pub min_share: f64,
}

impl StaffArgs {
    /// The questionnaire and the resolved missing-data rule.
    pub fn questionnaire(&self) -> Result<(Sourced<Questionnaire>, f64), CliError> {
        let q = data::questionnaire(self.questionnaire.as_deref())?;
        let share = self.min_answered.unwrap_or(q.value.min_answered_share());
        if !(0.0..=1.0).contains(&share) {
            return Err(format!("--min-answered {share}: expected a share from 0 to 1").into());
        }
        Ok((q, share))
    }

    /// The files read: the staff file and the questionnaire.
    pub fn inputs(&self) -> Inputs {
        Inputs::new(
            [Some(&self.input), self.questionnaire.as_ref()]
                .into_iter()
                .flatten()
                .map(PathBuf::as_path),
        )
    }

    /// Opens the file (`-` = stdin).
    pub fn open<'q>(
        &self,
        questionnaire: &'q Questionnaire,
        columns: &Columns,
    ) -> Result<Reader<'q>, CliError> {
        let input = open_input(&self.input)?;
        // Encoding, delimiter, export format and duplicates are detected as for `score`.
        let options = ReadOptions {
            id_column: self.id_column.clone(),
            delimiter: super::input::parse_delimiter(self.delimiter.as_deref())?,
            pad_short_rows: self.pad_short_rows,
            sheet: self.sheet.clone(),
            ..ReadOptions::default()
        };
        Ok(StaffReader::new(
            HashingReader::new(input),
            questionnaire,
            &options,
            columns,
            &input_name(&self.input),
        )?)
    }

    /// Reads the whole file into memory (calibration needs every incumbent at once).
    pub fn read_all(&self, columns: &Columns) -> Result<Staff, CliError> {
        let (questionnaire, min_share) = self.questionnaire()?;
        let mut reader = self.open(&questionnaire.value, columns)?;
        let (mut records, mut rejections) = (Vec::new(), Vec::new());
        while let Some(row) = reader.next_record()? {
            match row {
                Ok(record) => records.push(record),
                Err(rejection) => rejections.push(rejection),
            }
        }
        let (sha256, _) = reader.input().digest();
        warn_all(&reader.notes());
        drop(reader);
        Ok(Staff {
            questionnaire,
            records,
            rejections,
            name: input_name(&self.input),
            sha256,
            min_share,
        })
    }
}

/// Lists rejected rows on stderr (the first few in full).
pub fn report_rejections(file: &str, rejections: &[Rejection]) {
    super::io::print_rejections(file, rejections, "fix them and run again");
}

/// A table as aligned text or as Markdown.
pub fn table(format: ReportFormat, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    if format == ReportFormat::Markdown {
        out.push_str(&format!("| {} |\n", headers.join(" | ")));
        out.push_str(&format!(
            "|{}\n",
            headers.iter().map(|_| "---|").collect::<String>()
        ));
        for row in rows {
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
        return out;
    }
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .chain([headers[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}", w = *w))
            .collect();
        format!("  {}\n", padded.join("  "))
    };
    out.push_str(&line(headers.to_vec()));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// A heading: `# text` in Markdown, the text underlined in plain text.
pub fn heading(format: ReportFormat, level: usize, text: &str) -> String {
    match format {
        ReportFormat::Markdown => format!("{} {text}\n", "#".repeat(level)),
        _ => {
            let rule = if level == 1 { '=' } else { '-' };
            format!(
                "{text}\n{}\n",
                rule.to_string().repeat(text.chars().count())
            )
        }
    }
}

/// A number with fixed decimals, or `–` when missing.
pub fn num(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => "–".into(),
    }
}

/// Where the performance ratings are, and the norms that give incumbents' stens.
#[derive(Debug, clap::Args)]
pub struct RatingArgs {
    /// The rating: a column of FILE, or a CSV file of two columns (the id column and the rating), joined by id.
    #[arg(long, value_name = "COLUMN|FILE")]
    pub performance: String,
    /// Norms file giving the incumbents' stens (best: local norms from `norms build`); default: built-in provisional norms.
    #[arg(long, value_name = "PATH")]
    pub norms: Option<PathBuf>,
    /// Norm group to use (default: the norms file's first group).
    #[arg(long, value_name = "ID")]
    pub norm_group: Option<String>,
}

impl RatingArgs {
    /// Adds the files read (the norms, a ratings file) to `inputs`.
    pub fn add_inputs(&self, inputs: &mut Inputs) {
        if let Some(norms) = &self.norms {
            inputs.add(norms);
        }
        if self.is_file() {
            inputs.add(Path::new(&self.performance));
        }
    }

    /// Whether `--performance` names a file rather than a column.
    fn is_file(&self) -> bool {
        let path = Path::new(&self.performance);
        path.is_file()
            && (self.performance.contains(['/', '\\']) || self.performance.ends_with(".csv"))
    }

    /// Reads the staff file with each row's rating (and the `group` column's
    /// value, when one is named); rows without a rating are rejected.
    pub fn read(&self, staff: &StaffArgs, group: Option<&str>) -> Result<Staff, CliError> {
        let group = group.map(String::from);
        if !self.is_file() {
            let columns = Columns {
                group,
                performance: Some(self.performance.clone()),
            };
            return staff.read_all(&columns);
        }
        let ratings = read_ratings(Path::new(&self.performance), staff.id_column.as_deref())?;
        let mut data = staff.read_all(&Columns {
            group,
            performance: None,
        })?;
        warn_unmatched(&ratings, &data, &self.performance);
        let (mut kept, mut rejected) = (Vec::new(), Vec::new());
        for mut record in data.records {
            match ratings.get(key(&record.id).as_ref()) {
                Some(&rating) => {
                    record.performance = Some(rating);
                    kept.push(record);
                }
                None => rejected.push(Rejection::row_problem(
                    record.row,
                    Some(record.id.clone()),
                    format!(
                        "no usable rating for id '{}' in {}",
                        record.id, self.performance
                    ),
                )),
            }
        }
        data.records = kept;
        data.rejections.extend(rejected);
        data.rejections.sort_by_key(|r| r.row);
        Ok(data)
    }
}

/// Warns about ratings of ids the staff file has no row for (a typo in an
/// id, or a person who left before answering): each row without a rating is
/// listed, and so should be each rating without a row.
fn warn_unmatched(ratings: &HashMap<String, f64>, staff: &Staff, file: &str) {
    let ids: HashSet<Cow<str>> = (staff.records.iter().map(|r| key(&r.id)))
        .chain(
            staff
                .rejections
                .iter()
                .filter_map(|r| r.id.as_deref().map(key)),
        )
        .collect();
    let unmatched = ratings
        .keys()
        .filter(|id| !ids.contains(id.as_str()))
        .count();
    if unmatched > 0 {
        warn(&format!(
            "{unmatched} id(s) rated in {file} have no row in the staff file; their ratings are not used"
        ));
    }
}

/// Reads `id,rating` pairs; rows with an empty id or a non-numeric rating are
/// reported and left out (their ids then count as unrated).
fn read_ratings(path: &Path, id_column: Option<&str>) -> Result<HashMap<String, f64>, CliError> {
    let name = input_name(path);
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(RecordLimit::new(open_input(path)?, b',', MAX_RECORD_BYTES));
    let headers: Vec<String> = csv
        .headers()?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let wanted = id_column.unwrap_or(servicefit::response::DEFAULT_ID_COLUMN);
    let id = headers.iter().position(|h| h.eq_ignore_ascii_case(wanted));
    let (Some(id), 2) = (id, headers.len()) else {
        return Err(format!(
            "{name}: header {headers:?}; expected two columns, the id column '{wanted}' and the rating"
        )
        .into());
    };
    let mut ratings = HashMap::new();
    for (i, row) in csv.records().enumerate() {
        let row = row?;
        let id_key = key(row.get(id).unwrap_or("")).into_owned();
        let value = row.get(1 - id).unwrap_or("").trim();
        match value.parse::<f64>() {
            Ok(v) if RATING.contains(v) && !id_key.is_empty() => {
                if ratings.insert(id_key.clone(), v).is_some() {
                    return Err(format!(
                        "{name}: id '{id_key}' rated twice; expected one rating per id"
                    )
                    .into());
                }
            }
            _ => say!(
                "{}",
                terminal(&format!(
                    "{name} row {}: '{id_key}', '{value}': expected an id and {}; skipped",
                    i + 2,
                    RATING.words()
                ))
            ),
        }
    }
    Ok(ratings)
}
