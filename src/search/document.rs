//! A whole document: every passage of one `doc` value, in document order.
//!
//! Used by the document view of `repsearch serve`. The document is found by
//! a term query on the `doc` field (indexed as one untokenised string), so
//! a document id never reaches the file system.

use super::{highlight, SearchRequest, Searcher};
use crate::error::Result;
use crate::facets::{value_name, Facet};
use crate::stored::PassagePlaces;
use crate::lang::Language;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

/// Most passages returned for one document; longer documents are cut and
/// marked [`Document::truncated`].
pub const MAX_DOC_PASSAGES: usize = 5_000;

/// One passage of a document.
#[derive(Debug, Clone, Serialize)]
pub struct DocPassage {
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
#[derive(Debug, Clone, Serialize)]
pub struct Document {
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

/// The display names of a document's facet values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FacetNames {
    /// Cities.
    pub city: Vec<String>,
    /// Countries.
    pub country: Vec<String>,
    /// The year.
    pub year: Option<u64>,
}

impl Searcher {
    /// The facet values of a passage's document, read from its facet group
    /// (stored once per document, not on each passage).
    pub(crate) fn facet_names(
        &self,
        searcher: &tantivy::Searcher,
        addr: tantivy::DocAddress,
    ) -> Result<FacetNames> {
        let groups = self.facet_groups()?;
        let column = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64(crate::facets::GROUP_FIELD)?;
        let Some(v) = column.first(addr.doc_id).and_then(|g| groups.get(g)) else {
            return Ok(FacetNames::default());
        };
        let names = |f: Facet, values: &[u64]| values.iter().map(|&v| value_name(f, v)).collect();
        Ok(FacetNames {
            city: names(Facet::City, &v.cities),
            country: names(Facet::Country, &v.countries),
            year: v.year,
        })
    }

    /// Passages in the index.
    pub fn num_passages(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The whole document `doc` (its path relative to the corpus), or `None`
    /// when the index has no such document. With a query, the words it
    /// matches are marked in every passage, as in search hits.
    pub fn document(&self, doc: &str, query: Option<&str>) -> Result<Option<Document>> {
        let terms = match query.filter(|q| !q.trim().is_empty()) {
            Some(q) => Some(self.build_query(&SearchRequest::new(q))?.terms),
            None => None,
        };
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
        // order by the passage number (a fast field) before loading, so a
        // huge document loads only the passages returned
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|r| r.fast_fields().u64(crate::schema::names::PASSAGE))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut order: Vec<(u64, tantivy::DocAddress)> = addrs
            .into_iter()
            .map(|a| {
                let n = columns[a.segment_ord as usize].first(a.doc_id);
                (n.unwrap_or(0), a)
            })
            .collect();
        order.sort_unstable();
        order.truncate(MAX_DOC_PASSAGES);
        let first_addr = order[0].1;
        let mut loaded: Vec<(u64, u64, TantivyDocument)> = Vec::with_capacity(order.len());
        for (_, addr) in order {
            let d: TantivyDocument = searcher.doc(addr)?;
            let num = |f: Field| d.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0);
            loaded.push((num(self.fields.start), num(self.fields.passage), d));
        }
        loaded.sort_by_key(|(start, passage, _)| (*start, *passage));
        let s = |d: &TantivyDocument, f: Field| {
            d.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let first = &loaded[0].2;
        let facets = self.facet_names(&searcher, first_addr)?;
        let mut out = Document {
            doc: s(first, self.fields.doc),
            title: s(first, self.fields.title),
            lang: String::new(),
            city: facets.city,
            country: facets.country,
            year: facets.year,
            total_passages,
            truncated: total_passages > MAX_DOC_PASSAGES,
            passages: Vec::with_capacity(loaded.len()),
        };
        let mut chars_per_lang: BTreeMap<String, usize> = BTreeMap::new();
        for (start, passage, d) in &loaded {
            let text = s(d, self.fields.text);
            let lang = s(d, self.fields.lang);
            *chars_per_lang.entry(lang.clone()).or_default() += text.len();
            let spans = match &terms {
                Some(t) => {
                    let places = PassagePlaces::from_json(&s(d, self.fields.mentions));
                    t.spans(&text, Language::from_code(&lang), &places)
                }
                None => Vec::new(),
            };
            out.passages.push(DocPassage {
                passage: *passage,
                start: *start,
                lang,
                highlight: highlight::to_html(&text, &spans),
                text,
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
