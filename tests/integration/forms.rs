//! Forms built for the user (`template --format google-apps-script |
//! qualtrics | limesurvey`), round trip: from the generated definition, an
//! export in the shape each tool documents is built here (Google Forms' CSV
//! download with `Title [statement]` grid headers; Qualtrics' three header
//! rows with the export tags; LimeSurvey's code export, `;`-separated,
//! `P01[TR01]` headings and answer codes), and each must score exactly as
//! the plain file with the same answers.

use crate::support::Workdir;

/// The built-in questionnaire's item ids, in order.
fn item_ids() -> Vec<String> {
    let q = servicefit::builtin::questionnaire().expect("built-in");
    q.items().iter().map(|i| i.id.clone()).collect()
}

/// Three candidates' answers (1..5), varied so that scores differ: for
/// candidate c and item i, 1 + (7i + 3c) mod 5.
fn answers() -> Vec<(String, Vec<usize>)> {
    (0..3)
        .map(|c| {
            let values = (0..item_ids().len())
                .map(|i| 1 + (7 * i + 3 * c) % 5)
                .collect();
            (format!("c{}", c + 1), values)
        })
        .collect()
}

fn template(work: &Workdir, format: &str) -> String {
    let output = work
        .command(&["template", "--format", format])
        .output()
        .expect("run");
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("utf-8")
}

