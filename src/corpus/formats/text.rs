//! Plain text and Markdown: read whole, or streamed in chunks.

use super::encoding::{self, Detected, SAMPLE_BYTES};
use super::{Extracted, SkipReason};
use encoding_rs::Decoder;
use std::fs::File;
use std::io::{ErrorKind, Read, Seek, SeekFrom};
use std::path::Path;

/// Bytes read from disk at a time while streaming.
const BLOCK_BYTES: usize = 64 * 1024;

/// How far into an ASCII file a non-ASCII byte is looked for, to detect the
/// encoding from.
const SCAN_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a whole plain-text document from memory.
pub(super) fn read(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    let detected = encoding::detect(bytes, true)?;
    let text = encoding::decode(bytes, detected)?;
    Ok(Extracted {
        text,
        title: None,
        encoding: Some(detected.encoding.name()),
        warning: None,
    })
}

/// A piece of a streamed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChunk {
    /// Byte offset of the chunk in the whole decoded text (without its
    /// byte-order mark).
    pub offset: usize,
    /// The decoded text; the chunks laid end to end are the whole text.
    pub text: String,
}

/// Streams a plain-text file as chunks of about `chunk_bytes` bytes of
/// decoded text, each cut after a blank line (a paragraph boundary) or,
/// failing that, after a line end, or failing that at a character boundary.
///
/// The encoding is detected from the first megabyte (of a file that starts
/// with more than a megabyte of ASCII, from the first megabyte after it:
/// until then every candidate encoding reads the same). Fails before any chunk
/// for a file that can't be opened, is empty or binary; later read errors or
/// binary content end the iteration with one `Err` item.
pub fn stream_text(path: &Path, chunk_bytes: usize) -> Result<TextChunks, SkipReason> {
    let mut file = super::open_regular(path)?;
    let mut sample = Vec::with_capacity(SAMPLE_BYTES.min(BLOCK_BYTES * 4));
    (&mut file)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)?;
    let complete = sample.len() < SAMPLE_BYTES;
    if sample.is_empty() {
        return Err(SkipReason::Empty);
    }
    let mut detected = encoding::detect(&sample, complete)?;
    if !complete && sample.is_ascii() {
        // ASCII reads the same in every candidate: detect on the first
        // non-ASCII stretch further on, then go on after the sample.
        if let Some(later) = later_sample(&mut file)? {
            let found = encoding::detect(&later, false)?;
            // A byte-order mark, or UTF-16, makes no sense mid-file.
            if found.encoding.is_ascii_compatible() {
                detected = Detected {
                    encoding: found.encoding,
                    bom_len: 0,
                };
            }
        }
        file.seek(SeekFrom::Start(sample.len() as u64))?;
    }
    let mut decoder = detected.encoding.new_decoder_without_bom_handling();
    let mut pending = String::new();
    let body = sample.get(detected.bom_len..).unwrap_or_default();
    decode_into(&mut decoder, body, &mut pending, complete);
    if complete && pending.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    if pending.contains('\0') {
        return Err(SkipReason::Binary);
    }
    Ok(TextChunks {
        file,
        decoder,
        pending,
        offset: 0,
        chunk_bytes: chunk_bytes.max(1),
        eof: complete,
        done: false,
        #[cfg(test)]
        encoding: detected.encoding.name(),
    })
}

/// Reads on to the first byte that is not ASCII (within [`SCAN_BYTES`]) and
/// returns up to [`SAMPLE_BYTES`] from there.
fn later_sample(file: &mut File) -> Result<Option<Vec<u8>>, SkipReason> {
    let mut block = vec![0; BLOCK_BYTES];
    let mut scanned = 0u64;
    while scanned < SCAN_BYTES {
        let n = file.read(&mut block)?;
        if n == 0 {
            return Ok(None);
        }
        scanned += n as u64;
        if let Some(start) = block[..n].iter().position(|b| !b.is_ascii()) {
            let mut later = block[start..n].to_vec();
            let more = SAMPLE_BYTES.saturating_sub(later.len()) as u64;
            file.take(more).read_to_end(&mut later)?;
            return Ok(Some(later));
        }
    }
    Ok(None)
}

