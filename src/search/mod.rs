//! Searching: from a query string to ranked, highlighted passages.
//!
//! Every query word is looked up in every field kind: the exact field (boost
//! [`EXACT_BOOST`]), the stemmed field of every language present in the index
//! (the word stemmed by that language's stemmer, [`STEM_BOOST`]) and the
//! folded field ([`FOLD_BOOST`]). A word of [`FUZZY_MIN_CHARS`] letters or
//! more also matches words one edit away (two from [`FUZZY2_MIN_CHARS`], when
//! none is one edit away) in
//! the exact and folded fields ([`FUZZY_BOOST`]), unless the request is exact
//! or the word is a known one (found as written in [`KNOWN_WORD_PASSAGES`]
//! passages).
//! The best of these counts for the word (disjunction max), so exact and
//! stemmed matches rank above folded and misspelt ones.
//!
//! Prefixes (`robot*`) and typo tolerance expand to index terms here, by
//! walking the term dictionaries with a bound ([`MAX_EXPANSIONS`],
//! [`MAX_TYPO_EXPANSIONS`] terms), so
//! the highlighter knows exactly which words matched and a query never turns
//! into thousands of terms.

pub mod bulk;
pub mod collapse;
pub mod document;
pub mod filter;
pub mod highlight;
pub mod json;
pub mod matched;
pub mod query;
pub mod top;

use crate::analysis::{fold_query_terms, word_terms, FieldKind};
use crate::error::{Error, Result};
use crate::facets::{country_to_u64, FacetCounts, FacetGroups, Filters};
use crate::stored::PassagePlaces;
use crate::indexer::IndexSummary;
use crate::lang::Language;
use crate::schema::Fields;
use crate::segment_cache::PerSegment;
use crate::store::IndexLocation;
use bulk::{OrQuery, WordQuery};
use collapse::DocKeys;
use filter::{FilteredQuery, LangTable, PassageFilter, SegmentTables};
use highlight::MatchTerms;
use matched::{MatchSet, SegmentRuns};
use query::{Clause, FilterValue, Occur, ParsedQuery, QueryError};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Bound;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, FuzzyTermQuery,
    PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, TantivyDocument, Term};
use top::{PathOrdCache, TopHits};

/// Weight of an exact-word match.
pub const EXACT_BOOST: f32 = 3.0;
/// Weight of a same-language stemmed match.
pub const STEM_BOOST: f32 = 2.0;
/// Weight of a match on a place's canonical name ("Toyohashi" for "Tojohašio").
pub const PLACE_BOOST: f32 = 1.5;
/// Weight of a folded or transliterated match.
pub const FOLD_BOOST: f32 = 1.0;
/// Weight of a short cognate-key match (another language's form of the
/// word, guessed from its first letters).
pub const COGNATE_BOOST: f32 = 0.5;
/// Weight of a long cognate-key match.
pub const COGNATE_LONG_BOOST: f32 = 0.8;
/// Weight of a word a prefix (`robot*`) expands to, in the exact field (in
/// the folded field: [`FOLD_BOOST`]).
pub const PREFIX_BOOST: f32 = 2.0;
/// Weight of a misspelt match (a word one or two edits away).
pub const FUZZY_BOOST: f32 = 0.3;
/// Share of the non-best field scores added to a word's best one.
pub const TIE_BREAKER: f32 = 0.1;
/// Highest `--limit` accepted (the HTTP API's pages are smaller still).
pub const MAX_LIMIT: usize = 10_000;
/// Highest `--offset` accepted, as by the HTTP API: a page is fetched with
/// its offset, so the offset bounds the memory a search takes.
pub const MAX_OFFSET: usize = 10_000;
/// Highest `--per-doc` accepted.
pub const MAX_PER_DOC: usize = 10_000;
/// Highest `--facet-limit` accepted.
pub const MAX_FACET_LIMIT: usize = 10_000;
/// Passages shown per document by default (`--per-doc`).
pub const DEFAULT_PER_DOC: usize = 3;
/// Shortest word (in letters) matched with one typo.
pub const FUZZY_MIN_CHARS: usize = 5;
/// Shortest word (in letters) matched with two typos.
pub const FUZZY2_MIN_CHARS: usize = 8;
/// A word found as written (or without diacritics) in this many passages is
/// taken as spelt right and gets no typo tolerance: typos of known words
/// would only add noise, and walking large term dictionaries costs time.
pub const KNOWN_WORD_PASSAGES: u64 = 3;
/// Most words of one query that get typo tolerance (the first ones).
pub const MAX_FUZZY_WORDS: usize = 8;
/// Most index terms a prefix expands to, per field (the most frequent ones).
pub const MAX_EXPANSIONS: usize = 64;
/// Most index terms a misspelt word expands to, per field and spelling (the
/// most frequent ones).
pub const MAX_TYPO_EXPANSIONS: usize = 16;
/// Most dictionary terms a prefix scans per segment.
pub const MAX_PREFIX_SCAN: usize = 20_000;

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
    /// Take the query as plain words: no operators, quotes, prefixes or filters.
    pub plain: bool,
    /// No typo tolerance.
    pub exact: bool,
    /// At most this many passages per document among the hits (0: no limit).
    pub per_doc: usize,
    /// Explain each hit's score.
    pub explain: bool,
}

