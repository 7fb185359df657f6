//! Term-at-a-time scoring of a query's words and of their disjunction.
//!
//! A word is the disjunction-max of its index terms (exact, stemmed, folded,
//! place, cognate, typo or prefix expansions): [`WordQuery`]. A query of
//! optional clauses (`a b "c d" -e`) sums the scores of the clauses that
//! match: [`OrQuery`]. Their scores are exactly those of tantivy's
//! `DisjunctionMaxQuery` over boosted `TermQuery`s and of its
//! `BooleanQuery` of optional and excluded clauses: each term's BM25 comes
//! from tantivy's own [`Bm25Weight`], and a passage's scores are combined
//! in the same order with the same operations.
//!
//! What differs is the work. Passages are taken a window at a time: every
//! term of a word is poured into the window straight from the decoded
//! blocks of its posting list (doc ids and frequencies a block at a time,
//! one score per posting into per-passage max and sum arrays), then the
//! word's scores are added to the window's totals, clause after clause,
//! and the matching passages are read off a bit set in order. Tantivy goes
//! through a scorer per term and per clause, with calls per posting and
//! per passage (advance, doc, score); on the 1M-passage benchmark index
//! this engine answers the serve bench's query log with a fifth fewer
//! instructions (BENCHMARKS.md, session 6).
//!
//! Other clauses (phrases) are tantivy scorers poured into the same
//! window. A query with required clauses, and any query without scores
//! (counting), goes through tantivy's own queries.
//!
//! Each query converts to tantivy's own (`tantivy_query`), and a whole
//! plan compiles to tantivy's queries alone with
//! [`super::Engine::Tantivy`]: `tests/bulk.rs` checks the two bit for bit,
//! and a tantivy upgrade that breaks this module can switch it off.
//! `--explain` shares a word's score out among its terms with
//! [`term_score`], over the same cursors.

mod cursor;
mod scorer;
mod window;

use cursor::Cursor;
use scorer::{BulkScorer, PartScorer};
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanQuery, BoostQuery, DisjunctionMaxQuery,
    EnableScoring, Explanation, Occur, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, Term};

/// The terms of one word with their boosts, combined as a disjunction max.
#[derive(Debug, Clone)]
pub struct WordQuery {
    leaves: Vec<(Term, Score)>,
    tie: Score,
}

impl WordQuery {
    /// A word that matches a passage holding any of `leaves` (term, boost),
    /// scored by the best of them plus `tie` times the rest.
    pub(crate) fn new(leaves: Vec<(Term, Score)>, tie: Score) -> WordQuery {
        WordQuery { leaves, tie }
    }

    /// The same word as tantivy's own queries (which score it the same).
    pub(crate) fn tantivy_query(&self) -> DisjunctionMaxQuery {
        let parts: Vec<Box<dyn Query>> = self
            .leaves
            .iter()
            .map(|(t, b)| -> Box<dyn Query> {
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)),
                    *b,
                ))
            })
            .collect();
        DisjunctionMaxQuery::with_tie_breaker(parts, self.tie)
    }

    fn word_weight(&self, scoring: &EnableScoring<'_>) -> tantivy::Result<Option<WordWeight>> {
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = scoring
        else {
            return Ok(None);
        };
        let mut leaves = Vec::with_capacity(self.leaves.len());
        for (term, boost) in &self.leaves {
            let bm25 = Bm25Weight::for_terms(*statistics_provider, std::slice::from_ref(term))?;
            leaves.push((term.clone(), bm25, *boost));
        }
        Ok(Some(WordWeight {
            leaves,
            tie: self.tie,
        }))
    }
}

impl Query for WordQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        match self.word_weight(&scoring)? {
            Some(w) => Ok(Box::new(BulkWeight {
                parts: vec![Part::Word(w)],
                excluded: Vec::new(),
            })),
            None => self.tantivy_query().weight(scoring),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (t, _) in &self.leaves {
            visitor(t, false);
        }
    }
}

/// A boolean query's clauses.
pub(crate) type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// Optional clauses whose scores add up (at least one must match) and
/// excluded clauses (none may match): tantivy's `BooleanQuery` of `Should`
/// and `MustNot` clauses.
#[derive(Debug)]
pub struct OrQuery {
    clauses: Clauses,
}

impl Clone for OrQuery {
    fn clone(&self) -> OrQuery {
        OrQuery {
            clauses: self
                .clauses
                .iter()
                .map(|(o, q)| (*o, q.box_clone()))
                .collect(),
        }
    }
}

