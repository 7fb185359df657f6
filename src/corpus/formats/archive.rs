//! Zip containers (docx, odt): opening them, reading one XML part as a
//! stream with a cap on its inflated size, and the XML helpers both formats
//! share.

use super::{clean_title, Extracted, SkipReason, MAX_PART_BYTES, MAX_TEXT_BYTES};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use std::io::{BufRead, BufReader, Cursor, Read};
use zip::result::ZipError;
use zip::ZipArchive;

/// A zip archive read from memory.
pub(super) type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// The XML reader of one part, as the formats' paragraph readers take it.
pub(super) type PartReader<'r> = Reader<&'r mut dyn BufRead>;

/// Most bytes of a metadata part read for its title.
const MAX_META_BYTES: u64 = 1024 * 1024;

/// Opens a zip archive.
pub(super) fn open(bytes: &[u8]) -> Result<Archive<'_>, SkipReason> {
    ZipArchive::new(Cursor::new(bytes)).map_err(|e| SkipReason::BrokenArchive(e.to_string()))
}

/// A reader giving at most `left` bytes of another, and noting whether the
/// other had more: how a part's inflated size is capped without reading it
/// all first.
pub(super) struct Capped<R> {
    inner: R,
    left: u64,
    /// The inner reader had more than the cap.
    pub(super) over: bool,
}

impl<R: Read> Capped<R> {
    pub(super) fn new(inner: R, cap: u64) -> Self {
        Capped {
            inner,
            left: cap,
            over: false,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            if !self.over && !buf.is_empty() {
                let mut probe = [0u8; 1];
                self.over = self.inner.read(&mut probe)? > 0;
            }
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Why a part could not be opened: missing (`Ok(None)`) or a broken archive.
fn part<'z, 'a>(
    archive: &'z mut Archive<'a>,
    name: &str,
) -> Result<Option<zip::read::ZipFile<'z, Cursor<&'a [u8]>>>, SkipReason> {
    match archive.by_name(name) {
        Ok(entry) => Ok(Some(entry)),
        Err(ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(SkipReason::BrokenArchive(format!("{name}: {e}"))),
    }
}

/// The text of the first `title` element (any namespace, e.g. `dc:title`) of
/// a metadata part, if the part is there and the title is not empty.
pub(super) fn part_title(archive: &mut Archive<'_>, name: &str) -> Option<String> {
    let entry = part(archive, name).ok()??;
    let mut input = BufReader::new(Capped::new(entry, MAX_META_BYTES));
    let mut reader = Reader::from_reader(&mut input);
    let mut buf = Vec::new();
    let mut inside = false;
    let mut title = String::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "title" => inside = true,
            Event::End(e) if inside && e.local_name().as_ref() == "title" => break,
            Event::Text(t) if inside => title.push_str(&t.xml10_content()),
            Event::CData(t) if inside => title.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside => push_ref(&mut title, &r),
            Event::Eof => break,
            _ => {}
        }
    }
    clean_title(&title)
}

/// Appends the character an entity or character reference stands for;
/// unknown entities are dropped.
pub(super) fn push_ref(out: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    let c = match r.xml10_content().as_ref() {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return,
    };
    out.push(c);
}

/// How a format's body XML maps to paragraphs: the one thing docx and odt
/// differ in (their reading loop is [`paragraphs`]).
pub(super) struct Vocabulary {
    /// Elements left out with everything inside them.
    pub(super) skipped: &'static [&'static str],
    /// Elements that are paragraphs (they may nest: table cells).
    pub(super) paragraphs: &'static [&'static str],
    /// The element text must be inside to count (docx's `w:t`); `None`:
    /// all text inside a paragraph counts.
    pub(super) text_run: Option<&'static str>,
    /// The text any other element stands for (tabs, breaks, spaces).
    pub(super) inline: fn(&BytesStart<'_>) -> String,
}

/// The paragraphs of a body part by its [`Vocabulary`], into `out`; stops
/// once `out` is full.
fn paragraphs(
    reader: &mut PartReader<'_>,
    out: &mut Paragraphs,
    v: &Vocabulary,
) -> Result<(), quick_xml::Error> {
    let mut buf = Vec::new();
    let mut in_text = v.text_run.is_none();
    let mut skip = 0usize;
    while !out.full() {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                if skip > 0 {
                    skip += 1;
                } else if v.skipped.contains(&name) {
                    skip = 1;
                } else if v.paragraphs.contains(&name) {
                    out.open();
                } else if v.text_run == Some(name) {
                    in_text = true;
                } else {
                    out.text(&(v.inline)(&e));
                }
            }
            Event::Empty(e) if skip == 0 => out.text(&(v.inline)(&e)),
            Event::End(e) => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                if skip > 0 {
                    skip -= 1;
                } else if v.paragraphs.contains(&name) {
                    out.close();
                } else if v.text_run == Some(name) {
                    in_text = false;
                }
            }
            Event::Text(t) if in_text && skip == 0 => out.text(&t.xml10_content()),
            Event::CData(t) if in_text && skip == 0 => out.text(&t.xml10_content()),
            Event::GeneralRef(r) if in_text && skip == 0 => out.reference(&r),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// The paragraphs of a body part as they are read: the open ones (which
/// may nest) and the text of the closed ones, separated by blank lines, up
/// to [`MAX_TEXT_BYTES`].
#[derive(Default)]
pub(super) struct Paragraphs {
    open: Vec<String>,
    out: String,
    /// Bytes of text taken so far, open or closed.
    held: usize,
}

impl Paragraphs {
    /// Opens a paragraph (inside the current one, if any).
    pub(super) fn open(&mut self) {
        self.open.push(String::new());
    }

