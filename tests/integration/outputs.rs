//! Outputs never cost the user data (issue 19's adversarial probe): an
//! output that would replace an input is refused, a results folder is
//! written as one unit (a manifest written last, a lock for the run), and
//! the temporary files an interrupted run left are removed — only ours.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use fs4::fs_std::FileExt;
use sha2::{Digest, Sha256};

use crate::score::{tiny_args, tiny_workdir};
use crate::support::{repo, Workdir};

/// Runs `args` in `wd`, expecting exit 2 with a message naming `input` and
/// `output`, and `input`'s bytes unchanged.
fn refused(wd: &Workdir, args: &[&str], input: &str, output: &str) {
    let before = std::fs::read(wd.dir.path().join(input)).expect("input");
    let out = wd.command(args).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(&format!("the output {output} is the input {input}")),
        "{args:?}: {stderr}"
    );
    let after = std::fs::read(wd.dir.path().join(input)).expect("input kept");
    assert_eq!(before, after, "{args:?} changed {input}");
}

#[test]
fn score_refuses_a_folder_that_holds_one_of_its_inputs() {
    let wd = tiny_workdir();
    wd.command(&tiny_args(&["--out", "d"])).assert().success();
    let mut args = tiny_args(&["--out", "d"]);
    args[1] = "d/results.csv";
    refused(&wd, &args, "d/results.csv", "d/results.csv");
    // By another spelling, a symbolic link or a hard link: the same file.
    args[1] = "./d/../d/rejects.csv";
    refused(&wd, &args, "./d/../d/rejects.csv", "d/rejects.csv");
    std::fs::remove_file(wd.dir.path().join("d/results.jsonl")).unwrap();
    std::fs::hard_link(
        wd.dir.path().join("q.json"),
        wd.dir.path().join("d/results.jsonl"),
    )
    .unwrap();
    refused(
        &wd,
        &tiny_args(&["--out", "d"]),
        "q.json",
        "d/results.jsonl",
    );
    #[cfg(unix)]
    {
        std::fs::create_dir(wd.dir.path().join("e")).unwrap();
        std::os::unix::fs::symlink("../responses.csv", wd.dir.path().join("e/index.html")).unwrap();
        let args = tiny_args(&["--out", "e", "--format", "html"]);
        refused(&wd, &args, "responses.csv", "e/index.html");
    }
    // A candidate page is written too.
    wd.command(&tiny_args(&["--out", "f", "--format", "html"]))
        .assert()
        .success();
    let mut args = tiny_args(&["--out", "f", "--format", "html"]);
    args[1] = "f/candidates/c1.html";
    refused(&wd, &args, "f/candidates/c1.html", "f/candidates/c1.html");
}

#[test]
fn the_toolkit_refuses_to_write_over_its_inputs() {
    let wd = Workdir::new();
    let staff = std::fs::read_to_string(repo("tests/fixtures/analysis/responses.csv")).unwrap();
    let q = std::fs::read_to_string(repo("tests/fixtures/analysis/questionnaire.json")).unwrap();
    wd.write("s.csv", &staff);
    wd.write("q.json", &q);
    let staff_args = |command: &[&'static str], out: &'static str| {
        let mut args = command.to_vec();
        args.extend(["s.csv", "--questionnaire", "q.json", "--out", out]);
        args
    };
    for command in [&["norms", "build"][..], &["analyze"][..]] {
        let mut args = staff_args(command, "s.csv");
        if command[0] == "norms" {
            args.extend(["--name", "x"]);
        }
        refused(&wd, &args, "s.csv", "s.csv");
    }
    let mut args = staff_args(&["norms", "build"], "./q.json");
    args.extend(["--name", "x"]);
    refused(&wd, &args, "q.json", "./q.json");
    let mut calibrate = staff_args(&["profile", "calibrate"], "p.json");
    calibrate.extend([
        "--performance",
        "rating",
        "--name",
        "x",
        "--report",
        "s.csv",
    ]);
    refused(&wd, &calibrate, "s.csv", "s.csv");
    let mut args = staff_args(&["norms", "build"], "part.json");
    args.extend(["--name", "x", "--partial"]);
    wd.command(&args).assert().success();
    let merge = [
        "norms",
        "merge",
        "part.json",
        "--name",
        "x",
        "--out",
        "part.json",
    ];
    refused(&wd, &merge, "part.json", "part.json");
    let simulate = [
        "simulate", "--n", "2", "--role", "q.json", "--out", "q.json",
    ];
    refused(&wd, &simulate, "q.json", "q.json");
}

#[test]
fn audit_refuses_to_write_over_its_results_or_groups() {
    let wd = tiny_workdir();
    wd.command(&tiny_args(&["--out", "d"])).assert().success();
    wd.write("g.csv", "candidate_id,sex\nc1,f\nc2,m\n");
    let audit = |out: &'static str| {
        vec![
            "audit",
            "d/results.csv",
            "--groups",
            "g.csv",
            "--group",
            "sex",
            "--band",
            "weak",
            "--format",
            "csv",
            "--out",
            out,
        ]
    };
    refused(
        &wd,
        &audit("d/results.csv"),
        "d/results.csv",
        "d/results.csv",
    );
    refused(&wd, &audit("g.csv"), "g.csv", "g.csv");
    // A CSV audit's side file (d/results.provenance.json) would replace the results' provenance.
    refused(
        &wd,
        &audit("d/results.tsv"),
        "d/results.provenance.json",
        "d/results.provenance.json",
    );
    wd.command(&audit("a.csv")).assert().success();
}

