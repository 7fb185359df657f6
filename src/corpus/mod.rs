//! Finding and reading the documents of a corpus folder.

pub mod formats;

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Suffix of the optional metadata file beside a document.
pub(crate) const META_SUFFIX: &str = ".meta.json";

/// A file the corpus walk found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CorpusFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to the corpus folder, with `/` separators, kept
    /// losslessly (see [`rel_path`]): the document's id.
    pub rel: String,
    /// Its metadata file (`NAME.meta.json`), if there is one beside it.
    pub meta: Option<MetaFile>,
}

/// A document's metadata file, found by the walk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct MetaFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to the corpus folder (as [`rel_path`] writes it).
    pub rel: String,
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// Path relative to the corpus folder (or as found).
    pub rel: String,
    /// The reason, for the summary.
    pub reason: FileProblem,
}

/// Why a file was not indexed, or was indexed with a problem: typed until
/// the summary prints it (as its `Display`, grouped by [`FileProblem::kind`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    /// The format's reader refused the file or could not read it.
    #[error("{0}")]
    Format(#[from] formats::SkipReason),
    /// A symbolic link that leads back to one of its own folders.
    #[error("symbolic link loop")]
    LinkLoop,
    /// An entry the walk could not read, with no more detail.
    #[error("read error")]
    Unreadable,
    /// A FIFO, a socket or a device (never opened); the kind of file.
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    /// A metadata file with no document beside it.
    #[error("{}", ORPHAN_META)]
    OrphanMeta,
    /// A `NAME.meta.json` left out for the document's `NAME.EXT.meta.json`.
    #[error("{}", SHADOWED_META)]
    ShadowedMeta,
    /// The file has no text (once read).
    #[error("no text")]
    NoText,
    /// The analysis failed (panicked) before any passage; its message.
    #[error("internal error while analysing: {0}")]
    Panicked(String),
    /// A metadata file that was ignored (the document is indexed without
    /// it); what is wrong with it.
    #[error("bad metadata: {0} (the document is indexed without it)")]
    BadMetadata(String),
    /// Indexed up to a read error.
    #[error("indexed up to a read error: {0}")]
    ReadErrorMidway(Box<FileProblem>),
    /// Indexed up to an internal error (a panic); its message.
    #[error("indexed up to an internal error: {0}")]
    PanicMidway(String),
    /// The format's warning: the text may be incomplete (cut at a cap, a
    /// PDF stream left out), as the format words it.
    #[error("{0}")]
    Incomplete(String),
}

impl FileProblem {
    /// The kind of problem, to count files by in the summary: the message
    /// without its details.
    pub fn kind(&self) -> String {
        use formats::SkipReason as R;
        let kind = match self {
            FileProblem::Format(r) => match r {
                R::Empty | R::Binary | R::PermissionDenied | R::Unsupported => "",
                R::Undecodable(_) => "undecodable text",
                R::BrokenArchive(_) => "broken archive",
                R::UnreadablePdf(_) => "unreadable PDF",
                R::TooLarge { .. } => "too large",
                R::Io(_) => "read error",
            },
            FileProblem::ShadowedMeta => "metadata not used",
            FileProblem::Panicked(_) => "internal error while analysing",
            FileProblem::BadMetadata(_) => "bad metadata",
            FileProblem::ReadErrorMidway(_) => "indexed up to a read error",
            FileProblem::PanicMidway(_) => "indexed up to an internal error",
            // worded by each format, its kind ahead of any ':'
            FileProblem::Incomplete(w) => w.split(':').next().unwrap_or(""),
            _ => "",
        };
        if kind.is_empty() {
            self.to_string()
        } else {
            kind.to_string()
        }
    }
}

/// Why the walk passes over a metadata file with no document beside it.
pub(crate) const ORPHAN_META: &str = "metadata without a document beside it";
/// The reason of a `NAME.meta.json` not used because `NAME.EXT.meta.json`
/// beside the same document comes first.
pub(crate) const SHADOWED_META: &str =
    "metadata not used: NAME.EXT.meta.json beside the document comes first";

/// A document read from disk.
#[derive(Debug, Clone)]
pub(crate) struct RawDocument {
    /// Its text (paragraphs separated by blank lines).
    pub text: String,
    /// Title from the format's metadata, if it has one.
    pub title: Option<String>,
    /// Why the text may be incomplete (cut at a cap, a PDF stream left
    /// out), to be listed in the summary.
    pub warning: Option<String>,
}

