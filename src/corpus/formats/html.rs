//! HTML (`.html`, `.htm`): the visible text, block elements as paragraphs,
//! title from `<title>`.

use super::encoding::{self, Detected};
use super::{clean_title, Extracted, SkipReason};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use scraper::{ElementRef, Html, Node};

/// How far into the file a `charset=` declaration is looked for.
const PRESCAN_BYTES: usize = 4096;

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &[
    "head", "script", "style", "noscript", "template", "iframe", "object", "svg", "math", "canvas",
    "select",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Reads an HTML document from memory.
pub(super) fn read(bytes: &[u8]) -> Result<Extracted, SkipReason> {
    let detected = detect(bytes)?;
    let source = encoding::decode(bytes, detected)?;
    let html = Html::parse_document(&source);
    let title = html
        .tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "title")
        .and_then(|e| clean_title(&e.text().collect::<String>()));
    Ok(Extracted {
        text: visible_text(&html),
        title,
        encoding: Some(detected.encoding.name()),
    })
}

/// The encoding: a byte-order mark, else a `charset=` declaration near the
/// start (trusted unless it says UTF-8 and the bytes aren't), else detection.
fn detect(bytes: &[u8]) -> Result<Detected, SkipReason> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(Detected { encoding, bom_len });
    }
    let declared = declared_charset(bytes.get(..PRESCAN_BYTES).unwrap_or(bytes));
    match declared {
        // A page without a mark that says UTF-16 is ASCII-compatible (HTML spec).
        Some(e) if e == UTF_16LE || e == UTF_16BE => plain_or_detect(bytes, UTF_8),
        Some(e) => plain_or_detect(bytes, e),
        None => encoding::detect(bytes, true),
    }
}

fn plain_or_detect(bytes: &[u8], declared: &'static Encoding) -> Result<Detected, SkipReason> {
    if declared == UTF_8 && std::str::from_utf8(bytes).is_err() {
        return encoding::detect(bytes, true);
    }
    if bytes.contains(&0) {
        return Err(SkipReason::Binary);
    }
    Ok(Detected {
        encoding: declared,
        bom_len: 0,
    })
}

/// The encoding named by the first `charset=` in `head`, as in
/// `<meta charset="windows-1257">` or `content="text/html; charset=koi8-r"`.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let rest = lower.get(at..)?;
    let rest = rest
        .iter()
        .position(|b| !matches!(b, b'"' | b'\'' | b' '))
        .and_then(|start| rest.get(start..))?;
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    Encoding::for_label(rest.get(..len)?)
}

/// One step of the walk over the tree.
enum Step<N> {
    /// Visit a node.
    Open(N),
    /// Leave an element: whether it was a block, or `pre`.
    Close { block: bool, pre: bool },
}

/// The visible text of a parsed page, paragraphs separated by blank lines.
fn visible_text(html: &Html) -> String {
    let mut out = TextOut::default();
    let mut stack = vec![Step::Open(html.tree.root())];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Open(node) => node,
            Step::Close { block, pre } => {
                if pre {
                    out.pre -= 1;
                }
                if block {
                    out.end_paragraph();
                }
                continue;
            }
        };
        match node.value() {
            Node::Text(text) => out.text(text),
            Node::Element(e) => {
                let name = e.name();
                if HIDDEN.contains(&name) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                let pre = name == "pre";
                match name {
                    "br" => out.line_break(),
                    "td" | "th" => out.text(" "),
                    _ if block => out.end_paragraph(),
                    _ => {}
                }
                if pre {
                    out.pre += 1;
                }
                stack.push(Step::Close { block, pre });
                stack.extend(node.children().rev().map(Step::Open));
            }
            Node::Document | Node::Fragment => {
                stack.extend(node.children().rev().map(Step::Open));
            }
            _ => {}
        }
    }
    out.end_paragraph();
    super::join_paragraphs(out.paragraphs)
}

/// Paragraphs being collected, white space collapsed outside `pre`.
#[derive(Default)]
struct TextOut {
    paragraphs: Vec<String>,
    current: String,
    pre: usize,
}

