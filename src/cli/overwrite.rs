//! Refusing an output that would replace an input of the same run: `norms
//! build s.csv --out s.csv` or `score d/results.csv --out d` would otherwise
//! destroy the user's data with the report made from it.
//!
//! Files are compared by identity (device and inode, or the Windows file
//! index), not by spelling, so `./s.csv`, a symbolic link and a hard link to
//! the input are all caught. An output that does not exist yet cannot be an
//! input, so only existing files are compared.

use std::path::{Path, PathBuf};

use same_file::Handle;

use super::CliError;

/// The files a run reads: `-` (stdin) and names that are not files (a
/// built-in role id, say) are skipped.
#[derive(Debug, Default)]
pub struct Inputs(Vec<(PathBuf, Handle)>);

impl Inputs {
    /// The inputs among `paths`.
    pub fn new<'p>(paths: impl IntoIterator<Item = &'p Path>) -> Self {
        let mut inputs = Inputs::default();
        for path in paths {
            inputs.add(path);
        }
        inputs
    }

    /// Adds `path` when it is an existing file.
    pub fn add(&mut self, path: &Path) {
        if path == Path::new("-") {
            return;
        }
        if let Ok(handle) = Handle::from_path(path) {
            self.0.push((path.to_path_buf(), handle));
        }
    }

    /// Refuses when writing `output` would replace one of the inputs.
    ///
    /// # Errors
    /// A message naming both paths.
    pub fn refuse(&self, output: &Path) -> Result<(), CliError> {
        if self.0.is_empty() || output == Path::new("-") {
            return Ok(());
        }
        let Ok(out) = Handle::from_path(output) else {
            return Ok(());
        };
        match self.0.iter().find(|(_, input)| *input == out) {
            Some((input, _)) => Err(format!(
                "the output {} is the input {} (the same file): writing it would replace the input; choose another output path",
                output.display(),
                input.display()
            )
            .into()),
            None => Ok(()),
        }
    }

    /// Refuses when writing any of `outputs` would replace an input.
    ///
    /// # Errors
    /// As [`Inputs::refuse`], for the first output that would.
    pub fn refuse_all<'p>(
        &self,
        outputs: impl IntoIterator<Item = &'p Path>,
    ) -> Result<(), CliError> {
        outputs
            .into_iter()
            .try_for_each(|output| self.refuse(output))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_by_another_spelling_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("s.csv");
        std::fs::write(&input, "a\n").unwrap();
        let inputs = Inputs::new([input.as_path(), Path::new("-"), Path::new("retail")]);
        let dotted = dir.path().join(".").join("s.csv");
        let message = inputs.refuse(&dotted).unwrap_err().to_string();
        assert!(message.contains(&input.display().to_string()), "{message}");
        assert!(message.contains(&dotted.display().to_string()), "{message}");
        let hard = dir.path().join("hard.csv");
        std::fs::hard_link(&input, &hard).unwrap();
        assert!(inputs.refuse(&hard).is_err());
    }

    #[test]
    fn other_and_new_files_pass() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("s.csv");
        let other = dir.path().join("o.csv");
        std::fs::write(&input, "a\n").unwrap();
        std::fs::write(&other, "a\n").unwrap();
        let inputs = Inputs::new([input.as_path()]);
        assert!(inputs.refuse(&other).is_ok());
        assert!(inputs.refuse(&dir.path().join("new.csv")).is_ok());
        assert!(inputs.refuse(Path::new("-")).is_ok());
    }
}
