//! The answer to a search: ranked, highlighted passages and facet counts.

use super::explain::MatchKind;
use crate::facets::FacetCounts;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One ranked passage.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hit {
    /// Document path relative to the corpus folder.
    pub doc: String,
    /// Document title.
    pub title: String,
    /// Passage number in the document (from 0).
    pub passage: u64,
    /// ISO 639-1 code of the passage's language (`und` if unknown).
    pub lang: String,
    /// Relevance score (BM25, boosted).
    pub score: f32,
    /// The passage as written.
    pub text: String,
    /// The passage as HTML with matches in `<mark>`…`</mark>`.
    pub highlight: String,
    /// Cities of the document (canonical GeoNames names).
    pub city: Vec<String>,
    /// Countries of the document (English names).
    pub country: Vec<String>,
    /// The document's year.
    pub year: Option<u64>,
    /// Matching passages of this document beyond its best `per_doc`, shown
    /// on no page (collapsed).
    pub more_in_doc: u64,
    /// Why the passage matched (only when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<ExplainPart>>,
    /// Byte ranges of the matches in `text`.
    #[serde(skip)]
    pub spans: Vec<Range<usize>>,
}

/// One matching field and term of a hit, with its share of the score.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExplainPart {
    /// The query clause: a word, `"a phrase"~N` or `prefix*`.
    pub clause: String,
    /// The index field (`exact`, `stem_lt`, `fold`, `places`).
    pub field: String,
    /// The index term that matched (a phrase: its terms).
    pub term: String,
    /// How: `exact`, `stem`, `fold`, `place`, `cognate`, `prefix`, `typo` or
    /// `phrase`.
    pub how: MatchKind,
    /// This match's score (BM25 times the field's weight).
    pub score: f32,
    /// True for the clause's best match, which counts in full; the others
    /// add [`super::TIE_BREAKER`] times their score.
    pub best: bool,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Passages matching in all (before collapsing to `per_doc` per document).
    pub total_hits: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Facet counts over all matching passages.
    pub facets: FacetCounts,
    /// Shards asked and shards that failed to answer (only from a
    /// coordinator of remote shards; a failed shard's passages are missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shards: Option<ShardStatus>,
}

/// How many shards a coordinator asked and how many failed to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardStatus {
    /// Shards of the index.
    pub total: usize,
    /// Shards that did not answer within the timeout (or answered an error).
    pub failed: usize,
}
