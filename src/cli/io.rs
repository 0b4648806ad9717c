//! Opening inputs (`-` = stdin) and outputs (`-`/none = stdout, files written
//! atomically), and printing errors with their chain.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::time::Duration;

use fs4::fs_std::FileExt;
use servicefit::provenance::HashingWriter;
use servicefit::text::terminal_lines;

use super::overwrite::Inputs;
use super::CliError;

/// Opens `path` for reading; `-` is stdin.
pub fn open_input(path: &Path) -> Result<Box<dyn Read + Send>, CliError> {
    if path == Path::new("-") {
        // Not `stdin().lock()`: the score path's workers take turns reading, so the reader must be `Send`.
        Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())))
    } else {
        let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
    }
}

/// The name of an input in messages.
pub fn input_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// Writes a file atomically: everything goes to a temporary file in the same
/// folder, which is renamed over `path` only when `write` succeeded.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> Result<(), CliError> {
    write_atomic_hashed(path, write).map(drop)
}

/// [`write_atomic`], returning the hex SHA-256 of the bytes written.
///
/// The temporary file is named [`TEMP_PREFIX`]… and locked while it is
/// written, so that [`remove_stale_temps`] can tell one an interrupted run
/// left (unlocked) from one a live run is writing.
pub fn write_atomic_hashed(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> Result<String, CliError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    // A lock that cannot be taken (a file system without locks) only makes
    // the file look stale to a later run once it is old: not worth failing for.
    let _ = temp.as_file().try_lock_exclusive();
    let sha256 = fill(path, temp.as_file_mut(), write)?;
    readable_by_others(temp.as_file())?;
    temp.persist(path)
        .map_err(|e| format!("cannot write {}: {}", path.display(), e.error))?;
    Ok(sha256)
}

/// Writes through a buffer into `file`, naming `path` in any error,
/// including one of the last flush (a full disk shows there for a small file).
fn fill(
    path: &Path,
    file: impl Write + Send,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> Result<String, CliError> {
    let named = |e: io::Error| format!("cannot write {}: {e}", path.display());
    let mut out = BufWriter::new(HashingWriter::new(file));
    write(&mut out).map_err(named)?;
    out.flush().map_err(named)?;
    Ok(out.get_ref().sha256())
}

/// How the temporary files of [`write_atomic`] begin.
pub const TEMP_PREFIX: &str = ".servicefit-tmp-";

/// A temporary file younger than this is never removed as stale: it may be
/// a live run's between its creation and its lock.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// Removes the temporary files of ours that an interrupted run left in
/// `dir`: named [`TEMP_PREFIX`]…, unlocked, and a minute old. Anything else
/// is left alone. Returns how many were removed.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let stale = |path: &Path| {
        let Ok(file) = File::open(path) else {
            return false;
        };
        let old = (file.metadata().and_then(|m| m.modified()))
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age >= STALE_AFTER));
        old && file.try_lock_exclusive().unwrap_or(false)
    };
    let removed = (entries.filter_map(Result::ok))
        .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
        .map(|e| e.path())
        .filter(|path| path.is_file() && stale(path))
        .filter(|path| std::fs::remove_file(path).is_ok())
        .count();
    if removed > 0 {
        say!(
            "removed {removed} temporary file(s) an interrupted run left in {}",
            dir.display()
        );
    }
    removed
}

/// Before a run writes `outputs`: refuses any that would replace one of
/// `inputs`, and removes the temporary files an interrupted run left beside them.
pub fn prepare_outputs(inputs: &Inputs, outputs: &[&Path]) -> Result<(), CliError> {
    inputs.refuse_all(outputs.iter().copied())?;
    for output in outputs.iter().filter(|o| **o != Path::new("-")) {
        let dir = output.parent().filter(|p| !p.as_os_str().is_empty());
        remove_stale_temps(dir.unwrap_or(Path::new(".")));
    }
    Ok(())
}

