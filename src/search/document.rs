//! A whole document: every passage of one `doc` value, in document order.
//!
//! Used by the document view of `repsearch serve`. The document is found by
//! a term query on the `doc` field (indexed as one untokenised string), so
//! a document id never reaches the file system.

use super::highlight::MatchTerms;
use super::passages::StoredPassage;
use super::searcher::IndexSearcher;
use super::{highlight, SearchRequest};
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

/// Most passages returned for one document; longer documents are cut and
/// marked [`Document::truncated`].
pub(crate) const MAX_DOC_PASSAGES: usize = 5_000;

/// One passage of a document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocPassage {
    /// Passage number in the document (from 0).
    pub passage: u64,
    /// Byte offset of the passage in the document.
    pub start: u64,
    /// ISO 639-1 code of the passage's language.
    pub lang: String,
    /// The passage as written.
    pub text: String,
    /// The passage as HTML, with the words a query matched in `<mark>`
    /// (the escaped text when there is no query).
    pub highlight: String,
}

/// A whole document with its passages in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Document {
    /// Document path relative to the corpus folder.
    pub doc: String,
    /// Document title.
    pub title: String,
    /// The language of most of its text (ISO 639-1).
    pub lang: String,
    /// Cities of the document.
    pub city: Vec<String>,
    /// Countries of the document.
    pub country: Vec<String>,
    /// The document's year.
    pub year: Option<u64>,
    /// Passages in the index for this document.
    pub total_passages: usize,
    /// True when only the first [`MAX_DOC_PASSAGES`] passages are returned.
    pub truncated: bool,
    /// The passages, in document order.
    pub passages: Vec<DocPassage>,
}

impl IndexSearcher {
    /// The whole document `doc` (its path relative to the corpus), or `None`
    /// when the index has no such document. With a query, the words it
    /// matches are marked in every passage, as in search hits.
    pub(crate) fn document(&self, doc: &str, query: Option<&str>) -> Result<Option<Document>> {
        let terms = match query.filter(|q| !q.trim().is_empty()) {
            Some(q) => Some(self.plan_query(&SearchRequest::new(q))?.terms),
            None => None,
        };
        self.document_marked(doc, terms.as_ref())
    }

    /// The whole document `doc` with the words of `terms` marked.
    pub(crate) fn document_marked(
        &self,
        doc: &str,
        terms: Option<&MatchTerms>,
    ) -> Result<Option<Document>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.doc, doc),
            IndexRecordOption::Basic,
        );
        let addrs = searcher.search(&q, &DocSetCollector)?;
        if addrs.is_empty() {
            return Ok(None);
        }
        let total_passages = addrs.len();
        let order = in_passage_order(&searcher, addrs)?;
        let first_addr = order[0];
        let mut loaded: Vec<StoredPassage> = order
            .into_iter()
            .map(|addr| self.stored_passage(&searcher, addr))
            .collect::<Result<_>>()?;
        loaded.sort_by_key(|p| (p.start, p.passage));
        let facets = self.facet_names(&searcher, first_addr)?;
        let mut out = Document {
            doc: loaded[0].doc.clone(),
            title: loaded[0].title.clone(),
            lang: String::new(),
            city: facets.city,
            country: facets.country,
            year: facets.year,
            total_passages,
            truncated: total_passages > MAX_DOC_PASSAGES,
            passages: Vec::with_capacity(loaded.len()),
        };
        let mut chars_per_lang: BTreeMap<String, usize> = BTreeMap::new();
        for p in loaded {
            *chars_per_lang.entry(p.lang.clone()).or_default() += p.text.len();
            let spans = match terms {
                Some(t) => p.spans(t),
                None => Vec::new(),
            };
            out.passages.push(DocPassage {
                passage: p.passage,
                start: p.start,
                lang: p.lang,
                highlight: highlight::to_html(&p.text, &spans),
                text: p.text,
            });
        }
        out.lang = chars_per_lang
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .map(|(l, _)| l)
            .unwrap_or_default();
        Ok(Some(out))
    }
}

/// A document's first [`MAX_DOC_PASSAGES`] passages by passage number (a
/// fast field), ordered before loading, so a huge document loads only the
/// passages returned.
fn in_passage_order(
    searcher: &tantivy::Searcher,
    addrs: impl IntoIterator<Item = DocAddress>,
) -> Result<Vec<DocAddress>> {
    let columns = searcher
        .segment_readers()
        .iter()
        .map(|r| r.fast_fields().u64(crate::schema::names::PASSAGE))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut order: Vec<(u64, DocAddress)> = addrs
        .into_iter()
        .map(|a| {
            let n = columns[a.segment_ord as usize].first(a.doc_id);
            (n.unwrap_or(0), a)
        })
        .collect();
    order.sort_unstable();
    order.truncate(MAX_DOC_PASSAGES);
    Ok(order.into_iter().map(|(_, a)| a).collect())
}
