//! Whole-program benchmarks at scale (a bench binary, not a test).
//!
//! ```sh
//! cargo build --release
//! # 1. a large corpus from the real text in ../shared/corpora, deterministic by seed
//! cargo bench --bench scale -- gen --out /tmp/scale --docs 100000 --mb 1024 --seed 1
//! # 2. indexing throughput and peak memory vs a raw tantivy baseline, query latency, --update
//! cargo bench --bench scale -- run --corpus /tmp/scale --work /tmp/scale-work
//! # 3. the query path's instruction count, exact whatever the machine's load
//! valgrind --tool=callgrind --toggle-collect='repsearch::search::Searcher::search' \
//!     target/release/deps/scale-* replay --corpus /tmp/scale --work /tmp/scale-work
//! ```
//!
//! `run` measures, on the same corpus: (a) `repsearch index` (wall time, MB/s,
//! docs/s, peak RSS of the process), (b) a raw tantivy index of the same files
//! in one field with tantivy's default tokenizer, (c) query latency p50/p99
//! over a deterministic query log (single words, word pairs, phrases, language
//! filters) against the built index, (d) `index --update` after touching 1%
//! of the files, and the index size on disk relative to the text.

mod common;

/// The allocator of the `repsearch` binary, so that searches and the server
/// run in this process as they run in the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use common::{arg, corpus_files, percentile, random_words};
use rayon::prelude::*;
use repsearch::search::{SearchRequest, Searcher};
use repsearch::Language;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("gen") => gen(&args),
        Some("run") => run(&args),
        Some("baseline") => {
            // the raw tantivy baseline alone, for profiling against `repsearch index`
            let corpus = PathBuf::from(arg(&args, "--corpus").expect("--corpus DIR"));
            let work = PathBuf::from(arg(&args, "--work").expect("--work DIR"));
            let threads = arg(&args, "--threads")
                .map(|s| s.parse().expect("--threads N"))
                .unwrap_or(1);
            let files = corpus_files(&corpus);
            let mb: f64 = files
                .iter()
                .filter_map(|f| fs::metadata(f).ok())
                .map(|m| m.len() as f64 / 1e6)
                .sum();
            let secs = baseline(&files, &work.join("baseline"), threads);
            println!("baseline: {mb:.1} MB in {secs:.2} s, {:.2} MB/s", mb / secs);
        }
        Some("query") => {
            let (index, files, nq) = index_and_log(&args, 240);
            query_latency(&index, &files, nq);
        }
        Some("update-check") => update_check(&args),
        Some("replay") => {
            let (index, files, nq) = index_and_log(&args, 150);
            replay(&index, &files, nq);
        }
        _ => {
            eprintln!("usage: scale gen --out DIR [--docs N] [--mb MB] [--seed S] [--source DIR]\n       scale run --corpus DIR --work DIR [--queries N]\n       scale query --corpus DIR --work DIR [--queries N]   (latency only, on the index of a previous run)\n       scale baseline --corpus DIR --work DIR [--threads N]   (the raw tantivy baseline alone)\n       scale replay --corpus DIR --work DIR [--queries N]   (the query log through search and its JSON on one thread, for callgrind)\n       scale update-check --work DIR [--source DIR] [--queries N]   (--update after adding, changing, removing and renaming files and metadata equals a rebuild)");
        }
    }
}

/// `--work DIR`'s index, `--corpus DIR`'s files and `--queries N` (default
/// `default_n`): what the query subcommands run on.
fn index_and_log(args: &[String], default_n: usize) -> (PathBuf, Vec<PathBuf>, usize) {
    let corpus = PathBuf::from(arg(args, "--corpus").expect("--corpus DIR"));
    let work = PathBuf::from(arg(args, "--work").expect("--work DIR"));
    let nq = arg(args, "--queries")
        .map(|s| s.parse().expect("--queries N"))
        .unwrap_or(default_n);
    (work.join("index"), corpus_files(&corpus), nq)
}

// ---------------------------------------------------------------- generator

