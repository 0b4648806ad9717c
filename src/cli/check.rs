//! `servicefit check`: validate questionnaire, norm and profile files and
//! their consistency, printing every problem.

use std::io::Write;
use std::path::PathBuf;

use super::io::input_name;
use super::{CliError, EXIT_ERROR, EXIT_OK};
use servicefit::check::check_files;
use servicefit::limits::{read_to_string_capped, MAX_DATA_FILE_BYTES};
use servicefit::text::terminal;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Questionnaire, norms and profile files (JSON); the kind is told from the fields.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
}

/// Runs `check`: exit 0 when every file is good, 2 on any problem.
pub fn run(args: Args) -> Result<u8, CliError> {
    let mut out = std::io::stdout().lock();
    let mut files = Vec::new();
    let mut unreadable = 0;
    for path in &args.paths {
        // Within the data-file size limit, as every loader reads (docs/FORMATS.md, "Size limits").
        let text = std::fs::File::open(path)
            .and_then(|file| read_to_string_capped(file, MAX_DATA_FILE_BYTES));
        match text {
            Ok(text) => files.push((input_name(path), text)),
            Err(e) => {
                let line = format!("{}: cannot read: {e}", input_name(path));
                writeln!(out, "{}", terminal(&line))?;
                unreadable += 1;
            }
        }
    }
    let fallback = servicefit::builtin::questionnaire()?;
    let report = check_files(&files, &fallback);
    for p in &report.problems {
        // File names, keys and values quoted come from the user's files.
        let line = format!(
            "{}: {}: found {}; expected {}",
            p.file, p.problem.path, p.problem.found, p.problem.expected
        );
        writeln!(out, "{}", terminal(&line))?;
    }
    let problems = report.problems.len() + unreadable;
    if problems == 0 {
        let kinds: Vec<String> = report
            .files
            .iter()
            .map(|(f, k)| format!("{f} ({})", k.map_or("?", |k| k.name())))
            .collect();
        let line = format!("ok: {} files: {}", report.files.len(), kinds.join(", "));
        writeln!(out, "{}", terminal(&line))?;
        Ok(EXIT_OK)
    } else {
        say!("{problems} problem(s) in {} file(s)", args.paths.len());
        Ok(EXIT_ERROR)
    }
}
