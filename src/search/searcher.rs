//! An open index: the tantivy reader, the schema's fields, and what
//! searches read from the index once and keep (facet groups, each
//! segment's runs of passages, languages and path order).

use super::filter::LangTable;
use super::matched::SegmentRuns;
use super::top::PathOrdCache;
use crate::error::Result;
use crate::facets::{value_name, Facet, FacetGroups};
use crate::lang::Language;
use crate::schema::Fields;
use crate::segment_cache::PerSegment;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tantivy::{DocAddress, Index, IndexReader};

/// One open tantivy index (an index, or one shard of a sharded one).
pub(crate) struct IndexSearcher {
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    /// Languages that have passages in the index (from the build summary;
    /// every language when it is missing): a query word is looked up in
    /// the stemmed field of each.
    pub(super) index_languages: Vec<Language>,
    /// The generation folder this searcher reads.
    generation: PathBuf,
    groups: OnceLock<FacetGroups>,
    runs: PerSegment<SegmentRuns>,
    /// Per segment, the language of every passage (for `--lang` filters).
    pub(super) passage_langs: LangTable,
    pub(super) path_ords: Arc<PathOrdCache>,
}

/// The display names of a document's facet values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FacetNames {
    /// Cities.
    pub city: Vec<String>,
    /// Countries.
    pub country: Vec<String>,
    /// The year.
    pub year: Option<u64>,
}

impl IndexSearcher {
    /// Opens one index generation (not a sharded one: each of its shards).
    pub(crate) fn open_generation(live: &Path) -> Result<IndexSearcher> {
        let live = live.to_path_buf();
        let index = Index::open_in_dir(&live)?;
        crate::analysis::tantivy_glue::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let index_languages =
            crate::stored::index_languages(&live).unwrap_or_else(|| Language::ALL.to_vec());
        let reader = index.reader()?;
        Ok(IndexSearcher {
            reader,
            fields,
            index_languages,
            generation: live,
            groups: OnceLock::new(),
            runs: PerSegment::default(),
            passage_langs: LangTable::default(),
            path_ords: Arc::default(),
        })
    }

    /// The facet group table, read on first use (only facet counts need it).
    pub(super) fn facet_groups(&self) -> Result<&FacetGroups> {
        if let Some(g) = self.groups.get() {
            return Ok(g);
        }
        let g = FacetGroups::load(&self.generation)?;
        Ok(self.groups.get_or_init(|| g))
    }

    /// A segment's documents and their runs of passages (built on first use).
    pub(super) fn segment_runs(&self, seg: &tantivy::SegmentReader) -> Arc<SegmentRuns> {
        self.runs.get(seg, SegmentRuns::read)
    }

    /// Reads now what searches otherwise read on first use: the gazetteer
    /// (facet value names, place filters), the facet group table and, per
    /// segment, which group and which document each passage belongs to
    /// (~250 ms at 1M passages). The server calls it before it answers
    /// from a new generation.
    pub(crate) fn prepare(&self) -> Result<()> {
        crate::gazetteer::gazetteer();
        let groups = self.facet_groups()?;
        groups.prepare();
        for seg in self.reader.searcher().segment_readers() {
            groups.segment_groups(seg);
            self.segment_runs(seg);
            self.passage_langs.segment(seg, self.fields.lang);
            self.path_ords.prepare(seg, self.fields.doc);
        }
        Ok(())
    }

    /// The name of the generation folder this searcher reads (of a shard:
    /// its sharded generation's, the same for every shard of it).
    pub(crate) fn generation_name(&self) -> String {
        let dir = match self.generation.parent() {
            Some(parent) if parent.join(crate::stored::SHARDS_FILE).is_file() => parent,
            _ => &self.generation,
        };
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Passages in the index.
    pub(crate) fn num_passages(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The facet values of a passage's document, read from its facet group
    /// (stored once per document, not on each passage).
    pub(crate) fn facet_names(
        &self,
        searcher: &tantivy::Searcher,
        addr: DocAddress,
    ) -> Result<FacetNames> {
        let groups = self.facet_groups()?;
        let column = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64(crate::facets::GROUP_FIELD)?;
        let Some(v) = column.first(addr.doc_id).and_then(|g| groups.get(g)) else {
            return Ok(FacetNames::default());
        };
        let names = |f: Facet, values: &[u64]| values.iter().map(|&v| value_name(f, v)).collect();
        Ok(FacetNames {
            city: names(Facet::City, &v.cities),
            country: names(Facet::Country, &v.countries),
            year: v.year,
        })
    }
}
