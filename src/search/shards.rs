//! A sharded index answered as one: a coordinator over its shards.
//!
//! A search takes two rounds. Round 1 asks every shard the questions the
//! plan needs ([`super::stats`]: passage counts of the candidate terms,
//! the terms a prefix or a misspelt word stands for, token totals); the
//! sums make one plan and one set of statistics, those of the one index
//! the shards together are. Round 2 has every shard run that same plan,
//! scored with those statistics, for its best `offset + limit` hits with
//! every facet value counted. The coordinator merges the hits by score,
//! then document path, then passage (the order one index gives: a
//! document never spans shards, so collapsing to `per_doc` passages and
//! "more in this document" are each shard's own), adds the totals and
//! sums the facet counts by value before taking the top ones.
//!
//! The languages of the index (a query word is looked up in the stemmed
//! field of each) are those of every shard together, read when the index
//! is opened.

use super::highlight::MatchTerms;
use super::plan::{Parsed, QueryPlan};
use super::request::SearchRequest;
use super::results::SearchResults;
use super::searcher::IndexSearcher;
use super::stats::{Answers, Gathered, Questions, Recorder, ScoringStats};
use crate::error::{Error, Result};
use crate::facets::FacetCounts;
use crate::lang::Language;
use crate::schema::Fields;
use rayon::prelude::*;
use std::path::Path;
use tantivy::query::Bm25StatisticsProvider;

use super::document::Document;

/// What a coordinator asks of one shard.
pub(crate) trait Shard: Send + Sync {
    /// The languages with passages in the shard.
    fn languages(&self) -> Vec<Language>;
    /// Round 1: answers to the plan's questions.
    fn answer(&self, q: &Questions) -> Result<Answers>;
    /// Round 2: runs a plan scored with the whole index's statistics.
    fn execute(
        &self,
        req: &SearchRequest,
        plan: &QueryPlan,
        stats: &ScoringStats,
    ) -> Result<SearchResults>;
    /// A whole document, with the words of `terms` marked.
    fn document(&self, doc: &str, terms: Option<&MatchTerms>) -> Result<Option<Document>>;
    /// Passages in the shard.
    fn num_passages(&self) -> u64;
    /// Reads now what searches read on first use.
    fn prepare(&self) -> Result<()>;
}

impl Shard for IndexSearcher {
    fn languages(&self) -> Vec<Language> {
        self.index_languages.clone()
    }

    fn answer(&self, q: &Questions) -> Result<Answers> {
        IndexSearcher::answer(self, q)
    }

    fn execute(
        &self,
        req: &SearchRequest,
        plan: &QueryPlan,
        stats: &ScoringStats,
    ) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        IndexSearcher::execute(
            self,
            req,
            plan,
            &searcher,
            stats as &dyn Bm25StatisticsProvider,
        )
    }

    fn document(&self, doc: &str, terms: Option<&MatchTerms>) -> Result<Option<Document>> {
        self.document_marked(doc, terms)
    }

    fn num_passages(&self) -> u64 {
        IndexSearcher::num_passages(self)
    }

    fn prepare(&self) -> Result<()> {
        IndexSearcher::prepare(self)
    }
}

/// A sharded index: its shards, in order, and what planning reads of them
/// all.
pub(crate) struct Coordinator {
    shards: Vec<Box<dyn Shard>>,
    fields: Fields,
    /// Languages with passages in any shard, in the order one index lists
    /// them (by code).
    languages: Vec<Language>,
}