/// Paragraphs of the source corpora, by language.
fn load_sources(root: &Path) -> BTreeMap<&'static str, Vec<String>> {
    let mut by_lang: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let p = entry.path();
        let lang = ["lt", "ru", "en"]
            .into_iter()
            .find(|l| p.components().any(|c| c.as_os_str() == *l));
        let (Some(lang), Some(ext)) = (lang, p.extension().and_then(|e| e.to_str())) else {
            continue;
        };
        if ext == "txt" {
            if let Ok(t) = fs::read_to_string(p) {
                let paras = t
                    .split("\n\n")
                    .map(str::trim)
                    .filter(|s| s.len() > 40)
                    .map(String::from);
                by_lang.entry(lang).or_default().extend(paras);
            }
        }
    }
    // Debian package descriptions: en and ru
    for f in [
        "ddtp/ddtp_bookworm_en_ru.jsonl",
        "ddtp/ddtp_bookworm_en_all.jsonl",
    ] {
        let Ok(t) = fs::read_to_string(root.join(f)) else {
            continue;
        };
        for line in t.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            for lang in ["en", "ru"] {
                let node = if v.get(lang).is_some() {
                    &v[lang]
                } else if v["lang"] == lang {
                    &v
                } else {
                    continue;
                };
                if let Some(text) = node["text"].as_str() {
                    let para = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if para.len() > 40 {
                        by_lang.entry(lang).or_default().push(para);
                    }
                }
            }
        }
    }
    by_lang
}

const MONTHS_LT: [&str; 12] = [
    "sausio",
    "vasario",
    "kovo",
    "balandžio",
    "gegužės",
    "birželio",
    "liepos",
    "rugpjūčio",
    "rugsėjo",
    "spalio",
    "lapkričio",
    "gruodžio",
];
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date_line(lang: &str, rng: &mut fastrand::Rng) -> String {
    let (y, m, d) = (rng.u32(2005..=2024), rng.usize(0..12), rng.u32(1..=28));
    match lang {
        "lt" => format!("{y} m. {} {d} d.", MONTHS_LT[m]),
        "ru" => format!("{d} {} {y} г.", MONTHS_RU[m]),
        _ => format!("{} {d}, {y}", MONTHS_EN[m]),
    }
}

/// Perturbs a paragraph: numbers replaced, sometimes a sentence dropped.
fn perturb(p: &str, rng: &mut fastrand::Rng) -> String {
    let mut out = String::with_capacity(p.len());
    for w in p.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty() {
            out.push_str(&rng.u32(1..10_000).to_string());
        } else {
            out.push_str(w);
        }
    }
    if rng.u8(0..4) == 0 {
        if let Some(i) = out.find(". ") {
            out.replace_range(..i + 2, "");
        }
    }
    out
}

