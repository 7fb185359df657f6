//! Place adjectives: «российских» (Russia), «Липецкий» (Lipetsk),
//! «Шэньянским» (Shenyang), "Belgian" (Belgium), «japonų» (Japan).
//!
//! Regular adjectives are derived from the gazetteer's names by suffix rules
//! (Russian -ский/-цкий, English -ian/-an/-ese/-i, Lithuanian -iškas and the
//! genitive plural of the people's name); irregular ones (немецкий, French,
//! vokiečių) are listed here, as they are facts of the language rather than
//! of the places.

/// Russian adjectival endings, longest first.
const RU_ADJ_ENDINGS: &[&str] = &[
    "ого", "его", "ому", "ему", "ыми", "ими", "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие",
    "ым", "им", "ом", "ем", "ую", "юю", "ых", "их", "ей", "о",
];

/// Irregular Russian country adjective stems (stem before the ending).
const RU_IRREGULAR: &[(&str, &str)] = &[
    ("немецк", "DE"),
    ("германск", "DE"),
    ("французск", "FR"),
    ("шведск", "SE"),
    ("турецк", "TR"),
    ("греческ", "GR"),
    ("чешск", "CZ"),
    ("польск", "PL"),
    ("норвежск", "NO"),
    ("итальянск", "IT"),
    ("датск", "DK"),
    ("финск", "FI"),
    ("финляндск", "FI"),
    ("голландск", "NL"),
    ("нидерландск", "NL"),
    ("португальск", "PT"),
    ("венгерск", "HU"),
    ("румынск", "RO"),
    ("словацк", "SK"),
    ("хорватск", "HR"),
    ("эстонск", "EE"),
    ("литовск", "LT"),
    ("латышск", "LV"),
    ("армянск", "AM"),
    ("грузинск", "GE"),
    ("казахск", "KZ"),
    ("казахстанск", "KZ"),
    ("узбекск", "UZ"),
    ("таджикск", "TJ"),
    ("туркменск", "TM"),
    ("монгольск", "MN"),
    ("тайск", "TH"),
    ("таиландск", "TH"),
    ("филиппинск", "PH"),
    ("марокканск", "MA"),
    ("саудовск", "SA"),
    ("палестинск", "PS"),
    ("британск", "GB"),
    ("шотландск", "GB"),
    ("новозеландск", "NZ"),
    ("кубинск", "CU"),
    ("перуанск", "PE"),
    ("венесуэльск", "VE"),
    ("американск", "US"),
    ("южноафриканск", "ZA"),
    ("черногорск", "ME"),
    ("македонск", "MK"),
    ("словенск", "SI"),
    ("молдавск", "MD"),
    ("молдовск", "MD"),
    ("бельгийск", "BE"),
    ("афганск", "AF"),
    ("белорусск", "BY"),
    ("белоруск", "BY"),
    ("северокорейск", "KP"),
    ("южнокорейск", "KR"),
    ("испанск", "ES"),
    ("японск", "JP"),
    ("китайск", "CN"),
    ("российск", "RU"),
    ("всероссийск", "RU"),
    ("украинск", "UA"),
    ("израильск", "IL"),
    ("египетск", "EG"),
    ("иранск", "IR"),
    ("иракск", "IQ"),
    ("сирийск", "SY"),
    ("индийск", "IN"),
    ("пакистанск", "PK"),
    ("австралийск", "AU"),
    ("австрийск", "AT"),
    ("швейцарск", "CH"),
    ("канадск", "CA"),
    ("мексиканск", "MX"),
    ("бразильск", "BR"),
    ("аргентинск", "AR"),
    ("сербск", "RS"),
    ("боснийск", "BA"),
    ("болгарск", "BG"),
    ("киргизск", "KG"),
    ("кыргызск", "KG"),
    ("азербайджанск", "AZ"),
    ("ирландск", "IE"),
    ("исландск", "IS"),
    ("вьетнамск", "VN"),
    ("индонезийск", "ID"),
    ("малайзийск", "MY"),
    ("сингапурск", "SG"),
    ("тайваньск", "TW"),
    ("ливийск", "LY"),
    ("ливанск", "LB"),
    ("иорданск", "JO"),
    ("йеменск", "YE"),
    ("катарск", "QA"),
    ("кипрск", "CY"),
    ("эфиопск", "ET"),
    ("нигерийск", "NG"),
    ("кенийск", "KE"),
    ("чилийск", "CL"),
    ("колумбийск", "CO"),
    ("боливийск", "BO"),
    ("эквадорск", "EC"),
    ("уругвайск", "UY"),
    ("парагвайск", "PY"),
    ("алжирск", "DZ"),
    ("тунисск", "TN"),
    ("суданск", "SD"),
    ("непальск", "NP"),
    ("латвийск", "LV"),
    ("косовск", "XK"),
];