impl Coordinator {
    /// Opens the shards of a sharded generation, on this machine.
    pub(crate) fn open_local(generation: &Path, shards: u32) -> Result<Coordinator> {
        let opened = (0..shards)
            .map(|i| {
                let dir = crate::stored::shard_dir(generation, i);
                IndexSearcher::open_generation(&dir)
                    .map(|s| Box::new(s) as Box<dyn Shard>)
                    .map_err(|e| shard_error(&dir, e))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Coordinator::new(opened, Fields::build()))
    }

    /// A coordinator over shards built with `fields`.
    pub(crate) fn new(shards: Vec<Box<dyn Shard>>, fields: Fields) -> Coordinator {
        let mut languages: Vec<Language> = shards.iter().flat_map(|s| s.languages()).collect();
        languages.sort_by_key(|l| l.code());
        languages.dedup();
        Coordinator {
            shards,
            fields,
            languages,
        }
    }

    /// The shard that holds document `doc` (a corpus-relative path).
    fn shard_of(&self, doc: &str) -> &dyn Shard {
        let n = self.shards.len() as u32;
        &*self.shards[crate::stored::shard_of(doc, n) as usize]
    }

    /// Round 1: plans a request with the statistics of every shard.
    pub(crate) fn plan(&self, req: &SearchRequest) -> Result<(QueryPlan, Gathered)> {
        let parsed = Parsed::new(req)?;
        let recorder = Recorder::default();
        parsed.plan(&self.fields, &self.languages, &recorder, true)?;
        let filters = super::filter::filter_queries(&self.fields, &parsed.filters, &parsed.langs);
        let mut filter_terms = Vec::new();
        for q in &filters {
            q.query_terms(&mut |t, _| filter_terms.push(t.clone()));
        }
        let questions = recorder.into_questions(filter_terms);
        let answers = self
            .shards
            .par_iter()
            .map(|s| s.answer(&questions))
            .collect::<Result<Vec<_>>>()?;
        let gathered = Gathered::sum(&questions, &answers);
        let plan = parsed.plan(&self.fields, &self.languages, &gathered, false)?;
        Ok((plan, gathered))
    }

    /// Runs a search over every shard (see the module documentation).
    pub(crate) fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        req.check()?;
        let (plan, stats) = self.plan(req)?;
        // every shard's best offset + limit, and every facet value's count
        let mut each = req.clone();
        each.limit = req.offset.saturating_add(req.limit);
        each.offset = 0;
        if req.facet_limit > 0 {
            each.facet_limit = usize::MAX;
        }
        let parts = self
            .shards
            .par_iter()
            .map(|s| s.execute(&each, &plan, &stats.scoring))
            .collect::<Result<Vec<_>>>()?;
        Ok(merge(req, parts))
    }

    /// A whole document, with the words of `query` marked.
    pub(crate) fn document(&self, doc: &str, query: Option<&str>) -> Result<Option<Document>> {
        let terms = match query.filter(|q| !q.trim().is_empty()) {
            Some(q) => Some(self.plan(&SearchRequest::new(q))?.0.terms),
            None => None,
        };
        self.shard_of(doc).document(doc, terms.as_ref())
    }

    /// Passages in every shard.
    pub(crate) fn num_passages(&self) -> u64 {
        self.shards.iter().map(|s| s.num_passages()).sum()
    }

    /// Prepares every shard.
    pub(crate) fn prepare(&self) -> Result<()> {
        self.shards.par_iter().try_for_each(|s| s.prepare())
    }
}

/// A shard that cannot be opened: the error names its folder.
fn shard_error(dir: &Path, e: Error) -> Error {
    match e {
        Error::User(_) | Error::Damaged(_) => e,
        other => Error::Damaged(format!(
            "{}: a shard of the index cannot be opened ({other}); rebuild the index with `repsearch index`",
            dir.display()
        )),
    }
}

/// The shards' answers as one: hits by score, then path, then passage;
/// totals added; facet counts summed by value.
fn merge(req: &SearchRequest, parts: Vec<SearchResults>) -> SearchResults {
    let total_hits = parts.iter().map(|p| p.total_hits).sum();
    let mut facets = Vec::with_capacity(parts.len());
    let mut hits = Vec::new();
    for p in parts {
        facets.push(p.facets);
        hits.extend(p.hits);
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.doc.cmp(&b.doc))
            .then_with(|| a.passage.cmp(&b.passage))
    });
    let hits = hits.into_iter().skip(req.offset).take(req.limit).collect();
    SearchResults {
        query: req.query.clone(),
        total_hits,
        hits,
        facets: FacetCounts::sum(facets, req.facet_limit),
    }
}
