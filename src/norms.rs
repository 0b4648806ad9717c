//! Norms: per group and scale the reference mean, sd and reliability, and the
//! conversions they give — z, T, sten, percentile, standard error of
//! measurement and confidence intervals.
//!
//! Every formula lives here once and is written out in `docs/METHOD.md` §3.
//! A norm set states its provenance; built-in planning values say that they
//! are provisional, and callers must pass that notice on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::bounds;
use crate::error::{ConsistencyError, DataKind, LoadError, Problem};
use crate::names::{self, Lookup};
use crate::questionnaire::Questionnaire;
use crate::scoring;
use crate::text::number;

/// Where a norm set's numbers come from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormProvenance {
    /// In words: who, when, how many, how sampled — or that the values are planning values.
    pub description: String,
    /// SHA-256 of the response file the norms were built from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_sha256: Option<String>,
    /// Date of the data, as given by the builder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The engine that built the norms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
}

/// One point of an empirical percentile table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PercentilePoint {
    /// A raw score that occurred in the norm sample.
    pub raw: f64,
    /// Its percentile rank (percent below plus half the percent equal).
    pub percentile: f64,
}

/// The norm of one scale in one group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleNorm {
    /// Size of the norm sample (absent for planning values).
    #[serde(default)]
    pub n: Option<u64>,
    /// Mean raw score.
    pub mean: f64,
    /// Standard deviation of raw scores.
    pub sd: f64,
    /// Reliability (e.g. Cronbach's alpha) of the scale in this group.
    pub reliability: f64,
    /// Exact table of raw score → percentile rank, ascending by raw score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentiles: Option<Vec<PercentilePoint>>,
}

/// A norm group, e.g. "general" or "retail staff, site A".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormGroup {
    /// Stable id.
    pub id: String,
    /// Description for people.
    pub name: String,
    /// Norm per scale id.
    pub scales: BTreeMap<String, ScaleNorm>,
}

/// A validated set of norm groups for one questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormSet {
    /// Stable id.
    pub id: String,
    /// Version.
    pub version: String,
    /// Id of the questionnaire these norms are for.
    pub questionnaire: String,
    /// Version of that questionnaire. Raw scores of two versions differ
    /// (other items), so norms that name a version are refused with any
    /// other; norms that name none are checked by id only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questionnaire_version: Option<String>,
    /// True for planning values not based on respondent data.
    #[serde(default)]
    pub provisional: bool,
    /// Where the numbers come from.
    pub provenance: NormProvenance,
    /// The groups; the first is the default.
    pub groups: Vec<NormGroup>,
}

impl NormSet {
    /// Parses and validates a norm set from JSON text; `file` names it in errors.
    ///
    /// # Errors
    /// [`LoadError::Json`] for malformed JSON, [`LoadError::Invalid`] listing
    /// every rule broken (sd ≤ 0, reliability outside (0, 1), no groups, …).
    pub fn from_json(text: &str, file: &str) -> Result<Self, LoadError> {
        let set: NormSet =
            crate::json::from_str(text).map_err(|e| LoadError::json(file, "norms", &e))?;
        let problems = set.problems();
        LoadError::unless_problems(set, file, "norms", problems)
    }

    fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.groups.is_empty() {
            problems.push(Problem::new(
                "groups",
                "an empty list",
                "at least one norm group",
            ));
        }
        crate::questionnaire::check_unique(
            self.groups.iter().map(|g| g.id.as_str()),
            "groups",
            "id",
            "unique ids",
            &mut problems,
        );
        for (g, group) in self.groups.iter().enumerate() {
            for (scale, norm) in &group.scales {
                norm.check(&format!("groups[{g}].scales.{scale}"), &mut problems);
            }
        }
        problems
    }

    /// The groups' ids, in the file's order (the first is the default).
    pub fn group_ids(&self) -> Vec<&str> {
        self.groups.iter().map(|g| g.id.as_str()).collect()
    }

    /// The group with this id (named forgivingly: `Applicants` is
    /// `applicants`, see [`names`](crate::names)), or the first group when
    /// `id` is `None`.
    ///
    /// # Errors
    /// The closest group ids, best first, when no group has this id.
    pub fn group(&self, id: Option<&str>) -> Result<&NormGroup, Vec<&str>> {
        let Some(id) = id else {
            return self.groups.first().ok_or_else(Vec::new);
        };
        match names::lookup(id, &self.group_ids(), &[]) {
            Lookup::Found(found) => self
                .groups
                .iter()
                .find(|g| g.id == found)
                .ok_or_else(Vec::new),
            Lookup::NotFound(closest) => Err(closest),
        }
    }

    /// Checks that the norms were made for `questionnaire` (its id and, when
    /// they name one, its version) and that every scale of it has a norm in
    /// every group.
    ///
    /// # Errors
    /// [`ConsistencyError::OtherQuestionnaire`] or [`ConsistencyError::OtherVersion`]
    /// alone; else [`ConsistencyError::Mismatch`] naming each missing scale and
    /// each norm for a scale the questionnaire lacks.
    pub fn check_against(
        &self,
        questionnaire: &Questionnaire,
        file: &str,
    ) -> Result<(), ConsistencyError> {
        let (id, made_for) = (&self.id, &self.questionnaire);
        ConsistencyError::made_for(DataKind::Norms, file, id, made_for, questionnaire.id())?;
        if let Some(version) = &self.questionnaire_version {
            let (name, in_use) = (questionnaire.id(), questionnaire.version());
            ConsistencyError::made_for_version(file, id, name, version, in_use)?;
        }
        let mut problems = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            for scale in questionnaire.scales() {
                if !group.scales.contains_key(&scale.id) {
                    problems.push(Problem::new(
                        format!("groups[{g}].scales"),
                        format!("no norm for scale '{}'", scale.id),
                        "a norm (mean, sd, reliability) for every scale of the questionnaire",
                    ));
                }
            }
            for (id, norm) in &group.scales {
                let path = format!("groups[{g}].scales.{id}");
                if questionnaire.scale_index(id).is_none() {
                    problems.push(Problem::new(
                        path,
                        "a scale the questionnaire does not have",
                        "only the questionnaire's scale ids",
                    ));
                } else {
                    norm.check_on_scale(&path, questionnaire, &mut problems);
                }
            }
        }
        ConsistencyError::unless_problems(file, questionnaire.id(), problems)
    }
}

