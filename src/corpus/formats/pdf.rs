//! PDF (`.pdf`): the text layer, title from the Info dictionary.
//!
//! The PDF reader can panic on malformed files: every call into it runs
//! under [`std::panic::catch_unwind`], and a panic becomes
//! [`SkipReason::UnreadablePdf`]. (The default panic hook still prints the
//! panic message to standard error.)

mod bounds;
mod layout;

use super::{clean_title, Extracted, SkipReason, MAX_PDF_STREAM_BYTES};
use pdf_extract::{Document, LoadOptions, Object};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// How far into the file the `%PDF-` header is looked for.
const HEADER_WINDOW: usize = 1024;

/// Reads a PDF document from memory.
pub(super) fn read(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    let head = bytes.get(..HEADER_WINDOW).unwrap_or(bytes);
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(unreadable("no %PDF- header"));
    }
    match catch_unwind(AssertUnwindSafe(|| extract(bytes))) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".to_string());
            Err(unreadable(&format!(
                "the PDF reader failed: {}",
                first_line(&message)
            )))
        }
    }
}

/// The first line of a message, at most 120 bytes of it.
fn first_line(message: &str) -> &str {
    let line = message.lines().next().unwrap_or_default();
    let mut end = line.len().min(120);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

fn unreadable(why: &str) -> SkipReason {
    SkipReason::UnreadablePdf(why.to_string())
}

/// Loads the document with its streams bounded, decrypts it if it opens
/// without a password, and extracts its title and text.
fn extract(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    let options = LoadOptions::with_filter(bounds::on_load);
    let mut doc =
        Document::load_mem_with_options(bytes, options).map_err(|e| unreadable(&e.to_string()))?;
    let encrypted = doc.is_encrypted();
    if encrypted {
        doc.decrypt("")
            .map_err(|_| unreadable("encrypted with a password"))?;
    }
    let left_out = bounds::left_out(&mut doc, encrypted);
    let over = |why: String| match left_out {
        0 => unreadable(&why),
        n => unreadable(&format!("{}, and then: {why}", streams_left_out(n))),
    };
    let title = info_title(&doc);
    let mut lines = layout::Lines::default();
    pdf_extract::output_doc(&doc, &mut lines).map_err(|e| over(e.to_string()))?;
    let cut = lines.cut();
    let text = super::join_paragraphs(lines.into_paragraphs());
    if text.is_empty() {
        return Err(over("no text layer (a scan?)".to_string()));
    }
    let warning = match (left_out, cut) {
        (0, false) => None,
        (0, true) => Some(super::text_cut_warning()),
        (n, _) => Some(streams_left_out(n)),
    };
    Ok(Extracted {
        text,
        title,
        encoding: None,
        warning,
    })
}

/// The warning for `n` streams left out.
fn streams_left_out(n: usize) -> String {
    let streams = if n == 1 { "stream" } else { "streams" };
    format!(
        "{n} {streams} left out: inflating to more than {} MiB (the most read from one PDF stream)",
        MAX_PDF_STREAM_BYTES >> 20
    )
}

/// The `Title` of the trailer's `Info` dictionary.
fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get_deref(b"Info", doc).ok()?.as_dict().ok()?;
    match info.get_deref(b"Title", doc).ok()? {
        Object::String(bytes, _) => clean_title(&text_string(bytes)),
        _ => None,
    }
}

/// Decodes a PDF text string: UTF-16BE or UTF-8 with a byte-order mark,
/// else PDFDocEncoding (read as Latin-1, which it matches for letters).
fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]));
        return char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF showing `line` (ASCII) in Helvetica, with a title.
    fn tiny_pdf(line: &str, title: &str) -> Vec<u8> {
        let stream = format!("BT /F1 12 Tf 72 720 Td ({line}) Tj ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_string(),
            format!(
                "<< /Length {} >>\nstream\n{stream}\nendstream",
                stream.len()
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_string(),
            format!("<< /Title ({title}) >>"),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for o in offsets {
            pdf.extend(format!("{o:010} 00000 n \n").bytes());
        }
        pdf.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .bytes(),
        );
        pdf
    }

    #[test]
    fn reads_text_and_title() {
        let doc = read(&tiny_pdf("Annual report of Vilnius", "Vilnius report")).unwrap();
        assert_eq!(doc.text, "Annual report of Vilnius");
        assert_eq!(doc.title.as_deref(), Some("Vilnius report"));
        assert_eq!(doc.encoding, None);
    }

    #[test]
    fn broken_pdfs_are_reasons() {
        assert!(matches!(
            read(b"not a pdf"),
            Err(SkipReason::UnreadablePdf(_))
        ));
        assert!(matches!(
            read(b"%PDF-1.4\n\x00\xFF garbage"),
            Err(SkipReason::UnreadablePdf(_))
        ));
        let good = tiny_pdf("Some text", "T");
        for cut in [20, good.len() / 2, good.len() - 40] {
            assert!(read(&good[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn title_strings() {
        assert_eq!(text_string(&[0xFE, 0xFF, 0x04, 0x1E, 0x00, 0x21]), "О!");
        assert_eq!(text_string(b"Caf\xE9"), "Café");
    }
}
