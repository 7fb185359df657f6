//! What the index stores beside a passage's text and what a build stores
//! beside the index, in the form both the indexer (which writes them) and
//! the searcher (which reads them) use: neither side imports the other.

use crate::error::{Error, Result};
use crate::extract::{Extraction, MentionKind};
use crate::gazetteer::gazetteer;
use crate::lang::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Name of the file that makes a generation sharded: written last, after
/// every `shard-I` folder is complete, it holds the [`ShardLayout`]. A
/// generation without it is an ordinary (single) index.
pub(crate) const SHARDS_FILE: &str = "shards.json";

/// The layout format this version writes and reads.
pub(crate) const SHARDS_FORMAT: u32 = 1;

/// The routing rule this version writes and reads: [`shard_of`].
pub(crate) const SHARDS_ROUTE: &str = "fnv1a64-path";

/// The most shards a generation may have.
pub(crate) const MAX_SHARDS: u32 = 256;

/// How a sharded generation is split ([`SHARDS_FILE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ShardLayout {
    /// The layout's format ([`SHARDS_FORMAT`]).
    pub format: u32,
    /// How many shards (`shard-0` … `shard-{N-1}`), 1 to [`MAX_SHARDS`].
    pub shards: u32,
    /// The routing rule ([`SHARDS_ROUTE`]).
    pub route: String,
}

impl ShardLayout {
    /// The layout of `shards` shards routed by [`shard_of`].
    pub(crate) fn new(shards: u32) -> ShardLayout {
        ShardLayout {
            format: SHARDS_FORMAT,
            shards,
            route: SHARDS_ROUTE.to_string(),
        }
    }

    /// What is wrong with a layout read from disk, if anything.
    fn fault(&self) -> Option<String> {
        if self.format != SHARDS_FORMAT {
            return Some(format!("format {} is unknown", self.format));
        }
        if self.route != SHARDS_ROUTE {
            return Some(format!("route '{}' is unknown", self.route));
        }
        if !(1..=MAX_SHARDS).contains(&self.shards) {
            return Some(format!("{} shards is not 1 to {MAX_SHARDS}", self.shards));
        }
        None
    }
}

/// The shard (0 to `n - 1`) a document belongs to: FNV-1a 64-bit of the
/// bytes of its corpus-relative path, with `/` separators whatever the
/// system (`reports/2019/a.txt`), modulo `n`. The same on every machine and
/// in every run, so a document is always in exactly one shard, and the
/// indexer, an update and a cluster task agree where it is. `n` of 0 is
/// taken as 1.
pub fn shard_of(rel_path: &str, n: u32) -> u32 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = rel_path
        .bytes()
        .fold(OFFSET_BASIS, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    (hash % u64::from(n.max(1))) as u32
}

/// The folder of shard `i` inside a sharded generation.
pub(crate) fn shard_dir(generation: &Path, i: u32) -> PathBuf {
    generation.join(format!("shard-{i}"))
}

/// The layout of a generation: `None` for an ordinary one (no
/// [`SHARDS_FILE`]); an [`Error::Damaged`] naming the file when it cannot
/// be read or describes no layout this version knows.
pub(crate) fn shard_layout(generation: &Path) -> Result<Option<ShardLayout>> {
    let path = generation.join(SHARDS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let damaged = |why: String| {
        Error::Damaged(format!(
            "{} is damaged ({why}): rebuild the index with `repsearch index`",
            path.display()
        ))
    };
    let layout: ShardLayout = serde_json::from_str(&text).map_err(|e| damaged(e.to_string()))?;
    match layout.fault() {
        Some(why) => Err(damaged(why)),
        None => Ok(Some(layout)),
    }
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

    #[test]
    fn fnv1a64_routes_paths_to_known_shards() {
        // reference values of FNV-1a 64: "" is the offset basis, "a" is
        // 0xaf63dc4c8601ec8c (the published test vectors)
        assert_eq!(
            shard_of("", u32::MAX),
            (0xcbf2_9ce4_8422_2325u64 % u64::from(u32::MAX)) as u32
        );
        assert_eq!(
            shard_of("a", 1000),
            (0xaf63_dc4c_8601_ec8cu64 % 1000) as u32
        );
        assert_eq!(
            shard_of("foobar", 1 << 31),
            (0x8594_4171_f739_67e8u64 % (1 << 31)) as u32
        );
        assert_eq!(
            shard_of("reports/2019/a.txt", 3),
            shard_of("reports/2019/a.txt", 3)
        );
        for n in [1, 2, 3, 4, 256] {
            assert!(shard_of("lt/ataskaita.txt", n) < n);
        }
        assert_eq!(shard_of("anything", 1), 0);
        assert_eq!(shard_of("anything", 0), 0);
    }

    #[test]
    fn a_generation_without_shards_json_is_ordinary() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(shard_layout(dir.path()).unwrap(), None);
        assert_eq!(shard_dir(dir.path(), 2), dir.path().join("shard-2"));
        let layout = ShardLayout::new(3);
        std::fs::write(
            dir.path().join(SHARDS_FILE),
            serde_json::to_string(&layout).unwrap(),
        )
        .unwrap();
        assert_eq!(shard_layout(dir.path()).unwrap(), Some(layout));
    }

    #[test]
    fn a_bad_shards_json_is_damage_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "not json",
            r#"{"format": 1, "shards": 0, "route": "fnv1a64-path"}"#,
            r#"{"format": 1, "shards": 257, "route": "fnv1a64-path"}"#,
            r#"{"format": 2, "shards": 3, "route": "fnv1a64-path"}"#,
            r#"{"format": 1, "shards": 3, "route": "xxh3"}"#,
        ] {
            std::fs::write(dir.path().join(SHARDS_FILE), bad).unwrap();
            let err = shard_layout(dir.path()).unwrap_err();
            assert!(matches!(err, Error::Damaged(_)), "{bad}: {err}");
            assert!(err.to_string().contains(SHARDS_FILE), "{err}");
        }
    }
}
