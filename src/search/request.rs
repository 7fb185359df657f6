//! A search request, its bounds and the error of a value outside them.

pub use crate::error::Param;
use crate::error::{Error, Result};
use crate::facets::Filters;
use crate::lang::Language;

/// Most hits one request may ask for (`limit`): the library's bound (the
/// HTTP API's pages are smaller still, `server::params::MAX_PAGE_HITS`).
pub const MAX_HITS: usize = 10_000;
/// Highest `--offset` accepted, as by the HTTP API: a page is fetched with
/// its offset, so the offset bounds the memory a search takes.
pub const MAX_OFFSET: usize = 10_000;
/// Highest `--per-doc` accepted.
pub const MAX_PER_DOC: usize = 10_000;
/// Highest `--facet-limit` accepted.
pub const MAX_FACET_LIMIT: usize = 10_000;
/// Passages shown per document by default (`--per-doc`).
pub const DEFAULT_PER_DOC: usize = 3;

/// A search request.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SearchRequest {
    /// The query string.
    pub query: String,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
    /// Only passages in these languages (all when empty).
    pub langs: Vec<Language>,
    /// Facet filters.
    pub filters: Filters,
    /// Count facet values over all matching passages (top this many per facet; 0: no counts).
    pub facet_limit: usize,
    /// Take the query as plain words: no operators, quotes, prefixes or filters.
    pub plain: bool,
    /// No typo tolerance.
    pub exact: bool,
    /// At most this many passages per document among the hits (0: no limit).
    pub per_doc: usize,
    /// Explain each hit's score.
    pub explain: bool,
}

/// The highest value a bounded numeric parameter accepts (the lowest is 0):
/// [`MAX_HITS`], [`MAX_OFFSET`], [`MAX_PER_DOC`], [`MAX_FACET_LIMIT`];
/// `None` for a parameter that is not a bounded number.
pub const fn max_of(param: Param) -> Option<usize> {
    match param {
        Param::Limit => Some(MAX_HITS),
        Param::Offset => Some(MAX_OFFSET),
        Param::PerDoc => Some(MAX_PER_DOC),
        Param::FacetLimit => Some(MAX_FACET_LIMIT),
        _ => None,
    }
}

/// A request parameter outside its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// The parameter.
    pub param: Param,
    /// The value given.
    pub value: usize,
}

impl OutOfRange {
    /// The highest value the parameter accepts.
    pub fn max(&self) -> usize {
        max_of(self.param).unwrap_or(usize::MAX)
    }
}

impl From<OutOfRange> for Error {
    fn from(e: OutOfRange) -> Error {
        Error::User(crate::error::UserError::OutOfRange {
            name: e.param,
            value: e.value,
            max: e.max(),
        })
    }
}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} is out of range: give a number from 0 to {}",
            self.param.api_name(),
            self.value,
            self.max()
        )
    }
}

impl std::error::Error for OutOfRange {}

impl SearchRequest {
    /// Checks the numeric parameters against their bounds ([`max_of`]).
    pub fn check(&self) -> Result<(), OutOfRange> {
        for (param, value) in [
            (Param::Limit, self.limit),
            (Param::Offset, self.offset),
            (Param::PerDoc, self.per_doc),
            (Param::FacetLimit, self.facet_limit),
        ] {
            if max_of(param).is_some_and(|max| value > max) {
                return Err(OutOfRange { param, value });
            }
        }
        Ok(())
    }

    /// A request for the first ten hits of a query.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            langs: Vec::new(),
            filters: Filters::default(),
            facet_limit: 10,
            plain: false,
            exact: false,
            per_doc: DEFAULT_PER_DOC,
            explain: false,
        }
    }
}
