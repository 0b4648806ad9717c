//! What the ranked path keeps per candidate while the file is read, never
//! the full result: a rank key ([`Rank`], 32 bytes), which is what is sorted,
//! and where the rest is ([`Compact`], 16 bytes). The rest goes into one byte
//! store per chunk of rows, not allocated row by row: the row number, the
//! times when the file has them, the name when it has one, the id, and the payload — for CSV the
//! rendered line (about 110 bytes), for JSON Lines (whose lines are about
//! 5 KB) the answers packed one byte each, from which the candidate is
//! assessed again at write time (assessment is pure, so the result is the
//! same). That is about 180 bytes per candidate for CSV and 140 for JSON
//! Lines with the 72-item questionnaire: at a million candidates, every byte
//! less is 250 fewer page faults.

use std::cmp::Ordering;
use std::io;

use crate::assessment::CandidateResult;
use crate::ingest::duplicate::Submission;
use crate::ranking::{shown_fit, shown_low, Tier};
use crate::response::Response;
use crate::scoring::Answer;
use crate::validity::Status;

/// Where one candidate's record is: bytes `start..end` of store `store`,
/// the head (row number and times) and the id up to `payload`, then the
/// payload.
#[derive(Debug, Clone, Copy)]
pub struct Compact {
    store: u32,
    start: u32,
    payload: u32,
    end: u32,
}

/// Head flag: the seconds taken follow the row number.
const SECONDS: u8 = 1;
/// Head flag: the submission time follows.
const SUBMITTED: u8 = 2;
/// Head flag: the submission was marked complete.
const COMPLETE: u8 = 4;
/// Head flag: a name (its length as 4 bytes, then its bytes) precedes the id.
const NAMED: u8 = 8;

/// The head of a record: what a candidate's row says besides its answers.
struct Head<'s> {
    row: u64,
    seconds: Option<f64>,
    submitted: Option<i64>,
    complete: bool,
    name: &'s [u8],
    id: &'s [u8],
}

