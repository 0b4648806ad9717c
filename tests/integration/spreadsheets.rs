//! Spreadsheet workbooks as response files: a Microsoft Forms `.xlsx`
//! download (numbers, dates and text in cells) scores exactly as its CSV
//! export; rows keep their spreadsheet numbers; `--sheet`; stdin and
//! misnamed files; the toolkit commands. Workbooks are made here with
//! rust_xlsxwriter; the `.ods` and `.xls` fixtures by
//! `tests/fixtures/sheets/make_sheets.py`.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::support::{repo, Workdir};

fn csv_rows(path: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(repo(path)).expect("fixture");
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}

/// `6/10/2024 7:00:07` (month first, as the fixture's US export writes it) as an Excel date.
fn us_date(text: &str) -> ExcelDateTime {
    let number = |s: &str| s.parse::<u16>().expect("date part");
    let (date, time) = text.split_once(' ').expect("date and time");
    let d: Vec<u16> = date.split('/').map(number).collect();
    let t: Vec<u16> = time.split(':').map(number).collect();
    ExcelDateTime::from_ymd(d[2], d[0] as u8, d[1] as u8)
        .and_then(|x| x.and_hms(t[0], t[1] as u8, t[2]))
        .expect("date")
}

/// The rows as Microsoft Forms' own `.xlsx` download holds them: the
/// response `ID` a number cell, start and completion times date cells,
/// answers and names text; the data on a sheet named `Form1`, after
/// `sheets_before` other sheets.
fn msforms_xlsx(rows: &[Vec<String>], sheets_before: &[&str]) -> Vec<u8> {
    let mut book = Workbook::new();
    for name in sheets_before {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("name");
        sheet.write_string(0, 0, "not the answers").expect("cell");
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Form1").expect("name");
    let date = Format::new().set_num_format("m/d/yy h:mm:ss");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match (r, c) {
                (0, _) => sheet.write_string(r, c, cell),
                _ if cell.is_empty() => continue,
                (_, 0) => sheet.write_number(r, c, cell.parse::<f64>().expect("ID")),
                (_, 1 | 2) => sheet.write_datetime_with_format(r, c, us_date(cell), &date),
                _ => sheet.write_string(r, c, cell),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

const MSFORMS: &str = "tests/fixtures/exports/microsoft_forms_dup.csv";

#[test]
fn a_microsoft_forms_workbook_scores_exactly_as_its_csv() {
    let work = Workdir::new();
    let xlsx = work.dir.path().join("answers.xlsx");
    std::fs::write(&xlsx, msforms_xlsx(&csv_rows(MSFORMS), &[])).expect("write");
    let csv = repo(MSFORMS).display().to_string();
    for extra in [&[][..], &["--out", "out"][..]] {
        let from_csv = work.run(&[&["score", &csv, "--role", "retail"], extra].concat());
        let from_xlsx = work.run(&[&["score", "answers.xlsx", "--role", "retail"], extra].concat());
        assert_eq!(from_csv.code, 0, "{}", from_csv.stderr);
        assert_eq!(
            (from_xlsx.code, &from_xlsx.stdout),
            (0, &from_csv.stdout),
            "{}",
            from_xlsx.stderr
        );
        // The same notes: ids from Email, c0@x.com's first response (row 2) superseded by row 7.
        assert!(
            from_xlsx
                .stderr
                .contains("row 2 (c0@x.com): superseded by row 7"),
            "{}",
            from_xlsx.stderr
        );
    }
    let results = work.read("out/results.csv");
    assert!(results.contains("c0@x.com"), "{results}");
}

#[test]
fn a_rejected_rows_number_is_the_spreadsheets() {
    // Row 4 of the sheet (the third response) gets an answer no scale has;
    // an empty row 5 is kept as a blank row, so the last response is row 8.
    let mut rows = csv_rows(MSFORMS);
    rows[3][6] = "Sometimes".into();
    let empty = vec![String::new(); rows[0].len()];
    rows.insert(4, empty);
    let work = Workdir::new();
    std::fs::write(work.dir.path().join("a.xlsx"), msforms_xlsx(&rows, &[])).expect("write");
    let scored = work.run(&["score", "a.xlsx", "--role", "retail"]);
    assert_eq!(scored.code, 1, "{}", scored.stderr);
    assert!(
        scored.stderr.contains("row 4 (c2@x.com)"),
        "{}",
        scored.stderr
    );
    assert!(scored.stderr.contains("'Sometimes'"), "{}", scored.stderr);
    assert!(
        scored
            .stderr
            .contains("row 2 (c0@x.com): superseded by row 8"),
        "{}",
        scored.stderr
    );
}

#[test]
fn the_first_sheet_is_read_unless_another_is_named() {
    let work = Workdir::new();
    let path = work.dir.path().join("book.xlsx");
    std::fs::write(&path, msforms_xlsx(&csv_rows(MSFORMS), &["Notes"])).expect("write");
    let first = work.run(&["score", "book.xlsx", "--role", "retail"]);
    assert_eq!(first.code, 2);
    assert!(
        first
            .stderr
            .contains("read sheet 'Notes' of the .xlsx workbook's 2 sheets (Notes, Form1)"),
        "{}",
        first.stderr
    );
    let named = work.run(&["score", "book.xlsx", "--role", "retail", "--sheet", "Form1"]);
    assert_eq!(named.code, 0, "{}", named.stderr);
    let dry = work.run(&[
        "score",
        "book.xlsx",
        "--role",
        "retail",
        "--sheet",
        "Form1",
        "--dry-run",
    ]);
    assert!(
        dry.stdout
            .contains("workbook: .xlsx, sheet 'Form1' (2 of 2 sheets: Notes, Form1)\n"),
        "{}",
        dry.stdout
    );
    let missing = work.run(&[
        "score",
        "book.xlsx",
        "--role",
        "retail",
        "--sheet",
        "Sheet1",
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("book.xlsx: no sheet named 'Sheet1'; expected one of: Notes, Form1"),
        "{}",
        missing.stderr
    );
}

#[test]
fn stdin_and_misnamed_files_are_told_by_their_bytes() {
    let work = Workdir::new();
    let bytes = msforms_xlsx(&csv_rows(MSFORMS), &[]);
    std::fs::write(work.dir.path().join("answers.csv"), &bytes).expect("write");
    let misnamed = work.run(&["score", "answers.csv", "--role", "retail"]);
    let piped = work
        .command(&["score", "-", "--role", "retail"])
        .write_stdin(bytes)
        .output()
        .expect("run");
    assert_eq!(misnamed.code, 0, "{}", misnamed.stderr);
    assert_eq!(String::from_utf8_lossy(&piped.stdout), misnamed.stdout);
    // CSV text named .xlsx: said so, not "no column for any item".
    work.write("text.xlsx", "candidate_id,TR01\nc1,4\n");
    let text = work.run(&["score", "text.xlsx", "--role", "retail"]);
    assert_eq!(text.code, 2);
    assert!(
        text.stderr.contains(
            "text.xlsx: not a .xlsx workbook: its first bytes are not a zip archive's; if it holds CSV text, name it .csv"
        ),
        "{}",
        text.stderr
    );
    let sheet_of_text = work.run(&[
        "score",
        &repo(MSFORMS).display().to_string(),
        "--role",
        "retail",
        "--sheet",
        "Form1",
    ]);
    assert_eq!(sheet_of_text.code, 2);
    assert!(sheet_of_text
        .stderr
        .contains("--sheet 'Form1' was given, but the file is text"));
}

#[test]
fn the_toolkit_reads_workbooks_too() {
    let work = Workdir::new();
    std::fs::write(
        work.dir.path().join("staff.xlsx"),
        msforms_xlsx(&csv_rows(MSFORMS), &[]),
    )
    .expect("write");
    std::fs::copy(repo(MSFORMS), work.dir.path().join("staff.csv")).expect("copy");
    let from_csv = work.run(&["analyze", "staff.csv"]);
    let from_xlsx = work.run(&["analyze", "staff.xlsx"]);
    assert_eq!(
        (from_xlsx.code, from_csv.code),
        (0, 0),
        "{}",
        from_xlsx.stderr
    );
    // The reports name their input (and underline it) in the first two lines.
    let body = |s: &str| s.lines().skip(2).map(str::to_string).collect::<Vec<_>>();
    assert!(
        from_xlsx.stdout.lines().count() > 10,
        "{}",
        from_xlsx.stderr
    );
    assert!(body(&from_xlsx.stdout) == body(&from_csv.stdout));
    for (input, out) in [("staff.csv", "a.json"), ("staff.xlsx", "b.json")] {
        let built = work.run(&["norms", "build", input, "--name", "n", "--out", out]);
        assert_eq!(built.code, 0, "{}", built.stderr);
    }
    // The norms record their source file and its hash; the rest is the same.
    let norms = |name: &str| -> Vec<String> {
        (work.read(name).lines())
            .filter(|l| !l.contains("staff.") && !l.contains("sha256"))
            .map(str::to_string)
            .collect()
    };
    assert!(norms("a.json") == norms("b.json"));
}

#[test]
fn ods_and_xls_workbooks_score_as_the_same_rows_in_csv() {
    // The fixtures hold c1 twice: the later submission (2024-06-11) on row 2,
    // the earlier on row 4; only dates read from the cells keep row 2.
    let work = Workdir::new();
    let tiny = |name: &str| {
        repo(&format!("tests/fixtures/tiny/{name}"))
            .display()
            .to_string()
    };
    let score = |file: &str| {
        let input = repo(&format!("tests/fixtures/sheets/{file}"))
            .display()
            .to_string();
        let (q, n, p) = (
            tiny("questionnaire.json"),
            tiny("norms.json"),
            tiny("profile.json"),
        );
        let args = [
            "score",
            &input,
            "--questionnaire",
            &q,
            "--norms",
            &n,
            "--role",
            &p,
        ];
        work.run(&args)
    };
    let from_csv = score("responses.csv");
    assert_eq!(from_csv.code, 0, "{}", from_csv.stderr);
    for file in ["responses.ods", "responses.xls"] {
        let from_sheet = score(file);
        assert_eq!(
            (from_sheet.code, &from_sheet.stdout),
            (0, &from_csv.stdout),
            "{file}: {}",
            from_sheet.stderr
        );
        assert!(
            from_sheet
                .stderr
                .contains("row 4 (c1): superseded by row 2"),
            "{file}: {}",
            from_sheet.stderr
        );
    }
}

/// The cells of the first sheet of an `.xlsx`, as calamine reads them.
fn sheet_cells(path: &std::path::Path) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).expect("xlsx");
    let range = book.worksheet_range("results").expect("sheet");
    range.rows().map(<[calamine::Data]>::to_vec).collect()
}

#[test]
fn results_xlsx_holds_the_csvs_rows_with_names_and_numbers_intact() {
    // Ids an injection would abuse and an accented name; c1 answers 4s and 2s.
    let work = Workdir::new();
    let q = servicefit::builtin::questionnaire().expect("built-in");
    let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
    let answers = |a: &str, b: &str| -> String {
        (0..ids.len())
            .map(|i| if i % 2 == 0 { a } else { b })
            .collect::<Vec<_>>()
            .join(",")
    };
    let text = format!(
        "candidate_id,{}\n=1+2,{}\nJosé Müller,{}\n00123,{}\n",
        ids.join(","),
        answers("4", "2"),
        answers("3", "4"),
        answers("5", "3")
    );
    work.write("a.csv", &text);
    let scored = work.run(&["score", "a.csv", "--role", "retail", "--out", "out"]);
    assert_eq!(scored.code, 0, "{}", scored.stderr);
    assert!(
        scored.stderr.contains(", results.xlsx,"),
        "{}",
        scored.stderr
    );
    let csv_rows: Vec<Vec<String>> =
        csv::Reader::from_reader(work.read("out/results.csv").as_bytes())
            .records()
            .map(|r| r.expect("csv").iter().map(str::to_string).collect())
            .collect();
    let cells = sheet_cells(&work.dir.path().join("out/results.xlsx"));
    assert_eq!(cells.len(), csv_rows.len() + 1);
    let header: Vec<String> = csv::Reader::from_reader(work.read("out/results.csv").as_bytes())
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        cells[0].iter().map(ToString::to_string).collect::<Vec<_>>(),
        header
    );
    for (row, csv_row) in cells[1..].iter().zip(&csv_rows) {
        assert_eq!(row.len(), csv_row.len());
        for (cell, field) in row.iter().zip(csv_row) {
            match cell {
                // Numbers as numbers: 72.5 in the CSV is the number 72.5.
                calamine::Data::Float(f) => {
                    assert_eq!(*f, field.parse::<f64>().expect("number"), "{field}")
                }
                // Text as the CSV has it, less the apostrophe that neutralises formulas there.
                calamine::Data::String(s) => {
                    assert_eq!(s, field.strip_prefix('\'').unwrap_or(field))
                }
                calamine::Data::Empty => assert_eq!(field, ""),
                other => panic!("unexpected cell {other:?} for {field}"),
            }
        }
    }
    let ids: Vec<&calamine::Data> = cells[1..].iter().map(|r| &r[1]).collect();
    for id in ["=1+2", "José Müller", "00123"] {
        assert!(
            ids.contains(&&calamine::Data::String(id.into())),
            "{id}: {ids:?}"
        );
    }
    // Frozen header and filters, written in the sheet's XML.
    let bytes = std::fs::read(work.dir.path().join("out/results.xlsx")).expect("xlsx");
    let zip = zip_sheet(&bytes);
    assert!(
        zip.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{zip}"
    );
    assert!(zip.contains("<autoFilter ref=\"A1:"), "{zip}");
    assert!(!zip.contains("<f>"), "no formula anywhere");
    // The same results again: the same bytes.
    let again = work.run(&["score", "a.csv", "--role", "retail", "--out", "out2"]);
    assert_eq!(again.code, 0);
    let second = std::fs::read(work.dir.path().join("out2/results.xlsx")).expect("xlsx");
    assert!(bytes == second, "results.xlsx differs between two runs");
}

/// The XML of the first worksheet of an `.xlsx`.
fn zip_sheet(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut xml = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .expect("sheet1")
        .read_to_string(&mut xml)
        .expect("xml");
    xml
}

#[test]
fn a_table_lower_down_the_sheet_keeps_its_row_numbers() {
    // The tiny questionnaire's answers from cell B3: header on row 3, c1 on
    // row 4, c2 on row 5 with an answer no scale has.
    let work = Workdir::new();
    let rows = [
        vec!["candidate_id", "A1", "B1", "A2", "B2", "A3", "B3"],
        vec!["c1", "4", "3", "5", "4", "2", "1"],
        vec!["c2", "3", "5", "often", "5", "4", "1"],
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16 + 1);
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r, c, number),
                Err(_) => sheet.write_string(r, c, *cell),
            }
            .expect("cell");
        }
    }
    std::fs::write(
        work.dir.path().join("t.xlsx"),
        book.save_to_buffer().expect("xlsx"),
    )
    .expect("write");
    let tiny = |name: &str| {
        repo(&format!("tests/fixtures/tiny/{name}"))
            .display()
            .to_string()
    };
    let (q, n, p) = (
        tiny("questionnaire.json"),
        tiny("norms.json"),
        tiny("profile.json"),
    );
    let scored = work.run(&[
        "score",
        "t.xlsx",
        "--questionnaire",
        &q,
        "--norms",
        &n,
        "--role",
        &p,
    ]);
    assert_eq!(scored.code, 1, "{}", scored.stderr);
    assert!(
        scored
            .stderr
            .contains("t.xlsx: rejected row 5 (c2), column A2: 'often'"),
        "{}",
        scored.stderr
    );
    assert!(scored.stdout.contains(",c1,"), "{}", scored.stdout);
}

