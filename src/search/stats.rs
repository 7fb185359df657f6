//! The index statistics a query plan and its scores read: from one index,
//! or gathered from the shards of a sharded index and summed.
//!
//! Planning asks two kinds of questions ([`PlanStats`]): how many passages
//! hold a term, and which terms of a field a prefix or a misspelt word
//! stands for, with their passage counts. Scoring (BM25) asks the first
//! again for the plan's terms, and the passages and tokens per field
//! (tantivy's [`Bm25StatisticsProvider`]). Every answer is a sum over the
//! segments of an index, so it is the same sum over shards: a sharded
//! index is planned and scored as the one index of its corpus would be.
//!
//! A coordinator does not know the questions before planning, and the
//! answers steer which come next (a known word asks for no typos). It
//! plans once with a [`Recorder`], which answers "no passage" to every
//! question: that takes every branch that asks more (a word not known asks
//! for typos one edit away, none found asks for two), so what it records
//! covers every question the real planning can ask. The shards answer the
//! recorded questions ([`IndexSearcher::answer`]); [`Gathered`] sums their
//! answers and answers the real planning and the scoring from them.

use super::searcher::IndexSearcher;
use super::MAX_PREFIX_SCAN;
use crate::error::{Error, Result};
use crate::lang::Language;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tantivy::query::{Bm25StatisticsProvider, FuzzyTermQuery};
use tantivy::schema::Field;
use tantivy::Term;

/// What a term dictionary walk looks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Expand {
    /// Terms beginning with this text: the first [`MAX_PREFIX_SCAN`] in
    /// byte order.
    Prefix(String),
    /// Terms at most this many edits from this text.
    Fuzzy(String, u8),
}

/// The questions planning asks of an index's statistics.
pub(crate) trait PlanStats {
    /// Passages holding a term (deleted ones included, as tantivy counts).
    fn doc_freq(&self, term: &Term) -> Result<u64>;
    /// The terms of `field` that `what` stands for, in byte order, each
    /// with its passage count.
    fn expand(&self, field: Field, what: &Expand) -> Result<Vec<(String, u64)>>;
}

impl PlanStats for tantivy::Searcher {
    fn doc_freq(&self, term: &Term) -> Result<u64> {
        Ok(tantivy::Searcher::doc_freq(self, term)?)
    }

    fn expand(&self, field: Field, what: &Expand) -> Result<Vec<(String, u64)>> {
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for seg in self.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let dict = inv.terms();
            let mut count = |key: &[u8], doc_freq: u32| {
                if let Ok(k) = std::str::from_utf8(key) {
                    *found.entry(k.to_string()).or_default() += u64::from(doc_freq);
                }
            };
            match what {
                Expand::Prefix(p) => {
                    let p: &[u8] = p.as_bytes();
                    let mut stream = dict.range().ge(p).into_stream().map_err(io)?;
                    let mut scanned = 0;
                    while scanned < MAX_PREFIX_SCAN && stream.advance() {
                        if !stream.key().starts_with(p) {
                            break;
                        }
                        scanned += 1;
                        count(stream.key(), stream.value().doc_freq);
                    }
                }
                Expand::Fuzzy(w, d) => {
                    let dfa = FuzzyTermQuery::new(Term::from_field_text(field, w), *d, true)
                        .automaton()?;
                    let mut stream = dict.search(dfa).into_stream().map_err(io)?;
                    while stream.advance() {
                        count(stream.key(), stream.value().doc_freq);
                    }
                }
            }
        }
        Ok(first_of(what, found))
    }
}

/// A walk's terms in byte order; a prefix keeps its first
/// [`MAX_PREFIX_SCAN`] terms, so that the answer does not depend on how the
/// index is cut into segments or shards (each of them scans at most as
/// many: a term among the first N of the whole is among the first N of
/// every part that holds it, with its count complete).
fn first_of(what: &Expand, found: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let keep = match what {
        Expand::Prefix(_) => MAX_PREFIX_SCAN,
        Expand::Fuzzy(..) => usize::MAX,
    };
    found.into_iter().take(keep).collect()
}

fn io(e: std::io::Error) -> Error {
    Error::Index(e.into())
}

/// The questions of one planning: terms whose passage counts it needs,
/// walks of term dictionaries, and the fields whose token totals scoring
/// needs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Questions {
    /// Terms to count passages of.
    pub(crate) terms: Vec<Term>,
    /// Dictionary walks.
    pub(crate) walks: Vec<(Field, Expand)>,
    /// Fields whose tokens to total.
    pub(crate) fields: Vec<Field>,
}

/// One index's (or shard's) answers to [`Questions`], in their order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Answers {
    /// The generation that answered (its folder name).
    pub(crate) generation: String,
    /// Languages with passages in it.
    pub(crate) languages: Vec<Language>,
    /// Passages in the index (tantivy's `max_doc` summed over segments).
    pub(crate) num_docs: u64,
    /// Tokens per field, as the questions' fields.
    pub(crate) tokens: Vec<u64>,
    /// Passage counts, as the questions' terms.
    pub(crate) doc_freqs: Vec<u64>,
    /// The terms of each walk.
    pub(crate) walks: Vec<Vec<(String, u64)>>,
}

