//! `servicefit questionnaire`: the items in order, to put into a form tool.

use std::io::Write;
use std::path::PathBuf;

use super::{CliError, EXIT_OK};
use servicefit::data;

/// Arguments of `questionnaire`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Questionnaire file instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    questionnaire: Option<PathBuf>,
    /// Output: readable text, or CSV (id,text) for import.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ListFormat {
    Text,
    Csv,
}

/// Prints the questionnaire.
pub fn run(args: Args) -> Result<u8, CliError> {
    let q = data::questionnaire(args.questionnaire.as_deref())?.value;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Text => {
            writeln!(
                out,
                "{} (version {})\n\n{}\n",
                q.title(),
                q.version(),
                q.instructions()
            )?;
            let labels: Vec<String> = q
                .response_scale()
                .labels
                .iter()
                .map(|l| format!("{} = {}", l.value, l.label))
                .collect();
            writeln!(out, "Answers: {}\n", labels.join(", "))?;
            for (n, item) in q.items().iter().enumerate() {
                writeln!(out, "{:>3}. [{}] {}", n + 1, item.id, item.text)?;
            }
        }
        ListFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(["id", "text"])?;
            for item in q.items() {
                csv.write_record([item.id.as_str(), &servicefit::text::csv_safe(&item.text)])?;
            }
            csv.flush()?;
        }
    }
    Ok(EXIT_OK)
}
