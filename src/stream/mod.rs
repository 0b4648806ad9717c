//! The fast score path for the line formats (CSV, JSON Lines): worker
//! threads take turns reading records in chunks of [`CHUNK_ROWS`] rows or
//! [`CHUNK_BYTES`] bytes, each parses, assesses and renders the chunk it
//! read, and a writer thread emits them in order. The output is the same
//! bytes as [`crate::batch::score_all`] followed by
//! [`crate::report::write_all`] would write, because both go through
//! [`crate::report::LineRenderer`].
//!
//! Two orders:
//! - [`score_unsorted`] writes candidates in input order as they are scored:
//!   memory does not depend on the number of rows (only rejected rows are
//!   kept, for the summary record).
//! - [`score_ranked`] keeps a compact record per candidate (about 190 bytes
//!   for CSV, 150 for JSON Lines with 72 items; see `compact.rs`), finds the
//!   repeated ids, sorts the candidates, then writes them in rank order.
//!
//! [`RankedRun`] keeps the same ranking for many outputs (a results folder,
//! the reports people read), each written from it in rank order.

mod compact;
mod kept;
mod ordered;

use std::cmp::Ordering;
use std::hash::{BuildHasher, RandomState};
use std::io::{self, Read, Write};
use std::iter;
use std::sync::Mutex;
use std::thread;

pub use self::kept::RankedRun;

use self::compact::{pack, unpack, Compact, Rank};
use crate::assessment::{Assessment, CandidateResult};
use crate::batch::{reject_repeated, superseded};
use crate::error::Error;
use crate::ingest::duplicate::{key, sharing_a_hash, DuplicatePolicy, Tracker, Verdict};
use crate::ingest::records::{Record, RecordSource, Records};
use crate::ranking::SharedRanks;
use crate::report::{
    write_csv_header, write_jsonl_footer, write_jsonl_header, write_ranked, InputRecord,
    LineFormat, LineRenderer, Run, Summary,
};
use crate::response::{Rejection, Response, ResponseReader, RowParser};
use crate::scoring::Answer;
use crate::validity::Status;

/// Rows handed to a worker at a time: large enough that channel traffic is
/// negligible, small enough that a few chunks in flight take little memory.
pub const CHUNK_ROWS: usize = 1024;

/// Cell text handed to a worker at a time, at most (plus one record of at
/// most [`crate::limits::MAX_RECORD_BYTES`]): 1,024 rows of a 72-item file
/// take about 150 KB, well under it, while rows with a huge unscored column
/// are handed over a few at a time, so that a worker's chunk stays under
/// 2 MiB whatever the rows hold.
pub const CHUNK_BYTES: usize = 1 << 20;

/// What a streamed run leaves besides its output.
#[derive(Debug, Clone, Default)]
pub struct Streamed {
    /// The counts; `read == scored + rejected + superseded`.
    pub summary: Summary,
    /// Rows not scored, in row order.
    pub rejections: Vec<Rejection>,
}

/// Scores every row of `reader` and writes each candidate in input order, with
/// `rank` counting output lines. Every row is scored, duplicates included
/// (deciding which duplicate to keep needs every row), whatever the reader's
/// duplicate policy.
///
/// # Errors
/// [`Error::Read`] when the input cannot be read further; [`Error::Write`]
/// when the sink fails (the run stops soon after).
pub fn score_unsorted<R: Read + Send, W: Write + Send>(
    reader: &mut ResponseReader<'_, R>,
    run: &Run<'_>,
    format: LineFormat,
    workers: usize,
    mut sink: W,
) -> Result<Streamed, Error> {
    let (source, parser) = reader.split();
    let (read, written) = ordered::run(
        workers,
        || (Renderer::new(format, run), Records::default()),
        |(_, records)| fill(source, records),
        |(renderer, records)| renderer.rows(run.assessment, parser, records),
        |chunks| -> io::Result<Streamed> {
            let mut streamed = Streamed::default();
            match format {
                LineFormat::Csv => write_csv_header(run, &mut sink)?,
                LineFormat::Jsonl => write_jsonl_header(run, &mut sink)?,
            }
            let mut rank = 0;
            for chunk in chunks {
                let chunk = chunk?;
                let mut start = 0;
                for item in chunk.items {
                    match item {
                        Item::Line { status, end } => {
                            rank += 1;
                            streamed.summary.add_status(status);
                            write_ranked(format, rank, &chunk.lines[start..end], &mut sink)?;
                            start = end;
                        }
                        Item::Rejected(rejection) => {
                            streamed.summary.add_rejected();
                            streamed.rejections.push(rejection);
                        }
                    }
                }
            }
            finish(format, &streamed, &mut sink)?;
            Ok(streamed)
        },
    );
    let streamed = written?;
    read?;
    Ok(streamed)
}

