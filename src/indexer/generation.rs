//! Writing an index into a folder (a generation, or one shard of a sharded
//! generation): a rebuild writes every file into a new index; an update
//! starts from a copy of the live one (hard links, made by the caller) and
//! re-indexes only the files added, changed or removed since its manifest.

use super::batch::{bad_metadata, Tally};
use super::manifest::{self, Changes, Manifest};
use super::summary::{count_passages, languages_in_index, BuildMode, ChangeCounts};
use super::writer::{index_settings, open_writer, write_batch, Merge};
use super::{IndexOptions, IndexSummary, Progress};
use crate::analysis::tantivy_glue;
use crate::corpus::CorpusFile;
use crate::error::Result;
use crate::facets::FacetGroups;
use crate::schema::Fields;
use std::path::Path;
use tantivy::{Index, Term};

/// One build's settings: what a rebuild or an update works with.
pub(super) struct Run<'a> {
    /// What was asked.
    pub(super) opts: &'a IndexOptions,
    /// The document files to index (the whole corpus, or one shard's).
    pub(super) files: &'a [CorpusFile],
    /// Threads for reading and analysis.
    pub(super) threads: usize,
    /// Where progress goes.
    pub(super) progress: &'a dyn Progress,
}

/// The summary and manifest of an index written but not yet published.
pub(super) type Built = (IndexSummary, Manifest);

/// Writes every file of the run into a new index in the empty folder
/// `generation`.
pub(super) fn rebuild(run: &Run<'_>, generation: &Path) -> Result<Built> {
    let started = manifest::now_nanos();
    let fields = Fields::build();
    let index = Index::builder()
        .settings(index_settings())
        .schema(fields.schema.clone())
        .create_in_dir(generation)?;
    tantivy_glue::register(&index);
    let writer = open_writer(&index, run.threads, run.opts.writer_memory)?;
    let mut groups = FacetGroups::default();
    let t = write_batch(
        writer,
        run.files,
        (&fields, &groups),
        run.threads,
        run.opts,
        Merge::Final(generation),
        run.progress,
    )?;
    groups.save(generation)?;
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
    Ok((summary, manifest))
}

/// Re-indexes, in `generation` (a copy of the live index whose manifest is
/// `old`), what changed since `old`. When nothing did, no writer is opened
/// and the index files stay those of the live index.
pub(super) fn update(run: &Run<'_>, generation: &Path, old: &Manifest) -> Result<Built> {
    let started = manifest::now_nanos();
    let changes = old.diff(run.files);
    let index = Index::open_in_dir(generation)?;
    tantivy_glue::register(&index);
    let fields = Fields::from_schema(&index.schema())?;
    let t = match changes.is_empty() {
        true => Tally::default(),
        false => reindex(run, &index, &fields, generation, &changes)?,
    };
    updated(&index, &fields, changes, t, started)
}

/// Deletes the passages of the removed and changed files and indexes the
/// added, changed and retried ones.
fn reindex(
    run: &Run<'_>,
    index: &Index,
    fields: &Fields,
    generation: &Path,
    changes: &Changes,
) -> Result<Tally> {
    let writer = open_writer(index, run.threads, run.opts.writer_memory)?;
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
    let mut groups = FacetGroups::load(generation)?;
    let t = write_batch(
        writer,
        &todo,
        (fields, &groups),
        run.threads,
        run.opts,
        Merge::Background,
        run.progress,
    )?;
    groups.save(generation)?;
    Ok(t)
}

/// The summary and manifest of an update that made `changes`.
fn updated(
    index: &Index,
    fields: &Fields,
    changes: Changes,
    t: Tally,
    started: u128,
) -> Result<Built> {
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
        passages: count_passages(index)?,
        processed_files: t.processed,
        bytes: t.bytes,
        languages: languages_in_index(index, fields)?,
        changes: Some(ChangeCounts::of(&changes)),
        skipped,
        warnings: t.warnings,
        ..Default::default()
    };
    let manifest = Manifest {
        files: entries,
        started,
    };
    Ok((summary, manifest))
}
