//! English place cues.

use super::{Cues, LatinAdjectives, PlaceLanguage};
use crate::extract::inflect::Rules;
use crate::extract::tier;
use crate::lang::Language;

/// English: no home country; an alternate Latin name is most often a
/// translation or a nickname (White House), so it needs a big city.
pub(super) const ENGLISH: PlaceLanguage = PlaceLanguage {
    home: None,
    home_town_min: tier::TOWN,
    home_adjective_min: tier::CITY,
    alternate_min: [tier::MILLION_CITY, tier::MEGACITY],
    latin_rules: Rules::English,
    latin_adjectives: LatinAdjectives::English,
    latin_words: Some(Language::English),
    latin_is_foreign: false,
    region_context: false,
    inflects_names: false,
    cues: Cues {
        continent_qualifiers: &["latin", "south", "north", "central"],
        stop_after_adjective: &["and", "or", "also", "is", "was", "are", "were", "but"],
        language_words: &["language", "ocean"],
        street_words: &["street", "avenue"],
        region_before: &[
            "state",
            "province",
            "county",
            "district",
            "borough",
            "prefecture",
        ],
        region_words: &["county", "province", "region", "oblast", "prefect"],
        region_nouns: &["county", "province", "oblast"],
        region_noun_forms: &[],
        list_words: &["and"],
        time_words: &[],
        place_words: &[],
        town_words: &[],
        town_words_of: &["town", "city", "village", "hamlet", "borough"],
        institution_nouns: &[
            "university",
            "college",
            "institute",
            "academy",
            "school",
            "museum",
            "hospital",
            "bank",
            "airport",
            "stadium",
        ],
        institutions_after: &[],
        genitive_endings: &[],
        speech_verbs: &[
            "said",
            "says",
            "told",
            "added",
            "testified",
            "explained",
            "recalled",
        ],
        person_before: &[
            "father", "mother", "son", "daughter", "wife", "husband", "brother", "sister",
        ],
        feature_before: &["river", "lake", "island"],
        building_before: &[],
        birth_words: &["born", "birth"],
        year_words_after: &[],
        year_words_before: &["in", "since"],
    },
};
