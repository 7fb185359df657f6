//! Repairs words that mix Latin and Cyrillic look-alike letters ("мeтaлл" typed
//! with Latin e and a; "Pаnevėžys" with a Cyrillic а). The word's majority script
//! wins; letters of the other script are replaced when they have a look-alike.
//! A word whose minority letters have no look-alike (a real mixed token) is left.

use super::Normalizer;

/// Lower-case look-alike pairs (Latin, Cyrillic). Applied after lower-casing,
/// so pairs that only look alike in upper case (M/М, T/Т, H/Н, B/В) are here too.
const PAIRS: &[(char, char)] = &[
    ('a', 'а'),
    ('b', 'в'),
    ('c', 'с'),
    ('e', 'е'),
    ('h', 'н'),
    ('i', 'і'),
    ('k', 'к'),
    ('m', 'м'),
    ('o', 'о'),
    ('p', 'р'),
    ('t', 'т'),
    ('x', 'х'),
    ('y', 'у'),
];

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}')
}

/// Replaces look-alike letters of the minority script.
pub(crate) struct RepairHomoglyphs;

impl Normalizer for RepairHomoglyphs {
    fn apply(&self, word: &mut String) {
        let cyr = word.chars().filter(|&c| is_cyrillic(c)).count();
        let lat = word.chars().filter(|&c| is_latin(c)).count();
        if cyr == 0 || lat == 0 {
            return;
        }
        let to_cyrillic = cyr >= lat;
        let map = |c: char| -> Option<char> {
            if to_cyrillic && is_latin(c) {
                PAIRS.iter().find(|p| p.0 == c).map(|p| p.1)
            } else if !to_cyrillic && is_cyrillic(c) {
                PAIRS.iter().find(|p| p.1 == c).map(|p| p.0)
            } else {
                Some(c)
            }
        };
        let repaired: Option<String> = word.chars().map(map).collect();
        if let Some(r) = repaired {
            *word = r;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let mut w = s.to_string();
        RepairHomoglyphs.apply(&mut w);
        w
    }

    #[test]
    fn latin_letters_in_cyrillic_word() {
        assert_eq!(run("мeтaллургия"), "металлургия");
    }

    #[test]
    fn cyrillic_letters_in_latin_word() {
        assert_eq!(run("pаnevėžys"), "panevėžys");
    }

    #[test]
    fn real_mixed_tokens_are_left_alone() {
        // 'g' has no Cyrillic look-alike: not a typo, keep it.
        assert_eq!(run("gлаз"), "gлаз");
        assert_eq!(run("robotika"), "robotika");
    }
}
