//! `repsearch analyze` shows the terms each field indexes.

use crate::util::run;
use serde_json::Value;

fn field_terms(lang: &str, text: &str, field: &str) -> Vec<String> {
    let out = run(&["analyze", "--json", "--lang", lang, text]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == field)
        .expect(field);
    f["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["term"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn lithuanian_stems_of_panevezys_forms_are_equal() {
    assert_eq!(
        field_terms("lt", "Panevėžio", "stem_lt"),
        field_terms("lt", "Panevėžys", "stem_lt")
    );
}

#[test]
fn russian_stems_of_metallurgy_forms_are_equal() {
    assert_eq!(
        field_terms("ru", "Металлургии", "stem_ru"),
        field_terms("ru", "металлургия", "stem_ru")
    );
}

#[test]
fn plain_output_names_every_field() {
    let out = run(&["analyze", "--lang", "lt", "Panevėžio"]);
    let s = String::from_utf8_lossy(&out.stdout);
    let stem_line = s
        .lines()
        .find(|l| l.starts_with("stem_lt:"))
        .expect("stem_lt line");
    let out2 = run(&["analyze", "--lang", "lt", "Panevėžys"]);
    let s2 = String::from_utf8_lossy(&out2.stdout);
    assert_eq!(
        Some(stem_line),
        s2.lines().find(|l| l.starts_with("stem_lt:"))
    );
    assert!(s
        .lines()
        .any(|l| l.starts_with("exact:") && l.contains("panevėžio")));
    assert!(s
        .lines()
        .any(|l| l.starts_with("fold:") && l.contains("panevezio")));
}

#[test]
fn folded_field_transliterates_cyrillic() {
    let terms = field_terms("ru", "Липецкий", "fold");
    assert!(terms.iter().any(|t| t.starts_with("lipetsk")), "{terms:?}");
}
