//! From a [`QueryPlan`] to the query that runs: each word a
//! [`WordQuery`] and the optional clauses an [`OrQuery`] of the bulk
//! engine ([`Engine::Bulk`]), or the same plan as tantivy's own queries
//! ([`Engine::Tantivy`], which score every passage the same, bit for bit:
//! `tests/bulk.rs`), so the bulk engine can be switched off at run time,
//! e.g. to try a new tantivy version without it. Filters wrap the text
//! query ([`super::filter`]).

use super::bulk::{OrQuery, WordQuery};
use super::filter::{filter_queries, FilteredQuery, PassageFilter, SegmentTables};
use super::plan::{ClauseLeaves, ClausePlan, PhraseLeaf, QueryPlan, TextPlan};
use super::query::Occur;
use super::searcher::IndexSearcher;
use super::TIE_BREAKER;
use crate::error::Result;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, PhraseQuery, Query,
};
use tantivy::Term;

/// Which queries a plan runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// The term-at-a-time engine of [`super::bulk`] for words and their
    /// disjunctions (tantivy's queries for the rest).
    #[default]
    Bulk,
    /// Only tantivy's own queries.
    Tantivy,
}

impl IndexSearcher {
    /// The query that runs a plan on this index.
    pub(crate) fn compile(&self, plan: &QueryPlan, engine: Engine) -> Result<Box<dyn Query>> {
        self.compile_in(plan, &self.reader.searcher(), engine)
    }

    /// The query that runs a plan on the segments of `searcher`.
    pub(super) fn compile_in(
        &self,
        plan: &QueryPlan,
        searcher: &tantivy::Searcher,
        engine: Engine,
    ) -> Result<Box<dyn Query>> {
        let clauses = match &plan.text {
            TextPlan::Clauses(clauses) => clauses,
            TextPlan::All => return Ok(self.with_filter_queries(Box::new(AllQuery), plan)),
            TextPlan::Nothing => return Ok(self.with_filter_queries(Box::new(EmptyQuery), plan)),
        };
        let text = clauses_query(clauses, engine);
        if plan.langs.is_empty() && plan.filters.is_empty() {
            return Ok(text);
        }
        // words select the passages; the filters test each of them
        let groups = self.facet_groups()?;
        let filter = PassageFilter::new(&plan.langs, &plan.filters, groups);
        let tables = searcher
            .segment_readers()
            .iter()
            .map(|seg| {
                let t = SegmentTables {
                    langs: self.passage_langs.segment(seg, self.fields.lang),
                    groups: groups.segment_groups(seg),
                };
                (seg.segment_id(), t)
            })
            .collect();
        Ok(Box::new(FilteredQuery::new(text, filter, tables)))
    }

    /// A query without words: the filters' own term queries select the
    /// passages (cheaper when nothing else does).
    fn with_filter_queries(&self, text: Box<dyn Query>, plan: &QueryPlan) -> Box<dyn Query> {
        let filters = filter_queries(&self.fields, &plan.filters, &plan.langs);
        if filters.is_empty() {
            return text;
        }
        let mut all = vec![(tantivy::query::Occur::Must, text)];
        for f in filters {
            all.push((tantivy::query::Occur::Must, f));
        }
        Box::new(BooleanQuery::new(all))
    }
}

fn occur(o: Occur) -> tantivy::query::Occur {
    match o {
        Occur::Should => tantivy::query::Occur::Should,
        Occur::Must => tantivy::query::Occur::Must,
        Occur::MustNot => tantivy::query::Occur::MustNot,
    }
}

/// The clauses as one query.
fn clauses_query(clauses: &[ClausePlan], engine: Engine) -> Box<dyn Query> {
    let mut subs: Vec<(tantivy::query::Occur, Box<dyn Query>)> = clauses
        .iter()
        .map(|c| (occur(c.occur), clause_query(&c.leaves, engine)))
        .collect();
    match subs.pop() {
        // one clause that selects passages scores as itself: no
        // boolean query around it (it would score the same, with a
        // call per passage through its scorer)
        Some((o, q)) if subs.is_empty() && o != tantivy::query::Occur::MustNot => q,
        Some(last) => {
            subs.push(last);
            if engine == Engine::Tantivy {
                return Box::new(BooleanQuery::new(subs));
            }
            match OrQuery::new(subs) {
                Ok(q) => Box::new(q),
                Err(subs) => Box::new(BooleanQuery::new(subs)),
            }
        }
        None => Box::new(BooleanQuery::new(subs)),
    }
}

/// One clause's query: the disjunction max of its terms or phrases.
fn clause_query(leaves: &ClauseLeaves, engine: Engine) -> Box<dyn Query> {
    match leaves {
        ClauseLeaves::Terms(terms) if terms.is_empty() => Box::new(EmptyQuery),
        ClauseLeaves::Terms(terms) => {
            let word = WordQuery::new(
                terms.iter().map(|t| (t.term(), t.boost)).collect(),
                TIE_BREAKER,
            );
            match engine {
                Engine::Bulk => Box::new(word),
                Engine::Tantivy => Box::new(word.tantivy_query()),
            }
        }
        ClauseLeaves::Phrases(phrases) if phrases.is_empty() => Box::new(EmptyQuery),
        ClauseLeaves::Phrases(phrases) => Box::new(DisjunctionMaxQuery::with_tie_breaker(
            phrases.iter().map(phrase_query).collect(),
            TIE_BREAKER,
        )),
    }
}

/// A phrase's query in its field, boosted.
pub(super) fn phrase_query(p: &PhraseLeaf) -> Box<dyn Query> {
    let terms: Vec<Term> = p
        .words
        .iter()
        .map(|t| Term::from_field_text(p.field, t))
        .collect();
    let mut q = PhraseQuery::new(terms);
    q.set_slop(p.slop);
    Box::new(BoostQuery::new(Box::new(q), p.boost))
}
