//! Reading a passage's stored fields: the one place the search side reads
//! them, for hits and for the document view.

use super::highlight::MatchTerms;
use super::searcher::IndexSearcher;
use crate::error::Result;
use crate::lang::Language;
use crate::stored::PassagePlaces;
use std::ops::Range;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, TantivyDocument};

/// A passage as stored in the index.
#[derive(Debug, Clone, Default)]
pub(crate) struct StoredPassage {
    /// Document path relative to the corpus folder.
    pub doc: String,
    /// Document title.
    pub title: String,
    /// Passage number in the document (from 0).
    pub passage: u64,
    /// Byte offset of the passage in the document.
    pub start: u64,
    /// ISO 639-1 code of the passage's language (`und` if unknown).
    pub lang: String,
    /// The passage as written.
    pub text: String,
    /// The places it names, in their stored form.
    mentions: String,
}

impl StoredPassage {
    /// Byte ranges in the text of the words (and places) `terms` match.
    pub(crate) fn spans(&self, terms: &MatchTerms) -> Vec<Range<usize>> {
        let places = PassagePlaces::from_json(&self.mentions);
        terms.spans(&self.text, Language::from_code(&self.lang), &places)
    }
}

impl IndexSearcher {
    /// Reads the stored fields of the passage at `addr`.
    pub(crate) fn stored_passage(
        &self,
        searcher: &tantivy::Searcher,
        addr: DocAddress,
    ) -> Result<StoredPassage> {
        let d: TantivyDocument = searcher.doc(addr)?;
        let text = |f: Field| {
            d.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let number = |f: Field| d.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0);
        let f = &self.fields;
        Ok(StoredPassage {
            doc: text(f.doc),
            title: text(f.title),
            passage: number(f.passage),
            start: number(f.start),
            lang: text(f.lang),
            text: text(f.text),
            mentions: text(f.mentions),
        })
    }
}
