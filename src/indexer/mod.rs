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

pub mod chunks;
pub mod document;
pub mod inflight;
pub mod manifest;
pub mod meta;

use crate::analysis::tantivy_glue;
use crate::corpus::{self, CorpusFile, Skipped};
use crate::error::{Error, Result};
use crate::facets::FacetGroups;
use crate::schema::Fields;
use crate::store::{BuildLock, IndexLocation};
use manifest::{FileEntry, Manifest, MetaEntry, Stamp, MANIFEST_FILE};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tantivy::{Index, IndexWriter, Term};

/// Name of the file describing a built index, inside its generation folder.
pub const META_FILE: &str = crate::stored::SUMMARY_FILE;

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

/// What a build did; also stored beside the index as [`META_FILE`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexSummary {
    /// Corpus folder the index was built from.
    pub corpus: String,
    /// `rebuild` or `update`.
    pub mode: String,
    /// Documents in the index.
    pub documents: usize,
    /// Passages in the index.
    pub passages: usize,
    /// Files read and analysed by this run.
    pub processed_files: usize,
    /// Bytes read by this run.
    pub bytes: u64,
    /// Passages per language code in the index.
    pub languages: BTreeMap<String, usize>,
    /// Update mode: files added, changed, removed, unchanged.
    #[serde(default)]
    pub changes: Option<ChangeCounts>,
    /// Files not indexed, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// Files indexed with a problem (e.g. bad metadata ignored).
    #[serde(default)]
    pub warnings: Vec<SkippedFile>,
    /// Documents with at least one country, city, year.
    #[serde(default)]
    pub facet_coverage: FacetCoverage,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Why an `--update` rebuilt the whole index instead, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How many documents got each facet.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FacetCoverage {
    /// Documents with a country.
    pub country: usize,
    /// Documents with a city.
    pub city: usize,
    /// Documents with a year.
    pub year: usize,
}

impl FacetCoverage {
    fn of(m: &Manifest) -> FacetCoverage {
        let mut c = FacetCoverage::default();
        for e in m.files.values().filter(|e| e.skipped.is_none()) {
            c.country += usize::from(e.facets[0]);
            c.city += usize::from(e.facets[1]);
            c.year += usize::from(e.facets[2]);
        }
        c
    }
}

/// Counts of an update.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChangeCounts {
    /// New files.
    pub added: usize,
    /// Changed files.
    pub changed: usize,
    /// Removed files.
    pub removed: usize,
    /// Unchanged files (not read).
    pub unchanged: usize,
    /// Files skipped last time, read again.
    #[serde(default)]
    pub retried: usize,
}

/// A skipped file in the summary.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SkippedFile {
    /// Path relative to the corpus.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

impl From<Skipped> for SkippedFile {
    fn from(s: Skipped) -> Self {
        SkippedFile {
            path: s.rel,
            reason: s.reason,
        }
    }
}

impl IndexSummary {
    /// Reads the summary stored in an index generation folder.
    pub fn load(generation: &Path) -> Option<IndexSummary> {
        let s = std::fs::read_to_string(generation.join(META_FILE)).ok()?;
        serde_json::from_str(&s).ok()
    }

    /// Elapsed time.
    pub fn elapsed(&self) -> Duration {
        Duration::from_secs_f64(self.seconds)
    }

    /// Languages present in the index (from the stored summary).
    pub fn all_languages(&self) -> impl Iterator<Item = &str> {
        self.languages.keys().map(String::as_str)
    }
}

#[derive(Default)]
struct Tally {
    processed: usize,
    bytes: u64,
    skipped: Vec<SkippedFile>,
    warnings: Vec<SkippedFile>,
    entries: BTreeMap<String, FileEntry>,
}