impl TextOut {
    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            self.current.push_str(text);
            return;
        }
        let starts_blank = text.starts_with(char::is_whitespace);
        let ends_blank = text.ends_with(char::is_whitespace);
        let mut words = text.split_whitespace().peekable();
        let has_words = words.peek().is_some();
        if (starts_blank || !has_words) && !self.current.is_empty() {
            self.space();
        }
        let mut first = true;
        for word in words {
            if !first {
                self.current.push(' ');
            }
            self.current.push_str(word);
            first = false;
        }
        if ends_blank && has_words {
            self.space();
        }
    }

    fn space(&mut self) {
        if !self.current.ends_with(char::is_whitespace) {
            self.current.push(' ');
        }
    }

    fn line_break(&mut self) {
        let kept = self.current.trim_end_matches([' ', '\t']).len();
        self.current.truncate(kept);
        self.current.push('\n');
    }

    fn end_paragraph(&mut self) {
        let paragraph = std::mem::take(&mut self.current);
        let lines: Vec<&str> = paragraph.lines().map(str::trim).collect();
        // Blank lines inside (from `pre`) stay paragraph boundaries.
        let paragraph = lines.join("\n");
        if !paragraph.trim().is_empty() {
            self.paragraphs.push(paragraph);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{WINDOWS_1251, WINDOWS_1257};

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title> Metinė
 ataskaita </title><style>p { color: red }</style>
<script>var hidden = "nematoma";</script></head>
<body><!-- komentaras -->
<h1>Ataskaita</h1>
<p>Vilniaus   <b>savivaldybė</b> pranešė,<br>kad darbai vyksta.</p>
<div>Москва <span>и</span> Санкт-Петербург<div>Вложенный блок</div></div>
<ul><li>Pirmas</li><li>Antras</li></ul>
<table><tr><td>Kaunas</td><td>2024</td></tr></table>
<noscript>Įjunkite JavaScript</noscript>
</body></html>"#;

    #[test]
    fn visible_text_in_paragraphs() {
        let doc = read(PAGE.as_bytes()).unwrap();
        assert_eq!(
            doc.text,
            "Ataskaita\n\nVilniaus savivaldybė pranešė,\nkad darbai vyksta.\n\n\
             Москва и Санкт-Петербург\n\nВложенный блок\n\nPirmas\n\nAntras\n\nKaunas 2024"
        );
        assert_eq!(doc.title.as_deref(), Some("Metinė ataskaita"));
        assert_eq!(doc.encoding, Some("UTF-8"));
    }

    #[test]
    fn declared_legacy_charset() {
        let page = PAGE.replace("utf-8", "windows-1257").replace(
            "<div>Москва <span>и</span> Санкт-Петербург<div>Вложенный блок</div></div>",
            "",
        );
        let (bytes, _, _) = WINDOWS_1257.encode(&page);
        let doc = read(&bytes).unwrap();
        assert_eq!(doc.encoding, Some("windows-1257"));
        assert!(doc.text.starts_with("Ataskaita\n\nVilniaus savivaldybė"));
    }

    #[test]
    fn undeclared_charset_is_detected() {
        let page = "<html><head><title>Отчёт</title></head><body><p>Комиссия в Москве \
            обсудила строительство новых школ и больниц в следующем году.</p></body></html>";
        let (bytes, _, _) = WINDOWS_1251.encode(page);
        let doc = read(&bytes).unwrap();
        assert_eq!(doc.encoding, Some("windows-1251"));
        assert_eq!(doc.title.as_deref(), Some("Отчёт"));
        assert!(doc.text.starts_with("Комиссия в Москве"));
    }

    #[test]
    fn pre_keeps_lines_and_no_title_is_none() {
        let doc = read(b"<pre>a  b\nc</pre><p>x</p>").unwrap();
        assert_eq!(doc.text, "a  b\nc\n\nx");
        assert_eq!(doc.title, None);
    }

    #[test]
    fn charset_declarations() {
        let meta = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\">";
        assert_eq!(declared_charset(meta).map(Encoding::name), Some("KOI8-R"));
        assert_eq!(
            declared_charset(b"<meta charset='iso-8859-13'>").map(Encoding::name),
            Some("ISO-8859-13")
        );
        assert_eq!(declared_charset(b"<meta charset=bogus>"), None);
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
    }

    #[test]
    fn binary_and_deep_nesting() {
        assert_eq!(
            read(b"<html>\0\0\0\x01\x02</html>"),
            Err(SkipReason::Binary)
        );
        let deep = format!("{}text{}", "<div>".repeat(1_000), "</div>".repeat(1_000));
        assert_eq!(read(deep.as_bytes()).unwrap().text, "text");
    }
}