/// A numeric parameter of a search request that has bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// Hits to return ([`MAX_LIMIT`]).
    Limit,
    /// Hits to skip ([`MAX_OFFSET`]).
    Offset,
    /// Passages per document ([`MAX_PER_DOC`]).
    PerDoc,
    /// Values per facet ([`MAX_FACET_LIMIT`]).
    FacetLimit,
}

impl Param {
    /// The highest value accepted (the lowest is 0).
    pub const fn max(self) -> usize {
        match self {
            Param::Limit => MAX_LIMIT,
            Param::Offset => MAX_OFFSET,
            Param::PerDoc => MAX_PER_DOC,
            Param::FacetLimit => MAX_FACET_LIMIT,
        }
    }

    /// The parameter's name in the HTTP API (`facet_limit`).
    pub const fn api_name(self) -> &'static str {
        match self {
            Param::Limit => "limit",
            Param::Offset => "offset",
            Param::PerDoc => "per_doc",
            Param::FacetLimit => "facet_limit",
        }
    }

    /// The command line's flag (`--facet-limit`).
    pub const fn flag(self) -> &'static str {
        match self {
            Param::Limit => "--limit",
            Param::Offset => "--offset",
            Param::PerDoc => "--per-doc",
            Param::FacetLimit => "--facet-limit",
        }
    }
}

/// A request parameter outside its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// The parameter.
    pub param: Param,
    /// The value given.
    pub value: usize,
}

impl OutOfRange {
    /// The message, naming the parameter as `name` (a flag or an API name).
    pub fn message(&self, name: &str) -> String {
        format!(
            "{name} {} is out of range: give a number from 0 to {}",
            self.value,
            self.param.max()
        )
    }

    /// The message as the command line names the parameter.
    pub fn for_cli(&self) -> Error {
        Error::user(self.message(self.param.flag()))
    }
}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(self.param.api_name()))
    }
}

impl std::error::Error for OutOfRange {}

impl SearchRequest {
    /// Checks the numeric parameters against their bounds ([`Param::max`]).
    pub fn check(&self) -> Result<(), OutOfRange> {
        for (param, value) in [
            (Param::Limit, self.limit),
            (Param::Offset, self.offset),
            (Param::PerDoc, self.per_doc),
            (Param::FacetLimit, self.facet_limit),
        ] {
            if value > param.max() {
                return Err(OutOfRange { param, value });
            }
        }
        Ok(())
    }