#[test]
fn a_malformed_workbook_is_an_error_not_a_crash() {
    // Found by the fuzzer: an .xls whose sector table points past its end
    // (calamine panics reading it; the reader says the file is malformed).
    let work = Workdir::new();
    let file = repo("tests/fixtures/sheets/malformed.xls")
        .display()
        .to_string();
    let xls = work.run(&["score", &file, "--role", "retail"]);
    assert_eq!(xls.code, 2);
    assert!(
        xls.stderr.contains(
            "malformed.xls: the .xls workbook is malformed: its structure cannot be read\n"
        ),
        "{}",
        xls.stderr
    );
    // Also found by the fuzzer: a 9 KB .xls whose sector chain loops, which
    // calamine would follow until memory ran out.
    // And one whose cells lie in columns up to 65,535 (an .xls has 256), which
    // calamine would lay out as a rectangle of billions of cells.
    for name in ["looping_chain.xls", "wide_cells.xls"] {
        let path = repo(&format!("tests/fixtures/sheets/{name}"))
            .display()
            .to_string();
        let refused = work.run(&["score", &path, "--role", "retail"]);
        assert_eq!(refused.code, 2, "{name}");
        assert!(
            refused.stderr.contains("the .xls workbook is malformed"),
            "{name}: {}",
            refused.stderr
        );
    }
    // A zip that is no workbook: the reader's reason, on one line.
    std::fs::write(work.dir.path().join("bad.xlsx"), b"PK\x03\x04garbage").expect("write");
    let zip = work.run(&["score", "bad.xlsx", "--role", "retail"]);
    assert_eq!(zip.code, 2);
    assert!(
        zip.stderr
            .contains("error: bad.xlsx: cannot read the .xlsx workbook: "),
        "{}",
        zip.stderr
    );
    assert!(!zip.stderr.contains("caused by"), "{}", zip.stderr);
}