/// What `score` prints for `file`: it must be the plain file's.
fn scored(work: &Workdir, file: &str) -> String {
    let output = work
        .command(&["score", file, "--role", "retail"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{file}: {stderr}");
    assert!(
        !stderr.contains("no column") && !stderr.contains("have no column"),
        "{file}: {stderr}"
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

fn plain(work: &Workdir) -> String {
    let mut text = format!("candidate_id,{}\n", item_ids().join(","));
    for (id, values) in answers() {
        let cells: Vec<String> = values.iter().map(ToString::to_string).collect();
        text += &format!("{id},{}\n", cells.join(","));
    }
    work.write("plain.csv", &text);
    scored(work, "plain.csv")
}

/// A CSV line with every field quoted.
fn quoted(fields: &[String], delimiter: &str) -> String {
    let cells: Vec<String> = fields
        .iter()
        .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
        .collect();
    cells.join(delimiter)
}

/// The JSON value between `start` and `end` on `line`.
fn json_between(line: &str, start: &str, end: &str) -> serde_json::Value {
    let from = line.find(start).expect("start") + start.len();
    let to = from + line[from..].find(end).expect("end");
    serde_json::from_str(&line[from..to]).expect("json")
}

#[test]
fn a_google_form_made_by_the_script_scores_as_the_plain_file() {
    let work = Workdir::new();
    let script = template(&work, "google-apps-script");
    let labels: Vec<String> = script
        .lines()
        .find_map(|l| l.trim().strip_prefix("var columns = "))
        .map(|l| serde_json::from_str(l.trim_end_matches(';')).expect("columns"))
        .expect("columns line");
    // The headers of the CSV download: Timestamp, the id question, then `Title [row]` per statement.
    let mut header = vec!["Timestamp".to_string(), "Candidate id".to_string()];
    for line in script.lines().filter(|l| l.contains("addGridItem()")) {
        let title = json_between(line, ".setTitle(", ").setRows(");
        let rows = json_between(line, ".setRows(", ").setColumns(");
        for row in rows.as_array().expect("rows") {
            header.push(format!(
                "{} [{}]",
                title.as_str().expect("title"),
                row.as_str().expect("row")
            ));
        }
    }
    assert_eq!(
        header.len(),
        2 + item_ids().len(),
        "one column per statement"
    );
    let mut text = "\u{feff}".to_string() + &quoted(&header, ",") + "\n";
    for (n, (id, values)) in answers().into_iter().enumerate() {
        let mut row = vec![format!("2024/06/1{n} 7:48:07 AM GMT+1"), id];
        row.extend(values.iter().map(|&v| labels[v - 1].clone()));
        text += &(quoted(&row, ",") + "\n");
    }
    work.write("google.csv", &text);
    assert_eq!(scored(&work, "google.csv"), plain(&work));
}

#[test]
fn a_qualtrics_survey_imported_from_the_txt_scores_as_the_plain_file() {
    let work = Workdir::new();
    let txt = template(&work, "qualtrics");
    assert!(txt.starts_with("[[AdvancedFormat]]\n"));
    // Questions in order: export tag, text and choices.
    let mut questions: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut lines = txt.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(tag) = line
            .strip_prefix("[[ID:")
            .and_then(|t| t.strip_suffix("]]"))
        {
            let text = lines.next().expect("text").to_string();
            let mut choices = Vec::new();
            if lines.peek() == Some(&"[[Choices]]") {
                lines.next();
                while let Some(choice) = lines.next().filter(|c| !c.is_empty()) {
                    choices.push(choice.to_string());
                }
            }
            questions.push((tag.to_string(), text, choices));
        }
    }
    assert_eq!(questions.len(), 1 + item_ids().len());
    let meta = [
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
        "DistributionChannel",
        "UserLanguage",
    ];
    let names: Vec<String> = meta
        .iter()
        .map(ToString::to_string)
        .chain(questions.iter().map(|q| q.0.clone()))
        .collect();
    let texts: Vec<String> = meta
        .iter()
        .map(ToString::to_string)
        .chain(questions.iter().map(|q| q.1.clone()))
        .collect();
    let import_ids: Vec<String> = meta
        .iter()
        .map(|m| format!("{{\"ImportId\":\"{}\"}}", m.to_lowercase()))
        .chain((1..=questions.len()).map(|n| format!("{{\"ImportId\":\"QID{n}\"}}")))
        .collect();
    let mut text = [
        quoted(&names, ","),
        quoted(&texts, ","),
        quoted(&import_ids, ","),
    ]
    .join("\n")
        + "\n";
    for (n, (id, values)) in answers().into_iter().enumerate() {
        let mut row: Vec<String> = [
            format!("2024-06-1{n} 07:48:07"),
            format!("2024-06-1{n} 08:09:25"),
            "IP Address".into(),
            "203.0.113.7".into(),
            "100".into(),
            "1278".into(),
            "True".into(),
            format!("2024-06-1{n} 08:09:26"),
            format!("R_{n}aB2cD3eF4gH5iJ"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "anonymous".into(),
            "EN".into(),
            id,
        ]
        .to_vec();
        row.extend(
            values
                .iter()
                .zip(&questions[1..])
                .map(|(&v, q)| q.2[v - 1].clone()),
        );
        text += &(quoted(&row, ",") + "\n");
    }
    work.write("qualtrics.csv", &text);
    assert_eq!(scored(&work, "qualtrics.csv"), plain(&work));
}

#[test]
fn a_limesurvey_survey_imported_from_the_structure_scores_as_the_plain_file() {
    let work = Workdir::new();
    let tsv = template(&work, "limesurvey");
    let tsv = tsv
        .strip_prefix('\u{feff}')
        .expect("LimeSurvey's byte-order mark");
    let mut lines = tsv.lines();
    let columns: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let at = |name: &str| columns.iter().position(|c| *c == name).expect(name);
    let (class, kind, name) = (at("class"), at("type/scale"), at("name"));
    // Code headings: the id question's code, then `question[subquestion]`; answer codes per question.
    let (mut headings, mut codes, mut question) = (Vec::new(), Vec::new(), String::new());
    for line in lines {
        let row: Vec<&str> = line.split('\t').collect();
        match (row[class], row[kind]) {
            ("Q", "S") => headings.push(row[name].to_string()),
            ("Q", _) => {
                question = row[name].to_string();
                codes.clear();
            }
            ("SQ", _) => headings.push(format!("{question}[{}]", row[name])),
            ("A", _) => codes.push(row[name].to_string()),
            _ => {}
        }
    }
    assert_eq!(headings.len(), 1 + item_ids().len());
    let meta = ["id", "submitdate", "lastpage", "startlanguage", "seed"].map(String::from);
    let header: Vec<String> = meta.into_iter().chain(headings).collect();
    // LimeSurvey's CSV writer: byte-order mark, `;`, every value quoted, CRLF, a blank line at the end.
    let mut text = "\u{feff}".to_string() + &quoted(&header, ";") + "\r\n";
    for (n, (id, values)) in answers().into_iter().enumerate() {
        let mut row = vec![
            (n + 1).to_string(),
            format!("2024-06-1{n} 08:09:25"),
            "15".into(),
            "en".into(),
            "123456789".into(),
            id,
        ];
        row.extend(values.iter().map(|&v| codes[v - 1].clone()));
        text += &(quoted(&row, ";") + "\r\n");
    }
    text += "\r\n";
    work.write("limesurvey.csv", &text);
    assert_eq!(scored(&work, "limesurvey.csv"), plain(&work));
}
