//! Where indexes live on disk, and the safe swap of a rebuilt one.
//!
//! An index folder holds generations (`gen-*`), each a complete tantivy index,
//! and `live`, a symbolic link to the current one. A rebuild writes a new
//! generation beside the live one and swaps the link atomically (rename) only
//! when it is complete, so searches never see a half-built index and an
//! interrupted rebuild leaves the previous one in place.
//!
//! The folder is repsearch's: it is marked ([`FOLDER_MARK`]) when repsearch
//! creates it (or finds it empty), each generation is marked
//! ([`GENERATION_MARK`]) when it is created, and only marked generations are
//! ever deleted. A non-empty folder without the mark is refused, except an
//! index built by an earlier version (a `live` link, `gen-*` folders and
//! `build.lock`), which is adopted.
//!
//! The generation that was live before the last swap is kept (`previous`)
//! until the next rebuild starts, and at least [`PREVIOUS_GRACE`] after the
//! swap (then until the next swap): a search that read the `live` link just
//! before a swap can still open the generation it found, while a rebuild
//! long after needs no more disk than the live index and the new one. Older
//! generations are deleted.
//!
//! A rebuild holds an advisory lock (`flock`) on `build.lock` while it runs:
//! the kernel gives it to one process only and releases it when that process
//! ends, however it ends, so two rebuilds cannot both run and a killed one
//! never blocks the next. The file itself stays.

use crate::error::{Error, Result};
use crate::stored::SHARDS_FILE;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const LIVE: &str = "live";
const PREVIOUS: &str = "previous";
const LOCK: &str = "build.lock";
const GEN_PREFIX: &str = "gen-";

/// The file that marks a folder as an index folder made by repsearch.
pub(crate) const FOLDER_MARK: &str = ".repsearch-index";
/// The file that marks a `gen-*` folder as a generation made by repsearch.
pub(crate) const GENERATION_MARK: &str = ".repsearch-generation";

/// How long after a swap the generation it replaced is kept at least.
pub(crate) const PREVIOUS_GRACE: std::time::Duration = std::time::Duration::from_secs(60);

const FOLDER_MARK_TEXT: &str = "This folder is an index of repsearch. A rebuild deletes its old \
gen-* generations (those holding a .repsearch-generation file): keep no other files here.\n";
const GENERATION_MARK_TEXT: &str = "A generation of a repsearch index.\n";

/// An index folder.
#[derive(Debug, Clone)]
pub struct IndexLocation {
    root: PathBuf,
}

/// Held while a rebuild runs: an open `build.lock` with an exclusive
/// advisory lock, released when dropped (or when the process ends).
#[derive(Debug)]
pub(crate) struct BuildLock {
    _file: fs::File,
}

/// Names an index built by an earlier version of repsearch may hold.
fn legacy_entry(name: &str, is_dir: bool) -> bool {
    matches!(name, "live" | "live.tmp" | LOCK) || (is_dir && name.starts_with(GEN_PREFIX))
}

/// Does this folder hold a tantivy index (or an unfinished one)?
fn has_index_files(dir: &Path) -> bool {
    ["meta.json", ".managed.json"]
        .iter()
        .any(|f| dir.join(f).is_file())
}

fn write_mark(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).map_err(|e| Error::io(path, e))
}

