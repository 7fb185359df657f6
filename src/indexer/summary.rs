//! What a build did: the summary stored beside the index ([`META_FILE`])
//! and printed by the command line, and the counts it is made of.

use super::document;
use super::manifest::{Changes, Manifest};
use crate::corpus::{FileProblem, Skipped};
use crate::error::Result;
use crate::facets::Facet;
use crate::schema::Fields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use tantivy::{Index, Term};

/// Name of the file describing a built index, inside its generation folder.
pub const META_FILE: &str = crate::stored::SUMMARY_FILE;

/// What a build did; also stored beside the index as [`META_FILE`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexSummary {
    /// Corpus folder the index was built from.
    pub corpus: String,
    /// Whether the index was rebuilt whole or updated.
    pub mode: BuildMode,
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
    /// Files not indexed, with the reason (stored, not read back by
    /// [`IndexSummary::load`]).
    #[serde(skip_deserializing)]
    pub skipped: Vec<SkippedFile>,
    /// Files indexed with a problem (e.g. bad metadata ignored); stored, not
    /// read back.
    #[serde(skip_deserializing)]
    pub warnings: Vec<SkippedFile>,
    /// Documents with at least one country, city, year.
    #[serde(default)]
    pub facet_coverage: FacetCoverage,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Why an `--update` rebuilt the whole index instead, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A sharded index: what each shard holds (empty for one index).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shards: Vec<ShardSummary>,
}

/// What one shard of a sharded index holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ShardSummary {
    /// The shard's number, 0 to N-1.
    pub shard: u32,
    /// Documents in the shard.
    pub documents: usize,
    /// Passages in the shard.
    pub passages: usize,
    /// Files read and analysed into the shard by this run.
    pub processed_files: usize,
}

/// How a build made its index; stored as `"rebuild"` or `"update"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BuildMode {
    /// Every file read into a new index.
    #[default]
    Rebuild,
    /// The live index copied and only the changed files read (`--update`).
    Update,
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
    /// Adds another index's coverage (of other documents).
    pub(super) fn add(&mut self, o: &FacetCoverage) {
        self.country += o.country;
        self.city += o.city;
        self.year += o.year;
    }

    pub(super) fn of(m: &Manifest) -> FacetCoverage {
        let mut c = FacetCoverage::default();
        for e in m.files.values().filter(|e| e.skipped.is_none()) {
            c.country += usize::from(e.facets[Facet::Country]);
            c.city += usize::from(e.facets[Facet::City]);
            c.year += usize::from(e.facets[Facet::Year]);
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

impl ChangeCounts {
    /// Adds another update's counts (of other files).
    pub(super) fn add(&mut self, o: &ChangeCounts) {
        self.added += o.added;
        self.changed += o.changed;
        self.removed += o.removed;
        self.unchanged += o.unchanged;
        self.retried += o.retried;
    }

    /// The counts of an update's changes.
    pub(super) fn of(c: &Changes) -> ChangeCounts {
        ChangeCounts {
            added: c.added.len(),
            changed: c.changed.len(),
            removed: c.removed.len(),
            unchanged: c.unchanged.len(),
            retried: c.retried.len(),
        }
    }
}

/// A file the summary lists: skipped, or indexed with a warning.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SkippedFile {
    /// Path relative to the corpus.
    pub path: String,
    /// Why it was skipped (stored as its message).
    #[serde(serialize_with = "as_message")]
    pub reason: FileProblem,
}

fn as_message<S: serde::Serializer>(p: &FileProblem, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
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

    /// The summary of a sharded index: the totals of its shards' summaries
    /// (`shards[i]` is shard i's), with a line per shard.
    pub(super) fn of_shards(shards: &[IndexSummary]) -> IndexSummary {
        let mut t = IndexSummary {
            mode: shards.first().map_or(BuildMode::Rebuild, |s| s.mode),
            ..Default::default()
        };
        for (i, s) in shards.iter().enumerate() {
            t.documents += s.documents;
            t.passages += s.passages;
            t.processed_files += s.processed_files;
            t.bytes += s.bytes;
            for (lang, n) in &s.languages {
                *t.languages.entry(lang.clone()).or_default() += n;
            }
            if let Some(c) = &s.changes {
                t.changes.get_or_insert_with(Default::default).add(c);
            }
            t.skipped.extend(s.skipped.iter().cloned());
            t.warnings.extend(s.warnings.iter().cloned());
            t.facet_coverage.add(&s.facet_coverage);
            t.shards.push(ShardSummary {
                shard: i as u32,
                documents: s.documents,
                passages: s.passages,
                processed_files: s.processed_files,
            });
        }
        t.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        t.warnings.sort_by(|a, b| a.path.cmp(&b.path));
        t
    }
}

/// Passages in an index (deleted passages not counted).
pub(super) fn count_passages(index: &Index) -> Result<usize> {
    let reader = index.reader()?;
    Ok(reader.searcher().num_docs() as usize)
}

/// Passages per language code in an index (deleted passages not counted).
pub(crate) fn languages_in_index(
    index: &Index,
    fields: &Fields,
) -> Result<BTreeMap<String, usize>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mode_is_stored_as_before() {
        let s = IndexSummary {
            mode: BuildMode::Update,
            ..Default::default()
        };
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["mode"], "update");
        let back: IndexSummary = serde_json::from_value(json).unwrap();
        assert_eq!(back.mode, BuildMode::Update);
        assert_eq!(serde_json::to_value(BuildMode::Rebuild).unwrap(), "rebuild");
    }
}
