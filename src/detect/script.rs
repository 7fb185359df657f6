//! Writing systems: which script a letter belongs to and which engine
//! languages are written in it.

use crate::lang::Language;

/// A writing system that at least one engine language uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Latin letters, with all their accented forms.
    Latin,
    /// Cyrillic (ru, uk, be, sr).
    Cyrillic,
    /// Greek (el).
    Greek,
    /// Armenian (hy).
    Armenian,
    /// Hebrew letters (yi).
    Hebrew,
    /// Arabic letters (ar, fa).
    Arabic,
    /// Devanagari (hi, ne).
    Devanagari,
    /// Tamil (ta).
    Tamil,
}

impl Script {
    /// Every script, in a fixed order (index = position).
    pub const ALL: [Script; 8] = [
        Script::Latin,
        Script::Cyrillic,
        Script::Greek,
        Script::Armenian,
        Script::Hebrew,
        Script::Arabic,
        Script::Devanagari,
        Script::Tamil,
    ];

    /// The script of one character, if it is a letter (or a combining mark)
    /// of a script the engine knows.
    pub fn of_char(ch: char) -> Option<Script> {
        let c = ch as u32;
        // Fast paths for the most common letters.
        if ch.is_ascii_alphabetic() || (0xC0..=0x17F).contains(&c) && c != 0xD7 && c != 0xF7 {
            return Some(Script::Latin);
        }
        if (0x400..=0x45F).contains(&c) {
            return Some(Script::Cyrillic);
        }
        if c < 0xC0 {
            return (c == 0xAA || c == 0xBA).then_some(Script::Latin);
        }
        let script = match c {
            0x41..=0x5A | 0x61..=0x7A | 0xAA | 0xBA => Script::Latin,
            0xC0..=0x24F if c != 0xD7 && c != 0xF7 => Script::Latin,
            0x1E00..=0x1EFF => Script::Latin,
            0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
            0x400..=0x52F | 0x1C80..=0x1C8F | 0xA640..=0xA69F => Script::Cyrillic,
            0x531..=0x58F => Script::Armenian,
            0x591..=0x5FF | 0xFB1D..=0xFB4F => Script::Hebrew,
            0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
            0x900..=0x97F => Script::Devanagari,
            0xB80..=0xBFF => Script::Tamil,
            _ => return None,
        };
        // Punctuation and digits inside those blocks are not letters.
        if crate::chars::is_alphabetic(ch) || is_combining_mark(c) {
            Some(script)
        } else {
            None
        }
    }

    /// Position of this script in [`Script::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The script a language is written in.
    pub fn of_language(lang: Language) -> Script {
        use Language as L;
        match lang {
            L::Russian | L::Ukrainian | L::Belarusian | L::Serbian => Script::Cyrillic,
            L::Greek => Script::Greek,
            L::Armenian => Script::Armenian,
            L::Yiddish => Script::Hebrew,
            L::Arabic | L::Persian => Script::Arabic,
            L::Hindi | L::Nepali => Script::Devanagari,
            L::Tamil => Script::Tamil,
            _ => Script::Latin,
        }
    }
}

/// Combining marks of the scripts above (vowel signs, viramas, accents).
fn is_combining_mark(c: u32) -> bool {
    matches!(
        c,
        0x300..=0x36F | 0x591..=0x5C7 | 0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x900..=0x903
            | 0x93A..=0x94F | 0x951..=0x957 | 0x962..=0x963 | 0xB82 | 0xBBE..=0xBCD | 0xBD7
    )
}

/// What a character is to the word splitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// A letter or mark of a script some engine language uses.
    Letter(Script),
    /// A letter of a script no engine language uses (Han, Thai, ...).
    OtherLetter,
    /// Anything else: space, punctuation, digit, symbol.
    NotLetter,
}

/// Classifies one character.
pub fn classify(ch: char) -> CharClass {
    match Script::of_char(ch) {
        Some(s) => CharClass::Letter(s),
        None if !ch.is_ascii() && ch.is_alphabetic() => CharClass::OtherLetter,
        None => CharClass::NotLetter,
    }
}

/// Whether a character belongs inside a word.
pub fn is_word_char(ch: char) -> bool {
    classify(ch) != CharClass::NotLetter
}

/// Pushes the lower-case form of `ch` (fast for ASCII and basic Cyrillic).
pub fn push_lower(out: &mut Vec<char>, ch: char) {
    let c = ch as u32;
    let lower = match c {
        0x41..=0x5A | 0x410..=0x42F => c + 0x20,
        0x400..=0x40F => c + 0x50,
        0x61..=0x7A | 0x430..=0x45F => c,
        _ => {
            out.extend(ch.to_lowercase());
            return;
        }
    };
    out.push(char::from_u32(lower).unwrap_or(ch));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_have_their_script() {
        assert_eq!(Script::of_char('ž'), Some(Script::Latin));
        assert_eq!(Script::of_char('ў'), Some(Script::Cyrillic));
        assert_eq!(Script::of_char('λ'), Some(Script::Greek));
        assert_eq!(Script::of_char('ش'), Some(Script::Arabic));
        assert_eq!(Script::of_char('7'), None);
        assert_eq!(Script::of_char('×'), None);
        assert_eq!(Script::of_char('٣'), None);
    }

    #[test]
    fn fast_lower_case_agrees_with_std() {
        for c in (0u32..0x530).filter_map(char::from_u32) {
            let mut fast = Vec::new();
            push_lower(&mut fast, c);
            let std: Vec<char> = c.to_lowercase().collect();
            assert_eq!(fast, std, "{c:?}");
        }
    }

    #[test]
    fn fast_paths_agree_with_std() {
        for c in (0u32..0x530).filter_map(char::from_u32) {
            if Script::of_char(c).is_some() {
                assert!(
                    c.is_alphabetic() || (0x300..0x370).contains(&(c as u32)),
                    "{c:?}"
                );
            }
        }
        assert_eq!(classify('中'), CharClass::OtherLetter);
        assert_eq!(classify('.'), CharClass::NotLetter);
    }

    #[test]
    fn every_language_has_a_script() {
        for &lang in Language::ALL {
            let script = Script::of_language(lang);
            assert_eq!(Script::ALL[script.index()], script);
        }
    }
}
