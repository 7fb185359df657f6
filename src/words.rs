//! The engine's one word splitter: every layer that needs words (language
//! identification, analysis for the index, place extraction) takes them from
//! [`words`], and decides from each word's [`Flags`] (in its [`Shape`]) what
//! it makes of them,
//! instead of splitting the text again by its own rules.
//!
//! A word is a run of letters, digits and combining marks; invisible
//! characters (soft hyphen, zero-width space, ...) inside a run do not break
//! it, but never begin or end a word. Han, Hiragana and Katakana characters
//! are one word each, since those scripts do not separate words with spaces.
//! Everything else (space, punctuation, apostrophes, hyphens) separates
//! words; whether an apostrophe, a hyphen or a dot joins two words into one
//! (`d'Artagnan`, `Нью-Йорк`, `U.S.`) is for the consumer to decide, from the
//! `*_NEXT` flags of the word before it. Place extraction reads the same
//! words split at combining marks and invisible characters
//! ([`Words::split_at_marks`]).
//!
//! (The example is the unit test `module_doc_example`.)
//!
//! ```text
//! use repsearch::words::{words, Flags};
//!
//! let w: Vec<_> = words("O’Brien visited Нью-Йорк").collect();
//! assert_eq!(w.iter().map(|w| w.text).collect::<Vec<_>>(), ["O", "Brien", "visited", "Нью", "Йорк"]);
//! assert!(w[0].shape().flags.contains(Flags::APOSTROPHE_NEXT | Flags::CAPITALIZED));
//! assert!(w[3].shape().flags.contains(Flags::HYPHEN_NEXT | Flags::CYRILLIC));
//! ```

use crate::chars::{is_alphabetic, is_alphanumeric, is_cjk, is_invisible, Script};
use std::ops::BitOr;
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
    /// The `*_NEXT` flag of what joins it to the next word, if anything.
    joiner: Flags,
}

impl Word<'_> {
    /// What joins it to the next word: one of the `*_NEXT` flags, or none.
    pub(crate) fn joiner(&self) -> Flags {
        self.joiner
    }

    /// Its script, letters and flags (computed on each call: the splitter
    /// itself only finds words, so that analysis, which needs none of this,
    /// pays nothing for it).
    pub(crate) fn shape(&self) -> Shape {
        let mut b = ShapeBuilder::default();
        for c in self.text.chars() {
            b.add(c);
        }
        b.finish(self.joiner)
    }
}

/// What a word looks like (see [`Word::shape`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    /// The script of its first letter that belongs to a script some engine
    /// language uses (`None`: no such letter, e.g. digits or Han).
    pub script: Option<Script>,
    /// Number of letters (alphabetic characters; not digits or marks).
    pub letters: usize,
    /// Its case, digits and script flags, and its [`Word::joiner`].
    pub flags: Flags,
}

/// Properties of a [`Word`], as a set of bits (`a | b` is both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Flags(u16);

impl Flags {
    /// Its first letter is upper case (`Vilnius`, `O`, `МОСКВА`, `2-oji` no).
    pub(crate) const CAPITALIZED: Flags = Flags(1);
    /// It has a letter and every letter is upper case (`NATO`, `U`, `ЕС`).
    pub(crate) const ALL_CAPS: Flags = Flags(1 << 1);
    /// It has a digit (`COVID19`, `2024`, `m1echanizmo`).
    pub(crate) const DIGITS: Flags = Flags(1 << 2);
    /// It has a Cyrillic letter (U+0400–U+052F and the extension blocks).
    pub(crate) const CYRILLIC: Flags = Flags(1 << 3);
    /// One apostrophe (`'` or `’`) follows it, and the next word begins
    /// right after (`d'Artagnan`, `O’Brien`, `п'ять`).
    pub(crate) const APOSTROPHE_NEXT: Flags = Flags(1 << 4);
    /// One grave accent used as an apostrophe (`` ` ``) follows it, and the
    /// next word begins right after (``d`Eclairage``).
    pub(crate) const BACKTICK_NEXT: Flags = Flags(1 << 5);
    /// One hyphen (`-` or the non-breaking `‑`) follows it, and the next
    /// word begins right after (`Нью-Йорк`, `Panevėžio-Tojohašio`).
    pub(crate) const HYPHEN_NEXT: Flags = Flags(1 << 6);
    /// One dot follows it, and the next word begins right after (`U.S`,
    /// `t.y`, `4.0`).
    pub(crate) const DOT_NEXT: Flags = Flags(1 << 7);

    /// The empty set.
    pub(crate) const NONE: Flags = Flags(0);

    /// Whether every flag of `other` is set.
    pub(crate) fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any flag of `other` is set.
    pub(crate) fn intersects(self, other: Flags) -> bool {
        self.0 & other.0 != 0
    }
}

impl BitOr for Flags {
    type Output = Flags;
    fn bitor(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }
}

/// Whether `c` belongs inside a word.
fn is_word_char(c: char) -> bool {
    is_alphanumeric(c) || is_combining_mark(c) || is_invisible(c)
}

