//! Removes characters that are invisible inside words: soft hyphen, zero-width
//! space and joiners, word joiner, byte-order mark.

use super::Normalizer;

/// Removes soft hyphens and zero-width characters.
pub struct StripInvisible;

/// True for a character that never shows and only breaks words apart.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
    )
}

impl Normalizer for StripInvisible {
    fn name(&self) -> &'static str {
        "strip-invisible"
    }
    fn apply(&self, word: &mut String) {
        if word.chars().any(is_invisible) {
            word.retain(|c| !is_invisible(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_soft_hyphen_and_zero_width() {
        let mut w = "ro\u{00AD}bo\u{200B}ti\u{FEFF}ka".to_string();
        StripInvisible.apply(&mut w);
        assert_eq!(w, "robotika");
    }

    #[test]
    fn leaves_plain_words() {
        let mut w = "Panevėžys".to_string();
        StripInvisible.apply(&mut w);
        assert_eq!(w, "Panevėžys");
    }
}
