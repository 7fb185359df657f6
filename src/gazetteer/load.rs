//! Parsing of the committed gazetteer tables (`data/gazetteer/*.tsv`).
//!
//! The tables are compiled into the binary with `include_str!`; names are
//! borrowed from them, so loading allocates one key per name and no strings.

use super::key;
use super::{City, Country, CountryCode};

/// The committed GeoNames cities table (see `data/gazetteer/README.md`).
pub(super) const CITIES_TSV: &str = include_str!("../../data/gazetteer/cities.tsv");
/// The committed country table (CLDR, ISO 3166 / Debian iso-codes, GeoNames).
pub(super) const COUNTRIES_TSV: &str = include_str!("../../data/gazetteer/countries.tsv");
/// The committed region table (CLDR subdivisions).
pub(super) const REGIONS_TSV: &str = include_str!("../../data/gazetteer/regions.tsv");
/// The committed month-name table (CLDR).
pub(crate) const MONTHS_TSV: &str = include_str!("../../data/gazetteer/months.tsv");

/// Data rows of a TSV table (header skipped, blank lines ignored), as at
/// most `N` fields; missing fields are empty.
fn rows<const N: usize>(tsv: &'static str) -> impl Iterator<Item = [&'static str; N]> {
    tsv.lines().skip(1).filter(|l| !l.is_empty()).map(|l| {
        let mut out = [""; N];
        for (slot, field) in out.iter_mut().zip(l.splitn(N, '\t')) {
            *slot = field;
        }
        out
    })
}

/// Countries in table order (sorted by ISO code).
pub(super) fn countries() -> Vec<Country> {
    rows::<8>(COUNTRIES_TSV)
        .filter_map(|f| {
            Some(Country {
                code: CountryCode::new(f[0])?,
                iso3: f[1],
                geonameid: f[2].parse().unwrap_or(0),
                population: f[3].parse().unwrap_or(0),
                name_en: f[4],
                name_lt: f[5],
                name_ru: f[6],
                names: f[7],
            })
        })
        .collect()
}

/// Cities in table order (sorted by geonameid).
pub(super) fn cities() -> Vec<City> {
    rows::<5>(CITIES_TSV)
        .filter_map(|f| {
            Some(City {
                geonameid: f[0].parse().ok()?,
                country: CountryCode::new(f[1])?,
                population: f[2].parse().unwrap_or(0),
                name: f[3],
                alt_names: f[4],
            })
        })
        .collect()
}

/// Sorted `(key hash, country)` pairs of every region name (states,
/// provinces, counties).
pub(super) fn region_keys() -> Vec<(u64, CountryCode)> {
    let mut buf = key::KeyBuf::default();
    let mut out: Vec<(u64, CountryCode)> = rows::<2>(REGIONS_TSV)
        .filter_map(|f| Some((CountryCode::new(f[0].get(..2)?)?, f[1])))
        .flat_map(|(cc, names)| names.split('|').map(move |n| (cc, n)))
        .filter(|(_, n)| !n.is_empty())
        .map(|(cc, n)| {
            let k = buf.key(n);
            (key::name_hash(n, k), cc)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Sorted `(key hash, index)` pairs for every name yielded by `names(i)`,
/// computed on two threads (loading time matters: the CLI loads it per run).
pub(super) fn key_index<'a, I>(n: usize, names: impl Fn(usize) -> I + Sync) -> Vec<(u64, u32)>
where
    I: Iterator<Item = &'a str>,
{
    let part = |range: std::ops::Range<usize>| {
        let mut out = Vec::with_capacity(range.len() * 4);
        let mut buf = key::KeyBuf::default();
        for i in range {
            let Ok(idx) = u32::try_from(i) else { break };
            for name in names(i) {
                let k = buf.key(name);
                if !k.is_empty() {
                    out.push((key::name_hash(name, k), idx));
                }
            }
        }
        out.sort_unstable();
        out
    };
    let mid = n / 2;
    let (mut a, b) = std::thread::scope(|s| {
        let h = s.spawn(|| part(mid..n));
        let a = part(0..mid);
        // A panic in the helper thread would be a bug in key computation;
        // fall back to computing the half here rather than propagating it.
        let b = h.join().unwrap_or_else(|_| part(mid..n));
        (a, b)
    });
    // Both halves are sorted: merge them.
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    a.clear();
    out.dedup();
    out
}

/// Indices stored under `hash` in a sorted key index.
pub(super) fn lookup(index: &[(u64, u32)], hash: u64) -> impl Iterator<Item = u32> + '_ {
    let start = index.partition_point(|&(h, _)| h < hash);
    index[start..]
        .iter()
        .take_while(move |&&(h, _)| h == hash)
        .map(|&(_, i)| i)
}
