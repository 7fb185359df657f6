//! The per-document pipeline: passages, languages and index terms. Pure and
//! independent for every document, so documents are analysed in parallel.

use super::inflight::{InFlight, Ticket};
use super::meta::DocMeta;
use crate::analysis::{analyze_passage, tantivy_glue::to_tokens, FieldKind, Term};
use crate::detect;
use crate::extract::{self, Extraction, MentionKind, YearEvidence};
use crate::facets::{country_to_u64, Year};
use crate::gazetteer::{gazetteer, CountryCode};
use crate::lang::Language;
use crate::passage::{self, Passage};
use crate::schema::Fields;
pub(crate) use crate::stored::PassagePlaces;
use tantivy::schema::{Field, OwnedValue};
use tantivy::tokenizer::PreTokenizedString;
use tantivy::Document;

/// One passage as handed to the index writer.
///
/// tantivy's own `TantivyDocument` stores pre-tokenized text as JSON and
/// parses it back inside the writer; this plain list of values hands the
/// tokens over without that round trip.
#[derive(Debug, Default)]
pub(crate) struct PassageDoc {
    values: Vec<(Field, OwnedValue)>,
    /// Its share of the bytes in flight to the writer, given back when the
    /// writer drops it (see [`super::inflight`]).
    ticket: Option<Ticket>,
}

impl PassageDoc {
    fn add(&mut self, field: Field, value: impl Into<OwnedValue>) {
        self.values.push((field, value.into()));
    }

    /// About the bytes the passage holds in memory: its text and its
    /// tokens.
    pub(crate) fn heap_bytes(&self) -> usize {
        let token = std::mem::size_of::<tantivy::tokenizer::Token>() + 16;
        self.values
            .iter()
            .map(|(_, v)| match v {
                OwnedValue::Str(s) => s.len(),
                OwnedValue::PreTokStr(p) => {
                    p.tokens.iter().map(|t| token + t.text.len()).sum::<usize>()
                }
                _ => 0,
            })
            .sum::<usize>()
            + self.values.len() * std::mem::size_of::<(Field, OwnedValue)>()
    }

    /// Waits for room in the writer's budget, and holds it until dropped.
    pub(crate) fn admit(&mut self, budget: &std::sync::Arc<InFlight>) {
        self.ticket = Some(budget.admit(self.heap_bytes()));
    }
}

impl Clone for PassageDoc {
    /// A copy of the values (without a share of the in-flight budget).
    fn clone(&self) -> Self {
        PassageDoc {
            values: self.values.clone(),
            ticket: None,
        }
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
pub(crate) const MIN_DETECT_CHARS: usize = 60;
/// Below this confidence a passage takes its document's language.
pub(crate) const MIN_CONFIDENCE: f64 = 0.5;

/// A document analysed for indexing.
#[derive(Debug, Clone)]
pub(crate) struct AnalyzedDocument {
    /// Path relative to the corpus.
    pub rel: String,
    /// Title: the first non-blank line.
    pub title: String,
    /// Passages with their languages.
    pub passages: Vec<(Passage, Option<Language>)>,
    /// Document-level facet values.
    pub facets: DocFacets,
    /// Places and year found in the text.
    pub extraction: Extraction,
}

/// The facet values every passage of a document carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DocFacets {
    /// Countries named, and the countries of the cities.
    pub countries: Vec<CountryCode>,
    /// Cities (GeoNames ids).
    pub cities: Vec<u32>,
    /// The report's year.
    pub year: Option<Year>,
}

impl DocFacets {
    /// The values as a facet group.
    pub(crate) fn group_values(&self) -> crate::facets::GroupValues {
        crate::facets::GroupValues::new(&self.countries, &self.cities, self.year)
    }

    /// Which facets have a value.
    pub(crate) fn present(&self) -> crate::facets::PerFacet<bool> {
        use crate::facets::Facet;
        crate::facets::PerFacet::from_fn(|f| match f {
            Facet::Country => !self.countries.is_empty(),
            Facet::City => !self.cities.is_empty(),
            Facet::Year => self.year.is_some(),
        })
    }

