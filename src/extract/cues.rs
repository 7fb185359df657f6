//! Cue words around a mention that tell a place from something else:
//! institution, street and region nouns, prepositions of place, words that
//! make an adjective a language's name, surname shapes.

/// Lower-case nouns that, after an uninflected Lithuanian name, show the
/// name is part of an institution's name (`Tokai universitetas`).
pub(crate) const LT_INSTITUTIONS: &[&str] = &[
    "universitet",
    "institut",
    "akademij",
    "kolegij",
    "mokykl",
    "gimnazij",
    "koledž",
];

/// Words before "America" that make it a continent.
pub(crate) const CONTINENT_QUALIFIERS: &[&str] = &[
    "latin",
    "south",
    "north",
    "central",
    "латинск",
    "южн",
    "северн",
    "центральн",
    "lotynų",
    "pietų",
    "šiaurės",
    "centrin",
    "vidurio",
];

/// Words after which an adjective is not attributive.
pub(crate) const STOP_AFTER_ADJECTIVE: &[&str] = &[
    "and", "or", "also", "is", "was", "are", "were", "but", "и", "или", "а", "но", "ir", "ar",
    "arba", "bei", "o",
];

/// Words for a language, by their first letters.
pub(crate) const LANGUAGE_WORDS: &[&str] =
    &["язык", "kalb", "language", "ocean", "океан", "vandeny"];

/// Lithuanian genitive endings (singular and plural).
pub(crate) const LT_GENITIVE: &[&str] = &["o", "os", "ės", "aus", "ų"];

/// Words for a street, a building or a park after an adjective or a name
/// (Тверском бульваре, Мариинского театра).
pub(crate) const STREET_WORDS: &[&str] = &[
    "бульвар",
    "улиц",
    "проспект",
    "переул",
    "шоссе",
    "площад",
    "набережн",
    "театр",
    "парк",
    "собор",
    "кладбищ",
    "больниц",
    "street",
    "avenue",
    "gatv",
    "prospekt",
    "aikšt",
];

/// Words before a region's or a district's name (штат Вирджиния, район
/// Манхэттен, provincija).
pub(crate) const REGION_BEFORE: &[&str] = &[
    "штат",
    "провинци",
    "район",
    "округ",
    "state",
    "province",
    "county",
    "district",
    "borough",
    "префектур",
    "prefecture",
    "prefektūr",
    "valstij",
    "provincij",
    "rajon",
];

/// Words for regions, by their first letters.
pub(crate) const REGION_WORDS: &[&str] = &[
    "област",
    "край",
    "кра",
    "район",
    "губерни",
    "округ",
    "уезд",
    "apskrit",
    "rajon",
    "county",
    "province",
    "region",
    "oblast",
    "prefect",
    "prefekt",
];

/// Prepositions of place and words for a town, before a town's name.
pub(crate) const PLACE_WORDS: &[&str] = &[
    "в",
    "во",
    "из",
    "под",
    "до",
    "около",
    "близ",
    "г",
    "город",
    "городе",
    "города",
    "городом",
    "поселок",
    "посёлок",
    "село",
    "деревня",
];

/// Does a Russian word end like a surname (-ов, -ева, -ину ...)?
pub(crate) fn surname_like(word: &str) -> bool {
    const SUFFIXES: &[&str] = &["ов", "ев", "ёв", "ин", "ын"];
    const ENDINGS: &[&str] = &["", "а", "у", "ым", "ой", "е", "ом"];
    ENDINGS.iter().any(|e| {
        word.strip_suffix(e)
            .is_some_and(|s| s.chars().count() >= 4 && SUFFIXES.iter().any(|x| s.ends_with(x)))
    })
}

/// Nouns for a region or a diocese, by their first letters: an adjective
/// before one (Тверской области, Пермского края, Vilniaus apskrities) names
/// the region, not its town, however big the town.
pub(crate) const REGION_NOUNS: &[&str] = &[
    "област",
    "губерни",
    "епархи",
    "округ",
    "уезд",
    "волост",
    "провинци",
    "префектур",
    "apskrit",
    "county",
    "province",
    "oblast",
];

/// The forms of «край» (region).
pub(crate) const KRAI_FORMS: &[&str] = &[
    "край",
    "края",
    "краю",
    "краем",
    "крае",
    "краев",
    "краёв",
    "краям",
    "краями",
    "краях",
];

