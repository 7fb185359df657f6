//! Per-thread caches and scratch pools, with one size rule and one panic
//! rule for all of them.
//!
//! - [`Memo`]: a bounded per-thread memo of computed values. **Size rule**:
//!   when it holds `max_entries` values it is cleared before the next insert
//!   (word frequencies are Zipfian: the words that matter come back within a
//!   moment). Values are shared as [`Rc`], so no borrow of the memo is held
//!   while the caller uses a value or computes a missing one.
//! - [`Pool`]: a per-thread pool of reusable buffers. **Size rule**: a buffer
//!   given back is cleared, and kept only if the pool holds fewer than
//!   `max_kept` and the buffer is at most `max_bytes` large; else it is freed.
//!
//! **Panic rule** (both): a thread-local is never borrowed across caller
//! code, and if it is ever found borrowed (re-entered), the call goes ahead
//! without it (computes afresh, allocates, or frees) rather than panic. A
//! panic inside a computation leaves the memo as it was, and a buffer given
//! back while its thread panics is freed, not kept (its owner may have left
//! it half filled).
//!
//! Declare one in a `thread_local!` and call it through `with`:
//!
//! (The example is the unit test `module_doc_example`.)
//!
//! ```text
//! use repsearch::scratch::{Memo, Pool};
//!
//! thread_local! {
//!     static LENGTHS: Memo<String, usize> = Memo::new(1 << 16);
//!     static BUFFERS: Pool<Vec<u32>> = const { Pool::new(8, 1 << 20) };
//! }
//! let n = LENGTHS.with(|m| m.get_or_insert_with("robotikos", || "robotikos".len()));
//! assert_eq!(*n, 9);
//! let mut v = BUFFERS.with(|p| p.take());
//! v.resize(100, 0);
//! BUFFERS.with(|p| p.give(v));
//! assert!(BUFFERS.with(|p| p.take()).is_empty()); // cleared, capacity kept
//! ```
//!
//! Users: `analysis` (word forms, a `Memo`), `detect` (word costs, one
//! `Memo` per script), `extract/matcher.rs` (word readings, one `Memo` per
//! set of inflection rules), `search/bulk/window.rs` (scoring windows, a
//! `Pool<Box<Window>>` whose `clear` only checks: the scorer clears every
//! passage it poured in), `search/matched.rs` (bit sets, a `Pool<Vec<u64>>`)
//! and `facets/groups.rs` (per-group count arrays, a `Pool<Vec<u32>>`, and
//! the value-count scratch, a `Pool<Scratch>` of one, left zero by every
//! count). A `Vec` is taken empty and sized with `resize(n, 0)`.

use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::cell::RefCell;
use std::hash::Hash;
use std::rc::Rc;

/// A bounded memo of computed values, for one thread (see the module doc).
pub(crate) struct Memo<K, V: ?Sized> {
    map: RefCell<FxHashMap<K, Rc<V>>>,
    max_entries: usize,
}

impl<K: Hash + Eq, V> Memo<K, V> {
    /// An empty memo that keeps at most `max_entries` values.
    pub(crate) fn new(max_entries: usize) -> Self {
        Memo {
            map: RefCell::new(FxHashMap::default()),
            max_entries,
        }
    }

    /// The value of `key`: the kept one, or `compute()`'s, which is kept.
    pub(crate) fn get_or_insert_with<Q>(&self, key: &Q, compute: impl FnOnce() -> V) -> Rc<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(v) = self.get(key) {
            return v;
        }
        let v = Rc::new(compute());
        if let Ok(mut map) = self.map.try_borrow_mut() {
            if map.len() >= self.max_entries {
                map.clear();
            }
            map.insert(key.to_owned(), Rc::clone(&v));
        }
        v
    }

    /// The kept value of `key`, if any.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<Rc<V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let map = self.map.try_borrow().ok()?;
        map.get(key).cloned()
    }

    /// Number of values kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.try_borrow().map_or(0, |m| m.len())
    }
}

/// A buffer a [`Pool`] can keep: it can be cleared and measured.
pub(crate) trait Reusable: Default {
    /// Empties it for the next user (keeping its allocation). A buffer
    /// whose owners always empty it before giving it back may only check
    /// that (in debug builds), so the hot path pays no second clear.
    fn clear(&mut self);
    /// Bytes it holds allocated.
    fn bytes(&self) -> usize;
}

impl<T> Reusable for Vec<T> {
    fn clear(&mut self) {
        Vec::clear(self);
    }
    fn bytes(&self) -> usize {
        self.capacity() * std::mem::size_of::<T>()
    }
}

/// A pool of cleared buffers, for one thread (see the module doc).
pub(crate) struct Pool<T> {
    free: RefCell<Vec<T>>,
    max_kept: usize,
    max_bytes: usize,
}