/// The flags and letters of a word, gathered character by character.
#[derive(Default)]
struct ShapeBuilder {
    letters: usize,
    script: Option<Script>,
    flags: Flags,
    not_upper: bool,
}

impl ShapeBuilder {
    #[inline]
    fn add(&mut self, c: char) {
        let upper = if c.is_ascii() {
            if !c.is_ascii_alphabetic() {
                if c.is_ascii_digit() {
                    self.flags = self.flags | Flags::DIGITS;
                }
                return;
            }
            self.script.get_or_insert(Script::Latin);
            c.is_ascii_uppercase()
        } else if is_alphabetic(c) {
            let script = Script::of_char(c);
            if script == Some(Script::Cyrillic) {
                self.flags = self.flags | Flags::CYRILLIC;
            }
            if self.script.is_none() {
                self.script = script;
            }
            c.is_uppercase()
        } else {
            if is_alphanumeric(c) {
                self.flags = self.flags | Flags::DIGITS;
            }
            return;
        };
        if self.letters == 0 && upper {
            self.flags = self.flags | Flags::CAPITALIZED;
        }
        self.not_upper |= !upper;
        self.letters += 1;
    }

    fn finish(self, joiner: Flags) -> Shape {
        let caps = if self.letters > 0 && !self.not_upper {
            Flags::ALL_CAPS
        } else {
            Flags::NONE
        };
        Shape {
            script: self.script,
            letters: self.letters,
            flags: self.flags | caps | joiner,
        }
    }
}

/// Iterator over the words of a text (see [`words`]); `MARKS_INSIDE`:
/// combining marks and invisible characters belong inside words.
pub(crate) struct Words<'a, const MARKS_INSIDE: bool = true> {
    text: &'a str,
    pos: usize,
}

/// The words of `text`, in order, with their offsets and joiners.
pub(crate) fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

impl<'a> Words<'a> {
    /// The same words, except that combining marks and invisible characters
    /// end a word instead of staying inside it (`Тюме́нь` gives `Тюме` and
    /// `нь`), and a word begins only with a letter or a digit. Place
    /// extraction reads words this way: the gazetteer's names carry no
    /// marks, and it has always read stressed words in pieces (reading them
    /// whole finds new places, `Тюме́нь`: a change of answers to make on its
    /// own, measured).
    pub(crate) fn split_at_marks(self) -> Words<'a, false> {
        Words {
            text: self.text,
            pos: self.pos,
        }
    }
}

impl<const MARKS_INSIDE: bool> Words<'_, MARKS_INSIDE> {
    /// Whether `c` belongs inside a word.
    #[inline]
    fn inside(c: char) -> bool {
        if MARKS_INSIDE {
            is_word_char(c)
        } else {
            is_alphanumeric(c)
        }
    }

    /// Whether a word may begin with `c`.
    #[inline]
    fn starts(c: char) -> bool {
        Self::inside(c) && !is_invisible(c)
    }

    /// The `*_NEXT` flag for what follows a word (`rest` is the text after it).
    #[inline]
    fn joiner(rest: &str) -> Flags {
        // most words are followed by a space: one byte decides
        if !matches!(
            rest.as_bytes().first(),
            Some(b'\'' | b'`' | b'-' | b'.' | 0xE2)
        ) {
            return Flags::NONE;
        }
        let mut it = rest.chars();
        let (Some(j), Some(next)) = (it.next(), it.next()) else {
            return Flags::NONE;
        };
        if !Self::starts(next) {
            return Flags::NONE;
        }
        match j {
            '\'' | '’' => Flags::APOSTROPHE_NEXT,
            '`' => Flags::BACKTICK_NEXT,
            '-' | '‑' => Flags::HYPHEN_NEXT,
            '.' => Flags::DOT_NEXT,
            _ => Flags::NONE,
        }
    }
}

impl<'a, const MARKS_INSIDE: bool> Iterator for Words<'a, MARKS_INSIDE> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        let rest = &self.text[self.pos..];
        let (skip, first) = rest.char_indices().find(|&(_, c)| Self::starts(c))?;
        let start = self.pos + skip;
        let mut end = start + first.len_utf8();
        if !is_cjk(first) {
            for c in self.text[end..].chars() {
                if !Self::inside(c) || is_cjk(c) {
                    break;
                }
                end += c.len_utf8();
            }
        }
        // trailing invisible characters do not belong to the word
        while let Some(c) = self.text[start..end].chars().next_back() {
            if !is_invisible(c) {
                break;
            }
            end -= c.len_utf8();
        }
        self.pos = end;
        Some(Word {
            text: &self.text[start..end],
            start,
            end,
            joiner: Self::joiner(&self.text[end..]),
        })
    }
}

