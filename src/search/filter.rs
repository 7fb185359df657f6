//! Filters applied while matching (`--lang`, `--country`, `--city`,
//! `--year`, `--from`, `--to`), as a test on each passage the query
//! matches.
//!
//! A passage's language and its document's facet group are read from
//! per-segment arrays ([`LangTable`], and the group array of
//! [`FacetGroups`]); a filter is a set of languages and the set of groups
//! whose values pass it, computed once per query. Filtering a matching
//! passage is then two array reads, where intersecting the query with the
//! filter terms' postings walked a third of the index for a language
//! filter and a range of year terms for `--from`. A filter neither adds to
//! nor changes a passage's score.
//!
//! Queries without words (facet listings) still filter through the terms'
//! postings, which is cheaper when nothing else selects passages.

use crate::facets::{country_to_u64, FacetGroups, Filters};
use crate::lang::Language;
use crate::schema::Fields;
use crate::segment_cache::PerSegment;
use rustc_hash::FxHashMap;
use std::ops::Bound;
use std::sync::Arc;
use tantivy::index::SegmentId;
use tantivy::query::{
    BooleanQuery, EnableScoring, Explanation, Query, RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Per segment, the language of every passage: 1 + its index in
/// [`Language::ALL`], 0 for an undetermined language. Read from the
/// language field's postings on first use.
#[derive(Debug, Default)]
pub(crate) struct LangTable(PerSegment<Vec<u8>>);

impl LangTable {
    pub(crate) fn segment(&self, reader: &SegmentReader, field: Field) -> Arc<Vec<u8>> {
        self.0.get(reader, |reader| read_langs(reader, field))
    }
}

fn read_langs(reader: &SegmentReader, field: Field) -> Vec<u8> {
    let mut out = vec![0u8; reader.max_doc() as usize];
    let Ok(inverted) = reader.inverted_index(field) else {
        return out;
    };
    for (i, l) in Language::ALL.iter().enumerate() {
        let term = Term::from_field_text(field, l.code());
        let Ok(Some(mut postings)) = inverted.read_postings(&term, IndexRecordOption::Basic) else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if let Some(slot) = out.get_mut(doc as usize) {
                *slot = lang_code(i);
            }
            doc = postings.advance();
        }
    }
    out
}

fn lang_code(index: usize) -> u8 {
    u8::try_from(index + 1).unwrap_or(0)
}

/// The filters as tantivy queries over their terms' postings, one per
/// filter (all must match), for queries without words.
pub(crate) fn filter_queries(
    fields: &Fields,
    f: &Filters,
    langs: &[Language],
) -> Vec<Box<dyn Query>> {
    use tantivy::query::Occur::Should;
    let any_of = |qs: Vec<Box<dyn Query>>| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Should, q)).collect(),
        ))
    };
    let term =
        |t: Term| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::Basic)) };
    let year = |y: u16| Term::from_field_u64(fields.year, u64::from(y));
    let bound = |y: Option<u16>| match y {
        Some(y) => Bound::Included(year(y)),
        None => Bound::Unbounded,
    };
    let mut out = Vec::new();
    if !langs.is_empty() {
        out.push(any_of(
            langs
                .iter()
                .map(|l| term(Term::from_field_text(fields.lang, l.code())))
                .collect(),
        ));
    }
    if !f.countries.is_empty() {
        out.push(any_of(
            f.countries
                .iter()
                .map(|c| term(Term::from_field_u64(fields.country, country_to_u64(*c))))
                .collect(),
        ));
    }
    if !f.cities.is_empty() {
        out.push(any_of(
            f.cities
                .iter()
                .map(|c| term(Term::from_field_u64(fields.city, u64::from(*c))))
                .collect(),
        ));
    }
    if !f.years.is_empty() || !f.year_ranges.is_empty() {
        let mut alternatives: Vec<Box<dyn Query>> =
            f.years.iter().map(|y| term(year(*y))).collect();
        for &(from, to) in &f.year_ranges {
            alternatives.push(Box::new(RangeQuery::new(bound(from), bound(to))));
        }
        out.push(any_of(alternatives));
    }
    if f.from.is_some() || f.to.is_some() {
        out.push(Box::new(RangeQuery::new(bound(f.from), bound(f.to))));
    }
    out
}

/// What a query keeps: languages (as a bit mask over [`LangTable`] codes)
/// and facet groups.
#[derive(Debug, Clone, Default)]
pub(crate) struct PassageFilter {
    langs: Option<[u64; 4]>,
    groups: Option<Arc<Vec<bool>>>,
}

impl PassageFilter {
    /// The filter of a request: languages and facet values.
    pub(crate) fn new(langs: &[Language], f: &Filters, groups: &FacetGroups) -> PassageFilter {
        let langs = (!langs.is_empty()).then(|| {
            let mut mask = [0u64; 4];
            for l in langs {
                if let Some(i) = Language::ALL.iter().position(|a| a == l) {
                    let c = usize::from(lang_code(i));
                    mask[c / 64] |= 1 << (c % 64);
                }
            }
            mask
        });
        let groups = (!f.is_empty()).then(|| {
            let countries: Vec<u64> = f.countries.iter().map(|c| country_to_u64(*c)).collect();
            let cities: Vec<u64> = f.cities.iter().map(|c| u64::from(*c)).collect();
            let in_range = |y: u64, from: Option<u16>, to: Option<u16>| {
                from.is_none_or(|a| y >= u64::from(a)) && to.is_none_or(|b| y <= u64::from(b))
            };
            let keep: Vec<bool> = (0..groups.len() as u64)
                .map(|g| {
                    let Some(v) = groups.get(g) else {
                        return false;
                    };
                    let year_ok = |pass: &dyn Fn(u64) -> bool| v.year.is_some_and(pass);
                    (countries.is_empty() || v.countries.iter().any(|c| countries.contains(c)))
                        && (cities.is_empty() || v.cities.iter().any(|c| cities.contains(c)))
                        && (f.years.is_empty() && f.year_ranges.is_empty()
                            || year_ok(&|y| {
                                f.years.iter().any(|a| u64::from(*a) == y)
                                    || f.year_ranges
                                        .iter()
                                        .any(|&(from, to)| in_range(y, from, to))
                            }))
                        && (f.from.is_none() && f.to.is_none()
                            || year_ok(&|y| in_range(y, f.from, f.to)))
                })
                .collect();
            Arc::new(keep)
        });
        PassageFilter { langs, groups }
    }
}

