//! What hiring managers' pages say (issue 20): gap words that match the
//! numbers, invalid and caution pages, plain labels ("score", not "sten").

use std::path::Path;

use crate::support::{repo, Workdir};

/// The six made-up applicants of tests/fixtures/report-applicants.csv.
fn applicants() -> String {
    std::fs::read_to_string(repo("tests/fixtures/report-applicants.csv")).expect("fixture")
}

/// The built-in retail profile, with conformity tolerating only 1.5 above
/// its band and a focus minimum of 4, so that bob-stone (conformity 8.71
/// continuous, shown 9, band 4–7; focus 2.97, shown 3, band 6 or more) has
/// a serious gap above the range and one below a minimum.
fn strict_retail() -> String {
    let text = std::fs::read_to_string(repo("profiles/retail.json")).expect("profile");
    let mut profile: serde_json::Value = serde_json::from_str(&text).expect("json");
    for target in profile["targets"].as_array_mut().expect("targets") {
        match target["scale"].as_str() {
            Some("conformity") => target["tolerance_above"] = 1.5.into(),
            Some("focus") => target["minimum"] = 4.into(),
            _ => {}
        }
    }
    profile.to_string()
}

fn stdout(work: &Workdir, args: &[&str]) -> String {
    let out = work.command(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

/// The words of `text`, split at anything that is not a letter.
fn has_word(text: &str, words: &[&str]) -> bool {
    text.split(|c: char| !c.is_alphabetic())
        .any(|w| words.contains(&w.to_lowercase().as_str()))
}

#[test]
fn a_gap_above_the_range_is_never_called_below() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    work.write("strict.json", &strict_retail());
    let args = ["score", "a.csv", "--role", "strict.json", "--out"];
    work.command(&[&args[..], &["html", "--format", "html"]].concat())
        .assert()
        .success();
    work.command(&[&args[..], &["md", "--format", "markdown"]].concat())
        .assert()
        .success();
    let html = work.read("html/candidates/bob-stone.html");
    let markdown = work.read("md/candidates/bob-stone.md");
    for page in [html.replace("&#39;", "'"), markdown] {
        // Conformity: closeness 0 (8.71 − 7 = 1.71 ≥ 1.5), above the band.
        assert!(page.contains("But Conformity is far above the role's range and Focus is below the role's minimum: probe them first"), "{page}");
        assert!(!page.contains("far outside the role's range or below its minimum"));
        assert!(!page.contains("Conformity is far below"));
        // Gap sentences from the same reading the table and chart show: 9 − 7 = 2 above; 6 − 3 = 3 below.
        assert!(page.contains("Score 9, 2 above the role's range (4–7)."));
        assert!(page.contains(
            "Score 3, 3 below the role's range (6 or more). Below the role's minimum of 4."
        ));
        assert!(page.contains("Minimum not met for Retail sales floor (Focus score 3, minimum 4)."));
        // The flag in plain words; "sten" stays in the JSON's and CSV's flags.
        assert!(page.contains("Focus below the role's minimum: score 3, minimum 4"));
        assert!(!has_word(&page, &["sten", "stens"]));
    }
    let csv = stdout(
        &work,
        &["score", "a.csv", "--role", "strict.json", "--format", "csv"],
    );
    assert!(csv.contains("Focus below the role's minimum (sten 3, minimum 4)"));
    // The chart's note for conformity says the same as the words.
    assert!(html.contains("bob-stone score 9 (90% range"));
    assert!(html.contains(", 2 above)"));
}

#[test]
fn an_invalid_page_says_why_and_what_to_do_not_what_the_fit_would_be() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    work.command(&[
        "score", "a.csv", "--role", "retail", "--format", "html", "--out", "html",
    ])
    .assert()
    .success();
    work.command(&[
        "score", "a.csv", "--role", "retail", "--format", "markdown", "--out", "md",
    ])
    .assert()
    .success();
    let html = work.read("html/candidates/eli-ross.html");
    let markdown = work.read("md/candidates/eli-ross.md");
    for page in [&html, &markdown] {
        for absent in [
            "<svg",
            "```text",
            "Fit points lost",
            "below minimum",
            "Gaps —",
            "Strengths",
            "How sure",
        ] {
            assert!(!page.contains(absent), "{absent} in {page}");
        }
        assert!(page.contains("Why the answers cannot be trusted"));
        // eli-ross answered 'Agree' to 39 items in a row (a reason of the JSON output).
        assert!(page.contains("They gave the same answer to 39 questions in a row"));
        assert!(page.contains("They answered questions about the same quality in opposite ways."));
        assert!(page.contains("What to do next"));
        assert!(page.contains(
            "Invite the candidate to answer the questionnaire again, ideally supervised"
        ));
        assert!(page.contains("decide on a structured interview and references alone"));
        assert!(
            page.contains("What these results rest on"),
            "the evidence block stays"
        );
    }
    assert!(html.contains("<footer class=\"provenance\">"));
    // The index lists no gaps for eli-ross, whose scores say nothing.
    let index = work.read("html/index.html");
    let row = index
        .lines()
        .find(|l| l.contains(">eli-ross</a>"))
        .expect("eli-ross row");
    assert!(row.ends_with("<td></td></tr>"), "{row}");
    let index = work.read("md/index.md");
    let row = index
        .lines()
        .find(|l| l.contains("[eli-ross]"))
        .expect("eli-ross row");
    assert!(row.ends_with("| No fit given |  |"), "{row}");
}

