//! The integration test binary: the CLI and library end to end.

mod analysis;
mod audit;
mod certainty;
mod cli;
mod compare;
mod exports;
mod forms;
mod ingest;
mod instrument;
mod limits;
mod outputs;
mod probe;
mod properties;
mod reading;
mod reports;
mod score;
mod spreadsheets;
mod stream;
mod support;
