//! Word normalisation as small units applied in a fixed order.
//!
//! Each unit implements [`Normalizer`]: it rewrites one word in place. The
//! ordered list [`WORD_PIPELINE`] is what every index field applies to every
//! word before its field-specific step (stemming, folding). Units never see
//! offsets: the tokenizer keeps those pointing into the original text, so
//! highlighting stays right whatever a unit does to the word.
//!
//! Folding ([`fold`]) and transliteration ([`translit`]) are not in the common
//! list: they are the last step of the language-independent folded field only.

pub(crate) mod cognate;
pub(crate) mod fold;
pub(crate) mod footnote;
pub(crate) mod homoglyph;
pub(crate) mod invisible;
pub(crate) mod lowercase;
pub(crate) mod nfkc;
pub(crate) mod translit;
pub(crate) mod yo;

/// One normalisation step over a single word.
pub(crate) trait Normalizer: Sync {
    /// Rewrites `word` in place.
    fn apply(&self, word: &mut String);
}

/// The common word pipeline, in order.
pub(crate) static WORD_PIPELINE: &[&dyn Normalizer] = &[
    &invisible::StripInvisible,
    &nfkc::Nfkc,
    &lowercase::Lowercase,
    &yo::YoToYe,
    &homoglyph::RepairHomoglyphs,
];

/// Applies [`WORD_PIPELINE`] to a word.
pub(crate) fn normalize_word(word: &str) -> String {
    let mut w = word.to_string();
    for unit in WORD_PIPELINE {
        unit.apply(&mut w);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_combines_units() {
        // soft hyphen, capital Ё, Latin 'o' and 'p' inside a Cyrillic word
        assert_eq!(normalize_word("ЁЛ\u{00AD}КА"), "елка");
        assert_eq!(normalize_word("мeтaллургия"), "металлургия");
        assert_eq!(normalize_word("PANEVĖŽYS"), "panevėžys");
        // decomposed e + combining dot above composes to ė
        assert_eq!(
            normalize_word("Panev\u{0065}\u{0307}z\u{030C}io"),
            "panevėžio"
        );
    }

    #[test]
    fn pipeline_never_panics_on_odd_input() {
        for s in ["", "\u{200B}", "\u{0307}", "ǅ", "ﬁ", "𝕬", "İ", "ß"] {
            let _ = normalize_word(s);
        }
    }
}
