//! # repsearch
//!
//! Full-text search over archives of multilingual reports.
pub mod analysis;
pub mod chars;
pub mod lang;
pub mod normalize;
pub mod passage;

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