impl Compact {
    /// Appends the record of `response` to `store` — row number, times, id,
    /// then what `payload` appends — and says where it is, in the store
    /// [`Self::in_store`] names later.
    pub fn append(
        store: &mut Vec<u8>,
        response: &Response,
        payload: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<Compact> {
        let start = store.len();
        let flag = |set: bool, flag: u8| if set { flag } else { 0 };
        store.extend_from_slice(&response.row.to_le_bytes());
        store.push(
            flag(response.seconds.is_some(), SECONDS)
                | flag(response.submitted.is_some(), SUBMITTED)
                | flag(response.complete, COMPLETE)
                | flag(!response.name.is_empty(), NAMED),
        );
        if let Some(seconds) = response.seconds {
            store.extend_from_slice(&seconds.to_le_bytes());
        }
        if let Some(submitted) = response.submitted {
            store.extend_from_slice(&submitted.to_le_bytes());
        }
        if !response.name.is_empty() {
            // Lossless: a name is a cell of a record under 1 MiB.
            store.extend_from_slice(&(response.name.len() as u32).to_le_bytes());
            store.extend_from_slice(response.name.as_bytes());
        }
        store.extend_from_slice(response.id.as_bytes());
        let at_payload = store.len();
        payload(store)?;
        // A store holds at most 1,024 rows of records under 1 MiB
        // (limits::MAX_RECORD_BYTES): per row a head of 25 bytes, the id
        // and a line that repeats it, quoted, under 3.1 MiB, so offsets
        // stay below 4 GiB.
        Ok(Compact {
            store: 0,
            start: start as u32,
            payload: at_payload as u32,
            end: store.len() as u32,
        })
    }

    /// The record with its payload in store number `store`. Every chunk but
    /// the last holds 1,024 rows, so store numbers stay below 2³² until
    /// more than 4·10¹² rows, whose rank keys alone would take 140 TB.
    pub fn in_store(mut self, store: usize) -> Self {
        self.store = store as u32;
        self
    }

    /// Bytes `from..to` of this record's store.
    fn bytes<'s>(&self, stores: &'s [Vec<u8>], from: u32, to: u32) -> &'s [u8] {
        stores
            .get(self.store as usize)
            .and_then(|s| s.get(from as usize..to as usize))
            .unwrap_or_default()
    }

    /// The head of the record, as [`Self::append`] wrote it.
    fn head<'s>(&self, stores: &'s [Vec<u8>]) -> Head<'s> {
        let mut bytes = self.bytes(stores, self.start, self.payload);
        let row = u64::from_le_bytes(take(&mut bytes));
        let [flags] = take(&mut bytes);
        let seconds = (flags & SECONDS != 0).then(|| f64::from_le_bytes(take(&mut bytes)));
        let submitted = (flags & SUBMITTED != 0).then(|| i64::from_le_bytes(take(&mut bytes)));
        let mut name: &[u8] = &[];
        if flags & NAMED != 0 {
            let length = u32::from_le_bytes(take(&mut bytes)) as usize;
            let (text, rest) = bytes.split_at(length.min(bytes.len()));
            (name, bytes) = (text, rest);
        }
        Head {
            row,
            seconds,
            submitted,
            complete: flags & COMPLETE != 0,
            name,
            id: bytes,
        }
    }

    /// The candidate's id, from the stores of all chunks.
    pub fn id<'s>(&self, stores: &'s [Vec<u8>]) -> &'s str {
        // Ids were appended as text, so the bytes are UTF-8.
        std::str::from_utf8(self.head(stores).id).unwrap_or_default()
    }

    /// The candidate's name; empty when the file has none.
    pub fn name<'s>(&self, stores: &'s [Vec<u8>]) -> &'s str {
        // Names were appended as text, so the bytes are UTF-8.
        std::str::from_utf8(self.head(stores).name).unwrap_or_default()
    }

    /// The candidate's row.
    pub fn row(&self, stores: &[Vec<u8>]) -> u64 {
        self.head(stores).row
    }

    /// Seconds the candidate took, if known.
    pub fn seconds(&self, stores: &[Vec<u8>]) -> Option<f64> {
        self.head(stores).seconds
    }

    /// What the row offers when its id is contested.
    pub fn submission(&self, stores: &[Vec<u8>]) -> Submission {
        let head = self.head(stores);
        Submission {
            row: head.row,
            complete: head.complete,
            submitted: head.submitted,
        }
    }

    /// The payload's bytes among `stores`.
    pub fn payload<'s>(&self, stores: &'s [Vec<u8>]) -> &'s [u8] {
        self.bytes(stores, self.payload, self.end)
    }

    /// The order of two candidates whose rank keys are equal: by id
    /// (compared as bytes, as `str` compares), then row.
    fn tie_order(&self, other: &Compact, stores: &[Vec<u8>]) -> Ordering {
        let (a, b) = (self.head(stores), other.head(stores));
        a.id.cmp(b.id).then(a.row.cmp(&b.row))
    }
}

/// The first `N` bytes of `bytes`, which then start after them (zeros if
/// there are fewer: never, in a record [`Compact::append`] wrote).
fn take<const N: usize>(bytes: &mut &[u8]) -> [u8; N] {
    match bytes.split_first_chunk::<N>() {
        Some((first, rest)) => {
            *bytes = rest;
            *first
        }
        None => [0; N],
    }
}

/// A candidate's place in the ranking, 32 bytes, which is what is sorted:
/// the tier, shown fit and interval low end of
/// [`crate::ranking::rank_order`] as integers that order alike, the
/// first 8 bytes of the id, and the index of the candidate's [`Compact`].
/// Most comparisons end within the keys, without reading the ids from the
/// stores (a cache miss or two each, when candidates without a fit are
/// ordered by id).
#[derive(Debug, Clone, Copy)]
pub struct Rank {
    fit: u64,
    fit_low: u64,
    id: u64,
    /// The tier in the top two bits, the status in the next two, the index
    /// in the others: a `Vec<Compact>` holds under 2⁵⁹ records (`isize::MAX` bytes).
    at: u64,
}

