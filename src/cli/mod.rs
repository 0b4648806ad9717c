//! The command-line interface: parse arguments, turn them into validated
//! settings, call the library, talk to the user. Only this tree prints,
//! reads the environment or chooses exit codes.

/// `eprintln!` that ignores a closed stderr. `eprintln!` panics when stderr
/// is gone (piped into `head`, say): the messages are a courtesy, and losing
/// them must not stop the run or the files it writes.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod analyze;
mod audit;
mod blocks;
mod calibration_report;
mod check;
mod compare;
mod completions;
mod criterion_text;
mod explain;
mod folder;
mod input;
mod io;
mod norms;
mod overwrite;
mod pages;
mod profile;
mod questionnaire;
mod roles;
mod score;
mod score_stream;
#[cfg(feature = "serve")]
mod serve;
mod simulate;
mod staff;
mod template;
mod validate_criterion;
mod width;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Every row scored (or nothing to score).
pub const EXIT_OK: u8 = 0;
/// Output written, but some rows were rejected.
pub const EXIT_REJECTED_ROWS: u8 = 1;
/// Usage, data or I/O error, or rows read and none scored: no trustworthy output.
pub const EXIT_ERROR: u8 = 2;

const AFTER_HELP: &str = "\
Exit codes: 0 every row scored; 1 output written but some rows rejected; 2 usage, data or I/O error,
or no row could be scored.
Docs: README.md, docs/METHOD.md (formulas), docs/FORMATS.md (file formats).";

/// Scores customer-service questionnaires and reports candidates' fit to a role.
#[derive(Debug, Parser)]
#[command(name = "servicefit", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Data files replacing the built-in ones.
#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// Questionnaire file (JSON) instead of the built-in SFQ 2.0.
    #[arg(long, value_name = "PATH")]
    questionnaire: Option<PathBuf>,
    /// Norms file (JSON) instead of the built-in provisional norms.
    #[arg(long, value_name = "PATH")]
    norms: Option<PathBuf>,
    /// Norm group to use (default: the norms file's first group).
    #[arg(long, value_name = "ID")]
    norm_group: Option<String>,
}

// Parsed once per process: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Score a response CSV against a role and rank the candidates.
    #[command(
        after_help = "Examples:\n  servicefit score examples/applicants.csv --role retail\n  \
servicefit score answers.csv --role my-profile.json --format jsonl > results.jsonl\n  \
cat answers.csv | servicefit score - --role hospitality --out reports/\n\n\
Exit codes: 0 every row scored; 1 output written but some rows rejected; 2 usage, data or I/O error,\n\
or no row could be scored (--out still writes rejects.csv)."
    )]
    Score(score::Args),
    /// List the built-in role profiles.
    #[command(after_help = "Example:\n  servicefit roles")]
    Roles(roles::Args),
    /// Print the questionnaire's items in order, to put into a form tool.
    #[command(
        after_help = "Examples:\n  servicefit questionnaire\n  servicefit questionnaire --format csv > items.csv"
    )]
    Questionnaire(questionnaire::Args),
    /// Generate synthetic respondents (attentive and careless) as a response CSV.
    #[command(
        after_help = "Examples:\n  servicefit simulate --n 1000 --seed 7 --careless 0.05 > sample.csv\n  \
servicefit simulate --n 200 --role retail --fitting 0.3 --out demo.csv"
    )]
    Simulate(simulate::Args),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  servicefit completions bash > ~/.local/share/bash-completion/completions/servicefit\n  \
servicefit completions zsh > ~/.zfunc/_servicefit"
    )]
    Completions(completions::Args),
    /// Compare 2 to 8 candidates side by side: which differences are real, which are measurement error, and an interview guide with each one's own gap questions.
    #[command(
        after_help = "Examples:\n  servicefit compare answers.csv --role hospitality\n  \
servicefit compare answers.csv --role retail --ids ann,bob,cy --format html > compare.html"
    )]
    Compare(compare::Args),
    /// Write a blank response CSV, an item list for a form builder, a printable paper form, or a
    /// form for Google Forms, Qualtrics or LimeSurvey.
    #[command(
        after_help = "Examples:\n  servicefit template --format csv > answers.csv\n  \
servicefit template --format html > paper-form.html\n  \
servicefit template --format google-apps-script > create-form.gs\n  \
servicefit template --format qualtrics > survey.txt\n  \
servicefit template --format limesurvey > survey-structure.txt"
    )]
    Template(template::Args),
    /// Reliability and item statistics of every scale (alpha, item–total r, frequencies).
    #[command(after_help = "Examples:\n  servicefit analyze staff.csv\n  \
