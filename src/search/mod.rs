//! Searching: from a query string to ranked, highlighted passages.
//!
//! Every query word is looked up in every field kind: the exact field (boost
//! [`EXACT_BOOST`]), the stemmed field of every language present in the index
//! (the word stemmed by that language's stemmer, [`STEM_BOOST`]) and the
//! folded field ([`FOLD_BOOST`]). The best of these counts for the word
//! (disjunction max), so exact and stemmed matches rank above folded ones.

pub mod document;
pub mod highlight;
pub mod json;
pub mod query;

use crate::analysis::{fold_query_terms, word_terms, FieldKind};
use crate::error::{Error, Result};
use crate::facets::{country_to_u64, value_name, Facet, FacetCollector, FacetCounts, Filters};
use crate::indexer::document::PassagePlaces;
use crate::indexer::IndexSummary;
use crate::lang::Language;
use crate::schema::Fields;
use crate::store::IndexLocation;
use highlight::MatchTerms;
use query::{Clause, Occur};
use serde::Serialize;
use std::ops::Bound;
use std::ops::Range;
use std::path::Path;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

/// Weight of an exact-word match.
pub const EXACT_BOOST: f32 = 3.0;
/// Weight of a same-language stemmed match.
pub const STEM_BOOST: f32 = 2.0;
/// Weight of a match on a place's canonical name ("Toyohashi" for "Tojohašio").
pub const PLACE_BOOST: f32 = 1.5;
/// Weight of a folded or transliterated match.
pub const FOLD_BOOST: f32 = 1.0;
/// Share of the non-best field scores added to a word's best one.
pub const TIE_BREAKER: f32 = 0.1;
/// Highest `--limit` accepted.
pub const MAX_LIMIT: usize = 10_000;

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query string.
    pub query: String,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
    /// Only passages in these languages (all when empty).
    pub langs: Vec<Language>,
    /// Facet filters.
    pub filters: Filters,
    /// Count facet values over all matching passages (top this many per facet; 0: no counts).
    pub facet_limit: usize,
}

impl SearchRequest {
    /// A request for the first ten hits of a query.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            langs: Vec::new(),
            filters: Filters::default(),
            facet_limit: 10,
        }
    }
}

/// One ranked passage.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Document path relative to the corpus folder.
    pub doc: String,
    /// Document title.
    pub title: String,
    /// Passage number in the document (from 0).
    pub passage: u64,
    /// ISO 639-1 code of the passage's language (`und` if unknown).
    pub lang: String,
    /// Relevance score (BM25, boosted).
    pub score: f32,
    /// The passage as written.
    pub text: String,
    /// The passage as HTML with matches in `<mark>`…`</mark>`.
    pub highlight: String,
    /// Cities of the document (canonical GeoNames names).
    pub city: Vec<String>,
    /// Countries of the document (English names).
    pub country: Vec<String>,
    /// The document's year.
    pub year: Option<u64>,
    /// Byte ranges of the matches in `text`.
    #[serde(skip)]
    pub spans: Vec<Range<usize>>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Passages matching in all.
    pub total_hits: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Facet counts over all matching passages.
    pub facets: FacetCounts,
}

/// An open index, ready to answer queries.
pub struct Searcher {
    reader: IndexReader,
    fields: Fields,
    languages: Vec<Language>,
}

impl Searcher {
    /// Opens the live index in an index folder.
    pub fn open(index_dir: &Path) -> Result<Searcher> {
        let live = IndexLocation::new(index_dir).require_live()?;
        let index = Index::open_in_dir(&live)?;
        crate::analysis::tantivy_glue::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let languages = match IndexSummary::load(&live) {
            Some(s) => s
                .languages
                .keys()
                .filter_map(|c| Language::from_code(c))
                .collect(),
            None => Language::ALL.to_vec(),
        };
        let reader = index.reader()?;
        Ok(Searcher {
            reader,
            fields,
            languages,
        })
    }