/// Scores every row of `reader`, applies its duplicate policy, ranks the
/// candidates as [`crate::ranking::rank_order`] does and writes them.
/// `input` gives the input's record once every row has been read (its hash
/// is known only then).
///
/// # Errors
/// [`Error::Read`] when the input cannot be read further; [`Error::Write`]
/// when the sink fails.
pub fn score_ranked<R: Read + Send, W: Write + Send>(
    reader: &mut ResponseReader<'_, R>,
    assessment: &Assessment,
    input: impl FnOnce(&R) -> InputRecord,
    format: LineFormat,
    workers: usize,
    sink: W,
) -> Result<Streamed, Error> {
    let payload = match format {
        LineFormat::Csv => Payload::Line,
        LineFormat::Jsonl => Payload::Answers,
    };
    let ranking = Ranking::new(reader, assessment, format, payload, workers)?;
    let record = input(reader.input());
    let run = Run {
        assessment,
        input: &record,
    };
    let streamed = &ranking.streamed;
    write_ranked_lines(&run, format, workers, &ranking.view(), streamed, sink)?;
    Ok(ranking.streamed)
}

/// What the first pass keeps of a candidate besides its rank key, id and head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Payload {
    /// Its rendered line (CSV: short, and written as it is).
    Line,
    /// Its answers packed one byte each, assessed again at write time.
    Answers,
}

/// Every row of a file scored, the duplicates decided and the candidates
/// sorted: what the ranked writers read from.
struct Ranking {
    /// Every row scored, duplicates included.
    scored: Vec<Compact>,
    stores: Vec<Vec<u8>>,
    /// Whether each row scored is kept (a duplicate may not be).
    keep: Vec<bool>,
    /// The rank keys, as two sorted runs split at `half`.
    ranks: Vec<Rank>,
    half: usize,
    payload: Payload,
    streamed: Streamed,
}

impl Ranking {
    /// Reads and scores every row of `reader`, applies its duplicate policy
    /// and sorts the candidates as [`crate::assessment::rank_order`] does.
    fn new<R: Read + Send>(
        reader: &mut ResponseReader<'_, R>,
        assessment: &Assessment,
        format: LineFormat,
        payload: Payload,
        workers: usize,
    ) -> Result<Ranking, Error> {
        let policy = reader.duplicates();
        // The CSV renderer needs the run only for the profile and the norms label;
        // the input record, unknown until the end, is not part of a line.
        let unknown = InputRecord {
            name: String::new(),
            sha256: String::new(),
            bytes: 0,
        };
        let placeholder = Run {
            assessment,
            input: &unknown,
        };
        let (min, max) = {
            let scale = assessment.questionnaire().response_scale();
            (scale.min, scale.max)
        };
        let (source, parser) = reader.split();
        // Hashes ids to find the rows that may repeat one (`sharing_a_hash`),
        // unless every row is kept anyway.
        let ids = (policy != DuplicatePolicy::KeepAll).then(RandomState::new);
        let (read, gathered) = ordered::run(
            workers,
            || (Renderer::new(format, &placeholder), Records::default()),
            |(_, records)| fill(source, records),
            |(renderer, records)| {
                let ids = ids.as_ref();
                renderer.first_pass(assessment, parser, records, ids, payload, (min, max))
            },
            gather,
        );
        read?;
        let Gathered {
            scored,
            mut ranks,
            hashes,
            mut rejections,
            stores,
        } = gathered?;
        // Which duplicates to drop is decided while the rank keys are sorted,
        // all of them: the dropped ones are skipped as they are merged.
        let mut keep = Vec::new();
        let half = if workers > 1 { ranks.len() / 2 } else { 0 };
        thread::scope(|scope| {
            scope.spawn(|| keep = duplicates(policy, &scored, &stores, &hashes, &mut rejections));
            sort_halves(&mut ranks, half, &scored, &stores);
        });
        rejections.sort_by_key(|r| r.row);
        let mut ranking = Ranking {
            scored,
            stores,
            keep,
            ranks,
            half,
            payload,
            streamed: Streamed::default(),
        };
        ranking.streamed = Streamed {
            summary: summary(&ranking.view(), &rejections),
            rejections,
        };
        Ok(ranking)
    }

