//! Collapsing: at most N passages per document in the hits, and how many
//! more of each document's passages matched.
//!
//! The document of a passage is read from the `doc` fast field (a string
//! column), never from the stored document.

use crate::schema::names;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Reads the document path of passages, one column per segment.
#[derive(Default)]
pub struct DocPaths {
    columns: HashMap<SegmentOrdinal, Option<StrColumn>>,
}

fn path_of(col: &StrColumn, doc: DocId) -> String {
    let mut s = String::new();
    if let Some(ord) = col.term_ords(doc).next() {
        let _ = col.ord_to_str(ord, &mut s);
    }
    s
}

impl DocPaths {
    /// The document path of a passage ("" if the index has no doc column).
    pub fn get(&mut self, searcher: &tantivy::Searcher, addr: DocAddress) -> String {
        let col = self.columns.entry(addr.segment_ord).or_insert_with(|| {
            searcher
                .segment_reader(addr.segment_ord)
                .fast_fields()
                .str(names::DOC)
                .ok()
                .flatten()
        });
        col.as_ref()
            .map(|c| path_of(c, addr.doc_id))
            .unwrap_or_default()
    }
}

/// Keeps at most `per_doc` hits per document (0: no limit), in the order
/// given, until `want` hits are kept. Returns the kept hits with their
/// document paths.
pub fn collapse(
    top: &[(Score, DocAddress)],
    per_doc: usize,
    want: usize,
    paths: &mut DocPaths,
    searcher: &tantivy::Searcher,
) -> Vec<(Score, DocAddress, String)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for &(score, addr) in top {
        if out.len() >= want {
            break;
        }
        let path = paths.get(searcher, addr);
        let n = seen.entry(path.clone()).or_default();
        if per_doc == 0 || *n < per_doc {
            *n += 1;
            out.push((score, addr, path));
        }
    }
    out
}

/// Counts matching passages per document path.
pub struct DocCounts;

/// Per-segment part of [`DocCounts`]: counts per string-column ordinal.
pub struct DocCountsSegment {
    col: Option<StrColumn>,
    counts: HashMap<u64, u64>,
}

impl Collector for DocCounts {
    type Fruit = HashMap<String, u64>;
    type Child = DocCountsSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DocCountsSegment> {
        Ok(DocCountsSegment {
            col: reader.fast_fields().str(names::DOC)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<String, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut all = HashMap::new();
        for f in fruits {
            for (k, v) in f {
                *all.entry(k).or_default() += v;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for DocCountsSegment {
    type Fruit = HashMap<String, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(col) = &self.col {
            if let Some(ord) = col.term_ords(doc).next() {
                *self.counts.entry(ord).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> HashMap<String, u64> {
        let mut out = HashMap::new();
        if let Some(col) = &self.col {
            for (ord, n) in self.counts {
                let mut s = String::new();
                if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                    *out.entry(s).or_default() += n;
                }
            }
        }
        out
    }
}
