//! Building an index from a corpus folder.
//!
//! Files are read and analysed in parallel on a rayon pool; each document's
//! passages go to one tantivy writer, which runs its own indexing threads.
//! The new index is written as a fresh generation and published only when
//! complete (see [`crate::store`]). A file that cannot be read — or whose
//! analysis panics — is reported in the summary and never stops the batch.
//!
//! `update` mode starts the new generation from the live one (hard links) and
//! re-indexes only the files added, changed or removed since its manifest.

mod batch;
pub(crate) mod chunks;
pub(crate) mod document;
mod generation;
pub(crate) mod inflight;
pub(crate) mod manifest;
pub(crate) mod meta;
mod shards;
mod summary;
mod task;
mod writer;

/// The shard a corpus file belongs to in a sharded index (see `--shards`).
pub use crate::stored::shard_of;
pub use shards::ShardSpec;
pub use summary::{
    BuildMode, ChangeCounts, FacetCoverage, IndexSummary, ShardSummary, SkippedFile, META_FILE,
};
pub use task::build_shard;

use crate::corpus;
use crate::error::{Error, RebuildFailed, Result};
use crate::schema::Fields;
use crate::store::{BuildLock, IndexLocation};
use crate::stored::{ShardLayout, SHARDS_FILE};
use generation::Run;
use manifest::{Manifest, MANIFEST_FILE};
use std::path::{Path, PathBuf};
use std::time::Instant;
use summary::count_passages;
use tantivy::Index;
use writer::write_json;
pub use writer::{DOCSTORE_BLOCK_BYTES, MAX_DELETED_SHARE, MERGED_SEGMENT_BYTES};

/// What `repsearch index` is asked to do.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// The index folder.
    pub index: PathBuf,
    /// Threads for reading and analysis (default: all cores).
    pub threads: Option<usize>,
    /// Memory budget of the tantivy writer, in bytes.
    pub writer_memory: usize,
    /// Re-index only what changed since the live index (a full rebuild when
    /// there is no live index).
    pub update: bool,
    /// Plain-text files larger than this are read from disk in chunks (any
    /// text longer than one chunk is analysed in chunks, see [`chunks`]).
    pub stream_bytes: u64,
    /// Replace a live index that has documents even when this build indexed
    /// none (by default that is refused: an unmounted or emptied corpus).
    pub allow_empty: bool,
    /// Shards of the new index, 1 to 256 (1: an ordinary index). `None`:
    /// one, or with `update` as many as the live index has; with `update`
    /// any other number than the live index's is refused.
    pub shards: Option<u32>,
}

impl IndexOptions {
    /// Options with the defaults for the given folders.
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        IndexOptions {
            corpus: corpus.into(),
            index: index.into(),
            threads: None,
            writer_memory: 256 << 20,
            update: false,
            stream_bytes: 8 << 20,
            allow_empty: false,
            shards: None,
        }
    }
}

/// Receives progress while a build runs (the CLI draws a progress bar).
pub trait Progress: Sync {
    /// The build will process this many files and bytes.
    fn start(&self, _files: usize, _bytes: u64) {}
    /// One file is done.
    fn file_done(&self, _bytes: u64) {}
    /// Writing is finishing (commit, merges).
    fn finishing(&self) {}
}

/// Progress that reports nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Does the index generation in `dir` have this version's fields, with the
/// same options?
fn same_schema(dir: &Path) -> bool {
    Index::open_in_dir(dir).is_ok_and(|i| Fields::is_current(&i.schema()))
}

/// The manifest of a live index folder that `--update` can start from, or
/// `None` when it is to be rebuilt whole, with the note saying why when an
/// index of another version of repsearch is the reason (it cannot be
/// updated in place: it is rebuilt whole, in the same safe way).
fn updatable(dir: &Path) -> (Option<Manifest>, Option<String>) {
    if !same_schema(dir) {
        let note = "the live index was built by another version of repsearch, so --update rebuilt it whole";
        return (None, Some(note.to_string()));
    }
    (Manifest::load(dir), None)
}

