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
use super::results::{SearchResults, ShardStatus};
use super::searcher::IndexSearcher;
use super::stats::{Answers, Gathered, Questions, Recorder, ScoringStats};
use crate::error::{Error, Result};
use crate::facets::FacetCounts;
use crate::lang::Language;
use crate::schema::Fields;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tantivy::query::Bm25StatisticsProvider;

use super::document::Document;

/// What a coordinator asks of one shard.
pub(crate) trait Shard: Send + Sync {
    /// Round 1: answers to the plan's questions.
    fn answer(&self, q: &Questions) -> Result<Answers>;
    /// Round 2: runs a plan scored with the whole index's statistics, on
    /// `generation` (the one its answers came from).
    fn execute(&self, generation: &str, run: &Execute) -> Result<SearchResults>;
    /// A whole document, with the words of `terms` marked.
    fn document(&self, doc: &str, terms: Option<&MatchTerms>) -> Result<Option<Document>>;
    /// Passages in the shard.
    fn num_passages(&self) -> Result<u64>;
    /// Reads now what searches read on first use.
    fn prepare(&self) -> Result<()>;
}

/// Round 2's request: the plan, the statistics that score it, and the
/// request (its page widened to `offset + limit` from 0, every facet value
/// counted).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Execute {
    /// The request, as each shard runs it.
    pub(crate) req: SearchRequest,
    /// The plan.
    pub(crate) plan: QueryPlan,
    /// The whole index's statistics.
    pub(crate) stats: ScoringStats,
}

impl Shard for IndexSearcher {
    fn answer(&self, q: &Questions) -> Result<Answers> {
        IndexSearcher::answer(self, q)
    }

    fn execute(&self, _generation: &str, run: &Execute) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let stats: &dyn Bm25StatisticsProvider = &run.stats;
        IndexSearcher::execute(self, &run.req, &run.plan, &searcher, stats)
    }

    fn document(&self, doc: &str, terms: Option<&MatchTerms>) -> Result<Option<Document>> {
        self.document_marked(doc, terms)
    }

    fn num_passages(&self) -> Result<u64> {
        Ok(IndexSearcher::num_passages(self))
    }

    fn prepare(&self) -> Result<()> {
        IndexSearcher::prepare(self)
    }
}

/// How a coordinator treats a shard that fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnFailure {
    /// The search fails (shards on this machine: a failure is an error).
    Fail,
    /// The answer leaves the shard out and says so ([`ShardStatus`]).
    LeaveOut,
}

/// Rounds retried when the shards answer from different generations (a
/// rebuild was published between two of them).
const GENERATION_ATTEMPTS: usize = 20;

/// A sharded index: its shards, in order.
pub(crate) struct Coordinator {
    shards: Vec<Box<dyn Shard>>,
    fields: Fields,
    on_failure: OnFailure,
}