#[cfg(test)]
mod tests {
    /// The module documentation's example.
    #[test]
    fn module_doc_example() {
        use crate::words::{words, Flags};

        let w: Vec<_> = words("O’Brien visited Нью-Йорк").collect();
        assert_eq!(
            w.iter().map(|w| w.text).collect::<Vec<_>>(),
            ["O", "Brien", "visited", "Нью", "Йорк"]
        );
        assert!(w[0]
            .shape()
            .flags
            .contains(Flags::APOSTROPHE_NEXT | Flags::CAPITALIZED));
        assert!(w[3]
            .shape()
            .flags
            .contains(Flags::HYPHEN_NEXT | Flags::CYRILLIC));
    }

    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        words(s).map(|w| w.text).collect()
    }

    fn flags(s: &str) -> Vec<Flags> {
        words(s).map(|w| w.shape().flags).collect()
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
            texts("ro\u{00AD}botika e\u{0307} Университе́т"),
            ["ro\u{00AD}botika", "e\u{0307}", "Университе́т"]
        );
        assert_eq!(texts("\u{200B}abc\u{200B} x"), ["abc", "x"]);
    }

    #[test]
    fn cjk_characters_are_single_words() {
        assert_eq!(texts("豊橋市 city"), ["豊", "橋", "市", "city"]);
    }

    #[test]
    fn capitalized_and_all_caps() {
        let f = flags("Vilnius vilnius NATO U МОСКВА Москва 2-oji ЕС");
        let cap = |i: usize| f[i].contains(Flags::CAPITALIZED);
        let caps = |i: usize| f[i].contains(Flags::ALL_CAPS);
        assert!(cap(0) && !caps(0));
        assert!(!cap(1) && !caps(1));
        assert!(cap(2) && caps(2) && cap(3) && caps(3));
        assert!(cap(4) && caps(4) && cap(5) && !caps(5));
        assert!(!cap(6) && !caps(6) && !cap(7) && !caps(7)); // "2", "oji"
        assert!(cap(8) && caps(8));
    }

    #[test]
    fn digits_and_letters() {
        let w: Vec<Shape> = words("m1echanizmo 2024 Panevėžio")
            .map(|w| w.shape())
            .collect();
        assert!(w[0].flags.contains(Flags::DIGITS) && w[0].letters == 10);
        assert!(w[1].flags.contains(Flags::DIGITS) && w[1].letters == 0);
        assert!(!w[2].flags.contains(Flags::DIGITS) && w[2].letters == 9);
    }

    #[test]
    fn scripts_and_cyrillic_beyond_04ff() {
        let w: Vec<Shape> = words("Vilnius Москва Ԁԁԯ 2024 Mосква")
            .map(|w| w.shape())
            .collect();
        assert_eq!(w[0].script, Some(Script::Latin));
        assert!(!w[0].flags.contains(Flags::CYRILLIC));
        assert_eq!(w[1].script, Some(Script::Cyrillic));
        assert!(w[1].flags.contains(Flags::CYRILLIC));
        // Komi and other letters of Cyrillic Supplement (U+0500–U+052F)
        assert_eq!(w[2].script, Some(Script::Cyrillic));
        assert!(w[2].flags.contains(Flags::CYRILLIC));
        assert_eq!(w[3].script, None);
        // a Latin M before Cyrillic letters: Latin script, Cyrillic letters
        assert_eq!(w[4].script, Some(Script::Latin));
        assert!(w[4].flags.contains(Flags::CYRILLIC));
    }

    #[test]
    fn apostrophes_join_only_letters_on_both_sides() {
        let f = flags("d'Artagnan O’Brien п'ять don' t 'quoted' d`Eclairage");
        assert_eq!(texts("d'Artagnan O’Brien п'ять")[..2], ["d", "Artagnan"]);
        assert!(f[0].contains(Flags::APOSTROPHE_NEXT)); // d'
        assert!(f[2].contains(Flags::APOSTROPHE_NEXT)); // O’
        assert!(f[4].contains(Flags::APOSTROPHE_NEXT)); // п'
        assert!(!f[6].intersects(Flags::APOSTROPHE_NEXT)); // don' t
        assert!(!f[8].intersects(Flags::APOSTROPHE_NEXT)); // quoted'
        assert!(f[9].contains(Flags::BACKTICK_NEXT)); // d`
    }

    #[test]
    fn hyphens_and_dots() {
        let f = flags("Нью-Йорк Panevėžio-Tojohašio 73‑й U.S. a - b");
        assert!(f[0].contains(Flags::HYPHEN_NEXT));
        assert!(f[2].contains(Flags::HYPHEN_NEXT));
        assert!(f[4].contains(Flags::HYPHEN_NEXT)); // non-breaking hyphen
        assert!(f[6].contains(Flags::DOT_NEXT) && !f[7].contains(Flags::DOT_NEXT));
        assert!(!f[8].contains(Flags::HYPHEN_NEXT));
    }

    #[test]
    fn footnote_digits_stay_in_the_word() {
        assert_eq!(texts("m1echanizmo"), ["m1echanizmo"]);
    }

    #[test]
    fn split_at_marks_ends_words_at_marks_and_invisibles() {
        let s = "Тюме\u{301}нь ro\u{00AD}botika \u{301}x d'Artagnan";
        let split: Vec<&str> = words(s).split_at_marks().map(|w| w.text).collect();
        assert_eq!(split, ["Тюме", "нь", "ro", "botika", "x", "d", "Artagnan"]);
        let w: Vec<Word> = words(s).split_at_marks().collect();
        assert_eq!(w[5].joiner(), Flags::APOSTROPHE_NEXT);
    }
}
