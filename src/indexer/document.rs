//! The per-document pipeline: passages, languages and index terms. Pure and
//! independent for every document, so documents are analysed in parallel.

use crate::analysis::{analyze_passage, tantivy_glue::to_tokens, Term};
use crate::detect;
use crate::lang::Language;
use crate::passage::{self, Passage};
use crate::schema::Fields;
use tantivy::schema::{Field, OwnedValue};
use tantivy::tokenizer::PreTokenizedString;
use tantivy::Document;

/// One passage as handed to the index writer.
///
/// tantivy's own `TantivyDocument` stores pre-tokenized text as JSON and
/// parses it back inside the writer; this plain list of values hands the
/// tokens over without that round trip.
#[derive(Debug, Clone, Default)]
pub struct PassageDoc {
    values: Vec<(Field, OwnedValue)>,
}

impl PassageDoc {
    fn add(&mut self, field: Field, value: impl Into<OwnedValue>) {
        self.values.push((field, value.into()));
    }
}

impl Document for PassageDoc {
    type Value<'a> = &'a OwnedValue;
    type FieldsValuesIter<'a> = std::iter::Map<
        std::slice::Iter<'a, (Field, OwnedValue)>,
        fn(&'a (Field, OwnedValue)) -> (Field, &'a OwnedValue),
    >;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.values.iter().map(|(f, v)| (*f, v))
    }
}

/// Passages shorter than this (characters) take their document's language.
pub const MIN_DETECT_CHARS: usize = 60;
/// Below this confidence a passage takes its document's language.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// A document analysed for indexing.
#[derive(Debug, Clone)]
pub struct AnalyzedDocument {
    /// Path relative to the corpus.
    pub rel: String,
    /// Title: the first non-blank line.
    pub title: String,
    /// Language of the whole document.
    pub lang: Option<Language>,
    /// Passages with their languages.
    pub passages: Vec<(Passage, Option<Language>)>,
}

/// The title of a plain-text document: its first non-blank line, shortened.
pub fn title_of(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut title: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        title.push('…');
    }
    title
}

/// Language of a passage: its own when the guess is reliable, else the document's.
pub fn passage_language(text: &str, doc_lang: Option<Language>) -> Option<Language> {
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_DETECT_CHARS {
        return doc_lang.or_else(|| detect::detect(text));
    }
    match detect::detect_scored(head(text, DETECT_CHARS)) {
        Some((l, conf)) if conf >= MIN_CONFIDENCE || doc_lang.is_none() => Some(l),
        _ => doc_lang,
    }
}

/// Characters of a passage that language detection looks at: a few
/// sentences decide as well as the whole passage, at a fraction of the cost.
pub const DETECT_CHARS: usize = 400;

/// The first `n` characters of a text.
fn head(text: &str, n: usize) -> &str {
    text.char_indices()
        .nth(n)
        .map(|(i, _)| &text[..i])
        .unwrap_or(text)
}

/// Splits and detects a document.
pub fn analyze_document(rel: &str, text: &str) -> AnalyzedDocument {
    let lang = detect::detect(head(text, 10 * DETECT_CHARS));
    let passages = passage::split(text)
        .into_iter()
        .map(|p| {
            let l = passage_language(p.text(text), lang);
            (p, l)
        })
        .collect();
    AnalyzedDocument {
        rel: rel.to_string(),
        title: title_of(text),
        lang,
        passages,
    }
}

fn pre_tokenized(terms: Vec<Term>) -> PreTokenizedString {
    PreTokenizedString {
        text: String::new(),
        tokens: to_tokens(terms),
    }
}

/// The tantivy documents (one per passage) of an analysed document.
pub fn to_tantivy(doc: &AnalyzedDocument, text: &str, fields: &Fields) -> Vec<PassageDoc> {
    doc.passages
        .iter()
        .map(|(p, lang)| {
            let ptext = p.text(text);
            let mut d = PassageDoc::default();
            d.add(fields.doc, doc.rel.as_str());
            d.add(fields.title, doc.title.as_str());
            d.add(fields.passage, p.index as u64);
            d.add(fields.lang, lang.map(|l| l.code()).unwrap_or(UNDETERMINED));
            d.add(fields.text, ptext);
            d.add(fields.start, p.range.start as u64);
            let terms = analyze_passage(ptext, *lang);
            d.add(
                fields.exact,
                OwnedValue::PreTokStr(pre_tokenized(terms.exact)),
            );
            d.add(
                fields.fold,
                OwnedValue::PreTokStr(pre_tokenized(terms.fold)),
            );
            if let Some(l) = lang {
                d.add(
                    fields.stem(*l),
                    OwnedValue::PreTokStr(pre_tokenized(terms.stem)),
                );
            }
            d
        })
        .collect()
}

/// The language code stored for a passage whose language is unknown.
pub const UNDETERMINED: &str = "und";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_the_first_line() {
        assert_eq!(title_of("\n\n  Pirmas  \nantras"), "Pirmas");
    }

    #[test]
    fn short_passage_takes_the_document_language() {
        assert_eq!(
            passage_language("Projekto Nr.", Some(Language::Lithuanian)),
            Some(Language::Lithuanian)
        );
    }
}