/// Walks a corpus folder recursively; returns the document files in a fixed
/// order, each with its metadata file, and the files skipped on the way:
/// unreadable entries, link loops, files that are not regular files (a FIFO
/// is never opened), unsupported formats and metadata files with no
/// document beside them.
pub(crate) fn walk(corpus: &Path) -> Result<(Vec<CorpusFile>, Vec<Skipped>)> {
    if !corpus.is_dir() {
        return Err(Error::command(format!(
            "corpus folder '{}' not found: pass --corpus DIR with a folder of reports",
            corpus.display()
        )));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut metas: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(corpus)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // an index folder of repsearch inside the corpus holds no documents
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || !e.path().join(crate::store::FOLDER_MARK).exists()
        })
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| rel_path(corpus, p))
                    .unwrap_or_else(|| corpus.display().to_string());
                skipped.push(Skipped {
                    rel,
                    reason: walk_error(e),
                });
                continue;
            }
        };
        let path = entry.path();
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            skipped.push(Skipped {
                rel: rel_path(corpus, path),
                reason: FileProblem::NotRegular(kind_name(kind)),
            });
            continue;
        }
        if path
            .as_os_str()
            .as_encoded_bytes()
            .ends_with(META_SUFFIX.as_bytes())
        {
            metas.insert(path.to_path_buf(), false); // read with its document
            continue;
        }
        let rel = rel_path(corpus, path);
        match formats::Format::from_path(path) {
            Some(_) => files.push(CorpusFile {
                rel,
                path: path.to_path_buf(),
                meta: None,
            }),
            None => skipped.push(Skipped {
                rel,
                reason: formats::SkipReason::Unsupported.into(),
            }),
        }
    }
    skipped.extend(pair_metadata(corpus, &mut files, metas));
    Ok((files, skipped))
}

/// Gives each document its metadata file (`metas`: every one the walk
/// found); returns the metadata files left over: shadowed by the
/// document's other one, or with no document beside them.
fn pair_metadata(
    corpus: &Path,
    files: &mut [CorpusFile],
    mut metas: BTreeMap<PathBuf, bool>,
) -> Vec<Skipped> {
    // a metadata file beside a document whose other metadata file applies
    let mut shadowed = std::collections::HashSet::new();
    for f in files.iter_mut() {
        for path in meta_candidates(&f.path) {
            if let Some(claimed) = metas.get_mut(&path) {
                if f.meta.is_some() {
                    shadowed.insert(path);
                    continue;
                }
                *claimed = true;
                f.meta = Some(MetaFile {
                    rel: rel_path(corpus, &path),
                    path,
                });
            }
        }
    }
    metas
        .into_iter()
        .filter(|(_, claimed)| !claimed)
        .map(|(path, _)| Skipped {
            rel: rel_path(corpus, &path),
            reason: if shadowed.contains(&path) {
                FileProblem::ShadowedMeta
            } else {
                FileProblem::OrphanMeta
            },
        })
        .collect()
}

/// Where a document's metadata may be, in order of preference:
/// `NAME.txt.meta.json`, then `NAME.meta.json`.
pub(crate) fn meta_candidates(doc: &Path) -> [PathBuf; 2] {
    let mut full = doc.as_os_str().to_owned();
    full.push(META_SUFFIX);
    [PathBuf::from(full), doc.with_extension("meta.json")]
}

/// The reason of an entry the walk could not read, spelt as the readers
/// spell theirs ([`formats::SkipReason`]).
fn walk_error(e: walkdir::Error) -> FileProblem {
    if e.loop_ancestor().is_some() {
        return FileProblem::LinkLoop;
    }
    match e.into_io_error() {
        Some(io) => formats::SkipReason::from(io).into(),
        None => FileProblem::Unreadable,
    }
}

/// What kind of file system entry a file type is, for a skip reason.
fn kind_name(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "FIFO";
        }
        if kind.is_socket() {
            return "socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "device";
        }
    }
    let _ = kind;
    "special file"
}

