//! # repsearch
//!
//! Full-text search over archives of multilingual reports: a folder of
//! documents in any of 34 languages (Lithuanian, Russian and English first)
//! is indexed into passages that can be searched across languages and
//! scripts, filtered and counted by the countries, cities and year the
//! documents mention. The `repsearch` binary is a thin command line
//! (`src/cli/`, one file per subcommand, not part of the library) over
//! these modules.
//!
//! ## A tour, in the order data flows
//!
//! 1. [`corpus`]: walks the corpus folder and reads each file to text (one
//!    reader per format in `corpus/formats/`: plain text in any encoding,
//!    HTML, PDF, DOCX, ODT, archives), with caps on what a file may inflate
//!    to. [`passage`] cuts a text into passages that keep byte offsets into
//!    the source.
//! 2. [`detect`]: the language of a document and of each passage, among the
//!    languages of [`lang::Language`], the one enum that drives everything
//!    per language (stemmers, analyzers, field names).
//! 3. [`words`]: the one word splitter; every layer below takes its words
//!    from it, with their offsets, script and flags. [`chars`] holds the
//!    character classes it and the others share.
//! 4. [`analysis`] and [`normalize`]: each word normalised by a fixed list of
//!    small units, then turned into the terms of each index field (exact,
//!    stemmed per language, folded across scripts, cognate keys).
//! 5. [`extract`] with [`gazetteer`]: the cities, countries and year of a
//!    document, matched in running text against GeoNames and CLDR names.
//! 6. [`indexer`]: the per-document pipeline (steps 1–5 in parallel), the
//!    tantivy writer, the manifest for `--update`; [`schema`] names the
//!    fields; [`store`] owns the index folder, its generations and the
//!    atomic swap of a rebuilt one.
//! 7. [`search`] and [`facets`]: a query parsed, looked up in every field
//!    kind, ranked, collapsed per document, highlighted; facet filters and
//!    counts over the matching passages. [`segment_cache`] keeps what is
//!    read once per index segment.
//! 8. [`server`]: the HTTP API and search page over the same calls;
//!    [`eval`] measures language identification, extraction and relevance.
//!
//! Per-thread caches and buffer pools all follow the rules of [`scratch`];
//! errors are [`Error`].
//!
//! ## Example
//!
//! Index a folder and search it (the whole program is
//! `examples/index_and_search.rs`; `cargo run --release --example
//! index_and_search` runs it on the seed reports in `corpus/`):
//!
//! ```no_run
//! use repsearch::indexer::{self, IndexOptions, NoProgress};
//! use repsearch::search::{SearchRequest, Searcher};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! indexer::build(&IndexOptions::new("corpus", "/tmp/index"), &NoProgress)?;
//! let searcher = Searcher::open("/tmp/index".as_ref())?;
//! for hit in searcher.search(&SearchRequest::new("robotikos"))?.hits {
//!     println!("{} #{}: {}", hit.doc, hit.passage, hit.text);
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs, unreachable_pub)]

/// `eprintln!` that ignores a closed or failing stderr (a log reader that
/// died, `2>&1 | head`) instead of panicking.
#[macro_export]
macro_rules! log_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod analysis;
mod chars;
mod lang;
mod normalize;
pub mod passage;
mod scratch;
mod words;

pub use lang::Language;
pub mod corpus;
pub mod detect;
pub mod error;
pub mod eval;
pub mod extract;
pub mod facets;
pub mod gazetteer;
pub mod indexer;
mod schema;
pub mod search;
mod segment_cache;
pub mod server;
pub mod store;
mod stored;

pub use error::{Error, Result};
