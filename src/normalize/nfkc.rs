//! Unicode NFKC: composes decomposed diacritics (e + U+0307 to ė) and maps
//! compatibility characters (ligatures, full-width letters) to plain ones.

use super::Normalizer;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Unicode normalisation form KC.
pub(crate) struct Nfkc;

impl Normalizer for Nfkc {
    fn apply(&self, word: &mut String) {
        if is_nfkc_quick(word.chars()) != IsNormalized::Yes {
            *word = word.nfkc().collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_and_maps_compatibility_forms() {
        let mut w = "z\u{030C}e\u{0307}ﬁ".to_string();
        Nfkc.apply(&mut w);
        assert_eq!(w, "žėfi");
        let mut w = "ＡＢＣ".to_string();
        Nfkc.apply(&mut w);
        assert_eq!(w, "ABC");
    }
}
