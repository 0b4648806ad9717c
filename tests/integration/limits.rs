//! Hostile sizes: enormous and deeply nested JSON data files, huge fields,
//! very long lines and very wide headers each end in a clear message and exit
//! code, with memory bounded by the limits in `servicefit::limits`.

use servicefit::limits::{MAX_COLUMNS, MAX_DATA_FILE_BYTES, MAX_RECORD_BYTES};

use crate::support::Workdir;

fn stderr_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8_lossy(&out.get_output().stderr).to_string()
}

/// A header of the built-in questionnaire's 72 items (plus id), and one good row.
fn builtin_header_and_row() -> (String, String) {
    let q = servicefit::builtin::questionnaire().expect("built-in loads");
    let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
    let answers: Vec<String> = (0..ids.len()).map(|i| (1 + i % 5).to_string()).collect();
    (format!("candidate_id,{}", ids.join(",")), answers.join(","))
}

#[test]
fn an_enormous_profile_file_is_refused_before_it_is_read_whole() {
    let wd = Workdir::new();
    wd.write("a.csv", "candidate_id,TR01\nx,4\n");
    let big = format!(
        "{{\"id\":\"{}\"}}",
        "x".repeat(MAX_DATA_FILE_BYTES as usize)
    );
    wd.write("huge.json", &big);
    let err = stderr_of(
        &mut wd.command(&["score", "a.csv", "--role", "huge.json"]),
        2,
    );
    assert!(err.contains("error: cannot read huge.json"), "{err}");
    assert!(
        err.contains(
            "caused by: the file is larger than 16777216 bytes, the most a data file may have"
        ),
        "{err}"
    );
    let out = wd.command(&["check", "huge.json"]).assert().code(2);
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "huge.json: cannot read: the file is larger than 16777216 bytes, the most a data file may have\n"
    );
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let wd = Workdir::new();
    wd.write("a.csv", "candidate_id,TR01\nx,4\n");
    wd.write("deep.json", &"[".repeat(1_000_000));
    let err = stderr_of(
        &mut wd.command(&["score", "a.csv", "--norms", "deep.json", "--role", "retail"]),
        2,
    );
    // Structs also deserialise from arrays, so the loader stops at the first
    // element of the wrong type; where a shape would nest further, serde_json
    // stops at depth 128 ("brackets nested more than 128 deep").
    assert!(
        err.contains(
            "deep.json: not a valid norms file at line 1, column 1: a list; expected a string"
        ),
        "{err}"
    );
    wd.write(
        "deep-field.json",
        &format!("{{\"id\":{}", "[".repeat(1_000_000)),
    );
    let err = stderr_of(
        &mut wd.command(&[
            "score",
            "a.csv",
            "--norms",
            "deep-field.json",
            "--role",
            "retail",
        ]),
        2,
    );
    assert!(
        err.contains("deep-field.json: not a valid norms file at line 1, column 6: a list; expected a string"),
        "{err}"
    );
}

#[test]
fn a_very_long_line_stops_with_its_line_number() {
    let wd = Workdir::new();
    let (header, row) = builtin_header_and_row();
    // Row 3 carries a 2 MiB comment: over the 1 MiB record limit.
    let long = format!(
        "{header},note\nA,{row},ok\nB,{row},{}\nC,{row},ok\n",
        "x".repeat(2 * MAX_RECORD_BYTES)
    );
    wd.write("long.csv", &long);
    let err = stderr_of(
        &mut wd.command(&["score", "long.csv", "--role", "retail"]),
        2,
    );
    assert!(
        err.contains(
            "the record reaching line 3 is longer than 1048576 bytes, the most a row may have"
        ),
        "{err}"
    );
}

