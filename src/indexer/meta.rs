//! Optional metadata beside a document: `NAME.meta.json` (for `NAME.txt`, or
//! `NAME.txt.meta.json`) with any of `title`, `date`, `year`, `city`,
//! `country`. What it gives overrides what the indexer extracts.

use super::manifest::{hash_file, MetaEntry, Stamp};
use crate::corpus::formats::SkipReason;
use crate::corpus::CorpusFile;
use crate::facets::{year_in_range, Year};
use crate::gazetteer::{gazetteer, CountryCode};
use serde::Deserialize;
use std::path::Path;

/// One value or several.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
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
pub(crate) struct RawMeta {
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
pub(crate) struct DocMeta {
    /// Title.
    pub title: Option<String>,
    /// Year (from `year`, else from `date`).
    pub year: Option<Year>,
    /// Cities (GeoNames ids), if given.
    pub cities: Option<Vec<u32>>,
    /// Countries, if given.
    pub countries: Option<Vec<CountryCode>>,
}

/// Largest metadata file read: a few fields take a few hundred bytes.
pub(crate) const MAX_META_BYTES: u64 = 1 << 20;

/// What reading a document's metadata file gave.
#[derive(Debug, Clone, Default)]
pub(crate) struct MetaRead {
    /// The metadata, if the file exists and is good.
    pub meta: Option<DocMeta>,
    /// The file's fingerprint for the manifest, with the problem that made
    /// it ignored, if any.
    pub entry: Option<MetaEntry>,
}

/// Reads and resolves the metadata file of a document, if it has one (the
/// corpus walk pairs them). A bad file gives no metadata and its problem.
pub(crate) fn read(file: &CorpusFile) -> MetaRead {
    let Some(m) = &file.meta else {
        return MetaRead::default();
    };
    let stamp = Stamp::of(&m.path).unwrap_or_default();
    let mut entry = MetaEntry {
        rel: m.rel.clone(),
        size: stamp.size,
        mtime: stamp.mtime,
        ctime: stamp.ctime,
        ..MetaEntry::default()
    };
    let meta = read_capped(&m.path, &mut entry.hash).and_then(|bytes| {
        let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
        resolve(&text)
    });
    match meta {
        Ok(meta) => MetaRead {
            meta: Some(meta),
            entry: Some(entry),
        },
        Err(problem) => {
            entry.problem = Some(problem);
            MetaRead {
                meta: None,
                entry: Some(entry),
            }
        }
    }
}

/// The bytes of a metadata file of at most [`MAX_META_BYTES`]; sets `hash`.
fn read_capped(path: &Path, hash: &mut String) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let reason = |e: std::io::Error| SkipReason::from(e).to_string();
    let f = crate::corpus::formats::open_regular(path).map_err(reason)?;
    let mut bytes = Vec::new();
    f.take(MAX_META_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(reason)?;
    if bytes.len() as u64 > MAX_META_BYTES {
        *hash = hash_file(path).unwrap_or_default();
        return Err(format!("larger than {} KB", MAX_META_BYTES >> 10));
    }
    *hash = super::manifest::hash(&bytes);
    Ok(bytes)
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

/// The `year` field of a metadata file, or what is wrong with it.
fn meta_year(s: &str) -> std::result::Result<Year, String> {
    year_in_range(s)
        .ok_or_else(|| format!("year '{s}' is not a year: give four digits, e.g. year 2018"))
}

/// The values of a field of names (`kind`: city or country), each found
/// by `find`; an unknown name is the error.
fn names<T>(
    field: Option<&OneOrMany>,
    kind: &str,
    find: impl Fn(&str) -> Option<T>,
) -> std::result::Result<Option<Vec<T>>, String> {
    field
        .map(|f| {
            f.items()
                .into_iter()
                .map(|n| find(n).ok_or_else(|| format!("unknown {kind} '{n}'")))
                .collect()
        })
        .transpose()
}

/// Resolves the text of a metadata file; the error says what is wrong.
pub(crate) fn resolve(text: &str) -> std::result::Result<DocMeta, String> {
    let raw: RawMeta = serde_json::from_str(text).map_err(|e| {
        format!("not valid metadata ({e}); fields: title, date, year, city, country")
    })?;
    let year = match &raw.year {
        Some(serde_json::Value::Number(n)) => Some(meta_year(&n.to_string())?),
        Some(serde_json::Value::String(s)) => Some(meta_year(s)?),
        Some(serde_json::Value::Null) | None => raw.date.as_deref().and_then(year_in),
        Some(other) => return Err(format!("year {other} is not a year")),
    };
    let g = gazetteer();
    let cities = names(raw.city.as_ref(), "city", |n| {
        g.city_by_name(n).first().map(|c| c.geonameid)
    })?;
    let countries = names(raw.country.as_ref(), "country", |n| {
        g.country_by_name(n).map(|c| c.code)
    })?;
    Ok(DocMeta {
        title: raw.title,
        year,
        cities,
        countries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_with_meta(dir: &Path, meta_name: &str, meta: &[u8]) -> CorpusFile {
        let doc = dir.join("r.txt");
        std::fs::write(&doc, "x").unwrap();
        std::fs::write(dir.join(meta_name), meta).unwrap();
        let (files, _) = crate::corpus::walk(dir).unwrap();
        files.into_iter().find(|f| f.path == doc).unwrap()
    }

    #[test]
    fn metadata_overrides_are_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let file = doc_with_meta(
            dir.path(),
            "r.meta.json",
            br#"{"title":"T","date":"2019-05-01","city":"Kaunas","country":["Japonija","LT"]}"#,
        );
        let read = read(&file);
        let m = read.meta.unwrap();
        assert_eq!(read.entry.unwrap().rel, "r.meta.json");
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
    fn bad_metadata_says_what_is_wrong() {
        let cases: [(&[u8], &str); 4] = [
            (br#"{"country":"Atlantis"}"#, "Atlantis"),
            (b"garbage", "not valid metadata"),
            (br#"{"colour":"red"}"#, "colour"),
            (b"{\"title\":\"\xff\"}", "UTF-8"),
        ];
        for (text, want) in cases {
            let dir = tempfile::tempdir().unwrap();
            let file = doc_with_meta(dir.path(), "r.txt.meta.json", text);
            let read = read(&file);
            assert!(read.meta.is_none());
            let entry = read.entry.unwrap();
            assert_eq!(entry.rel, "r.txt.meta.json");
            let problem = entry.problem.unwrap();
            assert!(problem.contains(want), "{problem}");
        }
    }
}
