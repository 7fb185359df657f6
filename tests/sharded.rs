//! A sharded index answers exactly as one index of the same corpus: the same
//! hits in the same order with bit-identical scores, the same totals, facet
//! counts and "more in this document", for every query form and filter
//! (issue 17). The corpus: the user's three reports, the committed format
//! fixtures and twelve NTREX stories in en/lt/ru (`tests/fixtures/ntrex-sample`).

use crate::util::{corpus, run};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else if e.file_name() != "README.md" && e.file_name() != "make_fixtures.py" {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

/// Builds `corpus` as one index and as `shards` shards; returns both folders.
fn build_both(corpus: &Path, dir: &Path, shards: usize) -> (PathBuf, PathBuf) {
    let one = dir.join("one");
    let sharded = dir.join("sharded");
    for (idx, extra) in [(&one, None), (&sharded, Some(shards.to_string()))] {
        let mut args = vec![
            "index".to_string(),
            "--quiet".into(),
            "--corpus".into(),
            corpus.display().to_string(),
            "--index".into(),
            idx.display().to_string(),
        ];
        if let Some(n) = extra {
            args.extend(["--shards".to_string(), n]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "index {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (one, sharded)
}

/// The multilingual corpus, built once as one index and as 3 shards.
fn both() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("corpus");
        copy_dir(&corpus(), &c);
        copy_dir(&fixtures().join("ntrex-sample"), &c.join("ntrex"));
        copy_dir(&fixtures().join("formats"), &c.join("formats"));
        let (one, sharded) = build_both(&c, dir.path(), 3);
        (dir, one, sharded)
    })
}

/// Distinct words of at least 4 letters of a corpus's text files, in the
/// order first seen.
fn corpus_words(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut seen = BTreeSet::new();
    let mut words = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            let w = w.to_lowercase();
            if w.chars().count() >= 4
                && !w.chars().any(|c| c.is_ascii_digit())
                && seen.insert(w.clone())
            {
                words.push(w);
            }
        }
    }
    words
}

/// Search flags, one set per query in turn: every option that changes an
/// answer.
const FLAGS: &[&str] = &[
    "",
    "--exact",
    "--plain",
    "--per-doc 0 --limit 30",
    "--per-doc 1 --limit 20",
    "--explain --limit 5",
    "--country Lithuania",
    "--country JP --lang lt",
    "--lang ru",
    "--lang lt --lang en --limit 15",
    "--from 2018 --to 2023",
    "--year 2017",
    "--city Vilnius",
    "--offset 5 --limit 5",
    "--limit 50 --facet-limit 3",
    "--per-doc 2 --offset 3 --limit 7",
];

/// The query forms of the query language, made from the corpus's words.
fn query_forms(words: &[String], i: usize) -> Vec<String> {
    let w = |k: usize| words[(i * 7 + k * 13) % words.len()].clone();
    let (a, b, c) = (w(0), w(1), w(2));
    let chars: Vec<char> = a.chars().collect();
    let prefix: String = chars[..chars.len().div_ceil(2).max(3)].iter().collect();
    let mut typo = chars.clone();
    typo.swap(1, 2);
    let typo: String = typo.into_iter().collect();
    vec![
        a.clone(),
        format!("{prefix}*"),
        typo,
        format!("\"{a} {b}\""),
        format!("\"{a} {c}\"~3"),
        format!("{a} {b} -{c}"),
        format!("+{a} {b}"),
        format!("{a} NOT {b}"),
        format!("{a} lang:lt"),
        format!("{b} country:Lithuania"),
        format!("{c} year:2015..2020"),
        format!("{a} {b} {c}"),
        format!("{a} city:Vilnius"),
        String::new(),
    ]
}

/// At least 300 queries: each form of [`query_forms`] over many words, each
/// with the next set of [`FLAGS`].
fn queries(words: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < 320 {
        for q in query_forms(words, i) {
            let flags = FLAGS[out.len() % FLAGS.len()];
            out.push((q, flags.split_whitespace().map(String::from).collect()));
        }
        i += 1;
    }
    out
}

