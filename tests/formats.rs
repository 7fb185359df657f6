//! Real inputs: documents in several formats and encodings, and bad files,
//! indexed together (fixtures in tests/fixtures/formats, see its README).

use crate::util::{docs_for, run};
use repsearch::corpus::formats::read_document;
use repsearch::passage;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

/// The UTF-8 original's paragraphs (the Markdown file without its heading mark).
fn original_paragraphs() -> Vec<String> {
    let md = std::fs::read_to_string(fixtures().join("report.utf-8.md")).unwrap();
    md.split("\n\n")
        .map(|p| p.trim().trim_start_matches("# ").to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn passages_of(text: &str) -> Vec<String> {
    passage::split(text)
        .iter()
        .map(|p| p.text(text).to_string())
        .collect()
}

#[test]
fn legacy_encodings_decode_to_the_same_passages_as_utf8() {
    let paras = original_paragraphs();
    let lt = paras[..3].join("\n\n");
    let ru = paras[3..].join("\n\n");
    let all = paras.join("\n\n");
    for (file, original) in [
        ("report-lt.windows-1257.txt", &lt),
        ("report-lt.iso-8859-13.txt", &lt),
        ("report-ru.windows-1251.txt", &ru),
        ("report-ru.koi8-r.txt", &ru),
        ("report.utf-16le.txt", &all),
    ] {
        let doc = read_document(&fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(passages_of(&doc.text), passages_of(original), "{file}");
    }
}

#[test]
fn every_format_is_indexed_and_bad_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("i");
    let out = run(&[
        "index",
        "--corpus",
        fixtures().to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "skipped files give exit code 1: {summary}"
    );
    for (file, reason) in [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary content"),
        ("broken.docx", "broken archive"),
        ("broken.pdf", "unreadable PDF"),
        ("make_fixtures.py", "unsupported format"),
    ] {
        assert!(
            summary
                .lines()
                .any(|l| l.contains(file) && l.contains(reason)),
            "{file}: {reason} not reported in\n{summary}"
        );
    }
    let docs = docs_for(&idx, "Klaipėdoje");
    for f in [
        "report.docx",
        "report.odt",
        "report.pdf",
        "report.html",
        "report-lt.windows-1257.txt",
        "report-lt.iso-8859-13.txt",
        "report.utf-16le.txt",
        "report.utf-8.md",
    ] {
        assert!(
            docs.iter().any(|d| d == f),
            "{f} not found by its text: {docs:?}"
        );
    }
    let out = run(&[
        "search",
        "--json",
        "--index",
        idx.to_str().unwrap(),
        "Klaipėdoje",
        "--lang",
        "lt",
        "--limit",
        "100",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let titled = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["doc"] == "report.docx")
        .unwrap();
    assert_eq!(
        titled["title"], "Metinė ataskaita 2024",
        "the format's own title"
    );
    let docs = docs_for(&idx, "Новосибирске");
    assert!(
        docs.iter().any(|d| d == "report-ru.koi8-r.txt")
            && docs.iter().any(|d| d == "report-ru.windows-1251.txt"),
        "{docs:?}"
    );
}
