//! Criterion benchmarks of the score path: one candidate through
//! [`Assessment::assess`], and a batch of simulated candidates through the
//! reader, the assessment and the CSV and JSONL writers.
//!
//! Run with `cargo bench --bench score`; compare before and after a change to
//! the hot path (see docs/PERFORMANCE.md).

#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use servicefit::assessment::{Assessment, Options};
use servicefit::batch::score_all;
use servicefit::builtin;
use servicefit::report::{self, Format, InputRecord, Run};
use servicefit::response::{ReadOptions, ResponseReader};
use servicefit::simulate::{Plan, Simulator};

/// Candidates in the batch benchmarks.
const BATCH: usize = 2_000;

fn assessment() -> Assessment {
    builtin::assessment("retail", Options::default()).expect("built-in data loads")
}

/// A response CSV of `n` simulated candidates, 5% careless, as `simulate` writes it.
fn response_csv(assessment: &Assessment, n: usize) -> Vec<u8> {
    let plan = Plan {
        seed: 7,
        careless: 0.05,
        fitting: 0.2,
    };
    let mut simulator = Simulator::new(assessment, plan);
    let mut out = csv::Writer::from_writer(Vec::new());
    let items = assessment.questionnaire().items();
    let mut header = vec!["candidate_id".to_string()];
    header.extend(items.iter().map(|i| i.id.clone()));
    out.write_record(&header).expect("in memory");
    for i in 0..n {
        let (_, answers) = simulator.next_respondent();
        let mut row = vec![format!("S{i:07}")];
        row.extend(
            answers
                .iter()
                .map(|a| a.map_or(String::new(), |v| v.to_string())),
        );
        out.write_record(&row).expect("in memory");
    }
    out.into_inner().expect("in memory")
}

fn one_candidate(c: &mut Criterion) {
    let assessment = assessment();
    let mut simulator = Simulator::new(
        &assessment,
        Plan {
            seed: 1,
            careless: 0.0,
            fitting: 0.0,
        },
    );
    let (_, answers) = simulator.next_respondent();
    c.bench_function("assess one candidate", |b| {
        b.iter(|| assessment.assess(black_box("S0000001"), 2, black_box(&answers), None))
    });
    // As the score path does it: one result, reused from candidate to candidate.
    let mut result = assessment.assess("S0000001", 2, &answers, None);
    c.bench_function("assess one candidate into a reused result", |b| {
        b.iter(|| {
            assessment.assess_into(
                black_box("S0000001"),
                2,
                black_box(&answers),
                None,
                &mut result,
            )
        })
    });
}

fn batch(c: &mut Criterion) {
    let assessment = assessment();
    let input = response_csv(&assessment, BATCH);
    let record = InputRecord {
        name: "bench.csv".into(),
        sha256: String::new(),
        bytes: input.len() as u64,
    };
    let run = Run {
        assessment: &assessment,
        input: &record,
    };
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(20);
    group.bench_function("resolve the header", |b| {
        b.iter(|| {
            ResponseReader::new(
                &input[..],
                assessment.questionnaire(),
                &ReadOptions::default(),
                "bench.csv",
            )
            .expect("header resolves")
            .layout()
            .fields
        })
    });
    group.bench_function("read and assess", |b| {
        b.iter(|| {
            let mut reader = ResponseReader::new(
                &input[..],
                assessment.questionnaire(),
                &ReadOptions::default(),
                "bench.csv",
            )
            .expect("header resolves");
            score_all(&mut reader, &assessment).expect("in memory")
        })
    });
    let mut reader = ResponseReader::new(
        &input[..],
        assessment.questionnaire(),
        &ReadOptions::default(),
        "bench.csv",
    )
    .expect("header resolves");
    let scored = score_all(&mut reader, &assessment).expect("in memory");
    for format in [Format::Csv, Format::Jsonl] {
        group.bench_function(format!("write {}", format.extension()), |b| {
            b.iter_batched_ref(
                || Vec::with_capacity(input.len() * 4),
                |sink| {
                    let mut writer = format.writer(sink);
                    report::write_all(writer.as_mut(), &run, &scored).expect("in memory")
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, one_candidate, batch);
criterion_main!(benches);
