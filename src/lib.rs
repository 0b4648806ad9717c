//! servicefit scores job candidates' questionnaire answers on customer-service
//! attributes, places them against norms, checks that the answers deserve
//! trust, and says how well each candidate fits a role profile — with the
//! measurement error shown, not hidden.
//!
//! The pipeline: a [`questionnaire::Questionnaire`] defines items and scales;
//! [`scoring`] turns answers into raw scale scores; [`norms`] converts them to
//! z, T, sten and percentile with a standard error of measurement;
//! [`validity`] flags careless or too-good-to-be-true responding; [`fit`]
//! compares stens with a [`profile::Profile`]; [`assessment::Assessment`] ties
//! these together for one candidate; [`batch`] runs a whole file; [`report`]
//! writes the results. Every formula is in `docs/METHOD.md`.
//!
//! ```
//! use servicefit::{assessment::{Assessment, Options}, builtin};
//!
//! let assessment = builtin::assessment("retail", Options::default()).unwrap();
//! let items = assessment.questionnaire().items().len();
//! // Everyone answering 4 ("Agree") to every item:
//! let result = assessment.assess("ann", 2, &vec![Some(4); items], None);
//! assert_eq!(result.validity.status.name(), "invalid"); // straight-lining is caught
//! assert!(!result.recommendable);
//! ```

pub mod analysis;
pub mod assessment;
pub mod audit;
pub mod batch;
pub mod bounds;
pub mod builtin;
pub mod check;
pub mod compare;
pub mod data;
pub mod error;
pub mod evidence;
pub mod explain;
pub mod fit;
pub mod ingest;
pub mod item_model;
pub mod json;
pub mod limits;
pub mod names;
pub mod norms;
pub mod profile;
pub mod provenance;
pub mod questionnaire;
pub mod ranking;
pub mod report;
pub mod response;
pub mod scoring;
pub mod simulate;
pub mod stream;
pub mod text;
pub mod validity;
#[cfg(feature = "serve")]
pub mod web;

pub use error::Error;