    /// The candidates as the writers read them.
    fn view(&self) -> Ranked<'_> {
        Ranked {
            scored: &self.scored,
            stores: &self.stores,
            keep: &self.keep,
            halves: self.ranks.split_at(self.half),
            payload: self.payload,
        }
    }
}

/// The candidates scored, as two runs in rank order, and which are kept.
struct Ranked<'a> {
    /// Every row scored, duplicates included.
    scored: &'a [Compact],
    stores: &'a [Vec<u8>],
    /// Whether each row scored is kept (a duplicate may not be).
    keep: &'a [bool],
    /// The rank keys of every row scored, as two sorted runs.
    halves: (&'a [Rank], &'a [Rank]),
    payload: Payload,
}

impl Ranked<'_> {
    /// The order of [`crate::ranking::rank_order`].
    fn order(&self, a: &Rank, b: &Rank) -> Ordering {
        a.rank_order(b, self.scored, self.stores)
    }

    /// The rank keys of the rows kept, in rank order: the two runs merged.
    fn merged(&self) -> impl Iterator<Item = &Rank> {
        let (mut a, mut b) = self.halves;
        let merged = iter::from_fn(move || {
            let from_b = match (a.first(), b.first()) {
                (Some(x), Some(y)) => self.order(y, x) == Ordering::Less,
                (first, _) => first.is_none(),
            };
            let run = if from_b { &mut b } else { &mut a };
            let (first, rest) = run.split_first()?;
            *run = rest;
            Some(first)
        });
        merged.filter(|r| self.keep[r.index()])
    }
}

/// Sorts `ranks` in the order of [`crate::ranking::rank_order`] as two
/// runs split at `half`, each on its own thread (the sort runs after every
/// row is read: on one thread it would leave the other core idle); with one
/// worker `half` is 0 and the one run is sorted. The workers merge the two
/// as they take chunks of them to write.
fn sort_halves(ranks: &mut [Rank], half: usize, scored: &[Compact], stores: &[Vec<u8>]) {
    // The order is total (rows are unique), so an unstable sort gives the one result.
    let sort = |ranks: &mut [Rank]| ranks.sort_unstable_by(|a, b| a.rank_order(b, scored, stores));
    let (a, b) = ranks.split_at_mut(half);
    thread::scope(|scope| {
        scope.spawn(|| sort(a));
        sort(b);
    });
}