impl IndexSearcher {
    /// Answers a coordinator's questions from this index's statistics.
    pub(crate) fn answer(&self, q: &Questions) -> Result<Answers> {
        let searcher = self.reader.searcher();
        Ok(Answers {
            generation: self.generation_name(),
            languages: self.index_languages.clone(),
            num_docs: searcher.total_num_docs()?,
            tokens: q
                .fields
                .iter()
                .map(|&f| searcher.total_num_tokens(f))
                .collect::<tantivy::Result<_>>()?,
            doc_freqs: q
                .terms
                .iter()
                .map(|t| PlanStats::doc_freq(&searcher, t))
                .collect::<Result<_>>()?,
            walks: q
                .walks
                .iter()
                .map(|(f, w)| PlanStats::expand(&searcher, *f, w))
                .collect::<Result<_>>()?,
        })
    }
}

/// Planning's stand-in that records every question and answers "no
/// passage" and "no term" (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    terms: RefCell<BTreeSet<Term>>,
    walks: RefCell<BTreeSet<(u32, Expand)>>,
}

impl PlanStats for Recorder {
    fn doc_freq(&self, term: &Term) -> Result<u64> {
        self.terms.borrow_mut().insert(term.clone());
        Ok(0)
    }

    fn expand(&self, field: Field, what: &Expand) -> Result<Vec<(String, u64)>> {
        self.walks
            .borrow_mut()
            .insert((field.field_id(), what.clone()));
        Ok(Vec::new())
    }
}

impl Recorder {
    /// The questions recorded, with `more` terms (the filters' own) and
    /// the fields of them all.
    pub(crate) fn into_questions(self, more: impl IntoIterator<Item = Term>) -> Questions {
        let mut terms = self.terms.into_inner();
        terms.extend(more);
        let walks: Vec<(Field, Expand)> = self
            .walks
            .into_inner()
            .into_iter()
            .map(|(f, w)| (Field::from_field_id(f), w))
            .collect();
        let fields: BTreeSet<Field> = terms
            .iter()
            .map(Term::field)
            .chain(walks.iter().map(|(f, _)| *f))
            .collect();
        Questions {
            terms: terms.into_iter().collect(),
            walks,
            fields: fields.into_iter().collect(),
        }
    }
}

/// The shards' answers, summed: the statistics of the whole index, for
/// planning and for scoring.
#[derive(Debug, Clone, Default)]
pub(crate) struct Gathered {
    /// What scoring reads (sent to every shard with the plan).
    pub(crate) scoring: ScoringStats,
    walks: HashMap<(Field, Expand), Vec<(String, u64)>>,
}

/// What BM25 reads of the whole index: passages, tokens per field, and the
/// passage count of every term of a plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ScoringStats {
    num_docs: u64,
    tokens: BTreeMap<u32, u64>,
    #[serde(with = "wire_term_counts")]
    doc_freqs: HashMap<Term, u64>,
}

impl Gathered {
    /// Sums the answers of every shard to the same questions.
    pub(crate) fn sum(q: &Questions, answers: &[Answers]) -> Gathered {
        let mut g = Gathered::default();
        let sc = &mut g.scoring;
        for a in answers {
            sc.num_docs += a.num_docs;
            for (f, n) in q.fields.iter().zip(&a.tokens) {
                *sc.tokens.entry(f.field_id()).or_default() += n;
            }
            for (t, n) in q.terms.iter().zip(&a.doc_freqs) {
                *sc.doc_freqs.entry(t.clone()).or_default() += n;
            }
        }
        for (i, (field, what)) in q.walks.iter().enumerate() {
            let mut found: BTreeMap<String, u64> = BTreeMap::new();
            for a in answers {
                for (t, n) in a.walks.get(i).into_iter().flatten() {
                    *found.entry(t.clone()).or_default() += n;
                }
            }
            let terms = first_of(what, found);
            // a walk's terms are counted in full: planning and scoring ask
            // for them by term afterwards
            for (t, n) in &terms {
                sc.doc_freqs.insert(Term::from_field_text(*field, t), *n);
            }
            g.walks.insert((*field, what.clone()), terms);
        }
        g
    }
}

fn not_gathered(what: &str) -> Error {
    Error::Internal(format!(
        "the statistics of {what} were not gathered from the shards"
    ))
}

impl PlanStats for Gathered {
    fn doc_freq(&self, term: &Term) -> Result<u64> {
        self.scoring.term_count(term)
    }

    fn expand(&self, field: Field, what: &Expand) -> Result<Vec<(String, u64)>> {
        self.walks
            .get(&(field, what.clone()))
            .cloned()
            .ok_or_else(|| not_gathered("a term walk"))
    }
}

impl ScoringStats {
    fn term_count(&self, term: &Term) -> Result<u64> {
        self.doc_freqs
            .get(term)
            .copied()
            .ok_or_else(|| not_gathered("a term"))
    }
}

impl Bm25StatisticsProvider for ScoringStats {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.tokens.get(&field.field_id()).copied().ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!(
                "token total of field {} not gathered",
                field.field_id()
            ))
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.num_docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.term_count(term)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))
    }
}

/// Term counts on the wire: pairs of term and count (JSON maps take only
/// text keys).
mod wire_term_counts {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::HashMap;
    use tantivy::Term;

    pub(super) fn serialize<S: Serializer>(
        m: &HashMap<Term, u64>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut v: Vec<(&Term, u64)> = m.iter().map(|(t, n)| (t, *n)).collect();
        v.sort();
        v.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<HashMap<Term, u64>, D::Error> {
        Ok(Vec::<(Term, u64)>::deserialize(d)?.into_iter().collect())
    }
}
