//! Finding and reading the documents of a corpus folder.

pub mod formats;

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Suffix of the optional metadata file beside a document.
pub const META_SUFFIX: &str = ".meta.json";

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
    /// Its text (paragraphs separated by blank lines).
    pub text: String,
    /// Title from the format's metadata, if it has one.
    pub title: Option<String>,
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
        if path.to_string_lossy().ends_with(META_SUFFIX) {
            continue; // metadata of a document, read with it
        }
        let rel = rel_path(corpus, path);
        match formats::Format::from_path(path) {
            Some(_) => files.push(CorpusFile {
                rel,
                path: path.to_path_buf(),
            }),
            None => skipped.push(Skipped {
                rel,
                reason: "unsupported format".to_string(),
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

/// Reads a document in any supported format and encoding; the error is the
/// reason it was skipped, for the summary.
pub fn read(file: &CorpusFile) -> Result<RawDocument, String> {
    let extracted = formats::read_document(&file.path).map_err(|e| e.to_string())?;
    if extracted.text.trim().is_empty() {
        return Err("no text".to_string());
    }
    Ok(RawDocument {
        text: extracted.text,
        title: extracted.title,
    })
}