/// Writes the ranked candidates. Workers take turns taking the next chunk
/// of the merged rank keys and gather its lines — for CSV, the stored lines
/// (reading them in rank order, all over memory, goes faster on every core
/// than on the writer's alone); for JSON Lines, each candidate assessed
/// again from its packed answers (a line is about 5 KB, too much to keep)
/// — and the writer thread puts the rank in front.
fn write_ranked_lines<W: Write + Send>(
    run: &Run<'_>,
    format: LineFormat,
    workers: usize,
    ranked: &Ranked<'_>,
    streamed: &Streamed,
    mut sink: W,
) -> io::Result<()> {
    let spares = Spares::default();
    let mut merged = ranked.merged();
    let (_, written) = ordered::run(
        workers,
        || {
            let renderer = Renderer::new(format, run);
            (renderer, Vec::new(), Vec::new(), Vec::new())
        },
        |(_, _, chunk, _)| {
            chunk.clear();
            chunk.extend(merged.by_ref().take(CHUNK_ROWS).copied());
            Ok::<bool, Error>(!chunk.is_empty())
        },
        |(renderer, answers, chunk, records)| {
            // The records first, in a loop of their own: read in rank order,
            // all over memory, their cache misses then overlap.
            records.clear();
            records.extend(chunk.iter().map(|r: &Rank| ranked.scored[r.index()]));
            let mut lines = spares.take();
            let (stores, payload) = (ranked.stores, ranked.payload);
            renderer.again(
                run.assessment,
                records,
                stores,
                payload,
                answers,
                &mut lines,
            )?;
            lines.ties.extend(chunk.iter().map(Rank::tie_key));
            Ok::<_, io::Error>(lines)
        },
        |rendered| -> io::Result<()> {
            match format {
                LineFormat::Csv => write_csv_header(run, &mut sink)?,
                LineFormat::Jsonl => write_jsonl_header(run, &mut sink)?,
            }
            let mut ranks = SharedRanks::default();
            for chunk in rendered {
                let lines = chunk?;
                let mut start = 0;
                for (&end, &tie) in lines.ends.iter().zip(&lines.ties) {
                    let rank = ranks.next(tie);
                    write_ranked(format, rank, &lines.bytes[start..end], &mut sink)?;
                    start = end;
                }
                spares.give(lines);
            }
            finish(format, streamed, &mut sink)
        },
    );
    written
}

/// Empties `records` and fills it with the next chunk of rows, unparsed:
/// `Ok(false)` when there is none left.
fn fill<R: Read>(source: &mut RecordSource<R>, records: &mut Records) -> Result<bool, Error> {
    records.clear();
    source.fill(records, CHUNK_ROWS, CHUNK_BYTES)?;
    Ok(!records.is_empty())
}

/// Chunks of lines the writer has written, given back for the workers to
/// fill again. A chunk's lines (about 110 KB of CSV, 5 MB of JSON Lines)
/// are large enough that the allocator maps fresh pages for each new
/// buffer, and the page faults cost the workers more than a tenth of the
/// time they take to gather the lines. There are never more spares than
/// chunks in flight.
#[derive(Default)]
struct Spares(Mutex<Vec<Lines>>);

impl Spares {
    /// An empty buffer: a spare one, or a new one.
    fn take(&self) -> Lines {
        let spare = self.0.lock().ok().and_then(|mut spares| spares.pop());
        spare.unwrap_or_default()
    }

    /// Keeps `lines`, emptied, for [`Self::take`].
    fn give(&self, mut lines: Lines) {
        lines.bytes.clear();
        lines.ends.clear();
        lines.ties.clear();
        // A poisoned lock means a thread panicked; the buffer is then dropped.
        if let Ok(mut spares) = self.0.lock() {
            spares.push(lines);
        }
    }
}

/// A chunk's lines, without their ranks, one after another.
#[derive(Default)]
struct Lines {
    bytes: Vec<u8>,
    /// Where each line ends in `bytes`.
    ends: Vec<usize>,
    /// Each line's [`Rank::tie_key`], in the ranked path: equal keys share a rank.
    ties: Vec<(u64, u64)>,
}

/// Parses a row read by [`RecordSource`] into `response`, reusing its buffers.
fn parse(
    parser: &RowParser<'_>,
    row: Result<Record<'_>, &Rejection>,
    response: &mut Response,
) -> Result<(), Rejection> {
    match row {
        Ok(record) => parser.parse_into(&record, response),
        Err(unparsable) => Err(unparsable.clone()),
    }
}

/// One output line (ending at `end` in the chunk's bytes) or one rejection.
enum Item {
    Line { status: Status, end: usize },
    Rejected(Rejection),
}

/// The rendered lines of a chunk of rows, and what each row became.
struct Rendered {
    lines: Vec<u8>,
    items: Vec<Item>,
}

/// A worker's renderer and its reusable buffers.
struct Renderer {
    lines: LineRenderer,
    result: CandidateResult,
    /// The row being scored, reused from row to row.
    response: Response,
}

