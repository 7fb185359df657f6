//! One test per failure found by attacking the rebuild and the server
//! (issue 15), each named after what it checks. Every test here failed on
//! the code before the fix.
//!
//! The sections follow the issue's numbering; keep new tests in their section.

#![allow(unused_imports)]

use crate::util;

// ---------------------------------------------------------------------------
// 1. Memory bounded for files read whole; one file never stops the batch.
// 11. HTML parsing linear in the input.
// 5. Streamed files: the whole document's facets; places stored once.
// (section: bounds)

// end of section: bounds
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 3. `--update` equals a rebuild.
// 4. Bad metadata is reported.
// 6. File names kept losslessly.
// 15. Orphan metadata and FIFOs listed; one spelling of "permission denied".
// (section: update)

// end of section: update
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 7. The index folder is repsearch's.
// 8. An empty or unreadable corpus never replaces a live index.
// 9. A lock that cannot race and dies with its holder.
// 10. A search during a rebuild never fails.
// 15. A disk-full rebuild says so.
// (section: store)

// end of section: store
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 2. `--offset` bounded.
// 14. Deterministic tie-break.
// 15. `--limit 0`.
// (section: search)

/// The queries of tests/fixtures/queries/comparison.txt: (query, flags).
fn comparison_log() -> Vec<(String, Vec<String>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/queries/comparison.txt");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (q, flags) = l.split_once('\t').unwrap_or((l, ""));
            let flags = flags.split_whitespace().map(String::from).collect();
            (q.to_string(), flags)
        })
        .collect()
}

/// The flags of a search that `facets` takes too (the filters).
fn filter_flags(flags: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        if ["--lang", "--country", "--city", "--year", "--from", "--to"].contains(&f.as_str()) {
            out.push(f.clone());
            out.extend(it.next().cloned());
        }
    }
    out
}

const TIE_LT: &str = "Miesto delegacijos vizitas Tojohašio mieste: pasirašytas miestų \
bendradarbiavimo protokolas, aplankytas technologijos universitetas, kuris yra vienas \
stipriausių robotikos srityje Japonijoje, ir miesto meno muziejus.";
const TIE_RU: &str = "Делегация города посетила металлургический комбинат в Шэньяне: \
обсуждались вопросы металлургии, права человека и сотрудничества городов, каждый \
участник имеет право на свободу мнения, а делегация обсудила новые \
проекты металлургии.";
const TIE_EN: &str = "The city delegation visited the robotics university and the \
image processing laboratory: everyone has the right to freedom, and the layer of the \
image was shown in the network settings, with the brush size and the \
selection tools.";

/// A corpus with many equal scores: the seeds, the format fixtures, copies
/// of the seeds, documents with one text under many names (some with
/// metadata: equal facet counts), and documents repeating one passage.
fn tie_corpus(dst: &std::path::Path) {
    util::copy_corpus(dst);
    let formats = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let f = dst.join("formats");
    std::fs::create_dir_all(&f).unwrap();
    for e in std::fs::read_dir(formats).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), f.join(e.file_name())).unwrap();
    }
    util::big_corpus(&dst.join("copies"), 30);
    let same = dst.join("same");
    std::fs::create_dir_all(&same).unwrap();
    let cities = [
        "Kaunas",
        "Vilnius",
        "Panevėžys",
        "Toyohashi",
        "Moscow",
        "Shenyang",
    ];
    for i in 0..90 {
        let text = format!("{TIE_LT}\n\n{TIE_RU}\n\n{TIE_EN}\n");
        std::fs::write(same.join(format!("d{:03}.txt", (i * 37) % 90)), text).unwrap();
        if i % 3 == 0 {
            let meta = format!(
                r#"{{"city": "{}", "year": {}}}"#,
                cities[i % cities.len()],
                2015 + i % 4
            );
            std::fs::write(
                same.join(format!("d{:03}.txt.meta.json", (i * 37) % 90)),
                meta,
            )
            .unwrap();
        }
    }
    let rep = dst.join("repeats");
    std::fs::create_dir_all(&rep).unwrap();
    for i in 0..12 {
        let text = [TIE_LT, TIE_RU, TIE_EN, TIE_LT, TIE_RU, TIE_EN].join("\n\n");
        std::fs::write(rep.join(format!("r{i:02}.txt")), text).unwrap();
    }
}

