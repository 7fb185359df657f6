//! `repsearch eval`: measuring the engine against evaluation sets.

use super::Outcome;
use repsearch::{Error, Result};
use std::path::PathBuf;

/// The evaluations.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Accuracy of language identification on a TSV file (lang, text, unit).
    Langid {
        /// The TSV file (e.g. ../shared/eval/langid-dev.tsv).
        file: PathBuf,
    },
}

/// Runs an evaluation.
pub fn run(c: Command) -> Result<Outcome> {
    match c {
        Command::Langid { file } => {
            let _ = file;
            Err(Error::user("eval langid is not built yet"))
        }
    }
}
