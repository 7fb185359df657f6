//! Sharded indexes: one generation holding N shard indexes (`shard-0` …
//! `shard-{N-1}`), each exactly what an ordinary generation holds, for the
//! files routed to it by [`shard_of`], and the layout file
//! ([`SHARDS_FILE`]) written last, when every shard is complete.
//!
//! Shards are written several at a time, the threads shared among them
//! (see [`write_shards`] for why).

use super::generation::{self, Run};
use super::manifest::{Manifest, MANIFEST_FILE};
use super::{complete, updatable, write_summary, IndexSummary, Last, Progress, META_FILE};
use crate::corpus::{CorpusFile, Skipped};
use crate::error::{Error, Result};
use crate::store::{link_files, BuildLock, IndexLocation};
use crate::stored::{shard_dir, shard_of, ShardLayout, MAX_SHARDS};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// One shard of N: what `repsearch index --shard I/N` builds, written
/// `I/N` (`0/4` is the first of four).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    /// The shard, 0 to `shards - 1`.
    pub shard: u32,
    /// How many shards the index has, 1 to 256.
    pub shards: u32,
}

impl std::str::FromStr for ShardSpec {
    type Err = String;

    /// Reads `I/N` with 0 ≤ I < N ≤ 256.
    fn from_str(s: &str) -> std::result::Result<ShardSpec, String> {
        let bad = || format!("'{s}' is not I/N with 0 <= I < N <= {MAX_SHARDS} (e.g. 0/4)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let shard: u32 = i.trim().parse().map_err(|_| bad())?;
        let shards: u32 = n.trim().parse().map_err(|_| bad())?;
        if shards == 0 || shards > MAX_SHARDS || shard >= shards {
            return Err(bad());
        }
        Ok(ShardSpec { shard, shards })
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.shard, self.shards)
    }
}

/// How many shards the new generation has: `--shards`, one by default;
/// with `--update` of a live index, as many as it has, and any other number
/// is refused (changing the layout is a rebuild).
pub(super) fn count(
    opts: &super::IndexOptions,
    live: Option<&Path>,
    layout: Option<&ShardLayout>,
) -> Result<u32> {
    if let Some(n) = opts.shards.filter(|n| !(1..=MAX_SHARDS).contains(n)) {
        return Err(Error::command(format!(
            "--shards {n} is out of range: pass 1 to {MAX_SHARDS}"
        )));
    }
    if live.is_none() {
        return Ok(opts.shards.unwrap_or(1));
    }
    let has = layout.map_or(1, |l| l.shards);
    match opts.shards {
        Some(m) if m != has => Err(Error::command(format!(
            "--update cannot change the number of shards: the live index in '{}' {} (asked: --shards {m}); rebuild it without --update to change that",
            opts.index.display(),
            match layout {
                Some(l) => format!("has {} shards", l.shards),
                None => "is not sharded".to_string(),
            }
        ))),
        _ => Ok(has),
    }
}

/// The items routed to each of `n` shards by their corpus-relative path.
pub(super) fn route<T>(items: Vec<T>, n: u32, rel: impl Fn(&T) -> &str) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = (0..n).map(|_| Vec::new()).collect();
    for item in items {
        let i = shard_of(rel(&item), n) as usize;
        out[i].push(item);
    }
    out
}

/// Forwards the progress of one shard's batch to the whole build's (which
/// was started once, with every shard's files).
struct OneShard<'a>(&'a dyn Progress);

impl Progress for OneShard<'_> {
    fn file_done(&self, bytes: u64) {
        self.0.file_done(bytes);
    }
    fn finishing(&self) {
        self.0.finishing();
    }
}

/// Writes a sharded generation of `n` shards (an update of the `live` one
/// when it is sharded and every shard can be updated, else a rebuild): the
/// shard folders, each complete with its summary; the layout is left for
/// the caller to write when the whole build is accepted.
pub(super) fn build(
    run: &Run<'_>,
    (location, lock): (&IndexLocation, &BuildLock),
    n: u32,
    live: Option<PathBuf>,
    walk_skipped: Vec<Skipped>,
) -> Result<(PathBuf, IndexSummary, Last)> {
    let (previous, note) = match &live {
        Some(g) => live_shards(g, n),
        None => (None, None),
    };
    let generation = location.new_generation(lock)?;
    let files = route(run.files.to_vec(), n, |f: &CorpusFile| &f.rel);
    let skipped = route(walk_skipped, n, |s: &Skipped| &s.rel);
    let bytes = run
        .files
        .iter()
        .filter_map(|f| super::manifest::stat(&f.path))
        .map(|(size, _)| size)
        .sum();
    run.progress.start(run.files.len(), bytes);
    let work = files.into_iter().zip(skipped).enumerate().collect();
    let summaries = write_shards(run, &generation, work, previous.as_deref())?;
    let mut summary = IndexSummary::of_shards(&summaries);
    summary.note = note;
    Ok((generation, summary, Last::Layout(ShardLayout::new(n))))
}

