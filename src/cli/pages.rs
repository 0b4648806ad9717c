//! Writing a report as a folder of pages: the CLI's [`PageSink`], which puts
//! each page atomically under the output folder and refuses any name that
//! could leave it.

use std::io::{self, Write};

use super::folder::OutputFolder;
use super::CliError;
use servicefit::report::{self, Format, PageSink, Run};
use servicefit::stream::RankedRun;

/// Pages go into the output folder, each written atomically.
struct FolderSink<'f> {
    folder: &'f mut OutputFolder,
    pages: usize,
}

/// A name segment the report module promises: letters and digits of any
/// script, `.`, `_` and `-` ([`report::page_char`]), not `.` or `..`.
pub fn safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment.chars().all(report::page_char)
}

impl PageSink for FolderSink<'_> {
    fn page(
        &mut self,
        name: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if !name.split('/').all(safe_segment) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("page name '{name}' would leave the output folder"),
            ));
        }
        (self.folder)
            .write(name, |out| write(out))
            .map_err(|e| io::Error::other(e.to_string()))?;
        self.pages += 1;
        Ok(())
    }
}

/// Writes the index and a page per candidate into the folder, for the
/// formats that make pages.
pub fn write_pages(
    folder: &mut OutputFolder,
    run: &Run<'_>,
    ranked: &RankedRun,
    format: Format,
) -> Result<(), CliError> {
    let mut sink = FolderSink { folder, pages: 0 };
    let Some(mut writer) = format.site_writer(&mut sink) else {
        return Ok(());
    };
    ranked.write_report(writer.as_mut(), run)?;
    drop(writer);
    say!(
        "wrote index.{ext} and {} candidate page(s) in {}/ to {}",
        sink.pages.saturating_sub(1),
        report::CANDIDATE_FOLDER,
        sink.folder.dir().display(),
        ext = format.extension()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_segments_pass() {
        assert!(safe_segment("ann-lee_2.html"));
        assert!(safe_segment("Zoë_Müller.html"));
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a\\b",
            "a b",
            "a:b",
            "e\u{301}",
            "a\u{202e}b",
        ] {
            assert!(!safe_segment(bad), "{bad}");
        }
    }
}
