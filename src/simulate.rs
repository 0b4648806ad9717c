//! Synthetic respondents: attentive ones drawn from the norms, and careless
//! ones of several kinds, for demos, power planning, validity studies,
//! benchmarks and tests. Deterministic for a seed (ChaCha8, whose stream is
//! fixed across versions of the crate).
//!
//! The attentive model (METHOD.md §6): each scale has a latent level θ ~ N(0, 1)
//! (shifted toward a role's band centres for "fitting" respondents); each item
//! is `√r̄·θ + √(1−r̄)·e` with r̄ the average inter-item correlation that gives
//! the norm's reliability for the scale's length (Spearman–Brown solved for r̄);
//! items are scaled so the scale mean has the norm's mean and sd, rounded and
//! clamped to the response scale, and reverse-keyed items mirrored.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

use crate::assessment::Assessment;
use crate::questionnaire::{ItemRole, ScaleKind};
use crate::scoring::{keyed_value, Answer};

mod item_model;
mod truth;

pub use self::truth::true_fit;

/// How a simulated respondent answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// Reads and answers honestly, with ordinary noise.
    Attentive,
    /// Uniform random answers.
    Random,
    /// The same answer to every item.
    Straightline,
    /// A repeating zig-zag pattern over the whole scale.
    Alternating,
    /// Agrees with everything (the top two answers), whatever the content.
    Acquiescent,
    /// Attentive, but presents an idealised self: attributes +1.5 sd, impression management +2 sd.
    FakeGood,
    /// Uniform random answers, but every attention item answered as instructed:
    /// the careless responder that attention items cannot catch.
    #[serde(rename = "random-passing-attention")]
    RandomPassingAttention,
    /// Attentive over the first 60% of the items in form order, then uniform
    /// random over the last 40%, attention items included: a respondent who tires.
    #[serde(rename = "partial-random")]
    PartialRandom,
    /// The middle answer to most items ([`MIDPOINT_SHARE`]), otherwise one of its
    /// neighbours; attention items answered as instructed.
    Midpoint,
    /// Only the two end answers, at random; attention items answered as instructed.
    Extreme,
}

impl Style {
    /// Every style, attentive first.
    pub const ALL: [Style; 10] = [
        Style::Attentive,
        Style::Random,
        Style::Straightline,
        Style::Alternating,
        Style::Acquiescent,
        Style::FakeGood,
        Style::RandomPassingAttention,
        Style::PartialRandom,
        Style::Midpoint,
        Style::Extreme,
    ];

    /// The careless styles mixed in by [`Plan::careless`]: the original five,
    /// so that a file simulated with a seed stays the same.
    pub const CARELESS: [Style; 5] = [
        Style::Random,
        Style::Straightline,
        Style::Alternating,
        Style::Acquiescent,
        Style::FakeGood,
    ];

    /// Lower-case name, as in the `style` column.
    pub fn name(self) -> &'static str {
        match self {
            Style::Attentive => "attentive",
            Style::Random => "random",
            Style::Straightline => "straightline",
            Style::Alternating => "alternating",
            Style::Acquiescent => "acquiescent",
            Style::FakeGood => "fake_good",
            Style::RandomPassingAttention => "random-passing-attention",
            Style::PartialRandom => "partial-random",
            Style::Midpoint => "midpoint",
            Style::Extreme => "extreme",
        }
    }

    /// The style with this name.
    pub fn from_name(name: &str) -> Option<Style> {
        Style::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Chance that an attentive respondent skips an item.
pub const SKIP_RATE: f64 = 0.005;
/// Chance that an attentive respondent misreads an attention item.
pub const LAPSE_RATE: f64 = 0.02;
/// Share of the items, from the end of the form, that a [`Style::PartialRandom`]
/// respondent answers at random.
pub const PARTIAL_RANDOM_SHARE: f64 = 0.4;
/// Chance that a [`Style::Midpoint`] respondent gives the middle answer to an item.
pub const MIDPOINT_SHARE: f64 = 0.8;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Seed of the random stream.
    pub seed: u64,
    /// Share of respondents answering carelessly, spread evenly over [`Style::CARELESS`].
    pub careless: f64,
    /// Share of attentive respondents whose levels centre on the profile's bands.
    pub fitting: f64,
}

