//! The top hits of a search in an order that does not depend on how the
//! index was built: score (higher first), then document path, then passage
//! number.
//!
//! Tantivy's top-docs collector breaks ties by document address, which
//! depends on the order in which the indexing threads wrote the passages
//! and on the segment layout: two builds of one corpus (`--threads 1` and
//! `--threads 2`) gave different pages of hits for 5–18 of 30 queries
//! (issue 15). Equal scores are common: BM25 scores depend on a passage's
//! length through 256 length buckets, and a filter-only query scores every
//! passage alike.
//!
//! Each segment keeps its best `n` passages by score, and every passage
//! tied with the `n`-th score, as tantivy's collector does, without reading
//! anything per passage. Only passages with equal scores are ordered by
//! path and passage number: by the ordinal of their document's path in the
//! segment's `doc` term dictionary (sorted by path; [`PathOrds`], read once
//! per segment and kept) and by the passage column. Across segments, equal
//! scores are ordered by the paths themselves.

use crate::schema::names;
use crate::segment_cache::PerSegment;
use std::cmp::Ordering;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Per passage of a segment, the ordinal of its document's path in the
/// segment's `doc` term dictionary: the segment's documents in path order.
#[derive(Debug, Default)]
pub(crate) struct PathOrds {
    ords: Vec<u32>,
}

impl PathOrds {
    /// Reads the `doc` field's terms and postings of a segment.
    pub(crate) fn read(reader: &SegmentReader, doc: Field) -> tantivy::Result<PathOrds> {
        let mut ords = vec![u32::MAX; reader.max_doc() as usize];
        let inverted = reader.inverted_index(doc)?;
        let mut terms = inverted.terms().stream()?;
        let mut ord = 0u32;
        while terms.advance() {
            let mut postings = inverted
                .read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            while !postings.docs().is_empty() {
                for &d in postings.docs() {
                    if let Some(slot) = ords.get_mut(d as usize) {
                        *slot = ord;
                    }
                }
                postings.advance();
            }
            ord += 1;
        }
        Ok(PathOrds { ords })
    }

    /// The path ordinal of a passage (`u32::MAX` for one without a path).
    pub(crate) fn get(&self, doc: DocId) -> u32 {
        self.ords.get(doc as usize).copied().unwrap_or(u32::MAX)
    }
}

/// The path ordinals of every segment of an index, read on first use.
#[derive(Debug, Default)]
pub(crate) struct PathOrdCache(PerSegment<tantivy::Result<PathOrds>>);

impl PathOrdCache {
    /// Reads a segment's path ordinals now (the server, before it answers
    /// from a new generation).
    pub(crate) fn prepare(&self, reader: &SegmentReader, doc: Field) {
        self.0.get(reader, |r| PathOrds::read(r, doc));
    }
}

/// What orders passages of one segment with equal scores.
struct SegmentKeys {
    reader: SegmentReader,
    doc: Field,
    cache: Arc<PathOrdCache>,
    ords: Option<Arc<tantivy::Result<PathOrds>>>,
    passages: Option<Option<Column<u64>>>,
}

impl SegmentKeys {
    fn new(reader: &SegmentReader, doc: Field, cache: Arc<PathOrdCache>) -> SegmentKeys {
        SegmentKeys {
            reader: reader.clone(),
            doc,
            cache,
            ords: None,
            passages: None,
        }
    }

    /// A passage's (path ordinal, passage number).
    fn key(&mut self, doc: DocId) -> (u32, u64) {
        let (reader, field) = (&self.reader, self.doc);
        let ords = self
            .ords
            .get_or_insert_with(|| self.cache.0.get(reader, |r| PathOrds::read(r, field)));
        let ord = match &**ords {
            Ok(o) => o.get(doc),
            Err(_) => u32::MAX,
        };
        let passages = self
            .passages
            .get_or_insert_with(|| reader.fast_fields().u64(names::PASSAGE).ok());
        let passage = passages
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or_default();
        (ord, passage)
    }

    /// The path of a path ordinal.
    fn path(&self, ord: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        if let Ok(inverted) = self.reader.inverted_index(self.doc) {
            let _ = inverted.terms().ord_to_term(u64::from(ord), &mut bytes);
        }
        bytes
    }
}

/// A candidate hit; `key` is set when its score ties with another's.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: Score,
    doc: DocId,
    key: (u32, u64),
}

/// A document path and a passage number.
type PathKey = (Vec<u8>, u64);

fn by_score(a: &Candidate, b: &Candidate) -> Ordering {
    b.score.total_cmp(&a.score)
}

fn by_key(a: &Candidate, b: &Candidate) -> Ordering {
    by_score(a, b).then(a.key.cmp(&b.key))
}

