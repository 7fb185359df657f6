//! One batch of files through the pipeline: read, analyse and hand every
//! passage to the writer, on a rayon pool, and tally what each file gave.

use super::manifest::{self, FileEntry, MetaEntry, Stamp};
use super::{chunks, document, inflight, meta, Progress, SkippedFile};
use crate::corpus::{CorpusFile, FileProblem};
use crate::error::{Error, Result};
use crate::facets::FacetGroups;
use crate::schema::Fields;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Mutex;
use tantivy::IndexWriter;

/// What a batch of files gave: the manifest's entries and the summary's
/// lists.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) processed: usize,
    pub(super) bytes: u64,
    pub(super) skipped: Vec<SkippedFile>,
    pub(super) warnings: Vec<SkippedFile>,
    pub(super) entries: BTreeMap<String, FileEntry>,
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
pub(super) fn bad_metadata(m: &MetaEntry) -> Option<SkippedFile> {
    m.problem.as_ref().map(|p| SkippedFile {
        path: m.rel.clone(),
        reason: FileProblem::BadMetadata(p.clone()),
    })
}

/// The outcome of one file.
enum FileResult {
    Indexed {
        entry: FileEntry,
        warning: Option<FileProblem>,
    },
    Skipped {
        entry: Option<FileEntry>,
        reason: FileProblem,
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
    /// Why it stopped before the end (a read error, or a panic:
    /// [`FileProblem::Panicked`]).
    stopped: Option<FileProblem>,
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
                    done.stopped = Some(FileProblem::Panicked(chunks::panic_message(p)));
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
    let skip = |reason: FileProblem| {
        Ok(FileResult::Skipped {
            entry: Some(entry(Some(reason.to_string()))),
            reason,
        })
    };
    let source = match chunks::Source::open(file, size, p.stream_bytes) {
        Ok(s) => s,
        Err(reason) => return skip(reason),
    };
    let mut warning = source
        .warning()
        .map(|w| FileProblem::Incomplete(w.to_string()));
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
    match (done.stopped, done.passages) {
        (None, 0) => return skip(FileProblem::NoText),
        (None, _) => {}
        (Some(reason), 0) => return skip(reason),
        (Some(FileProblem::Panicked(m)), _) => warning = Some(FileProblem::PanicMidway(m)),
        (Some(reason), _) => warning = Some(FileProblem::ReadErrorMidway(Box::new(reason))),
    }
    let mut e = entry(None);
    e.facets = done.facets.present();
    Ok(FileResult::Indexed { entry: e, warning })
}

/// Reads, analyses and hands to the writer every file, on a pool of
/// `threads`; a file's failure is in the tally, the writer's stops the batch.
pub(super) fn run_batch(
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
