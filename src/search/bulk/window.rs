//! A window of [`WINDOW`] consecutive passages: which matched, and their
//! scores so far.

use tantivy::Score;

use crate::scratch::{Pool, Reusable};

/// Passages per window: a window's two score arrays (16 KB each) and bit
/// set stay in the cache close to the core while terms are poured in.
pub(super) const WINDOW: u32 = 4096;
/// Words of a window's bit set.
pub(super) const WORDS: usize = (WINDOW / 64) as usize;
const MASK: usize = WINDOW as usize - 1;

/// A window's matched passages and their scores. A word's window holds,
/// per passage, its best term's score and the sum of its terms' scores;
/// the query's window holds the sum of its clauses' scores (its `best`
/// stays 0).
pub(super) struct Window {
    /// One bit per passage: matched.
    pub(super) bits: [u64; WORDS],
    /// A word's best term score per passage.
    pub(super) best: [Score; WINDOW as usize],
    /// The sum of the scores poured in per passage (a word's terms, or the
    /// query's clauses).
    pub(super) sum: [Score; WINDOW as usize],
}

/// Windows a thread keeps for reuse.
const POOLED_WINDOWS: usize = 8;

thread_local! {
    /// Clear windows a thread's scorers left behind: a query takes two per
    /// segment, and fresh ones would be zeroed pages every time.
    static WINDOWS: Pool<Box<Window>> =
        const { Pool::new(POOLED_WINDOWS, std::mem::size_of::<Window>()) };
}

impl Default for Window {
    fn default() -> Self {
        Window {
            bits: [0; WORDS],
            best: [0.0; WINDOW as usize],
            sum: [0.0; WINDOW as usize],
        }
    }
}

impl Reusable for Box<Window> {
    /// Nothing to do: a window's owner clears every passage it poured in
    /// before giving it back (checked in debug builds).
    fn clear(&mut self) {
        debug_assert!(self.bits.iter().all(|&b| b == 0));
    }
    fn bytes(&self) -> usize {
        std::mem::size_of::<Window>()
    }
}

impl Window {
    /// A clear window, from the thread's pool when it has one.
    pub(super) fn pooled() -> Pooled {
        Pooled(Some(WINDOWS.with(Pool::take)))
    }

    /// A term's score for passage `d`, combined as tantivy's disjunction-max
    /// combiner does: the max (scores are never NaN) and the sum.
    #[inline(always)]
    pub(super) fn add_term(&mut self, d: usize, s: Score) {
        let d = d & MASK;
        self.bits[d / 64] |= 1 << (d % 64);
        if s > self.best[d] {
            self.best[d] = s;
        }
        self.sum[d] += s;
    }

    /// A clause's score for passage `d`, added as tantivy's sum combiner does.
    #[inline(always)]
    pub(super) fn add_clause(&mut self, d: usize, s: Score) {
        let d = d & MASK;
        self.bits[d / 64] |= 1 << (d % 64);
        self.sum[d] += s;
    }

    /// The query's score of passage `d`, its slot cleared.
    #[inline(always)]
    pub(super) fn take_sum(&mut self, d: usize) -> Score {
        std::mem::take(&mut self.sum[d & MASK])
    }

    /// A word's score of passage `d` (its best term plus `tie` times the
    /// others), its slots cleared.
    #[inline(always)]
    pub(super) fn take_word(&mut self, d: usize, tie: Score) -> Score {
        let d = d & MASK;
        let (m, s) = (
            std::mem::take(&mut self.best[d]),
            std::mem::take(&mut self.sum[d]),
        );
        m + (s - m) * tie
    }

    /// Clears passage `d` (bit and slots).
    #[inline(always)]
    pub(super) fn clear(&mut self, d: usize) {
        let d = d & MASK;
        self.bits[d / 64] &= !(1 << (d % 64));
        self.best[d] = 0.0;
        self.sum[d] = 0.0;
    }
}

/// A window that goes back to the thread's pool when dropped (clear:
/// its owner clears what it did not read).
pub(super) struct Pooled(Option<Box<Window>>);

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
        // (a window dropped by a panic may be half filled: the pool frees
        // it; and none is kept while the thread is being torn down)
        if let Some(w) = self.0.take() {
            let _ = WINDOWS.try_with(|p| p.give(w));
        }
    }
}
