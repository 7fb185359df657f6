//! Property tests over what parses user input and text: the query parser,
//! the analyzers and the passage splitter never panic, and offsets always
//! point at character boundaries of the original text.

use proptest::prelude::*;
use repsearch::analysis::analyze_passage;
use repsearch::search::query;
use repsearch::{passage, Language};

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
        match query::parse(&q) {
            Ok(clauses) => prop_assert!(!clauses.is_empty()),
            Err(e) => prop_assert!(e.position <= q.chars().count()),
        }
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