/// How a simulated performance rating depends on latent scale levels.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingModel {
    /// (scale id, weight): the rating rises with these levels.
    pub linear: Vec<(String, f64)>,
    /// (scale id, optimum θ, cost): the rating falls with the squared distance from an optimum.
    pub peaked: Vec<(String, f64, f64)>,
    /// Sd of the noise, in the same units as the levels.
    pub noise: f64,
    /// Rating at θ = 0 everywhere.
    pub mean: f64,
    /// Rating units per unit of the combined level.
    pub sd: f64,
    /// Lowest and highest possible rating.
    pub range: (f64, f64),
}

/// A generator of respondents for one assessment (its questionnaire, norms and profile).
pub struct Simulator<'a> {
    assessment: &'a Assessment,
    plan: Plan,
    rng: ChaCha8Rng,
    /// Per scale: (item sd on the keyed scale, √r̄).
    item_model: Vec<(f64, f64)>,
    /// Per scale: the latent level at the centre of the profile's band, if targeted.
    band_centres: Vec<Option<f64>>,
}

impl<'a> Simulator<'a> {
    /// A generator following `plan`.
    pub fn new(assessment: &'a Assessment, plan: Plan) -> Self {
        let q = assessment.questionnaire();
        let (min, max) = (q.response_scale().min, q.response_scale().max);
        let item_model = (0..q.scales().len())
            .map(|s| {
                let norm = assessment.norm(s);
                let items = q.scale_items(s).len();
                let model = item_model::fit(norm.mean, norm.sd, norm.reliability, items, min, max);
                (model.sd, model.loading)
            })
            .collect();
        let band_centres = q
            .scales()
            .iter()
            .map(|scale| {
                let target = assessment
                    .profile()
                    .targets
                    .iter()
                    .find(|t| t.scale == scale.id)?;
                Some(((target.low + target.high) / 2.0 - 5.5) / 2.0)
            })
            .collect();
        Simulator {
            rng: ChaCha8Rng::seed_from_u64(plan.seed),
            assessment,
            plan,
            item_model,
            band_centres,
        }
    }

    /// The next respondent: its style and one answer per item.
    pub fn next_respondent(&mut self) -> (Style, Vec<Answer>) {
        let (style, _, answers) = self.next_respondent_with_levels();
        (style, answers)
    }

    /// [`Self::next_respondent`] with the latent levels behind the answers
    /// (none for careless styles), from the same random stream: the answers
    /// are the same whether or not the levels are asked for.
    pub fn next_respondent_with_levels(&mut self) -> (Style, Option<Vec<f64>>, Vec<Answer>) {
        let style = if self.rng.random::<f64>() < self.plan.careless {
            Style::CARELESS[self.rng.random_range(0..Style::CARELESS.len())]
        } else {
            Style::Attentive
        };
        let (levels, answers) = self.answers_with_levels(style);
        (style, levels, answers)
    }

    /// One respondent of the given style.
    pub fn answers(&mut self, style: Style) -> Vec<Answer> {
        self.answers_with_levels(style).1
    }