    /// The extracted values, overridden by the metadata where it gives them.
    pub(crate) fn new(x: &Extraction, meta: Option<&DocMeta>) -> DocFacets {
        DocFacets {
            countries: x.country_codes(),
            cities: x.city_ids(),
            year: x.year.map(|y| y.0),
        }
        .with_meta(meta)
    }

    /// The values, overridden by the metadata where it gives them.
    pub(crate) fn with_meta(mut self, meta: Option<&DocMeta>) -> DocFacets {
        if let Some(m) = meta {
            if let Some(c) = &m.cities {
                self.cities = c.clone();
            }
            if let Some(c) = &m.countries {
                self.countries = c.clone();
            }
            if m.year.is_some() {
                self.year = m.year;
            }
        }
        self
    }
}

/// The facets of a document read in parts (a first pass over a long
/// document's chunks): the places and the year's evidence of the parts seen
/// so far. Its size is bounded by the distinct places named, not by the
/// text. Added up in text order, the parts give the values extraction gives
/// on the whole text, in the same order, wherever each part resolves its
/// places as the whole would (a place is resolved with its part's context).
#[derive(Debug, Clone, Default)]
pub(crate) struct FacetScan {
    /// Countries named, in order of first mention.
    named: Vec<CountryCode>,
    /// Cities and their countries, in order of first mention.
    cities: Vec<(u32, CountryCode)>,
    year: YearEvidence,
}

impl FacetScan {
    /// Adds the next part of the document: its extraction and its text.
    pub(crate) fn add(&mut self, x: &Extraction, text: &str) {
        for m in &x.mentions {
            if let (MentionKind::Country, Some(c)) = (m.kind, m.country) {
                if !self.named.contains(&c) {
                    self.named.push(c);
                }
            }
        }
        for c in &x.cities {
            if !self.cities.iter().any(|(id, _)| *id == c.geonameid) {
                self.cities.push((c.geonameid, c.country));
            }
        }
        self.year.merge(&YearEvidence::of(text));
    }

