//! Lithuanian place cues.

use super::{Cues, LatinAdjectives, PlaceLanguage};
use crate::extract::inflect::Rules;
use crate::extract::tier;
use crate::lang::Language;

/// Lithuanian: Lithuania's towns are small (Prienai has 9,000 people);
/// Lithuanian forms of foreign names live among the gazetteer's alternate
/// names (Vašingtonas), and names are inflected, foreign ones too.
pub(super) const LITHUANIAN: PlaceLanguage = PlaceLanguage {
    home: Some("LT"),
    home_town_min: tier::VILLAGE,
    home_adjective_min: tier::CITY,
    alternate_min: [tier::SMALL_CITY, tier::CITY],
    latin_rules: Rules::Lithuanian,
    latin_adjectives: LatinAdjectives::Lithuanian,
    latin_words: Some(Language::Lithuanian),
    latin_is_foreign: false,
    region_context: false,
    inflects_names: true,
    cues: Cues {
        continent_qualifiers: &["lotynų", "pietų", "šiaurės", "centrin", "vidurio"],
        stop_after_adjective: &["ir", "ar", "arba", "bei", "o"],
        language_words: &["kalb", "vandeny"],
        street_words: &["gatv", "prospekt", "aikšt"],
        region_before: &["prefektūr", "valstij", "provincij", "rajon"],
        region_words: &["apskrit", "rajon", "prefekt"],
        region_nouns: &["apskrit"],
        region_noun_forms: &[],
        list_words: &["ir"],
        time_words: &[],
        place_words: &[],
        town_words: &[],
        town_words_of: &[],
        institution_nouns: &["universitet", "institut", "akademij", "kolegij"],
        institutions_after: &[
            "universitet",
            "institut",
            "akademij",
            "kolegij",
            "mokykl",
            "gimnazij",
            "koledž",
        ],
        genitive_endings: &["o", "os", "ės", "aus", "ų"],
        speech_verbs: &[
            "sakė",
            "teigė",
            "pasakojo",
            "pridūrė",
            "pareiškė",
            "atsakė",
            "paaiškino",
            "sako",
            "teigia",
        ],
        person_before: &[
            "tėvas", "motina", "sūnus", "dukra", "žmona", "vyras", "brolis", "sesuo",
        ],
        feature_before: &["upė", "upės", "ežero", "ežeras", "sala", "salos"],
        building_before: &[],
        birth_words: &["gimė", "gimusi", "gimęs"],
        year_words_after: &["metais", "metų", "metus"],
        year_words_before: &[],
    },
};
