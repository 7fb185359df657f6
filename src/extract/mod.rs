//! Places and dates in running text: cities, countries and the report's year.
//!
//! ```
//! use repsearch::extract::extract;
//! use repsearch::lang::Language;
//! let e = extract("Vizitas Tojohašio mieste, Japonijoje. 2018 m. spalio 18 d.", Some(Language::Lithuanian));
//! assert_eq!(e.year.map(|y| y.0), Some(2018));
//! assert_eq!(e.cities[0].name, "Toyohashi");
//! assert_eq!(e.countries.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["JP"]);
//! ```
//!
//! The pipeline: [`tokens`] splits the text into words with offsets;
//! `matcher` looks word n-grams and their inflected variants ([`inflect`]:
//! Lithuanian and Russian case endings, foreign names with Lithuanian
//! endings) and place adjectives (`adjectives`) up in the gazetteer's
//! spelling-independent key index; `resolve` picks one reading per mention
//! with the document's context; [`dates`] finds the year.

mod adjectives;
mod common;
mod cues;
mod dates;
mod inflect;
mod matcher;
mod resolve;
mod tokens;

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

pub use dates::{find_year, Year, YearEvidence};

use crate::gazetteer::{City, Country, CountryCode};
use crate::lang::Language;
use matcher::Target;

/// Whether a mention names a city or a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    /// A city (GeoNames populated place).
    City,
    /// A country.
    Country,
}

/// One place mentioned in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// Character offset of the first character (like a Python `str` index).
    pub start: usize,
    /// Character offset after the last character.
    pub end: usize,
    /// Byte offset of the first byte.
    pub byte_start: usize,
    /// Byte offset after the last byte.
    pub byte_end: usize,
    /// The words as written (`Panevėžio`).
    pub text: String,
    /// City or country.
    pub kind: MentionKind,
    /// GeoNames id of the city (cities only).
    pub geonameid: Option<u32>,
    /// The country named, or the city's country.
    pub country: Option<CountryCode>,
}

/// Everything found in one text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extraction {
    /// The report's year.
    pub year: Option<Year>,
    /// Cities mentioned, in order of first mention.
    pub cities: Vec<City>,
    /// Countries named, then the countries of the cities, in order of first appearance.
    pub countries: Vec<&'static Country>,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
}

impl Extraction {
    /// Mentions lying inside a byte range of the text (a passage).
    pub fn mentions_in(&self, bytes: Range<usize>) -> impl Iterator<Item = &Mention> + '_ {
        let lo = self
            .mentions
            .partition_point(|m| m.byte_start < bytes.start);
        self.mentions[lo..]
            .iter()
            .take_while(move |m| m.byte_end <= bytes.end)
    }

    /// GeoNames ids of the cities and codes of the countries (named or of a
    /// city named) inside a byte range, each once.
    pub fn places_in(&self, bytes: Range<usize>) -> (Vec<u32>, Vec<CountryCode>) {
        let mut cities = Vec::new();
        let mut countries = Vec::new();
        for m in self.mentions_in(bytes) {
            if let Some(id) = m.geonameid {
                if !cities.contains(&id) {
                    cities.push(id);
                }
            }
            if let Some(c) = m.country {
                if !countries.contains(&c) {
                    countries.push(c);
                }
            }
        }
        (cities, countries)
    }

    /// GeoNames ids of the cities.
    pub fn city_ids(&self) -> Vec<u32> {
        self.cities.iter().map(|c| c.geonameid).collect()
    }

    /// ISO codes of the countries.
    pub fn country_codes(&self) -> Vec<CountryCode> {
        self.countries.iter().map(|c| c.code).collect()
    }
}

/// Finds the cities, countries and year of a whole text. `lang` selects the
/// inflection rules for Latin-script words (Cyrillic words always get the
/// Russian ones); `None` treats Latin words as English.
pub fn extract(text: &str, lang: Option<Language>) -> Extraction {
    let g = crate::gazetteer::gazetteer();
    let toks = tokens::tokenize(text);
    let matches = matcher::candidates(&toks, lang);
    let cands = &matches.candidates;
    let resolved = resolve::resolve(text, &toks, cands, &matches.region_countries, lang);
    let mut mentions = Vec::with_capacity(resolved.len());
    let mut cities: Vec<City> = Vec::new();
    let mut named: Vec<CountryCode> = Vec::new();
    for r in resolved {
        let cand = &cands[r.candidate];
        let (first, last) = (&toks[cand.first], &toks[cand.last - 1]);
        let (kind, geonameid, country) = match r.target {
            Target::City(c) => {
                if !cities.iter().any(|x| x.geonameid == c.geonameid) {
                    cities.push(c);
                }
                (MentionKind::City, Some(c.geonameid), Some(c.country))
            }
            Target::Country(c) => {
                if !named.contains(&c.code) {
                    named.push(c.code);
                }
                (MentionKind::Country, None, Some(c.code))
            }
        };
        mentions.push(Mention {
            start: first.char_start,
            end: last.char_end,
            byte_start: first.start,
            byte_end: last.end,
            text: text[first.start..last.end].to_string(),
            kind,
            geonameid,
            country,
        });
    }
    let mut order: BTreeMap<CountryCode, usize> = BTreeMap::new();
    for code in named.iter().chain(cities.iter().map(|c| &c.country)) {
        let n = order.len();
        order.entry(*code).or_insert(n);
    }
    let mut codes: Vec<(usize, CountryCode)> = order.into_iter().map(|(c, i)| (i, c)).collect();
    codes.sort();
    let countries = codes
        .into_iter()
        .filter_map(|(_, c)| g.country(c))
        .collect();
    Extraction {
        year: find_year(text),
        cities,
        countries,
        mentions,
    }
}

#[cfg(test)]
mod tests;
