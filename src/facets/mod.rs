//! Facets: typed city, country and year values on every passage, filters
//! over them, and counts over a result set.
//!
//! In the index a country is a `u64` (its two ASCII letters), a city its
//! GeoNames id and a year the number. Filtering reads them as indexed
//! `u64` terms; counting never reads them per passage: each passage stores
//! its facet group's number (a fast field, see [`groups`]), and a result
//! set's counts are added per group from the table of groups. Names come
//! from the gazetteer at the edge.

mod groups;

pub use groups::{FacetGroups, GroupValues, GROUPS_FILE, GROUP_FIELD};

use crate::error::{Error, Param, Result, UserError};
use crate::gazetteer::{gazetteer, CountryCode};
use serde::{Deserialize, Serialize};

/// A year.
pub type Year = u16;

/// The three facets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// Countries (ISO codes).
    Country,
    /// Cities (GeoNames ids).
    City,
    /// The report's year.
    Year,
}

impl Facet {
    /// Every facet, in display order.
    pub const ALL: [Facet; 3] = [Facet::Country, Facet::City, Facet::Year];

    /// The facet's index field (and JSON key).
    pub const fn field_name(self) -> &'static str {
        match self {
            Facet::Country => "country",
            Facet::City => "city",
            Facet::Year => "year",
        }
    }

    /// The facet's place in [`Facet::ALL`].
    const fn index(self) -> usize {
        match self {
            Facet::Country => 0,
            Facet::City => 1,
            Facet::Year => 2,
        }
    }
}

/// One value per facet, indexed by [`Facet`]; serialised as an array in
/// [`Facet::ALL`] order (`[country, city, year]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct PerFacet<T>(pub [T; 3]);

impl<T> PerFacet<T> {
    /// The value of each facet.
    pub(crate) fn from_fn(mut f: impl FnMut(Facet) -> T) -> Self {
        PerFacet(Facet::ALL.map(&mut f))
    }
}

impl<T> std::ops::Index<Facet> for PerFacet<T> {
    type Output = T;
    fn index(&self, f: Facet) -> &T {
        &self.0[f.index()]
    }
}

impl<T> std::ops::IndexMut<Facet> for PerFacet<T> {
    fn index_mut(&mut self, f: Facet) -> &mut T {
        &mut self.0[f.index()]
    }
}

/// A country code as stored in the index.
pub(crate) fn country_to_u64(c: CountryCode) -> u64 {
    let b = c.as_str().as_bytes();
    (u64::from(b[0]) << 8) | u64::from(b[1])
}

/// A stored country value back to its code.
pub(crate) fn country_from_u64(v: u64) -> Option<CountryCode> {
    let s = [((v >> 8) & 0xff) as u8, (v & 0xff) as u8];
    std::str::from_utf8(&s).ok().and_then(CountryCode::new)
}

/// Display name of a facet value: English country name, GeoNames city name, the year.
pub(crate) fn value_name(facet: Facet, v: u64) -> String {
    let g = gazetteer();
    match facet {
        Facet::Country => country_from_u64(v)
            .map(|c| {
                g.country(c)
                    .map(|c| c.name().to_string())
                    .unwrap_or_else(|| c.to_string())
            })
            .unwrap_or_default(),
        Facet::City => u32::try_from(v)
            .ok()
            .and_then(|id| g.city(id))
            .map(|c| c.name.to_string())
            .unwrap_or_else(|| v.to_string()),
        Facet::Year => v.to_string(),
    }
}

/// Filters on the facets: values of one facet are alternatives (OR), facets
/// combine (AND). Years and year ranges (`year:2015..2020` in a query) are
/// alternatives of the year facet; `from`/`to` (`--from`, `--to`) bound the
/// year on top of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Countries.
    pub countries: Vec<CountryCode>,
    /// Cities (GeoNames ids).
    pub cities: Vec<u32>,
    /// Years.
    pub years: Vec<Year>,
    /// Year ranges (first, last; inclusive, `None` for an open end),
    /// alternatives beside `years`.
    pub year_ranges: Vec<(Option<Year>, Option<Year>)>,
    /// First year of a range.
    pub from: Option<Year>,
    /// Last year of a range.
    pub to: Option<Year>,
}

impl Filters {
    /// True when nothing is filtered.
    pub(crate) fn is_empty(&self) -> bool {
        self.countries.is_empty()
            && self.cities.is_empty()
            && self.years.is_empty()
            && self.year_ranges.is_empty()
            && self.from.is_none()
            && self.to.is_none()
    }

    /// Adds a country given by any name the gazetteer knows (en/lt/ru, any
    /// script) or ISO code; an unknown name is a user error with suggestions.
    pub fn add_country(&mut self, name: &str) -> Result<()> {
        match gazetteer().country_by_name(name) {
            Some(c) => {
                if !self.countries.contains(&c.code) {
                    self.countries.push(c.code);
                }
                Ok(())
            }
            None => Err(unknown(Param::Country, name)),
        }
    }