/// `x` with at most three decimals, trailing zeros dropped (`3`, `3.122`).
fn short(x: f64) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The largest standard deviation raw scores on `min..max` can have: every
/// score at one end or the other, half at each, gives `(max − min)/2`; the
/// sample sd of `n` such scores (n − 1 denominator) is larger by
/// `√(n/(n − 1))`, which a norm of a small sample may reach.
pub fn largest_sd(min: i32, max: i32, n: Option<u64>) -> f64 {
    let half = (f64::from(max) - f64::from(min)) / 2.0;
    match n {
        Some(n) if n >= 2 => half * (n as f64 / (n - 1) as f64).sqrt(),
        _ => half,
    }
}

impl ScaleNorm {
    fn check(&self, path: &str, problems: &mut Vec<Problem>) {
        if let Some(n) = self
            .n
            .filter(|n| !(bounds::MIN_NORM_N..=bounds::MAX_COUNT).contains(n))
        {
            problems.push(Problem::new(
                format!("{path}.n"),
                n.to_string(),
                format!(
                    "a norm sample of {} to {} respondents (an sd needs two), or no n for planning values",
                    bounds::MIN_NORM_N,
                    number(bounds::MAX_COUNT as f64)
                ),
            ));
        }
        bounds::NORM_SD.check(&format!("{path}.sd"), self.sd, problems);
        bounds::NORM_MEAN.check(&format!("{path}.mean"), self.mean, problems);
        if !(self.reliability > 0.0 && self.reliability < 1.0) {
            problems.push(Problem::new(
                format!("{path}.reliability"),
                number(self.reliability),
                "a reliability strictly between 0 and 1",
            ));
        }
        if let Some(table) = &self.percentiles {
            if let Some(problem) = table_problem(table, &format!("{path}.percentiles")) {
                problems.push(problem);
            }
        }
    }

    /// Checks the norm against the response scale its raw scores lie on: a
    /// mean outside it or an sd larger than scores on it can have puts every
    /// candidate at an extreme sten, and a table point outside it is never used.
    fn check_on_scale(
        &self,
        path: &str,
        questionnaire: &Questionnaire,
        problems: &mut Vec<Problem>,
    ) {
        let (min, max) = (
            questionnaire.response_scale().min,
            questionnaire.response_scale().max,
        );
        let on_scale = |raw: f64| (f64::from(min)..=f64::from(max)).contains(&raw);
        if self.mean.is_finite() && !on_scale(self.mean) {
            problems.push(Problem::new(
                format!("{path}.mean"),
                number(self.mean),
                format!(
                    "a mean raw score from {min} to {max}: raw scores are means of answers on the {min}..{max} response scale"
                ),
            ));
        }
        let largest = largest_sd(min, max, self.n);
        // A relative margin keeps a norm exactly at the bound, rounded, valid.
        if self.sd.is_finite() && self.sd > largest * (1.0 + 1e-9) {
            let rule = match self.n {
                Some(n) if n >= 2 => format!("(max − min)/2 · √(n/(n − 1)) with n = {n}"),
                _ => "(max − min)/2".to_string(),
            };
            problems.push(Problem::new(
                format!("{path}.sd"),
                number(self.sd),
                format!(
                    "at most {}, the largest sd raw scores on the {min}..{max} response scale can have: {rule}",
                    short(largest)
                ),
            ));
        }
        let table = self.percentiles.as_deref().unwrap_or_default();
        if let Some(i) = table
            .iter()
            .position(|p| p.raw.is_finite() && !on_scale(p.raw))
        {
            problems.push(Problem::new(
                format!("{path}.percentiles[{i}].raw"),
                number(table[i].raw),
                format!("a raw score from {min} to {max}, the response scale's range"),
            ));
        }
    }

    /// Standard error of measurement in raw units: `sd · √(1 − reliability)`.
    ///
    /// Classical test theory (Lord & Novick 1968; Nunnally & Bernstein 1994, ch. 6).
    pub fn sem(&self) -> f64 {
        self.sd * (1.0 - self.reliability).sqrt()
    }

