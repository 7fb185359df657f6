//! Running a search: one pass ranks and marks every matching passage, then
//! the page is collapsed to `per_doc` passages per document, counted,
//! read and highlighted.

use super::collapse::{self, DocKeys};
use super::compile::Engine;
use super::highlight;
use super::matched::{MatchSet, Matches};
use super::plan::QueryPlan;
use super::request::SearchRequest;
use super::results::{Hit, SearchResults};
use super::searcher::IndexSearcher;
use super::top::TopHits;
use crate::error::Result;
use crate::facets::FacetCounts;
use rustc_hash::FxHashMap;
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::DocAddress;

/// A hit of the page before it is read: score, address, document key.
type PageHit = (f32, DocAddress, u64);

/// The segments a search runs on and the statistics that score it.
pub(super) type Scoring<'a> = (&'a tantivy::Searcher, &'a dyn Bm25StatisticsProvider);

impl IndexSearcher {
    /// Runs a search.
    pub(crate) fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        // no caller can make a search allocate for a huge page
        req.check()?;
        let searcher = self.reader.searcher();
        let plan = self.plan(req, &searcher)?;
        self.execute(req, &plan, &searcher, &searcher)
    }

    /// Runs a planned search on `searcher`, scored with the statistics of
    /// `stats` (this index's own, or a sharded index's whole).
    pub(crate) fn execute(
        &self,
        req: &SearchRequest,
        plan: &QueryPlan,
        searcher: &tantivy::Searcher,
        stats: &dyn Bm25StatisticsProvider,
    ) -> Result<SearchResults> {
        let query = self.compile_in(plan, searcher, Engine::Bulk)?;
        let want = req.offset.saturating_add(req.limit);
        // fetch more than a page when collapsing, and more again while
        // collapsing leaves the page short
        let fetch = if req.per_doc == 0 {
            want
        } else {
            want.saturating_mul(2).saturating_add(16)
        }
        .max(1);
        // one pass ranks and marks every matching passage; the total, the
        // facet counts and "more in this document" are counted from the
        // marks afterwards
        let groups = (req.facet_limit > 0)
            .then(|| self.facet_groups())
            .transpose()?;
        let runs = |seg: &tantivy::SegmentReader| self.segment_runs(seg);
        let marks = MatchSet {
            runs: &runs,
            groups,
        };
        let (top, mut matched) = searcher.search_with_statistics_provider(
            &query,
            &(self.top_hits(fetch), marks),
            stats,
        )?;
        let total_hits = matched.total();
        let facets = match (groups, matched.take_groups()) {
            (Some(g), Some(per_group)) => g.counts(per_group, req.facet_limit),
            _ => FacetCounts::default(),
        };
        let page = self.page(req, &query, (searcher, stats), top, fetch, total_hits)?;
        let in_doc = more_in_doc(req, &page, &matched);
        let hits = page
            .into_iter()
            .map(|hit| self.hit(req, plan, (searcher, stats), hit, &in_doc))
            .collect::<Result<Vec<_>>>()?;
        Ok(SearchResults {
            query: req.query.clone(),
            total_hits,
            hits,
            facets,
            shards: None,
        })
    }

    /// The `n` best passages; ties in score ordered by path and passage,
    /// whatever the build.
    fn top_hits(&self, n: usize) -> TopHits<'_> {
        TopHits {
            n,
            doc: self.fields.doc,
            cache: &self.path_ords,
        }
    }

    /// The requested page of hits, at most `per_doc` per document: the
    /// first `fetch` ranked passages collapsed, fetching more while
    /// collapsing leaves the page short.
    fn page(
        &self,
        req: &SearchRequest,
        query: &dyn Query,
        (searcher, stats): Scoring<'_>,
        mut top: Vec<(f32, DocAddress)>,
        mut fetch: usize,
        total_hits: usize,
    ) -> Result<Vec<PageHit>> {
        let want = req.offset.saturating_add(req.limit);
        let mut keys = DocKeys::default();
        let mut kept;
        loop {
            kept = collapse::collapse(&top, req.per_doc, want, &mut keys, searcher);
            if kept.len() >= want || top.len() < fetch || fetch >= total_hits {
                break;
            }
            fetch = fetch.saturating_mul(4).min(total_hits);
            top = searcher.search_with_statistics_provider(query, &self.top_hits(fetch), stats)?;
        }
        Ok(kept.into_iter().skip(req.offset).take(req.limit).collect())
    }

    /// One hit of the page, read, highlighted and (when asked) explained.
    fn hit(
        &self,
        req: &SearchRequest,
        plan: &QueryPlan,
        (searcher, stats): Scoring<'_>,
        (score, addr, key): PageHit,
        in_doc: &FxHashMap<u64, u64>,
    ) -> Result<Hit> {
        let p = self.stored_passage(searcher, addr)?;
        let spans = p.spans(&plan.terms);
        let facet = self.facet_names(searcher, addr)?;
        let matched_in_doc = in_doc.get(&key).copied().unwrap_or(0);
        Ok(Hit {
            doc: p.doc,
            title: p.title,
            passage: p.passage,
            lang: p.lang,
            score,
            highlight: highlight::to_html(&p.text, &spans),
            city: facet.city,
            country: facet.country,
            year: facet.year,
            more_in_doc: matched_in_doc.saturating_sub(req.per_doc as u64),
            explain: req
                .explain
                .then(|| self.explain(plan, (searcher, stats), addr)),
            text: p.text,
            spans,
        })
    }
}

/// Matching passages of each document on the page (when collapsing).
fn more_in_doc(req: &SearchRequest, page: &[PageHit], matched: &Matches) -> FxHashMap<u64, u64> {
    if req.per_doc > 0 && !page.is_empty() {
        let keys: Vec<u64> = page.iter().map(|(_, _, key)| *key).collect();
        matched.doc_counts(&keys)
    } else {
        FxHashMap::default()
    }
}
