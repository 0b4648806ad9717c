//! The fast path of `score` for CSV and JSON Lines on stdout: parse on this
//! thread, assess and format on the others ([`servicefit::stream`]), ranked
//! by default or in input order with `--unsorted`.

use std::fs::File;
use std::io::{self, BufWriter, Read};
use std::path::Path;

use super::io::{input_name, open_input, warn, warn_all};
use super::CliError;
use servicefit::assessment::Assessment;
use servicefit::provenance::{HashingReader, InputDigest};
use servicefit::report::{InputRecord, LineFormat, Run};
use servicefit::response::{ReadOptions, ResponseReader};
use servicefit::stream::{score_ranked, score_unsorted, Streamed};

/// Output buffer of the writer thread.
const OUTPUT_BUFFER: usize = 1 << 16;

/// Worker threads: one per core the system offers.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Scores `path` and writes the candidates to stdout in `format`.
pub fn run(
    path: &Path,
    assessment: &Assessment,
    options: &ReadOptions,
    format: LineFormat,
    unsorted: bool,
) -> Result<Streamed, CliError> {
    let name = input_name(path);
    let sink = BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout());
    // Only the JSON Lines `run` record holds the input's SHA-256: a CSV run
    // does not spend the time to hash its input.
    let hashed = format == LineFormat::Jsonl;
    let unhashed = || InputRecord {
        name: name.clone(),
        sha256: String::new(),
        bytes: 0,
    };
    if !unsorted {
        let streamed = if hashed {
            let reader = HashingReader::new(open_input(path)?);
            let mut reader = open(reader, assessment, options, &name)?;
            let input = |hashed: &HashingReader<Box<dyn Read + Send>>| {
                let (sha256, bytes) = hashed.digest();
                InputRecord {
                    name: name.clone(),
                    sha256,
                    bytes,
                }
            };
            let streamed = score_ranked(&mut reader, assessment, input, format, workers(), sink);
            warn_notes(&reader);
            streamed
        } else {
            let mut reader = open(open_input(path)?, assessment, options, &name)?;
            let streamed = score_ranked(
                &mut reader,
                assessment,
                |_| unhashed(),
                format,
                workers(),
                sink,
            );
            warn_notes(&reader);
            streamed
        };
        return Ok(streamed?);
    }
    // The header goes out before the data is read: hash a file in a first
    // pass (stdin cannot be read twice), then read it without hashing again.
    let input = if hashed {
        prehash(path, &name)?.unwrap_or_else(|| {
            warn("--unsorted from stdin: the input's SHA-256 is not known when the output begins, so it is not recorded");
            unhashed()
        })
    } else {
        unhashed()
    };
    let mut reader = open(open_input(path)?, assessment, options, &name)?;
    let run = Run {
        assessment,
        input: &input,
    };
    let streamed = score_unsorted(&mut reader, &run, format, workers(), sink);
    warn_notes(&reader);
    Ok(streamed?)
}

/// Warns about what reading the rows showed.
fn warn_notes<R: Read>(reader: &ResponseReader<'_, R>) {
    warn_all(&reader.notes());
}

/// Resolves the header of `input` and warns about what the layout notes.
fn open<'q, R: Read>(
    input: R,
    assessment: &'q Assessment,
    options: &ReadOptions,
    name: &str,
) -> Result<ResponseReader<'q, R>, CliError> {
    let reader = ResponseReader::new(input, assessment.questionnaire(), options, name)?;
    super::input::warn_layout(reader.layout());
    assessment.note_missing_validity_items(&reader.layout().missing_validity_items);
    Ok(reader)
}

/// The record of a file input, hashed in a first pass; `None` for stdin.
fn prehash(path: &Path, name: &str) -> Result<Option<InputRecord>, CliError> {
    if path == Path::new("-") {
        return Ok(None);
    }
    let file = File::open(path).map_err(|e| format!("cannot open {name}: {e}"))?;
    let mut hashing = HashingReader::new(file);
    io::copy(&mut hashing, &mut io::sink()).map_err(|e| format!("cannot read {name}: {e}"))?;
    let (sha256, bytes) = hashing.digest();
    Ok(Some(InputRecord {
        name: name.to_string(),
        sha256,
        bytes,
    }))
}