    /// `z = (raw − mean) / sd`.
    pub fn z(&self, raw: f64) -> f64 {
        (raw - self.mean) / self.sd
    }

    /// Percentile rank of `raw`: from the empirical table when there is one, else `100 · Φ(z)`.
    pub fn percentile(&self, raw: f64) -> f64 {
        match &self.percentiles {
            Some(table) => interpolate(table, raw),
            None => normal_percentile(self.z(raw)),
        }
    }
}

/// The first thing wrong with a percentile table, naming its point: one
/// problem per table, since a point out of order puts every later one in doubt.
fn table_problem(table: &[PercentilePoint], path: &str) -> Option<Problem> {
    if table.is_empty() {
        return Some(Problem::new(
            path,
            "an empty table",
            "at least one point, or no `percentiles` (percentiles then follow the normal curve)",
        ));
    }
    let point =
        |p: &PercentilePoint| format!("raw {}, percentile {}", number(p.raw), number(p.percentile));
    if let Some(i) = table
        .iter()
        .position(|p| !bounds::RAW_SCORE.contains(p.raw) || !(0.0..=100.0).contains(&p.percentile))
    {
        return Some(Problem::new(
            format!("{path}[{i}]"),
            point(&table[i]),
            format!(
                "{} and a percentile from 0 to 100",
                bounds::RAW_SCORE.words()
            ),
        ));
    }
    let i = table
        .windows(2)
        .position(|w| !(w[0].raw < w[1].raw && w[0].percentile <= w[1].percentile))?;
    Some(Problem::new(
        format!("{path}[{}]", i + 1),
        format!("{} after {}", point(&table[i + 1]), point(&table[i])),
        "points ascending in raw score, percentiles not decreasing",
    ))
}

/// `T = 50 + 10 z`.
pub fn t_score(z: f64) -> f64 {
    50.0 + 10.0 * z
}

/// Continuous sten, `2 z + 5.5` (Canfield 1951; Smith 1983).
pub fn sten_continuous(z: f64) -> f64 {
    2.0 * z + 5.5
}

/// Reported sten: the continuous sten rounded half up and clamped to 1..10.
///
/// Rounding half up makes sten 6 exactly the z interval [0, 0.5), as in the
/// usual definition of stens as half-sd bands around the mean.
pub fn sten_reported(z: f64) -> u8 {
    (sten_continuous(z) + 0.5).floor().clamp(1.0, 10.0) as u8
}

/// Percentile from the normal distribution: `100 · Φ(z)`, with Φ(z) = erfc(−z/√2)/2.
///
/// `libm::erfc` (musl's, accurate to about one ulp) rather than statrs', whose
/// erfc is off by about 1e-11 here — enough to miss R's `pnorm` at 1e-9.
pub fn normal_percentile(z: f64) -> f64 {
    100.0 * 0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// Linear interpolation in an empirical table; beyond its ends, the end value.
fn interpolate(table: &[PercentilePoint], raw: f64) -> f64 {
    let after = table.partition_point(|p| p.raw < raw);
    match (after.checked_sub(1).map(|i| table[i]), table.get(after)) {
        (_, Some(next)) if next.raw == raw => next.percentile,
        (Some(prev), Some(next)) => {
            prev.percentile
                + (next.percentile - prev.percentile) * (raw - prev.raw) / (next.raw - prev.raw)
        }
        (Some(last), None) => last.percentile,
        (None, Some(first)) => first.percentile,
        (None, None) => f64::NAN,
    }
}

/// The two-sided critical value of the standard normal for a confidence level, e.g. 1.645 for 0.90.
///
/// Returns `None` unless `0 < level < 1`.
pub fn critical_value(level: f64) -> Option<f64> {
    if !(level > 0.0 && level < 1.0) {
        return None;
    }
    // Normal::new(0, 1) cannot fail: sd 1 > 0.
    let normal = Normal::new(0.0, 1.0).ok()?;
    Some(normal.inverse_cdf(0.5 + level / 2.0))
}

/// A closed interval `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Interval {
    /// Maps both ends through a non-decreasing function.
    pub fn map(self, f: impl Fn(f64) -> f64) -> Interval {
        Interval {
            low: f(self.low),
            high: f(self.high),
        }
    }
}

/// A raw score placed against a norm, with its measurement error in every unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NormedScore {
    /// z score.
    pub z: f64,
    /// T score.
    pub t: f64,
    /// Continuous sten, unrounded.
    pub sten_continuous: f64,
    /// Reported sten, 1..10.
    pub sten: u8,
    /// Percentile rank, 0..100.
    pub percentile: f64,
    /// Standard error of measurement of this score, raw units: the norm's
    /// SEM of the whole scale times `√(items / answered)` (METHOD §3.3).
    pub sem_raw: f64,
    /// The same in sten units (`2 · sem_raw / sd`).
    pub sem_sten: f64,
    /// Items answered, the `k` of the SEM.
    pub answered: usize,
    /// Confidence interval of the raw score, within the response scale.
    pub raw_interval: Interval,
    /// Where the raw interval was cut at the ends of the response scale.
    pub cut: Cut,
    /// The same interval in z.
    pub z_interval: Interval,
    /// In T.
    pub t_interval: Interval,
    /// In continuous stens.
    pub sten_interval: Interval,
    /// In percentiles.
    pub percentile_interval: Interval,
    /// The sten interval at the fit range's per-attribute level (METHOD
    /// §5.3: wider, so that the fit range covers at its stated level).
    pub fit_sten_interval: Interval,
}

