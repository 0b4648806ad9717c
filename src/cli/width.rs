//! How wide the terminal format may be: `--width`, else `COLUMNS`, else the
//! width of the terminal stdout is, else 80. The library only takes the
//! number; reading the environment and the terminal happens here.
//!
//! `COLUMNS` wins over the terminal's own width as in git (`term_columns`)
//! and GNU `ls`: shells keep it as an unexported variable, so one that reaches
//! us was set on purpose (`COLUMNS=60 servicefit …`) to ask for that width.

use std::ffi::OsStr;

use servicefit::report::TERMINAL_WIDTH;

/// The `--width` option of the commands that print the terminal format.
#[derive(Debug, clap::Args)]
pub struct WidthArgs {
    /// Widest line of the terminal format, in columns. Default: COLUMNS when it is a positive
    /// integer, else the terminal's width when stdout is one, else 80; below 40 the lines are laid
    /// out for 40. As the width shrinks, the table first shortens the name, then the attribute
    /// headings, drops the fit's range, moves the name under the candidate, drops the verdict,
    /// then the attributes (narrowing the id column first when that keeps them); rank, id,
    /// answers and fit always stay, and flag reasons wrap under the candidate. `compare` splits
    /// its candidates into blocks.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    width: Option<u16>,
}

impl WidthArgs {
    /// The width to lay the terminal format out for.
    pub fn columns(&self) -> usize {
        let columns = std::env::var_os("COLUMNS");
        let terminal = terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0);
        choose(self.width, columns.as_deref(), terminal)
    }
}

/// `flag`, else `columns` when a positive integer, else `terminal`, else 80.
fn choose(flag: Option<u16>, columns: Option<&OsStr>, terminal: Option<u16>) -> usize {
    let columns = columns
        .and_then(OsStr::to_str)
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&c| c > 0);
    flag.or(columns)
        .or(terminal.filter(|&t| t > 0))
        .map_or(TERMINAL_WIDTH, usize::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_then_columns_then_terminal_then_80() {
        let sixty = Some(OsStr::new("60"));
        assert_eq!(choose(Some(100), sixty, Some(120)), 100);
        assert_eq!(choose(None, sixty, Some(120)), 60);
        assert_eq!(choose(None, None, Some(120)), 120);
        assert_eq!(choose(None, None, None), 80);
        // Not a positive integer: ignored.
        for bad in ["0", "-5", "wide", ""] {
            assert_eq!(choose(None, Some(OsStr::new(bad)), Some(120)), 120, "{bad}");
            assert_eq!(choose(None, Some(OsStr::new(bad)), None), 80, "{bad}");
        }
    }
}
