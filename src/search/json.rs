//! The JSON answers of `search --json` and `facets --json`, built in one
//! place so that the command line and the HTTP API (`repsearch serve`) say
//! the same thing byte for byte.

use super::SearchResults;
use crate::error::{Error, Result};
use serde::Serialize;

fn to_line<T: Serialize>(v: &T) -> Result<String> {
    let mut s = serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// The answer of `repsearch search --json` and `GET /api/search`: one JSON
/// object and a newline.
pub fn search_json(r: &SearchResults) -> Result<String> {
    to_line(r)
}

/// The answer of `repsearch facets --json` and `GET /api/facets`:
/// `{"query", "total_hits", "facets"}` and a newline.
pub fn facets_json(r: &SearchResults) -> Result<String> {
    let mut v =
        serde_json::json!({"query": r.query, "total_hits": r.total_hits, "facets": r.facets});
    if let Some(shards) = r.shards {
        v["shards"] = serde_json::json!(shards);
    }
    to_line(&v)
}