/// Which ends of an interval the response scale cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cut {
    /// Neither: the interval lies inside the scale.
    #[default]
    None,
    /// The lower end, at the scale's minimum.
    Low,
    /// The upper end, at the scale's maximum.
    High,
    /// Both ends.
    Both,
}

impl Cut {
    /// Words for a reader: "" when not cut, else where.
    pub fn words(self) -> &'static str {
        match self {
            Cut::None => "",
            Cut::Low => "cut at the lowest answer",
            Cut::High => "cut at the highest answer",
            Cut::Both => "cut at both ends of the answer scale",
        }
    }
}

/// What placing a raw score needs besides the norm and the score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Normal critical value of the intervals shown (1.645 for 90%).
    pub critical: f64,
    /// Normal critical value of the per-attribute intervals behind the fit range.
    pub fit_critical: f64,
    /// Items of the scale (`K`).
    pub items: usize,
    /// Lowest answer of the response scale.
    pub min: f64,
    /// Highest answer.
    pub max: f64,
}

impl Measure {
    /// The SEM of a mean of `answered` of the scale's items, from the norm's
    /// SEM of all of them: `SEM_k = SEM_K · √(K / k)`.
    ///
    /// # Formula
    /// Under the classical model with parallel items, the error variance of a
    /// mean of items falls with their number, so it grows by `K / k` when `k`
    /// of `K` items are answered. Equivalently: the reliability of a `k`-item
    /// score is Spearman–Brown's `ρ_k = kρ / (K + (k − K)ρ)`, the sd of a
    /// `k`-item mean is `SD_k = SD·√(ρ + (1 − ρ)K/k)`, and `SD_k·√(1 − ρ_k)`
    /// is the same SEM (Lord & Novick 1968, ch. 5; Gulliksen 1950, ch. 8).
    pub fn sem(&self, norm: &ScaleNorm, answered: usize) -> f64 {
        let (items, answered) = (self.items.max(1) as f64, answered.max(1) as f64);
        norm.sem() * (items / answered).sqrt()
    }
}
/// Copies `from` into `to`, field by field: as one assignment, the 152-byte
/// `Option` is copied by a call to `memcpy`, once per scale and candidate,
/// which took 5% of the score path's time; field by field the compiler
/// moves it through registers. A field added to [`NormedScore`] must be
/// added here (the test `copy_into_copies_every_field` fails otherwise).
pub fn copy_into(from: &NormedScore, to: &mut Option<NormedScore>) {
    let to = to.get_or_insert(*from);
    to.z = from.z;
    to.t = from.t;
    to.sten_continuous = from.sten_continuous;
    to.sten = from.sten;
    to.percentile = from.percentile;
    to.sem_raw = from.sem_raw;
    to.sem_sten = from.sem_sten;
    to.answered = from.answered;
    to.raw_interval = from.raw_interval;
    to.cut = from.cut;
    to.z_interval = from.z_interval;
    to.t_interval = from.t_interval;
    to.sten_interval = from.sten_interval;
    to.percentile_interval = from.percentile_interval;
    to.fit_sten_interval = from.fit_sten_interval;
}

/// Places `raw`, the mean of `answered` items, against `norm`.
///
/// The interval is the observed score ± critical · SEM of `answered` items
/// ([`Measure::sem`]), cut to the response scale (a true score cannot lie
/// outside it, so the cut never loses coverage) and carried through each
/// conversion (all are non-decreasing, so the ends map to ends).
pub fn normed(norm: &ScaleNorm, raw: f64, answered: usize, measure: &Measure) -> NormedScore {
    let z = norm.z(raw);
    let sem_raw = measure.sem(norm, answered);
    let (raw_interval, cut) = bounded(raw, measure.critical * sem_raw, measure);
    let (fit_raw, _) = bounded(raw, measure.fit_critical * sem_raw, measure);
    let z_interval = raw_interval.map(|r| norm.z(r));
    let sten = |r: f64| sten_continuous(norm.z(r));
    NormedScore {
        z,
        t: t_score(z),
        sten_continuous: sten_continuous(z),
        sten: sten_reported(z),
        percentile: norm.percentile(raw),
        sem_raw,
        sem_sten: 2.0 * sem_raw / norm.sd,
        answered,
        raw_interval,
        cut,
        z_interval,
        t_interval: z_interval.map(t_score),
        sten_interval: z_interval.map(sten_continuous),
        percentile_interval: raw_interval.map(|r| norm.percentile(r)),
        fit_sten_interval: fit_raw.map(sten),
    }
}

