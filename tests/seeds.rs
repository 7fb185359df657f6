//! Search on the sample reports: inflections, diacritics, scripts, footnotes.

use crate::util::{hits, marked, search_json, seed};
use serde_json::Value;

fn assert_top(query: &str, doc_prefix: &str, must_contain: &str) {
    let v = search_json(query, &[]);
    let h = hits(&v);
    assert!(!h.is_empty(), "{query}: no hits");
    let top = &h[0];
    assert_eq!(
        top["doc"],
        seed(doc_prefix),
        "{query}: top hit is {}",
        top["doc"]
    );
    assert!(
        top["text"].as_str().unwrap().contains(must_contain),
        "{query}: top passage lacks {must_contain:?}: {}",
        top["text"]
    );
}

fn assert_finds(query: &str, doc_prefix: &str) {
    let v = search_json(query, &[]);
    let docs: Vec<&str> = hits(&v)
        .iter()
        .map(|h| h["doc"].as_str().unwrap())
        .collect();
    assert!(
        docs.contains(&seed(doc_prefix).as_str()),
        "{query}: found only {docs:?}"
    );
}

#[test]
fn robotics_in_lithuanian_puts_the_robotics_passage_first() {
    for q in ["robotikos", "robotika", "robotikos srityje"] {
        assert_top(q, "000", "robotikos");
        let v = search_json(q, &[]);
        assert!(
            marked(&hits(&v)[0]).iter().any(|m| m == "robotikos"),
            "{q}: {:?}",
            marked(&hits(&v)[0])
        );
    }
}

#[test]
fn metallurgy_in_russian_puts_the_joint_programme_first() {
    for q in ["металлургии", "Металлургия"] {
        assert_top(q, "002", "совместная образовательная программа");
        let v = search_json(q, &[]);
        assert_eq!(marked(&hits(&v)[0]), ["Металлургия"], "{q}");
    }
}

#[test]
fn panevezys_with_and_without_diacritics_and_case() {
    for q in ["Panevezys", "panevėžio", "PANEVĖŽYS"] {
        assert_finds(q, "000");
        let v = search_json(q, &[]);
        for h in hits(&v) {
            assert_eq!(
                h["doc"],
                seed("000"),
                "{q}: only seed 000 mentions Panevėžys"
            );
            assert!(
                marked(h).iter().all(|m| m.starts_with("Panevėž")),
                "{q}: {:?}",
                marked(h)
            );
        }
    }
}

#[test]
fn latin_query_finds_cyrillic_text() {
    let v = search_json("Lipetsk", &[]);
    assert_eq!(hits(&v)[0]["doc"], seed("002"));
    assert!(
        marked(&hits(&v)[0]).iter().any(|m| m.starts_with("Липецк")),
        "{:?}",
        marked(&hits(&v)[0])
    );
}

#[test]
fn footnote_digits_do_not_hide_words() {
    for (q, written) in [
        ("mechanizmo", "m1echanizmo"),
        ("kompetencijas", "kompeten4cijas"),
    ] {
        let v = search_json(q, &[]);
        let top = &hits(&v)[0];
        assert_eq!(top["doc"], seed("001"), "{q}");
        assert_eq!(
            marked(top),
            [written],
            "{q}: the highlight shows the word as written"
        );
    }
}

#[test]
fn json_has_the_documented_shape() {
    let v = search_json("robotikos", &["--limit", "1"]);
    assert_eq!(v["query"], "robotikos");
    assert!(v["total_hits"].as_u64().unwrap() >= 1);
    let h = &hits(&v)[0];
    for key in [
        "doc",
        "title",
        "passage",
        "lang",
        "score",
        "text",
        "highlight",
    ] {
        assert!(h.get(key).is_some(), "hit lacks {key}");
    }
    assert_eq!(h["lang"], "lt");
    assert_eq!(hits(&v).len(), 1);
}

#[test]
fn lang_filter_keeps_only_that_language() {
    let v = search_json("Lipetsk OR Panevėžys", &["--lang", "ru"]);
    assert!(!hits(&v).is_empty());
    assert!(hits(&v).iter().all(|h| h["lang"] == "ru"));
    let v = search_json("Lipetsk OR Panevėžys", &["--lang", "lt"]);
    assert!(hits(&v)
        .iter()
        .all(|h| h["lang"] == "lt" && h["doc"] == seed("000")));
}

#[test]
fn exact_phrase_matches_only_the_phrase() {
    let v = search_json("\"Tojohašio miesto\"", &["--limit", "50"]);
    assert!(!hits(&v).is_empty());
    for h in hits(&v) {
        assert!(
            h["text"].as_str().unwrap().contains("Tojohašio miesto"),
            "{}",
            h["text"]
        );
    }
}

#[test]
fn excluded_word_removes_passages() {
    let v = search_json("robotikos -Japonijoje", &["--limit", "50"]);
    for h in hits(&v) {
        assert!(!h["text"].as_str().unwrap().contains("Japonijoje"));
    }
}

#[test]
fn english_and_other_script_queries_find_the_reports_across_languages() {
    // issue 5 on the sample corpus: cognate keys and canonical place names
    let v = search_json("robotics", &[]);
    let top3: Vec<&Value> = hits(&v).iter().take(3).collect();
    assert!(
        top3.iter()
            .any(|h| h["doc"] == seed("000") && h["text"].as_str().unwrap().contains("robotikos")),
        "robotics: seed 000's robotics passage in the top 3: {v}"
    );
    for (q, doc) in [
        ("metallurgy", "002"),
        ("Shenyang", "002"),
        ("Аньшань", "002"),
        ("Toyohashi", "000"),
    ] {
        let v = search_json(q, &[]);
        assert_eq!(hits(&v)[0]["doc"], seed(doc), "{q}: {v}");
    }
}
