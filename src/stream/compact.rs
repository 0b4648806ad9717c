//! What the ranked path keeps per candidate while the file is read: the rank
//! key and where its id and payload are, never the full result. Ids and
//! payloads are appended to one byte store per chunk of rows, not allocated
//! one by one: the payload is, for CSV, the rendered line (about 150 bytes),
//! for JSON Lines — whose lines are about 5 KB — the answers packed one byte
//! each, from which the candidate is assessed again at write time (assessment
//! is pure, so the result is the same). With the record itself (64 bytes),
//! that is about 225 bytes per candidate for CSV and 145 for JSON Lines with
//! the 72-item questionnaire.

use std::cmp::Ordering;

use crate::assessment::CandidateResult;
use crate::ingest::duplicate::Submission;
use crate::response::Response;
use crate::scoring::Answer;
use crate::validity::Status;

/// One candidate, compactly: 64 bytes, the optional values unpacked into a
/// value and a flag bit so that they take no room for their tags.
#[derive(Debug, Clone)]
pub struct Compact {
    /// Fit score, `-∞` when there is none (it ranks last).
    fit: f64,
    /// Low end of the fit interval, `-∞` when there is none.
    fit_low: f64,
    row: u64,
    /// Seconds the candidate took, when [`SECONDS`] is set.
    seconds: f64,
    /// Submission time, when [`SUBMITTED`] is set.
    submitted: i64,
    /// The id is bytes `start..payload` of store `store`, the payload `payload..end`.
    store: u32,
    start: u32,
    payload: u32,
    end: u32,
    status: Status,
    /// [`SECONDS`], [`SUBMITTED`], [`COMPLETE`].
    flags: u8,
}

/// Flag: the record has seconds.
const SECONDS: u8 = 1;
/// Flag: the record has a submission time.
const SUBMITTED: u8 = 2;
/// Flag: the submission was marked complete.
const COMPLETE: u8 = 4;

impl Compact {
    /// The compact record of `response`, whose assessment is `result`, whose
    /// id is bytes `start..payload` and payload `payload..end` of the store of
    /// its chunk, which [`Self::in_store`] names later.
    pub fn new(
        response: &Response,
        result: &CandidateResult,
        start: usize,
        payload: usize,
        end: usize,
    ) -> Self {
        let flag = |set: bool, flag: u8| if set { flag } else { 0 };
        Compact {
            status: result.validity.status,
            fit: result.fit.score.unwrap_or(f64::NEG_INFINITY),
            fit_low: result.fit.interval.map_or(f64::NEG_INFINITY, |i| i.low),
            row: response.row,
            seconds: response.seconds.unwrap_or_default(),
            submitted: response.submitted.unwrap_or_default(),
            flags: flag(response.seconds.is_some(), SECONDS)
                | flag(response.submitted.is_some(), SUBMITTED)
                | flag(response.complete, COMPLETE),
            store: 0,
            // A store holds at most 1,024 rows of records under 1 MiB
            // (limits::MAX_RECORD_BYTES): per row the id and a line that
            // repeats it, quoted, under 3.1 MiB, so offsets stay below 4 GiB.
            start: start as u32,
            payload: payload as u32,
            end: end as u32,
        }
    }

    /// The record with its payload in store number `store`.
    pub fn in_store(mut self, store: usize) -> Self {
        self.store = store as u32;
        self
    }