/// Builds (or updates) the index of the corpus and makes it live: one
/// index, or a sharded one ([`IndexOptions::shards`]).
pub fn build(opts: &IndexOptions, progress: &dyn Progress) -> Result<IndexSummary> {
    let started = Instant::now();
    check_corpus_root(&opts.corpus)?;
    let (files, walk_skipped) = corpus::walk(&opts.corpus)?;
    let location = IndexLocation::new(&opts.index);
    let lock = location.lock()?;
    let live = if opts.update { location.live() } else { None };
    let layout = match &live {
        Some(g) => crate::stored::shard_layout(g)?,
        None => None,
    };
    let n = shards::count(opts, live.as_deref(), layout.as_ref())?;
    let run = Run {
        opts,
        files: &files,
        threads: opts.threads.unwrap_or_else(num_cpus).max(1),
        progress,
    };
    let built = match n > 1 || layout.is_some() {
        true => shards::build(&run, (&location, &lock), n, live, walk_skipped),
        false => single(&run, (&location, &lock), live, walk_skipped),
    };
    let (generation, mut summary, last) = built.map_err(|e| abandon(&location, e))?;
    summary.corpus = opts.corpus.display().to_string();
    summary.seconds = started.elapsed().as_secs_f64();
    refuse_empty(opts, &location, &summary)
        .and_then(|_| match last {
            Last::Manifest(m) => write_summary(&generation, &m, &summary),
            Last::Layout(l) => write_json(&generation.join(SHARDS_FILE), &l),
        })
        .and_then(|_| location.publish(&generation, &lock))
        .map_err(|e| abandon(&location, e))?;
    Ok(summary)
}

/// What a build writes last into its generation, after its summary is
/// complete: an index's manifest and summary, or a sharded index's layout.
enum Last {
    Manifest(Manifest),
    Layout(ShardLayout),
}

/// Builds one index into a new generation: an update of `live` when it
/// can be updated, else a rebuild.
fn single(
    run: &Run<'_>,
    (location, lock): (&IndexLocation, &BuildLock),
    live: Option<PathBuf>,
    walk_skipped: Vec<corpus::Skipped>,
) -> Result<(PathBuf, IndexSummary, Last)> {
    let (previous, note) = match &live {
        Some(g) => updatable(g),
        None => (None, None),
    };
    let (generation, (mut summary, manifest)) = match (&live, &previous) {
        (Some(live), Some(old)) => {
            let g = location.clone_generation(live, &[META_FILE, MANIFEST_FILE], lock)?;
            let built = generation::update(run, &g, old)?;
            (g, built)
        }
        _ => {
            let g = location.new_generation(lock)?;
            let built = generation::rebuild(run, &g)?;
            (g, built)
        }
    };
    summary.note = note;
    complete(&mut summary, walk_skipped, &manifest);
    Ok((generation, summary, Last::Manifest(manifest)))
}

/// Adds to a summary what the batch does not know: the files the walk
/// skipped, the lists in path order, the facet coverage.
fn complete(summary: &mut IndexSummary, walk_skipped: Vec<corpus::Skipped>, manifest: &Manifest) {
    summary
        .skipped
        .extend(walk_skipped.into_iter().map(SkippedFile::from));
    summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    summary.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    summary.facet_coverage = FacetCoverage::of(manifest);
}

/// Writes an index's manifest, then its summary (last: a folder with a
/// summary is complete).
fn write_summary(dir: &Path, manifest: &Manifest, summary: &IndexSummary) -> Result<()> {
    write_json(&dir.join(MANIFEST_FILE), manifest)?;
    write_json(&dir.join(META_FILE), summary)
}

/// Refuses a corpus folder that cannot be listed (missing, not a folder,
/// not readable), before anything is written: indexing it would replace the
/// live index with an empty one.
fn check_corpus_root(corpus: &Path) -> Result<()> {
    use std::io::ErrorKind;
    let Err(e) = std::fs::read_dir(corpus) else {
        return Ok(());
    };
    let c = corpus.display();
    Err(Error::command(match e.kind() {
        ErrorKind::NotFound => format!(
            "corpus folder '{c}' not found (is it mounted?): pass --corpus DIR with a folder of reports; nothing was changed"
        ),
        ErrorKind::NotADirectory => format!(
            "--corpus '{c}' is not a folder: pass --corpus DIR with a folder of reports; nothing was changed"
        ),
        _ => format!(
            "corpus folder '{c}' cannot be read ({e}): check its permissions or pass --corpus DIR; nothing was changed"
        ),
    }))
}

