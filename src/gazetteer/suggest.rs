//! "Did you mean" suggestions: names within a small edit distance of a
//! query, found by a Levenshtein automaton run over an `fst` of the basic
//! forms of the candidate names (compiled by `build.rs`).

use std::sync::OnceLock;

use fst::{IntoStreamer, Map, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder};

use super::format::{self, SuggestionEntry, SUGGESTION_ENTRY};
use super::key;

/// The largest edit distance searched.
const MAX_DISTANCE: u8 = 3;

/// The edit distance allowed for a query whose basic form has `len`
/// letters: 1 up to four, 2 up to eight, 3 beyond.
fn max_distance(len: usize) -> u8 {
    match len {
        0..=4 => 1,
        5..=8 => 2,
        _ => MAX_DISTANCE,
    }
}

/// The automaton builder for a distance (plain Levenshtein: a transposition
/// counts two), built on first use; building one for distance 3 takes a
/// few milliseconds.
fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; MAX_DISTANCE as usize + 1] =
        [const { OnceLock::new() }; MAX_DISTANCE as usize + 1];
    BUILDERS[usize::from(distance.min(MAX_DISTANCE))]
        .get_or_init(|| LevenshteinAutomatonBuilder::new(distance.min(MAX_DISTANCE), false))
}

/// The suggestion index: basic form → the candidate names of that form.
pub(super) struct SuggestIndex {
    forms: Map<&'static [u8]>,
    entries: &'static [u8],
}

impl SuggestIndex {
    /// The index of the map and entries `build.rs` wrote.
    pub(super) fn new(forms: &'static [u8], entries: &'static [u8]) -> SuggestIndex {
        SuggestIndex {
            forms: super::tables::map(forms),
            entries,
        }
    }

    /// Up to `limit` candidates whose [`basic`](key::basic) form is closest
    /// to that of `query` by edit distance, closest first, ties in candidate
    /// order (country names, then cities by decreasing population).
    pub(super) fn closest(&self, query: &str, limit: usize) -> Vec<SuggestionEntry> {
        let q = key::basic(query);
        if q.is_empty() {
            return Vec::new();
        }
        let dfa = builder(max_distance(q.len())).build_dfa(&q);
        let mut found: Vec<(u8, SuggestionEntry)> = Vec::new();
        let mut stream = self.forms.search_with_state(&dfa).into_stream();
        while let Some((_, run, state)) = stream.next() {
            let Distance::Exact(d) = dfa.distance(state) else {
                continue;
            };
            for i in format::run_range(run) {
                let at = i * SUGGESTION_ENTRY;
                if let Some(b) = self.entries.get(at..at + SUGGESTION_ENTRY) {
                    found.push((d, SuggestionEntry::decode(b)));
                }
            }
        }
        found.sort_unstable_by_key(|&(d, e)| (d, e.order));
        found.into_iter().take(limit).map(|(_, e)| e).collect()
    }
}
