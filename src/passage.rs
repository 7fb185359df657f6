//! Splitting a document into passages that keep byte offsets into the source.
//!
//! Paragraphs are runs of non-blank lines. Short paragraphs (form headings,
//! dates, one-line fields) are merged into their neighbours until a passage
//! reaches [`MIN_CHARS`]; paragraphs longer than [`MAX_CHARS`] are cut at
//! sentence boundaries (or, failing those, at a space).

use std::ops::Range;

/// A passage shorter than this (in characters) absorbs the next paragraph.
pub(crate) const MIN_CHARS: usize = 200;
/// A passage is cut at a sentence boundary before it grows past this.
pub(crate) const MAX_CHARS: usize = 1000;

/// A passage: a byte range of the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Position of the passage in its document, from 0.
    pub index: usize,
    /// Byte range in the source text.
    pub range: Range<usize>,
}

impl Passage {
    /// The passage's text.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.range.clone()]
    }
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return r.start..r.start;
    }
    r.start + lead..r.end - trail
}

/// Byte ranges of the paragraphs: runs of non-blank lines, trimmed.
pub(crate) fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(pos),
            (true, Some(s)) => {
                out.push(trim_range(text, s..pos));
                start = None;
            }
            _ => {}
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(trim_range(text, s..text.len()));
    }
    out.retain(|r| !r.is_empty());
    out
}

fn chars(text: &str, r: &Range<usize>) -> usize {
    text[r.clone()].chars().count()
}

/// Byte offsets where a new sentence starts inside `r`.
fn sentence_starts(text: &str, r: &Range<usize>) -> Vec<usize> {
    let s = &text[r.clone()];
    let mut out = Vec::new();
    let mut prev_end_punct = false;
    let mut saw_space = false;
    for (i, c) in s.char_indices() {
        if prev_end_punct
            && saw_space
            && (c.is_uppercase() || c.is_numeric() || "«\"„“(".contains(c))
        {
            out.push(r.start + i);
            prev_end_punct = false;
            saw_space = false;
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '…' | ';') {
            prev_end_punct = true;
            saw_space = false;
        } else if c.is_whitespace() {
            saw_space = prev_end_punct;
        } else if !matches!(c, '"' | '»' | '”' | ')' | '\'') {
            prev_end_punct = false;
            saw_space = false;
        }
    }
    out
}

/// Cuts a long range into pieces of at most MAX_CHARS, at sentence starts
/// where possible, else at the last space before the limit.
fn cut_long(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut bounds = vec![r.start];
    bounds.extend(sentence_starts(text, &r));
    bounds.push(r.end);
    let (mut start, mut end) = (r.start, r.start);
    for w in bounds.windows(2) {
        if end > start && chars(text, &(start..w[1])) > MAX_CHARS {
            out.push(trim_range(text, start..end));
            start = end;
        }
        end = w[1];
        while chars(text, &(start..end)) > MAX_CHARS {
            let limit = byte_at_char(text, start, MAX_CHARS);
            let cut = text[start..limit]
                .rfind(char::is_whitespace)
                .map(|i| start + i)
                .filter(|&i| i > start)
                .unwrap_or(limit);
            out.push(trim_range(text, start..cut));
            start = cut;
        }
    }
    if start < end {
        out.push(trim_range(text, start..end));
    }
}

fn byte_at_char(text: &str, start: usize, n: usize) -> usize {
    text[start..]
        .char_indices()
        .nth(n)
        .map(|(i, _)| start + i)
        .unwrap_or(text.len())
}

/// Splits a document into passages.
pub fn split(text: &str) -> Vec<Passage> {
    let mut pieces = Vec::new();
    for p in paragraphs(text) {
        if chars(text, &p) > MAX_CHARS {
            cut_long(text, p, &mut pieces);
        } else {
            pieces.push(p);
        }
    }
    pieces.retain(|r| !r.is_empty());
    // merge short pieces into the following one
    let mut merged: Vec<Range<usize>> = Vec::new();
    for p in pieces {
        match merged.last_mut() {
            Some(last)
                if chars(text, last) < MIN_CHARS
                    && chars(text, &(last.start..p.end)) <= MAX_CHARS =>
            {
                last.end = p.end;
            }
            _ => merged.push(p),
        }
    }
    // a short last passage joins the one before it
    if merged.len() >= 2 {
        let n = merged.len();
        if chars(text, &merged[n - 1]) < MIN_CHARS / 2
            && chars(text, &(merged[n - 2].start..merged[n - 1].end)) <= MAX_CHARS
        {
            let last = merged.pop().map(|r| r.end).unwrap_or_default();
            if let Some(prev) = merged.last_mut() {
                prev.end = last;
            }
        }
    }
    merged
        .into_iter()
        .enumerate()
        .map(|(index, range)| Passage { index, range })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_headings_merge_into_their_neighbours() {
        let text = "1. Trukmė\n\n\t\n2018 m. spalio 18 d.\n\n2. Forma\n\nVizitas.";
        let ps = split(text);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].text(text), text.trim());
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentences() {
        let sentence = "Tai yra ilgas sakinys apie robotikos sritį ir bendradarbiavimą. ";
        let text = sentence.repeat(40);
        let ps = split(&text);
        assert!(ps.len() >= 3);
        for p in &ps {
            let t = p.text(&text);
            assert!(t.chars().count() <= MAX_CHARS);
            assert!(t.starts_with("Tai") && t.ends_with('.'), "{t:?}");
        }
    }

    #[test]
    fn a_text_without_punctuation_is_cut_at_spaces() {
        let text = "žodis ".repeat(1000);
        let ps = split(&text);
        assert!(ps.len() >= 5);
        for p in &ps {
            assert!(p.text(&text).chars().count() <= MAX_CHARS);
            assert!(p.text(&text).starts_with('ž'));
        }
    }

    #[test]
    fn ranges_stay_in_order_and_on_char_boundaries() {
        let text = "Первый абзац.\n\nВторой абзац, довольно длинный. ".repeat(50);
        let ps = split(&text);
        let mut prev = 0;
        for p in &ps {
            assert!(p.range.start >= prev);
            assert!(text.is_char_boundary(p.range.start) && text.is_char_boundary(p.range.end));
            prev = p.range.end;
        }
    }

    #[test]
    fn empty_text_has_no_passages() {
        assert!(split("").is_empty());
        assert!(split(" \n\t\n ").is_empty());
    }
}
