//! Making a new index generation: a rebuild writes every file into a new
//! index; an update copies the live generation (hard links) and re-indexes
//! only the files added, changed or removed since its manifest.

use super::batch::bad_metadata;
use super::manifest::{self, Manifest, MANIFEST_FILE};
use super::summary::{count_passages, languages_in_index, BuildMode, ChangeCounts};
use super::writer::{index_settings, open_writer, write_batch, Merge};
use super::{IndexOptions, IndexSummary, Progress, META_FILE};
use crate::analysis::tantivy_glue;
use crate::corpus::CorpusFile;
use crate::error::Result;
use crate::facets::FacetGroups;
use crate::schema::Fields;
use crate::store::{BuildLock, IndexLocation};
use std::path::{Path, PathBuf};
use tantivy::{Index, Term};

/// One build's settings: what a rebuild or an update works with.
pub(super) struct Run<'a> {
    /// What was asked.
    pub(super) opts: &'a IndexOptions,
    /// The index folder.
    pub(super) location: &'a IndexLocation,
    /// The build lock, held.
    pub(super) lock: &'a BuildLock,
    /// Every document file of the corpus.
    pub(super) files: &'a [CorpusFile],
    /// Threads for reading and analysis.
    pub(super) threads: usize,
    /// Where progress goes.
    pub(super) progress: &'a dyn Progress,
}

/// A generation written but not yet published, with its summary and
/// manifest.
pub(super) type Built = (PathBuf, IndexSummary, Manifest);

/// Writes every file of the corpus into a new generation.
pub(super) fn rebuild(run: &Run<'_>) -> Result<Built> {
    let started = manifest::now_nanos();
    let generation = run.location.new_generation(run.lock)?;
    let fields = Fields::build();
    let index = Index::builder()
        .settings(index_settings())
        .schema(fields.schema.clone())
        .create_in_dir(&generation)?;
    tantivy_glue::register(&index);
    let writer = open_writer(&index, run.threads, run.opts.writer_memory)?;
    let mut groups = FacetGroups::default();
    let t = write_batch(
        writer,
        run.files,
        (&fields, &groups),
        run.threads,
        run.opts,
        Merge::Final(&generation),
        run.progress,
    )?;
    groups.save(&generation)?;
    let documents = t.entries.values().filter(|e| e.skipped.is_none()).count();
    let summary = IndexSummary {
        mode: BuildMode::Rebuild,
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

/// Copies the live generation and re-indexes what changed since its
/// manifest `old`.
pub(super) fn update(run: &Run<'_>, live: &Path, old: &Manifest) -> Result<Built> {
    let started = manifest::now_nanos();
    let changes = old.diff(run.files);
    let generation = run
        .location
        .clone_generation(live, &[META_FILE, MANIFEST_FILE], run.lock)?;
    let index = Index::open_in_dir(&generation)?;
    tantivy_glue::register(&index);
    let fields = Fields::from_schema(&index.schema())?;
    let writer = open_writer(&index, run.threads, run.opts.writer_memory)?;
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
        run.threads,
        run.opts,
        Merge::Background,
        run.progress,
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
    let summary = IndexSummary {
        mode: BuildMode::Update,
        documents: entries.values().filter(|e| e.skipped.is_none()).count(),
        passages: count_passages(&index)?,
        processed_files: t.processed,
        bytes: t.bytes,
        languages: languages_in_index(&index, &fields)?,
        changes: Some(ChangeCounts::of(&changes)),
        skipped,
        warnings: t.warnings,
        ..Default::default()
    };
    let manifest = Manifest {
        files: entries,
        started,
    };
    Ok((generation, summary, manifest))
}
