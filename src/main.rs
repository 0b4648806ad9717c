//! The `servicefit` binary: parse, run, exit. Everything else is in `cli/`.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse())
}
