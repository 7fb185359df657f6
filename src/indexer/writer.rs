//! Writing a batch: the tantivy writer's settings, the merge policy of a
//! rebuild and of an update, and the final merge.

use super::batch::{run_batch, Tally};
use super::{document, IndexOptions, Progress};
use crate::corpus::CorpusFile;
use crate::error::{Error, Result};
use crate::facets::FacetGroups;
use crate::schema::Fields;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use tantivy::{Index, IndexWriter};

/// How a batch's segments are merged.
#[derive(Clone, Copy)]
pub(super) enum Merge<'a> {
    /// tantivy's default log merge policy, in the background (`--update`:
    /// a few small segments are added and merged among themselves).
    Background,
    /// No merging while indexing, then the segments into as few as
    /// [`MERGED_SEGMENT_BYTES`] allows (a rebuild): each passage is merged
    /// once instead of once per level, and a search looks up its terms in
    /// one or two term dictionaries instead of one per segment. The path is
    /// the generation's folder.
    Final(&'a Path),
}

/// Largest share of deleted passages a segment keeps after `--update`:
/// tantivy's BM25 statistics (passage count, average length, document
/// frequencies) still count deleted passages until their segment is merged,
/// so an updated index scores slightly differently from a rebuild. A
/// segment over this share is merged (rewritten without its deleted
/// passages) by the update; below it, the statistics count at most this
/// share of extra passages. Rewriting the main segment costs about a
/// rebuild's final merge, so it is done once per ~10% of the corpus changed,
/// not on every update.
pub const MAX_DELETED_SHARE: f32 = 0.1;

/// tantivy's log merge policy, which also merges any segment whose deleted
/// passages exceed [`MAX_DELETED_SHARE`].
fn update_merge_policy() -> tantivy::indexer::LogMergePolicy {
    let mut p = tantivy::indexer::LogMergePolicy::default();
    p.set_del_docs_ratio_before_merge(MAX_DELETED_SHARE);
    p
}

/// Largest input of the final merge of a rebuild, in bytes of segment files.
/// A merge reads its inputs through memory maps, which count in the
/// process's resident memory: this bound keeps the peak the same whatever
/// the corpus size (a larger index keeps more segments).
pub const MERGED_SEGMENT_BYTES: u64 = 1 << 30;

/// Consecutive runs of segments to merge, each at most `cap` bytes in all
/// and about the same size: `sizes` in segment order.
fn merge_groups(sizes: &[u64], cap: u64) -> Vec<std::ops::Range<usize>> {
    let total: u64 = sizes.iter().sum();
    let n = total.div_ceil(cap.max(1)).max(1);
    let target = total.div_ceil(n);
    let mut out = Vec::new();
    let (mut start, mut sum) = (0, 0);
    for (i, &s) in sizes.iter().enumerate() {
        if i > start && (sum + s > cap || sum >= target) {
            out.push(start..i);
            (start, sum) = (i, 0);
        }
        sum += s;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// Merges the segments of a committed index into as few as
/// [`MERGED_SEGMENT_BYTES`] allows.
fn final_merge(writer: &mut IndexWriter<document::PassageDoc>, dir: &Path) -> Result<()> {
    let metas = writer.index().searchable_segment_metas()?;
    // a segment's files are named after its id
    let mut bytes: HashMap<String, u64> = HashMap::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let (Some((id, _)), Ok(md)) = (name.split_once('.'), entry.metadata()) {
            *bytes.entry(id.to_string()).or_default() += md.len();
        }
    }
    let sizes: Vec<u64> = metas
        .iter()
        .map(|m| bytes.get(&m.id().uuid_string()).copied().unwrap_or(0))
        .collect();
    for group in merge_groups(&sizes, MERGED_SEGMENT_BYTES) {
        if group.len() > 1 {
            let ids: Vec<_> = metas[group].iter().map(|m| m.id()).collect();
            writer.merge(&ids).wait()?;
        }
    }
    Ok(())
}

/// Indexes the files, commits, and merges the segments.
pub(super) fn write_batch(
    mut writer: IndexWriter<document::PassageDoc>,
    files: &[CorpusFile],
    (fields, groups): (&Fields, &FacetGroups),
    threads: usize,
    opts: &IndexOptions,
    merge: Merge<'_>,
    progress: &dyn Progress,
) -> Result<Tally> {
    match merge {
        Merge::Final(_) => writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy)),
        Merge::Background => writer.set_merge_policy(Box::new(update_merge_policy())),
    }
    let batch = run_batch(
        files,
        fields,
        groups,
        &writer,
        threads,
        opts.stream_bytes,
        progress,
    );
    let t = match batch {
        Ok(t) => t,
        // an indexing thread that failed (disk full, ...) shows here only as
        // "An index writer was killed": its own error comes back on joining it
        Err(e @ Error::Index(tantivy::TantivyError::ErrorInThread(_))) => {
            return Err(writer.commit().err().map(Error::from).unwrap_or(e))
        }
        Err(e) => return Err(e),
    };
    writer.commit()?;
    if let Merge::Final(dir) = merge {
        final_merge(&mut writer, dir)?;
        // the merged segments' files are no longer in the index: delete
        // them now (tantivy does so only on a later commit)
        writer.garbage_collect_files().wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(t)
}

/// Bytes of stored passages compressed together (tantivy's default is
/// 16 KB). Showing a hit decompresses its whole block: a page of ten hits
/// from ten places of the index decompresses ten blocks, so smaller blocks
/// cost a search less, for a slightly larger store (measured on the 1M
/// passage scale corpus: see BENCHMARKS.md).
pub const DOCSTORE_BLOCK_BYTES: usize = 4096;

/// The settings of a new index.
pub(super) fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..Default::default()
    }
}

/// A writer with up to eight indexing threads and at least 20 MB each.
pub(super) fn open_writer(
    index: &Index,
    threads: usize,
    memory: usize,
) -> Result<IndexWriter<document::PassageDoc>> {
    let writer_threads = threads.clamp(1, 8);
    let memory = memory.max((writer_threads * 20) << 20);
    Ok(index.writer_with_num_threads(writer_threads, memory)?)
}

/// Writes a value as pretty JSON.
pub(super) fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    std::fs::write(path, s).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_merge_groups_are_consecutive_balanced_and_capped() {
        // everything fits: one group
        assert_eq!(merge_groups(&[5, 5, 5], 100), vec![0..3]);
        // 110 bytes with a cap of 100: two groups of about 55, not 100 + 10
        let g = merge_groups(&[10; 11], 100);
        assert_eq!(g, [0..6, 6..11]);
        // a segment larger than the cap stays alone
        assert_eq!(merge_groups(&[10, 500, 10], 100), [0..1, 1..2, 2..3]);
        for sizes in [vec![1, 2, 3, 4, 50, 60, 70, 5], vec![99; 7], vec![0, 0]] {
            let g = merge_groups(&sizes, 100);
            let joined: Vec<usize> = g.iter().flat_map(|r| r.clone()).collect();
            assert_eq!(joined, (0..sizes.len()).collect::<Vec<_>>());
            for r in &g {
                let sum: u64 = sizes[r.clone()].iter().sum();
                assert!(r.len() == 1 || sum <= 100, "{sizes:?} {g:?}");
            }
        }
        assert!(merge_groups(&[], 100).is_empty());
    }
}
