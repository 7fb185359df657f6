//! Finding and reading the documents of a corpus folder.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// File extensions read as documents.
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "md"];

/// A file the corpus walk found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CorpusFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to the corpus folder, with `/` separators.
    pub rel: String,
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Path relative to the corpus folder (or as found).
    pub rel: String,
    /// The reason, for the summary.
    pub reason: String,
}

/// A document read from disk.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// Its text.
    pub text: String,
}

/// Walks a corpus folder recursively; returns the document files in a fixed
/// order and the files skipped on the way.
pub fn walk(corpus: &Path) -> Result<(Vec<CorpusFile>, Vec<Skipped>)> {
    if !corpus.is_dir() {
        return Err(Error::user(format!(
            "corpus folder '{}' not found: pass --corpus DIR with a folder of reports",
            corpus.display()
        )));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for entry in walkdir::WalkDir::new(corpus)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| rel_path(corpus, p))
                    .unwrap_or_else(|| corpus.display().to_string());
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map(|io| io.to_string())
                        .unwrap_or_else(|| e.to_string())
                };
                skipped.push(Skipped { rel, reason });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext {
            Some(e) if TEXT_EXTENSIONS.contains(&e.as_str()) => files.push(CorpusFile {
                rel: rel_path(corpus, path),
                path: path.to_path_buf(),
            }),
            _ => skipped.push(Skipped {
                rel: rel_path(corpus, path),
                reason: "not a supported format".to_string(),
            }),
        }
    }
    Ok((files, skipped))
}

fn rel_path(corpus: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(corpus).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a document as UTF-8 text.
pub fn read(file: &CorpusFile) -> Result<RawDocument, String> {
    let bytes = std::fs::read(&file.path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.trim().is_empty() {
        return Err("empty file".to_string());
    }
    Ok(RawDocument { text })
}