/// Sorts candidates by score, then (for equal scores) by path ordinal and
/// passage, reading keys only for candidates whose score ties with
/// another's.
fn sort_with_ties(c: &mut [Candidate], keys: &mut SegmentKeys) {
    c.sort_unstable_by(by_score);
    let mut i = 0;
    while i < c.len() {
        let mut j = i + 1;
        while j < c.len() && c[j].score == c[i].score {
            j += 1;
        }
        if j - i > 1 {
            for x in &mut c[i..j] {
                x.key = keys.key(x.doc);
            }
            c[i..j].sort_unstable_by(by_key);
        }
        i = j;
    }
}

/// Collects the best `n` passages in the build-independent order; see the
/// module documentation.
pub(crate) struct TopHits<'a> {
    /// Passages wanted.
    pub n: usize,
    /// The `doc` (path) field.
    pub doc: Field,
    /// Path ordinals, kept per segment.
    pub cache: &'a Arc<PathOrdCache>,
}

/// Per-segment part of [`TopHits`].
pub(crate) struct SegmentTop {
    n: usize,
    ord: SegmentOrdinal,
    buf: Vec<Candidate>,
    /// Scores below this cannot be among the best `n`.
    floor: Score,
    keys: SegmentKeys,
}

impl SegmentTop {
    /// Keeps the best `n` by score; of the passages tied with the `n`-th
    /// score, the first by path and passage.
    fn prune(&mut self) {
        let n = self.n;
        if n == 0 {
            self.buf.clear();
            self.floor = Score::INFINITY;
            return;
        }
        if self.buf.len() <= n {
            return;
        }
        self.buf.select_nth_unstable_by(n - 1, by_score);
        let theta = self.buf[n - 1].score;
        self.buf.retain(|c| c.score >= theta);
        self.floor = theta;
        if self.buf.len() > n {
            // the ties at the boundary: only they need keys
            let above = self.buf.iter().filter(|c| c.score > theta).count();
            self.buf.sort_unstable_by(by_score);
            let ties = &mut self.buf[above..];
            for c in ties.iter_mut() {
                c.key = self.keys.key(c.doc);
            }
            ties.select_nth_unstable_by(n - above - 1, by_key);
            self.buf.truncate(n);
        }
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = SegmentFruit;

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        if score < self.floor {
            return;
        }
        self.buf.push(Candidate {
            score,
            doc,
            key: (0, 0),
        });
        if self.buf.len() >= 2 * self.n.max(8) {
            self.prune();
        }
    }

    fn harvest(mut self) -> SegmentFruit {
        let mut top = std::mem::take(&mut self.buf);
        sort_with_ties(&mut top, &mut self.keys);
        top.truncate(self.n);
        SegmentFruit {
            ord: self.ord,
            top,
            keys: self.keys,
        }
    }
}

/// A segment's best passages, in order, and what orders them.
pub(crate) struct SegmentFruit {
    ord: SegmentOrdinal,
    top: Vec<Candidate>,
    keys: SegmentKeys,
}

impl Collector for TopHits<'_> {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            n: self.n,
            ord,
            buf: Vec::new(),
            floor: Score::NEG_INFINITY,
            keys: SegmentKeys::new(reader, self.doc, self.cache.clone()),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, mut fruits: Vec<SegmentFruit>) -> tantivy::Result<Self::Fruit> {
        fruits.sort_by_key(|f| f.ord);
        let mut all: Vec<(usize, Candidate)> = fruits
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.top.iter().map(move |c| (i, *c)))
            .collect();
        // stable: within a segment, the order of its keys
        all.sort_by(|a, b| by_score(&a.1, &b.1));
        let mut i = 0;
        while i < all.len() {
            let mut j = i + 1;
            while j < all.len() && all[j].1.score == all[i].1.score {
                j += 1;
            }
            if all[i..j].iter().any(|(s, _)| *s != all[i].0) {
                // equal scores from several segments: by path, then passage
                let mut keyed: Vec<(PathKey, (usize, Candidate))> = all[i..j]
                    .iter()
                    .map(|&(s, c)| {
                        let keys = &mut fruits[s].keys;
                        let (ord, passage) = keys.key(c.doc);
                        ((keys.path(ord), passage), (s, c))
                    })
                    .collect();
                keyed.sort_by(|a, b| a.0.cmp(&b.0));
                for (slot, (_, x)) in all[i..j].iter_mut().zip(keyed) {
                    *slot = x;
                }
            }
            i = j;
        }
        all.truncate(self.n);
        Ok(all
            .into_iter()
            .map(|(s, c)| (c.score, DocAddress::new(fruits[s].ord, c.doc)))
            .collect())
    }
}
