//! Rebuilds replace the live index only when complete.

use crate::util::{corpus, index, run};

#[test]
fn rebuild_replaces_the_live_index_and_keeps_one_generation() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    let c = corpus();
    for _ in 0..2 {
        index(&c, &idx, &["--quiet"]);
    }
    let gens: Vec<_> = std::fs::read_dir(&idx)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .collect();
    assert_eq!(gens.len(), 1, "old generations are removed after the swap");
    let out = run(&["search", "--index", idx.to_str().unwrap(), "robotika"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_running_rebuild_blocks_a_second_one() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    std::fs::create_dir_all(&idx).unwrap();
    // our own (live) process id in the lock file: a rebuild is "running"
    std::fs::write(idx.join("build.lock"), std::process::id().to_string()).unwrap();
    let c = corpus();
    let out = run(&[
        "index",
        "--corpus",
        c.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another rebuild"));
}
