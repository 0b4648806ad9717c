//! What to do when the same candidate id appears on more than one row.
//!
//! Deciding needs every row, so this is the one place the batch keeps
//! something per candidate beyond the results themselves: a map from id to
//! the position of the row currently kept (about 60 bytes per distinct id,
//! with no allocation of its own: the ids are appended to one string). A
//! caller that keeps every row anyway can first pick out the rows whose id
//! hash repeats ([`sharing_a_hash`]) and offer only those to the map.
//!
//! Under `latest` the kept row is the latest *complete* submission: a
//! complete row beats an unfinished one; between two of the same kind, the
//! later submission time when both rows have one, else the later row in the
//! file.
//!
//! Two rows are the same candidate when their ids have the same [`key`]:
//! ids are compared without the spaces around them, and e-mail addresses
//! without regard to case, since people type their address as they like.

use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap, RandomState};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// The duplicate policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicatePolicy {
    /// Score every row, duplicates included.
    KeepAll,
    /// Keep the latest complete submission; the others are superseded.
    #[default]
    Latest,
    /// Reject every row of a repeated id.
    Reject,
}

impl DuplicatePolicy {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DuplicatePolicy::KeepAll => "keep-all",
            DuplicatePolicy::Latest => "latest",
            DuplicatePolicy::Reject => "reject",
        }
    }
}

/// What makes two ids the same candidate's: the id without the spaces
/// around it, and an e-mail address (an id with an `@`) in lower case —
/// `Ann@Example.com ` and `ann@example.com` are one applicant who typed
/// their address twice. Other ids keep their case: `A12` and `a12` may be
/// two people. Borrows when nothing changes, as for nearly every id.
///
/// ```
/// use servicefit::ingest::duplicate::key;
/// assert_eq!(key(" Ann@Example.COM "), "ann@example.com");
/// assert_eq!(key(" A12 "), "A12");
/// ```
pub fn key(id: &str) -> Cow<'_, str> {
    let id = id.trim();
    let folds = |c: char| c.is_uppercase();
    if memchr::memchr(b'@', id.as_bytes()).is_some() && id.chars().any(folds) {
        Cow::Owned(id.to_lowercase())
    } else {
        Cow::Borrowed(id)
    }
}

/// What a row offers when its id is contested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Submission {
    /// Spreadsheet row number.
    pub row: u64,
    /// Whether the tool marked it finished.
    pub complete: bool,
    /// Submission time in seconds, if readable.
    pub submitted: Option<i64>,
}

impl Submission {
    /// Whether `self` should be kept over `other` under `latest`.
    pub fn beats(&self, other: &Submission) -> bool {
        if self.complete != other.complete {
            return self.complete;
        }
        match (self.submitted, other.submitted) {
            (Some(a), Some(b)) if a != b => a > b,
            _ => self.row > other.row,
        }
    }
}

/// The outcome of offering one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A new id, or duplicates are kept: keep the row under this new slot.
    New,
    /// The row replaces the one kept in `slot`, which is superseded.
    Replaces {
        /// Slot of the row replaced.
        slot: usize,
        /// Its row number.
        row: u64,
    },
    /// The row is superseded by the row kept.
    Superseded {
        /// Row number of the row kept.
        by: u64,
    },
}

/// Tracks the row kept for each id.
#[derive(Debug, Default)]
pub struct Tracker<S = RandomState> {
    policy: DuplicatePolicy,
    /// Hashes ids; keyed per process, so ids chosen to collide cannot slow the map.
    hasher: S,
    /// Entry of each id, by the id's hash (the next free value when two ids share one).
    kept: HashMap<u64, Kept, BuildHasherDefault<Prehashed>>,
    /// Every id kept, one after another; a [`Kept`] says where its id is.
    ids: String,
}

/// The row kept for one id.
#[derive(Debug, Clone, Copy)]
struct Kept {
    id: (usize, usize),
    slot: usize,
    submission: Submission,
}

impl Tracker {
    /// A tracker applying `policy`.
    pub fn new(policy: DuplicatePolicy) -> Tracker {
        Tracker::with_hasher(policy, RandomState::new())
    }
}

impl<S: BuildHasher> Tracker<S> {
    /// A tracker hashing ids with `hasher`.
    pub fn with_hasher(policy: DuplicatePolicy, hasher: S) -> Tracker<S> {
        Tracker {
            policy,
            hasher,
            kept: HashMap::default(),
            ids: String::new(),
        }
    }

    /// Offers a row; `slot` is where the caller will keep it if it is [`Verdict::New`].
    /// Only `latest` supersedes; `reject` is applied to all rows at the end.
    /// Ids are compared by their [`key`].
    pub fn offer(&mut self, id: &str, submission: Submission, slot: usize) -> Verdict {
        if self.policy != DuplicatePolicy::Latest {
            return Verdict::New;
        }
        let id = &*key(id);
        let mut key = self.hasher.hash_one(id);
        let kept = loop {
            match self.kept.entry(key) {
                Entry::Vacant(vacant) => {
                    let start = self.ids.len();
                    self.ids.push_str(id);
                    vacant.insert(Kept {
                        id: (start, self.ids.len()),
                        slot,
                        submission,
                    });
                    return Verdict::New;
                }
                Entry::Occupied(entry) if &self.ids[entry.get().id.0..entry.get().id.1] == id => {
                    break entry.into_mut();
                }
                // Another id with this hash: probe the next value.
                Entry::Occupied(_) => key = key.wrapping_add(1),
            }
        };
        if submission.beats(&kept.submission) {
            let verdict = Verdict::Replaces {
                slot: kept.slot,
                row: kept.submission.row,
            };
            kept.submission = submission;
            verdict
        } else {
            Verdict::Superseded {
                by: kept.submission.row,
            }
        }
    }
}

