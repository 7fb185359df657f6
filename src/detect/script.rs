//! What a character is to the language identifier's word walk.

pub use crate::chars::Script;

/// What a character is to the word splitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CharClass {
    /// A letter or mark of a script some engine language uses.
    Letter(Script),
    /// A letter of a script no engine language uses (Han, Thai, ...).
    OtherLetter,
    /// Anything else: space, punctuation, digit, symbol.
    NotLetter,
}

/// Classifies one character.
pub(super) fn classify(ch: char) -> CharClass {
    match Script::of_char(ch) {
        Some(s) => CharClass::Letter(s),
        None if !ch.is_ascii() && ch.is_alphabetic() => CharClass::OtherLetter,
        None => CharClass::NotLetter,
    }
}

/// Whether a character belongs inside a word.
pub(super) fn is_word_char(ch: char) -> bool {
    classify(ch) != CharClass::NotLetter
}

/// Pushes the lower-case form of `ch` (fast for ASCII and basic Cyrillic).
pub(super) fn push_lower(out: &mut Vec<char>, ch: char) {
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
}