/// Capitalised nouns that begin an institution's name (Университета
/// Рочестера, University Hospital): the word after them is not a surname.
pub(crate) const INSTITUTION_NOUNS: &[&str] = &[
    "университет",
    "институт",
    "академи",
    "колледж",
    "школ",
    "музе",
    "консерватори",
    "библиотек",
    "больниц",
    "госпитал",
    "банк",
    "театр",
    "собор",
    "церк",
    "храм",
    "аэропорт",
    "вокзал",
    "стадион",
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
    "universitet",
    "institut",
    "akademij",
    "kolegij",
];

/// Articles and other small words that come before a name without being a
/// first name (The Washington Post, Los Angeles, La Paz).
pub(crate) const NAME_ARTICLES: &[&str] = &[
    "the", "a", "an", "la", "le", "les", "el", "los", "las", "der", "die", "das", "de", "di", "da",
    "du", "von", "van", "san", "santa", "st", "mr", "mrs", "ms", "dr", "prof",
];

/// Verbs of saying right after a name make it a person's (Rowlett said,
/// Petraitis sakė, Иванов заявил).
pub(crate) const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "testified",
    "explained",
    "recalled",
    "sakė",
    "teigė",
    "pasakojo",
    "pridūrė",
    "pareiškė",
    "atsakė",
    "paaiškino",
    "sako",
    "teigia",
    "сказал",
    "сказала",
    "заявил",
    "заявила",
    "отметил",
    "отметила",
    "рассказал",
    "рассказала",
    "пояснил",
    "пояснила",
    "добавил",
    "добавила",
    "признался",
    "призналась",
];

/// Words for a town or a village right before its name (в городе Ном,
/// селе Бокино, town of Tornillo): any populated place may follow.
pub(crate) const TOWN_WORDS: &[&str] = &[
    "город",
    "городе",
    "города",
    "городом",
    "городок",
    "городка",
    "городке",
    "село",
    "селе",
    "села",
    "селом",
    "селение",
    "селения",
    "селений",
    "селении",
    "посёлок",
    "поселок",
    "посёлке",
    "поселке",
    "посёлка",
    "поселка",
    "деревня",
    "деревне",
    "деревни",
    "местечко",
    "местечке",
    "станица",
    "станице",
    "станицы",
    "аул",
    "ауле",
    "аула",
    "станция",
    "станции",
];

/// English words for a town before "of" (the town of Tornillo).
pub(crate) const EN_TOWN_WORDS: &[&str] = &["town", "city", "village", "hamlet", "borough"];

/// Words for a kinsman or a person right before a name (отец Уэйн, дочери
/// Челси, his son Paris): the name is a person's.
pub(crate) const PERSON_BEFORE: &[&str] = &[
    "отец",
    "отца",
    "отцу",
    "отцом",
    "мать",
    "матери",
    "сын",
    "сына",
    "сыну",
    "сыном",
    "дочь",
    "дочери",
    "дочерью",
    "жена",
    "жены",
    "жене",
    "женой",
    "муж",
    "мужа",
    "мужу",
    "мужем",
    "брат",
    "брата",
    "брату",
    "братом",
    "сестра",
    "сестры",
    "сестре",
    "сестрой",
    "супруга",
    "супруги",
    "супруге",
    "супругой",
    "внук",
    "внука",
    "внучка",
    "внучки",
    "father",
    "mother",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "tėvas",
    "motina",
    "sūnus",
    "dukra",
    "žmona",
    "vyras",
    "brolis",
    "sesuo",
];

/// Words for a natural feature before its name (реки Печоры, острове
/// Сан-Педро): a river or an island named like a town is not the town.
pub(crate) const FEATURE_BEFORE: &[&str] = &[
    "река",
    "реки",
    "реке",
    "реку",
    "рекой",
    "озеро",
    "озера",
    "озере",
    "остров",
    "острова",
    "острове",
    "полуостров",
    "полуострова",
    "полуострове",
    "залив",
    "залива",
    "заливе",
    "пролив",
    "пролива",
    "проливе",
    "river",
    "lake",
    "island",
    "upė",
    "upės",
    "ežero",
    "ežeras",
    "sala",
    "salos",
];

/// Words for an estate, a stadium or an airport before a name in apposition
/// (усадьбы Архангельское, стадионе Калининград, аэропорт Домодедово); with
/// the name in the genitive it is the town's (аэропорту Франкфурта).
pub(crate) const BUILDING_BEFORE: &[&str] = &[
    "усадьба",
    "усадьбы",
    "усадьбе",
    "усадьбу",
    "стадион",
    "стадиона",
    "стадионе",
    "аэропорт",
    "аэропорта",
    "аэропорту",
];
