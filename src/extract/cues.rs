//! What the extractor knows of each language, as data: the cue words around
//! a mention that tell a place from something else (prepositions of place,
//! words for a town, a region, a river, a kinsman, verbs of saying ...) and
//! the facts of the language that change how much evidence a town needs
//! (its home country, whether it inflects foreign names).
//!
//! One [`PlaceLanguage`] per language, in `cues/<language>.rs`, listed in
//! [`LANGUAGES`]: adding Latvian or Polish place cues is a new file and one
//! line there. A text in a language without an entry is read with the
//! English rules (and no list of ordinary words).
//!
//! The cue lists of every language apply to every text ([`is_cue`] and
//! friends look through all of them): texts quote other languages, and the
//! lists of different languages hardly meet.

mod english;
mod lithuanian;
mod russian;

use super::inflect::Rules;
use crate::lang::Language;

/// Cue words of one language, in lower case. "By first letters" lists are
/// matched as prefixes (to cover the inflected forms), the others as whole
/// words.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cues {
    /// Words before "America" that make it a continent (Latin, южн), by first letters.
    pub continent_qualifiers: &'static [&'static str],
    /// Words after which an adjective is not attributive (and, или, arba).
    pub stop_after_adjective: &'static [&'static str],
    /// Words for a language or an ocean after an adjective (язык, kalb,
    /// ocean), by first letters: the adjective does not name a country.
    pub language_words: &'static [&'static str],
    /// Words for a street, a building or a park after an adjective or a name
    /// (Тверском бульваре, Мариинского театра), by first letters.
    pub street_words: &'static [&'static str],
    /// Words before a region's or a district's name (штат Вирджиния, район
    /// Манхэттен, provincija), by first letters.
    pub region_before: &'static [&'static str],
    /// Words for a region after its name (Московской области, Orange
    /// County), by first letters.
    pub region_words: &'static [&'static str],
    /// Nouns for a region or a diocese, by first letters: an adjective
    /// before one (Тверской области, Vilniaus apskrities) names the region,
    /// not its town, however big the town.
    pub region_nouns: &'static [&'static str],
    /// Whole forms of region nouns too short to match by first letters (края).
    pub region_noun_forms: &'static [&'static str],
    /// Words joining a list of adjectives before a region noun
    /// (Самарской и Новосибирской областях).
    pub list_words: &'static [&'static str],
    /// Words for time after a lower-case adjective (по московскому времени),
    /// by first letters: a time zone, not the town.
    pub time_words: &'static [&'static str],
    /// Prepositions of place and words for a town, before a town's name (в, из, город).
    pub place_words: &'static [&'static str],
    /// Words for a town or a village right before its name (в городе Ном,
    /// селе Бокино): any populated place may follow.
    pub town_words: &'static [&'static str],
    /// Words for a town before "of" (the town of Tornillo): the same.
    pub town_words_of: &'static [&'static str],
    /// Capitalised nouns that begin an institution's name (Университета
    /// Рочестера, University Hospital), by first letters: the word after
    /// them is not a surname.
    pub institution_nouns: &'static [&'static str],
    /// Nouns that, after an uninflected name, show the name is part of an
    /// institution's name (`Tokai universitetas`), by first letters; only in
    /// texts of this language.
    pub institutions_after: &'static [&'static str],
    /// Genitive endings: a name in the genitive before an institution noun
    /// is the town's (`Vilniaus universitetas`); only in texts of this language.
    pub genitive_endings: &'static [&'static str],
    /// Verbs of saying right after a name make it a person's (Rowlett said,
    /// Petraitis sakė, Иванов заявил).
    pub speech_verbs: &'static [&'static str],
    /// Words for a kinsman or a person right before a name (отец Уэйн, his
    /// son Paris): the name is a person's.
    pub person_before: &'static [&'static str],
    /// Words for a natural feature before its name (реки Печоры, острове
    /// Сан-Педро): a river or an island named like a town is not the town.
    pub feature_before: &'static [&'static str],
    /// Words for an estate, a stadium or an airport before a name in
    /// apposition (стадионе Калининград); with the name in the genitive it
    /// is the town's (аэропорту Франкфурта).
    pub building_before: &'static [&'static str],
    /// Words of birth before a date (родился, gimė, born): not the report's date.
    pub birth_words: &'static [&'static str],
    /// Words after a number that make it a year (2015 г., 2015 metais).
    pub year_words_after: &'static [&'static str],
    /// Words before a number that make it a year (в 2015, in 2015).
    pub year_words_before: &'static [&'static str],
}

/// Which place adjectives a language's Latin-script words are read as
/// (Cyrillic words are always read by the Russian rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LatinAdjectives {
    /// None: Latin words of the text are foreign names.
    None,
    /// Lithuanian people's names in the genitive plural (japonų), any case.
    Lithuanian,
    /// English adjectives (Belgian, French), capitalised only.
    English,
}

