//! Cyrillic to Latin transliteration, so that a Latin query finds Cyrillic
//! text ("Lipetsk" finds "Липецкий") and the other way round.
//!
//! Two common schemes are produced, because users type both: an English-style
//! one (BGN/PCGN-like: ц ts, ш sh, ж zh, х kh, й y, я ya) and a
//! Central-European one, the Lithuanian transcription with its diacritics
//! folded (ц c, ш s, ж z, х ch, й j, я ja), which is also ISO 9 / scholarly
//! transliteration without diacritics.

/// The transliteration schemes, in the order [`transliterate`] returns them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// English-style (Lipetsk, Shenyang, Kharkov).
    English,
    /// Central-European / folded scholarly (Lipeck, Senjan, Charkov).
    Folded,
}

fn map(c: char, scheme: Scheme) -> Option<&'static str> {
    use Scheme::*;
    let s = match (c, scheme) {
        ('а', _) => "a",
        ('б', _) => "b",
        ('в', _) => "v",
        ('г', _) => "g",
        ('ґ', _) => "g",
        ('д', _) => "d",
        ('е', _) => "e",
        ('ё', English) => "yo",
        ('ё', Folded) => "jo",
        ('є', English) => "ye",
        ('є', Folded) => "je",
        ('ж', English) => "zh",
        ('ж', Folded) => "z",
        ('з', _) => "z",
        ('и', _) => "i",
        ('і', _) => "i",
        ('ї', English) => "yi",
        ('ї', Folded) => "ji",
        ('й', English) => "y",
        ('й', Folded) => "j",
        ('ј', _) => "j",
        ('к', _) => "k",
        ('л', _) => "l",
        ('љ', _) => "lj",
        ('м', _) => "m",
        ('н', _) => "n",
        ('њ', _) => "nj",
        ('о', _) => "o",
        ('п', _) => "p",
        ('р', _) => "r",
        ('с', _) => "s",
        ('т', _) => "t",
        ('ћ', _) => "c",
        ('ђ', _) => "dj",
        ('у', _) => "u",
        ('ў', _) => "u",
        ('ф', _) => "f",
        ('х', English) => "kh",
        ('х', Folded) => "ch",
        ('ц', English) => "ts",
        ('ц', Folded) => "c",
        ('ч', English) => "ch",
        ('ч', Folded) => "c",
        ('џ', _) => "dz",
        ('ш', English) => "sh",
        ('ш', Folded) => "s",
        ('щ', English) => "shch",
        ('щ', Folded) => "sc",
        ('ъ', _) => "",
        ('ы', _) => "y",
        ('ь', _) => "",
        ('э', _) => "e",
        ('ю', English) => "yu",
        ('ю', Folded) => "ju",
        ('я', English) => "ya",
        ('я', Folded) => "ja",
        _ => return None,
    };
    Some(s)
}

/// True if the word contains a Cyrillic letter.
pub(crate) fn has_cyrillic(word: &str) -> bool {
    word.chars().any(|c| matches!(c, '\u{0400}'..='\u{052F}'))
}

/// Transliterates one lower-cased word with one scheme; characters outside
/// the table are kept.
pub(crate) fn transliterate_with(word: &str, scheme: Scheme) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match map(c, scheme) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

/// The distinct Latin spellings of a lower-cased Cyrillic word (one or two);
/// a word without Cyrillic comes back unchanged, alone.
pub(crate) fn transliterate(word: &str) -> Vec<String> {
    if !has_cyrillic(word) {
        return vec![word.to_string()];
    }
    let a = transliterate_with(word, Scheme::English);
    let b = transliterate_with(word, Scheme::Folded);
    if a == b {
        vec![a]
    } else {
        vec![a, b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_schemes() {
        assert_eq!(transliterate("липецк"), vec!["lipetsk", "lipeck"]);
        assert_eq!(transliterate("шэньян"), vec!["shenyan", "senjan"]);
    }

    #[test]
    fn latin_is_unchanged() {
        assert_eq!(transliterate("robotika"), vec!["robotika"]);
    }

    #[test]
    fn same_in_both_schemes_is_given_once() {
        assert_eq!(transliterate("металл"), vec!["metall"]);
    }
}
