//! # repsearch
//!
//! Full-text search over archives of multilingual reports.

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
pub mod chars;
pub mod lang;
pub mod normalize;
pub mod passage;
pub mod scratch;
pub mod words;

pub use lang::Language;
pub mod corpus;
pub mod detect;
pub mod error;
pub mod eval;
pub mod extract;
pub mod facets;
pub mod gazetteer;
pub mod indexer;
pub mod schema;
pub mod search;
pub mod segment_cache;
pub mod server;
pub mod store;

pub use error::{Error, Result};
