//! `repsearch eval relevance` on a small relevance file over the sample
//! corpus (tests/fixtures/relevance/seeds.jsonl, written for these tests).

use crate::util::{corpus, run};
use std::path::Path;

#[test]
fn eval_relevance_scores_the_engine_beside_the_baseline() {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/relevance/seeds.jsonl");
    let out = run(&[
        "eval",
        "relevance",
        gold.to_str().unwrap(),
        "--corpus",
        corpus().to_str().unwrap(),
    ]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // kind lang dir n MRR nDCG R@100 | baseline MRR nDCG R@100
    let row = |kind: &str, lang: &str| -> Vec<f64> {
        let line = report
            .lines()
            .find(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                f.len() > 3 && f[0] == kind && f[1] == lang
            })
            .unwrap_or_else(|| panic!("no {kind} {lang} row in\n{report}"));
        line.split_whitespace()
            .filter_map(|x| x.parse::<f64>().ok())
            .collect()
    };
    let lemma = row("lemma", "all");
    assert_eq!(lemma.len(), 7, "n, three measures, three baseline measures");
    assert_eq!(lemma[0], 2.0);
    assert_eq!(
        lemma[1], 1.0,
        "inflected forms rank their report first: {report}"
    );
    let xling = row("xling", "en");
    assert_eq!(xling[0], 3.0);
    assert_eq!(
        xling[1], 1.0,
        "English queries find the lt/ru reports: {report}"
    );
    assert!(
        xling[4] < xling[1],
        "plain tantivy misses across languages: {report}"
    );
}
