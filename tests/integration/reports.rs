//! The formats people read (HTML, Markdown, terminal) and `compare`, end to end.

use std::path::Path;

use crate::support::{repo, Workdir};

/// The six made-up applicants of tests/fixtures/report-applicants.csv
/// (made by make_report_applicants.py).
fn applicants() -> String {
    std::fs::read_to_string(repo("tests/fixtures/report-applicants.csv")).expect("fixture")
}

/// The fixture with each listed candidate's id replaced (CSV-quoted).
fn with_ids(replacements: &[(&str, &str)]) -> String {
    let mut text = applicants();
    for (old, new) in replacements {
        let quoted = format!("\"{}\"", new.replace('"', "\"\""));
        text = text.replacen(&format!("\n{old},"), &format!("\n{quoted},"), 1);
    }
    text
}

fn stdout(work: &Workdir, args: &[&str]) -> String {
    let out = work.command(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

const SCRIPT_ID: &str = "<script>alert(1)</script>";
const IMG_ID: &str = "\"><img src=x onerror=alert(1)>";

#[test]
fn html_document_ranks_and_explains() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let html = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "html"],
    );
    // Rank order: valid and caution together by fit as shown (ann-lee, dee-park
    // and fay-quinn all read 100, the surer range first: 95, 94, 84), then
    // invalid (eli-ross) last.
    let order: Vec<usize> = [
        "ann-lee",
        "dee-park",
        "fay-quinn",
        "cy-ng",
        "bob-stone",
        "eli-ross",
    ]
    .iter()
    .map(|id| html.find(&format!(">{id}</a>")).expect(id))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // One section per candidate; a chart, with its text alternative, for
    // each but the invalid eli-ross, whose scores say nothing.
    assert_eq!(html.matches("<section class=\"candidate\"").count(), 6);
    assert_eq!(html.matches("<svg class=\"profile\"").count(), 5);
    assert_eq!(html.matches("<desc id=").count(), 5);
    assert!(html.contains("Trust: role&#39;s range 5 to 8, minimum 3; bob-stone score 6"));
    assert!(html.contains("Provisional norms."));
    assert!(html.contains("No recommendation: the answers cannot be trusted."));
    // bob-stone's focus gap (sten 3, band 6–10) brings the questionnaire's "low" probes.
    assert!(html.contains("Tell me about a time when you were serving a customer and something else needed your attention."));
    assert!(!html.contains("<script"), "no script at all");
}

#[test]
fn html_folder_has_index_and_one_page_per_candidate() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    work.command(&[
        "score", "a.csv", "--role", "retail", "--format", "html", "--out", "out",
    ])
    .assert()
    .success();
    let index = work.read("out/index.html");
    assert!(index.contains("href=\"candidates/bob-stone.html\""));
    let page = work.read("out/candidates/bob-stone.html");
    assert!(page.contains("href=\"../index.html\""));
    assert!(page.contains("<footer class=\"provenance\">"));
    let pages = std::fs::read_dir(work.dir.path().join("out/candidates"))
        .unwrap()
        .count();
    assert_eq!(pages, 6);
    insta::assert_snapshot!("bob_stone_page", page);
}

#[test]
fn hostile_ids_are_escaped_everywhere() {
    let work = Workdir::new();
    work.write(
        "a.csv",
        &with_ids(&[("ann-lee", SCRIPT_ID), ("bob-stone", IMG_ID)]),
    );
    let html = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "html"],
    );
    for raw in [SCRIPT_ID, IMG_ID, "<img", "<script"] {
        assert!(!html.contains(raw), "{raw} unescaped");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    let markdown = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "markdown"],
    );
    assert!(!markdown.contains("<script") && !markdown.contains("<img"));
    let compare = stdout(
        &work,
        &[
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            &format!("{SCRIPT_ID},cy-ng"),
            "--format",
            "html",
        ],
    );
    assert!(!compare.contains("<script") && compare.contains("&lt;script&gt;"));
    work.command(&[
        "score", "a.csv", "--role", "retail", "--format", "html", "--out", "out",
    ])
    .assert()
    .success();
    let mut names: Vec<String> = std::fs::read_dir(work.dir.path().join("out/candidates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(
        names.contains(&"_script_alert_1___script_.html".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"___img_src_x_onerror_alert_1__.html".to_string()),
        "{names:?}"
    );
    assert!(!work.read("out/index.html").contains("<img"));
}

