//! What the index stores beside a passage's text and what a build stores
//! beside the index, in the form both the indexer (which writes them) and
//! the searcher (which reads them) use: neither side imports the other.

use crate::extract::{Extraction, MentionKind};
use crate::gazetteer::gazetteer;
use crate::lang::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Name of the file describing a built index (the indexer's summary of the
/// build), inside its generation folder.
pub(crate) const SUMMARY_FILE: &str = "repsearch.json";

/// A place mentioned in a passage, stored for highlighting: byte offsets
/// relative to the passage and the place's canonical name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PlaceSpan {
    /// Byte offset in the passage.
    pub start: usize,
    /// Byte offset after the mention.
    pub end: usize,
    /// Canonical name (GeoNames city name, English country name).
    pub name: String,
}

/// The places mentioned in one passage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PassagePlaces(pub Vec<PlaceSpan>);

impl PassagePlaces {
    /// The mentions of a document inside a passage's byte range.
    pub(crate) fn of(x: &Extraction, range: std::ops::Range<usize>) -> PassagePlaces {
        let g = gazetteer();
        let spans = x
            .mentions_in(range.clone())
            .filter_map(|m| {
                let name = match m.kind {
                    MentionKind::City => g.city(m.geonameid?)?.name,
                    MentionKind::Country => g.country(m.country?)?.name(),
                };
                Some(PlaceSpan {
                    start: m.byte_start - range.start,
                    end: m.byte_end - range.start,
                    name: name.to_string(),
                })
            })
            .collect();
        PassagePlaces(spans)
    }

    /// True when the passage names no place.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// As stored in the index.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }

    /// From the stored form (empty when absent or unreadable).
    pub(crate) fn from_json(s: &str) -> PassagePlaces {
        PassagePlaces(serde_json::from_str(s).unwrap_or_default())
    }
}

/// The part of a build's summary ([`SUMMARY_FILE`]) the searcher reads.
#[derive(Deserialize)]
struct SummaryLanguages {
    /// Passages per language code in the index.
    languages: BTreeMap<String, usize>,
}

/// The languages that have passages in an index generation, from its
/// build summary; `None` when the summary is missing or unreadable.
pub(crate) fn index_languages(generation: &Path) -> Option<Vec<Language>> {
    let s = std::fs::read_to_string(generation.join(SUMMARY_FILE)).ok()?;
    let summary: SummaryLanguages = serde_json::from_str(&s).ok()?;
    Some(
        summary
            .languages
            .keys()
            .filter_map(|c| Language::from_code(c))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_survive_their_stored_form() {
        let places = PassagePlaces(vec![PlaceSpan {
            start: 3,
            end: 11,
            name: "Panevezys".to_string(),
        }]);
        let back = PassagePlaces::from_json(&places.to_json());
        assert_eq!(back, places);
        assert!(PassagePlaces::from_json("not json").is_empty());
    }

    #[test]
    fn the_searcher_reads_the_languages_of_a_build_summary() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(index_languages(dir.path()), None);
        std::fs::write(
            dir.path().join(SUMMARY_FILE),
            r#"{"corpus":"c","languages":{"lt":5,"ru":2,"und":1},"seconds":1.0}"#,
        )
        .unwrap();
        assert_eq!(
            index_languages(dir.path()),
            Some(vec![Language::Lithuanian, Language::Russian])
        );
    }
}
