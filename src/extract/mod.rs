//! Places and dates in running text: cities, countries and the report's year.
//!
//! ```
//! use repsearch::extract::extract;
//! use repsearch::Language;
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
//! with the document's context, through an ordered table of named rules
//! (which [`explain`] names for each decision); `cues` holds what the
//! extractor knows of each language, as data; [`dates`] finds the year.

mod adjectives;
mod common;
mod cues;
mod dates;
mod inflect;
mod matcher;
mod resolve;
mod tier;
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
    pub(crate) fn mentions_in(&self, bytes: Range<usize>) -> impl Iterator<Item = &Mention> + '_ {
        let lo = self
            .mentions
            .partition_point(|m| m.byte_start < bytes.start);
        self.mentions[lo..]
            .iter()
            .take_while(move |m| m.byte_end <= bytes.end)
    }

    /// GeoNames ids of the cities.
    pub(crate) fn city_ids(&self) -> Vec<u32> {
        self.cities.iter().map(|c| c.geonameid).collect()
    }

    /// ISO codes of the countries.
    pub(crate) fn country_codes(&self) -> Vec<CountryCode> {
        self.countries.iter().map(|c| c.code).collect()
    }
}

/// One decision of the extractor on a candidate mention, for explaining
/// what it found and what it turned down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceDecision {
    /// The words and the place read (the one kept, or the best reading
    /// turned down).
    pub mention: Mention,
    /// The reading is kept.
    pub kept: bool,
    /// The name of the rule or step that decided: a city or country rule's
    /// name (`too_small`, `ordinary_word`, `continent_qualifier`, ...), else
    /// `country` (no country rule decided), `city_state`, `no_rule_rejects`
    /// (no city rule turned the city down), `person_elsewhere` or
    /// `one_sense_per_text`.
    pub rule: &'static str,
}

/// The words of the text, their candidate mentions and every decision on
/// them, in candidate order.
fn decide<'t>(
    text: &'t str,
    lang: Option<Language>,
) -> (
    Vec<tokens::Token<'t>>,
    Vec<matcher::Candidate>,
    Vec<resolve::Decision>,
) {
    let toks = tokens::tokenize(text);
    let matches = matcher::candidates(&toks, lang);
    let decisions = resolve::resolve(
        text,
        &toks,
        &matches.candidates,
        &matches.region_countries,
        lang,
    );
    (toks, matches.candidates, decisions)
}

/// The mention of `target` by the words of candidate `cand`.
fn mention(
    text: &str,
    toks: &[tokens::Token<'_>],
    cand: &matcher::Candidate,
    target: Target,
) -> Mention {
    let (first, last) = (&toks[cand.first], &toks[cand.last - 1]);
    let (kind, geonameid, country) = match target {
        Target::City(c) => (MentionKind::City, Some(c.geonameid), Some(c.country)),
        Target::Country(c) => (MentionKind::Country, None, Some(c.code)),
    };
    Mention {
        start: first.char_start,
        end: last.char_end,
        byte_start: first.start,
        byte_end: last.end,
        text: text[first.start..last.end].to_string(),
        kind,
        geonameid,
        country,
    }
}

/// Every decision the extractor takes on the candidate mentions of a text
/// (as [`extract`] with the same `lang`), kept or not, with the rule that
/// took it.
pub fn explain(text: &str, lang: Option<Language>) -> Vec<PlaceDecision> {
    let (toks, cands, decisions) = decide(text, lang);
    decisions
        .into_iter()
        .map(|d| PlaceDecision {
            mention: mention(text, &toks, &cands[d.candidate], d.target),
            kept: d.reject.is_none(),
            rule: d.rule,
        })
        .collect()
}

/// Finds the cities, countries and year of a whole text. `lang` selects the
/// inflection rules and cue words for Latin-script words (Cyrillic words
/// always get the Russian ones); `None` treats Latin words as English.
pub fn extract(text: &str, lang: Option<Language>) -> Extraction {
    let g = crate::gazetteer::gazetteer();
    let (toks, cands, decisions) = decide(text, lang);
    let mut mentions = Vec::with_capacity(decisions.len());
    let mut cities: Vec<City> = Vec::new();
    let mut named: Vec<CountryCode> = Vec::new();
    for d in decisions.into_iter().filter(|d| d.reject.is_none()) {
        match d.target {
            Target::City(c) => {
                if !cities.iter().any(|x| x.geonameid == c.geonameid) {
                    cities.push(c);
                }
            }
            Target::Country(c) => {
                if !named.contains(&c.code) {
                    named.push(c.code);
                }
            }
        }
        mentions.push(mention(text, &toks, &cands[d.candidate], d.target));
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
