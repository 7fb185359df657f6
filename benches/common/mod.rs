//! Helpers shared by the whole-program bench binaries (`scale`, `serve`):
//! arguments, the corpus's files, the words query logs are drawn from, and
//! percentiles.

use std::path::{Path, PathBuf};

/// The value after `--name` on the command line.
pub fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// The `.txt` files of a corpus folder, in path order.
pub fn corpus_files(corpus: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(corpus)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.into_path())
        .collect()
}

/// The words (5+ letters) of a file picked at random, for one query of a
/// log; `None` when the file is unreadable or has fewer than three.
pub fn random_words(files: &[PathBuf], rng: &mut fastrand::Rng) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(&files[rng.usize(0..files.len())]).ok()?;
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().count() >= 5 && w.chars().all(char::is_alphabetic))
        .map(String::from)
        .collect();
    (words.len() >= 3).then_some(words)
}

/// The `p` quantile of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}
