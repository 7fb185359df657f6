//! Splits text into words with byte offsets into the original text.
//!
//! A word is a run of letters, digits and combining marks; soft hyphens and
//! zero-width characters inside a word do not break it (they are removed
//! later by normalisation). Han, Hiragana and Katakana characters are one
//! word each, since those scripts do not separate words with spaces.

use crate::normalize::invisible::is_invisible;
use unicode_normalization::char::is_combining_mark;

/// A word of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

/// Longest word kept, in bytes; longer runs (base64, hashes) are dropped.
pub const MAX_WORD_BYTES: usize = 120;

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn is_word_char(c: char) -> bool {
    crate::chars::is_alphanumeric(c) || is_combining_mark(c) || is_invisible(c)
}

/// Iterator over the words of a text.
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// The words of `text`.
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        loop {
            let rest = &self.text[self.pos..];
            let (skip, first) = rest
                .char_indices()
                .find(|&(_, c)| is_word_char(c) && !is_invisible(c))?;
            let start = self.pos + skip;
            let mut end = start + first.len_utf8();
            if !is_cjk(first) {
                for c in self.text[end..].chars() {
                    if !is_word_char(c) || is_cjk(c) {
                        break;
                    }
                    end += c.len_utf8();
                }
            }
            // trailing invisible characters do not belong to the word
            while let Some(c) = self.text[start..end].chars().next_back() {
                if is_invisible(c) {
                    end -= c.len_utf8();
                } else {
                    break;
                }
            }
            self.pos = end;
            if end - start <= MAX_WORD_BYTES {
                return Some(Word {
                    text: &self.text[start..end],
                    start,
                    end,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        words(s).map(|w| w.text).collect()
    }

    #[test]
    fn splits_on_punctuation_and_space() {
        assert_eq!(
            texts("Panevėžio ir Tojohašio miestų, t.y. 4.0"),
            ["Panevėžio", "ir", "Tojohašio", "miestų", "t", "y", "4", "0"]
        );
    }

    #[test]
    fn offsets_point_into_the_original() {
        let s = "«Металлургия», robotikos/Pramonės";
        for w in words(s) {
            assert_eq!(&s[w.start..w.end], w.text);
        }
        assert_eq!(texts(s), ["Металлургия", "robotikos", "Pramonės"]);
    }

    #[test]
    fn soft_hyphen_and_combining_marks_stay_inside() {
        assert_eq!(
            texts("ro\u{00AD}botika e\u{0307}"),
            ["ro\u{00AD}botika", "e\u{0307}"]
        );
        assert_eq!(texts("\u{200B}abc\u{200B} x"), ["abc", "x"]);
    }

    #[test]
    fn cjk_characters_are_single_words() {
        assert_eq!(texts("豊橋市 city"), ["豊", "橋", "市", "city"]);
    }

    #[test]
    fn footnote_digits_stay_in_the_word() {
        assert_eq!(texts("m1echanizmo"), ["m1echanizmo"]);
    }
}
