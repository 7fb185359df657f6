//! The index schema, built in one place, with typed field handles.

use crate::analysis::FieldKind;
use crate::error::{Error, Result};
use crate::facets::{Facet, GROUP_FIELD};
use crate::lang::Language;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

/// Names of the non-analysed fields.
pub(crate) mod names {
    /// Document path relative to the corpus folder.
    pub(crate) const DOC: &str = "doc";
    /// A 64-bit hash of the document path ([`super::doc_key`]): collapsing
    /// and per-document counts read it from a numeric column.
    pub(crate) const DOC_KEY: &str = "doc_key";
    /// Document title.
    pub(crate) const TITLE: &str = "title";
    /// Passage number in its document.
    pub(crate) const PASSAGE: &str = "passage";
    /// ISO 639-1 code of the passage's language.
    pub(crate) const LANG: &str = "lang";
    /// The passage text as written.
    pub(crate) const TEXT: &str = "text";
    /// Byte offset of the passage in its document.
    pub(crate) const START: &str = "start";
    /// Exact-word field.
    pub(crate) const EXACT: &str = "exact";
    /// Folded, transliterated field.
    pub(crate) const FOLD: &str = "fold";
    /// Canonical names of the places mentioned in the passage (folded).
    pub(crate) const PLACES: &str = "places";
    /// Cognate keys of the passage's long words.
    pub(crate) const COGNATE: &str = "cognate";
    /// Place mentions of the passage, for highlighting (stored JSON).
    pub(crate) const MENTIONS: &str = "mentions";
}

/// The key of a document path in the `doc_key` field (xxh3, 64 bits: a
/// collision among the documents of one index is vanishingly unlikely).
pub(crate) fn doc_key(rel: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(rel.as_bytes())
}

/// Handles to every field of the index.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    /// The schema the handles belong to.
    pub schema: Schema,
    /// Document path relative to the corpus.
    pub doc: Field,
    /// Hash of the document path.
    pub doc_key: Field,
    /// Document title.
    pub title: Field,
    /// Passage number.
    pub passage: Field,
    /// Passage language code.
    pub lang: Field,
    /// Passage text.
    pub text: Field,
    /// Byte offset of the passage in its document.
    pub start: Field,
    /// Exact words.
    pub exact: Field,
    /// Folded words and stems.
    pub fold: Field,
    /// Canonical place names of the passage's mentions.
    pub places: Field,
    /// Stored place mentions.
    pub mentions: Field,
    /// Cognate keys.
    pub cognate: Field,
    /// Document countries (ISO code as u64, see [`crate::facets`]), on
    /// every passage: indexed for filters, not stored (the values are read
    /// from the passage's facet group).
    pub country: Field,
    /// Document cities (GeoNames ids), indexed on every passage.
    pub city: Field,
    /// Document year, indexed on every passage.
    pub year: Field,
    /// The passage's facet group (see [`crate::facets::FacetGroups`]).
    pub group: Field,
    stems: Vec<(Language, Field)>,
}

/// An analysed field. Phrases are matched in the exact and stemmed fields
/// only, so only those keep word positions; the folded and place fields
/// keep frequencies (for scoring), which spares the writer a position per
/// folded and transliterated term and the index their bytes.
fn analysed(kind: FieldKind) -> TextOptions {
    let record = match kind {
        FieldKind::Exact | FieldKind::Stem(_) => IndexRecordOption::WithFreqsAndPositions,
        FieldKind::Fold(_) | FieldKind::Cognate => IndexRecordOption::WithFreqs,
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(&kind.analyzer_name())
            .set_index_option(record),
    )
}

impl Fields {
    /// Builds the schema.
    pub(crate) fn build() -> Fields {
        let mut b = Schema::builder();
        // columns (FAST) only where a search reads one per passage: the
        // document key, the passage number and the facet group; filters
        // use the inverted index. A document's countries, cities and year
        // are stored once, in its facet group (see FacetGroups), not on
        // each passage: a document naming hundreds of cities made the
        // stored passages many times larger than their text
        b.add_text_field(names::DOC, STRING | STORED);
        b.add_u64_field(names::DOC_KEY, INDEXED | FAST);
        b.add_text_field(names::TITLE, STORED);
        b.add_u64_field(names::PASSAGE, INDEXED | STORED | FAST);
        b.add_text_field(names::LANG, STRING | STORED);
        b.add_text_field(names::TEXT, STORED);
        b.add_u64_field(names::START, STORED);
        b.add_text_field(names::EXACT, analysed(FieldKind::Exact));
        b.add_text_field(names::FOLD, analysed(FieldKind::Fold(None)));
        b.add_text_field(names::PLACES, analysed(FieldKind::Fold(None)));
        b.add_text_field(names::MENTIONS, STORED);
        b.add_text_field(names::COGNATE, analysed(FieldKind::Cognate));
        for f in Facet::ALL {
            b.add_u64_field(f.field_name(), INDEXED);
        }
        b.add_u64_field(GROUP_FIELD, FAST);
        for &l in Language::ALL {
            b.add_text_field(&l.stem_field(), analysed(FieldKind::Stem(l)));
        }
        Fields::from_schema(&b.build()).expect("a schema built here has every field")
    }

    /// True when an index's schema is this version's: its fields, with the
    /// same options (an index whose passages stored their facet values is
    /// of another version, and `--update` rebuilds it whole).
    pub(crate) fn is_current(schema: &Schema) -> bool {
        *schema == Fields::build().schema
    }

    /// Finds the handles in a schema read from an index.
    pub(crate) fn from_schema(schema: &Schema) -> Result<Fields> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| {
                Error::Damaged(format!(
                    "the index has no field '{name}': it was built by another version of repsearch; rebuild it with `repsearch index`"
                ))
            })
        };
        let mut stems = Vec::new();
        for &l in Language::ALL {
            stems.push((l, get(&l.stem_field())?));
        }
        Ok(Fields {
            schema: schema.clone(),
            doc: get(names::DOC)?,
            doc_key: get(names::DOC_KEY)?,
            title: get(names::TITLE)?,
            passage: get(names::PASSAGE)?,
            lang: get(names::LANG)?,
            text: get(names::TEXT)?,
            start: get(names::START)?,
            exact: get(names::EXACT)?,
            fold: get(names::FOLD)?,
            places: get(names::PLACES)?,
            mentions: get(names::MENTIONS)?,
            cognate: get(names::COGNATE)?,
            country: get(Facet::Country.field_name())?,
            city: get(Facet::City.field_name())?,
            year: get(Facet::Year.field_name())?,
            group: get(GROUP_FIELD)?,
            stems,
        })
    }

    /// The stemmed field of a language.
    pub(crate) fn stem(&self, lang: Language) -> Field {
        self.stems
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, f)| *f)
            .expect("every language has a stem field")
    }
}