    /// A request for the first ten hits of a query.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            langs: Vec::new(),
            filters: Filters::default(),
            facet_limit: 10,
            plain: false,
            exact: false,
            per_doc: DEFAULT_PER_DOC,
            explain: false,
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
    /// Matching passages of this document beyond its best `per_doc`, shown
    /// on no page (collapsed).
    pub more_in_doc: u64,
    /// Why the passage matched (only when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<ExplainPart>>,
    /// Byte ranges of the matches in `text`.
    #[serde(skip)]
    pub spans: Vec<Range<usize>>,
}

/// One matching field and term of a hit, with its share of the score.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainPart {
    /// The query clause: a word, `"a phrase"~N` or `prefix*`.
    pub clause: String,
    /// The index field (`exact`, `stem_lt`, `fold`, `places`).
    pub field: String,
    /// The index term that matched (a phrase: its terms).
    pub term: String,
    /// How: `exact`, `stem`, `fold`, `place`, `prefix`, `typo` or `phrase`.
    pub how: &'static str,
    /// This match's score (BM25 times the field's weight).
    pub score: f32,
    /// True for the clause's best match, which counts in full; the others
    /// add [`TIE_BREAKER`] times their score.
    pub best: bool,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Passages matching in all (before collapsing to `per_doc` per document).
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
    generation: PathBuf,
    groups: OnceLock<FacetGroups>,
    runs: PerSegment<SegmentRuns>,
    langs: LangTable,
    path_ords: Arc<PathOrdCache>,
}

/// One scoring sub-query, kept to explain hits.
struct Leaf {
    clause: String,
    field: String,
    term: String,
    how: &'static str,
    query: Box<dyn Query>,
}

/// A query under construction: the tantivy query's parts, the terms to
/// highlight and (when explaining) the leaves.
struct Builder<'a> {
    s: &'a Searcher,
    searcher: &'a tantivy::Searcher,
    terms: MatchTerms,
    leaves: Vec<Leaf>,
    explain: bool,
    fuzzy_words_left: usize,
}

