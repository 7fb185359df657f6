//! OpenDocument text (`.odt`): paragraphs, headings and table cells of
//! `content.xml`, title from `meta.xml`.

use super::archive::{self, Vocabulary};
use super::{Extracted, SkipReason};
use quick_xml::events::BytesStart;

const BODY: &str = "content.xml";

/// Most spaces one `text:s` element stands for.
const MAX_SPACES: usize = 1000;

/// Reads an odt document from memory.
pub(super) fn read(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    archive::read_office(bytes, BODY, "meta.xml", &VOCABULARY)
}

/// The paragraphs (`text:p`) and headings (`text:h`) of a document, each
/// with all the text inside it. Comments and the text of tracked deletions
/// are left out.
const VOCABULARY: Vocabulary = Vocabulary {
    skipped: &["annotation", "tracked-changes"],
    paragraphs: &["p", "h"],
    text_run: None,
    inline,
};

/// The text an inline element stands for: spaces (`text:s`, `text:c` of
/// them), tabs and line breaks.
fn inline(e: &BytesStart<'_>) -> String {
    match e.local_name().as_ref() {
        "s" => {
            let count = e
                .try_get_attribute("text:c")
                .ok()
                .flatten()
                .and_then(|a| a.value.trim().parse::<usize>().ok())
                .unwrap_or(1);
            " ".repeat(count.min(MAX_SPACES))
        }
        "tab" => "\t".to_string(),
        "line-break" => "\n".to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::archive::testing::zip;
    use super::*;

    /// An odt archive with the given `office:text` content and title.
    fn odt(body: &str, title: Option<&str>) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        let meta = title.map(|t| {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>{t}</dc:title></office:meta></office:document-meta>"#
            )
        });
        let mut parts = vec![
            (
                "mimetype",
                "application/vnd.oasis.opendocument.text".to_string(),
            ),
            ("content.xml", content),
        ];
        parts.extend(meta.map(|m| ("meta.xml", m)));
        let parts: Vec<(&str, &str)> = parts.iter().map(|(n, c)| (*n, c.as_str())).collect();
        zip(&parts)
    }

    #[test]
    fn paragraphs_headings_and_tables() {
        let body = "<text:h text:outline-level=\"1\">Отчёт</text:h>\
            <text:p>Komisija <text:span>posėdžiavo</text:span> Vilniuje<text:s text:c=\"2\"/>ir &lt;Kaune&gt;.</text:p>\
            <table:table><table:table-row><table:table-cell><text:p>Ląstelė</text:p></table:table-cell>\
            <table:table-cell><text:p>2024</text:p></table:table-cell></table:table-row></table:table>\
            <text:p>Eilutė<text:line-break/>kita<office:annotation><text:p>komentaras</text:p></office:annotation></text:p>";
        let doc = read(&odt(body, Some("Komisijos ataskaita"))).unwrap();
        assert_eq!(
            doc.text,
            "Отчёт\n\nKomisija posėdžiavo Vilniuje  ir <Kaune>.\n\nLąstelė\n\n2024\n\nEilutė\nkita"
        );
        assert_eq!(doc.title.as_deref(), Some("Komisijos ataskaita"));
    }

    #[test]
    fn no_title_and_broken_archives() {
        let doc = read(&odt("<text:p>Tekstas</text:p>", None)).unwrap();
        assert_eq!(doc.title, None);
        let good = odt("<text:p>Tekstas</text:p>", None);
        assert!(matches!(
            read(&good[..good.len() - 30]),
            Err(SkipReason::BrokenArchive(_))
        ));
        assert_eq!(
            read(&zip(&[("mimetype", "x")])),
            Err(SkipReason::BrokenArchive("no content.xml".into()))
        );
    }
}