    /// The candidate's id, from the stores of all chunks.
    pub fn id<'s>(&self, stores: &'s [Vec<u8>]) -> &'s str {
        // Ids were appended as text, so the bytes are UTF-8.
        std::str::from_utf8(self.bytes(stores, self.start, self.payload)).unwrap_or_default()
    }

    /// Bytes `from..to` of this record's store.
    fn bytes<'s>(&self, stores: &'s [Vec<u8>], from: u32, to: u32) -> &'s [u8] {
        stores
            .get(self.store as usize)
            .and_then(|s| s.get(from as usize..to as usize))
            .unwrap_or_default()
    }

    /// The candidate's row.
    pub fn row(&self) -> u64 {
        self.row
    }

    /// Seconds the candidate took, if known.
    pub fn seconds(&self) -> Option<f64> {
        (self.flags & SECONDS != 0).then_some(self.seconds)
    }

    /// What the row offers when its id is contested.
    pub fn submission(&self) -> Submission {
        Submission {
            row: self.row,
            complete: self.flags & COMPLETE != 0,
            submitted: (self.flags & SUBMITTED != 0).then_some(self.submitted),
        }
    }

    /// The candidate's status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The payload's bytes among `stores`.
    pub fn payload<'s>(&self, stores: &'s [Vec<u8>]) -> &'s [u8] {
        self.bytes(stores, self.payload, self.end)
    }

    /// The ranking of [`crate::assessment::rank_order`], on compact records
    /// whose ids are in `stores` (compared as bytes, as `str` compares).
    pub fn rank_order(&self, other: &Compact, stores: &[Vec<u8>]) -> Ordering {
        let id = |c: &Compact| c.bytes(stores, c.start, c.payload);
        self.status
            .cmp(&other.status)
            .then_with(|| other.fit.total_cmp(&self.fit))
            .then_with(|| other.fit_low.total_cmp(&self.fit_low))
            .then_with(|| id(self).cmp(id(other)))
            .then_with(|| self.row.cmp(&other.row))
    }
}

/// A candidate's place in the ranking, 32 bytes, sorted instead of the
/// 64-byte records: [`Compact::rank_order`]'s status, fit and interval
/// low end as integers that order alike, the first 8 bytes of the id, and
/// the record's index. Most comparisons end within the key, without
/// reading the ids from the stores (cache misses when candidates without a
/// fit are ordered by id).
#[derive(Debug, Clone, Copy)]
pub struct Rank {
    fit: u64,
    fit_low: u64,
    id: u64,
    /// The status in the top two bits, the record's index in the others: a
    /// `Vec<Compact>` holds under 2⁵⁷ records (`isize::MAX` bytes).
    at: u64,
}

/// Bits of [`Rank::at`] below the status.
const STATUS_SHIFT: u32 = 62;

impl Rank {
    /// The rank key of `compact`, record `index` of its list.
    pub fn new(compact: &Compact, index: usize, stores: &[Vec<u8>]) -> Rank {
        let mut id = [0; 8];
        let bytes = compact.bytes(stores, compact.start, compact.payload);
        let prefix = bytes.len().min(8);
        id[..prefix].copy_from_slice(&bytes[..prefix]);
        Rank {
            fit: !ascending(compact.fit),
            fit_low: !ascending(compact.fit_low),
            id: u64::from_be_bytes(id),
            at: (compact.status as u64) << STATUS_SHIFT | index as u64,
        }
    }

    /// Index of the record in its list.
    pub fn index(&self) -> usize {
        (self.at & ((1 << STATUS_SHIFT) - 1)) as usize
    }

    /// The order of [`Compact::rank_order`] on the records of `kept`, read
    /// only when the keys tie. The keys order alike: the fit and its low
    /// end by [`ascending`], inverted for the descending order; ids whose
    /// first bytes differ by those bytes, and a shorter id, padded with
    /// zeros, never after one it starts.
    pub fn rank_order(&self, other: &Rank, kept: &[Compact], stores: &[Vec<u8>]) -> Ordering {
        let key = |r: &Rank| (r.at >> STATUS_SHIFT, r.fit, r.fit_low, r.id);
        key(self).cmp(&key(other)).then_with(|| {
            let (a, b) = (&kept[self.index()], &kept[other.index()]);
            a.rank_order(b, stores)
        })
    }
}

