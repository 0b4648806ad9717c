//! `servicefit completions SHELL`: shell completion scripts.

use clap::CommandFactory;

use super::{Cli, CliError, EXIT_OK};

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to write completions for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Writes the completion script on stdout.
pub fn run(args: Args) -> Result<u8, CliError> {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "servicefit",
        &mut std::io::stdout().lock(),
    );
    Ok(EXIT_OK)
}
