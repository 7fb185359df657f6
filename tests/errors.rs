//! Bad input: one clear line on stderr naming the problem, exit code 2, no panic.

use crate::util::{run, seed_index};

fn assert_user_error(args: &[&str], needle: &str) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(
        err.trim().lines().count(),
        1,
        "{args:?}: one line expected: {err}"
    );
}

#[test]
fn missing_corpus_folder() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("i");
    assert_user_error(
        &[
            "index",
            "--corpus",
            "/no/such/corpus",
            "--index",
            idx.to_str().unwrap(),
        ],
        "--corpus",
    );
    assert!(
        !idx.join("live").exists(),
        "no index is made from a missing corpus"
    );
}

#[test]
fn missing_index_folder() {
    assert_user_error(
        &["search", "--index", "/no/such/index", "robotika"],
        "repsearch index",
    );
}

#[test]
fn empty_and_malformed_queries() {
    let idx = seed_index().join("index");
    let idx = idx.to_str().unwrap();
    assert_user_error(&["search", "--index", idx, ""], "empty query");
    assert_user_error(
        &["search", "--index", idx, "robotikos \"srityje"],
        "unbalanced quote",
    );
    assert_user_error(&["search", "--index", idx, "robotikos AND"], "AND");
    // argument errors come from clap: the first line names the problem, then a hint
    let out = run(&["search", "--index", idx, "--lang", "xx", "robotikos"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .next()
            .unwrap()
            .contains("unknown language 'xx'"),
        "{err}"
    );
}

#[test]
fn no_hits_is_exit_code_one() {
    let idx = seed_index().join("index");
    let out = run(&["search", "--index", idx.to_str().unwrap(), "zzzzqqqq"]);
    assert_eq!(out.status.code(), Some(1));
}