/// Irregular English country adjectives.
const EN_IRREGULAR: &[(&str, &str)] = &[
    ("american", "US"),
    ("british", "GB"),
    ("english", "GB"),
    ("scottish", "GB"),
    ("welsh", "GB"),
    ("french", "FR"),
    ("dutch", "NL"),
    ("swiss", "CH"),
    ("spanish", "ES"),
    ("swedish", "SE"),
    ("danish", "DK"),
    ("finnish", "FI"),
    ("polish", "PL"),
    ("turkish", "TR"),
    ("irish", "IE"),
    ("greek", "GR"),
    ("thai", "TH"),
    ("filipino", "PH"),
    ("czech", "CZ"),
    ("slovak", "SK"),
    ("norwegian", "NO"),
    ("peruvian", "PE"),
    ("argentine", "AR"),
    ("argentinian", "AR"),
    ("saudi", "SA"),
    ("emirati", "AE"),
    ("german", "DE"),
    ("portuguese", "PT"),
    ("afghan", "AF"),
    ("icelandic", "IS"),
    ("lithuanian", "LT"),
    ("latvian", "LV"),
    ("estonian", "EE"),
    ("belarusian", "BY"),
    ("bosnian", "BA"),
    ("croatian", "HR"),
    ("serbian", "RS"),
    ("slovenian", "SI"),
    ("ukrainian", "UA"),
    ("chinese", "CN"),
    ("japanese", "JP"),
    ("vietnamese", "VN"),
    ("taiwanese", "TW"),
    ("lebanese", "LB"),
    ("sudanese", "SD"),
    ("nepalese", "NP"),
    ("senegalese", "SN"),
    ("congolese", "CD"),
    ("maltese", "MT"),
    ("pakistani", "PK"),
    ("israeli", "IL"),
    ("iraqi", "IQ"),
    ("kuwaiti", "KW"),
    ("qatari", "QA"),
    ("yemeni", "YE"),
    ("omani", "OM"),
    ("bangladeshi", "BD"),
    ("kiwi", "NZ"),
    ("korean", "KR"),
    ("south korean", "KR"),
    ("north korean", "KP"),
];

/// Irregular Lithuanian people's names (genitive plural) and adjectives.
const LT_IRREGULAR: &[(&str, &str)] = &[
    ("vokiečių", "DE"),
    ("vokiškas", "DE"),
    ("prancūzų", "FR"),
    ("prancūziškas", "FR"),
    ("amerikiečių", "US"),
    ("amerikietiškas", "US"),
    ("britų", "GB"),
    ("anglų", "GB"),
    ("škotų", "GB"),
    ("ukrainiečių", "UA"),
    ("korėjiečių", "KR"),
    ("kanadiečių", "CA"),
    ("olandų", "NL"),
    ("šveicarų", "CH"),
    ("meksikiečių", "MX"),
    ("brazilų", "BR"),
    ("egiptiečių", "EG"),
    ("afganų", "AF"),
    ("izraeliečių", "IL"),
    ("japonų", "JP"),
    ("kinų", "CN"),
    ("rusų", "RU"),
    ("lietuvių", "LT"),
    ("norvegų", "NO"),
    ("lenkų", "PL"),
    ("latvių", "LV"),
    ("estų", "EE"),
    ("švedų", "SE"),
    ("suomių", "FI"),
    ("danų", "DK"),
    ("italų", "IT"),
    ("ispanų", "ES"),
    ("graikų", "GR"),
    ("turkų", "TR"),
    ("čekų", "CZ"),
    ("vengrų", "HU"),
    ("airių", "IE"),
    ("belgų", "BE"),
    ("austrų", "AT"),
    ("australų", "AU"),
    ("baltarusių", "BY"),
    ("indų", "IN"),
    ("iraniečių", "IR"),
    ("irakiečių", "IQ"),
    ("sirų", "SY"),
    ("portugalų", "PT"),
];

