//! Rebuilds replace the live index only when complete.

use crate::util::{corpus, index, run};

#[test]
fn rebuild_replaces_the_live_index_and_keeps_the_previous_generation() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    let c = corpus();
    let mut lives = Vec::new();
    for _ in 0..3 {
        index(&c, &idx, &["--quiet"]);
        lives.push(std::fs::read_link(idx.join("live")).unwrap());
    }
    let mut gens: Vec<_> = std::fs::read_dir(&idx)
        .unwrap()
        .map(|e| std::path::PathBuf::from(e.unwrap().file_name()))
        .filter(|n| n.to_string_lossy().starts_with("gen-"))
        .collect();
    gens.sort();
    // the live one, and the one live before it (for searches that found it
    // just before the swap); older ones are removed
    assert_eq!(gens, lives[1..], "generations kept");
    assert_eq!(std::fs::read_link(idx.join("previous")).unwrap(), lives[1]);
    let out = run(&["search", "--index", idx.to_str().unwrap(), "robotika"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_running_rebuild_blocks_a_second_one() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    let c = corpus();
    index(&c, &idx, &["--quiet"]);
    // this process holds the lock: a rebuild is running
    let lock = std::fs::File::create(idx.join("build.lock")).unwrap();
    lock.try_lock().unwrap();
    let out = run(&[
        "index",
        "--corpus",
        c.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another rebuild"));
    drop(lock);
    index(&c, &idx, &["--quiet"]);
}