#[test]
fn a_huge_field_within_the_limit_is_rejected_and_quoted_briefly() {
    let wd = Workdir::new();
    let (header, row) = builtin_header_and_row();
    // TR01's cell holds 500,000 'x': rejected, the message quotes its first 100 characters.
    let cell = "x".repeat(500_000);
    let rest = row.split_once(',').expect("72 answers").1;
    wd.write("big.csv", &format!("{header}\nA,{row}\nB,{cell},{rest}\n"));
    let out = wd
        .command(&["score", "big.csv", "--role", "retail", "--out", "out"])
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let shown = format!("'{}…' is not a response label", "x".repeat(100));
    assert!(err.contains(&shown), "{}", &err[..err.len().min(2000)]);
    assert!(wd.read("out/rejects.csv").len() < 1000);
    assert!(err.contains("rows read 2 = scored 1 + rejected 1"), "{err}");
}

#[test]
fn a_header_wider_than_the_limit_is_a_header_error() {
    let wd = Workdir::new();
    let columns: Vec<String> = (0..MAX_COLUMNS + 1).map(|i| format!("c{i}")).collect();
    wd.write("wide.csv", &format!("candidate_id,{}\n", columns.join(",")));
    let err = stderr_of(
        &mut wd.command(&["score", "wide.csv", "--role", "retail"]),
        2,
    );
    assert!(
        err.contains("wide.csv: header row: 10002 columns; expected at most 10000 columns"),
        "{err}"
    );
}

#[test]
fn a_million_columns_is_a_clear_error() {
    let wd = Workdir::new();
    // 1,000,000 one-letter columns: 2 MB in one line, over the record limit.
    wd.write(
        "million.csv",
        &format!("candidate_id{}\n", ",c".repeat(1_000_000)),
    );
    let err = stderr_of(
        &mut wd.command(&["score", "million.csv", "--role", "retail"]),
        2,
    );
    assert!(
        err.contains("the record reaching line 1 is longer than 1048576 bytes"),
        "{err}"
    );
}

/// A cell of 2 MiB: over the record limit of 1 MiB.
fn huge_cell() -> String {
    "x".repeat(2 * MAX_RECORD_BYTES)
}

#[test]
fn a_map_without_end_stops_at_the_data_file_limit() {
    let wd = Workdir::new();
    wd.write("a.csv", "candidate_id,TR01\nx,4\n");
    let err = stderr_of(
        &mut wd.command(&["score", "a.csv", "--role", "retail", "--map", "/dev/zero"]),
        2,
    );
    assert!(
        err.contains("cannot read /dev/zero: the file is larger than 16777216 bytes"),
        "{err}"
    );
}

#[test]
fn group_ratings_and_results_files_have_the_record_limit() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "rank,candidate_id,status,fit,fit_band\n1,a,valid,80.0,good\n",
    );
    wd.write("g.csv", &format!("candidate_id,sex\na,{}\n", huge_cell()));
    let audit = |results: &str| {
        let args = [
            "audit", results, "--groups", "g.csv", "--group", "sex", "--band", "good",
        ];
        stderr_of(&mut wd.command(&args), 2)
    };
    let err = audit("r.csv");
    assert!(err.contains("g.csv"), "{err}");
    assert!(
        err.contains("the record reaching line 2 is longer than 1048576 bytes"),
        "{err}"
    );
    wd.write(
        "r.csv",
        &format!(
            "rank,candidate_id,status,fit,fit_band\n1,a,valid,80.0,{}\n",
            huge_cell()
        ),
    );
    wd.write("g.csv", "candidate_id,sex\na,f\n");
    let err = audit("r.csv");
    assert!(
        err.contains("the record reaching line 2 is longer than 1048576 bytes"),
        "{err}"
    );
    let (header, row) = builtin_header_and_row();
    wd.write("s.csv", &format!("{header}\nx,{row}\n"));
    wd.write(
        "ratings.csv",
        &format!("candidate_id,rating\nx,{}\n", huge_cell()),
    );
    let args = [
        "profile",
        "calibrate",
        "s.csv",
        "--performance",
        "ratings.csv",
        "--name",
        "x",
        "--out",
        "p.json",
    ];
    let err = stderr_of(&mut wd.command(&args), 2);
    assert!(
        err.contains("the record reaching line 2 is longer than 1048576 bytes"),
        "{err}"
    );
}
