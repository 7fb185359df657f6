//! Sharded indexes from the indexer's side: `index --shards N`, `index
//! --shard I/N --into DIR` and `--update` of a sharded index, checked
//! through the shards' own tantivy indexes and build summaries.

use crate::util::{copy_corpus, corpus, index, index_output, run};
use repsearch::indexer::shard_of;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// Passages per document of an index folder, read with tantivy.
fn documents(dir: &Path) -> BTreeMap<String, usize> {
    let index = tantivy::Index::open_in_dir(dir).unwrap();
    let field = index.schema().get_field("doc").unwrap();
    let searcher = index.reader().unwrap().searcher();
    let mut out = BTreeMap::new();
    for addr in searcher.search(&AllQuery, &DocSetCollector).unwrap() {
        let d: TantivyDocument = searcher.doc(addr).unwrap();
        let doc = d.get_first(field).and_then(|v| v.as_str()).unwrap();
        *out.entry(doc.to_string()).or_default() += 1;
    }
    out
}

/// A build summary (`repsearch.json`) of an index folder.
fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("repsearch.json")).unwrap()).unwrap()
}

/// The paths a summary lists as skipped.
fn skipped(summary: &serde_json::Value) -> BTreeSet<String> {
    summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect()
}

/// The live generation of an index folder.
fn live(idx: &Path) -> PathBuf {
    std::fs::canonicalize(idx.join("live")).unwrap()
}

fn shard(generation: &Path, i: u32) -> PathBuf {
    generation.join(format!("shard-{i}"))
}

/// The sample corpus and the committed multilingual fixtures: the format
/// fixtures (Lithuanian and Russian in five encodings, HTML, PDF, DOCX,
/// ODT, and files that are skipped) and the NTREX stories (en/lt/ru), in
/// sub-folders.
fn seeds_and_fixtures(dst: &Path) {
    copy_corpus(&dst.join("seeds"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    copy_tree(&fixtures.join("formats"), &dst.join("formats"));
    copy_tree(&fixtures.join("ntrex-sample"), &dst.join("ntrex"));
}

/// Copies a folder with its sub-folders.
fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dst.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn three_shards_hold_every_file_once_where_its_path_routes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (c, one, three) = (
        dir.path().join("c"),
        dir.path().join("one"),
        dir.path().join("three"),
    );
    seeds_and_fixtures(&c);
    index_output(&c, &one, &["--quiet"]);
    let out = index_output(&c, &three, &["--shards", "3"]);
    // skipped fixtures: exit 1, as an ordinary build
    assert_eq!(out.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&out.stdout);

    let single = documents(&live(&one));
    let generation = live(&three);
    let layout: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(generation.join("shards.json")).unwrap())
            .unwrap();
    assert_eq!(
        layout,
        serde_json::json!({"format": 1, "shards": 3, "route": "fnv1a64-path"})
    );
    assert!(!generation.join("meta.json").exists());
    let mut union = BTreeMap::new();
    let mut skipped_union = BTreeSet::new();
    for i in 0..3 {
        let docs = documents(&shard(&generation, i));
        assert!(!docs.is_empty(), "shard {i} is empty");
        for (doc, passages) in docs {
            assert_eq!(shard_of(&doc, 3), i, "{doc} is in shard {i}");
            assert!(union.insert(doc, passages).is_none(), "in two shards");
        }
        let s = summary(&shard(&generation, i));
        let line = format!(
            "Shard {i}: {} documents, {} passages; read",
            s["documents"], s["passages"]
        );
        assert!(printed.contains(&line), "{line} in {printed}");
        for path in skipped(&s) {
            assert_eq!(shard_of(&path, 3), i, "{path} listed by shard {i}");
            assert!(skipped_union.insert(path));
        }
    }
    // the same documents with the same passages as the single index
    assert_eq!(union, single);
    assert!(union.keys().any(|d| d.starts_with("formats/")));
    assert!(union.keys().any(|d| d.starts_with("ntrex/ru/")));
    assert_eq!(skipped_union, skipped(&summary(&live(&one))));
    let passages: usize = union.values().sum();
    assert!(printed.contains(&format!("{passages} passages in the index")));
}