    /// One respondent of the given style, with its latent levels (none for careless styles).
    pub fn answers_with_levels(&mut self, style: Style) -> (Option<Vec<f64>>, Vec<Answer>) {
        let scale = self.assessment.questionnaire().response_scale();
        let (min, max) = (scale.min, scale.max);
        let n = self.assessment.questionnaire().items().len();
        let answers = match style {
            Style::Attentive | Style::FakeGood => {
                let (levels, answers) = self.attentive_levels(style == Style::FakeGood);
                return (Some(levels), answers);
            }
            Style::Random => (0..n)
                .map(|_| Some(self.rng.random_range(min..=max)))
                .collect(),
            Style::Straightline => {
                let value = self.rng.random_range(min..=max);
                vec![Some(value); n]
            }
            Style::Alternating => {
                let period = 2 * (max - min) as usize;
                let start = self.rng.random_range(0..period);
                (0..n).map(|i| Some(zigzag(start + i, min, max))).collect()
            }
            Style::Acquiescent => (0..n)
                .map(|_| Some(self.rng.random_range(max - 1..=max)))
                .collect(),
            Style::RandomPassingAttention => {
                self.passing_attention(|rng| rng.random_range(min..=max))
            }
            Style::PartialRandom => {
                let mut answers = self.attentive(false);
                // The last ⌊share·n⌋ items are random: 33 of 84.
                let first = n - (PARTIAL_RANDOM_SHARE * n as f64).floor() as usize;
                for answer in &mut answers[first..] {
                    *answer = Some(self.rng.random_range(min..=max));
                }
                answers
            }
            Style::Midpoint => self.passing_attention(|rng| {
                let middle = min + (max - min) / 2;
                if rng.random::<f64>() < MIDPOINT_SHARE {
                    middle
                } else {
                    (middle + if rng.random::<bool>() { 1 } else { -1 }).clamp(min, max)
                }
            }),
            Style::Extreme => {
                self.passing_attention(|rng| if rng.random::<bool>() { max } else { min })
            }
        };
        (None, answers)
    }

    /// Scored items answered by `pick`, attention items as instructed (the
    /// first expected answer).
    fn passing_attention(&mut self, mut pick: impl FnMut(&mut ChaCha8Rng) -> i32) -> Vec<Answer> {
        let q = self.assessment.questionnaire();
        q.items()
            .iter()
            .map(|item| match &item.role {
                ItemRole::Attention { expected } => expected.first().copied(),
                ItemRole::Scored { .. } => Some(pick(&mut self.rng)),
            })
            .collect()
    }

    fn attentive(&mut self, fake_good: bool) -> Vec<Answer> {
        self.attentive_levels(fake_good).1
    }

    /// An attentive respondent with the latent level θ of each scale (questionnaire
    /// order) that produced the answers — for simulating outcomes such as a
    /// performance rating from the same levels ([`Simulator::rating`]).
    pub fn attentive_with_levels(&mut self) -> (Vec<f64>, Vec<Answer>) {
        self.attentive_levels(false)
    }

    /// A performance rating driven by latent `levels` under `model`, with noise
    /// from this simulator's stream:
    /// `mean + sd · (Σ wₛ θₛ − Σ cₛ (θₛ − optimumₛ)² + noise·e)`, e ~ N(0, 1),
    /// rounded to one decimal and clamped to `model.range`.
    pub fn rating(&mut self, levels: &[f64], model: &RatingModel) -> f64 {
        let q = self.assessment.questionnaire();
        let level = |id: &str| q.scale_index(id).map_or(0.0, |i| levels[i]);
        let linear: f64 = model.linear.iter().map(|(id, w)| w * level(id)).sum();
        let peaked: f64 = model
            .peaked
            .iter()
            .map(|(id, optimum, cost)| cost * (level(id) - optimum).powi(2))
            .sum();
        let e: f64 = StandardNormal.sample(&mut self.rng);
        let value = model.mean + model.sd * (linear - peaked + model.noise * e);
        ((value * 10.0).round() / 10.0).clamp(model.range.0, model.range.1)
    }

    fn attentive_levels(&mut self, fake_good: bool) -> (Vec<f64>, Vec<Answer>) {
        let q = self.assessment.questionnaire();
        let fitting = self.rng.random::<f64>() < self.plan.fitting;
        let levels: Vec<f64> = q
            .scales()
            .iter()
            .enumerate()
            .map(|(s, scale)| {
                let noise: f64 = StandardNormal.sample(&mut self.rng);
                let centre = if fitting {
                    self.band_centres[s].unwrap_or(0.0)
                } else {
                    0.0
                };
                let spread = if fitting { 0.5 } else { 1.0 };
                let shift = match (fake_good, scale.kind) {
                    (false, _) => 0.0,
                    (true, ScaleKind::Attribute) => 1.5,
                    (true, ScaleKind::Impression) => 2.0,
                };
                centre + spread * noise + shift
            })
            .collect();
        let answers = self.attentive_at(&levels);
        (levels, answers)
    }