fn gen(args: &[String]) {
    let out = PathBuf::from(arg(args, "--out").expect("--out DIR"));
    let docs: usize = arg(args, "--docs")
        .map(|s| s.parse().expect("--docs N"))
        .unwrap_or(100_000);
    let max_bytes: u64 = arg(args, "--mb")
        .map(|s| s.parse::<u64>().expect("--mb MB") << 20)
        .unwrap_or(u64::MAX);
    let seed: u64 = arg(args, "--seed")
        .map(|s| s.parse().expect("--seed S"))
        .unwrap_or(1);
    let source = PathBuf::from(arg(args, "--source").unwrap_or_else(|| "../shared/corpora".into()));
    let started = Instant::now();
    let sources = load_sources(&source);
    assert!(
        !sources.is_empty(),
        "no source text under {}",
        source.display()
    );
    let langs: Vec<(&str, &Vec<String>)> = sources.iter().map(|(l, v)| (*l, v)).collect();
    // language mix: lt 40%, ru 35%, en 25% (the archive's languages)
    let weights = |l: &str| match l {
        "lt" => 40,
        "ru" => 35,
        _ => 25,
    };
    let total_w: u32 = langs.iter().map(|(l, _)| weights(l)).sum();
    // documents are generated in parallel, each from its own seeded generator
    let target_per_doc = if max_bytes == u64::MAX {
        10_000
    } else {
        (max_bytes / docs as u64).max(1000) as usize
    };
    let written: u64 = (0..docs)
        .into_par_iter()
        .map(|i| {
            let mut rng =
                fastrand::Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i as u64);
            let mut pick = rng.u32(0..total_w);
            let (lang, paras) = *langs
                .iter()
                .find(|(l, _)| {
                    let w = weights(l);
                    if pick < w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .unwrap_or(&langs[0]);
            let mut text = format!(
                "{} ({i})\n\n{}\n\n",
                perturb(&paras[rng.usize(0..paras.len())], &mut rng)
                    .chars()
                    .take(120)
                    .collect::<String>(),
                date_line(lang, &mut rng)
            );
            let want = rng.usize(target_per_doc / 2..target_per_doc * 3 / 2 + 1);
            while text.len() < want {
                text.push_str(&perturb(&paras[rng.usize(0..paras.len())], &mut rng));
                text.push_str("\n\n");
            }
            let dir = out.join(lang).join(format!("{:04}", i / 1000));
            fs::create_dir_all(&dir).expect("create output folder");
            fs::write(dir.join(format!("doc-{i:07}.txt")), &text).expect("write document");
            text.len() as u64
        })
        .sum();
    println!(
        "generated {docs} documents, {:.1} MB in {} in {:.1} s (seed {seed})",
        written as f64 / 1e6,
        out.display(),
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------- measurements

struct ProcessRun {
    seconds: f64,
    peak_rss_kb: i64,
}

/// Runs a command, measuring wall time and its peak resident memory.
// wait4 below reaps the child; clippy cannot see that.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> ProcessRun {
    let started = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data; zeroed is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid out-pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert!(r == pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "command failed: {cmd:?}"
    );
    ProcessRun {
        seconds: started.elapsed().as_secs_f64(),
        peak_rss_kb: usage.ru_maxrss,
    }
}

fn dir_size(p: &Path) -> u64 {
    walkdir::WalkDir::new(p)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// The raw tantivy baseline: the same files, one field, default tokenizer.
fn baseline(files: &[PathBuf], dir: &Path, threads: usize) -> f64 {
    use tantivy::schema::{Schema, TEXT};
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("baseline dir");
    let mut b = Schema::builder();
    let body = b.add_text_field("body", TEXT);
    let index = tantivy::Index::create_in_dir(dir, b.build()).expect("baseline index");
    let started = Instant::now();
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(threads, 256 << 20)
        .expect("writer");
    files.par_iter().for_each(|f| {
        if let Ok(text) = fs::read_to_string(f) {
            let _ = writer.add_document(tantivy::doc!(body => text));
        }
    });
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merge");
    started.elapsed().as_secs_f64()
}

/// A deterministic query log drawn from the corpus: words, pairs, phrases, filters.
fn query_log(files: &[PathBuf], n: usize) -> Vec<SearchRequest> {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut out = Vec::new();
    while out.len() < n {
        let Some(words) = random_words(files, &mut rng) else {
            continue;
        };
        let i = rng.usize(0..words.len() - 1);
        let mut req = match out.len() % 7 {
            0 | 1 => SearchRequest::new(&words[i]),
            2 => SearchRequest::new(format!("{} {}", words[i], words[rng.usize(0..words.len())])),
            3 => SearchRequest::new(format!("\"{} {}\"", words[i], words[i + 1])),
            4 => {
                // a facet filter: one of the countries the generator writes about
                let mut r = SearchRequest::new(&words[i]);
                let country = ["Lithuania", "Japan", "China", "Russia", "Norway"][rng.usize(0..5)];
                r.filters.add_country(country).expect("a known country");
                r
            }
            5 => {
                let mut r = SearchRequest::new(&words[i]);
                r.filters.from = Some(2010);
                r.filters.to = Some(2020);
                r
            }
            _ => {
                let mut r = SearchRequest::new(&words[i]);
                r.langs = vec![
                    [Language::Lithuanian, Language::Russian, Language::English][rng.usize(0..3)],
                ];
                r
            }
        };
        req.limit = 10;
        out.push(req);
    }
    out
}

/// The query log through `Searcher::search` and its JSON, with facet counts,
/// on one thread: a fixed amount of work whose instruction count does not
/// depend on the machine's load. Under
/// `valgrind --tool=callgrind --toggle-collect=repsearch::search::Searcher::search`
/// it compares two versions of the query path exactly (the one-off reads of
/// the gazetteer and the facet tables happen before the log; the JSON size
/// printed tells whether the answers changed).
fn replay(idx: &Path, files: &[PathBuf], nq: usize) {
    let searcher = Searcher::open(idx).expect("open index");
    let log = query_log(files, nq);
    let _ = searcher.search(&log[0]); // one-off tables, outside the timing
    let t = Instant::now();
    let mut bytes = 0;
    for q in &log {
        let res = searcher.search(q).expect("query");
        bytes += repsearch::search::json::search_json(&res)
            .expect("json")
            .len();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "replay: {nq} queries in {s:.2} s ({:.2} ms each), {bytes} bytes of JSON",
        s * 1e3 / nq as f64
    );
}

/// Query latency p50/p99 over the query log, with and without facet counts.
fn query_latency(idx: &Path, files: &[PathBuf], nq: usize) {
    let searcher = Searcher::open(idx).expect("open index");
    let log = query_log(files, nq);
    for q in log.iter().take(20) {
        let _ = searcher.search(q); // warm-up
    }
    // the same log with one letter dropped from each word: the typo path
    let misspelt: Vec<SearchRequest> = log
        .iter()
        .map(|q| {
            let mut q = q.clone();
            q.query = q
                .query
                .split(' ')
                .map(|w| {
                    let c: Vec<char> = w.chars().collect();
                    let mid = c.len() / 2;
                    c[..mid]
                        .iter()
                        .chain(&c[(mid + 1).min(c.len())..])
                        .collect()
                })
                .collect::<Vec<String>>()
                .join(" ");
            q
        })
        .collect();
    // typo tolerance is on by default; then --exact, no collapsing, misspelt words
    for (facets, exact, per_doc, typos) in [
        (true, false, 3, false),
        (false, false, 3, false),
        (false, true, 3, false),
        (false, false, 0, false),
        (false, false, 3, true),
    ] {
        let queries = if typos { &misspelt } else { &log };
        let mut lat: Vec<f64> = queries
            .iter()
            .map(|q| {
                let mut q = q.clone();
                q.facet_limit = if facets { 10 } else { 0 };
                q.exact = exact;
                q.per_doc = per_doc;
                let t = Instant::now();
                let res = searcher.search(&q).expect("query");
                std::hint::black_box(res.total_hits);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        lat.sort_by(|a, b| a.total_cmp(b));
        println!(
            "query latency over {} queries {} facet counts{}{}{}: p50 {:.2} ms, p99 {:.2} ms",
            lat.len(),
            if facets { "with" } else { "without" },
            if exact { ", --exact" } else { "" },
            if per_doc == 0 { ", --per-doc 0" } else { "" },
            if typos {
                ", one letter dropped per word"
            } else {
                ""
            },
            percentile(&lat, 0.5),
            percentile(&lat, 0.99)
        );
    }
}

fn run(args: &[String]) {
    let corpus = PathBuf::from(arg(args, "--corpus").expect("--corpus DIR"));
    let work = PathBuf::from(arg(args, "--work").expect("--work DIR"));
    let nq: usize = arg(args, "--queries")
        .map(|s| s.parse().expect("--queries N"))
        .unwrap_or(240);
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/repsearch");
    assert!(
        bin.exists(),
        "build the release binary first: cargo build --release"
    );
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let files = corpus_files(&corpus);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {} files, {mb:.1} MB, {threads} threads",
        files.len()
    );

    // (b) raw tantivy baseline first (cold and warm caches alike for both: read the files once)
    files.par_iter().for_each(|f| {
        let _ = fs::read(f);
    });
    let base = baseline(&files, &work.join("baseline"), threads);
    println!(
        "baseline (tantivy default tokenizer, one field): {base:.1} s, {:.2} MB/s",
        mb / base
    );

    // (a) repsearch index
    let idx = work.join("index");
    let _ = fs::remove_dir_all(&idx);
    let r = measure(
        Command::new(&bin)
            .args(["index", "--quiet", "--corpus"])
            .arg(&corpus)
            .arg("--index")
            .arg(&idx),
    );
    let passages = repsearch::indexer::IndexSummary::load(
        &fs::read_link(idx.join("live"))
            .map(|l| idx.join(l))
            .unwrap_or(idx.clone()),
    )
    .map(|s| s.passages)
    .unwrap_or(0);
    println!(
        "repsearch index: {:.1} s, {:.2} MB/s, {:.0} docs/s, peak RSS {:.0} MB, {passages} passages; {:.0}% of baseline throughput",
        r.seconds,
        mb / r.seconds,
        files.len() as f64 / r.seconds,
        r.peak_rss_kb as f64 / 1024.0,
        100.0 * base / r.seconds
    );
    let size = dir_size(&idx);
    println!(
        "index size: {:.1} MB = {:.2}x the text",
        size as f64 / 1e6,
        size as f64 / bytes as f64
    );

    // (c) query latency
    query_latency(&idx, &files, nq);

    // (d) update after touching 1% of the files
    let mut rng = fastrand::Rng::with_seed(11);
    let touched = (files.len() / 100).max(1);
    for _ in 0..touched {
        let f = &files[rng.usize(0..files.len())];
        if let Ok(mut t) = fs::read_to_string(f) {
            t.push_str("\n\nPapildoma pastraipa.\n");
            let _ = fs::write(f, t);
        }
    }
    let u = measure(
        Command::new(&bin)
            .args(["index", "--quiet", "--update", "--corpus"])
            .arg(&corpus)
            .arg("--index")
            .arg(&idx),
    );
    println!(
        "index --update after touching {touched} files: {:.1} s, {:.1}x faster than the rebuild",
        u.seconds,
        r.seconds / u.seconds
    );
}

// ---------------------------------------------------------------- update = rebuild

/// Copies a folder tree, leaving out the folders named in `skip`.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    fs::create_dir_all(to).expect("create folder");
    for e in fs::read_dir(from).expect("read folder").flatten() {
        let name = e.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let dst = to.join(&name);
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            copy_tree(&e.path(), &dst, skip);
        } else {
            fs::copy(e.path(), dst).expect("copy file");
        }
    }
}

/// Adds, changes, removes and renames files and metadata files; returns a
/// line saying how many of each.
fn shuffle_corpus(files: &[PathBuf], rng: &mut fastrand::Rng) -> String {
    let metas = [
        r#"{"city":"Kaunas","year":2019}"#,
        r#"{"country":"Russia","year":2016}"#,
        r#"{"city":"Tokyo"}"#,
        r#"{"city":"Vilnius","country":"Lithuania","year":2012}"#,
    ];
    let mut n = [0usize; 8];
    let mut with_meta = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match rng.usize(0..100) {
            0..=3 => {
                fs::copy(f, f.with_file_name(format!("added-{i}.txt"))).expect("add");
                n[0] += 1;
            }
            4 => {
                let text = fs::read_to_string(f).unwrap_or_default();
                fs::write(f, format!("{text}\nA paragraph added in Tokyo in 2018.\n"))
                    .expect("change");
                n[1] += 1;
            }
            5 => {
                fs::remove_file(f).expect("remove");
                n[2] += 1;
            }
            6 => {
                fs::rename(f, f.with_extension("renamed.txt")).expect("rename");
                n[3] += 1;
            }
            7 | 8 => {
                let meta = f.with_extension("meta.json");
                fs::write(&meta, metas[rng.usize(0..metas.len())]).expect("add metadata");
                with_meta.push(meta);
                n[4] += 1;
            }
            _ => {}
        }
    }
    format!(
        "{} added, {} changed, {} removed, {} renamed files; {} metadata files added",
        n[0], n[1], n[2], n[3], n[4]
    )
}

/// Changes and removes some of the metadata files, and renames documents
/// away from their metadata.
fn shuffle_metadata(corpus: &Path, rng: &mut fastrand::Rng) -> String {
    let mut n = [0usize; 3];
    let metas: Vec<PathBuf> = walkdir::WalkDir::new(corpus)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.to_string_lossy().ends_with(".meta.json"))
        .collect();
    for m in metas {
        match rng.usize(0..4) {
            0 => {
                fs::write(&m, r#"{"city":"Moscow","year":2015}"#).expect("change metadata");
                n[0] += 1;
            }
            1 => {
                fs::remove_file(&m).expect("remove metadata");
                n[1] += 1;
            }
            2 => {
                let doc = PathBuf::from(m.to_string_lossy().replace(".meta.json", ".txt"));
                if fs::rename(&doc, doc.with_extension("moved.txt")).is_ok() {
                    n[2] += 1;
                }
            }
            _ => {}
        }
    }
    format!(
        "{} metadata files changed, {} removed, {} documents renamed away from theirs",
        n[0], n[1], n[2]
    )
}

/// The comparison log: plain words and the same words with country, city,
/// year and language filters, and filters alone.
fn filter_log(files: &[PathBuf], n: usize) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(5);
    let mut out = vec![
        "city:Tokyo".to_string(),
        "city:Kaunas".to_string(),
        "year:2015..2020".to_string(),
        "country:Russia".to_string(),
    ];
    while out.len() < n {
        let Some(words) = random_words(files, &mut rng) else {
            continue;
        };
        let w = &words[rng.usize(0..words.len())];
        let i = out.len();
        out.push(match i % 5 {
            0 => w.clone(),
            1 => format!(
                "{w} country:{}",
                ["Lithuania", "Russia", "Japan", "China"][i % 4]
            ),
            2 => format!(
                "{w} city:{}",
                ["London", "Moscow", "Vilnius", "Kaunas", "Tokyo"][i % 5]
            ),
            3 => format!("{w} year:{}..{}", 1995 + i % 20, 2010 + i % 15),
            _ => format!("{w} lang:{}", ["en", "lt", "ru"][i % 3]),
        });
    }
    out
}

