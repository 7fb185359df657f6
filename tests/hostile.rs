//! Hostile file systems: unreadable files and folders, symbolic link loops,
//! and a disk that fills up during a rebuild.

use crate::util::{big_corpus, copy_corpus, docs_for, run};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// `repsearch index` as an unprivileged user: root reads every file whatever
/// its mode, so as root the child drops to `nobody` first.
pub(crate) fn index_unprivileged(c: &Path, idx: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_repsearch"));
    cmd.args(["index", "--corpus", c.to_str().unwrap()])
        .args(["--index", idx.to_str().unwrap()])
        .args(extra);
    if is_root() {
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

#[test]
fn unreadable_files_and_folders_are_reported_and_the_rest_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    copy_corpus(&c);
    std::fs::write(c.join("secret.txt"), "Slaptas pranešimas apie Kauną.").unwrap();
    std::fs::create_dir(c.join("closed")).unwrap();
    std::fs::write(c.join("closed/inside.txt"), "Vidinis pranešimas.").unwrap();
    chmod(&c.join("secret.txt"), 0o000);
    chmod(&c.join("closed"), 0o000);
    // the unprivileged child must reach the corpus and write the index
    chmod(dir.path(), 0o777);
    chmod(&c, 0o755);
    for e in std::fs::read_dir(&c).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") && !p.ends_with("secret.txt") {
            chmod(&p, 0o644);
        }
    }
    let out = index_unprivileged(&c, &idx, &[]);
    chmod(&c.join("closed"), 0o755); // let the temp dir be removed
    let summary = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "skipped files give exit code 1: {summary}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in ["secret.txt", "closed"] {
        assert!(
            summary
                .lines()
                .any(|l| l.contains(file) && l.to_lowercase().contains("permission denied")),
            "{file} not reported as permission denied in\n{summary}"
        );
    }
    assert!(summary.contains("3 documents"), "{summary}");
    assert!(!docs_for(&idx, "robotikos").is_empty());
}

#[test]
fn symbolic_link_loops_are_reported_and_the_rest_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    copy_corpus(&c);
    std::fs::create_dir(c.join("sub")).unwrap();
    // a folder link back to its ancestor, and two file links to each other
    std::os::unix::fs::symlink("..", c.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("b.txt", c.join("a.txt")).unwrap();
    std::os::unix::fs::symlink("a.txt", c.join("b.txt")).unwrap();
    let out = run(&[
        "index",
        "--corpus",
        c.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{summary}");
    assert!(
        summary
            .lines()
            .any(|l| l.contains("sub/up") && l.contains("symbolic link loop")),
        "folder loop not reported in\n{summary}"
    );
    for f in ["a.txt", "b.txt"] {
        assert!(
            summary
                .lines()
                .any(|l| l.contains(f) && l.contains("symbolic links")),
            "{f}: link loop not reported in\n{summary}"
        );
    }
    assert!(summary.contains("3 documents"), "{summary}");
}

/// A small file system for the index: a tmpfs when this process may mount
/// one (a real "No space left on device"), else a file size limit on the
/// child (no file may grow past 256 KiB: writes fail at the same places).
pub(crate) struct SmallDisk {
    pub(crate) root: tempfile::TempDir,
    pub(crate) mounted: bool,
}

const FILE_LIMIT: u64 = 256 << 10;

impl SmallDisk {
    pub(crate) fn new(bytes: u64) -> SmallDisk {
        let root = tempfile::tempdir().unwrap();
        let mounted = std::env::var_os("REPSEARCH_TEST_NO_MOUNT").is_none()
            && is_root()
            && Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
                .arg(root.path())
                .output()
                .is_ok_and(|o| o.status.success());
        if !mounted {
            println!("no tmpfs mount here: simulating a full disk with RLIMIT_FSIZE");
        }
        SmallDisk { root, mounted }
    }

    pub(crate) fn index(&self, c: &Path) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_repsearch"));
        cmd.args(["index", "--quiet", "--corpus", c.to_str().unwrap()])
            .args(["--index", self.root.path().join("i").to_str().unwrap()]);
        if !self.mounted {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let lim = libc::rlimit {
                        rlim_cur: FILE_LIMIT,
                        rlim_max: FILE_LIMIT,
                    };
                    libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
                    Ok(())
                });
            }
        }
        cmd.output().expect("run repsearch")
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(self.root.path()).output();
        }
    }
}

#[test]
fn a_full_disk_fails_the_rebuild_and_keeps_the_old_index() {
    let dir = tempfile::tempdir().unwrap();
    let (small, big) = (dir.path().join("small"), dir.path().join("big"));
    copy_corpus(&small);
    // ~10 MB of text: its index does not fit on the small disk
    big_corpus(&big, 1000);
    let disk = SmallDisk::new(3 << 20);
    let out = disk.index(&small);
    assert!(
        out.status.success(),
        "the small index fits: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let idx = disk.root.path().join("i");
    let live = std::fs::read_link(idx.join("live")).unwrap();

    let out = disk.index(&big);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a failed rebuild is exit 2: {err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("previous index is unchanged"),
        "the message says the old index is kept: {err}"
    );
    assert_eq!(std::fs::read_link(idx.join("live")).unwrap(), live);
    let gens = std::fs::read_dir(&idx)
        .unwrap()
        .filter(|e| {
            let n = e.as_ref().unwrap().file_name();
            n.to_string_lossy().starts_with("gen-")
        })
        .count();
    assert_eq!(gens, 1, "the unfinished generation is removed at once");
    let docs = docs_for(&idx, "robotikos");
    assert!(
        !docs.is_empty() && docs.iter().all(|d| !d.starts_with("copy-")),
        "answers from the old index: {docs:?}"
    );
}
