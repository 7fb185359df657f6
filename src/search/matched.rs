//! Every matching passage of a search, marked in one pass: one bit per
//! passage of each segment, and (when facets are counted) the passages of
//! each facet group. The total and "more in this document" are counted from
//! the bits afterwards.
//!
//! A document's matching passages are counted over its runs, the ranges of
//! consecutive passages of one document in a segment (a document's passages
//! are written together, so it has one run or a few): a population count
//! of each run's bits, for the few documents of a page. Marking a match is
//! then one bit in a set that fills in passage order, where looking up
//! each match's document in a table of a word per passage cost a cache
//! miss per match on the 1M-passage benchmark index.

use crate::facets::FacetGroups;
use crate::schema::names;
use crate::scratch::Pool;
use rustc_hash::FxHashMap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// A segment's documents and their runs of consecutive passages.
#[derive(Debug, Default)]
pub(crate) struct SegmentRuns {
    /// Document key → document number.
    number: FxHashMap<u64, u32>,
    /// Document `d`'s runs are `runs[first[d] as usize..first[d + 1] as usize]`,
    /// each a range of passages `(start, end)`.
    first: Vec<u32>,
    runs: Vec<(u32, u32)>,
}

impl SegmentRuns {
    /// Builds the runs from each passage's document key.
    pub(crate) fn build(keys: &[u64]) -> SegmentRuns {
        let mut r = SegmentRuns::default();
        // (document, start, end) in passage order
        let mut spans: Vec<(u32, u32, u32)> = Vec::new();
        for (p, &key) in keys.iter().enumerate() {
            let next = r.number.len() as u32;
            let doc = *r.number.entry(key).or_insert(next);
            let p = p as u32;
            match spans.last_mut() {
                Some((d, _, end)) if *d == doc => *end = p + 1,
                _ => spans.push((doc, p, p + 1)),
            }
        }
        spans.sort_by_key(|&(d, s, _)| (d, s));
        let docs = r.number.len();
        r.first = Vec::with_capacity(docs + 1);
        for (i, &(d, s, e)) in spans.iter().enumerate() {
            while r.first.len() <= d as usize {
                r.first.push(i as u32);
            }
            r.runs.push((s, e));
        }
        while r.first.len() <= docs {
            r.first.push(r.runs.len() as u32);
        }
        r
    }

    /// The runs of a segment, from its `doc_key` column.
    pub(crate) fn read(reader: &SegmentReader) -> SegmentRuns {
        let col = reader.fast_fields().u64(names::DOC_KEY).ok();
        let keys: Vec<u64> = (0..reader.max_doc())
            .map(|doc| col.as_ref().and_then(|c| c.first(doc)).unwrap_or_default())
            .collect();
        SegmentRuns::build(&keys)
    }
}

/// How many bits of `bits` are set among positions `start..end`.
fn count_range(bits: &[u64], start: u32, end: u32) -> u32 {
    let (start, end) = (start as usize, end as usize);
    if start >= end {
        return 0;
    }
    let below = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    let (first, last) = (start / 64, (end - 1) / 64);
    let word = |i: usize| bits.get(i).copied().unwrap_or(0);
    if first == last {
        return (word(first) & below(end - first * 64) & !below(start % 64)).count_ones();
    }
    let mut n = (word(first) & !below(start % 64)).count_ones();
    n += (first + 1..last).map(|i| word(i).count_ones()).sum::<u32>();
    n + (word(last) & below(end - last * 64)).count_ones()
}

/// Marks every matching passage; see the module documentation.
pub(crate) struct MatchSet<'a> {
    /// The documents and runs of a segment (kept per segment by the searcher).
    pub runs: &'a (dyn Fn(&SegmentReader) -> Arc<SegmentRuns> + Sync),
    /// When facets are counted: the index's facet groups.
    pub groups: Option<&'a FacetGroups>,
}

/// Per-segment part of [`MatchSet`].
pub(crate) struct SegmentMatches {
    bits: Vec<u64>,
    runs: Arc<SegmentRuns>,
    /// Each passage's group, and the passages counted per group.
    groups: Option<(Arc<Vec<u32>>, Vec<u32>)>,
}

/// Bit sets a thread keeps for reuse (a search takes one per segment).
const POOLED_BIT_SETS: usize = 4;
/// Largest bit set kept: a segment of 2^27 passages.
const BIT_SET_BYTES: usize = 1 << 24;

thread_local! {
    /// Cleared bit sets, given back by [`Matches`] when dropped.
    static BIT_SETS: Pool<Vec<u64>> = const { Pool::new(POOLED_BIT_SETS, BIT_SET_BYTES) };
}

impl Collector for MatchSet<'_> {
    type Fruit = Matches;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        let mut bits = BIT_SETS.with(Pool::take);
        bits.resize((reader.max_doc() as usize).div_ceil(64), 0);
        let groups = self
            .groups
            .map(|g| (g.segment_groups(reader), g.count_array()));
        Ok(SegmentMatches {
            bits,
            runs: (self.runs)(reader),
            groups,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentMatches>) -> tantivy::Result<Matches> {
        Ok(Matches(fruits))
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = SegmentMatches;

    #[inline]
    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(w) = self.bits.get_mut(doc as usize / 64) {
            *w |= 1 << (doc % 64);
        }
        if let Some((of, counts)) = &mut self.groups {
            // one increment per passage, no branch: a passage without a
            // group, or past the table, counts in the last slot
            let last = counts.len() - 1;
            let g = of
                .get(doc as usize)
                .map_or(last, |&g| (g as usize).min(last));
            counts[g] += 1;
        }
    }

    fn harvest(self) -> SegmentMatches {
        self
    }
}