impl Tally {
    /// Records the outcome of one file: its manifest entry (with the stamp
    /// taken before it was read, and its metadata file's fingerprint) and
    /// what the summary lists.
    fn record(
        &mut self,
        file: &CorpusFile,
        result: FileResult,
        stamp: Option<Stamp>,
        meta: Option<MetaEntry>,
    ) {
        self.processed += 1;
        if let Some(problem) = meta.as_ref().and_then(bad_metadata) {
            self.skipped.push(problem);
        }
        let entry = match result {
            FileResult::Indexed { entry, warning } => {
                if let Some(w) = warning {
                    self.warnings.push(SkippedFile {
                        path: file.rel.clone(),
                        reason: w,
                    });
                }
                self.bytes += entry.size;
                Some(entry)
            }
            FileResult::Skipped { entry, reason } => {
                self.skipped.push(SkippedFile {
                    path: file.rel.clone(),
                    reason,
                });
                entry
            }
        };
        if let Some(mut e) = entry {
            if let Some(s) = stamp {
                e.set_stamp(s);
            }
            e.meta = meta;
            self.entries.insert(file.rel.clone(), e);
        }
    }
}

/// A metadata file that was ignored, as the summary lists it.
fn bad_metadata(m: &MetaEntry) -> Option<SkippedFile> {
    m.problem.as_ref().map(|p| SkippedFile {
        path: m.rel.clone(),
        reason: format!("bad metadata: {p} (the document is indexed without it)"),
    })
}

/// The outcome of one file.
enum FileResult {
    Indexed {
        entry: FileEntry,
        warning: Option<String>,
    },
    Skipped {
        entry: Option<FileEntry>,
        reason: String,
    },
}

/// What the analysing threads share: the writer, the facet groups, the
/// schema and the budget of passages in flight to the writer.
struct Pipeline<'a> {
    fields: &'a Fields,
    groups: &'a FacetGroups,
    writer: &'a IndexWriter<document::PassageDoc>,
    in_flight: std::sync::Arc<inflight::InFlight>,
    stream_bytes: u64,
}

/// How indexing a document's chunks ended.
#[derive(Default)]
struct Indexed {
    passages: usize,
    /// Why it stopped before the end (a read error, a panic).
    stopped: Option<String>,
    /// True when the stop was a panic (not a read error).
    panicked: bool,
    /// The document's facets (of its last chunk: the whole document's).
    facets: document::DocFacets,
}

impl Pipeline<'_> {
    /// Analyses and indexes a document chunk by chunk (one chunk for most
    /// documents), each passage handed to the writer as soon as it is
    /// built. `facets` are the whole document's when it has several chunks.
    fn index_chunks(
        &self,
        file: &CorpusFile,
        source: &chunks::Source,
        meta: Option<&meta::DocMeta>,
        facets: Option<&document::DocFacets>,
    ) -> Result<Indexed> {
        let chunk = chunks::chunk_bytes(self.stream_bytes);
        let mut done = Indexed::default();
        let mut failure = None;
        let mut doc_title = source.title().map(String::from);
        let read = source.for_each_chunk(chunk, &mut |offset, text| {
            let first = done.passages;
            let indexed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut a = document::analyze_document(&file.rel, text, doc_title.as_deref(), meta);
                if let Some(f) = facets {
                    a.facets = f.clone();
                }
                let group = self.groups.intern(a.facets.group_values());
                for mut d in document::to_tantivy(&a, text, self.fields, first, offset, group) {
                    d.admit(&self.in_flight);
                    self.writer.add_document(d)?;
                    done.passages += 1;
                }
                doc_title.get_or_insert(a.title);
                done.facets = a.facets;
                Ok::<(), Error>(())
            }));
            match indexed {
                Ok(Ok(())) => ControlFlow::Continue(()),
                Ok(Err(e)) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
                Err(p) => {
                    done.stopped = Some(chunks::panic_message(p));
                    done.panicked = true;
                    ControlFlow::Break(())
                }
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        if let Err(reason) = read {
            done.stopped.get_or_insert(reason);
        }
        Ok(done)
    }
}