servicefit analyze staff.csv --format markdown --out reliability.md")]
    Analyze(analyze::Args),
    /// Build local norms from data, or merge partial norms.
    #[command(
        after_help = "Examples:\n  servicefit norms build applicants.csv --name acme-2026 --out acme-norms.json\n  \
servicefit norms build part1.csv --name acme --partial --out part1.json\n  \
servicefit norms build part2.csv --name acme --partial --out part2.json\n  \
servicefit norms merge part1.json part2.json --name acme --out acme-norms.json"
    )]
    Norms(norms::Args),
    /// Calibrate a role profile on incumbents and their performance ratings.
    #[command(
        after_help = "Example:\n  servicefit profile calibrate staff.csv --performance rating \\\n      --name acme-retail --out acme-retail.json"
    )]
    Profile(profile::Args),
    /// How well fit scores and attributes predict a performance rating, profile by profile.
    #[command(
        name = "validate-criterion",
        after_help = "Examples:\n  servicefit validate-criterion staff.csv --performance rating --role acme.json --role retail\n  \
servicefit validate-criterion staff.csv --performance rating --role acme.json --split-half"
    )]
    ValidateCriterion(validate_criterion::Args),
    /// Check questionnaire, norm and profile files and their consistency; print every problem.
    #[command(
        after_help = "Example:\n  servicefit check my-questionnaire.json my-norms.json my-profile.json"
    )]
    Check(check::Args),
    /// Adverse-impact audit of scored results: selection rates, impact ratios, four-fifths flag, tests.
    #[command(
        after_help = "Examples:\n  servicefit audit out/results.csv --groups groups.csv --group sex --band good\n  \
servicefit audit out/results.jsonl --groups groups.csv --group sex --group ethnicity \\\n      \
--rule 'fit>=70' --date 2025-03-31 --format html --out audit.html\n\n\
Group data are used for the audit only: `score` never reads them. See docs/RESPONSIBLE-USE.md."
    )]
    Audit(audit::Args),
    /// Run the web front end: candidates answer in a browser, assessors see the shortlist.
    #[cfg(feature = "serve")]
    #[command(after_help = "Examples:\n  servicefit serve --db servicefit.db\n  \
servicefit serve --db postgres://sf@localhost/sf --listen 0.0.0.0:8080\n\n\
Put a TLS reverse proxy in front of it (README: Collect answers in the browser).")]
    Serve(serve::ServeArgs),
    /// Manage assessor accounts of the web front end.
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Example:\n  printf '%s\\n' \"$PASSWORD\" | servicefit user add --db servicefit.db alice"
    )]
    User(serve::UserArgs),
    /// Create invitation links; prints REFERENCE<TAB>LINK per candidate.
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Examples:\n  servicefit invite --db servicefit.db --role retail ann bob\n  \
servicefit invite --db servicefit.db --role hospitality --from candidates.csv \\\n      \
--base-url https://jobs.example.org --expires 7\n\n\
Exit codes: 0 all invited; 1 some references were taken already (listed on stderr); 2 error."
    )]
    Invite(serve::InviteArgs),
    /// Write the submitted answers as a response CSV that `score` reads.
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Examples:\n  servicefit export --db servicefit.db --out answers.csv\n  \
servicefit export --db servicefit.db | servicefit score - --role retail"
    )]
    Export(serve::ExportArgs),
}

/// Parses the command line. Every option with a fixed set of values takes
/// them in any case (`--format HTML`); clap still answers a near miss with
/// "a similar value exists".
pub fn parse() -> Cli {
    let matches = values_in_any_case(Cli::command()).get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

/// `command` with `ignore_case` on every option that takes one of a set of values, in every subcommand.
fn values_in_any_case(command: clap::Command) -> clap::Command {
    command
        .mut_args(|arg| {
            if arg.get_action().takes_values() && !arg.get_possible_values().is_empty() {
                arg.ignore_case(true)
            } else {
                arg
            }
        })
        .mut_subcommands(values_in_any_case)
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Score(args) => score::run(args),
        Command::Roles(args) => roles::run(args),
        Command::Questionnaire(args) => questionnaire::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Template(args) => template::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Norms(args) => norms::run(args),
        Command::Profile(args) => profile::run(args),
        Command::ValidateCriterion(args) => validate_criterion::run(args),
        Command::Check(args) => check::run(args),
        Command::Audit(args) => audit::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::serve(args),
        #[cfg(feature = "serve")]
        Command::User(args) => serve::user(args),
        #[cfg(feature = "serve")]
        Command::Invite(args) => serve::invite(args),
        #[cfg(feature = "serve")]
        Command::Export(args) => serve::export(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) if io::is_broken_pipe(error.as_ref()) => ExitCode::from(EXIT_OK),
        Err(error) => {
            io::print_error(error.as_ref());
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// A CLI-level error: any error, printed with its chain.
pub type CliError = Box<dyn std::error::Error + Send + Sync>;