#[test]
fn a_shard_built_alone_equals_the_same_shard_of_a_sharded_build() {
    let dir = tempfile::tempdir().unwrap();
    let (c, three, tasks) = (
        dir.path().join("c"),
        dir.path().join("three"),
        dir.path().join("tasks"),
    );
    seeds_and_fixtures(&c);
    index_output(&c, &three, &["--quiet", "--shards", "3"]);
    let generation = live(&three);
    // the target may exist empty (as a cluster driver may make it)
    std::fs::create_dir_all(tasks.join("shard-1")).unwrap();
    for i in 0..3 {
        let into = shard(&tasks, i);
        let spec = format!("{i}/3");
        let out = run(&[
            "index",
            "--corpus",
            c.to_str().unwrap(),
            "--shard",
            &spec,
            "--into",
            into.to_str().unwrap(),
        ]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed = String::from_utf8_lossy(&out.stdout);
        assert!(printed.contains(&format!("Shard {spec}: ")), "{printed}");
        let built = documents(&into);
        assert_eq!(built, documents(&shard(&generation, i)), "shard {i}");
        assert_eq!(
            skipped(&summary(&into)),
            skipped(&summary(&shard(&generation, i)))
        );
    }
    // nothing but the three shards: no partial folder left behind
    let names: BTreeSet<String> = std::fs::read_dir(&tasks)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["shard-0", "shard-1", "shard-2"].map(String::from))
    );
}

#[test]
fn update_of_a_sharded_index_reindexes_only_the_shards_of_changed_files() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx, fresh) = (
        dir.path().join("c"),
        dir.path().join("i"),
        dir.path().join("fresh"),
    );
    copy_corpus(&c);
    for i in 0..9 {
        let text = format!("Ataskaita {i} apie robotiką Kaune.\n\nAntra pastraipa {i}.");
        std::fs::write(c.join(format!("extra-{i}.txt")), text).unwrap();
    }
    index(&c, &idx, &["--quiet", "--shards", "4"]);
    let before = live(&idx);
    // one file changed, one removed, one added
    let (changed, removed, added) = ("extra-1.txt", "extra-2.txt", "new.txt");
    std::fs::write(c.join(changed), "Pakeista ataskaita apie Vilnių.").unwrap();
    std::fs::remove_file(c.join(removed)).unwrap();
    std::fs::write(c.join(added), "Naujas pranešimas apie Klaipėdą.").unwrap();
    let touched: BTreeSet<u32> = [changed, removed, added]
        .iter()
        .map(|p| shard_of(p, 4))
        .collect();
    assert!(touched.len() < 4, "the test needs an untouched shard");

    let printed = index(&c, &idx, &["--update"]);
    assert!(
        printed.contains("Changes: 1 added, 1 changed, 1 removed"),
        "{printed}"
    );
    let after = live(&idx);
    assert_ne!(before, after);
    for i in 0..4 {
        let read = printed
            .lines()
            .find_map(|l| l.strip_prefix(&format!("Shard {i}: ")))
            .and_then(|l| l.split("; read ").nth(1))
            .unwrap_or_else(|| panic!("no line for shard {i}: {printed}"));
        if touched.contains(&i) {
            continue;
        }
        assert_eq!(read, "0 files", "shard {i}");
        // an untouched shard's index is the live one's, hard-linked
        use std::os::unix::fs::MetadataExt;
        let inode = |g: &Path| {
            std::fs::metadata(shard(g, i).join("meta.json"))
                .unwrap()
                .ino()
        };
        assert_eq!(inode(&before), inode(&after), "shard {i}");
    }
    // the same as a fresh sharded build of the corpus now
    index(&c, &fresh, &["--quiet", "--shards", "4"]);
    let mut total = 0;
    for i in 0..4 {
        let docs = documents(&shard(&after, i));
        assert_eq!(docs, documents(&shard(&live(&fresh), i)), "shard {i}");
        total += docs.values().sum::<usize>();
    }
    assert!(!documents(&shard(&after, shard_of(removed, 4))).contains_key(removed));
    assert!(printed.contains(&format!("{total} passages in the index")));
    // `repsearch search` finds as many passages, in the same documents
    for q in ["robotiką", "Kaune", "Vilnių", "Klaipėdą", "pastraipa"] {
        let (updated, rebuilt) = (search(&idx, q), search(&fresh, q));
        assert_eq!(updated["total_hits"], rebuilt["total_hits"], "{q}");
        assert!(updated["total_hits"].as_u64().unwrap() > 0, "{q}");
        assert_eq!(hit_docs(&updated), hit_docs(&rebuilt), "{q}");
    }
}