impl IndexLocation {
    /// The index folder at `root` (it need not exist yet).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        IndexLocation { root: root.into() }
    }

    /// The folder.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The live generation, if there is one: a tantivy index (meta.json) or
    /// a sharded one ([`SHARDS_FILE`]). A folder that is itself a tantivy
    /// index is accepted as live too.
    pub(crate) fn live(&self) -> Option<PathBuf> {
        if self.root.join("meta.json").is_file() {
            return Some(self.root.clone());
        }
        self.link_target(LIVE)
            .filter(|dir| dir.join("meta.json").is_file() || dir.join(SHARDS_FILE).is_file())
    }

    fn link_target(&self, link: &str) -> Option<PathBuf> {
        let target = fs::read_link(self.root.join(link)).ok()?;
        Some(if target.is_absolute() {
            target
        } else {
            self.root.join(target)
        })
    }

    /// The live generation, or a user error saying how to build one.
    pub fn require_live(&self) -> Result<PathBuf> {
        if !self.root.exists() {
            return Err(Error::command(format!(
                "index folder '{}' not found: build it with `repsearch index --index {}` or pass --index DIR",
                self.root.display(),
                self.root.display()
            )));
        }
        self.live().ok_or_else(|| {
            Error::command(format!(
                "no index in '{}': build one with `repsearch index --index {}`",
                self.root.display(),
                self.root.display()
            ))
        })
    }

    /// Opens the live generation with `open`. When that fails and the `live`
    /// link has meanwhile moved to another generation (a rebuild published
    /// one), opens that one instead, once.
    pub(crate) fn open_live<T>(&self, open: impl Fn(&Path) -> Result<T>) -> Result<T> {
        let live = self.require_live()?;
        match open(&live) {
            Ok(t) => Ok(t),
            Err(e) => match self.live() {
                Some(now) if now != live => open(&now),
                _ => Err(e),
            },
        }
    }

    /// Makes sure the folder is repsearch's before anything is written in
    /// it: creates and marks it when missing or empty, adopts an index of an
    /// earlier version, and refuses any other folder.
    pub(crate) fn claim(&self) -> Result<()> {
        let root = &self.root;
        if root.join(FOLDER_MARK).is_file() {
            return Ok(());
        }
        if !root.exists() {
            fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
            return write_mark(&root.join(FOLDER_MARK), FOLDER_MARK_TEXT);
        }
        if !root.is_dir() {
            return Err(Error::command(format!(
                "--index '{}' is not a folder: pass --index with a new or empty folder",
                root.display()
            )));
        }
        let entries: Vec<(String, bool)> = fs::read_dir(root)
            .map_err(|e| Error::io(root, e))?
            .filter_map(|e| e.ok())
            .map(|e| {
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                (e.file_name().to_string_lossy().into_owned(), is_dir)
            })
            .collect();
        if entries.iter().any(|(n, _)| n == FOLDER_MARK) {
            return Ok(()); // marked meanwhile by a concurrent rebuild
        }
        // an index of an earlier version: its `live` link names a complete
        // generation (other files beside it, such as a README, stay: only
        // marked generations are ever deleted), or only repsearch's own
        // entries are there with a build lock
        let linked = self
            .link_target(LIVE)
            .is_some_and(|dir| dir.join("meta.json").is_file());
        let legacy = linked
            || (!entries.is_empty()
                && entries.iter().all(|(n, d)| legacy_entry(n, *d))
                && entries.iter().any(|(n, _)| n == LOCK));
        if !entries.is_empty() && !legacy {
            return Err(Error::command(format!(
                "index folder '{}' is not empty and was not made by repsearch: pass --index with a new or empty folder (repsearch deletes old index generations inside its folder)",
                root.display()
            )));
        }
        // an index of an earlier version: its generations are tantivy indexes
        for (name, is_dir) in &entries {
            let dir = root.join(name);
            if *is_dir && name.starts_with(GEN_PREFIX) && has_index_files(&dir) {
                write_mark(&dir.join(GENERATION_MARK), GENERATION_MARK_TEXT)?;
            }
        }
        write_mark(&root.join(FOLDER_MARK), FOLDER_MARK_TEXT)
    }

    /// Claims the folder ([`IndexLocation::claim`]) and takes the build lock,
    /// refusing when another process holds it.
    pub(crate) fn lock(&self) -> Result<BuildLock> {
        self.claim()?;
        let path = self.root.join(LOCK);
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {
                // for people reading the file; the lock is what counts
                let _ = file.set_len(0);
                let _ = writeln!(file, "{}", std::process::id());
                Ok(BuildLock { _file: file })
            }
            Err(fs::TryLockError::WouldBlock) => {
                let holder = fs::read_to_string(&path)
                    .ok()
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .map(|pid| format!(" (process {pid})"))
                    .unwrap_or_default();
                Err(Error::command(format!(
                    "another rebuild{holder} is writing '{}': wait for it to finish, or stop it",
                    self.root.display()
                )))
            }
            Err(fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }

    /// A fresh, empty generation folder. Leftovers of interrupted rebuilds
    /// (generations that are neither live nor previous) are removed first,
    /// and the previous one when it was swapped out over [`PREVIOUS_GRACE`] ago.
    pub(crate) fn new_generation(&self, _lock: &BuildLock) -> Result<PathBuf> {
        let swapped = fs::symlink_metadata(self.root.join(PREVIOUS))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        let recent = swapped.is_some_and(|age| age < PREVIOUS_GRACE);
        self.remove_stale_generations(recent);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let dir = self
            .root
            .join(format!("{GEN_PREFIX}{stamp}-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        write_mark(&dir.join(GENERATION_MARK), GENERATION_MARK_TEXT)?;
        Ok(dir)
    }

    /// A new generation holding the files of `from` (see [`link_files`]),
    /// except those named in `except`.
    pub(crate) fn clone_generation(
        &self,
        from: &Path,
        except: &[&str],
        lock: &BuildLock,
    ) -> Result<PathBuf> {
        let dir = self.new_generation(lock)?;
        link_files(from, &dir, except)?;
        Ok(dir)
    }

    /// Removes every generation that is neither live nor previous (a failed
    /// build's work).
    pub(crate) fn discard_unpublished(&self) {
        self.remove_stale_generations(true);
    }

    /// Deletes the generations repsearch made (marked) that are not live
    /// (nor previous, with `keep_previous`); nothing else in the folder is
    /// ever deleted.
    fn remove_stale_generations(&self, keep_previous: bool) {
        let previous = self.link_target(PREVIOUS);
        if !keep_previous && previous.is_some() {
            let _ = fs::remove_file(self.root.join(PREVIOUS));
        }
        let previous = previous.filter(|_| keep_previous);
        let keep: Vec<_> = [self.live(), previous]
            .into_iter()
            .flatten()
            .filter_map(|p| p.file_name().map(|n| n.to_owned()))
            .collect();
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let ours = name.to_string_lossy().starts_with(GEN_PREFIX)
                && entry.file_type().is_ok_and(|t| t.is_dir())
                && entry.path().join(GENERATION_MARK).is_file();
            if ours && !keep.contains(&name) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Points the symbolic link `name` at `target` (a name in the folder),
    /// atomically (a new link renamed over the old one).
    fn set_link(&self, name: &str, target: &std::ffi::OsStr) -> Result<()> {
        let tmp = self.root.join(format!("{name}.tmp"));
        let _ = fs::remove_file(&tmp);
        #[cfg(unix)]
        std::os::unix::fs::symlink(target, &tmp).map_err(|e| Error::io(&tmp, e))?;
        #[cfg(not(unix))]
        return Err(Error::Internal("index swap needs a unix system".into()));
        let link = self.root.join(name);
        fs::rename(&tmp, &link).map_err(|e| Error::io(&link, e))
    }

    /// Makes `generation` the live index (atomic rename of the link). The
    /// generation live until now becomes `previous` and is kept (see the
    /// module's documentation), for searches that found it just before this
    /// swap; older generations are removed.
    pub(crate) fn publish(&self, generation: &Path, _lock: &BuildLock) -> Result<()> {
        let name = generation.file_name().ok_or_else(|| {
            Error::Internal(format!("bad generation path {}", generation.display()))
        })?;
        let old = self.live().filter(|p| *p != self.root);
        if let Some(old) = old.as_ref().and_then(|p| p.file_name()) {
            if old != name {
                self.set_link(PREVIOUS, old)?;
            }
        }
        self.set_link(LIVE, name)?;
        self.remove_stale_generations(true);
        Ok(())
    }
}

/// Gives the folder `to` the files of the index folder `from`, hard-linked
/// where the file system allows (tantivy never rewrites a segment file in
/// place, and replaces its meta files by rename, so `from` is untouched),
/// copied otherwise. Files named in `except`, lock files, the generation
/// mark and sub-folders are left out.
pub(crate) fn link_files(from: &Path, to: &Path, except: &[&str]) -> Result<()> {
    let entries = fs::read_dir(from).map_err(|e| Error::io(from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let name = entry.file_name();
        let n = name.to_string_lossy();
        if except.contains(&n.as_ref())
            || n == GENERATION_MARK
            || n.ends_with(".lock")
            || !entry.path().is_file()
        {
            continue;
        }
        let dst = to.join(&name);
        if fs::hard_link(entry.path(), &dst).is_err() {
            fs::copy(entry.path(), &dst).map_err(|e| Error::io(&dst, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path());
        let lock = loc.lock().unwrap();
        let err = loc.lock().unwrap_err();
        assert!(err.to_string().contains("another rebuild"), "{err}");
        drop(lock);
        assert!(loc.lock().is_ok());
    }

    #[test]
    fn stale_lock_of_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(LOCK), "4294967").unwrap();
        assert!(IndexLocation::new(dir.path()).lock().is_ok());
    }

    #[test]
    fn a_folder_repsearch_did_not_make_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("gen-budget")).unwrap();
        fs::write(dir.path().join("gen-budget/plan.txt"), "x").unwrap();
        let err = IndexLocation::new(dir.path()).lock().unwrap_err();
        assert!(err.is_user() && err.to_string().contains("not made by repsearch"));
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["gen-budget"]);
        // a file is no folder
        let file = dir.path().join("gen-budget/plan.txt");
        assert!(IndexLocation::new(&file).claim().unwrap_err().is_user());
    }

    #[test]
    fn an_index_of_an_earlier_version_is_adopted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for g in ["gen-1-1", "gen-2-2", "gen-3-3"] {
            fs::create_dir(root.join(g)).unwrap();
        }
        fs::write(root.join("gen-1-1/meta.json"), "{}").unwrap();
        fs::write(root.join("gen-2-2/.managed.json"), "[]").unwrap();
        fs::write(root.join("gen-3-3/plan.txt"), "a user's").unwrap();
        std::os::unix::fs::symlink("gen-1-1", root.join(LIVE)).unwrap();
        fs::write(root.join(LOCK), "").unwrap();
        let loc = IndexLocation::new(root);
        let lock = loc.lock().unwrap();
        assert!(root.join(FOLDER_MARK).is_file());
        // the unfinished generation goes; the live one and the user's stay
        loc.new_generation(&lock).unwrap();
        assert!(root.join("gen-1-1/meta.json").is_file());
        assert!(!root.join("gen-2-2").exists());
        assert!(root.join("gen-3-3/plan.txt").is_file());
    }

    #[test]
    fn publish_keeps_the_previous_generation_until_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let loc = IndexLocation::new(dir.path().join("i"));
        let lock = loc.lock().unwrap();
        let mut gens = Vec::new();
        for _ in 0..3 {
            let g = loc.new_generation(&lock).unwrap();
            fs::write(g.join("meta.json"), "{}").unwrap();
            loc.publish(&g, &lock).unwrap();
            gens.push(g);
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert!(!gens[0].exists());
        assert!(gens[1].is_dir() && gens[2].is_dir());
        assert_eq!(loc.live().unwrap(), gens[2]);
        // a failed build's generation is discarded; previous and live stay
        let failed = loc.new_generation(&lock).unwrap();
        loc.discard_unpublished();
        assert!(!failed.exists() && gens[1].is_dir() && gens[2].is_dir());
    }

    #[test]
    fn missing_index_is_a_user_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = IndexLocation::new(dir.path().join("nope"))
            .require_live()
            .unwrap_err();
        assert!(err.is_user());
        assert!(err.to_string().contains("repsearch index"));
    }
}
