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

/// The API path of a query with its command-line flags (the API has no
/// `--exact`, `--plain`, `--explain` or `--per-doc`: `None`).
fn api_path(endpoint: &str, q: &str, flags: &[String]) -> Option<String> {
    let mut params = vec![("q".to_string(), q.to_string())];
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        let name = f.trim_start_matches("--").replace('-', "_");
        if matches!(name.as_str(), "exact" | "plain" | "explain" | "per_doc") {
            return None;
        }
        params.push((name, it.next()?.clone()));
    }
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    Some(format!("/api/{endpoint}?{query}"))
}

/// Three `repsearch serve --shard I` processes over the sharded index, and
/// a coordinator over them.
struct RemoteShards {
    shards: Vec<Option<crate::http::Server>>,
    coordinator: crate::http::Server,
}

fn remote_shards(sharded: &Path, timeout: &str) -> RemoteShards {
    let shards: Vec<crate::http::Server> = (0..3)
        .map(|i| crate::http::Server::start(sharded, &["--shard", &i.to_string()]))
        .collect();
    let urls: Vec<String> = shards
        .iter()
        .map(|s| format!("http://{}", s.addr))
        .collect();
    let coordinator = crate::http::Server::start(
        sharded,
        &[
            "--remote-shards",
            &urls.join(","),
            "--shard-timeout",
            timeout,
        ],
    );
    RemoteShards {
        shards: shards.into_iter().map(Some).collect(),
        coordinator,
    }
}

/// An answer of the coordinator without its `shards` report, which must
/// say how many shards failed.
fn without_shards(mut v: serde_json::Value, failed: u64) -> serde_json::Value {
    let shards = v
        .as_object_mut()
        .and_then(|o| o.remove("shards"))
        .unwrap_or_else(|| panic!("no shards report in {v}"));
    assert_eq!(shards["total"], 3, "{shards}");
    assert_eq!(shards["failed"], failed, "{shards}");
    v
}

#[test]
fn shards_served_elsewhere_answer_the_api_as_one_index() {
    let (dir, one, sharded) = both();
    let words = corpus_words(&dir.path().join("corpus"));
    let single = crate::http::Server::start(one, &[]);
    let remote = remote_shards(sharded, "10");
    let mut compared = 0;
    for (q, flags) in queries(&words).iter().step_by(3) {
        for endpoint in ["search", "facets"] {
            let Some(path) = api_path(endpoint, q, flags) else {
                continue;
            };
            let a = single.get(&path);
            let b = remote.coordinator.get(&path);
            assert_eq!(a.status, b.status, "{path}: {}", b.text());
            if a.status == 200 {
                assert_eq!(a.json(), without_shards(b.json(), 0), "{path}");
            } else {
                assert_eq!(a.json(), b.json(), "{path}");
            }
            compared += 1;
        }
    }
    assert!(compared >= 100, "{compared} requests compared");
    // a whole document, with a query's words marked, comes from its shard
    let doc = "ntrex/lt/bbc.381680.txt";
    let path = format!("/api/doc/{doc}?q=Londonas");
    assert_eq!(
        single.get(&path).json(),
        remote.coordinator.get(&path).json()
    );
    assert_eq!(
        single.get("/api/health").json()["passages"],
        remote.coordinator.get("/api/health").json()["passages"]
    );
}

#[test]
fn a_shard_that_is_down_or_hangs_is_left_out_and_the_answer_says_so() {
    let (_dir, one, sharded) = both();
    let mut remote = remote_shards(sharded, "1");
    let path = "/api/search?q=miesto&limit=50";
    let all = without_shards(remote.coordinator.get(path).json(), 0);
    // a shard that hangs: stopped, its connections open but silent
    let pid = remote.shards[2].as_ref().unwrap().pid();
    unsafe { libc::kill(pid as i32, libc::SIGSTOP) };
    let r = remote.coordinator.get(path);
    unsafe { libc::kill(pid as i32, libc::SIGCONT) };
    assert_eq!(r.status, 200, "{}", r.text());
    let partial = without_shards(r.json(), 1);
    assert!(partial["total_hits"].as_u64() < all["total_hits"].as_u64());
    // a shard that is gone
    remote.shards[1] = None;
    let r = remote.coordinator.get(path).json();
    let partial = without_shards(r, 1);
    assert!(partial["total_hits"].as_u64() < all["total_hits"].as_u64());
    let _ = one;
}

#[test]
fn a_rebuild_published_during_queries_never_mixes_two_generations() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("corpus");
    copy_dir(&corpus(), &c);
    copy_dir(&fixtures().join("ntrex-sample").join("lt"), &c.join("lt"));
    let sharded = dir.path().join("sharded");
    let build = |extra: &str| {
        let out = run(&[
            "index",
            "--quiet",
            "--corpus",
            c.to_str().unwrap(),
            "--index",
            sharded.to_str().unwrap(),
            "--shards",
            "3",
        ]);
        assert!(
            out.status.success(),
            "{extra}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    build("first");
    let remote = remote_shards(&sharded, "10");
    let paths: Vec<String> = ["miesto", "robotikos", "Londonas", "vyriausybė", "metų"]
        .iter()
        .map(|q| {
            format!(
                "/api/search?q={}&limit=20",
                form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
            )
        })
        .collect();
    let answers = |r: &RemoteShards| -> Vec<serde_json::Value> {
        paths
            .iter()
            .map(|p| without_shards(r.coordinator.get(p).json(), 0))
            .collect()
    };
    let before = answers(&remote);
    // the new corpus: more stories, in Russian and English too
    copy_dir(&fixtures().join("ntrex-sample").join("en"), &c.join("en"));
    copy_dir(&fixtures().join("ntrex-sample").join("ru"), &c.join("ru"));
    let seen = std::thread::scope(|s| {
        let rebuild = s.spawn(|| build("second"));
        let mut seen = Vec::new();
        while !rebuild.is_finished() {
            seen.push(answers(&remote));
        }
        for _ in 0..5 {
            seen.push(answers(&remote));
        }
        seen
    });
    let after = answers(&remote);
    assert_ne!(before, after, "the rebuild changed the answers");
    for round in &seen {
        for (k, a) in round.iter().enumerate() {
            assert!(
                *a == before[k] || *a == after[k],
                "{}: an answer of neither generation: {a}",
                paths[k]
            );
        }
    }
}

#[test]
fn shards_given_out_of_order_are_refused_rather_than_misrouted() {
    let (_dir, _one, sharded) = both();
    let shards: Vec<crate::http::Server> = (0..3)
        .map(|i| crate::http::Server::start(sharded, &["--shard", &i.to_string()]))
        .collect();
    let urls: Vec<String> = shards
        .iter()
        .rev()
        .map(|s| format!("http://{}", s.addr))
        .collect();
    let coordinator = crate::http::Server::start(sharded, &["--remote-shards", &urls.join(",")]);
    let r = coordinator.get("/api/search?q=miesto");
    assert_eq!(r.status, 500, "{}", r.text());
    // two of three: too few
    let coordinator =
        crate::http::Server::start(sharded, &["--remote-shards", &urls[1..].join(",")]);
    assert_eq!(coordinator.get("/api/search?q=miesto").status, 500);
}
