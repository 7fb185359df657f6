//! Analysis: from text to index terms, one function for every field.
//!
//! Three kinds of field ([`FieldKind`]) are built from the same word splitter
//! ([`words`]) and normalisation pipeline ([`crate::normalize`]):
//! - `exact`: the normalised word, diacritics kept (strongest evidence);
//! - `stem_<lang>`: the word stemmed by its language's Snowball stemmer;
//! - `fold`: language-independent: stemmed and unstemmed forms with Latin
//!   diacritics folded and Cyrillic transliterated to Latin (weakest).
//!
//! A word may give several terms at one position (a footnote-stripped
//! variant, two transliterations); every term keeps the byte offsets of the
//! word in the original text, which is what highlighting relies on.

pub(crate) mod tantivy_glue;
pub mod words;

use crate::lang::Language;
use crate::normalize::cognate::cognate_keys;
use crate::normalize::{
    fold::fold_diacritics, footnote::strip_footnote_digits, normalize_word, translit,
};
use crate::scratch::Memo;
pub use words::{words, Word};

/// The kinds of analysed index field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Normalised words, no stemming, diacritics kept.
    Exact,
    /// Words stemmed for one language (identity for a language without stemmer).
    Stem(Language),
    /// Language-independent folded and transliterated terms; the language,
    /// if known, adds the folded stem beside the folded word.
    Fold(Option<Language>),
    /// Cognate keys (see [`crate::normalize::cognate`]): one weak key per
    /// long word, shared by internationalisms across languages and scripts.
    Cognate,
}

impl FieldKind {
    /// Name of the tantivy analyzer registered for this kind.
    pub(crate) fn analyzer_name(self) -> String {
        match self {
            FieldKind::Exact => "repsearch_exact".to_string(),
            FieldKind::Stem(l) => l.stem_analyzer(),
            FieldKind::Fold(None) => "repsearch_fold".to_string(),
            FieldKind::Fold(Some(l)) => format!("repsearch_fold_{}", l.code()),
            FieldKind::Cognate => "repsearch_cognate".to_string(),
        }
    }
}

/// One index term with the position and original byte offsets of its word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as indexed.
    pub text: String,
    /// Word position (terms of one word share it).
    pub position: usize,
    /// Byte offset of the word in the analysed text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
}

/// Stems a normalised word; identity for a language without a stemmer.
pub(crate) fn stem(word: &str, lang: Language) -> String {
    match lang.stemmer() {
        Some(s) => s.stem(word).into_owned(),
        None => word.to_string(),
    }
}

fn push_unique(out: &mut Vec<String>, term: String) {
    if !term.is_empty() && !out.contains(&term) {
        out.push(term);
    }
}

/// The terms one word gives in each kind of field, computed in one pass
/// (the word is normalised once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WordForms {
    /// Terms of the exact field.
    pub exact: Vec<String>,
    /// Terms of the language's stemmed field (empty without a language).
    pub stem: Vec<String>,
    /// Terms of the folded field.
    pub fold: Vec<String>,
    /// Cognate key (none for short words).
    pub cognate: Vec<String>,
}

/// The forms of one word, for a passage in `lang`.
pub(crate) fn word_forms(word: &str, lang: Option<Language>) -> WordForms {
    let norm = normalize_word(word);
    let stripped = strip_footnote_digits(&norm);
    let mut f = WordForms::default();
    for v in std::iter::once(norm).chain(stripped) {
        let stemmed = lang.map(|l| stem(&v, l));
        let folded = fold_diacritics(&v);
        for t in translit::transliterate(&folded) {
            push_unique(&mut f.fold, t);
        }
        if let Some(s) = stemmed {
            if s != v {
                for t in translit::transliterate(&fold_diacritics(&s)) {
                    push_unique(&mut f.fold, t);
                }
            }
            push_unique(&mut f.stem, s);
        }
        for k in cognate_keys(&v) {
            push_unique(&mut f.cognate, k);
        }
        push_unique(&mut f.exact, v);
    }
    f
}

/// The terms one word gives in a field of the given kind (usually one).
/// Through the thread's cache of word forms: highlighting analyses every
/// returned passage once per field kind.
pub(crate) fn word_terms(word: &str, kind: FieldKind) -> Vec<String> {
    match kind {
        FieldKind::Exact => with_word_forms(word, None, |f| f.exact.clone()),
        FieldKind::Stem(l) => with_word_forms(word, Some(l), |f| f.stem.clone()),
        FieldKind::Fold(l) => with_word_forms(word, l, |f| f.fold.clone()),
        FieldKind::Cognate => with_word_forms(word, None, |f| f.cognate.clone()),
    }
}

/// Analyses a text for one field kind.
pub fn analyze(text: &str, kind: FieldKind) -> Vec<Term> {
    let mut out = Vec::new();
    for (position, w) in words(text).enumerate() {
        for t in word_terms(w.text, kind) {
            out.push(Term {
                text: t,
                position,
                start: w.start,
                end: w.end,
            });
        }
    }
    out
}

/// The terms of a passage in all its fields, analysed in one pass.
#[derive(Debug, Clone, Default)]
pub struct PassageTerms {
    /// Exact field.
    pub exact: Vec<Term>,
    /// The passage language's stemmed field.
    pub stem: Vec<Term>,
    /// Folded field.
    pub fold: Vec<Term>,
    /// Cognate-key field.
    pub cognate: Vec<Term>,
}

