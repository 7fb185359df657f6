//! Values computed once per index segment and kept: a generation's segments
//! never change, so a table read from a segment's columns serves every
//! later search of that generation.

use rustc_hash::FxHashMap;
use std::sync::{Arc, RwLock};
use tantivy::index::SegmentId;
use tantivy::SegmentReader;

/// One `T` per segment, built on first use.
#[derive(Debug)]
pub(crate) struct PerSegment<T> {
    built: RwLock<FxHashMap<SegmentId, Arc<T>>>,
}

impl<T> Default for PerSegment<T> {
    fn default() -> Self {
        PerSegment {
            built: RwLock::default(),
        }
    }
}

impl<T> PerSegment<T> {
    /// The segment's value, built by `build` the first time it is asked for.
    pub(crate) fn get(
        &self,
        reader: &SegmentReader,
        build: impl FnOnce(&SegmentReader) -> T,
    ) -> Arc<T> {
        let id = reader.segment_id();
        if let Some(v) = self
            .built
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
        {
            return v.clone();
        }
        let v = Arc::new(build(reader));
        let mut all = self.built.write().unwrap_or_else(|p| p.into_inner());
        all.insert(id, v.clone());
        v
    }
}