/// `repsearch search --json --limit 100` on an index.
fn search(idx: &Path, q: &str) -> serde_json::Value {
    let out = run(&[
        "search",
        "--json",
        "--limit",
        "100",
        "--index",
        idx.to_str().unwrap(),
        "--",
        q,
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The documents of a search's hits.
fn hit_docs(v: &serde_json::Value) -> BTreeSet<String> {
    crate::util::hits(v)
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect()
}

/// One message naming the problem on stderr (clap's may name the missing
/// argument on the line after, then adds its usage hint), exit 2.
fn assert_refused(args: &[&str], needle: &str) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.starts_with("error: ") || err.starts_with("repsearch: "),
        "{err}"
    );
    let message = err.split("Usage:").next().unwrap_or("");
    assert!(message.contains(needle), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

#[test]
fn bad_shard_arguments_exit_2_with_one_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx, into) = (corpus(), dir.path().join("i"), dir.path().join("shard-0"));
    let (c, i, d) = (
        c.to_str().unwrap(),
        idx.to_str().unwrap(),
        into.to_str().unwrap(),
    );
    let ix = ["index", "--quiet", "--corpus", c];
    let with =
        |extra: &[&str]| -> Vec<String> { ix.iter().chain(extra).map(|s| s.to_string()).collect() };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (with(&["--shards", "0"]), "--shards"),
        (with(&["--shards", "257"]), "--shards"),
        (with(&["--shard", "3/3", "--into", d]), "I/N"),
        (with(&["--shard", "1-3", "--into", d]), "I/N"),
        (with(&["--shard", "0/3"]), "--into"),
        (with(&["--into", d]), "--shard"),
        (
            with(&["--shard", "0/3", "--into", d, "--update"]),
            "--update",
        ),
        (
            with(&["--shard", "0/3", "--into", d, "--shards", "3"]),
            "--shards",
        ),
    ];
    for (args, needle) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_refused(&args, needle);
    }
    assert!(!into.exists());

    // --update cannot change the layout
    index(corpus().as_path(), &idx, &["--quiet", "--shards", "2"]);
    let live_before = live(&idx);
    for m in ["3", "1"] {
        assert_refused(
            &[
                "index", "--corpus", c, "--index", i, "--update", "--shards", m,
            ],
            "rebuild it without --update",
        );
    }
    assert_eq!(live(&idx), live_before, "the live index is kept");
    let plain = dir.path().join("plain");
    index(corpus().as_path(), &plain, &["--quiet"]);
    let p = plain.to_str().unwrap();
    assert_refused(
        &[
            "index", "--corpus", c, "--index", p, "--update", "--shards", "2",
        ],
        "is not sharded",
    );
    // a shard target that holds something
    std::fs::create_dir_all(&into).unwrap();
    std::fs::write(into.join("notes.txt"), "mine").unwrap();
    assert_refused(&["index", "--corpus", c, "--shard", "0/2", "--into", d], d);
    assert!(into.join("notes.txt").is_file());
}

#[test]
fn one_shard_is_an_ordinary_index_with_the_same_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let plain = index(&corpus(), &a, &[]);
    let one = index(&corpus(), &b, &["--shards", "1"]);
    assert!(!live(&b).join("shards.json").exists());
    assert!(live(&b).join("meta.json").is_file());
    let strip = |s: &str, idx: &Path| -> String {
        s.lines()
            .map(|l| match l.split_once(" in ") {
                Some((head, _)) if l.starts_with("Indexed") => head.to_string(),
                _ => l.replace(idx.to_str().unwrap(), "IDX"),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&plain, &a), strip(&one, &b));
    assert!(!plain.contains("Shard"));
}

#[test]
fn an_empty_corpus_does_not_replace_a_sharded_index() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    copy_corpus(&c);
    index(&c, &idx, &["--quiet", "--shards", "2"]);
    let before = live(&idx);
    for e in std::fs::read_dir(&c).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    let out = index_output(&c, &idx, &["--quiet", "--shards", "2"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("has 3 documents") && err.contains("--allow-empty"),
        "{err}"
    );
    assert_eq!(live(&idx), before);
    // the refused build's generation is gone
    let generations = std::fs::read_dir(&idx)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("gen-")
        })
        .count();
    assert_eq!(generations, 1);
    // and with --allow-empty it is replaced, by an empty sharded index
    index(&c, &idx, &["--quiet", "--shards", "2", "--allow-empty"]);
    assert_ne!(live(&idx), before);
    assert!(documents(&shard(&live(&idx), 1)).is_empty());
}

#[test]
fn a_shard_task_killed_midway_leaves_no_shard_and_its_retry_completes() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let (big, gen) = (dir.path().join("big"), dir.path().join("gen"));
    crate::util::big_corpus(&big, 3000);
    let into = shard(&gen, 0);
    let args = [
        "index",
        "--quiet",
        "--corpus",
        big.to_str().unwrap(),
        "--shard",
        "0/2",
        "--into",
        into.to_str().unwrap(),
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_repsearch"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let partial = gen.join(format!("shard-0.partial-{}", child.id()));
    let start = Instant::now();
    while !partial.exists() && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    let finished = child.try_wait().unwrap().is_some();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    if !finished {
        assert!(!into.exists(), "a killed task leaves no shard");
        assert!(partial.is_dir(), "only its partial folder");
    }
    // the retry (the target left as the killed task left it) completes
    // and removes the killed attempt's folder
    if finished {
        std::fs::remove_dir_all(&into).unwrap();
    }
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!partial.exists());
    let docs = documents(&into);
    let expected = (0..3000)
        .map(|i| format!("copy-{i:05}.txt"))
        .filter(|d| shard_of(d, 2) == 0)
        .count();
    assert_eq!(docs.len(), expected);
}
