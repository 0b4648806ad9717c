//! Writing a report as a folder of pages: the CLI's [`PageSink`], which puts
//! each page atomically under the output folder and refuses any name that
//! could leave it.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::io::{warn, write_atomic};
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
/// that make pages, then removes the pages (and the optional results file)
/// an earlier run left there and this one did not write, `written` being
/// the optional files this run wrote besides the pages: a reused folder must
/// not mix candidates of two runs (nor keep people's reports longer than asked).
pub fn write_pages(
    dir: &Path,
    run: &Run<'_>,
    batch: &Batch,
    format: Format,
    written: &[PathBuf],
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
    sink.written.extend(written.iter().cloned());
    remove_stale_pages(dir, &sink.written)
}

/// The list of pages the last run wrote, in the output folder: a later run
/// removes the pages it lists and no longer writes, and never a file it does
/// not list, which may be the user's own (notes saved beside the reports).
const MANIFEST: &str = ".servicefit-pages";

/// Removes the pages the previous run's manifest lists that are not in
/// `keep`, then lists `keep` as this run's pages.
fn remove_stale_pages(dir: &Path, keep: &BTreeSet<PathBuf>) -> Result<(), CliError> {
    let manifest = dir.join(MANIFEST);
    let Ok(listed) = std::fs::read_to_string(&manifest) else {
        warn_unlisted(dir, keep);
        return write_manifest(dir, keep);
    };
    let stale: Vec<PathBuf> = (listed.lines())
        .filter(|name| is_page_name(name))
        .map(|name| dir.join(name))
        .filter(|path| path.is_file() && !keep.contains(path))
        .collect();
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
    write_manifest(dir, keep)
}

/// Lists `keep` as this run's pages.
fn write_manifest(dir: &Path, keep: &BTreeSet<PathBuf>) -> Result<(), CliError> {
    let manifest = dir.join(MANIFEST);
    let names: Vec<String> = (keep.iter())
        .filter_map(|path| path.strip_prefix(dir).ok())
        .filter_map(|name| name.to_str().map(|n| n.replace('\\', "/")))
        .collect();
    if names.is_empty() && !manifest.exists() {
        return Ok(());
    }
    write_atomic(&manifest, |out| {
        names.iter().try_for_each(|name| writeln!(out, "{name}"))
    })
}

/// Without a manifest (a folder written by a version before it, or by
/// hand), pages this run did not write may be an earlier run's, or the
/// user's: says so rather than remove them.
fn warn_unlisted(dir: &Path, keep: &BTreeSet<PathBuf>) {
    let folder = dir.join(report::CANDIDATE_FOLDER);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    let unlisted = (entries.filter_map(|e| e.ok().map(|e| e.path())))
        .filter(|path| !keep.contains(path))
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("html" | "md")
            )
        })
        .count();
    if unlisted > 0 {
        warn(&format!(
            "{} holds {unlisted} page(s) this run did not write, and no list of an earlier run's pages ({MANIFEST}): \
             remove them if they are an earlier run's, so that the folder does not mix two batches",
            folder.display()
        ));
    }
}

/// Whether a manifest line names a file a run may or may not write: the
/// index, a page in the candidates' folder, or results.json. Anything else
/// (an edited manifest, say `../notes.txt`) is never removed.
fn is_page_name(name: &str) -> bool {
    let page = |file: &str| {
        safe_segment(file)
            && matches!(
                Path::new(file).extension().and_then(|e| e.to_str()),
                Some("html" | "md")
            )
    };
    match name.split_once('/') {
        None => matches!(name, "index.html" | "index.md" | "results.json"),
        Some((folder, file)) => folder == report::CANDIDATE_FOLDER && page(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_names_only_pages_of_the_folder() {
        assert!(is_page_name("index.html"));
        assert!(is_page_name("candidates/ann-lee.md"));
        assert!(is_page_name("results.json"));
        for bad in [
            "notes.html",
            "candidates/notes.txt",
            "../index.html",
            "candidates/../../x.html",
            "other/a.html",
            "candidates/a/b.html",
        ] {
            assert!(!is_page_name(bad), "{bad}");
        }
    }

    #[test]
    fn only_plain_segments_pass() {
        assert!(safe_segment("ann-lee_2.html"));
        for bad in ["", ".", "..", "a/b", "a\\b", "é", "a b"] {
            assert!(!safe_segment(bad), "{bad}");
        }
    }
}