/// Gives a finished output the usual `rw-r--r--` mode: temporary files are
/// created private (0600), which would hide reports from a web server or colleague.
#[cfg(unix)]
fn readable_by_others(file: &std::fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn readable_by_others(_file: &std::fs::File) -> io::Result<()> {
    Ok(())
}

/// Whether stderr is a terminal and colour is allowed (`NO_COLOR` unset).
pub fn stderr_colour() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether stdout is a terminal and colour is allowed (`NO_COLOR` unset).
pub fn stdout_colour() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints a warning on stderr. Like every message, it may quote user text
/// (ids, group values, file names), so it is made safe for a terminal.
pub fn warn(message: &str) {
    let message = terminal_lines(message);
    if stderr_colour() {
        say!("\x1b[33mwarning:\x1b[0m {message}");
    } else {
        say!("warning: {message}");
    }
}

/// The label of an error message on stderr.
fn error_label() -> &'static str {
    if stderr_colour() {
        "\x1b[31merror:\x1b[0m"
    } else {
        "error:"
    }
}

/// Prints an error message on stderr, for a run that ends with one but not through an `Err`.
pub fn error(message: &str) {
    say!("{} {}", error_label(), terminal_lines(message));
}

/// Prints each of `notes` as a warning.
pub fn warn_all(notes: &[String]) {
    notes.iter().for_each(|n| warn(n));
}

/// Prints an error and its chain of causes on stderr.
pub fn print_error(error: &(dyn std::error::Error + 'static)) {
    say!("{} {}", error_label(), terminal_lines(&error.to_string()));
    let mut source = error.source();
    while let Some(cause) = source {
        say!("  caused by: {}", terminal_lines(&cause.to_string()));
        source = cause.source();
    }
}

/// Whether the error is (or is caused by) a closed pipe, which is not an error for a CLI.
///
/// A closed pipe can arrive wrapped: an `io::Error` holding a csv or
/// serde_json error holding the `io::Error`, so each layer is looked into.
pub fn is_broken_pipe(error: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(e) = error.downcast_ref::<io::Error>() {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return true;
        }
        if let Some(inner) = e.get_ref() {
            return is_broken_pipe(inner);
        }
    }
    if let Some(csv::ErrorKind::Io(e)) = error.downcast_ref::<csv::Error>().map(csv::Error::kind) {
        return e.kind() == io::ErrorKind::BrokenPipe;
    }
    if let Some(e) = error.downcast_ref::<serde_json::Error>() {
        return e.io_error_kind() == Some(io::ErrorKind::BrokenPipe);
    }
    error.source().is_some_and(is_broken_pipe)
}

/// Lines printed for one problem (the same reason, e.g. one unknown label)
/// before its other occurrences are only counted.
const SHOWN_PER_PROBLEM: usize = 3;
/// Problem lines printed in all before the rest are only counted.
const SHOWN_LINES: usize = 20;
/// Problems whose uncounted occurrences get a line of their own.
const SUMMED_PROBLEMS: usize = 10;

/// Lists rejected (and superseded) rows on stderr: file, row, id, column and
/// reason, with user text made printable; `more` says where the rest are.
/// A file whose every row has the same bad label has hundreds of problems
/// of one kind: each problem is shown a few times, then counted in one
/// line, so that the list stays readable and the different problems all
/// show (rejects.csv lists every one).
pub fn print_rejections(file: &str, rejections: &[servicefit::response::Rejection], more: &str) {
    let mut problems = Problems::default();
    for rejection in rejections {
        for problem in &rejection.problems {
            if problems.shows(&problem.reason, rejection.row) {
                print_problem(file, rejection, problem);
            }
        }
    }
    let mut lines = problems.hidden_lines(file);
    if let Some(last) = lines.last_mut() {
        last.push_str(&format!(" ({more})"));
    }
    lines.iter().for_each(|line| say!("{line}"));
}

