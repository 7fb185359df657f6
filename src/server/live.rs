//! The live index of a running server, re-opened when a rebuild swaps it.
//!
//! A rebuild publishes a new generation by renaming the `live` symbolic link
//! only once the generation is complete (see [`crate::store`]). Before each
//! request the server reads the link (one `readlink`, a few microseconds);
//! when its target has changed, one request opens the new generation while
//! the others keep using the old searcher, which stays valid (its files are
//! mapped) until the last request holding it ends. A generation that fails
//! to open is reported once and the old one keeps answering.
//!
//! A generation is deleted only at the second swap after it stopped being
//! live (the store keeps the `previous` one), and everything a searcher
//! reads from its folder is read when it is opened (tantivy maps the segment
//! files, [`Searcher::prepare`] reads the tables): a searcher whose
//! generation has been deleted keeps answering from its mapped files.

use super::cache::AnswerCache;
use crate::error::Result;
use crate::search::Searcher;
use crate::store::IndexLocation;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// An open generation.
pub(crate) struct Loaded {
    /// The searcher over it.
    pub searcher: Searcher,
    /// The target of the `live` link when it was opened (`None` when the
    /// index folder is itself an index, without generations).
    pub link: Option<PathBuf>,
    /// The generation's folder name, for `/api/health`.
    pub generation: String,
    /// Answers computed on this generation.
    pub cache: AnswerCache,
}

/// The live index of a folder.
pub(crate) struct LiveIndex {
    location: IndexLocation,
    /// The shard served (`repsearch serve --shard`), or the whole index.
    shard: Option<u32>,
    cache_bytes: usize,
    current: RwLock<Arc<Loaded>>,
    /// The generation served before the current one: a coordinator that
    /// planned on it can still run its plan here.
    previous: RwLock<Option<Arc<Loaded>>>,
    reopening: Mutex<Option<PathBuf>>,
}

fn read_live_link(root: &Path) -> Option<PathBuf> {
    std::fs::read_link(root.join("live")).ok()
}

fn open(
    location: &IndexLocation,
    shard: Option<u32>,
    link: Option<PathBuf>,
    cache_bytes: usize,
) -> Result<Loaded> {
    let dir = match &link {
        Some(t) if t.is_absolute() => t.clone(),
        Some(t) => location.root().join(t),
        None => location.require_live()?,
    };
    let searcher = match shard {
        Some(i) => Searcher::open_shard(&dir, i)?,
        None => Searcher::open(&dir)?,
    };
    // the first request on a generation should not pay for its tables
    searcher.prepare()?;
    let generation = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Loaded {
        searcher,
        link,
        generation,
        cache: AnswerCache::new(cache_bytes),
    })
}

impl LiveIndex {
    /// A searcher that is never re-opened (a coordinator of remote shards,
    /// which follow their own generations).
    pub(crate) fn fixed(searcher: Searcher, name: &str) -> LiveIndex {
        LiveIndex {
            location: IndexLocation::new(""),
            shard: None,
            cache_bytes: 0,
            current: RwLock::new(Arc::new(Loaded {
                searcher,
                link: None,
                generation: name.to_string(),
                cache: AnswerCache::new(0),
            })),
            previous: RwLock::new(None),
            reopening: Mutex::new(None),
        }
    }

    /// Opens the live index of the folder (a user error when there is none),
    /// or one shard of it, with an answer cache of `cache_bytes` per
    /// generation.
    pub(crate) fn open(root: &Path, shard: Option<u32>, cache_bytes: usize) -> Result<LiveIndex> {
        let location = IndexLocation::new(root);
        location.require_live()?;
        let link_now = || {
            if root.join("meta.json").is_file() {
                None
            } else {
                read_live_link(root)
            }
        };
        let link = link_now();
        let loaded = match open(&location, shard, link.clone(), cache_bytes) {
            Ok(l) => l,
            // a rebuild swapped the link while the generation was opened
            Err(e) => match link_now() {
                now if now != link => open(&location, shard, now, cache_bytes)?,
                _ => return Err(e),
            },
        };
        Ok(LiveIndex {
            location,
            shard,
            cache_bytes,
            current: RwLock::new(Arc::new(loaded)),
            previous: RwLock::new(None),
            reopening: Mutex::new(None),
        })
    }

    fn loaded(&self) -> Arc<Loaded> {
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// The searcher to answer a request with: the current generation,
    /// re-opened first if the `live` link now points elsewhere.
    pub(crate) fn get(&self) -> Arc<Loaded> {
        let cur = self.loaded();
        if cur.link.is_none() {
            return cur;
        }
        let target = read_live_link(self.location.root());
        if target.is_none() || target == cur.link {
            return cur;
        }
        // another request may be opening it already: answer with the old one
        let Ok(mut failed) = self.reopening.try_lock() else {
            return cur;
        };
        let cur = self.loaded();
        if target == cur.link || (target.is_some() && *failed == target) {
            return cur;
        }
        match open(&self.location, self.shard, target.clone(), self.cache_bytes) {
            Ok(new) => {
                let new = Arc::new(new);
                crate::log_line!("repsearch serve: now serving generation {}", new.generation);
                let old = match self.current.write() {
                    Ok(mut g) => std::mem::replace(&mut *g, new.clone()),
                    Err(p) => std::mem::replace(&mut *p.into_inner(), new.clone()),
                };
                match self.previous.write() {
                    Ok(mut g) => *g = Some(old),
                    Err(p) => *p.into_inner() = Some(old),
                }
                *failed = None;
                new
            }
            Err(e) => {
                crate::log_line!(
                    "repsearch serve: could not open the new generation ({e}); still serving {}",
                    cur.generation
                );
                *failed = target;
                cur
            }
        }
    }

    /// The generation named `name`, if it is the current one (re-opened
    /// first if the link moved) or the one before.
    pub(crate) fn generation(&self, name: &str) -> Option<Arc<Loaded>> {
        let cur = self.get();
        if cur.generation == name {
            return Some(cur);
        }
        let prev = match self.previous.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        };
        prev.filter(|p| p.generation == name)
    }
}