    /// Languages that have passages in the index.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    fn term_query(&self, field: Field, text: &str, boost: f32) -> Box<dyn Query> {
        let q = TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        );
        Box::new(BoostQuery::new(Box::new(q), boost))
    }

    fn word_query(&self, word: &str, terms: &mut MatchTerms) -> Box<dyn Query> {
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        for t in word_terms(word, FieldKind::Exact) {
            parts.push(self.term_query(self.fields.exact, &t, EXACT_BOOST));
            terms.exact.insert(t);
        }
        for &l in &self.languages {
            for t in word_terms(word, FieldKind::Stem(l)) {
                parts.push(self.term_query(self.fields.stem(l), &t, STEM_BOOST));
                terms.stems.entry(l).or_default().insert(t);
            }
        }
        for t in fold_query_terms(word) {
            parts.push(self.term_query(self.fields.fold, &t, FOLD_BOOST));
            parts.push(self.term_query(self.fields.places, &t, PLACE_BOOST));
            terms.places.insert(t.clone());
            terms.fold.insert(t);
        }
        Box::new(DisjunctionMaxQuery::with_tie_breaker(parts, TIE_BREAKER))
    }

    fn phrase_query(&self, words: &[String], terms: &mut MatchTerms) -> Box<dyn Query> {
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        let mut kinds = vec![(FieldKind::Exact, self.fields.exact, EXACT_BOOST)];
        kinds.extend(
            self.languages
                .iter()
                .map(|&l| (FieldKind::Stem(l), self.fields.stem(l), STEM_BOOST)),
        );
        for (kind, field, boost) in kinds {
            let phrase: Vec<String> = words
                .iter()
                .filter_map(|w| word_terms(w, kind).into_iter().next())
                .collect();
            if phrase.len() != words.len() {
                continue;
            }
            for t in &phrase {
                match kind {
                    FieldKind::Stem(l) => {
                        terms.stems.entry(l).or_default().insert(t.clone());
                    }
                    _ => {
                        terms.exact.insert(t.clone());
                    }
                }
            }
            let q = PhraseQuery::new(
                phrase
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            );
            parts.push(Box::new(BoostQuery::new(Box::new(q), boost)));
        }
        Box::new(DisjunctionMaxQuery::with_tie_breaker(parts, TIE_BREAKER))
    }

    fn clause_query(&self, c: &Clause, terms: &mut MatchTerms) -> Box<dyn Query> {
        let mut scratch = MatchTerms::default();
        let sink = if c.occur == Occur::MustNot {
            &mut scratch
        } else {
            terms
        };
        if c.words.len() == 1 {
            self.word_query(&c.words[0], sink)
        } else {
            self.phrase_query(&c.words, sink)
        }
    }

    fn filter_queries(&self, req: &SearchRequest) -> Vec<Box<dyn Query>> {
        use tantivy::query::Occur::Should;
        let any_of = |terms: Vec<Term>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                terms
                    .into_iter()
                    .map(|t| {
                        (
                            Should,
                            Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
                        )
                    })
                    .collect(),
            ))
        };
        let f = &req.filters;
        let mut out = Vec::new();
        if !req.langs.is_empty() {
            out.push(any_of(
                req.langs
                    .iter()
                    .map(|l| Term::from_field_text(self.fields.lang, l.code()))
                    .collect(),
            ));
        }
        if !f.countries.is_empty() {
            out.push(any_of(
                f.countries
                    .iter()
                    .map(|c| Term::from_field_u64(self.fields.country, country_to_u64(*c)))
                    .collect(),
            ));
        }
        if !f.cities.is_empty() {
            out.push(any_of(
                f.cities
                    .iter()
                    .map(|c| Term::from_field_u64(self.fields.city, u64::from(*c)))
                    .collect(),
            ));
        }
        if !f.years.is_empty() {
            out.push(any_of(
                f.years
                    .iter()
                    .map(|y| Term::from_field_u64(self.fields.year, u64::from(*y)))
                    .collect(),
            ));
        }
        if f.from.is_some() || f.to.is_some() {
            let bound = |y: Option<u16>| match y {
                Some(y) => Bound::Included(Term::from_field_u64(self.fields.year, u64::from(y))),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(bound(f.from), bound(f.to))));
        }
        out
    }

    /// Builds the tantivy query and the terms to highlight. An empty query
    /// string matches every passage (for facet listings), filters still apply.
    pub fn build_query(&self, req: &SearchRequest) -> Result<(Box<dyn Query>, MatchTerms)> {
        let mut terms = MatchTerms::default();
        let text_query: Box<dyn Query> = if req.query.trim().is_empty() {
            Box::new(AllQuery)
        } else {
            let clauses =
                query::parse(&req.query).map_err(|e| Error::user(format!("bad query: {e}")))?;
            let mut subs: Vec<(tantivy::query::Occur, Box<dyn Query>)> = Vec::new();
            for c in &clauses {
                let occur = match c.occur {
                    Occur::Should => tantivy::query::Occur::Should,
                    Occur::Must => tantivy::query::Occur::Must,
                    Occur::MustNot => tantivy::query::Occur::MustNot,
                };
                subs.push((occur, self.clause_query(c, &mut terms)));
            }
            Box::new(BooleanQuery::new(subs))
        };
        let filters = self.filter_queries(req);
        if filters.is_empty() {
            return Ok((text_query, terms));
        }
        let mut all = vec![(tantivy::query::Occur::Must, text_query)];
        for f in filters {
            all.push((tantivy::query::Occur::Must, f));
        }
        Ok((Box::new(BooleanQuery::new(all)), terms))
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        if req.limit > MAX_LIMIT {
            return Err(Error::user(format!(
                "--limit {} is too large: use at most {MAX_LIMIT}",
                req.limit
            )));
        }
        let (q, terms) = self.build_query(req)?;
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(req.limit.max(1))
            .and_offset(req.offset)
            .order_by_score();
        let facets = FacetCollector {
            top: req.facet_limit,
        };
        let (top, total_hits, facets) = if req.facet_limit > 0 {
            searcher.search(&q, &(top, Count, facets))?
        } else {
            let (t, c) = searcher.search(&q, &(top, Count))?;
            (t, c, FacetCounts::default())
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top.into_iter().take(req.limit) {
            let d: TantivyDocument = searcher.doc(addr)?;
            let s = |f: Field| {
                d.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let text = s(self.fields.text);
            let lang = s(self.fields.lang);
            let places = PassagePlaces::from_json(&s(self.fields.mentions));
            let spans = terms.spans(&text, Language::from_code(&lang), &places);
            let u64s = |f: Field| {
                d.get_all(f)
                    .filter_map(|v| v.as_u64())
                    .collect::<Vec<u64>>()
            };
            hits.push(Hit {
                doc: s(self.fields.doc),
                title: s(self.fields.title),
                passage: d
                    .get_first(self.fields.passage)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
                lang,
                score,
                highlight: highlight::to_html(&text, &spans),
                city: u64s(self.fields.city)
                    .into_iter()
                    .map(|v| value_name(Facet::City, v))
                    .collect(),
                country: u64s(self.fields.country)
                    .into_iter()
                    .map(|v| value_name(Facet::Country, v))
                    .collect(),
                year: u64s(self.fields.year).first().copied(),
                text,
                spans,
            });
        }
        Ok(SearchResults {
            query: req.query.clone(),
            total_hits,
            hits,
            facets,
        })
    }
}