/// Words whose forms a thread keeps (then it starts afresh): word frequencies
/// are Zipfian, so most words of a passage were analysed a moment ago.
const FORMS_CACHE_WORDS: usize = 1 << 16;

thread_local! {
    /// Forms by word and language (`word`, NUL, language code).
    static FORMS_CACHE: Memo<String, WordForms> = Memo::new(FORMS_CACHE_WORDS);
}

/// Longest cache key built without allocating.
const KEY_BYTES: usize = 128;

/// [`word_forms`] through the thread's cache; `f` sees the forms.
fn with_word_forms<R>(word: &str, lang: Option<Language>, f: impl FnOnce(&WordForms) -> R) -> R {
    let code = lang.map_or("", |l| l.code());
    let mut buf = [0u8; KEY_BYTES];
    let long;
    let key = if word.len() + 1 + code.len() <= KEY_BYTES {
        let (w, rest) = buf.split_at_mut(word.len());
        w.copy_from_slice(word.as_bytes());
        rest[1..=code.len()].copy_from_slice(code.as_bytes());
        std::str::from_utf8(&buf[..word.len() + 1 + code.len()]).expect("two strs and a NUL")
    } else {
        long = format!("{word}\u{0}{code}");
        long.as_str()
    };
    let forms = FORMS_CACHE.with(|m| m.get_or_insert_with(key, || word_forms(word, lang)));
    f(&forms)
}

/// Calls `f` with every word of `text` and its forms for a passage in
/// `lang` (through the thread's cache; nothing is copied).
pub(crate) fn for_each_word(
    text: &str,
    lang: Option<Language>,
    mut f: impl FnMut(&Word, &WordForms),
) {
    for w in words(text) {
        with_word_forms(w.text, lang, |forms| f(&w, forms));
    }
}

/// Analyses a passage for every field at once.
pub fn analyze_passage(text: &str, lang: Option<Language>) -> PassageTerms {
    let mut out = PassageTerms::default();
    for (position, w) in words(text).enumerate() {
        let put = |dst: &mut Vec<Term>, terms: &[String]| {
            dst.extend(terms.iter().map(|t| Term {
                text: t.clone(),
                position,
                start: w.start,
                end: w.end,
            }));
        };
        with_word_forms(w.text, lang, |f| {
            put(&mut out.exact, &f.exact);
            put(&mut out.stem, &f.stem);
            put(&mut out.fold, &f.fold);
            put(&mut out.cognate, &f.cognate);
        });
    }
    out
}

/// The fold-field terms a query word should be looked up with: the folded
/// word and its folded stem in each of `langs` (the languages of the
/// index's passages: a folded stem is indexed only for passages of its
/// language, as the stemmed fields are searched only for those).
pub(crate) fn fold_query_terms(word: &str, langs: &[Language]) -> Vec<String> {
    let mut out = Vec::new();
    for t in word_terms(word, FieldKind::Fold(None)) {
        push_unique(&mut out, t);
    }
    for &l in langs {
        if l.stemmer_algorithm().is_some() {
            for t in word_terms(word, FieldKind::Fold(Some(l))) {
                push_unique(&mut out, t);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::*;

    fn one(word: &str, kind: FieldKind) -> String {
        word_terms(word, kind).remove(0)
    }

    #[test]
    fn lithuanian_inflections_share_a_stem() {
        let k = FieldKind::Stem(Lithuanian);
        assert_eq!(one("Panevėžio", k), one("Panevėžys", k));
        assert_eq!(one("robotikos", k), one("robotika", k));
    }

    #[test]
    fn russian_inflections_share_a_stem() {
        let k = FieldKind::Stem(Russian);
        assert_eq!(one("Металлургии", k), one("металлургия", k));
    }

    #[test]
    fn fold_field_matches_without_diacritics_and_across_scripts() {
        let indexed = word_terms("Panevėžio", FieldKind::Fold(Some(Lithuanian)));
        let query = fold_query_terms("Panevezys", Language::ALL);
        assert!(
            query.iter().any(|q| indexed.contains(q)),
            "{indexed:?} vs {query:?}"
        );
        let indexed = word_terms("Липецкий", FieldKind::Fold(Some(Russian)));
        let query = fold_query_terms("Lipetsk", Language::ALL);
        assert!(
            query.iter().any(|q| indexed.contains(q)),
            "{indexed:?} vs {query:?}"
        );
    }

    #[test]
    fn footnote_variant_is_indexed_at_the_same_position() {
        let terms = analyze("finansinio m1echanizmo lėšomis", FieldKind::Exact);
        let at1: Vec<&str> = terms
            .iter()
            .filter(|t| t.position == 1)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(at1, ["m1echanizmo", "mechanizmo"]);
        assert!(terms.iter().all(|t| t.start < t.end));
    }

    #[test]
    fn one_pass_equals_per_field_analysis() {
        let text = "Panevėžio m1echanizmo Липецкий Ёлка robotikos";
        let all = analyze_passage(text, Some(Lithuanian));
        assert_eq!(all.exact, analyze(text, FieldKind::Exact));
        assert_eq!(all.stem, analyze(text, FieldKind::Stem(Lithuanian)));
        assert_eq!(all.fold, analyze(text, FieldKind::Fold(Some(Lithuanian))));
    }

    #[test]
    fn offsets_survive_normalisation() {
        let text = "ПАНЕ\u{00AD}ВЕЖИС и Ёлка";
        for t in analyze(text, FieldKind::Fold(Some(Russian))) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
    }
}
