//! Property tests over what parses user input and text: the query parser,
//! the analyzers and the passage splitter never panic, and offsets always
//! point at character boundaries of the original text.

use crate::util::seed_index;
use proptest::prelude::*;
use repsearch::analysis::analyze_passage;
use repsearch::search::{query, SearchRequest, Searcher};
use repsearch::{passage, Language};
use std::sync::OnceLock;

fn text_strategy() -> impl Strategy<Value = String> {
    // mixes scripts, quotes, operators, combining marks, invisible characters
    prop::collection::vec(
        prop_oneof![
            Just("robotika".to_string()),
            Just("Металлургия".to_string()),
            Just("\"".to_string()),
            Just(" AND ".to_string()),
            Just(" OR ".to_string()),
            Just("-".to_string()),
            Just("+".to_string()),
            Just("\u{00AD}".to_string()),
            Just("e\u{0307}".to_string()),
            Just("\n\n".to_string()),
            Just("~2".to_string()),
            Just("~".to_string()),
            Just("*".to_string()),
            Just("robot*".to_string()),
            Just(":".to_string()),
            Just("..".to_string()),
            Just("lang:".to_string()),
            Just("lang:ru".to_string()),
            Just("country:".to_string()),
            Just("country:Japonija".to_string()),
            Just("city:\"".to_string()),
            Just("year:".to_string()),
            Just("year:2015..2020".to_string()),
            Just("year:..20".to_string()),
            Just("10:30".to_string()),
            Just(". ".to_string()),
            any::<char>().prop_map(|c| c.to_string()),
            "[a-zA-Z0-9ąčęėįšųūž ]{0,12}",
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn query_parser_never_panics(q in text_strategy()) {
        check_parse(&q)?;
    }

    #[test]
    fn search_never_panics(q in text_strategy()) {
        check_search(&q)?;
    }

    #[test]
    fn analysis_offsets_are_char_boundaries(t in text_strategy()) {
        for lang in [None, Some(Language::Lithuanian), Some(Language::Russian)] {
            let terms = analyze_passage(&t, lang);
            for term in terms.exact.iter().chain(&terms.stem).chain(&terms.fold) {
                prop_assert!(t.is_char_boundary(term.start) && t.is_char_boundary(term.end));
                prop_assert!(term.start < term.end);
                prop_assert!(!term.text.is_empty());
            }
        }
    }

    #[test]
    fn passages_are_ordered_char_ranges(t in text_strategy()) {
        let mut prev = 0;
        for p in passage::split(&t) {
            prop_assert!(p.range.start >= prev && p.range.start < p.range.end);
            prop_assert!(t.is_char_boundary(p.range.start) && t.is_char_boundary(p.range.end));
            prev = p.range.end;
        }
    }
}

fn check_parse(q: &str) -> Result<(), TestCaseError> {
    match query::parse(q) {
        Ok(p) => prop_assert!(!p.clauses.is_empty() || !p.filters.is_empty()),
        Err(e) => {
            prop_assert!(e.position <= q.chars().count(), "{q:?}: {e}");
            prop_assert!(!e.to_string().contains('\n'), "{q:?}: {e}");
        }
    }
    match query::parse_plain(q) {
        Ok(p) => prop_assert!(p.filters.is_empty() && p.clauses.iter().all(|c| !c.prefix)),
        Err(_) => prop_assert!(q.trim().is_empty(), "--plain fails only on empty: {q:?}"),
    }
    Ok(())
}

fn searcher() -> &'static Searcher {
    static S: OnceLock<Searcher> = OnceLock::new();
    S.get_or_init(|| Searcher::open(&seed_index().join("index")).unwrap())
}

/// A real search (expansions, filters, collapsing, explain) either answers
/// or fails with a one-line user error.
fn check_search(q: &str) -> Result<(), TestCaseError> {
    for plain in [false, true] {
        let mut req = SearchRequest::new(q);
        req.plain = plain;
        req.explain = true;
        match searcher().search(&req) {
            Ok(r) => prop_assert!(r.hits.len() <= req.limit),
            Err(e) => {
                prop_assert!(e.is_user(), "{q:?}: {e}");
                prop_assert!(!e.to_string().contains('\n'), "{q:?}: {e}");
                prop_assert!(!plain || q.trim().is_empty(), "--plain: {q:?}: {e}");
            }
        }
    }
    Ok(())
}

/// Inputs that once crashed or misbehaved (tests/fixtures/query-crashes.txt),
/// replayed through the parsers and a real search.
#[test]
fn query_crash_corpus() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/query-crashes.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let q = line.replace("\\n", "\n").replace("\\t", "\t");
        check_parse(&q).unwrap();
        check_search(&q).unwrap();
    }
}

/// Inputs that once crashed or misbehaved, kept as regression tests.
#[test]
fn query_regressions() {
    for q in [
        "\"",
        "\"\"",
        "+",
        "-",
        "AND",
        "a AND",
        "NOT",
        "a OR OR b",
        "“",
        "\u{00AD}",
        "e\u{0307}\"",
    ] {
        let _ = query::parse(q);
    }
}