/// What a term dictionary walk looks for.
enum Expand<'a> {
    Prefix(&'a str),
    Fuzzy(&'a str, u8),
}

/// The built query.
pub struct BuiltQuery {
    /// The tantivy query (text and filters).
    pub query: Box<dyn Query>,
    /// Terms to highlight.
    pub terms: MatchTerms,
    leaves: Vec<Leaf>,
}

fn clause_label(c: &Clause) -> String {
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

impl Builder<'_> {
    fn field_name(&self, field: Field) -> String {
        self.s.fields.schema.get_field_name(field).to_string()
    }

    /// Keeps a scoring sub-query to explain hits with (when explaining).
    fn note(&mut self, clause: &str, field: Field, term: &str, how: &'static str, q: &dyn Query) {
        if self.explain {
            self.leaves.push(Leaf {
                clause: clause.to_string(),
                field: self.field_name(field),
                term: term.to_string(),
                how,
                query: q.box_clone(),
            });
        }
    }

    fn term(
        &mut self,
        parts: &mut Vec<(Term, f32)>,
        clause: &str,
        field: Field,
        text: &str,
        boost: f32,
        how: &'static str,
    ) {
        let term = Term::from_field_text(field, text);
        // a term no passage has matches nothing: leave it out, its weight
        // and scorer would cost dictionary look-ups in every segment (a
        // word is looked up in the stemmed field of every language)
        if self.searcher.doc_freq(&term).is_ok_and(|n| n == 0) {
            return;
        }
        if self.explain {
            let q = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
            self.note(
                clause,
                field,
                text,
                how,
                &BoostQuery::new(Box::new(q), boost),
            );
        }
        parts.push((term, boost));
    }

    /// The index terms of a field that a prefix or a misspelt word stands
    /// for: the `cap` most frequent, summed over segments.
    fn expand(&self, field: Field, what: &Expand<'_>, cap: usize) -> Result<Vec<String>> {
        let mut found: HashMap<String, u64> = HashMap::new();
        for seg in self.searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let dict = inv.terms();
            match what {
                Expand::Prefix(p) => {
                    let p: &[u8] = str::as_bytes(p);
                    let mut stream = dict.range().ge(p).into_stream().map_err(io)?;
                    let mut scanned = 0;
                    while stream.advance() && scanned < MAX_PREFIX_SCAN {
                        if !stream.key().starts_with(p) {
                            break;
                        }
                        scanned += 1;
                        if let Ok(k) = std::str::from_utf8(stream.key()) {
                            *found.entry(k.to_string()).or_default() +=
                                u64::from(stream.value().doc_freq);
                        }
                    }
                }
                Expand::Fuzzy(w, d) => {
                    let dfa = FuzzyTermQuery::new(Term::from_field_text(field, w), *d, true)
                        .automaton()?;
                    let mut stream = dict.search(dfa).into_stream().map_err(io)?;
                    while stream.advance() {
                        if let Ok(k) = std::str::from_utf8(stream.key()) {
                            *found.entry(k.to_string()).or_default() +=
                                u64::from(stream.value().doc_freq);
                        }
                    }
                }
            }
        }
        let mut v: Vec<(String, u64)> = found.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(cap);
        Ok(v.into_iter().map(|(t, _)| t).collect())
    }

    /// True when a word occurs as written (or folded) in at least
    /// [`KNOWN_WORD_PASSAGES`] passages: it is taken as spelt right.
    fn known(&self, exact: &[String], folded: &[String]) -> Result<bool> {
        let mut n = 0;
        for (field, terms) in [(self.s.fields.exact, exact), (self.s.fields.fold, folded)] {
            for t in terms {
                n += self.searcher.doc_freq(&Term::from_field_text(field, t))?;
            }
        }
        Ok(n >= KNOWN_WORD_PASSAGES)
    }

    fn word_query(&mut self, c: &Clause, typos: bool) -> Result<Box<dyn Query>> {
        let word = &c.words[0];
        let label = clause_label(c);
        let (fields, languages) = (self.s.fields.clone(), self.s.languages.clone());
        let mut parts: Vec<(Term, f32)> = Vec::new();
        let exact = word_terms(word, FieldKind::Exact);
        for t in &exact {
            self.term(&mut parts, &label, fields.exact, t, EXACT_BOOST, "exact");
            self.terms.exact.insert(t.clone());
        }
        for &l in &languages {
            for t in word_terms(word, FieldKind::Stem(l)) {
                self.term(&mut parts, &label, fields.stem(l), &t, STEM_BOOST, "stem");
                self.terms.stems.entry(l).or_default().insert(t);
            }
        }
        let fold = fold_query_terms(word, &languages);
        for t in &fold {
            self.term(&mut parts, &label, fields.fold, t, FOLD_BOOST, "fold");
            self.term(&mut parts, &label, fields.places, t, PLACE_BOOST, "place");
            self.terms.places.insert(t.clone());
            self.terms.fold.insert(t.clone());
        }
        // cognate keys are a guess, like typos: off for quoted and excluded
        // words and with --exact
        let cognates = if typos {
            word_terms(word, FieldKind::Cognate)
        } else {
            Vec::new()
        };
        for t in cognates {
            let boost = if t.len() >= crate::normalize::cognate::LONG_KEY_CHARS {
                COGNATE_LONG_BOOST
            } else {
                COGNATE_BOOST
            };
            self.term(&mut parts, &label, fields.cognate, &t, boost, "cognate");
            self.terms.cognate.insert(t);
        }
        let folded = word_terms(word, FieldKind::Fold(None));
        if typos && self.fuzzy_words_left > 0 && !self.known(&exact, &folded)? {
            let mut any = false;
            // a word in plain Latin letters is its own folded form, and the
            // folded field holds the folded form of every word: walk that one
            let exact_src: Vec<String> = exact
                .iter()
                .filter(|t| !folded.contains(t))
                .cloned()
                .collect();
            for (field, sources, known) in [
                (fields.exact, &exact_src, &exact),
                (fields.fold, &folded, &fold),
            ] {
                for src in sources {
                    let n = src.chars().count();
                    let max_d = match n {
                        _ if n >= FUZZY2_MIN_CHARS => 2,
                        _ if n >= FUZZY_MIN_CHARS => 1,
                        _ => continue,
                    };
                    any = true;
                    // one edit first; two only when one finds nothing
                    let mut found = Vec::new();
                    for d in 1..=max_d {
                        found = self.expand(field, &Expand::Fuzzy(src, d), MAX_TYPO_EXPANSIONS)?;
                        found.retain(|t| !known.contains(t));
                        if !found.is_empty() {
                            break;
                        }
                    }
                    for t in found {
                        self.term(&mut parts, &label, field, &t, FUZZY_BOOST, "typo");
                        if field == fields.exact {
                            self.terms.exact.insert(t);
                        } else {
                            self.terms.fold.insert(t);
                        }
                    }
                }
            }
            if any {
                self.fuzzy_words_left -= 1;
            }
        }
        if parts.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        Ok(Box::new(WordQuery::new(parts, TIE_BREAKER)))
    }

    fn prefix_query(&mut self, c: &Clause) -> Result<Box<dyn Query>> {
        let label = clause_label(c);
        let fields = self.s.fields.clone();
        let mut parts: Vec<(Term, f32)> = Vec::new();
        for (field, kind, boost) in [
            (fields.exact, FieldKind::Exact, PREFIX_BOOST),
            (fields.fold, FieldKind::Fold(None), FOLD_BOOST),
        ] {
            for p in word_terms(&c.words[0], kind) {
                for t in self.expand(field, &Expand::Prefix(&p), MAX_EXPANSIONS)? {
                    self.term(&mut parts, &label, field, &t, boost, "prefix");
                    if field == fields.exact {
                        self.terms.exact.insert(t);
                    } else {
                        self.terms.fold.insert(t);
                    }
                }
            }
        }
        if parts.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        Ok(Box::new(WordQuery::new(parts, TIE_BREAKER)))
    }

    fn phrase_query(&mut self, c: &Clause) -> Box<dyn Query> {
        let label = clause_label(c);
        let words = &c.words;
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        let mut kinds = vec![(FieldKind::Exact, self.s.fields.exact, EXACT_BOOST)];
        kinds.extend(
            self.s
                .languages
                .iter()
                .map(|&l| (FieldKind::Stem(l), self.s.fields.stem(l), STEM_BOOST)),
        );
        for (kind, field, boost) in kinds {
            let phrase: Vec<String> = words
                .iter()
                .filter_map(|w| word_terms(w, kind).into_iter().next())
                .collect();
            let terms: Vec<Term> = phrase
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            // a phrase with a word no passage of the field has cannot match
            let absent = |t: &Term| self.searcher.doc_freq(t).is_ok_and(|n| n == 0);
            if phrase.len() != words.len() || terms.iter().any(absent) {
                continue;
            }
            for t in &phrase {
                match kind {
                    FieldKind::Stem(l) => {
                        self.terms.stems.entry(l).or_default().insert(t.clone());
                    }
                    _ => {
                        self.terms.exact.insert(t.clone());
                    }
                }
            }
            let mut q = PhraseQuery::new(terms);
            q.set_slop(c.slop);
            let q: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(q), boost));
            self.note(&label, field, &phrase.join(" "), "phrase", q.as_ref());
            parts.push(q);
        }
        if parts.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(DisjunctionMaxQuery::with_tie_breaker(parts, TIE_BREAKER))
    }

    fn clause_query(&mut self, c: &Clause, typos: bool) -> Result<Box<dyn Query>> {
        if c.occur == Occur::MustNot {
            // excluded words are neither highlighted nor explained nor typo-corrected
            let (terms, explain) = (std::mem::take(&mut self.terms), self.explain);
            self.explain = false;
            let q = if c.prefix {
                self.prefix_query(c)
            } else if c.words.len() == 1 {
                self.word_query(c, false)
            } else {
                Ok(self.phrase_query(c))
            };
            self.terms = terms;
            self.explain = explain;
            return q;
        }
        if c.prefix {
            self.prefix_query(c)
        } else if c.words.len() == 1 {
            self.word_query(c, typos && !c.quoted)
        } else {
            Ok(self.phrase_query(c))
        }
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Index(e.into())
}

