//! Unicode case folding to lower case.

use super::Normalizer;

/// Lower-cases a word (full Unicode, not only ASCII).
pub(crate) struct Lowercase;

impl Normalizer for Lowercase {
    fn apply(&self, word: &mut String) {
        if word.is_ascii() {
            word.make_ascii_lowercase();
        } else if word.chars().any(char::is_uppercase) {
            *word = word.to_lowercase();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_all_scripts() {
        for (a, b) in [
            ("PANEVĖŽYS", "panevėžys"),
            ("Металлургия", "металлургия"),
            ("ABC", "abc"),
        ] {
            let mut w = a.to_string();
            Lowercase.apply(&mut w);
            assert_eq!(w, b);
        }
    }
}