    /// The document's facets, overridden by the metadata where it gives them.
    pub(crate) fn facets(&self, meta: Option<&DocMeta>) -> DocFacets {
        let g = gazetteer();
        let mut countries: Vec<CountryCode> = Vec::new();
        for c in self.named.iter().chain(self.cities.iter().map(|(_, c)| c)) {
            if !countries.contains(c) && g.country(*c).is_some() {
                countries.push(*c);
            }
        }
        DocFacets {
            countries,
            cities: self.cities.iter().map(|(id, _)| *id).collect(),
            year: self.year.year().map(|y| y.0),
        }
        .with_meta(meta)
    }
}

/// The title of a plain-text document: its first non-blank line, shortened.
pub(crate) fn title_of(text: &str) -> String {
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
pub(crate) fn passage_language(text: &str, doc_lang: Option<Language>) -> Option<Language> {
    let head = head(text, DETECT_CHARS);
    if head
        .chars()
        .filter(|c| crate::chars::is_alphabetic(*c))
        .count()
        < MIN_DETECT_CHARS
    {
        return doc_lang.or_else(|| detect::detect(text));
    }
    match detect::detect_scored(head) {
        Some((l, conf)) if conf >= MIN_CONFIDENCE || doc_lang.is_none() => Some(l),
        _ => doc_lang,
    }
}

/// Characters of a passage that language detection looks at: a few
/// sentences decide as well as the whole passage, at a fraction of the cost.
pub(crate) const DETECT_CHARS: usize = 200;

/// The first `n` characters of a text.
fn head(text: &str, n: usize) -> &str {
    text.char_indices()
        .nth(n)
        .map(|(i, _)| &text[..i])
        .unwrap_or(text)
}

/// The language of a document (or a chunk of one), from its head.
fn document_language(text: &str) -> Option<Language> {
    detect::detect(head(text, 4 * DETECT_CHARS))
}

/// The places and year of a document (or a chunk of one), extracted as
/// [`analyze_document`] does.
pub(crate) fn extract_chunk(text: &str) -> Extraction {
    extract::extract(text, document_language(text))
}

/// Splits, detects and extracts a document. `title` is the format's own
/// title, if any; `meta` the metadata file's values.
pub(crate) fn analyze_document(
    rel: &str,
    text: &str,
    title: Option<&str>,
    meta: Option<&DocMeta>,
) -> AnalyzedDocument {
    let lang = document_language(text);
    let extraction = extract::extract(text, lang);
    let facets = DocFacets::new(&extraction, meta);
    let title = meta
        .and_then(|m| m.title.clone())
        .or_else(|| {
            title
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
        })
        .unwrap_or_else(|| title_of(text));
    let passages = passage::split(text)
        .into_iter()
        .map(|p| {
            let l = passage_language(p.text(text), lang);
            (p, l)
        })
        .collect();
    AnalyzedDocument {
        rel: rel.to_string(),
        title,
        passages,
        facets,
        extraction,
    }
}

fn pre_tokenized(terms: Vec<Term>) -> PreTokenizedString {
    PreTokenizedString {
        text: String::new(),
        tokens: to_tokens(terms),
    }
}

/// The tantivy documents (one per passage) of an analysed document, built
/// one at a time as the iterator is read (a passage's tokens take ~40
/// times its text: building a long document's passages all at once took
/// gigabytes). `first_passage` and `offset` place a streamed chunk in its
/// document; `group` is the document's facet group, which holds its
/// countries, cities and year once for all its passages.
pub(crate) fn to_tantivy<'a>(
    doc: &'a AnalyzedDocument,
    text: &'a str,
    fields: &'a Fields,
    first_passage: usize,
    offset: usize,
    group: u64,
) -> impl Iterator<Item = PassageDoc> + 'a {
    let key = crate::schema::doc_key(&doc.rel);
    doc.passages.iter().map(move |(p, lang)| {
        let ptext = p.text(text);
        let mut d = PassageDoc::default();
        d.add(fields.doc, doc.rel.as_str());
        d.add(fields.doc_key, key);
        d.add(fields.title, doc.title.as_str());
        d.add(fields.passage, (first_passage + p.index) as u64);
        d.add(fields.lang, lang.map(|l| l.code()).unwrap_or(UNDETERMINED));
        d.add(fields.text, ptext);
        d.add(fields.start, (offset + p.range.start) as u64);
        // indexed on every passage for filters (cheap: runs of passages in
        // the postings), stored once, in the group
        for c in &doc.facets.countries {
            d.add(fields.country, country_to_u64(*c));
        }
        for id in &doc.facets.cities {
            d.add(fields.city, u64::from(*id));
        }
        if let Some(y) = doc.facets.year {
            d.add(fields.year, u64::from(y));
        }
        d.add(fields.group, group);
        let places = PassagePlaces::of(&doc.extraction, p.range.clone());
        if !places.is_empty() {
            let names: Vec<&str> = places.0.iter().map(|m| m.name.as_str()).collect();
            let terms = crate::analysis::analyze(&names.join(" \n "), FieldKind::Fold(None));
            d.add(fields.places, OwnedValue::PreTokStr(pre_tokenized(terms)));
            d.add(fields.mentions, places.to_json());
        }
        let terms = analyze_passage(ptext, *lang);
        d.add(
            fields.exact,
            OwnedValue::PreTokStr(pre_tokenized(terms.exact)),
        );
        d.add(
            fields.fold,
            OwnedValue::PreTokStr(pre_tokenized(terms.fold)),
        );
        d.add(
            fields.cognate,
            OwnedValue::PreTokStr(pre_tokenized(terms.cognate)),
        );
        if let Some(l) = lang {
            d.add(
                fields.stem(*l),
                OwnedValue::PreTokStr(pre_tokenized(terms.stem)),
            );
        }
        d
    })
}

/// The language code stored for a passage whose language is unknown.
pub(crate) const UNDETERMINED: &str = "und";

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
