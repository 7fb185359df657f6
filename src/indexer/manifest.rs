//! The manifest of a built index: every corpus file seen, with its size,
//! modification time and content hash, so `index --update` can tell added,
//! changed and removed files apart without re-reading unchanged ones.

use crate::corpus::CorpusFile;
use crate::facets::PerFacet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// File name of the manifest inside a generation folder.
pub(crate) const MANIFEST_FILE: &str = "manifest.json";

/// What is known of one corpus file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileEntry {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u128,
    /// Status change time, nanoseconds since the epoch: changed by a write,
    /// a `chmod` or a rename, and never set back by copying tools (0 in
    /// manifests of older versions: the content hash then decides).
    #[serde(default)]
    pub ctime: u128,
    /// xxh3-128 of the content, hex.
    pub hash: String,
    /// Why it was not indexed, if it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Whether the document got a country, a city, a year.
    #[serde(default)]
    pub facets: PerFacet<bool>,
    /// Its metadata file, if it had one: part of the document's
    /// fingerprint, so a new, changed or removed metadata file re-indexes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<MetaEntry>,
}

/// What is known of a document's metadata file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MetaEntry {
    /// Its path relative to the corpus.
    pub rel: String,
    /// Size, modification and status change times, as in [`FileEntry`].
    pub size: u64,
    /// Modification time.
    pub mtime: u128,
    /// Status change time.
    #[serde(default)]
    pub ctime: u128,
    /// xxh3-128 of the content, hex (empty if it could not be read).
    pub hash: String,
    /// Why it was ignored, if it was (the document is indexed without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Size, modification time and status change time of a file: when all
/// three are unchanged, its content is taken as unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u128,
    /// Status change time, nanoseconds since the epoch (0 where unknown).
    pub ctime: u128,
}

impl Stamp {
    /// The stamp of a file now.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        let mtime = m
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let ctime = {
            use std::os::unix::fs::MetadataExt;
            (m.ctime() as i128 * 1_000_000_000 + i128::from(m.ctime_nsec())).max(0) as u128
        };
        #[cfg(not(unix))]
        let ctime = 0;
        Some(Stamp {
            size: m.len(),
            mtime,
            ctime,
        })
    }
}

impl FileEntry {
    /// The stamp recorded.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp {
            size: self.size,
            mtime: self.mtime,
            ctime: self.ctime,
        }
    }

    /// Records a stamp.
    pub(crate) fn set_stamp(&mut self, s: Stamp) {
        (self.size, self.mtime, self.ctime) = (s.size, s.mtime, s.ctime);
    }
}

impl MetaEntry {
    /// The stamp recorded.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp {
            size: self.size,
            mtime: self.mtime,
            ctime: self.ctime,
        }
    }
}

/// Every file of the corpus at build time, by path relative to the corpus.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Entries by relative path.
    pub files: BTreeMap<String, FileEntry>,
    /// When the build that recorded the stamps started, nanoseconds since
    /// the epoch (0 in manifests of older versions).
    #[serde(default)]
    pub started: u128,
}

/// A file changed less than this before its stamp was taken may change
/// again without its stamp changing (file systems keep coarse times: a
/// few ms on Linux, 2 s on FAT): its content hash decides (as git does for
/// "racily clean" files).
pub(crate) const RACY_NANOS: u128 = 2_000_000_000;

/// Now, nanoseconds since the epoch.
pub(crate) fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Size and modification time of a file.
pub(crate) fn stat(path: &Path) -> Option<(u64, u128)> {
    Stamp::of(path).map(|s| (s.size, s.mtime))
}

/// Content hash of bytes.
pub(crate) fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Content hash of a file, streamed.
pub(crate) fn hash_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = crate::corpus::formats::open_regular(path)?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    // a small buffer: zeroing a large one cost more than hashing a
    // typical report (tens of KB)
    let mut buf = [0u8; 64 << 10];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(format!("{:032x}", h.digest128()))
}

/// What changed between a manifest and the corpus now.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// Files new since the manifest.
    pub added: Vec<CorpusFile>,
    /// Files whose content or metadata changed.
    pub changed: Vec<CorpusFile>,
    /// Files skipped last time: read again, as a rebuild would (a file may
    /// have become readable without any change of its content).
    pub retried: Vec<CorpusFile>,
    /// Paths gone from the corpus.
    pub removed: Vec<String>,
    /// Entries of unchanged files (carried over to the new manifest).
    pub unchanged: BTreeMap<String, FileEntry>,
}

impl Changes {
    /// True when nothing is to be re-indexed or deleted.
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.retried.is_empty()
            && self.removed.is_empty()
    }
}

/// Is a file unchanged since it was recorded with `stamp` and `hash`? The
/// stamp decides when equal, the content hash otherwise; the new stamp is
/// returned when the content is the same.
fn same_content(path: &Path, stamp: Stamp, hash: &str, started: u128) -> Option<Stamp> {
    let now = Stamp::of(path)?;
    if now == stamp && stamp.mtime.max(stamp.ctime) + RACY_NANOS < started {
        return Some(now);
    }
    hash_file(path).ok().filter(|h| h == hash).map(|_| now)
}

impl Manifest {
    /// Reads a generation's manifest.
    pub(crate) fn load(generation: &Path) -> Option<Manifest> {
        let s = std::fs::read_to_string(generation.join(MANIFEST_FILE)).ok()?;
        serde_json::from_str(&s).ok()
    }

    /// Compares with the files of the corpus now: a document is unchanged
    /// when its content and its metadata file are (same file, same
    /// content) and it was indexed last time.
    pub(crate) fn diff(&self, files: &[CorpusFile]) -> Changes {
        let mut c = Changes::default();
        let mut seen = std::collections::HashSet::new();
        for f in files {
            seen.insert(f.rel.as_str());
            let Some(old) = self.files.get(&f.rel) else {
                c.added.push(f.clone());
                continue;
            };
            if old.skipped.is_some() {
                c.retried.push(f.clone());
                continue;
            }
            match unchanged_entry(old, f, self.started) {
                Some(e) => {
                    c.unchanged.insert(f.rel.clone(), e);
                }
                None => c.changed.push(f.clone()),
            }
        }
        c.removed = self
            .files
            .keys()
            .filter(|k| !seen.contains(k.as_str()))
            .cloned()
            .collect();
        c
    }
}

/// The entry of a file carried over with its new stamps, if nothing that
/// a rebuild would see differently has changed.
fn unchanged_entry(old: &FileEntry, f: &CorpusFile, started: u128) -> Option<FileEntry> {
    let mut e = old.clone();
    e.set_stamp(same_content(&f.path, old.stamp(), &old.hash, started)?);
    match (&mut e.meta, &f.meta) {
        (None, None) => {}
        (Some(m), Some(now)) if m.rel == now.rel => {
            let s = same_content(&now.path, m.stamp(), &m.hash, started)?;
            (m.size, m.mtime, m.ctime) = (s.size, s.mtime, s.ctime);
        }
        _ => return None,
    }
    Some(e)
}
