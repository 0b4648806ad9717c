//! The `servicefit` binary: parse, run, exit. Everything else is in `cli/`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run(cli::parse())
}
