//! Collapsing: at most N passages per document in the hits, and how many
//! more of each document's passages matched.
//!
//! The document of a passage is its `doc_key` (a hash of its path, see
//! [`crate::schema::doc_key`]), read from a numeric fast field: no string
//! column and no stored document is opened for it. The top hits read the
//! column directly ([`DocKeys`]); every matching passage is counted per
//! document from the search's marks ([`super::matched`]).

use crate::schema::names;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use tantivy::columnar::Column;
use tantivy::{DocAddress, Score, SegmentOrdinal};

/// Reads the document key of passages, one column per segment.
#[derive(Default)]
pub(crate) struct DocKeys {
    columns: HashMap<SegmentOrdinal, Option<Column<u64>>>,
}

impl DocKeys {
    /// The document key of a passage (0 if the index has no key column).
    pub(crate) fn get(&mut self, searcher: &tantivy::Searcher, addr: DocAddress) -> u64 {
        let col = self.columns.entry(addr.segment_ord).or_insert_with(|| {
            searcher
                .segment_reader(addr.segment_ord)
                .fast_fields()
                .u64(names::DOC_KEY)
                .ok()
        });
        col.as_ref()
            .and_then(|c| c.first(addr.doc_id))
            .unwrap_or_default()
    }
}

/// Keeps at most `per_doc` hits per document (0: no limit), in the order
/// given, until `want` hits are kept. Returns the kept hits with their
/// document keys.
pub(crate) fn collapse(
    top: &[(Score, DocAddress)],
    per_doc: usize,
    want: usize,
    keys: &mut DocKeys,
    searcher: &tantivy::Searcher,
) -> Vec<(Score, DocAddress, u64)> {
    let mut seen: FxHashMap<u64, usize> = FxHashMap::default();
    let mut out = Vec::new();
    for &(score, addr) in top {
        if out.len() >= want {
            break;
        }
        let key = keys.get(searcher, addr);
        let n = seen.entry(key).or_default();
        if per_doc == 0 || *n < per_doc {
            *n += 1;
            out.push((score, addr, key));
        }
    }
    out
}
