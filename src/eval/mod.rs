//! Measuring the engine against evaluation sets (see `../shared/eval/`).

pub mod facets;
pub mod langid;
pub mod relevance;
