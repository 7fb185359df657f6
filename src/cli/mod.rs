//! Command-line interface: argument parsing and one module per subcommand.
//!
//! Exit codes: 0 success (search: at least one hit), 1 search found nothing or
//! index skipped some files, 2 error (bad arguments, missing folders, bad
//! query, index failure). A closed pipe on stdout is not an error.

mod analyze;
mod eval;
mod extract;
mod index;
mod output;
mod search;
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Full-text search over multilingual report archives.
#[derive(Parser, Debug)]
#[command(name = "repsearch", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the index from a corpus folder (replaces the live index when done).
    Index(index::Args),
    /// Search the index; prints ranked passages with the matches highlighted.
    Search(search::Args),
    /// List facet values (country, city, year) with counts, for a query or the whole index.
    Facets(search::FacetArgs),
    /// Serve the JSON API and the search page over HTTP (read-only).
    Serve(serve::Args),
    /// Print the cities, countries and year extracted from documents.
    Extract(extract::Args),
    /// Show the terms each index field makes of a text.
    Analyze(analyze::Args),
    /// Measure the engine against evaluation sets.
    #[command(subcommand)]
    Eval(eval::Command),
}

/// How a subcommand ended.
pub enum Outcome {
    /// Success.
    Success,
    /// Nothing found / partial (exit 1).
    Partial,
}

/// Parses the arguments and runs the subcommand.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Index(a) => index::run(a),
        Command::Search(a) => search::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Facets(a) => search::run_facets(a),
        Command::Extract(a) => extract::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Eval(c) => eval::run(c),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            repsearch::log_line!("repsearch: {e}");
            ExitCode::from(2)
        }
    }
}
