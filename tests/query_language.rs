//! The query language on the sample reports: slop phrases, prefixes, typo
//! tolerance, field filters, --plain, --per-doc and --explain.

use crate::util::{hits, marked, ranking, run, search_json, seed, seed_index};
use serde_json::Value;

fn docs(v: &Value) -> Vec<String> {
    hits(v)
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect()
}

fn total(v: &Value) -> u64 {
    v["total_hits"].as_u64().unwrap()
}

fn search_err(args: &[&str]) -> String {
    let idx = seed_index().join("index");
    let mut all = vec!["search", "--index", idx.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = run(&all);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn slop_phrase_allows_words_apart_and_reordered() {
    let v = search_json("\"robotikos srityje\"~2", &[]);
    assert_eq!(docs(&v)[0], seed("000"));
    // "stipriausių robotikos srityje": one word between
    assert_eq!(total(&search_json("\"stipriausių srityje\"", &[])), 0);
    assert_eq!(total(&search_json("\"stipriausių srityje\"~1", &[])), 1);
    // reversed order costs 2
    assert_eq!(total(&search_json("\"srityje robotikos\"~1", &[])), 0);
    assert!(total(&search_json("\"srityje robotikos\"~2", &[])) > 0);
}

#[test]
fn prefix_finds_and_marks_the_words_it_expands_to() {
    let v = search_json("robot*", &[]);
    assert!(!hits(&v).is_empty());
    for h in hits(&v) {
        assert_eq!(h["doc"], seed("000"));
        assert!(marked(h).iter().any(|m| m == "robotikos"), "{h}");
    }
    // folded prefix: no diacritics typed
    let v = search_json("Panevez*", &[]);
    assert!(marked(&hits(&v)[0])
        .iter()
        .any(|m| m.starts_with("Panevėž")));
    assert!(search_err(&["ro*"]).contains("at least 3 letters"));
}

#[test]
fn typos_match_as_weak_evidence_unless_exact() {
    // "bendradarbiavimo" without its second i; "robotikos" without the i
    for (typo, doc, word) in [
        ("bendradarbavimo", "000", "bendradarbiavimo"),
        ("robotkos", "000", "robotikos"),
    ] {
        let v = search_json(typo, &[]);
        let h = hits(&v)
            .iter()
            .find(|h| h["doc"] == seed(doc))
            .unwrap_or_else(|| panic!("{typo}: {v}"));
        assert!(marked(h).iter().any(|m| m == word), "{typo}: {h}");
        assert_eq!(total(&search_json(typo, &["--exact"])), 0, "{typo}");
    }
    // a misspelt Latin spelling of a Russian word: one letter off the transliteration
    let v = search_json("metalurgija", &[]);
    assert_eq!(marked(&hits(&v)[0]), ["Металлургия"]);
    // the correctly spelt word ranks its exact matches far above typo matches
    let exact = search_json("robotikos", &[]);
    let typo = search_json("robotkos", &[]);
    assert!(hits(&exact)[0]["score"].as_f64() > hits(&typo)[0]["score"].as_f64());
    // short words get no typo tolerance: "miest" is not "miesto" by a typo
    // (only via stemming), and a quoted word is taken as written
    assert_eq!(total(&search_json("\"robotkos\"", &[])), 0);
}

#[test]
fn field_filters_equal_the_flags() {
    assert_eq!(
        ranking(&search_json("country:Japonija robotikos", &[])),
        ranking(&search_json("robotikos", &["--country", "JP"]))
    );
    assert_eq!(
        ranking(&search_json("city:Šenjangas университет", &[])),
        ranking(&search_json("университет", &["--city", "Shenyang"]))
    );
    let all = "miesto OR университет OR Lipetsk";
    let v = search_json(&format!("year:2015..2020 {all}"), &[]);
    assert!(!hits(&v).is_empty());
    assert!(!docs(&v).contains(&seed("002")), "2023 excluded");
    assert_eq!(
        ranking(&v),
        ranking(&search_json(all, &["--from", "2015", "--to", "2020"]))
    );
    let v = search_json(&format!("year:2021.. {all}"), &[]);
    assert!(docs(&v).iter().all(|d| *d == seed("002")));
    assert!(docs(&search_json(&format!("year:..2020 {all}"), &[])).contains(&seed("000")));
    // one facet: alternatives, query and flags alike
    let v = search_json(&format!("year:2023 {all}"), &["--year", "2018"]);
    assert!(docs(&v).contains(&seed("000")) && docs(&v).contains(&seed("002")));
    // different facets: all must hold
    let v = search_json(&format!("year:2015..2020 {all}"), &["--country", "China"]);
    assert_eq!(total(&v), 0);
    // a query of filters only lists every passage they keep
    let v = search_json("lang:ru", &["--limit", "100", "--per-doc", "0"]);
    assert!(total(&v) > 0);
    assert!(hits(&v).iter().all(|h| h["lang"] == "ru"));
    let v = search_json("lang:ru университет OR miesto", &[]);
    assert!(!hits(&v).is_empty());
    assert!(hits(&v).iter().all(|h| h["lang"] == "ru"));
}

#[test]
fn bad_filters_and_operators_point_at_the_position() {
    assert!(search_err(&["robotikos year:20x8"]).contains("at character 16"));
    assert!(search_err(&["robotikos country:Atlantis"]).contains("unknown country"));
    assert!(search_err(&["robotikos lang:xx"]).contains("unknown language"));
    assert!(search_err(&["robotikos -country:JP"]).contains("cannot be excluded"));
    assert!(search_err(&["robotikos OR"]).contains("OR at the end"));
    assert!(search_err(&["\"robotikos srityje\"~x"]).contains("at character 20"));
    // a colon in something that is no field is a plain word
    let v = search_json("robotikos 10:30 http://example.com", &[]);
    assert_eq!(docs(&v)[0], seed("000"));
}

#[test]
fn plain_takes_a_pasted_title_as_words() {
    let title = "Panevėžio miesto: \"oficialios\" delegacijos AND vizitas -- year:20x8 (ro*)";
    let v = search_json(title, &["--plain"]);
    assert_eq!(docs(&v)[0], seed("000"));
    for junk in [
        "\"", "AND", "-", "x:", "year:", "*", "\"a\"~", "lang:xx", "...", "NOT",
    ] {
        let v = search_json(junk, &["--plain"]);
        assert!(v["hits"].is_array(), "{junk}");
    }
    assert!(search_err(&["--plain", " "]).contains("empty query"));
}

#[test]
fn per_doc_collapses_and_pages_stay_consistent() {
    let q = "miesto OR университет OR Tojohašio";
    let v = search_json(q, &["--per-doc", "1"]);
    let d = docs(&v);
    let mut unique = d.clone();
    unique.dedup();
    unique.sort();
    unique.dedup();
    assert_eq!(d.len(), unique.len(), "one passage per document: {d:?}");
    let shown = hits(&v).len() as u64;
    let more: u64 = hits(&v)
        .iter()
        .map(|h| h["more_in_doc"].as_u64().unwrap())
        .sum();
    assert_eq!(shown + more, total(&v), "every match shown or counted");
    // default: at most 3 per document
    let v = search_json(q, &["--limit", "100"]);
    for doc in docs(&v) {
        assert!(docs(&v).iter().filter(|d| **d == doc).count() <= 3);
    }
    // pages of one hit walk the same collapsed list
    let whole = ranking(&search_json(q, &["--per-doc", "2", "--limit", "20"]));
    let mut paged = Vec::new();
    for offset in 0..whole.len() + 1 {
        let o = offset.to_string();
        paged.extend(ranking(&search_json(
            q,
            &["--per-doc", "2", "--limit", "1", "--offset", &o],
        )));
    }
    assert_eq!(paged, whole);
    // no limit
    let v = search_json(q, &["--per-doc", "0", "--limit", "100"]);
    assert_eq!(hits(&v).len() as u64, total(&v));
}

#[test]
fn explain_names_fields_and_terms() {
    let v = search_json("robotikos", &["--explain"]);
    let parts = hits(&v)[0]["explain"].as_array().expect("explain array");
    let fields: Vec<&str> = parts.iter().map(|p| p["field"].as_str().unwrap()).collect();
    assert!(
        fields.contains(&"exact") && fields.contains(&"stem_lt"),
        "{fields:?}"
    );
    let best: Vec<&Value> = parts.iter().filter(|p| p["best"] == true).collect();
    assert_eq!(best.len(), 1);
    assert_eq!(best[0]["field"], "exact");
    assert_eq!(best[0]["term"], "robotikos");
    // a word the index knows (in 3 passages or more) is taken as spelt right
    assert!(parts.iter().all(|p| p["how"] != "typo"), "{parts:?}");
    let v = search_json("robotkos", &["--explain"]);
    let parts = hits(&v)[0]["explain"].as_array().unwrap();
    assert!(parts.iter().any(|p| p["how"] == "typo"), "{parts:?}");
    // not asked: no key
    let v = search_json("robotikos", &[]);
    assert!(hits(&v)[0].get("explain").is_none());
    // text output
    let idx = seed_index().join("index");
    let out = run(&[
        "search",
        "--index",
        idx.to_str().unwrap(),
        "--explain",
        "robotikos",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("exact:robotikos"), "{text}");
}

#[test]
fn a_plan_holds_each_clause_with_its_terms_and_how_they_match() {
    use repsearch::search::plan::{ClauseLeaves, TextPlan};
    use repsearch::search::query::Occur;
    use repsearch::search::{MatchKind, SearchRequest, Searcher};
    let searcher = Searcher::open(&seed_index().join("index")).unwrap();
    let plan = |q: &str| searcher.plan_query(&SearchRequest::new(q)).unwrap();
    let clauses = |q: &str| match plan(q).text {
        TextPlan::Clauses(c) => c,
        other => panic!("{q:?}: {other:?}"),
    };
    let terms = |leaves: &ClauseLeaves| match leaves {
        ClauseLeaves::Terms(t) => t.clone(),
        ClauseLeaves::Phrases(p) => panic!("a word, not phrases: {p:?}"),
    };
    // a word: its exact term first, typos only for a word the index lacks
    let c = clauses("robotikos");
    let t = terms(&c[0].leaves);
    assert_eq!(
        (t[0].text.as_str(), t[0].how),
        ("robotikos", MatchKind::Exact)
    );
    assert!(t.iter().all(|l| l.how != MatchKind::Typo), "{t:?}");
    let t = terms(&clauses("robotkos")[0].leaves);
    assert!(t.iter().any(|l| l.how == MatchKind::Typo), "{t:?}");
    // a prefix expands to index words only
    let t = terms(&clauses("robot*")[0].leaves);
    assert!(!t.is_empty() && t.iter().all(|l| l.how == MatchKind::Prefix));
    // a phrase, labelled as written; an excluded word is not highlighted
    let c = clauses("\"robotikos srityje\"~2 -Tojohašio");
    assert_eq!(c[0].label, "\"robotikos srityje\"~2");
    assert!(matches!(&c[0].leaves, ClauseLeaves::Phrases(p) if !p.is_empty()));
    assert_eq!(c[1].occur, Occur::MustNot);
    let p = plan("\"robotikos srityje\"~2 -Tojohašio");
    assert!(p.terms.exact.contains("robotikos"));
    let excluded = |t: &String| t.to_lowercase().starts_with("tojoha");
    assert!(!p.terms.exact.iter().any(excluded), "{:?}", p.terms.exact);
    // filters only: every passage, filtered
    let p = plan("lang:lt");
    assert!(matches!(p.text, TextPlan::All));
    assert_eq!(p.langs, [repsearch::Language::Lithuanian]);
}
