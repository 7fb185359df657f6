//! One shard built alone (`repsearch index --shard I/N --into DIR`): what
//! one task of a cluster rebuild runs. No index folder, no lock, no live
//! link: the cluster's driver holds the index's lock, gives each task its
//! `gen-*/shard-I` folder, and swaps the live link itself.
//!
//! The shard is written into `DIR.partial-PID` beside `DIR`, its summary
//! last, and renamed to `DIR` only when complete: `DIR`, when it exists and
//! is not empty, is a complete shard. A task killed midway leaves only its
//! `DIR.partial-PID` folder, which the next attempt at the same `DIR`
//! removes before it starts.

use super::generation::Run;
use super::shards::{route, write_shard, ShardSpec};
use super::{check_corpus_root, num_cpus, IndexOptions, IndexSummary, Progress};
use crate::corpus::{self, CorpusFile, Skipped};
use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// Builds shard `spec` of the corpus `opts.corpus` (the files routed to it
/// by [`crate::indexer::shard_of`]) into the folder `into`, which must not
/// exist or be empty: what `shard-I` of a sharded generation holds. Only
/// the corpus, threads and memory of `opts` are used.
pub fn build_shard(
    opts: &IndexOptions,
    spec: ShardSpec,
    into: &Path,
    progress: &dyn Progress,
) -> Result<IndexSummary> {
    check_corpus_root(&opts.corpus)?;
    check_into(into)?;
    let (files, walk_skipped) = corpus::walk(&opts.corpus)?;
    let partial = partial_of(into, std::process::id())?;
    remove_leftovers(into, &partial);
    let mine = |n: usize| n == spec.shard as usize;
    let files = pick(route(files, spec.shards, |f: &CorpusFile| &f.rel), mine);
    let skipped = pick(route(walk_skipped, spec.shards, |s: &Skipped| &s.rel), mine);
    let run = Run {
        opts,
        files: &files,
        threads: opts.threads.unwrap_or_else(num_cpus).max(1),
        progress,
    };
    let built = write_shard(&run, &partial, None, skipped).and_then(|summary| {
        fs::rename(&partial, into).map_err(|e| Error::io(into, e))?;
        Ok(summary)
    });
    if built.is_err() {
        let _ = fs::remove_dir_all(&partial);
    }
    built
}

/// The one shard's items.
fn pick<T>(shards: Vec<Vec<T>>, mine: impl Fn(usize) -> bool) -> Vec<T> {
    shards
        .into_iter()
        .enumerate()
        .find(|(i, _)| mine(*i))
        .map(|(_, items)| items)
        .unwrap_or_default()
}

/// Refuses a target that is not a new or empty folder.
fn check_into(into: &Path) -> Result<()> {
    let d = into.display();
    match fs::read_dir(into) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Err(Error::command(format!(
            "--into '{d}' is not a folder: pass --into with a new or empty folder"
        ))),
        Err(e) => Err(Error::io(into, e)),
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(Error::command(format!(
                "--into '{d}' is not empty (a shard already built there?): pass --into with a new or empty folder"
            ))),
        },
    }
}

/// Where this process writes the shard before renaming it to `into`.
fn partial_of(into: &Path, pid: u32) -> Result<PathBuf> {
    let name = into.file_name().ok_or_else(|| {
        Error::command(format!(
            "--into '{}' names no folder: pass --into with a new or empty folder",
            into.display()
        ))
    })?;
    let mut partial = name.to_os_string();
    partial.push(format!("{PARTIAL}{pid}"));
    Ok(into.with_file_name(partial))
}

/// What follows the target's name in the name of a folder being written.
const PARTIAL: &str = ".partial-";

/// Removes the `DIR.partial-*` folders of earlier attempts killed midway
/// (any but `ours`).
fn remove_leftovers(into: &Path, ours: &Path) {
    let (Some(parent), Some(name)) = (into.parent(), into.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = format!("{}{PARTIAL}", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let leftover = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry.file_type().is_ok_and(|t| t.is_dir())
            && entry.file_name() != ours.file_name().unwrap_or_default();
        if leftover {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_attempts_partial_folder_is_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let into = dir.path().join("shard-1");
        let old = partial_of(&into, 7).unwrap();
        fs::create_dir(&old).unwrap();
        fs::write(old.join("meta.json"), "{}").unwrap();
        fs::create_dir(dir.path().join("shard-10.partial-7")).unwrap();
        let ours = partial_of(&into, 8).unwrap();
        fs::create_dir(&ours).unwrap();
        remove_leftovers(&into, &ours);
        assert!(!old.exists() && ours.is_dir());
        // another shard's partial folder is not this one's
        assert!(dir.path().join("shard-10.partial-7").is_dir());
    }

    #[test]
    fn only_a_new_or_empty_folder_is_a_target() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_into(&dir.path().join("new")).is_ok());
        assert!(check_into(dir.path()).is_ok());
        fs::write(dir.path().join("x"), "").unwrap();
        let err = check_into(dir.path()).unwrap_err();
        assert!(
            err.is_user() && err.to_string().contains("not empty"),
            "{err}"
        );
        let err = check_into(&dir.path().join("x")).unwrap_err();
        assert!(
            err.is_user() && err.to_string().contains("not a folder"),
            "{err}"
        );
    }
}