impl Renderer {
    fn new(format: LineFormat, run: &Run<'_>) -> Self {
        Renderer {
            lines: LineRenderer::new(format, run),
            result: CandidateResult::default(),
            response: Response::default(),
        }
    }

    fn rows(
        &mut self,
        assessment: &Assessment,
        parser: &RowParser<'_>,
        records: &Records,
    ) -> Result<Rendered, io::Error> {
        let mut out = Rendered {
            lines: Vec::with_capacity(records.len() * 256),
            items: Vec::with_capacity(records.len()),
        };
        for row in records.iter() {
            let r = &mut self.response;
            out.items.push(match parse(parser, row, r) {
                Ok(()) => {
                    let result = &mut self.result;
                    assessment.assess_into(&r.id, r.row, &r.answers, r.seconds, result);
                    result.name.push_str(&r.name);
                    self.lines.render(result, &mut out.lines)?;
                    Item::Line {
                        status: result.validity.status,
                        end: out.lines.len(),
                    }
                }
                Err(rejection) => Item::Rejected(rejection),
            });
        }
        Ok(out)
    }

    /// Appends the lines of `chunk` to `lines`, without their ranks: the
    /// lines stored, or each candidate assessed again from its packed
    /// answers (assessment is pure: the result is the first one).
    fn again(
        &mut self,
        assessment: &Assessment,
        chunk: &[Compact],
        stores: &[Vec<u8>],
        payload: Payload,
        answers: &mut Vec<Answer>,
        lines: &mut Lines,
    ) -> io::Result<()> {
        for compact in chunk {
            match payload {
                Payload::Line => lines.bytes.extend_from_slice(compact.payload(stores)),
                Payload::Answers => {
                    let result = &mut self.result;
                    again(assessment, compact, stores, answers, result);
                    self.lines.render(result, &mut lines.bytes)?;
                }
            }
            lines.ends.push(lines.bytes.len());
        }
        Ok(())
    }

    /// Assesses a chunk of rows, keeping for each candidate its rank key, the
    /// hash of its id's [`key`] by `ids` if given (here, on the workers, not
    /// on the thread that gathers the rows), and its record in the chunk's store,
    /// whose payload is its line or its answers packed from the response
    /// scale `min..=max`.
    fn first_pass(
        &mut self,
        assessment: &Assessment,
        parser: &RowParser<'_>,
        records: &Records,
        ids: Option<&RandomState>,
        payload: Payload,
        (min, max): (i32, i32),
    ) -> io::Result<FirstPass> {
        let mut pass = FirstPass {
            items: Vec::with_capacity(records.len()),
            store: Vec::with_capacity(records.len() * 160),
        };
        for row in records.iter() {
            let r = &mut self.response;
            pass.items.push(match parse(parser, row, r) {
                Ok(()) => {
                    let result = &mut self.result;
                    assessment.assess_into(&r.id, r.row, &r.answers, r.seconds, result);
                    result.name.push_str(&r.name);
                    let lines = &mut self.lines;
                    let compact = Compact::append(&mut pass.store, r, |store| {
                        match payload {
                            Payload::Line => lines.render(result, store)?,
                            Payload::Answers => pack(&r.answers, min, max, store),
                        }
                        Ok(())
                    })?;
                    Assessed::Scored(Scored {
                        compact,
                        rank: Rank::new(result),
                        hash: ids.map(|ids| ids.hash_one(&*key(&r.id))),
                    })
                }
                Err(rejection) => Assessed::Rejected(rejection),
            });
        }
        Ok(pass)
    }
}

/// Assesses the candidate of `compact` again from its packed answers into `result`.
fn again(
    assessment: &Assessment,
    compact: &Compact,
    stores: &[Vec<u8>],
    answers: &mut Vec<Answer>,
    result: &mut CandidateResult,
) {
    let scale = assessment.questionnaire().response_scale();
    unpack(compact.payload(stores), scale.min, scale.max, answers);
    let (id, row) = (compact.id(stores), compact.row(stores));
    assessment.assess_into(id, row, answers, compact.seconds(stores), result);
    result.name.push_str(compact.name(stores));
}

