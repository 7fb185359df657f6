//! Where indexes live on disk, and the safe swap of a rebuilt one.
//!
//! An index folder holds generations (`gen-*`), each a complete tantivy index,
//! and `live`, a symbolic link to the current one. A rebuild writes a new
//! generation beside the live one and swaps the link atomically (rename) only
//! when it is complete, so searches never see a half-built index and an
//! interrupted rebuild leaves the previous one in place. A lock file refuses a
//! second concurrent rebuild.

use crate::error::{Error, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const LIVE: &str = "live";
const LOCK: &str = "build.lock";
const GEN_PREFIX: &str = "gen-";

/// An index folder.
#[derive(Debug, Clone)]
pub struct IndexLocation {
    root: PathBuf,
}

/// Held while a rebuild runs; removes the lock file when dropped.
#[derive(Debug)]
pub struct BuildLock {
    path: PathBuf,
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl IndexLocation {
    /// The index folder at `root` (it need not exist yet).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        IndexLocation { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The live generation, if there is one. A folder that is itself a
    /// tantivy index (has meta.json) is accepted as live too.
    pub fn live(&self) -> Option<PathBuf> {
        if self.root.join("meta.json").is_file() {
            return Some(self.root.clone());
        }
        let link = self.root.join(LIVE);
        let target = fs::read_link(&link).ok()?;
        let dir = if target.is_absolute() {
            target
        } else {
            self.root.join(target)
        };
        dir.join("meta.json").is_file().then_some(dir)
    }

    /// The live generation, or a user error saying how to build one.
    pub fn require_live(&self) -> Result<PathBuf> {
        if !self.root.exists() {
            return Err(Error::user(format!(
                "index folder '{}' not found: build it with `repsearch index --index {}` or pass --index DIR",
                self.root.display(),
                self.root.display()
            )));
        }
        self.live().ok_or_else(|| {
            Error::user(format!(
                "no index in '{}': build one with `repsearch index --index {}`",
                self.root.display(),
                self.root.display()
            ))
        })
    }

    /// Takes the build lock, refusing when another live process holds it.
    pub fn lock(&self) -> Result<BuildLock> {
        fs::create_dir_all(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let path = self.root.join(LOCK);
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(BuildLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid_alive(pid) => {
                            return Err(Error::user(format!(
                                "another rebuild (process {pid}) is writing '{}': wait for it to finish, or stop it",
                                self.root.display()
                            )))
                        }
                        _ => {
                            // stale lock of a killed rebuild
                            let _ = fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Err(Error::user(format!(
            "could not take the build lock {}",
            path.display()
        )))
    }

    /// A fresh, empty generation folder. Leftovers of interrupted rebuilds
    /// (generations that are not live) are removed first.
    pub fn new_generation(&self, _lock: &BuildLock) -> Result<PathBuf> {
        self.remove_stale_generations()?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let dir = self
            .root
            .join(format!("{GEN_PREFIX}{stamp}-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(dir)
    }

    /// A new generation holding the files of `from`, hard-linked where the
    /// file system allows (tantivy never rewrites a segment file in place, and
    /// replaces its meta files by rename, so the old generation is untouched),
    /// copied otherwise. Files named in `except` are left out.
    pub fn clone_generation(
        &self,
        from: &Path,
        except: &[&str],
        lock: &BuildLock,
    ) -> Result<PathBuf> {
        let dir = self.new_generation(lock)?;
        let entries = fs::read_dir(from).map_err(|e| Error::io(from, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(from, e))?;
            let name = entry.file_name();
            let n = name.to_string_lossy();
            if except.contains(&n.as_ref()) || n.ends_with(".lock") || !entry.path().is_file() {
                continue;
            }
            let dst = dir.join(&name);
            if fs::hard_link(entry.path(), &dst).is_err() {
                fs::copy(entry.path(), &dst).map_err(|e| Error::io(&dst, e))?;
            }
        }
        Ok(dir)
    }

    /// Removes every generation that is not live (a failed build's work).
    pub fn discard_unpublished(&self) {
        let _ = self.remove_stale_generations();
    }

    fn remove_stale_generations(&self) -> Result<()> {
        let live = self
            .live()
            .and_then(|p| p.file_name().map(|n| n.to_owned()));
        let entries = match fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(_) => return Ok(()),
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_gen = name.to_string_lossy().starts_with(GEN_PREFIX);
            if is_gen && Some(&name) != live.as_ref() {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        Ok(())
    }

    /// Makes `generation` the live index (atomic rename of the link), then
    /// removes older generations. Searchers that have the old one open keep
    /// reading it until they reopen (its files stay while mapped).
    pub fn publish(&self, generation: &Path, _lock: &BuildLock) -> Result<()> {
        let name = generation.file_name().ok_or_else(|| {
            Error::Internal(format!("bad generation path {}", generation.display()))
        })?;
        let tmp = self.root.join(format!("{LIVE}.tmp"));
        let _ = fs::remove_file(&tmp);
        #[cfg(unix)]
        std::os::unix::fs::symlink(name, &tmp).map_err(|e| Error::io(&tmp, e))?;
        #[cfg(not(unix))]
        return Err(Error::Internal("index swap needs a unix system".into()));
        let live = self.root.join(LIVE);
        fs::rename(&tmp, &live).map_err(|e| Error::io(&live, e))?;
        self.remove_stale_generations()
    }
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
    fn missing_index_is_a_user_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = IndexLocation::new(dir.path().join("nope"))
            .require_live()
            .unwrap_err();
        assert!(err.is_user());
        assert!(err.to_string().contains("repsearch index"));
    }
}