/// The rows that may repeat an id, for a caller that has seen every row:
/// given the hash of each row's id [`key`], in row order, the indices of the rows whose
/// hash another row shares, each hash's rows together and in row order.
/// Every row of a repeated id is among them; any other row has an id no
/// other row has, and every policy keeps it. Sorting the hashes reads memory
/// in order, where offering every row to a [`Tracker`] probes a map as large
/// as the file at random and misses the cache on nearly every row. The
/// hashes need not be keyed: ids made to share one only send more rows to
/// the tracker.
pub fn sharing_a_hash(hashes: &[u64]) -> Vec<usize> {
    let mut sorted = hashes.to_vec();
    sorted.sort_unstable();
    let repeated: Vec<u64> = (sorted.chunk_by(|a, b| a == b))
        .filter(|same| same.len() > 1)
        .map(|same| same[0])
        .collect();
    if repeated.is_empty() {
        return Vec::new();
    }
    let mut sharing: Vec<(u64, usize)> = (hashes.iter().enumerate())
        .filter(|(_, hash)| repeated.binary_search(hash).is_ok())
        .map(|(index, &hash)| (hash, index))
        .collect();
    sharing.sort_unstable();
    sharing.into_iter().map(|(_, index)| index).collect()
}

/// The hasher of a map whose keys are already hashes: it passes them through.
#[derive(Debug, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed here; fold anything else in all the same.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(row: u64, complete: bool, submitted: Option<i64>) -> Submission {
        Submission {
            row,
            complete,
            submitted,
        }
    }

    #[test]
    fn latest_complete_wins() {
        assert!(at(2, true, Some(10)).beats(&at(3, true, Some(5))));
        assert!(at(3, true, None).beats(&at(2, true, Some(10))));
        assert!(at(2, true, Some(1)).beats(&at(3, false, Some(9))));
        assert!(!at(2, true, Some(5)).beats(&at(3, true, Some(5))));
    }

    #[test]
    fn tracker_verdicts() {
        let mut t = Tracker::new(DuplicatePolicy::Latest);
        assert_eq!(t.offer("a", at(2, true, Some(10)), 0), Verdict::New);
        assert_eq!(
            t.offer("a", at(3, true, Some(20)), 1),
            Verdict::Replaces { slot: 0, row: 2 }
        );
        assert_eq!(
            t.offer("a", at(4, true, Some(15)), 1),
            Verdict::Superseded { by: 3 }
        );
        let mut all = Tracker::new(DuplicatePolicy::KeepAll);
        assert_eq!(all.offer("a", at(2, true, None), 0), Verdict::New);
        assert_eq!(all.offer("a", at(3, true, None), 1), Verdict::New);
    }

    #[test]
    fn email_ids_are_one_candidate_whatever_their_case() {
        let mut t = Tracker::new(DuplicatePolicy::Latest);
        assert_eq!(
            t.offer("ann@example.com", at(2, true, None), 0),
            Verdict::New
        );
        assert_eq!(
            t.offer(" ANN@Example.com ", at(3, true, None), 1),
            Verdict::Replaces { slot: 0, row: 2 }
        );
        // Not an address: the case tells two ids apart.
        assert_eq!(t.offer("A12", at(4, true, None), 1), Verdict::New);
        assert_eq!(t.offer("a12", at(5, true, None), 2), Verdict::New);
        assert_eq!(
            t.offer("a12 ", at(6, true, None), 3),
            Verdict::Replaces { slot: 2, row: 5 }
        );
    }

    /// Hashes every id to the same value, to exercise probing.
    #[derive(Default)]
    struct Colliding;

    /// A hasher that ignores what it is given.
    struct Constant;

    impl Hasher for Constant {
        fn finish(&self) -> u64 {
            u64::MAX
        }
        fn write(&mut self, _: &[u8]) {}
    }

    impl BuildHasher for Colliding {
        type Hasher = Constant;
        fn build_hasher(&self) -> Constant {
            Constant
        }
    }

    #[test]
    fn only_rows_sharing_a_hash_are_left_to_decide() {
        // Hashes 7 and 9 repeat; 8 and 5 do not.
        assert_eq!(sharing_a_hash(&[7, 8, 9, 7, 5, 9, 7]), [0, 3, 6, 2, 5]);
        assert!(sharing_a_hash(&[3, 1, 2]).is_empty());
    }

    #[test]
    fn ids_sharing_a_hash_are_still_told_apart() {
        let mut t = Tracker::with_hasher(DuplicatePolicy::Latest, Colliding);
        assert_eq!(Colliding.hash_one("a"), Colliding.hash_one("ab"));
        assert_eq!(t.offer("a", at(2, true, None), 0), Verdict::New);
        assert_eq!(t.offer("b", at(3, true, None), 1), Verdict::New);
        assert_eq!(t.offer("ab", at(4, true, None), 2), Verdict::New);
        // The probe wraps from u64::MAX to 0 and 1 and finds each id again.
        assert_eq!(
            t.offer("b", at(5, true, None), 3),
            Verdict::Replaces { slot: 1, row: 3 }
        );
        assert_eq!(
            t.offer("ab", at(6, false, None), 3),
            Verdict::Superseded { by: 4 }
        );
        assert_eq!(
            t.offer("a", at(7, true, None), 3),
            Verdict::Replaces { slot: 0, row: 2 }
        );
        assert_eq!(t.ids, "abab");
        // "a" took u64::MAX, "b" wrapped to 0, "ab" to 1.
        let mut keys: Vec<u64> = t.kept.keys().copied().collect();
        keys.sort_unstable();
        assert_eq!(keys, [0, 1, u64::MAX]);
    }
}
