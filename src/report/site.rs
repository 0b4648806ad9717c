//! Reports as a folder of pages: an index plus one page per candidate.
//!
//! The library does not touch the file system: a writer hands each page to a
//! [`PageSink`] under a relative name, and the CLI decides where and how the
//! bytes land (atomically, inside the output folder). File names derived
//! from candidate ids are sanitised here so that no id can name a path
//! outside the folder, a hidden file, or another candidate's page.

use std::collections::HashSet;
use std::io::{self, Write};

/// Longest file stem taken from an id, in bytes (UTF-8).
const STEM_MAX: usize = 60;

/// Folder, relative to the output folder, holding the candidate pages.
pub const CANDIDATE_FOLDER: &str = "candidates";

/// Somewhere to put pages. `name` is relative to the output folder, uses `/`
/// as separator, and consists only of segments of [`page_char`]s (letters
/// and digits of any script, `.`, `_`, `-`) that are neither empty, `.`
/// nor `..`.
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
    /// Stems given out so far, lower-cased (case-insensitive file systems:
    /// `Émile` and `émile` are one file there).
    used: HashSet<String>,
}

impl FileNames {
    /// A stem for candidate `id` on input row `row`.
    ///
    /// Keeps letters and digits of any script (so `Zoë Müller` stays
    /// readable), `.`, `_` and `-`, turns anything else into `_`, cuts at
    /// 60 bytes, avoids a leading `.` (hidden files, `.` and `..`) or `-` (a
    /// name a shell command would take for an option), a Windows device name
    /// (`COM1.txt` becomes `COM1_.txt`) and an empty stem; when two ids give
    /// the same stem, ignoring case, the one asked for later (pages are
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
    /// assert_eq!(names.stem("Zoë Müller", 7), "Zoë_Müller");
    /// assert_eq!(names.stem("COM1.txt", 8), "COM1_.txt");
    /// ```
    pub fn stem(&mut self, id: &str, row: u64) -> String {
        let base = sanitise(id);
        let mut stem = base.clone();
        let mut attempt = 0u64;
        while !self.used.insert(stem.to_lowercase()) {
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
    let mut stem = String::new();
    for c in id.chars().map(|c| if page_char(c) { c } else { '_' }) {
        if stem.len() + c.len_utf8() > STEM_MAX {
            break;
        }
        stem.push(c);
    }
    if stem.starts_with(['.', '-']) {
        stem.replace_range(0..1, "_");
    }
    // Windows device names cannot be files whatever follows the first dot
    // (COM1.txt.html is the port COM1): the device part itself changes.
    let device = stem.split('.').next().unwrap_or("");
    if is_device(device) {
        stem.insert(device.len(), '_');
    }
    if stem.is_empty() {
        stem.push_str("candidate");
    }
    stem
}

/// Whether `c` is kept in a file name: letters and digits of any script
/// (Zoë, Müller, 王), `.`, `_` and `-`. None of them is a separator, a
/// control or a bidirectional control on any system; a combining accent
/// is not kept, so an id in decomposed form gets a name of its own.
pub fn page_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// A Windows device name, in any case: CON, PRN, AUX, NUL, or COM and LPT
/// with a digit (Windows also takes ¹, ² and ³ for one).
fn is_device(name: &str) -> bool {
    let upper = name.to_uppercase();
    let numbered = |prefix: &str| {
        upper.strip_prefix(prefix).is_some_and(|rest| {
            let mut chars = rest.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³'))
                && chars.next().is_none()
        })
    };
    matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL") || numbered("COM") || numbered("LPT")
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
            // The device part itself changes: COM1.txt_.html would still be COM1.
            ("COM1.txt", "COM1_.txt"),
            ("lpt¹.x", "lpt¹_.x"),
            ("COM10", "COM10"),
            ("ann\u{202e}fdp.exe", "ann_fdp.exe"),
            // Decomposed é (e + U+0301) is not the composed é of Émile below.
            ("e\u{301}", "e_"),
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
        // Accented letters stay readable, and case is ignored beyond ASCII.
        assert_eq!(names.stem("Émile Zoë", 5), "Émile_Zoë");
        assert_eq!(names.stem("émile zoë", 6), "émile_zoë-r6");
        // 30 'é' are 60 bytes; the 31st would pass the limit.
        assert_eq!(names.stem(&"é".repeat(31), 7), "é".repeat(30));
    }
}