#[test]
fn a_caution_page_says_what_to_probe() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let markdown = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "markdown"],
    );
    let dee = &markdown[markdown.find(" dee-park — ").expect("dee-park")..];
    let dee = &dee[..dee.find("\n## #").unwrap_or(dee.len())];
    assert!(dee.contains(
        "They described themselves as flawless beyond what almost anyone can honestly claim"
    ));
    assert!(dee.contains("**What to probe about the answers:**\n\n- The self-description is very favourable: ask for concrete examples"));
    assert!(dee.contains("check references"));
    assert!(
        !dee.contains("impression management sten"),
        "the consultant's words stay in JSON"
    );
}

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn hiring_managers_read_score_and_consultants_keep_sten() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let explanation = "on a 1–10 scale where 5–6 is average";
    for (format, ext) in [("html", "html"), ("markdown", "md")] {
        work.command(&[
            "score", "a.csv", "--role", "retail", "--format", format, "--out", format,
        ])
        .assert()
        .success();
        let pages: Vec<_> = files(&work.dir.path().join(format))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        // An index and six candidates.
        assert_eq!(pages.len(), 7, "{pages:?}");
        for path in pages {
            let page = std::fs::read_to_string(&path).expect("page");
            assert!(!has_word(&page, &["sten", "stens"]), "{}", path.display());
            // Explained once on every page that shows scores (not eli-ross's).
            let expected = usize::from(!path.ends_with(format!("eli-ross.{ext}")));
            assert_eq!(
                page.matches(explanation).count(),
                expected,
                "{}",
                path.display()
            );
        }
        let document = stdout(
            &work,
            &["score", "a.csv", "--role", "retail", "--format", format],
        );
        assert!(!has_word(&document, &["sten", "stens"]));
        assert_eq!(document.matches(explanation).count(), 1);
    }
    for format in ["html", "markdown"] {
        let args = [
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            "ann-lee,bob-stone,dee-park,eli-ross",
            "--format",
            format,
        ];
        assert!(
            !has_word(&stdout(&work, &args), &["sten", "stens"]),
            "compare {format}"
        );
    }
    let json = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "json"],
    );
    assert!(json.contains("\"sten\":"));
    let csv = stdout(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "csv"],
    );
    assert!(csv.contains("impression management sten 10"));
}

#[test]
fn a_comparison_shows_no_score_of_invalid_answers() {
    let work = Workdir::new();
    work.write("a.csv", &applicants());
    let compare = |format: &str| {
        let args = [
            "compare",
            "a.csv",
            "--role",
            "retail",
            "--ids",
            "ann-lee,eli-ross",
            "--format",
            format,
        ];
        stdout(&work, &args)
    };
    // eli-ross's stens are 3, 2, 2, 4, 2, 3 (score's JSON); none may appear as a score.
    let html = compare("html");
    let row = html
        .lines()
        .find(|l| l.starts_with("<tr><td>Trust</td>"))
        .expect("trust row");
    let cells: Vec<&str> = row.split("<td>").collect();
    assert_eq!(
        cells.last().unwrap().trim_end_matches("</td></tr>"),
        "<strong>–</strong> answers not trusted"
    );
    assert_eq!(html.matches("answers not trusted</td>").count(), 6);
    assert!(html.contains("eli-ross (not shown: answers not trusted)"));
    let markdown = compare("markdown");
    assert!(markdown.contains("B = eli-ross (not shown: answers not trusted)"));
    let chart: Vec<&str> = markdown
        .lines()
        .skip_while(|l| !l.starts_with("score "))
        .take(7)
        .collect();
    assert!(chart.iter().all(|l| !l.contains('B')), "{chart:?}");
    let terminal = compare("terminal");
    let trust = terminal
        .lines()
        .find(|l| l.starts_with("Trust"))
        .expect("trust");
    assert!(trust.trim_end().ends_with('–'), "{trust}");
}
