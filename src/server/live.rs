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
    cache_bytes: usize,
    current: RwLock<Arc<Loaded>>,
    reopening: Mutex<Option<PathBuf>>,
}

fn read_live_link(root: &Path) -> Option<PathBuf> {
    std::fs::read_link(root.join("live")).ok()
}

fn open(location: &IndexLocation, link: Option<PathBuf>, cache_bytes: usize) -> Result<Loaded> {
    let dir = match &link {
        Some(t) if t.is_absolute() => t.clone(),
        Some(t) => location.root().join(t),
        None => location.require_live()?,
    };
    let searcher = Searcher::open(&dir)?;
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
    /// Opens the live index of the folder (a user error when there is none),
    /// with an answer cache of `cache_bytes` per generation.
    pub(crate) fn open(root: &Path, cache_bytes: usize) -> Result<LiveIndex> {
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
        let loaded = match open(&location, link.clone(), cache_bytes) {
            Ok(l) => l,
            // a rebuild swapped the link while the generation was opened
            Err(e) => match link_now() {
                now if now != link => open(&location, now, cache_bytes)?,
                _ => return Err(e),
            },
        };
        Ok(LiveIndex {
            location,
            cache_bytes,
            current: RwLock::new(Arc::new(loaded)),
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
        match open(&self.location, target.clone(), self.cache_bytes) {
            Ok(new) => {
                let new = Arc::new(new);
                crate::log_line!("repsearch serve: now serving generation {}", new.generation);
                match self.current.write() {
                    Ok(mut g) => *g = new.clone(),
                    Err(p) => *p.into_inner() = new.clone(),
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
}