/// Bits of [`Rank::at`] below the tier.
const TIER_SHIFT: u32 = 62;
/// Bits of [`Rank::at`] below the status.
const STATUS_SHIFT: u32 = 60;

impl Rank {
    /// The rank key of `result`, for the record [`Self::at`] names later.
    pub fn new(result: &CandidateResult) -> Rank {
        let mut id = [0; 8];
        let bytes = result.id.as_bytes();
        let prefix = bytes.len().min(8);
        id[..prefix].copy_from_slice(&bytes[..prefix]);
        Rank {
            fit: !ascending(shown_fit(result).unwrap_or(f64::NEG_INFINITY)),
            fit_low: !ascending(shown_low(result).unwrap_or(f64::NEG_INFINITY)),
            id: u64::from_be_bytes(id),
            at: (Tier::of(result) as u64) << TIER_SHIFT
                | (result.validity.status as u64) << STATUS_SHIFT,
        }
    }

    /// The key of record `index` of its list.
    pub fn at(mut self, index: usize) -> Rank {
        self.at |= index as u64;
        self
    }

    /// Index of the record in its list.
    pub fn index(&self) -> usize {
        (self.at & ((1 << STATUS_SHIFT) - 1)) as usize
    }

    /// The candidate's status.
    pub fn status(&self) -> Status {
        match (self.at >> STATUS_SHIFT) & 0b11 {
            0 => Status::Valid,
            1 => Status::Caution,
            _ => Status::Invalid,
        }
    }

    /// Whether the candidate has a fit shown (valid or caution, with a fit).
    pub fn has_fit(&self) -> bool {
        Tier::from_number(self.at >> TIER_SHIFT) <= Tier::BelowMinimum
    }

    /// What candidates share when they share a rank: tier and shown fit
    /// ([`crate::ranking::tie_key`]).
    pub fn tie_key(&self) -> (u64, u64) {
        (self.at >> TIER_SHIFT, self.fit)
    }

