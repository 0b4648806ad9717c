//! Test support: a temporary work folder and a command builder for the CLI.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Path of a file under the repository root.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The `servicefit` binary, run in a fresh temporary folder.
pub struct Workdir {
    /// The folder; removed when dropped.
    pub dir: tempfile::TempDir,
}

impl Workdir {
    /// A new empty folder.
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Writes `contents` to `name` in the folder.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write fixture");
        path
    }

    /// Reads `name` from the folder.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).expect("read output")
    }

    /// `servicefit ARGS...` run inside the folder, with NO_COLOR set and
    /// COLUMNS unset (the terminal format is then 80 columns wide).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("servicefit").expect("binary");
        cmd.current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS")
            .args(args);
        cmd
    }
}

/// One output of a run: exit code, stdout, stderr.
pub struct Run {
    /// Exit code (−1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Workdir {
    /// Runs `servicefit ARGS...` in the folder and keeps its exit code and output.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().expect("run");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).to_string(),
        }
    }
}
