//! [`Searcher`]: an open index, whether one tantivy index or the shards of
//! one ([`super::shards`]); both answer alike.

use super::compile::Engine;
use super::document::Document;
use super::plan::QueryPlan;
use super::remote::RemoteShard;
use super::request::SearchRequest;
use super::results::SearchResults;
use super::searcher::IndexSearcher;
use super::shards::{Coordinator, OnFailure, Shard};
use crate::error::{Error, Result};
use crate::store::IndexLocation;
use std::path::Path;
use tantivy::query::Query;

/// An open index, ready to answer queries.
pub struct Searcher(Kind);

enum Kind {
    /// One tantivy index (boxed: the coordinator is small).
    One(Box<IndexSearcher>),
    /// The shards of a sharded generation.
    Shards(Coordinator),
}

impl Searcher {
    /// Opens the live index in an index folder (the new live generation,
    /// once, if a rebuild swapped it while this one was being opened).
    pub fn open(index_dir: &Path) -> Result<Searcher> {
        IndexLocation::new(index_dir).open_live(Searcher::open_generation)
    }

    /// Opens one index generation, sharded or not.
    fn open_generation(generation: &Path) -> Result<Searcher> {
        Ok(Searcher(match crate::stored::shard_layout(generation)? {
            None => Kind::One(Box::new(IndexSearcher::open_generation(generation)?)),
            Some(layout) => Kind::Shards(Coordinator::open_local(generation, layout.shards)?),
        }))
    }

    /// A coordinator over the shards of one index served by `repsearch serve
    /// --shard` at these base URLs (`http://host:port`), in shard order;
    /// a shard that does not answer within `timeout` is left out of the
    /// answers, which say so ([`super::ShardStatus`]).
    pub fn remote(urls: &[String], timeout: std::time::Duration) -> Searcher {
        let shards = urls
            .iter()
            .map(|u| Box::new(RemoteShard::new(u, timeout)) as Box<dyn Shard>)
            .collect();
        Searcher(Kind::Shards(Coordinator::new(shards, OnFailure::LeaveOut)))
    }

    /// Opens shard `i` of a sharded generation (what `repsearch serve
    /// --shard` serves).
    pub(crate) fn open_shard(generation: &Path, i: u32) -> Result<Searcher> {
        let Some(layout) = crate::stored::shard_layout(generation)? else {
            return Err(Error::command(format!(
                "{} is not a sharded index: build one with `repsearch index --shards N`, or serve it without --shard",
                generation.display()
            )));
        };
        if i >= layout.shards {
            return Err(Error::command(format!(
                "--shard {i}: the index has shards 0 to {}",
                layout.shards - 1
            )));
        }
        let dir = crate::stored::shard_dir(generation, i);
        Ok(Searcher(Kind::One(Box::new(
            IndexSearcher::open_generation(&dir)?,
        ))))
    }

    /// The one index this searcher reads (`None` for a sharded one).
    pub(crate) fn as_index(&self) -> Option<&IndexSearcher> {
        match &self.0 {
            Kind::One(s) => Some(s),
            Kind::Shards(_) => None,
        }
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        match &self.0 {
            Kind::One(s) => s.search(req),
            Kind::Shards(c) => c.search(req),
        }
    }

    /// Plans a request against this index (see [`super::plan`]).
    pub fn plan_query(&self, req: &SearchRequest) -> Result<QueryPlan> {
        match &self.0 {
            Kind::One(s) => s.plan_query(req),
            Kind::Shards(c) => c.plan(req),
        }
    }

    /// The query that runs a plan on this index (one index only: a sharded
    /// index runs a plan on each shard).
    pub fn compile(&self, plan: &QueryPlan, engine: Engine) -> Result<Box<dyn Query>> {
        match &self.0 {
            Kind::One(s) => s.compile(plan, engine),
            Kind::Shards(_) => Err(Error::Internal(
                "a sharded index compiles a plan on each shard, not as one query".into(),
            )),
        }
    }

    /// The whole document `doc` (its path relative to the corpus), or `None`
    /// when the index has no such document. With a query, the words it
    /// matches are marked in every passage, as in search hits.
    pub(crate) fn document(&self, doc: &str, query: Option<&str>) -> Result<Option<Document>> {
        match &self.0 {
            Kind::One(s) => s.document(doc, query),
            Kind::Shards(c) => c.document(doc, query),
        }
    }

    /// Reads now what searches otherwise read on first use (the server, before
    /// it answers from a new generation).
    pub(crate) fn prepare(&self) -> Result<()> {
        match &self.0 {
            Kind::One(s) => s.prepare(),
            Kind::Shards(c) => c.prepare(),
        }
    }

    /// Passages in the index.
    pub(crate) fn num_passages(&self) -> u64 {
        match &self.0 {
            Kind::One(s) => s.num_passages(),
            Kind::Shards(c) => c.num_passages(),
        }
    }
}