/// `raw ± half_width`, cut to the response scale of `measure`, and which ends were cut.
fn bounded(raw: f64, half_width: f64, measure: &Measure) -> (Interval, Cut) {
    let (low, high) = (raw - half_width, raw + half_width);
    let cut = match (low < measure.min, high > measure.max) {
        (false, false) => Cut::None,
        (true, false) => Cut::Low,
        (false, true) => Cut::High,
        (true, true) => Cut::Both,
    };
    let interval = Interval {
        low: low.max(measure.min),
        high: high.min(measure.max),
    };
    (interval, cut)
}

/// Most entries a [`NormTable`] holds; a scale with more possible raw
/// scores (many items on a long response scale) is normed afresh each time.
pub const MAX_TABLE_ENTRIES: usize = 4096;

/// The normed score of every raw score a scale can take, computed once.
///
/// A raw score is the mean of `answered` keyed answers summing to `sum`
/// ([`crate::scoring::mean`]), so a scale of `k` items on a `min..max`
/// response scale can take only a few hundred values; norming each of them
/// once saves the normal-curve functions (`erfc`) on every candidate, the
/// costliest part of assessing one. Entries are exactly what [`normed`]
/// returns for the same raw score.
#[derive(Debug, Clone)]
pub struct NormTable {
    min: i64,
    span: i64,
    /// Where the entries of each number of answered items start (index 0: one item).
    starts: Vec<usize>,
    entries: Vec<NormedScore>,
}

impl NormTable {
    /// The table of a scale of `measure.items` items answered on `min..=max`;
    /// `None` when it would exceed [`MAX_TABLE_ENTRIES`].
    pub fn new(norm: &ScaleNorm, measure: &Measure, min: i32, max: i32) -> Option<Self> {
        let items = measure.items;
        let span = i64::from(max) - i64::from(min);
        let size = |answered: usize| (answered as i64).checked_mul(span)?.checked_add(1);
        let total = (1..=items).try_fold(0i64, |total, a| total.checked_add(size(a)?))?;
        if span < 0 || total > MAX_TABLE_ENTRIES as i64 {
            return None;
        }
        let mut starts = Vec::with_capacity(items);
        let mut entries = Vec::with_capacity(total as usize);
        for answered in 1..=items {
            starts.push(entries.len());
            let low = answered as i64 * i64::from(min);
            for sum in low..=low + answered as i64 * span {
                entries.push(normed(
                    norm,
                    scoring::mean(sum, answered),
                    answered,
                    measure,
                ));
            }
        }
        Some(NormTable {
            min: i64::from(min),
            span,
            starts,
            entries,
        })
    }

    /// The normed score of `answered` items summing to `sum`; `None` outside the table.
    pub fn get(&self, sum: i64, answered: usize) -> Option<&NormedScore> {
        self.entries.get(self.index(sum, answered)?)
    }

    /// Where [`Self::get`] finds the entry of `answered` items summing to
    /// `sum` in [`Self::entries`]; `None` outside the table. Tables of other
    /// values computed per entry are indexed alike.
    pub fn index(&self, sum: i64, answered: usize) -> Option<usize> {
        let start = *self.starts.get(answered.checked_sub(1)?)?;
        let offset = sum - answered as i64 * self.min;
        (0..=answered as i64 * self.span)
            .contains(&offset)
            .then(|| start + offset as usize)
    }

    /// Every entry: each number of items answered, from one, each with every sum in turn.
    pub fn entries(&self) -> &[NormedScore] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_into_copies_every_field() {
        // Two norms, so that every field differs, the standard errors included.
        let other = ScaleNorm {
            sd: 0.8,
            reliability: 0.7,
            ..norm()
        };
        let (a, b) = (
            normed(&norm(), 2.2, 3, &measure(1.645)),
            normed(&other, 4.1, 2, &measure(1.96)),
        );
        assert!(a.sem_raw != b.sem_raw && a.sem_sten != b.sem_sten && a.sten != b.sten);
        let mut to = Some(b);
        copy_into(&a, &mut to);
        assert_eq!(to, Some(a));
        let mut none = None;
        copy_into(&b, &mut none);
        assert_eq!(none, Some(b));
    }

    /// Three items on 1..5 at 90%, the fit range's intervals at 95%.
    fn measure(critical: f64) -> Measure {
        Measure {
            critical,
            fit_critical: 1.959963984540054,
            items: 3,
            min: 1.0,
            max: 5.0,
        }
    }

    fn norm() -> ScaleNorm {
        ScaleNorm {
            n: None,
            mean: 3.0,
            sd: 0.5,
            reliability: 0.84,
            percentiles: None,
        }
    }

