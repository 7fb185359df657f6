//! The words the index sees: the engine's words ([`crate::words`]) that are
//! not over [`MAX_WORD_BYTES`]. Each word is analysed on its own; the flags
//! that join words (apostrophes, hyphens, dots) are not used here, so
//! `d'Artagnan` is indexed as `d` and `artagnan`, and `Нью-Йорк` as two words,
//! which a phrase query finds again.

pub use crate::words::Word;

/// Longest word kept, in bytes; longer runs (base64, hashes) are dropped.
pub(crate) const MAX_WORD_BYTES: usize = 120;

/// The indexed words of `text`, with their byte offsets into it.
pub fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    crate::words::words(text).filter(|w| w.text.len() <= MAX_WORD_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_runs_are_dropped() {
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        let text = format!("robotikos {long} Pramonės");
        let w: Vec<&str> = words(&text).map(|w| w.text).collect();
        assert_eq!(w, ["robotikos", "Pramonės"]);
    }

    #[test]
    fn joined_words_are_separate_terms() {
        let w: Vec<&str> = words("d'Artagnan Нью-Йорк").map(|w| w.text).collect();
        assert_eq!(w, ["d", "Artagnan", "Нью", "Йорк"]);
    }
}
