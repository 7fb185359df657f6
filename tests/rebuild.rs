//! Batch rebuilds: incremental updates, and a rebuild killed mid-way.

use crate::util::{big_corpus, copy_corpus, corpus, docs_for, index, run};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn update_reindexes_only_added_changed_and_removed_files() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    copy_corpus(&c);
    index(&c, &idx, &["--quiet"]);
    std::fs::write(
        c.join("new.txt"),
        "Naujas pranešimas apie robotiką Kaune ir Klaipėdoje.",
    )
    .unwrap();
    let seed001 = std::fs::read_dir(&c)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("/001_"))
        .unwrap();
    std::fs::remove_file(seed001).unwrap();
    let seed000 = std::fs::read_dir(&c)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("/000_"))
        .unwrap();
    let mut text = std::fs::read_to_string(&seed000).unwrap();
    text.push_str("\n\nPapildymas apie Klaipėdos uostą.\n");
    std::fs::write(&seed000, text).unwrap();

    let summary = index(&c, &idx, &["--update"]);
    assert!(
        summary.contains("Changes: 1 added, 1 changed, 1 removed, 1 unchanged"),
        "{summary}"
    );
    assert!(
        docs_for(&idx, "mechanizmo").is_empty(),
        "the removed report is gone"
    );
    let klaipeda = docs_for(&idx, "Klaipėdos");
    assert!(
        klaipeda.contains(&"new.txt".to_string()) && klaipeda.iter().any(|d| d.starts_with("000_")),
        "{klaipeda:?}"
    );
    // facet counts follow the update: the new report's city is counted,
    // the removed report's country is gone
    let out = run(&["facets", "--json", "--index", idx.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let values = |f: &str| -> Vec<String> {
        v["facets"][f]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(values("city").contains(&"Klaipėda".to_string()), "{v}");
    assert!(!values("country").contains(&"Norway".to_string()), "{v}");
    assert!(
        !docs_for(&idx, "Lipetsk").is_empty(),
        "the unchanged report is still there"
    );

    // nothing changed: nothing read
    let summary = index(&c, &idx, &["--update"]);
    assert!(summary.contains("read 0 files"), "{summary}");
}

#[test]
fn a_rebuild_killed_midway_leaves_the_old_index_answering() {
    let dir = tempfile::tempdir().unwrap();
    let (small, big, idx) = (
        dir.path().join("small"),
        dir.path().join("big"),
        dir.path().join("i"),
    );
    copy_corpus(&small);
    big_corpus(&big, 3000);
    index(&small, &idx, &["--quiet"]);
    let live_before = std::fs::read_link(idx.join("live")).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_repsearch"))
        .args([
            "index",
            "--quiet",
            "--corpus",
            big.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // wait until the new generation is being written, then kill -9
    let start = Instant::now();
    loop {
        let building = std::fs::read_dir(&idx)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| {
                e.file_name().to_string_lossy().starts_with("gen-")
                    && e.file_name() != live_before.as_os_str()
            });
        if building || start.elapsed() > Duration::from_secs(30) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    assert_eq!(
        std::fs::read_link(idx.join("live")).unwrap(),
        live_before,
        "the live index was not replaced"
    );
    let docs = docs_for(&idx, "robotikos");
    assert!(
        !docs.is_empty() && docs.iter().all(|d| !d.starts_with("copy-")),
        "answers from the old index: {docs:?}"
    );

    // the lock of the killed process is stale: a new rebuild goes through
    let summary = index(&small, &idx, &[]);
    assert!(summary.contains("3 documents"), "{summary}");
    let gens = std::fs::read_dir(&idx)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("gen-")
        })
        .count();
    // the new live one and the previous one (kept for searches that found it
    // just before the swap): the killed rebuild's leftovers are gone
    assert_eq!(gens, 2, "the killed rebuild's leftovers are cleaned up");
    assert_eq!(
        std::fs::read_link(idx.join("previous")).unwrap(),
        live_before
    );
}

#[test]
fn a_large_text_file_is_streamed_in_chunks_and_fully_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    std::fs::create_dir_all(&c).unwrap();
    let seed = std::fs::read_to_string(corpus().join(crate::util::seed("000"))).unwrap();
    let mut big = String::new();
    let mut copies = 0;
    while big.len() < 3 << 20 {
        big.push_str(&format!("Skyrius {copies}\n\n{seed}\n\n"));
        copies += 1;
    }
    big.push_str("Paskutinė pastraipa apie Kėdainius.\n");
    std::fs::write(c.join("huge.txt"), &big).unwrap();
    // 1 MB streaming threshold: the 3 MB file goes through in chunks
    index(&c, &idx, &["--quiet", "--stream-mb", "1"]);
    let out = run(&[
        "search",
        "--json",
        "--index",
        idx.to_str().unwrap(),
        "Kėdainius",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let last = v["hits"][0]["passage"]
        .as_u64()
        .expect("the end of the file is indexed");
    let out = run(&[
        "search",
        "--json",
        "--limit",
        "10000",
        "--per-doc",
        "0",
        "--index",
        idx.to_str().unwrap(),
        "Panevėžio",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut numbers: Vec<u64> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["passage"].as_u64().unwrap())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(
        v["total_hits"].as_u64().unwrap() as usize,
        numbers.len(),
        "passage numbers are unique across chunks"
    );
    assert!(
        numbers.len() >= copies,
        "every copy is indexed: {} < {copies}",
        numbers.len()
    );
    assert!(
        last >= *numbers.last().unwrap() && last as usize >= copies,
        "numbering runs on through the chunks"
    );
    assert_eq!(
        v["hits"][0]["year"], 2018,
        "facets are found in streamed documents"
    );
}

#[test]
fn update_of_an_index_from_another_version_rebuilds_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    copy_corpus(&c);
    index(&c, &idx, &["--quiet"]);
    // make the live index look like one built before the doc_key column:
    // drop the field from the schema tantivy reads
    let live = std::fs::read_link(idx.join("live")).unwrap();
    let meta_path = idx.join(live).join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    meta["schema"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["name"] != "doc_key");
    std::fs::write(&meta_path, meta.to_string()).unwrap();

    let out = run(&["search", "--index", idx.to_str().unwrap(), "robotikos"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("doc_key") && err.contains("rebuild"), "{err}");

    let summary = index(&c, &idx, &["--update"]);
    assert!(
        summary.contains("Note: the live index was built by another version"),
        "{summary}"
    );
    assert!(summary.contains("read 3 files"), "{summary}");
    assert!(
        docs_for(&idx, "robotikos")
            .iter()
            .any(|d| d.starts_with("000_")),
        "the rebuilt index answers"
    );
}