fn process_file(
    file: &CorpusFile,
    stamp: Option<Stamp>,
    meta: Option<&meta::DocMeta>,
    p: &Pipeline<'_>,
) -> Result<FileResult> {
    let Stamp { size, mtime, .. } = stamp.unwrap_or_default();
    let hash = manifest::hash_file(&file.path).unwrap_or_default();
    let entry = |skipped: Option<String>| FileEntry {
        size,
        mtime,
        hash: hash.clone(),
        skipped,
        ..FileEntry::default()
    };
    let skip = |reason: String| {
        Ok(FileResult::Skipped {
            entry: Some(entry(Some(reason.clone()))),
            reason,
        })
    };
    let source = match chunks::Source::open(file, size, p.stream_bytes) {
        Ok(s) => s,
        Err(reason) => return skip(reason),
    };
    let mut warning = source.warning().map(String::from);
    // a document read in chunks: its facets first (a first pass), so that
    // every passage carries the whole document's
    let chunk = chunks::chunk_bytes(p.stream_bytes);
    let whole_facets = match source.is_chunked(chunk) {
        true => match chunks::scan_facets(&source, chunk) {
            Ok(scan) => Some(scan.facets(meta)),
            Err(reason) => return skip(reason),
        },
        false => None,
    };
    let done = p.index_chunks(file, &source, meta, whole_facets.as_ref())?;
    match (done.stopped, done.passages, done.panicked) {
        (None, 0, _) => return skip("no text".to_string()),
        (None, _, _) => {}
        (Some(reason), 0, false) => return skip(reason),
        (Some(reason), 0, true) => {
            return skip(format!("internal error while analysing: {reason}"))
        }
        (Some(reason), _, false) => warning = Some(format!("indexed up to a read error: {reason}")),
        (Some(reason), _, true) => {
            warning = Some(format!("indexed up to an internal error: {reason}"))
        }
    }
    let facets = done.facets;
    let mut e = entry(None);
    e.facets = [
        !facets.countries.is_empty(),
        !facets.cities.is_empty(),
        facets.year.is_some(),
    ];
    Ok(FileResult::Indexed { entry: e, warning })
}

fn run_batch(
    files: &[CorpusFile],
    fields: &Fields,
    groups: &FacetGroups,
    writer: &IndexWriter<document::PassageDoc>,
    threads: usize,
    stream_bytes: u64,
    progress: &dyn Progress,
) -> Result<Tally> {
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| manifest::stat(&f.path))
        .map(|(s, _)| s)
        .sum();
    progress.start(files.len(), total_bytes);
    let tally = Mutex::new(Tally::default());
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let pipeline = Pipeline {
        fields,
        groups,
        writer,
        in_flight: inflight::InFlight::new(inflight::IN_FLIGHT_BYTES),
        stream_bytes,
    };
    pool.install(|| {
        files.par_iter().for_each(|file| {
            // stamped before reading: a change made while the file is read
            // changes its stamp, and the next update reads it again
            let stamp = Stamp::of(&file.path);
            let meta = meta::read(file);
            let result = process_file(file, stamp, meta.meta.as_ref(), &pipeline);
            progress.file_done(stamp.map_or(0, |s| s.size));
            let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
            match result {
                Ok(r) => t.record(file, r, stamp, meta.entry),
                Err(e) => {
                    let mut f = failure.lock().unwrap_or_else(|p| p.into_inner());
                    f.get_or_insert(e);
                }
            }
        })
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    progress.finishing();
    Ok(tally.into_inner().unwrap_or_else(|p| p.into_inner()))
}

/// How a batch's segments are merged.
#[derive(Clone, Copy)]
enum Merge<'a> {
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
fn write_batch(
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

fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..Default::default()
    }
}

fn open_writer(
    index: &Index,
    threads: usize,
    memory: usize,
) -> Result<IndexWriter<document::PassageDoc>> {
    let writer_threads = threads.clamp(1, 8);
    let memory = memory.max((writer_threads * 20) << 20);
    Ok(index.writer_with_num_threads(writer_threads, memory)?)
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    std::fs::write(path, s).map_err(|e| Error::io(path, e))
}