#[test]
fn ids_that_sanitise_alike_get_distinct_files_inside_the_folder() {
    let work = Workdir::new();
    // ann-lee (row 2, rank 1) and fay-quinn (row 3, rank 2): "../a/b" and ".._a_b" both
    // sanitise to ".._a_b", whose leading dot becomes "_": "_._a_b"; the second gets "-r3".
    work.write(
        "a.csv",
        &with_ids(&[("ann-lee", "../a/b"), ("fay-quinn", ".._a_b")]),
    );
    work.command(&[
        "score", "a.csv", "--role", "retail", "--format", "markdown", "--out", "out",
    ])
    .assert()
    .success();
    let dir = work.dir.path().join("out/candidates");
    assert!(dir.join("_._a_b.md").exists());
    assert!(dir.join("_._a_b-r3.md").exists());
    assert!(!work.dir.path().join("a").exists() && !Path::new("out/a").exists());
}

#[test]
fn markdown_and_terminal_snapshots() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let terminal = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "terminal"],
    );
    assert!(!terminal.contains('\x1b'), "no colour when not a terminal");
    insta::assert_snapshot!("score_terminal", terminal);
    let markdown = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "markdown"],
    );
    insta::assert_snapshot!("score_markdown", markdown);
}

#[test]
fn terminal_neutralises_control_characters_in_ids() {
    let work = Workdir::new();
    work.write("a.csv", &with_ids(&[("ann-lee", "\x1b[31mred")]));
    let terminal = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "terminal"],
    );
    assert!(!terminal.contains('\x1b') && terminal.contains("?[31mred"));
}

#[test]
fn compare_says_which_differences_are_real() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let text = stdout(
        &work,
        &[
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            "ann-lee,bob-stone,fay-quinn",
        ],
    );
    // ann-lee vs bob-stone: fit 100 [79,100] vs 62 [33,96] — the 90% fit ranges
    // (each attribute at 98.3%, METHOD §5.3) overlap, so not a difference on fit.
    assert!(text.contains("ann-lee and bob-stone cannot be told apart on overall fit (100 vs 62)"));
    // ann-lee vs fay-quinn: 100 [79,100] vs 100 overlap.
    assert!(text.contains("ann-lee and fay-quinn cannot be told apart on overall fit"));
    insta::assert_snapshot!("compare_terminal", text);
    let markdown = stdout(
        &work,
        &[
            "compare", "a.csv", "--role", "retail", "--format", "markdown",
        ],
    );
    insta::assert_snapshot!("compare_markdown", markdown);
}

#[test]
fn compare_shows_an_unscored_attribute_without_an_empty_range() {
    // zed answered only the first item: no scale can be scored.
    let mut text = applicants();
    let items = text.lines().next().expect("header").split(',').count() - 1;
    text.push_str(&format!("zed,4{}\n", ",".repeat(items - 1)));
    let work = Workdir::new();
    work.write("a.csv", &text);
    for format in ["html", "terminal"] {
        let args = [
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            "ann-lee,zed",
        ];
        let out = stdout(&work, &[&args[..], &["--format", format]].concat());
        assert!(out.contains("not scored"), "{format}");
        assert!(!out.contains("()"), "{format}: an empty range in brackets");
    }
    // The side-by-side table scrolls sideways on a narrow screen rather than spilling out.
    let args = ["compare", "a.csv", "--role", "retail", "--format", "html"];
    assert!(stdout(&work, &args).contains(
        "<div class=\"wide\" role=\"region\" tabindex=\"0\" aria-label=\"Scores side by side\"><table>"
    ));
}

#[test]
fn compare_refuses_unknown_duplicate_and_too_many_ids() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let fails = |args: &[&str], message: &str| {
        let out = work.command(args).assert().code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(stderr.contains(message), "{stderr}");
    };
    fails(
        &[
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            "ann-lee,nobody",
        ],
        "candidate 'nobody' not found",
    );
    fails(
        &["compare", "a.csv", "--role", "retail", "--ids", "ann-lee"],
        "expected 2 to 8",
    );
    fails(
        &[
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            "a,b,c,d,e,f,g,h,i",
        ],
        "expected 2 to 8",
    );
    fails(
        &[
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            "ann-lee,ann-lee",
        ],
        "twice",
    );
    work.write("dup.csv", &with_ids(&[("fay-quinn", "ann-lee")]));
    fails(
        &[
            "compare",
            "dup.csv",
            "--role",
            "retail",
            "--ids",
            "ann-lee,cy-ng",
            "--duplicates",
            "keep-all",
        ],
        "appears on rows 2, 3",
    );
    let one: String = applicants()
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    work.write("one.csv", &one);
    fails(
        &["compare", "one.csv", "--role", "retail"],
        "compare needs at least 2",
    );
}