    const SET: &str = r#"{"id":"n","version":"1","questionnaire":"tiny",
        "provenance":{"description":"test"},
        "groups":[{"id":"g","name":"G","scales":{
            "a":{"mean":3,"sd":0.5,"reliability":0.8},
            "b":{"mean":3,"sd":0.5,"reliability":0.8}}}]}"#;

    #[test]
    fn extreme_numbers_and_samples_too_small_for_an_sd_are_refused() {
        // The probe's cases: 5e-324 and 1e308 are finite, but z = (x − mean)/sd
        // overflows or loses every digit with them; n of 0 or 1 has no sd.
        let text = SET
            .replace(
                r#""a":{"mean":3,"sd":0.5"#,
                r#""a":{"n":1,"mean":1e308,"sd":5e-324"#,
            )
            .replace(r#""b":{"mean":3"#, r#""b":{"n":0,"mean":3"#);
        let err = NormSet::from_json(&text, "n.json").unwrap_err().to_string();
        for expected in [
            "groups[0].scales.a.n: 1; expected a norm sample of 2 to 1e12 respondents (an sd needs two), or no n for planning values",
            "groups[0].scales.a.sd: 5e-324; expected a standard deviation from 0.001 to 1999998",
            "groups[0].scales.a.mean: 1e308; expected a mean raw score from -999999 to 999999",
            "groups[0].scales.b.n: 0; expected a norm sample of 2 to",
        ] {
            assert!(err.contains(expected), "{expected}\n{err}");
        }
    }

    #[test]
    fn sd_reliability_and_missing_scales_are_checked() {
        let text = SET.replace(
            r#""sd":0.5,"reliability":0.8}}"#,
            r#""sd":0,"reliability":1.2}}"#,
        );
        let err = NormSet::from_json(&text, "n.json").unwrap_err().to_string();
        assert!(
            err.contains(
                "groups[0].scales.b.sd: 0; expected a standard deviation from 0.001 to 1999998"
            ),
            "{err}"
        );
        assert!(err.contains("groups[0].scales.b.reliability: 1.2; expected a reliability strictly between 0 and 1"), "{err}");
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/tiny/questionnaire.json"
        ));
        let q = Questionnaire::from_json(&text.unwrap(), "tiny").unwrap();
        let partial = NormSet::from_json(&SET.replace(r#""b":"#, r#""c":"#), "n.json").unwrap();
        let err = partial.check_against(&q, "n.json").unwrap_err().to_string();
        assert!(
            err.contains("groups[0].scales: no norm for scale 'b'"),
            "{err}"
        );
        assert!(
            err.contains("groups[0].scales.c: a scale the questionnaire does not have"),
            "{err}"
        );
    }

    fn tiny() -> Questionnaire {
        let text = include_str!("../tests/fixtures/tiny/questionnaire.json");
        Questionnaire::from_json(text, "tiny").unwrap()
    }

    #[test]
    fn norms_for_another_version_of_the_questionnaire_are_refused() {
        // Tiny is version "1": norms naming "1" fit, naming none fit (checked
        // by id only), naming "2" are refused before any scale is compared.
        let named = |v: &str| {
            SET.replace(
                r#""questionnaire":"tiny","#,
                &format!(r#""questionnaire":"tiny","questionnaire_version":"{v}","#),
            )
        };
        let fits = NormSet::from_json(&named("1"), "n.json").unwrap();
        assert!(fits.check_against(&tiny(), "n.json").is_ok());
        assert!(NormSet::from_json(SET, "n.json")
            .unwrap()
            .check_against(&tiny(), "n.json")
            .is_ok());
        let other =
            NormSet::from_json(&named("2").replace(r#""b":"#, r#""c":"#), "n.json").unwrap();
        let err = other.check_against(&tiny(), "n.json").unwrap_err();
        assert_eq!(
            err.to_string(),
            "n.json: the norms 'n' are for version 2 of questionnaire 'tiny', not version 1, the version in use \
             (their items differ, so their scores are not comparable); pass --norms FILE made for version 1 \
             (build them with `servicefit norms build`; norms/archive/ holds the planning values of earlier \
             built-in versions), or --questionnaire with the file of version 2"
        );
        let problems = err.into_problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "questionnaire_version: '2'; expected '1', the version of the questionnaire in use"
        );
    }

    #[test]
    fn means_and_sds_raw_scores_cannot_have_are_refused() {
        // Tiny's response scale is 1..5: means within 1..5; sd at most (5 − 1)/2 = 2,
        // or 2·√(2/1) = 2.828 for a sample of n = 2 (both ends, sample sd).
        let text = SET
            .replace(r#""a":{"mean":3,"sd":0.5,"#, r#""a":{"mean":12,"sd":2.5,"#)
            .replace(
                r#""b":{"mean":3,"sd":0.5,"#,
                r#""b":{"n":2,"mean":3,"sd":2.8,"percentiles":[{"raw":0.5,"percentile":10},{"raw":5,"percentile":90}],"#,
            );
        let set = NormSet::from_json(&text, "n.json").unwrap();
        let err = set
            .check_against(&tiny(), "n.json")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err.lines().skip(1).collect::<Vec<_>>(),
            [
                "  - groups[0].scales.a.mean: 12; expected a mean raw score from 1 to 5: raw scores are means of answers on the 1..5 response scale",
                "  - groups[0].scales.a.sd: 2.5; expected at most 2, the largest sd raw scores on the 1..5 response scale can have: (max − min)/2",
                "  - groups[0].scales.b.percentiles[0].raw: 0.5; expected a raw score from 1 to 5, the response scale's range",
            ],
            "{err}"
        );
        let too_wide = text
            .replace(r#""sd":2.8,"#, r#""sd":2.9,"#)
            .replace(r#"{"raw":0.5,"#, r#"{"raw":1,"#);
        let set = NormSet::from_json(
            &too_wide.replace(r#""mean":12,"sd":2.5"#, r#""mean":3,"sd":0.5"#),
            "n.json",
        )
        .unwrap();
        let err = set
            .check_against(&tiny(), "n.json")
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("groups[0].scales.b.sd: 2.9; expected at most 2.828, the largest sd raw scores on the 1..5 response scale can have: (max − min)/2 · √(n/(n − 1)) with n = 2"), "{err}");
        assert_eq!(largest_sd(1, 5, Some(2)), 2.0 * 2f64.sqrt());
    }

    #[test]
    fn a_bad_percentile_table_names_its_first_bad_point() {
        let table = |points: &str| {
            SET.replace(
                r#""b":{"mean":3,"sd":0.5,"reliability":0.8}"#,
                &format!(r#""b":{{"mean":3,"sd":0.5,"reliability":0.8,"percentiles":[{points}]}}"#),
            )
        };
        let problem = |points: &str| {
            NormSet::from_json(&table(points), "n.json")
                .unwrap_err()
                .to_string()
                .lines()
                .skip(1)
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            problem(r#"{"raw":2,"percentile":10},{"raw":3,"percentile":60},{"raw":2.5,"percentile":50}"#),
            "  - groups[0].scales.b.percentiles[2]: raw 2.5, percentile 50 after raw 3, percentile 60; expected points ascending in raw score, percentiles not decreasing"
        );
        assert_eq!(
            problem(r#"{"raw":2,"percentile":10},{"raw":3,"percentile":150}"#),
            "  - groups[0].scales.b.percentiles[1]: raw 3, percentile 150; expected a raw score from -999999 to 999999 and a percentile from 0 to 100"
        );
        assert_eq!(
            problem(""),
            "  - groups[0].scales.b.percentiles: an empty table; expected at least one point, or no `percentiles` (percentiles then follow the normal curve)"
        );
    }

    #[test]
    fn conversions_by_hand() {
        // raw 3.5: z = (3.5 − 3)/0.5 = 1; T = 60; sten_c = 7.5 → sten 8; percentile 100·Φ(1) = 84.1344746.
        let s = normed(&norm(), 3.5, 3, &measure(1.6448536269514722));
        assert!((s.z - 1.0).abs() < 1e-12);
        assert!((s.t - 60.0).abs() < 1e-12);
        assert!((s.sten_continuous - 7.5).abs() < 1e-12);
        assert_eq!(s.sten, 8);
        assert!(
            (s.percentile - 84.13447460685429).abs() < 1e-9,
            "{}",
            s.percentile
        );
        // SEM = 0.5·√0.16 = 0.2; sten SEM = 2·√0.16 = 0.8; 90% raw interval 3.5 ± 0.328971 .
        assert!((s.sem_raw - 0.2).abs() < 1e-12);
        assert!((s.sem_sten - 0.8).abs() < 1e-12);
        assert!((s.raw_interval.low - 3.1710292746097056).abs() < 1e-12);
        // sten interval 7.5 ± 1.6448536·0.8 = 7.5 ± 1.3158829.
        assert!((s.sten_interval.high - 8.815882901678778).abs() < 1e-9);
    }

    #[test]
    fn the_sem_grows_as_items_are_skipped() {
        // Norm sd 0.5, reliability 0.84: SEM of all 12 items 0.5·√0.16 = 0.2.
        // One item of 12 answered: 0.2·√(12/1) = 0.69282; 9 of 12: 0.2·√(12/9) = 0.23094.
        // Cross-check by Spearman–Brown: ρ_1 = 0.84 / (12 − 11·0.84) = 0.30435,
        // SD_1 = 0.5·√(0.84 + 0.16·12) = 0.83066, SD_1·√(1 − 0.30435) = 0.69282.
        let twelve = Measure {
            items: 12,
            ..measure(1.645)
        };
        assert!((twelve.sem(&norm(), 12) - 0.2).abs() < 1e-12);
        assert!((twelve.sem(&norm(), 1) - 0.692_820_323).abs() < 1e-9);
        assert!((twelve.sem(&norm(), 9) - 0.230_940_108).abs() < 1e-9);
        let rho_1: f64 = 0.84 / (12.0 - 11.0 * 0.84);
        let sd_1 = 0.5 * (0.84f64 + 0.16 * 12.0).sqrt();
        assert!((sd_1 * (1.0 - rho_1).sqrt() - twelve.sem(&norm(), 1)).abs() < 1e-12);
        // The interval and the sten SEM follow: one item, sten SEM 2·0.69282/0.5 = 2.77128.
        let one = normed(&norm(), 3.0, 1, &twelve);
        assert_eq!(one.answered, 1);
        assert!((one.sem_sten - 2.771_281_292).abs() < 1e-9);
        assert!((one.raw_interval.high - (3.0 + 1.645 * 0.692_820_323)).abs() < 1e-9);
    }

    #[test]
    fn intervals_stay_on_the_response_scale_and_say_where_cut() {
        // raw 4.9 of 3 items on 1..5, SEM 0.2: 90% 4.9 ± 0.329 = 4.571–5.229 → cut at 5.
        let high = normed(&norm(), 4.9, 3, &measure(1.6448536269514722));
        assert!((high.raw_interval.low - 4.571_029_274_6).abs() < 1e-9);
        assert_eq!(high.raw_interval.high, 5.0);
        assert_eq!(high.cut, Cut::High);
        // Its sten interval ends at the sten of raw 5: 2·(5 − 3)/0.5 + 5.5 = 13.5.
        assert!((high.sten_interval.high - 13.5).abs() < 1e-12);
        // The fit's 95% interval 4.9 ± 0.392 is cut too: 4.508–5.
        assert!(
            (high.fit_sten_interval.low - (2.0 * (4.508_007_203 - 3.0) / 0.5 + 5.5)).abs() < 1e-8
        );
        let low = normed(&norm(), 1.0, 3, &measure(1.645));
        assert_eq!((low.raw_interval.low, low.cut), (1.0, Cut::Low));
        let middle = normed(&norm(), 3.0, 3, &measure(1.645));
        assert_eq!(middle.cut, Cut::None);
        let one_item = normed(
            &norm(),
            3.0,
            1,
            &Measure {
                items: 12,
                ..measure(1.645)
            },
        );
        // 3 ± 1.645·0.69282 = 1.860–4.140: inside.
        assert_eq!(one_item.cut, Cut::None);
        let wide = normed(
            &norm(),
            3.0,
            1,
            &Measure {
                items: 12,
                ..measure(3.0)
            },
        );
        // 3 ± 3·0.69282 = 0.922–5.078: both ends cut.
        assert_eq!(
            (wide.cut, wide.raw_interval),
            (
                Cut::Both,
                Interval {
                    low: 1.0,
                    high: 5.0
                }
            )
        );
    }

    #[test]
    fn sten_bands_round_half_up_and_clamp() {
        // z = 0 → 5.5 → 6; z = −0.25 → 5.0 → 5; z = −0.5 → 4.5 → 5; z = 3 → 11.5 → 10; z = −3 → −0.5 → 1.
        assert_eq!(
            [0.0, -0.25, -0.5, 3.0, -3.0].map(sten_reported),
            [6, 5, 5, 10, 1]
        );
    }

    #[test]
    fn critical_value_for_ninety_percent() {
        assert!((critical_value(0.90).unwrap() - 1.6448536269514722).abs() < 1e-9);
        assert!((critical_value(0.95).unwrap() - 1.959963984540054).abs() < 1e-9);
        assert_eq!(critical_value(1.0), None);
    }

    #[test]
    fn empirical_table_interpolates_and_clamps() {
        let table = vec![
            PercentilePoint {
                raw: 2.0,
                percentile: 10.0,
            },
            PercentilePoint {
                raw: 3.0,
                percentile: 50.0,
            },
            PercentilePoint {
                raw: 4.0,
                percentile: 90.0,
            },
        ];
        let norm = ScaleNorm {
            percentiles: Some(table),
            ..norm()
        };
        // exact hit 3.0 → 50; 2.5 halfway between 10 and 50 → 30; below and above the ends → 10, 90.
        assert_eq!(norm.percentile(3.0), 50.0);
        assert_eq!(norm.percentile(2.5), 30.0);
        assert_eq!(norm.percentile(1.0), 10.0);
        assert_eq!(norm.percentile(5.0), 90.0);
    }

    #[test]
    fn norm_table_holds_exactly_what_norming_afresh_gives() {
        let norm = norm();
        // 3 items on 1..5: 5 + 9 + 13 = 27 possible (answered, sum) pairs.
        let table = NormTable::new(&norm, &measure(1.645), 1, 5).unwrap();
        assert_eq!(table.entries.len(), 27);
        for answered in 1..=3usize {
            for sum in answered as i64..=5 * answered as i64 {
                let expected = normed(
                    &norm,
                    scoring::mean(sum, answered),
                    answered,
                    &measure(1.645),
                );
                assert_eq!(
                    table.get(sum, answered),
                    Some(&expected),
                    "{sum}/{answered}"
                );
            }
        }
        // 7/2 = 3.5 is z = 1, sten 7.5, percentile 84.13.
        let half_up = table.get(7, 2).unwrap();
        assert_eq!((half_up.z, half_up.sten_continuous), (1.0, 7.5));
        assert!((half_up.percentile - 84.134_474_6).abs() < 1e-6);
        // Outside the table: no answers, a sum no answers can give, more items than the scale has.
        assert_eq!(table.get(0, 0), None);
        assert_eq!(table.get(11, 2), None);
        assert_eq!(table.get(1, 2), None);
        assert_eq!(table.get(4, 4), None);
    }

    #[test]
    fn norm_tables_too_large_are_not_built() {
        // 64 items on 0..10: Σ (10a + 1) = 10 · 2080 + 64 = 20,864 entries > 4,096.
        let items = |items| Measure {
            items,
            ..measure(1.645)
        };
        assert!(NormTable::new(&norm(), &items(64), 0, 10).is_none());
        assert!(NormTable::new(&norm(), &items(12), 1, 5).is_some());
        assert!(NormTable::new(&norm(), &items(3), 5, 1).is_none());
    }
}