fn sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("listed file");
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_results_folder_lists_each_file_with_its_sha256() {
    let wd = tiny_workdir();
    wd.command(&tiny_args(&["--out", "d", "--format", "html"]))
        .assert()
        .success();
    let manifest = wd.read("d/results.sha256");
    let names: Vec<&str> = manifest
        .lines()
        .map(|line| line.split_once("  ").expect("sha256sum line").1)
        .collect();
    assert_eq!(
        names,
        [
            "candidates/c1.html",
            "candidates/c2.html",
            "index.html",
            "rejects.csv",
            "results.csv",
            "results.jsonl",
            "results.provenance.json",
            "results.xlsx"
        ]
    );
    for line in manifest.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        assert_eq!(hash, sha256(&wd.dir.path().join("d").join(name)), "{name}");
    }
}

#[test]
fn audit_refuses_results_that_do_not_match_their_folder() {
    let wd = tiny_workdir();
    wd.write("g.csv", "candidate_id,sex\nc1,f\nc2,m\n");
    wd.command(&tiny_args(&["--out", "d"])).assert().success();
    let audit = [
        "audit",
        "d/results.csv",
        "--groups",
        "g.csv",
        "--group",
        "sex",
        "--band",
        "weak",
    ];
    wd.command(&audit).assert().success();
    // A run stopped after results.csv: the new results beside the old
    // manifest and provenance.
    wd.write(
        "responses.csv",
        "candidate_id,A1,B1,A2,B2,A3,B3\nc1,1,3,1,4,1,1\nc2,3,5,3,5,4,1\n",
    );
    wd.command(&tiny_args(&["--out", "e"])).assert().success();
    std::fs::copy(
        wd.dir.path().join("e/results.csv"),
        wd.dir.path().join("d/results.csv"),
    )
    .unwrap();
    let out = wd.command(&audit).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("d/results.csv does not match d/results.sha256"),
        "{stderr}"
    );
    // The provenance is checked as well.
    std::fs::copy(
        wd.dir.path().join("e/results.csv"),
        wd.dir.path().join("d/results.csv"),
    )
    .unwrap();
    wd.write(
        "d/results.provenance.json",
        &wd.read("e/results.provenance.json"),
    );
    wd.write("d/results.sha256", &wd.read("e/results.sha256"));
    wd.command(&audit).assert().success();
    wd.write("d/results.provenance.json", "{}");
    let out = wd.command(&audit).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr)
        .contains("d/results.provenance.json does not match d/results.sha256"));
}

