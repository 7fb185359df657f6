//! One test per city rule, on sentences written for it: the rule decides
//! what its name says.

use crate::extract::explain;
use crate::lang::Language;

/// Explores the decisions on the lines of `$EXPLORE` (`lang<TAB>text`).
#[test]
#[ignore]
fn explore() {
    let Ok(path) = std::env::var("EXPLORE") else {
        return;
    };
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let (code, text) = line.split_once('\t').unwrap();
        println!("== {text}");
        for d in explain(text, Language::from_code(code)) {
            println!("  {:?} {} {}", d.mention.text, d.kept, d.rule);
        }
    }
}