/// Documents in the live index (0 when there is none or it cannot be read).
fn live_documents(location: &IndexLocation) -> usize {
    let Some(live) = location.live() else {
        return 0;
    };
    if let Ok(Some(layout)) = crate::stored::shard_layout(&live) {
        return (0..layout.shards)
            .map(|i| folder_documents(&crate::stored::shard_dir(&live, i)))
            .sum();
    }
    folder_documents(&live)
}

/// Documents in an index folder (0 when it cannot be read).
fn folder_documents(live: &Path) -> usize {
    match IndexSummary::load(live) {
        Some(s) => s.documents,
        // no summary: its passages tell whether it has documents
        None => Index::open_in_dir(live)
            .ok()
            .and_then(|i| count_passages(&i).ok())
            .unwrap_or(0),
    }
}

/// Refuses to replace a live index that has documents with one that has
/// none (every file skipped, or none found: an unmounted share, a wrong
/// folder), unless `--allow-empty`.
fn refuse_empty(opts: &IndexOptions, location: &IndexLocation, s: &IndexSummary) -> Result<()> {
    if s.documents > 0 || opts.allow_empty {
        return Ok(());
    }
    let live = live_documents(location);
    if live == 0 {
        return Ok(());
    }
    let found = match s.skipped.len() {
        0 => "no file to index".to_string(),
        n => format!("{n} files, all skipped"),
    };
    Err(Error::command(format!(
        "corpus '{}' gave no document ({found}) and the live index '{}' has {live} documents: it was left unchanged; check the corpus folder (is it mounted?) or pass --allow-empty to replace it with an empty index",
        opts.corpus.display(),
        location.root().display()
    )))
}

/// A build that failed (disk full, unwritable folder, ...): its unfinished
/// generation is removed at once, to give the space back, and the error says
/// that the live index is untouched (and, when the disk is full, where).
fn abandon(location: &IndexLocation, e: Error) -> Error {
    location.discard_unpublished();
    if matches!(e, Error::User(_) | Error::Damaged(_)) {
        return e;
    }
    Error::RebuildFailed(Box::new(RebuildFailed {
        index: location.root().to_path_buf(),
        live_kept: location.live().is_some(),
        disk_full: is_disk_full(&e),
        cause: e,
    }))
}

/// Is this error, or one it wraps, "no space left on device" (ENOSPC) or
/// "disk quota exceeded"? tantivy passes some I/O errors on only as text.
fn is_disk_full(e: &Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            ) {
                return true;
            }
        }
        source = s.source();
    }
    let text = format!("{e:?}");
    ["StorageFull", "QuotaExceeded", "No space left on device"]
        .iter()
        .any(|k| text.contains(k))
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::IndexLocation;

    #[test]
    fn a_rebuild_leaves_one_segment() {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        for i in 0..40 {
            let text = format!("Report {i} on robotics in Kaunas.\n\nSecond passage {i}.");
            std::fs::write(corpus.path().join(format!("r{i}.txt")), text).unwrap();
        }
        let mut opts = IndexOptions::new(corpus.path(), index.path());
        // many small flushes: a writer thread per core, the least memory
        opts.threads = Some(4);
        opts.writer_memory = 0;
        build(&opts, &NoProgress).unwrap();
        let live = IndexLocation::new(index.path()).live().unwrap();
        let segments = Index::open_in_dir(&live)
            .unwrap()
            .searchable_segment_ids()
            .unwrap();
        assert_eq!(segments.len(), 1);
        // and no file of the segments merged into it
        let mut prefixes: Vec<String> = std::fs::read_dir(&live)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                name.ends_with(".store")
                    .then(|| name.split('.').next().unwrap_or("").to_string())
            })
            .collect();
        prefixes.dedup();
        assert_eq!(prefixes, [segments[0].uuid_string()]);
    }
}