/// `search --json` and `facets --json` of one query on an index, as printed
/// (with the exit code).
fn answers(idx: &Path, q: &str, flags: &[String]) -> (String, String) {
    let call = |cmd: &str, flags: &[String]| {
        let mut args = vec![cmd, "--json", "--index", idx.to_str().unwrap()];
        args.extend(flags.iter().map(String::as_str));
        args.extend(["--", q]);
        let out = run(&args);
        format!(
            "{}\nexit {:?}\n{}",
            String::from_utf8_lossy(&out.stdout),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    // facets take the query and its filters, not the page's flags
    let mut facet_flags = Vec::new();
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        match f.as_str() {
            "--limit" | "--offset" | "--per-doc" => {
                it.next();
            }
            "--explain" => {}
            _ => facet_flags.push(f.clone()),
        }
    }
    (call("search", flags), call("facets", &facet_flags))
}

fn differences(one: &Path, sharded: &Path, queries: &[(String, Vec<String>)]) -> Vec<String> {
    let mut diffs = Vec::new();
    for (q, flags) in queries {
        let (s1, f1) = answers(one, q, flags);
        let (s2, f2) = answers(sharded, q, flags);
        if s1 != s2 {
            diffs.push(format!(
                "search {q:?} {flags:?}:\n one: {s1}\n sharded: {s2}"
            ));
        }
        if f1 != f2 {
            diffs.push(format!(
                "facets {q:?} {flags:?}:\n one: {f1}\n sharded: {f2}"
            ));
        }
    }
    diffs
}

#[test]
fn three_shards_answer_300_queries_byte_for_byte_as_one_index() {
    let (dir, one, sharded) = both();
    assert!(
        sharded.join("live").join("shards.json").is_file(),
        "--shards 3 built a sharded generation"
    );
    let words = corpus_words(&dir.path().join("corpus"));
    assert!(words.len() > 500, "{} words", words.len());
    let qs = queries(&words);
    assert!(qs.len() >= 300);
    // the queries find something: the comparison is not of empty answers
    let with_hits = qs
        .iter()
        .filter(|(q, f)| answers(one, q, f).0.contains("\"doc\""))
        .count();
    assert!(
        with_hits > qs.len() / 2,
        "{with_hits} of {} queries have hits",
        qs.len()
    );
    let diffs = differences(one, sharded, &qs);
    assert!(
        diffs.is_empty(),
        "{} of {} answers differ; first:\n{}",
        diffs.len(),
        qs.len() * 2,
        diffs[0]
    );
}

#[test]
fn a_sharded_index_evaluates_as_one_index() {
    let (_dir, one, sharded) = both();
    let qrels = fixtures().join("relevance/seeds.jsonl");
    let eval = |idx: &Path| {
        let out = run(&[
            "eval",
            "relevance",
            "--no-baseline",
            "--index",
            idx.to_str().unwrap(),
            qrels.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.to_lowercase().contains("second"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(eval(one), eval(sharded));
}

/// A small corpus: `docs` documents of sentences taken from the NTREX
/// sample, by the indices given.
fn small_corpus(dir: &Path, picks: &[Vec<usize>]) {
    let mut sentences = Vec::new();
    for lang in ["en", "lt", "ru"] {
        let d = fixtures().join("ntrex-sample").join(lang);
        let mut names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            let text = std::fs::read_to_string(p).unwrap();
            sentences.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(String::from),
            );
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    for (i, pick) in picks.iter().enumerate() {
        let text: Vec<&str> = pick
            .iter()
            .map(|&k| sentences[k % sentences.len()].as_str())
            .collect();
        std::fs::write(dir.join(format!("doc-{i:02}.txt")), text.join("\n\n")).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Random small corpora cut into 2 to 5 shards answer as one index.
    #[test]
    fn random_corpora_answer_alike_in_any_number_of_shards(
        picks in proptest::collection::vec(proptest::collection::vec(0usize..2000, 1..6), 2..12),
        shards in 2usize..6,
        seed in 0usize..1000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("corpus");
        small_corpus(&c, &picks);
        let (one, sharded) = build_both(&c, dir.path(), shards);
        let words = corpus_words(&c);
        prop_assume!(words.len() >= 3);
        let qs: Vec<(String, Vec<String>)> = query_forms(&words, seed)
            .into_iter()
            .enumerate()
            .map(|(k, q)| (q, FLAGS[(seed + k) % FLAGS.len()].split_whitespace().map(String::from).collect()))
            .collect();
        let diffs = differences(&one, &sharded, &qs);
        prop_assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    }
}
