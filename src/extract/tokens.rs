//! Word tokens with byte and character offsets, for place matching.
//!
//! A token is one of the engine's words ([`crate::words`]), or several joined
//! into one: a hyphen or an apostrophe between two letters stays inside the
//! token (`Нью-Йорке`, `O'Hare`), and so do the dots of a dotted initialism
//! (`U.S.`). Each token knows whether it starts a sentence and whether the
//! next follows after a single space (a multi-word name may continue).

use crate::chars::is_alphabetic;
use crate::words::{words, Flags, Shape, Word};

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
    /// The word has a Cyrillic letter.
    pub cyrillic: bool,
    /// Number of letters (not digits, hyphens or dots).
    pub letters: usize,
}

impl Token<'_> {
    /// Letters only, lower-cased.
    pub(super) fn lower(&self) -> String {
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

/// The gap between two tokens, read character by character.
struct Gap {
    /// A sentence boundary was seen since the last word.
    boundary: bool,
    /// The gap so far is at most one space.
    simple: bool,
    /// Characters in the gap (an abbreviation's dot aside).
    len: usize,
}

impl Gap {
    /// Reads `gap`, the text after `prev` (`None`: the start of the text).
    fn read(&mut self, gap: &str, prev: Option<&Token<'_>>) {
        for c in gap.chars() {
            match c {
                // The dot of a title or a saint's abbreviation (Sen., Dr.,
                // St. Louis) ends no sentence and joins the words.
                '.' if self.len == 0 && prev.is_some_and(|t| abbreviation(t.text)) => continue,
                '.' | '!' | '?' | '…' | '\n' | '\r' | ':' | ';' | '•' | '|' => {
                    self.boundary |= c != ':' && c != ';';
                    self.simple = false;
                }
                ' ' | '\u{a0}' => self.simple &= self.len == 0,
                _ => self.simple = false,
            }
            self.len += 1;
        }
    }
}

/// Whether a word is one upper-case letter (`U` of `U.S.`).
fn initial(w: &Word<'_>) -> bool {
    let mut c = w.text.chars();
    matches!((c.next(), c.next()), (Some(c), None) if c.is_uppercase())
}

/// The index of the last of the words from `k` on that one token takes:
/// words joined by a hyphen or an apostrophe before a letter (`Нью-Йорке`,
/// `O'Hare`), single capitals joined by a dot (`U.S`), and Han characters,
/// which touch.
fn joined_end(ws: &[Word<'_>], k: usize) -> usize {
    let mut last = k;
    while let Some(next) = ws.get(last + 1) {
        let w = &ws[last];
        let first = next.text.chars().next();
        let joins = next.start == w.end
            || (w
                .joiner()
                .intersects(Flags::HYPHEN_NEXT | Flags::APOSTROPHE_NEXT)
                && first.is_some_and(is_alphabetic))
            || (last == k
                && w.joiner() == Flags::DOT_NEXT
                && initial(w)
                && first.is_some_and(char::is_uppercase));
        if !joins {
            break;
        }
        last += 1;
    }
    last
}

/// The end of a token whose last word is `w`: the final dot of a dotted
/// initialism (`U.S.`) belongs to it.
fn token_end(text: &str, w: &Word<'_>) -> usize {
    let dotted = initial(w) && text[..w.start].ends_with('.') && text[w.end..].starts_with('.');
    w.end + usize::from(dotted)
}

/// Splits `text` into word tokens: the engine's words ([`crate::words`],
/// split at combining marks: see [`crate::words::Words::split_at_marks`]) joined as
/// [`joined_end`] says, with the sentence and gap flags.
pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let ws: Vec<Word<'_>> = words(text).split_at_marks().collect();
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut gap = Gap {
        boundary: true,
        simple: false,
        len: 0,
    };
    // Byte and character offsets of the end of the last token.
    let (mut byte, mut chars) = (0, 0);
    let mut k = 0;
    while k < ws.len() {
        let last = joined_end(&ws, k);
        let parts = &ws[k..=last];
        let (start, end) = (ws[k].start, token_end(text, &ws[last]));
        gap.read(&text[byte..start], out.last());
        if let Some(prev) = out.last_mut() {
            prev.joined_next = gap.simple && gap.len <= 1;
        }
        let char_start = chars + text[byte..start].chars().count();
        let char_end = char_start + text[start..end].chars().count();
        let shapes: Vec<Shape> = parts.iter().map(Word::shape).collect();
        let letters: usize = shapes.iter().map(|s| s.letters).sum();
        let lettered = || shapes.iter().filter(|s| s.letters > 0);
        out.push(Token {
            text: &text[start..end],
            start,
            end,
            char_start,
            char_end,
            capitalized: lettered()
                .next()
                .is_some_and(|w| w.flags.contains(Flags::CAPITALIZED)),
            all_caps: letters >= 2 && lettered().all(|w| w.flags.contains(Flags::ALL_CAPS)),
            sentence_start: gap.boundary,
            joined_next: false,
            cyrillic: shapes.iter().any(|s| s.flags.contains(Flags::CYRILLIC)),
            letters,
        });
        gap = Gap {
            boundary: false,
            simple: true,
            len: 0,
        };
        (byte, chars) = (end, char_end);
        k = last + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(t: &[Token<'a>]) -> Vec<&'a str> {
        t.iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_offsets_and_flags() {
        let t = tokenize("В Нью-Йорке. U.S. Army, «Panevėžio» miestas");
        assert_eq!(
            texts(&t),
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
        assert_eq!(
            texts(&t),
            ["Flights", "to", "St", "Louis", "resumed", "Sen", "Lindsey", "Graham", "spoke"]
        );
        assert!(t[2].joined_next && !t[3].sentence_start);
        assert!(t[5].sentence_start && t[5].joined_next && !t[6].sentence_start);
    }

    #[test]
    fn apostrophes_and_hyphens_join_letters() {
        let t = tokenize("d'Artagnan, O’Brien ir Panevėžio-Tojohašio; COVID-19 d`Eclairage don' t");
        assert_eq!(
            texts(&t),
            [
                "d'Artagnan",
                "O’Brien",
                "ir",
                "Panevėžio-Tojohašio",
                "COVID",
                "19",
                "d",
                "Eclairage",
                "don",
                "t"
            ]
        );
        assert!(!t[0].capitalized && t[1].capitalized && t[1].letters == 6);
        assert!(t[4].all_caps && t[5].letters == 0 && !t[5].capitalized);
    }

    #[test]
    fn cyrillic_and_marks() {
        let t = tokenize("Ԁԁ Тюме\u{301}нь Mосква Vilnius");
        assert!(t[0].cyrillic && t[1].cyrillic && t[3].cyrillic && !t[4].cyrillic);
        // a stress mark ends a word here (the index reads the word whole)
        assert_eq!(texts(&t)[1..3], ["Тюме", "нь"]);
        assert_eq!((t[2].char_start, t[2].char_end), (8, 10));
        assert!(t[1].capitalized && !t[1].joined_next);
    }

    #[test]
    fn dotted_initialisms() {
        let t = tokenize("U.S.A. and the U.K.");
        assert_eq!(texts(&t), ["U.S.", "A.", "and", "the", "U.K."]);
        assert!(t[0].all_caps && !t[1].all_caps && t[4].all_caps);
    }
}