/// The chunks of a streamed text file; see [`stream_text`].
pub struct TextChunks {
    file: File,
    decoder: Decoder,
    pending: String,
    offset: usize,
    chunk_bytes: usize,
    eof: bool,
    done: bool,
    #[cfg(test)]
    encoding: &'static str,
}

impl TextChunks {
    /// The encoding detected (an encoding_rs name such as `"KOI8-R"`).
    #[cfg(test)]
    pub(crate) fn encoding(&self) -> &'static str {
        self.encoding
    }

    /// Reads and decodes one more block of the file.
    fn fill(&mut self) -> Result<(), SkipReason> {
        let mut block = vec![0; BLOCK_BYTES];
        let n = loop {
            match self.file.read(&mut block) {
                Ok(n) => break n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        };
        self.eof = n == 0;
        let start = self.pending.len();
        decode_into(&mut self.decoder, &block[..n], &mut self.pending, self.eof);
        if self.pending[start..].contains('\0') {
            return Err(SkipReason::Binary);
        }
        Ok(())
    }
}

impl Iterator for TextChunks {
    type Item = Result<TextChunk, SkipReason>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        while !self.eof && self.pending.len() < self.chunk_bytes {
            if let Err(e) = self.fill() {
                self.done = true;
                return Some(Err(e));
            }
        }
        if self.pending.is_empty() {
            self.done = true;
            return None;
        }
        let cut = if self.eof && self.pending.len() <= self.chunk_bytes {
            self.pending.len()
        } else {
            cut_point(&self.pending, self.chunk_bytes)
        };
        let rest = self.pending.split_off(cut);
        let text = std::mem::replace(&mut self.pending, rest);
        let chunk = TextChunk {
            offset: self.offset,
            text,
        };
        self.offset += cut;
        Some(Ok(chunk))
    }
}

/// Decodes `bytes` onto the end of `out`.
fn decode_into(decoder: &mut Decoder, bytes: &[u8], out: &mut String, last: bool) {
    let mut input = bytes;
    loop {
        let room = decoder
            .max_utf8_buffer_length(input.len())
            .unwrap_or(input.len().saturating_mul(3).saturating_add(16));
        out.reserve(room);
        let (result, read, _) = decoder.decode_to_string(input, out, last);
        input = input.get(read..).unwrap_or_default();
        if result == encoding_rs::CoderResult::InputEmpty {
            return;
        }
    }
}

