//! The structure axe-core checks in a browser (tests/browser/reports_axe.sh),
//! checked here on the HTML itself for every kind of report page and the
//! printable paper form (`template --format html`): one `h1`,
//! one `main`, heading levels that never skip on the way down, a viewport for
//! phones, every table in a labelled, keyboard-focusable scroll region, and
//! every chart either an image with a name or hidden from screen readers.

use crate::support::{repo, Workdir};

/// The tags of `html` named `name` (`<name>` or `<name ...>`), as written.
fn tags<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let open = format!("<{name}");
    html.match_indices(&open)
        .filter(|(at, _)| {
            let next = html.as_bytes().get(at + open.len());
            matches!(next, Some(b'>' | b' ' | b'\n'))
        })
        .map(|(at, _)| &html[at..at + html[at..].find('>').map_or(0, |end| end + 1)])
        .collect()
}

/// Heading levels in document order.
fn heading_levels(html: &str) -> Vec<u8> {
    let bytes = html.as_bytes();
    (0..bytes.len().saturating_sub(3))
        .filter(|&i| {
            bytes[i] == b'<' && bytes[i + 1] == b'h' && (b'1'..=b'6').contains(&bytes[i + 2])
        })
        .filter(|&i| matches!(bytes[i + 3], b'>' | b' '))
        .map(|i| bytes[i + 2] - b'0')
        .collect()
}

/// What is wrong with the page's structure (nothing, when it is fine).
fn problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, count) in [
        ("h1", tags(html, "h1").len()),
        ("main", tags(html, "main").len()),
    ] {
        if count != 1 {
            problems.push(format!("{count} <{name}> elements, 1 expected"));
        }
    }
    let mut previous = 0;
    for level in heading_levels(html) {
        if level > previous + 1 {
            problems.push(format!("h{level} after h{previous}"));
        }
        previous = level;
    }
    if !html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") {
        problems.push("no viewport for phones".into());
    }
    for (at, _) in html.match_indices("<table") {
        let before = html[..at].trim_end();
        let opener = &before[before.rfind('<').unwrap_or(0)..];
        let labelled = opener.contains("aria-label=\"") && !opener.contains("aria-label=\"\"");
        if !(opener.starts_with("<div ")
            && opener.contains("role=\"region\"")
            && opener.contains("tabindex=\"0\"")
            && labelled)
        {
            problems.push(format!(
                "table not in a labelled scroll region (after {opener:?})"
            ));
        }
    }
    for svg in tags(html, "svg") {
        let hidden = svg.contains("aria-hidden=\"true\"");
        let named = svg.contains("role=\"img\"") && svg.contains("aria-labelledby=");
        if !(hidden || named) {
            problems.push(format!("chart with no name: {svg}"));
        }
    }
    problems
}

fn assert_accessible(name: &str, html: &str) {
    let problems = problems(html);
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
}

fn applicants(work: &Workdir) {
    let data = std::fs::read_to_string(repo("examples/applicants.csv")).expect("example");
    work.write("a.csv", &data);
}

/// Output of a command that exits 0, or 1 for the example's one rejected row.
fn output(work: &Workdir, args: &[&str], code: i32) -> String {
    let out = work.command(args).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

#[test]
fn the_checker_finds_what_axe_finds() {
    let page = "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<main><h1>T</h1><h3>skips</h3><table></table><svg class=\"x\"></svg></main><h1>again</h1>";
    assert_eq!(
        problems(page),
        [
            "2 <h1> elements, 1 expected",
            "h3 after h1",
            "table not in a labelled scroll region (after \"</h3>\")",
            "chart with no name: <svg class=\"x\">",
        ]
    );
    assert_eq!(heading_levels("<header><h2 id=x>a</h2><hr><h10"), [2]);
}

#[test]
fn score_pages_have_one_h1_a_main_and_ordered_headings() {
    let work = Workdir::new();
    applicants(&work);
    let document = output(
        &work,
        &["score", "a.csv", "--role", "retail", "--format", "html"],
        1,
    );
    assert!(
        document.contains("Rows not scored"),
        "the rejected row is listed"
    );
    assert_accessible("one document", &document);
    output(
        &work,
        &[
            "score", "a.csv", "--role", "retail", "--format", "html", "--out", "site",
        ],
        1,
    );
    assert_accessible("index", &work.read("site/index.html"));
    // Two of 29 pages: a recommendable candidate and one whose answers cannot be trusted.
    for id in ["APP-1017", "APP-1003"] {
        assert_accessible(id, &work.read(&format!("site/candidates/{id}.html")));
    }
}

#[test]
fn compare_and_audit_pages_have_one_h1_a_main_and_ordered_headings() {
    let work = Workdir::new();
    applicants(&work);
    let ids = "APP-1017,APP-1013,APP-1016,APP-1003";
    let compare = output(
        &work,
        &[
            "compare", "a.csv", "--role", "retail", "--ids", ids, "--format", "html",
        ],
        1,
    );
    assert_accessible("comparison", &compare);
    output(
        &work,
        &["score", "a.csv", "--role", "retail", "--out", "results"],
        1,
    );
    let groups = repo("examples/applicants-groups.csv");
    let audit = output(
        &work,
        &[
            "audit",
            "results/results.csv",
            "--groups",
            groups.to_str().expect("path"),
            "--group",
            "sex",
            "--group",
            "age_band",
            "--band",
            "good",
            "--format",
            "html",
        ],
        0,
    );
    assert_accessible("audit", &audit);
}

#[test]
fn the_calibration_report_has_one_h1_a_main_and_ordered_headings() {
    let work = Workdir::new();
    let staff = std::fs::read_to_string(repo("examples/incumbents.csv")).expect("example");
    work.write("staff.csv", &staff);
    // Exit 1: three of the example's rows are rejected on purpose.
    output(
        &work,
        &[
            "profile",
            "calibrate",
            "staff.csv",
            "--performance",
            "rating",
            "--group",
            "site",
            "--name",
            "Example front desk",
            "--out",
            "p.json",
            "--report",
            "c.html",
            "--format",
            "html",
        ],
        1,
    );
    assert_accessible("calibration report", &work.read("c.html"));
}

#[test]
fn the_paper_form_has_one_h1_a_main_and_its_table_in_a_region() {
    let work = Workdir::new();
    let form = output(&work, &["template", "--format", "html"], 0);
    assert_accessible("paper form", &form);
    // Everything sits in a landmark: the form in <main>, the typist's note in <footer>.
    let body = &form[form.find("<body>").expect("body") + "<body>".len()..];
    assert!(body.trim_start().starts_with("<main>"), "{body:.80}");
    assert!(body.contains("</main>\n<footer>"));
    assert!(
        body.trim_end().ends_with("</footer>\n</body></html>"),
        "{body}"
    );
}
