//! # repsearch
//!
//! Full-text search over archives of multilingual reports.
pub mod analysis;
pub mod lang;
pub mod normalize;

pub use lang::Language;