/// A segment's tables for [`FilteredQuery`].
#[derive(Debug, Clone)]
pub(crate) struct SegmentTables {
    /// Language code of every passage ([`LangTable`]).
    pub langs: Arc<Vec<u8>>,
    /// Facet group of every passage (`u32::MAX`: none).
    pub groups: Arc<Vec<u32>>,
}

/// A query whose matches are kept only when they pass a [`PassageFilter`];
/// scores are the inner query's.
#[derive(Debug)]
pub(crate) struct FilteredQuery {
    inner: Box<dyn Query>,
    filter: PassageFilter,
    tables: Arc<FxHashMap<SegmentId, SegmentTables>>,
}

impl Clone for FilteredQuery {
    fn clone(&self) -> Self {
        FilteredQuery {
            inner: self.inner.box_clone(),
            filter: self.filter.clone(),
            tables: self.tables.clone(),
        }
    }
}

impl FilteredQuery {
    pub(crate) fn new(
        inner: Box<dyn Query>,
        filter: PassageFilter,
        tables: FxHashMap<SegmentId, SegmentTables>,
    ) -> FilteredQuery {
        FilteredQuery {
            inner,
            filter,
            tables: Arc::new(tables),
        }
    }
}

impl Query for FilteredQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(FilteredWeight {
            inner: self.inner.weight(enable_scoring)?,
            filter: self.filter.clone(),
            tables: self.tables.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct FilteredWeight {
    inner: Box<dyn Weight>,
    filter: PassageFilter,
    tables: Arc<FxHashMap<SegmentId, SegmentTables>>,
}

/// Groups kept (by group number), and the group of every passage.
type GroupTest = (Arc<Vec<bool>>, Arc<Vec<u32>>);

/// The filter's test for one segment's passages.
#[derive(Clone)]
struct Keep {
    langs: Option<([u64; 4], Arc<Vec<u8>>)>,
    groups: Option<GroupTest>,
}

impl Keep {
    #[inline]
    fn keeps(&self, doc: DocId) -> bool {
        let doc = doc as usize;
        if let Some((mask, langs)) = &self.langs {
            let c = usize::from(langs.get(doc).copied().unwrap_or(0));
            if mask[c / 64] >> (c % 64) & 1 == 0 {
                return false;
            }
        }
        if let Some((keep, groups)) = &self.groups {
            let g = groups.get(doc).copied().unwrap_or(u32::MAX) as usize;
            if !keep.get(g).copied().unwrap_or(false) {
                return false;
            }
        }
        true
    }
}

impl FilteredWeight {
    fn keep(&self, reader: &SegmentReader) -> tantivy::Result<Keep> {
        let tables = self.tables.get(&reader.segment_id()).ok_or_else(|| {
            TantivyError::InternalError("a segment without filter tables".to_string())
        })?;
        Ok(Keep {
            langs: self.filter.langs.map(|m| (m, tables.langs.clone())),
            groups: self
                .filter
                .groups
                .as_ref()
                .map(|k| (k.clone(), tables.groups.clone())),
        })
    }
}

impl Weight for FilteredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let keep = self.keep(reader)?;
        let inner = self.inner.scorer(reader, boost)?;
        let doc = inner.doc();
        let mut s = FilteredScorer { inner, keep };
        if doc != TERMINATED && !s.keep.keeps(doc) {
            s.advance();
        }
        Ok(Box::new(s))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if !self.keep(reader)?.keeps(doc) {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not pass the filters"
            )));
        }
        self.inner.explain(reader, doc)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let keep = self.keep(reader)?;
        self.inner.for_each(reader, &mut |doc, score| {
            if keep.keeps(doc) {
                callback(doc, score);
            }
        })
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        let keep = self.keep(reader)?;
        let mut kept = Vec::new();
        self.inner.for_each_no_score(reader, &mut |docs| {
            kept.clear();
            kept.extend(docs.iter().copied().filter(|d| keep.keeps(*d)));
            if !kept.is_empty() {
                callback(&kept);
            }
        })
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let keep = self.keep(reader)?;
        let mut current = threshold;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if keep.keeps(doc) {
                    current = callback(doc, score);
                }
                current
            })
    }
}

struct FilteredScorer {
    inner: Box<dyn Scorer>,
    keep: Keep,
}

impl DocSet for FilteredScorer {
    fn advance(&mut self) -> DocId {
        let mut doc = self.inner.advance();
        while doc != TERMINATED && !self.keep.keeps(doc) {
            doc = self.inner.advance();
        }
        doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.inner.seek(target);
        if doc == TERMINATED || self.keep.keeps(doc) {
            return doc;
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for FilteredScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
