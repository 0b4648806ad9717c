//! CLI manners: help with examples, errors and exit codes, completions, simulate.

use crate::support::Workdir;

fn stderr_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8_lossy(&out.get_output().stderr).to_string()
}

#[test]
fn every_command_help_shows_an_example() {
    let wd = Workdir::new();
    let commands = [
        "score",
        "roles",
        "questionnaire",
        "simulate",
        "completions",
        "compare",
        "template",
        "analyze",
        "norms",
        "norms build",
        "norms merge",
        "profile",
        "profile calibrate",
        "validate-criterion",
        "check",
        "audit",
    ];
    for command in commands {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let out = wd.command(&args).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            text.contains("Example"),
            "{command} --help has no example:\n{text}"
        );
    }
}

#[test]
fn unknown_role_is_a_usage_error_naming_the_choices() {
    let wd = Workdir::new();
    wd.write("a.csv", "candidate_id,TR01\nx,4\n");
    let err = stderr_of(
        &mut wd.command(&["score", "a.csv", "--role", "astronaut"]),
        2,
    );
    assert!(
        err.contains("error: no built-in profile called 'astronaut'; available: general, retail"),
        "{err}"
    );
}

#[test]
fn roles_norm_groups_and_formats_are_named_forgivingly() {
    let wd = Workdir::new();
    let simulate = ["simulate", "--n", "3", "--role", "retail", "--seed", "1"];
    wd.command(&[&simulate[..], &["--out", "a.csv"]].concat())
        .assert()
        .code(0);
    // Case, spaces and separators select the id; the output names the role.
    for role in ["Retail", "RETAIL", " retail "] {
        let out = wd
            .command(&[
                "score",
                "a.csv",
                "--role",
                role,
                "--format",
                "JSONL",
                "--norm-group",
                "Applicants",
            ])
            .assert()
            .code(0);
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            text.contains(r#""profile":{"id":"retail""#),
            "{role}: {text}"
        );
    }
    wd.command(&["score", "a.csv", "--role", "contact centre"])
        .assert()
        .code(0);
    // A near miss is answered, never guessed: exit 2 with the closest ids.
    for (role, meant) in [
        ("contact-center", "contact-centre"),
        ("finance", "financial-services"),
        ("hotel", "hospitality"),
    ] {
        let err = stderr_of(&mut wd.command(&["score", "a.csv", "--role", role]), 2);
        assert!(
            err.contains(&format!("'{role}' (did you mean '{meant}'")),
            "{role}: {err}"
        );
    }
    let err = stderr_of(
        &mut wd.command(&[
            "score",
            "a.csv",
            "--role",
            "retail",
            "--norm-group",
            "aplicants",
        ]),
        2,
    );
    assert!(
        err.contains("'aplicants', no such group (did you mean 'applicants'?)"),
        "{err}"
    );
    let err = stderr_of(
        &mut wd.command(&["score", "a.csv", "--role", "retail", "--format", "htm"]),
        2,
    );
    assert!(err.contains("a similar value exists: 'html'"), "{err}");
}

#[test]
fn missing_input_and_broken_data_files_exit_2_with_the_place() {
    let wd = Workdir::new();
    let err = stderr_of(
        &mut wd.command(&["score", "nope.csv", "--role", "retail"]),
        2,
    );
    assert!(err.contains("cannot open nope.csv"), "{err}");
    // That is all it says: the norms notice is for a run that reads data.
    assert!(!err.contains("PROVISIONAL"), "{err}");
    wd.write("p.json", "{\"id\": \"x\",\n \"colour\": 1}");
    wd.write("a.csv", "candidate_id,TR01\nx,4\n");
    let err = stderr_of(&mut wd.command(&["score", "a.csv", "--role", "p.json"]), 2);
    assert!(
        err.contains(
            "p.json: not a valid profile file at line 2, column 9: unknown field `colour`"
        ),
        "{err}"
    );
}