/// The matching passages of a search, per segment.
#[derive(Default)]
pub(crate) struct Matches(Vec<SegmentMatches>);

impl Matches {
    /// How many passages matched.
    pub(crate) fn total(&self) -> usize {
        self.0
            .iter()
            .flat_map(|s| &s.bits)
            .map(|w| w.count_ones() as usize)
            .sum()
    }

    /// The matching passages of each facet group (one slot per group and a
    /// last one for passages without a group), for [`FacetGroups::counts`];
    /// `None` when the search counted no facets.
    pub(crate) fn take_groups(&mut self) -> Option<Vec<u32>> {
        let mut all = self.0.iter_mut().filter_map(|s| s.groups.take());
        let (_, mut sum) = all.next()?;
        for (_, counts) in all {
            for (a, b) in sum.iter_mut().zip(counts) {
                *a += b;
            }
        }
        Some(sum)
    }

    /// Matching passages of each of the documents `keys`.
    pub(crate) fn doc_counts(&self, keys: &[u64]) -> FxHashMap<u64, u64> {
        let mut out: FxHashMap<u64, u64> = keys.iter().map(|k| (*k, 0)).collect();
        for s in &self.0 {
            let r = &s.runs;
            for (key, n) in out.iter_mut() {
                let Some(&d) = r.number.get(key) else {
                    continue;
                };
                let runs = &r.runs[r.first[d as usize] as usize..r.first[d as usize + 1] as usize];
                *n += runs
                    .iter()
                    .map(|&(a, b)| u64::from(count_range(&s.bits, a, b)))
                    .sum::<u64>();
            }
        }
        out
    }
}

impl Drop for Matches {
    fn drop(&mut self) {
        // the bit sets go back to the thread's pool (not while the thread
        // is being torn down)
        for s in self.0.drain(..) {
            let _ = BIT_SETS.try_with(|p| p.give(s.bits));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(keys: &[u64], groups: Option<Vec<u32>>, hits: &[u32]) -> SegmentMatches {
        // a table of two groups: the count arrays have a third slot
        let mut s = SegmentMatches {
            bits: vec![0u64; keys.len().div_ceil(64)],
            runs: Arc::new(SegmentRuns::build(keys)),
            groups: groups.map(|g| (Arc::new(g), vec![0; 3])),
        };
        for &h in hits {
            s.collect(h, 0.0);
        }
        s.harvest()
    }

    #[test]
    fn matches_count_groups_documents_and_the_total_across_words_and_segments() {
        // segment 1: 150 passages; document 10 (group 0) for 0..100, then
        // document 20 (group 1) for 100..120, document 10 again (its
        // passages split by another document's) for 120..130 without a
        // group, then document 30 with a group past the table (none)
        let mut keys = vec![10u64; 100];
        keys.extend([20; 20]);
        keys.extend([10; 10]);
        keys.extend([30; 20]);
        let mut groups = vec![0u32; 100];
        groups.extend([1; 20]);
        groups.extend([u32::MAX; 10]);
        groups.extend([99; 20]);
        let runs = SegmentRuns::build(&keys);
        assert_eq!(runs.runs, [(0, 100), (120, 130), (100, 120), (130, 150)]);
        assert_eq!(runs.first, [0, 2, 3, 4]);
        let a = segment(&keys, Some(groups), &[0, 63, 64, 99, 100, 119, 125, 140]);
        // segment 2: document 10 again, and 40, in group 1
        let b = segment(&[10, 10, 40], Some(vec![1, 1, 1]), &[0, 2]);
        let mut m = Matches(vec![a, b]);
        assert_eq!(m.total(), 10);
        assert_eq!(m.take_groups(), Some(vec![4, 4, 2]));
        let c = m.doc_counts(&[10, 20, 40, 50]);
        assert_eq!((c[&10], c[&20], c[&40], c[&50]), (6, 2, 1, 0));
        assert!(!c.contains_key(&30));
        // without facets: no group counts, the rest the same
        let mut m = Matches(vec![segment(&keys, None, &[0, 1, 130])]);
        assert_eq!((m.total(), m.take_groups()), (3, None));
        assert_eq!(m.doc_counts(&[10, 30]).values().sum::<u64>(), 3);
    }

    #[test]
    fn ranges_count_the_bits_between_their_ends() {
        let bits = [u64::MAX, 0b1011, 1 << 63];
        assert_eq!(count_range(&bits, 0, 64), 64);
        assert_eq!(count_range(&bits, 5, 5), 0);
        assert_eq!(count_range(&bits, 60, 66), 6);
        assert_eq!(count_range(&bits, 64, 68), 3);
        assert_eq!(count_range(&bits, 0, 192), 68);
        assert_eq!(count_range(&bits, 191, 500), 1);
    }
}
