//! A results folder (`score --out DIR`) written as one unit.
//!
//! - One run at a time: the folder is locked for the run (an advisory lock
//!   on `.servicefit-lock`); a second run waits for the first to finish, so
//!   that no index links to pages the other run removed.
//! - The files agree: every file is written atomically and its SHA-256 is
//!   listed in [`MANIFEST`], written last. A run stopped half-way leaves new
//!   files beside the old manifest, and `audit` refuses results that do not
//!   match it rather than describe the wrong input.
//! - Nothing of the user's is deleted: a later run removes only pages the
//!   previous manifest lists and it no longer writes, and temporary files of
//!   ours that an interrupted run left.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use fs4::fs_std::FileExt;

use super::io::{remove_stale_temps, warn, write_atomic, write_atomic_hashed};
use super::overwrite::Inputs;
use super::CliError;
use servicefit::limits::read_to_string_capped;
use servicefit::report;

/// The list of the files the last run wrote, with their SHA-256, in the
/// format of `sha256sum` (so `sha256sum -c results.sha256` checks a folder).
pub const MANIFEST: &str = "results.sha256";

/// The list of pages older versions kept instead of [`MANIFEST`]: read when
/// there is no manifest, so that their pages are still recognised as ours.
const OLD_PAGE_LIST: &str = ".servicefit-pages";

/// The file locked for the run.
const LOCK: &str = ".servicefit-lock";

/// Files a run writes directly in the folder, besides the candidate pages.
const FILES: [&str; 8] = [
    "results.csv",
    "results.jsonl",
    "results.json",
    "rejects.csv",
    "results.provenance.json",
    "index.html",
    "index.md",
    MANIFEST,
];

/// An output folder, locked, being written.
pub struct OutputFolder {
    dir: PathBuf,
    /// Files written by this run (relative, `/`-separated) and their SHA-256.
    written: BTreeMap<String, String>,
    /// Files the previous run's list names, if it left one.
    previous: Option<Vec<String>>,
    /// Held until the run ends: dropping the file releases the lock.
    _lock: File,
}

impl OutputFolder {
    /// Creates and locks `dir` (waiting for another run that holds it),
    /// after refusing to write over any of `inputs`, and removes the
    /// temporary files an interrupted run left.
    pub fn open(dir: &Path, inputs: &Inputs) -> Result<OutputFolder, CliError> {
        inputs.refuse_all(planned(dir).iter().map(PathBuf::as_path))?;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create folder {}: {e}", dir.display()))?;
        let lock = lock(dir)?;
        remove_stale_temps(dir);
        remove_stale_temps(&dir.join(report::CANDIDATE_FOLDER));
        Ok(OutputFolder {
            dir: dir.to_path_buf(),
            written: BTreeMap::new(),
            previous: previous_list(dir),
            _lock: lock,
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `name` (relative, `/`-separated, checked by the caller to stay
    /// inside the folder) atomically and notes its SHA-256.
    pub fn write(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
    ) -> Result<(), CliError> {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create folder {}: {e}", parent.display()))?;
        }
        let sha256 = write_atomic_hashed(&path, write)?;
        self.written.insert(name.to_string(), sha256);
        Ok(())
    }

    /// Removes the pages of the previous run that this one did not write,
    /// then writes the manifest: last, so that it describes a finished run.
    pub fn finish(self) -> Result<(), CliError> {
        if let Some(listed) = &self.previous {
            self.remove_stale_pages(listed)?;
        }
        self.warn_unlisted();
        write_atomic(&self.dir.join(MANIFEST), |out| {
            (self.written.iter()).try_for_each(|(name, sha256)| writeln!(out, "{sha256}  {name}"))
        })?;
        // The manifest now lists the pages: the old list would only mislead.
        let old = self.dir.join(OLD_PAGE_LIST);
        if old.is_file() {
            std::fs::remove_file(&old)
                .map_err(|e| format!("cannot remove {}: {e}", old.display()))?;
        }
        Ok(())
    }

    /// Removes the pages in `listed` this run did not write.
    fn remove_stale_pages(&self, listed: &[String]) -> Result<(), CliError> {
        let stale: Vec<PathBuf> = (listed.iter())
            .filter(|name| is_page(name) && !self.written.contains_key(*name))
            .map(|name| self.dir.join(name))
            .filter(|path| path.is_file())
            .collect();
        for path in &stale {
            std::fs::remove_file(path)
                .map_err(|e| format!("cannot remove the old page {}: {e}", path.display()))?;
        }
        if !stale.is_empty() {
            say!(
                "removed {} report page(s) of an earlier run from {}",
                stale.len(),
                self.dir.display()
            );
        }
        Ok(())
    }

    /// Pages that neither this run nor the previous list names may be an
    /// earlier run's (one stopped before its list, or written before lists
    /// were kept) or the user's: says so rather than remove them.
    fn warn_unlisted(&self) {
        let listed: HashSet<&str> = (self.previous.iter().flatten())
            .map(String::as_str)
            .collect();
        let folder = self.dir.join(report::CANDIDATE_FOLDER);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return;
        };
        let unlisted = (entries.filter_map(|e| e.ok()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .map(|file| format!("{}/{file}", report::CANDIDATE_FOLDER))
            .filter(|name| {
                is_page(name) && !self.written.contains_key(name) && !listed.contains(name.as_str())
            })
            .count();
        if unlisted == 0 {
            return;
        }
        let why = match self.previous {
            None => format!("and no list of an earlier run's files ({MANIFEST})"),
            Some(_) => format!("nor did the run {MANIFEST} describes (a run stopped half-way?)"),
        };
        warn(&format!(
            "{} holds {unlisted} page(s) this run did not write, {why}: remove them if they are an \
             earlier run's, so that the folder does not mix two batches",
            folder.display()
        ));
    }
}

/// Refuses a file of a results folder that does not match the folder's
/// manifest: the folder then mixes two runs' files (a run was stopped
/// half-way, or a file was edited), and a report made from it would
/// describe the wrong input. A folder without a manifest, or a file it does
/// not list, is not checked.
pub fn check_listed(path: &Path, sha256: &str) -> Result<(), CliError> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(());
    };
    let manifest_path = dir.join(MANIFEST);
    let Some(text) = read_list(&manifest_path) else {
        return Ok(());
    };
    let manifest = Manifest::parse(&text);
    match manifest.0.get(name.to_string_lossy().as_ref()) {
        Some(listed) if listed != sha256 => Err(format!(
            "{} does not match {} (SHA-256 {sha256}, listed {listed}): the folder mixes files of two runs \
             (a run stopped half-way?) or the file was changed; run `servicefit score` into the folder again",
            path.display(),
            manifest_path.display()
        )
        .into()),
        _ => Ok(()),
    }
}

/// Takes the folder's lock, waiting (with a message) while another run holds it.
fn lock(dir: &Path) -> Result<File, CliError> {
    let path = dir.join(LOCK);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot create the lock file {}: {e}", path.display()))?;
    if !file.try_lock_exclusive().unwrap_or(true) {
        say!(
            "waiting: another servicefit run is writing into {}; this one goes on when it has finished",
            dir.display()
        );
        file.lock_exclusive()
            .map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
    }
    Ok(file)
}

/// Every existing file of `dir` a run may write: the fixed names and the
/// candidate pages.
fn planned(dir: &Path) -> Vec<PathBuf> {
    let pages = std::fs::read_dir(dir.join(report::CANDIDATE_FOLDER))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()));
    FILES
        .iter()
        .map(|name| dir.join(name))
        .chain(pages)
        .collect()
}