#[test]
fn a_file_missing_whole_scales_is_refused() {
    let wd = Workdir::new();
    wd.write("a.csv", "candidate_id,TR01,TA02\nx,4,4\n");
    let err = stderr_of(&mut wd.command(&["score", "a.csv", "--role", "retail"]), 2);
    assert!(err.contains("a.csv: header row: no column for any item of scale(s) empathy, conformity, focus, flexibility, impression"), "{err}");
}

#[test]
fn simulate_is_deterministic_for_a_seed() {
    let wd = Workdir::new();
    let run = |seed: &str| {
        let args = ["simulate", "--n", "50", "--seed", seed, "--careless", "0.2"];
        wd.command(&args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let first = run("7");
    assert_eq!(first, run("7"));
    assert_ne!(first, run("8"));
    let text = String::from_utf8_lossy(&first).to_string();
    assert_eq!(text.lines().count(), 51);
    assert!(text.starts_with("candidate_id,style,TR01,"));
}

#[test]
fn simulated_straight_liners_are_all_invalid() {
    let wd = Workdir::new();
    wd.command(&[
        "simulate",
        "--n",
        "20",
        "--style",
        "straightline",
        "--out",
        "s.csv",
    ])
    .assert()
    .success();
    let out = wd
        .command(&["score", "s.csv", "--role", "general"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(
        text.lines()
            .skip(1)
            .filter(|l| l.contains(",invalid,"))
            .count(),
        20,
        "{text}"
    );
}

#[test]
fn completions_are_generated() {
    let out = Workdir::new()
        .command(&["completions", "bash"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("servicefit"));
}

#[test]
fn a_closed_stderr_does_not_stop_the_run() {
    // `servicefit score … 2>&1 | head -3`: the messages are cut short, but the
    // run goes on, writes its files and exits as it would have (1: a row of
    // the example is rejected), where `eprintln!` used to panic (exit 101).
    use std::process::{Command, Stdio};
    let wd = Workdir::new();
    let input = crate::support::repo("examples/applicants.csv");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("servicefit"))
        .args(["score", input.to_str().unwrap(), "--role", "retail"])
        .args(["--out", "out"])
        .current_dir(wd.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stderr.take());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(1));
    assert_eq!(wd.read("out/results.csv").lines().count(), 30);
    assert!(wd.read("out/rejects.csv").contains("APP-1019"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let wd = Workdir::new();
    wd.command(&["simulate", "--n", "3000", "--out", "big.csv"])
        .assert()
        .success();
    for args in [
        vec!["simulate", "--n", "200000"],
        vec!["score", "big.csv", "--role", "retail", "--format", "jsonl"],
        vec!["score", "big.csv", "--role", "retail", "--format", "json"],
        vec!["score", "big.csv", "--role", "retail", "--format", "csv"],
    ] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("servicefit"))
            .args(&args)
            .current_dir(wd.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut first = [0u8; 16];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("some output");
        // stdout is closed here, like `| head -c 16`.
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
}

#[test]
fn shares_read_as_fractions_or_percentages() {
    let wd = Workdir::new();
    let stdout = |args: &[&str]| {
        let out = wd.command(args).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    let simulate = ["simulate", "--n", "40", "--seed", "3", "--careless"];
    let fraction = stdout(&[&simulate[..], &["0.4"]].concat());
    assert_eq!(stdout(&[&simulate[..], &["40%"]].concat()), fraction);
    wd.write("s.csv", &fraction);
    let score = ["score", "s.csv", "--role", "retail", "--min-answered"];
    assert_eq!(
        stdout(&[&score[..], &["80%", "--confidence", "95%"]].concat()),
        stdout(&[&score[..], &["0.8", "--confidence", "0.95"]].concat())
    );
    let out = wd
        .command(&["simulate", "--n", "5", "--careless", "many"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(stderr.contains("'many': expected a share such as 0.8 or a percentage such as 80%"));
}
