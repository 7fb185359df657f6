//! Word tokens with byte and character offsets, for place matching.
//!
//! A word is a run of letters and digits; a hyphen or an apostrophe between
//! two letters stays inside the word (`Нью-Йорке`, `O'Hare`), and so do the
//! dots of a dotted initialism (`U.S.`).

use crate::chars::{is_alphabetic, is_alphanumeric};

/// One word of the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset after the last byte.
    pub end: usize,
    /// Character offset of the first character.
    pub char_start: usize,
    /// Character offset after the last character.
    pub char_end: usize,
    /// First letter is upper case.
    pub capitalized: bool,
    /// Every letter is upper case (and there are at least two).
    pub all_caps: bool,
    /// First word of a sentence (or of a line, a heading, the text).
    pub sentence_start: bool,
    /// Only a single space (or no space) separates it from the next word:
    /// multi-word names may continue.
    pub joined_next: bool,
    /// The word is written in Cyrillic.
    pub cyrillic: bool,
    /// Number of letters (not digits, hyphens or dots).
    pub letters: usize,
}

impl Token<'_> {
    /// Letters only, lower-cased.
    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }
}

/// Capitalised abbreviations written with a dot before a name: titles
/// (Sen. Graham, Dr. Vann) and "Saint" (St. Louis).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Sens", "Rep", "Reps", "Gov", "Gen", "Col", "Lt",
    "Sgt", "Capt", "Rev", "St", "Ste", "Mt", "Ft",
];

fn abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains(&word)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '‑')
}

/// Splits `text` into word tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let mut i = 0;
    // State of the gap before the next word.
    let mut boundary = true; // sentence boundary seen since the last word
    let mut gap_simple = false; // gap so far is at most one space
    let mut gap_len = 0usize;
    while i < n {
        let (b, c) = chars[i];
        if !is_alphanumeric(c) {
            match c {
                // The dot of a title or a saint's abbreviation (Sen., Dr.,
                // St. Louis) ends no sentence and joins the words.
                '.' if gap_len == 0 && out.last().is_some_and(|t| abbreviation(t.text)) => {
                    i += 1;
                    continue;
                }
                '.' | '!' | '?' | '…' | '\n' | '\r' | ':' | ';' | '•' | '|' => {
                    if c != ':' && c != ';' {
                        boundary = true;
                    }
                    gap_simple = false;
                }
                ' ' | '\u{a0}' => {
                    if gap_len > 0 {
                        gap_simple = false;
                    }
                }
                _ => gap_simple = false,
            }
            gap_len += 1;
            let _ = b;
            i += 1;
            continue;
        }
        // A word starts at i.
        let start_i = i;
        let mut j = i;
        while j < n {
            let c = chars[j].1;
            let joins = is_joiner(c) && j + 1 < n && is_alphabetic(chars[j + 1].1) && j > start_i;
            if is_alphanumeric(c) || joins {
                j += 1;
            } else if c == '.'
                && j + 1 < n
                && chars[j + 1].1.is_uppercase()
                && j - start_i == 1
                && chars[j - 1].1.is_uppercase()
            {
                // U.S. / U.K.: single capitals joined by dots.
                j += 1;
            } else if c == '.' && j >= 2 && chars[j - 2].1 == '.' && chars[j - 1].1.is_uppercase() {
                j += 1; // the final dot of "U.S."
                break;
            } else {
                break;
            }
        }
        let start = chars[start_i].0;
        let end = if j < n { chars[j].0 } else { text.len() };
        let word = &text[start..end];
        let mut letters = word.chars().filter(|&c| is_alphabetic(c));
        let first = letters.next();
        let capitalized = first.is_some_and(char::is_uppercase);
        let n_letters = word.chars().filter(|&c| is_alphabetic(c)).count();
        let all_caps = n_letters >= 2
            && word
                .chars()
                .filter(|&c| is_alphabetic(c))
                .all(char::is_uppercase);
        let cyrillic = word.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
        if let Some(prev) = out.last_mut() {
            prev.joined_next = gap_simple && gap_len <= 1;
        }
        out.push(Token {
            text: word,
            start,
            end,
            char_start: start_i,
            char_end: j,
            capitalized,
            all_caps,
            sentence_start: boundary,
            joined_next: false,
            cyrillic,
            letters: n_letters,
        });
        boundary = false;
        gap_simple = true;
        gap_len = 0;
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_offsets_and_flags() {
        let t = tokenize("В Нью-Йорке. U.S. Army, «Panevėžio» miestas");
        let words: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(
            words,
            ["В", "Нью-Йорке", "U.S.", "Army", "Panevėžio", "miestas"]
        );
        assert!(t[0].sentence_start && !t[1].sentence_start && t[2].sentence_start);
        assert!(t[0].joined_next && !t[1].joined_next && t[2].joined_next);
        assert_eq!((t[1].char_start, t[1].char_end), (2, 11));
        assert!(t[2].all_caps && t[1].cyrillic && t[4].capitalized);
    }

    #[test]
    fn abbreviations_end_no_sentence() {
        let t = tokenize("Flights to St. Louis resumed. Sen. Lindsey Graham spoke.");
        let words: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(
            words,
            ["Flights", "to", "St", "Louis", "resumed", "Sen", "Lindsey", "Graham", "spoke"]
        );
        assert!(t[2].joined_next && !t[3].sentence_start);
        assert!(t[5].sentence_start && t[5].joined_next && !t[6].sentence_start);
    }
}
