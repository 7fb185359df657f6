//! Collapsing: at most N passages per document in the hits, and how many
//! more of each document's passages matched.
//!
//! The document of a passage is its `doc_key` (a hash of its path, see
//! [`crate::schema::doc_key`]), read from a numeric fast field: no string
//! column and no stored document is opened for it. The top hits read the
//! column directly ([`DocKeys`]); counting every matching passage per
//! document goes through a per-segment table of document numbers built
//! from it once ([`DocTable`], [`DocRuns`]).

use crate::schema::names;
use crate::segment_cache::PerSegment;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::Arc;
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

/// The document of every passage of one segment: passages number their
/// documents densely in segment order (`ord`), and `keys[ord]` is that
/// document's key. Read from the `doc_key` column once per segment and
/// kept, so a search counts a document's matching passages by runs of one
/// small number instead of hashing a key per matching passage.
#[derive(Debug)]
pub struct SegmentDocs {
    ord: Vec<u32>,
    keys: Vec<u64>,
    number: FxHashMap<u64, u32>,
}

impl SegmentDocs {
    fn read(reader: &SegmentReader) -> SegmentDocs {
        let col = reader.fast_fields().u64(names::DOC_KEY).ok();
        let mut number: FxHashMap<u64, u32> = FxHashMap::default();
        let mut keys = Vec::new();
        let ord = (0..reader.max_doc())
            .map(|doc| {
                let key = col.as_ref().and_then(|c| c.first(doc)).unwrap_or_default();
                *number.entry(key).or_insert_with(|| {
                    keys.push(key);
                    (keys.len() - 1) as u32
                })
            })
            .collect();
        SegmentDocs { ord, keys, number }
    }
}

/// The [`SegmentDocs`] of an index's segments, read on first use.
#[derive(Debug, Default)]
pub struct DocTable(PerSegment<SegmentDocs>);

impl DocTable {
    pub(crate) fn segment(&self, reader: &SegmentReader) -> Arc<SegmentDocs> {
        self.0.get(reader, SegmentDocs::read)
    }
}

/// Records which documents the matching passages belong to, as runs of
/// (document, passages) per segment, in the same pass that ranks and
/// counts them; [`MatchedDocs::counts`] then answers "how many passages
/// of these documents matched" without searching again.
pub struct DocRuns<'a>(pub &'a DocTable);

/// Per-segment part of [`DocRuns`].
pub struct DocRunsSegment {
    docs: Arc<SegmentDocs>,
    runs: Vec<(u32, u32)>,
}

/// The documents of all matching passages (see [`DocRuns`]).
#[derive(Default)]
pub struct MatchedDocs(Vec<DocRunsSegment>);

impl MatchedDocs {
    /// Matching passages of each of the documents `keys`.
    pub fn counts(&self, keys: &[u64]) -> FxHashMap<u64, u64> {
        let mut out: FxHashMap<u64, u64> = keys.iter().map(|k| (*k, 0)).collect();
        for seg in &self.0 {
            // the segment's numbers of those documents, as a bit set: a run
            // is then tested with one bit, not a hash of its key
            let docs = &seg.docs;
            let wanted: Vec<u32> = keys
                .iter()
                .filter_map(|k| docs.number.get(k).copied())
                .collect();
            if wanted.is_empty() {
                continue;
            }
            let mut bits = vec![0u64; docs.keys.len().div_ceil(64)];
            for &o in &wanted {
                bits[o as usize / 64] |= 1 << (o % 64);
            }
            for &(ord, n) in &seg.runs {
                let o = ord as usize;
                if bits.get(o / 64).is_some_and(|w| w >> (o % 64) & 1 == 1) {
                    if let Some(c) = out.get_mut(&docs.keys[o]) {
                        *c += u64::from(n);
                    }
                }
            }
        }
        out
    }
}

impl Collector for DocRuns<'_> {
    type Fruit = MatchedDocs;
    type Child = DocRunsSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DocRunsSegment> {
        Ok(DocRunsSegment {
            docs: self.0.segment(reader),
            runs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<DocRunsSegment>) -> tantivy::Result<MatchedDocs> {
        Ok(MatchedDocs(fruits))
    }
}

impl SegmentCollector for DocRunsSegment {
    type Fruit = DocRunsSegment;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(&ord) = self.docs.ord.get(doc as usize) else {
            return;
        };
        match self.runs.last_mut() {
            Some((last, n)) if *last == ord => *n += 1,
            _ => self.runs.push((ord, 1)),
        }
    }

    fn harvest(self) -> DocRunsSegment {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(ord: Vec<u32>, keys: Vec<u64>, matches: &[DocId]) -> DocRunsSegment {
        let number = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as u32))
            .collect();
        let mut s = DocRunsSegment {
            docs: Arc::new(SegmentDocs { ord, keys, number }),
            runs: Vec::new(),
        };
        for &d in matches {
            s.collect(d, 0.0);
        }
        s.harvest()
    }

    #[test]
    fn passages_of_a_document_count_across_runs_and_segments() {
        // segment 1: documents 10, 20, then 10 again (its passages split by
        // another document's); segment 2: more of 10, and 30
        let a = segment(vec![0, 0, 1, 1, 0], vec![10, 20], &[0, 1, 2, 4]);
        assert_eq!(a.runs, [(0, 2), (1, 1), (0, 1)]);
        let b = segment(vec![0, 0, 1], vec![10, 30], &[0, 1, 2]);
        let m = MatchedDocs(vec![a, b]);
        let c = m.counts(&[10, 20, 40]);
        assert_eq!((c[&10], c[&20], c[&40]), (5, 1, 0));
        assert!(!c.contains_key(&30));
        // a passage number outside the table (a damaged column) is skipped
        let d = segment(vec![0], vec![10], &[0, 7]);
        assert_eq!(MatchedDocs(vec![d]).counts(&[10])[&10], 1);
    }
}