/// (doc, passage, score) of every hit, in path order.
fn sorted_hits(r: &repsearch::search::SearchResults) -> Vec<(String, u64, f32)> {
    let mut h: Vec<(String, u64, f32)> = r
        .hits
        .iter()
        .map(|h| (h.doc.clone(), h.passage, h.score))
        .collect();
    h.sort_by(|x, y| (&x.0, x.1).cmp(&(&y.0, y.1)));
    h
}

/// `--update` after adding, changing, removing and renaming files and
/// metadata files equals a rebuild: the same totals, the same set of hits
/// and the same facet counts on every query of a log with filters; scores
/// differ at most by what deleted passages still weigh in BM25's statistics.
fn update_check(args: &[String]) {
    let source = PathBuf::from(arg(args, "--source").unwrap_or_else(|| "../shared/corpora".into()));
    let work = PathBuf::from(arg(args, "--work").expect("--work DIR"));
    let nq: usize = arg(args, "--queries")
        .map(|s| s.parse().expect("--queries N"))
        .unwrap_or(100);
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/repsearch");
    assert!(
        bin.exists(),
        "build the release binary first: cargo build --release"
    );
    let _ = fs::remove_dir_all(&work);
    let corpus = work.join("corpus");
    copy_tree(&source, &corpus, &["ddtp", "README.md"]);
    let index = |idx: &Path, update: bool| {
        let mut cmd = Command::new(&bin);
        cmd.args(["index", "--quiet", "--corpus"])
            .arg(&corpus)
            .arg("--index")
            .arg(idx);
        if update {
            cmd.arg("--update");
        }
        let run = measure(&mut cmd);
        println!(
            "index{}: {:.1} s",
            if update { " --update" } else { "" },
            run.seconds
        );
    };
    let (upd, reb) = (work.join("updated"), work.join("rebuilt"));
    let mut rng = fastrand::Rng::with_seed(3);
    // first metadata on a few files, then everything changes
    println!(
        "{}",
        shuffle_corpus(&corpus_files(&corpus), &mut fastrand::Rng::with_seed(9))
    );
    index(&upd, false);
    let files = shuffle_corpus(&corpus_files(&corpus), &mut rng);
    println!("{files}; {}", shuffle_metadata(&corpus, &mut rng));
    index(&upd, true);
    index(&reb, false);
    let (a, b) = (
        Searcher::open(&upd).expect("open the updated index"),
        Searcher::open(&reb).expect("open the rebuilt index"),
    );
    let (mut same, mut max_rel) = (0, 0f64);
    for q in filter_log(&corpus_files(&corpus), nq) {
        let mut req = SearchRequest::new(q.as_str());
        (req.limit, req.per_doc, req.facet_limit) = (10_000, 0, 1_000);
        let (ra, rb) = (
            a.search(&req).expect("query"),
            b.search(&req).expect("query"),
        );
        let (ha, hb) = (sorted_hits(&ra), sorted_hits(&rb));
        let keys =
            |h: &[(String, u64, f32)]| h.iter().map(|x| (x.0.clone(), x.1)).collect::<Vec<_>>();
        let equal =
            ra.total_hits == rb.total_hits && keys(&ha) == keys(&hb) && ra.facets == rb.facets;
        if equal {
            same += 1;
            for (x, y) in ha.iter().zip(&hb) {
                let rel = f64::from((x.2 - y.2).abs()) / f64::from(y.2.abs().max(1e-6));
                max_rel = max_rel.max(rel);
            }
        } else {
            println!(
                "DIFFERS: {q}: totals {} (update) vs {} (rebuild)",
                ra.total_hits, rb.total_hits
            );
        }
    }
    println!(
        "update-check: {same}/{nq} queries with the same totals, hits and facet counts; largest score difference {:.2}%",
        max_rel * 100.0
    );
    if same != nq {
        std::process::exit(1);
    }
}
