//! Collapsing: at most N passages per document in the hits, and how many
//! more of each document's passages matched.
//!
//! The document of a passage is its `doc_key` (a hash of its path, see
//! [`crate::schema::doc_key`]), read from a numeric fast field: no string
//! column and no stored document is opened for it.

use crate::schema::names;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Reads the document key of passages, one column per segment.
#[derive(Default)]
pub struct DocKeys {
    columns: HashMap<SegmentOrdinal, Option<Column<u64>>>,
}

impl DocKeys {
    /// The document key of a passage (0 if the index has no key column).
    pub fn get(&mut self, searcher: &tantivy::Searcher, addr: DocAddress) -> u64 {
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
pub fn collapse(
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

/// Counts matching passages per document key.
pub struct DocCounts;

/// Per-segment part of [`DocCounts`].
pub struct DocCountsSegment {
    col: Option<Column<u64>>,
    counts: FxHashMap<u64, u64>,
}

impl Collector for DocCounts {
    type Fruit = FxHashMap<u64, u64>;
    type Child = DocCountsSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DocCountsSegment> {
        Ok(DocCountsSegment {
            col: reader.fast_fields().u64(names::DOC_KEY).ok(),
            counts: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FxHashMap<u64, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut all = FxHashMap::default();
        for f in fruits {
            for (k, v) in f {
                *all.entry(k).or_default() += v;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for DocCountsSegment {
    type Fruit = FxHashMap<u64, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(key) = self.col.as_ref().and_then(|c| c.first(doc)) {
            *self.counts.entry(key).or_default() += 1;
        }
    }

    fn harvest(self) -> FxHashMap<u64, u64> {
        self.counts
    }
}
