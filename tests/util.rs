//! Shared helpers: the binary, the sample corpus and its index.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The committed sample corpus (the user's three reports).
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The file name of a seed, by its number prefix ("000").
pub fn seed(prefix: &str) -> String {
    std::fs::read_dir(corpus())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix} in corpus/"))
}

/// Runs the binary with arguments.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_repsearch"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run repsearch")
}

/// The index of the sample corpus, built once per test run with the real indexer.
pub fn seed_index() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("index");
        let out = run(&[
            "index",
            "--quiet",
            "--corpus",
            corpus().to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "index failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

/// `repsearch search --json` on the sample index; the parsed answer.
pub fn search_json(query: &str, extra: &[&str]) -> Value {
    let idx = seed_index().join("index");
    let mut args = vec!["search", "--json", "--index", idx.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push("--");
    args.push(query);
    let out = run(&args);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "search failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("search --json prints JSON")
}

/// The hits array.
pub fn hits(v: &Value) -> &Vec<Value> {
    v["hits"].as_array().expect("hits is an array")
}

/// (doc, passage, score) of every hit: what two equivalent queries share.
pub fn ranking(v: &Value) -> Vec<(String, u64, String)> {
    hits(v)
        .iter()
        .map(|h| {
            (
                h["doc"].as_str().unwrap().to_string(),
                h["passage"].as_u64().unwrap(),
                format!("{:.4}", h["score"].as_f64().unwrap()),
            )
        })
        .collect()
}

/// The words wrapped in <mark> in a hit's highlight.
pub fn marked(hit: &Value) -> Vec<String> {
    let h = hit["highlight"].as_str().unwrap();
    h.split("<mark>")
        .skip(1)
        .map(|s| s.split("</mark>").next().unwrap().to_string())
        .collect()
}

/// Runs `repsearch index` on a corpus into an index folder.
pub fn index_output(corpus: &Path, idx: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Runs `repsearch index` on a corpus into an index folder; asserts success, returns the summary.
pub fn index(corpus: &Path, idx: &Path, extra: &[&str]) -> String {
    let out = index_output(corpus, idx, extra);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The documents of the hits for a query (up to 100).
pub fn docs_for(idx: &Path, q: &str) -> Vec<String> {
    let out = run(&[
        "search",
        "--json",
        "--limit",
        "100",
        "--index",
        idx.to_str().unwrap(),
        q,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect()
}

/// Copies the sample corpus into `dst`.
pub fn copy_corpus(dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(corpus()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
    }
}

/// A corpus big enough that a rebuild takes a while: the seeds, many times,
/// each copy with a distinct number in it.
pub fn big_corpus(dst: &Path, copies: usize) {
    std::fs::create_dir_all(dst).unwrap();
    let seeds: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for i in 0..copies {
        let body = &seeds[i % seeds.len()];
        std::fs::write(
            dst.join(format!("copy-{i:05}.txt")),
            format!("Kopija {i}\n\n{body}"),
        )
        .unwrap();
    }
}