/// What the extractor knows of one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlaceLanguage {
    /// The country whose towns its texts mostly name (ISO code): its towns
    /// are read on less evidence and score higher.
    pub home: Option<&'static str>,
    /// The least population of a home town named without other evidence.
    pub home_town_min: u32,
    /// The least population of a home town named by a capitalised adjective.
    pub home_adjective_min: u32,
    /// The least population of a town named by an alternate Latin name (not
    /// its canonical one): with its country in the text, and without.
    pub alternate_min: [u32; 2],
    /// The inflection rules of its Latin-script words.
    pub latin_rules: Rules,
    /// The place adjectives of its Latin-script words.
    pub latin_adjectives: LatinAdjectives,
    /// The list of ordinary words its Latin-script words are checked
    /// against (`None`: no list).
    pub latin_words: Option<Language>,
    /// A Latin-script word in its texts is the name of something else
    /// (Google, Monsanto) more often than a town's alternate name.
    pub latin_is_foreign: bool,
    /// Its texts write region names in full (Аляски, Нью-Джерси), so a named
    /// region is context for its country's towns.
    pub region_context: bool,
    /// It inflects names, foreign ones too (Londone, Niujorke, Vašingtonas),
    /// and puts names side by side in different cases (Panevėžiui
    /// Tojohašio): inflected forms are ordinary, and its common nouns
    /// inflect like names.
    pub inflects_names: bool,
    /// Its cue words.
    pub cues: Cues,
}

/// The languages with place cues, each with its entry.
static LANGUAGES: &[(Language, &PlaceLanguage)] = &[
    (Language::Lithuanian, &lithuanian::LITHUANIAN),
    (Language::Russian, &russian::RUSSIAN),
    (Language::English, &english::ENGLISH),
];

/// A language without an entry: the English rules, no list of ordinary words.
static OTHER: PlaceLanguage = PlaceLanguage {
    latin_words: None,
    ..english::ENGLISH
};

/// The language whose rules read Cyrillic words, whatever the text's language.
pub(crate) const CYRILLIC: Language = Language::Russian;

/// What the extractor knows of a text's language (`None`: English).
pub(crate) fn place_language(lang: Option<Language>) -> &'static PlaceLanguage {
    let Some(lang) = lang else {
        return &english::ENGLISH;
    };
    LANGUAGES
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(&OTHER, |(_, p)| p)
}

/// One cue list of every language.
fn lists(list: fn(&'static Cues) -> &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    LANGUAGES
        .iter()
        .flat_map(move |(_, p)| list(&p.cues).iter().copied())
}

/// Is `word` (lower case) a word of the cue list `list` in any language?
pub(crate) fn is_cue(word: &str, list: fn(&'static Cues) -> &'static [&'static str]) -> bool {
    lists(list).any(|w| w == word)
}

/// Does `word` (lower case) begin with a word of the cue list `list` in any language?
pub(crate) fn starts_with_cue(
    word: &str,
    list: fn(&'static Cues) -> &'static [&'static str],
) -> bool {
    lists(list).any(|w| word.starts_with(w))
}

/// Does a Russian word end like a surname (-ов, -ева, -ину ...)?
pub(crate) fn surname_like(word: &str) -> bool {
    const SUFFIXES: &[&str] = &["ов", "ев", "ёв", "ин", "ын"];
    const ENDINGS: &[&str] = &["", "а", "у", "ым", "ой", "е", "ом"];
    ENDINGS.iter().any(|e| {
        word.strip_suffix(e)
            .is_some_and(|s| s.chars().count() >= 4 && SUFFIXES.iter().any(|x| s.ends_with(x)))
    })
}

/// Articles, particles and titles of many languages that come before a
/// name without being a first name (The Washington Post, Los Angeles, La
/// Paz): they belong to the names, which any text may quote, not to the
/// text's language.
pub(crate) const NAME_ARTICLES: &[&str] = &[
    "the", "a", "an", "la", "le", "les", "el", "los", "las", "der", "die", "das", "de", "di", "da",
    "du", "von", "van", "san", "santa", "st", "mr", "mrs", "ms", "dr", "prof",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_language_has_rules() {
        assert_eq!(place_language(Some(Language::Lithuanian)).home, Some("LT"));
        assert_eq!(place_language(Some(Language::Russian)).home, Some("RU"));
        assert_eq!(place_language(None).latin_words, Some(Language::English));
        let german = place_language(Some(Language::German));
        assert_eq!(german.latin_words, None);
        assert_eq!(german.latin_rules, Rules::English);
    }

    #[test]
    fn cues_of_every_language_apply() {
        assert!(is_cue("городе", |c| c.town_words));
        assert!(is_cue("town", |c| c.town_words_of));
        assert!(starts_with_cue("apskrities", |c| c.region_words));
        assert!(starts_with_cue("county", |c| c.region_words));
        assert!(!is_cue("vilnius", |c| c.place_words));
    }

    #[test]
    fn lists_are_lower_case() {
        for (lang, p) in LANGUAGES {
            let c = &p.cues;
            for list in [
                c.continent_qualifiers,
                c.street_words,
                c.region_words,
                c.place_words,
                c.town_words,
                c.institution_nouns,
                c.speech_verbs,
                c.person_before,
                c.feature_before,
            ] {
                for w in list {
                    assert_eq!(*w, w.to_lowercase(), "{lang}: {w}");
                }
            }
        }
    }
}
