//! `servicefit roles`: the built-in profiles with a line each.

use std::io::Write;

use super::{CliError, EXIT_OK};
use servicefit::builtin;

/// Arguments of `roles`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Lists the built-in profiles.
pub fn run(_args: Args) -> Result<u8, CliError> {
    let mut out = std::io::stdout().lock();
    for (id, _) in builtin::PROFILES {
        let profile = builtin::profile(id)?;
        writeln!(out, "{id:<20} {}", profile.summary)?;
    }
    writeln!(
        out,
        "\nUse one with --role ID, or pass your own profile file with --role PATH."
    )?;
    Ok(EXIT_OK)
}
