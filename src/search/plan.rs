//! A query plan: what a search looks for, resolved against the index, as
//! plain data.
//!
//! Planning parses the query ([`super::query`]), resolves its filters
//! (country and city names to gazetteer ids) and turns each clause into
//! the index terms and phrases it stands for, with their weights and how
//! they match (`planner`). That reads the index's statistics
//! only: which terms occur, and what a prefix or a misspelt word expands
//! to in the term dictionaries. Executing turns the plan into a query
//! ([`super::compile`]) and runs it ([`super::execute`]); explaining a hit
//! reads the same plan ([`super::explain`]). Between the two steps is
//! [`QueryPlan`]: a plan made once from statistics gathered over several
//! indexes could run unchanged on each of them.
//!
//! Index statistics enter in two places only: planning (term document
//! frequencies and term dictionary walks, through the `stats` searcher
//! given to [`IndexSearcher::plan_query`]'s planner) and BM25 weights when the
//! compiled query runs (tantivy's `EnableScoring` from the searcher that
//! runs it, which tantivy also accepts as a given statistics provider).

use super::highlight::MatchTerms;
use super::planner::Planner;
use super::query::{self, Clause, FilterValue, Occur, ParsedQuery, QueryError};
use super::request::SearchRequest;
use super::searcher::IndexSearcher;
use super::stats::PlanStats;
use super::MatchKind;
use crate::error::{Error, Result};
use crate::facets::Filters;
use crate::lang::Language;
use crate::schema::Fields;
use serde::{Deserialize, Serialize};
use tantivy::schema::Field;
use tantivy::Term;

/// A planned search: the text part, the filters and the terms to highlight.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueryPlan {
    /// What the query's words select.
    pub text: TextPlan,
    /// Only passages in these languages (all when empty): the request's
    /// and the query's own (`lang:lt`).
    pub langs: Vec<Language>,
    /// Facet filters: the request's and the query's own, resolved.
    pub filters: Filters,
    /// Terms to highlight in the passages shown.
    pub terms: MatchTerms,
}

/// What a query's words select.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum TextPlan {
    /// Every passage (a query without words: facet listings, or filters
    /// only).
    All,
    /// No passage (plain text without a word).
    Nothing,
    /// The query's clauses, in the order written (never empty).
    Clauses(Vec<ClausePlan>),
}

/// One clause of a query, planned.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClausePlan {
    /// Required, optional or excluded.
    pub occur: Occur,
    /// The clause as written: a word, `"a phrase"~N` or `prefix*` (how
    /// explanations name it).
    pub label: String,
    /// The index terms or phrases it matches.
    pub leaves: ClauseLeaves,
}

/// The alternatives a clause matches; its score is the best one's plus
/// [`super::TIE_BREAKER`] times the others' (disjunction max).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ClauseLeaves {
    /// A word or a prefix: index terms (none: the clause matches nothing).
    Terms(Vec<TermLeaf>),
    /// A phrase: the same phrase in each field that has all its words
    /// (none: the clause matches nothing).
    Phrases(Vec<PhraseLeaf>),
}

/// One index term of a word, with its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermLeaf {
    /// The index field.
    pub field: Field,
    /// The term's text in that field.
    pub text: String,
    /// Its weight ([`super::EXACT_BOOST`], ...).
    pub boost: f32,
    /// How the term matches the word the user typed.
    pub how: MatchKind,
}

impl TermLeaf {
    /// The index term.
    pub fn term(&self) -> Term {
        Term::from_field_text(self.field, &self.text)
    }
}

/// A phrase in one field, with its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhraseLeaf {
    /// The index field.
    pub field: Field,
    /// The phrase's terms in that field, in order.
    pub words: Vec<String>,
    /// How many positions its words may move.
    pub slop: u32,
    /// Its weight.
    pub boost: f32,
}