fn at(e: Error, position: usize) -> Error {
    match e {
        Error::User(m) => Error::user(format!("bad query: {}", QueryError::new(m, position))),
        other => other,
    }
}

impl Searcher {
    /// Opens the live index in an index folder (the new live generation,
    /// once, if a rebuild swapped it while this one was being opened).
    pub fn open(index_dir: &Path) -> Result<Searcher> {
        IndexLocation::new(index_dir).open_live(Searcher::open_generation)
    }

    /// Opens one index generation.
    fn open_generation(live: &Path) -> Result<Searcher> {
        let live = live.to_path_buf();
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
            generation: live,
            groups: OnceLock::new(),
            runs: PerSegment::default(),
            langs: LangTable::default(),
            path_ords: Arc::default(),
        })
    }

    /// The facet group table, read on first use (only facet counts need it).
    fn facet_groups(&self) -> Result<&FacetGroups> {
        if let Some(g) = self.groups.get() {
            return Ok(g);
        }
        let g = FacetGroups::load(&self.generation)?;
        Ok(self.groups.get_or_init(|| g))
    }

    /// A segment's documents and their runs of passages (built on first use).
    fn segment_runs(&self, seg: &tantivy::SegmentReader) -> Arc<SegmentRuns> {
        self.runs.get(seg, SegmentRuns::read)
    }

    /// Reads now what searches otherwise read on first use: the gazetteer
    /// (facet value names, place filters), the facet group table and, per
    /// segment, which group and which document each passage belongs to
    /// (~250 ms at 1M passages). The server calls it before it answers
    /// from a new generation.
    pub fn prepare(&self) -> Result<()> {
        crate::gazetteer::gazetteer();
        let groups = self.facet_groups()?;
        groups.prepare();
        for seg in self.reader.searcher().segment_readers() {
            groups.segment_groups(seg);
            self.segment_runs(seg);
            self.langs.segment(seg, self.fields.lang);
            self.path_ords.prepare(seg, self.fields.doc);
        }
        Ok(())
    }

    /// Languages that have passages in the index.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    fn filter_queries(&self, f: &Filters, langs: &[Language]) -> Vec<Box<dyn Query>> {
        use tantivy::query::Occur::Should;
        let any_of = |qs: Vec<Box<dyn Query>>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                qs.into_iter().map(|q| (Should, q)).collect(),
            ))
        };
        let term =
            |t: Term| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::Basic)) };
        let year = |y: u16| Term::from_field_u64(self.fields.year, u64::from(y));
        let bound = |y: Option<u16>| match y {
            Some(y) => Bound::Included(year(y)),
            None => Bound::Unbounded,
        };
        let mut out = Vec::new();
        if !langs.is_empty() {
            out.push(any_of(
                langs
                    .iter()
                    .map(|l| term(Term::from_field_text(self.fields.lang, l.code())))
                    .collect(),
            ));
        }
        if !f.countries.is_empty() {
            out.push(any_of(
                f.countries
                    .iter()
                    .map(|c| {
                        term(Term::from_field_u64(
                            self.fields.country,
                            country_to_u64(*c),
                        ))
                    })
                    .collect(),
            ));
        }
        if !f.cities.is_empty() {
            out.push(any_of(
                f.cities
                    .iter()
                    .map(|c| term(Term::from_field_u64(self.fields.city, u64::from(*c))))
                    .collect(),
            ));
        }
        if !f.years.is_empty() || !f.year_ranges.is_empty() {
            let mut alternatives: Vec<Box<dyn Query>> =
                f.years.iter().map(|y| term(year(*y))).collect();
            for &(from, to) in &f.year_ranges {
                alternatives.push(Box::new(RangeQuery::new(bound(from), bound(to))));
            }
            out.push(any_of(alternatives));
        }
        if f.from.is_some() || f.to.is_some() {
            out.push(Box::new(RangeQuery::new(bound(f.from), bound(f.to))));
        }
        out
    }

    /// Builds the tantivy query and the terms to highlight. An empty query
    /// string matches every passage (for facet listings), filters still apply.
    pub fn build_query(&self, req: &SearchRequest) -> Result<BuiltQuery> {
        self.build(req, &self.reader.searcher())
    }

    fn build(&self, req: &SearchRequest, searcher: &tantivy::Searcher) -> Result<BuiltQuery> {
        let parsed = if req.query.trim().is_empty() {
            ParsedQuery::default()
        } else {
            let parsed = if req.plain {
                query::parse_plain(&req.query)
            } else {
                query::parse(&req.query)
            };
            parsed.map_err(|e| Error::user(format!("bad query: {e}")))?
        };
        let mut filters = req.filters.clone();
        let mut langs = req.langs.clone();
        for f in &parsed.filters {
            match f.value.clone() {
                FilterValue::Lang(l) => {
                    if !langs.contains(&l) {
                        langs.push(l);
                    }
                }
                FilterValue::Country(n) => {
                    filters.add_country(&n).map_err(|e| at(e, f.position))?
                }
                FilterValue::City(n) => filters.add_city(&n).map_err(|e| at(e, f.position))?,
                FilterValue::Years { from, to } => filters.add_year_range(from, to),
            }
        }
        let mut b = Builder {
            s: self,
            searcher,
            terms: MatchTerms::default(),
            leaves: Vec::new(),
            explain: req.explain,
            fuzzy_words_left: MAX_FUZZY_WORDS,
        };
        let text_query: Box<dyn Query> = if parsed.clauses.is_empty() {
            if req.plain && !req.query.trim().is_empty() {
                Box::new(EmptyQuery) // plain text without a word
            } else {
                Box::new(AllQuery)
            }
        } else {
            let mut subs: Vec<(tantivy::query::Occur, Box<dyn Query>)> = Vec::new();
            for c in &parsed.clauses {
                let occur = match c.occur {
                    Occur::Should => tantivy::query::Occur::Should,
                    Occur::Must => tantivy::query::Occur::Must,
                    Occur::MustNot => tantivy::query::Occur::MustNot,
                };
                subs.push((occur, b.clause_query(c, !req.exact)?));
            }
            match subs.pop() {
                // one clause that selects passages scores as itself: no
                // boolean query around it (it would score the same, with a
                // call per passage through its scorer)
                Some((o, q)) if subs.is_empty() && o != tantivy::query::Occur::MustNot => q,
                Some(last) => {
                    subs.push(last);
                    match OrQuery::new(subs) {
                        Ok(q) => Box::new(q),
                        Err(subs) => Box::new(BooleanQuery::new(subs)),
                    }
                }
                None => Box::new(BooleanQuery::new(subs)),
            }
        };
        if !parsed.clauses.is_empty() {
            if langs.is_empty() && filters.is_empty() {
                return Ok(BuiltQuery {
                    query: text_query,
                    terms: b.terms,
                    leaves: b.leaves,
                });
            }
            // words select the passages; the filters test each of them
            let groups = self.facet_groups()?;
            let filter = PassageFilter::new(&langs, &filters, groups);
            let tables = searcher
                .segment_readers()
                .iter()
                .map(|seg| {
                    let t = SegmentTables {
                        langs: self.langs.segment(seg, self.fields.lang),
                        groups: groups.segment_groups(seg),
                    };
                    (seg.segment_id(), t)
                })
                .collect();
            return Ok(BuiltQuery {
                query: Box::new(FilteredQuery::new(text_query, filter, tables)),
                terms: b.terms,
                leaves: b.leaves,
            });
        }
        let filter_queries = self.filter_queries(&filters, &langs);
        let query: Box<dyn Query> = if filter_queries.is_empty() {
            text_query
        } else {
            let mut all = vec![(tantivy::query::Occur::Must, text_query)];
            for f in filter_queries {
                all.push((tantivy::query::Occur::Must, f));
            }
            Box::new(BooleanQuery::new(all))
        };
        Ok(BuiltQuery {
            query,
            terms: b.terms,
            leaves: b.leaves,
        })
    }

    /// Which fields and terms of the query a passage matched, with scores.
    fn explain(
        &self,
        leaves: &[Leaf],
        searcher: &tantivy::Searcher,
        addr: DocAddress,
    ) -> Vec<ExplainPart> {
        let mut parts: Vec<ExplainPart> = Vec::new();
        for l in leaves {
            let Ok(e) = l.query.explain(searcher, addr) else {
                continue; // this leaf does not match the passage
            };
            if e.value() <= 0.0 {
                continue;
            }
            parts.push(ExplainPart {
                clause: l.clause.clone(),
                field: l.field.clone(),
                term: l.term.clone(),
                how: l.how,
                score: e.value(),
                best: false,
            });
        }
        let mut best: HashMap<String, usize> = HashMap::new();
        for (i, p) in parts.iter().enumerate() {
            let e = best.entry(p.clause.clone()).or_insert(i);
            if p.score > parts[*e].score {
                *e = i;
            }
        }
        for i in best.into_values() {
            parts[i].best = true;
        }
        parts
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        // no caller can make a search allocate for a huge page
        req.check().map_err(|e| Error::user(e.to_string()))?;
        let searcher = self.reader.searcher();
        let built = self.build(req, &searcher)?;
        let q = &built.query;
        let want = req.offset.saturating_add(req.limit);
        // fetch more than a page when collapsing, and more again while
        // collapsing leaves the page short
        let mut fetch = if req.per_doc == 0 {
            want
        } else {
            want.saturating_mul(2).saturating_add(16)
        }
        .max(1);
        // ties in score ordered by path and passage, whatever the build
        let top_docs = |n: usize| TopHits {
            n,
            doc: self.fields.doc,
            cache: &self.path_ords,
        };
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
        let (mut top, mut matched) = searcher.search(q, &(top_docs(fetch), marks))?;
        let total_hits = matched.total();
        let facets = match (groups, matched.take_groups()) {
            (Some(g), Some(per_group)) => g.counts(per_group, req.facet_limit),
            _ => FacetCounts::default(),
        };
        let mut keys = DocKeys::default();
        let mut kept;
        loop {
            kept = collapse::collapse(&top, req.per_doc, want, &mut keys, &searcher);
            if kept.len() >= want || top.len() < fetch || fetch >= total_hits {
                break;
            }
            fetch = fetch.saturating_mul(4).min(total_hits);
            top = searcher.search(q, &top_docs(fetch))?;
        }
        let page: Vec<(f32, DocAddress, u64)> =
            kept.into_iter().skip(req.offset).take(req.limit).collect();
        let in_doc: FxHashMap<u64, u64> = if req.per_doc > 0 && !page.is_empty() {
            let keys: Vec<u64> = page.iter().map(|(_, _, key)| *key).collect();
            matched.doc_counts(&keys)
        } else {
            FxHashMap::default()
        };
        let mut hits = Vec::with_capacity(page.len());
        for (score, addr, key) in page {
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
            let spans = built
                .terms
                .spans(&text, Language::from_code(&lang), &places);
            let facet = self.facet_names(&searcher, addr)?;
            let matched_in_doc = in_doc.get(&key).copied().unwrap_or(0);
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
                city: facet.city,
                country: facet.country,
                year: facet.year,
                more_in_doc: matched_in_doc.saturating_sub(req.per_doc as u64),
                explain: req
                    .explain
                    .then(|| self.explain(&built.leaves, &searcher, addr)),
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
