//! One term's postings in a segment, read a block at a time and poured
//! into a [`Window`] as scores.

use super::window::Window;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, Term, TERMINATED};

/// One term's postings: the current block and the position in it.
pub(super) struct Cursor {
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
    /// A term's postings in a segment, scored by `bm25` (already boosted);
    /// `None` when the segment has no passage with the term.
    pub(super) fn open(
        reader: &SegmentReader,
        term: &Term,
        bm25: Bm25Weight,
    ) -> tantivy::Result<Option<Cursor>> {
        let inverted = reader.inverted_index(term.field())?;
        let Some(info) = inverted.get_term_info(term)? else {
            return Ok(None);
        };
        let postings =
            inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        if postings.docs().is_empty() {
            return Ok(None);
        }
        // as tantivy's term weight reads them when scoring
        let norms = reader
            .fieldnorms_readers()
            .get_field(term.field())?
            .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        let mut once = Box::new([0.0; 256]);
        for (id, s) in once.iter_mut().enumerate() {
            *s = bm25.score(id as u8, 1);
        }
        Ok(Some(Cursor {
            postings,
            cur: 0,
            norms,
            bm25,
            once,
        }))
    }

    /// The current passage, or [`TERMINATED`].
    pub(super) fn doc(&self) -> DocId {
        self.postings
            .docs()
            .get(self.cur)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// Passages with the term in the segment.
    pub(super) fn doc_freq(&self) -> u32 {
        self.postings.doc_freq()
    }

    /// The field norm id and the term's frequency at the current passage
    /// (1 when the field keeps no frequencies), as its score reads them.
    pub(super) fn norm_and_freq(&self) -> (u8, u32) {
        let doc = self.doc();
        let freq = self.postings.freqs().get(self.cur).copied().unwrap_or(1);
        (self.norms.fieldnorm_id(doc), freq)
    }

    /// Moves to the first passage at or after `target`.
    pub(super) fn seek(&mut self, target: DocId) {
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
    pub(super) fn pour(&mut self, w: &mut Window, start: DocId, end: DocId) {
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
