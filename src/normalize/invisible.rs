//! Removes characters that are invisible inside words: soft hyphen, zero-width
//! space and joiners, word joiner, byte-order mark.

use super::Normalizer;

/// Removes soft hyphens and zero-width characters.
pub(crate) struct StripInvisible;

use crate::chars::is_invisible;

impl Normalizer for StripInvisible {
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