impl OrQuery {
    /// The query, or `None` when a clause is required (`Must`), or none is
    /// optional: those go through tantivy's `BooleanQuery`.
    pub(crate) fn new(clauses: Clauses) -> Result<OrQuery, Clauses> {
        let should = clauses.iter().filter(|(o, _)| *o == Occur::Should).count();
        if should == 0 || clauses.iter().any(|(o, _)| *o == Occur::Must) {
            return Err(clauses);
        }
        Ok(OrQuery { clauses })
    }

    /// The same query as tantivy's own (which scores it the same).
    pub(crate) fn tantivy_query(&self) -> BooleanQuery {
        BooleanQuery::new(
            self.clauses
                .iter()
                .map(|(o, q)| (*o, q.box_clone()))
                .collect(),
        )
    }
}

impl Query for OrQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        if !scoring.is_scoring_enabled() {
            return self.tantivy_query().weight(scoring);
        }
        let mut parts = Vec::new();
        let mut excluded = Vec::new();
        for (occur, q) in &self.clauses {
            if *occur == Occur::MustNot {
                excluded.push(q.weight(scoring)?);
                continue;
            }
            let word = match q.downcast_ref::<WordQuery>() {
                Some(w) => w.word_weight(&scoring)?,
                None => None,
            };
            parts.push(match word {
                Some(w) => Part::Word(w),
                None => Part::Other(q.weight(scoring)?),
            });
        }
        Ok(Box::new(BulkWeight { parts, excluded }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, q) in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct WordWeight {
    /// Term, its BM25 weight before boosting, boost.
    leaves: Vec<(Term, Bm25Weight, Score)>,
    tie: Score,
}

enum Part {
    Word(WordWeight),
    Other(Box<dyn Weight>),
}

struct BulkWeight {
    parts: Vec<Part>,
    excluded: Vec<Box<dyn Weight>>,
}

impl BulkWeight {
    fn bulk_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<BulkScorer> {
        let mut parts = Vec::with_capacity(self.parts.len());
        for p in &self.parts {
            parts.push(match p {
                Part::Word(w) => PartScorer::Word(word_cursors(w, reader, boost)?, w.tie),
                Part::Other(w) => PartScorer::Other(w.scorer(reader, boost)?),
            });
        }
        let excluded: Vec<Box<dyn Scorer>> = self
            .excluded
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<_>>()?;
        Ok(BulkScorer::new(parts, excluded))
    }
}

/// A word's terms in a segment, as cursors over their postings.
fn word_cursors(
    w: &WordWeight,
    reader: &SegmentReader,
    boost: Score,
) -> tantivy::Result<Vec<Cursor>> {
    let mut out = Vec::with_capacity(w.leaves.len());
    for (term, bm25, b) in &w.leaves {
        // as tantivy's boost weight hands its boost to the term weight
        if let Some(c) = Cursor::open(reader, term, bm25.boost_by(boost * *b))? {
            out.push(c);
        }
    }
    Ok(out)
}

/// The score one term of a word gives passage `addr`, before the word's
/// disjunction max: the term's BM25 (statistics from `searcher`) times
/// `boost`, computed as tantivy's explanation of a boosted term query
/// computes it; `None` when the passage does not hold the term. This is
/// how `--explain` shares out a word's score among its terms.
pub fn term_score(
    searcher: &tantivy::Searcher,
    term: &Term,
    boost: Score,
    addr: DocAddress,
) -> tantivy::Result<Option<Score>> {
    term_score_with(searcher, searcher, term, boost, addr)
}

/// [`term_score`] with the statistics of `stats` (a sharded index's whole).
pub(crate) fn term_score_with(
    stats: &dyn Bm25StatisticsProvider,
    searcher: &tantivy::Searcher,
    term: &Term,
    boost: Score,
    addr: DocAddress,
) -> tantivy::Result<Option<Score>> {
    let bm25 = Bm25Weight::for_terms(stats, std::slice::from_ref(term))?;
    let reader = searcher.segment_reader(addr.segment_ord);
    let Some(mut cursor) = Cursor::open(reader, term, bm25.clone())? else {
        return Ok(None);
    };
    cursor.seek(addr.doc_id);
    if cursor.doc() != addr.doc_id {
        return Ok(None);
    }
    let (norm, freq) = cursor.norm_and_freq();
    Ok(Some(bm25.score(norm, freq) * boost))
}

impl Weight for BulkWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.bulk_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.bulk_scorer(reader, 1.0)?;
        if s.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "sum of the clauses' scores (a word: its best term plus the tie breaker times the others)",
            s.score(),
        ))
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        // window by window, without a call per passage through the scorer
        self.bulk_scorer(reader, 1.0)?.drain(callback);
        Ok(())
    }
}
