//! Zip containers (docx, odt): opening them, reading one XML part, and the
//! XML helpers both formats share.

use super::{clean_title, Extracted, SkipReason, MAX_WHOLE_BYTES};
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;
use std::io::{Cursor, Read};
use zip::result::ZipError;
use zip::ZipArchive;

/// A zip archive read from memory.
pub(super) type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Opens a zip archive.
pub(super) fn open(bytes: &[u8]) -> Result<Archive<'_>, SkipReason> {
    ZipArchive::new(Cursor::new(bytes)).map_err(|e| SkipReason::BrokenArchive(e.to_string()))
}

/// Reads one part of the archive as UTF-8 text; `Ok(None)` if it has no such
/// part. A part larger than [`MAX_WHOLE_BYTES`] once inflated is refused, so
/// a zip bomb can't exhaust memory.
pub(super) fn read_part(
    archive: &mut Archive<'_>,
    name: &str,
) -> Result<Option<String>, SkipReason> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(SkipReason::BrokenArchive(format!("{name}: {e}"))),
    };
    let mut bytes = Vec::new();
    entry
        .take(MAX_WHOLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::BrokenArchive(format!("{name}: {e}")))?;
    let size = bytes.len() as u64;
    if size > MAX_WHOLE_BYTES {
        return Err(SkipReason::TooLarge {
            size,
            limit: MAX_WHOLE_BYTES,
        });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| SkipReason::BrokenArchive(format!("{name}: not UTF-8 XML")))
}

/// Reads a part that must be there.
pub(super) fn required_part(archive: &mut Archive<'_>, name: &str) -> Result<String, SkipReason> {
    read_part(archive, name)?.ok_or_else(|| SkipReason::BrokenArchive(format!("no {name}")))
}

/// The text of the first `title` element (any namespace, e.g. `dc:title`) of
/// a metadata part, if the part is there and the title is not empty.
pub(super) fn part_title(archive: &mut Archive<'_>, name: &str) -> Option<String> {
    let xml = read_part(archive, name).ok()??;
    let mut reader = Reader::from_str(&xml);
    let mut inside = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
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

/// Text appended to the innermost open paragraph of a stack, if any.
pub(super) fn push_text(open: &mut [String], text: &str) {
    if let Some(p) = open.last_mut() {
        p.push_str(text);
    }
}

/// An XML syntax error in a part, as a skip reason.
pub(super) fn xml_error(part: &str, e: quick_xml::Error) -> SkipReason {
    SkipReason::BrokenArchive(format!("{part}: {e}"))
}

/// Reads an office document (docx, odt): the paragraphs of its body part,
/// read by the format's `paragraphs`, and the `dc:title` of its metadata part.
pub(super) fn read_office(
    bytes: &[u8],
    body: &str,
    meta: &str,
    paragraphs: fn(&str) -> Result<String, quick_xml::Error>,
) -> Result<Extracted, SkipReason> {
    let mut zip = open(bytes)?;
    let xml = required_part(&mut zip, body)?;
    let text = paragraphs(&xml).map_err(|e| xml_error(body, e))?;
    let title = part_title(&mut zip, meta);
    Ok(Extracted {
        text,
        title,
        encoding: None,
    })
}

#[cfg(test)]
pub(super) mod testing {
    //! Building small zip archives in tests.
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    /// A zip archive holding the given parts, deflated.
    pub fn zip(parts: &[(&str, &str)]) -> Vec<u8> {
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
