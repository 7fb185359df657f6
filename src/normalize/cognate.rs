//! Cognate keys: one spelling-neutral key for words that Lithuanian, Russian
//! and English share as internationalisms or names (robot-, metallurg-,
//! technolog-, universit-, Kalifornija / Калифорния / California), without
//! a dictionary.
//!
//! The key is built from the folded, transliterated word (Lithuanian-style
//! scheme, so ц and c, х and ch line up) by rewriting the spellings the
//! three languages use differently for the same sound (ph/f, th/t, y/j/i,
//! w/v, x/ks, hard c/k, kh/ch/h, ts/c) and doubled letters, then keeping
//! the first [`KEY_CHARS`] letters, and for longer words also the first
//! [`LONG_KEY_CHARS`] (metallurgy and metals share the short key, not the
//! long one). Words shorter than [`KEY_CHARS`] have no key: a short prefix
//! says too little. A key match is weak evidence, so the search weighs it
//! below exact, stemmed and folded matches, the short key lowest.

use super::fold::fold_diacritics;
use super::translit::{has_cyrillic, transliterate_with, Scheme};

/// Letters kept in a short key.
pub(crate) const KEY_CHARS: usize = 5;
/// Letters kept in a long key.
pub(crate) const LONG_KEY_CHARS: usize = 7;

/// Spelling rewrites, applied in order, longest first where they overlap.
const REWRITES: &[(&str, &str)] = &[
    ("shch", "s"),
    ("sch", "s"),
    ("kh", "h"),
    ("ch", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("sh", "s"),
    ("zh", "z"),
    ("ts", "c"),
    ("tz", "c"),
    ("ck", "k"),
    ("qu", "kv"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
];

/// The cognate keys of a lower-cased, normalised word: none for a short
/// word, the short key, and the long one for a long word.
pub(crate) fn cognate_keys(word: &str) -> Vec<String> {
    let Some(mut full) = spelling(word) else {
        return Vec::new();
    };
    if full.len() < KEY_CHARS {
        return Vec::new();
    }
    let mut keys = Vec::with_capacity(2);
    if full.len() >= LONG_KEY_CHARS {
        full.truncate(LONG_KEY_CHARS);
        keys.push(full[..KEY_CHARS].to_string());
        keys.push(full);
    } else {
        full.truncate(KEY_CHARS);
        keys.push(full);
    }
    keys
}

/// The set of ASCII letters in a string, as bits (a = 1).
fn letters(s: &str) -> u32 {
    s.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0, |m, b| m | 1 << (b - b'a'))
}

/// The spelling-neutral form of a word (all of it), if it is all letters.
fn spelling(word: &str) -> Option<String> {
    let latin = if has_cyrillic(word) {
        transliterate_with(word, Scheme::Folded)
    } else {
        fold_diacritics(word)
    };
    // only ASCII letters, at least a key's worth
    if latin.len() < KEY_CHARS || !latin.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut s = latin;
    // a rewrite applies only where all its letters occur: most words skip
    // most of the table without a search
    let mut present = letters(&s);
    for (from, to) in REWRITES {
        if present & letters(from) == letters(from) && s.contains(from) {
            s = s.replace(from, to);
            present = letters(&s);
        }
    }
    // hard c (not before e or i) sounds and is spelt k in lt and ru
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        let c = if c == b'c' && !matches!(b.get(i + 1), Some(b'e' | b'i')) {
            b'k'
        } else {
            c
        };
        if out.as_bytes().last() != Some(&c) {
            out.push(c as char);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::cognate_keys;

    fn k(w: &str) -> Option<String> {
        cognate_keys(w).into_iter().next()
    }

    fn same(words: &[&str]) {
        let keys: Vec<_> = words.iter().map(|w| k(w)).collect();
        assert!(keys[0].is_some(), "{words:?}: {keys:?}");
        assert!(keys.windows(2).all(|p| p[0] == p[1]), "{words:?}: {keys:?}");
    }

    #[test]
    fn internationalisms_share_a_key_across_languages() {
        same(&["robotics", "robotikos", "робототехника", "роботы"]);
        same(&["metallurgy", "metalurgija", "металлургия", "металлургии"]);
        same(&["technology", "technologijos", "технологический"]);
        same(&["university", "universitetas", "университет"]);
        same(&["california", "kalifornija", "калифорния"]);
        same(&["philosophy", "filosofija", "философия"]);
        same(&["theory", "teorija", "теория"]);
        same(&["police", "policija", "полиция"]);
        same(&["federal", "federalinis", "федеральный"]);
        same(&["terrorism", "terorizmas", "терроризм"]);
    }

    #[test]
    fn long_keys_tell_longer_words_apart() {
        assert_eq!(cognate_keys("metalurgija"), ["metal", "metalur"]);
        assert_eq!(cognate_keys("металлургия"), ["metal", "metalur"]);
        assert_eq!(cognate_keys("металлов"), ["metal", "metalov"]);
        assert_eq!(cognate_keys("robot"), ["robot"]);
    }

    #[test]
    fn short_words_numbers_and_mixed_tokens_have_no_key() {
        assert_eq!(k("the"), None);
        assert_eq!(k("para"), None);
        assert_eq!(k("covid19"), None);
        assert_eq!(k("中文中文中文"), None);
    }
}
