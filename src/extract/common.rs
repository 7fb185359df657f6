//! Ordinary words that look like place names (`Кроме`, `Дума`, `Tačiau`,
//! `Church`): lower-case dictionary lemmas (hunspell en_US, lt_LT, ru_RU)
//! sharing a stem with a one-word place name, listed by the generator in
//! `data/gazetteer/common_words.tsv` and compared here by Snowball stem, so
//! that every inflected form of the lemma is covered.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::lang::Language;

const COMMON_WORDS_TSV: &str = include_str!("../../data/gazetteer/common_words.tsv");

const PERSON_NAMES_TSV: &str = include_str!("../../data/gazetteer/person_names.tsv");

/// Snowball stems of the Russian given names and patronymics listed by the
/// generator (hunspell ru_RU name paradigms: Владимир, Наталья).
static PERSON_STEMS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let Some(stemmer) = Language::Russian.stemmer() else {
        return HashSet::new();
    };
    PERSON_NAMES_TSV
        .lines()
        .skip(1)
        .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
        .collect()
});

/// Is a Cyrillic `word` (any case) a form of a Russian given name or
/// patronymic (Владимира, Натальей)?
pub(crate) fn is_person_name(word: &str) -> bool {
    let Some(stemmer) = Language::Russian.stemmer() else {
        return false;
    };
    PERSON_STEMS.contains(stemmer.stem(&word.to_lowercase()).as_ref())
}

/// Snowball stems of the listed words, per language: every language of the
/// list that has a stemmer (a new language's words are new lines of the
/// list, no code).
static STEMS: LazyLock<HashMap<Language, HashSet<String>>> = LazyLock::new(|| {
    let mut sets: HashMap<Language, HashSet<String>> = HashMap::new();
    let mut stemmers: HashMap<Language, Option<frostem::Stemmer>> = HashMap::new();
    for line in COMMON_WORDS_TSV.lines().skip(1) {
        let Some((code, word)) = line.split_once('\t') else {
            continue;
        };
        let Some(lang) = Language::from_code(code) else {
            continue;
        };
        if let Some(s) = stemmers.entry(lang).or_insert_with(|| lang.stemmer()) {
            sets.entry(lang)
                .or_default()
                .insert(s.stem(word).into_owned());
        }
    }
    sets
});

/// Is `word` (any case) an inflected form of an ordinary word of `lang`
/// that also looks like a place name?
pub(crate) fn is_common_word(word: &str, lang: Language) -> bool {
    let Some(stems) = STEMS.get(&lang) else {
        return false;
    };
    let Some(stemmer) = lang.stemmer() else {
        return false;
    };
    let lower = word.to_lowercase();
    stems.contains(stemmer.stem(&lower).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_words_are_known_in_any_form() {
        assert!(is_common_word("Думы", Language::Russian));
        assert!(is_common_word("Кроме", Language::Russian));
        assert!(is_common_word("Tačiau", Language::Lithuanian));
        assert!(is_common_word("Tarybų", Language::Lithuanian));
        assert!(is_common_word("Church", Language::English));
        assert!(!is_common_word("Москве", Language::Russian));
        assert!(!is_common_word("Tojohašio", Language::Lithuanian));
        assert!(!is_common_word("Church", Language::German));
    }

    #[test]
    fn given_names_in_any_form() {
        assert!(is_person_name("Владимира"));
        assert!(is_person_name("Натальей"));
        assert!(!is_person_name("Москве"));
    }
}
