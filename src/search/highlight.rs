//! Highlighting: the words of a passage whose index terms the query matched,
//! found by running the same analyzers over the passage. Offsets come from
//! the analyzers, so the marked text is always the original spelling.

use crate::analysis::{analyze, for_each_word, FieldKind};
use crate::lang::Language;
use crate::stored::PassagePlaces;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// The terms a query looks up, per field kind, for highlighting (sets with
/// a fast hash: every form of every word of each shown passage is looked
/// up in them).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct MatchTerms {
    /// Terms of the exact field.
    pub exact: FxHashSet<String>,
    /// Terms of each stemmed field.
    pub stems: FxHashMap<Language, FxHashSet<String>>,
    /// Terms of the folded field.
    pub fold: FxHashSet<String>,
    /// Terms looked up among the canonical names of places.
    pub places: FxHashSet<String>,
    /// Cognate keys.
    pub cognate: FxHashSet<String>,
}

impl MatchTerms {
    /// Byte ranges of the matched words in `text` (sorted, merged).
    pub(crate) fn spans(
        &self,
        text: &str,
        lang: Option<Language>,
        places: &PassagePlaces,
    ) -> Vec<Range<usize>> {
        let mut spans: Vec<Range<usize>> = Vec::new();
        // one pass over the words: exact and cognate forms do not depend on
        // the language, the stem and folded forms are those of `lang`
        let none = FxHashSet::default();
        let stems = lang.and_then(|l| self.stems.get(&l)).unwrap_or(&none);
        let any = |set: &FxHashSet<String>, terms: &[String]| {
            !set.is_empty() && terms.iter().any(|t| set.contains(t))
        };
        for_each_word(text, lang, |w, f| {
            if any(&self.exact, &f.exact)
                || any(stems, &f.stem)
                || any(&self.fold, &f.fold)
                || any(&self.cognate, &f.cognate)
            {
                spans.push(w.start..w.end);
            }
        });
        for p in &places.0 {
            let hit = analyze(&p.name, FieldKind::Fold(None))
                .iter()
                .any(|t| self.places.contains(&t.text));
            if hit
                && p.end <= text.len()
                && text.is_char_boundary(p.start)
                && text.is_char_boundary(p.end)
            {
                spans.push(p.start..p.end);
            }
        }
        merge(spans)
    }
}

fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The text as HTML with the spans wrapped in `<mark>`…`</mark>`.
pub(crate) fn to_html(text: &str, spans: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 13);
    let mut pos = 0;
    for s in spans {
        escape_into(&mut out, &text[pos..s.start]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[s.start..s.end]);
        out.push_str("</mark>");
        pos = s.end;
    }
    escape_into(&mut out, &text[pos..]);
    out
}

/// The text with the spans wrapped in ANSI bold red, for a terminal.
pub fn to_ansi(text: &str, spans: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 12);
    let mut pos = 0;
    for s in spans {
        out.push_str(&text[pos..s.start]);
        out.push_str("\x1b[1;31m");
        out.push_str(&text[s.start..s.end]);
        out.push_str("\x1b[0m");
        pos = s.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_original_spelling_and_escapes() {
        let mut m = MatchTerms::default();
        m.fold.insert("panevez".into());
        let text = "<Panevėžio> miestas";
        let spans = m.spans(text, Some(Language::Lithuanian), &PassagePlaces::default());
        assert_eq!(
            to_html(text, &spans),
            "&lt;<mark>Panevėžio</mark>&gt; miestas"
        );
    }

    #[test]
    fn overlapping_spans_merge() {
        assert_eq!(merge(vec![0..3, 2..5, 7..8]), vec![0..5, 7..8]);
    }
}
