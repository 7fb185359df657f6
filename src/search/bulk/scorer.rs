//! The scorer of a disjunction of words and other clauses, filled a
//! window at a time (see the module documentation of [`super`]).

use super::cursor::Cursor;
use super::window::{Pooled, Window, WINDOW, WORDS};
use tantivy::query::Scorer;
use tantivy::{DocId, DocSet, Score, TERMINATED};

/// One optional clause of the query in a segment.
pub(super) enum PartScorer {
    /// A word's term cursors and its tie breaker.
    Word(Vec<Cursor>, Score),
    /// Any other clause (a phrase): tantivy's scorer.
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

    /// Pours the part's passages of the window `[start, end)` into `total`
    /// as one clause score each (a word's terms go through `word` first).
    fn pour(&mut self, word: &mut Window, total: &mut Window, start: DocId, end: DocId) {
        match self {
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
                        let score = word.take_word(d, *tie);
                        total.add_clause(d, score);
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

    /// About how many passages the part matches.
    fn size_hint(&self) -> u32 {
        match self {
            PartScorer::Word(cursors, _) => cursors.iter().map(Cursor::doc_freq).max().unwrap_or(0),
            PartScorer::Other(s) => s.size_hint(),
        }
    }
}

/// Scores the passages of a segment a window at a time: every optional
/// part poured into the total, excluded passages cleared, the rest read
/// off the total's bit set in order.
pub(super) struct BulkScorer {
    parts: Vec<PartScorer>,
    excluded: Vec<Box<dyn Scorer>>,
    /// A word's terms, poured in before the word's scores join the total.
    word: Pooled,
    /// The clauses' scores summed and the matched passages.
    total: Pooled,
    /// First passage of the window.
    start: DocId,
    /// The word of the total's bit set being read.
    at: usize,
    doc: DocId,
    score: Score,
}

impl BulkScorer {
    /// A scorer on its first passage.
    pub(super) fn new(parts: Vec<PartScorer>, excluded: Vec<Box<dyn Scorer>>) -> BulkScorer {
        let mut s = BulkScorer {
            parts,
            excluded,
            word: Window::pooled(),
            total: Window::pooled(),
            start: 0,
            at: WORDS,
            doc: 0,
            score: 0.0,
        };
        s.advance();
        s
    }

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
            p.pour(word, total, start, end);
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

    /// Clears what is left of the window.
    fn drop_window(&mut self) {
        for i in self.at..WORDS {
            let mut bits = std::mem::take(&mut self.total.bits[i]);
            while bits != 0 {
                self.total.take_sum(i * 64 + bits.trailing_zeros() as usize);
                bits &= bits - 1;
            }
        }
        self.at = WORDS;
    }

    /// Calls `f` with every remaining passage and its score, in order.
    pub(super) fn drain(&mut self, f: &mut dyn FnMut(DocId, Score)) {
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
                    let score = self.total.take_sum(d);
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
                self.score = self.total.take_sum(d);
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
            .map(PartScorer::size_hint)
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
