//! Survey exports as users' own forms write them, end to end through the
//! CLI, in both paths (`--out`, the batch path; stdout, the streamed path):
//! day-first dates, other tools' stock labels, ids that differ only in case,
//! Microsoft Forms' response counter, undecodable bytes in a column nobody
//! scores. Inputs are in tests/fixtures/exports or made here.

use crate::support::Workdir;

/// The header of a plain file with every item of the built-in questionnaire.
fn item_header() -> String {
    let q = servicefit::builtin::questionnaire().expect("built-in");
    let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
    ids.join(",")
}

/// One output of a run: exit code, stdout, stderr.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(work: &Workdir, args: &[&str]) -> Run {
    let output = work.command(args).output().expect("run");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).to_string(),
    }
}

/// The candidate ids of a results CSV (its second column), in rank order.
fn ranked_ids(csv: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv")[1].to_string())
        .collect()
}

#[test]
fn undecodable_bytes_in_a_column_not_scored_keep_the_candidate() {
    // 600 plain rows (over the 64 KiB the encoding is detected from, so
    // UTF-8 is chosen), then row 602 with a Windows-1252 "José Müller" in
    // the Name column, which is not scored.
    let work = Workdir::new();
    let answers = vec!["3"; 84].join(",");
    let mut text = format!("candidate_id,Name,{}\n", item_header()).into_bytes();
    for n in 0..600 {
        text.extend(format!("c{n},Ann Lee,{answers}\n").bytes());
    }
    text.extend(b"jose,Jos\xe9 M\xfcller,");
    text.extend(format!("{answers}\n").bytes());
    std::fs::write(work.dir.path().join("late.csv"), text).expect("write");
    let warning = "warning: 1 row(s) hold bytes that are not valid utf-8 in columns that are not scored \
                   (the first: 'Name'); the rows were scored all the same (--encoding chooses another encoding)";
    for args in [
        &["score", "late.csv", "--role", "retail", "--out", "out"][..],
        &["score", "late.csv", "--role", "retail"],
        &["score", "late.csv", "--role", "retail", "--unsorted"],
    ] {
        let run = run(&work, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("rows read 601 = scored 601 + rejected 0"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(warning), "{args:?}: {}", run.stderr);
    }
    assert!(ranked_ids(&work.read("out/results.csv")).contains(&"jose".to_string()));
}

#[test]
fn email_ids_differing_only_in_case_are_one_candidate() {
    // Rows 2 and 3 are one applicant who typed their address twice (the
    // later submission, row 3, is kept as it wrote the id); `bob` and `BOB`
    // are not addresses, so they are two candidates.
    let work = Workdir::new();
    let answers = vec!["3"; 84].join(",");
    let rows = [
        ("ann@example.com", "2024-06-02 09:00:00"),
        (" ANN@Example.com ", "2024-06-09 10:00:00"),
        ("bob", "2024-06-03 09:00:00"),
        ("BOB", "2024-06-04 09:00:00"),
    ];
    let mut text = format!("candidate_id,Timestamp,{}\n", item_header());
    for (id, time) in rows {
        text.push_str(&format!("{id},{time},{answers}\n"));
    }
    work.write("case.csv", &text);
    let superseded = "row 2 (ann@example.com): superseded by row 3";
    let batch = run(
        &work,
        &["score", "case.csv", "--role", "retail", "--out", "out"],
    );
    assert_eq!(batch.code, 0, "{}", batch.stderr);
    assert!(batch.stderr.contains(superseded), "{}", batch.stderr);
    assert!(batch
        .stderr
        .contains("rows read 4 = scored 3 + rejected 0 + superseded 1"));
    let mut ids = ranked_ids(&work.read("out/results.csv"));
    ids.sort();
    assert_eq!(ids, ["ANN@Example.com", "BOB", "bob"]);
    assert!(work.read("out/rejects.csv").contains(
        "2,ann@example.com,,,superseded by row 3: the same candidate id submitted again (duplicates policy latest)\n"
    ));
    let streamed = run(&work, &["score", "case.csv", "--role", "retail"]);
    assert!(streamed.stderr.contains(superseded), "{}", streamed.stderr);
    assert_eq!(streamed.stdout, work.read("out/results.csv"));
    let reject = run(
        &work,
        &[
            "score",
            "case.csv",
            "--role",
            "retail",
            "--duplicates",
            "reject",
        ],
    );
    assert!(reject.stderr.contains(
        "row 3 (ANN@Example.com): the candidate id appears on rows 2, 3; duplicates policy reject scores none of them"
    ), "{}", reject.stderr);
    let explained = run(
        &work,
        &[
            "score",
            "case.csv",
            "--role",
            "retail",
            "--explain",
            "Ann@example.COM",
        ],
    );
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(explained.stdout.contains("row 3"), "{}", explained.stdout);
}
