//! The integration test binary: the CLI and library end to end.

mod score;
mod support;
