//! Writes `examples/applicants.csv`: 30 invented applicants for the README's
//! quickstart, made with the library's simulator and a fixed seed.
//!
//! Run: `cargo run --example make_applicants > examples/applicants.csv`
//!
//! Who is in it: 9 attentive applicants whose levels centre on the retail
//! profile's bands (the strong fits), 13 ordinary attentive applicants, two
//! who left many items blank, a random clicker, a straight-liner, an
//! everything-agree responder, one who fakes good, one alternating pattern,
//! one with an out-of-range and an unknown answer (a row `score` must reject).

use servicefit::assessment::Options;
use servicefit::builtin;
use servicefit::scoring::Answer;
use servicefit::simulate::{Plan, Simulator, Style};

const NAMES: [&str; 30] = [
    "Alex Moreno",
    "Bea Lindqvist",
    "Chidi Okafor",
    "Dana Whitlock",
    "Emeka Nwosu",
    "Farah Haddad",
    "Gus Pellegrino",
    "Hana Sato",
    "Ines Carvalho",
    "Jonas Berg",
    "Kira Novak",
    "Liam O'Shea",
    "Maya Fischer",
    "Nico Rossi",
    "Omar Saleh",
    "Priya Raman",
    "Quinn Harper",
    "Rosa Delgado",
    "Sam Keller",
    "Tariq Aziz",
    "Uma Petrova",
    "Vik Anand",
    "Wen Zhao",
    "Xavier Dupont",
    "Yara Costa",
    "Zoe Mills",
    "Ari Levin",
    "Bo Jensen",
    "Cleo Martin",
    "Dev Malhotra",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let assessment = builtin::assessment("retail", Options::default())?;
    let items = assessment.questionnaire().items();
    let mut fitting = Simulator::new(
        &assessment,
        Plan {
            seed: 30,
            careless: 0.0,
            fitting: 1.0,
        },
    );
    let mut ordinary = Simulator::new(
        &assessment,
        Plan {
            seed: 31,
            careless: 0.0,
            fitting: 0.0,
        },
    );
    let mut rows: Vec<(Vec<Answer>, Option<&str>)> = Vec::new();
    rows.extend((0..9).map(|_| (fitting.answers(Style::Attentive), None)));
    rows.extend((0..13).map(|_| (ordinary.answers(Style::Attentive), None)));
    for skip_every in [2, 3] {
        let mut answers = ordinary.answers(Style::Attentive);
        answers
            .iter_mut()
            .skip(1)
            .step_by(skip_every)
            .for_each(|a| *a = None);
        rows.push((answers, None));
    }
    for style in [
        Style::Random,
        Style::Straightline,
        Style::Acquiescent,
        Style::FakeGood,
        Style::Alternating,
    ] {
        rows.push((ordinary.answers(style), None));
    }
    rows.push((ordinary.answers(Style::Attentive), Some("malformed")));

    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let mut header = vec!["candidate_id", "name"];
    header.extend(items.iter().map(|i| i.id.as_str()));
    out.write_record(&header)?;
    // A fixed interleaving, so the strong fits are not simply the first rows.
    let order = [
        12, 0, 22, 5, 17, 3, 25, 9, 1, 14, 27, 6, 20, 2, 10, 23, 7, 15, 29, 4, 18, 11, 26, 8, 21,
        13, 24, 16, 28, 19,
    ];
    for (n, &index) in order.iter().enumerate() {
        let (answers, kind) = &rows[index];
        let mut record = vec![format!("APP-{:04}", 1001 + n), NAMES[n].to_string()];
        record.extend(
            answers
                .iter()
                .map(|a| a.map_or_else(String::new, |v| v.to_string())),
        );
        if kind.is_some() {
            record[5] = "7".into();
            record[12] = "maybe".into();
        }
        out.write_record(&record)?;
    }
    out.flush()?;
    Ok(())
}