/// What the first pass makes of a chunk of rows: an item per row, and the
/// store of the scored rows' payloads.
struct FirstPass {
    items: Vec<Assessed>,
    store: Vec<u8>,
}

/// What the first pass of the ranked path makes of a row.
enum Assessed {
    Scored(Scored),
    Rejected(Rejection),
}

/// A row scored: where its record is, its rank key, and its id's hash
/// unless the policy keeps every row.
struct Scored {
    compact: Compact,
    rank: Rank,
    hash: Option<u64>,
}

/// Every row the first pass read, in row order.
struct Gathered {
    /// The scored rows, duplicates included.
    scored: Vec<Compact>,
    /// Their rank keys, in row order.
    ranks: Vec<Rank>,
    /// The hash of each scored row's id, as `scored` orders them, unless
    /// the policy keeps every row.
    hashes: Vec<u64>,
    /// The rows rejected.
    rejections: Vec<Rejection>,
    /// The chunks' payload stores.
    stores: Vec<Vec<u8>>,
}

/// Gathers the first pass's chunks in row order. Which duplicates to drop
/// is decided once all are in ([`duplicates`]).
fn gather(chunks: &mut dyn Iterator<Item = io::Result<FirstPass>>) -> io::Result<Gathered> {
    let mut gathered = Gathered {
        scored: Vec::new(),
        ranks: Vec::new(),
        hashes: Vec::new(),
        rejections: Vec::new(),
        stores: Vec::new(),
    };
    for chunk in chunks {
        let FirstPass { items, store } = chunk?;
        let number = gathered.stores.len();
        gathered.stores.push(store);
        for item in items {
            match item {
                Assessed::Scored(Scored {
                    compact,
                    rank,
                    hash,
                }) => {
                    let index = gathered.scored.len();
                    gathered.hashes.extend(hash);
                    gathered.ranks.push(rank.at(index));
                    gathered.scored.push(compact.in_store(number));
                }
                Assessed::Rejected(rejection) => gathered.rejections.push(rejection),
            }
        }
    }
    Ok(gathered)
}

/// Applies `policy` to the rows scored: whether to keep each, and the
/// rejections of the others. `hashes` holds each row's id hash, in row
/// order (nothing under `keep-all`).
fn duplicates(
    policy: DuplicatePolicy,
    scored: &[Compact],
    stores: &[Vec<u8>],
    hashes: &[u64],
    rejections: &mut Vec<Rejection>,
) -> Vec<bool> {
    let mut keep = vec![true; scored.len()];
    let sharing = sharing_a_hash(hashes);
    match policy {
        DuplicatePolicy::Latest => latest(scored, stores, &sharing, &mut keep, rejections),
        DuplicatePolicy::Reject => reject(scored, stores, &sharing, &mut keep, rejections),
        DuplicatePolicy::KeepAll => {}
    }
    keep
}

/// Applies `latest` as [`crate::batch::score_all`] does, to the rows of
/// `scored` that may repeat an id (`sharing`, each id's rows in row order):
/// clears `keep` for each row superseded and adds its rejection.
fn latest(
    scored: &[Compact],
    stores: &[Vec<u8>],
    sharing: &[usize],
    keep: &mut [bool],
    rejections: &mut Vec<Rejection>,
) {
    let mut tracker = Tracker::new(DuplicatePolicy::Latest);
    // The index in `scored` of the row each tracker slot holds.
    let mut slots: Vec<usize> = Vec::new();
    for &index in sharing {
        let compact = &scored[index];
        let (id, submission) = (compact.id(stores), compact.submission(stores));
        match tracker.offer(id, submission, slots.len()) {
            Verdict::New => slots.push(index),
            Verdict::Replaces { slot, row } => {
                // The row replaced keeps its own spelling of the id in its rejection.
                rejections.push(superseded(
                    row,
                    scored[slots[slot]].id(stores),
                    submission.row,
                ));
                keep[slots[slot]] = false;
                slots[slot] = index;
            }
            Verdict::Superseded { by } => {
                rejections.push(superseded(submission.row, id, by));
                keep[index] = false;
            }
        }
    }
}