/// Kills a child left running by a failed assertion.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until another process holds the lock of `dir`.
fn until_locked(dir: &Path) {
    for _ in 0..1000 {
        if let Ok(file) = std::fs::File::open(dir.join(".servicefit-lock")) {
            if !FileExt::try_lock_shared(&file).unwrap_or(true) {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the first run never locked {}", dir.display());
}

#[test]
fn a_second_run_into_the_same_folder_waits_for_the_first() {
    let wd = tiny_workdir();
    let binary = assert_cmd::cargo::cargo_bin("servicefit");
    let spawn = |input: &str| {
        let mut args = tiny_args(&["--out", "d", "--format", "html"]);
        args[1] = input;
        Command::new(&binary)
            .args(&args)
            .current_dir(wd.dir.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    // The first run reads stdin, held open: it holds the folder meanwhile.
    let mut first = Running(spawn("-"));
    let mut stdin = first.0.stdin.take().unwrap();
    stdin
        .write_all(b"candidate_id,A1,B1,A2,B2,A3,B3\nc1,4,3,5,4,2,1\nc9,3,5,3,5,4,1\n")
        .unwrap();
    until_locked(&wd.dir.path().join("d"));
    let mut second = Running(spawn("responses.csv"));
    let mut line = String::new();
    BufReader::new(second.0.stderr.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("waiting: another servicefit run is writing into d"),
        "{line}"
    );
    drop(stdin);
    assert!(first.0.wait().unwrap().success());
    assert!(second.0.wait().unwrap().success());
    // The second run's folder, whole: c9's page is gone, the index links c2's.
    assert!(!wd.dir.path().join("d/candidates/c9.html").exists());
    assert!(wd.read("d/index.html").contains("candidates/c2.html"));
    for line in wd.read("d/results.sha256").lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        assert_eq!(hash, sha256(&wd.dir.path().join("d").join(name)), "{name}");
    }
}

/// Writes `path` with a modification time two hours ago.
fn old_file(path: &Path) -> std::fs::File {
    let file = std::fs::File::create(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(7200))
        .unwrap();
    file
}

#[test]
fn stale_temporary_files_of_ours_are_removed_and_nothing_else() {
    let wd = tiny_workdir();
    let d = wd.dir.path().join("d");
    std::fs::create_dir_all(d.join("candidates")).unwrap();
    old_file(&d.join(".servicefit-tmp-stale1"));
    old_file(&d.join("candidates/.servicefit-tmp-stale2"));
    // A live run's temporary file is locked; a new one may not be yet.
    let live = old_file(&d.join(".servicefit-tmp-live"));
    live.lock_exclusive().unwrap();
    std::fs::write(d.join(".servicefit-tmp-new"), "x").unwrap();
    old_file(&d.join("notes.txt"));
    old_file(&d.join(".tmp-someone-elses"));
    let out = wd
        .command(&tiny_args(&["--out", "d", "--format", "html"]))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("removed 1 temporary file(s) an interrupted run left in d"),
        "{stderr}"
    );
    assert!(!d.join(".servicefit-tmp-stale1").exists());
    assert!(!d.join("candidates/.servicefit-tmp-stale2").exists());
    for kept in [
        ".servicefit-tmp-live",
        ".servicefit-tmp-new",
        "notes.txt",
        ".tmp-someone-elses",
    ] {
        assert!(d.join(kept).exists(), "{kept}");
    }
    // A single output file: the place beside it.
    old_file(&wd.dir.path().join(".servicefit-tmp-stale3"));
    wd.command(&["simulate", "--n", "2", "--out", "sim.csv"])
        .assert()
        .success();
    assert!(!wd.dir.path().join(".servicefit-tmp-stale3").exists());
}

#[test]
fn pages_of_a_run_stopped_before_its_list_are_pointed_out() {
    let wd = tiny_workdir();
    let args = tiny_args(&["--out", "d", "--format", "html"]);
    wd.command(&args).assert().success();
    // A run stopped after writing c3's page, before its results.sha256.
    wd.write("d/candidates/c3.html", "<p>c3</p>");
    let out = wd.command(&args).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(
            "holds 1 page(s) this run did not write, nor did the run results.sha256 describes"
        ),
        "{stderr}"
    );
    assert_eq!(wd.read("d/candidates/c3.html"), "<p>c3</p>");
}