/// The id of a file: its path relative to the corpus folder, with `/`
/// separators, kept losslessly so that two files never share an id. A
/// byte that is not part of valid UTF-8 is written `%XX` (two upper-case
/// hex digits), and a `%` that is followed by two hex digits is written
/// `%25`; every other name is kept as it is (see [`unescape_rel`]).
pub(crate) fn rel_path(corpus: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(corpus).unwrap_or(path);
    rel.components()
        .map(|c| escape_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// One file name, escaped as [`rel_path`] describes.
pub(crate) fn escape_name(name: &OsStr) -> String {
    use std::fmt::Write as _;
    let bytes = name.as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    let hex = |b: Option<&u8>| b.is_some_and(u8::is_ascii_hexdigit);
    for chunk in bytes.utf8_chunks() {
        // a valid run ends at an invalid byte (escaped with '%') or at the
        // end of the name: looking ahead inside the run is enough
        let valid = chunk.valid();
        let b = valid.as_bytes();
        for (i, c) in valid.char_indices() {
            if c == '%' && hex(b.get(i + 1)) && hex(b.get(i + 2)) {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The bytes of the relative path that [`rel_path`] escaped.
#[cfg(test)]
pub(crate) fn unescape_rel(rel: &str) -> Vec<u8> {
    let b = rel.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b.get(i + 1..i + 3).and_then(|h| {
            std::str::from_utf8(h)
                .ok()
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        });
        match (b[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Reads a document in any supported format and encoding; the error is the
/// reason it was skipped, for the summary.
pub(crate) fn read(file: &CorpusFile) -> Result<RawDocument, FileProblem> {
    let extracted = formats::read_document(&file.path)?;
    if extracted.text.trim().is_empty() {
        return Err(FileProblem::NoText);
    }
    Ok(RawDocument {
        text: extracted.text,
        title: extracted.title,
        warning: extracted.warning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_problem_is_counted_by_its_kind_and_printed_whole() {
        use formats::SkipReason;
        let cases = [
            (FileProblem::Format(SkipReason::Binary), "binary content"),
            (
                FileProblem::Format(SkipReason::TooLarge { size: 9, limit: 1 }),
                "too large",
            ),
            (FileProblem::NotRegular("FIFO"), "not a regular file (FIFO)"),
            (FileProblem::ShadowedMeta, "metadata not used"),
            (FileProblem::OrphanMeta, ORPHAN_META),
            (FileProblem::BadMetadata("x".into()), "bad metadata"),
            (
                FileProblem::ReadErrorMidway(Box::new(SkipReason::PermissionDenied.into())),
                "indexed up to a read error",
            ),
        ];
        for (p, kind) in cases {
            assert_eq!(p.kind(), kind, "{p}");
            assert!(p.to_string().starts_with(kind), "{p}");
        }
        assert_eq!(
            FileProblem::Panicked("boom".into()).to_string(),
            "internal error while analysing: boom"
        );
    }

    #[cfg(unix)]
    fn os(bytes: &[u8]) -> &OsStr {
        use std::os::unix::ffi::OsStrExt;
        OsStr::from_bytes(bytes)
    }

    #[test]
    #[cfg(unix)]
    fn names_are_escaped_losslessly_and_utf8_names_kept() {
        // ordinary names, a lone '%' and '%' before non-hex stay as they are
        for name in [
            "report.txt",
            "Ataskaita 2019 m..txt",
            "50% done.txt",
            "a%zz",
            "ünï",
        ] {
            assert_eq!(escape_name(os(name.as_bytes())), name);
        }
        let cases: [(&[u8], &str); 6] = [
            (b"coll_\xff.txt", "coll_%FF.txt"),
            (b"coll_\xfe.txt", "coll_%FE.txt"),
            (b"coll_%FF.txt", "coll_%25FF.txt"),
            (b"%41%\xff%", "%2541%%FF%"),
            (b"\xc3(", "%C3("),
            (b"%%ab", "%%25ab"),
        ];
        for (raw, escaped) in cases {
            assert_eq!(escape_name(os(raw)), escaped);
            assert_eq!(unescape_rel(escaped), raw);
        }
        // every name of a few bytes round-trips
        let alphabet = [b'%', b'A', b'f', b'1', b'z', 0xff, 0xc3, 0xa9];
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    let raw = [a, b, c, b'%'];
                    assert_eq!(unescape_rel(&escape_name(os(&raw))), raw);
                }
            }
        }
    }
}