/// The 16 characters before each `level` in `text`, digits masked: where a
/// report names the level, whatever the scores around it.
fn level_contexts(text: &str, level: &str) -> std::collections::BTreeSet<String> {
    text.match_indices(level)
        .map(|(at, _)| {
            let before: Vec<char> = text[..at].chars().rev().take(16).collect();
            before
                .into_iter()
                .rev()
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect()
        })
        .collect()
}

/// The stdout of `args` on examples/applicants.csv, which exit 1: its row 20 is rejected.
fn stdout_one_rejected(work: &Workdir, args: &[&str]) -> String {
    let out = work.command(args).assert().code(1);
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

/// `args` run at the default level and with `--confidence 0.95`; each run's
/// output is stdout, or with `folder` every file the run wrote there.
fn at_both_levels(work: &Workdir, args: &[&str], folder: Option<&str>) -> (String, String) {
    let run = |extra: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(extra);
        let Some(folder) = folder else {
            return stdout_one_rejected(work, &all);
        };
        let dir = work.dir.path().join(folder);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("clear the output folder");
        }
        all.extend_from_slice(&["--out", folder]);
        work.command(&all).assert().code(1);
        let mut files: Vec<_> = walk(&dir);
        files.sort();
        assert!(files.len() > 1, "{files:?}");
        files
            .iter()
            // results.xlsx is binary, and holds what results.csv holds.
            .filter(|f| f.extension().is_none_or(|e| e != "xlsx"))
            .map(|f| std::fs::read_to_string(f).expect("page"))
            .collect::<String>()
    };
    (run(&[]), run(&["--confidence", "0.95"]))
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .expect("folder")
        .flat_map(|entry| {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

#[test]
fn every_label_names_the_confidence_level_in_use() {
    let work = Workdir::new();
    let input = repo("examples/applicants.csv");
    let input = input.to_str().expect("utf-8 path");
    let score = ["score", input, "--role", "retail", "--format"];
    let ids = "APP-1001,APP-1002,APP-1004";
    let compare = ["compare", input, "--role", "retail", "--ids", ids];
    let runs: [(Vec<&str>, Option<&str>); 7] = [
        ([&score[..], &["html"]].concat(), None),
        ([&score[..], &["html"]].concat(), Some("html")),
        ([&score[..], &["markdown"]].concat(), None),
        ([&score[..], &["markdown"]].concat(), Some("md")),
        ([&score[..], &["terminal"]].concat(), None),
        (compare.to_vec(), None),
        ([&compare[..], &["--format", "html"]].concat(), None),
    ];
    for (args, folder) in runs {
        let (default, at_95) = at_both_levels(&work, &args, folder);
        let before = level_contexts(&default, "90%");
        assert!(!before.is_empty(), "{args:?}: the default names 90%");
        assert!(!at_95.contains("90%"), "{args:?}: 90% left at 95%");
        assert!(!(default + &at_95).contains("%%"), "{args:?}: a doubled %");
        let after = level_contexts(&at_95, "95%");
        let missing: Vec<_> = before.difference(&after).collect();
        assert!(missing.is_empty(), "{args:?}: no 95% after {missing:?}");
    }
    // Six labels of one HTML page, at a level with a decimal.
    let html = stdout_one_rejected(
        &work,
        &[&score[..], &["html", "--confidence", "97.5%"]].concat(),
    );
    for label in [
        "score (97.5% range)",
        "score with 97.5% range",
        "<th class=\"num\">97.5% range</th>",
        "Fit (97.5% range)",
        "lies with 97.5% confidence.",
        "Options: confidence 97.5%,",
    ] {
        assert!(html.contains(label), "{label}");
    }
    let explained = stdout(
        &work,
        &[
            "score",
            input,
            "--role",
            "retail",
            "--explain",
            "APP-1001",
            "--confidence",
            "0.975",
        ],
    );
    assert!(explained.contains("; confidence 97.5%."), "{explained}");
}
