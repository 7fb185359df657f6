//! A bounded cache of answers, per index generation.
//!
//! Search traffic repeats itself (the page asks for the same query again on
//! "back", shared links, popular words), and an answer costs milliseconds of
//! ranking, facet counting and highlighting. The cache keeps rendered JSON
//! answers keyed by the typed request, in two maps: new answers go to the
//! young one, and when it holds more than half the byte budget the old map is
//! dropped and the young one becomes old (an approximate LRU: a hit in the
//! old map is moved to the young one). Memory stays under the budget plus
//! one answer. The cache belongs to one generation: a new generation starts
//! empty, so an answer never outlives the index it came from.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Maps {
    young: HashMap<String, Arc<str>>,
    young_bytes: usize,
    old: HashMap<String, Arc<str>>,
}

/// Rendered answers by request key.
pub(crate) struct AnswerCache {
    budget: usize,
    maps: Mutex<Maps>,
}

impl AnswerCache {
    /// A cache of at most `budget` bytes of answers (0: caches nothing).
    pub(crate) fn new(budget: usize) -> Self {
        AnswerCache {
            budget,
            maps: Mutex::new(Maps::default()),
        }
    }

    /// The cached answer for a key.
    pub(crate) fn get(&self, key: &str) -> Option<Arc<str>> {
        if self.budget == 0 {
            return None;
        }
        let mut m = self.maps.lock().ok()?;
        if let Some(v) = m.young.get(key) {
            return Some(v.clone());
        }
        let v = m.old.remove(key)?;
        Self::insert_young(&mut m, self.budget, key.to_string(), v.clone());
        Some(v)
    }

    /// Keeps an answer.
    pub(crate) fn put(&self, key: String, value: Arc<str>) {
        if self.budget == 0 || value.len() > self.budget / 2 {
            return;
        }
        if let Ok(mut m) = self.maps.lock() {
            Self::insert_young(&mut m, self.budget, key, value);
        }
    }

    fn insert_young(m: &mut Maps, budget: usize, key: String, value: Arc<str>) {
        let key_len = key.len();
        let size = key_len + value.len();
        if m.young_bytes + size > budget / 2 {
            m.old = std::mem::take(&mut m.young);
            m.young_bytes = 0;
        }
        m.young_bytes += size;
        if let Some(prev) = m.young.insert(key, value) {
            m.young_bytes -= key_len + prev.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_within_the_budget() {
        let c = AnswerCache::new(100);
        c.put("a".into(), Arc::from("x".repeat(30)));
        assert!(c.get("a").is_some());
        c.put("b".into(), Arc::from("x".repeat(30)));
        // "a" moved to the old map when "b" did not fit in the young one
        assert!(c.get("a").is_some() && c.get("b").is_some());
        for k in ["c", "d", "e"] {
            c.put(k.into(), Arc::from("x".repeat(30)));
        }
        assert!(c.get("e").is_some());
        let m = c.maps.lock().unwrap();
        let total: usize = m
            .young
            .values()
            .chain(m.old.values())
            .map(|v| v.len())
            .sum();
        assert!(total <= 100, "{total}");
        drop(m);
        let off = AnswerCache::new(0);
        off.put("a".into(), Arc::from("x"));
        assert!(off.get("a").is_none());
    }
}
