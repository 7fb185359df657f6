//! HTML (`.html`, `.htm`): the visible text, block elements as paragraphs,
//! title from `<title>`.
//!
//! The page is read as one stream of tags and text (html5ever's tokenizer),
//! never built into a tree: building the tree checks the stack of open
//! elements at every tag, which makes deeply nested pages quadratic (1.1 MB
//! of nested `<div>`s took 30 s). The walk keeps only a few flags and the
//! stack of open hidden elements, so time is linear in the page.

use super::encoding::{self, Detected};
use super::{clean_title, Extracted, SkipReason, MAX_TEXT_BYTES};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// How far into the file a `charset=` declaration is looked for.
const PRESCAN_BYTES: usize = 4096;

/// Longest title kept, in bytes.
const MAX_TITLE_BYTES: usize = 4096;

/// How many of the innermost open hidden elements an end tag is matched
/// against (a bound, so that stray end tags stay linear).
const HIDDEN_MATCH_DEPTH: usize = 16;

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &[
    "head", "script", "style", "noscript", "template", "iframe", "object", "svg", "math", "canvas",
    "select",
];

/// Elements that may stand in `<head>`; any other start tag ends it.
const IN_HEAD: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style",
    "script", "template", "head", "html",
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
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(source));
    let tokenizer = Tokenizer::new(Walk::default(), TokenizerOpts::default());
    while !input.is_empty() {
        let _ = tokenizer.feed(&input);
    }
    tokenizer.end();
    let walk = tokenizer.sink.into_inner();
    let cut = walk.out.cut();
    let title = walk.title.as_deref().and_then(clean_title);
    Ok(Extracted {
        text: walk.out.finish(),
        title,
        encoding: Some(detected.encoding.name()),
        warning: cut.then(super::text_cut_warning),
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

/// The walk over the page's tokens, as a token sink.
#[derive(Default)]
struct Walk(RefCell<State>);

impl Walk {
    fn into_inner(self) -> State {
        self.0.into_inner()
    }
}

/// What the walk knows: where it is, the title and the text so far.
#[derive(Default)]
struct State {
    out: TextOut,
    /// Open hidden elements, innermost last.
    hidden: Vec<html5ever::LocalName>,
    /// Inside `<head>` (which ends at `</head>`, or where the body starts).
    in_head: bool,
    /// Inside the first `<title>`.
    in_title: bool,
    /// The first `<title>`'s text, once one opened.
    title: Option<String>,
}

impl TokenSink for Walk {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                state.start(&tag);
                raw_kind(&tag.name)
            }
            Token::TagToken(tag) => {
                state.end(&tag.name);
                TokenSinkResult::Continue
            }
            Token::CharacterTokens(text) => {
                state.text(&text);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// How the tokenizer reads the content of an element, as a browser's tree
/// builder would tell it: as text up to its end tag, or as markup.
fn raw_kind(name: &str) -> TokenSinkResult<()> {
    match name {
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

impl State {
    fn start(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        match name {
            "head" => self.in_head = true,
            "title" if self.title.is_none() => {
                self.in_title = true;
                self.title = Some(String::new());
            }
            _ if !IN_HEAD.contains(&name) => self.in_head = false,
            _ => {}
        }
        if HIDDEN.contains(&name) && name != "head" && !tag.self_closing {
            self.hidden.push(tag.name.clone());
        }
        if self.hiding() {
            return;
        }
        match name {
            "br" => self.out.line_break(),
            "td" | "th" => self.out.text(" "),
            "pre" => {
                self.out.end_paragraph();
                self.out.pre += 1;
                self.out.pre_start = true;
            }
            _ if BLOCKS.contains(&name) => self.out.end_paragraph(),
            _ => {}
        }
    }

    fn end(&mut self, name: &html5ever::LocalName) {
        let from = self.hidden.len().saturating_sub(HIDDEN_MATCH_DEPTH);
        if let Some(at) = self.hidden[from..].iter().rposition(|h| h == name) {
            self.hidden.truncate(from + at);
            return;
        }
        let name: &str = name;
        match name {
            "head" => self.in_head = false,
            "title" => self.in_title = false,
            _ if self.hiding() => {}
            "pre" => {
                self.out.pre = self.out.pre.saturating_sub(1);
                self.out.end_paragraph();
            }
            _ if BLOCKS.contains(&name) => self.out.end_paragraph(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_title {
            if let Some(title) = &mut self.title {
                if title.len() < MAX_TITLE_BYTES {
                    title.push_str(text);
                }
            }
            return;
        }
        if self.in_head && !text.trim().is_empty() {
            // Text ends the head, as in a browser.
            self.in_head = false;
        }
        if !self.hiding() {
            self.out.text(text);
        }
    }

    /// Whether text here is hidden.
    fn hiding(&self) -> bool {
        self.in_head || !self.hidden.is_empty()
    }
}

/// Paragraphs being collected, white space collapsed outside `pre`.
#[derive(Default)]
struct TextOut {
    paragraphs: Vec<String>,
    current: String,
    pre: usize,
    /// Right after `<pre>`, whose first line break is not shown.
    pre_start: bool,
    /// Bytes of text taken; text past [`MAX_TEXT_BYTES`] is dropped.
    held: usize,
}

impl TextOut {
    fn text(&mut self, text: &str) {
        if self.cut() {
            return;
        }
        self.held += text.len();
        if self.pre > 0 {
            let text = match std::mem::take(&mut self.pre_start) {
                true => text.strip_prefix('\n').unwrap_or(text),
                false => text,
            };
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

    /// Whether text was dropped for reaching [`MAX_TEXT_BYTES`].
    fn cut(&self) -> bool {
        self.held > MAX_TEXT_BYTES
    }

    /// The paragraphs, separated by blank lines.
    fn finish(mut self) -> String {
        self.end_paragraph();
        super::join_paragraphs(self.paragraphs)
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