/// Applies `reject` to the rows of `scored` that may repeat an id (`sharing`):
/// clears `keep` for each row whose id is repeated and adds its rejection.
fn reject(
    scored: &[Compact],
    stores: &[Vec<u8>],
    sharing: &[usize],
    keep: &mut [bool],
    rejections: &mut Vec<Rejection>,
) {
    let candidates = sharing
        .iter()
        .map(|&i| (scored[i].id(stores), scored[i].row(stores)));
    for (index, keeps) in sharing.iter().zip(reject_repeated(candidates, rejections)) {
        keep[*index] = keeps;
    }
}

/// The counts of the candidates ranked and of the rows rejected.
fn summary(ranked: &Ranked<'_>, rejections: &[Rejection]) -> Summary {
    let mut summary = Summary::default();
    let (a, b) = ranked.halves;
    (a.iter().chain(b))
        .filter(|r| ranked.keep[r.index()])
        .for_each(|r| summary.add_status(r.status()));
    for rejection in rejections {
        match rejection.superseded_by {
            Some(_) => summary.add_superseded(),
            None => summary.add_rejected(),
        }
    }
    summary
}

/// Writes what follows the last candidate (the JSON Lines summary record) and flushes.
fn finish(format: LineFormat, streamed: &Streamed, sink: &mut impl Write) -> io::Result<()> {
    if format == LineFormat::Jsonl {
        write_jsonl_footer(&streamed.summary, &streamed.rejections, sink)?;
    }
    sink.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use crate::response::ReadOptions;

    /// 2,500 rows, with a blank line after the 1,501st.
    fn text() -> String {
        let mut text = String::from("candidate_id,TR01,TA02,EM03,CO02,FO01,IM01,FL13\n");
        for i in 0..2500 {
            text.push_str(&format!("c{i},3\n"));
            if i == 1500 {
                text.push('\n');
            }
        }
        text
    }

    #[test]
    fn chunks_of_wide_rows_are_bounded_by_bytes() {
        let q = builtin::questionnaire().unwrap();
        let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
        let note = "n".repeat(100_000);
        let answers = vec!["3"; ids.len()].join(",");
        let mut text = format!("candidate_id,note,{}\n", ids.join(","));
        for n in 1..=30 {
            text.push_str(&format!("c{n:02},{note},{answers}\n"));
        }
        let mut reader =
            ResponseReader::new(text.as_bytes(), &q, &ReadOptions::default(), "t.csv").unwrap();
        let (source, _) = reader.split();
        let mut records = Records::default();
        let mut chunks = Vec::new();
        while fill(source, &mut records).unwrap() {
            chunks.push(records.len());
        }
        // A row's cell text: 3 (id) + 100,000 (note) + k answers of one byte
        // (72 items: 100,075 bytes). Ten rows hold 1,000,750 < 1,048,576 and
        // eleven 1,100,825 (for any k under 4,800): the chunk ends after the eleventh.
        assert_eq!(chunks, [11, 11, 8]);
    }

    #[test]
    fn fill_gives_full_chunks_in_row_order_then_says_the_end() {
        let q = builtin::questionnaire().unwrap();
        let text = text();
        let mut reader =
            ResponseReader::new(text.as_bytes(), &q, &ReadOptions::lenient(), "t.csv").unwrap();
        let (source, _) = reader.split();
        // One buffer, reused as a worker reuses it: emptied before each fill.
        let mut records = Records::default();
        let mut chunks = Vec::new();
        while fill(source, &mut records).unwrap() {
            chunks.push(records.iter().map(|r| r.unwrap().row).collect::<Vec<u64>>());
        }
        assert!(records.is_empty());
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            [1024, 1024, 452]
        );
        // Row 1 is the header; the blank line is row 1,503.
        assert_eq!(chunks[0][..2], [2, 3]);
        assert_eq!(chunks[1][0], 1026);
        assert_eq!(chunks[2][0], 2051);
        assert_eq!(chunks[2].last(), Some(&2502));
    }
}
