//! Searching: from a query string to ranked, highlighted passages.
//!
//! Every query word is looked up in every field kind: the exact field (boost
//! [`EXACT_BOOST`]), the stemmed field of every language present in the index
//! (the word stemmed by that language's stemmer, [`STEM_BOOST`]) and the
//! folded field ([`FOLD_BOOST`]). A word of [`FUZZY_MIN_CHARS`] letters or
//! more also matches words one edit away (two from [`FUZZY2_MIN_CHARS`], when
//! none is one edit away) in
//! the exact and folded fields ([`FUZZY_BOOST`]), unless the request is exact
//! or the word is a known one (found as written in [`KNOWN_WORD_PASSAGES`]
//! passages).
//! The best of these counts for the word (disjunction max), so exact and
//! stemmed matches rank above folded and misspelt ones.
//!
//! Prefixes (`robot*`) and typo tolerance expand to index terms here, by
//! walking the term dictionaries with a bound ([`MAX_EXPANSIONS`],
//! [`MAX_TYPO_EXPANSIONS`] terms), so
//! the highlighter knows exactly which words matched and a query never turns
//! into thousands of terms.
//!
//! A search goes through these modules in turn: [`query`] parses the query
//! string; [`plan`] (with `planner`) resolves its filters and turns each
//! clause into the index terms and phrases it stands for, as a plain
//! [`QueryPlan`]; [`compile`] turns a plan into the query that runs (the
//! [`bulk`] engine's, or tantivy's own: [`Engine`]), with [`filter`]
//! testing each match; [`execute`] ranks ([`top`]), collapses
//! ([`collapse`]), marks every match ([`matched`]) and reads the page's
//! passages ([`passages`]) to highlight ([`highlight`]) and explain
//! ([`explain`]) them. [`searcher`] holds the open index and what is read
//! from it once; [`document`] is the whole-document view.

pub mod bulk;
pub(crate) mod collapse;
pub(crate) mod compile;
pub(crate) mod document;
pub(crate) mod execute;
pub(crate) mod explain;
pub(crate) mod filter;
pub mod highlight;
mod index;
pub mod json;
pub(crate) mod matched;
pub(crate) mod passages;
pub mod plan;
mod planner;
pub mod query;
pub(crate) mod remote;
pub(crate) mod request;
pub(crate) mod results;
pub(crate) mod searcher;
pub(crate) mod shards;
pub(crate) mod stats;
pub(crate) mod top;

pub use compile::Engine;
pub use explain::MatchKind;
pub use index::Searcher;
pub use plan::QueryPlan;
pub use request::{
    max_of, OutOfRange, Param, SearchRequest, DEFAULT_PER_DOC, MAX_FACET_LIMIT, MAX_HITS,
    MAX_OFFSET, MAX_PER_DOC,
};
pub use results::{ExplainPart, Hit, SearchResults, ShardStatus};

/// Weight of an exact-word match.
pub(crate) const EXACT_BOOST: f32 = 3.0;
/// Weight of a same-language stemmed match.
pub(crate) const STEM_BOOST: f32 = 2.0;
/// Weight of a match on a place's canonical name ("Toyohashi" for "Tojohašio").
pub(crate) const PLACE_BOOST: f32 = 1.5;
/// Weight of a folded or transliterated match.
pub(crate) const FOLD_BOOST: f32 = 1.0;
/// Weight of a short cognate-key match (another language's form of the
/// word, guessed from its first letters).
pub(crate) const COGNATE_BOOST: f32 = 0.5;
/// Weight of a long cognate-key match.
pub(crate) const COGNATE_LONG_BOOST: f32 = 0.8;
/// Weight of a word a prefix (`robot*`) expands to, in the exact field (in
/// the folded field: [`FOLD_BOOST`]).
pub(crate) const PREFIX_BOOST: f32 = 2.0;
/// Weight of a misspelt match (a word one or two edits away).
pub(crate) const FUZZY_BOOST: f32 = 0.3;
/// Share of the non-best field scores added to a word's best one.
pub const TIE_BREAKER: f32 = 0.1;
/// Shortest word (in letters) matched with one typo.
pub(crate) const FUZZY_MIN_CHARS: usize = 5;
/// Shortest word (in letters) matched with two typos.
pub(crate) const FUZZY2_MIN_CHARS: usize = 8;
/// A word found as written (or without diacritics) in this many passages is
/// taken as spelt right and gets no typo tolerance: typos of known words
/// would only add noise, and walking large term dictionaries costs time.
pub(crate) const KNOWN_WORD_PASSAGES: u64 = 3;
/// Most words of one query that get typo tolerance (the first ones).
pub(crate) const MAX_FUZZY_WORDS: usize = 8;
/// Most index terms a prefix expands to, per field (the most frequent ones).
pub(crate) const MAX_EXPANSIONS: usize = 64;
/// Most index terms a misspelt word expands to, per field and spelling (the
/// most frequent ones).
pub(crate) const MAX_TYPO_EXPANSIONS: usize = 16;
/// Most dictionary terms a prefix scans per segment.
pub(crate) const MAX_PREFIX_SCAN: usize = 20_000;