/// A clause as written: a word, `"a phrase"~N` or `prefix*`.
pub(super) fn clause_label(c: &Clause) -> String {
    if c.prefix {
        format!("{}*", c.words[0])
    } else if c.quoted {
        let mut s = format!("\"{}\"", c.words.join(" "));
        if c.slop > 0 {
            s.push_str(&format!("~{}", c.slop));
        }
        s
    } else {
        c.words.join(" ")
    }
}

impl IndexSearcher {
    /// Plans a request against this index (see the module documentation).
    /// An empty query string matches every passage (for facet listings);
    /// filters still apply.
    pub(crate) fn plan_query(&self, req: &SearchRequest) -> Result<QueryPlan> {
        self.plan(req, &self.reader.searcher())
    }

    /// Plans a request with the statistics of `stats`.
    pub(super) fn plan(&self, req: &SearchRequest, stats: &tantivy::Searcher) -> Result<QueryPlan> {
        let parsed = Parsed::new(req)?;
        parsed.plan(&self.fields, &self.index_languages, stats, false)
    }
}

/// A request parsed, its filters resolved: all of planning that reads no
/// index.
#[derive(Debug, Clone)]
pub(crate) struct Parsed<'r> {
    req: &'r SearchRequest,
    query: ParsedQuery,
    /// The request's languages with the query's own.
    pub(crate) langs: Vec<Language>,
    /// The request's filters with the query's own.
    pub(crate) filters: Filters,
}

impl<'r> Parsed<'r> {
    /// Parses a request's query and resolves its filters.
    pub(crate) fn new(req: &'r SearchRequest) -> Result<Parsed<'r>> {
        let query = if req.query.trim().is_empty() {
            ParsedQuery::default()
        } else {
            let parsed = if req.plain {
                query::parse_plain(&req.query)
            } else {
                query::parse(&req.query)
            };
            parsed.map_err(|e: QueryError| {
                Error::User(crate::error::UserError::BadQuery {
                    position: e.position,
                    message: e.message,
                })
            })?
        };
        let (langs, filters) = resolve_filters(req, &query)?;
        Ok(Parsed {
            req,
            query,
            langs,
            filters,
        })
    }

    /// Plans it over an index's fields and languages with its statistics
    /// (`recording`: see [`super::stats::Recorder`]).
    pub(crate) fn plan(
        &self,
        fields: &Fields,
        languages: &[Language],
        stats: &dyn PlanStats,
        recording: bool,
    ) -> Result<QueryPlan> {
        let req = self.req;
        let mut planner = Planner::new(fields, languages, stats, recording);
        let text = if self.query.clauses.is_empty() {
            if req.plain && !req.query.trim().is_empty() {
                TextPlan::Nothing // plain text without a word
            } else {
                TextPlan::All
            }
        } else {
            let clauses = self
                .query
                .clauses
                .iter()
                .map(|c| planner.clause(c, !req.exact))
                .collect::<Result<Vec<_>>>()?;
            TextPlan::Clauses(clauses)
        };
        Ok(QueryPlan {
            text,
            langs: self.langs.clone(),
            filters: self.filters.clone(),
            terms: planner.into_terms(),
        })
    }
}

/// The request's languages and filters with the query's own added.
fn resolve_filters(req: &SearchRequest, parsed: &ParsedQuery) -> Result<(Vec<Language>, Filters)> {
    let mut filters = req.filters.clone();
    let mut langs = req.langs.clone();
    for f in &parsed.filters {
        match f.value.clone() {
            FilterValue::Lang(l) => {
                if !langs.contains(&l) {
                    langs.push(l);
                }
            }
            FilterValue::Country(n) => filters.add_country(&n).map_err(|e| at(e, f.position))?,
            FilterValue::City(n) => filters.add_city(&n).map_err(|e| at(e, f.position))?,
            FilterValue::Years { from, to } => filters.add_year_range(from, to),
        }
    }
    Ok((langs, filters))
}

fn at(e: Error, position: usize) -> Error {
    match e {
        Error::User(u) => Error::User(crate::error::UserError::InQuery {
            position,
            error: Box::new(u),
        }),
        other => other,
    }
}