    /// Adds a city given by any of its names; every city of that name counts.
    pub fn add_city(&mut self, name: &str) -> Result<()> {
        let found = gazetteer().city_by_name(name);
        if found.is_empty() {
            return Err(unknown(Param::City, name));
        }
        for c in found {
            if !self.cities.contains(&c.geonameid) {
                self.cities.push(c.geonameid);
            }
        }
        Ok(())
    }

    /// Adds a year, checking it is a plausible number.
    pub fn add_year(&mut self, y: &str) -> Result<()> {
        let year = parse_year(y, Param::Year)?;
        if !self.years.contains(&year) {
            self.years.push(year);
        }
        Ok(())
    }
}

impl Filters {
    /// Adds a year range (inclusive; `None` for an open end) as an
    /// alternative of the year facet; one year when both ends are equal.
    pub(crate) fn add_year_range(&mut self, from: Option<Year>, to: Option<Year>) {
        match (from, to) {
            (Some(a), Some(b)) if a == b => {
                if !self.years.contains(&a) {
                    self.years.push(a);
                }
            }
            r => {
                if !self.year_ranges.contains(&r) {
                    self.year_ranges.push(r);
                }
            }
        }
    }
}

/// A year as written (surrounding spaces aside), if it is a plausible one:
/// 1000 to 2999.
pub(crate) fn year_in_range(s: &str) -> Option<Year> {
    s.trim()
        .parse::<Year>()
        .ok()
        .filter(|y| (1000..=2999).contains(y))
}

/// Parses the year argument `name`.
pub fn parse_year(s: &str, name: Param) -> Result<Year> {
    year_in_range(s).ok_or_else(|| {
        Error::User(UserError::NotAYear {
            name,
            value: s.to_string(),
        })
    })
}

/// An unknown country or city (`name` says which), with the close names
/// that filter takes.
fn unknown(name: Param, value: &str) -> Error {
    // the message is one line, whatever the name holds
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    // only names that this filter takes: not a city for a country, nor
    // the refused name itself
    let g = gazetteer();
    let suggestions: Vec<String> = g
        .suggest(&value)
        .into_iter()
        .filter(|s| match name {
            Param::Country => g.country_by_name(s).is_some(),
            _ => !g.city_by_name(s).is_empty(),
        })
        .collect();
    Error::User(UserError::UnknownValue {
        name,
        value,
        suggestions,
    })
}

/// One facet value with its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// Display value: country or city name, or the year.
    pub value: String,
    /// Matching passages with this value.
    pub count: u64,
    /// The raw value (ISO code, GeoNames id or year), for filters.
    #[serde(skip)]
    pub raw: u64,
}

/// Counts of every facet over a result set, top values first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    /// Countries.
    pub country: Vec<FacetValue>,
    /// Cities.
    pub city: Vec<FacetValue>,
    /// Years.
    pub year: Vec<FacetValue>,
}

impl FacetCounts {
    /// The values of one facet.
    pub fn get(&self, f: Facet) -> &[FacetValue] {
        match f {
            Facet::Country => &self.country,
            Facet::City => &self.city,
            Facet::Year => &self.year,
        }
    }

    /// The values of one facet, to fill.
    pub(crate) fn get_mut(&mut self, f: Facet) -> &mut Vec<FacetValue> {
        match f {
            Facet::Country => &mut self.country,
            Facet::City => &mut self.city,
            Facet::Year => &mut self.year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_facet_values_are_indexed_by_facet_and_stored_as_an_array() {
        let mut p = PerFacet::from_fn(|f| f == Facet::City);
        assert!(p[Facet::City] && !p[Facet::Country] && !p[Facet::Year]);
        p[Facet::Year] = true;
        // the manifest's format of earlier versions: [country, city, year]
        assert_eq!(serde_json::to_string(&p).unwrap(), "[false,true,true]");
        let back: PerFacet<bool> = serde_json::from_str("[true,false,false]").unwrap();
        assert!(back[Facet::Country] && !back[Facet::City]);
    }

    #[test]
    fn country_round_trips_through_u64() {
        let jp = CountryCode::new("JP").unwrap();
        assert_eq!(country_from_u64(country_to_u64(jp)), Some(jp));
    }

    #[test]
    fn country_filter_accepts_any_name_or_code() {
        let mut a = Filters::default();
        for n in ["Japan", "Japonija", "Япония", "JP", "jp"] {
            let mut f = Filters::default();
            f.add_country(n).unwrap();
            a.add_country(n).unwrap();
            assert_eq!(f.countries, vec![CountryCode::new("JP").unwrap()], "{n}");
        }
        assert_eq!(a.countries.len(), 1);
    }

    #[test]
    fn unknown_country_suggests_close_names() {
        let err = Filters::default()
            .add_country("Japn")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("did you mean") && err.contains("Japan"),
            "{err}"
        );
    }

    #[test]
    fn bad_year_is_a_user_error() {
        let e = parse_year("20x8", Param::Year).unwrap_err();
        assert!(matches!(
            e.as_user(),
            Some(UserError::NotAYear {
                name: Param::Year,
                ..
            })
        ));
        assert_eq!(parse_year(" 2018", Param::Year).unwrap(), 2018);
    }
}
