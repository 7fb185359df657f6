//! The manifest of a built index: every corpus file seen, with its size,
//! modification time and content hash, so `index --update` can tell added,
//! changed and removed files apart without re-reading unchanged ones.

use crate::corpus::CorpusFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// File name of the manifest inside a generation folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What is known of one corpus file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u128,
    /// xxh3-128 of the content, hex.
    pub hash: String,
    /// Why it was not indexed, if it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Whether the document got a country, a city, a year.
    #[serde(default)]
    pub facets: [bool; 3],
}

/// Every file of the corpus at build time, by path relative to the corpus.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Entries by relative path.
    pub files: BTreeMap<String, FileEntry>,
}

/// Size and modification time of a file.
pub fn stat(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    let mtime = m
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((m.len(), mtime))
}

/// Content hash of bytes.
pub fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Content hash of a file, streamed.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
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
pub struct Changes {
    /// Files new since the manifest.
    pub added: Vec<CorpusFile>,
    /// Files whose content changed.
    pub changed: Vec<CorpusFile>,
    /// Paths gone from the corpus.
    pub removed: Vec<String>,
    /// Entries of unchanged files (carried over to the new manifest).
    pub unchanged: BTreeMap<String, FileEntry>,
}

impl Manifest {
    /// Reads a generation's manifest.
    pub fn load(generation: &Path) -> Option<Manifest> {
        let s = std::fs::read_to_string(generation.join(MANIFEST_FILE)).ok()?;
        serde_json::from_str(&s).ok()
    }

    /// Compares with the files of the corpus now. A file whose size and
    /// modification time are unchanged is taken as unchanged; otherwise its
    /// content hash decides.
    pub fn diff(&self, files: &[CorpusFile]) -> Changes {
        let mut c = Changes::default();
        let mut seen = std::collections::HashSet::new();
        for f in files {
            seen.insert(f.rel.as_str());
            let Some(old) = self.files.get(&f.rel) else {
                c.added.push(f.clone());
                continue;
            };
            let now = stat(&f.path);
            if now == Some((old.size, old.mtime)) {
                c.unchanged.insert(f.rel.clone(), old.clone());
                continue;
            }
            match hash_file(&f.path) {
                Ok(h) if h == old.hash => {
                    let (size, mtime) = now.unwrap_or((old.size, old.mtime));
                    c.unchanged.insert(
                        f.rel.clone(),
                        FileEntry {
                            size,
                            mtime,
                            ..old.clone()
                        },
                    );
                }
                _ => c.changed.push(f.clone()),
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
