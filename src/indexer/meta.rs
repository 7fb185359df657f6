//! Optional metadata beside a document: `NAME.meta.json` (for `NAME.txt`, or
//! `NAME.txt.meta.json`) with any of `title`, `date`, `year`, `city`,
//! `country`. What it gives overrides what the indexer extracts.

use crate::error::{Error, Result};
use crate::facets::{parse_year, Year};
use crate::gazetteer::{gazetteer, CountryCode};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One value or several.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single name.
    One(String),
    /// Several names.
    Many(Vec<String>),
}

impl OneOrMany {
    fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// The metadata file as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// Title.
    pub title: Option<String>,
    /// A date (any format with a four-digit year, e.g. 2018-10-18).
    pub date: Option<String>,
    /// The year.
    pub year: Option<serde_json::Value>,
    /// City or cities, by any name.
    pub city: Option<OneOrMany>,
    /// Country or countries, by any name or ISO code.
    pub country: Option<OneOrMany>,
}

/// Metadata resolved to typed values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// Title.
    pub title: Option<String>,
    /// Year (from `year`, else from `date`).
    pub year: Option<Year>,
    /// Cities (GeoNames ids), if given.
    pub cities: Option<Vec<u32>>,
    /// Countries, if given.
    pub countries: Option<Vec<CountryCode>>,
}

/// Where the metadata of a document would be, if it exists.
pub fn meta_path(doc: &Path) -> Option<PathBuf> {
    let full = PathBuf::from(format!("{}{}", doc.display(), crate::corpus::META_SUFFIX));
    let stem = doc.with_extension("meta.json");
    [full, stem].into_iter().find(|p| p.is_file())
}

fn year_in(s: &str) -> Option<Year> {
    let digits: Vec<char> = s.chars().collect();
    digits
        .windows(4)
        .enumerate()
        .find(|(i, w)| {
            w.iter().all(char::is_ascii_digit)
                && (*i == 0 || !digits[i - 1].is_ascii_digit())
                && digits.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
        })
        .and_then(|(_, w)| w.iter().collect::<String>().parse().ok())
}

/// Reads and resolves the metadata file of a document. Errors name the file
/// and the bad value.
pub fn load(doc: &Path) -> Result<Option<DocMeta>> {
    let Some(path) = meta_path(doc) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let bad = |what: String| Error::user(format!("{}: {what}", path.display()));
    let raw: RawMeta = serde_json::from_str(&text).map_err(|e| {
        bad(format!(
            "not valid metadata ({e}); fields: title, date, year, city, country"
        ))
    })?;
    let year = match &raw.year {
        Some(serde_json::Value::Number(n)) => {
            Some(parse_year(&n.to_string(), "year").map_err(|e| bad(e.to_string()))?)
        }
        Some(serde_json::Value::String(s)) => {
            Some(parse_year(s, "year").map_err(|e| bad(e.to_string()))?)
        }
        Some(serde_json::Value::Null) | None => raw.date.as_deref().and_then(year_in),
        Some(other) => return Err(bad(format!("year {other} is not a year"))),
    };
    let g = gazetteer();
    let cities = match &raw.city {
        None => None,
        Some(c) => Some(
            c.items()
                .into_iter()
                .map(|n| {
                    g.city_by_name(n)
                        .first()
                        .map(|c| c.geonameid)
                        .ok_or_else(|| bad(format!("unknown city '{n}'")))
                })
                .collect::<Result<Vec<_>>>()?,
        ),
    };
    let countries = match &raw.country {
        None => None,
        Some(c) => Some(
            c.items()
                .into_iter()
                .map(|n| {
                    g.country_by_name(n)
                        .map(|c| c.code)
                        .ok_or_else(|| bad(format!("unknown country '{n}'")))
                })
                .collect::<Result<Vec<_>>>()?,
        ),
    };
    Ok(Some(DocMeta {
        title: raw.title,
        year,
        cities,
        countries,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_overrides_are_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("r.txt");
        std::fs::write(&doc, "x").unwrap();
        std::fs::write(
            dir.path().join("r.meta.json"),
            r#"{"title":"T","date":"2019-05-01","city":"Kaunas","country":["Japonija","LT"]}"#,
        )
        .unwrap();
        let m = load(&doc).unwrap().unwrap();
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.year, Some(2019));
        assert_eq!(m.cities.as_ref().map(Vec::len), Some(1));
        assert_eq!(
            m.countries
                .unwrap()
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
            ["JP", "LT"]
        );
    }

    #[test]
    fn bad_metadata_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("r.txt");
        std::fs::write(
            dir.path().join("r.txt.meta.json"),
            r#"{"country":"Atlantis"}"#,
        )
        .unwrap();
        let err = load(&doc).unwrap_err().to_string();
        assert!(
            err.contains("r.txt.meta.json") && err.contains("Atlantis"),
            "{err}"
        );
    }
}