/// Does the index generation in `dir` have this version's fields, with the
/// same options?
fn same_schema(dir: &Path) -> bool {
    Index::open_in_dir(dir).is_ok_and(|i| Fields::is_current(&i.schema()))
}

/// Builds (or updates) the index of the corpus and makes it live.
pub fn build(opts: &IndexOptions, progress: &dyn Progress) -> Result<IndexSummary> {
    let started = Instant::now();
    check_corpus_root(&opts.corpus)?;
    let (files, walk_skipped) = corpus::walk(&opts.corpus)?;
    let location = IndexLocation::new(&opts.index);
    let lock = location.lock()?;
    let threads = opts.threads.unwrap_or_else(num_cpus).max(1);
    // an index of another schema (another version of repsearch) cannot be
    // updated in place: it is rebuilt whole, in the same safe way
    let live = if opts.update { location.live() } else { None };
    let mut note = None;
    let previous = live.and_then(|g| {
        if !same_schema(&g) {
            note = Some(
                "the live index was built by another version of repsearch, so --update rebuilt it whole"
                    .to_string(),
            );
            return None;
        }
        Manifest::load(&g).map(|m| (g, m))
    });
    let built = match previous {
        Some((live, old)) => update(
            opts, &location, &lock, &live, &old, &files, threads, progress,
        ),
        None => rebuild(opts, &location, &lock, &files, threads, progress),
    };
    let (generation, mut summary, manifest) = match built {
        Ok(b) => b,
        Err(e) => return Err(abandon(&location, e)),
    };
    summary.note = note;
    summary
        .skipped
        .extend(walk_skipped.into_iter().map(SkippedFile::from));
    summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    summary.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    summary.corpus = opts.corpus.display().to_string();
    summary.seconds = started.elapsed().as_secs_f64();
    summary.facet_coverage = FacetCoverage::of(&manifest);
    refuse_empty(opts, &location, &summary)
        .and_then(|_| write_json(&generation.join(MANIFEST_FILE), &manifest))
        .and_then(|_| write_json(&generation.join(META_FILE), &summary))
        .and_then(|_| location.publish(&generation, &lock))
        .map_err(|e| abandon(&location, e))?;
    Ok(summary)
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
    Err(Error::user(match e.kind() {
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
    match IndexSummary::load(&live) {
        Some(s) => s.documents,
        // no summary: its passages tell whether it has documents
        None => Index::open_in_dir(&live)
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
    Err(Error::user(format!(
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
    if e.is_user() {
        return e;
    }
    let live = if location.live().is_some() {
        "the previous index is unchanged and still answers searches"
    } else {
        "no index was published"
    };
    if is_disk_full(&e) {
        return Error::user(format!(
            "the disk holding '{}' is full (no space left on device): the rebuild failed and was rolled back ({live}); free some space there or pass --index DIR on another disk ({e})",
            location.root().display()
        ));
    }
    Error::user(format!(
        "the rebuild failed and was rolled back ({live}): {e}"
    ))
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

fn count_passages(index: &Index) -> Result<usize> {
    let reader = index.reader()?;
    Ok(reader.searcher().num_docs() as usize)
}

/// Passages per language code in an index (deleted passages not counted).
pub fn languages_in_index(index: &Index, fields: &Fields) -> Result<BTreeMap<String, usize>> {
    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;
    let searcher = index.reader()?.searcher();
    let mut out = BTreeMap::new();
    let codes = crate::lang::Language::ALL
        .iter()
        .map(|l| l.code())
        .chain([document::UNDETERMINED]);
    for code in codes {
        let q = TermQuery::new(
            Term::from_field_text(fields.lang, code),
            IndexRecordOption::Basic,
        );
        let n = searcher.search(&q, &Count)?;
        if n > 0 {
            out.insert(code.to_string(), n);
        }
    }
    Ok(out)
}

fn rebuild(
    opts: &IndexOptions,
    location: &IndexLocation,
    lock: &BuildLock,
    files: &[CorpusFile],
    threads: usize,
    progress: &dyn Progress,
) -> Result<(PathBuf, IndexSummary, Manifest)> {
    let started = manifest::now_nanos();
    let generation = location.new_generation(lock)?;
    let fields = Fields::build();
    let index = Index::builder()
        .settings(index_settings())
        .schema(fields.schema.clone())
        .create_in_dir(&generation)?;
    tantivy_glue::register(&index);
    let writer = open_writer(&index, threads, opts.writer_memory)?;
    let mut groups = FacetGroups::default();
    let t = write_batch(
        writer,
        files,
        (&fields, &groups),
        threads,
        opts,
        Merge::Final(&generation),
        progress,
    )?;
    groups.save(&generation)?;
    let documents = t.entries.values().filter(|e| e.skipped.is_none()).count();
    let summary = IndexSummary {
        mode: "rebuild".into(),
        documents,
        passages: count_passages(&index)?,
        processed_files: t.processed,
        bytes: t.bytes,
        languages: languages_in_index(&index, &fields)?,
        skipped: t.skipped,
        warnings: t.warnings,
        ..Default::default()
    };
    let manifest = Manifest {
        files: t.entries,
        started,
    };
    Ok((generation, summary, manifest))
}

#[allow(clippy::too_many_arguments)]
fn update(
    opts: &IndexOptions,
    location: &IndexLocation,
    lock: &BuildLock,
    live: &Path,
    old: &Manifest,
    files: &[CorpusFile],
    threads: usize,
    progress: &dyn Progress,
) -> Result<(PathBuf, IndexSummary, Manifest)> {
    let started = manifest::now_nanos();
    let changes = old.diff(files);
    let generation = location.clone_generation(live, &[META_FILE, MANIFEST_FILE], lock)?;
    let index = Index::open_in_dir(&generation)?;
    tantivy_glue::register(&index);
    let fields = Fields::from_schema(&index.schema())?;
    let writer = open_writer(&index, threads, opts.writer_memory)?;
    for rel in changes
        .removed
        .iter()
        .chain(changes.changed.iter().map(|f| &f.rel))
    {
        writer.delete_term(Term::from_field_text(fields.doc, rel));
    }
    let todo: Vec<CorpusFile> = changes
        .added
        .iter()
        .chain(&changes.changed)
        .chain(&changes.retried)
        .cloned()
        .collect();
    let mut groups = FacetGroups::load(&generation)?;
    let t = write_batch(
        writer,
        &todo,
        (&fields, &groups),
        threads,
        opts,
        Merge::Background,
        progress,
    )?;
    groups.save(&generation)?;
    let mut entries = changes.unchanged.clone();
    entries.extend(t.entries);
    // files skipped last time are read again (see `Manifest::diff`); the
    // bad metadata files of unchanged documents are still listed
    let mut skipped = t.skipped;
    skipped.extend(
        changes
            .unchanged
            .values()
            .filter_map(|e| e.meta.as_ref().and_then(bad_metadata)),
    );
    let languages = languages_in_index(&index, &fields)?;
    let summary = IndexSummary {
        mode: "update".into(),
        documents: entries.values().filter(|e| e.skipped.is_none()).count(),
        passages: count_passages(&index)?,
        processed_files: t.processed,
        bytes: t.bytes,
        languages,
        changes: Some(ChangeCounts {
            added: changes.added.len(),
            changed: changes.changed.len(),
            removed: changes.removed.len(),
            unchanged: changes.unchanged.len(),
            retried: changes.retried.len(),
        }),
        skipped,
        warnings: t.warnings,
        ..Default::default()
    };
    Ok((
        generation,
        summary,
        Manifest {
            files: entries,
            started,
        },
    ))
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
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