    /// Closes the innermost open paragraph.
    pub(super) fn close(&mut self) {
        if let Some(p) = self.open.pop() {
            push_paragraph(&mut self.out, &p);
        }
    }

    /// Text appended to the innermost open paragraph, if any.
    pub(super) fn text(&mut self, text: &str) {
        if let Some(p) = self.open.last_mut() {
            p.push_str(text);
            self.held += text.len();
        }
    }

    /// A reference appended to the innermost open paragraph, if any.
    pub(super) fn reference(&mut self, r: &BytesRef<'_>) {
        if let Some(p) = self.open.last_mut() {
            let before = p.len();
            push_ref(p, r);
            self.held += p.len() - before;
        }
    }

    /// Whether the text reached [`MAX_TEXT_BYTES`]: reading may stop.
    pub(super) fn full(&self) -> bool {
        self.held > MAX_TEXT_BYTES
    }

    /// The text: closed paragraphs, then those left open, outermost first.
    pub(super) fn finish(mut self) -> String {
        for p in std::mem::take(&mut self.open) {
            push_paragraph(&mut self.out, &p);
        }
        self.out
    }
}

/// Appends a trimmed paragraph after a blank line; empty ones are dropped.
fn push_paragraph(out: &mut String, p: &str) {
    let p = p.trim();
    if p.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(p);
}

/// An XML syntax error in a part, as a skip reason.
pub(super) fn xml_error(part: &str, e: quick_xml::Error) -> SkipReason {
    SkipReason::BrokenArchive(format!("{part}: {e}"))
}

/// Reads an office document (docx, odt): the paragraphs of its body part,
/// read as a stream by the format's `paragraphs`, and the `dc:title` of its
/// metadata part. A body part inflating to more than [`MAX_PART_BYTES`], or
/// holding more than [`MAX_TEXT_BYTES`] of text, is read up to there: the
/// text is cut, with a warning.
pub(super) fn read_office(
    bytes: &[u8],
    body: &str,
    meta: &str,
    vocabulary: &Vocabulary,
) -> Result<Extracted, SkipReason> {
    let mut zip = open(bytes)?;
    let entry =
        part(&mut zip, body)?.ok_or_else(|| SkipReason::BrokenArchive(format!("no {body}")))?;
    let mut input = BufReader::new(Capped::new(entry, MAX_PART_BYTES));
    let mut collected = Paragraphs::default();
    let read = {
        let mut reader: PartReader<'_> = Reader::from_reader(&mut input);
        paragraphs(&mut reader, &mut collected, vocabulary)
    };
    let over_part = input.get_ref().over;
    let warning = if over_part {
        // The cut XML may end in the middle of a tag: that is no error.
        Some(format!(
            "text cut: {body} inflates to more than {} MiB (the most read from one part)",
            MAX_PART_BYTES >> 20
        ))
    } else {
        read.map_err(|e| xml_error(body, e))?;
        collected.full().then(super::text_cut_warning)
    };
    drop(input);
    let title = part_title(&mut zip, meta);
    Ok(Extracted {
        text: collected.finish(),
        title,
        encoding: None,
        warning,
    })
}

#[cfg(test)]
pub(super) mod testing {
    //! Building small zip archives in tests.
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    /// A zip archive holding the given parts, deflated.
    pub(crate) fn zip(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in parts {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }
}
