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

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EnableScoring, Explanation, Occur,
    Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Passages per window: a window's two score arrays (16 KB each) and bit
/// set stay in the cache close to the core while terms are poured in.
const WINDOW: u32 = 4096;
const WORDS: usize = (WINDOW / 64) as usize;
const MASK: usize = WINDOW as usize - 1;

/// The terms of one word with their boosts, combined as a disjunction max.
#[derive(Debug, Clone)]
pub struct WordQuery {
    leaves: Vec<(Term, Score)>,
    tie: Score,
}

impl WordQuery {
    /// A word that matches a passage holding any of `leaves` (term, boost),
    /// scored by the best of them plus `tie` times the rest.
    pub fn new(leaves: Vec<(Term, Score)>, tie: Score) -> WordQuery {
        WordQuery { leaves, tie }
    }

    /// The same word as tantivy's own queries (which score it the same).
    pub fn tantivy_query(&self) -> DisjunctionMaxQuery {
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
pub type Clauses = Vec<(Occur, Box<dyn Query>)>;

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
    pub fn new(clauses: Clauses) -> Result<OrQuery, Clauses> {
        let should = clauses.iter().filter(|(o, _)| *o == Occur::Should).count();
        if should == 0 || clauses.iter().any(|(o, _)| *o == Occur::Must) {
            return Err(clauses);
        }
        Ok(OrQuery { clauses })
    }

    /// The same query as tantivy's own (which scores it the same).
    pub fn tantivy_query(&self) -> BooleanQuery {
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
        // one word and nothing excluded: its terms go straight into the
        // total window, which then holds the word's max and sum
        let single = match (parts.as_slice(), excluded.is_empty()) {
            ([PartScorer::Word(_, tie)], true) => Some(*tie),
            _ => None,
        };
        let mut s = BulkScorer {
            parts,
            excluded,
            single,
            word: Window::pooled(),
            total: Window::pooled(),
            start: 0,
            at: WORDS,
            doc: 0,
            score: 0.0,
        };
        s.advance();
        Ok(s)
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
        let inverted = reader.inverted_index(term.field())?;
        let Some(info) = inverted.get_term_info(term)? else {
            continue;
        };
        let postings =
            inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        if postings.docs().is_empty() {
            continue;
        }
        let norms = reader
            .fieldnorms_readers()
            .get_field(term.field())?
            .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        // as tantivy's boost weight hands its boost to the term weight
        let bm25 = bm25.boost_by(boost * *b);
        let mut once = Box::new([0.0; 256]);
        for (id, s) in once.iter_mut().enumerate() {
            *s = bm25.score(id as u8, 1);
        }
        out.push(Cursor {
            postings,
            cur: 0,
            norms,
            bm25,
            once,
        });
    }
    Ok(out)
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

/// One term's postings: the current block and the position in it.
struct Cursor {
    postings: BlockSegmentPostings,
    cur: usize,
    norms: FieldNormReader,
    bm25: Bm25Weight,
    /// The term's score at frequency 1 for each field norm id, from
    /// `bm25` itself: most postings have frequency 1, and a look-up spares
    /// the conversion and division of each.
    once: Box<[Score; 256]>,
}

impl Cursor {
    /// The current passage, or [`TERMINATED`].
    fn doc(&self) -> DocId {
        self.postings
            .docs()
            .get(self.cur)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// Moves to the first passage at or after `target`.
    fn seek(&mut self, target: DocId) {
        if self.doc() >= target {
            return;
        }
        self.cur = self.postings.seek(target);
        if self.cur >= self.postings.docs().len() {
            self.next_block();
        }
    }

    fn next_block(&mut self) {
        self.postings.advance();
        self.cur = 0;
    }

    /// Pours the postings of the window `[start, end)` into `w`.
    fn pour(&mut self, w: &mut Window, start: DocId, end: DocId) {
        loop {
            let docs = self.postings.docs();
            let freqs = self.postings.freqs();
            let n = docs.len();
            if n == 0 {
                return;
            }
            // the postings below the window's end, found once per block
            let stop = if docs[n - 1] < end {
                n
            } else {
                self.cur + docs[self.cur..].partition_point(|&d| d < end)
            };
            let (bm25, norms, once) = (&self.bm25, &self.norms, &*self.once);
            let docs = &docs[self.cur..stop];
            if freqs.len() >= stop {
                for (&doc, &tf) in docs.iter().zip(&freqs[self.cur..stop]) {
                    let id = norms.fieldnorm_id(doc);
                    let s = if tf == 1 {
                        once[usize::from(id)]
                    } else {
                        bm25.score(id, tf)
                    };
                    w.add_term((doc - start) as usize, s);
                }
            } else {
                for &doc in docs {
                    w.add_term(
                        (doc - start) as usize,
                        once[usize::from(norms.fieldnorm_id(doc))],
                    );
                }
            }
            self.cur = stop;
            if stop < n {
                return;
            }
            self.next_block();
        }
    }
}

/// A window's matched passages and two score slots per passage: for a
/// word, the best term's score and the sum of all; for the query, the sum
/// of its clauses (`a`).
struct Window {
    bits: [u64; WORDS],
    a: [Score; WINDOW as usize],
    b: [Score; WINDOW as usize],
}

thread_local! {
    /// Clear windows a thread's scorers left behind: a query takes two per
    /// segment, and fresh ones would be zeroed pages every time.
    static WINDOWS: std::cell::RefCell<Vec<Box<Window>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Windows a thread keeps for reuse.
const POOLED_WINDOWS: usize = 8;

impl Window {
    /// A clear window, from the thread's pool when it has one.
    fn pooled() -> Pooled {
        let w = WINDOWS.with(|p| p.borrow_mut().pop()).unwrap_or_else(|| {
            Box::new(Window {
                bits: [0; WORDS],
                a: [0.0; WINDOW as usize],
                b: [0.0; WINDOW as usize],
            })
        });
        Pooled(Some(w))
    }

    /// A term's score for passage `d`, combined as tantivy's disjunction-max
    /// combiner does: the max (scores are never NaN) and the sum.
    #[inline(always)]
    fn add_term(&mut self, d: usize, s: Score) {
        let d = d & MASK;
        self.bits[d / 64] |= 1 << (d % 64);
        if s > self.a[d] {
            self.a[d] = s;
        }
        self.b[d] += s;
    }

    /// A clause's score for passage `d`, added as tantivy's sum combiner does.
    #[inline(always)]
    fn add_clause(&mut self, d: usize, s: Score) {
        let d = d & MASK;
        self.bits[d / 64] |= 1 << (d % 64);
        self.a[d] += s;
    }

    /// Clears passage `d` (bit and slots).
    #[inline(always)]
    fn clear(&mut self, d: usize) {
        let d = d & MASK;
        self.bits[d / 64] &= !(1 << (d % 64));
        self.a[d] = 0.0;
        self.b[d] = 0.0;
    }
}

/// A window that goes back to the thread's pool when dropped (clear:
/// its owner clears what it did not read).
struct Pooled(Option<Box<Window>>);

impl std::ops::Deref for Pooled {
    type Target = Window;
    fn deref(&self) -> &Window {
        self.0
            .as_deref()
            .expect("a pooled window is held until dropped")
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut Window {
        self.0
            .as_deref_mut()
            .expect("a pooled window is held until dropped")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        // a window dropped by a panic may be half filled: not reused
        if std::thread::panicking() {
            return;
        }
        if let Some(w) = self.0.take() {
            debug_assert!(w.bits.iter().all(|&b| b == 0));
            // (not at all while the thread is being torn down)
            let _ = WINDOWS.try_with(|p| {
                let mut p = p.borrow_mut();
                if p.len() < POOLED_WINDOWS {
                    p.push(w);
                }
            });
        }
    }
}

enum PartScorer {
    /// A word's term cursors and its tie breaker.
    Word(Vec<Cursor>, Score),
    Other(Box<dyn Scorer>),
}

impl PartScorer {
    /// The part's next passage, or [`TERMINATED`].
    fn doc(&self) -> DocId {
        match self {
            PartScorer::Word(cursors, _) => {
                cursors.iter().map(Cursor::doc).min().unwrap_or(TERMINATED)
            }
            PartScorer::Other(s) => s.doc(),
        }
    }

    fn seek(&mut self, target: DocId) {
        match self {
            PartScorer::Word(cursors, _) => cursors.iter_mut().for_each(|c| c.seek(target)),
            PartScorer::Other(s) => {
                if s.doc() < target {
                    s.seek(target);
                }
            }
        }
    }
}

struct BulkScorer {
    parts: Vec<PartScorer>,
    excluded: Vec<Box<dyn Scorer>>,
    /// For a query of one word: its tie breaker. Its terms are then poured
    /// into `total` as into a word's window (`a` the max, `b` the sum), and
    /// a passage's score is the word's, as `0 + score` would be.
    single: Option<Score>,
    /// A word's terms, poured in before the word's scores join the total.
    word: Pooled,
    /// The clauses' scores summed (`a`) and the matched passages.
    total: Pooled,
    /// First passage of the window.
    start: DocId,
    /// The word of the total's bit set being read.
    at: usize,
    doc: DocId,
    score: Score,
}

impl BulkScorer {
    /// Starts a window at the smallest next passage of the parts and pours
    /// every part's passages below its end into it, clause after clause.
    /// False when all parts are done.
    fn refill(&mut self) -> bool {
        let start = self
            .parts
            .iter()
            .map(PartScorer::doc)
            .min()
            .unwrap_or(TERMINATED);
        if start == TERMINATED {
            return false;
        }
        let end = start.saturating_add(WINDOW);
        let (word, total) = (&mut *self.word, &mut *self.total);
        for p in &mut self.parts {
            match p {
                PartScorer::Word(cursors, _) if self.single.is_some() => {
                    for c in cursors.iter_mut() {
                        c.pour(total, start, end);
                    }
                    cursors.retain(|c| c.doc() != TERMINATED);
                }
                PartScorer::Word(cursors, tie) => {
                    for c in cursors.iter_mut() {
                        c.pour(word, start, end);
                    }
                    // the word's disjunction max joins the total; its slots
                    // are cleared for the next word
                    for i in 0..WORDS {
                        let mut bits = std::mem::take(&mut word.bits[i]);
                        while bits != 0 {
                            let d = i * 64 + bits.trailing_zeros() as usize;
                            bits &= bits - 1;
                            let (m, s) = (word.a[d], word.b[d]);
                            word.a[d] = 0.0;
                            word.b[d] = 0.0;
                            total.add_clause(d, m + (s - m) * *tie);
                        }
                    }
                    cursors.retain(|c| c.doc() != TERMINATED);
                }
                PartScorer::Other(s) => {
                    let mut doc = s.doc();
                    while doc < end {
                        total.add_clause((doc - start) as usize, s.score());
                        doc = s.advance();
                    }
                }
            }
        }
        for x in &mut self.excluded {
            let mut doc = x.doc();
            if doc < start {
                doc = x.seek(start);
            }
            while doc < end {
                total.clear((doc - start) as usize);
                doc = x.advance();
            }
        }
        self.start = start;
        self.at = 0;
        true
    }

    /// Takes the passage at `d` of the window: its score, its slot cleared.
    #[inline(always)]
    fn take(&mut self, d: usize) -> Score {
        let d = d & MASK;
        let w = &mut *self.total;
        match self.single {
            Some(tie) => {
                let (m, s) = (std::mem::take(&mut w.a[d]), std::mem::take(&mut w.b[d]));
                m + (s - m) * tie
            }
            None => std::mem::take(&mut w.a[d]),
        }
    }

    /// Clears what is left of the window.
    fn drop_window(&mut self) {
        for i in self.at..WORDS {
            let mut bits = std::mem::take(&mut self.total.bits[i]);
            while bits != 0 {
                self.take(i * 64 + bits.trailing_zeros() as usize);
                bits &= bits - 1;
            }
        }
        self.at = WORDS;
    }

    /// Calls `f` with every remaining passage and its score, in order.
    fn drain(&mut self, f: &mut dyn FnMut(DocId, Score)) {
        if self.doc == TERMINATED {
            return;
        }
        f(self.doc, self.score);
        loop {
            while self.at < WORDS {
                let mut bits = std::mem::take(&mut self.total.bits[self.at]);
                while bits != 0 {
                    let d = self.at * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let score = self.take(d);
                    f(self.start + d as DocId, score);
                }
                self.at += 1;
            }
            if !self.refill() {
                self.doc = TERMINATED;
                return;
            }
        }
    }
}

impl DocSet for BulkScorer {
    fn advance(&mut self) -> DocId {
        loop {
            while self.at < WORDS {
                let w = self.total.bits[self.at];
                if w == 0 {
                    self.at += 1;
                    continue;
                }
                self.total.bits[self.at] = w & (w - 1);
                let d = self.at * 64 + w.trailing_zeros() as usize;
                self.score = self.take(d);
                self.doc = self.start + d as DocId;
                return self.doc;
            }
            if !self.refill() {
                self.doc = TERMINATED;
                return TERMINATED;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if target < self.start.saturating_add(WINDOW) {
            while self.doc < target {
                self.advance();
            }
            return self.doc;
        }
        // past the window: drop what is left of it, move every part on
        self.drop_window();
        for p in &mut self.parts {
            p.seek(target);
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts
            .iter()
            .map(|p| match p {
                PartScorer::Word(cursors, _) => cursors
                    .iter()
                    .map(|c| c.postings.doc_freq())
                    .max()
                    .unwrap_or(0),
                PartScorer::Other(s) => s.size_hint(),
            })
            .max()
            .unwrap_or(0)
    }
}

impl Drop for BulkScorer {
    fn drop(&mut self) {
        // the word window is clear after every refill, the total once read:
        // both go back to the thread's pool clear
        self.drop_window();
    }
}

impl Scorer for BulkScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}
