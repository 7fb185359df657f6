//! One test per failure found by attacking the rebuild and the server
//! (issue 15), each named after what it checks. Every test here failed on
//! the code before the fix.
//!
//! The sections follow the numbering; keep new tests in their section.

#![allow(unused_imports)]

use crate::util;

// ---------------------------------------------------------------------------
// 1. Memory bounded for files read whole; one file never stops the batch.
// 11. HTML parsing linear in the input.
// 5. Streamed files: the whole document's facets; places stored once.
// (section: bounds)

// end of section: bounds
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 3. `--update` equals a rebuild.
// 4. Bad metadata is reported.
// 6. File names kept losslessly.
// 15. Orphan metadata and FIFOs listed; one spelling of "permission denied".
// (section: update)

// end of section: update
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 7. The index folder is repsearch's.
// 8. An empty or unreadable corpus never replaces a live index.
// 9. A lock that cannot race and dies with its holder.
// 10. A search during a rebuild never fails.
// 15. A disk-full rebuild says so.
// (section: store)

// (in a module of their own: their imports cannot clash with other sections')
mod store {
    use crate::util;
    use std::os::unix::process::CommandExt;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};

    /// `repsearch index --corpus C --index I` (plus `extra`), unprivileged when
    /// `unprivileged` and this process is root (root reads every folder).
    fn index_cmd(c: &Path, idx: &Path, extra: &[&str], unprivileged: bool) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_repsearch"));
        cmd.args(["index", "--quiet", "--corpus", c.to_str().unwrap()])
            .args(["--index", idx.to_str().unwrap()])
            .args(extra);
        // SAFETY: geteuid has no preconditions.
        if unprivileged && unsafe { libc::geteuid() } == 0 {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    if libc::setgid(65534) != 0 || libc::setuid(65534) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        cmd.output().expect("run repsearch")
    }

    fn stderr(out: &Output) -> String {
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// One line on stderr, exit code 2.
    fn assert_refused(out: &Output, needles: &[&str]) {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(2), "exit 2 expected: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        for n in needles {
            assert!(err.contains(n), "'{n}' not in: {err}");
        }
    }

    fn live_target(idx: &Path) -> PathBuf {
        std::fs::read_link(idx.join("live")).expect("a live index")
    }

    #[test]
    fn index_refuses_a_folder_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        let userdir = dir.path().join("userdir");
        let plan = userdir.join("gen-2024-budget/plan.txt");
        std::fs::create_dir_all(plan.parent().unwrap()).unwrap();
        std::fs::write(&plan, "important\n").unwrap();
        let out = index_cmd(&util::corpus(), &userdir, &[], false);
        assert_refused(&out, &[userdir.to_str().unwrap(), "not made by repsearch"]);
        assert_eq!(std::fs::read_to_string(&plan).unwrap(), "important\n");
        let names: Vec<_> = std::fs::read_dir(&userdir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["gen-2024-budget"], "nothing written in the folder");

        // a folder repsearch made: a user's gen-* folder in it is never deleted
        let idx = dir.path().join("index");
        util::index(&util::corpus(), &idx, &["--quiet"]);
        let plan = idx.join("gen-2024-budget/plan.txt");
        std::fs::create_dir_all(plan.parent().unwrap()).unwrap();
        std::fs::write(&plan, "important\n").unwrap();
        for _ in 0..3 {
            util::index(&util::corpus(), &idx, &["--quiet"]);
        }
        assert_eq!(std::fs::read_to_string(&plan).unwrap(), "important\n");
    }

    #[test]
    fn an_empty_corpus_does_not_replace_a_live_index() {
        let dir = tempfile::tempdir().unwrap();
        let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
        util::copy_corpus(&c);
        util::index(&c, &idx, &["--quiet"]);
        let live = live_target(&idx);
        // an unmounted share: an empty folder; or only files that are skipped
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let skipped = dir.path().join("skipped");
        std::fs::create_dir(&skipped).unwrap();
        std::fs::write(skipped.join("blank.txt"), "").unwrap();
        std::fs::write(skipped.join("data.xyz"), "not a report").unwrap();
        for (corpus, mode) in [(&empty, None), (&skipped, None), (&empty, Some("--update"))] {
            let extra: Vec<&str> = mode.into_iter().collect();
            let out = index_cmd(corpus, &idx, &extra, false);
            assert_refused(&out, &[corpus.to_str().unwrap(), "--allow-empty"]);
            assert_eq!(live_target(&idx), live, "the live index is unchanged");
            assert!(!util::docs_for(&idx, "robotikos").is_empty());
        }
        // asked for: the index is emptied
        let out = index_cmd(&empty, &idx, &["--allow-empty"], false);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(util::docs_for(&idx, "robotikos").is_empty());
    }

    #[test]
    fn an_unreadable_corpus_root_changes_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let chmod = |p: &Path, mode: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
        util::copy_corpus(&c);
        // the unprivileged child must reach the corpus and write the index
        chmod(dir.path(), 0o777);
        chmod(&c, 0o755);
        for e in std::fs::read_dir(&c).unwrap() {
            chmod(&e.unwrap().path(), 0o644);
        }
        let out = index_cmd(&c, &idx, &[], true);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let live = live_target(&idx);

        chmod(&c, 0o000);
        let out = index_cmd(&c, &idx, &[], true);
        chmod(&c, 0o755);
        assert_refused(&out, &[c.to_str().unwrap(), "cannot be read"]);
        let file = c.join(util::seed("000"));
        for corpus in [dir.path().join("gone"), file] {
            let out = index_cmd(&corpus, &idx, &[], true);
            assert_refused(&out, &[corpus.to_str().unwrap()]);
        }
        assert_eq!(live_target(&idx), live, "the live index is unchanged");
        assert!(!util::docs_for(&idx, "robotikos").is_empty());
    }

    #[test]
    fn a_lock_is_not_taken_over_while_its_holder_lives() {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("i");
        let c = util::corpus();
        util::index(&c, &idx, &["--quiet"]);
        // a rebuild that has just created the lock file, not yet written in it
        let lock = std::fs::File::create(idx.join("build.lock")).unwrap();
        lock.try_lock().unwrap();
        let out = index_cmd(&c, &idx, &[], false);
        assert_refused(&out, &["another rebuild", idx.to_str().unwrap()]);
        assert!(
            idx.join("build.lock").exists(),
            "the holder's lock file stays"
        );
        drop(lock);
        // two rebuilds started together: one runs, the other is refused
        for _ in 0..3 {
            let runs: Vec<_> = (0..2)
                .map(|_| {
                    let (c, idx) = (c.clone(), idx.clone());
                    std::thread::spawn(move || index_cmd(&c, &idx, &[], false))
                })
                .map(|t| t.join().unwrap())
                .collect();
            for out in &runs {
                let ok = out.status.code() == Some(0)
                    || (out.status.code() == Some(2) && stderr(out).contains("another rebuild"));
                assert!(ok, "{:?}: {}", out.status, stderr(out));
            }
            assert!(runs.iter().any(|o| o.status.success()), "one of them ran");
        }
        assert!(!util::docs_for(&idx, "robotikos").is_empty());
    }

    #[test]
    fn a_stale_lock_of_a_reused_pid_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("i");
        util::index(&util::corpus(), &idx, &["--quiet"]);
        // a rebuild killed long ago; its process id now belongs to this test
        std::fs::write(idx.join("build.lock"), format!("{}\n", std::process::id())).unwrap();
        let out = index_cmd(&util::corpus(), &idx, &[], false);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }

    #[test]
    fn searches_during_rebuilds_never_fail() {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("i");
        let c = util::corpus();
        util::index(&c, &idx, &["--quiet"]);
        // a search that read the `live` link just before a swap opens the
        // generation it found after the swap
        let found = idx.join(live_target(&idx));
        util::index(&c, &idx, &["--quiet"]);
        let out = util::run(&["search", "--index", found.to_str().unwrap(), "robotikos"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let searches = {
            let (stop, idx) = (stop.clone(), idx.clone());
            std::thread::spawn(move || {
                let mut failed = Vec::new();
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let out = util::run(&["search", "--index", idx.to_str().unwrap(), "robotikos"]);
                    if out.status.code() != Some(0) {
                        failed.push(stderr(&out));
                    }
                    n += 1;
                }
                (n, failed)
            })
        };
        for _ in 0..10 {
            util::index(&c, &idx, &["--quiet"]);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let (n, failed) = searches.join().unwrap();
        assert!(
            failed.is_empty(),
            "{} of {n} searches failed: {failed:?}",
            failed.len()
        );
    }

    #[test]
    fn a_full_disk_rebuild_says_the_disk_is_full() {
        let disk = crate::hostile::SmallDisk::new(3 << 20);
        if !disk.mounted {
            println!("skipped: needs a small tmpfs (root and mount) for a real 'no space left'");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let (small, big) = (dir.path().join("small"), dir.path().join("big"));
        util::copy_corpus(&small);
        util::big_corpus(&big, 1000);
        let out = disk.index(&small);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = disk.index(&big);
        let idx = disk.root.path().join("i");
        assert_refused(
            &out,
            &[
                "disk",
                "is full",
                idx.to_str().unwrap(),
                "previous index is unchanged",
            ],
        );
    }
}

// end of section: store
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 2. `--offset` bounded.
// 14. Deterministic tie-break.
// 15. `--limit 0`.
// (section: search)

// end of section: search
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 12. Server timeouts and connection cap.
// 13. The OpenAPI description states the server's constraints.
// (section: server)

// end of section: server
// ---------------------------------------------------------------------------
