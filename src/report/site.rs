//! Reports as a folder of pages: an index plus one page per candidate.
//!
//! The library does not touch the file system: a writer hands each page to a
//! [`PageSink`] under a relative name, and the CLI decides where and how the
//! bytes land (atomically, inside the output folder). File names derived
//! from candidate ids are sanitised here so that no id can name a path
//! outside the folder, a hidden file, or another candidate's page.

use std::collections::HashSet;
use std::io::{self, Write};

/// Longest file stem taken from an id, in bytes (ASCII after sanitising).
const STEM_MAX: usize = 60;

/// Folder, relative to the output folder, holding the candidate pages.
pub const CANDIDATE_FOLDER: &str = "candidates";

/// Somewhere to put pages. `name` is relative to the output folder, uses `/`
/// as separator, and consists only of `[A-Za-z0-9._-]` segments that are
/// neither empty, `.` nor `..`.
pub trait PageSink {
    /// Writes one page; `write` produces its bytes.
    ///
    /// # Errors
    /// Any I/O error of the sink or of `write`.
    fn page(
        &mut self,
        name: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()>;
}

/// Hands out file stems for candidate ids: safe and unique within one report.
#[derive(Debug, Default)]
pub struct FileNames {
    /// Stems given out so far, lower-cased (case-insensitive file systems).
    used: HashSet<String>,
}

impl FileNames {
    /// A stem for candidate `id` on input row `row`.
    ///
    /// Keeps `[A-Za-z0-9._-]`, turns anything else into `_`, cuts at
    /// 60 bytes, avoids a leading `.` (hidden files, `.` and `..`) or `-` (a
    /// name a shell command would take for an option) and an empty stem;
    /// when two ids give the same stem, the one asked for later (pages are
    /// written in rank order) gets `-r<row>`.
    ///
    /// ```
    /// use servicefit::report::FileNames;
    /// let mut names = FileNames::default();
    /// assert_eq!(names.stem("../../etc/passwd", 2), "_._.._etc_passwd");
    /// assert_eq!(names.stem("ann lee", 3), "ann_lee");
    /// assert_eq!(names.stem("ann/lee", 4), "ann_lee-r4");
    /// assert_eq!(names.stem("", 5), "candidate");
    /// assert_eq!(names.stem("-2/3", 6), "_2_3");
    /// ```
    pub fn stem(&mut self, id: &str, row: u64) -> String {
        let base = sanitise(id);
        let mut stem = base.clone();
        let mut attempt = 0u64;
        while !self.used.insert(stem.to_ascii_lowercase()) {
            attempt += 1;
            stem = if attempt == 1 {
                format!("{base}-r{row}")
            } else {
                format!("{base}-r{row}-{attempt}")
            };
        }
        stem
    }
}

fn sanitise(id: &str) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(STEM_MAX)
        .collect();
    if stem.starts_with(['.', '-']) {
        stem.replace_range(0..1, "_");
    }
    // Windows device names cannot be files whatever the extension.
    let upper = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    let device = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit());
    if device {
        stem.push('_');
    }
    if stem.is_empty() {
        stem.push_str("candidate");
    }
    stem
}

/// What the index of a folder report shows for one candidate.
#[derive(Debug, Clone)]
pub(crate) struct IndexEntry {
    /// 1-based rank.
    pub rank: usize,
    /// The candidate's result, reduced to what the index needs.
    pub id: String,
    /// Validity status.
    pub status: crate::validity::Status,
    /// Fit shown (only when recommendable).
    pub fit: Option<f64>,
    /// Fit interval shown.
    pub interval: Option<crate::norms::Interval>,
    /// Fit band.
    pub band: Option<crate::fit::FitBand>,
    /// Names of the attributes outside their band, costliest first.
    pub gaps: Vec<String>,
    /// The page's relative link (or anchor).
    pub link: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_stay_inside_the_folder() {
        let mut names = FileNames::default();
        for (id, expected) in [
            ("..", "_."),
            (".", "_"),
            ("/abs/path", "_abs_path"),
            ("a\\b", "a_b"),
            ("<script>alert(1)</script>", "_script_alert_1___script_"),
            ("con", "con_"),
            ("COM1.txt", "COM1.txt_"),
            ("é", "_-r2"),
        ] {
            assert_eq!(names.stem(id, 2), expected, "{id}");
        }
    }

    #[test]
    fn collisions_get_the_row_and_ignore_case() {
        let mut names = FileNames::default();
        assert_eq!(names.stem("Ann", 2), "Ann");
        assert_eq!(names.stem("ann", 3), "ann-r3");
        assert_eq!(names.stem("ann", 3), "ann-r3-2");
        // 61 'x' → cut to 60.
        assert_eq!(names.stem(&"x".repeat(61), 4).len(), 60);
    }
}