/// Where to end a chunk of `text` no longer than `limit` bytes (unless a
/// single character is longer): after the last blank line, else after the
/// last line end, else at the last character boundary. Never 0 for a
/// non-empty text.
pub fn cut_point(text: &str, limit: usize) -> usize {
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text.as_bytes()[..end];
    let mut line_end = None;
    let mut after = end;
    for (i, &b) in head.iter().enumerate().rev() {
        if b != b'\n' {
            continue;
        }
        if line_end.is_none() {
            line_end = Some(i + 1);
        }
        // A blank line: only white space between this line end and the next.
        let line = &head[i + 1..after];
        if after < end && line.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r')) {
            return after + 1;
        }
        after = i;
    }
    match line_end {
        Some(cut) => cut,
        None if end > 0 => end,
        None => text.chars().next().map_or(text.len(), char::len_utf8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{KOI8_R, WINDOWS_1257};
    use std::io::Write;

    const LT: &str = "Vilniaus savivaldybė pranešė apie „Žalgirio“ stadiono darbus.";
    const RU: &str = "Комиссия в Москве обсудила строительство новых школ.";

    fn write_temp(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.txt");
        let mut f = File::create(&path).unwrap();
        f.write_all(bytes).unwrap();
        (dir, path)
    }

    fn collect(path: &Path, chunk: usize) -> Vec<TextChunk> {
        stream_text(path, chunk)
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    }

    #[test]
    fn reads_a_legacy_encoding_whole() {
        let (bytes, _, _) = WINDOWS_1257.encode(LT);
        let doc = read(&bytes).unwrap();
        assert_eq!(doc.text, LT);
        assert_eq!(doc.encoding, Some("windows-1257"));
        assert_eq!(doc.title, None);
    }

    #[test]
    fn cut_prefers_blank_lines_then_line_ends() {
        assert_eq!(cut_point("ab\n\ncd\nef", 8), 4);
        assert_eq!(cut_point("ab\r\n\r\ncd ef", 9), 6);
        assert_eq!(cut_point("ab\ncd ef", 7), 3);
        assert_eq!(cut_point("abcdef", 4), 4);
        assert_eq!(cut_point("жж", 3), 2);
        assert_eq!(cut_point("ж", 1), 2);
        assert_eq!(cut_point("\n\nab", 3), 2);
    }

    #[test]
    fn chunks_cut_at_paragraphs_and_rebuild_the_text() {
        let para = format!("{RU}\n{LT}\n\n");
        let text = para.repeat(500);
        let (_dir, path) = write_temp(text.as_bytes());
        let chunks = collect(&path, 1000);
        assert!(chunks.len() > 50);
        let mut offset = 0;
        for c in &chunks {
            assert_eq!(c.offset, offset);
            assert!(c.text.len() <= 1000);
            assert!(
                c.text.ends_with("\n\n"),
                "{:?}",
                &c.text[c.text.len() - 5..]
            );
            offset += c.text.len();
        }
        let joined: String = chunks.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn streams_a_legacy_encoding_larger_than_the_sample() {
        let text = format!("{RU}\n\n").repeat(SAMPLE_BYTES / 40);
        let (bytes, _, _) = KOI8_R.encode(&text);
        assert!(bytes.len() > SAMPLE_BYTES);
        let (_dir, path) = write_temp(&bytes);
        let stream = stream_text(&path, 256 * 1024).unwrap();
        assert_eq!(stream.encoding(), "KOI8-R");
        let chunks: Vec<_> = stream.collect::<Result<_, _>>().unwrap();
        let joined: String = chunks.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(read(&bytes).unwrap().text, text);
    }

    #[test]
    fn detects_past_a_long_ascii_start() {
        let mut text = "plain ascii line\n\n".repeat(SAMPLE_BYTES / 18 + 100);
        text.push_str(&format!("{RU}\n\n").repeat(50));
        let (bytes, _, _) = KOI8_R.encode(&text);
        let (_dir, path) = write_temp(&bytes);
        let stream = stream_text(&path, 256 * 1024).unwrap();
        assert_eq!(stream.encoding(), "KOI8-R");
        let joined: String = stream.map(|c| c.unwrap().text).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn streams_utf16_with_a_mark() {
        let text = format!("{LT}\n\n{RU}\n\n").repeat(20);
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (_dir, path) = write_temp(&bytes);
        let chunks = collect(&path, 300);
        assert_eq!(chunks[0].offset, 0);
        let joined: String = chunks.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn long_lines_are_cut_at_characters() {
        let text = "ž".repeat(5000);
        let (_dir, path) = write_temp(text.as_bytes());
        let chunks = collect(&path, 999);
        assert!(chunks.iter().all(|c| c.text.len() <= 999));
        let joined: String = chunks.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn bad_files_fail_before_streaming() {
        let (_d1, empty) = write_temp(b"");
        assert_eq!(stream_text(&empty, 10).err(), Some(SkipReason::Empty));
        let (_d2, blank) = write_temp(b" \n \n");
        assert_eq!(stream_text(&blank, 10).err(), Some(SkipReason::Empty));
        let (_d3, binary) = write_temp(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0");
        assert_eq!(stream_text(&binary, 10).err(), Some(SkipReason::Binary));
        assert_eq!(
            read(b"MZ\x90\0\x03\0\0\0\x04\0\0\0").err(),
            Some(SkipReason::Binary)
        );
    }

    #[test]
    fn binary_after_the_sample_ends_the_stream() {
        let mut bytes = "plain text line\n"
            .repeat(SAMPLE_BYTES / 16 + 10)
            .into_bytes();
        bytes.extend_from_slice(&[0; 64]);
        let (_dir, path) = write_temp(&bytes);
        let items: Vec<_> = stream_text(&path, 64 * 1024).unwrap().collect();
        assert_eq!(items.last(), Some(&Err(SkipReason::Binary)));
    }
}
