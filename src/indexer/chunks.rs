//! A document's text, read whole or in chunks, and the first pass over a
//! long document that finds its facets.
//!
//! Analysing a text takes many times its size in memory (words, places,
//! passages, their tokens): a document whose text is longer than one chunk
//! — a plain-text file streamed from disk, or a long text that any format
//! returned whole — is analysed chunk by chunk, so memory is bounded by the
//! chunk, not the document. Its facets must still be the whole document's:
//! a first pass over the chunks extracts the places and the year's evidence
//! (only those sets are kept, [`FacetScan`]), and the second pass indexes
//! the passages with the final values.

use super::document::{self, FacetScan};
use crate::corpus::{self, formats, CorpusFile, FileProblem};
// the same cut as a streamed file's, so a text is cut alike whether it was
// streamed or read whole
use formats::cut_point;
use std::ops::ControlFlow;
use std::path::PathBuf;

/// Largest chunk of text analysed at once, in bytes. Analysing a chunk
/// peaks at about 40 times its size (measured: a 30 MB text analysed whole
/// peaked at 6.6 GB), so two threads analysing 1 MB chunks stay far
/// below the 1.5 GiB budget, with room for the writer's own memory.
pub(crate) const ANALYSIS_CHUNK_BYTES: usize = 1 << 20;

/// The chunk size for a `--stream-mb` threshold: the threshold, at least
/// 64 KB and at most [`ANALYSIS_CHUNK_BYTES`].
pub(crate) fn chunk_bytes(stream_bytes: u64) -> usize {
    usize::try_from(stream_bytes)
        .unwrap_or(usize::MAX)
        .clamp(1 << 16, ANALYSIS_CHUNK_BYTES)
}

/// Where a document's text comes from.
pub(crate) enum Source {
    /// The whole text in memory (any format), with the format's title.
    Whole {
        /// The text.
        text: String,
        /// The format's own title, if any.
        title: Option<String>,
        /// The format's warning (text cut at a cap), if any.
        warning: Option<String>,
    },
    /// A plain-text file read from disk chunk by chunk.
    Stream(PathBuf),
}

impl Source {
    /// Opens a corpus file: plain text over `stream_bytes` is streamed,
    /// anything else read whole. The error is the reason to skip the file.
    pub(crate) fn open(
        file: &CorpusFile,
        size: u64,
        stream_bytes: u64,
    ) -> Result<Source, FileProblem> {
        let streamable = formats::Format::from_path(&file.path).is_some_and(|f| f.can_stream());
        if streamable && size > stream_bytes {
            return Ok(Source::Stream(file.path.clone()));
        }
        let raw = corpus::read(file)?;
        Ok(Source::Whole {
            text: raw.text,
            title: raw.title,
            warning: raw.warning,
        })
    }

    /// Why the format's text may be incomplete, if it may.
    pub(crate) fn warning(&self) -> Option<&str> {
        match self {
            Source::Whole { warning, .. } => warning.as_deref(),
            Source::Stream(_) => None,
        }
    }

    /// The format's own title.
    pub(crate) fn title(&self) -> Option<&str> {
        match self {
            Source::Whole { title, .. } => title.as_deref(),
            Source::Stream(_) => None,
        }
    }

    /// True when the text is analysed in more than one chunk of `chunk`
    /// bytes.
    pub(crate) fn is_chunked(&self, chunk: usize) -> bool {
        match self {
            Source::Whole { text, .. } => text.len() > chunk,
            Source::Stream(_) => true,
        }
    }

    /// Calls `f` with each chunk of at most `chunk` bytes (unless a single
    /// line is longer), cut after a blank line where possible, in order:
    /// its byte offset in the document and its text, until `f` breaks. A
    /// read error ends the chunks: its reason is the error.
    pub(crate) fn for_each_chunk(
        &self,
        chunk: usize,
        f: &mut dyn FnMut(usize, &str) -> ControlFlow<()>,
    ) -> Result<(), FileProblem> {
        match self {
            Source::Whole { text, .. } => {
                let mut start = 0;
                while start < text.len() {
                    let rest = &text[start..];
                    let cut = if rest.len() <= chunk {
                        rest.len()
                    } else {
                        cut_point(rest, chunk)
                    };
                    if f(start, &rest[..cut]).is_break() {
                        break;
                    }
                    start += cut;
                }
                Ok(())
            }
            Source::Stream(path) => {
                for c in formats::stream_text(path, chunk)? {
                    let c = c?;
                    if f(c.offset, &c.text).is_break() {
                        break;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The message of a caught panic.
pub(crate) fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// The first pass over a chunked document: the places and year evidence
/// of every chunk. Fails (with the reason to skip the file) only when the
/// first chunk cannot be read or analysed; a later failure ends the pass,
/// and the second pass indexes up to the same point.
pub(crate) fn scan_facets(source: &Source, chunk: usize) -> Result<FacetScan, FileProblem> {
    let mut scan = FacetScan::default();
    let mut chunks = 0;
    let mut failed = None;
    let read = source.for_each_chunk(chunk, &mut |_, text| {
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let x = document::extract_chunk(text);
            scan.add(&x, text);
        }));
        match found {
            Ok(()) => {
                chunks += 1;
                ControlFlow::Continue(())
            }
            Err(p) => {
                failed = Some(FileProblem::Panicked(panic_message(p)));
                ControlFlow::Break(())
            }
        }
    });
    match (read, failed) {
        (Err(reason), _) | (_, Some(reason)) if chunks == 0 => Err(reason),
        _ => Ok(scan),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_text_chunks_lay_end_to_end_and_cut_at_blank_lines() {
        let text =
            "Pirma pastraipa apie Kauną.\n\nAntra pastraipa.\nTęsinys.\n\nTrečia.\n".repeat(50);
        let source = Source::Whole {
            text: text.clone(),
            title: None,
            warning: None,
        };
        let mut joined = String::new();
        let mut n = 0;
        source
            .for_each_chunk(300, &mut |offset, c| {
                assert_eq!(offset, joined.len());
                assert!(c.len() <= 300);
                assert!(
                    c.ends_with("\n\n") || offset + c.len() == text.len(),
                    "{c:?}"
                );
                joined.push_str(c);
                n += 1;
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(joined, text);
        assert!(n > 10);
        assert!(source.is_chunked(300) && !source.is_chunked(text.len()));
    }
}