/// An unsigned integer in the order of [`f64::total_cmp`]: negative numbers'
/// bits inverted, positive numbers' sign bit set.
fn ascending(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// Whether answers on `min..=max` take one byte each when packed (else five).
fn narrow(min: i32, max: i32) -> bool {
    i64::from(max) - i64::from(min) < 255
}

/// Appends `answers`, on a response scale from `min` to `max`, packed to
/// `out`: one byte each (`0` for no answer, else `answer − min + 1`) when the
/// scale spans under 255 points, else a presence byte and four bytes each.
pub fn pack(answers: &[Answer], min: i32, max: i32, out: &mut Vec<u8>) {
    if narrow(min, max) {
        out.extend(answers.iter().map(|a| a.map_or(0, |v| (v - min + 1) as u8)));
    } else {
        for answer in answers {
            out.push(u8::from(answer.is_some()));
            out.extend_from_slice(&answer.unwrap_or_default().to_le_bytes());
        }
    }
}

/// The answers [`pack`] packed, into `into`.
pub fn unpack(packed: &[u8], min: i32, max: i32, into: &mut Vec<Answer>) {
    into.clear();
    if narrow(min, max) {
        into.extend(
            packed
                .iter()
                .map(|&b| (b > 0).then(|| min + i32::from(b) - 1)),
        );
    } else {
        into.extend(packed.chunks_exact(5).map(|a| {
            let value = i32::from_le_bytes([a[1], a[2], a[3], a[4]]);
            (a[0] == 1).then_some(value)
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records of every status, fits and interval ends that tie or differ
    /// in sign, zero and infinity, and ids that share their first 8 bytes,
    /// start one another, hold a NUL or non-ASCII bytes; rows all distinct.
    fn records(stores: &mut Vec<Vec<u8>>) -> Vec<Compact> {
        let ids = [
            "",
            "a",
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgi",
            "b",
            "é",
        ];
        let fits = [f64::NEG_INFINITY, -0.0, 0.0, 1e-300, 50.0, 100.0, f64::NAN];
        let statuses = [Status::Valid, Status::Caution, Status::Invalid];
        let mut store = Vec::new();
        let mut records = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            for (j, &fit) in fits.iter().enumerate() {
                for &fit_low in &fits[..=j] {
                    for (k, &status) in statuses.iter().enumerate() {
                        let start = store.len() as u32;
                        store.extend_from_slice(id.as_bytes());
                        let payload = store.len() as u32;
                        // Every id twice, rows counting down, so that rows break ties.
                        for twice in [0, 1] {
                            records.push(Compact {
                                fit,
                                fit_low,
                                row: 10_000 - ((i * 100 + j * 10 + k) * 2 + twice) as u64,
                                seconds: 0.0,
                                submitted: 0,
                                store: 0,
                                start,
                                payload,
                                end: payload,
                                status,
                                flags: 0,
                            });
                        }
                    }
                }
            }
        }
        stores.push(store);
        records
    }

    #[test]
    fn rank_keys_order_as_the_records_do() {
        let mut stores = Vec::new();
        let records = records(&mut stores);
        let mut by_records: Vec<usize> = (0..records.len()).collect();
        by_records.sort_by(|&a, &b| records[a].rank_order(&records[b], &stores));
        let mut ranks: Vec<Rank> = (records.iter().enumerate())
            .map(|(i, c)| Rank::new(c, i, &stores))
            .collect();
        ranks.sort_by(|a, b| a.rank_order(b, &records, &stores));
        let by_ranks: Vec<usize> = ranks.iter().map(Rank::index).collect();
        assert_eq!(by_ranks, by_records);
        // Sanity: the first is valid with the highest fit (NaN, as total_cmp has it).
        assert_eq!(records[by_ranks[0]].status, Status::Valid);
        assert!(records[by_ranks[0]].fit.is_nan());
    }

    #[test]
    fn a_rank_key_keeps_the_index_apart_from_the_status() {
        let mut stores = Vec::new();
        let mut record = records(&mut stores).swap_remove(0);
        record.status = Status::Invalid;
        let index = (1 << STATUS_SHIFT) - 1;
        assert_eq!(Rank::new(&record, index, &stores).index(), index);
    }

    #[test]
    fn answers_pack_into_bytes_and_back() {
        // On 1..5: None → 0, 1 → 1, 5 → 5; on 0..6, 0 → 1 and 6 → 7.
        let answers = [None, Some(1), Some(5), Some(3)];
        let mut packed = Vec::new();
        pack(&answers, 1, 5, &mut packed);
        assert_eq!(packed, [0, 1, 5, 3]);
        let mut back = Vec::new();
        unpack(&packed, 1, 5, &mut back);
        assert_eq!(back, answers);
        packed.clear();
        pack(&[Some(0), Some(6)], 0, 6, &mut packed);
        assert_eq!(packed, [1, 7]);
        // A scale of 0..1000 does not fit in a byte: five bytes per answer.
        packed.clear();
        pack(&[Some(1000), None], 0, 1000, &mut packed);
        assert_eq!(packed, [1, 0xE8, 0x03, 0, 0, 0, 0, 0, 0, 0]);
        unpack(&packed, 0, 1000, &mut back);
        assert_eq!(back, [Some(1000), None]);
    }
}
