//! `repsearch eval`: measuring the engine against evaluation sets.

use super::{output, Outcome};
use repsearch::{Error, Result};
use std::path::PathBuf;

/// The evaluations.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Accuracy of language identification per language and unit, on a TSV
    /// file of `lang<TAB>text<TAB>unit` lines (e.g. ../shared/eval/langid-dev.tsv).
    Langid {
        /// The TSV file.
        file: PathBuf,
    },
    /// Precision, recall and F1 of city and country extraction and year
    /// accuracy, per language and source, against a facet gold file
    /// (e.g. ../shared/eval/facets-dev.jsonl).
    Facets {
        /// The gold JSON Lines file.
        gold: PathBuf,
        /// Folder the gold's document paths are relative to.
        #[arg(long, default_value = "../shared/corpora")]
        corpus: PathBuf,
    },
}

/// Runs an evaluation.
pub fn run(c: Command) -> Result<Outcome> {
    let text = match c {
        Command::Langid { file } => repsearch::eval::langid::evaluate(&file)
            .map_err(Error::user)?
            .to_string(),
        Command::Facets { gold, corpus } => {
            if !corpus.is_dir() {
                return Err(Error::user(format!(
                    "corpus folder '{}' not found: pass --corpus DIR, the folder the gold paths are relative to",
                    corpus.display()
                )));
            }
            repsearch::eval::facets::evaluate(&gold, &corpus)
                .map_err(Error::user)?
                .to_string()
        }
    };
    output::print(&text)?;
    Ok(Outcome::Success)
}