    /// An attentive respondent's answers at latent `levels` (one per scale,
    /// questionnaire order), e.g. levels chosen for a coverage study.
    pub fn attentive_at(&mut self, levels: &[f64]) -> Vec<Answer> {
        let q = self.assessment.questionnaire();
        let (min, max) = (q.response_scale().min, q.response_scale().max);
        q.items()
            .iter()
            .map(|item| {
                if self.rng.random::<f64>() < SKIP_RATE {
                    return None;
                }
                Some(match &item.role {
                    ItemRole::Scored {
                        scale,
                        reverse_keyed,
                    } => {
                        let keyed = self.item_value(*scale, levels[*scale], min, max);
                        keyed_value(keyed, *reverse_keyed, min, max)
                    }
                    ItemRole::Attention { expected } => self.attention_answer(expected, min, max),
                })
            })
            .collect()
    }

    fn item_value(&mut self, scale: usize, level: f64, min: i32, max: i32) -> i32 {
        let (item_sd, loading) = self.item_model[scale];
        let e: f64 = StandardNormal.sample(&mut self.rng);
        let z = loading * level + (1.0 - loading * loading).sqrt() * e;
        let value = self.assessment.norm(scale).mean + item_sd * z;
        (value.round() as i32).clamp(min, max)
    }

    fn attention_answer(&mut self, expected: &[i32], min: i32, max: i32) -> i32 {
        if self.rng.random::<f64>() < LAPSE_RATE {
            self.rng.random_range(min..=max)
        } else {
            expected[self.rng.random_range(0..expected.len())]
        }
    }
}

/// The `i`-th value of the zig-zag min, …, max, …, min+1, min, …
fn zigzag(i: usize, min: i32, max: i32) -> i32 {
    let width = (max - min) as usize;
    let phase = i % (2 * width);
    min + if phase <= width {
        phase
    } else {
        2 * width - phase
    } as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_runs_up_and_down() {
        // 1..5: 1 2 3 4 5 4 3 2 1 2
        let values: Vec<i32> = (0..10).map(|i| zigzag(i, 1, 5)).collect();
        assert_eq!(values, [1, 2, 3, 4, 5, 4, 3, 2, 1, 2]);
    }

    fn general() -> Assessment {
        crate::builtin::assessment("general", crate::assessment::Options::default()).unwrap()
    }

    fn simulator(assessment: &Assessment) -> Simulator<'_> {
        let plan = Plan {
            seed: 7,
            careless: 0.0,
            fitting: 0.0,
        };
        Simulator::new(assessment, plan)
    }

    #[test]
    fn careless_styles_that_pass_attention_items() {
        let assessment = general();
        let q = assessment.questionnaire();
        let mut simulator = simulator(&assessment);
        for style in [
            Style::RandomPassingAttention,
            Style::Midpoint,
            Style::Extreme,
        ] {
            let answers = simulator.answers(style);
            for (item, answer) in q.items().iter().zip(&answers) {
                match &item.role {
                    ItemRole::Attention { expected } => assert_eq!(*answer, Some(expected[0])),
                    ItemRole::Scored { .. } => match style {
                        Style::Extreme => assert!(matches!(answer, Some(1 | 5))),
                        Style::Midpoint => assert!(matches!(answer, Some(2..=4))),
                        _ => assert!(matches!(answer, Some(1..=5))),
                    },
                }
            }
        }
    }

    #[test]
    fn partial_random_is_attentive_until_the_last_forty_percent() {
        let assessment = general();
        let n = assessment.questionnaire().items().len();
        let attentive = simulator(&assessment).answers(Style::Attentive);
        let partial = simulator(&assessment).answers(Style::PartialRandom);
        // The same stream draws the attentive answers first: the first n − ⌊0.4·n⌋ agree.
        let first = n - (0.4 * n as f64).floor() as usize;
        assert_eq!(partial[..first], attentive[..first]);
        assert_ne!(partial[first..], attentive[first..]);
    }

    #[test]
    fn style_names_round_trip() {
        for style in Style::ALL {
            assert_eq!(Style::from_name(style.name()), Some(style));
        }
    }
}
