//! Statements of certainty and the ranking that follows them: validity
//! items that must be present, intervals, fit ranges and the order of
//! candidates, on small hand-checked inputs (tests/fixtures/validity).

use crate::support::{repo, Workdir};

/// A folder with the small questionnaire with validity items, its norms and profile.
fn validity_workdir() -> Workdir {
    let wd = Workdir::new();
    for name in ["questionnaire.json", "norms.json", "profile.json"] {
        let text = std::fs::read_to_string(repo(&format!("tests/fixtures/validity/{name}")))
            .expect("fixture");
        wd.write(name, &text);
    }
    wd
}

fn score_args<'a>(input: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "score",
        input,
        "--questionnaire",
        "questionnaire.json",
        "--norms",
        "norms.json",
        "--role",
        "profile.json",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_validity_item_without_a_column_is_refused_unless_asked_to_go_on() {
    let wd = validity_workdir();
    // The attention item's header was retyped ("statment", no quotes): it matches nothing.
    wd.write(
        "r.csv",
        "candidate_id,A1,B1,IM1,A2,\"For this statment, choose Agree\",B2,IM2,A3,B3,IM3\n\
         c1,4,3,2,5,4,4,2,2,1,3\n",
    );
    let out = wd.command(&score_args("r.csv", &[])).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no column for validity item(s) AT1")
            && stderr.contains("nearest unmatched header 'For this statment, choose Agree'")
            && stderr.contains("--without-validity-items"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    for format in ["csv", "json"] {
        let out = wd
            .command(&score_args(
                "r.csv",
                &["--without-validity-items", "--format", format],
            ))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("validity check not possible: no column for attention item AT1"),
            "{format}: {stdout}"
        );
    }
}
