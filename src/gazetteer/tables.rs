//! The compiled tables (see [`super::format`]), read in place from the bytes
//! `build.rs` wrote and `include_bytes!` put into the binary.

use fst::Map;

use super::format::{self, CityRecord, CITY_RECORD};
use super::{City, CountryCode};

/// The bytes of a compiled table in `OUT_DIR`.
macro_rules! table {
    ($file:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $file)).as_slice()
    };
}
pub(super) use table;

/// An `fst` map over static bytes written by `build.rs`.
pub(super) fn map(bytes: &'static [u8]) -> Map<&'static [u8]> {
    // Only a broken build script could write a malformed map; the tests
    // open every one.
    Map::new(bytes).expect("gazetteer table compiled by build.rs")
}

/// A key index: name key → sorted ids, apart by script.
pub(super) struct KeyIndex {
    latin: Map<&'static [u8]>,
    cyrillic: Map<&'static [u8]>,
    postings: &'static [u8],
}

impl KeyIndex {
    /// The index of the maps and postings `build.rs` wrote.
    pub(super) fn new(
        latin: &'static [u8],
        cyrillic: &'static [u8],
        postings: &'static [u8],
    ) -> KeyIndex {
        KeyIndex {
            latin: map(latin),
            cyrillic: map(cyrillic),
            postings,
        }
    }

    /// The ids filed under `key` for names written in Cyrillic or not
    /// (see [`super::is_cyrillic`]), in increasing order.
    pub(super) fn get(&self, key: &str, cyrillic: bool) -> impl Iterator<Item = u32> + '_ {
        let map = if cyrillic {
            &self.cyrillic
        } else {
            &self.latin
        };
        let value = map.get(key).unwrap_or(0);
        let (one, run) = if value & format::ONE_POSTING != 0 {
            (Some(value as u32), 0..0)
        } else {
            (None, format::run_range(value))
        };
        one.into_iter()
            .chain(run.map(|i| format::u32_at(self.postings, i * 4)))
    }
}

/// The city table: fixed-size records sorted by geonameid, and their names.
pub(super) struct CityTable {
    records: &'static [u8],
    strings: &'static [u8],
}

impl CityTable {
    /// The table `build.rs` wrote.
    pub(super) fn new(records: &'static [u8], strings: &'static [u8]) -> CityTable {
        CityTable { records, strings }
    }

    /// Number of cities.
    pub(super) fn len(&self) -> usize {
        self.records.len() / CITY_RECORD
    }

    /// The city at index `i` (table order), if there is one.
    pub(super) fn get(&self, i: usize) -> Option<City> {
        (i < self.len()).then(|| self.at(i))
    }

    /// The city at index `i`, which must be below [`CityTable::len`].
    pub(super) fn at(&self, i: usize) -> City {
        let r = CityRecord::decode(&self.records[i * CITY_RECORD..(i + 1) * CITY_RECORD]);
        let at = r.names_at as usize;
        let mid = at + usize::from(r.name_len);
        let end = mid + usize::from(r.alt_len);
        City {
            geonameid: r.geonameid,
            name: self.str(at..mid),
            country: CountryCode(r.country),
            population: r.population,
            alt_names: self.str(mid..end),
        }
    }

    /// The index of the city with this GeoNames id.
    pub(super) fn position(&self, geonameid: u32) -> Option<usize> {
        let id = |i: usize| format::u32_at(self.records, i * CITY_RECORD);
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if id(mid) < geonameid {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo < self.len() && id(lo) == geonameid).then_some(lo)
    }

    /// A range of the string table (empty if the build wrote it wrong).
    fn str(&self, range: std::ops::Range<usize>) -> &'static str {
        let strings: &'static [u8] = self.strings;
        strings
            .get(range)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}
