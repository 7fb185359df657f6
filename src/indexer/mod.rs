//! Building an index from a corpus folder.
//!
//! Files are read and analysed in parallel on a rayon pool; each document's
//! passages go to one tantivy writer, which runs its own indexing threads.
//! The new index is written as a fresh generation and published only when
//! complete (see [`crate::store`]). A file that cannot be read is reported in
//! the summary and never stops the batch.

pub mod document;

use crate::analysis::tantivy_glue;
use crate::corpus::{self, Skipped};
use crate::error::{Error, Result};
use crate::schema::Fields;
use crate::store::IndexLocation;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tantivy::{Index, IndexWriter, TantivyDocument};

/// Name of the file describing a built index, inside its generation folder.
pub const META_FILE: &str = "repsearch.json";

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
}

impl IndexOptions {
    /// Options with the defaults for the given folders.
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        IndexOptions {
            corpus: corpus.into(),
            index: index.into(),
            threads: None,
            writer_memory: 256 << 20,
        }
    }
}

/// What a build did; also stored beside the index as [`META_FILE`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexSummary {
    /// Corpus folder the index was built from.
    pub corpus: String,
    /// Documents indexed.
    pub documents: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Bytes of text indexed.
    pub bytes: u64,
    /// Passages per language code.
    pub languages: BTreeMap<String, usize>,
    /// Files not indexed, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// Wall-clock seconds.
    pub seconds: f64,
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
}

struct Tally {
    documents: usize,
    passages: usize,
    bytes: u64,
    languages: BTreeMap<String, usize>,
    skipped: Vec<SkippedFile>,
}

/// Builds a new index of the corpus and makes it live.
pub fn build(opts: &IndexOptions) -> Result<IndexSummary> {
    let started = Instant::now();
    let (files, walk_skipped) = corpus::walk(&opts.corpus)?;
    let location = IndexLocation::new(&opts.index);
    let lock = location.lock()?;
    let generation = location.new_generation(&lock)?;

    let fields = Fields::build();
    let index = Index::create_in_dir(&generation, fields.schema.clone())?;
    tantivy_glue::register(&index);
    let threads = opts.threads.unwrap_or_else(num_cpus).max(1);
    let writer_threads = threads.clamp(1, 8);
    let memory = opts.writer_memory.max((writer_threads * 20) << 20);
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(writer_threads, memory)?;

    let tally = Mutex::new(Tally {
        documents: 0,
        passages: 0,
        bytes: 0,
        languages: BTreeMap::new(),
        skipped: walk_skipped.into_iter().map(SkippedFile::from).collect(),
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    pool.install(|| {
        files.par_iter().for_each(|file| {
            let raw = match corpus::read(file) {
                Ok(r) => r,
                Err(reason) => {
                    lock_tally(&tally).skipped.push(SkippedFile {
                        path: file.rel.clone(),
                        reason,
                    });
                    return;
                }
            };
            let analyzed = document::analyze_document(&file.rel, &raw.text);
            if analyzed.passages.is_empty() {
                lock_tally(&tally).skipped.push(SkippedFile {
                    path: file.rel.clone(),
                    reason: "no text".into(),
                });
                return;
            }
            let docs = document::to_tantivy(&analyzed, &raw.text, &fields);
            for d in docs {
                if let Err(e) = writer.add_document(d) {
                    let mut f = failure.lock().unwrap_or_else(|p| p.into_inner());
                    f.get_or_insert(Error::Index(e));
                    return;
                }
            }
            let mut t = lock_tally(&tally);
            t.documents += 1;
            t.passages += analyzed.passages.len();
            t.bytes += raw.text.len() as u64;
            for (_, l) in &analyzed.passages {
                let code = l.map(|l| l.code()).unwrap_or(document::UNDETERMINED);
                *t.languages.entry(code.to_string()).or_default() += 1;
            }
        })
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    writer.commit()?;
    writer.wait_merging_threads()?;

    let t = tally.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut skipped = t.skipped;
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let summary = IndexSummary {
        corpus: opts.corpus.display().to_string(),
        documents: t.documents,
        passages: t.passages,
        bytes: t.bytes,
        languages: t.languages,
        skipped,
        seconds: started.elapsed().as_secs_f64(),
    };
    let meta =
        serde_json::to_string_pretty(&summary).map_err(|e| Error::Internal(e.to_string()))?;
    let meta_path = generation.join(META_FILE);
    std::fs::write(&meta_path, meta).map_err(|e| Error::io(&meta_path, e))?;
    location.publish(&generation, &lock)?;
    Ok(summary)
}

fn lock_tally(t: &Mutex<Tally>) -> std::sync::MutexGuard<'_, Tally> {
    t.lock().unwrap_or_else(|p| p.into_inner())
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
