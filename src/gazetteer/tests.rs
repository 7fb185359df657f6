//! Tests of the gazetteer against its source tables (`data/gazetteer/*.tsv`).

use super::*;
use crate::lang::Language;

/// Data rows of a committed table, as fields.
fn tsv_rows(file: &str) -> Vec<Vec<String>> {
    let path = format!("{}/data/gazetteer/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("committed table");
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

#[test]
fn countries_by_any_name() {
    let g = gazetteer();
    for n in ["Japan", "Japonija", "Япония", "JP", "jp", "JPN", "japonija"] {
        assert_eq!(
            g.country_by_name(n).map(|c| c.code.as_str()),
            Some("JP"),
            "{n}"
        );
    }
    assert_eq!(
        g.country_by_name("Lietuva").map(|c| c.code.as_str()),
        Some("LT")
    );
    assert_eq!(g.country_by_name("РФ").map(|c| c.code.as_str()), Some("RU"));
    assert_eq!(
        g.country_by_name("США").map(|c| c.code.as_str()),
        Some("US")
    );
    assert!(g.country_by_name("Atlantis").is_none());
}

#[test]
fn cities_by_any_name() {
    let g = gazetteer();
    assert_eq!(g.city_by_name("Birzai")[0].name, "Biržai");
    assert_eq!(g.city_by_name("Биржай")[0].geonameid, 600438);
    assert_eq!(g.city_by_name("vilnius")[0].geonameid, 593116);
    assert_eq!(g.city_by_name("Hiracuka")[0].geonameid, 1862462);
    assert_eq!(g.city_by_name("Липецк")[0].geonameid, 535121);
    assert!(g.city_by_name("Qwxzvbnm").is_empty());
}

/// Every city of `cities.tsv` is in the compiled table with its fields, and
/// the runtime key of each of its names finds it.
#[test]
fn every_city_name_finds_its_city() {
    let g = gazetteer();
    let rows = tsv_rows("cities.tsv");
    assert_eq!(g.cities().len(), rows.len());
    for f in &rows {
        let id: u32 = f[0].parse().expect("geonameid");
        let c = g.city(id).expect("city in the table");
        assert_eq!((c.country.as_str(), c.name), (f[1].as_str(), f[3].as_str()));
        assert_eq!(c.population.to_string(), f[2]);
        for n in c.names().filter(|n| !name_key(n).is_empty()) {
            assert!(
                g.cities_by_key(&name_key(n), is_cyrillic(n))
                    .any(|x| x.geonameid == id),
                "{n} ({id})"
            );
        }
    }
}

/// The runtime key of every name of a country (initialisms aside) finds
/// it, every initialism finds it, and every region name finds its country.
#[test]
fn every_country_and_region_name_finds_its_country() {
    let g = gazetteer();
    let rows = tsv_rows("countries.tsv");
    assert_eq!(g.countries().len(), rows.len());
    for f in &rows {
        let code = CountryCode::new(&f[0]).expect("code");
        let c = g.country(code).expect("country in the table");
        let names = f[7].split('|').chain(f[4..7].iter().map(String::as_str));
        for n in names.filter(|n| !n.is_empty()) {
            let found = if format::write::is_initialism(n) {
                g.country_by_initialism(n).map(|c| c.code)
            } else {
                g.countries_by_key(&name_key(n), is_cyrillic(n))
                    .find(|c| c.code == code)
                    .map(|c| c.code)
            };
            assert_eq!(found, Some(c.code), "{n}");
        }
    }
    for f in tsv_rows("regions.tsv") {
        let code = CountryCode::new(&f[0][..2]).expect("code");
        for n in f[1].split('|').filter(|n| !n.is_empty()) {
            assert!(
                g.region_countries(&name_key(n), is_cyrillic(n))
                    .any(|c| c == code),
                "{n}"
            );
        }
    }
}

#[test]
fn country_names_by_language() {
    let lt = gazetteer().country_by_name("LT").expect("Lithuania");
    assert_eq!(lt.name_in(Language::Lithuanian), Some("Lietuva"));
    assert_eq!(lt.name_in(Language::Russian), Some("Литва"));
    assert_eq!(lt.name_in(Language::English), Some("Lithuania"));
    assert_eq!(lt.name_in(Language::Polish), None);
    assert_eq!(lt.name(), "Lithuania");
}

/// A country serialises as it did with one field per language.
#[test]
fn country_serialises_with_a_name_per_language() {
    let jp = gazetteer().country_by_name("Japan").expect("Japan");
    let json = serde_json::to_string(jp).expect("json");
    assert!(
        json.starts_with(r#"{"code":"JP","iso3":"JPN","geonameid":1861060,"population":"#),
        "{json}"
    );
    assert!(
        json.ends_with(r#","name_en":"Japan","name_lt":"Japonija","name_ru":"Япония"}"#),
        "{json}"
    );
}

/// Misspelt country and city names in Lithuanian, Russian and English.
#[test]
fn suggestions_are_close() {
    let g = gazetteer();
    for (typo, meant) in [
        // Lithuanian
        ("Lietva", "Lietuva"),
        ("Japonia", "Japonija"),
        ("Klaipda", "Klaipėda"),
        // Russian
        ("Гермния", "Германия"),
        ("Япоеия", "Япония"),
        ("Новосибирк", "Новосибирск"),
        ("Санкт-Петерург", "Санкт-Петербург"),
        // English
        ("Germny", "Germany"),
        ("Lndon", "London"),
        ("Manchestr", "Manchester"),
        ("Vilnus", "Vilnius"),
    ] {
        let s = g.suggest(typo);
        assert!(s.iter().any(|n| n == meant), "{typo}: {s:?}");
    }
    assert!(g.suggest("").is_empty());
    assert!(g.suggest("Qwxzvbnmpl").is_empty());
}

/// Country names come before city names, the closest first.
#[test]
fn suggestions_put_countries_first() {
    let s = gazetteer().suggest("Japn");
    assert_eq!(s.first().map(String::as_str), Some("Japan"), "{s:?}");
    assert!(s.len() <= 5);
}