/// The names the previous run's list gives, if there is one.
fn previous_list(dir: &Path) -> Option<Vec<String>> {
    if let Some(text) = read_list(&dir.join(MANIFEST)) {
        return Some(Manifest::parse(&text).0.into_keys().collect());
    }
    let text = read_list(&dir.join(OLD_PAGE_LIST))?;
    Some(text.lines().map(str::to_string).collect())
}

/// Largest list of files read, in bytes (64 MiB): a line is about 100
/// bytes, so 600,000 files.
const MAX_LIST_BYTES: u64 = 64 << 20;

/// A list of files, if it is there and readable within [`MAX_LIST_BYTES`].
fn read_list(path: &Path) -> Option<String> {
    let file = File::open(path).ok()?;
    read_to_string_capped(file, MAX_LIST_BYTES).ok()
}

/// The files a manifest lists, by name, with their SHA-256.
#[derive(Debug, Default)]
pub struct Manifest(pub BTreeMap<String, String>);

impl Manifest {
    /// Reads `sha256sum` lines (`HEX  NAME`); other lines are ignored.
    pub fn parse(text: &str) -> Manifest {
        let entries = text.lines().filter_map(|line| {
            let (sha256, name) = line.split_once("  ")?;
            let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
            hex.then(|| (name.to_string(), sha256.to_ascii_lowercase()))
        });
        Manifest(entries.collect())
    }
}

/// Whether a listed name is a file a run may or may not write: the index, a
/// page in the candidates' folder, or results.json. Anything else (an edited
/// list, say `../notes.txt`) is never removed.
fn is_page(name: &str) -> bool {
    let page = |file: &str| {
        super::pages::safe_segment(file)
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
    fn a_list_names_only_pages_of_the_folder() {
        assert!(is_page("index.html"));
        assert!(is_page("candidates/ann-lee.md"));
        assert!(is_page("results.json"));
        for bad in [
            "notes.html",
            "candidates/notes.txt",
            "../index.html",
            "candidates/../../x.html",
            "other/a.html",
            "candidates/a/b.html",
        ] {
            assert!(!is_page(bad), "{bad}");
        }
    }

    #[test]
    fn a_manifest_reads_sha256sum_lines() {
        let a = "ab".repeat(32);
        let text = format!("{a}  results.csv\nnot a line\n{}  x\n", "zz".repeat(32));
        let manifest = Manifest::parse(&text);
        assert_eq!(manifest.0.len(), 1);
        assert_eq!(manifest.0["results.csv"], a);
    }
}
