//! Countries: ISO codes and the country table, compiled by `build.rs` from
//! `data/gazetteer/countries.tsv` into a Rust static (no parsing at run time).

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::lang::Language;

/// An ISO 3166-1 alpha-2 country code (`LT`, `JP`), always upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(pub(super) [u8; 2]);

impl CountryCode {
    /// Parses a two-letter code, any case (`"jp"` gives `JP`). Does not check
    /// that the country exists: see [`super::Gazetteer::country`].
    pub(crate) fn new(code: &str) -> Option<CountryCode> {
        let b = code.trim().as_bytes();
        (b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic))
            .then(|| CountryCode([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        // The two bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CountryCode, D::Error> {
        let s = String::deserialize(d)?;
        CountryCode::new(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a country code: {s:?}")))
    }
}

/// A country (or territory with an ISO code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: CountryCode,
    /// ISO 3166-1 alpha-3 code.
    pub iso3: &'static str,
    /// GeoNames id of the country.
    pub geonameid: u32,
    /// Population (GeoNames).
    pub population: u64,
    /// The CLDR name in each language of the table (`name_xx` columns), as
    /// (ISO 639-1 code, name), in column order: see [`Country::name_in`].
    by_language: &'static [(&'static str, &'static str)],
    /// Every known name, pipe-separated: see [`Country::names`].
    names: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/countries.rs"));

/// All countries, sorted by ISO code.
pub(super) fn all() -> &'static [Country] {
    COUNTRIES
}

/// The index of the country of an initialism (`USA`, `РФ`; dots removed).
pub(super) fn initialism(plain: &str) -> Option<usize> {
    INITIALISMS
        .iter()
        .find(|(n, _)| *n == plain)
        .map(|&(_, i)| usize::from(i))
}

impl Country {
    /// The CLDR name in a language, if the table has that language
    /// (English, Lithuanian and Russian today: a `name_xx` column of
    /// `data/gazetteer/countries.tsv` adds one).
    pub(crate) fn name_in(&self, lang: Language) -> Option<&'static str> {
        self.by_language
            .iter()
            .find(|(code, _)| *code == lang.code())
            .map(|&(_, name)| name)
    }

    /// The English name (CLDR), which facet values and reports show.
    pub fn name(&self) -> &'static str {
        self.name_in(Language::English).unwrap_or_default()
    }

    /// The CLDR names by language, in the table's column order.
    pub(super) fn names_by_language(&self) -> impl Iterator<Item = &'static str> {
        self.by_language.iter().map(|&(_, name)| name)
    }
}

/// Serialised as `code`, `iso3`, `geonameid`, `population` and one
/// `name_xx` per language of the table (`name_en`, `name_lt`, `name_ru`).
impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4 + self.by_language.len()))?;
        m.serialize_entry("code", &self.code)?;
        m.serialize_entry("iso3", self.iso3)?;
        m.serialize_entry("geonameid", &self.geonameid)?;
        m.serialize_entry("population", &self.population)?;
        for (lang, name) in self.by_language {
            m.serialize_entry(&format!("name_{lang}"), name)?;
        }
        m.end()
    }
}
