//! Word documents (`.docx`): paragraphs, headings and table cells of
//! `word/document.xml`, title from `docProps/core.xml`.

use super::archive::{self, Vocabulary};
use super::{Extracted, SkipReason};
use quick_xml::events::BytesStart;

const BODY: &str = "word/document.xml";

/// Reads a docx document from memory.
pub(super) fn read(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    archive::read_office(bytes, BODY, "docProps/core.xml", &VOCABULARY)
}

/// The paragraphs (`w:p`) of a document body, each with the text of its runs
/// (`w:t`). Deleted text, field codes and the fallback copies of drawings
/// are left out.
const VOCABULARY: Vocabulary = Vocabulary {
    skipped: &["Fallback", "delText", "instrText"],
    paragraphs: &["p"],
    text_run: Some("t"),
    inline: inline_break,
};

/// The text an inline element stands for: tabs and line breaks.
fn inline_break(e: &BytesStart<'_>) -> String {
    let local = e.local_name();
    let name: &str = local.as_ref();
    match name {
        "tab" => "\t",
        "br" | "cr" => "\n",
        _ => "",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::super::archive::testing::zip;
    use super::*;

    /// A docx archive with the given body paragraphs (raw `w:body` XML) and
    /// title.
    fn docx(body: &str, title: Option<&str>) -> Vec<u8> {
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let core = title.map(|t| {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{t}</dc:title></cp:coreProperties>"#
            )
        });
        let mut parts = vec![
            ("[Content_Types].xml", "<Types/>".to_string()),
            ("word/document.xml", document),
        ];
        parts.extend(core.map(|c| ("docProps/core.xml", c)));
        let parts: Vec<(&str, &str)> = parts.iter().map(|(n, c)| (*n, c.as_str())).collect();
        zip(&parts)
    }

    fn para(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_headings_and_tables() {
        let body = format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Ataskaita</w:t></w:r></w:p>\
             <w:p><w:r><w:t xml:space=\"preserve\">Vilniuje </w:t></w:r><w:r><w:t>ir Kaune &amp; Rygoje.</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>\
             <w:p/>{}",
            para("Москва"),
            para("2024"),
            para("Pabaiga<w:tab/>žodis")
        );
        let doc = read(&docx(&body, Some("Metinė  ataskaita"))).unwrap();
        assert_eq!(
            doc.text,
            "Ataskaita\n\nVilniuje ir Kaune & Rygoje.\n\nМосква\n\n2024\n\nPabaiga\tžodis"
        );
        assert_eq!(doc.title.as_deref(), Some("Metinė ataskaita"));
        assert_eq!(doc.encoding, None);
    }

    #[test]
    fn deleted_text_and_field_codes_are_left_out() {
        let body =
            "<w:p><w:r><w:t>Kept</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del>\
                    <w:r><w:instrText> PAGE </w:instrText></w:r></w:p>";
        let doc = read(&docx(body, None)).unwrap();
        assert_eq!(doc.text, "Kept");
        assert_eq!(doc.title, None);
    }

    #[test]
    fn broken_archives_are_reasons() {
        let good = docx(&para("Tekstas"), None);
        let cut = &good[..good.len() / 2];
        assert!(matches!(read(cut), Err(SkipReason::BrokenArchive(_))));
        assert!(matches!(
            read(b"PK\x03\x04 not really"),
            Err(SkipReason::BrokenArchive(_))
        ));
        let no_body = zip(&[("docProps/core.xml", "<x/>")]);
        assert_eq!(
            read(&no_body),
            Err(SkipReason::BrokenArchive("no word/document.xml".into()))
        );
        let bad_xml = zip(&[("word/document.xml", "<w:document><w:body></w:document>")]);
        assert!(matches!(read(&bad_xml), Err(SkipReason::BrokenArchive(_))));
    }
}
