//! What to do when the same candidate id appears on more than one row.
//!
//! Deciding needs every row, so this is the one place the batch keeps
//! something per candidate beyond the results themselves: a map from id to
//! the position of the row currently kept (one `String` and two words per
//! distinct id). Under `latest` the kept row is the latest *complete*
//! submission: a complete row beats an unfinished one; between two of the
//! same kind, the later submission time when both rows have one, else the
//! later row in the file.

use std::collections::HashMap;

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
pub struct Tracker {
    policy: DuplicatePolicy,
    kept: HashMap<String, (usize, Submission)>,
}

impl Tracker {
    /// A tracker applying `policy`.
    pub fn new(policy: DuplicatePolicy) -> Tracker {
        Tracker {
            policy,
            kept: HashMap::new(),
        }
    }

    /// Offers a row; `slot` is where the caller will keep it if it is [`Verdict::New`].
    /// Only `latest` supersedes; `reject` is applied to all rows at the end.
    pub fn offer(&mut self, id: &str, submission: Submission, slot: usize) -> Verdict {
        if self.policy != DuplicatePolicy::Latest {
            return Verdict::New;
        }
        match self.kept.get_mut(id) {
            None => {
                self.kept.insert(id.to_string(), (slot, submission));
                Verdict::New
            }
            Some((kept_slot, kept)) if submission.beats(kept) => {
                let verdict = Verdict::Replaces {
                    slot: *kept_slot,
                    row: kept.row,
                };
                *kept = submission;
                verdict
            }
            Some((_, kept)) => Verdict::Superseded { by: kept.row },
        }
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
}
