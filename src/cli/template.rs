//! `servicefit template`: blank forms for collecting answers.

use std::io::Write;
use std::path::PathBuf;

use super::{CliError, EXIT_OK};
use servicefit::data;
use servicefit::ingest::template::{self, TemplateFormat};

/// Arguments of `template`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// csv: a blank response file (header row); text/markdown: the items for a
    /// form builder; html: a printable paper form; google-apps-script: a script that creates
    /// the Google Form; qualtrics: a survey to import (Advanced Format .txt); limesurvey: a
    /// survey structure to import (.txt). The tools' exports score as they are.
    #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
    format: FormatArg,
    /// Questionnaire file (JSON) instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    questionnaire: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Text,
    Markdown,
    Html,
    GoogleAppsScript,
    Qualtrics,
    Limesurvey,
}

impl From<FormatArg> for TemplateFormat {
    fn from(arg: FormatArg) -> TemplateFormat {
        match arg {
            FormatArg::Csv => TemplateFormat::Csv,
            FormatArg::Text => TemplateFormat::Text,
            FormatArg::Markdown => TemplateFormat::Markdown,
            FormatArg::Html => TemplateFormat::Html,
            FormatArg::GoogleAppsScript => TemplateFormat::GoogleAppsScript,
            FormatArg::Qualtrics => TemplateFormat::Qualtrics,
            FormatArg::Limesurvey => TemplateFormat::LimeSurvey,
        }
    }
}

/// Runs `template`: the template goes to stdout.
pub fn run(args: Args) -> Result<u8, CliError> {
    let questionnaire = data::questionnaire(args.questionnaire.as_deref())?;
    let mut stdout = std::io::stdout().lock();
    template::write(&mut stdout, &questionnaire.value, args.format.into())?;
    stdout.flush()?;
    Ok(EXIT_OK)
}