/// The country code a table of irregular adjectives gives `word`.
fn country_of(word: &str, table: &[(&str, &'static str)]) -> Option<&'static str> {
    table.iter().find(|(s, _)| *s == word).map(|(_, c)| *c)
}

/// Stem of a Russian adjective (`российских` → `российск`), if the word is
/// one with a -ск-/-цк- suffix.
pub(crate) fn ru_adjective_stem(word: &str) -> Option<&str> {
    for e in RU_ADJ_ENDINGS {
        if let Some(stem) = word.strip_suffix(e) {
            if (stem.ends_with("ск") || stem.ends_with("цк")) && stem.chars().count() >= 4 {
                return Some(stem);
            }
        }
    }
    None
}

/// Does a Russian word end like an adjective (-ый, -ого, -ской ...)?
pub(crate) fn ru_adjective_form(word: &str) -> bool {
    RU_ADJ_ENDINGS
        .iter()
        .filter(|e| e.chars().count() >= 2)
        .any(|e| word.strip_suffix(e).is_some_and(|s| s.chars().count() >= 3))
}

/// Adjective stems of historical states (not scored, and not to be read as
/// a city: «советский» is not Soweto).
pub(crate) fn ru_historical_adjective(stem: &str) -> bool {
    matches!(stem, "советск" | "югославск" | "чехословацк")
}

/// Country code for a Russian adjective stem from the table of irregular ones.
pub(crate) fn ru_country_adjective(stem: &str) -> Option<&'static str> {
    let stem = stem
        .strip_prefix("все")
        .filter(|s| s.starts_with("российск"))
        .unwrap_or(stem);
    country_of(stem, RU_IRREGULAR)
}

/// Candidate city names for a Russian adjective stem: `липецк` (Липецкий),
/// `шэньян` (Шэньянский), `канны` (Каннский), `москва` (московский).
pub(crate) fn ru_city_candidates(stem: &str) -> Vec<String> {
    let mut out = vec![stem.to_string()];
    if let Some(base) = stem.strip_suffix("ск") {
        for end in ["", "а", "ы", "ь", "и", "о"] {
            out.push(format!("{base}{end}")); // киотский → Киото
        }
        if let Some(b) = base.strip_suffix('ж') {
            out.push(format!("{b}га")); // рижский → Рига, пражский → Прага
        }
        if ["ов", "ев", "ин", "ын"].iter().any(|s| base.ends_with(s)) {
            out.push(format!("{base}о")); // ивановский → Иваново
        }
        if let Some(b) = base.strip_suffix("ов") {
            out.push(format!("{b}ва"));
        }
        if let Some(b) = base.strip_suffix("ев") {
            out.push(format!("{b}ва"));
        }
        if let Some(b) = base.strip_suffix("ин") {
            out.push(format!("{b}а"));
        }
        if let Some(b) = base.strip_suffix('ь') {
            out.push(format!("{b}а")); // тульский → Тула
        }
    }
    out
}

/// Country code of an English adjective ("Belgian", "Chinese"), by the table
/// of irregular ones; regular ones are found by [`en_country_candidates`].
pub(crate) fn en_country_adjective(lower: &str) -> Option<&'static str> {
    country_of(lower, EN_IRREGULAR)
}

/// Candidate country names for a regular English adjective
/// (`belgian` → `belgium`, `russian` → `russia`, `mexican` → `mexico`).
pub(crate) fn en_country_candidates(lower: &str) -> Vec<String> {
    let mut out = Vec::new();
    let rules: &[(&str, &[&str])] = &[
        ("ian", &["ia", "y", "", "ium", "a", "e"]),
        ("an", &["a", "o", ""]),
        ("ese", &["", "a"]),
        ("i", &[""]),
        ("n", &[""]),
    ];
    for (suffix, repl) in rules {
        if let Some(stem) = lower.strip_suffix(suffix) {
            if stem.len() >= 3 {
                for r in *repl {
                    out.push(format!("{stem}{r}"));
                }
            }
        }
    }
    out
}

/// Country code of a Lithuanian people's name in the genitive plural or an
/// -iškas adjective (irregular table).
pub(crate) fn lt_country_adjective(lower: &str) -> Option<&'static str> {
    country_of(lower, LT_IRREGULAR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_stems() {
        assert_eq!(ru_adjective_stem("российских"), Some("российск"));
        assert_eq!(ru_adjective_stem("липецкий"), Some("липецк"));
        assert_eq!(ru_adjective_stem("шэньянским"), Some("шэньянск"));
        assert_eq!(ru_adjective_stem("российско"), Some("российск"));
        assert_eq!(ru_adjective_stem("новый"), None);
        assert_eq!(ru_country_adjective("всероссийск"), Some("RU"));
        assert!(ru_city_candidates("шэньянск").contains(&"шэньян".to_string()));
        assert!(ru_city_candidates("московск").contains(&"москва".to_string()));
        assert!(ru_city_candidates("тульск").contains(&"тула".to_string()));
    }

    #[test]
    fn english_adjectives() {
        assert!(en_country_candidates("belgian").contains(&"belgium".to_string()));
        assert!(en_country_candidates("russian").contains(&"russia".to_string()));
        assert_eq!(en_country_adjective("french"), Some("FR"));
    }
}