/// One line of [`print_rejections`].
fn print_problem(
    file: &str,
    rejection: &servicefit::response::Rejection,
    problem: &servicefit::response::CellProblem,
) {
    use servicefit::text::printable;
    // A superseded row's reason begins "superseded by row …": saying it twice reads badly.
    let what = if rejection.superseded_by.is_some() {
        ""
    } else {
        "rejected "
    };
    let id = rejection
        .id
        .as_deref()
        .map(|i| format!(" ({})", printable(i, 40)))
        .unwrap_or_default();
    let column = problem
        .column
        .as_deref()
        .map(|c| format!(", column {}", printable(c, 60)))
        .unwrap_or_default();
    say!(
        "{file}: {what}row {}{id}{column}: {}",
        rejection.row,
        printable(&problem.reason, 300)
    );
}

/// The problems of [`print_rejections`] by reason, in order of first
/// appearance: how often each was printed, and how often only counted.
#[derive(Default)]
struct Problems<'r> {
    kinds: Vec<(&'r str, Kind)>,
    index: std::collections::HashMap<&'r str, usize>,
    /// Lines printed so far.
    lines: usize,
}

/// How often one reason was printed and counted.
#[derive(Default)]
struct Kind {
    shown: usize,
    hidden: usize,
    /// Rows among the hidden occurrences, and the last of them.
    rows: usize,
    last_row: Option<u64>,
}

impl<'r> Problems<'r> {
    /// Whether an occurrence of `reason` in `row` is to be printed; counts it either way.
    fn shows(&mut self, reason: &'r str, row: u64) -> bool {
        let next = self.kinds.len();
        let index = *self.index.entry(reason).or_insert(next);
        if index == next {
            self.kinds.push((reason, Kind::default()));
        }
        let kind = &mut self.kinds[index].1;
        if kind.shown < SHOWN_PER_PROBLEM && self.lines < SHOWN_LINES {
            kind.shown += 1;
            self.lines += 1;
            return true;
        }
        kind.hidden += 1;
        if kind.last_row != Some(row) {
            kind.last_row = Some(row);
            kind.rows += 1;
        }
        false
    }

    /// The lines that count what was not printed: one for each of the
    /// first problems, then one for the rest.
    fn hidden_lines(&self, file: &str) -> Vec<String> {
        use servicefit::text::printable;
        let mut hidden = self.kinds.iter().filter(|(_, k)| k.hidden > 0);
        let mut lines: Vec<String> = (hidden.by_ref().take(SUMMED_PROBLEMS))
            .map(|(reason, kind)| {
                let again = if kind.shown > 0 {
                    "the same problem "
                } else {
                    ""
                };
                let more = if kind.shown > 0 { " more" } else { "" };
                format!(
                    "{file}: ... and {again}{}{more} time(s), in {} row(s): {}",
                    kind.hidden,
                    kind.rows,
                    printable(reason, 300)
                )
            })
            .collect();
        let times: usize = hidden.map(|(_, k)| k.hidden).sum();
        if times > 0 {
            lines.push(format!("{file}: ... and {times} other problem(s)"));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A disk that is full: every write fails.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_names_the_file() {
        let path = Path::new("out/candidates/ann.html");
        // A small page fits the buffer: the disk's error comes at the last flush.
        let small = fill(path, Full, |out| out.write_all(b"<p>ann</p>")).unwrap_err();
        assert_eq!(
            small.to_string(),
            "cannot write out/candidates/ann.html: no space left"
        );
        let large = fill(path, Full, |out| out.write_all(&[b'x'; 1 << 16])).unwrap_err();
        assert!(large
            .to_string()
            .starts_with("cannot write out/candidates/ann.html"));
    }

    #[test]
    fn a_written_file_reports_its_sha256() {
        let sha256 = fill(Path::new("x"), Vec::new(), |out| out.write_all(b"abc")).unwrap();
        assert_eq!(sha256, servicefit::provenance::sha256_hex(b"abc"));
    }
}