/// Round 1's outcome: the plan and statistics, the shards that answered
/// and the generation they answered from.
struct Planned {
    plan: QueryPlan,
    gathered: Gathered,
    answered: Vec<usize>,
    generation: String,
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
        Ok(Coordinator::new(opened, OnFailure::Fail))
    }

    /// A coordinator over shards built with this version's fields.
    pub(crate) fn new(shards: Vec<Box<dyn Shard>>, on_failure: OnFailure) -> Coordinator {
        Coordinator {
            shards,
            fields: Fields::build(),
            on_failure,
        }
    }

    /// The shard that holds document `doc` (a corpus-relative path).
    fn shard_of(&self, doc: &str) -> &dyn Shard {
        let n = self.shards.len() as u32;
        &*self.shards[crate::stored::shard_of(doc, n) as usize]
    }

    /// Runs `f` on every shard of `which` at once; a failure is an error,
    /// or (with [`OnFailure::LeaveOut`]) `None`.
    fn each<T: Send>(
        &self,
        which: &[usize],
        f: impl Fn(&dyn Shard) -> Result<T> + Sync,
    ) -> Result<Vec<Option<T>>> {
        // a thread per shard: a remote shard's call mostly waits
        let f = &f;
        let results: Vec<Result<T>> = std::thread::scope(|scope| {
            let calls: Vec<_> = which
                .iter()
                .map(|&i| scope.spawn(move || f(&*self.shards[i])))
                .collect();
            calls
                .into_iter()
                .map(|c| {
                    c.join()
                        .unwrap_or_else(|_| Err(Error::Internal("a shard call panicked".into())))
                })
                .collect()
        });
        which
            .iter()
            .zip(results)
            .map(|(i, r)| match (r, self.on_failure) {
                (Ok(v), _) => Ok(Some(v)),
                (Err(e), _) if e.is_stale_generation() => Err(e),
                (Err(e), OnFailure::Fail) => Err(e),
                (Err(e), OnFailure::LeaveOut) => {
                    crate::log_line!("repsearch: shard {i} left out: {e}");
                    Ok(None)
                }
            })
            .collect()
    }

    /// Round 1: plans a request with the statistics of every shard that
    /// answers (all from one generation; see the module documentation).
    fn plan_round(&self, req: &SearchRequest) -> Result<Planned> {
        let parsed = Parsed::new(req)?;
        // the questions of every language: which ones the index has comes
        // with the answers
        let recorder = Recorder::default();
        parsed.plan(&self.fields, Language::ALL, &recorder, true)?;
        let filters = super::filter::filter_queries(&self.fields, &parsed.filters, &parsed.langs);
        let mut filter_terms = Vec::new();
        for q in &filters {
            q.query_terms(&mut |t, _| filter_terms.push(t.clone()));
        }
        let questions = recorder.into_questions(filter_terms);
        let all: Vec<usize> = (0..self.shards.len()).collect();
        for _ in 0..GENERATION_ATTEMPTS {
            let answers = self.each(&all, |s| s.answer(&questions))?;
            let answered: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| answers[i].is_some())
                .collect();
            let answers: Vec<Answers> = answers.into_iter().flatten().collect();
            let Some(first) = answers.first() else {
                return Err(no_shard());
            };
            let generation = first.generation.clone();
            if answers.iter().any(|a| a.generation != generation) {
                // a new generation is being loaded: ask again
                std::thread::sleep(std::time::Duration::from_millis(25));
                continue;
            }
            let mut languages: Vec<Language> = answers
                .iter()
                .flat_map(|a| a.languages.iter().copied())
                .collect();
            languages.sort_by_key(|l| l.code());
            languages.dedup();
            let gathered = Gathered::sum(&questions, &answers);
            let plan = parsed.plan(&self.fields, &languages, &gathered, false)?;
            return Ok(Planned {
                plan,
                gathered,
                answered,
                generation,
            });
        }
        Err(Error::Internal(
            "the shards kept answering from different generations".into(),
        ))
    }

    /// Plans a request with the statistics of every shard.
    pub(crate) fn plan(&self, req: &SearchRequest) -> Result<QueryPlan> {
        Ok(self.plan_round(req)?.plan)
    }

    /// Runs a search over every shard (see the module documentation).
    pub(crate) fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        req.check()?;
        let mut last = None;
        for _ in 0..GENERATION_ATTEMPTS {
            let p = self.plan_round(req)?;
            // every shard's best offset + limit, and every facet value's count
            let mut each = req.clone();
            each.limit = req.offset.saturating_add(req.limit);
            each.offset = 0;
            if req.facet_limit > 0 {
                each.facet_limit = usize::MAX;
            }
            let run = Execute {
                req: each,
                plan: p.plan,
                stats: p.gathered.scoring,
            };
            let parts = self.each(&p.answered, |s| s.execute(&p.generation, &run));
            match parts {
                Err(e) if e.is_stale_generation() => last = Some(e),
                Err(e) => return Err(e),
                Ok(parts) => {
                    let failed = self.shards.len() - parts.iter().flatten().count();
                    let mut r = merge(req, parts.into_iter().flatten().collect());
                    if self.on_failure == OnFailure::LeaveOut {
                        r.shards = Some(ShardStatus {
                            total: self.shards.len(),
                            failed,
                        });
                    }
                    return Ok(r);
                }
            }
        }
        Err(last.unwrap_or_else(no_shard))
    }

    /// A whole document, with the words of `query` marked.
    pub(crate) fn document(&self, doc: &str, query: Option<&str>) -> Result<Option<Document>> {
        let terms = match query.filter(|q| !q.trim().is_empty()) {
            Some(q) => Some(self.plan(&SearchRequest::new(q))?.terms),
            None => None,
        };
        self.shard_of(doc).document(doc, terms.as_ref())
    }

    /// Passages in every shard that answers.
    pub(crate) fn num_passages(&self) -> u64 {
        let all: Vec<usize> = (0..self.shards.len()).collect();
        self.each(&all, |s| s.num_passages())
            .map(|v| v.into_iter().flatten().sum())
            .unwrap_or(0)
    }

    /// Prepares every shard.
    pub(crate) fn prepare(&self) -> Result<()> {
        let all: Vec<usize> = (0..self.shards.len()).collect();
        self.each(&all, |s| s.prepare()).map(|_| ())
    }
}

fn no_shard() -> Error {
    Error::Internal("no shard of the index answered".into())
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
        shards: None,
    }
}