/// Builds the tie corpus's index with extra flags; the index folder.
fn tie_index(
    dir: &std::path::Path,
    name: &str,
    corpus: &std::path::Path,
    extra: &[&str],
) -> String {
    let idx = dir.join(name);
    let mut args = vec!["index", "--quiet", "--corpus", corpus.to_str().unwrap()];
    args.extend(["--index", idx.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let out = util::run(&args);
    // the format fixtures hold files that are skipped on purpose (exit 1)
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    idx.to_str().unwrap().to_string()
}

/// Runs `args` on the index; (exit code, stdout, stderr).
fn answer(idx: &str, args: &[String]) -> (Option<i32>, String, String) {
    // the index first: the query may follow a `--`
    let mut all: Vec<&str> = args[..1].iter().map(String::as_str).collect();
    all.extend(["--index", idx]);
    all.extend(args[1..].iter().map(String::as_str));
    let out = util::run(&all);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every command of the comparison log: `search --json` with the line's
/// flags and `facets --json` with its filters.
fn comparison_commands() -> Vec<Vec<String>> {
    let mut cmds = Vec::new();
    for (q, flags) in comparison_log() {
        let mut s = vec!["search".to_string(), "--json".to_string()];
        s.extend(flags.iter().cloned());
        s.extend(["--".to_string(), q.clone()]);
        cmds.push(s);
        let mut f = vec!["facets".to_string(), "--json".to_string()];
        f.extend(filter_flags(&flags));
        f.extend(["--".to_string(), q]);
        // (lines differing only in paging share their facets)
        if !cmds.contains(&f) {
            cmds.push(f);
        }
    }
    cmds
}

#[test]
fn two_builds_with_1_and_2_threads_answer_every_comparison_query_identically() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    tie_corpus(&corpus);
    let one = tie_index(dir.path(), "one", &corpus, &["--threads", "1"]);
    let two = tie_index(
        dir.path(),
        "two",
        &corpus,
        &["--threads", "2", "--memory-mb", "16"],
    );
    let cmds = comparison_commands();
    assert!(cmds.len() >= 250, "{} commands", cmds.len());
    let differ: Vec<String> = std::thread::scope(|s| {
        let halves: Vec<_> = cmds
            .chunks(cmds.len().div_ceil(2))
            .map(|part| {
                let (one, two) = (&one, &two);
                s.spawn(move || {
                    part.iter()
                        .filter(|c| answer(one, c) != answer(two, c))
                        .map(|c| c.join(" "))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(
        differ.is_empty(),
        "{} of {} answers differ between the builds:\n{}",
        differ.len(),
        cmds.len(),
        differ.join("\n")
    );
    // the log is not trivially equal: its queries find passages here
    let (code, out, _) = answer(&one, &["search".into(), "--json".into(), "miesto".into()]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn tied_hits_come_in_path_then_passage_order() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    tie_corpus(&corpus);
    let idx = tie_index(
        dir.path(),
        "two",
        &corpus,
        &["--threads", "2", "--memory-mb", "16"],
    );
    // (score, doc, passage) of the hits
    let search = |extra: &[&str]| {
        let mut args: Vec<String> = ["search", "--json", "--lang", "ru"]
            .map(String::from)
            .to_vec();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push("металлургия".into());
        let (code, out, err) = answer(&idx, &args);
        assert_eq!(code, Some(0), "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        util::hits(&v)
            .iter()
            .map(|h| {
                let doc = h["doc"].as_str().unwrap().to_string();
                (
                    h["score"].as_f64().unwrap(),
                    doc,
                    h["passage"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let in_order = |hits: &[(f64, String, u64)]| {
        hits.windows(2)
            .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && (&w[0].1, w[0].2) < (&w[1].1, w[1].2)))
    };
    // the 90 documents of one text tie: a page of one passage per document
    // is the first of them by path, the page boundary included
    let page = search(&["--per-doc", "1", "--limit", "5"]);
    assert!(in_order(&page), "{page:?}");
    let whole = search(&["--per-doc", "1", "--limit", "400"]);
    assert!(whole.len() > 90 && in_order(&whole), "{whole:?}");
    assert_eq!(page, whole[..5].to_vec());
    // every passage: equal scores by path, then passage (a document
    // repeating a passage); pages are slices of the whole list
    let all = search(&["--per-doc", "0", "--limit", "400"]);
    assert!(all.len() > 100 && in_order(&all), "{all:?}");
    let pages: Vec<_> = (0..8)
        .flat_map(|i| {
            let o = (i * 7).to_string();
            search(&["--per-doc", "0", "--limit", "7", "--offset", &o])
        })
        .collect();
    assert_eq!(pages, all[..pages.len()].to_vec());
}

#[test]
fn search_offset_of_u64_max_is_an_error_not_a_panic() {
    let idx = util::seed_index().join("index");
    for offset in ["18446744073709551615", "1000000000", "10001"] {
        let out = util::run(&[
            "search",
            "--offset",
            offset,
            "--index",
            idx.to_str().unwrap(),
            "robotikos",
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--offset {offset}: {err}");
        assert!(
            err.contains("--offset") && err.contains("10000") && err.lines().count() == 1,
            "{err}"
        );
    }
    // the bound itself is accepted
    let out = util::run(&[
        "search",
        "--offset",
        "10000",
        "--index",
        idx.to_str().unwrap(),
        "robotikos",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn search_limit_per_doc_and_facet_limit_out_of_range_name_their_flag() {
    let idx = util::seed_index().join("index");
    let idx = idx.to_str().unwrap();
    for (cmd, flag) in [
        ("search", "--limit"),
        ("search", "--per-doc"),
        ("search", "--facet-limit"),
        ("facets", "--facet-limit"),
    ] {
        let out = util::run(&[
            cmd,
            flag,
            "18446744073709551615",
            "--index",
            idx,
            "robotikos",
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd} {flag}: {err}");
        assert!(
            err.contains(flag) && err.contains("0 to 10000"),
            "{cmd} {flag}: {err}"
        );
    }
}

#[test]
fn library_search_refuses_an_offset_past_the_bound() {
    use repsearch::search::{Param, SearchRequest, Searcher, MAX_OFFSET};
    let searcher = Searcher::open(&util::seed_index().join("index")).unwrap();
    let mut req = SearchRequest::new("robotikos");
    req.offset = usize::MAX;
    let err = searcher.search(&req).expect_err("an error, not a page");
    assert!(err.is_user() && err.to_string().contains("offset"), "{err}");
    assert_eq!(req.check().unwrap_err().param, Param::Offset);
    req.offset = MAX_OFFSET;
    assert!(searcher.search(&req).unwrap().hits.is_empty());
}

#[test]
fn search_limit_0_exits_0_when_passages_match() {
    let idx = util::seed_index().join("index");
    let idx = idx.to_str().unwrap();
    let out = util::run(&[
        "search",
        "--json",
        "--limit",
        "0",
        "--index",
        idx,
        "robotikos",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total_hits"].as_u64().unwrap() > 0 && util::hits(&v).is_empty());
    // the text says how many match, not that none do
    let out = util::run(&["search", "--limit", "0", "--index", idx, "robotikos"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        !text.contains("No passages match") && text.contains("0 of "),
        "{text}"
    );
    // nothing matching is still exit 1
    let out = util::run(&["search", "--limit", "0", "--index", idx, "qqqzzzxxx"]);
    assert_eq!(out.status.code(), Some(1));
}

// end of section: search
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 12. Server timeouts and connection cap.
// 13. The OpenAPI description states the server's constraints.
// (section: server)

// end of section: server
// ---------------------------------------------------------------------------
