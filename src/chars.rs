//! Character classes on the hot path. `char::is_alphabetic` answers ASCII
//! inline but looks every other character up in a table; the letters of the
//! engine's main scripts (Latin-1 and Latin Extended-A/B, Cyrillic) are
//! answered here by range first, with the same results. Also the classes
//! the word splitter ([`crate::words`]) and the language identifier share:
//! invisible characters, CJK ideographs and kana, and [`Script`].

#[cfg(test)]
use crate::lang::Language;

/// Same as [`char::is_alphabetic`], faster for Latin and Cyrillic text.
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return c.is_ascii_alphabetic();
    }
    match u {
        0xC0..=0x24F => u != 0xD7 && u != 0xF7,
        0x400..=0x481 | 0x48A..=0x52F => true,
        _ => c.is_alphabetic(),
    }
}

/// Same as [`char::is_alphanumeric`], faster for Latin and Cyrillic text.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii_digit() {
        return true;
    }
    let u = c as u32;
    if u < 0x80 || (0xC0..=0x24F).contains(&u) || (0x400..=0x52F).contains(&u) {
        return is_alphabetic(c);
    }
    c.is_alphanumeric()
}

/// Does lower-casing leave `s` unchanged (by `str::to_lowercase` or by
/// `char::to_lowercase` one character at a time)? A quick scan that spares
/// most words the allocation; `false` does not mean that it would change.
#[inline]
pub(crate) fn is_lowercase(s: &str) -> bool {
    s.chars().all(|c| {
        if c.is_ascii() {
            !c.is_ascii_uppercase()
        } else {
            c.is_lowercase()
        }
    })
}

/// True for a character that never shows and only breaks words apart:
/// soft hyphen, zero-width space and joiners, word joiner, byte-order mark,
/// Mongolian vowel separator.
#[inline]
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
    )
}

/// True for Han ideographs, Hiragana and Katakana: scripts written without
/// spaces between words, where each character is taken as a word.
#[inline]
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

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
    pub(crate) const ALL: [Script; 8] = [
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
    pub(crate) fn of_char(ch: char) -> Option<Script> {
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
        if crate::chars::is_alphabetic(ch) || is_script_mark(c) {
            Some(script)
        } else {
            None
        }
    }

    /// Position of this script in [`Script::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The script a language is written in.
    #[cfg(test)]
    pub(crate) fn of_language(lang: Language) -> Script {
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
fn is_script_mark(c: u32) -> bool {
    matches!(
        c,
        0x300..=0x36F | 0x591..=0x5C7 | 0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x900..=0x903
            | 0x93A..=0x94F | 0x951..=0x957 | 0x962..=0x963 | 0xB82 | 0xBBE..=0xBCD | 0xBD7
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_letters_lower_case_to_themselves() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if super::is_lowercase(c.encode_utf8(&mut [0; 4])) {
                assert!(c.to_lowercase().eq(std::iter::once(c)), "{c:?}");
            }
        }
        assert!(super::is_lowercase("vilniaus-ų 2024 москва"));
        assert!(!super::is_lowercase("Vilnius"));
    }

    #[test]
    fn same_answers_as_the_standard_library() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(super::is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(super::is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
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
    fn every_language_has_a_script() {
        for &lang in Language::ALL {
            let script = Script::of_language(lang);
            assert_eq!(Script::ALL[script.index()], script);
        }
    }
}