    /// The order of [`crate::ranking::rank_order`], reading the records
    /// of `kept` only when the keys tie. The keys order alike: the fit and
    /// its low end by [`ascending`], inverted for the descending order; ids
    /// whose first 8 bytes differ by those bytes, and a shorter id, padded
    /// with zeros, never after one it starts.
    pub fn rank_order(&self, other: &Rank, kept: &[Compact], stores: &[Vec<u8>]) -> Ordering {
        let key = |r: &Rank| (r.at >> TIER_SHIFT, r.fit, r.fit_low, r.id);
        key(self).cmp(&key(other)).then_with(|| {
            let (a, b) = (&kept[self.index()], &kept[other.index()]);
            a.tie_order(b, stores)
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
    use crate::fit::FitBand;
    use crate::norms::Interval;
    use crate::ranking::rank_order;

    /// Results of every status, fits and interval ends that tie or differ
    /// in sign, zero and infinity, and ids that share their first 8 bytes,
    /// start one another, hold a NUL or non-ASCII bytes; every id twice,
    /// rows counting down, so that rows break ties.
    fn results() -> Vec<CandidateResult> {
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
        let fits = [
            None,
            Some(-0.0),
            Some(0.0),
            Some(1e-300),
            Some(100.0),
            Some(f64::NAN),
        ];
        let statuses = [Status::Valid, Status::Caution, Status::Invalid];
        let mut results = Vec::new();
        for id in ids {
            for (j, &score) in fits.iter().enumerate() {
                for &low in &fits[..=j] {
                    for status in statuses {
                        for _ in 0..2 {
                            let mut result = CandidateResult {
                                id: id.to_string(),
                                row: 100_000 - results.len() as u64,
                                ..CandidateResult::default()
                            };
                            result.validity.status = status;
                            result.fit.score = score;
                            result.fit.interval = low.map(|low| Interval { low, high: 100.0 });
                            result.recommendable = status != Status::Invalid && score.is_some();
                            // Every other one below a minimum, in its own tier.
                            if results.len() % 4 < 2 {
                                result.fit.band = Some(FitBand::MinimumNotMet);
                            }
                            results.push(result);
                        }
                    }
                }
            }
        }
        results
    }

    /// The records and rank keys of `results`, stored as the first pass stores them.
    fn stored(results: &[CandidateResult]) -> (Vec<Compact>, Vec<Rank>, Vec<Vec<u8>>) {
        let mut store = Vec::new();
        let mut kept = Vec::new();
        let mut ranks = Vec::new();
        for (index, result) in results.iter().enumerate() {
            let response = Response {
                id: result.id.clone(),
                row: result.row,
                ..Response::default()
            };
            kept.push(Compact::append(&mut store, &response, |_| Ok(())).unwrap());
            ranks.push(Rank::new(result).at(index));
        }
        (kept, ranks, vec![store])
    }

    #[test]
    fn rank_keys_order_as_the_results_do() {
        let results = results();
        let mut expected: Vec<usize> = (0..results.len()).collect();
        expected.sort_by(|&a, &b| rank_order(&results[a], &results[b]));
        let (kept, mut ranks, stores) = stored(&results);
        ranks.sort_by(|a, b| a.rank_order(b, &kept, &stores));
        let order: Vec<usize> = ranks.iter().map(Rank::index).collect();
        assert_eq!(order, expected);
        // Sanity: the first meets every minimum with the highest fit (NaN, as total_cmp has it).
        let first = &results[order[0]];
        assert_eq!(Tier::of(first), Tier::Fits);
        assert!(first.fit.score.is_some_and(f64::is_nan));
    }

    #[test]
    fn a_rank_key_keeps_the_index_apart_from_the_status() {
        let mut result = CandidateResult::default();
        for status in [Status::Valid, Status::Caution, Status::Invalid] {
            result.validity.status = status;
            let index = (1 << STATUS_SHIFT) - 1;
            let rank = Rank::new(&result).at(index);
            assert_eq!((rank.index(), rank.status()), (index, status));
        }
    }

    #[test]
    fn a_record_gives_back_what_was_stored() {
        let mut store = vec![9; 3];
        let response = Response {
            id: "APP-7".into(),
            name: "Zoë Ng".into(),
            row: 12,
            seconds: Some(61.5),
            submitted: Some(-3),
            complete: true,
            ..Response::default()
        };
        let line = |out: &mut Vec<u8>| {
            out.extend_from_slice(b"line");
            Ok(())
        };
        let first = Compact::append(&mut store, &response, line).unwrap();
        let bare = Response {
            id: "b".into(),
            row: 13,
            ..Response::default()
        };
        let second = Compact::append(&mut store, &bare, |_| Ok(())).unwrap();
        let stores = [vec![], store];
        let (first, second) = (first.in_store(1), second.in_store(1));
        assert_eq!((first.id(&stores), first.row(&stores)), ("APP-7", 12));
        assert_eq!((first.name(&stores), second.name(&stores)), ("Zoë Ng", ""));
        assert_eq!(first.seconds(&stores), Some(61.5));
        assert_eq!(first.payload(&stores), b"line");
        assert_eq!(
            first.submission(&stores),
            Submission {
                row: 12,
                complete: true,
                submitted: Some(-3)
            }
        );
        assert_eq!((second.id(&stores), second.seconds(&stores)), ("b", None));
        assert_eq!(second.payload(&stores), b"");
        assert_eq!(
            second.submission(&stores),
            Submission {
                row: 13,
                complete: false,
                submitted: None
            }
        );
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
