//! `profile calibrate`'s evidence end to end on the README's example staff:
//! Holm-adjusted decisions, bootstrap intervals of the band edges, the fit
//! beside the composites, Cleary's test by group, and the report as JSON,
//! Markdown and an HTML page.

use crate::support::{repo, Run, Workdir};
use servicefit::analysis::calibrate::evidence::{holm, ALPHA};

/// `profile calibrate` of examples/incumbents.csv with `extra` arguments (200 resamples unless given).
fn calibrate(dir: &Workdir, name: &str, extra: &[&str]) -> Run {
    let incumbents = repo("examples/incumbents.csv").display().to_string();
    let mut args = vec![
        "profile",
        "calibrate",
        &incumbents,
        "--performance",
        "rating",
        "--name",
        name,
        "--out",
        "p.json",
    ];
    if !extra.contains(&"--bootstrap") {
        args.extend(["--bootstrap", "200"]);
    }
    args.extend(extra);
    let run = dir.run(&args);
    // Three rows of the example are damaged on purpose: exit 1, the report written.
    assert_eq!(run.code, 1, "{}", run.stderr);
    run
}

fn json(dir: &Workdir, extra: &[&str]) -> serde_json::Value {
    let args = [&["--format", "json", "--group", "site"], extra].concat();
    serde_json::from_str(&calibrate(dir, "Harbour", &args).stdout).unwrap()
}

#[test]
fn json_carries_holm_p_the_decisions_and_every_new_figure() {
    let dir = Workdir::new();
    let report = json(&dir, &[]);
    let attributes = report["attributes"].as_array().unwrap();
    let p: Vec<Option<f64>> = attributes.iter().map(|a| a["p"].as_f64()).collect();
    assert_eq!(report["tests"], 6);
    // The Holm p of the report is R's p.adjust(p, "holm") of its raw p (the function is checked against R).
    for (a, adjusted) in attributes.iter().zip(holm(&p)) {
        let p_holm = a["p_holm"].as_f64().unwrap();
        assert!((p_holm - adjusted.unwrap()).abs() < 1e-12);
        let shown = a["relation"] != "not_shown";
        assert_eq!(shown, p_holm < ALPHA, "{a}");
    }
    // Empathy and focus relate to the rating; trust's raw p 0.11 becomes 0.34.
    let relations: Vec<&str> = attributes
        .iter()
        .map(|a| a["relation"].as_str().unwrap())
        .collect();
    assert_eq!(
        relations,
        [
            "not_shown",
            "not_shown",
            "rising",
            "not_shown",
            "rising",
            "not_shown"
        ]
    );
    let b = &report["bootstrap"];
    assert_eq!(b["settings"]["replicates"], 200);
    assert_eq!(b["calibrated"], 200);
    for a in b["attributes"].as_array().unwrap() {
        for edge in [&a["low"], &a["high"]] {
            let [low, high] = [0, 1].map(|i| edge["interval"][i].as_f64().unwrap());
            let point = edge["point"].as_f64().unwrap();
            assert!(low <= point && point <= high, "{a}");
            assert!((0.0..=1.0).contains(&edge["agreement"].as_f64().unwrap()));
        }
    }
    assert!(report["fit_in_sample"]["r"].as_f64().unwrap() > 0.3);
    let cv = &report["cross_validation"];
    assert_eq!(cv["folds"]["folds"], 10);
    for predictor in ["regression", "unit_weighted"] {
        assert!(cv[predictor]["cross_validated"]["r"].as_f64().is_some());
    }
    assert!(cv["calibrated_fit"]["r"].as_f64().is_some());
    let cleary = &report["differential"]["test"];
    assert_eq!(cleary["reference"], "harbour");
    assert_eq!(cleary["slopes"]["df"], serde_json::json!([2, 339]));
}

#[test]
fn cleary_in_the_text_report_is_validate_criterions_sentence_with_the_in_sample_caveat() {
    let dir = Workdir::new();
    let text = calibrate(&dir, "Harbour", &["--group", "site"]).stdout;
    let incumbents = repo("examples/incumbents.csv").display().to_string();
    let criterion = dir.run(&[
        "validate-criterion",
        &incumbents,
        "--performance",
        "rating",
        "--role",
        "p.json",
        "--group",
        "site",
    ]);
    let sentence = criterion
        .stdout
        .lines()
        .find(|l| l.starts_with("harbour (n = 345): slopes F(2, 339)"))
        .unwrap_or_else(|| panic!("{}", criterion.stdout));
    assert!(text.contains(sentence), "{text}");
    assert!(text.contains("shares the in-sample caveat"));
}

