//! Writing a report as a folder of pages: the CLI's [`PageSink`], which puts
//! each page atomically under the output folder and refuses any name that
//! could leave it.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::io::write_atomic;
use super::CliError;
use servicefit::batch::Batch;
use servicefit::report::{self, Format, PageSink, Run};

/// Pages go under `dir`, each written atomically.
struct FolderSink {
    dir: PathBuf,
    written: BTreeSet<PathBuf>,
}

/// A name segment the report module promises: `[A-Za-z0-9._-]+`, not `.` or `..`.
fn safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

impl PageSink for FolderSink {
    fn page(
        &mut self,
        name: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut path = self.dir.clone();
        for segment in name.split('/') {
            if !safe_segment(segment) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("page name '{name}' would leave the output folder"),
                ));
            }
            path.push(segment);
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_atomic(&path, |out| write(out)).map_err(|e| io::Error::other(e.to_string()))?;
        self.written.insert(path);
        Ok(())
    }
}

/// Writes the index and a page per candidate into `dir`, for the formats
/// that make pages, then removes report pages an earlier run left there: a
/// reused folder must not mix candidates of two runs (nor keep people's
/// reports longer than asked).
pub fn write_pages(
    dir: &Path,
    run: &Run<'_>,
    batch: &Batch,
    format: Format,
) -> Result<(), CliError> {
    let mut sink = FolderSink {
        dir: dir.to_path_buf(),
        written: BTreeSet::new(),
    };
    let made_pages = match format.site_writer(&mut sink) {
        Some(mut writer) => {
            report::write_all(writer.as_mut(), run, batch)?;
            true
        }
        None => false,
    };
    if made_pages {
        say!(
            "wrote index.{ext} and {} candidate page(s) in {}/ to {}",
            sink.written.len().saturating_sub(1),
            report::CANDIDATE_FOLDER,
            dir.display(),
            ext = format.extension()
        );
    }
    remove_stale_pages(dir, &sink.written)
}

/// Removes `index.html`, `index.md` and candidate pages in `dir` not in `keep`.
fn remove_stale_pages(dir: &Path, keep: &BTreeSet<PathBuf>) -> Result<(), CliError> {
    let is_page = |path: &Path| {
        path.is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("html" | "md")
            )
    };
    let mut stale: Vec<PathBuf> = ["index.html", "index.md"]
        .iter()
        .map(|n| dir.join(n))
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join(report::CANDIDATE_FOLDER)) {
        stale.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
    }
    stale.retain(|p| is_page(p) && !keep.contains(p));
    for path in &stale {
        std::fs::remove_file(path)
            .map_err(|e| format!("cannot remove the old page {}: {e}", path.display()))?;
    }
    if !stale.is_empty() {
        say!(
            "removed {} report page(s) of an earlier run from {}",
            stale.len(),
            dir.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_segments_pass() {
        assert!(safe_segment("ann-lee_2.html"));
        for bad in ["", ".", "..", "a/b", "a\\b", "é", "a b"] {
            assert!(!safe_segment(bad), "{bad}");
        }
    }
}
