//! The adversarial probe's bad inputs (issue 19, tests/fixtures/probe/):
//! wrong numbers that used to pass without a word, and user text that used
//! to act instead of being shown.

use crate::support::{repo, Workdir};

fn fixture(dir: &str, name: &str) -> String {
    repo(&format!("tests/fixtures/{dir}/{name}"))
        .display()
        .to_string()
}

fn stderr_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8_lossy(&out.get_output().stderr).to_string()
}

fn stdout_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8_lossy(&out.get_output().stdout).to_string()
}

/// `score` on the tiny responses with the tiny questionnaire and the given norms and role.
fn score_tiny(dir: &Workdir, norms: &str, role: &str, extra: &[&str]) -> assert_cmd::Command {
    let (responses, questionnaire) = (
        fixture("tiny", "responses.csv"),
        fixture("tiny", "questionnaire.json"),
    );
    let mut args = vec![
        "score",
        responses.as_str(),
        "--questionnaire",
        questionnaire.as_str(),
        "--norms",
        norms,
        "--role",
        role,
    ];
    args.extend_from_slice(extra);
    dir.command(&args)
}

#[test]
fn a_key_given_twice_in_a_map_is_refused_with_the_key_and_line() {
    let dir = Workdir::new();
    let norms = fixture("probe", "norms-duplicate-scale.json");
    let err = stderr_of(
        &mut score_tiny(&dir, &norms, &fixture("tiny", "profile.json"), &[]),
        2,
    );
    assert!(
        err.contains(&format!(
            "{norms}: not a valid norms file at line 6, column 7: the key \"a\" a second time in one object"
        )),
        "{err}"
    );
    let report = stdout_of(&mut dir.command(&["check", &norms]), 2);
    assert!(
        report.contains("line 6, column 7: found the key \"a\" a second time in one object"),
        "{report}"
    );
}

#[test]
fn a_json_file_with_a_byte_order_mark_is_read() {
    let dir = Workdir::new();
    let with_mark = fixture("probe", "profile-bom.json");
    let norms = fixture("tiny", "norms.json");
    let plain = stdout_of(
        &mut score_tiny(
            &dir,
            &norms,
            &fixture("tiny", "profile.json"),
            &["--format", "csv"],
        ),
        0,
    );
    let marked = stdout_of(
        &mut score_tiny(&dir, &norms, &with_mark, &["--format", "csv"]),
        0,
    );
    assert_eq!(marked, plain);
    let questionnaire = fixture("tiny", "questionnaire.json");
    dir.command(&["check", &questionnaire, &with_mark])
        .assert()
        .code(0);
}
