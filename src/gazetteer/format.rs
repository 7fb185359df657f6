//! The byte layout of the compiled gazetteer tables, shared by the build
//! script (`build.rs`, which writes them into `OUT_DIR`) and the gazetteer
//! (which reads them in place, without parsing). All integers are
//! little-endian.
//!
//! - A *key index* is two `fst` maps, one for names written in Latin script
//!   and one for Cyrillic ones, from a name key ([`super::name_key`]) to a
//!   list of postings: `u32`s, sorted, each once; a list of one is the map's
//!   value itself ([`ONE_POSTING`]), a longer one a
//!   [run](write::run_value) in the postings table.
//! - The *city table* is one [`CityRecord`] per city, sorted by geonameid,
//!   and a string table holding each city's name followed by its alternate
//!   names.
//! - The *suggestion index* is an `fst` map from the basic form of a name
//!   ([`super::basic_form`]) to a run of [`SuggestionEntry`]s.

/// Bytes of one [`CityRecord`].
pub(crate) const CITY_RECORD: usize = 18;

/// One city of the city table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CityRecord {
    /// GeoNames id.
    pub(crate) geonameid: u32,
    /// Population.
    pub(crate) population: u32,
    /// Offset of the city's name in the string table; its alternate names
    /// (pipe-separated) follow the name.
    pub(crate) names_at: u32,
    /// Length of the name in bytes.
    pub(crate) name_len: u16,
    /// Length of the alternate names in bytes.
    pub(crate) alt_len: u16,
    /// ISO alpha-2 code of the country.
    pub(crate) country: [u8; 2],
}

impl CityRecord {
    /// The record encoded in `b` (at least [`CITY_RECORD`] bytes).
    pub(crate) fn decode(b: &[u8]) -> CityRecord {
        CityRecord {
            geonameid: u32_at(b, 0),
            population: u32_at(b, 4),
            names_at: u32_at(b, 8),
            name_len: u16::from_le_bytes([b[12], b[13]]),
            alt_len: u16::from_le_bytes([b[14], b[15]]),
            country: [b[16], b[17]],
        }
    }
}

/// Bytes of one [`SuggestionEntry`].
pub(crate) const SUGGESTION_ENTRY: usize = 10;

/// Set in [`SuggestionEntry::owner`] for a country (else a city).
pub(crate) const COUNTRY_OWNER: u32 = 1 << 31;

/// One name that "did you mean" may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SuggestionEntry {
    /// Rank among the candidates: country names first (in table order),
    /// then the names of the larger cities, most populous first.
    pub(crate) order: u32,
    /// Index of the country (with [`COUNTRY_OWNER`] set) or of the city.
    pub(crate) owner: u32,
    /// Which of the owner's names: the index into a country's names by
    /// language, or into a city's `names()`.
    pub(crate) name: u16,
}

impl SuggestionEntry {
    /// The entry encoded in `b` (at least [`SUGGESTION_ENTRY`] bytes).
    pub(crate) fn decode(b: &[u8]) -> SuggestionEntry {
        SuggestionEntry {
            order: u32_at(b, 0),
            owner: u32_at(b, 4),
            name: u16::from_le_bytes([b[8], b[9]]),
        }
    }
}

/// The `u32` at byte `at` of `b`.
pub(crate) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Set in a key index's value that holds its only posting itself (most
/// names are one city's); clear in one that points to a run of postings.
pub(crate) const ONE_POSTING: u64 = 1 << 63;

/// The items (first, one past the last) of a run written by [`write::run_value`].
pub(crate) fn run_range(value: u64) -> std::ops::Range<usize> {
    let first = (value >> 32) as usize;
    first..first + (value & 0xffff_ffff) as usize
}

/// The country code of a region posting.
pub(crate) fn posting_country(p: u32) -> [u8; 2] {
    [(p >> 8) as u8, p as u8]
}

/// The writing side of the layout: used by `build.rs` (and the tests).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod write {
    use super::*;

    impl CityRecord {
        /// The record's bytes.
        pub(crate) fn encode(&self) -> [u8; CITY_RECORD] {
            let mut b = [0u8; CITY_RECORD];
            b[0..4].copy_from_slice(&self.geonameid.to_le_bytes());
            b[4..8].copy_from_slice(&self.population.to_le_bytes());
            b[8..12].copy_from_slice(&self.names_at.to_le_bytes());
            b[12..14].copy_from_slice(&self.name_len.to_le_bytes());
            b[14..16].copy_from_slice(&self.alt_len.to_le_bytes());
            b[16..18].copy_from_slice(&self.country);
            b
        }
    }

    impl SuggestionEntry {
        /// The entry's bytes.
        pub(crate) fn encode(&self) -> [u8; SUGGESTION_ENTRY] {
            let mut b = [0u8; SUGGESTION_ENTRY];
            b[0..4].copy_from_slice(&self.order.to_le_bytes());
            b[4..8].copy_from_slice(&self.owner.to_le_bytes());
            b[8..10].copy_from_slice(&self.name.to_le_bytes());
            b
        }
    }

    /// The `fst` value of a run of `len` items starting at item `first`.
    pub(crate) fn run_value(first: usize, len: usize) -> u64 {
        ((first as u64) << 32) | len as u64
    }

    /// The key index value of a list of postings (sorted, each once) that
    /// would start at item `first` of the postings table, and whether the
    /// list goes there (else the value holds its only posting).
    pub(crate) fn postings_value(first: usize, ids: &[u32]) -> (u64, bool) {
        match ids {
            [id] => (ONE_POSTING | u64::from(*id), false),
            _ => (run_value(first, ids.len()), true),
        }
    }

    /// A region's country as a posting (`LT` is `0x4c54`).
    pub(crate) fn country_posting(code: [u8; 2]) -> u32 {
        (u32::from(code[0]) << 8) | u32::from(code[1])
    }

    /// Is this name an initialism (two to six capitals, dots allowed: `РФ`,
    /// `USA`, `U.S.`)? Countries are found by their initialisms in exact case
    /// only, so these stay out of the key index.
    pub(crate) fn is_initialism(name: &str) -> bool {
        let letters = name.chars().filter(|c| c.is_alphabetic()).count();
        (2..=6).contains(&letters) && name.chars().all(|c| c.is_uppercase() || c == '.')
    }
}

#[cfg(test)]
mod tests {
    use super::write::*;
    use super::*;

    #[test]
    fn records_and_runs_read_back() {
        let r = CityRecord {
            geonameid: 593116,
            population: 542366,
            names_at: 1 << 30,
            name_len: 7,
            alt_len: 1191,
            country: *b"LT",
        };
        assert_eq!(CityRecord::decode(&r.encode()), r);
        let e = SuggestionEntry {
            order: 70_000,
            owner: 12 | COUNTRY_OWNER,
            name: 2,
        };
        assert_eq!(SuggestionEntry::decode(&e.encode()), e);
        assert_eq!(run_range(run_value(3_000_000, 17)), 3_000_000..3_000_017);
        assert_eq!(postings_value(9, &[5]), (ONE_POSTING | 5, false));
        assert_eq!(postings_value(9, &[5, 7]), (run_value(9, 2), true));
        assert_eq!(posting_country(country_posting(*b"LT")), *b"LT");
    }
}