impl<T: Reusable> Pool<T> {
    /// An empty pool that keeps at most `max_kept` buffers of at most
    /// `max_bytes` each.
    pub(crate) const fn new(max_kept: usize, max_bytes: usize) -> Self {
        Pool {
            free: RefCell::new(Vec::new()),
            max_kept,
            max_bytes,
        }
    }

    /// A cleared buffer: a kept one, or a new one.
    pub(crate) fn take(&self) -> T {
        self.free
            .try_borrow_mut()
            .ok()
            .and_then(|mut f| f.pop())
            .unwrap_or_default()
    }

    /// Gives a buffer back: cleared and kept, or freed by the size rule
    /// (or the panic rule).
    pub(crate) fn give(&self, mut buffer: T) {
        if buffer.bytes() > self.max_bytes || std::thread::panicking() {
            return;
        }
        if let Ok(mut free) = self.free.try_borrow_mut() {
            if free.len() < self.max_kept {
                buffer.clear();
                free.push(buffer);
            }
        }
    }

    /// Number of buffers kept.
    #[cfg(test)]
    pub(crate) fn kept(&self) -> usize {
        self.free.try_borrow().map_or(0, |f| f.len())
    }
}

#[cfg(test)]
mod tests {
    /// The module documentation's example.
    #[test]
    fn module_doc_example() {
        use crate::scratch::{Memo, Pool};

        thread_local! {
            static LENGTHS: Memo<String, usize> = Memo::new(1 << 16);
            static BUFFERS: Pool<Vec<u32>> = const { Pool::new(8, 1 << 20) };
        }
        let n = LENGTHS.with(|m| m.get_or_insert_with("robotikos", || "robotikos".len()));
        assert_eq!(*n, 9);
        let mut v = BUFFERS.with(|p| p.take());
        v.resize(100, 0);
        BUFFERS.with(|p| p.give(v));
        assert!(BUFFERS.with(|p| p.take()).is_empty()); // cleared, capacity kept
    }

    use super::*;

    #[test]
    fn memo_computes_once_and_is_cleared_when_full() {
        let memo: Memo<String, usize> = Memo::new(2);
        let mut calls = 0;
        for w in ["Vilnius", "Vilnius", "Москва"] {
            memo.get_or_insert_with(w, || {
                calls += 1;
                w.len()
            });
        }
        assert_eq!((calls, memo.len()), (2, 2));
        let n = memo.get_or_insert_with("Panevėžys", || 10);
        assert_eq!((*n, memo.len()), (10, 1));
        assert!(memo.get("Vilnius").is_none());
    }

    #[test]
    fn memo_re_entered_from_a_computation_works() {
        let memo: Memo<String, usize> = Memo::new(16);
        let outer =
            memo.get_or_insert_with("outer", || *memo.get_or_insert_with("inner", || 1) + 1);
        assert_eq!(*outer, 2);
        assert_eq!(memo.len(), 2);
    }

    #[test]
    fn memo_survives_a_panicking_computation() {
        let memo: Memo<String, usize> = Memo::new(16);
        memo.get_or_insert_with("a", || 1);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            memo.get_or_insert_with("b", || panic!("boom"))
        }));
        assert!(r.is_err());
        assert_eq!(memo.len(), 1);
        assert_eq!(*memo.get_or_insert_with("b", || 2), 2);
    }

    #[test]
    fn pool_keeps_cleared_buffers_within_its_limits() {
        let pool: Pool<Vec<u64>> = Pool::new(2, 1024);
        let mut a = pool.take();
        a.resize(100, 7);
        let big = vec![0u64; 1000]; // 8000 bytes: over the limit
        pool.give(a);
        pool.give(big);
        assert_eq!(pool.kept(), 1);
        let a = pool.take();
        assert!(a.is_empty() && a.capacity() >= 100);
        for _ in 0..3 {
            pool.give(Vec::with_capacity(10));
        }
        assert_eq!(pool.kept(), 2);
    }

    #[test]
    fn pool_frees_a_buffer_given_back_while_panicking() {
        struct GiveOnDrop<'p>(&'p Pool<Vec<u64>>);
        impl Drop for GiveOnDrop<'_> {
            fn drop(&mut self) {
                self.0.give(vec![7; 10]);
            }
        }
        let pool: Pool<Vec<u64>> = Pool::new(2, 1024);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _owner = GiveOnDrop(&pool);
            panic!("boom")
        }));
        assert!(r.is_err());
        assert_eq!(pool.kept(), 0);
        drop(GiveOnDrop(&pool));
        assert_eq!(pool.kept(), 1);
    }
}
