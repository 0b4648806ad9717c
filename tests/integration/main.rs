//! The integration test binary: the CLI and library end to end.

mod accessible;
mod analysis;
mod audit;
mod calibration;
mod certainty;
mod cli;
mod compare;
mod evidence;
mod exports;
mod forms;
mod guide;
mod ingest;
mod instrument;
mod limits;
mod outputs;
mod pages;
mod probe;
mod properties;
mod reading;
mod reports;
mod score;
#[cfg(feature = "serve")]
mod serve_assessor;
#[cfg(feature = "serve")]
mod serve_candidate;
#[cfg(feature = "serve")]
mod serve_cli;
#[cfg(feature = "serve")]
mod serve_load;
#[cfg(feature = "serve")]
mod serve_store;
mod spreadsheets;
mod stream;
mod support;
mod terminal;
#[cfg(feature = "serve")]
mod web_support;
