//! The integration test binary: the CLI and library end to end.

mod analysis;
mod audit;
mod cli;
mod ingest;
mod reports;
mod score;
mod support;