/// The files and walk-skipped files of each shard, by shard number.
type Work = Vec<(usize, (Vec<CorpusFile>, Vec<Skipped>))>;

/// Writes the shards of `work` into their folders of `generation`, several
/// at a time: as many as there are threads (at most one per shard), the
/// threads and the writer's memory shared among them. Their summaries, by
/// shard number; the first error stops the shards not yet started.
///
/// Two shards at a time with one thread each beat one at a time with two
/// threads on 2 cores (corpora/ of ../shared, 9.6 MB, 4 shards: 6.3–6.6 s
/// of CPU against 8.7–9.0 s, 9.4–10.1 s wall against 13.4–17.3 s, under
/// load): a shard's writer, commit and final merge are partly serial.
fn write_shards(
    run: &Run<'_>,
    generation: &Path,
    work: Work,
    previous: Option<&[(PathBuf, Manifest)]>,
) -> Result<Vec<IndexSummary>> {
    let workers = run.threads.min(work.len()).max(1);
    let mut opts = run.opts.clone();
    opts.writer_memory /= workers;
    let progress = OneShard(run.progress);
    let queue = Mutex::new(work.into_iter());
    let done: Mutex<Vec<(usize, Result<IndexSummary>)>> = Mutex::new(Vec::new());
    let failed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).next();
                    let Some((i, (files, skipped))) = next else {
                        break;
                    };
                    let shard = Run {
                        opts: &opts,
                        files: &files,
                        threads: (run.threads / workers).max(1),
                        progress: &progress,
                    };
                    let old = previous.map(|p| (p[i].0.as_path(), &p[i].1));
                    let r = write_shard(&shard, &shard_dir(generation, i as u32), old, skipped);
                    failed.fetch_or(r.is_err(), Ordering::Relaxed);
                    done.lock().unwrap_or_else(|p| p.into_inner()).push((i, r));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The live shard folders with their manifests, when every one of the `n`
/// can be updated; else `None` and, when one was built by another version
/// of repsearch, the note saying the index was rebuilt whole.
type LiveShards = Vec<(PathBuf, Manifest)>;
fn live_shards(live: &Path, n: u32) -> (Option<LiveShards>, Option<String>) {
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let dir = shard_dir(live, i);
        match updatable(&dir) {
            (Some(m), _) => out.push((dir, m)),
            (None, note) => return (None, note),
        }
    }
    (Some(out), None)
}

/// Writes one shard's index into the folder `dir` (made here; it must not
/// hold an index): a copy of `old` (the live shard's folder and manifest)
/// updated, or a rebuild; then its manifest and, last, its summary, which
/// is returned.
pub(super) fn write_shard(
    run: &Run<'_>,
    dir: &Path,
    old: Option<(&Path, &Manifest)>,
    walk_skipped: Vec<Skipped>,
) -> Result<IndexSummary> {
    let started = std::time::Instant::now();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let (mut summary, manifest) = match old {
        Some((live, m)) => {
            link_files(live, dir, &[META_FILE, MANIFEST_FILE])?;
            generation::update(run, dir, m)?
        }
        None => generation::rebuild(run, dir)?,
    };
    complete(&mut summary, walk_skipped, &manifest);
    summary.corpus = run.opts.corpus.display().to_string();
    summary.seconds = started.elapsed().as_secs_f64();
    write_summary(dir, &manifest, &summary)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_is_written_i_slash_n() {
        let s: ShardSpec = "2/4".parse().unwrap();
        assert_eq!((s.shard, s.shards), (2, 4));
        assert_eq!(s.to_string(), "2/4");
        assert_eq!("0/1".parse::<ShardSpec>().unwrap().shards, 1);
        for bad in ["4/4", "0/0", "1", "a/2", "1/257", "-1/3", "1/2/3", ""] {
            let err = bad.parse::<ShardSpec>().unwrap_err();
            assert!(err.contains("I/N"), "{bad}: {err}");
        }
    }

    #[test]
    fn every_item_goes_to_the_shard_of_its_path() {
        let paths: Vec<String> = (0..50).map(|i| format!("dir/report-{i}.txt")).collect();
        let shards = route(paths.clone(), 3, |p: &String| p);
        assert_eq!(shards.iter().map(Vec::len).sum::<usize>(), paths.len());
        for (i, shard) in shards.iter().enumerate() {
            assert!(shard.iter().all(|p| shard_of(p, 3) == i as u32));
        }
        assert!(shards.iter().all(|s| !s.is_empty()));
    }
}