#[test]
fn a_seed_reproduces_the_bootstrap_and_another_seed_changes_it() {
    let dir = Workdir::new();
    let first = json(&dir, &["--seed", "7"]);
    assert_eq!(
        first["bootstrap"],
        json(&dir, &["--seed", "7"])["bootstrap"]
    );
    assert_eq!(first["bootstrap"]["settings"]["seed"], 7);
    let other = json(&dir, &["--seed", "8"]);
    let agreements = |r: &serde_json::Value| -> Vec<f64> {
        r["bootstrap"]["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["low"]["agreement"].as_f64().unwrap())
            .collect()
    };
    assert_ne!(agreements(&first), agreements(&other));
}

/// The heading levels of an HTML page, in order.
fn heading_levels(page: &str) -> Vec<u32> {
    page.match_indices("<h")
        .filter_map(|(i, _)| page[i + 2..].chars().next()?.to_digit(10))
        .collect()
}

#[test]
fn the_html_report_is_one_escaped_accessible_page_with_every_figure() {
    let dir = Workdir::new();
    let hostile = "<script>alert('x')</script> & \"Front\" desk";
    let args = ["--format", "html", "--group", "site", "--report", "r.html"];
    calibrate(&dir, hostile, &args);
    let page = dir.read("r.html");
    assert!(page.contains(
        "<h1>Calibration report: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Front&quot; desk</h1>"
    ));
    assert!(!page.contains("<script"), "{page}");
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("name=\"viewport\""));
    assert_eq!(page.matches("<main>").count(), 1);
    assert_eq!(page.matches("</main>").count(), 1);
    let levels = heading_levels(&page);
    assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 1);
    assert_eq!(levels[0], 1);
    assert!(levels.windows(2).all(|w| w[1] <= w[0] + 1), "{levels:?}");
    // Every table scrolls in its own labelled region; every header cell has a scope.
    let tables = page.matches("<table>").count();
    // Attributes, band stability, held-out validities, Cleary.
    assert_eq!(tables, 4);
    assert_eq!(
        page.matches("<div class=\"scroll\" role=\"region\"")
            .count(),
        tables
    );
    assert_eq!(page.matches("<th>").count(), 0);
    assert!(page.matches("<th scope=\"col\">").count() > 20);
    for tag in ["table", "p", "ul", "li", "tr", "div"] {
        let open =
            page.matches(&format!("<{tag}>")).count() + page.matches(&format!("<{tag} ")).count();
        assert_eq!(open, page.matches(&format!("</{tag}>")).count(), "<{tag}>");
    }
    for figure in [
        "Holm p",
        "&lt; 0.0001",
        "0.3408",
        "Efron &amp; Tibshirani 1993",
        "29 CFR 1607.3(B)",
        "Cleary&#39;s step-down regression",
        "regression composite",
    ] {
        assert!(page.contains(figure), "{figure}");
    }
}

#[test]
fn markdown_says_what_html_says() {
    let dir = Workdir::new();
    let common = ["--group", "site", "--seed", "3"];
    let markdown = calibrate(
        &dir,
        "Harbour",
        &[&common[..], &["--format", "markdown"]].concat(),
    );
    let report = json(&dir, &["--seed", "3"]);
    let html = calibrate(
        &dir,
        "Harbour",
        &[&common[..], &["--format", "html"]].concat(),
    );
    let md = &markdown.stdout;
    assert!(md.starts_with("# Calibration report: Harbour\n"));
    for heading in [
        "## Why each band and weight",
        "## How stable each band edge is",
        "## The calibrated fit beside two simpler composites",
        "## Differential prediction by group (Cleary's step-down regression)",
    ] {
        assert!(md.contains(heading), "{heading}");
        let text = heading.trim_start_matches("## ").replace('\'', "&#39;");
        assert!(html.stdout.contains(&format!("<h2>{text}</h2>")), "{text}");
    }
    // Every bootstrap interval of the JSON, in both.
    for a in report["bootstrap"]["attributes"].as_array().unwrap() {
        let name = a["name"].as_str().unwrap();
        for edge in ["low", "high"] {
            let i = &a[edge]["interval"];
            let words = format!(
                "the {edge} edge {} came out the same in {:.0}% of resamples (95% interval {}–{})",
                a[edge]["point"].as_f64().unwrap(),
                a[edge]["agreement"].as_f64().unwrap() * 100.0,
                i[0].as_f64().unwrap(),
                i[1].as_f64().unwrap()
            );
            assert!(md.contains(&words), "{name}: {words}");
            assert!(html.stdout.contains(&words), "{name}: {words}");
        }
    }
}

#[test]
fn bad_bootstrap_settings_are_refused_with_what_was_expected() {
    let dir = Workdir::new();
    let incumbents = repo("examples/incumbents.csv").display().to_string();
    for (option, value, expected) in [
        ("--bootstrap", "10", "from 100 to 1000000"),
        ("--confidence", "1.5", "between 0 and 1"),
    ] {
        let run = dir.run(&[
            "profile",
            "calibrate",
            &incumbents,
            "--performance",
            "rating",
            "--name",
            "x",
            "--out",
            "p.json",
            option,
            value,
        ]);
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains(expected), "{}", run.stderr);
    }
}

#[test]
fn markdown_and_text_make_a_hostile_name_inert() {
    let dir = Workdir::new();
    let hostile = "<img src=x onerror=alert(1)> [click](javascript:x) \u{1b}[31mred";
    let md = calibrate(&dir, hostile, &["--format", "markdown"]).stdout;
    assert!(md.starts_with(
        "# Calibration report: &lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:x) ?\\[31mred\n"
    ), "{}", &md[..200]);
    let text = calibrate(&dir, hostile, &[]).stdout;
    assert!(!text.contains('\u{1b}'));
}
